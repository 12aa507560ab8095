"""Attention figures: the spread of the scores against √d, the weights without and with 1/√d, and the size of J
as d grows. Arrays in, plain plotly spec dicts out (figures/spec.py); every number comes from ``core.attention``.

Without the scaling is drawn solid in the ink colour, with it dashed in orange: the two never rely on colour alone.
"""

from __future__ import annotations

import numpy as np

from core import fmt

from .palette import color, label
from .palette import ink as palette_ink
from .spec import axis, figure, hover, on, row_layout, typed

RAW, SCALED = "without 1/√d", "with 1/√d (T = √d)"




def _d_axis(ds) -> dict:
    ticks = [float(v) for v in ds][::2]  # every other power of 2: six labels stay upright on a phone
    return {"title": {"text": "dimension d (log)"}, "type": "log", "tickvals": ticks, "ticktext": [f"{int(v)}" for v in ticks],
            "tickangle": 0}


def _orange(dark: bool) -> str:
    return "#E69F00" if dark else "#D55E00"


def spread_figure(ds, stds, ses, d: int, dark: bool = False, height: int = 400) -> dict:
    """Sample std of q·k against d (markers with ±2 SE bars) beside the line √d, on log-log axes; the current d ringed."""
    ds, stds, ses = (np.asarray(a, dtype=float) for a in (ds, stds, ses))
    ink = palette_ink(dark)
    k = int(np.flatnonzero(ds == d)[0]) if np.any(ds == d) else 0
    d_text = fmt.nums(ds, each=fmt.whole)
    data = [
        {"type": "scatter", "x": typed(ds), "y": typed(np.sqrt(ds)), "mode": "lines", "name": "√d",
         "line": {"color": ink, "dash": "dot", "width": 2}, "customdata": hover(d_text, fmt.nums(np.sqrt(ds))),
         "hovertemplate": "d = %{customdata[0]}: √d = %{customdata[1]}<extra></extra>"},
        {"type": "scatter", "x": typed(ds), "y": typed(stds), "mode": "markers", "name": "sample std of q·k (±2 SE)",
         "marker": {"color": _orange(dark), "size": 9},
         "error_y": {"type": "data", "array": typed(2 * ses), "color": _orange(dark), "thickness": 1.5},
         "customdata": hover(d_text, fmt.nums(stds)),
         "hovertemplate": "d = %{customdata[0]}: std = %{customdata[1]}<extra></extra>"},
        {"type": "scatter", "x": [float(ds[k])], "y": [float(stds[k])], "mode": "markers", "name": f"your d = {d}",
         "marker": {"symbol": "circle-open", "size": 20, "color": ink, "line": {"width": 2.5}}, "hoverinfo": "skip"},
    ]
    layout = {
        "title": {"text": "The spread of q·k grows like √d"}, "height": height,
        "margin": {"t": 60, "b": 110, "l": 70, "r": 20}, "legend": {"orientation": "h", "y": -0.25, "yanchor": "top"},
        "xaxis": _d_axis(ds),
        "yaxis": {"title": {"text": "std of q·k (log)"}, "type": "log", "dtick": 1},
    }
    return figure(data, layout)


def weights_figure(S_raw, S_scaled, d: int, dark: bool = False, height: int = 380) -> dict:
    """The attention weights a = softmax(s) and softmax(s/√d), one bar per key in its index colour, values on top."""
    S_raw, S_scaled = np.asarray(S_raw, dtype=float), np.asarray(S_scaled, dtype=float)
    n = S_raw.size
    names = [label("a", i) for i in range(n)]
    cols = [color(i, dark) for i in range(n)]
    data = []
    for c, (S, pattern) in enumerate(((S_raw, ""), (S_scaled, "/")), start=1):
        data.append(on(c, {"type": "bar", "x": names, "y": typed(S), "showlegend": False,
                           "marker": {"color": cols, "line": {"width": 0}, "pattern": {"shape": pattern, "size": 6}},
                           "text": [fmt.num(v, unicode=True) for v in S], "textposition": "outside", "cliponaxis": False,
                           "customdata": fmt.nums(S, 4), "hovertemplate": "%{x} = %{customdata}<extra></extra>"}))
    layout = row_layout(2, spacing=0.08, titles=("without 1/√d", "with 1/√d"), shared_y=True)
    layout.update(title={"text": f"Attention weights over {n} keys at d = {d}"}, height=height,
                  margin={"t": 100, "b": 50, "l": 70, "r": 20})
    axis(layout, "yaxis", range=[0, 1.15], title={"text": "weight aᵢ"})
    axis(layout, "yaxis2", range=[0, 1.15])
    for a in ("xaxis", "xaxis2"):
        axis(layout, a, type="category", title={"text": "key i"})
    return figure(data, layout)


def norms_figure(ds, sw: dict, d: int, dark: bool = False, height: int = 420) -> dict:
    """max |∂aᵢ/∂sⱼ| and ‖J‖₂ against d, without (solid) and with (dashed) the 1/√d, on log-log axes; d marked."""
    ds = np.asarray(ds, dtype=float)
    ink, orange = palette_ink(dark), _orange(dark)
    data = []
    styles = (("raw", {"color": ink, "dash": "solid"}, RAW), ("scaled", {"color": orange, "dash": "dash"}, SCALED))
    for key, style, name in styles:
        for what, sym, title in (("max", "circle", "max |Jᵢⱼ|"), ("norm", "square", "‖J‖₂")):
            y = np.asarray(sw[f"{key}_{what}"], dtype=float)
            data.append({"type": "scatter", "x": typed(ds), "y": typed(y), "mode": "lines+markers",
                         "name": f"{title}, {name}", "line": {**style, "width": 2.5 if what == "norm" else 1.5},
                         "marker": {"symbol": sym, "size": 7, "color": style["color"]},
                         "customdata": hover(fmt.nums(ds, each=fmt.whole), fmt.nums(y)),
                         "hovertemplate": f"d = %{{customdata[0]}}: {title} = %{{customdata[1]}}<extra>{name}</extra>"})
    layout = {
        "title": {"text": "Size of J = ∂a/∂s against d"}, "height": height,
        "margin": {"t": 60, "b": 150, "l": 70, "r": 20}, "legend": {"orientation": "h", "y": -0.3, "yanchor": "top"},
        "xaxis": _d_axis(ds),
        "yaxis": {"title": {"text": "size of J (log)"}, "type": "log", "exponentformat": "power"},
        "shapes": [{"type": "line", "xref": "x", "x0": d, "x1": d, "yref": "paper", "y0": 0, "y1": 1,
                    "line": {"color": ink, "dash": "dot", "width": 1}}],
        "annotations": [{"x": float(np.log10(d)), "xref": "x", "y": 1, "yref": "paper", "text": f"d = {d}", "showarrow": False,
                         "yanchor": "bottom", "font": {"size": 12}}],
    }
    return figure(data, layout)
