"""The seed's network: D inputs -> fully connected W (K x D), b -> K logits -> softmax -> K outputs."""

from __future__ import annotations

import numpy as np

from core import fmt

from .palette import color, label, text_on
from .palette import ink as palette_ink
from .spec import figure


def _ys(count: int) -> list[float]:
    """Evenly spaced node heights, top to bottom, centred on 0."""
    return (np.linspace(1, -1, count) * (count - 1) / 2 if count > 1 else np.zeros(1)).tolist()


def network_diagram(D: int = 2, K: int = 3, S=None, dark: bool = False, T: float = 1.0) -> dict:
    """Inputs x₁…x_D, logits z₁…z_K, a softmax block, outputs S₁…S_K, as a plotly spec dict.

    Edges x -> z are the weights W (grey: one per pair); edges z_j -> S_i are
    coloured by j, all K² of them, because every output depends on every logit.
    ``S`` (optional, shape ``(K,)``) is printed beside each output; ``T`` is the temperature its label names.
    The height grows with K so that ten outputs stay apart.
    """
    xs, zs, ss = _ys(D), _ys(K), _ys(K)
    ink = palette_ink(dark)
    faint = "rgba(180,180,180,0.45)"
    # weights W: every input to every logit
    ex = [0, 1, None] * (D * K)
    ey = [v for a in range(D) for k in range(K) for v in (xs[a], zs[k], None)]
    data = [{"type": "scatter", "x": ex, "y": ey, "mode": "lines", "line": {"color": faint, "width": 1.5},
             "hoverinfo": "skip", "name": "weights W"}]
    # softmax: every logit to every output, coloured by the logit's index
    for j in range(K):
        data.append({"type": "scatter", "x": [2, 3, None] * K, "y": [v for i in range(K) for v in (zs[j], ss[i], None)],
                     "mode": "lines", "line": {"color": color(j, dark), "width": 2.5}, "name": f"from {label('z', j)}",
                     "hoverinfo": "skip"})
    zcols = [color(k, dark) for k in range(K)]
    nodes = [(0, xs, [label("x", a) for a in range(D)], ["#BBBBBB"] * D),
             (1, zs, [label("z", k) for k in range(K)], zcols),
             (2, zs, [label("z", k) for k in range(K)], zcols),
             (3, ss, [label("S", k) for k in range(K)], zcols)]
    for x, ys, names, cols in nodes:
        data.append({"type": "scatter", "x": [x] * len(ys), "y": ys, "mode": "markers+text", "text": names,
                     "textposition": "middle center", "marker": {"size": 44, "color": cols, "line": {"color": ink, "width": 1.5}},
                     "textfont": {"size": 15, "color": [text_on(c) if c.startswith("#") else "#000000" for c in cols]},
                     "hoverinfo": "text", "showlegend": False})  # the 8th index colour is black: its label is white
    if S is not None:
        data.append({"type": "scatter", "x": [3.5] * K, "y": ss, "mode": "text", "showlegend": False,
                     "text": [fmt.num(s, unicode=True) for s in np.asarray(S, float)], "textposition": "middle right",
                     "textfont": {"size": 14, "color": ink}, "hoverinfo": "skip"})
    bottom = min(min(xs), min(zs))
    annotations = [{"x": 2.5, "y": max(zs) + 0.6, "text": "softmax: every S depends on every z", "showarrow": False,
                    "yanchor": "bottom", "font": {"size": 13, "color": ink}}]
    per_T = "" if T == 1 else f"/{fmt.num(T, 6, unicode=True)}"  # the label names the temperature the printed S were computed at
    # two lines each: on one line, neighbouring labels met on a phone (a unit of x is about 80 px there)
    layers = ((0, f"{D} inputs<br>x"), (1, "logits<br>z = Wx + b"), (3, f"outputs<br>S = softmax(z{per_T})"))
    annotations += [{"x": x, "y": bottom - 0.75, "yanchor": "top", "text": f"<b>{t}</b>", "showarrow": False,
                     "font": {"color": ink}} for x, t in layers]
    layout = {
        "height": max(380, 80 + 60 * max(D, K)), "showlegend": False, "margin": {"l": 10, "r": 10, "t": 56, "b": 10},
        "title": {"text": f"The network, n = {K}"},  # short: it shares half a page; the layer labels say the rest
        "xaxis": {"visible": False, "range": [-0.5, 4.15]},
        # room under the nodes for the two-line layer labels, at a slide's font size too
        "yaxis": {"visible": False, "range": [bottom - 2.1, max(max(xs), max(zs)) + 1.3]},
        # the softmax box goes round its nodes (a 44 px node is about 0.3 units wide at the narrowest column), not
        # through their middles
        "shapes": [{"type": "rect", "x0": 1.58, "x1": 3.42, "y0": min(zs) - 0.6, "y1": max(zs) + 0.6,
                    "line": {"color": ink, "dash": "dot", "width": 1}, "fillcolor": "rgba(0,0,0,0)"}],
        "annotations": annotations,
    }
    return figure(data, layout)
