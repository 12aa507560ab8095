"""Gumbel figures: Gumbel-max frequencies converging to S, and the Gumbel-softmax sample and its gradient against τ.

Arrays in, plain plotly spec dicts out (figures/spec.py); every number comes from ``core.gumbel``. Class k is drawn in
``color(k)``, the colour of S_k everywhere in the app.
"""

from __future__ import annotations

import numpy as np

from core import fmt

from .palette import color, label
from .palette import ink as palette_ink
from .spec import axis, figure, hover, on, row_layout, typed


def gumbel_max_figure(at, freqs, S, dark: bool = False, height: int = 420) -> dict:
    """Left: the frequency of each class after all draws (bars) against S (diamonds, ±2 binomial standard errors).
    Right: each class's running frequency against the number of draws (log axis), S_k dotted."""
    at, freqs, S = np.asarray(at, dtype=float), np.asarray(freqs, dtype=float), np.asarray(S, dtype=float)
    n, N, ink = S.size, int(at[-1]), palette_ink(dark)
    names = [label("S", k) for k in range(n)]
    se = np.sqrt(S * (1 - S) / N)
    at_text = fmt.nums(at, each=fmt.whole)
    data = [on(1, {"type": "bar", "x": names, "y": typed(freqs[-1]), "name": f"frequency in {fmt.whole(N)} draws",
                   "marker": {"color": [color(k, dark) for k in range(n)]}, "showlegend": False,
                   "customdata": fmt.nums(freqs[-1], 4), "hovertemplate": "%{x}: frequency %{customdata}<extra></extra>"}),
            on(1, {"type": "scatter", "x": names, "y": typed(S), "mode": "markers", "name": "S (±2 SE)",
                   "marker": {"symbol": "diamond", "size": 11, "color": ink},
                   "error_y": {"type": "data", "array": typed(2 * se), "color": ink, "thickness": 1.5},
                   "customdata": fmt.nums(S, 4), "hovertemplate": "%{x} = %{customdata}<extra>softmax</extra>"})]
    for k in range(n):
        data.append(on(2, {"type": "scatter", "x": typed(at), "y": typed(freqs[:, k]), "mode": "lines", "name": names[k],
                           "line": {"color": color(k, dark), "width": 2}, "showlegend": False,
                           "customdata": hover(fmt.nums(freqs[:, k]), at_text),
                           "hovertemplate": f"{names[k]}: %{{customdata[0]}} after %{{customdata[1]}} draws<extra></extra>"}))
    layout = row_layout(2, widths=[0.4, 0.6], spacing=0.1, titles=(f"{fmt.whole(N)} draws", "running"))
    layout.update(title={"text": "Gumbel-max: frequency → Sₖ"}, height=height,
                  margin={"t": 90, "b": 60, "l": 60, "r": 20}, legend={"orientation": "h", "y": -0.2},
                  shapes=[{"type": "line", "xref": "x2 domain", "x0": 0, "x1": 1, "yref": "y2", "y0": float(S[k]),
                           "y1": float(S[k]), "line": {"color": color(k, dark), "dash": "dot", "width": 1}} for k in range(n)])
    axis(layout, "xaxis", type="category")
    axis(layout, "yaxis", title={"text": "frequency"}, range=[0, 1.05])
    axis(layout, "xaxis2", type="log", dtick=1, title={"text": "draws N (log)"})
    axis(layout, "yaxis2", range=[0, 1.05])
    return figure(data, layout)


def gumbel_softmax_figure(y, top: int, taus, sweep: dict, tau: float, T: float, dark: bool = False,
                          height: int = 440) -> dict:
    """Left: one draw's relaxed sample y at τ (bars) beside the hard one-hot argmax (outlined). Right: median and 99th
    percentile over draws of max |∂yᵢ/∂zⱼ| against τ (log-log), with the bound 1/(4Tτ); τ marked."""
    y, taus = np.asarray(y, dtype=float), np.asarray(taus, dtype=float)
    n, ink = y.size, palette_ink(dark)
    names = [label("y", k) for k in range(n)]
    orange = "#E69F00" if dark else "#D55E00"
    tau_text = fmt.num(tau, 6, unicode=True)
    tau_texts = fmt.nums(taus)
    data = [on(1, {"type": "bar", "x": names, "y": typed(y), "name": f"y at τ = {tau_text}", "showlegend": False,
                   "marker": {"color": [color(k, dark) for k in range(n)]}, "text": [fmt.num(v, 2, unicode=True) for v in y],
                   "textposition": "outside", "cliponaxis": False, "customdata": fmt.nums(y, 4),
                   "hovertemplate": "%{x} = %{customdata}<extra></extra>"}),
            on(1, {"type": "bar", "x": names, "y": typed(np.eye(n)[top]), "name": "argmax: one-hot", "showlegend": False,
                   "marker": {"color": "rgba(0,0,0,0)", "line": {"color": ink, "width": 2}},
                   "hovertemplate": "%{x}: one-hot %{y}<extra></extra>"}),
            on(2, {"type": "scatter", "x": typed(taus), "y": typed(1 / (4 * T * taus)), "mode": "lines",
                   "name": "bound 1/(4Tτ)", "line": {"color": ink, "dash": "dot", "width": 1.5}, "hoverinfo": "skip"}),
            on(2, {"type": "scatter", "x": typed(taus), "y": typed(np.asarray(sweep["p99"])), "mode": "lines+markers",
                   "name": "99th percentile over draws", "line": {"color": orange, "width": 2, "dash": "dash"},
                   "customdata": hover(tau_texts, fmt.nums(np.asarray(sweep["p99"], dtype=float))),
                   "hovertemplate": "τ = %{customdata[0]}: %{customdata[1]}<extra>99th percentile</extra>"}),
            on(2, {"type": "scatter", "x": typed(taus), "y": typed(np.asarray(sweep["median"])), "mode": "lines+markers",
                   "name": "median over draws", "line": {"color": ink, "width": 2.5},
                   "customdata": hover(tau_texts, fmt.nums(np.asarray(sweep["median"], dtype=float))),
                   "hovertemplate": "τ = %{customdata[0]}: %{customdata[1]}<extra>median</extra>"})]
    layout = row_layout(2, widths=[0.4, 0.6], spacing=0.12,
                        titles=("one draw", "max |∂yᵢ/∂zⱼ|"))
    layout.update(title={"text": f"Gumbel-softmax at τ = {tau_text}"}, height=height, barmode="overlay",
                  margin={"t": 90, "b": 100, "l": 60, "r": 20}, legend={"orientation": "h", "y": -0.25},
                  shapes=[{"type": "line", "xref": "x2", "x0": tau, "x1": tau, "yref": "y2 domain", "y0": 0, "y1": 1,
                           "line": {"color": ink, "width": 1, "dash": "dot"}}])
    axis(layout, "xaxis", type="category")
    axis(layout, "yaxis", title={"text": "yₖ (outline: the argmax)"}, range=[0, 1.15])
    axis(layout, "xaxis2", type="log", dtick=1, title={"text": "τ (log)"})
    vals = np.r_[np.asarray(sweep["median"]), np.asarray(sweep["p99"]), 1 / (4 * T * taus)]
    lo = max(float(vals[vals > 0].min()) if np.any(vals > 0) else 1e-12, 1e-12)  # far below is drawn at the floor
    axis(layout, "yaxis2", type="log", exponentformat="power", range=[np.log10(lo) - 0.3, np.log10(vals.max()) + 0.3])
    return figure(data, layout)
