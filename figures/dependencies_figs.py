"""Figures for the Dependencies page: the n² arrows z_j -> S_i, the nudge animation, the elongated neuron.

Arrays in, ``go.Figure`` out; no maths beyond layout (S, J, the sweep and the difference quotients are
computed by the page with :mod:`core`). Colour follows the input index j everywhere; the sign of
∂S_i/∂z_j has a redundant cue: solid for +, dashed for − (:data:`figures.palette.SIGN_DASH`).
"""

from __future__ import annotations

import math

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .palette import SIGN_DASH, color, label, subscript
from .softmax_figs import play_buttons, slider

W_MIN, W_MAX = 0.6, 9.0  # arrow widths in px: |J| = 0 -> W_MIN, |J| >= scale -> W_MAX
DIM = 0.13  # opacity of the arrows that do not leave the selected z_j
ROW_PX = 50  # vertical pixels per node row
SPEEDS = (("▶ Play", 220), ("▶▶ Fast", 60))  # (button label, milliseconds per frame)


def arrow_widths(J, scale: float) -> np.ndarray:
    """Line width for each |J[i, j]|: linear from W_MIN (0) to W_MAX (|J| >= scale). Shapes ``(n, n) -> (n, n)``.

    ``scale`` is fixed by the page (the largest possible |∂S_i/∂z_j| = 1/(4T)), so widths are comparable
    across animation frames and across pages.
    """
    a = np.abs(np.asarray(J, dtype=float)) / max(float(scale), 1e-300)  # saturated softmax: J = 0, scale = 0
    return W_MIN + (W_MAX - W_MIN) * np.clip(a, 0.0, 1.0)


def _head(width: float) -> float:
    """Arrowhead size (px) for a line of ``width`` px: a little wider than the line."""
    return round(7.0 + 1.2 * float(width), 1)


def _rows(n: int) -> np.ndarray:
    """Node heights: row 0 (S₁, z₁) at the top."""
    return -np.arange(n, dtype=float)


def _height(n: int) -> int:
    return 170 + ROW_PX * max(n, 4)


def _num(v: float, digits: int = 3) -> str:
    if not math.isfinite(v):
        return str(v)
    return f"{v:.{digits}f}" if 1e-3 <= abs(v) < 1e5 or v == 0 else f"{v:.2e}"


def _arrow(x0, y0, x1, y1, width, dash, col, opacity, hover, head=16, name="", showlegend=False, xaxis="x", yaxis="y"):
    """One arrow: a line with an arrow-shaped marker at its end (oriented along the line by plotly)."""
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    return go.Scatter(
        x=[x0, xm, x1], y=[y0, ym, y1], mode="lines+markers", xaxis=xaxis, yaxis=yaxis,
        line={"width": round(float(width), 1), "color": col, "dash": dash}, opacity=opacity, name=name, showlegend=showlegend,
        marker={"symbol": "triangle-up", "angleref": "previous", "size": [0, 0, head], "color": col,
                "opacity": 1,
                "line": {"width": 0}},
        hovertemplate=hover + "<extra></extra>", hoverlabel={"namelength": 0},
    )


def text_on(fill: str) -> str:
    """Black or white, whichever reads better on ``fill`` (#RRGGBB), by relative luminance (WCAG)."""
    rgb = [int(fill[k : k + 2], 16) / 255 for k in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    lum = 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    return "#000000" if lum > 0.179 else "#FFFFFF"


def _nodes(x, ys, names, cols, ink, xaxis="x", yaxis="y", size=30):
    return go.Scatter(x=[x] * len(ys), y=ys, mode="markers+text", text=names, textposition="middle center",
                      marker={"size": size, "color": cols, "line": {"color": ink, "width": 1.2}}, xaxis=xaxis, yaxis=yaxis,
                      textfont={"size": 13, "color": [text_on(c) for c in cols]}, hoverinfo="skip", showlegend=False,
                      cliponaxis=False)


def _text(x, ys, texts, ink, position, xaxis="x", yaxis="y", size=13):
    return go.Scatter(x=[x] * len(ys), y=ys, mode="text", text=texts, textposition=position, xaxis=xaxis, yaxis=yaxis,
                      textfont={"size": size, "color": ink}, hoverinfo="skip", showlegend=False, cliponaxis=False)


def _ink(dark: bool) -> str:
    return "#FAFAFA" if dark else "#262730"


def _readout(q, exact, j: int, delta: float | None) -> list[str]:
    """Per output i: 'ΔS_i/Δz_j = q  (∂ = exact)'; at Δ = 0 only the exact derivative."""
    sj = subscript(j)
    if delta is None or delta == 0:
        return [f"∂S{subscript(i)}/∂z{sj} = {e:+.4f}" for i, e in enumerate(exact)]
    return [f"ΔS{subscript(i)}/Δz{sj} = {v:+.4f}   (∂ = {e:+.4f})" for i, (v, e) in enumerate(zip(q, exact, strict=True))]


def dependency_figure(z, S, J, j: int, scale: float, dark: bool = False, sweep=None) -> go.Figure:
    """z₁…zₙ (left) -> S₁…Sₙ (right): n² arrows coloured by j, width ∝ |∂S_i/∂z_j|, solid +, dashed −.

    The arrows leaving the selected z_j (0-based ``j``) are highlighted; the rest are dimmed. Beside the
    S nodes: bars of S and the readout of ∂S_i/∂z_j.

    Shapes: z, S ``(n,)``, J ``(n, n)`` with J[i, j] = ∂S_i/∂z_j. Traces: arrow (j, i) is trace
    ``j * n + i``; then 2 legend keys, the nodes, the labels, the bars and the readout.

    ``sweep`` (optional) animates the nudge of z_j with client-side frames: a dict with ``deltas (m,)``,
    ``Z (m, n)``, ``S (m, n)``, ``J (m, n, n)`` at z + Δ e_j, and ``quotients (m, n)`` (ΔS_i/Δz_j, NaN
    where Δ = 0). Each frame re-weights the n highlighted arrows leaving z_j (the dimmed ones keep their
    widths at z: restyling all n² of them per frame made the n = 10 figure cost ~8x more server CPU per
    rerun for lines drawn at 8 % opacity), moves the S bars, the z_j label and the readout.
    """
    z, S, J = (np.asarray(a, dtype=float) for a in (z, S, J))
    n = z.size
    ink = _ink(dark)
    ys = _rows(n)
    fig = make_subplots(rows=1, cols=3, column_widths=[0.5, 0.18, 0.32], horizontal_spacing=0.02, shared_yaxes=True,
                        subplot_titles=("", "S", "ΔS/Δz → ∂S/∂z"))
    widths = arrow_widths(J, scale)
    dim = DIM if n <= 4 else DIM * 0.6
    x0, x1 = 0.09, 0.88  # arrows start and end just outside the node circles
    port = (np.arange(n) - (n - 1) / 2) * (0.4 / n)  # fan the n arrows at each node so their heads do not overlap
    for jj in range(n):
        for i in range(n):
            sign = -1 if np.signbit(J[i, jj]) else 1  # signbit: a saturated −S_iS_j is −0.0 and still drawn dashed
            on = jj == j  # only the highlighted arrows carry heads: n² heads at n = 10 are clutter
            fig.add_trace(_arrow(x0, ys[jj], x1, ys[i] - port[jj], widths[i, jj], SIGN_DASH[sign], color(jj, dark),
                                 1.0 if on else dim, f"∂{label('S', i)}/∂{label('z', jj)} = {J[i, jj]:+.4f}",
                                 head=_head(widths[i, jj]) if on else 0))
    for sign, text in ((1, "+ : ∂Sᵢ/∂zⱼ > 0 (i = j)"), (-1, "− : ∂Sᵢ/∂zⱼ < 0 (i ≠ j)")):
        fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=text, showlegend=True,
                                 line={"color": ink, "width": 3, "dash": SIGN_DASH[sign]}))
    cols = [color(k, dark) for k in range(n)]
    fig.add_trace(_nodes(0, ys, [label("z", k) for k in range(n)], cols, ink))
    fig.add_trace(_nodes(1, ys, [label("S", k) for k in range(n)], cols, ink))
    fig.add_trace(_text(-0.1, ys, [_num(v, 2) for v in z], ink, "middle left"))  # z values (z_j moves in the animation)
    fig.add_trace(go.Bar(x=S, y=ys, orientation="h", marker={"color": cols}, text=[f"{s:.3f}" for s in S],
                         textposition="outside", cliponaxis=False, xaxis="x2", yaxis="y2", showlegend=False,
                         hovertemplate="S = %{x:.4f}<extra></extra>", width=0.6))
    fig.add_trace(_text(0.0, ys, _readout(None, J[:, j], j, None), ink, "middle right", xaxis="x3", yaxis="y3", size=12))
    fig.update_xaxes(visible=False)
    fig.update_xaxes(range=[-0.55, 1.12], col=1)
    fig.update_xaxes(range=[0, 1.45], col=2)
    fig.update_xaxes(range=[0, 1], col=3)
    fig.update_yaxes(visible=False, range=[-n + 0.4, 0.7])
    title = f"Every S depends on every z: the {n} arrows from {label('z', j)} are highlighted"
    fig.update_layout(height=_height(n), title=title, legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
                      margin={"l": 10, "r": 10, "t": 110, "b": 20}, bargap=0.3)
    if sweep is not None:
        _animate(fig, sweep, J[:, j], j, scale, n, dark)
    return fig


def _animate(fig: go.Figure, sweep: dict, exact, j: int, scale: float, n: int, dark: bool) -> None:
    deltas = np.asarray(sweep["deltas"], dtype=float)
    moving = [*range(j * n, j * n + n), n * n + 4, n * n + 5, n * n + 6]  # z_j's arrows, z labels, bars, readout
    frames, steps = [], []
    zlab = label("z", j)
    for k, d in enumerate(deltas):
        w = np.round(arrow_widths(sweep["J"][k], scale), 1)  # 0.1 px is invisible; rounding keeps frames small
        data = [go.Scatter(line={"width": w[i, j]}, marker={"size": [0, 0, _head(w[i, j])]}) for i in range(n)]
        data.append(go.Scatter(text=[_num(v, 2) for v in sweep["Z"][k]]))
        data.append(go.Bar(x=sweep["S"][k], text=[f"{s:.3f}" for s in sweep["S"][k]]))
        q = None if d == 0 else sweep["quotients"][k]
        data.append(go.Scatter(text=_readout(q, exact, j, d)))
        name = f"{k}"
        frames.append(go.Frame(name=name, data=data, traces=moving))
        steps.append({"method": "animate", "label": f"{d:+.2f}   ({zlab} = {sweep['Z'][k][j]:.2f})",
                      "args": [[name], {"mode": "immediate", "frame": {"duration": 0, "redraw": True},
                                        "transition": {"duration": 0}}]})
    fig.frames = frames
    rest = int(np.argmin(np.abs(deltas)))
    fig.update_layout(
        updatemenus=[play_buttons(SPEEDS, y=-0.02)],
        sliders=[slider(steps, rest, f"nudge Δ{zlab} = ", x=0.33, y=-0.02, dark=dark)],
    )
    fig.layout.margin.b = 120
    fig.layout.height = _height(n) + 80


def neuron_graph(z, log10_e, log10_sum: float, S, j: int, dark: bool = False) -> go.Figure:
    """The "elongated neuron": z_k → exp → e^{z_k}; all e^{z_k} → Σ; e^{z_i} ÷ Σ → S_i.

    Paths from the selected z_j (0-based) are drawn in colour j; everything else is dimmed. The
    numerator path z_j → exp → ÷_j is solid (+); Σ → ÷ is dashed (−: a bigger Σ makes every S_i
    smaller), and for i ≠ j it is the only route from z_j to S_i. Shapes: z, log10_e, S ``(n,)``; log10_sum a float
    (log₁₀ of e^{z_k/T} and of their sum, so huge z still prints).
    """
    z, log10_e, S = (np.asarray(a, dtype=float) for a in (z, log10_e, S))
    n = z.size
    ink = _ink(dark)
    ys = _rows(n)
    y_sum = -n + 0.2  # Σ sits below every row, so no numerator line passes through it
    X = {"z": 0.0, "exp": 1.0, "sum": 2.0, "div": 3.0, "S": 4.0}
    grey = "#9A9A9A"
    fig = go.Figure()

    def edge(xa, ya, xb, yb, col, dash, on, hover, shrink=0.16):
        # stop short of the target node so the arrowhead is visible
        fig.add_trace(_arrow(xa + shrink * 0.6, ya, xb - shrink, yb + (ya - yb) * shrink / max(xb - xa, 1e-9),
                             2.6 if on else 1.2, dash, col if on else grey, 1.0 if on else 0.35, hover, head=11 if on else 7))

    for k in range(n):
        on = k == j
        edge(X["z"], ys[k], X["exp"], ys[k], color(k, dark), "solid", on, f"{label('z', k)} → exp")
        edge(X["exp"], ys[k], X["sum"], y_sum, color(k, dark), "solid", on, f"e^{label('z', k)} → Σ")
    for i in range(n):
        edge(X["exp"], ys[i], X["div"], ys[i], color(i, dark), "solid", i == j, f"numerator e^{label('z', i)} → ÷")
        edge(X["sum"], y_sum, X["div"], ys[i], color(j, dark), "dash", True,
             f"Σ → ÷ (denominator of {label('S', i)})")
        edge(X["div"], ys[i], X["S"], ys[i], color(i, dark), "solid", True, f"÷ → {label('S', i)}")
    cols = [color(k, dark) for k in range(n)]
    fig.add_trace(_nodes(X["z"], ys, [label("z", k) for k in range(n)], cols, ink))
    fig.add_trace(_nodes(X["exp"], ys, ["exp"] * n, ["#F2F2F2"] * n, ink, size=34))
    fig.add_trace(_nodes(X["sum"], [y_sum], ["Σ"], ["#F2F2F2"], ink, size=40))
    fig.add_trace(_nodes(X["div"], ys, ["÷"] * n, ["#F2F2F2"] * n, ink))
    fig.add_trace(_nodes(X["S"], ys, [label("S", k) for k in range(n)], cols, ink))
    fig.add_trace(_text(X["S"] + 0.15, ys, [f"= {s:.3f}" for s in S], ink, "middle right"))
    fig.add_trace(_text(X["z"] - 0.15, ys, [_num(v, 2) for v in z], ink, "middle left"))
    fig.add_trace(_text(X["sum"], [y_sum - 0.45], [f"Σ = {_pow10(log10_sum)}"], ink, "bottom center"))
    if n <= 4:  # the values of e^{z_k} fit above each exp node; for larger n they are in the data table
        fig.add_trace(_text(X["exp"], ys + 0.42, [f"e^{label('z', k)} = {_pow10(v)}" for k, v in enumerate(log10_e)],
                            ink, "middle center", size=11))
    for x, t in ((X["z"], "logits"), (X["exp"], "exp"), (X["sum"], "sum"), (X["div"], "divide"), (X["S"], "outputs")):
        fig.add_annotation(x=x, y=0.75, text=f"<b>{t}</b>", showarrow=False, font={"color": ink, "size": 13}, yanchor="bottom")
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line={"color": color(j, dark), "width": 3, "dash": "solid"},
                             name=f"+ : direct path {label('z', j)} → exp → ÷ → {label('S', j)}"))
    fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", line={"color": color(j, dark), "width": 3, "dash": "dash"},
                             name=f"− : through Σ to every output (for i ≠ {j + 1} the only path)"))
    fig.update_xaxes(visible=False, range=[-0.6, 5.0])
    fig.update_yaxes(visible=False, range=[y_sum - 1.1, 1.3])
    fig.update_layout(height=_height(n) + 60, title=f"The elongated neuron: how {label('z', j)} reaches every output",
                      legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
                      margin={"l": 10, "r": 10, "t": 110, "b": 10})
    return fig


def _pow10(log10_value: float) -> str:
    """Plain-text 10^x for plotly labels: '7.39' or '3.03e+434294'."""
    if -3 <= log10_value < 5:
        return f"{10 ** log10_value:.3g}"
    k = math.floor(log10_value)
    return f"{10 ** (log10_value - k):.2f}e{k:+d}"


def convergence_figure(deltas, errors, j: int, dark: bool = False) -> go.Figure:
    """|ΔS_i/Δz_j − ∂S_i/∂z_j| against Δ on log-log axes, one line per output i (colour i).

    Shapes: deltas ``(m,)`` (> 0), errors ``(m, n)``. The error falls like Δ (truncation) until
    round-off (≈ 1e-16 / Δ) takes over for tiny Δ: the V every finite-difference check shows.
    """
    deltas = np.asarray(deltas, dtype=float)
    errors = np.asarray(errors, dtype=float)
    fig = go.Figure()
    floor = 1e-17
    for i in range(errors.shape[1]):
        fig.add_trace(go.Scatter(x=deltas, y=np.maximum(errors[:, i], floor), mode="lines+markers", name=label("S", i),
                                 line={"color": color(i, dark), "width": 2},
                                 hovertemplate=f"Δ = %{{x:.0e}}: error in ∂{label('S', i)}/∂{label('z', j)}"
                                               " = %{y:.1e}<extra></extra>"))
    fig.update_xaxes(type="log", title_text=f"step Δ added to {label('z', j)}", autorange="reversed", exponentformat="power")
    fig.update_yaxes(type="log", title_text="|ΔS/Δz − ∂S/∂z|", exponentformat="power")
    fig.update_layout(height=380, title="Error of ΔS/Δz as Δ shrinks: O(Δ), then round-off")
    return fig
