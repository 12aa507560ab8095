"""Training figures: decision regions animated over the snapshots beside the loss curve, and CE vs MSE curves.

Arrays in, a plain plotly spec dict out (figures/spec.py: no graph objects, no make_subplots). Region k and the
points of class k use color(k), the colour of S_k; each class also has its own marker symbol, so nothing relies on
colour alone.
"""

from __future__ import annotations

import numpy as np

from core import fmt

from .animation import animated
from .chain_figs import LOSS_STYLE, loss_color
from .palette import color, label, rgba
from .palette import ink as palette_ink
from .screens import LAPTOP, SLIDE
from .spec import axes, axis, figure, hover, on, row_layout, typed

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon", "pentagon", "bowtie")


def _closed(polys) -> list[list[tuple[list[float], list[float]]]]:
    """Every polygon (``polys[f][k]``: vertices ``(v, 2)``) as closed ``(xs, ys)`` lists rounded to 4 decimals, for
    all snapshots at once: one numpy rounding instead of one per polygon (a few hundred per figure)."""
    flat = [np.asarray(p, float).reshape(-1, 2) for ps in polys for p in ps]
    xy = np.concatenate(flat).round(4) if flat else np.zeros((0, 2))
    xs, ys, out, i = xy[:, 0].tolist(), xy[:, 1].tolist(), [], 0
    for p in flat:
        n = len(p)
        out.append(([*xs[i:i + n], xs[i]], [*ys[i:i + n], ys[i]]) if n else ([], []))
        i += n
    it = iter(out)
    return [[next(it) for _ in ps] for ps in polys]


def _region_traces(closed, dark: bool) -> list[dict]:
    out = []
    for k, (xs, ys) in enumerate(closed):
        out.append({"type": "scatter", "x": xs, "y": ys, "mode": "lines", "fill": "toself",
                    "fillcolor": rgba(color(k, dark), 0.28 if dark else 0.22),
                    "line": {"color": rgba(color(k, dark), 0.9), "width": 1}, "hoverinfo": "skip",
                    "name": f"region where {label('S', k)} is largest", "legendgroup": f"c{k}", "showlegend": False})
    return out


def _frame_title(epoch: int, loss: float, acc: float) -> str:
    return f"epoch {epoch}: loss {fmt.num(loss, 4, unicode=True)}, accuracy {fmt.percent(acc, 1)}"


def training_animation(U, y, polys, snap_epochs, snap_loss, snap_acc, loss_curve, box, axis_titles=("x₁", "x₂"),
                       diverged_at: int | None = None, loss_name: str = "cross_entropy",
                       dark: bool = False, height: int = 600, screen: str = LAPTOP) -> dict:
    """Left: the decision regions of every class (``polys[f][k]``: vertices ``(v, 2)`` of class k at snapshot f)
    over the data ``U`` ``(m, 2)`` (labels ``y`` 0-based). Right: the loss per epoch (``loss_curve``, finite part)
    with a marker at the snapshot's epoch. Frames: one per snapshot, with play, pause and a scrub slider;
    the figure opens on the last snapshot. Below a ``height`` of 600 px (a step's screen) the legend moves above the
    panels, so the plot keeps the height the legend took under the controls (room for a slide's larger type)."""
    U, y = np.asarray(U, float), np.asarray(y, int)
    snap_epochs = [int(e) for e in snap_epochs]
    snap_loss, snap_acc = np.asarray(snap_loss, float).tolist(), np.asarray(snap_acc, float).tolist()  # floats format faster
    curve = np.asarray(loss_curve, float)
    finite = np.isfinite(curve)
    K = len(polys[-1])
    name, dash = LOSS_STYLE.get(loss_name, ("loss", "solid"))
    # the loss axis is named by its panel's title: an axis title there sat in the gap between the panels, over the
    # regions' right edge, once its tick labels became powers of ten
    layout = row_layout(2, widths=[0.55, 0.45], spacing=0.1,
                        titles=("decision regions (largest Sₖ)", f"{name} loss (log scale)"))
    closed = _closed(polys)
    data = [on(1, tr) for tr in _region_traces(closed[-1], dark)]
    for k in range(K):
        sel = y == k
        mk = {"color": color(k, dark), "symbol": SYMBOLS[k % len(SYMBOLS)], "size": 8,
              "line": {"color": palette_ink(dark), "width": 1}}
        data.append(on(1, {"type": "scatter", "x": typed(U[sel, 0]), "y": typed(U[sel, 1]), "mode": "markers",
                           "legendgroup": f"c{k}", "name": f"class {k + 1} (target {label('S', k)})", "marker": mk,
                           "customdata": hover(*(fmt.nums(U[sel, c], each=lambda u: fmt.fixed(u, 2)) for c in (0, 1))),
                           "hovertemplate": f"class {k + 1}<br>(%{{customdata[0]}}, %{{customdata[1]}})<extra></extra>"}))
    epochs = np.arange(curve.size)
    data.append(on(2, {"type": "scatter", "x": typed(epochs[finite]), "y": typed(curve[finite]), "mode": "lines",
                       "name": f"{name} loss",
                       "line": {"color": loss_color(loss_name, dark), "dash": dash, "width": 2.5},
                       "customdata": fmt.nums(curve[finite], 4),
                       "hovertemplate": "epoch %{x}: loss %{customdata}<extra></extra>"}))
    if diverged_at is not None and finite.any():
        last = int(epochs[finite][-1])
        data.append(on(2, {"type": "scatter", "x": [last], "y": [curve[last]], "mode": "markers+text", "name": "diverged",
                           "text": [f"diverged at epoch {diverged_at} "], "textposition": "middle left",
                           "marker": {"symbol": "x", "size": 14, "color": "#D55E00"}, "textfont": {"color": palette_ink(dark)}}))
    data.append(on(2, {"type": "scatter", "x": [snap_epochs[-1]], "y": [snap_loss[-1]], "mode": "markers",
                       "name": "current epoch",
                       "marker": {"size": 14, "color": palette_ink(dark), "line": {"color": "#D55E00", "width": 3}},
                       "customdata": [fmt.num(snap_loss[-1], 4)],
                       "hovertemplate": "epoch %{x}: loss %{customdata}<extra></extra>"}))
    marker_idx = len(data) - 1
    u0, u1, v0, v1 = box
    axis(layout, "xaxis", range=[u0, u1], title={"text": axis_titles[0]}, constrain="domain")
    axis(layout, "yaxis", range=[v0, v1], title={"text": axis_titles[1]}, scaleanchor="x", scaleratio=1)
    axis(layout, "xaxis2", title={"text": "epoch"})
    axis(layout, "yaxis2", type="log", exponentformat="power")
    frames = [{"name": str(e), "traces": [*range(K), marker_idx],
               "data": [*({"type": "scatter", "x": xs, "y": ys} for xs, ys in closed[f]),
                        {"type": "scatter", "x": [e], "y": [snap_loss[f]],  # only what moves; the style stays
                         "customdata": [fmt.num(snap_loss[f], 4)]}],
               "layout": {"title": {"text": _frame_title(e, snap_loss[f], snap_acc[f])}}} for f, e in enumerate(snap_epochs)]
    title = {"text": _frame_title(snap_epochs[-1], snap_loss[-1], snap_acc[-1])}
    if height >= 600:
        layout.update(height=height, title=title, margin={"b": 200, "t": 80},
                      legend={"orientation": "h", "yanchor": "top", "y": -0.42, "x": 0, "font": {"size": 12}})
        return animated(figure(data, layout), frames, 150, "epoch: ", dark, y=-0.2, ticks=False)
    px = 1.4 if screen == SLIDE else 1.0  # a slide's fonts are 1.4 times larger (pages/_ui/output.PRESENT_SCALE)
    top, bottom = round(110 * px), round(70 * px)  # over the plot: title, legend, panel titles; under it: the x axis
    plot_h = height - top - bottom
    layout.update(height=height, title={**title, "y": 0.98, "yanchor": "top"}, margin={"b": bottom, "t": top},
                  legend={"orientation": "h", "yanchor": "bottom", "y": 1 + 30 * px / plot_h, "x": 0, "font": {"size": 11}})
    return animated(figure(data, layout), frames, 150, "epoch: ", dark, y=-58 * px / plot_h, ticks=False)


def curves_data(curves: dict[str, tuple[np.ndarray, np.ndarray, int | None]], epochs: int) -> dict:
    """:func:`curves_figure`'s numbers as its data table: one row per epoch 0 … ``epochs``, a loss and an accuracy
    column per loss (NaN after a divergence stopped that run early)."""
    fill = lambda a: np.pad(np.asarray(a, float), (0, epochs + 1 - len(a)), constant_values=np.nan)
    return {"epoch": np.arange(epochs + 1)} | {f"{LOSS_STYLE[k][0]} {q}": fill(v) for k, (loss, acc, _) in curves.items()
                                               for q, v in (("loss", loss), ("accuracy", acc))}


def curves_figure(curves: dict[str, tuple[np.ndarray, np.ndarray, int | None]], dark: bool = False) -> dict:
    """CE against MSE on the same data, initialisation and learning rate. ``curves[loss] = (loss, accuracy,
    diverged_at)``, each per epoch. Each loss on its own axis (log scale: the two are different quantities, in
    different units), then the accuracy of both on one axis (the one quantity they share)."""
    order = [k for k in LOSS_STYLE if k in curves]
    titles = [f"{LOSS_STYLE[k][0]} (log)" for k in order] + ["accuracy, both"]  # fits a third of a step's figure column
    acc_col = len(order) + 1
    # a gap that holds the next panel's y axis, its tick labels and title (at 0.08 "MSE loss" and "10⁻¹" sat in the
    # cross-entropy panel at 1366 px)
    layout = row_layout(acc_col, spacing=0.15, titles=titles)
    data = []
    for col, key in enumerate(order, 1):
        loss, acc, diverged_at = curves[key]
        name, dash = LOSS_STYLE[key]
        loss, acc = np.asarray(loss, float), np.asarray(acc, float)
        ep = np.arange(loss.size)
        ok = np.isfinite(loss) & (loss > 0)
        style = {"color": loss_color(key, dark), "dash": dash, "width": 2.5}
        data.append(on(col, {"type": "scatter", "x": typed(ep[ok]), "y": typed(loss[ok]), "mode": "lines",
                             "name": f"{name} loss", "line": style, "legendgroup": key,
                             "customdata": fmt.nums(loss[ok], 4),
                             "hovertemplate": f"{name}: epoch %{{x}}, loss %{{customdata}}<extra></extra>"}))
        okacc = np.isfinite(acc)
        data.append(on(acc_col, {"type": "scatter", "x": typed(ep[okacc]), "y": typed(100 * acc[okacc]), "mode": "lines",
                                 "name": f"{name} accuracy", "line": style, "legendgroup": key, "showlegend": False,
                                 "customdata": fmt.nums(acc[okacc], each=lambda a: fmt.percent(a, 1)),
                                 "hovertemplate": f"{name}: epoch %{{x}}, accuracy %{{customdata}}<extra></extra>"}))
        if diverged_at is not None and ok.any():
            last = int(ep[ok][-1])
            data.append(on(col, {"type": "scatter", "x": [last], "y": [loss[last]], "mode": "markers",
                                 "name": f"{name} diverged (epoch {diverged_at})", "legendgroup": key,
                                 "marker": {"symbol": "x", "size": 14, "color": "#D55E00"}}))
        yname = "yaxis" if col == 1 else f"yaxis{col}"
        axis(layout, yname, type="log", exponentformat="power", title={"text": f"{name} loss"})
    axes(layout, "x", title={"text": "epoch"})
    # the range starts below 0 so the y axis' "0" clears the x axis' "0" in the corner (they overlapped)
    axis(layout, f"yaxis{acc_col}", range=[-5, 104], title={"text": "accuracy (%)"})
    # every panel is over the same epochs: stacked on a phone, they share one x axis (figures.screens)
    layout.update(height=440, title={"text": "Cross-entropy against MSE from one start"}, meta={"shared_x": True},
                  legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0}, margin={"b": 100, "t": 90})
    return figure(data, layout)
