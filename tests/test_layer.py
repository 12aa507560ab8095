"""core.layer: z = Wx + b for a batch. Gradients against the complex step and finite differences, the Training page's
step for the same weights, the shapes, and "expected minus observed". (Autograd: tests/test_torch_oracles.py.)"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core
from core import layer, network
from tests.oracles import complex_step_grad


def batch(seed: int, m: int = 6, D: int = 3, n: int = 3, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((m, D)), rng.integers(0, n, m), scale * rng.standard_normal((n, D)),
            scale * rng.standard_normal(n))


def ce_complex(X, Y, W, b, reduction="mean"):
    """The batch's cross-entropy from the definition, complex-safe (for the complex step)."""
    Z = X @ W.T + b
    x = Z - np.max(Z.real, axis=1, keepdims=True)
    logS = x - np.log(np.sum(np.exp(x), axis=1, keepdims=True))
    total = -np.sum(Y * logS)
    return total / X.shape[0] if reduction == "mean" else total


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@given(seed=st.integers(0, 10_000), m=st.integers(1, 8), D=st.integers(1, 4), n=st.integers(2, 5),
       scale=st.sampled_from([0.3, 1.0, 5.0]))
def test_gradients_match_the_complex_step(reduction, seed, m, D, n, scale):
    X, y, W, b = batch(seed, m, D, n, scale)
    Y = np.eye(n)[y]
    g = layer.layer_grads(X, y, W, b, reduction)
    assert g.dL_dW.shape == (n, D) and g.dL_db.shape == (n,) and g.dL_dX.shape == (m, D) and g.dL_dZ.shape == (m, n)
    cases = ((g.dL_dW, W, lambda A: ce_complex(X, Y, A, b, reduction)), (g.dL_db, b, lambda A: ce_complex(X, Y, W, A, reduction)),
             (g.dL_dX, X, lambda A: ce_complex(A, Y, W, b, reduction)))
    for mine, wrt, f in cases:
        ref = complex_step_grad(f, wrt)
        # S − Y has an absolute rounding error of a few ulps of 1 (S_y − 1 cancels when S_y ≈ 1), whatever its size;
        # each gradient entry is a sum of m such terms times an entry of X or W (÷ m for the mean)
        per_term = 8 * np.finfo(float).eps * max(1.0, np.abs(X).max(), np.abs(W).max())
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=per_term * (1 if reduction == "mean" else m))


def test_single_sample_is_the_outer_product():
    """m = 1: ∂L/∂W = (S − y)xᵀ and ∂L/∂x = Wᵀ(S − y) (Bendersky, CS231n)."""
    X, y, W, b = batch(3, m=1, D=4, n=3)
    g = layer.layer_grads(X, y, W, b)
    S = core.softmax(W @ X[0] + b)
    d = S - np.eye(3)[y[0]]
    np.testing.assert_allclose(g.dL_dW, np.outer(d, X[0]), rtol=1e-15)
    np.testing.assert_allclose(g.dL_dX[0], W.T @ d, rtol=1e-14)


def test_batch_gradient_is_the_mean_of_the_samples():
    X, y, W, b = batch(4, m=9)
    P = layer.per_sample_dW(X, y, W, b, "sum")
    assert P.shape == (9, 3, 3)
    for r in range(9):
        np.testing.assert_allclose(P[r], layer.layer_grads(X[r:r + 1], y[r:r + 1], W, b, "sum").dL_dW, rtol=1e-14)
    np.testing.assert_allclose(P.sum(axis=0) / 9, layer.layer_grads(X, y, W, b).dL_dW, rtol=1e-13)
    np.testing.assert_allclose(layer.per_sample_dW(X, y, W, b).sum(axis=0), layer.layer_grads(X, y, W, b).dL_dW,
                               rtol=1e-13)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_the_training_pages_gradient_and_step_for_the_same_weights(seed):
    X, y = core.make_dataset("blobs", 20, dim=3, seed=seed)  # the Training page's data
    W, b = core.init_params(X.shape[1], 3, seed=seed, scale=0.5)
    g = layer.layer_grads(X, y, W, b)
    L, dW, db = network.loss_and_grad(X, np.eye(3)[y], W, b)
    assert g.loss == pytest.approx(L, rel=1e-14)
    np.testing.assert_allclose(g.dL_dW, dW, rtol=1e-13, atol=1e-16)
    np.testing.assert_allclose(g.dL_db, db, rtol=1e-13, atol=1e-16)
    tie = layer.training_tie(X, y, W, b, 0.5)
    assert tie["max_diff"] < 1e-12 and "Training page" in tie["sentence"]
    hist = network.train(X, y, W, b, 0.5, 1)  # one epoch of the Training page's own loop
    np.testing.assert_allclose(hist.W - W, tie["dW"], rtol=1e-12, atol=1e-16)
    np.testing.assert_allclose(hist.b - b, tie["db"], rtol=1e-12, atol=1e-16)


def test_loss_is_core_losses_mean():
    X, y, W, b = batch(5)
    assert layer.layer_loss(X, y, W, b) == pytest.approx(core.cross_entropy(X @ W.T + b, y), rel=1e-15)
    assert layer.layer_loss(X, y, W, b, "sum") == pytest.approx(6 * core.cross_entropy(X @ W.T + b, y), rel=1e-15)
    with pytest.raises(ValueError, match="reduction"):
        layer.layer_loss(X, y, W, b, "max")


@pytest.mark.parametrize("scale", [1.0, 40.0])
def test_finite_difference_checks_pass(scale):
    X, y, W, b = batch(6, scale=scale)
    fd = layer.fd_layer_grads(X, y, W, b)
    g = layer.layer_grads(X, y, W, b)
    np.testing.assert_allclose(fd["dL_dW"], g.dL_dW, atol=1e-8 * scale)
    checks = layer.layer_checks(X, y, W, b)
    # CS231n's 10⁻⁷ holds for ∂L/∂W and ∂L/∂b; ∂L/∂X's entries carry 1/m and some sit below FD's own error at h = 10⁻⁶
    # (at scale 40, saturated samples' entries near 0 read relative error 1): ⚠ with the reason, never ✗
    assert [c.ok for c in checks] == [True, True, None], [(c.name, c.value) for c in checks]
    assert "the measure reads FD's error, not the formula's" in checks[2].value
    assert all("< 10⁻⁷" in c.claim for c in checks)


@pytest.mark.parametrize(("data", "D", "m", "scale", "seed"), [("blobs", 5, 5, 100.0, 1), ("spirals", 10, 5, 100.0, 1),
                                                              ("spirals", 5, 50, 100.0, 0)])
def test_a_correct_gradient_never_reads_wrong_at_large_weights(data, D, m, scale, seed):
    """Settings where entries above 10⁻⁷ were judged against FD's rounding alone and read ✗: truncation (estimated from
    h and 2h) is part of FD's own error too."""
    X, y = core.make_dataset(data, m, D, seed)
    W, b = core.init_params(D, 3, seed, scale=scale)
    checks = layer.layer_checks(X, y, W, b, 1e-4)
    assert False not in [c.ok for c in checks], [(c.name, c.value) for c in checks]


def test_a_missing_one_over_m_fails_the_check(monkeypatch):
    """The claims are computed: the batch's sum against the mean's finite differences is flagged."""
    X, y, W, b = batch(7)
    real = layer.layer_grads
    monkeypatch.setattr(layer, "layer_grads", lambda X, y, W, b, reduction="mean": real(X, y, W, b, "sum"))
    assert [c.ok for c in layer.layer_checks(X, y, W, b)] == [False, False, False]  # each off by the factor m = 6


def test_shapes_table_for_a_batch():
    t = layer.shapes_table(7, 4, 3)
    rows = dict(zip(t["array"], t["shape"], strict=True))
    assert rows["∂L/∂W"].endswith("= (3, 4)") and rows["∂L/∂X"].endswith("= (7, 4)") and rows["Z"].endswith("= (7, 3)")
    assert rows["∂L/∂b"] == "(3,)" and len(t["formula"]) == len(t["array"])
    X, y, W, b = batch(8, m=7, D=4, n=3)
    g = layer.layer_grads(X, y, W, b)
    assert str(g.dL_dW.shape) in rows["∂L/∂W"] and str(g.dL_dX.shape) in rows["∂L/∂X"]


@given(st.lists(st.floats(-20, 20), min_size=2, max_size=6), st.integers(0, 5), st.sampled_from([0.2, 1.0, 4.0]))
def test_expected_minus_observed_is_the_ce_gradient(z, y, T):
    y = y % len(z)
    eo = layer.expected_minus_observed(z, y, T)
    S = core.softmax(z, T)
    np.testing.assert_array_equal(eo.expected, eo.S @ eo.onehots)
    np.testing.assert_allclose(eo.expected, S, rtol=1e-15, atol=1e-300)  # E_S[e_k] = S
    np.testing.assert_allclose(eo.lse_grad, S, rtol=1e-14, atol=1e-300)  # = ∇LSE, computed as LSE's gradient
    np.testing.assert_allclose(eo.grad, core.cross_entropy_grad(np.asarray(z) / T, y) / T, rtol=1e-14, atol=1e-15)
    assert f"z{'₁₂₃₄₅₆'[y]}" in eo.sentence


def test_sampling_the_one_hots_converges_to_S():
    out = layer.sampled_expectation((2.0, 1.0, 0.1), draws=4000, seed=3)
    assert out["mean"].shape == (4000, 3) and out["count"][-1] == 4000
    np.testing.assert_allclose(out["mean"].sum(axis=1), 1.0)
    assert out["error"][-1] < 0.05 and out["error"][-1] < out["error"][9]
    again = layer.sampled_expectation((2.0, 1.0, 0.1), draws=4000, seed=3)
    np.testing.assert_array_equal(out["mean"], again["mean"])  # the seed decides


def test_bad_inputs_are_refused_with_a_message():
    with pytest.raises(ValueError, match="target class"):
        layer.expected_minus_observed((1.0, 2.0), 2)
    with pytest.raises(ValueError, match="draws"):
        layer.sampled_expectation((1.0, 2.0), 0)
    X, y, W, b = batch(9)
    with pytest.raises(ValueError, match="W must have shape"):
        layer.layer_grads(X, y, W[:, :2], b)


def test_expected_minus_observed_has_no_stray_T_in_its_prose():
    """Reader 9, finding 17: 'pushes down every class by what the model expects of it/T'."""
    text = layer.expected_minus_observed((2.0, 2.0, -1.0), 2, 0.1).sentence
    assert "of it/T" not in text and "divided by T," not in text
    assert "the gradient (S − e₃)/T pushes down every class k by what the model expects of it, Sₖ/T," in text
    assert "(S − e₁) pushes down every class k by what the model expects of it, Sₖ," in (
        layer.expected_minus_observed((2.0, 1.0, 0.1), 0, 1.0).sentence)


def test_expected_minus_observed_keeps_the_target_entry_at_saturation():
    """Issue #25's claims grid: at z = (40, −40, 0) the table's ∂L/∂z₁ = S₁ − 1 printed 0 beside the sentence's
    (1 − S₁) = 4.25×10⁻¹⁸; exact, it is −Σ_{k≠1} S_k."""
    from tests.oracles import mp_rest, mp_softmax

    want = -float(mp_rest(mp_softmax([40.0, -40.0, 0.0]), 0))
    got = layer.expected_minus_observed([40.0, -40.0, 0.0], 0).grad[0]
    assert abs(got - want) <= 1e-14 * abs(want), (got, want)


def test_expected_minus_observed_names_the_push_it_prints_at_saturation():
    """z = (40, −40, 0), y = 1: the table's ∂L/∂z₁ is −(S₂ + S₃) = −4.25×10⁻¹⁸, the push the sentence above it names
    (it printed 0 beside +1.8×10⁻³⁵ and +4.2×10⁻¹⁸: S₁ − 1 rounds to 0)."""
    e = layer.expected_minus_observed((40.0, -40.0, 0.0), 0)
    S = core.softmax((40.0, -40.0, 0.0))
    assert e.grad[0] == -(S[1] + S[2]) and e.grad[0] != 0
    assert core.fmt.prose(-e.grad[0]) in e.sentence
