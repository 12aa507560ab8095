"""AppTest for the Derivation page: the numbers on screen come from each line's evaluate(), the seed buttons work.

Each case (heading and every line: badge, value, explanation, display LaTeX) is ONE markdown element, so the lines'
values and LaTeX are read from the markdown. "Copy LaTeX" and "Reveal the answer" are lazy expanders: their content is
built only while open, and a test opens one as a click does (session_state[key] = True, then run)."""

import re
from pathlib import Path

import numpy as np
import pytest
from apptest_util import open_page
from helpers import printed, unprose
from streamlit.testing.v1 import AppTest

import core

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/derivation.py"
VALUE = re.compile(r"-badge\[[^\]]+\] `= ([^`]+)`")


def page(query=None) -> AppTest:
    at = open_page(PAGE, query)
    assert not at.exception, at.exception[0].value if at.exception else ""
    return at


def shown_values(at) -> list[str]:
    """The value printed on every derivation line, in page order (left case, then right case), read back from its
    prose form (−4.25×10⁻¹⁸) into code notation (-4.25e-18), so it compares with {:.6g} and parses as a float."""
    return [unprose(m[1]).replace("−", "-") for md in at.markdown for m in VALUE.finditer(md.value)]


def open_box(at, *keys) -> AppTest:
    """Open lazy expanders the way a click does: their state becomes True and the page reruns."""
    for key in keys:
        at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception[0].value if at.exception else ""
    return at


def cases(i: int, j: int, n: int) -> list[tuple[int, int]]:
    """The two (1-based) cases the page shows for a pick (i, j): i = j on the left, i ≠ j on the right."""
    return [(j, j), (i if i != j else j % n + 1, j)]


def expected(z, i, j, n) -> list[str]:
    out = []
    for a, b in cases(i, j, n):
        out += [f"{float(s.evaluate(np.asarray(z))) + 0.0:.6g}" for s in core.derivation_steps(a - 1, b - 1, n)]
    return out


@pytest.mark.parametrize(("query", "i", "j"), [
    ({}, 1, 1),
    ({"i": "3", "j": "2"}, 3, 2),
    ({"n": "10", "i": "10", "j": "1"}, 10, 1),
    ({"n": "10", "i": "4", "j": "4"}, 4, 4),
    ({"z": "1e6,-1e6,0", "i": "2", "j": "1"}, 2, 1),
])
def test_every_shown_number_is_its_lines_evaluate(query, i, j):
    at = page(query)
    z = [float(v) for v in at.query_params["z"].split(",")]
    n = len(z)
    assert shown_values(at) == expected(z, i, j, n)
    J, vals = core.jacobian(z), np.array(shown_values(at), float)
    (a, b), (c, d) = cases(i, j, n)
    left = len(core.derivation_steps(a - 1, b - 1, n))
    np.testing.assert_allclose(vals[:left], J[a - 1, b - 1], rtol=1e-5, atol=1e-12)  # and they all agree with J
    np.testing.assert_allclose(vals[left:], J[c - 1, d - 1], rtol=1e-5, atol=1e-12)


def test_all_pairs_for_n4_show_the_jacobian_entry():
    z = [0.5, -1.0, 2.0, 0.3]
    J = core.jacobian(z)
    at = page({"z": ",".join(map(str, z))})
    for i in range(1, 5):
        for j in range(1, 5):
            at.selectbox(key="w_i").set_value(i)
            at.selectbox(key="w_j").set_value(j).run()
            assert not at.exception
            vals = np.array(shown_values(at), float)
            right = vals[len(vals) - len(core.derivation_steps(*(x - 1 for x in cases(i, j, 4)[1]), 4)):]
            np.testing.assert_allclose(right, J[cases(i, j, 4)[1][0] - 1, j - 1], rtol=1e-5, atol=1e-12)
            assert at.query_params["i"] == str(i) and at.query_params["j"] == str(j)


def test_the_seed_buttons_set_i_and_j_and_show_the_seed_results_verbatim():
    at = page()
    labels = [b.label for b in at.button]
    assert {"∂S₁/∂z₁ = S₁(1−S₁)", "∂S₂/∂z₁ = −S₂S₁", "∂S₃/∂z₁ = −S₃S₁"} <= set(labels)
    for si, final in ((2, "= -S_{2} S_{1}"), (3, "= -S_{3} S_{1}"), (1, r"= S_{1}\left(1 - S_{1}\right)")):
        at.button(key=f"seed_{si}1").click().run()
        assert not at.exception
        assert (at.query_params["i"], at.query_params["j"]) == (str(si), "1")
        assert at.selectbox(key="w_i").value == si and at.selectbox(key="w_j").value == 1
        plain = (re.sub(r"\\textcolor\{#[0-9A-Fa-f]{6}\}\{(S_\{\d+\})\}", r"\1", m.value) for m in at.markdown)
        assert any(final in text for text in plain)  # whatever shade the palette gives each index
        assert any("(your pick)" in m.value and f"∂S{'₁₂₃'[si - 1]}/∂z₁" in m.value for m in at.markdown)


def test_widgets_change_the_latex_and_the_copy_block():
    at = open_box(page(), "x_copy_left", "x_copy_right")
    before = [m.value for m in at.markdown if "$$" in m.value] + [m.value for m in at.latex]
    code_before = [c.value for c in at.code]
    assert core.derivation_latex(0, 0, 3) in code_before and core.derivation_latex(1, 0, 3) in code_before
    at.selectbox(key="w_j").set_value(3).run()
    assert [m.value for m in at.markdown if "$$" in m.value] + [m.value for m in at.latex] != before
    assert core.derivation_latex(2, 2, 3) in [c.value for c in at.code] and [c.value for c in at.code] != code_before
    at.slider(key="w_z0").set_value(-3.0).run()
    assert not at.exception and at.query_params["z"] == "-3,1,0.1"
    assert shown_values(at) == expected([-3.0, 1.0, 0.1], 1, 3, 3)


def test_n2_disables_the_third_seed_and_shrinking_n_clamps_i_and_j():
    at = page({"n": "2", "z": "1,0"})
    assert at.button(key="seed_31").disabled and not at.button(key="seed_21").disabled
    at = page({"n": "4", "z": "1,0,2,3", "i": "4", "j": "3"})
    at.slider(key="w_n").set_value(2).run()
    assert not at.exception
    assert at.selectbox(key="w_i").value == 2 and at.selectbox(key="w_j").value == 2
    assert at.query_params["i"] == "2" and at.query_params["j"] == "2"


def test_closed_expanders_cost_one_element_and_open_on_click():
    at = page()
    closed = [e.label for e in at.expander]
    assert closed.count("Copy LaTeX") == 3 and closed.count("Reveal the answer") == 2
    assert not at.dataframe and not at.table and not any(r"\begin{aligned}" in c.value for c in at.code)
    assert "goes down" not in " ".join(m.value for m in at.markdown)  # nothing of the answers before a click
    open_box(at, "x_copy_general")
    assert any(r"\operatorname{diag}(S) - S S^{\top}" in c.value for c in at.code)


def is_rules(md: str) -> bool:
    """The four rules' cards: every rule's formula, each on its own display line."""
    return all(f"$$\n{formula}\n$$" in md for _, formula in core.RULES.values())


def test_the_four_rules_show_every_badge_and_formula():
    at = page()
    rules = next(m.value for m in at.markdown if is_rules(m.value))
    for badge, formula in core.RULES.values():
        assert f"-badge[{badge}]" in rules and f"$$\n{formula}\n$$" in rules


def test_reveal_answers_are_computed_and_T_is_stated():
    at = open_box(page({"z": "2,1,0.1", "T": "3", "j": "2"}), "x_reveal_down", "x_reveal_sum")
    text = " ".join(m.value for m in at.markdown)
    assert "**S₁, S₃**. In exact arithmetic every output except S₂ goes down" in text
    col = core.jacobian([2, 1, 0.1], 3.0)[:, 1]  # at the link's T, as on the pages around this one
    assert f"`{core.fmt.prose(col.sum())}`" in text
    assert any("The derivation is at T = 3" in c.value and "At T = 1" in c.value for c in at.caption)
    table = at.table[0].value
    assert list(table.iloc[:, 0]) == ["S₁", "S₂", "S₃"]
    predicted, actual = table.iloc[:, 2].map(printed), table.iloc[:, 3].map(printed)
    np.testing.assert_allclose(predicted, 0.1 * col, rtol=1e-5)
    np.testing.assert_allclose(actual, predicted, atol=2e-3)  # a first-order prediction of a 0.1 step


def test_general_rule_instance_is_unambiguous_for_two_digit_indices():
    at = page({"n": "10", "i": "10", "j": "3"})
    live = [m.value for m in at.latex if r"\delta_{" in m.value and "=" in m.value and "cases" not in m.value]
    assert len(live) == 1 and r"\delta_{10,3}" in live[0]
    assert live[0].rstrip("$\n").endswith(f"= {core.fmt.tex(core.jacobian(core.state.DEFAULT_Z)[9, 2], core.derivation.FIGURES)}")


@pytest.mark.parametrize("T", ["2.5", "0.1", "10"])
def test_the_derivation_is_at_the_links_T_and_matches_the_jacobian_page(T):
    """One temperature story: at T = 2.5 the page shows S = softmax(z/T) (as the pages around it
    do) and every line, the general rule and the reveal table hold ∂S_i/∂z_j = S_i(δ_ij − S_j)/T."""
    z, t = [2.0, 1.0, 0.1], float(T)
    at = open_box(page({"z": "2,1,0.1", "T": T, "i": "2", "j": "1"}), "x_reveal_down")
    J = core.jacobian(z, t)
    vals = np.array(shown_values(at), float)
    left = len(core.derivation_steps(0, 0, 3))
    np.testing.assert_allclose(vals[:left], J[0, 0], rtol=1e-5, atol=1e-12)
    np.testing.assert_allclose(vals[left:], J[1, 0], rtol=1e-5, atol=1e-12)
    cap = next(c.value for c in at.caption if "The derivation is at" in c.value)
    S = core.softmax(z, t)
    assert f"S = softmax(z/T) = {core.fmt.prose_vector(S, 4, head=3)}" in cap  # ×10ⁿ in the caption
    live = next(m.value for m in at.latex if r"\delta_{" in m.value and "cases" not in m.value)
    assert live.rstrip("$\n").endswith(f"= {core.fmt.tex(J[1, 0], core.derivation.FIGURES)}") and ("/T" in live) == (t != 1)
    table = at.table[0].value
    np.testing.assert_allclose(table.iloc[:, 1].map(printed), J[:, 0], rtol=1e-5)


def test_a_step_opens_alone_diagonal_without_the_off_diagonal():
    at = page({"step": "2", "i": "3", "j": "1"})
    cases_shown = [m.value for m in at.markdown if "#### Case" in m.value]
    assert len(cases_shown) == 1 and "Case i = j: ∂S₁/∂z₁" in cases_shown[0]
    assert not [m for m in at.markdown if is_rules(m.value)], "step 1's cards of the four rules"
    at = page({"step": "4", "i": "3", "j": "1"})
    cases_shown = [m.value for m in at.markdown if "#### Case" in m.value]
    assert len(cases_shown) == 1 and "Case i ≠ j: ∂S₃/∂z₁ (your pick)" in cases_shown[0]
    assert [b.key for b in at.button if b.key.startswith("seed_")] == ["seed_21", "seed_31"]  # its own cases


@pytest.mark.parametrize(("step", "pick", "seeds"), [
    ("2", ["w_j"], ["seed_11"]),  # the diagonal case ∂Sⱼ/∂zⱼ reads j alone
    ("3", ["w_j"], ["seed_11"]),  # its last lines
    ("4", ["w_i", "w_j"], ["seed_21", "seed_31"]),
    ("5", ["w_i", "w_j"], ["seed_21", "seed_31"]),
    ("6", ["w_i", "w_j"], []),  # the general rule at your (i, j): the seed's cases are the steps before
    ("7", ["w_j"], []),  # column j of the Jacobian: i plays no part
])
def test_a_step_shows_only_the_pick_and_seeds_its_figure_reads(step, pick, seeds):
    at = page({"step": step, "i": "3", "j": "2"})
    assert [s.key for s in at.selectbox] == pick
    assert [b.key for b in at.button if b.key.startswith("seed_")] == seeds
    assert at.query_params["i"] == "3" and at.query_params["j"] == "2"  # a pick a step does not show is kept
    if step in ("2", "3"):
        assert any("Case i = j: ∂S₂/∂z₂ (your pick)" in m.value for m in at.markdown)


@pytest.mark.parametrize("how", ["lock", "hide"])
@pytest.mark.parametrize("which", ["i", "j", "i,j"])
def test_the_seed_presets_honour_a_locked_or_hidden_pick(how, which):
    at = page({"step": "4", "i": "2", "j": "1", how: which})
    seeds = [b for b in at.button if b.key.startswith("seed_")]
    if how == "hide":
        assert not seeds, "a hidden i or j gets no preset that would set it"
    else:
        assert seeds and all(b.disabled for b in seeds)
    assert at.query_params["i"] == "2" and at.query_params["j"] == "1"


def test_an_entry_below_the_normal_range_is_flagged_not_failed():
    """z = (0, −36.25, −36.25), T = 0.1: ∂S₂/∂z₃ = −S₂S₃/T ≈ −1.37×10⁻³¹⁴ is exact in every line but subnormal in
    float64. No line is ✗; each says "underflows float64", and the last line's bound is float64's real one."""
    at = page({"z": "0,-36.25,-36.25", "T": "0.1", "i": "2", "j": "3"})
    right = next(m.value for m in at.markdown if "#### Case i ≠ j: ∂S₂/∂z₃" in m.value)
    assert "✗" not in right and "✓" not in right
    assert right.count("⚠ underflows float64") == len(core.derivation_steps(1, 2, 3, 0.1))
    assert "below 2.2×10⁻³⁰⁸, float64's smallest normal number" in right
    assert "none below 4.9×10⁻³²⁴, its smallest subnormal" in right and "rounds it to 0 only below" not in right
    assert "`= -0`" not in right and "`= 0`" not in right  # the first line is the subnormal value, not a 0
    left = next(m.value for m in at.markdown if "#### Case i = j: ∂S₃/∂z₃" in m.value)
    assert "⚠" not in left and left.count(" ✓") == len(core.derivation_steps(2, 2, 3, 0.1)) - 1


def test_an_entry_just_inside_the_normal_range_is_checked():
    """z = (0, −34.5, −34.5), T = 0.1: −S₂S₃/T ≈ −2.17×10⁻²⁹⁹ is a normal float64, so every line is compared (✓);
    the first line's complex step used to underflow to 0 here and mark the whole case ⚠."""
    at = page({"z": "0,-34.5,-34.5", "T": "0.1", "i": "2", "j": "3"})
    right = next(m.value for m in at.markdown if "#### Case i ≠ j: ∂S₂/∂z₃" in m.value)
    assert "⚠" not in right and "✗" not in right
    assert right.count(" ✓") == len(core.derivation_steps(1, 2, 3, 0.1)) - 1


def test_the_column_sum_is_judged_against_its_terms():
    """z = (40, −40, 0), j = 2: Σᵢ ∂Sᵢ/∂z₂ is −7.67×10⁻⁵³ in float64 against terms of 1.8×10⁻³⁵: 0 up to rounding,
    by a relative test that the answer states."""
    at = open_box(page({"z": "40,-40,0", "j": "2"}), "x_reveal_sum")
    text = " ".join(m.value for m in at.markdown)
    assert "(✓ rounding only: at most 1×10⁻¹² times Σᵢ |∂Sᵢ/∂z₂|)" in text


@pytest.mark.parametrize("T", ["1", "2.5"])
def test_a_case_split_over_two_steps_shows_every_line_once(T):
    """A step shows a case's first lines, the next step the rest: together every line, in order, each with its check."""
    z, (i, j) = [2.0, 1.0, 0.1], (3, 2)
    for steps, (a, b) in ((("2", "3"), (j, j)), (("4", "5"), (i, j))):
        q = {"z": "2,1,0.1", "i": str(i), "j": str(j), "T": T}
        shown = [v for k in steps for v in shown_values(page({**q, "step": k}))]
        lines = core.derivation_steps(a - 1, b - 1, 3, float(T))
        assert shown == [f"{float(s.evaluate(np.asarray(z))) + 0.0:.6g}" for s in lines]
        last = next(m.value for m in page({**q, "step": steps[1]}).markdown if "#### Case" in m.value)
        assert f"lines 5–{len(lines)} of {len(lines)}" in last and last.count(" ✓") == len(lines) - 4


def test_the_checks_tolerance_prints_alike_in_the_intro_and_the_steps_notice():
    """The intro said "within 1×10⁻⁹" and step 2's notice "within 10⁻⁹": one tolerance, one printing."""
    tol = core.fmt.prose(1e-9)
    intro = next(m.value for m in page({"step": "1"}).markdown if "✓ marks a line" in m.value)
    notice = next(c.value for c in page({"step": "2"}).caption if "✓ marks a line" in c.value)
    assert f"within {tol} of the first" in intro and f"within {tol} of the first" in notice, (intro, notice)


@pytest.mark.parametrize("step", ["4", "5"])
@pytest.mark.parametrize(("q", "shown"), [({"i": "1", "j": "1"}, "S₂"), ({"i": "3", "j": "3"}, "S₁"),
                                          ({"i": "1", "j": "1", "hide": "j"}, "S₂"), ({"i": "1", "j": "1", "hide": "i"}, "")])
def test_a_diagonal_pick_on_an_off_diagonal_step_says_which_output_it_shows(step, q, shown):
    """i = j = 1 on the i ≠ j steps: the picker read S₁ while the case was ∂S₂/∂z₁, and nothing said why. A caption in
    the control column says so (not the cards' heading, which has no room on a projector and is HTML); with the presets
    drawn it replaces their caption, so the column keeps its height."""
    at = page({"step": step, **q})
    head = next(m.value for m in at.markdown if "#### Case" in m.value).splitlines()[0]
    j = int(q["j"])
    assert f"Case i ≠ j: ∂{shown or 'S₂'}/∂z{'₁₂₃'[j - 1]}" in head and "your pick" not in head
    notes = [c.value for c in at.caption if "i = j is steps 2–3" in c.value]
    if not shown:  # a hidden output picker reads no S₁: nothing to explain
        assert notes == []
        return
    assert notes == [f"**i = j is steps 2–3**; this step shows {shown}." + ("" if "hide" in q else " The seed's cases:")]
    assert not [c for c in at.caption if "The seed's cases for z₁" in c.value]
    at = page({"step": step, "i": "3", "j": "1"})
    assert "∂S₃/∂z₁ (your pick)" in next(m.value for m in at.markdown if "#### Case" in m.value)
    assert not [c for c in at.caption if "i = j is" in c.value]
    assert [c for c in at.caption if "The seed's cases for z₁" in c.value]


@pytest.mark.parametrize("query", [{}, {"z": "1000,0,-1000", "T": "2.5", "i": "2", "j": "2"},
                                   {"z": "40,-40,0", "i": "1", "j": "1"}, {"z": "2,1,0.1", "T": "2.5", "i": "3", "j": "1"}])
def test_the_general_rule_names_the_last_line_it_rounds(query):
    """The general rule prints its pick to 4 figures; its caption quotes the pick's last line as that line's card
    prints it (6 figures) and names its step, and the two agree: the result is the last line rounded."""
    at = page({"step": "6", **query})
    cap = next(c.value for c in at.caption if c.value.startswith("The last line of"))
    i, j = int(query.get("i", 1)), int(query.get("j", 1))
    assert f"(step {3 if i == j else 5})" in cap, cap
    six = float(unprose(cap.split(", ")[1]).replace("−", "-"))
    result = next(m.value for m in at.latex if r"\delta_{" in m.value).rstrip("$\n").rsplit("= ", 1)[1]
    result = result.replace(r"\end{aligned}", "").replace(r"\times10^{", "e").replace("}", "")
    assert f"{six:.4g}" == f"{float(result):.4g}", (cap, result)
    shown = page({"step": "3" if i == j else "5", **query})
    assert f"{float(shown_values(shown)[-1]):.6g}" == f"{six:.6g}", "the caption quotes the last line as printed"
