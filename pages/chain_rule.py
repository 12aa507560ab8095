"""Chain rule: do we add or multiply? Every path L → S_i → z_j, multiplied along, summed across; CE collapses to S − y."""

import numpy as np
import streamlit as st

import core
from core import chain, fmt, reader
from figures.chain_figs import drop_figure, paths_figure
from figures.lse_figs import row_column_figure
from figures.palette import colorize_latex, label
from figures.screens import PHONE
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="Chain rule: add or multiply?",
    intro=(
        "A student asked: *the derivative of $S_1$ w.r.t. $z_1$ is A, w.r.t. $z_2$ is B, w.r.t. $z_3$ is C: do I add "
        "A, B, C or multiply them?* Neither, quite. The loss $L$ reaches each input $z_j$ through **every** output "
        "$S_i$, so there are $n$ paths from $L$ to $z_j$."
    ),
)

# ---- controls --------------------------------------------------------------------------------------
z, T = ui.logit_controls(ctx)
n = len(z)
where = ui.panel(ctx)
loss = ui.control(ctx, "loss", st.radio, where, label="Loss", options=list(core.LOSSES),
                  format_func=lambda k: core.LOSSES[k].long, horizontal=True)
ui.clamp_index(ctx, "y", n)  # n may have shrunk below the target class
y = ui.control(ctx, "y", st.slider, where, label="Target class y (the correct output)", min_value=1, max_value=n, step=1)

# ---- compute -----------------------------------------------------------------------------------------
cp = chain.chain_paths(z, y - 1, loss, T)
S, g = cp.S, cp.g
vec = lambda v, d=3: "(" + ", ".join(fmt.num(x, d, unicode=True) for x in v) + ")"
tfac = "" if T == 1 else rf"\tfrac{{1}}{{{T:g}}}"
per_T = "" if T == 1 else f"/{T:g}"  # plain-text labels: a column of (S − y)/T is headed so
SmY = f"(S − y){per_T}" if T != 1 else "S − y"

st.info(
    "**Multiply along a path, add across paths.** Each path multiplies its two factors, "
    "$\\partial L/\\partial S_i \\cdot \\partial S_i/\\partial z_j$; the $n$ paths that arrive at $z_j$ are **added**.",
    icon=":material/route:",
)
ui.latex(r"\frac{\partial L}{\partial z_j} = \sum_{i=1}^{n} \underbrace{\frac{\partial L}{\partial S_i}}_{g_i}\,"
         r"\underbrace{\frac{\partial S_i}{\partial z_j}}_{" + tfac + r"S_i(\delta_{ij} - S_j)}")

# ---- the upstream gradient, then the paths stacked per z_j ----------------------------------------------
left, right = st.columns(2, gap="large")
with left:
    ui.latex(core.LOSSES[loss].latex, copy=False)
with right:
    st.markdown(f"With target class $y = {y}$: $S$ = {vec(S)} and $g$ = {vec(g)}.")
    st.markdown(chain.paths_sentence(g, y - 1, loss))
if cp.cancelled:
    st.warning(
        f"$S_{{{y}}}$ underflowed to {S[y - 1]:.3g} in float64, so $g_{{{y}}} = -1/S_{{{y}}}$ evaluates to $-\\infty$ "
        f"and $-\\infty \\cdot 0$ is NaN. Written out, the path's product is $-\\frac{{1}}{{S_{{{y}}}}}\\,{tfac}S_{{{y}}}"
        f"(\\delta_{{{y}j}} - S_j) = -{tfac}(\\delta_{{{y}j}} - S_j)$: the $S_{{{y}}}$ cancels, so it is finite, and that is "
        "what the bars show.", icon=":material/warning:")
ui.chart(ctx, paths_figure(cp.P, g=g, dS_dz=cp.dS_dz, dark=ctx.dark), "paths",
         alt=f"Stacked bars, one column per input z_j, made of the {n} path products g_i·∂S_i/∂z_j coloured by i; "
             f"a diamond marks each column's sum ∂L/∂z_j = {fmt.vector(cp.total, head=n)}.",
         data={"path via": [label("S", i) for i in range(n)]} | {f"into {label('z', j)}": cp.P[:, j] for j in range(n)})

# ---- the vector form (the VJP) ------------------------------------------------------------------------
st.subheader("The same sum as one vector operation: the VJP")
ui.latex(r"\frac{\partial L}{\partial z} = J^\top g = " + tfac + r"S \odot \big(g - (g\cdot S)\,\mathbf{1}\big)")
if cp.cancelled:
    st.markdown(f"Here $g \\cdot S = (-\\infty)\\cdot 0$ is undefined in floating point, so the vector form cannot be "
                f"evaluated; the path sum (cancelled by hand) gives {vec(cp.total, 4)}, exactly ${tfac}(S - y)$.")
else:
    st.markdown(f"$g\\cdot S = {fmt.tex(g @ S, 4)}$, so ${tfac}S \\odot (g - g\\cdot S)$ = {vec(cp.vector, 4)}.")
six = lambda values: [fmt.num(x, 6) for x in values]
ui.table({"": [label("z", j) for j in range(n)], "path sum Σᵢ Pᵢⱼ": six(cp.total),
          f"VJP S⊙(g − g·S){per_T}" if T == 1 else f"VJP (S⊙(g − g·S)){per_T}": six(cp.vector),
          SmY if loss == "cross_entropy" else f"2S⊙((S−y) − S·(S−y)){per_T}": six(cp.closed)})
c1, c2 = st.columns(2)
c1.metric("max |path sum − VJP|", "n/a (g overflowed)" if cp.cancelled else fmt.num(cp.max_diff_vector, 2))
c2.metric("max |path sum − closed form|", fmt.num(cp.max_diff_closed, 2))

# ---- CE collapses, MSE does not ------------------------------------------------------------------------
title, why = chain.collapse_intro(y - 1, loss, T)
st.subheader(title)
st.markdown(why)
lines = chain.collapse_lines(cp, y - 1, loss, T)
with st.container(height=420 if n > 5 else "content", border=False):
    for line in lines:
        st.latex(colorize_latex(line, ctx.dark))
ui.copy_latex("\n".join(lines), "collapse")

# ---- CE vs MSE as the correct logit drops ------------------------------------------------------------------
st.subheader("Why cross-entropy? When the model is confidently wrong")
drop = chain.grad_vs_drop(z, y - 1, T)
far = int(np.argmin(drop["zy"]))
ui.chart(ctx, drop_figure(drop["zy"], drop["S_y"], drop["ce"], drop["mse"], z[y - 1], y - 1, dark=ctx.dark), "ce-vs-mse",
         alt=f"As z_{y} drops from {drop['zy'][0]:.3g} to {drop['zy'][far]:.3g}, S_{y} falls to {drop['S_y'][far]:.2g}; "
             f"the cross-entropy push |dL/dz_{y}| rises to {drop['ce'][far]:.3g} while the MSE push falls to "
             f"{drop['mse'][far]:.2g}.",
         data={f"z{y}": drop["zy"], f"S{y}": drop["S_y"], f"|dL/dz{y}| CE": drop["ce"], f"|dL/dz{y}| MSE": drop["mse"]})
st.caption(f"Cross-entropy pushes the correct logit up by ${tfac}(1 - S_{{{y}}}) \\to {1 / T:g}$ as $S_{{{y}}} \\to 0$: "
           f"the more confidently wrong the model, the harder it is pushed. For MSE the push keeps the factor "
           f"$S_{{{y}}}$ of the Jacobian entry, so it vanishes as $S_{{{y}}} \\to 0$: the wronger the model, the less it learns.")

# ---- the reader's question, answered literally: their A, B, C are a ROW of J --------------------------
st.subheader("The reader's question, answered literally: A, B, C are a row of J")
ui.clamp_index(ctx, "i", n)
NUDGES = {"mixed": "u = (1, −½, ¼, …)", "uniform": "u = (1, 1, …, 1)"}


@ui.section(ctx)  # its three controls sit here, beside what they move, and rerun only this section
def reader_section():
    a, b, c = st.columns(3)
    ri = ui.control(ctx, "i", st.slider, a, label="Row i (the reader's output Sᵢ)", min_value=1, max_value=n, step=1)
    h = ui.control(ctx, "h", st.slider, b, label="Nudge size h (Δz = h·u)", min_value=-2.0, max_value=2.0, step=0.05)
    kind = ui.control(ctx, "nudge", st.radio, c, label="Nudge direction u", options=list(NUDGES), format_func=NUDGES.get)
    rn = reader.row_nudge(z, ri - 1, h, kind, T)
    st.markdown(rf"$A, B, C, \dots$ are $\partial S_{{{ri}}}/\partial z_j$ for $j = 1 \dots {n}$: **one output, every "
                f"input**, row {ri} of $J$. They answer the question *how does $S_{{{ri}}}$ move when I nudge every $z_j$?* "
                "There they **add**, each weighted by its nudge:")
    ui.latex(reader.row_nudge_latex(rn, ri - 1, ctx.screen == PHONE), copy=False)
    c1, c2, c3 = st.columns(3)
    c1.metric(f"predicted ΔS{label('', ri - 1)} (linear)", fmt.num(rn.predicted, 6))
    c2.metric(f"true ΔS{label('', ri - 1)} = S{label('', ri - 1)}(z + Δz) − S{label('', ri - 1)}(z)", fmt.num(rn.actual, 6))
    c3.metric("|true − predicted|", fmt.num(abs(rn.actual - rn.predicted), 2))
    st.caption(reader.linearisation_caption(rn))
    st.markdown(rf"And if you **just add them**: $\sum_j \partial S_{{{ri}}}/\partial z_j = {fmt.tex(rn.row_sum, 3)}$ "
                + ("(0 up to float64 rounding ✓)" if abs(rn.row_sum) < 1e-12 / T else "⚠") + ". That 0 is shift invariance: "
                r"nudging every $z_j$ by the same amount (choose $u = (1, \dots, 1)$) leaves every $S_i$ where it was.")
    P_col = cp.P[:, ri - 1]
    st.markdown(f"**Backpropagation asks the other question**: how does $L$ move when I nudge **one** input $z_{{{ri}}}$? It "
                rf"adds a **column** of $J$, weighted by $g = \partial L/\partial S$: $\partial L/\partial z_{{{ri}}} = "
                rf"\sum_k g_k\,\partial S_k/\partial z_{{{ri}}} = {fmt.tex(P_col.sum(), 6)}$. $J$ is symmetric, so "
                f"row {ri} and column {ri} hold the same numbers; what differs is what they are added with."
                + (f" (Here $g_{{{y}}} = -\\infty$ meets entries that are 0 in float64: the sum is taken in the cancelled "
                   "form shown in the warning above.)" if cp.cancelled else ""))
    ui.chart(ctx, row_column_figure(cp.dS_dz, ri - 1, rn.dz, g, dark=ctx.dark), "row-vs-column",
             alt=f"The {n}×{n} Jacobian twice: left, row S{ri} outlined ({vec(rn.row)}), weighted by the nudges {vec(rn.dz)}; "
                 f"right, column z{ri} outlined ({vec(cp.dS_dz[:, ri - 1])}), weighted by g = {vec(g)}.",
             data={"": [label("S", k) for k in range(n)], **{label("z", j): cp.dS_dz[:, j] for j in range(n)}})
    total = float(cp.total.sum())
    st.markdown(r"Every row of $J$ sums to 0 (the 0 above), and $\sum_j \partial L/\partial z_j = \sum_k g_k \sum_j J_{kj}$, "
                r"so the gradient's entries add to 0 too: here $\sum_j \partial L/\partial z_j = "
                f"{fmt.tex(total, 3)}$ " + ("✓" if abs(total) < 1e-12 * max(1.0, np.abs(cp.total).max()) / min(T, 1) else "⚠")
                + ". A step along this gradient never moves the mean logit.")


reader_section()

ui.show_code(chain.chain_paths, core.vjp, core.cross_entropy_grad, reader.row_nudge)
ui.end(ctx)
