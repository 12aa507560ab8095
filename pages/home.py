"""Home: what the app teaches, the seed's network, and the softmax definition with live numbers."""

import streamlit as st

import core
from core import fmt
from figures.network import network_diagram
from figures.palette import colorize_latex, label
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="∂ Softmax Derivative Explorer",
    intro=(
        "How does the output of **softmax** change when you nudge one of its inputs, and why does that "
        "matter when you train a network? Every output $S_i$ depends on **every** input $z_j$, so the "
        "derivative is a whole matrix, the **Jacobian**. These pages build it up step by step, "
        "with live numbers you can change."
    ),
)

# ---- controls --------------------------------------------------------------------------------------
z, T = ui.logit_controls(ctx)
n = len(z)
S = core.softmax(z, T)

# ---- the definition, live -------------------------------------------------------------------------
left, right = st.columns([1, 1], gap="large")
with left:
    st.subheader("The definition")
    ui.latex(r"S_i = \frac{e^{z_i / T}}{\sum_{k=1}^{n} e^{z_k / T}}")
    st.latex(r"0 < S_i < 1, \qquad \sum_{i=1}^{n} S_i = 1")
    cells = [rf"S_{{{k + 1}}} = {fmt.tex(S[k], 3)}" for k in range(min(n, 5))] + ([r"\dots"] if n > 5 else [])
    rows = [" ,\\; ".join(cells[k:k + 3]) for k in range(0, len(cells), 3)]  # three a row: n = 10 fits half a page
    terms = rows[0] if len(rows) == 1 else r"\begin{gathered}" + r",\\ ".join(rows) + r"\end{gathered}"
    st.latex(colorize_latex(terms, ctx.dark))
    st.caption(
        f"At z = {fmt.prose_vector(z, 6, head=None)} and T = {fmt.prose(T, 4)}: Σ S = {fmt.fixed(S.sum(), 6)}. "
        "They form a probability distribution over the n outputs, but nothing makes them *calibrated* (0.9 need not "
        "mean right 90 % of the time): read them as the model's certainty."
        + (" An output that prints as 1.00 is rounded: every $S_i$ lies strictly between 0 and 1 (float64 itself "
           "rounds one to exactly 0 or 1 once softmax saturates)." if S.max() >= 1 - 5e-3 else "")
    )
    st.subheader("What you will learn")
    st.markdown("\n".join(f"{k}. {p.learn}" for k, p in enumerate((p for p in ui.PAGES if p.learn), 1)))
with right:
    D = 2
    fig = network_diagram(D=D, K=n, S=S, dark=ctx.dark, T=T)  # your n outputs and the very S of the formula
    ui.chart(
        ctx, fig, "network",
        alt=f"Diagram of a network: {D} inputs fully connected to {n} logits, then softmax connects every logit to "
            f"every one of the {n} outputs, labelled with your S = ({', '.join(fmt.fixed(v, 3, probability=True) for v in S)}).",
        data={"node": [label("x", a) for a in range(D)] + [label("z", k) for k in range(n)] + [label("S", k) for k in range(n)],
              "layer": ["input"] * D + ["logit"] * n + ["softmax output"] * n,
              "value": [None] * D + [float(v) for v in z] + [float(v) for v in S]},
    )
    ui.swatches(ctx, n)
    st.caption("One colour per index, on every page (Okabe–Ito, colour-blind safe).")

st.divider()
st.subheader("The pages")
cols = st.columns(3)
for k, p in enumerate(ui.PAGES[1:]):
    with cols[k % 3]:
        ui.page_link(p.path, label=f"**{p.title}**", icon=p.icon)
        st.caption(p.notice)

ui.show_code(core.softmax)
ui.end(ctx)
