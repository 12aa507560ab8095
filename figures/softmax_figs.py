r"""Figures and live LaTeX for the Softmax page: bars with Σ S = 1, shift invariance, temperature frames.

Arrays in, a plain plotly spec dict (``figures.spec``) or a LaTeX string out: no maths here beyond layout. The
page computes S, the sweeps and the log₁₀ of the exponentials with :mod:`core`.
"""

from __future__ import annotations

import math
import re

import numpy as np

from core import fmt

from .animation import PLAY, buttons, controls, scrubber, step
from .palette import color, label
from .palette import ink as palette_ink
from .palette import paper as palette_paper
from .screens import LAPTOP, PHONE, SLIDE
from .spec import axis, column_layout, figure, hline, hover, on, row_layout

LINE_CHARS = 80  # visible KaTeX characters that fit across the main column at 1280 px (≈ 10.5 px each)
PHONE_LINE_CHARS = 36  # a phone's column (358 px at 390 px wide: about 34 at 10.5 px; the page script shrinks the rest)


# ---- LaTeX with live numbers -------------------------------------------------------------------


def _num(v: float) -> str:
    """An exponent inside e^{…}: 4 significant figures, and the short "1e6" rather than "1\\times10^{6}", which would
    push a line of the definition past LINE_CHARS at z = ±10⁶ (tests/test_figures_softmax.py)."""
    return fmt.num(v, 4, unicode=False).replace("e+0", "e").replace("e+", "e")


def _visible(cell: str) -> int:
    """Rough count of the characters KaTeX draws for ``cell`` (commands and braces dropped; a fraction counts once)."""
    text = re.sub(r"\\dfrac\{([^{}]*)\}\{([^{}]*)\}", lambda m: max(m.group(1), m.group(2), key=len), cell)
    return len(re.sub(r"\\[a-zA-Z]+|[{}^_&]", "", text))


def per_row(cells: list[str], line_chars: int = LINE_CHARS) -> int:
    """How many cells fit on one line (1…5), so n = 10 or huge numbers wrap instead of running off the page."""
    return max(1, min(5, line_chars // max(_visible(c) + 4 for c in cells)))


def _grid(cells: list[str], gap: str = "6pt", line_chars: int = LINE_CHARS) -> str:
    k = per_row(cells, line_chars)
    rows = [cells[r : r + k] for r in range(0, len(cells), k)]
    cols = len(rows[0])
    body = rf" \\[{gap}] ".join(" & ".join(row + [""] * (cols - len(row))) for row in rows)
    return rf"\begin{{array}}{{{'l' * cols}}} {body} \end{{array}}"


def _exp(k: int, T: float, value: float | None = None) -> str:
    """``e^{z_{k}}`` (1-based k) or ``e^{z_{k}/T}``; with a value, the exponent is the number."""
    if value is None:
        # e^{{}z_k/T}: the empty group keeps colorize_latex from colouring "e^{z_k" and breaking the exponent
        return rf"e^{{z_{{{k}}}}}" if T == 1 else rf"e^{{{{}}z_{{{k}}}/T}}"
    return rf"e^{{{_num(value)}}}" if T == 1 else rf"e^{{{_num(value)}/{_num(T)}}}"


def _share(S_i: float, log10_S: float) -> str:
    """S_i to 4 decimals (core.fmt.tex: 4 significant figures below 0.1), or below 0.001 as a power of ten (an S_i of
    e^{−1000} is positive, never 0.0000). The power comes from the exact log₁₀: float64 S_i itself underflows to 0
    there."""
    return fmt.tex(S_i, 4) if S_i >= 1e-3 else fmt.pow10(log10_S, 3)


def _operand(log10_value: float) -> str:
    """An e^{z/T} or a sum of them in a printed fraction: one significant figure more than the 4 of the quotient it
    gives, trailing zeros kept, so that 2.2026×10⁴ / 2.2484×10⁴ = 0.9796 holds as printed (2.2×10⁴ / 2.25×10⁴ did not),
    and a sum reads with its terms' figures (9.7000×10⁸ beside 4.8500×10⁸, not 9.7 beside 4.85)."""
    return fmt.pow10(log10_value, 5, mant_digits=5)


def definition_latex(z, log10_e, log10_sum: float, S, T: float = 1.0, screen: str = LAPTOP) -> str:
    r"""The definition with every number substituted: each e^{z_j}, the sum, each S_i and Σ S.

    ``log10_e[k] = log₁₀ e^{z_k/T}`` and ``log10_sum`` come from ``core.explore.exp_log10`` so that
    z = 1e6 still prints (as a power of ten) instead of inf. The cells wrap into rows of at most five, as many as fit
    in a line of ``screen`` (:data:`PHONE_LINE_CHARS` on a phone: three to a row cut S₃ off at the defaults).
    """
    line_chars = PHONE_LINE_CHARS if screen == PHONE else LINE_CHARS
    n = len(z)
    terms = [_operand(v) for v in log10_e]
    exps = [rf"{_exp(k + 1, T)} = {_exp(k + 1, T, z[k])} = {terms[k]}" for k in range(n)]
    shown = terms if n <= 4 else [*terms[:2], r"\dots", terms[-1]]
    e_k = r"e^{z_k}" if T == 1 else r"e^{z_k/T}"
    total = rf"\textstyle\sum_{{k=1}}^{{{n}}} {e_k} = {' + '.join(shown)} = {_operand(log10_sum)}"
    outs = [rf"S_{{{i + 1}}} = \dfrac{{{terms[i]}}}{{{_operand(log10_sum)}}} = {_share(S[i], log10_e[i] - log10_sum)}"
            for i in range(n)]
    return (
        rf"\begin{{aligned}} &{_grid(exps, line_chars=line_chars)} \\[8pt] &{total} \\[8pt] "
        rf"&{_grid(outs, '14pt', line_chars)}"
        rf" \\[8pt] &\textstyle\sum_{{i}} S_i = {fmt.fixed(np.sum(S), 6)} \end{{aligned}}"
    )


def shift_latex(i: int, c: float, T: float, log10_ec: float, log10_ezi: float, log10_sum: float, S_i: float) -> str:
    r"""Why S(z + c) = S(z), for output i (0-based) with the numbers: e^{c} is a common factor and cancels.

    ``log10_ec = log₁₀ e^{c/T}``, ``log10_ezi = log₁₀ e^{z_i/T}``, ``log10_sum = log₁₀ Σ e^{z_k/T}``.
    """
    k = i + 1
    sc = "" if T == 1 else "/T"
    zk = rf"z_{{{k}}}" if T == 1 else rf"{{}}z_{{{k}}}"  # see _exp: keeps the /T inside the coloured exponent
    ec = rf"e^{{{_num(c)}}}" if T == 1 else rf"e^{{{_num(c)}/{_num(T)}}}"
    return (
        rf"\begin{{aligned}} S_{{{k}}}(z + c) &= \frac{{e^{{(z_{{{k}}} + c){sc}}}}}{{\sum_k e^{{(z_k + c){sc}}}}}"
        rf" = \frac{{\cancel{{e^{{c{sc}}}}}\, e^{{{zk}{sc}}}}}{{\cancel{{e^{{c{sc}}}}} \sum_k e^{{z_k{sc}}}}}"
        rf" = S_{{{k}}}(z) \\[6pt]"
        rf" &= \frac{{{ec} \cdot {_operand(log10_ezi)}}}{{{ec} \cdot {_operand(log10_sum)}}}"
        rf" = \frac{{{_operand(log10_ec + log10_ezi)}}}{{{_operand(log10_ec + log10_sum)}}}"
        rf" = {fmt.tex(S_i, 4)} \end{{aligned}}"
    )


# ---- figures -----------------------------------------------------------------------------------------


def _names(symbol: str, n: int) -> list[str]:
    return [label(symbol, k) for k in range(n)]


def softmax_bars(S, dark: bool = False, title: str = "Softmax outputs S: positive, and they sum to 1",
                 screen: str = LAPTOP) -> dict:
    """Left: one bar per S_i in colour i, value on top. Right: the same S stacked into one bar of height 1.

    Shapes: S ``(n,)``. The stacked bar makes Σ S = 1 visible, not just stated. On a phone the values print only up to
    n = 5 (wider they would collide: the hover and the data table carry them).
    """
    phone = screen == PHONE
    S = np.asarray(S, dtype=float)
    n = S.size
    names = _names("S", n)
    cols = [color(k, dark) for k in range(n)]
    data = [on(1, {"type": "bar", "x": names, "y": S, "marker": {"color": cols, "line": {"width": 0}},
                   "text": [fmt.num(s, unicode=True) for s in S] if not phone or n <= 5 else None, "textposition": "outside",
                   # at n = 10 plotly shrank the labels to a bar's width (about 6 px, unreadable on a projector):
                   # a fixed 11 px instead, which fits ten labels across the chart
                   **({"textfont": {"size": 11}, "constraintext": "none"} if n > 6 else {}),
                   "cliponaxis": False, "customdata": fmt.nums(S, 4), "hovertemplate": "%{x} = %{customdata}<extra></extra>",
                   "showlegend": False})]
    data += [on(2, {"type": "bar", "x": ["Σ S"], "y": [S[k]], "name": names[k],
                    "marker": {"color": cols[k], "line": {"width": 0.5, "color": "#FFFFFF"}},
                    "showlegend": False, "customdata": [fmt.num(S[k], 4)],
                    "hovertemplate": f"{names[k]} = %{{customdata}}<extra></extra>"})
             for k in range(n)]
    layout = row_layout(2, widths=[0.7, 0.3] if phone else [0.82, 0.18], spacing=0.12 if phone else 0.08)
    layout.update(barmode="stack", title={"text": title}, height=380, bargap=0.25, margin={"t": 70},
                  shapes=[hline(1, col=2, dash="dot", width=1, color="#888888")])
    axis(layout, "yaxis", range=[0, 1.12], title={"text": "output S"})
    axis(layout, "yaxis2", range=[0, 1.12], tickvals=[0, 0.5, 1])
    axis(layout, "xaxis", title={"text": "index i"})
    axis(layout, "xaxis2", title={"text": "stacked"})  # under its bar, where it never meets the title
    return figure(data, layout)


def shift_figure(z, z_shift, S, S_shift, c: float, dark: bool = False, screen: str = LAPTOP) -> dict:
    """Left: logits z and z + c (every bar moves by c). Right: S(z) and S(z + c): identical bars.

    Shapes: z, z_shift = z + c, S, S_shift ``(n,)``. Solid bars are before the shift, hatched bars after it. On a
    phone the two panels are stacked, logits above outputs.
    """
    z, z_shift, S, S_shift = (np.asarray(a, dtype=float) for a in (z, z_shift, S, S_shift))
    n = z.size
    cols = [color(k, dark) for k in range(n)]
    paper = palette_paper(dark)
    # stripes cut in the paper's colour, the bar keeps its own: "replace" explicitly, since the template's "overlay" would
    # take the pattern's background from the per-bar colour array (plotly: "Invalid color specifier", drawn black)
    hatch = {"shape": "/", "fgcolor": paper, "fillmode": "replace"}
    ink = palette_ink(dark)
    # The legend's two entries are drawn by their own (empty) traces in the ink colour: a legend swatch takes one colour,
    # and a pattern swatch given a per-bar colour array has none (plotly warns "Invalid color specifier" and draws it
    # black). ``offsetgroup`` keeps them from taking a slot of the grouped bars. Each holds one bar of height 0 (drawn
    # as nothing): plotly.js leaves a trace with no points out of the legend, which left the legend's place empty.
    first = _names("z", n)[:1]
    data = [on(1, {"type": "bar", "x": first, "y": [0], "marker": {"color": ink, "line": {"width": 0}},
                   "name": "before the shift", "legendgroup": "b", "offsetgroup": "b", "hoverinfo": "skip"}),
            on(1, {"type": "bar", "x": first, "y": [0], "marker": {"color": paper, "line": {"width": 0}, "pattern": {
                       "shape": "/", "fgcolor": ink, "bgcolor": paper, "fillmode": "overlay", "size": 5, "solidity": 0.45}},
                   "name": "after adding c", "legendgroup": "a", "offsetgroup": "a", "hoverinfo": "skip"})]
    for col, before, after, sym in ((1, z, z_shift, "z"), (2, S, S_shift, "S")):
        names = _names(sym, n)
        data.append(on(col, {"type": "bar", "x": names, "y": before, "marker": {"color": cols}, "name": "before the shift",
                             "legendgroup": "b", "offsetgroup": "b", "showlegend": False,
                             "customdata": fmt.nums(np.asarray(before, dtype=float), 4),
                             "hovertemplate": "%{x}: %{customdata}<extra>before</extra>"}))
        data.append(on(col, {"type": "bar", "x": names, "y": after, "marker": {"color": cols, "pattern": hatch},
                             "name": "after adding c", "legendgroup": "a", "offsetgroup": "a", "showlegend": False,
                             "customdata": fmt.nums(np.asarray(after, dtype=float), 4),
                             "hovertemplate": "%{x}: %{customdata}<extra>after</extra>"}))
    titles = (f"Logits move: z → z + c (c = {fmt.num(c, 6, unicode=True)})", "Outputs stay: S(z + c) = S(z)")
    if screen == PHONE:
        layout = column_layout(2, spacing=0.16, titles=titles)
        layout.update(height=600, legend={"orientation": "h", "y": -0.08, "yanchor": "top", "x": 0}, margin={"t": 90, "b": 70})
    else:
        layout = row_layout(2, spacing=0.13, titles=titles)  # room for the right panel's axis title
        layout.update(height=380, legend={"orientation": "h", "y": -0.18, "x": 0}, margin={"t": 100})
    layout.update(barmode="group", title={"text": "Shift invariance: add the same c to every logit"})
    axis(layout, "yaxis", title={"text": "logit z"})
    axis(layout, "yaxis2", title={"text": "output S"}, range=[0, 1.05])
    return figure(data, layout)


STILL_TITLE = "S at the slider's T"  # the bars' title on screen, beside the slider


def temperature_animation(temperatures, S_T, T_now: float, S_now, dark: bool = False, screen: str = LAPTOP) -> dict:
    """S as T sweeps 0.1 → 10, animated with plotly frames (play, pause, scrub: all in the browser).

    Left: bars of S at the frame's T. Right: every S_i(T) curve on a log-T axis, with a marker at the
    frame's T. Shapes: temperatures ``(m,)``, S_T ``(m, n)``, S_now ``(n,)`` (S at the page's T, the
    first picture). One frame per temperature; frames only restyle the bars and markers. On a phone: bars above
    curves, then Play/Pause, the slider and the legend, each on its own line.
    """
    Ts = np.asarray(temperatures, dtype=float)
    S_T = np.asarray(S_T, dtype=float)
    n = S_T.shape[1]
    names = _names("S", n)
    cols = [color(k, dark) for k in range(n)]
    ink = palette_ink(dark)
    S_now = [float(s) for s in S_now]
    t_text = fmt.nums(Ts)
    data = [on(1, {"type": "bar", "x": names, "y": S_now, "marker": {"color": cols}, "showlegend": False,
                   "customdata": fmt.nums(S_now, 4), "hovertemplate": "%{x} = %{customdata}<extra></extra>"})]
    # beside the plot (a laptop, a slide) a legend of more than six entries outgrew the plot's height and scrolled (S₉
    # and S₁₀ out of sight on a 1280×720 slide): the bars' axis, in the same colours, names the curves instead
    named = n <= 6 or screen == PHONE
    # widths from 4 (S₁) down to 2: tied outputs draw the same curve, and each colour still shows at its edges
    data += [on(2, {"type": "scatter", "x": Ts, "y": S_T[:, k], "mode": "lines", "showlegend": named,
                    "line": {"color": cols[k], "width": 2 + 2 * (n - 1 - k) / max(n - 1, 1)},
                    "name": names[k], "customdata": hover(t_text, fmt.nums(S_T[:, k])),
                    "hovertemplate": f"T = %{{customdata[0]}}: {names[k]} = %{{customdata[1]}}<extra></extra>"})
             for k in range(n)]
    data.append(on(2, {"type": "scatter", "x": [float(T_now)] * n, "y": S_now, "mode": "markers", "showlegend": False,
                       "hoverinfo": "skip", "marker": {"color": cols, "size": 10, "line": {"width": 1.5, "color": ink}}}))
    moving = [0, n + 1]  # the bar trace and the marker trace
    ts = Ts.tolist()
    frames = [{"name": str(m), "traces": moving,
               "data": [{"type": "bar", "y": S_T[m], "customdata": fmt.nums(S_T[m], 4)},
                        {"type": "scatter", "x": [t] * n, "y": S_T[m]}]}
              for m, t in enumerate(ts)]
    active = int(np.argmin(np.abs(np.log(Ts) - math.log(T_now))))
    steps = [step(str(m), fmt.num(t, 2, unicode=True)) for m, t in enumerate(ts)]
    titles = (STILL_TITLE, "every S as T varies (log T axis)")
    title = {"text": "Temperature: small T sharpens S, large T flattens it towards 1/n"}
    if screen == PHONE:
        height, top, bottom = 760, 90, 230
        plot_h = height - top - bottom  # controls sit a fixed number of pixels under the lower plot

        def below(px: float) -> float:
            return -px / plot_h

        layout = column_layout(2, heights=[0.45, 0.55], spacing=0.2, titles=titles)
        layout.update(height=height, title=title, margin={"b": bottom, "t": top})
        under = controls(layout, buttons(((PLAY, 120),), pause="Pause"),
                         scrubber(steps, "T = ", dark, active=active, ticks=False, gap=10), below(50), plot_h=plot_h)
        layout["legend"] = {"orientation": "h", "x": 0, "y": under, "yanchor": "top", "font": {"size": 11}}
    else:
        layout = row_layout(2, widths=[0.45, 0.55], spacing=0.1, titles=titles)
        layout.update(
            height=440 if screen == SLIDE else 460, title=title,  # a slide's larger fonts: under 500 px with its controls
            legend={"orientation": "v", "x": 1.01, "y": 1, "font": {"size": 11}, "tracegroupgap": 0},
            margin={"b": 130, "t": 100},
        )
        controls(layout, buttons(((PLAY, 120),), pause="Pause"),
                 scrubber(steps, "T = ", dark, active=active, ticks=False, gap=10, readout="right"), -0.2, grow=True)
    axis(layout, "yaxis", range=[0, 1.05], title={"text": "output S"})
    if n > 6 and screen != PHONE:  # upright names in a smaller font: turned, S₁₀ reached down to the Play button
        axis(layout, "xaxis", tickangle=0, tickfont={"size": 11})
    axis(layout, "yaxis2", range=[0, 1.05])
    # the range starts a little left of 0.1 so that its tick label clears the y axis' "0" in the corner
    axis(layout, "xaxis2", type="log", title={"text": "temperature T"}, tickvals=[0.1, 0.2, 0.5, 1, 2, 5, 10],
         range=[-1.12, 1.02])
    # a slide's still has no slider: its title names the T of the frame shown (pages/_ui/client.js fills in {})
    layout["meta"] = {**layout.get("meta", {}), "still": {STILL_TITLE: "S at T = {}"}}
    return figure(data, layout, frames)
