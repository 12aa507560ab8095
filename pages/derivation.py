"""Derivation: ∂S_i/∂z_j line by line from four rules, each line tagged with its rule and evaluated at your z."""

import numpy as np
import streamlit as st

import core
from core import fmt
from core import jacobian_props as jp
from figures.palette import colorize_latex, label, subscripted
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="Derivation",
    intro=(
        r"Four rules are all it takes to differentiate $S_i = e^{z_i} / \sum_k e^{z_k}$ with respect to any $z_j$. "
        "Pick an output $S_i$ and an input $z_j$: every line below names the rule it uses and is **evaluated at your "
        "logits from its own expression** (a derivative still written in a line is computed from that expression), "
        "so the number stays the same only because each step is right: ✓ marks a line equal to the first one."
    ),
)
BADGE = {"independence": "blue", "exponential": "green", "quotient": "orange", "sum": "violet", None: "gray"}
GENERAL = (r"\frac{\partial S_i}{\partial z_j} = S_i(\delta_{ij} - S_j),\qquad \delta_{ij} = \begin{cases} 1 & i = j \\ "
           r"0 & i \ne j \end{cases}\qquad\Longleftrightarrow\qquad J = \operatorname{diag}(S) - S S^{\top}")
SEED = ((1, 1, "∂S₁/∂z₁ = S₁(1−S₁)"), (2, 1, "∂S₂/∂z₁ = −S₂S₁"), (3, 1, "∂S₃/∂z₁ = −S₃S₁"))  # the seed's cases

# ---- controls: the logits (no temperature: the derivation is at T = 1), then i and j ----------------------
z, T = ui.logit_controls(ctx, temperature=False)
n = len(z)
zz, S, J = np.asarray(z), core.softmax(z), core.jacobian(z)
ss = st.session_state
for key in ("i", "j"):  # n may have shrunk since i, j were chosen: keep them valid
    ui.clamp_index(ctx, key, n)


def pick(i: int, j: int) -> None:
    """A seed button: set both pickers (runs before the rerun, so the widgets take the new values)."""
    ss["w_i"], ss["w_j"] = i, j
    ctx.params.update(i=i, j=j)


# ---- the four rules: one card each, in a grid ---------------------------------------------------------------
ui.cards(ctx, [(f":{BADGE[rule]}-badge[{badge}]", formula) for rule, (badge, formula) in core.RULES.items()],
         heading="### The four rules", grid=True, border=False)

# ---- pick i and j ----------------------------------------------------------------------------------------
st.subheader("Pick an output and an input")
ci, cj, cseed = st.columns([1, 1, 3])
i = ui.control(ctx, "i", st.selectbox, ci, options=list(range(1, n + 1)), format_func=lambda k: label("S", k - 1),
               label="Output Sᵢ")
j = ui.control(ctx, "j", st.selectbox, cj, options=list(range(1, n + 1)), format_func=lambda k: label("z", k - 1),
               label="Input zⱼ")
with cseed:
    st.markdown("**The seed's three cases for z₁**, one click each:")
    seeds = st.container(horizontal=True, gap="small")
    for si, sj, text in SEED:
        seeds.button(text, on_click=pick, args=(si, sj), disabled=si > n, key=f"seed_{si}{sj}", width="stretch",
                     help=None if si <= n else "Needs n ≥ 3 outputs.")
st.caption(f"**The derivation is at T = 1**, at z = {fmt.vector(z, 6, head=n)}: S = {fmt.vector(S, 4, head=n)}."
           + (f" Your temperature T = {fmt.num(T, 6)} is not used here: with a temperature, S is softmax(z/T) and every entry "
              "is Sᵢ(δᵢⱼ − Sⱼ)/T, as the Jacobian page shows." if T != 1 else ""))

# ---- both cases, side by side ------------------------------------------------------------------------------
other = i if i != j else j % n + 1  # the i ≠ j case: your pick, or the next output if you picked i = j
for side, col, (a, b), case in zip(("left", "right"), st.columns(2, gap="large"), ((j, j), (other, j)), ("i = j", "i ≠ j"),
                                   strict=True):
    mine = " (your pick)" if (a, b) == (i, j) else ""
    steps = core.derivation_steps(a - 1, b - 1, n)
    lines = []
    for k, (step, (value, ok)) in enumerate(zip(steps, core.derivation.check_lines(steps, zz), strict=True)):
        badge = core.RULES[step.rule][0] if step.rule else ("definition" if k == 0 else "algebra")
        mark = "" if k == 0 else (" ✓" if ok else " ✗ differs from the first line")
        lines.append(ui.Card(f":{BADGE[step.rule]}-badge[{badge}] `= {fmt.num(value, 6)}`{mark} {subscripted(step.explanation)}",
                             colorize_latex(step.latex, ctx.dark), highlight=not ok))
    with col:
        ui.cards(ctx, lines, heading=f"#### Case {case}: ∂{label('S', a - 1)}/∂{label('z', b - 1)}{mine}")
        ui.copy_latex(core.derivation_latex(a - 1, b - 1, n), side)

# ---- the general rule -------------------------------------------------------------------------------------------
st.markdown(f"### The general rule\n\n$$\n{GENERAL}\n$$")  # heading and formula: one element
ui.copy_latex(GENERAL, "general")
st.latex(colorize_latex(core.derivation.general_entry_latex(zz, i - 1, j - 1), ctx.dark))
st.caption("The same number as the last line of your pick. All n² entries at once form the Jacobian, one object with "
           "structure: see the Jacobian page.")

# ---- predict, then reveal ----------------------------------------------------------------------------------------
st.subheader("Predict, then reveal")
zj, col_j = label("z", j - 1), J[:, j - 1]
q1, q2 = st.columns(2, gap="large")
with q1:
    st.markdown(f"**Raise {zj} a little. Which outputs go down?** Decide before you open the answer.")
    box = ui.lazy_expander("Reveal the answer", "x_reveal_down")  # built only once a student opens it
    if box.open:
        with box:
            down = [label("S", k) for k in range(n) if col_j[k] < 0]
            flat = [label("S", k) for k in range(n) if k != j - 1 and col_j[k] == 0]  # −SᵢSⱼ underflowed to 0
            st.markdown(f"**{', '.join(down) or 'None in float64'}**. In exact arithmetic every output except "
                        f"{label('S', j - 1)} goes down, because ∂Sᵢ/∂zⱼ = −SᵢSⱼ < 0 for i ≠ j"
                        + (f"; here softmax has saturated and −SᵢSⱼ rounds to 0 in float64 for {', '.join(flat)}"
                           if flat else "") + f". Raising {zj} by 0.1:")
            predicted, actual = jp.column_effect(zz, j - 1, 0.1)
            six = lambda values: [fmt.num(v, 6) for v in values]
            ui.table({"output": [label("S", k) for k in range(n)], f"∂Sᵢ/∂{zj}": six(col_j),
                      f"predicted ∂Sᵢ/∂{zj} × 0.1": six(predicted), "actual change": six(actual)},
                     static=True)  # st.table: every column visible, headers wrap in half a page
with q2:
    st.markdown(f"**What is Σᵢ ∂Sᵢ/∂{zj}, the sum of column {j} of the Jacobian?** Decide before you open the answer.")
    box = ui.lazy_expander("Reveal the answer", "x_reveal_sum")
    if box.open:
        with box:
            st.markdown(f"**0.** Computed at your logits: Σᵢ ∂Sᵢ/∂{zj} = `{fmt.num(col_j.sum())}` (rounding only). "
                        f"Σᵢ Sᵢ = 1 for every z, a constant, so its derivative with respect to {zj} is 0: what "
                        f"{label('S', j - 1)} gains ({fmt.num(col_j[j - 1], 6)}), the other outputs lose together.")

ui.show_code(core.derivation_steps)
ui.end(ctx)
