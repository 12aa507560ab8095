"""Extreme numerics: correct VALUES (not just "no crash") at the edges a class will reach.

What tests/test_softmax.py, test_losses.py and test_network.py already cover is not repeated here
(finite results at |z| = 1e6, a 1 + 1e-17 tie, lr = 1e5 on overlapping data, empty X). This file adds:

- a 50-digit decimal oracle (``decimal``, written from the definition) for softmax and the Jacobian over
  the whole range the app allows: |z| up to 1e6, n = 2..10, T from 0.1 to 10;
- exact values at |z| = 1e6 and at ties, where float64 has an exact answer;
- differences below machine epsilon of the logits' magnitude, and denormal differences;
- T from its minimum to its maximum: exact values, and the entropy rising with T;
- learning rates from 1e-4 to 1e6: separable blobs never diverge, overlapping data diverges with a message,
  and the training page shows that message;
- degenerate data: a single class, a single point, NaN in X, empty data sets; core raises ValueError with a
  readable message, and the pages clamp such links with a warning.
"""

from __future__ import annotations

import math
from decimal import Decimal, localcontext
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core
from core import fmt, state

ROOT = Path(__file__).resolve().parents[1]


# ---- the decimal oracle ------------------------------------------------------------------------------


def dec_softmax(z, T):
    """Softmax in 50-digit decimal arithmetic, from the definition (shifted by the max: exact in decimal)."""
    with localcontext() as ctx:
        ctx.prec = 50
        x = [Decimal(float(v)) / Decimal(float(T)) for v in z]
        m = max(x)
        e = [(v - m).exp() for v in x]
        s = sum(e)
        return [v / s for v in e]


def dec_jacobian(z, T):
    S = dec_softmax(z, T)
    with localcontext() as ctx:
        ctx.prec = 50
        t = Decimal(float(T))
        return [[S[i] * ((1 if i == j else 0) - S[j]) / t for j in range(len(S))] for i in range(len(S))]


def close(got: float, want: Decimal, rel: float, tiny: float = 1e-300) -> bool:
    want_f = float(want)  # rounds to the nearest float64 (or underflows to 0 / denormal)
    return abs(got - want_f) <= rel * abs(want_f) + tiny


logits = st.integers(min_value=2, max_value=10).flatmap(
    lambda n: st.lists(st.one_of(st.floats(-1e6, 1e6), st.floats(-30, 30), st.sampled_from([0.0, 1e6, -1e6])),
                       min_size=n, max_size=n))
temperatures = st.one_of(st.floats(0.1, 10.0), st.sampled_from([0.1, 1.0, 10.0]))


@given(logits, temperatures)
def test_softmax_and_jacobian_match_a_50_digit_oracle_over_the_whole_range(z, T):
    # Relative error bound: the logit differences reach ~745 T before exp underflows, each carrying one rounding
    # of the division by T, so about 745 * eps ~ 2e-13 of relative error in S; 1e-12 leaves room.
    S, J = core.softmax(z, T), core.jacobian(z, T)
    S_ref, J_ref = dec_softmax(z, T), dec_jacobian(z, T)
    for k in range(len(z)):
        assert close(S[k], S_ref[k], 1e-12), (z, T, k, S[k], S_ref[k])
    # J = (diag(S) - S S^T) / T is computed from the rounded S: near saturation S_i (1 - S_i) cancels, so the
    # honest bound is absolute, a few eps / T (relative accuracy of a tiny diagonal entry is not preserved).
    eps = np.finfo(float).eps
    for i in range(len(z)):
        for j in range(len(z)):
            assert abs(J[i, j] - float(J_ref[i][j])) <= 4 * eps / T + 1e-300, (z, T, i, j)


# ---- exact values at |z| = 1e6 and at ties -----------------------------------------------------------


def test_saturated_softmax_is_exactly_one_hot_and_its_jacobian_exactly_zero():
    z = [1e6, -1e6, 0.0]
    assert core.softmax(z).tolist() == [1.0, 0.0, 0.0]
    assert core.log_softmax(z).tolist() == [0.0, -2e6, -1e6]
    assert np.array_equal(core.jacobian(z), np.zeros((3, 3)))
    assert np.array_equal(core.vjp(z, [5.0, -3.0, 2.0]), np.zeros(3))
    assert core.cross_entropy(z, 1) == 2e6  # -log S_2 = 1e6 - (-1e6), exactly, through log-sum-exp
    assert core.cross_entropy_grad(z, 1).tolist() == [1.0, -1.0, 0.0]  # S - y: the gradient does not vanish


@pytest.mark.parametrize("n", [2, 3, 7, 10])
@pytest.mark.parametrize("v", [1e6, -1e6, 0.0, 123.456])
def test_ties_give_exactly_uniform_outputs_and_the_textbook_jacobian(n, v):
    S, J = core.softmax([v] * n), core.jacobian([v] * n)
    assert np.allclose(S, 1 / n, rtol=0, atol=1e-16)
    assert np.allclose(np.diag(J), (1 / n) * (1 - 1 / n), rtol=0, atol=1e-16)
    assert np.allclose(J[~np.eye(n, dtype=bool)], -1 / n**2, rtol=0, atol=1e-16)
    assert np.allclose(J.sum(axis=0), 0, atol=1e-16) and np.array_equal(J, J.T)


def test_two_saturated_winners_share_exactly_and_the_rest_get_exactly_zero():
    S = core.softmax([1e6, 1e6, -1e6, 0.0])
    assert S.tolist() == [0.5, 0.5, 0.0, 0.0]
    J = core.jacobian([1e6, 1e6, -1e6, 0.0])
    assert J[:2, :2].tolist() == [[0.25, -0.25], [-0.25, 0.25]] and not J[2:].any() and not J[:, 2:].any()


# ---- differences below machine epsilon --------------------------------------------------------------


def test_the_smallest_difference_at_1e6_is_resolved_correctly():
    a = 1e6
    b = float(np.nextafter(a, np.inf))  # one ulp above: b - a = 1.16e-10, far below eps * 1 but exactly representable
    d = b - a
    S = core.softmax([a, b])
    assert S[1] > S[0]  # resolved, not a tie
    assert S[1] - S[0] == pytest.approx(math.tanh(d / 2), rel=1e-4)  # S_2 - S_1 = tanh(d / 2) for n = 2
    J = core.jacobian([a, b])
    assert J[0, 0] == pytest.approx(0.25, abs=1e-15) and J[0, 1] == pytest.approx(-0.25, abs=1e-15)


@pytest.mark.parametrize("z", [[0.0, 5e-324], [0.0, 1e-300, -1e-300], [1.0, 1.0 + 2.2e-16, 1.0 - 1.1e-16]])
def test_denormal_and_sub_epsilon_differences_are_ties_to_the_last_bit_that_matters(z):
    S, J = core.softmax(z), core.jacobian(z)
    n = len(z)
    assert np.allclose(S, 1 / n, rtol=0, atol=1e-15)
    assert np.allclose(J.sum(axis=1), 0, atol=1e-16) and np.allclose(J, J.T, rtol=0, atol=0)
    assert S.sum() == pytest.approx(1.0, abs=2e-16)


# ---- T from its minimum to its maximum -----------------------------------------------------------------


T_MIN, T_MAX = state.TABLE["T"].lo, state.TABLE["T"].hi


def test_temperature_range_is_the_one_the_app_allows():
    assert (T_MIN, T_MAX) == (0.1, 10.0)


@pytest.mark.parametrize("T", np.round(np.linspace(T_MIN, T_MAX, 100), 10).tolist())
def test_every_temperature_gives_oracle_values_for_the_seed_logits(T):
    z = [2.0, 1.0, 0.1]
    S, S_ref = core.softmax(z, T), dec_softmax(z, T)
    assert all(close(S[k], S_ref[k], 1e-14) for k in range(3))
    assert np.allclose(core.jacobian(z, T), np.array(dec_jacobian(z, T), dtype=float), rtol=0, atol=1e-15)


def test_entropy_rises_with_temperature_from_nearly_one_hot_to_nearly_uniform():
    z = [2.0, 1.0, 0.1]
    Ts = np.linspace(T_MIN, T_MAX, 200)
    H = [-(S * np.log(S)).sum() for S in (core.softmax(z, T) for T in Ts)]
    assert np.all(np.diff(H) > 0)
    assert core.softmax(z, T_MIN)[0] == pytest.approx(1 / (1 + math.exp(-10) + math.exp(-19)), rel=1e-15)
    assert H[-1] == pytest.approx(math.log(3), abs=0.01)  # T = 10: close to uniform
    # and the Jacobian scales with 1/T: at T = 0.1 the saturated J is tiny, at T = 10 it is near (I/3 - 1/9)/10
    assert np.abs(core.jacobian(z, T_MIN)).max() < 5e-4
    assert core.jacobian(z, T_MAX)[0, 0] == pytest.approx((1 / 3) * (2 / 3) / 10, rel=0.1)


# ---- learning rates -------------------------------------------------------------------------------------

LR_RANGE = [1e-4, 1e-2, 1.0, 1e2, 1e4, 1e6]  # the page's lr range is 1e-4 .. 1e6 (core.state)


# core.train calls a finite mean cross-entropy above DIVERGENCE_LOSS (~708) "diverged": the average probability of
# the right class has underflowed to 0. On separable blobs a huge step can misclassify ONE point by a huge margin for
# a few epochs (seed 1, D 2, lr 1e6: loss 0.90 -> 2065 -> 1868 -> 1671 ... -> 0.0 if allowed to continue). The app
# deliberately stops there and tells the student to lower the learning rate (the lead's decision: at lr = 1e6, a
# mean loss of 2065 nats is the lesson, even if a patient optimiser would recover). Tested as such below.
TRANSIENT_BLOWUP = {(1, 2)}
BLOB_CASES = [(seed, D) for seed in range(4) for D in (2, 5, 10) if (seed, D) not in TRANSIENT_BLOWUP]


@pytest.mark.parametrize("seed, D", BLOB_CASES)
def test_separable_blobs_never_diverge_at_any_learning_rate_the_app_allows(seed, D):
    assert (min(LR_RANGE), max(LR_RANGE)) == (state.TABLE["lr"].lo, state.TABLE["lr"].hi)
    X, y = core.make_dataset("blobs", 50, D, seed)
    W, b = core.init_params(D, 3, seed)
    for lr in LR_RANGE:
        h = core.train(X, y, W, b, lr, 200)
        assert not h.diverged and np.all(np.isfinite(h.loss)), (seed, D, lr, h.message)
        if lr >= 1.0:
            assert h.accuracy[-1] == 1.0 and h.loss[-1] < 0.05, (seed, D, lr, h.loss[-1])
        assert h.message.startswith("Trained")


def test_a_transient_blowup_at_the_largest_learning_rate_is_reported_as_divergence():
    X, y = core.make_dataset("blobs", 50, 2, 1)
    h = core.train(X, y, *core.init_params(2, 3, 1), 1e6, 200)
    assert h.diverged and h.diverged_at == 1 and h.loss[1] > core.DIVERGENCE_LOSS
    assert "lower the learning rate" in h.message
    assert not core.train(X, y, *core.init_params(2, 3, 1), 1e4, 200).diverged  # 100x smaller is fine


@pytest.mark.parametrize("lr", [1e3, 1e4, 1e5, 1e6])
def test_overlapping_data_diverges_with_a_message_and_keeps_the_last_sane_weights(lr):
    X, y = core.make_dataset("overlap", 50, 2, 0)
    h = core.train(X, y, *core.init_params(2, 3, 0), lr, 200)
    assert h.diverged and h.diverged_at is not None
    assert f"epoch {h.diverged_at}" in h.message and "lower the learning rate" in h.message
    assert f"(now {fmt.prose(lr)})" in h.message  # 1×10⁶, as the page's own warning prints η
    assert np.all(np.isfinite(h.W)) and np.all(np.isfinite(h.b))
    assert h.loss[-1] > core.DIVERGENCE_LOSS or not np.isfinite(h.loss[-1])
    assert np.array_equal(h.W, h.snapshot_W[-1])  # the figure shows the last sane weights


def test_training_page_shows_the_divergence_message():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.switch_page("pages/training.py").run()
    at.query_params = {"data": "overlap", "lr": "1e6", "epochs": "200"}
    at.run()
    assert not at.exception
    shown = " ".join(e.value for e in [*at.error, *at.warning, *at.info])
    assert "lower the learning rate" in shown, shown
    at.query_params = {"data": "blobs", "lr": "1e6", "epochs": "200"}
    at.run()
    assert not at.exception and not any("lower the learning rate" in e.value for e in at.error)


# ---- degenerate data ------------------------------------------------------------------------------------


def test_a_single_class_is_learned_to_zero_loss():
    X = core.make_dataset("blobs", 20, 2, 0)[0][:20]
    h = core.train(X, np.zeros(20, int), *core.init_params(2), 1.0, 200)
    assert not h.diverged and h.loss[-1] < 0.01 and h.accuracy[-1] == 1.0


def test_a_single_point_trains():
    h = core.train([[1.0, -2.0]], [2], *core.init_params(2), 0.5, 100)
    assert not h.diverged and h.loss[-1] < h.loss[0] and core.predict([[1.0, -2.0]], h.W, h.b).tolist() == [2]


@pytest.mark.parametrize("bad, msg", [
    (lambda: core.make_dataset("blobs", 0, 2, 0), "n_per_class must be a whole number >= 1"),
    (lambda: core.make_dataset("blobs", 5, 0, 0), "dim must be a whole number >= 1"),
    (lambda: core.make_dataset("spirals", 2.5, 2, 0), "n_per_class"),
    (lambda: core.make_blobs(5, 2, 3, float("nan")), "spread"),
    (lambda: core.train([[np.nan, 1.0]], [0], *core.init_params(2), 0.1, 5), "X contains NaN"),
    (lambda: core.train([[np.inf, 1.0]], [0], *core.init_params(2), 0.1, 5), "X contains NaN or infinity"),
    (lambda: core.train(np.zeros((3, 0)), [0, 1, 2], *core.init_params(2), 0.1, 5), "non-empty"),
    (lambda: core.train(np.zeros((2, 2)), [0, 1], *core.init_params(2), np.inf, 5), "learning rate"),
    (lambda: core.train(np.zeros((2, 2)), [0, 1], *core.init_params(2), "fast", 5), "learning rate"),
])
def test_degenerate_inputs_raise_a_readable_value_error(bad, msg):
    with pytest.raises(ValueError, match=msg):
        bad()


@pytest.mark.parametrize("query, key", [({"m": "0"}, "m"), ({"D": "0"}, "D"), ({"epochs": "0"}, "epochs"),
                                        ({"lr": "0"}, "lr"), ({"lr": "-1"}, "lr"), ({"m": "nan"}, "m")])
def test_degenerate_training_links_are_clamped_with_a_warning(query, key):
    params, problems = state.decode(query)
    p = state.TABLE[key]
    assert p.lo <= params[key] <= p.hi and problems and problems[0].startswith(f"{key}=")
