"""softmax, log_softmax, jacobian, vjp: checked against independent oracles and properties."""

import math
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from oracles import central_diff_grad, complex_step_grad, ref_softmax

import core

finite = st.floats(-50, 50, allow_nan=False, allow_infinity=False)
logit_vectors = st.integers(2, 10).flatmap(lambda n: arrays(np.float64, n, elements=finite))
temps = st.floats(0.1, 10)


def test_jacobian_of_1_2_3_is_the_3x3_matrix():
    J = core.jacobian([1, 2, 3])
    S = np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum()
    assert J.shape == (3, 3)
    assert J[0, 0] == pytest.approx(S[0] * (1 - S[0]), abs=1e-16)
    assert J[1, 0] == pytest.approx(-S[1] * S[0], abs=1e-16)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("T", [0.3, 1.0, 4.0])
def test_jacobian_matches_complex_step_and_central_differences(seed, T):
    rng = np.random.default_rng(seed)
    z = rng.normal(0, 3, size=rng.integers(2, 11))
    J = core.jacobian(z, T)
    J_cs = complex_step_grad(lambda x: ref_softmax(x / T), z)
    J_fd = central_diff_grad(lambda x: core.softmax(x, T), z)
    assert np.max(np.abs(J - J_cs)) < 1e-14
    assert np.max(np.abs(J - J_fd)) < 1e-8


@pytest.mark.parametrize("seed", range(8))
def test_vjp_matches_complex_step_with_random_upstream_gradient(seed):
    rng = np.random.default_rng(100 + seed)
    T = rng.uniform(0.2, 5)
    z = rng.normal(0, 2, size=(4, 6))  # a batch
    g = rng.normal(size=(4, 6))  # random upstream dL/dS, never all ones
    dL_dz = core.vjp(z, g, T)
    # oracle: d/dz of the scalar L = sum(g * S(z/T)), by the complex step
    ref = complex_step_grad(lambda x: np.sum(g * ref_softmax(x / T)), z)
    assert np.max(np.abs(dL_dz - ref)) < 1e-14
    assert np.allclose(dL_dz, np.einsum("bi,bij->bj", g, core.jacobian(z, T)), atol=1e-15)


def test_batch_shapes():
    z = np.random.default_rng(0).normal(size=(2, 3, 5))
    assert core.softmax(z).shape == (2, 3, 5)
    assert core.jacobian(z).shape == (2, 3, 5, 5)
    assert core.vjp(z, np.ones(5) * np.arange(5)).shape == (2, 3, 5)
    assert np.allclose(core.softmax(z, axis=0).sum(axis=0), 1)
    assert core.softmax((1, 2)).dtype == np.float64


def test_log_softmax_is_log_of_softmax_and_stable():
    z = np.array([3.0, -1.0, 0.5])
    assert np.allclose(core.log_softmax(z), np.log(core.softmax(z)), atol=1e-15)
    big = core.log_softmax([1e6, -1e6, 0.0])
    assert np.all(np.isfinite(big)) and big[0] == 0.0 and big[1] == -2e6


@pytest.mark.parametrize("z", [[1e6, -1e6, 0.0], [1e6, 1e6, 1e6], [-1e6, -1e6 + 1, -1e6 + 2], [1e6, 1e6 - 1e-10]])
def test_extreme_logits_give_finite_results_without_warnings(z):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        S, J, g = core.softmax(z), core.jacobian(z), core.vjp(z, np.arange(len(z)) + 0.5)
        L = core.cross_entropy(z, 0)
    for a in (S, J, g, L):
        assert np.all(np.isfinite(a))
    assert S.sum() == pytest.approx(1.0, abs=1e-15)


def test_ties_and_sub_epsilon_differences():
    assert np.allclose(core.softmax([7.0, 7.0, 7.0, 7.0]), 0.25, atol=0)
    S = core.softmax([1.0, 1.0 + 1e-17])  # difference below machine epsilon: exactly a tie in float64
    assert S[0] == S[1] == 0.5
    assert np.allclose(core.jacobian([5.0, 5.0]), [[0.25, -0.25], [-0.25, 0.25]], atol=0)


@pytest.mark.parametrize(
    "bad, msg",
    [([], "empty"), ([[]], "empty"), ("abc", "numbers"), ([1, np.nan], "NaN"), ([1, np.inf], "NaN or infinity"),
     (3.0, "vector"), ([1, "x"], "numbers")],
)
def test_bad_logits_raise_value_error(bad, msg):
    for fn in (core.softmax, core.log_softmax, core.jacobian):
        with pytest.raises(ValueError, match=msg):
            fn(bad)


@pytest.mark.parametrize("T", [0, -1, np.nan, np.inf, "hot"])
def test_bad_temperature_raises(T):
    with pytest.raises(ValueError, match="temperature"):
        core.softmax([1.0, 2.0], T)
    with pytest.raises(ValueError, match="temperature"):
        core.jacobian([1.0, 2.0], T)


def test_vjp_shape_mismatch_raises():
    with pytest.raises(ValueError):
        core.vjp([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError):
        core.vjp(np.zeros((2, 3)), np.zeros((3, 3)))


def test_overflowing_division_by_temperature_raises():
    with pytest.raises(ValueError, match="overflows"):
        core.softmax([1e308, 0.0], 0.1)


# ---- properties (GUIDE.md §5) -----------------------------------------------------------------


@given(logit_vectors, temps)
def test_outputs_in_unit_interval_and_sum_to_one(z, T):
    S = core.softmax(z, T)
    assert np.all(S >= 0) and np.all(S <= 1)
    assert abs(S.sum() - 1) < 1e-12


@given(logit_vectors, st.floats(-1e3, 1e3), temps)
def test_shift_invariance(z, c, T):
    assert np.allclose(core.softmax(z + c, T), core.softmax(z, T), atol=1e-12)


@given(logit_vectors, temps)
@example(z=np.array([3.0, 0.0]), T=0.109375)  # S₂ ≈ 1.3e-12: diag(S) − S Sᵀ loses ~4 digits of J₁₁ that core keeps
def test_jacobian_structure(z, T):
    """Each identity holds to rounding: n ulps of the size of the terms it adds or subtracts (n terms, each rounded
    once), plus float64's smallest subnormal per term where the values underflow. An absolute tolerance would be
    too loose for small entries and too tight where S₁ ≈ 1 makes S₁ − S₁² cancel."""
    J = core.jacobian(z, T)
    S = core.softmax(z, T)
    n, eps, tiny = len(z), np.finfo(np.float64).eps, np.finfo(np.float64).smallest_subnormal

    def within(err, size):
        return np.all(np.abs(err) <= n * (eps * size + tiny / T))

    assert np.array_equal(J, J.T)
    assert within(J.sum(axis=0), np.abs(J).sum(axis=0)), "columns sum to 0"
    assert within(J.sum(axis=1), np.abs(J).sum(axis=1)), "rows sum to 0"
    assert within(J - (np.diag(S) - np.outer(S, S)) / T, (np.diag(S) + np.outer(S, S)) / T), "J = diag(S) − S Sᵀ"
    assert np.all(np.diag(J) * T <= 0.25 * (1 + n * eps)) and np.all(np.diag(J) >= 0)


@given(logit_vectors, temps, st.integers(0, 2**32 - 1))
def test_vjp_equals_g_transpose_J(z, T, seed):
    g = np.random.default_rng(seed).normal(size=z.shape)
    assert np.allclose(core.vjp(z, g, T), g @ core.jacobian(z, T), atol=1e-14)


def test_naive_softmax_overflows_where_stable_does_not():
    z = [1000.0, 999.0, 0.0]
    assert np.isnan(core.naive_softmax(z)).any()
    assert np.allclose(core.stable_softmax_in(z, np.float64), core.softmax(z))
    assert np.isnan(core.naive_softmax([20.0, 19.0, 0.0], np.float16)).any()  # e^20 > float16 max 65504
    assert np.all(np.isfinite(core.stable_softmax_in([20.0, 19.0, 0.0], np.float16)))


def test_misconception_keeps_only_the_diagonal():
    z = [2.0, 1.0, 0.1]
    wrong, J = core.elementwise_p1mp(z), core.jacobian(z)
    assert np.allclose(np.diag(wrong), np.diag(J))
    assert np.all(wrong[~np.eye(3, dtype=bool)] == 0) and np.all(J[~np.eye(3, dtype=bool)] < 0)


def test_checks_agree_with_jacobian():
    z = np.array([0.3, -2.0, 1.7, 0.0])
    assert np.max(np.abs(core.complex_step_jacobian(z, 0.7) - core.jacobian(z, 0.7))) < 1e-15
    assert np.max(np.abs(core.fd_jacobian(z, 0.7) - core.jacobian(z, 0.7))) < 1e-8


@given(st.one_of(st.floats(allow_nan=True, allow_infinity=True), st.sampled_from(["x", None, "2", [1.0]])))
def test_temperature_and_learning_rate_share_one_positive_number_check(v):
    """core.softmax.positive_number is the one "finite number > 0" check: the temperature and train's learning rate
    accept and reject the same values, each error naming its own parameter."""
    from core.softmax import positive_number

    outcomes = []
    for name, call in (("temperature", lambda: core.check_temperature(v)),
                       ("the learning rate", lambda: core.train([[0.0]], [0], [[0.0]], [0.0], v, 0).lr),
                       ("x", lambda: positive_number(v, "x"))):
        try:
            outcomes.append(call())
        except ValueError as e:
            assert str(e).startswith(f"{name} must be a"), e
            outcomes.append("rejected")
    assert outcomes[0] == outcomes[1] == outcomes[2]
    try:
        ok = math.isfinite(float(v)) and float(v) > 0
    except (TypeError, ValueError):
        ok = False
    assert (outcomes[0] != "rejected") == ok
