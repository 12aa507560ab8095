"""Derivation: ∂S_i/∂z_j line by line from four rules, each line tagged with its rule and evaluated at your z and T;
one step per idea (pages/_ui/registry.py holds their titles)."""

from typing import NamedTuple

import numpy as np
import streamlit as st

import core
from core import fmt
from core import jacobian_props as jp
from core.softmax import underflowed
from figures.palette import colorize_latex, label, subscripted
from pages import _ui as ui

TINY = float(np.finfo(np.float64).tiny)  # 2.2×10⁻³⁰⁸: below it float64 keeps fewer digits (subnormal), then none
RTOL = 1e-9  # a line's ✓: |line − first line| ≤ RTOL·|first line| (core.derivation.line_checks)
ctx = ui.begin(
    __file__,
    title="Derivation",
    intro=(
        r"Four rules are all it takes to differentiate $S_i = e^{z_i/T} / \sum_k e^{z_k/T}$ with respect to any $z_j$ "
        "(at $T = 1$, $e^{z_i} / \\sum_k e^{z_k}$). Pick an output $S_i$ and an input $z_j$: every line names the rule it "
        "uses and is **evaluated at your logits from its own expression** (a derivative still written in a line is "
        "computed from that expression), so the number stays the same only because each step is right: ✓ marks a line "
        f"within {fmt.prose(RTOL)} of the first one, relative to its size; ⚠ marks a line that cannot be compared "
        "because the entry is below float64's normal range."
    ),
)
SPLIT = 4  # a step shows a case's first SPLIT lines (the rules), the next step the rest: each part fits one screen
BADGE = {"independence": "blue", "exponential": "green", "quotient": "orange", "sum": "violet", None: "gray"}
SEED = ((1, 1, "∂S₁/∂z₁ = S₁(1−S₁)"), (2, 1, "∂S₂/∂z₁ = −S₂S₁"), (3, 1, "∂S₃/∂z₁ = −S₃S₁"))  # the seed's cases


def general(T: float) -> str:
    """The general rule in LaTeX, with its 1/T when T ≠ 1 (the same T as every other page)."""
    per = "" if T == 1 else "/T"
    return (rf"\begin{{gathered}}\frac{{\partial S_i}}{{\partial z_j}} = S_i(\delta_{{ij}} - S_j){per},\qquad \delta_{{ij}} = "
            r"\begin{cases} 1 & i = j \\ 0 & i \ne j \end{cases}\\ \Longleftrightarrow\qquad "
            rf"J = {'' if T == 1 else '('}\operatorname{{diag}}(S) - S S^{{\top}}{'' if T == 1 else ')/T'}\end{{gathered}}")


class Example(NamedTuple):
    z: tuple
    T: float
    n: int
    zz: np.ndarray
    S: np.ndarray


def logits() -> Example:
    """The shared logits and temperature (the same S as the pages around this one), with what every step computes."""
    z, T = ui.logit_controls(ctx)
    n = len(z)
    for key in ("i", "j"):  # n may have shrunk since i, j were chosen: keep them valid
        ui.clamp_index(ctx, key, n)
    return Example(z, T, n, np.asarray(z), core.softmax(z, T))


def example(x: Example) -> None:
    """The example the lines are evaluated at, under the step's figure (once in the whole-lesson view)."""
    if "example" in ctx.drawn:
        return
    ctx.drawn.add("example")
    z, T, S = x.z, x.T, x.S
    st.caption(f"**The derivation is at T = {fmt.prose(T, 6)}** (your temperature, as on every page), at "
               f"z = {fmt.prose_vector(z, 6, head=None)}: S = softmax(z/T) = {fmt.prose_simplex(S, 4, head=None)}."
               + (" At T = 1 the /T in the exponents and the factor 1/T disappear." if T != 1 else ""))


def diagonal_note(i: int, j: int, n: int) -> str:
    """On an i ≠ j step, a pick with i = j is shown as the next output's case (∂S₂/∂z₁ for i = j = 1): the words that
    say so beside the picker, which reads S₁ ("" for any other pick). Short, as a caption in the control column: it has
    about one line to spare on a 1280×720 projector, and the cards' heading none (a note there pushed Derivation 5's
    cards below the first screen)."""
    if i != j or not ctx.stepped or "i" in ctx.hidden:  # the whole lesson shows the case i = j too, just above; a
        return ""  # hidden picker reads no S₁ to explain (and a step whose controls are all hidden draws no box)
    diagonal = "–".join(map(str, steps_of("diagonal", "diagonal_result")))
    return f"**i = j is steps {diagonal}**; this step shows {label('S', j % n)}."


def steps_of(*slugs: str) -> list[int]:
    """The 1-based numbers of this lesson's steps named ``slugs`` (their functions' names), in lesson order."""
    return [k for k, s in enumerate(ctx.info.steps, 1) if s.slug in slugs]


def pick_controls(n: int, where, output: bool = True, seeds: tuple[int, ...] = (1, 2, 3),
                  off_diagonal: bool = False) -> tuple[int, int]:
    """Input j, output i beside it (``output``: the steps whose figure reads i), and ``seeds``, the seed's cases (by
    output, 1…3) the step's figure shows, as one-click presets (disabled when i or j is locked, not drawn when either is
    hidden). ``where``: a container at the top of the step's controls, above the logits. The whole-lesson view draws
    every control once, in the first step that asks for it. ``off_diagonal``: the step shows the case i ≠ j, so a pick
    with i = j gets :func:`diagonal_note` in place of the presets' caption."""
    if output or not ctx.stepped:
        left, right = where.columns(2)
        i = ui.control(ctx, "i", left, widget="selectbox")
        j = ui.control(ctx, "j", right, widget="selectbox")
    else:
        i, j = ctx.params["i"], ui.control(ctx, "j", where, widget="selectbox")
    note = diagonal_note(i, j, n) if off_diagonal else ""
    seeds = seeds if ctx.stepped else (1, 2, 3)
    if "seeds" in ctx.drawn or {"i", "j"} & ctx.hidden or not seeds:  # drawn once per run; a hidden pick gets no presets
        if note:
            where.caption(note)
        return i, j
    ctx.drawn.add("seeds")
    locked = bool({"i", "j"} & ctx.locked)
    # with the note, one caption of the same two lines: a third would push the controls below a projector's first screen
    where.caption(f"{note} The seed's cases:" if note else
                  "**The seed's cases for z₁**, one click each:" if len(seeds) > 1 else "**The seed's case for z₁**, one click:")
    row = where.container(horizontal=True, gap="small")  # side by side: the step's controls stay in one screen
    for si, sj, text in (SEED[k - 1] for k in seeds):
        row.button(text + ("" if float(ctx.params["T"]) == 1 else "/T"), on_click=ui.preset, args=({"i": si, "j": sj},),
                     disabled=locked or si > n, key=f"seed_{si}{sj}",
                     width="stretch", help=ui.LOCKED_HELP if locked else (None if si <= n else "Needs n ≥ 3 outputs."))
    return i, j


def _mark(k: int, ok: bool | None) -> str:
    """A line's computed check, in the words of its test (the first line is the reference: no mark)."""
    if k == 0:
        return (f" {fmt.MARK[None]} underflows float64: this entry is below {fmt.prose(TINY, 2)}, float64's smallest normal "
                "number, so it keeps few digits or none" if ok is None else "")
    if ok is None:
        return f" {fmt.MARK[None]} underflows float64: cannot be compared with the first line"
    return f" {fmt.MARK[True]}" if ok else f" {fmt.MARK[False]} differs from the first line by more than {fmt.prose(RTOL)} of it"


def case(zz, T, n, i, j, a, b, side, part: int | None = None) -> None:
    """One case of the derivation, ∂S_a/∂z_b (1-based), line by line: rule badge, value at your z, LaTeX. A step shows
    ``part`` 0 (lines 1 to SPLIT: the rules) or 1 (the rest: rule 2 and the algebra), each a screen; the whole-lesson
    view shows every line at once (``part`` None). Every line's check is against the first line, in either part."""
    mine = " (your pick)" if (a, b) == (i, j) else ""
    steps = core.derivation_steps(a - 1, b - 1, n, T)
    lines = []
    for k, (line, (value, ok)) in enumerate(zip(steps, core.derivation.line_checks(steps, zz, RTOL), strict=True)):
        badge = core.RULES[line.rule][0] if line.rule else ("definition" if k == 0 else "algebra")
        lines.append(ui.Card(f":{BADGE[line.rule]}-badge[{badge}] `= {fmt.prose(value, 6)}`{_mark(k, ok)} "
                             f"{subscripted(line.explanation)}", colorize_latex(line.latex, ctx.dark), highlight=ok is False))
    kind = "i = j" if a == b else "i ≠ j"
    lo, hi = (0, len(lines)) if part is None else ((0, SPLIT) if part == 0 else (SPLIT, len(lines)))
    which = "" if part is None else f" · lines {lo + 1}–{hi} of {len(lines)}"
    ui.cards(ctx, lines[lo:hi], heading=f"#### Case {kind}: ∂{label('S', a - 1)}/∂{label('z', b - 1)}{mine}{which}",
             beside=True)
    ui.copy_latex(core.derivation_latex(a - 1, b - 1, n, T), side)


@ui.step(ctx)
def rules():
    x = logits()
    ui.cards(ctx, [(f":{BADGE[rule]}-badge[{badge}]", formula) for rule, (badge, formula) in core.RULES.items()],
             grid=True, border=False)
    example(x)
    if x.T != 1:
        st.markdown(r"At temperature $T$ the exponent is $z_j/T$, so rule 2 meets the chain rule once: "
                    r"$\partial e^{z_j/T}/\partial z_j = e^{z_j/T}\cdot\frac{1}{T}$. That one factor $1/T$ is the only "
                    "change, and it carries through to the result.")


def diagonal_case(part: int) -> None:
    """The case i = j: in a step, ``part`` 0 or 1 of its lines; in the whole-lesson view every line, in step 2."""
    if not ctx.stepped and part:
        st.caption("Its last lines are the case above, from rule 2 on.")
        return
    top = ui.panel(ctx).container()  # the pick above the logits: it is what this step is about
    x = logits()
    i, j = pick_controls(x.n, top, output=False, seeds=(1,))  # the diagonal case reads j alone
    case(x.zz, x.T, x.n, i if not ctx.stepped else j, j, j, j, "left",  # alone on screen, it is the pick
         part if ctx.stepped else None)
    example(x)


def off_diagonal_case(part: int) -> None:
    """The case i ≠ j, as :func:`diagonal_case`."""
    if not ctx.stepped and part:
        st.caption("Its last lines are the case above, from the sum's one surviving term on.")
        return
    top = ui.panel(ctx).container()  # the pick above the logits: it is what this step is about
    x = logits()
    i, j = pick_controls(x.n, top, seeds=(2, 3), off_diagonal=True)  # the seed's off-diagonal cases
    case(x.zz, x.T, x.n, i, j, i if i != j else j % x.n + 1, j, "right",  # your pick, or the next output if i = j
         part if ctx.stepped else None)
    example(x)
    if part:
        ui.step_code(ctx, core.derivation_steps)
    else:
        ui.show_code(core.derivation_steps)


@ui.step(ctx)
def diagonal():
    diagonal_case(0)


@ui.step(ctx)
def diagonal_result():
    diagonal_case(1)


@ui.step(ctx)
def off_diagonal():
    off_diagonal_case(0)


@ui.step(ctx)
def off_diagonal_result():
    off_diagonal_case(1)


@ui.step(ctx)
def general_rule():
    top = ui.panel(ctx).container()  # the pick above the logits: it is what this step is about
    x = logits()
    i, j = pick_controls(x.n, top, seeds=())  # i and j pick the entry: the seed's cases are steps 2 and 3
    rule = general(x.T)
    st.markdown(f"$$\n{rule}\n$$")
    ui.copy_latex(rule, "general")
    st.latex(colorize_latex(core.derivation.general_entry_latex(x.zz, i - 1, j - 1, x.T), ctx.dark))
    pick = f"∂{label('S', i - 1)}/∂{label('z', j - 1)}"
    held = core.derivation.general_entry(x.zz, i - 1, j - 1, x.T)[3]
    steps = core.derivation_steps(i - 1, j - 1, x.n, x.T)
    last = core.derivation.line_checks(steps, x.zz, RTOL)[-1][0]  # the pick's last line, as its card prints it
    holds = "diagonal_result" if i == j else "off_diagonal_result"  # the step that holds the pick's last line
    where = f" (step {steps_of(holds)[0]})" if ctx.stepped else ""
    same = (f"The true value of {pick}, from the log-softmax: float64 cannot hold it, so the last line of {pick}{where} in "
            "float64 reads 0." if underflowed(held) else
            f"The last line of {pick}{where}, {fmt.prose(last, 6)}, to {core.derivation.FIGURES} significant figures.")
    st.caption(same + " All n² entries at once form the Jacobian, one object with structure: see the Jacobian page.")


@ui.step(ctx)
def predict():
    top = ui.panel(ctx).container()  # the pick above the logits: it is what this step is about
    x = logits()
    z, T, n = x.z, x.T, x.n
    _, j = pick_controls(n, top, output=False, seeds=())  # column j of the Jacobian: i plays no part
    zj, col_j = label("z", j - 1), core.jacobian(z, T)[:, j - 1]
    per = "" if T == 1 else "/T"
    st.markdown(f"**Raise {zj} a little. Which outputs go down?** Decide before you open the answer.")
    box = ui.lazy_expander("Reveal the answer", "x_reveal_down")  # built only once a student opens it
    if box.open:
        with box:
            down = [label("S", k) for k in range(n) if col_j[k] < 0]
            flat = [label("S", k) for k in range(n) if k != j - 1 and col_j[k] == 0]  # −SᵢSⱼ/T underflowed to 0
            st.markdown(f"**{', '.join(down) or 'None in float64'}**. In exact arithmetic every output except "
                        f"{label('S', j - 1)} goes down, because ∂Sᵢ/∂zⱼ = −SᵢSⱼ{per} < 0 for i ≠ j"
                        + (f"; here softmax has saturated and −SᵢSⱼ{per} rounds to 0 in float64 for {', '.join(flat)}"
                           if flat else "") + f". Raising {zj} by 0.1:")
            predicted, actual = jp.column_effect(x.zz, j - 1, 0.1, T)
            six = lambda values: [fmt.num(v, 6) for v in values]
            ui.table({"output": [label("S", k) for k in range(n)], f"∂Sᵢ/∂{zj}": six(col_j),
                      f"predicted ∂Sᵢ/∂{zj} × 0.1": six(predicted), "actual change": six(actual)},
                     static=True)  # st.table: every column visible, headers wrap
    st.markdown(f"**What is Σᵢ ∂Sᵢ/∂{zj}, the sum of column {j} of the Jacobian?** Decide before you open the answer.")
    box = ui.lazy_expander("Reveal the answer", "x_reveal_sum")
    if box.open:
        with box:
            small = abs(col_j.sum()) <= 1e-12 * float(np.abs(col_j).sum())  # "is 0": against its own terms
            st.markdown(f"**0.** Computed at your logits: Σᵢ ∂Sᵢ/∂{zj} = `{fmt.prose(col_j.sum())}` ("
                        + (f"{fmt.MARK[True]} rounding only: at most {fmt.prose(1e-12)} times Σᵢ |∂Sᵢ/∂{zj}|" if small else
                           f"{fmt.MARK[None]} more than {fmt.prose(1e-12)} times Σᵢ |∂Sᵢ/∂{zj}|") + "). "
                        f"Σᵢ Sᵢ = 1 for every z, a constant, so its derivative with respect to {zj} is 0: what "
                        f"{label('S', j - 1)} gains ({fmt.prose(col_j[j - 1], 6)}), the other outputs lose together.")
    example(x)


ui.end(ctx)
