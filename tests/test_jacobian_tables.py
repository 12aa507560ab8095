"""The Jacobian page's tables and saturation caption, computed in core (checks.numeric_check,
jacobian_props.properties_table / saturation_caption, readings.hessian_table), checked against independent oracles."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import complex_step_grad, ref_softmax

import core
from core import checks, fmt, readings
from core import jacobian_props as jp
from figures import palette

LOGITS = st.lists(st.floats(-8, 8, allow_nan=False), min_size=2, max_size=10)
TEMPS = st.sampled_from([0.1, 0.5, 1.0, 2.0, 10.0])


def ref_jacobian(z, T):
    """dS/dz from the definition, by the complex step (rows: outputs, columns: inputs)."""
    return complex_step_grad(lambda v: ref_softmax(v / T), np.asarray(z, float))


@settings(max_examples=40, deadline=None)
@given(z=LOGITS, T=TEMPS)
def test_numeric_check_reports_the_errors_of_the_two_numerical_jacobians(z, T):
    table = checks.numeric_check(z, T)
    assert list(table) == ["method", "formula", "max |error| vs analytic", "what to expect"]
    assert all(len(col) == 3 for col in table.values())
    fd, cs = (float(v) for v in table["max |error| vs analytic"][1:])
    assert fd < 1e-8 and cs < 1e-14  # against core.jacobian, which agrees with the definition:
    np.testing.assert_allclose(core.jacobian(z, T), ref_jacobian(z, T), atol=1e-14)


def test_numeric_check_measures_the_matrix_it_is_given():
    z, T = [1.0, -0.5, 2.0], 0.5
    wrong = ref_jacobian(z, T) + 1e-3 * np.eye(3)  # a broken analytic J: both numerical ones disagree by 1e-3
    fd, cs = (float(v) for v in checks.numeric_check(z, T, wrong)["max |error| vs analytic"][1:])
    assert fd == pytest.approx(1e-3, rel=1e-3) and cs == pytest.approx(1e-3, rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(z=LOGITS, T=TEMPS)
def test_saturation_caption_numbers_from_the_definition(z, T):
    z = np.asarray(z, float)
    k = int(np.argmin(z))
    y = np.eye(z.size)[k]
    S = ref_softmax(z / T)
    ce = np.abs(complex_step_grad(lambda v: -np.log(ref_softmax(v / T)[k]), z)).max()
    mse = np.abs(complex_step_grad(lambda v: np.sum((ref_softmax(v / T) - y) ** 2), z)).max()
    text = jp.saturation_caption(z, T)
    assert f"1/(4T) = {1 / (4 * T):.3g}" in text and f"with target {fmt.label('S', k)} " in text
    assert f"S = {fmt.prose(S[k])})" in text
    # the caption rounds to 3 figures: compare the numbers it prints with the oracle's, to that precision
    # MSE's gradient sums terms of size up to 2/T that cancel at ties: both routes carry rounding of about ε/T
    read = lambda s: float(s.replace("×10", "e").translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹−", "-0123456789-")))
    assert read(text.split("max |∂L/∂z| is ")[1].split(" ")[0]) == pytest.approx(ce, rel=5e-3, abs=1e-14 / T)
    assert read(text.split("cross-entropy and ")[1].split(" ")[0]) == pytest.approx(mse, rel=5e-3, abs=1e-14 / T)
    assert ("(S − y) survives" in text) == (T == 1) and ("(S − y)/T survives" in text) == (T != 1)


def test_saturation_caption_prints_an_underflowed_output_from_its_exact_log():
    text = jp.saturation_caption([1000.0, 0.0, -1000.0], 1.0)
    lg = -2000 / math.log(10)  # log10 S₃ = (−2000 − log(1 + e⁻¹⁰⁰⁰ + e⁻²⁰⁰⁰)) / ln 10, the log term far below ulp
    assert f"S = {10 ** (lg % 1):.3g}×10" in text and math.floor(lg) == -869
    assert "S = 2.58×10⁻⁸⁶⁹, which float64 rounds to 0" in text and "with target S₃ " in text
    assert "for MSE, with max |J| = 0 in float64 (below 10⁻³⁰⁸)" in text  # underflow said, never a bare 0


def test_saturation_caption_says_tied_at_a_tie():
    """At a three-way tie there is no "least likely output": the caption says tied."""
    assert "(every output is tied, S = 0.333)" in jp.saturation_caption([1.0, 1.0, 1.0])
    assert "tied with 1 other for least likely" in jp.saturation_caption([2.0, 1.0, 1.0])
    assert "least likely output" not in jp.saturation_caption([1.0, 1.0, 1.0])


def test_properties_table_is_the_panel_and_follows_the_matrix():
    z, T = np.array([2.0, 1.0, 0.1]), 0.5
    J, S = core.jacobian(z, T), core.softmax(z, T)
    table = jp.properties_table(J, S, T)
    assert table[""] == ["✓"] * 7 and table["property"] == [c.name for c in jp.properties(J, S, T)]
    broken = J.copy()
    broken[0, 1] += 1e-3  # not symmetric, first row no longer sums to 0
    shown = jp.properties_table(broken, S, T)
    marks = dict(zip(shown["property"], shown[""], strict=True))
    assert marks["symmetric"] == marks["rows sum to 0"] == "✗"


@settings(max_examples=30, deadline=None)
@given(z=LOGITS, T=TEMPS)
def test_hessian_table_holds_on_J(z, T):
    # the J the page passes: core.jacobian, exact to a few ulps per entry. (The complex step of e/Σe cancels inside
    # the complex division where S is near 1, an absolute error ε/T that the relative PSD test rightly rejects.)
    J, S = core.jacobian(z, T), ref_softmax(np.asarray(z) / T)
    table = readings.hessian_table(z, J, T, S)
    assert list(table) == ["", "claim", "computed"] and len(table[""]) == 4
    assert set(table[""]) <= {"✓", "⚠"}  # ⚠ only where softmax saturated (exact arithmetic still holds)
    if S.min() >= 1e-12:  # the finite differences' row is ⚠ where every entry of J is below what they resolve
        blind = np.abs(J).max() <= 1e-5 * max(1.0, 1 / T)
        assert table[""] == ["⚠" if blind else "✓"] + ["✓"] * 3
        assert ("cannot tell J from 0" in table["computed"][0]) == blind


def test_hessian_table_psd_at_a_near_saturated_low_temperature():
    """At z = (0, 1.8125), T = 0.1 (S₁ = 1.3e-8, not saturated) max |J| = 1.3e-7: J is PSD ✓ (its entries are exact
    to a few ulps, so the zero eigenvalue lies within n·ε·‖J‖), but finite differences, good to 10⁻⁴ at this T,
    cannot tell J from 0: that row is ⚠ and says so."""
    z, T = [0.0, 1.8125], 0.1
    table = readings.hessian_table(z, core.jacobian(z, T), T, core.softmax(z, T))
    assert table[""] == ["⚠", "✓", "✓", "✓"] and "cannot tell J from 0" in table["computed"][0]


def test_hessian_table_fails_on_a_broken_matrix():
    z, T = [0.3, -1.0, 2.0], 1.0
    J = ref_jacobian(z, T)
    J[0, 2] += 0.05
    assert readings.hessian_table(z, J, T, ref_softmax(np.asarray(z)))[""][:2] == ["✗", "✗"]


def test_one_label_for_core_and_figures():
    assert fmt.label("S", 0) == palette.label("S", 0) == "S₁"
    assert fmt.label("z", 9) == palette.label("z", 9) == "z₁₀" and palette.subscript(11) == "₁₂"
