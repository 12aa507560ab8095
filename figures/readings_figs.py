"""The covariance reading of J: the Monte Carlo error against the sample count on log-log axes.

Arrays in, a plain plotly spec dict out (figures/spec.py). No maths beyond layout: the errors, the fitted slope and
the reference line's anchor come from ``core.readings``.
"""

from __future__ import annotations

import numpy as np

from core import fmt

from .palette import ink as palette_ink
from .spec import figure, hover, typed


def mc_convergence(counts, first, rms, slope: float, count: int, err_now: float, dark: bool = False,
                   height: int = 420) -> dict:
    """Max-entry error of the Monte Carlo J against N (log-log): one seed (markers), the RMS over replicate seeds
    (line), a reference line of slope −½ through the RMS's first point, and the estimate on screen (a diamond)."""
    ink = palette_ink(dark)
    counts = np.asarray(counts, dtype=float)
    rms = np.asarray(rms, dtype=float)
    ref = rms[0] * np.sqrt(counts[0] / counts)  # slope exactly −½, for the eye
    sl = fmt.fixed(slope, 2, unicode=True) if np.isfinite(slope) else "none: see the caption"
    n_text = [fmt.whole(c) for c in counts]
    data = [
        {"type": "scatter", "x": typed(counts), "y": typed(ref), "mode": "lines", "name": "slope −½ (reference)",
         "line": {"color": ink, "dash": "dot", "width": 1.5}, "hoverinfo": "skip"},
        {"type": "scatter", "x": typed(counts), "y": typed(np.asarray(first, dtype=float)), "mode": "markers",
         "name": "your seed", "marker": {"color": "#56B4E9" if dark else "#0072B2", "size": 7, "symbol": "circle-open"},
         "customdata": hover(n_text, fmt.nums(np.asarray(first, dtype=float))),
         "hovertemplate": "N = %{customdata[0]}: max |Ĵ − J| = %{customdata[1]}<extra>your seed</extra>"},
        {"type": "scatter", "x": typed(counts), "y": typed(rms), "mode": "lines", "name": "RMS over seeds",
         "line": {"color": "#E69F00" if dark else "#D55E00", "width": 3},
         "customdata": hover(n_text, fmt.nums(rms)),
         "hovertemplate": "N = %{customdata[0]}: RMS error %{customdata[1]}<extra></extra>"},
        {"type": "scatter", "x": [float(count)], "y": [float(err_now)], "mode": "markers", "name": "the estimate shown",
         "marker": {"color": ink, "size": 14, "symbol": "diamond"},
         "customdata": hover([fmt.whole(count)], [fmt.num(err_now)]),
         "hovertemplate": "N = %{customdata[0]}: max |Ĵ − J| = %{customdata[1]}<extra>shown</extra>"},
    ]
    layout = {
        # two lines: in half a laptop's column one line ran out of the chart at "slope −" and hid the number
        "title": {"text": f"Monte Carlo error against N:<br>RMS slope {sl}"}, "height": height,
        "margin": {"t": 100, "b": 100, "l": 70, "r": 20}, "legend": {"orientation": "h", "y": -0.25},
        "xaxis": {"title": {"text": "samples N (log)"}, "type": "log", "exponentformat": "power", "dtick": 1},
        "yaxis": {"title": {"text": "max |Ĵ − J| (log)"}, "type": "log", "exponentformat": "power"},
    }
    return figure(data, layout)
