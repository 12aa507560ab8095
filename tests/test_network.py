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
    for loss in ("cross_entropy", "mse"):
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


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
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
