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


REL = "largest relative error |Ĵᵢⱼ − Jᵢⱼ| / |Jᵢⱼ|, on the entries it resolves"


def read(s: str) -> float:
    """A number printed by core.fmt.prose back as a float."""
    return float(s.replace("×10", "e").translate(str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹−", "-0123456789-")))


@settings(max_examples=40, deadline=None)
@given(z=LOGITS, T=TEMPS)
def test_numeric_check_reports_the_relative_errors_of_the_two_numerical_jacobians(z, T):
    table = checks.numeric_check(z, T)
    assert list(table) == ["method", "formula", REL, "check"]
    assert all(len(col) == 3 for col in table.values())
    assert not any(c.startswith("✗") for c in table["check"])
    fd, cs = (math.nan if v == "—" else read(v) for v in table[REL][1:])
    assert not fd > 1e-3 and cs <= 1e-12  # against core.jacobian, which agrees with the definition:
    np.testing.assert_allclose(core.jacobian(z, T), ref_jacobian(z, T), atol=1e-14)


def test_numeric_check_measures_the_matrix_it_is_given():
    z, T = [1.0, -0.5, 2.0], 0.5
    wrong = ref_jacobian(z, T) + 1e-3 * np.eye(3)  # a broken analytic J: both numerical ones disagree on the diagonal
    table = checks.numeric_check(z, T, wrong)
    d = np.diag(wrong)
    fd, cs = (read(v) for v in table[REL][1:])
    assert fd == pytest.approx(np.max(1e-3 / np.abs(d)), rel=1e-2) and cs == pytest.approx(fd, rel=1e-2)
    assert all(c.startswith("✗ relative error above") for c in table["check"][1:])


def test_central_differences_at_saturation_say_they_cannot_resolve_the_tiny_entries():
    """z = (40, −40, 0): J₁₁ = 4.25×10⁻¹⁸, far below central differences' rounding noise ε·S₁/h ≈ 2×10⁻¹⁰. Their
    relative error there is 100 % and means nothing: the row says ⚠ and why, never ✓ or ✗ for those entries; the
    complex step resolves all 9 entries to 1e-12 relative."""
    z = (40.0, -40.0, 0.0)
    table = checks.numeric_check(z, 1.0)
    J, fd = core.jacobian(z), core.fd_jacobian(z)
    small = np.abs(J) < checks.fd_floor(z)
    assert small[0, 0] and small.sum() == 5 and np.all(np.abs(fd[small] - J[small]) >= 0.5 * np.abs(J[small]))
    assert table["check"][1].startswith("⚠ 5 of 9 entries are below what central differences can resolve")
    assert "relative error means nothing" in table["check"][1] and "✓ within 0.001 relative on the other 4" in table["check"][1]
    assert table["check"][2] == "✓ within 1×10⁻¹² relative on all 9 entries"
    assert read(table[REL][1]) < 1e-6  # over the 4 entries it resolves


def test_complex_step_jacobian_is_exact_where_its_imaginary_part_would_underflow():
    """z = (0, −34.5, −34.5), T = 0.1: J₂₃ ≈ −2.17×10⁻²⁹⁹ is a normal float64, but h·J₂₃ (h = 10⁻³⁰) is not."""
    z, T = (0.0, -34.5, -34.5), 0.1
    cs, J = core.complex_step_jacobian(z, T), core.jacobian(z, T)
    assert J[1, 2] != 0 and cs[1, 2] == pytest.approx(J[1, 2], rel=1e-12)
    assert checks.numeric_check(z, T)["check"][2] == "✓ within 1×10⁻¹² relative on all 9 entries"


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
    assert f"1/(4T) = {1 / (4 * T):.3g}" in text and f"with target class y = {k + 1} ({fmt.label('S', k)}: " in text
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
    assert "S = 2.58×10⁻⁸⁶⁹, which float64 rounds to 0" in text and "with target class y = 3 (S₃: " in text
    assert "for MSE, with max |J| = 0 in float64 (below 10⁻³⁰⁸)" in text  # underflow said, never a bare 0


def test_saturation_caption_says_tied_at_a_tie():
    """At a three-way tie there is no "least likely output": the caption says tied."""
    assert "(S₁: every output is tied, S = 0.333)" in jp.saturation_caption([1.0, 1.0, 1.0])
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


def test_the_relative_error_column_says_it_is_over_the_resolved_entries():
    """z = (40, −40, 0): central differences resolve 4 of the 9 entries, and the column's 2.5×10⁻⁹ is theirs alone (over
    all 9 it would be about 1); its header says so."""
    z = (40.0, -40.0, 0.0)
    table = checks.numeric_check(z)
    J, fd = core.jacobian(z), checks.fd_jacobian(z, 1.0, checks.FD_H)
    resolved = np.abs(J) >= checks.fd_floor(z)
    assert resolved.sum() == 4 and REL.endswith(", on the entries it resolves")
    worst = float(np.max(np.abs(fd[resolved] - J[resolved]) / np.abs(J[resolved])))
    assert table[REL][1] == fmt.prose(worst, 2) and worst < 1e-6 < float(np.max(np.abs(fd - J) / np.abs(J)))
