"""The Jacobian page's property panel is computed from the matrix: true J passes, broken matrices fail."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core
from core import jacobian_props as jp

NAMES = ["symmetric", "rows sum to 0", "columns sum to 0", "diagonal in (0, 1/(4T)]",
         "eigenvalues ≥ 0, one is 0, eigenvector 𝟙", "rank n − 1", "J = (diag(S) − S Sᵀ)/T"]


def marks(J, S, T=1.0):
    return {c.name: c.ok for c in jp.properties(J, S, T)}


@given(n=st.integers(2, 10), seed=st.integers(0, 10_000), scale=st.sampled_from([0.5, 2.0, 5.0]),
       T=st.sampled_from([0.1, 0.5, 1.0, 3.0, 10.0]))
def test_every_property_holds_for_the_true_jacobian(n, seed, scale, T):
    z = np.random.default_rng(seed).normal(0, scale, n)
    S = core.softmax(z, T)
    if S.min() < 1e-9:
        return  # saturated: covered by test_saturation_is_reported_as_underflow_not_failure
    checks = jp.properties(core.jacobian(z, T), S, T)
    assert [c.name for c in checks] == NAMES
    assert all(c.ok is True for c in checks), [(c.name, c.value) for c in checks if not c.ok]
    assert all(c.mark == "✓" for c in checks)


@given(st.lists(st.floats(-5, 5), min_size=2, max_size=6), st.sampled_from([0.3, 1.0, 2.5]))
def test_a_negative_eigenvalue_shown_beside_a_pass_is_labelled_a_rounded_zero(z, T):
    """A λ of −1.5e-16 printed bare beside "λ ≥ 0 ✓" reads as a contradiction: a passing check labels it."""
    S = core.softmax(z, T)
    eig = next(c for c in jp.properties(core.jacobian(z, T), S, T) if c.name.startswith("eigenvalues"))
    if eig.ok:
        shown = eig.value.split(";")[0].removeprefix("λ = ").split(", ")
        for v in (s for s in shown if s != "…"):
            assert not v.startswith(("-", "−")) or v.endswith("(0 up to rounding)"), eig.value


def test_values_are_the_computed_numbers():
    z = np.array([2.0, 1.0, 0.1])
    J, S = core.jacobian(z), core.softmax(z)
    by = {c.name: c for c in jp.properties(J, S)}
    d = np.diag(J)
    assert by["diagonal in (0, 1/(4T)]"].value == f"min {d.min():.3g}, max {d.max():.3g}"
    lam = np.sort(np.linalg.eigvalsh(J))
    assert f"{lam[-1]:.3g}" in by["eigenvalues ≥ 0, one is 0, eigenvector 𝟙"].value
    assert by["rank n − 1"].value == "rank = 2" and by["rank n − 1"].claim.startswith("rank J = 2")
    assert "1/(4T) = 0.25" in by["diagonal in (0, 1/(4T)]"].claim
    assert jp.properties(J * 2, S, 0.5)[3].claim.endswith("0.5")  # the bound follows T


@pytest.fixture
def good():
    z = np.array([2.0, 1.0, 0.1, -1.0])
    return core.jacobian(z), core.softmax(z)


def test_an_asymmetric_matrix_fails_symmetry(good):
    J, S = good
    bad = J.copy()
    bad[0, 1] += 1e-3
    m = marks(bad, S)
    assert m["symmetric"] is False and m["J = (diag(S) − S Sᵀ)/T"] is False
    assert m["rows sum to 0"] is False and m["columns sum to 0"] is False  # row 0 and column 1 are off
    bad[1, 0] += 1e-3  # now symmetric again, but the sums are off
    m = marks(bad, S)
    assert m["symmetric"] is True and m["rows sum to 0"] is False and m["columns sum to 0"] is False


def test_the_elementwise_misconception_fails_the_structure(good):
    _, S = good
    m = marks(np.diag(S * (1 - S)), S)  # the elementwise p(1 - p): same diagonal, no off-diagonal
    assert m["symmetric"] is True and m["diagonal in (0, 1/(4T)]"] is True
    assert m["rows sum to 0"] is False and m["columns sum to 0"] is False
    assert m["eigenvalues ≥ 0, one is 0, eigenvector 𝟙"] is False
    assert m["rank n − 1"] is False and m["J = (diag(S) − S Sᵀ)/T"] is False


def test_negative_definite_and_big_diagonal_fail(good):
    J, S = good
    m = marks(J - 0.3 * np.eye(4), S)
    assert m["eigenvalues ≥ 0, one is 0, eigenvector 𝟙"] is False and m["diagonal in (0, 1/(4T)]"] is False
    m = marks(3 * J, S)  # diagonal above 1/4, still symmetric with zero sums and rank n - 1
    assert m["diagonal in (0, 1/(4T)]"] is False and m["rank n − 1"] is True and m["symmetric"] is True
    assert marks(np.eye(4), S)["rank n − 1"] is False


def test_a_non_symmetric_matrix_with_complex_eigenvalues_fails():
    R = np.array([[0.0, -1.0], [1.0, 0.0]])  # rotation: eigenvalues ±i
    m = marks(R, np.array([0.5, 0.5]))
    assert m["eigenvalues ≥ 0, one is 0, eigenvector 𝟙"] is False and m["symmetric"] is False


def test_saturation_is_reported_as_underflow_not_failure():
    z = np.array([1e6, -1e6, 0.0])
    J, S = core.jacobian(z), core.softmax(z)
    checks = {c.name: c for c in jp.properties(J, S)}
    assert checks["symmetric"].ok is True
    # every entry of J is 0 in float64: a relative test has nothing to compare, and says so (⚠, not ✓)
    assert checks["rows sum to 0"].ok is None and "cannot tell" in checks["rows sum to 0"].value
    assert checks["diagonal in (0, 1/(4T)]"].ok is None and checks["diagonal in (0, 1/(4T)]"].mark == "⚠"
    assert checks["rank n − 1"].ok is None and checks["rank n − 1"].value.startswith("rank = 0;")
    # but a broken matrix is still a failure, saturated or not
    assert marks(J + 0.1 * np.eye(3), S)["rank n − 1"] is False  # rank 3: underflow can only lower a rank
    assert marks(-np.eye(3), S)["diagonal in (0, 1/(4T)]"] is False


def test_low_temperature_rank_uses_an_absolute_tolerance():
    z = np.array([2.0, 1.0, 0.1])
    J, S = core.jacobian(z, 0.1), core.softmax(z, 0.1)  # entries down to 5e-8, rounding noise ~1e-16
    assert {c.name: c.ok for c in jp.properties(J, S, 0.1)}["rank n − 1"] is True


def test_bad_shapes_raise():
    with pytest.raises(ValueError):
        jp.properties(np.zeros((2, 3)), np.zeros(2))
    with pytest.raises(ValueError):
        jp.properties(np.zeros((3, 3)), np.zeros(2))


def test_chain_rule_error_against_vjp():
    z, g = np.array([2.0, 1.0, 0.1]), np.array([0.13, -0.13, 0.64])
    J, wrong = core.jacobian(z), core.elementwise_p1mp(z)
    e = jp.chain_rule_error(J, wrong, g)
    np.testing.assert_allclose(e["true"], core.vjp(z, g), atol=1e-15)
    np.testing.assert_allclose(e["wrong"], g * np.diag(J), atol=1e-15)
    np.testing.assert_allclose(e["error"], e["wrong"] - e["true"])
    assert e["max_abs"] == pytest.approx(np.abs(e["error"]).max()) and e["relative"] > 0.1
    assert jp.chain_rule_error(J, J, g)["relative"] == 0.0
    assert jp.chain_rule_error(np.zeros((3, 3)), wrong, g)["relative"] == float("inf")


@pytest.mark.parametrize("kind", ["T", "spread"])
def test_saturation_sweep_matches_an_independent_oracle(kind):
    z = np.array([2.0, 1.0, 0.1, -1.0])
    values, Js = jp.saturation_sweep(z, 0.7, kind, steps=9)
    assert Js.shape == (9, 4, 4) and values.shape == (9,)
    for v, M in zip(values, Js, strict=True):
        zz, T = (z, v) if kind == "T" else (z.mean() + v * (z - z.mean()), 0.7)
        np.testing.assert_allclose(M, core.complex_step_jacobian(zz, T), atol=1e-14)
    peaks = np.abs(Js).max(axis=(1, 2))
    assert peaks[-1] < peaks.max() / 10  # J vanishes at the saturated end


def test_sweep_directions():
    t = jp.sweep_values("T")
    assert t[0] == 10 and t[-1] == pytest.approx(0.1) and np.all(np.diff(t) < 0)  # T falls into saturation
    s = jp.sweep_values("spread")
    assert s[0] == 0 and s[-1] == 10 and np.all(np.diff(s) > 0)
    _, Js = jp.saturation_sweep([2.0, 1.0, 0.1], 2.0, "spread")
    np.testing.assert_allclose(Js[0], (np.eye(3) / 3 - 1 / 9) / 2.0, atol=1e-15)  # s = 0: uniform softmax
    with pytest.raises(ValueError):
        jp.sweep_values("bogus")


def test_column_effect_is_first_order():
    z = np.array([2.0, 1.0, 0.1])
    for dz in (1e-2, 1e-3):
        pred, actual = jp.column_effect(z, 1, dz)
        assert np.abs(pred - actual).max() < dz**2  # linearisation error is O(dz²)
        assert pred[1] > 0 and np.all(np.delete(actual, 1) < 0)


@pytest.mark.parametrize("z", [(1.0, 1.0, 0.0), (1.0, 1.0, 1.0, -2.0), (5.0, 5.0)])
def test_sweep_caption_at_a_tie_says_J_does_not_vanish(z):
    for kind in ("T", "spread"):
        values, Js = jp.saturation_sweep(z, 1.0, kind)
        text = jp.sweep_caption(z, 1.0, kind, values, Js)
        assert "turns one-hot" not in text
        assert "fades to 0" not in text and "J → 0" not in text
        peaks = np.abs(Js).max(axis=(1, 2))
        assert f"{peaks[-1] + 0.0:.3g} at the end" in text


def test_sweep_caption_unique_max_and_the_peak_it_reports():
    z = (2.0, 1.0, 0.1)
    values, Js = jp.saturation_sweep(z, 1.0, "spread")
    text = jp.sweep_caption(z, 1.0, "spread", values, Js)
    peaks = np.abs(Js).max(axis=(1, 2))
    assert f"largest ({peaks.max():.3g}) at s = {values[np.argmax(peaks)]:.2g}" in text
    assert values[np.argmax(peaks)] > 0  # the counterexample: not at s = 0
    assert "fades to 0." in text


def test_confidently_wrong_ce_survives_mse_vanishes():
    cw = jp.confidently_wrong((8.0, 0.0, -8.0), 0.5)
    S = core.softmax((8.0, 0.0, -8.0), 0.5)
    assert cw["k"] == 2 and cw["S_k"] == S[2]
    assert cw["ce"] == pytest.approx((1 - S[2]) / 0.5 if (1 - S[2]) > S[0] else S[0] / 0.5, rel=1e-12)
    assert cw["mse"] < 1e-5 < cw["ce"]


def test_direction_sentence():
    assert "0 in float64" in jp.direction_sentence([0, 0], [0, 0])
    assert "90° apart" in jp.direction_sentence([1, 0], [0, 1])
    assert "same way" in jp.direction_sentence([1, 1], [2, 2])


def _textbook_jacobian(z, T=1.0):
    """J with the diagonal S − S² (what core.jacobian computed before): it cancels to 0 once S_i rounds to 1."""
    S = core.softmax(z, T)
    return (np.diag(S) - np.outer(S, S)) / T


def test_a_row_sum_as_large_as_its_terms_fails_at_saturation():
    """z = (40, −40, 0): the textbook diagonal S₁ − S₁² is 0, so row 1 sums to −4.25e-18, 100 % of its largest term.
    An absolute 1e-12 passed it; relative to its terms it fails. core.jacobian's own J passes every sum check."""
    z = np.array([40.0, -40.0, 0.0])
    S = core.softmax(z)
    bad = {c.name: c for c in jp.properties(_textbook_jacobian(z), S)}
    assert bad["rows sum to 0"].ok is False and bad["columns sum to 0"].ok is False
    good = {c.name: c for c in jp.properties(core.jacobian(z), S)}
    assert good["rows sum to 0"].ok is True and good["columns sum to 0"].ok is True
    assert good["symmetric"].ok is True and good["J = (diag(S) − S Sᵀ)/T"].ok is True
    assert "sum at most 6·ε times the sum of its |terms|" in good["rows sum to 0"].claim
    # the eigenvalue 1.8e-35 lies below n·ε·‖J‖ = 5.7e-33: float64 cannot tell it from 0, and both rows say so alike
    assert good["rank n − 1"].ok is None and good["eigenvalues ≥ 0, one is 0, eigenvector 𝟙"].ok is None
    assert "cannot tell" in good["rank n − 1"].value


def test_a_true_small_eigenvalue_is_not_called_zero():
    """z = (−3, 0, 3), T = 0.2: λ = 7.02e-13 is a true eigenvalue (‖J‖ = 3.06e-6, n·ε·‖J‖ = 2e-21). It is not "0 up
    to rounding", and the rank row beside it, counted with the same tolerance, says 2."""
    z, T = np.array([-3.0, 0.0, 3.0]), 0.2
    by = {c.name: c for c in jp.properties(core.jacobian(z, T), core.softmax(z, T), T)}
    eig = by["eigenvalues ≥ 0, one is 0, eigenvector 𝟙"]
    assert "7.02×10⁻¹³," in eig.value and "7.02×10⁻¹³ (0 up to rounding)" not in eig.value
    assert eig.value.count("(0 up to rounding)") <= 1 and eig.ok is True
    assert by["rank n − 1"].value == "rank = 2" and by["rank n − 1"].ok is True
    assert jp.zero_tolerance(core.jacobian(z, T)) < 1e-20


def test_the_angle_between_the_gradients_is_computed_stably():
    """Reader 9, finding 18: arccos put parallel gradients 'within 1.2×10⁻⁶°' (its rounding floor, √ε rad); at n = 2 the
    elementwise gradient is exactly half the true one, so the angle is exactly 0."""
    g = np.array([0.3, -0.3])
    assert "(0° apart: parallel)" in jp.direction_sentence(g, g / 2)
    tiny = jp.direction_sentence([1.0, 1e-12], [1.0, 0.0])  # 10⁻¹² rad = 5.7×10⁻¹¹°, far below arccos's floor
    assert f"({core.fmt.prose(np.degrees(1e-12), 2)}° apart)" in tiny
