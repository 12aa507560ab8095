"""Dependencies: every S_i depends on every z_j: the n² arrows with the nudge animation, the elongated neuron, the
difference quotient converging to the derivative; one step each (pages/_ui/registry.py holds their titles)."""

from typing import NamedTuple

import numpy as np
import streamlit as st

import core
from core import explore, fmt
from figures.dependencies_figs import W_MAX, W_MIN, convergence_figure, dependency_figure, neuron_graph
from figures.palette import label
from figures.screens import PHONE
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="Dependencies",
    intro=(
        "Every output $S_i$ depends on **every** input $z_j$, because they all share the denominator "
        "$\\sum_k e^{z_k/T}$ (at $T = 1$, $\\sum_k e^{z_k}$). "
        "Pick one input $z_j$: its $n$ arrows light up, and the nudge animation shows all "
        "$n$ outputs moving together when only $z_j$ changes."
    ),
)
DELTAS = np.round(np.linspace(-3.0, 3.0, 25), 6)  # the nudge: z_j + Δ, 25 frames, Δ = 0 in the middle
SHRINK = 10.0 ** -np.arange(0, 13)  # Δ = 1 … 1e-12 for the convergence readout
FLOOR = 1e-17  # the convergence plot's log axis draws smaller errors (and exact zeros) here (figures.dependencies_figs)


class Pick(NamedTuple):
    z: tuple
    T: float
    n: int
    j: int  # the highlighted input, 0-based
    S: np.ndarray
    J: np.ndarray
    zj: str  # its name, zⱼ
    names: list  # the outputs' names S₁…Sₙ


def pick() -> Pick:
    """The shared controls (the logits and the input z_j to follow) and what every step computes from them."""
    # z_j's picker heads the controls (drawn after n is known): under n z sliders it fell below a laptop's first screen
    top = ui.panel(ctx).container() if "j" not in ctx.drawn else None
    z, T = ui.logit_controls(ctx)
    n = len(z)
    ui.clamp_index(ctx, "j", n)  # n may have shrunk below the selected input
    j = ui.control(ctx, "j", top, widget="radio", label="Nudge and highlight the input", horizontal=True) - 1
    return Pick(z, T, n, j, core.softmax(z, T), core.jacobian(z, T), label("z", j), [label("S", i) for i in range(n)])



@ui.step(ctx)
def arrows():
    z, T, n, j, S, J, zj, names_S = pick()
    sweep = explore.nudge(z, j, DELTAS, T)  # not cached: a slider move is always a cache miss (docs/PERFORMANCE.md)
    off = J[:, j][np.arange(n) != j]  # the dashed arrows from z_j
    arrows = ui.live(dependency_figure(z, S, J, j, sweep["scale"], ctx.dark, sweep, ctx.screen), "dependency_arrows", z, T,
                     n=n, j=j, scale=sweep["scale"], w_min=W_MIN, w_max=W_MAX, labels=n * n + 4, short=ctx.screen == PHONE)
    ui.chart(ctx, arrows, "arrows",
             alt=f"Network diagram: {n} logits on the left, {n} softmax outputs on the right, {n * n} arrows coloured by "
                 f"input. The arrows from {zj} are highlighted: to {names_S[j]} solid, ∂ = {fmt.signed(J[j, j])}; to the "
                 f"others dashed, from {fmt.signed(off.min())} to {fmt.signed(off.max())}. An animation nudges {zj}.",
             data={"output": names_S, **{f"∂S/∂{label('z', k)}": J[:, k] for k in range(n)}})  # exact: the table prints
    st.markdown(
        f"Arrow width is $|\\partial S_i/\\partial z_j|$; colour is the input $j$; **solid** means $+$ (only $i = j$) and "
        f"**dashed** means $-$. Press **Play** (or drag the slider under the diagram): {zj} sweeps from "
        f"{fmt.num(z[j] - 3, 6, unicode=True)} to {fmt.num(z[j] + 3, 6, unicode=True)} in your browser, the arrows "
        "re-weight, every $S$ bar moves, and the readout "
        "shows $\\Delta S_i/\\Delta z_j$ approaching $\\partial S_i/\\partial z_j$ as the nudge shrinks to 0.")
    box = ui.lazy_expander(f"Data: the nudge of {zj} (every frame)", "x_nudge_data")
    if box.open:  # built only while open: most students never open it
        with box:
            # through core.fmt, as a chart's data table (round(4) printed an S of 1.9×10⁻²² as 0)
            ui.table(ui.data_shown({zj: sweep["Z"][:, j], **{names_S[i]: sweep["S"][:, i] for i in range(n)}}))
    ui.step_code(ctx, core.jacobian, explore.nudge, explore.nudge_sweep)


@ui.step(ctx)
def neuron():
    z, T, n, j, S, J, zj, names_S = pick()
    J1, tf, per_T = j + 1, ("" if T == 1 else rf"\tfrac{{1}}{{{fmt.tex(T, 6)}}}"), ("" if T == 1 else "/T")
    ez = (lambda k: rf"e^{{z_{{{k}}}}}") if T == 1 else (lambda k: rf"e^{{z_{{{k}}}/T}}")
    direct, through = S[j] / T, -S[j] ** 2 / T  # the two paths from z_j to S_j, each evaluated on its own
    # their sum printed as J's exact diagonal S_j Σ_{k≠j} S_k / T: direct + through is 1 − 1 = 0 at z = (40, −40, 0)
    # 7.801×10⁻⁵ in LaTeX, never the code notation 7.801e-05; when one term needs more decimals (S₁ = 0.5 − 2×10⁻¹⁴ at
    # T = 0.1 prints 4.9999999999998), the other two get as many, so that the printed sum holds as printed
    places = lambda s: len(s.split(".")[1]) if "." in s and "times" not in s else 0
    d = max(4, *(places(fmt.tex(v, 4)) for v in (direct, through, J[j, j])))
    # and all with the same decimals: 5.000 (float64's 4.9999999999998 at 4 figures) − 2.500 = 2.500, not − 2.5 = 2.5
    p = max(places(fmt.tex(v, d)) for v in (direct, through, J[j, j]))
    # a shorter one printed again at p decimals, never padded with zeros: 0.15145 padded reads 0.151450, but is 0.151453
    pad = lambda v, s: s if "times" in s or places(s) >= p else fmt.fixed(v, p, unicode=False)
    tex = lambda v: pad(v, fmt.tex(v, d))
    log10_e, log10_sum = explore.exp_log10(z, T)
    ui.chart(ctx, neuron_graph(z, log10_e, log10_sum, S, j, ctx.dark, T=T, screen=ctx.screen), "neuron",  # a cheap spec
             alt=f"Computation graph: each zₖ goes through exp to e^(zₖ{per_T}); all of them feed one sum node; each "
                 f"output divides its own exponential by the sum. The paths from {zj} are coloured: directly to "
                 f"{names_S[j]}, and through the sum (dashed) to every other output.",
             data={"index": [str(k + 1) for k in range(n)], "z": list(z), "log10 e^(z/T)": log10_e,
                   "S": S, "sum Σ (log10)": [log10_sum] * n})
    st.markdown(
        f"Each output is three operations: ${ez('i')}$, the shared sum $\\Sigma = \\sum_k {ez('k')}$, and the division "
        f"$S_i = {ez('i')} / \\Sigma$. Follow {zj}'s colour. It reaches {names_S[j]} along **two** paths: directly "
        f"through the numerator, which gives ${tf}S_{{{J1}}} = {tex(direct)}$, and through $\\Sigma$, which gives "
        f"$-{tf}S_{{{J1}}}^2 = {tex(through)}$. The chain rule **adds** them: "
        f"$\\partial S_{{{J1}}}/\\partial z_{{{J1}}} = {tf}S_{{{J1}}}(1 - S_{{{J1}}}) = {tex(J[j, j])}$ "
        f"(the Jacobian's entry: ${tex(J[j, j])}$), never negative"
        + (" (positive in exact arithmetic: float64 rounds it to 0 once softmax has saturated)" if J[j, j] == 0 else "")
        # S_j = 1 in float64 (z = (40, −40, 0)): the paths print as 1 and −1, and their sum as 4.248×10⁻¹⁸; say why
        + (f". The paths print as ${tex(direct)}$ and ${tex(through)}$ because {names_S[j]} rounds to 1 in float64, "
           f"where they cancel; their exact sum {names_S[j]}(1 − {names_S[j]}){per_T} is computed as {names_S[j]} times "
           f"the other outputs' sum $\\sum_{{k \\ne {J1}}} S_k${per_T}, which keeps every digit"
           if S[j] == 1.0 and J[j, j] != 0 else "")
        + ". Every other $S_i$ it reaches **only through $\\Sigma$**: "
        f"a bigger sum makes them smaller, so $\\partial S_i/\\partial z_{{{J1}}} = -S_i S_{{{J1}}}{per_T} \\le 0$.")
    ui.step_code(ctx, core.jacobian)


@ui.step(ctx)
def convergence():
    z, T, n, j, _, J, zj, names_S = pick()
    # what a finite-difference check computes in float64 (two softmaxes subtracted): the exact change would hide the
    # rounding this step is about (its error fell like Δ down to 10⁻¹⁴ at Δ = 10⁻¹², against the caption's V)
    Q = explore.difference_quotients(z, j, SHRINK, T, subtracted=True)
    err = np.abs(Q - J[:, j])
    worst = err.max(axis=1)
    best = int(np.argmin(worst))
    ui.chart(ctx, convergence_figure(SHRINK, err, j, ctx.dark, screen=ctx.screen), "convergence",
             alt=f"Log-log plot of the error of the difference quotient for each output against the step Δ added to {zj}: "
                 f"it goes from {fmt.prose(worst[0], 2)} at Δ = 1 to {fmt.prose(worst[best], 2)} at Δ = "
                 f"{fmt.prose(SHRINK[best], 1)} and {fmt.prose(worst[-1], 2)} at Δ = {fmt.prose(SHRINK[-1], 1)}"
                 + (" (round-off grows as Δ shrinks)." if worst[-1] > worst[best] else "."),
             data={"Δ": SHRINK, **{names_S[i]: err[:, i] for i in range(n)}})
    # at most 4 columns, always with the diagonal one (the only positive quotient); all n are in the chart's data table
    shown = sorted({*range(min(n, 4) - (j >= 4)), j})
    ui.table({"Δ": [fmt.num(d, 1) for d in SHRINK[:7]] + ["exact ∂"],
              **{f"Δ{names_S[i]}/Δ{zj}": [fmt.signed(v, 8) for v in [*Q[:7, i], J[i, j]]] for i in shown}})
    if len(shown) < n:
        which = [names_S[i] + (", the diagonal one" if i == j else "") for i in shown]
        st.caption(f"{len(shown)} of the {n} columns shown, for {', '.join(which[:-1])} and {which[-1]}; the chart's data "
                   f"table holds all {n}.")
    floored = int((err < FLOOR).sum())  # a log axis has no 0: the figure draws these at its floor
    if not err.any() and not Q.any():
        how = ("Here every quotient equals the exact ∂ to the last bit: softmax has saturated, so S does not move in "
               "float64 at any Δ shown, and every error is 0 (drawn at 10⁻¹⁷, the log axis' floor).")
    elif floored == err.size:
        how = ("Here every error is below 10⁻¹⁷, so the plot draws them all at its floor: softmax has saturated, and "
               "∂S/∂z is too small for a quotient to miss it by more.")
    else:
        how = (f"The error shrinks like Δ down to {fmt.prose(worst[best], 2)} at Δ = {fmt.prose(SHRINK[best], 1)}; below "
               "that, rounding in S (about 10⁻¹⁶) divided by Δ dominates, and it grows again to "
               f"{fmt.prose(worst[-1], 2)} at Δ = {fmt.prose(SHRINK[-1], 1)}." if best < SHRINK.size - 1 else
               "The error shrinks like Δ at every Δ shown: rounding in S divided by Δ stays below it.") + (
            f" {floored} error{'s' if floored > 1 else ''} below 10⁻¹⁷ {'are' if floored > 1 else 'is'} drawn at the log "
            "axis' floor." if floored else "")
    st.caption("Forward differences (S(z + Δ·eⱼ) − S(z)) / Δ. " + how)
    ui.page_link("pages/jacobian.py", label="All n² derivatives at once: the Jacobian page", icon=":material/grid_on:")
    ui.step_code(ctx, explore.difference_quotients)


if not ctx.stepped:
    ui.show_code(core.jacobian, explore.nudge_sweep, explore.difference_quotients, explore.nudge)
ui.end(ctx)
