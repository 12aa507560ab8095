"""Chain rule: do we add or multiply? Every path L → S_i → z_j, multiplied along, summed across; CE collapses to S − y.
One step per idea (pages/_ui/registry.py holds their titles)."""

from typing import NamedTuple

import numpy as np
import streamlit as st

import core
from core import chain, fmt, reader
from figures.chain_figs import drop_figure, paths_figure
from figures.lse_figs import row_column_figure
from figures.palette import colorize_latex, label
from figures.screens import LAPTOP, PHONE, SLIDE
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="Chain rule: add or multiply?",
    intro=(
        "A student asked, of a softmax with three outputs: *the derivative of $S_1$ w.r.t. $z_1$ is A, w.r.t. $z_2$ is "
        "B, w.r.t. $z_3$ is C: do I add "
        "A, B, C or multiply them?* Neither, quite. The loss $L$ reaches each input $z_j$ through **every** output "
        "$S_i$, so there are $n$ paths from $L$ to $z_j$."
    ),
)
ZERO_RTOL = 1e-12  # a sum that "is 0" is within this share of the sum of its terms' sizes (✓), relative, not absolute


class Paths(NamedTuple):
    z: tuple
    T: float
    n: int
    loss: str
    y: int  # 1-based, as on screen
    cp: chain.ChainPaths
    tfac: str  # LaTeX: \tfrac{1}{T} when T ≠ 1
    per_T: str  # plain text: /T when T ≠ 1 (a column of (S − y)/T is headed so)


def vec(v, d=3) -> str:
    return fmt.prose_vector(v, d, head=None)  # every vector here sits in a sentence or an alt text


def shared(loss_where=None, y_where=None) -> Paths:
    """The shared controls (logits, loss, target) and the paths every step reads; the loss and the target go under the
    logits, or where a step with controls of its own puts them (``loss_where``, ``y_where``: in its rows)."""
    z, T = ui.logit_controls(ctx)
    n = len(z)
    where = ui.panel(ctx)
    loss = ui.control(ctx, "loss", loss_where or where, horizontal=loss_where is None)
    for key in ("y", "i"):  # n may have shrunk below the target class or the reader's row (every step keeps the link valid)
        ui.clamp_index(ctx, key, n)
    y = ui.control(ctx, "y", y_where or where, label="Target class y (the correct output)" if y_where is None else "Target y")
    t = fmt.num(T, 6)
    return Paths(z, T, n, loss, y, chain.chain_paths(z, y - 1, loss, T), "" if T == 1 else rf"\tfrac{{1}}{{{t}}}",
                 "" if T == 1 else f"/{t}")


@ui.step(ctx)
def paths():
    p = shared()
    n, loss, y, cp, tfac = p.n, p.loss, p.y, p.cp, p.tfac
    S, g = cp.S, cp.g
    # a step's first screen holds the chart under the lesson's introduction (laptop) or at a slide's font sizes
    height = {LAPTOP: 390, SLIDE: 450}.get(ctx.screen, 470) if ctx.stepped else 470
    ui.chart(ctx, ui.live(paths_figure(cp.P, g=g, dS_dz=cp.dS_dz, dark=ctx.dark, height=height), "chain_paths", p.z, p.T, n=n,
                          y=y - 1, loss=loss), "paths",
             alt=f"Stacked bars, one column per input zⱼ, made of the {n} path products gᵢ·∂Sᵢ/∂zⱼ coloured by i; "
                 f"a diamond marks each column's sum ∂L/∂zⱼ = {fmt.vector(cp.total, head=None)}.",
             data={"path via": [label("S", i) for i in range(n)]} | {f"into {label('z', j)}": cp.P[:, j] for j in range(n)})
    st.info("**Multiply along a path, add across paths.** Each path multiplies its two factors, "
            "$\\partial L/\\partial S_i \\cdot \\partial S_i/\\partial z_j$; the $n$ paths that arrive at $z_j$ are **added**.",
            icon=":material/route:")
    ui.latex(r"\frac{\partial L}{\partial z_j} = \sum_{i=1}^{n} \underbrace{\frac{\partial L}{\partial S_i}}_{g_i}\,"
             r"\underbrace{\frac{\partial S_i}{\partial z_j}}_{" + tfac + r"S_i(\delta_{ij} - S_j)}")
    left, right = st.columns(2, gap="large")
    with left:
        # the loss, then its gradient on a line of its own: side by side they overflow a half-width column at 1366 px
        ui.latex(r"\begin{gathered}" + core.LOSSES[loss].latex.replace(r",\qquad ", r",\\ ") + r"\end{gathered}",
                 copy=False)
    with right:
        st.markdown(f"With target class $y = {y}$: $S$ = {fmt.prose_simplex(S, head=None)} and $g$ = {vec(g)}.")
        st.markdown(chain.paths_sentence(g, y - 1, loss))
    if cp.cancelled:
        yj = chain.delta_indices(y, "j")
        st.warning(
            f"$S_{{{y}}}$ underflowed to {fmt.prose(S[y - 1])} in float64, so $g_{{{y}}} = -1/S_{{{y}}}$ evaluates to "
            f"$-\\infty$ and $-\\infty \\cdot 0$ is NaN. Written out, the path's product is $-\\frac{{1}}{{S_{{{y}}}}}\\,"
            f"{tfac}S_{{{y}}}(\\delta_{{{yj}}} - S_j) = -{tfac}(\\delta_{{{yj}}} - S_j)$: the $S_{{{y}}}$ cancels, so it is "
            "finite, and that is what the bars show.", icon=":material/warning:")


@ui.step(ctx)
def vjp():
    p = shared()
    n, loss, cp, tfac, per_T = p.n, p.loss, p.cp, p.tfac, p.per_T
    ui.latex(r"\frac{\partial L}{\partial z} = J^\top g = " + tfac + r"S \odot \big(g - (g\cdot S)\,\mathbf{1}\big)")
    if cp.cancelled:
        st.markdown(f"Here $g \\cdot S = (-\\infty)\\cdot 0$ is undefined in floating point, so the vector form cannot be "
                    f"evaluated; the path sum (cancelled by hand) gives {vec(cp.total, 4)}, exactly ${tfac}(S - y)$.")
    else:
        # cross-entropy's g = −y/S gives g·S = −Σᵢ yᵢ = −1 exactly; float64's sum can land an ulp off it, and a number
        # that is not whole never prints as one (core.fmt): "−0.9999999999999999" was rounding, not a digit it has
        gS = "-\\textstyle\\sum_i y_i = -1" if loss == "cross_entropy" else fmt.tex(cp.g @ cp.S, 4)
        st.markdown(f"$g\\cdot S = {gS}$, so ${tfac}S \\odot (g - g\\cdot S)$ = {vec(cp.vector, 4)}.")
    six = lambda values: [fmt.num(x, 6) for x in values]
    SmY = f"(S − y){per_T}" if per_T else "S − y"
    ui.table({"": [label("z", j) for j in range(n)], "path sum Σᵢ Pᵢⱼ": six(cp.total),
              f"VJP (S⊙(g − g·S)){per_T}" if per_T else "VJP S⊙(g − g·S)": six(cp.vector),
              SmY if loss == "cross_entropy" else f"2S⊙((S−y) − S·(S−y)){per_T}": six(cp.closed)})
    c1, c2 = st.columns(2)
    c1.metric("max |path sum − VJP|", "n/a (g overflowed)" if cp.cancelled else fmt.num(cp.max_diff_vector, 2))
    c2.metric("max |path sum − closed form|", fmt.num(cp.max_diff_closed, 2))


@ui.step(ctx)
def collapse():
    p = shared()
    n, loss, y, cp, T = p.n, p.loss, p.y, p.cp, p.T
    title, why = chain.collapse_intro(y - 1, loss, T)
    lines = chain.collapse_lines(cp, y - 1, loss, T)
    with st.container(height=420 if n > 5 else "content", border=False):
        for line in lines:
            st.latex(colorize_latex(line, ctx.dark))
    st.markdown(f"#### {title}\n\n{why}")  # heading and paragraph: one element
    ui.copy_latex("\n".join(lines), "collapse")


@ui.step(ctx)
def confidently_wrong():
    p = shared()
    z, T, y = p.z, p.T, p.y
    drop = chain.grad_vs_drop(z, y - 1, T)
    far = int(np.argmin(drop["zy"]))
    ui.chart(ctx, drop_figure(drop["zy"], drop["S_y"], drop["ce"], drop["mse"], z[y - 1], y - 1, dark=ctx.dark), "ce-vs-mse",
             alt=f"As {fmt.label('z', y - 1)} drops from {fmt.num(drop['zy'][0])} to {fmt.num(drop['zy'][far])}, "
                 f"{fmt.label('S', y - 1)} falls to {fmt.num(drop['S_y'][far], 2)}; the cross-entropy push "
                 f"|∂L/∂{fmt.label('z', y - 1)}| rises to {fmt.num(drop['ce'][far])} while "
                 f"the MSE push falls to {fmt.num(drop['mse'][far], 2)}.",
             data={(zy := fmt.label("z", y - 1)): drop["zy"], fmt.label("S", y - 1): drop["S_y"],
                   f"|∂L/∂{zy}| CE": drop["ce"], f"|∂L/∂{zy}| MSE": drop["mse"]})
    st.caption(f"Cross-entropy pushes the correct logit up by ${p.tfac}(1 - S_{{{y}}}) \\to {fmt.tex(1 / T, 6)}$ as "
               f"$S_{{{y}}} \\to 0$: the more confidently wrong the model, the harder it is pushed. For MSE the push keeps "
               f"the factor $S_{{{y}}}$ of the Jacobian entry, so it vanishes as $S_{{{y}}} \\to 0$: the wronger the model, "
               "the less it learns.")


@ui.step(ctx)
def row_or_column():
    where = ui.panel(ctx).container()  # the step's own controls above the shared ones
    # eight controls beside the figure: the row, the nudge and the target three to a row (as the z sliders are), then
    # the nudge's direction beside the loss; the whole-lesson view keeps one control to a row
    cols = [*where.columns(3), *where.columns(2)] if ctx.stepped else [where, where, None, where, None]
    p = shared(cols[4], cols[2])
    z, T, n, y, cp, g = p.z, p.T, p.n, p.y, p.cp, p.cp.g
    ri = ui.control(ctx, "i", cols[0], label="Row i" if ctx.stepped else "Row i (the reader's output Sᵢ)")
    h = ui.control(ctx, "h", cols[1], **({"label": "Nudge h"} if ctx.stepped else {}))
    kind = ui.control(ctx, "nudge", cols[3], **({"label": "Direction u"} if ctx.stepped else {}))
    rn = reader.row_nudge(z, ri - 1, h, kind, T)
    ui.chart(ctx, row_column_figure(cp.dS_dz, ri - 1, rn.dz, g, dark=ctx.dark), "row-vs-column",
             alt=f"The {n}×{n} Jacobian twice: left, row S{ri} outlined ({vec(rn.row)}), weighted by the nudges {vec(rn.dz)}; "
                 f"right, column z{ri} outlined ({vec(cp.dS_dz[:, ri - 1])}), weighted by g = {vec(g)}.",
             data={"": [label("S", k) for k in range(n)], **{label("z", j): cp.dS_dz[:, j] for j in range(n)}})
    letters = ", ".join("ABC"[: min(n, 3)]) + (r", \dots" if n > 3 else "")  # the reader's letters, as many as n allows
    st.markdown(rf"${letters}$ are $\partial S_{{{ri}}}/\partial z_j$ for $j = 1 \dots {n}$: **one output, every "
                f"input**, row {ri} of $J$. They answer the question *how does $S_{{{ri}}}$ move when I nudge every $z_j$?* "
                "There they **add**, each weighted by its nudge:")
    ui.latex(reader.row_nudge_latex(rn, ri - 1, ctx.screen == PHONE), copy=False)
    Si = f"S{label('', ri - 1)}"
    # a one-row table, not three metrics: a third of the column cut "3.18627×10⁻¹⁹" to "3.18627×1…" at 1366 px
    ui.table({f"predicted Δ{Si} (linear)": [fmt.num(rn.predicted, 6)],
              f"true Δ{Si} = {Si}(z + Δz) − {Si}(z)": [fmt.num(rn.actual, 6)],
              "|true − predicted|": [fmt.num(abs(rn.actual - rn.predicted), 2)]}, static=True)
    st.caption(reader.linearisation_caption(rn))
    row_ok = abs(rn.row_sum) <= ZERO_RTOL * float(np.abs(rn.row).sum())  # "is 0": small against its own terms
    st.markdown(rf"And if you **just add them**: $\sum_j \partial S_{{{ri}}}/\partial z_j = {fmt.tex(rn.row_sum, 3)}$ "
                + (f"({fmt.MARK[True]} 0 up to float64 rounding: at most {fmt.prose(ZERO_RTOL)} times "
                   rf"$\sum_j |\partial S_{{{ri}}}/\partial z_j|$)" if row_ok else
                   rf"({fmt.MARK[None]} more than {fmt.prose(ZERO_RTOL)} times $\sum_j |\partial S_{{{ri}}}/\partial z_j|$)")
                + ". That 0 is shift invariance: "
                r"nudging every $z_j$ by the same amount (choose $u = (1, \dots, 1)$) leaves every $S_i$ where it was.")
    P_col = cp.P[:, ri - 1]
    st.markdown(f"**Backpropagation asks the other question**: how does $L$ move when I nudge **one** input $z_{{{ri}}}$? It "
                rf"adds a **column** of $J$, weighted by $g = \partial L/\partial S$: $\partial L/\partial z_{{{ri}}} = "
                rf"\sum_k g_k\,\partial S_k/\partial z_{{{ri}}} = {fmt.tex(P_col.sum(), 6)}$. $J$ is symmetric, so "
                f"row {ri} and column {ri} hold the same numbers; what differs is what they are added with."
                + (f" (Here $g_{{{y}}} = -\\infty$ meets entries that are 0 in float64: the sum is taken in the cancelled "
                   "form shown on the first step.)" if cp.cancelled else ""))
    total = float(cp.total.sum())
    total_ok = abs(total) <= ZERO_RTOL * float(np.abs(cp.P).sum())  # against the n² path products it adds
    st.markdown(r"Every row of $J$ sums to 0 (the 0 above), and $\sum_j \partial L/\partial z_j = \sum_k g_k \sum_j J_{kj}$, "
                r"so the gradient's entries add to 0 too: here $\sum_j \partial L/\partial z_j = "
                f"{fmt.tex(total, 3)}$ " + (f"({fmt.MARK[True] if total_ok else fmt.MARK[None]} "
                f"{'at most' if total_ok else 'more than'} {fmt.prose(ZERO_RTOL)} times the sum of the paths' sizes, "
                r"$\sum_{i,j} |P_{ij}|$)") + ". A step along this gradient never moves the mean logit.")
    ui.show_code(chain.chain_paths, core.vjp, core.cross_entropy_grad, reader.row_nudge)


ui.end(ctx)
