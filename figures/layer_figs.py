"""The layer around softmax: ∂L/∂W as a heatmap (rows the classes, columns the inputs), and the shapes of the batch's
gradient as a product of blocks, (S − Y)ᵀ (n × m) times X (m × D) = ∂L/∂W (n × D).

Arrays in, a plain plotly spec dict out (figures/spec.py); no maths here beyond layout: :mod:`core.layer` computes
the numbers. Rows carry their class's colour; every cell its sign glyph; a diverging scale centred at 0.
"""

from __future__ import annotations

import numpy as np

from core import fmt

from .jacobian_figs import cell_text
from .palette import DIVERGING, DIVERGING_DARK, color, label
from .palette import ink as palette_ink
from .screens import LAPTOP, PHONE, cap_height
from .spec import figure, hline, typed

__all__ = ["dW_heatmap", "expectation_figure", "shapes_figure"]


def dW_heatmap(dL_dW, fd=None, dark: bool = False, height: int = 420, screen: str = LAPTOP, digits: int = 3,
               title: str = "∂L/∂W = (S − Y)ᵀX / m") -> dict:
    """∂L/∂W ``(n, D)``: row k the weights into class k's logit z_k, column d the input x_d. With ``fd`` ``(n, D)``
    (central differences), each cell's hover shows both. The hover and the colour bar name the cells as the title does
    before its " = " (the layer's step passes ΔW = −η·∂L/∂W), or ∂L/∂W for a title that is no equation."""
    M = np.asarray(dL_dW, dtype=float)
    n, D = M.shape
    # what the cells hold, for the hover and the colour bar: the title's left side where it is an equation (ΔW in
    # "ΔW = −η·∂L/∂W"), else ∂L/∂W (a sample's share of it): a whole title there would not fit beside a phone's chart
    name = title.split(" = ")[0] if " = " in title else "∂L/∂W"
    zmax = float(np.abs(M).max()) or 1.0
    ys = [label("W", k) + "·" for k in range(n)]  # a row of W: the weights into z_k
    yt = [f"<b><span style='color:{color(k, dark)}'>row {k + 1} (→ {label('z', k)})</span></b>" for k in range(n)]
    xs = [label("x", d) for d in range(D)]
    values = fmt.nums(M, 6)  # the hover's cell value, printed as the page prints it (never d3's 2.21e-05)
    hover = ([[f"{v} f = {fmt.num(f, 6)}" for v, f in zip(vrow, frow, strict=True)]
              for vrow, frow in zip(values, np.asarray(fd, dtype=float).tolist(), strict=True)]
             if fd is not None else values)
    shown = D <= (4 if screen == PHONE else 8) and n <= 10
    trace = {"type": "heatmap", "z": typed(M), "x": xs, "y": ys, "text": cell_text(M, digits, wrap=True),
             "texttemplate": "%{text}" if shown else "", "customdata": hover, "xgap": 1, "ygap": 1,
             "colorscale": DIVERGING_DARK if dark else DIVERGING, "zmid": 0.0, "zmin": -zmax, "zmax": zmax,
             "colorbar": {"title": {"text": name}, "thickness": 12},
             "hovertemplate": name + " at %{y}, %{x}: %{customdata}<extra></extra>"}
    # the title pinned to the top of the chart, the inputs' axis title under it above the columns (both on top)
    layout = {"title": {"text": title + f" — shape ({n}, {D})", "y": 0.98, "yref": "container", "yanchor": "top"},
              "height": cap_height(height, screen), "margin": {"t": 115, "b": 30, "l": 130, "r": 20},
              "xaxis": {"type": "category", "side": "top", "showgrid": False, "title": {"text": "input (column d)"}},
              "yaxis": {"type": "category", "tickvals": ys, "ticktext": yt, "autorange": "reversed", "showgrid": False,
                        "title": {"text": "class k"}}}
    return figure([trace], layout)


def shapes_figure(m: int, D: int, n: int, dark: bool = False, height: int = 360, screen: str = LAPTOP) -> dict:
    """Blocks drawn to scale: (S − Y)ᵀ ``(n, m)`` · X ``(m, D)`` = ∂L/∂W ``(n, D)``; the shared m (the batch) is summed
    away. Block sizes are the arrays' shapes, clipped at 12 cells a side so a batch of 300 still fits."""
    ink = palette_ink(dark)
    blocks = [("(S − Y)ᵀ", n, m, f"({n}, {m})"), ("X", m, D, f"({m}, {D})"), ("∂L/∂W", n, D, f"({n}, {D})")]
    shapes, anns, x = [], [], 0.0
    for k, (name, rows, cols, shape) in enumerate(blocks):
        w, h = min(int(cols), 12), min(int(rows), 12)  # a drawing size, not maths
        shapes.append({"type": "rect", "xref": "x", "yref": "y", "x0": x, "x1": x + w, "y0": -h, "y1": 0,
                       "line": {"color": ink, "width": 2}})  # outlines only: the index colours mean indices elsewhere
        # under its block, not inside it: a block one or two cells wide (D = 2) is narrower than its name
        anns.append({"x": x + w / 2, "y": -h, "xref": "x", "yref": "y", "text": f"<b>{name}</b><br>{shape}",
                     "yanchor": "top", "yshift": -4, "showarrow": False, "font": {"size": 14, "color": ink}})
        if k < 2:
            anns.append({"x": x + w + 1.5, "y": -1.5, "xref": "x", "yref": "y", "text": "·" if k == 0 else "=",
                         "showarrow": False, "font": {"size": 26, "color": ink}})
        x += w + 3.0
    layout = {"title": {"text": f"Shapes: the batch's m = {m} is summed away"},
              "height": cap_height(height, screen), "shapes": shapes, "annotations": anns, "showlegend": False,
              "margin": {"t": 70, "b": 20, "l": 20, "r": 20},
              "xaxis": {"visible": False, "range": [-1, x]},
              "yaxis": {"visible": False, "range": [-15.5, 1], "scaleanchor": "x", "scaleratio": 1}}
    # an invisible point keeps plotly's axes (and so the shapes) drawn
    return figure([{"type": "scatter", "x": [0], "y": [0], "mode": "markers", "marker": {"opacity": 0},
                    "hoverinfo": "skip", "showlegend": False}], layout)


def log_axis_points(draws: int, exact_to: int = 100, per_decade: int = 400) -> np.ndarray:
    """The indices (0-based, into 1…``draws``) a line on a log x-axis needs: every one up to ``exact_to``, then
    ``per_decade`` log-spaced per decade, and the last. Between two neighbours c < c′ a running mean of values in
    [0, 1] moves by at most (c′ − c)/c′: 1.05 % here (0.65 % beyond 1,000 draws), 3 px at worst on a 300-px axis, and
    each point drawn is exact. 10,000 draws become 878 points, not 10,000: the step's move cost up to 300 ms of server
    CPU, most of it formatting the hover text of every draw."""
    draws = int(draws)
    if draws <= exact_to:
        return np.arange(draws)
    decades = np.log10(draws / exact_to)
    tail = np.geomspace(exact_to, draws, max(2, int(np.ceil(decades * per_decade)) + 1))
    return np.unique(np.concatenate([np.arange(exact_to), np.rint(tail).astype(int) - 1, [draws - 1]]))


def expectation_figure(count, mean, S, dark: bool = False, height: int = 400, screen: str = LAPTOP) -> dict:
    """"Expected": the running mean of one-hot draws k ~ S (``mean`` ``(draws, n)`` after ``count`` ``(draws,)`` draws,
    from :func:`core.layer.sampled_expectation`), one line per class in its colour and dash, against S (a dotted line at
    each Sₖ): the mean of the one-hot vectors under S is S, ∇LSE. Drawn at :func:`log_axis_points` (every draw up to
    100, then 400 a decade): the chart's data table keeps every draw."""
    count, mean, S = np.asarray(count, dtype=float), np.asarray(mean, dtype=float), np.asarray(S, dtype=float)
    keep = log_axis_points(count.size)
    count, mean = count[keep], mean[keep]
    n = S.size
    dashes = ["solid", "dash", "dot", "dashdot"]
    data = [{"type": "scatter", "x": typed(count), "y": typed(mean[:, k]), "mode": "lines",
             "name": f"share of draws that are class {k + 1}",
             "line": {"color": color(k, dark), "width": 2.5, "dash": dashes[k % 4]},
             "customdata": [[fmt.whole(c), m] for c, m in zip(count, fmt.nums(mean[:, k], 3), strict=True)],
             "hovertemplate": f"after %{{customdata[0]}} draws: %{{customdata[1]}} (S{label('', k)} = {fmt.num(S[k])})"
                              "<extra></extra>"}
            for k in range(n)]
    shapes = [hline(float(S[k]), color=color(k, dark), width=1.5, dash="dot") for k in range(n)]
    layout = {"title": {"text": "The mean of the one-hot draws → S (dotted): E<sub>S</sub>[eₖ] = S"},
              "height": cap_height(height, screen), "shapes": shapes,
              "legend": {"orientation": "h", "x": 0, "y": -0.25, "yanchor": "top"}, "margin": {"t": 60, "b": 110},
              "xaxis": {"type": "log", "title": {"text": "number of draws (log scale)"}},
              "yaxis": {"title": {"text": "share of draws"}, "range": [-0.02, 1.02]}}
    return figure(data, layout)
