"""Figures for the Dependencies page: the n² arrows z_j -> S_i, the nudge animation, the elongated neuron.

Arrays in, a plain plotly spec dict out (:mod:`figures.spec`: no graph objects, so no per-property validation on a
slider move); no maths beyond layout (S, J, the sweep and the difference quotients are computed by the page with
:mod:`core`). Colour follows the input index j everywhere; the sign of ∂S_i/∂z_j has a redundant cue: solid for +,
dashed for − (:data:`figures.palette.SIGN_DASH`).
"""

from __future__ import annotations

import numpy as np

from core import fmt

from .animation import PLAY, buttons, controls, scrubber, step
from .palette import SIGN_DASH, color, label, subscript, text_on
from .palette import ink as palette_ink
from .screens import LAPTOP, PHONE
from .spec import axes, axis, figure, hover, row_layout

W_MIN, W_MAX = 0.6, 9.0  # arrow widths in px: |J| = 0 -> W_MIN, |J| >= scale -> W_MAX
DIM = 0.13  # opacity of the arrows that do not leave the selected z_j
ROW_PX = 50  # vertical pixels per node row
SPEEDS = ((PLAY, 220), ("▶▶ Fast", 60))  # (button label, milliseconds per frame)


def arrow_widths(J, scale: float) -> np.ndarray:
    """Line width for each |J[i, j]|: linear from W_MIN (0) to W_MAX (|J| >= scale). Shapes ``(n, n) -> (n, n)``.

    ``scale`` is fixed by the page (the largest possible |∂S_i/∂z_j| = 1/(4T)), so widths are comparable
    across animation frames and across pages.
    """
    a = np.abs(np.asarray(J, dtype=float)) / max(float(scale), 1e-300)  # saturated softmax: J = 0, scale = 0
    return W_MIN + (W_MAX - W_MIN) * np.clip(a, 0.0, 1.0)


def _heads(width):
    """Arrowhead size (px) for a line of ``width`` px (a number or an array): a little wider than the line."""
    return np.round(7.0 + 1.2 * np.asarray(width, dtype=float), 1)


def _rows(n: int) -> list[float]:
    """Node heights: row 0 (S₁, z₁) at the top."""
    return [-float(k) for k in range(n)]


def _height(n: int) -> int:
    return 170 + ROW_PX * max(n, 4)


def _arrow(x0, y0, x1, y1, width, dash, col, opacity, hover, head=16.0, name="", showlegend=False, xaxis="x", yaxis="y"):
    """One arrow: a line with an arrow-shaped marker at its end (oriented along the line by plotly)."""
    return {"type": "scatter", "x": [x0, (x0 + x1) / 2, x1], "y": [y0, (y0 + y1) / 2, y1], "mode": "lines+markers",
            "xaxis": xaxis, "yaxis": yaxis, "line": {"width": width, "color": col, "dash": dash}, "opacity": opacity,
            "name": name, "showlegend": showlegend,
            "marker": {"symbol": "triangle-up", "angleref": "previous", "size": [0, 0, head], "color": col, "opacity": 1,
                       "line": {"width": 0}},
            "hovertemplate": hover + "<extra></extra>", "hoverlabel": {"namelength": 0}}


def _nodes(x, ys, names, cols, ink, xaxis="x", yaxis="y", size=30):
    return {"type": "scatter", "x": [x] * len(ys), "y": list(ys), "mode": "markers+text", "text": names,
            "textposition": "middle center", "marker": {"size": size, "color": cols, "line": {"color": ink, "width": 1.2}},
            "xaxis": xaxis, "yaxis": yaxis, "textfont": {"size": 13, "color": [text_on(c) for c in cols]},
            "hoverinfo": "skip", "showlegend": False, "cliponaxis": False}


def _text(x, ys, texts, ink, position, xaxis="x", yaxis="y", size=13):
    return {"type": "scatter", "x": [x] * len(ys), "y": list(ys), "mode": "text", "text": texts, "textposition": position,
            "xaxis": xaxis, "yaxis": yaxis, "textfont": {"size": size, "color": ink}, "hoverinfo": "skip",
            "showlegend": False, "cliponaxis": False}


def _key(text: str, col: str, dash: str) -> dict:
    """A legend entry with nothing drawn."""
    return {"type": "scatter", "x": [None], "y": [None], "mode": "lines", "name": text, "showlegend": True,
            "line": {"color": col, "width": 3, "dash": dash}}




def _readout(q, exact, j: int, delta: float | None, short: bool = False) -> list[str]:
    """Per output i: 'ΔS_i/Δz_j = q  (∂ = exact)'; at Δ = 0 only the exact derivative. ``short`` (a phone's narrow
    column, headed "ΔSᵢ/Δz" over "→ ∂Sᵢ/∂z"): q over '→exact', on two lines as the header (on one, "−2.5×10⁻⁴→−1.2×10⁻⁴"
    ran into the S bars' labels beside it), and the exact value alone."""
    sj = subscript(j)
    if short:
        if delta is None or delta == 0:
            return [fmt.signed(e, 4) for e in exact]
        return [f"{fmt.signed(v)}<br>→{fmt.signed(e)}" for v, e in zip(q, exact, strict=True)]
    if delta is None or delta == 0:
        return [f"∂S{subscript(i)}/∂z{sj} = {fmt.signed(e, 4)}" for i, e in enumerate(exact)]
    return [f"ΔS{subscript(i)}/Δz{sj} = {fmt.signed(v, 4)}   (∂ = {fmt.signed(e, 4)})"
            for i, (v, e) in enumerate(zip(q, exact, strict=True))]


def dependency_figure(z, S, J, j: int, scale: float, dark: bool = False, sweep=None, screen: str = LAPTOP) -> dict:
    """z₁…zₙ (left) -> S₁…Sₙ (right): n² arrows coloured by j, width ∝ |∂S_i/∂z_j|, solid +, dashed −.

    The arrows leaving the selected z_j (0-based ``j``) are highlighted; the rest are dimmed. Beside the
    S nodes: bars of S and the readout of ∂S_i/∂z_j.

    Shapes: z, S ``(n,)``, J ``(n, n)`` with J[i, j] = ∂S_i/∂z_j. Traces: arrow (j, i) is trace
    ``j * n + i``; then 2 legend keys, the nodes, the labels, the bars and the readout.

    ``sweep`` (optional) animates the nudge of z_j with client-side frames: a dict with ``deltas (m,)``,
    ``Z (m, n)``, ``S (m, n)``, ``J (m, n, n)`` at z + Δ e_j, and ``quotients (m, n)`` (ΔS_i/Δz_j, NaN
    where Δ = 0). Each frame re-weights the n highlighted arrows leaving z_j (the dimmed ones keep their
    widths at z: restyling all n² of them per frame multiplied the n = 10 figure's server CPU per rerun, see
    docs/PERFORMANCE.md, for lines drawn at 8 % opacity), moves the S bars, the z_j label and the readout.

    On a phone the readout is short (its column header says what the two numbers are), the legend and the slider each
    get their own line under the Play buttons.
    """
    phone = screen == PHONE
    z, S, J = (np.asarray(a, dtype=float) for a in (z, S, J))
    n = z.size
    ink = palette_ink(dark)
    ys = _rows(n)
    widths = arrow_widths(J, scale)
    lw, heads = np.round(widths, 1).tolist(), _heads(widths).tolist()
    minus = np.signbit(J).tolist()  # signbit: a saturated −S_iS_j is −0.0 and still drawn dashed
    dim = DIM if n <= 4 else DIM * 0.6
    x0, x1 = 0.09, 0.88  # arrows start and end just outside the node circles
    port = ((np.arange(n) - (n - 1) / 2) * (0.4 / n)).tolist()  # fan the n arrows at each node: heads do not overlap
    cols = [color(k, dark) for k in range(n)]
    zs, Ss = [label("z", k) for k in range(n)], [label("S", k) for k in range(n)]
    data = [_arrow(x0, ys[jj], x1, ys[i] - port[jj], lw[i][jj], SIGN_DASH[-1 if minus[i][jj] else 1], cols[jj],
                   1.0 if jj == j else dim, f"∂{Ss[i]}/∂{zs[jj]} = {fmt.signed(J[i, jj], 4)}",
                   head=heads[i][jj] if jj == j else 0)  # only the highlighted arrows carry heads: n² heads are clutter
            for jj in range(n) for i in range(n)]
    data += [_key(text, ink, SIGN_DASH[sign]) for sign, text in ((1, "+ : ∂Sᵢ/∂zⱼ > 0 (i = j)"), (-1, "− : ∂Sᵢ/∂zⱼ < 0 (i ≠ j)"))]
    data += [
        _nodes(0, ys, zs, cols, ink),
        _nodes(1, ys, Ss, cols, ink),
        # z values (z_j moves in the animation), clear of the node: 0.1 x-units is under a node's radius on a phone
        _text(-0.24 if phone else -0.1, ys, [fmt.fixed(v, 2, sci=True, unicode=True) for v in z.tolist()], ink, "middle left"),
        {"type": "bar", "x": S.tolist(), "y": ys, "orientation": "h", "marker": {"color": cols},
         "text": [fmt.num(s, unicode=True) for s in S.tolist()], "textposition": "outside", "cliponaxis": False, "xaxis": "x2",
         "yaxis": "y2", "showlegend": False, "customdata": fmt.nums(S, 4), "hovertemplate": "S = %{customdata}<extra></extra>",
         "width": 0.6},
        # a phone's narrow S column: its bar labels reach into this one, so there the readout ends at the right edge
        _text(1.0 if phone else 0.0, ys, _readout(None, J[:, j].tolist(), j, None, phone), ink,
              "middle left" if phone else "middle right", xaxis="x3", yaxis="y3", size=12),
    ]
    head = f"ΔSᵢ/Δz{subscript(j)}<br>→ ∂Sᵢ/∂z{subscript(j)}" if phone else "ΔS/Δz → ∂S/∂z"  # a phone: two lines
    layout = row_layout(3, widths=[0.44, 0.22, 0.34] if phone else [0.5, 0.18, 0.32], spacing=0.02, titles=("", "S", head),
                        shared_y=True)
    axes(layout, "x", visible=False)
    axis(layout, "xaxis", range=[-0.8, 1.12] if phone else [-0.55, 1.12])
    # a phone's S column is about 75 px: at S near 1 a bar of 1/1.45 of it and its label ("0.996") ran into the readout
    # beside it (seen at z = (3, −2, 0.5), nudged by +3): there a bar of 1 is half the column
    axis(layout, "xaxis2", range=[0, 2.0] if phone else [0, 1.45])
    axis(layout, "xaxis3", range=[0, 1])
    axes(layout, "y", visible=False, range=[-n + 0.4, 0.7])
    layout.update(height=_height(n), title={"text": f"Every S depends on every z: the {n} arrows from {zs[j]} are highlighted"},
                  legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"},
                  margin={"l": 10, "r": 10, "t": 130, "b": 20}, bargap=0.3)
    if phone:  # the legend's two entries are wider than the column headers' gap: under the figure instead
        layout["margin"] = {"l": 10, "r": 10, "t": 90, "b": 80}
        layout["height"] = _height(n) + 40
        # the three columns stay side by side, row i of each beside row i of the others (figures.screens.fit would
        # stack a row of subplots on a phone: the readout then lost the rows that say which S each number is)
        layout["meta"] = {"keep_row": True}
    frames = None
    if sweep is not None:
        frames = _animate(layout, sweep, J[:, j].tolist(), j, scale, n, dark, phone)
    plot_h = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
    if phone:
        layout["legend"] = {"orientation": "h", "x": 0, "y": -(layout["margin"]["b"] - 56) / plot_h, "yanchor": "top",
                            "font": {"size": 11}}
    else:  # a line of its own above the column titles: beside them it ran into "S" in a step's 640 px figure column
        layout["legend"]["y"] = 1 + 30 / plot_h
    return figure(data, layout, frames)


def _animate(layout: dict, sweep: dict, exact, j: int, scale: float, n: int, dark: bool, phone: bool = False) -> list[dict]:
    """The nudge frames (each restyles only the traces that move), with their play buttons and scrub slider."""
    deltas = np.asarray(sweep["deltas"], dtype=float)
    moving = [*range(j * n, j * n + n), n * n + 4, n * n + 5, n * n + 6]  # z_j's arrows, z labels, bars, readout
    w = np.round(arrow_widths(np.asarray(sweep["J"])[:, :, j], scale), 1)  # (m, n); 0.1 px is invisible, frames stay small
    W, H = w.tolist(), _heads(w).tolist()
    Z, S, Q = (np.asarray(sweep[k], dtype=float).tolist() for k in ("Z", "S", "quotients"))
    zlab = label("z", j)
    frames, steps = [], []
    for k, d in enumerate(deltas.tolist()):
        data = [{"type": "scatter", "line": {"width": W[k][i]}, "marker": {"size": [0, 0, H[k][i]]}} for i in range(n)]
        data += [{"type": "scatter", "text": [fmt.fixed(v, 2, sci=True, unicode=True) for v in Z[k]]},
                 {"type": "bar", "x": S[k], "text": [fmt.num(s, unicode=True) for s in S[k]], "customdata": fmt.nums(S[k], 4)},
                 {"type": "scatter", "text": _readout(None if d == 0 else Q[k], exact, j, d, phone)}]
        frames.append({"data": data, "name": f"{k}", "traces": list(moving)})
        steps.append(step(f"{k}", f"{fmt.signed(d, 2)}   ({zlab} = {fmt.fixed(Z[k][j], 2, unicode=True)})"))
    rest = int(np.argmin(np.abs(deltas)))
    if phone:  # buttons, then the slider with its readout, then (dependency_figure) the legend: one line each
        layout["margin"]["b"] = 200
        layout["height"] = _height(n) + 140
        plot_h = layout["height"] - layout["margin"]["t"] - layout["margin"]["b"]
        controls(layout, buttons(SPEEDS, pause="Pause"),
                 scrubber(steps, f"nudge Δ{zlab} = ", dark, active=rest, ticks=False, gap=10), -6 / plot_h, plot_h=plot_h)
        return frames
    layout["margin"]["b"] = 60
    layout["height"] = _height(n) + 20
    # the slider on its own line under the buttons: beside them it overlapped Pause in a step's 640 px figure column
    controls(layout, buttons(SPEEDS, pause="Pause"),
             scrubber(steps, f"nudge Δ{zlab} = ", dark, active=rest, ticks=False, gap=10, readout="right"), -0.02, grow=True)
    return frames


def neuron_graph(z, log10_e, log10_sum: float, S, j: int, dark: bool = False, T: float = 1.0,
                 screen: str = LAPTOP) -> dict:
    """The "elongated neuron": z_k → exp → e^{z_k}; all e^{z_k} → Σ; e^{z_i} ÷ Σ → S_i.

    Paths from the selected z_j (0-based) are drawn in colour j; everything else is dimmed. The
    numerator path z_j → exp → ÷_j is solid (+); Σ → ÷ is dashed (−: a bigger Σ makes every S_i
    smaller), and for i ≠ j it is the only route from z_j to S_i. Shapes: z, log10_e, S ``(n,)``; log10_sum a float
    (log₁₀ of e^{z_k/T} and of their sum, so huge z still prints). ``T`` only labels: "e^z₁" or "e^(z₁/T)".
    """
    ez = (lambda k: f"e^{label('z', k)}") if T == 1 else (lambda k: f"e^({label('z', k)}/T)")
    z, log10_e, S = (np.asarray(a, dtype=float).tolist() for a in (z, log10_e, S))
    n = len(z)
    ink = palette_ink(dark)
    ys = _rows(n)
    off = 0.3 if screen == PHONE else 0.15  # labels beside a node start outside its radius (a phone has ~60 px per unit)
    y_sum = -n + 0.2  # Σ sits below every row, so no numerator line passes through it
    X = {"z": 0.0, "exp": 1.0, "sum": 2.0, "div": 3.0, "S": 4.0}
    grey = "#9A9A9A"
    cols = [color(k, dark) for k in range(n)]
    data = []

    def edge(xa, ya, xb, yb, col, dash, on, hover, shrink=0.16):
        # stop short of the target node so the arrowhead is visible
        data.append(_arrow(xa + shrink * 0.6, ya, xb - shrink, yb + (ya - yb) * shrink / max(xb - xa, 1e-9),
                           2.6 if on else 1.2, dash, col if on else grey, 1.0 if on else 0.35, hover, head=11 if on else 7))

    for k in range(n):
        on = k == j
        edge(X["z"], ys[k], X["exp"], ys[k], cols[k], "solid", on, f"{label('z', k)} → exp")
        edge(X["exp"], ys[k], X["sum"], y_sum, cols[k], "solid", on, f"{ez(k)} → Σ")
    for i in range(n):
        edge(X["exp"], ys[i], X["div"], ys[i], cols[i], "solid", i == j, f"numerator {ez(i)} → ÷")
        edge(X["sum"], y_sum, X["div"], ys[i], cols[j], "dash", True, f"Σ → ÷ (denominator of {label('S', i)})")
        edge(X["div"], ys[i], X["S"], ys[i], cols[i], "solid", True, f"÷ → {label('S', i)}")
    data += [
        _nodes(X["z"], ys, [label("z", k) for k in range(n)], cols, ink),
        _nodes(X["exp"], ys, ["exp"] * n, ["#F2F2F2"] * n, ink, size=34),
        _nodes(X["sum"], [y_sum], ["Σ"], ["#F2F2F2"], ink, size=40),
        _nodes(X["div"], ys, ["÷"] * n, ["#F2F2F2"] * n, ink),
        _nodes(X["S"], ys, [label("S", k) for k in range(n)], cols, ink),
        # below 0.001 the exact power of ten (7.80×10⁻⁵, from its log: float64 S may be 0), never "= 0.000"
        _text(X["S"] + off, ys, [f"= {fmt.num(s, unicode=True)}" if s >= 1e-3 else
                                 f"= {_pow10(v - log10_sum, 1 if screen == PHONE else 2)}"  # a phone: 7.8×10⁻⁵ fits
                                 for s, v in zip(S, log10_e, strict=True)], ink, "middle right"),
        _text(X["z"] - off, ys, [fmt.fixed(v, 2, sci=True, unicode=True) for v in z], ink, "middle left"),
        _text(X["sum"], [y_sum - 0.45], [f"Σ = {_pow10(log10_sum)}"], ink, "bottom center"),
    ]
    if n <= 4:  # the values of e^{z_k} fit above each exp node; for larger n they are in the data table
        data.append(_text(X["exp"], [y + 0.42 for y in ys], [f"{ez(k)} = {_pow10(v)}" for k, v in enumerate(log10_e)],
                          ink, "middle center", size=11))
    zj, Sj = label("z", j), label("S", j)
    br = "<br>   " if screen == PHONE else " "  # a phone's legend line is one short sentence wide
    data += [_key(f"+ : direct path {zj} → exp → ÷ → {Sj}", cols[j], "solid"),
             _key(f"− : through Σ to every output{br}(for i ≠ {j + 1} the only path)", cols[j], "dash")]
    layout = {
        "annotations": [{"x": x, "y": 0.75, "text": f"<b>{t}</b>", "showarrow": False, "font": {"color": ink, "size": 13},
                         "yanchor": "bottom"}
                        for x, t in ((X["z"], "logits"), (X["exp"], "exp" if T == 1 else "exp of z/T"), (X["sum"], "sum"),
                                     (X["div"], "divide"),
                                     (X["S"], "outputs"))],
        "xaxis": {"visible": False, "range": [-1.0, 5.45] if screen == PHONE else [-0.6, 5.0]},
        "yaxis": {"visible": False, "range": [y_sum - 1.1, 1.3]},
        "height": _height(n) + 90, "title": {"text": f"The elongated neuron: how {zj} reaches every output"},
        # one entry per line: side by side they wrap in a step's 640 px figure column and grew up into the title
        "legend": {"orientation": "v", "x": 0, "y": 1.0, "yanchor": "bottom"},
        "margin": {"l": 10, "r": 10, "t": 140, "b": 10},
    }
    if screen == PHONE:  # the legend under the graph, one entry per line
        layout.update(legend={"orientation": "v", "x": 0, "y": 0, "yanchor": "top", "font": {"size": 11}},
                      margin={"l": 10, "r": 10, "t": 70, "b": 80}, height=_height(n) + 100)
    return figure(data, layout)


def _pow10(log10_value: float, places: int = 2) -> str:
    """Plain-text 10^x for plotly labels (no LaTeX in plotly text): '7.39' or '3.03×10⁴³⁴²⁹⁴'."""
    return fmt.pow10(log10_value, latex=False, mant_places=places)


def convergence_figure(deltas, errors, j: int, dark: bool = False, screen: str = LAPTOP) -> dict:
    """|ΔS_i/Δz_j − ∂S_i/∂z_j| against Δ on log-log axes, one line per output i (colour i).

    Shapes: deltas ``(m,)`` (> 0), errors ``(m, n)``. The error falls like Δ (truncation) until
    round-off (≈ 1e-16 / Δ) takes over for tiny Δ: the V every finite-difference check shows.
    """
    deltas = np.asarray(deltas, dtype=float).tolist()
    floored = np.maximum(np.asarray(errors, dtype=float), 1e-17).T.tolist()  # log axis: exact zeros are floored
    zj = label("z", j)
    d_text = fmt.nums(deltas, each=lambda d: fmt.num(d, 1))
    data = [{"type": "scatter", "x": deltas, "y": y, "mode": "lines+markers", "name": label("S", i),
             "line": {"color": color(i, dark), "width": 2}, "customdata": hover(d_text, fmt.nums(y, 2)),
             "hovertemplate": f"Δ = %{{customdata[0]}}: error in ∂{label('S', i)}/∂{zj} = %{{customdata[1]}}<extra></extra>"}
            for i, y in enumerate(floored)]
    layout = {"xaxis": {"type": "log", "title": {"text": f"step Δ added to {zj}"}, "autorange": "reversed",
                        "exponentformat": "power"},
              "yaxis": {"type": "log", "title": {"text": "|ΔS/Δz − ∂S/∂z|"}, "exponentformat": "power"},
              "height": 380, "title": {"text": "Error of ΔS/Δz as Δ shrinks"}}  # fits half a page
    if screen == PHONE:  # a tick every 4 decades: 10⁻³, 10⁻⁶… collide on a 300 px axis; the legend under the plot
        layout["xaxis"]["dtick"] = 4
        layout["yaxis"]["dtick"] = 4
        layout["legend"] = {"orientation": "h", "x": 0, "y": -0.3, "yanchor": "top"}
        layout["height"] = 440
        layout["margin"] = {"b": 110}
    return figure(data, layout)
