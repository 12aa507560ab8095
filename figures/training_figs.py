"""Training figures: decision regions animated over the snapshots beside the loss curve, and CE vs MSE curves.

Arrays in, go.Figure out. Region k and the points of class k use color(k), the colour of S_k; each class
also has its own marker symbol, so nothing relies on colour alone.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .chain_figs import LOSS_STYLE, animated, ink, loss_color
from .palette import color, label

SYMBOLS = ("circle", "square", "diamond", "triangle-up", "cross", "x", "star", "hexagon", "pentagon", "bowtie")


def _rgba(hex_color: str, alpha: float) -> str:
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


def _closed(poly) -> tuple[list[float], list[float]]:
    poly = np.asarray(poly, float).reshape(-1, 2)
    if not len(poly):
        return [], []
    return [*poly[:, 0].round(4), round(poly[0, 0], 4)], [*poly[:, 1].round(4), round(poly[0, 1], 4)]


def _region_traces(polys, dark: bool) -> list[go.Scatter]:
    out = []
    for k, poly in enumerate(polys):
        xs, ys = _closed(poly)
        out.append(go.Scatter(x=xs, y=ys, mode="lines", fill="toself", fillcolor=_rgba(color(k, dark), 0.28 if dark else 0.22),
                              line={"color": _rgba(color(k, dark), 0.9), "width": 1}, hoverinfo="skip",
                              name=f"region where {label('S', k)} is largest", legendgroup=f"c{k}", showlegend=False))
    return out


def _frame_title(epoch: int, loss: float, acc: float) -> str:
    return f"epoch {epoch}: loss {loss:.4g}, accuracy {100 * acc:.1f}%"


def training_animation(U, y, polys, snap_epochs, snap_loss, snap_acc, loss_curve, box, axis_titles=("x₁", "x₂"),
                       diverged_at: int | None = None, highlight: int | None = None, loss_name: str = "cross_entropy",
                       dark: bool = False) -> go.Figure:
    """Left: the decision regions of every class (``polys[f][k]``: vertices ``(v, 2)`` of class k at snapshot f)
    over the data ``U`` ``(m, 2)`` (labels ``y`` 0-based). Right: the loss per epoch (``loss_curve``, finite part)
    with a marker at the snapshot's epoch. Frames: one per snapshot, with play, pause and a scrub slider;
    the figure opens on the last snapshot. ``highlight`` rings one sample (the inspected one)."""
    U, y = np.asarray(U, float), np.asarray(y, int)
    snap_epochs = [int(e) for e in snap_epochs]
    curve = np.asarray(loss_curve, float)
    finite = np.isfinite(curve)
    K = len(polys[-1])
    fig = make_subplots(rows=1, cols=2, column_widths=[0.55, 0.45], horizontal_spacing=0.1,
                        subplot_titles=("decision regions (largest Sₖ) over the data", "training loss"))
    for tr in _region_traces(polys[-1], dark):
        fig.add_trace(tr, row=1, col=1)
    for k in range(K):
        sel = y == k
        mk = {"color": color(k, dark), "symbol": SYMBOLS[k % len(SYMBOLS)], "size": 8, "line": {"color": ink(dark), "width": 1}}
        fig.add_trace(go.Scatter(x=U[sel, 0], y=U[sel, 1], mode="markers", name=f"class {k + 1} (target {label('S', k)})",
                                 legendgroup=f"c{k}", marker=mk,
                                 hovertemplate=f"class {k + 1}<br>(%{{x:.2f}}, %{{y:.2f}})<extra></extra>"), row=1, col=1)
    if highlight is not None and 0 <= highlight < len(U):
        fig.add_trace(go.Scatter(x=[U[highlight, 0]], y=[U[highlight, 1]], mode="markers", name="inspected sample",
                                 marker={"symbol": "circle-open", "size": 20, "color": ink(dark), "line": {"width": 3}},
                                 hoverinfo="skip"), row=1, col=1)
    name, dash = LOSS_STYLE.get(loss_name, ("loss", "solid"))
    epochs = np.arange(curve.size)
    fig.add_trace(go.Scatter(x=epochs[finite], y=curve[finite], mode="lines", name=f"{name} loss",
                             line={"color": loss_color(loss_name, dark), "dash": dash, "width": 2.5},
                             hovertemplate="epoch %{x}: loss %{y:.4g}<extra></extra>"), row=1, col=2)
    if diverged_at is not None and finite.any():
        last = int(epochs[finite][-1])
        fig.add_trace(go.Scatter(x=[last], y=[curve[last]], mode="markers+text", name="diverged",
                                 text=[f"diverged at epoch {diverged_at} "], textposition="middle left",
                                 marker={"symbol": "x", "size": 14, "color": "#D55E00"}, textfont={"color": ink(dark)}),
                      row=1, col=2)
    fig.add_trace(go.Scatter(x=[snap_epochs[-1]], y=[snap_loss[-1]], mode="markers", name="current epoch",
                             marker={"size": 14, "color": ink(dark), "line": {"color": "#D55E00", "width": 3}},
                             hovertemplate="epoch %{x}: loss %{y:.4g}<extra></extra>"), row=1, col=2)
    marker_idx = len(fig.data) - 1
    u0, u1, v0, v1 = box
    fig.update_xaxes(range=[u0, u1], title_text=axis_titles[0], constrain="domain", row=1, col=1)
    fig.update_yaxes(range=[v0, v1], title_text=axis_titles[1], scaleanchor="x", scaleratio=1, row=1, col=1)
    fig.update_xaxes(title_text="epoch", row=1, col=2)
    fig.update_yaxes(title_text=f"{name} loss (log scale)", type="log", exponentformat="power", row=1, col=2)
    frames = []
    for f, e in enumerate(snap_epochs):
        frames.append({
            "name": str(e), "traces": [*range(K), marker_idx],
            "data": [*({"type": "scatter", "x": xy[0], "y": xy[1]} for xy in map(_closed, polys[f])),
                  {"type": "scatter", "x": [e], "y": [snap_loss[f]]}],  # only what moves; the style stays
            "layout": {"title": {"text": _frame_title(e, snap_loss[f], snap_acc[f])}}})
    fig.update_layout(height=600, title=_frame_title(snap_epochs[-1], snap_loss[-1], snap_acc[-1]),
                      legend={"orientation": "h", "yanchor": "top", "y": -0.42, "x": 0, "font": {"size": 12}},
                      margin={"b": 200, "t": 80})
    return animated(fig, frames, 150, "epoch: ", dark, y=-0.2, ticks=False)


def curves_figure(curves: dict[str, tuple[np.ndarray, np.ndarray, int | None]], dark: bool = False) -> go.Figure:
    """CE against MSE on the same data, initialisation and learning rate. ``curves[loss] = (loss, accuracy,
    diverged_at)``, each per epoch. Left: loss (log scale, each its own units); right: accuracy."""
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12,
                        subplot_titles=("loss per epoch (log scale)", "accuracy per epoch"))
    for key, (loss, acc, diverged_at) in curves.items():
        name, dash = LOSS_STYLE[key]
        loss, acc = np.asarray(loss, float), np.asarray(acc, float)
        ep = np.arange(loss.size)
        ok = np.isfinite(loss) & (loss > 0)
        style = {"color": loss_color(key, dark), "dash": dash, "width": 2.5}
        fig.add_trace(go.Scatter(x=ep[ok], y=loss[ok], mode="lines", name=f"{name} loss", line=style, legendgroup=key,
                                 hovertemplate=f"{name}: epoch %{{x}}, loss %{{y:.4g}}<extra></extra>"), row=1, col=1)
        okacc = np.isfinite(acc)
        fig.add_trace(go.Scatter(x=ep[okacc], y=100 * acc[okacc], mode="lines", name=f"{name} accuracy", line=style,
                                 legendgroup=key, showlegend=False,
                                 hovertemplate=f"{name}: epoch %{{x}}, accuracy %{{y:.1f}}%<extra></extra>"), row=1, col=2)
        if diverged_at is not None and ok.any():
            last = int(ep[ok][-1])
            fig.add_trace(go.Scatter(x=[last], y=[loss[last]], mode="markers", name=f"{name} diverged (epoch {diverged_at})",
                                     marker={"symbol": "x", "size": 14, "color": "#D55E00"}, legendgroup=key), row=1, col=1)
    fig.update_xaxes(title_text="epoch")
    fig.update_yaxes(type="log", exponentformat="power", title_text="loss", row=1, col=1)
    fig.update_yaxes(range=[0, 102], title_text="accuracy (%)", row=1, col=2)
    fig.update_layout(height=380, title="Cross-entropy against MSE: same data, same initial weights, same learning rate",
                      legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0}, margin={"b": 100, "t": 90})
    return fig
