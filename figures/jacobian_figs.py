r"""The Jacobian as a picture: heatmaps of J (rows S₁…Sₙ top to bottom, columns z₁…zₙ left to right),
the saturation sweep as plotly frames, the saturation curve s(1 − s), and the misconception's chain-rule error.

Arrays in, a plain plotly spec dict out (figures/spec.py; no ``go.Figure`` and its validation on a page's hot path):
no maths here beyond layout (the pages and ``core`` compute every number).
Every signed cell carries a + / − glyph, so sign never relies on colour alone, and the diverging scale is
centred at 0 with a symmetric range, so white means exactly 0.
"""

from __future__ import annotations

import functools

import numpy as np

from core import fmt
from core.fmt import num, signed

from .animation import PLAY, buttons, controls, scrubber, step
from .palette import DIVERGING, DIVERGING_DARK, color, label
from .palette import ink as palette_ink
from .screens import LAPTOP, PHONE, PHONE_MAX_HEIGHT, SLIDE, TITLE_LINE_PX, cap_height
from .spec import figure, hover, typed

__all__ = ["cell_text", "chain_bars", "jacobian_heatmap", "jacobian_sweep", "misconception_panels",
           "saturation_curve"]


def cell_text(M, digits: int = 3, wrap: bool = False) -> list[list[str]]:
    """The annotation of every cell of M, with its sign glyph (:func:`core.fmt.signed`).

    ``wrap``: a tiny entry's power of ten on two lines, mantissa over power ("−4.2<br>×10⁻¹⁸"), so it is no wider than
    "+0.123" and stays inside a narrow cell instead of running into its neighbours (at saturation)."""
    text = [[signed(v, digits) for v in row] for row in np.asarray(M, dtype=float).tolist()]
    if wrap:
        text = [[t.replace("×", "<br>×", 1) for t in row] for row in text]
    return text


def _ticks(symbol: str, n: int, dark: bool) -> tuple[list[str], list[str]]:
    """Category values and their labels, each label in its index's colour (bold, so yellow stays legible)."""
    values = [label(symbol, k) for k in range(n)]
    texts = [f"<b><span style='color:{color(k, dark)}'>{v}</span></b>" for k, v in enumerate(values)]
    return values, texts


def _font_size(n: int) -> int:
    # 10 px from n = 8: a cell of "−0.0078" (fmt.signed keeps two figures below 0.01) ran into its neighbours at 11 px
    # in a laptop's 47 px cell at n = 10, and at 11 × 1.4 px in a 1280×720 projector's 64 px cell
    return 15 if n <= 4 else 13 if n <= 6 else 11 if n <= 7 else 10


# The largest n whose cell values fit their cells ("+0.123" in the font of _font_size), per screen: a phone's plot is
# about 270 px wide; three panels side by side leave a laptop about 5 columns each. Beyond it the values are in the
# hover and the data table.
VALUES_UP_TO = {PHONE: 4, LAPTOP: 10, SLIDE: 10}
# The same for a matrix in half a column (two charts side by side): at n = 4 and 5 on a laptop "+0.094" ran into its
# neighbours ("0.0960.039"). A phone stacks the two charts, so each has the whole width.
HALF_VALUES_UP_TO = {PHONE: 4, LAPTOP: 3, SLIDE: 3}


@functools.lru_cache(maxsize=16)
def _cell_names(n: int) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(f"∂{label('S', i)}/∂{label('z', j)} = " for j in range(n)) for i in range(n))


def _hover_cells(M, n: int) -> list[list[str]]:
    """Each cell's hover, ∂Sᵢ/∂zⱼ = its value printed through core.fmt (never d3's %{z:.6g}: "2.21e-05", "-")."""
    values, names = fmt.nums(np.asarray(M, dtype=float), 6), _cell_names(n)
    return [[names[i][j] + values[i][j] for j in range(n)] for i in range(n)]


def _heatmap_trace(M, n: int, zmax: float, dark: bool, digits: int, values: bool = True, wrap: bool = False) -> dict:
    return {
        "type": "heatmap", "z": typed(np.asarray(M, dtype=float)), "x": _ticks("z", n, dark)[0], "y": _ticks("S", n, dark)[0],
        "text": cell_text(M, digits, wrap), "texttemplate": "%{text}" if values else "", "customdata": _hover_cells(M, n),
        "hovertemplate": "%{customdata}<extra></extra>",
        "colorscale": DIVERGING_DARK if dark else DIVERGING, "zmid": 0.0, "zmin": -zmax, "zmax": zmax,
        "textfont": {"size": _font_size(n)}, "xgap": 1, "ygap": 1,
        "colorbar": {"title": {"text": "∂S<sub>i</sub>/∂z<sub>j</sub>"}, "thickness": 14},
    }


def _matrix_layout(n: int, dark: bool, row: str, col: str, title: str, height: int, bottom: int) -> dict:
    xs, xt = _ticks("z", n, dark)
    ys, yt = _ticks("S", n, dark)
    return {
        "title": {"text": title, "y": 0.985, "yref": "container", "yanchor": "top"}, "height": height,
        "margin": {"t": 120, "l": 70, "r": 20, "b": bottom},
        "xaxis": {"title": {"text": col}, "type": "category", "tickvals": xs, "ticktext": xt, "side": "top",
                  "showgrid": False, "tickfont": {"size": 15}},
        # row 1 at the top, as in a matrix
        "yaxis": {"title": {"text": row}, "type": "category", "tickvals": ys, "ticktext": yt, "autorange": "reversed",
                  "showgrid": False, "tickfont": {"size": 15}},
    }


def _symmetric_range(M, zmax: float | None) -> float:
    m = float(np.abs(np.asarray(M, dtype=float)).max()) if zmax is None else float(zmax)
    return m if m > 0 else 1.0  # an all-zero matrix still needs a non-empty, symmetric range


def jacobian_heatmap(J, title: str = "The Jacobian J", dark: bool = False, zmax: float | None = None,
                     row: str = "output Sᵢ (row i)", col: str = "input zⱼ (column j)", digits: int = 3,
                     height: int = 480, screen: str = LAPTOP, half: bool = False) -> dict:
    """A heatmap of an (n, n) matrix read as ∂S_i/∂z_j: rows S₁…Sₙ top to bottom, columns z₁…zₙ left to right.

    ``zmax`` fixes the symmetric colour range [−zmax, zmax] (default: max |J|), so several heatmaps can share a scale.
    Cell values print where they fit (:data:`VALUES_UP_TO`, or :data:`HALF_VALUES_UP_TO` for a chart in ``half`` a
    column); on a phone the colour bar lies under the matrix.
    """
    M = np.asarray(J, dtype=float)
    n = M.shape[0]
    trace = _heatmap_trace(M, n, _symmetric_range(M, zmax), dark, digits,
                           n <= (HALF_VALUES_UP_TO if half else VALUES_UP_TO)[screen],
                           wrap=True)  # "−6.4×10⁻⁴" on one line ran into the next cell at n = 10, as in the sweep
    if half:  # "+0.231" at 15 px ran into its neighbours in a laptop's 52 px cells (the step's figure column, halved)
        trace["textfont"] = {"size": min(_font_size(n), 12)}
    layout = _matrix_layout(n, dark, row, col, title, cap_height(height, screen), 20)
    if screen == PHONE:
        _colorbar_below(trace, layout, 20)
    return figure([trace], layout)


def _colorbar_below(holder: dict, layout: dict, bottom: int) -> None:
    """A phone's colour bar: horizontal, under the plot, so the matrix gets the whole width."""
    holder["colorbar"] = {**holder["colorbar"], "orientation": "h", "thickness": 10, "x": 0.0, "xanchor": "left",
                          "len": 1.0, "y": -0.04, "yanchor": "top", "title": {**holder["colorbar"]["title"], "side": "top"}}
    layout["margin"] = {**layout["margin"], "b": layout["margin"]["b"] + 70, "l": 60, "r": 10}
    layout["height"] = layout["height"] + 70


def jacobian_sweep(Js, values, name: str = "T", dark: bool = False, digits: int = 3, height: int = 540,
                   screen: str = LAPTOP, half: bool = False) -> dict:
    """The heatmap of J animated over a sweep (plotly frames: play, pause and scrub run in the browser).

    ``Js`` (steps, n, n) are the matrices, ``values`` (steps,) the swept parameter named ``name``.
    One symmetric colour range for all frames, so a vanishing J fades to white. Cell values as in
    :func:`jacobian_heatmap` (``half``: the chart has half a column).
    """
    Js = np.asarray(Js, dtype=float)
    values = np.asarray(values, dtype=float)
    n = Js.shape[1]
    zmax = _symmetric_range(Js, None)
    peaks = np.abs(Js).max(axis=(1, 2))
    titles = [f"J at {name} = {num(v, unicode=True)}: max |∂Sᵢ/∂zⱼ| = {num(p, 2, unicode=True)}"
              for v, p in zip(values, peaks, strict=True)]
    height = cap_height(height, screen)
    shown = n <= (HALF_VALUES_UP_TO if half else VALUES_UP_TO)[screen]
    frames = [{"name": str(k),
               "data": [{"type": "heatmap", "z": typed(M), "customdata": _hover_cells(M, n),
                         **({"text": cell_text(M, digits, True)} if shown else {})}],
               "traces": [0],
               "layout": {"title": {"text": t}}} for k, (M, t) in enumerate(zip(Js, titles, strict=True))]
    steps = [step(str(k), num(v, 2, unicode=True)) for k, v in enumerate(values)]
    layout = _matrix_layout(n, dark, "output Sᵢ (row i)", "input zⱼ (column j)", titles[0], height, 150)
    plot_h = max(height - 120 - 150, 100)  # the controls sit a fixed number of pixels under the matrix
    controls(layout, buttons(((PLAY, 350),)), scrubber(steps, f"{name} = ", dark, size=13), -8 / plot_h, plot_h=plot_h)
    trace = _heatmap_trace(Js[0], n, zmax, dark, digits, shown, wrap=True)
    if screen == PHONE:  # colour bar to the right, as on a laptop: under the matrix it would meet the controls
        trace["colorbar"] = {**trace["colorbar"], "thickness": 10}
    return figure([trace], layout, frames)


def misconception_panels(J, wrong, dropped, dark: bool = False, digits: int = 2, height: int = 460, T: float = 1.0,
                         screen: str = LAPTOP) -> dict:
    """Three heatmaps on one colour scale, read as an equation: true J = elementwise diag(S(1 − S)) + what it drops.

    ``J``, ``wrong`` and ``dropped`` (= J − wrong) are (n, n). Side by side on a laptop or a slide, cells annotated up
    to n = 3 (a panel is a third of the column: at n = 4 "+0.09" no longer fits its cell), with two decimals in a
    smaller font side by side ("−0.370" in 15 px ran over a 43 px cell at 1366 px); stacked on a phone, annotated up
    to n = 4. Where they are not printed, the hover and the data table carry the numbers.
    """
    J, wrong, dropped = (np.asarray(M, dtype=float) for M in (J, wrong, dropped))
    n = J.shape[0]
    phone = screen == PHONE
    zmax = _symmetric_range(J, None)
    xs, xt = _ticks("z", n, dark)
    ys, yt = _ticks("S", n, dark)
    per_T = "" if T == 1 else f"/{num(T, 6, unicode=True)}"  # the titles name exactly what the panels hold: J carries a 1/T
    titles = ("the true J", f"= elementwise<br>p(1 − p){per_T}", "+ the terms it drops")  # two lines: no overlap
    colorbar = {"title": {"text": "∂S<sub>i</sub>/∂z<sub>j</sub>"}, "thickness": 12}
    if phone:  # one panel per row, each titled above its column labels; the colour bar under the last
        # px: a gap holds the next panel's title and its column labels; the three panels share a phone's screen (at
        # n = 10, 28 px a row made the chart 1,371 px tall on an 844 px screen), so a panel gets less from n = 3 on
        # (121 px, not 124)
        gap, top, bottom = 74, 135, 90
        panel = min(28 * n + 40, (PHONE_MAX_HEIGHT - top - bottom - 2 * gap - 2 * TITLE_LINE_PX) // 3)
        plot_h = 3 * panel + 2 * gap
        domains = [((0.0, 1.0), (1 - (k * (panel + gap) + panel) / plot_h, 1 - k * (panel + gap) / plot_h))
                   for k in range(3)]
        height = plot_h + top + bottom
        margin = {"t": top, "l": 60, "r": 10, "b": bottom}
        colorbar.update(orientation="h", thickness=10, x=0.0, xanchor="left", len=1.0, y=-0.02, yanchor="top")
        colorbar["title"]["side"] = "top"
    else:
        domains = [(x, (0.0, 1.0)) for x in ((0.0, 0.29), (0.355, 0.645), (0.71, 1.0))]
        height = cap_height(height, screen)
        margin = {"t": 170 if screen == SLIDE else 135, "l": 60, "r": 20, "b": 20}
    values = n <= (4 if phone else 3)
    data, layout = [], {"height": height, "margin": margin,
                        # one short line, also at T ≠ 1 ("−SᵢSⱼ/2.5"): plotly lifts a two-line title anchored at the
                        # top above the chart's edge by about a line, and a long line ran past a narrow chart's edge
                        "title": {"text": f"The true J = diagonal + dropped −SᵢSⱼ{per_T}",
                                  "y": 1.0, "yref": "container", "yanchor": "top", "pad": {"t": 12}},
                        "coloraxis": {"colorscale": DIVERGING_DARK if dark else DIVERGING, "cmin": -zmax, "cmax": zmax,
                                      "cmid": 0.0, "colorbar": colorbar},
                        "annotations": []}
    for k, (M, (xdom, ydom), title) in enumerate(zip((J, wrong, dropped), domains, titles, strict=True)):
        trace = _heatmap_trace(M, n, zmax, dark, digits, values, wrap=True)
        if not phone:
            trace["textfont"] = {"size": 12}
        for key in ("colorscale", "zmid", "zmin", "zmax", "colorbar"):
            trace.pop(key)
        trace.update(coloraxis="coloraxis", xaxis=f"x{k + 1 if k else ''}", yaxis=f"y{k + 1 if k else ''}")
        data.append(trace)
        suffix = str(k + 1) if k else ""
        layout[f"xaxis{suffix}"] = {"domain": list(xdom), "type": "category", "tickvals": xs, "ticktext": xt, "side": "top",
                                    "showgrid": False, "anchor": f"y{suffix}"}
        layout[f"yaxis{suffix}"] = {"domain": list(ydom), "type": "category", "tickvals": ys, "ticktext": yt,
                                    "autorange": "reversed", "showgrid": False, "anchor": f"x{suffix}",
                                    "showticklabels": phone or k == 0}
        layout["annotations"].append({"text": f"<b>{title}</b>", "x": sum(xdom) / 2, "y": ydom[1], "xref": "paper",
                                      "yref": "paper", "xanchor": "center", "yanchor": "bottom", "yshift": 28, "showarrow": False,
                                      "font": {"size": 14}})
    return figure(data, layout)


def _spread_labels(S) -> list[str]:
    """Text positions for markers at S: equal outputs (a tie) sit on one point, so their labels go to different
    sides of it instead of printing on top of each other."""
    sides, seen = ("top center", "bottom center", "middle right", "middle left", "top right"), {}
    out = []
    for v in np.round(np.asarray(S, dtype=float), 3):
        out.append(sides[seen.get(v, 0) % len(sides)])
        seen[v] = seen.get(v, 0) + 1
    return out


def saturation_curve(s, ds, S, dS, dark: bool = False, height: int = 420, T: float = 1.0) -> dict:
    """The curve ``ds = s(1 − s)`` over ``s`` and the current outputs (S_i, S_i(1 − S_i)), one marker per index.

    The maximum ¼ at s = ½ is marked: a diagonal entry of J can never exceed ¼ (÷T).
    """
    ink = palette_ink(dark)
    S, dS = np.asarray(S, dtype=float), np.asarray(dS, dtype=float)
    data = [
        {"type": "scatter", "x": typed(np.asarray(s, dtype=float)), "y": typed(np.asarray(ds, dtype=float)), "mode": "lines",
         "line": {"color": ink, "width": 2.5}, "name": "s(1 − s)",
         "customdata": hover(fmt.nums(np.asarray(s, dtype=float)), fmt.nums(np.asarray(ds, dtype=float), 4)),
         "hovertemplate": "S = %{customdata[0]}<br>S(1 − S) = %{customdata[1]}<extra></extra>"},
        # labels crowd for n > 5: then the colours, the hover and the data table say which output is which
        {"type": "scatter", "x": typed(S), "y": typed(dS), "mode": "markers+text" if S.size <= 5 else "markers",
         "name": "the current outputs", "text": [label("S", k) for k in range(S.size)], "textposition": _spread_labels(S),
         "marker": {"size": 14, "color": [color(k, dark) for k in range(S.size)], "line": {"color": ink, "width": 1.2}},
         "customdata": hover(fmt.nums(S, 4), fmt.nums(dS, 4)),
         "hovertemplate": "%{text}: S = %{customdata[0]}, S(1 − S) = %{customdata[1]}<extra></extra>"},
        {"type": "scatter", "x": [0.5], "y": [0.25], "mode": "markers", "name": "maximum ¼ at ½", "hoverinfo": "skip",
         "marker": {"symbol": "diamond-open", "size": 16, "color": ink}},
    ]
    layout = {
        # the marked outputs are the page's S at its T, where ∂Sᵢ/∂zᵢ = Sᵢ(1 − Sᵢ)/T: the curve is T times it
        # at T ≠ 1 on two lines: on one, a half-width column cut it off ("(your T = 0.2")
        "title": {"text": "∂Sᵢ/∂zᵢ = Sᵢ(1 − Sᵢ) at T = 1" if T == 1 else
                  f"Sᵢ(1 − Sᵢ) = T·∂Sᵢ/∂zᵢ<br>(your T = {num(T, 6, unicode=True)})"},
        "height": height, "showlegend": False,
        "margin": {"t": 60 if T == 1 else 85, "b": 80, "l": 60, "r": 20},
        "annotations": [{"x": 0.5, "y": 0.25, "text": "max ¼ at Sᵢ = ½", "showarrow": True, "arrowhead": 2, "ay": -30,
                         "font": {"color": ink}}],
        # two lines: on one, a half-width column cut it off ("output Sᵢ (saturated near 0 ar")
        "xaxis": {"title": {"text": "output Sᵢ<br>(saturates at 0, 1)"}, "range": [-0.02, 1.02]},
        "yaxis": {"title": {"text": "Sᵢ(1 − Sᵢ)"}, "range": [-0.01, 0.3]},
    }
    return figure(data, layout)


def chain_bars(true, wrong, dark: bool = False, height: int = 420, T: float = 1.0) -> dict:
    """∂L/∂z_j from the true J (solid) and from the elementwise misconception (hatched), side by side per z_j."""
    ink = palette_ink(dark)
    true, wrong = np.asarray(true, dtype=float), np.asarray(wrong, dtype=float)
    xs, xt = _ticks("z", true.size, dark)
    cats = [f"∂L/∂{x}" for x in xs]
    per_T = "" if T == 1 else f"/{num(T, 6, unicode=True)}"
    data = [
        {"type": "bar", "x": cats, "y": typed(true), "name": "true: gᵀJ", "marker": {"color": ink},
         "customdata": fmt.nums(true, 4), "hovertemplate": "%{x} = %{customdata} (true)<extra></extra>"},
        {"type": "bar", "x": cats, "y": typed(wrong), "name": "elementwise: gᵀdiag(S(1 − S))" + per_T,
         "marker": {"color": "rgba(0,0,0,0)", "line": {"color": ink, "width": 1.5},
                    "pattern": {"shape": "/", "fgcolor": ink, "size": 7}},
         "customdata": fmt.nums(wrong, 4), "hovertemplate": "%{x} = %{customdata} (elementwise)<extra></extra>"},
    ]
    layout = {
        # two lines: on one it ran past the half-width column at 1366 px ("… ∂Sᵢ/∂z" cut off)
        "title": {"text": "The chain rule with each matrix:<br>∂L/∂zⱼ = Σᵢ gᵢ ∂Sᵢ/∂zⱼ"}, "barmode": "group", "height": height,
        "legend": {"orientation": "h", "y": -0.2}, "margin": {"t": 85, "b": 90},
        "xaxis": {"type": "category", "tickvals": cats, "ticktext": [f"∂L/∂{t}" for t in xt]},
        "yaxis": {"title": {"text": "∂L/∂zⱼ"}, "zeroline": True, "zerolinecolor": ink},
    }
    return figure(data, layout)
