"""PyTorch's autograd as an independent oracle (float64, CPU): the log-softmax Jacobian, and ∂L/∂W, ∂L/∂b, ∂L/∂X of a
batch through z = Wx + b with the mean cross-entropy (the Training page's loss). torch is pinned in
requirements-dev.txt; these tests run, they are not skipped."""

import numpy as np
import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from core import gradcheck, layer, network
from core import logsoftmax as ls

EPS = np.finfo(float).eps
SETTINGS = [((2.0, 1.0, 0.1), 1.0), ((2.0, 1.0, 0.1), 0.1), ((2.0, 1.0, 0.1), 10.0), ((1.0, 1.0, 0.0), 1.0),
            ((1.0, 1.0, 1.0), 1.0), ((40.0, -40.0, 0.0), 1.0), ((1000.0, 0.0, -1000.0), 1.0), ((8.0, 0.0, -8.0), 0.3),
            ((3.0, -1.0, 0.5, 2.0), 0.7), (tuple(np.linspace(2, -1, 10)), 2.0)]
MAX_ERR = {}  # the largest error seen per comparison, printed by the last test (pytest -s)


def _t(a, grad: bool = False) -> torch.Tensor:
    return torch.tensor(np.asarray(a, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


def _note(key: str, value: float) -> None:
    MAX_ERR[key] = max(MAX_ERR.get(key, 0.0), float(value))


def torch_log_softmax_jacobian(z, T):
    return torch.autograd.functional.jacobian(lambda x: torch.log_softmax(x / T, dim=-1), _t(z)).numpy()


@pytest.mark.parametrize(("z", "T"), SETTINGS)
def test_log_softmax_jacobian_matches_autograd(z, T):
    mine, ref = ls.log_softmax_jacobian(z, T), torch_log_softmax_jacobian(z, T)
    err = np.abs(mine - ref)
    _note("log-softmax J: max |mine − torch| · T", (err * T).max())
    # entries are (δ − S_j)/T: an absolute error of a few ulps of 1/T, and relatively tiny where S_j is tiny
    np.testing.assert_allclose(mine, ref, rtol=1e-13, atol=4 * EPS / T)
    assert np.abs(ref - ref.T).max() > 0 or np.allclose(mine, mine.T)  # torch agrees: not symmetric (unless uniform)


@given(st.lists(st.floats(-30, 30), min_size=2, max_size=8), st.sampled_from([0.1, 0.5, 1.0, 3.0]),
       st.integers(0, 10_000))
def test_log_softmax_vjp_matches_autograd_with_random_upstream(z, T, seed):
    g = np.random.default_rng(seed).standard_normal(len(z))  # never all ones
    x = _t(z, grad=True)
    torch.log_softmax(x / T, dim=-1).backward(_t(g))
    mine = ls.log_softmax_vjp(z, g, T)
    _note("log-softmax VJP: max |mine − torch| / (Σ|g|/T)", np.abs(mine - x.grad.numpy()).max() / (np.abs(g).sum() / T))
    np.testing.assert_allclose(mine, x.grad.numpy(), rtol=1e-12, atol=4 * EPS * np.abs(g).sum() / T)


def torch_layer(X, y, W, b, reduction="mean"):
    Xt, Wt, bt = _t(X, True), _t(W, True), _t(b, True)
    loss = torch.nn.functional.cross_entropy(Xt @ Wt.T + bt, torch.tensor(np.asarray(y), dtype=torch.long),
                                             reduction=reduction)
    loss.backward()
    return float(loss.detach()), Wt.grad.numpy(), bt.grad.numpy(), Xt.grad.numpy()


def _batch(seed: int, m: int, D: int, n: int, scale: float = 1.0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((m, D)), rng.integers(0, n, m), scale * rng.standard_normal((n, D)),
            scale * rng.standard_normal(n))


@pytest.mark.parametrize("reduction", ["mean", "sum"])
@pytest.mark.parametrize(("seed", "m", "D", "n", "scale"), [(0, 1, 2, 3, 1.0), (1, 7, 4, 3, 1.0), (2, 50, 2, 3, 0.3),
                                                            (3, 12, 5, 4, 1.0), (4, 9, 3, 3, 40.0), (5, 6, 2, 10, 3.0)])
def test_layer_gradients_match_autograd(seed, m, D, n, scale, reduction):
    X, y, W, b = _batch(seed, m, D, n, scale)
    g = layer.layer_grads(X, y, W, b, reduction)
    loss, dW, db, dX = torch_layer(X, y, W, b, reduction)
    assert g.loss == pytest.approx(loss, rel=1e-13, abs=1e-300)
    for name, mine, ref in (("dL/dW", g.dL_dW, dW), ("dL/db", g.dL_db, db), ("dL/dX", g.dL_dX, dX)):
        scale_ = max(np.abs(ref).max(), 1e-300)
        _note(f"{name} ({reduction}): max |mine − torch| / max |torch|", np.abs(mine - ref).max() / scale_)
        np.testing.assert_allclose(mine, ref, rtol=1e-12, atol=1e-14 * scale_)
        assert mine.shape == ref.shape


def test_layer_ties_to_the_training_page_for_the_same_weights():
    X, y, W, b = _batch(11, 30, 2, 3)
    g = layer.layer_grads(X, y, W, b)
    _, dW, db = network.loss_and_grad(X, np.eye(3)[y], W, b)
    np.testing.assert_allclose(g.dL_dW, dW, rtol=1e-14, atol=1e-16)
    np.testing.assert_allclose(g.dL_db, db, rtol=1e-14, atol=1e-16)
    _, dWt, _, _ = torch_layer(X, y, W, b)  # and torch's mean cross-entropy gives the same step
    np.testing.assert_allclose(dW, dWt, rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize(("z", "T"), SETTINGS[:8])
@pytest.mark.parametrize("y", [0, 2])
def test_gradcheck_analytic_subjects_match_autograd(z, T, y):
    """core.gradcheck's analytic derivatives (what the sweep is measured against) are autograd's."""
    ref_J = torch.autograd.functional.jacobian(lambda x: torch.softmax(x / T, -1), _t(z)).numpy()
    np.testing.assert_allclose(gradcheck.analytic(z, "softmax", y, T), ref_J, rtol=1e-12, atol=4 * EPS / T)
    x = _t(z, grad=True)
    torch.nn.functional.cross_entropy((x / T)[None, :], torch.tensor([y])).backward()
    np.testing.assert_allclose(gradcheck.analytic(z, "ce", y, T), x.grad.numpy(), rtol=1e-12, atol=4 * EPS / T)


def test_zz_report_the_largest_errors_seen():
    """Not a check: prints the largest error of every comparison above (run with -n 0 -s to read them)."""
    if not MAX_ERR:  # under pytest-xdist the comparisons may have run in another worker
        pytest.skip("the comparisons ran in another worker: run this file with -n 0 -s to read the errors")
    for key, value in sorted(MAX_ERR.items()):
        print(f"{key}: {value:.2e}")
