"""Attention: scores q·k of random d-dimensional vectors spread like √d; dividing by √d is softmax at T = √d."""

import numpy as np
import streamlit as st

from core import attention, fmt, state
from figures.attention_figs import norms_figure, spread_figure, weights_figure
from figures.palette import label
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="Attention: 1/√d is a temperature",
    intro=(
        "A transformer's attention weights are a softmax over scores: $a = \\operatorname{softmax}(s/\\sqrt d)$ with "
        "$s_i = q \\cdot k_i$, a query $q$ against $n$ keys $k_i$, all $d$-dimensional. Here $q$ and the keys are "
        "seeded random vectors with independent standard normal components. Why the $1/\\sqrt d$?"
    ),
)


@st.cache_data(max_entries=16, show_spinner=False)
def vectors(seed: int, n: int) -> attention.Draw:
    """Seeded q, keys and the spread pairs (drawing 2 × 256 × 1024 normals is the costly part: once per seed and n)."""
    return attention.draw(seed, n)


# ---- controls ------------------------------------------------------------------------------------------
where = ui.panel(ctx)
n = ui.control(ctx, "n", st.slider, where, label="Number of keys n", min_value=state.N_MIN, max_value=state.N_MAX, step=1)
ctx.params["z"] = state.fit_z(ctx.params["z"], n)  # the shared logits keep their length in step with n
d = ui.control(ctx, "d", st.select_slider, where, label="Dimension d (powers of 2)", options=state.D_STEPS)
seed = ui.control(ctx, "aseed", st.number_input, where, label="Seed of q and the keys", min_value=0, max_value=999_999,
                  step=1)
dr = vectors(int(seed), int(n))
ds = np.asarray(state.D_STEPS)
stds, ses = attention.spread(dr, ds), attention.spread_se(ds)
sw = attention.sweep(dr, ds)
s = attention.scores(dr, d)
raw, scl = (attention.summary(s, dr.g, t, dr.K[:, :d]) for t in (1.0, float(np.sqrt(d))))
k = int(np.flatnonzero(ds == d)[0])
names = [label("a", i) for i in range(n)]

# ---- 1. the spread ------------------------------------------------------------------------------------------
st.subheader("The scores spread like √d")
st.markdown("$q \\cdot k = \\sum_{c=1}^{d} q_c k_c$ adds $d$ independent terms of variance 1, so its variance is $d$ "
            "and its standard deviation $\\sqrt d$. Measured on 256 independent pairs per $d$:")
ui.chart(ctx, spread_figure(ds, stds, ses, d, ctx.dark), "score-spread",
         alt=f"Log-log plot of the sample standard deviation of q·k against d from 1 to 1024, beside the line √d; at d = {d} "
             f"it is {stds[k]:.3g} against √d = {np.sqrt(d):.3g}.",
         data={"d": ds, "sample std of q·k": stds, "√d": np.sqrt(ds), "standard error": ses,
               "(std − √d)/SE": (stds - np.sqrt(ds)) / ses})
zk = (stds[k] - np.sqrt(d)) / ses[k]
st.caption(f"At d = {d}: sample std {stds[k]:.3g}, √d = {np.sqrt(d):.3g}, ratio {stds[k] / np.sqrt(d):.3f} "
           f"({abs(zk):.1f} standard errors {'above' if zk > 0 else 'below'} √d). Over all 11 values of d the largest gap "
           f"is {np.abs((stds - np.sqrt(ds)) / ses).max():.1f} standard errors.")

# ---- 2. the weights at this d -------------------------------------------------------------------------------
st.subheader(f"The weights at d = {d}, without and with 1/√d")
ui.chart(ctx, weights_figure(raw["S"], scl["S"], d, ctx.dark), "attention-weights",
         alt=f"Two bar charts of the {n} attention weights at d = {d}: without scaling the largest is {raw['S'].max():.4g}, "
             f"with scaling {scl['S'].max():.4g}.",
         data={"key": names, "score q·k": s, "softmax(q·k)": raw["S"], "softmax(q·k/√d)": scl["S"]})
cols = st.columns(2)
for col, r, name in ((cols[0], raw, "without 1/√d (T = 1)"), (cols[1], scl, f"with 1/√d (T = √d = {np.sqrt(d):.3g})")):
    col.markdown(f"**{name}**")
    col.metric("largest weight", f"{r['S'].max():.4g}")
    col.metric("max |∂aᵢ/∂sⱼ|, ‖J‖₂", f"{r['max_abs']:.3g}, {r['norm']:.3g}")
    col.metric("‖∂L/∂q‖ for the bounded g", f"{r['grad_q']:.3g}")
sat = raw["S"].max() > 0.99
st.markdown(("✓ **Saturated:** without the scaling the largest weight is " if sat else
             "✗ **Not saturated:** without the scaling the largest weight is ") + f"{raw['S'].max():.4g}"
            + (f", and J is small: max |∂aᵢ/∂sⱼ| = {raw['max_abs']:.2g} (it is at most ¼)." if sat else
               f"; the scores span {np.ptp(s):.3g} here, and their spread grows like √d."))

# ---- 3. J as d grows ------------------------------------------------------------------------------------------
st.subheader("J as d grows, and why the gradient really vanishes here")
ui.chart(ctx, norms_figure(ds, sw, d, ctx.dark), "jacobian-vs-d",
         alt=f"Log-log plot of max |J| and the norm of J against d, without and with 1/√d: at d = 1024 the norm is "
             f"{sw['raw_norm'][-1]:.2g} without and {sw['scaled_norm'][-1]:.2g} with the scaling.",
         data={"d": ds, **{f"{what} {name}": sw[f"{key}_{w}"] for key, name in (("raw", "without"), ("scaled", "with"))
                           for w, what in (("max", "max |J|"), ("norm", "‖J‖₂"), ("grad_q", "‖∂L/∂q‖"))}})
pick = [int(np.flatnonzero(ds == v)[0]) for v in (1, 16, 256, 1024)]
ui.table({"d": ds[pick], **{f"{title} {side}": [fmt.num(v) for v in sw[f"{way}_{key}"][pick]]
                            for title, key in (("max |J|", "max"), ("‖J‖₂", "norm"), ("‖∂L/∂q‖", "grad_q"))
                            for way, side in (("raw", "without"), ("scaled", "with 1/√d"))}}, static=True)
st.markdown(
    "Here the upstream gradient $g = \\partial L/\\partial a$ is **bounded**: it comes from the values, "
    "$\\partial L/\\partial a_i = \\langle \\partial L/\\partial o, v_i\\rangle$, which does not grow as $a$ "
    "saturates (here $g$ is seeded, entries in $[-1, 1]$). "
    "Then $\\|\\partial L/\\partial s\\| = \\|J g\\| \\le \\|J\\|_2\\,\\|g\\|$: as $J \\to 0$ "
    "the gradient to the scores, and through $\\partial s/\\partial q = K$ to the query, vanishes. Cross-entropy is "
    "different: there $g_y = -1/S_y$ grows exactly as fast as $J$ shrinks, and $S - y$ survives saturation (Chain rule page).")
st.markdown(
    f"**1/√d is a temperature.** $\\operatorname{{softmax}}(s/\\sqrt d)$ is softmax at $T = \\sqrt d$ ({np.sqrt(d):.3g} "
    f"at d = {d}): dividing the scores by √d does exactly what the Jacobian page's temperature T does to its logits. "
    "Its "
    "$J = (\\operatorname{diag}(a) - aa^\\top)/\\sqrt d$ still carries the factor $1/\\sqrt d$, but each key has length "
    "about $\\sqrt d$, which cancels it in $\\partial L/\\partial q$; without the scaling nothing cancels the saturation.")
if np.sqrt(d) <= 10:  # the Jacobian page's T slider stops at 10
    ui.page_link("pages/jacobian.py", label=f"These {n} scores on the Jacobian page at T = √d = {np.sqrt(d):.3g}",
                 icon=":material/grid_on:",
                 query_params={"n": str(n), "z": state.format_vector(np.round(s, 3)), "T": f"{np.sqrt(d):g}"})
ui.show_code(attention.scores, attention.summary, attention.spread)
ui.end(ctx)
