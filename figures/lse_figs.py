"""Log-sum-exp figures: the soft max and soft argmax as T falls, the student against its target, the smoothing
optimum, and (Chain rule page) a row against a column of a small J.

Arrays in, a plain plotly spec dict out (:mod:`figures.spec`); no maths here beyond layout: the pages and ``core``
compute every number. One colour per index; signs carry a hatch or a glyph, never colour alone.
"""

from __future__ import annotations

import numpy as np

from core import fmt

from .jacobian_figs import cell_text
from .palette import DIVERGING, DIVERGING_DARK, color, label
from .palette import ink as palette_ink
from .screens import LAPTOP, PHONE
from .spec import axes, axis, figure, hover, on, row_layout, typed, vline

__all__ = ["limits_figure", "row_column_figure", "smoothing_figure", "targets_figure"]




def limits_figure(Ts, smax, top: float, upper, S, dark: bool = False, ties: int = 1) -> dict:
    """Left: the soft max T·LSE_T(z) against T (log axis) between max z and max z + T log n. Right: the soft argmax
    S_j(T) per j. ``Ts`` ``(k,)``, ``smax`` ``(k,)``, ``upper`` ``(k,)`` = max z + T log n, ``S`` ``(k, n)``;
    ``ties`` = how many logits share the max (the title then says softmax splits, not that it turns one-hot)."""
    Ts, S = np.asarray(Ts, float), np.asarray(S, float)
    n, ink = S.shape[1], palette_ink(dark)
    t_text = fmt.nums(Ts)
    layout = row_layout(2, spacing=0.1, titles=("soft max: T·LSE(z/T) → max z", "soft argmax: softmax(z/T)"))
    data = [
        on(1, {"type": "scatter", "x": typed(Ts), "y": typed(np.asarray(upper, float)), "mode": "lines",
               # a short name: a phone lays out two short legend entries a line, but one a line if any is long
               # (13 lines at n = 10, and a chart taller than the screen); the formula is the step's, under the chart
               "name": "upper bound", "line": {"color": "#8C8C8C", "dash": "dot", "width": 2},
               "customdata": hover(t_text, fmt.nums(np.asarray(upper, float), 6)),
               "hovertemplate": "T = %{customdata[0]}: bound %{customdata[1]}<extra></extra>"}),
        on(1, {"type": "scatter", "x": typed(Ts), "y": typed(np.asarray(smax, float)), "mode": "lines",
               "name": "T·LSE(z/T)", "line": {"color": ink, "width": 3},
               "customdata": hover(t_text, fmt.nums(np.asarray(smax, float), 6)),
               "hovertemplate": "T = %{customdata[0]}: T·LSE = %{customdata[1]}<extra></extra>"}),
        on(1, {"type": "scatter", "x": [float(Ts.min()), float(Ts.max())], "y": [top, top], "mode": "lines",
               "name": f"max z = {fmt.num(top, 4, unicode=True)}", "line": {"color": ink, "dash": "dash", "width": 1.5},
               "hoverinfo": "skip"}),
    ]
    for j in range(n):
        data.append(on(2, {"type": "scatter", "x": typed(Ts), "y": typed(S[:, j]), "mode": "lines",
                           "name": label("S", j), "line": {"color": color(j, dark), "width": 2.5,
                                                           "dash": ["solid", "dash", "dot", "dashdot"][j % 4]},
                           "customdata": hover(t_text, fmt.nums(S[:, j], 4)),
                           "hovertemplate": f"T = %{{customdata[0]}}: {label('S', j)} = %{{customdata[1]}}<extra></extra>"}))
    axes(layout, "x", type="log", dtick=1, title={"text": "temperature T (log scale)"}, autorange="reversed")  # decades only
    axis(layout, "yaxis", title={"text": "value"})
    axis(layout, "yaxis2", title={"text": "Sⱼ"}, range=[-0.02, 1.02])
    rows = -(-(n + 3) // 2)  # legend lines below the plots: two entries a line, each half the plots' width
    # the plots keep 230 px whatever n; the legend starts 70 px below them, clear of the axis titles; 76 px above them
    # hold the title and the panel titles (a step's figure and its controls fit a laptop's and a projector's screen)
    layout.update(height=376 + 24 * rows,
                  title={"text": "As T → 0: T·LSE → max z, softmax becomes argmax" if ties == 1
                         else f"As T → 0: T·LSE → max z, softmax splits 1/{ties} over the ties"},
                  legend={"orientation": "h", "yanchor": "top", "y": -70 / 230, "x": 0, "entrywidth": 0.5,
                          "entrywidthmode": "fraction"},
                  margin={"b": 70 + 24 * rows, "t": 76})
    return figure(data, layout)


def targets_figure(S, q, grad, grad_label: str, dark: bool = False, height: int = 380, screen: str = LAPTOP) -> dict:
    """Left: the student's S against the target q per class (grouped bars: S solid, q hatched). Right: the gradient
    per class, coloured by class j, negative bars hatched. All ``(n,)``. ``height``: the chart's, with its legend
    under the plots."""
    S, q, grad = (np.asarray(a, float) for a in (S, q, grad))
    n, ink = S.size, palette_ink(dark)
    xs = [label("z", j) for j in range(n)]
    cols = [color(j, dark) for j in range(n)]
    layout = row_layout(2, spacing=0.1, titles=("student S against target q", grad_label))
    data = [
        on(1, {"type": "bar", "x": xs, "y": typed(S), "name": "S (student)",
               "marker": {"color": cols, "line": {"color": ink, "width": 0.8}},
               "customdata": fmt.nums(S, 4), "hovertemplate": "S at %{x}: %{customdata}<extra></extra>"}),
        on(1, {"type": "bar", "x": xs, "y": typed(q), "name": "q (target, hatched)",
               "marker": {"color": cols, "line": {"color": ink, "width": 0.8},
                          "pattern": {"shape": "x", "fgcolor": ink, "size": 7}},
               "customdata": fmt.nums(q, 4), "hovertemplate": "q at %{x}: %{customdata}<extra></extra>"}),
        on(2, {"type": "bar", "x": xs, "y": typed(grad), "name": "gradient (negative hatched)", "showlegend": False,
               "marker": {"color": cols, "line": {"color": ink, "width": 0.8},
                          "pattern": {"shape": ["/" if v < 0 else "" for v in grad.tolist()], "fgcolor": ink, "size": 6}},
               "customdata": fmt.nums(grad, 4), "hovertemplate": "%{x}: %{customdata}<extra></extra>"}),
    ]
    axis(layout, "yaxis", title={"text": "probability"}, range=[0, 1.05])
    axis(layout, "yaxis2", title={"text": "∂L/∂zⱼ"}, zeroline=True)
    axes(layout, "x", type="category")
    # no title over the plots, only the panels' own: a top margin that holds them (and, on a phone, plotly's toolbar
    # over the first); the two legend entries share a line
    layout.update(height=height, barmode="group", bargap=0.25,
                  legend={"orientation": "h", "yanchor": "top", "y": -0.15, "x": 0, "entrywidth": 0.5,
                          "entrywidthmode": "fraction"},
                  margin={"b": 90, "t": 60 if screen == PHONE else 40})
    return figure(data, layout)


def smoothing_figure(gap, onehot, smoothed, d_star: float, L_star: float, eps: float, dark: bool = False) -> dict:
    """CE along z = (d, 0, …, 0) against the one-hot and the ε-smoothed target; the smoothed optimum d* marked
    (``d_star`` may be inf for ε = 0: then nothing is marked)."""
    ink = palette_ink(dark)
    gap_text = fmt.nums(np.asarray(gap, float))
    data = [
        {"type": "scatter", "x": typed(np.asarray(gap, float)), "y": typed(np.asarray(onehot, float)), "mode": "lines",
         "name": "one-hot target: falls for ever", "line": {"color": "#8C8C8C", "dash": "dash", "width": 2.5},
         "customdata": hover(gap_text, fmt.nums(np.asarray(onehot, float), 4)),
         "hovertemplate": "gap %{customdata[0]}: loss %{customdata[1]}<extra></extra>"},
        {"type": "scatter", "x": typed(np.asarray(gap, float)), "y": typed(np.asarray(smoothed, float)), "mode": "lines",
         "name": f"smoothed target, ε = {fmt.num(eps, 6, unicode=True)}", "line": {"color": ink, "width": 3},
         "customdata": hover(gap_text, fmt.nums(np.asarray(smoothed, float), 4)),
         "hovertemplate": "gap %{customdata[0]}: loss %{customdata[1]}<extra></extra>"},
    ]
    title = ("Label smoothing: the loss has a minimum at a finite logit gap" if np.isfinite(d_star) else
             "No smoothing (ε = 0): the loss falls for ever as the gap grows")
    layout = {"height": 380, "title": {"text": title},
              "xaxis": {"title": {"text": "logit gap d = z<sub>y</sub> − z<sub>k</sub> (every other logit 0)"}},
              "yaxis": {"title": {"text": "cross-entropy"}, "rangemode": "tozero"},
              "legend": {"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0}, "margin": {"b": 110, "t": 60}}
    if np.isfinite(d_star):
        data.append({"type": "scatter", "x": [d_star], "y": [L_star], "mode": "markers+text",
                     "name": f"optimum d* = {fmt.num(d_star, 4, unicode=True)}",
                     "text": [f"d* = {fmt.num(d_star, unicode=True)}"], "textposition": "top center", "textfont": {"color": ink},
                     "marker": {"symbol": "diamond", "size": 14, "color": "#D55E00", "line": {"color": ink, "width": 1.5}}})
        layout["shapes"] = [vline(d_star, color="#D55E00", dash="dot", width=1.5)]
    return figure(data, layout)


def row_column_figure(J, i: int, dz, g, dark: bool = False) -> dict:
    """The same small J twice: left with row i outlined (the reader's A, B, C, weighted by the nudges Δz), right with
    column i outlined (what backpropagation adds, weighted by g). ``J`` ``(n, n)``, ``dz`` and ``g`` ``(n,)`` label
    the weights beside the outlined cells."""
    J = np.asarray(J, float)
    n, ink = J.shape[0], palette_ink(dark)
    xs, ys = [label("z", j) for j in range(n)], [label("S", k) for k in range(n)]
    zmax = float(np.abs(J).max()) or 1.0
    layout = row_layout(2, spacing=0.14, titles=(f"row {label('S', i)}: ΔS{label('', i)} ≈ Σⱼ J{label('', i)}ⱼ·Δzⱼ",
                                                 f"column {label('z', i)}: ∂L/∂z{label('', i)} = Σₖ gₖ·Jₖ{label('', i)}"))
    text = cell_text(J, wrap=True)  # "−4.2e−18" on one line ran into the next cell at saturation
    values = n <= 3  # two panels in a half-width column: at n = 4 a cell is narrower than "+0.089"
    data = []
    for c in (1, 2):
        data.append(on(c, {"type": "heatmap", "z": typed(J), "x": xs, "y": ys, "text": text,
                           "texttemplate": "%{text}" if values else "",  # beyond, the hover and the data table
                           "colorscale": DIVERGING_DARK if dark else DIVERGING, "zmid": 0.0, "zmin": -zmax, "zmax": zmax,
                           "showscale": c == 2, "xgap": 1, "ygap": 1, "textfont": {"size": 14 if n <= 4 else 11},
                           "colorbar": {"title": {"text": "∂Sᵢ/∂zⱼ"}, "thickness": 12},
                           "customdata": fmt.nums(J, 6), "hovertemplate": "∂%{y}/∂%{x} = %{customdata}<extra></extra>"}))
    h = 0.5
    shapes = [
        {"type": "rect", "xref": "x", "yref": "y", "x0": -h, "x1": n - h, "y0": i - h, "y1": i + h,
         "line": {"color": ink, "width": 4}},
        {"type": "rect", "xref": "x2", "yref": "y2", "x0": i - h, "x1": i + h, "y0": -h, "y1": n - h,
         "line": {"color": ink, "width": 4}},
    ]
    show = n <= 5  # the weights fit beside a small J; for larger n the data table holds them
    for a in ("xaxis", "xaxis2"):
        axis(layout, a, type="category", side="bottom", showgrid=False, title={"text": "input zⱼ"})
    if show:  # the nudges under the row's columns, as tick labels; they name the inputs, so no axis title is needed
        # (stacked on a phone, that title ran into the column panel's heading), and a short label fits a phone's column
        axis(layout, "xaxis", tickvals=xs, title={"text": ""},
             ticktext=[f"{x}<br>Δ{'+' if dz[j] > 0 else ''}{fmt.num(dz[j], 2, unicode=True)}" for j, x in enumerate(xs)])
    for a in ("yaxis", "yaxis2"):
        axis(layout, a, type="category", autorange="reversed", showgrid=False, title={"text": "output Sᵢ"})
    ann = layout.get("annotations", [])
    gtext = [f"g={fmt.num(g[k], unicode=True)}" for k in range(n)]
    ann += [{"xref": "x2 domain", "yref": "y2", "x": 1.01, "xanchor": "left", "y": k, "showarrow": False,
             "text": gtext[k], "font": {"size": 11, "color": ink}}
            for k in range(n) if show]
    # the colour bar clears the longest weight: "g=−1.07e+13" (z = (−3, 0, 3), T = 0.2) ran into its title at 1.13
    extra = max(0, max(len(t) for t in gtext) - 7) if show else 0
    for tr in data:
        tr["colorbar"]["x"] = (1.13 + 0.025 * extra) if show else 1.02
    layout.update(height=360 if n <= 5 else 480, shapes=shapes, annotations=ann,
                  title={"text": "Same numbers (J is symmetric), different sums"},
                  margin={"t": 90, "b": 90, "r": 120 + 8 * extra if show else 60})
    return figure(data, layout)
