"""Chain-rule figures: the n paths into each z_j (stacked, animated) and CE vs MSE as the correct logit drops.

Arrays in, go.Figure out; no maths beyond layout. The losses are not indices, so they are drawn in
ink (CE, solid) and grey (MSE, dashed), never in an index colour.
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .palette import color, label

LOSS_STYLE = {"cross_entropy": ("Cross-entropy", "solid"), "mse": ("MSE", "dash")}


def ink(dark: bool) -> str:
    return "#FAFAFA" if dark else "#262730"


def loss_color(loss: str, dark: bool) -> str:
    return ink(dark) if loss == "cross_entropy" else "#8C8C8C"


def _fmt(v: float) -> str:
    if not math.isfinite(v):
        return "−∞" if v < 0 else ("∞" if v > 0 else "NaN")
    return f"{v:.3g}".replace("-", "−")


def _bars(P: np.ndarray, shown: int, n: int) -> list[np.ndarray]:
    """The bar heights once the first ``shown`` paths (walked column by column) are revealed."""
    out = []
    for i in range(n):
        col = np.array([P[i, j] if j * n + i < shown else 0.0 for j in range(n)])
        out.append(col)
    return out


def _totals(P: np.ndarray, shown: int, n: int) -> list[float | None]:
    """The running sum per column: None for a column with no revealed path yet."""
    return [float(sum(P[i, j] for i in range(n) if j * n + i < shown)) if j * n < shown else None for j in range(n)]


def paths_figure(P, g=None, dS_dz=None, dark: bool = False, animate: bool = True) -> go.Figure:
    """Stacked bars: column j holds the n path products P[i, j] = g_i ∂S_i/∂z_j coloured by i; a diamond marks
    their sum ∂L/∂z_j. Negative parts are hatched (sign is never colour alone).

    With ``animate`` the frames walk the paths one by one (column z₁ first; for n > 5 a column at a time) and
    accumulate the sum; the figure opens on the complete picture. ``g`` ``(n,)`` and ``dS_dz`` ``(n, n)``
    (optional) label each step.
    """
    P = np.asarray(P, float)
    n = P.shape[0]
    xs = [label("z", j) for j in range(n)]
    total_all = P.sum(axis=0)

    def traces(shown: int) -> list[go.BaseTraceType]:
        out = []
        for i, col in enumerate(_bars(P, shown, n)):
            out.append(go.Bar(
                x=xs, y=col, name=f"path via {label('S', i)}", marker={
                    "color": color(i, dark), "line": {"color": ink(dark), "width": 0.6},
                    "pattern": {"shape": ["/" if v < 0 else "" for v in col], "fgcolor": ink(dark), "size": 6}},
                hovertemplate=f"path L → {label('S', i)} → %{{x}}: %{{y:.4g}}<extra></extra>"))
        tot = _totals(P, shown, n)
        out.append(go.Scatter(
            x=xs, y=tot, mode="markers+text" if n <= 6 else "markers", name="sum of the paths = ∂L/∂zⱼ",
            text=[None if t is None else _fmt(t) for t in tot],
            textposition=["bottom center" if (t or 0) < 0 else "top center" for t in tot],
            textfont={"color": ink(dark), "size": 13},
            marker={"symbol": "diamond", "size": 15, "color": ink(dark),
                    "line": {"color": "#0E1117" if dark else "#FFFFFF", "width": 2}},
            hovertemplate="∂L/∂%{x} = %{y:.6g}<extra></extra>"))
        return out

    def slim(shown: int) -> list[dict]:
        """A frame carries only what changes (heights, hatching, sums); plotly keeps the rest of each trace."""
        tot = _totals(P, shown, n)
        out = [{"type": "bar", "y": col, "marker": {"pattern": {"shape": ["/" if v < 0 else "" for v in col]}}}
               for col in _bars(P, shown, n)]
        return [*out, {"type": "scatter", "y": tot, "text": [None if t is None else _fmt(t) for t in tot],
                       "textposition": ["bottom center" if (t or 0) < 0 else "top center" for t in tot]}]

    fig = go.Figure(data=traces(n * n))
    top = max(float(np.where(P > 0, P, 0).sum(axis=0).max()), float(total_all.max()), 0.0)
    bottom = min(float(np.where(P < 0, P, 0).sum(axis=0).min()), float(total_all.min()), 0.0)
    pad = 0.18 * max(top - bottom, 1e-12)
    fig.update_layout(
        barmode="relative", height=470, bargap=0.35,
        title="∂L/∂zⱼ = Σᵢ path via Sᵢ: multiply along each path, add the paths",
        xaxis_title="input zⱼ (one column per input)", yaxis_title="contribution to ∂L/∂zⱼ",
        yaxis={"range": [bottom - pad, top + pad], "zeroline": True, "zerolinewidth": 2},
        legend={"orientation": "v", "yanchor": "top", "y": 1, "x": 1.02},
        margin={"b": 140 if animate else 60, "r": 200},
    )
    if animate:
        # path by path for n <= 5; beyond that (100 paths) one column of n paths per frame keeps the figure light
        steps = list(range(n * n + 1)) if n <= 5 else list(range(0, n * n + 1, n))
        frames = []
        for k in steps:
            if k == 0:
                text = "Press ▶: each path is one product; the products into one zⱼ are added"
            elif n > 5:
                zj = label("z", k // n - 1)
                text = f"all {n} paths L → Sᵢ → {zj} added: ∂L/∂{zj} = {_fmt(float(P[:, k // n - 1].sum()))}"
            else:
                j, i = divmod(k - 1, n)
                if g is not None and dS_dz is not None and math.isfinite(float(g[i])):
                    prod = f"{_fmt(float(g[i]))} × {_fmt(float(dS_dz[i, j]))} = {_fmt(float(P[i, j]))}"
                else:
                    prod = f"{_fmt(float(P[i, j]))}"
                si, zj = label("S", i), label("z", j)
                text = f"path L → {si} → {zj}: ∂L/∂{si} · ∂{si}/∂{zj} = {prod}"
            frames.append({"data": slim(k), "name": str(k), "layout": {"annotations": [_caption(text, dark)]}})
        fig.update_layout(annotations=[_caption("All paths shown. Press ▶ to walk them one at a time.", dark)])
        fig = animated(fig, frames, 350 if n <= 3 else 200, "paths shown: ", dark, y=-0.3, ticks=len(steps) <= 17)
    return fig


def _caption(text: str, dark: bool) -> dict:
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0, "y": 1.0, "xanchor": "left", "yanchor": "bottom",
            "showarrow": False, "font": {"size": 13, "color": ink(dark)}}


def animated(fig: go.Figure, frames: list[dict], ms: int, prefix: str, dark: bool, y: float = -0.3,
             ticks: bool = True) -> go.Figure:
    """``fig`` plus ``frames`` (plain dicts: name, data, optional traces and layout), play / pause buttons and a
    scrub slider placed at paper height ``y`` (all client-side). Without ``ticks`` the step labels are hidden
    and only the current value shows.

    Frames carry only what moves (plotly keeps every other attribute of each trace), which keeps both the
    validation time and the JSON sent to the browser small."""
    names = [f["name"] for f in frames]
    fig.frames = [go.Frame(**f) for f in frames]
    play = {"frame": {"duration": ms, "redraw": True}, "fromcurrent": True, "transition": {"duration": 0}, "mode": "immediate"}
    pause = {"frame": {"duration": 0, "redraw": False}, "mode": "immediate", "transition": {"duration": 0}}
    fig.update_layout(
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0, "y": y, "xanchor": "left", "yanchor": "top",
                      "pad": {"r": 10, "t": 0}, "showactive": False,
                      "buttons": [{"label": "▶ Play", "method": "animate", "args": [None, play]},
                                  {"label": "❚❚ Pause", "method": "animate", "args": [[None], pause]}]}],
        sliders=[{"active": len(names) - 1, "x": 0.2, "len": 0.8, "y": y + 0.02, "yanchor": "top", "pad": {"t": 0},
                  "currentvalue": {"prefix": prefix, "xanchor": "right", "font": {"size": 13, "color": ink(dark)}},
                  "ticklen": 4 if ticks else 0,
                  **({} if ticks else {"font": {"color": "rgba(0,0,0,0)", "size": 1}}),
                  "steps": [{"label": nm, "method": "animate",
                             "args": [[nm], {"frame": {"duration": 0, "redraw": True}, "mode": "immediate",
                                             "transition": {"duration": 0}}]} for nm in names]}],
    )
    return fig


def drop_figure(zy, S_y, ce, mse, zy_now: float, y: int, dark: bool = False) -> go.Figure:
    """Side by side, as the correct logit z_y drops (x axis reversed): the push |∂L/∂z_y| for CE and MSE (log scale),
    and S_y, how much the model believes the right answer. A vertical line marks the current z_y."""
    zy, S_y, ce, mse = (np.asarray(a, float) for a in (zy, S_y, ce, mse))
    zlab = label("z", y)
    fig = make_subplots(rows=1, cols=2, horizontal_spacing=0.12, subplot_titles=(
        f"the push on the correct logit, |∂L/∂{zlab}|", f"{label('S', y)}: belief in the correct class"))
    for key, vals in (("cross_entropy", ce), ("mse", mse)):
        name, dash = LOSS_STYLE[key]
        fig.add_trace(go.Scatter(x=zy, y=np.maximum(vals, 1e-300), mode="lines", name=f"{name}",
                                 line={"color": loss_color(key, dark), "dash": dash, "width": 3},
                                 hovertemplate=f"{zlab} = %{{x:.3g}}<br>|∂L/∂{zlab}| ({name}) = %{{y:.3g}}<extra></extra>"),
                      row=1, col=1)
    fig.add_trace(go.Scatter(x=zy, y=np.maximum(S_y, 1e-300), mode="lines", name=label("S", y),
                             line={"color": color(y, dark), "width": 3},
                             hovertemplate=f"{zlab} = %{{x:.3g}}<br>{label('S', y)} = %{{y:.3g}}<extra></extra>"),
                  row=1, col=2)
    if zy.min() <= zy_now <= zy.max():
        for col in (1, 2):
            fig.add_vline(x=zy_now, line={"color": ink(dark), "dash": "dot", "width": 1.5}, row=1, col=col)
        fig.add_annotation(x=zy_now, y=0.02, yref="y domain", text=f" now: {zlab} = {zy_now:.3g}", showarrow=False,
                           xanchor="left", yanchor="bottom", font={"size": 12, "color": ink(dark)}, row=1, col=1)
    else:  # far outside the interesting window: say where, rather than squash the curves
        side = "right →" if zy_now < zy.min() else "← left"
        fig.add_annotation(x=0.5, y=0.02, xref="x domain", yref="y domain", showarrow=False, yanchor="bottom",
                           text=f"now: {zlab} = {zy_now:.3g}, off the chart ({side})", font={"size": 12, "color": ink(dark)},
                           row=1, col=1)
    fig.update_xaxes(autorange="reversed", title_text=f"{zlab}, the correct logit (drops →)")
    fig.update_yaxes(type="log", exponentformat="power", title_text=f"|∂L/∂{zlab}|", row=1, col=1)
    fig.update_yaxes(type="log", exponentformat="power", title_text=label("S", y), row=1, col=2)
    fig.update_layout(height=400, title="Confidently wrong: cross-entropy keeps pushing, MSE through softmax goes quiet",
                      legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0}, margin={"b": 110, "t": 90})
    return fig
