"""Home: what the app teaches, the seed's network, and the softmax definition with live numbers."""

import streamlit as st

import core
from figures.network import network_diagram
from figures.palette import color, colorize_latex, label
from pages import _ui as ui

ctx = ui.begin(
    "home",
    keys=(),
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
    terms = " ,\\; ".join(rf"S_{{{k + 1}}} = {S[k]:.3f}" for k in range(min(n, 5))) + (r",\;\dots" if n > 5 else "")
    st.latex(colorize_latex(terms, ctx.dark))
    st.caption(
        f"At z = ({', '.join(f'{v:g}' for v in z)}) and T = {T:g}: Σ S = {S.sum():.6f}. "
        "These numbers are *not* probabilities in a strict sense, but they can be read as the model's certainty."
    )
    st.subheader("What you will learn")
    st.markdown(
        "1. **Softmax** and its shift invariance and temperature.\n"
        "2. **Dependencies**: why every $S_i$ depends on every $z_j$.\n"
        "3. **Derivation**: four rules give $\\partial S_i/\\partial z_j = S_i(\\delta_{ij} - S_j)$.\n"
        "4. **Jacobian**: $J = \\operatorname{diag}(S) - S S^\\top$ as one object with structure.\n"
        "5. **Chain rule**: multiply along a path, add across paths; cross-entropy gives $S - y$.\n"
        "6. **Training**: that gradient trains the seed's network below."
    )
with right:
    D = 2
    fig = network_diagram(D=D, K=3, S=core.softmax(z[:3], T) if n >= 3 else None, dark=ctx.dark)
    ui.chart(
        ctx, fig, "network",
        alt=f"Diagram of the seed's network: {D} inputs fully connected to 3 logits, then softmax connects "
            "every logit to every one of the 3 outputs.",
        data={"node": [label("x", a) for a in range(D)] + [label("z", k) for k in range(3)] + [label("S", k) for k in range(3)],
              "layer": ["input"] * D + ["logit"] * 3 + ["softmax output"] * 3},
    )
    st.markdown(
        " ".join(
            f"<span style='color:{color(k, ctx.dark)}; font-weight:700'>■ {label('z', k)}</span>" for k in range(min(n, 10))
        ),
        unsafe_allow_html=True,  # static markup built from our own palette and indices, never from user text
    )
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
