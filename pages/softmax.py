"""Softmax: the definition with live numbers, shift invariance, temperature, sampling (Gumbel-max and its relaxation),
numerical stability; one step each (pages/_ui/registry.py holds their titles)."""

from typing import NamedTuple

import numpy as np
import pyarrow as pa
import streamlit as st

import core
from core import explore, fmt, gumbel
from figures.gumbel_figs import gumbel_max_figure, gumbel_softmax_figure
from figures.palette import colorize_latex, label
from figures.screens import SLIDE
from figures.softmax_figs import definition_latex, shift_figure, shift_latex, softmax_bars, temperature_animation
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="Softmax",
    intro=(
        "Softmax turns any vector of logits $z$ into positive numbers $S_i$ that sum to 1. Change the logits "
        "with the controls (sliders, or type a whole vector) and watch every number follow."
    ),
)
RELAXED = 500  # the relaxation's sweep reads the first 500 seeded draws: enough for a 99th percentile, cheap per rerun
CODE = (core.softmax, explore.temperature_sweep, gumbel.gumbel_max, gumbel.relaxed, core.naive_softmax,
        core.stable_softmax_in)


@st.cache_resource(show_spinner=False)
def stability_table() -> pa.Table:
    """The stability table never changes: built once per server as Arrow, not converted again on every rerun."""
    return pa.table(explore.stability_columns())


class Logits(NamedTuple):
    z: tuple
    T: float
    n: int
    S: np.ndarray
    names: list  # the outputs' names S₁…Sₙ


def logits() -> Logits:
    """The shared controls and what every step computes from them. A step draws its own controls first, so that they
    head its control column, above the n z sliders, on a laptop's first screen."""
    z, T = ui.logit_controls(ctx)
    return Logits(z, T, len(z), core.softmax(z, T), [label("S", k) for k in range(len(z))])



@ui.step(ctx)
def definition():
    z, T, n, S, names = logits()
    log10_e, log10_sum = explore.exp_log10(z, T)
    ui.chart(ctx, ui.live(softmax_bars(S, ctx.dark, screen=ctx.screen), "softmax_bars", z, T, stack=list(range(1, n + 1))),
             "bars",
             alt=f"Bar chart of the {n} softmax outputs, each in its index colour: "
                 + ", ".join(f"{names[k]} = {fmt.num(S[k])}" for k in range(n)) + ". A stacked bar shows they sum to 1.",
             data={"output": names, "z": list(z), "S": [float(s) for s in S]})
    ui.latex(r"S_i = \frac{e^{z_i / T}}{\sum_{k=1}^{n} e^{z_k / T}}" if T != 1
             else r"S_i = \frac{e^{z_i}}{\sum_{k=1}^{n} e^{z_k}}")
    live = definition_latex(z, log10_e, log10_sum, S, T, screen=ctx.screen)
    ui.latex(live, colored=colorize_latex(live, ctx.dark))
    left, right = st.columns([3, 2], gap="medium")
    with left:
        st.info(
            "**A probability distribution, but not a calibrated one.** The $S_i$ are positive and sum to 1, so they "
            "*are* a probability distribution over the $n$ outputs. What nothing guarantees is **calibration**: "
            "$S_i = 0.9$ need not mean right 90 % of the time. Read them as the model's **certainty**: a large $S_i$ "
            "means the model strongly prefers output $i$.", icon=":material/lightbulb:")
    with right:
        top = int(np.argmax(S))
        tied = [names[k] for k in range(n) if z[k] == z[top]]  # equal logits give equal outputs: name them all
        # fmt.num, never fixed: "1.000" for S₁ = 0.99966 (z = (8, 0, −8)) claimed a certainty that is not there
        st.metric(f"Largest output: {' = '.join(tied)}" + (" (a tie)" if len(tied) > 1 else ""), fmt.num(S[top], 3),
                  help="argmax S = argmax z: softmax keeps the order.")
        rest = float(np.sum(np.delete(S, top)))  # 1 − S_top, summed: where S_top is 1 in float64 it says so
        st.caption(f"Σ S = {fmt.fixed(S.sum(), 12)} (float64 rounding, at most a few units in the last place)."
                   + (f" {names[top]} prints as 1 because float64 has rounded it: 1 − {names[top]} = {fmt.prose(rest)}."
                      if S[top] == 1.0 and rest > 0 else ""))
    ui.step_code(ctx, core.softmax)


@ui.step(ctx)
def shift():
    c = ui.control(ctx, "c", ui.panel(ctx))
    z, T, _, S, names = logits()
    z_c = tuple(v + c for v in z)
    S_c = core.softmax(z_c, T)
    ui.chart(ctx, shift_figure(z, z_c, S, S_c, c, ctx.dark, screen=ctx.screen), "shift",
             alt=f"Grouped bars: logits before and after adding c = {fmt.num(c, 4)} (every bar moves by c) and the softmax "
                 f"outputs before and after (identical; largest difference {fmt.num(np.max(np.abs(S - S_c)), 2)}).",
             data={"index": names, "z": list(z), "z + c": list(z_c), "S(z)": [float(v) for v in S],
                   "S(z + c)": [float(v) for v in S_c]})
    i = int(np.argmax(S))
    log10_e, log10_sum = explore.exp_log10(z, T)
    why = shift_latex(i, c, T, c / T / np.log(10), float(log10_e[i]), log10_sum, float(S_c[i]))
    ui.latex(why, colored=colorize_latex(why, ctx.dark))
    st.caption(f"The factor $e^{{{'c' if T == 1 else 'c/T'}}}$ multiplies the numerator and every term of the sum, so it "
               "cancels. That is why softmax may subtract $\\max_k z_k$ before exp (the last step, on numerical "
               "stability): it changes nothing but the rounding.")
    ui.step_code(ctx, core.softmax)


@ui.step(ctx)
def temperature():
    z, T, n, S, names = logits()
    Ts = explore.temperature_grid(including=T)  # the animation stands exactly at your T
    S_T = explore.temperature_sweep(z, Ts)  # uncached: a dict build is cheaper than a cache hit (docs/PERFORMANCE.md)
    fig = temperature_animation(Ts, S_T, T, S, dark=ctx.dark, screen=ctx.screen)
    ui.chart(ctx, ui.live(fig, "temperature_curves", z, T, n=n, grid=explore.temperature_grid().tolist()), "temperature",
             alt=f"Animated bars of S as T goes from 0.1 to 10, beside the {n} curves Sᵢ(T) on a log axis. At T = 0.1 the "
                 f"largest output is {fmt.num(S_T[0].max())}; at T = 10 the outputs lie between {fmt.num(S_T[-1].min())} "
                 f"and {fmt.num(S_T[-1].max())}.",
             data={"T": [float(t) for t in Ts], **{names[k]: S_T[:, k] for k in range(n)}})
    st.markdown("Press **Play** or drag the slider under the chart: the animation runs in your browser. "
                "Small $T$ sharpens $S$ towards the largest logit: in the limit $T \\to 0$ the tied largest logits share "
                "$S$ equally (one-hot when the largest is unique). Large $T$ flattens it towards $1/n.$ "
                + explore.temperature_limit_sentence(z))
    ui.step_code(ctx, explore.temperature_sweep)


@ui.step(ctx)
def sampling():
    draws = ui.control(ctx, "gdraws", ui.panel(ctx))
    gseed = ui.control(ctx, "gseed", ui.panel(ctx))
    z, T, n, S, names = logits()
    G = gumbel.gumbel_noise(draws, n, gseed)
    at = gumbel.checkpoints(draws)
    freqs = gumbel.running_frequencies(gumbel.gumbel_max(z, T, G), n, at)
    ui.chart(ctx, gumbel_max_figure(at, freqs, S, ctx.dark), "gumbel-max",
             alt=f"Bars of how often argmax(z/T + G) picked each class in {draws} seeded draws beside S, and the running "
                 f"frequencies converging to S; largest gap {fmt.num(np.abs(freqs[-1] - S).max(), 2)}.",
             data={"class": names, "S": S, "frequency": freqs[-1], "binomial SE √(S(1 − S)/N)": np.sqrt(S * (1 - S) / draws)})
    st.caption(gumbel.frequency_sentence(freqs[-1], S, draws))
    st.markdown("Add independent Gumbel noise $G_k = -\\log(-\\log U_k)$, $U_k$ uniform on (0, 1), to the tempered "
                "logits and take the largest: $\\operatorname{argmax}_k (z_k/T + G_k)$"
                " is a sample from $S = \\operatorname{softmax}(z/T)$.")
    ui.step_code(ctx, gumbel.gumbel_noise, gumbel.gumbel_max)


@ui.step(ctx)
def relaxation():
    tau = ui.control(ctx, "tau", ui.panel(ctx))
    gseed = ui.control(ctx, "gseed", ui.panel(ctx))
    x = logits()
    z, T, n = x.z, x.T, x.n
    G = gumbel.gumbel_noise(RELAXED, n, gseed)  # the first draws of the sampling step's seeded noise
    y, _ = gumbel.relaxed(z, T, tau, G[:1])
    sweep = gumbel.tau_sweep(z, T, G)
    ui.chart(ctx, gumbel_softmax_figure(y[0], int(np.argmax(np.asarray(z) / T + G[0])), gumbel.TAUS, sweep, tau, T, ctx.dark,
                                        height=420 if ctx.screen == SLIDE else 440),  # a slide's legend takes two rows
             "gumbel-softmax", alt=f"One Gumbel-softmax sample at τ = {fmt.num(tau)} beside its one-hot argmax, and the "
             f"median and 99th percentile of max |∂y/∂z| over {RELAXED} draws against τ from 0.01 to 10.",
             data={"τ": gumbel.TAUS, "median max |∂y/∂z|": sweep["median"], "99th percentile": sweep["p99"],
                   "mean": sweep["mean"], "mean distance from one-hot": sweep["onehot"]})
    st.markdown(gumbel.relaxation_sentence(sweep, T))
    ui.step_code(ctx, gumbel.relaxed, gumbel.tau_sweep)


@ui.step(ctx)
def stability():
    z, T = logits()[:2]
    st.dataframe(stability_table(), hide_index=True)
    st.markdown(
        f"For $z = {tuple(int(v) for v in explore.STABILITY_Z)}$ the textbook form $e^{{z}}/\\sum e^{{z}}$ overflows: "
        "$e^{1000}$ is **inf** in every float type, and inf / inf is **NaN**. Subtracting $\\max z$ first gives "
        "exponents $\\le 0$, so the largest term is exactly 1 and nothing overflows.")
    x = np.asarray(z, float) / T
    # each entry its own formula: one formula of ten entries is one unbreakable line, wider than a phone
    shifted, per_T = ", ".join(f"${fmt.tex(v)}$" for v in x - x.max()), "" if T == 1 else "/T"
    st.markdown(f"Your logits, shifted: $z{per_T} - \\max_k z_k{per_T} =$ ({shifted}). Every exponent is "
                "$\\le 0$ and the largest is exactly 0, so the sum lies between 1 and $n$: it neither overflows nor "
                "rounds to 0.")
    st.caption("e^x overflows once x > ln(max float): " + ", ".join(
        f"{d.__name__} at x ≈ {fmt.num(explore.overflow_limit(d), 5)}" for d in explore.DTYPES) + ". Your logits are "
        "always shifted: this app computes S as e^(zᵢ/T − max z/T) / Σₖ e^(zₖ/T − max z/T); the code is below.")
    ui.step_code(ctx, core.softmax, core.naive_softmax, core.stable_softmax_in)


if not ctx.stepped:
    ui.show_code(*CODE)
ui.end(ctx)
