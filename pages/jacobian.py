"""Jacobian: J = diag(S) − S Sᵀ as one object: heatmap, live properties, numeric check, saturation, misconception."""

import numpy as np
import streamlit as st

import core
from core import jacobian_props as jp
from figures.jacobian_figs import chain_bars, jacobian_heatmap, jacobian_sweep, saturation_curve
from figures.palette import label
from pages import _ui as ui

ctx = ui.begin(
    "jacobian",
    keys=("sweep",),
    title="The Jacobian",
    intro=(
        "Every output $S_i$ depends on every input $z_j$, so the derivative of softmax is a whole matrix, "
        r"$J_{ij} = \partial S_i/\partial z_j = S_i(\delta_{ij} - S_j)/T$. It is one object with structure: "
        "every property below is **computed** from the matrix on screen, not asserted."
    ),
)

# ---- controls + compute ----------------------------------------------------------------------------
z, T = ui.logit_controls(ctx)
n = len(z)
S, J = core.softmax(z, T), core.jacobian(z, T)
Sn, Zn = [label("S", k) for k in range(n)], [label("z", k) for k in range(n)]
digits = 3 if n <= 6 else 2


def table(M) -> dict:
    """A matrix as a data table: one row per output S_i, one column per input z_j."""
    return {"row": Sn, **{Zn[j]: np.asarray(M)[:, j] for j in range(n)}}


@st.cache_data(max_entries=200, show_spinner=False)
def sweep_figure(z_key: tuple, T_key: float, kind: str, dark: bool, present: bool):
    """The saturation animation: all frames are computed once per (rounded) input and cached for the class."""
    values, Js = jp.saturation_sweep(z_key, T_key, kind)
    fig = jacobian_sweep(Js, values, name="T" if kind == "T" else "spread", dark=dark, digits=3 if len(z_key) <= 6 else 2)
    return fig, values, Js


# ---- the heatmap and its properties --------------------------------------------------------------------
st.subheader("J at your logits")
ui.chart(ctx, jacobian_heatmap(J, title=f"J = ∂S/∂z at T = {T:g} (row i = output Sᵢ, column j = input zⱼ)", dark=ctx.dark),
         "jacobian", alt=f"Heatmap of the {n}×{n} Jacobian: positive diagonal S_i(1 − S_i)/T in orange, negative "
         f"off-diagonal −S_i S_j/T in blue; largest |entry| {np.abs(J).max():.3g}.", data=table(J))
checks = jp.properties(J, S, T)
st.markdown("**Live properties**, each computed from the matrix above (✓ holds · ✗ fails · ⚠ true in exact arithmetic, "
            "but softmax has saturated and float64 rounds some entries to 0):")
st.table({"": [c.mark for c in checks], "property": [c.name for c in checks], "claim": [c.claim for c in checks],
          "computed from J": [c.value for c in checks], "why": [c.why for c in checks]})

# ---- numeric check --------------------------------------------------------------------------------------
st.subheader("Check it numerically")
fd, cs = core.fd_jacobian(z, T), core.complex_step_jacobian(z, T)
st.table({"method": ["analytic (core.jacobian)", "central differences, h = 10⁻⁶", "complex step, h = 10⁻³⁰"],
          "formula": ["Sᵢ(δᵢⱼ − Sⱼ)/T", "(S(z + h eⱼ) − S(z − h eⱼ)) / 2h", "Im S(z + i h eⱼ) / h"],
          "max |error| vs analytic": ["0 (the reference)", f"{np.abs(fd - J).max():.2e}", f"{np.abs(cs - J).max():.2e}"],
          "what to expect": ["—", "≈ 1e-10: truncation O(h²) plus rounding O(ε/h)", "≈ 1e-17: no subtraction, no cancellation"]})

# ---- saturation --------------------------------------------------------------------------------------------
st.subheader("Saturation: the vanishing gradient")
left, right = st.columns([5, 6], gap="medium")
with left:
    s = np.linspace(0, 1, 201)
    ui.chart(ctx, saturation_curve(s, s * (1 - s), S, S * (1 - S), dark=ctx.dark), "saturation-curve",
             alt="The curve S(1 − S) against S: zero at both ends, maximum ¼ at S = ½; the current outputs are marked on it.",
             data={"output": Sn, "S_i": S, "S_i(1 − S_i)": S * (1 - S), "J_ii = S_i(1 − S_i)/T": np.diag(J)})
    st.caption(f"A diagonal entry is Jᵢᵢ = Sᵢ(1 − Sᵢ)/T ≤ 1/(4T) = {1 / (4 * T):.3g}. When an output nears 0 or 1 "
               "its whole row and column of J shrink towards 0: gradients through a saturated softmax vanish.")
with right:
    kind = ui.control(ctx, "sweep", st.radio, label="Sweep into saturation", options=("T", "spread"), horizontal=True,
                      format_func=lambda k: {"T": "temperature T falls 10 → 0.1", "spread": "logit spread grows 0 → 10×"}[k])
    fig, values, Js = sweep_figure(tuple(round(v, 4) for v in z), round(T, 3), kind, ctx.dark, ctx.present)
    peaks = np.abs(Js).max(axis=(1, 2))
    ui.chart(ctx, fig, "saturation-sweep", alt=f"Animated heatmap of J as the {jp.SWEEPS[kind]}: max |J| goes from "
             f"{peaks[0]:.2g} to {peaks[-1]:.2g}; press Play or drag the slider.",
             data={"T" if kind == "T" else "spread factor": values, "max |J_ij|": peaks,
                   "max J_ii": Js.diagonal(0, 1, 2).max(axis=1)})
    st.caption("At high T softmax is flat and J is small (it carries a 1/T factor); as T falls J first grows, then "
               "vanishes as softmax saturates." if kind == "T" else
               "Spread: z̄ + s·(z − z̄) at your T. s = 0 is uniform softmax, where J is largest; "
               "as s grows softmax turns one-hot and J fades to white.")

# ---- the misconception ---------------------------------------------------------------------------------------
st.subheader("The misconception: “the gradient of softmax is p(1 − p)”")
st.markdown("Some tutorials differentiate softmax like the sigmoid, elementwise: $\\tilde J = \\operatorname{diag}(S(1 - S))$. "
            "It keeps the diagonal and **drops every off-diagonal** $-S_iS_j$, the paths through the shared sum.")
wrong = core.elementwise_p1mp(z, T)
zmax = float(np.abs(J).max())
a, b = st.columns(2, gap="medium")
with a:
    ui.chart(ctx, jacobian_heatmap(J, "The true J", ctx.dark, zmax, digits=digits, height=420), "true-jacobian",
             alt="Heatmap of the true Jacobian, with negative off-diagonal entries.", data=table(J))
with b:
    ui.chart(ctx, jacobian_heatmap(wrong, "Elementwise p(1 − p): diagonal only", ctx.dark, zmax, digits=digits, height=420),
             "elementwise", alt="Heatmap of the elementwise misconception: the same diagonal, zeros everywhere else.",
             data=table(wrong))
g = np.round(np.random.default_rng(0).normal(size=n), 2)  # a random but fixed upstream gradient dL/dS
err = jp.chain_rule_error(J, wrong, g)
a, b = st.columns(2, gap="medium")
with a:
    ui.chart(ctx, jacobian_heatmap(J - wrong, "What it drops: J − diag(S(1 − S))", ctx.dark, zmax, digits=digits,
                                   height=420), "dropped-terms",
             alt="Heatmap of the dropped terms: zero diagonal, negative −S_i S_j off the diagonal.", data=table(J - wrong))
with b:
    ui.chart(ctx, chain_bars(err["true"], err["wrong"], ctx.dark), "chain-rule-error",
             alt=f"Bars of dL/dz_j from the true J and from the elementwise version; max |error| {err['max_abs']:.3g}.",
             data={"input": Zn, "g = dL/dS": g, "true gᵀJ": err["true"], "core.vjp": core.vjp(z, g, T),
                   "elementwise": err["wrong"], "error": err["error"]})
st.markdown(f"With a fixed upstream gradient $g = \\partial L/\\partial S$ = ({', '.join(f'{v:g}' for v in g)}) "
            f"(random, seed 0): max $|$error$|$ = **{err['max_abs']:.3g}**, relative error "
            f"‖error‖/‖gᵀJ‖ = **{err['relative']:.1%}**. Each $\\partial L/\\partial z_j$ misses "
            "$\\sum_{i \\ne j} g_i(-S_iS_j)/T$: the paths from $z_j$ through every other output.")

ui.show_code(core.jacobian, core.elementwise_p1mp)
ui.end()
