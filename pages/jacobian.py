"""Jacobian: J = diag(S) − S Sᵀ as one object: heatmap, live properties, numeric check, covariance, Hessian,
saturation, misconception; one step each (pages/_ui/registry.py holds their titles)."""

from typing import NamedTuple

import numpy as np
import streamlit as st

import core
from core import checks, fmt, readings
from core import jacobian_props as jp
from figures.jacobian_figs import chain_bars, jacobian_heatmap, jacobian_sweep, misconception_panels, saturation_curve
from figures.palette import label
from figures.readings_figs import mc_convergence
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="The Jacobian",
    intro=(
        "Every output $S_i$ depends on every input $z_j$, so the derivative of softmax is a whole matrix, "
        r"$J_{ij} = \partial S_i/\partial z_j = S_i(\delta_{ij} - S_j)/T$. It is one object with structure: "
        "every property here is **computed** from the matrix on screen, not asserted."
    ),
)


class Logits(NamedTuple):
    z: tuple
    T: float
    n: int
    S: np.ndarray
    J: np.ndarray
    Sn: list  # the outputs' names S₁…Sₙ
    Zn: list  # the inputs' names z₁…zₙ


def logits() -> Logits:
    """The shared controls and what every step computes from them."""
    z, T = ui.logit_controls(ctx)
    n = len(z)
    return Logits(z, T, n, core.softmax(z, T), core.jacobian(z, T), [label("S", k) for k in range(n)],
                  [label("z", k) for k in range(n)])


def height(n: int) -> int:
    return 300 + 36 * n  # cells stay readable up to n = 10


def table(M, Sn, Zn) -> dict:
    """A matrix as a data table: one row per output S_i, one column per input z_j."""
    return {"row": Sn, **{Zn[j]: np.asarray(M)[:, j] for j in range(len(Sn))}}


@ui.step(ctx)
def heatmap():
    x = logits()
    z, T, n, S, J, Sn, Zn = x.z, x.T, x.n, x.S, x.J, x.Sn, x.Zn
    fig = jacobian_heatmap(J, f"J = ∂S/∂z at T = {fmt.num(T, 4)} (row i = output Sᵢ, column j = input zⱼ)", ctx.dark,
                           height=height(n), screen=ctx.screen)
    ui.chart(ctx, ui.live(fig, "jacobian_heatmap", x.z, T),  # follows a drag of z or T in the browser
             "jacobian", alt=f"Heatmap of the {n}×{n} Jacobian: positive diagonal Sᵢ(1 − Sᵢ)/T in orange, negative "
             f"off-diagonal −SᵢSⱼ/T in blue; largest |entry| {fmt.prose(np.abs(J).max())}.", data=table(J, Sn, Zn))
    st.markdown("**Live properties**, each computed from the matrix above (✓ holds · ✗ fails · ⚠ true in exact "
                "arithmetic, but float64 cannot resolve it here: entries or eigenvalues below its rounding):")
    ui.table(jp.properties_table(J, S, T), static=True)
    st.markdown("**Check every entry numerically**, with two independent numerical derivatives:")
    ui.table(checks.numeric_check(z, T, J), static=True)
    st.caption(f"The pass mark {fmt.prose(checks.FD_RTOL)} asks whether the formula is right. The Gradient check page "
               "reads the same central differences by CS231n's stricter marks (below 10⁻⁷ is good), which ask whether "
               "the check itself is as sharp as float64 allows.")


@ui.step(ctx)
def covariance():
    x = logits()
    z, T, n, S, J, Sn, Zn = x.z, x.T, x.n, x.S, x.J, x.Sn, x.Zn
    a, b = ui.panel(ctx).columns([3, 2], vertical_alignment="bottom")
    N = ui.control(ctx, "mc", a)
    seed = ui.control(ctx, "mcseed", b)
    counts, Jhat = readings.mc_jacobian(z, T, N, seed)
    se = readings.cov_standard_error(S, N) / T
    curve = readings.covariance_error_curve(z, T, seed)
    err = float(np.abs(Jhat - J).max())
    left, right = st.columns(2) if n <= 6 else (st.container(), st.container())
    with left:
        ui.chart(ctx, jacobian_heatmap(Jhat, f"Ĵ = Cov(e<sub>Y</sub>)/T, N = {fmt.whole(N)}", ctx.dark,
                                       zmax=float(np.abs(J).max()) or None, height=height(n), screen=ctx.screen,
                                       half=n <= 6),
                 "jacobian-mc", alt=f"Heatmap of the Monte Carlo estimate of J from {N} draws, on J's colour scale; "
                 f"largest entry error {fmt.prose(err, 2)}.", data=table(Jhat, Sn, Zn))
    with right:
        ui.chart(ctx, mc_convergence(curve["counts"], curve["first"], curve["rms"], curve["slope"], N, err, ctx.dark,
                                     height=height(n)), "mc-convergence",
                 alt="Log-log plot of the Monte Carlo error against N from 10 to 10⁶; "
                 + (f"fitted slope {fmt.prose(curve['slope'], 3)}."
                 if np.isfinite(curve["slope"]) else "no slope is fitted here (the caption says why)."),
                 data={"samples N": curve["counts"], "max |Ĵ − J|, your seed": curve["first"], "RMS over 8 seeds": curve["rms"]})
    st.markdown(r"Draw a class $Y \sim \mathrm{Categorical}(S)$ and write it one-hot, $e_Y$. Then "
                r"$\mathrm{Cov}(e_Y) = \mathrm{diag}(S) - SS^\top$, so $J = \mathrm{Cov}(e_Y)/T$"
                + (f" (here $T = {fmt.tex(T, 4)}$)." if T != 1 else ".") + " The estimate above uses seeded samples.")
    st.caption(f"Class counts {', '.join(f'Y = {k + 1}: {fmt.whole(c)}' for k, c in enumerate(counts))}. Largest entry error "
               f"{fmt.prose(err, 2)}. " + readings.se_sentence(Jhat, J, se, counts, readings.second_order_scale(S, N) / T)
               + " " + readings.slope_sentence(curve))


@ui.step(ctx)
def hessian():
    x = logits()
    z, T, S, J = x.z, x.T, x.S, x.J
    ui.table(readings.hessian_table(z, J, T, S), static=True)
    st.markdown(r"With the smooth maximum $\mathrm{smax}_T(z) = T\log\sum_k e^{z_k/T}$ (log-sum-exp"
                r" at temperature $T$), $\nabla\mathrm{smax}_T = S$ and $\nabla^2\mathrm{smax}_T = J$. So J is symmetric (a "
                r"Hessian), positive semi-definite (a covariance), and cross-entropy $-\log S_y = (\mathrm{smax}_T(z) - z_y)/T$"
                r" has Hessian $J/T$ in $z$: it is convex in the logits.")
    ui.page_link("pages/logsumexp.py", label="The log-sum-exp lesson", icon=":material/arrow_forward:")


@ui.step(ctx)
def saturation():
    x = logits()
    z, T, n, S, J, Sn = x.z, x.T, x.n, x.S, x.J, x.Sn
    kind = ui.control(ctx, "sweep", ui.panel(ctx))
    left, right = st.columns([5, 6]) if n <= 6 else (st.container(), st.container())
    with left:
        s = np.linspace(0, 1, 201)
        ui.chart(ctx, saturation_curve(s, s * (1 - s), S, T * np.diag(J), dark=ctx.dark, T=T), "saturation-curve",
                 alt="The curve S(1 − S) against S: zero at both ends, maximum ¼ at S = ½; the current outputs are marked on it.",
                 data={"output": Sn, "Sᵢ": S, "Sᵢ(1 − Sᵢ)": T * np.diag(J), "Jᵢᵢ = Sᵢ(1 − Sᵢ)/T": np.diag(J)})
    with right:
        values, Js = jp.saturation_sweep(z, T, kind)
        peaks = np.abs(Js).max(axis=(1, 2))
        ui.chart(ctx, jacobian_sweep(Js, values, name="T" if kind == "T" else "spread", dark=ctx.dark, height=410 + 36 * n,
                                     screen=ctx.screen, half=n <= 6), "saturation-sweep",
                 alt=f"Animated heatmap of J as the {jp.SWEEPS[kind]}: max |J| goes from {fmt.prose(peaks[0], 2)} to "
                     f"{fmt.prose(peaks[-1], 2)}; "
                     "press Play or drag the slider.",
                 data={"T" if kind == "T" else "spread factor": values, "max |Jᵢⱼ|": peaks,
                       "max Jᵢᵢ": Js.diagonal(0, 1, 2).max(axis=1)})
    st.caption(jp.saturation_caption(z, T))
    st.caption(jp.sweep_caption(z, T, kind, values, Js))


@ui.step(ctx)
def misconception():
    x = logits()
    z, T, n, J, Sn, Zn = x.z, x.T, x.n, x.J, x.Sn, x.Zn
    per_T = "" if T == 1 else "/T"
    wrong = core.elementwise_p1mp(z, T)
    ui.chart(ctx, misconception_panels(J, wrong, J - wrong, ctx.dark, height=max(440, 200 + 30 * n), T=T,
                                        screen=ctx.screen), "misconception",
             alt="Three heatmaps on one scale: the true J equals the elementwise version (the same diagonal, zeros "
                 "elsewhere) plus the dropped terms (zero diagonal, −SᵢSⱼ/T ≤ 0 off it).",
             data={"entry": [f"∂{Sn[a]}/∂{Zn[b]}" for a in range(n) for b in range(n)], "true J": J.ravel(),
                   "elementwise": wrong.ravel(), "dropped": (J - wrong).ravel()})
    st.markdown("Some tutorials differentiate softmax like the sigmoid, elementwise: "
                f"$\\tilde J = \\operatorname{{diag}}(S(1 - S)){per_T}$. It keeps the diagonal and **drops every "
                f"off-diagonal** $-S_iS_j{per_T}$, the paths through the shared sum.")
    g = np.round(np.random.default_rng(0).normal(size=n), 2)  # a random but fixed upstream gradient dL/dS
    err = jp.chain_rule_error(J, wrong, g)
    a, b = st.columns([3, 2]) if n <= 6 else (st.container(), st.container())
    with a:
        ui.chart(ctx, chain_bars(err["true"], err["wrong"], ctx.dark, T=T), "chain-rule-error",
                 alt=f"Bars of ∂L/∂zⱼ from the true J and from the elementwise version; max |error| "
                     f"{fmt.prose(err['max_abs'])}.",
                 data={"input": Zn, "g = dL/dS": g, "true gᵀJ": err["true"], "core.vjp": core.vjp(z, g, T),
                       "elementwise": err["wrong"], "error": err["error"]})
    with b:
        st.markdown(f"**The error it causes.** Take a fixed upstream gradient $g = \\partial L/\\partial S$ = "
                    f"{fmt.prose_vector(g, head=None)} (random, seed 0) and apply the chain rule "
                    "$\\partial L/\\partial z_j = \\sum_i g_i\\,\\partial S_i/\\partial z_j$ with each matrix.")
        st.metric("max |error| in ∂L/∂z", fmt.prose(err["max_abs"]))
        st.metric("relative error ‖error‖ / ‖gᵀJ‖", fmt.prose(100 * err["relative"], 3) + " %")
        st.markdown(f"Each $\\partial L/\\partial z_j$ misses $\\sum_{{i \\ne j}} g_i(-S_iS_j){per_T}$: the paths from "
                    "$z_j$ through every *other* output. " + jp.direction_sentence(err["true"], err["wrong"]))
    ui.show_code(core.jacobian, core.elementwise_p1mp)


ui.end(ctx)
