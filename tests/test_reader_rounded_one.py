"""z = (40, −40, 0): S₁ is exactly 1 in float64 while 1 − S₁ = 4.25×10⁻¹⁸. Where S₁ prints as "1" beside that, the
page says it is a rounding (a bare "1" next to 4.25e−18 reads as a contradiction)."""

from __future__ import annotations

from apptest_util import open_page

import core
from core import fmt

SAT = {"z": "40,-40,0", "T": "1", "step": "1"}
NOTE = "1 (rounded in float64; 1 − S₁ = 4.25×10⁻¹⁸)"


def test_simplex_says_when_an_entry_is_rounded_to_1():
    S = core.softmax((40.0, -40.0, 0.0))
    assert S[0] == 1.0
    assert fmt.simplex(S) == f"({NOTE}, 1.8×10⁻³⁵, 4.25×10⁻¹⁸)"
    assert fmt.simplex(core.softmax((2.0, 1.0, 0.1)), 4) == fmt.vector(core.softmax((2.0, 1.0, 0.1)), 4)
    assert fmt.simplex([1.0, 0.0]) == "(1, 0)"  # truly one-hot in float64: nothing was rounded away
    assert fmt.prose_simplex(S) == f"({NOTE}, 1.8×10⁻³⁵, 4.25×10⁻¹⁸)"  # in a sentence: every entry as the note prints
    assert fmt.prose_simplex([1.0, 0.0]) == "(1, 0)"


def test_general_rule_says_its_1_is_rounded():
    tex = core.derivation.general_entry_latex((40.0, -40.0, 0.0), 0, 0)
    # at the caption's 4 figures (4.248×10⁻¹⁸), and the line holds as printed
    assert r"\underbrace{1}_{\text{rounded in float64}} \cdot 4.248\times10^{-18} = 4.248\times10^{-18}" in tex


def test_derivation_caption_says_S1_is_rounded():
    at = open_page("pages/derivation.py", SAT, timeout=120)
    assert not at.exception
    cap = next(c.value for c in at.caption if "The derivation is at" in c.value)
    # the note at the entries' 4 figures: "1 − S₁ = 4.25×10⁻¹⁸" beside "4.248×10⁻¹⁸" read as two different values
    assert f"S = softmax(z/T) = ({NOTE.replace('4.25×', '4.248×')}, 1.805×10⁻³⁵, 4.248×10⁻¹⁸)" in cap


def test_chain_rule_paths_say_S1_is_rounded():
    at = open_page("pages/chain_rule.py", SAT, timeout=120)
    assert not at.exception
    text = next(m.value for m in at.markdown if m.value.startswith("With target class"))
    assert f"$S$ = ({NOTE}, 1.8×10⁻³⁵, 4.25×10⁻¹⁸)" in text


def test_numeric_check_prints_both_steps_h_in_one_style():
    """It printed "h = 1×10⁻⁶" beside "h = 10⁻³⁰": both through fmt.prose."""
    from core import checks

    methods = checks.numeric_check((40.0, -40.0, 0.0), 1.0, core.jacobian((40.0, -40.0, 0.0)))["method"]
    assert methods[1:] == ["central differences, h = 1×10⁻⁶", "complex step, h = 1×10⁻³⁰"]
