"""The seed's network: D inputs -> fully connected W (K x D), b -> K logits -> softmax -> K outputs."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from .palette import color, label


def _ys(count: int) -> np.ndarray:
    """Evenly spaced node heights, top to bottom, centred on 0."""
    return np.linspace(1, -1, count) * (count - 1) / 2 if count > 1 else np.zeros(1)


def network_diagram(D: int = 2, K: int = 3, S=None, dark: bool = False) -> go.Figure:
    """Inputs x₁…x_D, logits z₁…z_K, a softmax block, outputs S₁…S_K.

    Edges x -> z are the weights W (grey: one per pair); edges z_j -> S_i are
    coloured by j, all K² of them, because every output depends on every logit.
    ``S`` (optional, shape ``(K,)``) is printed under each output.
    """
    xs, zs, ss = _ys(D), _ys(K), _ys(K)
    ink = "#FAFAFA" if dark else "#262730"
    faint = "rgba(180,180,180,0.45)"
    fig = go.Figure()
    # weights W: every input to every logit
    ex, ey = [], []
    for a in range(D):
        for k in range(K):
            ex += [0, 1, None]
            ey += [xs[a], zs[k], None]
    fig.add_trace(go.Scatter(x=ex, y=ey, mode="lines", line={"color": faint, "width": 1.5}, hoverinfo="skip", name="weights W"))
    # softmax: every logit to every output, coloured by the logit's index
    for j in range(K):
        sx, sy = [], []
        for i in range(K):
            sx += [2, 3, None]
            sy += [zs[j], ss[i], None]
        fig.add_trace(go.Scatter(x=sx, y=sy, mode="lines", line={"color": color(j, dark), "width": 2.5},
                                 name=f"from {label('z', j)}", hoverinfo="skip"))
    fig.add_shape(type="rect", x0=1.9, x1=3.1, y0=min(zs) - 0.6, y1=max(zs) + 0.6,
                  line={"color": ink, "dash": "dot", "width": 1}, fillcolor="rgba(0,0,0,0)")
    fig.add_annotation(x=2.5, y=max(zs) + 0.6, text="softmax: every S depends on every z", showarrow=False,
                       yanchor="bottom", font={"size": 13, "color": ink})
    nodes = [(0, xs, [label("x", a) for a in range(D)], ["#BBBBBB"] * D),
             (1, zs, [label("z", k) for k in range(K)], [color(k, dark) for k in range(K)]),
             (2, zs, [label("z", k) for k in range(K)], [color(k, dark) for k in range(K)]),
             (3, ss, [label("S", k) for k in range(K)], [color(k, dark) for k in range(K)])]
    for x, ys, names, cols in nodes:
        fig.add_trace(go.Scatter(x=[x] * len(ys), y=ys, mode="markers+text", text=names, textposition="middle center",
                                 marker={"size": 44, "color": cols, "line": {"color": ink, "width": 1.5}},
                                 textfont={"size": 15, "color": "#000000"}, hoverinfo="text", showlegend=False))
    if S is not None:
        S = np.asarray(S, float)
        fig.add_trace(go.Scatter(x=[3.45] * K, y=ss, mode="text", text=[f"{s:.3f}" for s in S], showlegend=False,
                                 textposition="middle right", textfont={"size": 14, "color": ink}, hoverinfo="skip"))
    for x, t in ((0, f"{D} inputs x"), (1, "logits<br>z = Wx + b"), (3, "outputs<br>S = softmax(z)")):
        fig.add_annotation(x=x, y=min(min(xs), min(zs)) - 0.75, yanchor="top", text=f"<b>{t}</b>", showarrow=False,
                           font={"color": ink})
    fig.update_xaxes(visible=False, range=[-0.5, 4.0])
    fig.update_yaxes(visible=False, range=[min(min(xs), min(zs)) - 1.5, max(max(xs), max(zs)) + 1.3])
    fig.update_layout(height=380, showlegend=False, margin={"l": 10, "r": 10, "t": 30, "b": 10},
                      title="The seed's network")
    return fig
