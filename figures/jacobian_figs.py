r"""The Jacobian as a picture: heatmaps of J (rows S₁…Sₙ top to bottom, columns z₁…zₙ left to right),
the saturation sweep as plotly frames, the saturation curve s(1 − s), and the misconception's chain-rule error.

Arrays in, ``go.Figure`` out: no maths here beyond layout (the pages and ``core`` compute every number).
Every signed cell carries a + / − glyph, so sign never relies on colour alone, and the diverging scale is
centred at 0 with a symmetric range, so white means exactly 0.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .palette import DIVERGING, DIVERGING_DARK, SIGN_GLYPH, color, label

__all__ = ["cell_text", "chain_bars", "jacobian_heatmap", "jacobian_sweep", "saturation_curve", "signed"]


def signed(v: float, digits: int = 3) -> str:
    """``0.2227 -> '+0.223'``, ``-0.05 -> '−0.050'``, tiny values in short scientific form, exact 0 -> '0'."""
    v = float(v)
    if v == 0:
        return SIGN_GLYPH[0]
    glyph = SIGN_GLYPH[1 if v > 0 else -1]
    a = abs(v)
    if a >= 10 ** -digits:
        return f"{glyph}{a:.{digits}f}"
    mant, exp = f"{a:.1e}".split("e")
    return f"{glyph}{mant}e{int(exp)}".replace("-", "−")


def cell_text(M, digits: int = 3) -> list[list[str]]:
    """The annotation of every cell of M, with its sign glyph."""
    return [[signed(v, digits) for v in row] for row in np.asarray(M, dtype=float)]


def _ticks(symbol: str, n: int, dark: bool) -> tuple[list[str], list[str]]:
    """Category values and their labels, each label in its index's colour (bold, so yellow stays legible)."""
    values = [label(symbol, k) for k in range(n)]
    texts = [f"<b><span style='color:{color(k, dark)}'>{v}</span></b>" for k, v in enumerate(values)]
    return values, texts


def _font_size(n: int) -> int:
    return 15 if n <= 4 else 13 if n <= 6 else 11


def _heatmap_trace(M, n: int, zmax: float, dark: bool, digits: int) -> go.Heatmap:
    xs, _ = _ticks("z", n, dark)
    ys, _ = _ticks("S", n, dark)
    hover = [[f"∂{ys[i]}/∂{xs[j]}" for j in range(n)] for i in range(n)]
    return go.Heatmap(
        z=np.asarray(M, dtype=float), x=xs, y=ys, text=cell_text(M, digits), texttemplate="%{text}",
        customdata=hover, hovertemplate="%{customdata} = %{z:.6g}<extra></extra>",
        colorscale=DIVERGING_DARK if dark else DIVERGING, zmid=0.0, zmin=-zmax, zmax=zmax,
        textfont={"size": _font_size(n)}, xgap=1, ygap=1,
        colorbar={"title": {"text": "∂S<sub>i</sub>/∂z<sub>j</sub>"}, "thickness": 14},
    )


def _matrix_axes(fig: go.Figure, n: int, dark: bool, row: str, col: str) -> None:
    xs, xt = _ticks("z", n, dark)
    ys, yt = _ticks("S", n, dark)
    fig.update_xaxes(title_text=col, type="category", tickvals=xs, ticktext=xt, side="top", showgrid=False,
                     tickfont={"size": 15})
    # row 1 at the top, as in a matrix
    fig.update_yaxes(title_text=row, type="category", tickvals=ys, ticktext=yt, autorange="reversed", showgrid=False,
                     tickfont={"size": 15})


def _symmetric_range(M, zmax: float | None) -> float:
    m = float(np.abs(np.asarray(M, dtype=float)).max()) if zmax is None else float(zmax)
    return m if m > 0 else 1.0  # an all-zero matrix still needs a non-empty, symmetric range


def jacobian_heatmap(J, title: str = "The Jacobian J", dark: bool = False, zmax: float | None = None,
                     row: str = "output Sᵢ (row i)", col: str = "input zⱼ (column j)", digits: int = 3,
                     height: int = 480) -> go.Figure:
    """A heatmap of an (n, n) matrix read as ∂S_i/∂z_j: rows S₁…Sₙ top to bottom, columns z₁…zₙ left to right.

    ``zmax`` fixes the symmetric colour range [−zmax, zmax] (default: max |J|), so several heatmaps can share a scale.
    """
    M = np.asarray(J, dtype=float)
    n = M.shape[0]
    fig = go.Figure(_heatmap_trace(M, n, _symmetric_range(M, zmax), dark, digits))
    _matrix_axes(fig, n, dark, row, col)
    fig.update_layout(title={"text": title, "y": 0.985, "yref": "container", "yanchor": "top"}, height=height,
                      margin={"t": 120, "l": 70, "r": 20, "b": 20})
    return fig


def jacobian_sweep(Js, values, name: str = "T", dark: bool = False, digits: int = 3, height: int = 540) -> go.Figure:
    """The heatmap of J animated over a sweep (plotly frames: play, pause and scrub run in the browser).

    ``Js`` (steps, n, n) are the matrices, ``values`` (steps,) the swept parameter named ``name``.
    One symmetric colour range for all frames, so a vanishing J fades to white.
    """
    Js = np.asarray(Js, dtype=float)
    values = np.asarray(values, dtype=float)
    n = Js.shape[1]
    zmax = _symmetric_range(Js, None)
    peaks = np.abs(Js).max(axis=(1, 2))
    titles = [f"J at {name} = {v:.3g}: max |∂Sᵢ/∂zⱼ| = {p:.2g}" for v, p in zip(values, peaks, strict=True)]
    fig = go.Figure(_heatmap_trace(Js[0], n, zmax, dark, digits))
    fig.frames = [
        go.Frame(name=str(k), data=[{"type": "heatmap", "z": M, "text": cell_text(M, digits)}], traces=[0],
                 layout={"title": {"text": t}})
        for k, (M, t) in enumerate(zip(Js, titles, strict=True))
    ]
    anim = {"frame": {"duration": 350, "redraw": True}, "transition": {"duration": 0}, "mode": "immediate"}
    steps = [{"method": "animate", "label": f"{v:.2g}", "args": [[str(k)], anim]} for k, v in enumerate(values)]
    fig.update_layout(
        title={"text": titles[0], "y": 0.985, "yref": "container", "yanchor": "top"}, height=height,
        margin={"t": 120, "l": 70, "r": 20, "b": 150},
        updatemenus=[{"type": "buttons", "direction": "left", "x": 0.0, "y": -0.03, "xanchor": "left", "yanchor": "top",
                      "showactive": False, "pad": {"t": 0, "r": 8},
                      "buttons": [{"label": "▶ Play", "method": "animate", "args": [None, {**anim, "fromcurrent": True}]},
                                  {"label": "❚❚ Pause", "method": "animate",
                                   "args": [[None], {"frame": {"duration": 0, "redraw": False}, "mode": "immediate"}]}]}],
        sliders=[{"active": 0, "steps": steps, "x": 0.0, "len": 1.0, "y": -0.13, "yanchor": "top",
                  "currentvalue": {"prefix": f"{name} = ", "font": {"size": 13}}, "pad": {"t": 0}}],
    )
    _matrix_axes(fig, n, dark, "output Sᵢ (row i)", "input zⱼ (column j)")
    return fig


def saturation_curve(s, ds, S, dS, dark: bool = False, height: int = 420) -> go.Figure:
    """The curve ``ds = s(1 − s)`` over ``s`` and the current outputs (S_i, S_i(1 − S_i)), one marker per index.

    The maximum ¼ at s = ½ is marked: a diagonal entry of J can never exceed ¼ (÷T).
    """
    ink = "#FAFAFA" if dark else "#262730"
    S, dS = np.asarray(S, dtype=float), np.asarray(dS, dtype=float)
    fig = go.Figure(go.Scatter(x=s, y=ds, mode="lines", line={"color": ink, "width": 2.5}, name="s(1 − s)",
                               hovertemplate="S = %{x:.3f}<br>S(1 − S) = %{y:.4f}<extra></extra>"))
    fig.add_trace(go.Scatter(
        x=S, y=dS, mode="markers+text", name="the current outputs", text=[label("S", k) for k in range(S.size)],
        textposition="top center", marker={"size": 14, "color": [color(k, dark) for k in range(S.size)],
                                           "line": {"color": ink, "width": 1.2}},
        hovertemplate="%{text}: S = %{x:.4g}, S(1 − S) = %{y:.4g}<extra></extra>"))
    fig.add_trace(go.Scatter(x=[0.5], y=[0.25], mode="markers", marker={"symbol": "diamond-open", "size": 16, "color": ink},
                             name="maximum ¼ at ½", hoverinfo="skip"))
    fig.add_annotation(x=0.5, y=0.25, text="max ¼ at Sᵢ = ½", showarrow=True, arrowhead=2, ay=-30, font={"color": ink})
    fig.update_layout(title={"text": "∂Sᵢ/∂zᵢ = Sᵢ(1 − Sᵢ) at T = 1"}, height=height, showlegend=False,
                      margin={"t": 60, "b": 60, "l": 60, "r": 20})
    fig.update_xaxes(title_text="output Sᵢ (saturated near 0 and 1)", range=[-0.02, 1.02])
    fig.update_yaxes(title_text="Sᵢ(1 − Sᵢ)", range=[-0.01, 0.3])
    return fig


def chain_bars(true, wrong, dark: bool = False, height: int = 420) -> go.Figure:
    """∂L/∂z_j from the true J (solid) and from the elementwise misconception (hatched), side by side per z_j."""
    ink = "#FAFAFA" if dark else "#262730"
    true, wrong = np.asarray(true, dtype=float), np.asarray(wrong, dtype=float)
    xs, xt = _ticks("z", true.size, dark)
    cats = [f"∂L/∂{x}" for x in xs]
    fig = go.Figure([
        go.Bar(x=cats, y=true, name="true: gᵀJ", marker={"color": ink},
               hovertemplate="%{x} = %{y:.4g} (true)<extra></extra>"),
        go.Bar(x=cats, y=wrong, name="elementwise: gᵀdiag(S(1 − S))",
               marker={"color": "rgba(0,0,0,0)", "line": {"color": ink, "width": 1.5},
                       "pattern": {"shape": "/", "fgcolor": ink, "size": 7}},
               hovertemplate="%{x} = %{y:.4g} (elementwise)<extra></extra>"),
    ])
    fig.update_layout(title={"text": "The chain rule with each: ∂L/∂zⱼ = Σᵢ gᵢ ∂Sᵢ/∂zⱼ"}, barmode="group", height=height,
                      legend={"orientation": "h", "y": -0.2}, margin={"t": 60, "b": 90})
    fig.update_xaxes(title_text="", type="category", tickvals=cats, ticktext=[f"∂L/∂{t}" for t in xt])
    fig.update_yaxes(title_text="∂L/∂zⱼ", zeroline=True, zerolinecolor=ink)
    return fig
