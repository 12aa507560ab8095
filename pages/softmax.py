"""Softmax: the definition with live numbers, Σ S = 1, shift invariance, temperature, numerical stability."""

import numpy as np
import pyarrow as pa
import streamlit as st

import core
from core import explore, gumbel, state
from figures.gumbel_figs import gumbel_max_figure, gumbel_softmax_figure
from figures.palette import colorize_latex, label
from figures.softmax_figs import definition_latex, shift_figure, shift_latex, softmax_bars, temperature_animation
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="Softmax",
    intro=(
        "Softmax turns any vector of logits $z$ into positive numbers $S_i$ that sum to 1. Change the logits "
        "with the controls (sliders, or type a whole vector) and watch every number below follow."
    ),
)


@st.cache_resource(show_spinner=False)
def stability_table() -> pa.Table:
    """The stability table never changes: built once per server as Arrow, not converted again on every rerun."""
    return pa.table(explore.stability_columns())


# ---- controls and the maths ------------------------------------------------------------------------
z, T = ui.logit_controls(ctx)
n = len(z)
S = core.softmax(z, T)
log10_e, log10_sum = explore.exp_log10(z, T)
names = [label("S", k) for k in range(n)]

# ---- the definition, live ----------------------------------------------------------------------------
st.subheader("The definition, with your numbers")
ui.latex(r"S_i = \frac{e^{z_i / T}}{\sum_{k=1}^{n} e^{z_k / T}}" if T != 1 else r"S_i = \frac{e^{z_i}}{\sum_{k=1}^{n} e^{z_k}}")
live = definition_latex(z, log10_e, log10_sum, S, T)
ui.latex(live, colored=colorize_latex(live, ctx.dark))
left, right = st.columns([3, 2], gap="large")
with left:
    ui.chart(ctx, softmax_bars(S, ctx.dark, screen=ctx.screen), "bars",
             alt=f"Bar chart of the {n} softmax outputs, each in its index colour: "
                 + ", ".join(f"{names[k]} = {S[k]:.3f}" for k in range(n)) + ". A stacked bar shows they sum to 1.",
             data={"output": names, "z": list(z), "S": [float(s) for s in S]})
with right:
    st.info(
        "**A probability distribution, but not a calibrated one.** The $S_i$ are positive and sum to 1, so they "
        "*are* a probability distribution over the $n$ outputs. What nothing guarantees is **calibration**: "
        "$S_i = 0.9$ need not mean right 90 % of the time. Read them as the model's **certainty**: a large $S_i$ "
        "means the model strongly prefers output $i$.", icon=":material/lightbulb:")
    top = int(np.argmax(S))
    tied = [names[k] for k in range(n) if z[k] == z[top]]  # equal logits give equal outputs: name them all
    st.metric(f"Largest output: {' = '.join(tied)}" + (" (a tie)" if len(tied) > 1 else ""), f"{S[top]:.3f}",
              help="argmax S = argmax z: softmax keeps the order.")
    st.caption(f"Σ S = {S.sum():.12f} (float64 rounding, at most a few units in the last place).")

# ---- shift invariance --------------------------------------------------------------------------------
st.subheader("Shift invariance: S(z + c) = S(z)")


@ui.section(ctx)  # c changes only this section: moving it reruns the section alone
def shift():
    col_c, col_why = st.columns([1, 3], gap="large")
    with col_c:
        c = ui.control(ctx, "c", st.slider, label="Add c to every z", min_value=-10.0, max_value=10.0, step=0.1)
        st.caption("Every logit moves by c, yet no bar of S moves (beyond float64 rounding).")
    z_c = tuple(v + c for v in z)
    S_c = core.softmax(z_c, T)
    log10_ec = c / T / np.log(10)
    with col_why:
        i = int(np.argmax(S))
        why = shift_latex(i, c, T, log10_ec, float(log10_e[i]), log10_sum, float(S_c[i]))
        ui.latex(why, colored=colorize_latex(why, ctx.dark))
        st.caption(f"The factor $e^{{{'c' if T == 1 else 'c/T'}}}$ multiplies the numerator and every term of the sum, "
                   "so it cancels. That is why "
                   "softmax may subtract $\\max_k z_k$ before exp (see the last section): it changes nothing but the rounding.")
    ui.chart(ctx, shift_figure(z, z_c, S, S_c, c, ctx.dark, screen=ctx.screen), "shift",
             alt=f"Grouped bars: logits before and after adding c = {c:g} (every bar moves by c) and the softmax outputs "
                 f"before and after (identical; largest difference {np.max(np.abs(S - S_c)):.1e}).",
             data={"index": names, "z": list(z), "z + c": list(z_c), "S(z)": [float(v) for v in S],
                   "S(z + c)": [float(v) for v in S_c]})


shift()

# ---- temperature ----------------------------------------------------------------------------------------
st.subheader("Temperature: S(z / T)")
st.markdown("Press **Play** or drag the slider under the chart: the animation runs in your browser. "
            "Small $T$ sharpens $S$ towards the largest logit: in the limit $T \\to 0$ the tied largest logits share "
            "$S$ equally (one-hot when the largest is unique). Large $T$ flattens it towards $1/n.$ "
            + explore.temperature_limit_sentence(z))
Ts = explore.temperature_grid(including=T)  # the animation stands exactly at your T
S_T = explore.temperature_sweep(z, Ts)  # uncached: a dict build is cheaper than a cache hit (docs/PERFORMANCE.md)
ui.chart(ctx, temperature_animation(Ts, S_T, T, S, dark=ctx.dark, screen=ctx.screen), "temperature",
         alt=f"Animated bars of S as T goes from 0.1 to 10, beside the {n} curves S_i(T) on a log axis. At T = 0.1 the "
             f"largest output is {S_T[0].max():.3f}; at T = 10 the outputs lie between {S_T[-1].min():.3f} and "
             f"{S_T[-1].max():.3f}.",
         data={"T": [round(float(t), 4) for t in Ts], **{names[k]: S_T[:, k].round(4) for k in range(n)}})

# ---- Gumbel-max and the Gumbel-softmax relaxation -------------------------------------------------------------
st.subheader("Sampling from S: the Gumbel-max trick")
st.markdown("Add independent Gumbel noise $G_k = -\\log(-\\log U_k)$, $U_k$ uniform on (0, 1), to the tempered "
            "logits and take the largest: $\\operatorname{argmax}_k (z_k/T + G_k)$"
            " is a sample from $S = \\operatorname{softmax}(z/T)$.")


@ui.section(ctx)  # the draws, seed and τ change only this section
def gumbel_section():
    a, b, c_ = st.columns(3)
    draws = ui.control(ctx, "gdraws", st.select_slider, a, label="Draws (log steps)", options=state.GDRAW_STEPS)
    gseed = ui.control(ctx, "gseed", st.number_input, b, label="Gumbel seed", min_value=0, max_value=999_999, step=1)
    tau = ui.control(ctx, "tau", st.select_slider, c_, label="Relaxation temperature τ", options=state.TAU_STEPS)
    G = gumbel.gumbel_noise(draws, n, gseed)
    at = gumbel.checkpoints(draws)
    freqs = gumbel.running_frequencies(gumbel.gumbel_max(z, T, G), n, at)
    ui.chart(ctx, gumbel_max_figure(at, freqs, S, ctx.dark), "gumbel-max",
             alt=f"Bars of how often argmax(z/T + G) picked each class in {draws} seeded draws beside S, and the running "
                 f"frequencies converging to S; largest gap {np.abs(freqs[-1] - S).max():.2g}.",
             data={"class": names, "S": S, "frequency": freqs[-1], "binomial SE √(S(1 − S)/N)": np.sqrt(S * (1 - S) / draws)})
    st.caption(gumbel.frequency_sentence(freqs[-1], S, draws))
    y, _ = gumbel.relaxed(z, T, tau, G[:1])
    sweep = gumbel.tau_sweep(z, T, G[:500])  # 500 draws: enough for a 99th percentile, cheap on every rerun
    ui.chart(ctx, gumbel_softmax_figure(y[0], int(np.argmax(np.asarray(z) / T + G[0])), gumbel.TAUS, sweep, tau, T, ctx.dark),
             "gumbel-softmax", alt=f"One Gumbel-softmax sample at τ = {tau:g} beside its one-hot argmax, and the median and "
             f"99th percentile of max |∂y/∂z| over 500 draws against τ from 0.01 to 10.",
             data={"τ": gumbel.TAUS, "median max |∂y/∂z|": sweep["median"], "99th percentile": sweep["p99"],
                   "mean": sweep["mean"], "mean distance from one-hot": sweep["onehot"]})
    st.markdown(gumbel.relaxation_sentence(sweep, T))


gumbel_section()

# ---- numerical stability --------------------------------------------------------------------------------
st.subheader("Numerical stability: why softmax subtracts max z")
st.markdown(
    f"For $z = {tuple(int(v) for v in explore.STABILITY_Z)}$ the textbook form $e^{{z}}/\\sum e^{{z}}$ overflows: "
    "$e^{1000}$ is **inf** in every float type, and inf / inf is **NaN**. Subtracting $\\max z$ first gives "
    "exponents $\\le 0$, so the largest term is exactly 1 and nothing overflows.")
st.dataframe(stability_table(), hide_index=True)
st.caption("e^x overflows once x > ln(max float): " + ", ".join(
    f"{d.__name__} at x ≈ {explore.overflow_limit(d):.2f}" for d in explore.DTYPES) + ". Your logits are always "
    "shifted: this app computes S with core.softmax, shown below.")

ui.show_code(core.softmax, explore.temperature_sweep, core.naive_softmax, core.stable_softmax_in, gumbel.gumbel_max,
             gumbel.relaxed)
ui.end(ctx)
