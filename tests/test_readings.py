"""The covariance and Hessian readings of J (core.readings), each against an independent computation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from core import readings
from figures.readings_figs import mc_convergence
from figures.spec import strict

CASES = [((2.0, 1.0, 0.1), 1.0), ((2.0, 1.0, 0.1), 0.1), ((1.0, 1.0, 0.0), 0.5), ((8.0, 0.0, -8.0), 2.0),
         ((0.3, -1.2, 2.2, 0.0), 10.0), (tuple(np.linspace(-2, 2, 10)), 1.0)]


def test_cov_from_counts_is_the_sample_covariance_of_the_one_hot_rows():
    rng = np.random.default_rng(3)
    S = core.softmax([0.5, -1.0, 2.0, 0.0])
    Y = rng.choice(4, size=500, p=S)  # explicit draws, not the multinomial shortcut
    onehot = np.eye(4)[Y]
    np.testing.assert_allclose(readings.cov_from_counts(np.bincount(Y, minlength=4)), np.cov(onehot.T), atol=1e-15)


def test_the_analytic_covariance_of_a_one_hot_is_J_times_T():
    for z, T in CASES:
        S = core.softmax(z, T)
        E = np.eye(S.size)
        cov = sum(S[y] * np.outer(E[y] - S, E[y] - S) for y in range(S.size))  # by enumeration of the outcomes
        np.testing.assert_allclose(cov / T, core.jacobian(z, T), atol=1e-15)


@settings(max_examples=40, deadline=None)
@given(n=st.integers(2, 10), seed=st.integers(0, 10_000), T=st.sampled_from([0.1, 0.5, 1.0, 2.0, 10.0]),
       N=st.sampled_from([1000, 10_000, 100_000]))
def test_mc_estimate_is_within_its_standard_error_of_J(n, seed, T, N):
    z = np.random.default_rng(seed).normal(0, 2, n)
    counts, Jhat = readings.mc_jacobian(z, T, N, seed)
    assert counts.sum() == N
    S, J = core.softmax(z, T), core.jacobian(z, T)
    se = readings.cov_standard_error(S, N) / T
    # 5 standard errors per entry (and a floor for entries whose variance is ~0)
    assert np.all(np.abs(Jhat - J) <= 5 * se + 5 / (N * T)), np.abs(Jhat - J) / se


def test_standard_error_matches_the_spread_of_replicate_estimates():
    z, T, N = (2.0, 1.0, 0.1), 1.0, 200
    S = core.softmax(z, T)
    reps = np.stack([readings.mc_jacobian(z, T, N, s)[1] for s in range(3000)])
    empirical = reps.std(axis=0)
    predicted = readings.cov_standard_error(S, N) / T
    np.testing.assert_allclose(empirical, predicted, rtol=0.08)


@pytest.mark.parametrize(("z", "T"), CASES)
def test_error_falls_like_one_over_root_n(z, T):
    c = readings.covariance_error_curve(z, T, seed=0)
    assert c["counts"][0] == 10 and c["counts"][-1] == 1_000_000
    assert {100, 1000, 10_000, 100_000} <= set(c["counts"].tolist())
    S = core.softmax(z, T)
    if 10 / (1 - S.max()) * 10 <= 1e6:  # a decade of the grid where every class is drawn often
        assert -0.6 < c["slope"] < -0.4, c["slope"]
        assert "close to −½" in readings.slope_sentence(c)
    else:  # (2, 1, 0.1) at T = 0.1: the rarer classes come up ~45 times in 10⁶ draws
        assert np.isnan(c["slope"]) and "stalls" in readings.slope_sentence(c)


def test_fit_slope_is_a_least_squares_slope():
    x = np.array([10, 100, 1000, 10_000.0])
    assert readings.fit_slope(x, 3 * x**-0.5) == pytest.approx(-0.5)
    assert np.isnan(readings.fit_slope(x, np.zeros(4)))


def test_saturated_softmax_gives_an_exact_zero_estimate():
    c = readings.covariance_error_curve((1000.0, 0.0, -1000.0), 1.0, seed=0)
    assert np.all(c["rms"] == 0) and np.isnan(c["slope"])


@pytest.mark.parametrize(("z", "T"), CASES)
def test_smooth_max_gradient_is_S_and_hessian_is_J(z, T):
    z = np.asarray(z)
    h = 1e-6
    grad = [(readings.smooth_max(z + h * e, T) - readings.smooth_max(z - h * e, T)) / (2 * h) for e in np.eye(z.size)]
    np.testing.assert_allclose(grad, core.softmax(z, T), atol=1e-6)
    H = readings.smooth_max_hessian_fd(z, T)
    np.testing.assert_allclose(H, core.jacobian(z, T), atol=2e-5 * max(1, 1 / T))
    assert readings.smooth_max([1000.0, 0.0, -1000.0]) == 1000.0  # stable: no overflow


def test_cross_entropy_hessian_in_z_is_J_over_T():
    z, T, y = np.array([2.0, 1.0, 0.1, -0.5]), 0.5, 2
    ce = lambda v: -core.log_softmax(v, T)[y]
    h, n = 1e-4, z.size
    E = np.eye(n) * h
    H = np.array([[(ce(z + E[i] + E[j]) - ce(z + E[i] - E[j]) - ce(z - E[i] + E[j]) + ce(z - E[i] - E[j])) / (4 * h * h)
                   for j in range(n)] for i in range(n)])
    np.testing.assert_allclose(H, core.jacobian(z, T) / T, atol=1e-5)


def test_hessian_checks_pass_on_J_and_fail_on_broken_matrices():
    for z, T in CASES:
        J = core.jacobian(z, T)
        assert all(ok for *_, ok in readings.hessian_checks(J, T, readings.smooth_max_hessian_fd(z, T)))
    J = core.jacobian((2.0, 1.0, 0.1))
    marks = lambda M, H=None: [ok for *_, ok in readings.hessian_checks(M, 1.0, H)]
    assert marks(J + np.triu(np.full((3, 3), 0.01), 1))[1] is False  # not symmetric
    assert marks(J - 0.1 * np.eye(3))[2:] == [False, False]  # an eigenvalue < 0: not convex
    assert marks(J, J + 0.01)[0] is False  # the finite-difference Hessian disagrees


def test_convergence_figure_is_a_valid_spec():
    c = readings.covariance_error_curve((2.0, 1.0, 0.1), 1.0, seed=0)
    for dark in (False, True):
        fig = strict(mc_convergence(c["counts"], c["first"], c["rms"], c["slope"], 1000, 0.01, dark))
        assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
        assert "−0.5" in fig.layout.title.text
    c = readings.covariance_error_curve((2.0, 1.0, 0.1), 0.1, seed=0)
    assert "none" in strict(mc_convergence(c["counts"], c["first"], c["rms"], c["slope"], 10, 0.1)).layout.title.text


def test_your_seed_points_are_the_estimates_the_page_shows():
    c = readings.covariance_error_curve((2.0, 1.0, 0.1), 0.5, seed=7)
    J = core.jacobian((2.0, 1.0, 0.1), 0.5)
    for k in (0, 10, 20):
        _, Jhat = readings.mc_jacobian((2.0, 1.0, 0.1), 0.5, int(c["counts"][k]), 7)
        assert c["first"][k] == np.abs(Jhat - J).max()


@pytest.mark.parametrize(("z", "T"), [((1e4, 1e4 - 0.1, 0.0), 0.1), ((5e5, 5e5 + 0.3, -1.0, 5e5), 1.0)])
def test_finite_difference_hessian_survives_large_logits(z, T):
    J = core.jacobian(z, T)
    H = readings.smooth_max_hessian_fd(z, T)
    np.testing.assert_allclose(H, J, atol=2e-5 * max(1, 1 / T))
    assert readings.hessian_checks(J, T, H, core.softmax(z, T))[0][2] is True


def test_se_sentence_counts_a_never_drawn_class_apart():
    """A tie at T = 0.3 leaves S₃ ≈ 9e-4: in 200 draws class 3 never comes up, Ĵ is 0 in its row and column, and its
    entries are many standard errors off. The sentence says so instead of counting them as a bad estimate."""
    z, T, N = (2.0, 2.0, 0.1), 0.3, 200
    counts, Jhat = readings.mc_jacobian(z, T, N, 0)
    assert counts[2] == 0
    S = core.softmax(z, T)
    text = readings.se_sentence(Jhat, core.jacobian(z, T), readings.cov_standard_error(S, N) / T, counts)
    assert "Class 3 was never drawn in 200 samples" in text and "5 entries in its row and column" in text
    assert text.startswith("Of the 4 entries with a first-order standard error, all lie within 2")  # the others
    drawn = readings.se_sentence(Jhat, core.jacobian(z, T), readings.cov_standard_error(S, N) / T)  # no counts: as before
    assert "never drawn" not in drawn and "Of the 9 entries" in drawn


def test_a_negligible_first_order_error_is_not_read_as_a_failure():
    """Reader 9, finding 4: at z = (2, 2, −1), T = 0.1, the off-diagonal S₁S₂ has a first-order SE of 3×10⁻⁸ against a
    second-order error near 2.5×10⁻³: '0% of the 2 entries … within 2 standard errors (largest 56000 SE)' read as a
    failure of the estimator. With the second-order scale those entries are counted as second order."""
    z, T, N = (2.0, 2.0, -1.0), 0.1, 1000
    counts, Jhat = readings.mc_jacobian(z, T, N, 0)
    S, J = core.softmax(z, T), core.jacobian(z, T)
    se = readings.cov_standard_error(S, N) / T
    se2 = readings.second_order_scale(S, N) / T
    assert 0 < se[0, 1] < 1e-6 < se2[0, 1]
    text = readings.se_sentence(Jhat, J, se, counts, se2)
    assert "SE)" not in text and "%" not in text
    assert "4 entries have standard error 0 to first order in 1/N or below the second-order scale" in text


def test_an_error_in_standard_errors_is_not_read_as_the_standard_error():
    """z = (40, −40, 0): the caption said "(6.5×10⁻⁸ SE)", which reads as a standard error of 6.5×10⁻⁸; it is J₁₁'s
    error measured in its standard errors, and says so."""
    z, T, N = (40.0, -40.0, 0.0), 1.0, 1000
    counts, Jhat = readings.mc_jacobian(z, T, N, 0)
    S = core.softmax(z, T)
    text = readings.se_sentence(Jhat, core.jacobian(z, T), readings.cov_standard_error(S, N) / T, counts,
                                readings.second_order_scale(S, N) / T)
    assert "(its error is 6.5×10⁻⁸ standard errors)" in text and "SE)" not in text, text
