"""Softmax on the triangle (n = 3): the grid's image, J's columns as arrows, the shift, the temperature path and the
cross-entropy arrow, each drawn at the student's S.

Arrays in, a plain plotly spec dict out (figures/spec.py); no maths here beyond layout: :mod:`core.geometry` computes
every point, tip and path in the drawing plane (``core.geometry.VERTICES`` and ``to_xy``). One colour per index j (the
vertex e_j, the arrow of ∂S/∂z_j); what is not an index is drawn in the theme's ink, and a second kind of arrow is
dashed, never told apart by colour alone. The triangle has no axes: its corners are labelled, and equal units keep it
equilateral.
"""

from __future__ import annotations

import numpy as np

from core import fmt

from .animation import animated
from .palette import color, label
from .palette import ink as palette_ink
from .screens import BUTTONS_PX, LAPTOP, LEGEND_ROW_PX, PHONE, cap_height
from .spec import figure, typed

__all__ = ["ce_arrow_figure", "columns_figure", "grid_figure", "shift_figure", "temperature_figure"]

_VERTEX_SHIFT = ((-14, -14), (14, -14), (0, 16))  # px: each corner's label sits outside the triangle


def _xy(a) -> np.ndarray:
    return np.asarray(a, dtype=float)


def _base(vertices, title: str, dark: bool, height: int, screen: str, target: int | None = None) -> tuple[list, dict]:
    """The triangle's outline, its corners e₁ e₂ e₃ in their index colours (the target's ringed), hidden equal axes."""
    V, ink = _xy(vertices), palette_ink(dark)
    ring = np.vstack([V, V[:1]])
    data = [{"type": "scatter", "x": typed(ring[:, 0]), "y": typed(ring[:, 1]), "mode": "lines", "name": "the simplex",
             "line": {"color": ink, "width": 2}, "hoverinfo": "skip", "showlegend": False},
            {"type": "scatter", "x": typed(V[:, 0]), "y": typed(V[:, 1]), "mode": "markers", "showlegend": False,
             "marker": {"size": 13, "color": [color(j, dark) for j in range(3)],
                        "line": {"color": ink, "width": [3.5 if j == target else 1 for j in range(3)]},
                        "symbol": ["star" if j == target else "circle" for j in range(3)]},
             "text": [f"{label('e', j)}: {label('S', j)} = 1" for j in range(3)],
             "hovertemplate": "%{text}<extra></extra>"}]
    font = 15 if screen == PHONE else 17
    annotations = [{"x": float(V[j, 0]), "y": float(V[j, 1]), "xref": "x", "yref": "y", "showarrow": False,
                    "text": f"<b>{label('e', j)}</b>" + (" (target y)" if j == target else ""),
                    "xshift": _VERTEX_SHIFT[j][0] * (2.2 if j == target and j < 2 else 1), "yshift": _VERTEX_SHIFT[j][1],
                    "font": {"size": font, "color": color(j, dark)}} for j in range(3)]
    layout = {"title": {"text": title}, "height": cap_height(height, screen), "showlegend": True,
              "legend": {"orientation": "h", "x": 0, "y": -0.02, "yanchor": "top"},
              "margin": {"t": 70, "b": 70, "l": 20, "r": 20},
              "xaxis": {"visible": False, "range": [-0.16, 1.16]},
              "yaxis": {"visible": False, "range": [-0.1, 0.95], "scaleanchor": "x", "scaleratio": 1},
              "annotations": annotations}
    return data, layout


def _point(xy, S, dark: bool, name: str = "your S", hover: str | None = None) -> dict:
    """The student's point, in the ink; its hover is S's entries, or ``hover``."""
    xy, ink = _xy(xy), palette_ink(dark)
    text = hover if S is None else "S = (" + ", ".join(fmt.num(s, unicode=True) for s in _xy(S)) + ")"
    return {"type": "scatter", "x": [float(xy[0])], "y": [float(xy[1])], "mode": "markers", "name": name,
            "marker": {"size": 14, "color": ink, "symbol": "circle", "line": {"color": ink, "width": 1}},
            "text": [text], "hovertemplate": "%{text}<extra></extra>"}


def _arrow(tail, tip, colour: str, width: float = 2.5) -> dict:
    """A layout annotation drawn as a solid arrow from ``tail`` to ``tip`` in data coordinates."""
    tail, tip = _xy(tail), _xy(tip)
    return {"x": float(tip[0]), "y": float(tip[1]), "ax": float(tail[0]), "ay": float(tail[1]), "xref": "x", "yref": "y",
            "axref": "x", "ayref": "y", "text": "", "showarrow": True, "arrowhead": 2, "arrowsize": 1.2,
            "arrowwidth": width, "arrowcolor": colour}


def grid_figure(vertices, grid_xy, S_xy, S, dark: bool = False, height: int = 520, screen: str = LAPTOP,
                title: str = "Every logit vector lands inside the triangle") -> dict:
    """The image of a square grid of logits (``grid_xy`` ``(2, L, P, 2)``: two families of L lines of P points, from
    :func:`core.geometry.grid_image`) and the student's point ``S_xy`` ``(2,)`` (``S`` ``(3,)`` for its hover)."""
    G, ink = _xy(grid_xy), palette_ink(dark)
    data, layout = _base(vertices, title, dark, height, screen)
    for fam, dash in ((0, "solid"), (1, "dot")):
        # one trace per family: the lines joined with gaps (None), so a 9 × 9 grid costs two traces, not eighteen
        xs, ys = [], []
        for line in G[fam]:
            xs += [*line[:, 0].tolist(), None]
            ys += [*line[:, 1].tolist(), None]
        data.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "hoverinfo": "skip",
                     "name": "grid lines, u₁ fixed" if fam == 0 else "grid lines, u₂ fixed",
                     "line": {"color": ink, "width": 1, "dash": dash}, "opacity": 0.45})
    data.append(_point(S_xy, S, dark))
    return figure(data, layout)


def columns_figure(vertices, S_xy, S, tips, actual=None, dz: float = 1.0, dark: bool = False, height: int = 520,
                   screen: str = LAPTOP) -> dict:
    """J's columns as arrows at S: arrow j (colour of j) runs from ``S_xy`` to ``tips[j]`` = S + Δz·∂S/∂z_j in the plane,
    the linear prediction for a nudge Δz = ``dz`` of z_j; ``actual`` ``(3, 2)`` (optional) marks where S really goes.
    From :func:`core.geometry.column_arrows`."""
    tips = _xy(tips)
    per = "" if dz == 1 else f" (drawn for Δz = {fmt.num(dz, unicode=True)})"
    data, layout = _base(vertices, f"Nudge one zⱼ: S moves along the triangle, towards eⱼ{per}", dark, height, screen)
    anns = layout["annotations"]
    for j in range(3):
        anns.append(_arrow(S_xy, tips[j], color(j, dark)))
        data.append({"type": "scatter", "x": [float(tips[j, 0])], "y": [float(tips[j, 1])], "mode": "markers",
                     "name": f"∂S/∂{label('z', j)} (column {j + 1} of J)", "marker": {"size": 6, "color": color(j, dark)},
                     "hovertemplate": f"S + Δz·∂S/∂{label('z', j)}<extra></extra>"})
    if actual is not None:
        A = _xy(actual)
        data.append({"type": "scatter", "x": typed(A[:, 0]), "y": typed(A[:, 1]), "mode": "markers",
                     "name": "true S(z + Δz eⱼ)", "hovertemplate": "true S after the nudge<extra></extra>",
                     "marker": {"size": 11, "symbol": "circle-open", "color": [color(j, dark) for j in range(3)],
                                "line": {"width": 2}}})
    data.append(_point(S_xy, S, dark))
    return figure(data, layout)


def shift_figure(vertices, S_xy, S, shifted_xy, c: float, dark: bool = False, height: int = 520,
                 screen: str = LAPTOP) -> dict:
    """S(z) (filled) and S(z + c𝟙) (an open ring around it): the same point. From :func:`core.geometry.shift_check`."""
    ink = palette_ink(dark)
    data, layout = _base(vertices, f"Add c = {fmt.num(c, unicode=True)} to every zⱼ: S stays where it is", dark,
                         height, screen)
    data.append(_point(S_xy, S, dark, "S(z)"))
    xy = _xy(shifted_xy)
    data.append({"type": "scatter", "x": [float(xy[0])], "y": [float(xy[1])], "mode": "markers",
                 "name": f"S(z + {fmt.num(c, unicode=True)}·𝟙)", "hovertemplate": "S(z + c𝟙)<extra></extra>",
                 "marker": {"size": 26, "symbol": "circle-open", "color": ink, "line": {"width": 2.5}}})
    return figure(data, layout)


def temperature_figure(vertices, path_xy, Ts, cold_xy, hot_xy, at_xy, at_T: float, cold_name: str,
                       dark: bool = False, height: int = 520, screen: str = LAPTOP, frames: int = 0) -> dict:
    """The path T ↦ S(z/T) (``path_xy`` ``(k, 2)`` at ``Ts`` ``(k,)``, cold to hot), its limits ``cold_xy`` (named
    ``cold_name``, e.g. "the vertex e₁") and ``hot_xy`` (the centre), and the student's S at T = ``at_T``.
    From :func:`core.geometry.temperature_path`.

    ``frames`` > 0 adds a marker that runs along the path, hot to cold, as plotly frames (play, pause and scrub in the
    browser): about ``frames`` of the path's own points, each labelled with its T."""
    P, Ts, ink = _xy(path_xy), _xy(Ts), palette_ink(dark)
    title = f"Temperature: T → 0 leads to {cold_name}, T → ∞ to the centre"
    two = len(title) > 64 and screen != PHONE  # a tie's "the midpoint of the edge e₁e₂" ran off a slide's chart
    data, layout = _base(vertices, title.replace(", T → ∞", ",<br>T → ∞") if two else title, dark, height, screen)
    if two:  # the second line takes room from the top margin, not from the corner e₃ (a phone wraps its own titles)
        layout["margin"] = {**layout["margin"], "t": layout["margin"]["t"] + 28}
        layout["height"] += 28
    data.append({"type": "scatter", "x": typed(P[:, 0]), "y": typed(P[:, 1]), "mode": "lines", "name": "S(z/T), every T",
                 "line": {"color": ink, "width": 3}, "customdata": fmt.nums(Ts),
                 "hovertemplate": "T = %{customdata}<extra></extra>"})
    # short legend names (the title says where each limit is; the hover says it again)
    for xy, name, hover, symbol in ((cold_xy, "limit T → 0", f"T → 0: {cold_name}", "diamond-open"),
                                    (hot_xy, "limit T → ∞", "T → ∞: the centre", "square-open")):
        xy = _xy(xy)
        data.append({"type": "scatter", "x": [float(xy[0])], "y": [float(xy[1])], "mode": "markers", "name": name,
                     "marker": {"size": 16, "symbol": symbol, "color": ink, "line": {"width": 2.5}},
                     "hovertemplate": hover + "<extra></extra>"})
    at = f"your S, T = {fmt.num(at_T, unicode=True)}"
    data.append(_point(at_xy, None, dark, at, hover=f"your S at T = {fmt.num(at_T, unicode=True)}"))
    spec = figure(data, layout)
    if frames > 0 and len(Ts) > 1:
        picks = list(range(len(Ts) - 1, -1, -max(1, len(Ts) // int(frames))))  # hot → cold: the path's own points
        # the marker starts where the slider does: on the last frame, the coldest point (as animated() sets it)
        data.append({"type": "scatter", "x": [float(P[picks[-1], 0])], "y": [float(P[picks[-1], 1])], "mode": "markers",
                     "name": "S as T falls", "hoverinfo": "skip",
                     "marker": {"size": 16, "symbol": "circle-open-dot", "color": ink, "line": {"width": 2.5}}})
        k = len(data) - 1
        moves = [{"name": str(n), "data": [{"x": [float(P[p, 0])], "y": [float(P[p, 1])]}], "traces": [k]}
                 for n, p in enumerate(picks)]
        # Play / Pause 20 px under the plot, the scrub slider under them (animated). The legend may not sit right under
        # the plot, where it wrapped into the buttons: on a phone it goes under the slider (five rows, one entry a row);
        # elsewhere beside the triangle, which leaves most of a step's column empty anyway
        lay = spec["layout"]
        if screen == PHONE:
            lay["margin"] = {**lay["margin"], "b": lay["margin"]["b"] + 5 * LEGEND_ROW_PX + 30}
            lay["height"] = lay["height"] + 5 * LEGEND_ROW_PX + 30
        else:
            lay["legend"] = {"orientation": "v", "x": 1.02, "xanchor": "left", "y": 0.5, "yanchor": "middle"}
            lay["margin"] = {**lay["margin"], "b": lay["margin"]["b"] + 10}
            lay["height"] = lay["height"] + 10
        plot_h = lay["height"] - lay["margin"]["t"] - lay["margin"]["b"]
        y = -20 / plot_h
        if screen == PHONE:
            lay["legend"] = {**lay["legend"], "y": y - (BUTTONS_PX + 36) / plot_h}
        animated(spec, moves, 120, "T = ", dark, y=y, ticks=False)
        for st, p in zip(spec["layout"]["sliders"][0]["steps"], picks, strict=True):
            st["label"] = fmt.num(Ts[p], 3, unicode=True)  # the readout names T, the frame keeps its index
    return spec


def ce_arrow_figure(vertices, S_xy, S, tip_xy, y: int, move_tip_xy=None, arrow_label: str = "−∂L/∂z = y − S",
                    dark: bool = False, height: int = 520, screen: str = LAPTOP) -> dict:
    """The cross-entropy arrow y − S from ``S_xy`` to ``tip_xy`` (y's vertex, ringed), solid in the ink; and, if given,
    the first-order move of S under that step, J(y − S), dashed to ``move_tip_xy``. From :func:`core.geometry.ce_arrow`."""
    ink = palette_ink(dark)
    data, layout = _base(vertices, f"The cross-entropy gradient points from S to {label('e', y)}", dark, height, screen,
                         target=int(y))
    layout["annotations"].append(_arrow(S_xy, tip_xy, ink, width=3))
    data.append({"type": "scatter", "x": [None], "y": [None], "mode": "lines", "name": arrow_label,
                 "line": {"color": ink, "width": 3}, "hoverinfo": "skip"})
    if move_tip_xy is not None:  # a dashed shaft with an arrowhead marker: an annotation's arrow cannot be dashed
        tail, m = _xy(S_xy), _xy(move_tip_xy)
        data.append({"type": "scatter", "x": [float(tail[0]), float(m[0])], "y": [float(tail[1]), float(m[1])],
                     "mode": "lines+markers", "name": "S's first move, J(y − S) (dashed)",
                     "line": {"color": ink, "width": 2.5, "dash": "dash"},
                     "marker": {"size": [0, 13], "symbol": "arrow", "angleref": "previous", "color": ink},
                     "hovertemplate": "S + J(y − S)<extra></extra>"})
    data.append(_point(S_xy, S, dark))
    return figure(data, layout)
