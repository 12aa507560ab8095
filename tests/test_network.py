"""The toy network's training loop and data sets."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from oracles import central_diff_grad

import core


def setup(seed=0, name="blobs", D=2):
    X, y = core.make_dataset(name, 30, D, seed)
    W, b = core.init_params(D, 3, seed)
    return X, y, W, b


def test_loss_and_grad_matches_finite_differences_for_both_losses():
    X, y, W, b = setup(3)
    Y = np.eye(3)[y]
    for loss in core.LOSSES:
        _, dW, db = core.loss_and_grad(X, Y, W, b, loss)
        fn = core.cross_entropy if loss == "cross_entropy" else core.mse
        assert np.allclose(dW, central_diff_grad(lambda w, fn=fn: fn(X @ w.T + b, y), W), atol=1e-9)
        assert np.allclose(db, central_diff_grad(lambda bb, fn=fn: fn(X @ W.T + bb, y), b), atol=1e-9)


def test_history_shapes_and_no_mutation():
    X, y, W, b = setup()
    copies = [a.copy() for a in (X, y, W, b)]
    h = core.train(X, y, W, b, lr=0.5, epochs=50, snapshot_every=10)
    for a, c in zip((X, y, W, b), copies, strict=False):
        assert np.array_equal(a, c)
    assert len(h.loss) == len(h.accuracy) == 51
    assert h.loss[0] == pytest.approx(core.cross_entropy(X @ W.T + b, y))
    assert list(h.snapshot_epochs) == [0, 10, 20, 30, 40, 50]
    assert h.snapshot_W.shape == (6, 3, 2) and h.snapshot_b.shape == (6, 3)
    assert np.array_equal(h.snapshot_W[-1], h.W) and not h.diverged
    assert h.snapshots[0][0] == 0 and np.array_equal(h.snapshots[0][1], W)
    # entry t is the loss *after* t updates
    W1 = W - 0.5 * core.loss_and_grad(X, np.eye(3)[y], W, b)[1]
    b1 = b - 0.5 * core.loss_and_grad(X, np.eye(3)[y], W, b)[2]
    assert h.loss[1] == pytest.approx(core.cross_entropy(X @ W1.T + b1, y), rel=1e-13)


@pytest.mark.parametrize("loss", list(core.LOSSES))
def test_loss_falls_and_blobs_are_learned(loss):
    X, y, W, b = setup()
    h = core.train(X, y, W, b, lr=0.5 if loss == "cross_entropy" else 5.0, epochs=200, loss=loss)
    assert h.loss[-1] < 0.1 * h.loss[0]
    assert h.accuracy[-1] == 1.0


def test_deterministic_for_a_seed():
    a, b_ = core.train(*setup(5), 0.3, 40), core.train(*setup(5), 0.3, 40)
    assert np.array_equal(a.loss, b_.loss) and np.array_equal(a.W, b_.W)
    assert not np.array_equal(core.make_blobs(10, seed=1)[0], core.make_blobs(10, seed=2)[0])


def test_huge_learning_rate_is_reported_as_diverged_not_raised():
    X, y, W, b = setup(0, "overlap")
    h = core.train(X, y, W, b, lr=1e5, epochs=100)
    assert h.diverged and h.diverged_at is not None and h.diverged_at <= 100
    assert len(h.loss) == h.diverged_at + 1
    assert "lower the learning rate" in h.message and f"epoch {h.diverged_at}" in h.message
    assert np.all(np.isfinite(h.W)) and np.all(np.isfinite(h.loss[:-1]))


def test_overflowing_weights_are_reported():
    X, y, W, b = setup(0, "overlap")
    h = core.train(X * 1e150, y, W, b, lr=1e160, epochs=10)
    assert h.diverged
    assert (not np.isfinite(h.loss[-1])) or h.loss[-1] > core.DIVERGENCE_LOSS


@pytest.mark.parametrize(
    "kwargs, msg",
    [({"lr": 0}, "learning rate"), ({"lr": np.nan}, "learning rate"), ({"epochs": -1}, "epochs"),
     ({"epochs": 2.5}, "epochs"), ({"loss": "hinge"}, "loss")],
)
def test_bad_training_arguments(kwargs, msg):
    X, y, W, b = setup()
    args = {"lr": 0.1, "epochs": 5} | kwargs
    with pytest.raises(ValueError, match=msg):
        core.train(X, y, W, b, **args)


def test_empty_or_mismatched_data():
    W, b = core.init_params(2)
    with pytest.raises(ValueError, match="non-empty"):
        core.train(np.zeros((0, 2)), np.zeros(0, int), W, b, 0.1, 5)
    with pytest.raises(ValueError, match="shape"):
        core.train(np.zeros((4, 3)), np.zeros(4, int), W, b, 0.1, 5)
    with pytest.raises(ValueError, match=r"0\.\.2"):
        core.train(np.zeros((2, 2)), [0, 7], W, b, 0.1, 5)


def test_degenerate_data_trains_without_crashing():
    # every point identical: the best a linear model can do is the class frequencies
    X, y = np.ones((6, 2)), np.array([0, 0, 1, 1, 2, 2])
    h = core.train(X, y, *core.init_params(2), 1.0, 300)
    assert np.all(np.isfinite(h.loss)) and h.loss[-1] == pytest.approx(np.log(3), abs=1e-3)


@given(st.integers(0, 10_000), st.sampled_from(["blobs", "overlap", "spirals"]))
def test_small_lr_decreases_loss(seed, name):
    X, y, W, b = setup(seed, name)
    h = core.train(X, y, W, b, lr=0.05, epochs=20)
    assert np.all(np.diff(h.loss) <= 1e-12)


def test_datasets():
    for name in core.DATASETS:
        X, y = core.make_dataset(name, 20, 4, 3)
        assert X.shape == (60, 4) and y.shape == (60,) and set(y) == {0, 1, 2}
        assert np.array_equal(X, core.make_dataset(name, 20, 4, 3)[0])
    with pytest.raises(ValueError, match="unknown"):
        core.make_dataset("moons")


# ---- the training loop against a reference loop written from the definitions ----------------------------------
# core.train is written for speed (augmented [W b], transposed logits, fused calls). This loop is written for
# reading: Z = X W^T + b, S = softmax(Z), the mean loss, and dL/dZ through the chain rule with the explicit
# Jacobian J = diag(S) - S S^T for MSE. The two must agree to float rounding in every field of the History.

def as_targets(y, K):
    y = np.asarray(y)
    return np.eye(K)[y] if y.ndim == 1 else np.asarray(y, float)  # labels -> one-hot; else a target distribution


def reference_step(X, Y, W, b, lr, loss):
    """(loss, accuracy, W_next, b_next) from the definitions; loss inf and accuracy NaN when Z is not finite."""
    m = X.shape[0]
    with np.errstate(all="ignore"):
        Z = X @ W.T + b
        if not np.all(np.isfinite(Z)):
            return np.inf, np.nan, None, None
        shifted = Z - Z.max(axis=1, keepdims=True)
        log_S = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))  # log-sum-exp
        S = np.exp(log_S)
        if loss == "cross_entropy":
            L = -np.sum(Y * log_S) / m
            # dL/dS = -Y / (m S); times J = diag(S) - S S^T, row by row: (S * sum_k Y_k - Y) / m
            dL_dZ = (S * Y.sum(axis=1, keepdims=True) - Y) / m
        else:
            L = np.sum((S - Y) ** 2) / m
            g = 2 * (S - Y) / m  # dL/dS
            J = np.stack([np.diag(s) - np.outer(s, s) for s in S])  # (m, K, K), J[r, i, j] = dS_i/dz_j
            dL_dZ = np.einsum("ri,rij->rj", g, J)  # the chain rule: sum over i of dL/dS_i dS_i/dz_j
        acc = np.mean(np.argmax(Z, axis=1) == np.argmax(Y, axis=1)) if np.isfinite(L) else np.nan
        return L, acc, W - lr * (dL_dZ.T @ X), b - lr * dL_dZ.sum(axis=0)


def reference_train(X, y, W, b, lr, epochs, loss, every):
    """The whole loop: (losses, accuracies, W, b, [(epoch, W, b) snapshots], diverged_at)."""
    Y = as_targets(y, W.shape[0])
    losses, accs, snaps = [], [], []
    good, diverged_at = (0, W, b), None
    for t in range(epochs + 1):
        L, acc, W_new, b_new = reference_step(X, Y, W, b, lr, loss)
        losses.append(L)
        accs.append(acc)
        if not np.isfinite(L) or L > core.DIVERGENCE_LOSS:
            diverged_at = t
            break
        good = (t, W, b)
        if t % every == 0 or t == epochs:
            snaps.append((t, W, b))
        if t == epochs:
            break
        if not (np.all(np.isfinite(W_new)) and np.all(np.isfinite(b_new))):
            losses.append(np.inf)
            accs.append(np.nan)
            diverged_at = t + 1
            break
        W, b = W_new, b_new
    if diverged_at is not None:
        W, b = good[1], good[2]
        if not snaps or snaps[-1][0] != good[0]:
            snaps.append(good)
    return np.array(losses), np.array(accs), W, b, snaps, diverged_at


def assert_same_history(X, y, W, b, lr, epochs, loss, every, tol=1e-12):
    """The whole run: for runs whose gradient descent does not amplify rounding (not chaotic), to ~1e-12."""
    h = core.train(X, y, W, b, lr, epochs, loss, snapshot_every=every)
    losses, accs, W_ref, b_ref, snaps, diverged_at = reference_train(X, y, W, b, lr, epochs, loss, every)
    assert h.diverged_at == diverged_at and h.diverged == (diverged_at is not None)
    assert len(h.loss) == len(losses) and np.array_equal(np.isfinite(h.loss), np.isfinite(losses))
    fin = np.isfinite(losses)
    np.testing.assert_allclose(h.loss[fin], losses[fin], rtol=tol, atol=tol)
    np.testing.assert_array_equal(h.loss[~fin], losses[~fin])
    np.testing.assert_array_equal(h.accuracy, accs)  # exact: the same argmax of the same logits (NaN where no loss)
    np.testing.assert_allclose(h.W, W_ref, rtol=tol, atol=tol)
    np.testing.assert_allclose(h.b, b_ref, rtol=tol, atol=tol)
    assert list(h.snapshot_epochs) == [t for t, _, _ in snaps]
    np.testing.assert_allclose(h.snapshot_W, np.array([w for _, w, _ in snaps]), rtol=tol, atol=tol)
    np.testing.assert_allclose(h.snapshot_b, np.array([bb for _, _, bb in snaps]), rtol=tol, atol=tol)
    return h


@pytest.mark.parametrize("loss, lr", [("cross_entropy", 0.5), ("mse", 5.0)])
def test_page_default_run_equals_the_reference_loop(loss, lr):
    X, y = core.make_dataset("blobs", 50, 2, 0)
    W, b = core.init_params(2, 3, 0)
    h = assert_same_history(X, y, W, b, lr, 200, loss, every=5)
    assert not h.diverged


@pytest.mark.parametrize("loss", list(core.LOSSES))
def test_soft_targets_equal_the_reference_loop(loss):
    X, y = core.make_dataset("overlap", 20, 3, 1)
    rng = np.random.default_rng(1)
    soft = rng.dirichlet(np.ones(3), size=len(y))  # a target distribution per row
    unnormalised = 2.0 * rng.random((len(y), 3))  # rows need not sum to 1: CE then keeps the factor sum_k Y_k
    for Y in (soft, unnormalised):
        assert_same_history(X, Y, *core.init_params(3, 3, 1), 0.3, 60, loss, every=7)


def test_divergence_equals_the_reference_loop():
    X, y, W, b = setup(0, "overlap")
    h = assert_same_history(X, y, W, b, 1e5, 100, "cross_entropy", every=10)  # a huge, finite loss
    assert h.diverged and "effectively inf" in h.message
    h = assert_same_history(X * 1e150, y, W, b, 1e160, 10, "cross_entropy", every=1)  # weights overflow
    assert h.diverged and "inf" in h.message
    h = assert_same_history(X * 1e300, y, W * 1e10, b, 0.1, 5, "mse", every=1)  # the logits themselves overflow
    assert h.diverged_at == 0 and np.isinf(h.loss[0]) and np.isnan(h.accuracy[0])


@given(
    st.integers(1, 12), st.integers(1, 4), st.integers(2, 4), st.integers(0, 25),
    st.sampled_from(["labels", "soft", "unnormalised"]), st.sampled_from(list(core.LOSSES)),
    st.sampled_from([0.05, 0.5, 2.0, 1e4, 1e9]), st.sampled_from([1.0, 10.0]), st.booleans(), st.integers(0, 2**32 - 1),
)
def test_every_epoch_of_train_equals_a_reference_step(m, D, K, epochs, target, loss, lr, scale, zero_init, seed):
    """Any shapes, targets and learning rates, epoch by epoch. With a large lr gradient descent can be chaotic and
    amplify the last bit of rounding by orders of magnitude over a run (the old loop differed from this reference
    by up to 7e-7 on such runs, the new one by 1.8e-6), so each epoch is checked from train's own weights: the
    reference's loss, accuracy and update from snapshot t must give train's loss t and snapshot t + 1."""
    rng = np.random.default_rng(seed)
    X = scale * rng.standard_normal((m, D))
    if target == "labels":
        y = rng.integers(0, K, m)
    else:
        y = rng.dirichlet(np.ones(K), size=m) if target == "soft" else 3.0 * rng.random((m, K))
    W, b = (np.zeros((K, D)), np.zeros(K)) if zero_init else (rng.standard_normal((K, D)), rng.standard_normal(K))
    copies = [np.array(a, copy=True) for a in (X, y, W, b)]
    h = core.train(X, y, W, b, lr, epochs, loss, snapshot_every=1)
    for a, c in zip((X, y, W, b), copies, strict=True):
        assert np.array_equal(a, c)  # inputs never mutated
    Y, n = as_targets(y, K), len(h.snapshot_epochs)
    assert list(h.snapshot_epochs) == list(range(n)) and np.array_equal(h.W, h.snapshot_W[-1])
    assert np.array_equal(h.b, h.snapshot_b[-1]) and np.array_equal(h.snapshot_W[0], W)
    assert len(h.loss) == (epochs + 1 if not h.diverged else h.diverged_at + 1)
    # the rounding of an update is relative to the size of its terms, not of its sum (which can cancel to ~0):
    # every entry of dL/dZ is below 4 (1 + sum_k Y_k) / m for both losses, and dL/dW sums m of them times X
    step_size = lr * max(1.0, np.abs(X).max()) * 4 * (1 + Y.sum(axis=1).max())
    W_t, b_t = W, b
    for t in range(len(h.loss)):
        L, acc, W_next, b_next = reference_step(X, Y, W_t, b_t, lr, loss)
        assert np.isfinite(L) == np.isfinite(h.loss[t])
        if np.isfinite(L):
            assert h.loss[t] == pytest.approx(L, rel=1e-12, abs=1e-14)
        assert np.array_equal(h.accuracy[t], acc, equal_nan=True)  # exact: the argmax of the same logits
        sane = np.isfinite(L) and L <= core.DIVERGENCE_LOSS
        assert sane == (t < n)  # train stops at the first insane loss, and keeps every sane epoch's weights
        if t + 1 < len(h.loss):
            assert sane
            finite = np.all(np.isfinite(W_next)) and np.all(np.isfinite(b_next))
            if t + 1 < n:  # train's next weights are the reference's update, to rounding (relative to the terms)
                assert finite
                atol = 1e-12 * max(np.abs(W_t).max(), np.abs(b_t).max(), step_size)
                np.testing.assert_allclose(h.snapshot_W[t + 1], W_next, rtol=0, atol=atol)
                np.testing.assert_allclose(h.snapshot_b[t + 1], b_next, rtol=0, atol=atol)
                W_t, b_t = h.snapshot_W[t + 1], h.snapshot_b[t + 1]
            elif finite:  # the last entry is the insane loss of the reference's next weights
                W_t, b_t = W_next, b_next
            else:  # the update overflowed: train records inf at t + 1 without a forward pass
                assert np.isinf(h.loss[t + 1]) and np.isnan(h.accuracy[t + 1])
                break
    if h.diverged:
        assert h.diverged_at == len(h.loss) - 1 and f"epoch {h.diverged_at}" in h.message


# ---- the readable step Training's "Show the code" shows ------------------------------------------------------


@pytest.mark.parametrize("name, loss, lr", [("blobs", "cross_entropy", 0.5), ("blobs", "mse", 5.0),
                                            ("spirals", "cross_entropy", 2.0), ("overlap", "mse", 1.0)])
def test_looping_the_shown_step_gives_train_s_history(name, loss, lr):
    """core.gradient_step, epoch after epoch from the same start, gives core.train's losses, accuracies and every
    snapshot of the weights (the page shows the readable step; it runs the fast one)."""
    X, y = core.make_dataset(name, 50, 2, 0)
    W, b = core.init_params(2, 3, 0)
    h = core.train(X, y, W, b, lr, 120, loss, snapshot_every=1)
    assert not h.diverged and len(h.loss) == 121
    Y = np.eye(3)[y]
    for t in range(121):
        np.testing.assert_allclose(W, h.snapshot_W[t], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(b, h.snapshot_b[t], rtol=1e-12, atol=1e-12)
        assert np.mean(core.predict(X, W, b) == y) == h.accuracy[t]
        L, W, b = core.gradient_step(X, Y, W, b, lr, loss)
        np.testing.assert_allclose(L, h.loss[t], rtol=1e-12, atol=1e-12)


@given(st.integers(1, 12), st.integers(1, 4), st.integers(2, 5), st.sampled_from(list(core.LOSSES)),
       st.sampled_from([0.01, 0.5, 3.0]), st.integers(0, 2**32 - 1))
def test_the_shown_step_equals_the_reference_step(m, D, K, loss, lr, seed):
    """One step of core.gradient_step against the reference written from the definitions (explicit Jacobian)."""
    rng = np.random.default_rng(seed)
    X, W, b = rng.standard_normal((m, D)), rng.standard_normal((K, D)), rng.standard_normal(K)
    Y = np.eye(K)[rng.integers(0, K, m)]
    L, W_next, b_next = core.gradient_step(X, Y, W, b, lr, loss)
    L_ref, _, W_ref, b_ref = reference_step(X, Y, W, b, lr, loss)
    np.testing.assert_allclose(L, L_ref, rtol=1e-12)
    np.testing.assert_allclose(W_next, W_ref, rtol=1e-12, atol=1e-12 * lr * max(1.0, np.abs(X).max()))
    np.testing.assert_allclose(b_next, b_ref, rtol=1e-12, atol=1e-12 * lr)


def test_success_only_when_the_loss_fell_and_the_accuracy_rose():
    """A run whose loss creeps down at 0 % accuracy is "stalled", not a success (the page styled it green)."""
    X, y = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([1, 0])
    W, b = np.array([[10.0, 0.0], [0.0, 10.0], [0.0, 0.0]]), np.zeros(3)  # both samples start confidently wrong
    for loss in core.LOSSES:
        h = core.train(X, y, W, b, 1e-6, 1, loss)
        assert h.loss[-1] < h.loss[0] and h.accuracy[-1] == h.accuracy[0] == 0.0
        assert not h.improved and h.outcome == "stalled" and "the accuracy did not rise" in h.message
        assert "1 epoch:" in h.message
    good = core.train(X, y, np.zeros((3, 2)), b, 1.0, 50)
    assert good.improved and good.outcome == "improved" and good.message.endswith("%.")
