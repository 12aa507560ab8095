"""Attention: scores q·k of random d-dimensional vectors spread like √d; dividing by √d is softmax at T = √d; how J and
the gradient to the query change with d. One step each (their titles are in pages/_ui/registry.py)."""

from types import SimpleNamespace

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
DS = np.asarray(state.D_STEPS)


@st.cache_data(max_entries=16, show_spinner=False)
def vectors(seed: int, n: int) -> attention.Draw:
    """Seeded q, keys and the spread pairs (drawing 2 × 256 × 1024 normals is the costly part: once per seed and n)."""
    return attention.draw(seed, n)


def controls(keys: bool) -> SimpleNamespace:
    """The step's controls (the number of keys n only where the keys are drawn) and the seeded draw."""
    where = ui.panel(ctx)
    if keys:
        ui.control(ctx, "n", where, label="Number of keys n")
    n = int(ctx.params["n"])
    ctx.params["z"] = state.fit_z(ctx.params["z"], n)  # the shared logits keep their length in step with n
    d = ui.control(ctx, "d", where)
    seed = ui.control(ctx, "aseed", where)
    return SimpleNamespace(n=n, d=int(d), dr=vectors(int(seed), n), k=int(np.flatnonzero(DS == d)[0]))


@ui.step(ctx)
def spread():
    c = controls(keys=False)
    d, k = c.d, c.k
    stds, ses = attention.spread(c.dr, DS), attention.spread_se(DS)
    ui.chart(ctx, spread_figure(DS, stds, ses, d, ctx.dark, height=380 if ctx.stepped else 400), "score-spread",
             alt=f"Log-log plot of the sample standard deviation of q·k against d from 1 to 1024, beside the line √d; at "
                 f"d = {d} it is {fmt.num(stds[k])} against √d = {fmt.num(np.sqrt(d))}.",
             data={"d": DS, "sample std of q·k": stds, "√d": np.sqrt(DS), "standard error": ses,
                   "(std − √d)/SE": (stds - np.sqrt(DS)) / ses})
    st.markdown("$q \\cdot k = \\sum_{c=1}^{d} q_c k_c$ adds $d$ independent terms of variance 1, so its variance is $d$ "
                "and its standard deviation $\\sqrt d$. Measured above on 256 independent pairs per $d$.")
    zk = (stds[k] - np.sqrt(d)) / ses[k]
    st.caption(f"At d = {d}: sample std {fmt.prose(stds[k])}, √d = {fmt.prose(np.sqrt(d))}, ratio "
               f"{fmt.prose(stds[k] / np.sqrt(d), 4)} ({fmt.prose(abs(zk), 2)} standard errors "
               f"{'above' if zk > 0 else 'below'} √d). Over all {DS.size} values of d the largest gap is "
               f"{fmt.prose(np.abs((stds - np.sqrt(DS)) / ses).max(), 2)} standard errors.")


@ui.step(ctx)
def weights():
    c = controls(keys=True)
    n, d, dr = c.n, c.d, c.dr
    s = attention.scores(dr, d)
    raw, scl = (attention.summary(s, dr.g, t, dr.K[:, :d]) for t in (1.0, float(np.sqrt(d))))
    ui.chart(ctx, weights_figure(raw["S"], scl["S"], d, ctx.dark, height=360 if ctx.stepped else 380), "attention-weights",
             alt=f"Two bar charts of the {n} attention weights at d = {d}: without scaling the largest is "
                 f"{fmt.num(raw['S'].max(), 4)}, with scaling {fmt.num(scl['S'].max(), 4)}.",
             data={"key": [label("a", i) for i in range(n)], "score q·k": s, "softmax(q·k)": raw["S"],
                   "softmax(q·k/√d)": scl["S"]})
    cols = st.columns(2)
    for col, r, name in ((cols[0], raw, "without 1/√d (T = 1)"), (cols[1], scl, f"with 1/√d (T = √d = {fmt.num(np.sqrt(d))})")):
        col.markdown(f"**{name}**")
        col.metric("largest weight", fmt.num(r["S"].max(), 4))
        col.metric("max |∂aᵢ/∂sⱼ|, ‖J‖₂", f"{fmt.num(r['max_abs'])}, {fmt.num(r['norm'])}")
        col.metric("‖∂L/∂q‖ for the bounded g", fmt.num(r["grad_q"]))
    sat = raw["S"].max() > 0.99
    # the mark says what it tested (largest weight above 0.99), and J's size prints as the metric above prints it
    st.markdown(("✓ **Saturated** (largest weight above 0.99): without the scaling the largest weight is " if sat else
                 "✗ **Not saturated** (largest weight at most 0.99): without the scaling the largest weight is ")
                + fmt.prose(raw["S"].max(), 4)
                + (f", and J is small: max |∂aᵢ/∂sⱼ| = {fmt.prose(raw['max_abs'])} (it is at most ¼)." if sat else
                   f"; the scores span {fmt.prose(np.ptp(s))} here, and their spread grows like √d."))
    st.markdown(
        f"**1/√d is a temperature.** $\\operatorname{{softmax}}(s/\\sqrt d)$ is softmax at $T = \\sqrt d$ "
        f"(${fmt.tex(np.sqrt(d))}$ at d = {d}): dividing the scores by √d does exactly what the Jacobian page's temperature "
        "T does to its logits. Its $J = (\\operatorname{diag}(a) - aa^\\top)/\\sqrt d$ still carries the factor "
        "$1/\\sqrt d$, but each key has length about $\\sqrt d$, which cancels it in $\\partial L/\\partial q$; without "
        "the scaling nothing cancels the saturation.")
    if np.sqrt(d) <= 10:  # the Jacobian page's T slider stops at 10
        ui.page_link("pages/jacobian.py", label=f"These {n} scores on the Jacobian page at T = √d = {fmt.prose(np.sqrt(d))}",
                     icon=":material/grid_on:",
                     query_params={"n": str(n), "z": state.format_vector(np.round(s, 3)), "T": fmt.exact(np.sqrt(d))})


@ui.step(ctx)
def vanishing():
    c = controls(keys=True)
    sw = attention.sweep(c.dr, DS)
    ui.chart(ctx, norms_figure(DS, sw, c.d, ctx.dark, height=400 if ctx.stepped else 420), "jacobian-vs-d",
             alt=f"Log-log plot of max |J| and the norm of J against d, without and with 1/√d: at d = 1024 the norm is "
                 f"{fmt.num(sw['raw_norm'][-1], 2)} without and {fmt.num(sw['scaled_norm'][-1], 2)} with the scaling.",
             data={"d": DS, **{f"{what} {name}": sw[f"{key}_{w}"] for key, name in (("raw", "without"), ("scaled", "with"))
                               for w, what in (("max", "max |J|"), ("norm", "‖J‖₂"), ("grad_q", "‖∂L/∂q‖"))}})
    pick = [int(np.flatnonzero(DS == v)[0]) for v in (1, 16, 256, 1024)]
    ui.table({"d": DS[pick], **{f"{title} {side}": [fmt.num(v) for v in sw[f"{way}_{key}"][pick]]
                                for title, key in (("max |J|", "max"), ("‖J‖₂", "norm"), ("‖∂L/∂q‖", "grad_q"))
                                for way, side in (("raw", "without"), ("scaled", "with 1/√d"))}}, static=True)
    st.markdown(
        "Here the upstream gradient $g = \\partial L/\\partial a$ is **bounded**: it comes from the values, "
        "$\\partial L/\\partial a_i = \\langle \\partial L/\\partial o, v_i\\rangle$, which does not grow as $a$ "
        "saturates (here $g$ is seeded, entries in $[-1, 1]$). "
        "Then $\\|\\partial L/\\partial s\\| = \\|J g\\| \\le \\|J\\|_2\\,\\|g\\|$: as $J \\to 0$ "
        "the gradient to the scores, and through $\\partial s/\\partial q = K$ to the query, vanishes. Cross-entropy is "
        "different: there $g_y = -1/S_y$ grows exactly as fast as $J$ shrinks, and $S - y$ survives saturation (Chain rule "
        "page).")
    ui.show_code(attention.scores, attention.summary, attention.spread)


ui.end(ctx)
