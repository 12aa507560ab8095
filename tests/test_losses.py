"""Cross-entropy and MSE through softmax: values, gradients against oracles, the chain rule."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from oracles import central_diff_grad, complex_step_grad, ref_softmax

import core


def ref_ce(Z, Y):
    """Mean cross-entropy from the definition, complex-safe: -mean_r sum_k Y log S."""
    return -np.sum(Y * np.log(ref_softmax(Z))) / Z.shape[0]


def ref_mse(Z, Y):
    return np.sum((ref_softmax(Z) - Y) ** 2) / Z.shape[0]


def case(seed, m=5, K=4, soft=False):
    rng = np.random.default_rng(seed)
    Z = rng.normal(0, 2, size=(m, K))
    if soft:
        Y = ref_softmax(rng.normal(size=(m, K)))
        return Z, Y, Y
    y = rng.integers(0, K, size=m)
    return Z, y, np.eye(K)[y]


# each loss in core.LOSSES: (value, gradient, the reference from the definition)
FUNCS = {"cross_entropy": (core.cross_entropy, core.cross_entropy_grad, ref_ce), "mse": (core.mse, core.mse_grad, ref_mse)}


@pytest.mark.parametrize("loss", list(core.LOSSES))
@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("soft", [False, True])
def test_value_and_gradient(loss, seed, soft):
    value, gradient, ref = FUNCS[loss]
    Z, y, Y = case(seed, soft=soft)
    assert value(Z, y) == pytest.approx(ref(Z, Y), rel=1e-14)
    grad = gradient(Z, y)
    assert np.max(np.abs(grad - complex_step_grad(lambda x: ref(x, Y), Z))) < 1e-15
    assert np.max(np.abs(grad - central_diff_grad(lambda x: value(x, y), Z))) < 1e-9
    if loss == "cross_entropy":  # the collapse the Chain rule page teaches
        assert np.allclose(grad, (core.softmax(Z) - Y) / Z.shape[0], atol=1e-17)


def test_single_row_with_scalar_label():
    z = np.array([2.0, 1.0, 0.1])
    assert core.cross_entropy(z, 0) == pytest.approx(-np.log(core.softmax(z)[0]))
    assert core.cross_entropy_grad(z, 0).shape == (3,)
    assert np.allclose(core.cross_entropy_grad(z, 0), core.softmax(z) - [1, 0, 0])
    assert np.allclose(core.cross_entropy_grad(z, [0.2, 0.3, 0.5]), core.softmax(z) - [0.2, 0.3, 0.5])
    assert core.mse_grad(z, 2).shape == (3,)


def test_path_sum_equals_vjp_and_collapses_to_S_minus_y():
    rng = np.random.default_rng(7)
    for _ in range(20):
        n = int(rng.integers(2, 11))
        z, y = rng.normal(0, 3, n), int(rng.integers(0, n))
        g = core.dL_dS(z, y, "cross_entropy")
        P = core.path_products(z, g)
        assert np.allclose(P.sum(axis=0), core.vjp(z, g), atol=1e-14)
        assert np.allclose(P.sum(axis=0), core.cross_entropy_grad(z, y), atol=1e-14)
        g_mse = core.dL_dS(z, y, "mse")
        assert np.allclose(core.path_products(z, g_mse).sum(axis=0), core.mse_grad(z, y), atol=1e-15)


@pytest.mark.parametrize(
    "logits, y, msg",
    [([1.0, 2.0], 2, "0..1"), ([1.0, 2.0], -1, "0..1"), (np.zeros((3, 2)), [0, 1], "shape"), ([1.0, 2.0], 0.5, "whole"),
     ([[]], [0], "empty"), ([1.0, np.nan], 0, "NaN"), ([1.0, 2.0], "a", "labels"), ([1.0, 2.0], [-0.5, 1.5], ">= 0")],
)
def test_bad_loss_input_raises_value_error(logits, y, msg):
    for fn in (core.cross_entropy, core.cross_entropy_grad, core.mse, core.mse_grad):
        with pytest.raises(ValueError, match=msg):
            fn(logits, y)


def test_confidently_wrong_keeps_a_strong_ce_gradient_but_not_mse():
    z = np.array([-8.0, 4.0, 0.0])  # the right class (0) has the lowest logit
    ce, ms = np.abs(core.cross_entropy_grad(z, 0)[0]), np.abs(core.mse_grad(z, 0)[0])
    assert ce > 0.99 and ms < 0.01


@given(st.integers(2, 8), st.integers(1, 6), st.integers(0, 10_000))
def test_ce_gradient_is_S_minus_Y_over_m(K, m, seed):
    rng = np.random.default_rng(seed)
    Z, y = rng.normal(0, 5, size=(m, K)), rng.integers(0, K, size=m)
    assert np.allclose(core.cross_entropy_grad(Z, y), (core.softmax(Z) - np.eye(K)[y]) / m, atol=1e-16)


def test_dL_dS_with_an_underflowed_target_is_minus_inf_without_warnings():
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        g = core.dL_dS([0.0, 800.0, 0.0], 0, "cross_entropy")  # S_0 = e^-800 underflows to 0
        g_sub = core.dL_dS([0.0, 730.0, 0.0], 0, "cross_entropy")  # S_0 is subnormal: -1/S_0 overflows
    assert g[0] == -np.inf and g[1] == g[2] == 0.0
    assert g_sub[0] == -np.inf


def test_one_loss_registry():
    """core.LOSSES is the one list: the URL parameter offers exactly its keys, and every function that takes a loss
    name accepts each of them and rejects anything else with the same message."""
    from core import chain, state

    assert state.TABLE["loss"].choices == tuple(core.LOSSES) == ("cross_entropy", "mse")
    assert all(v.label and v.long for v in core.LOSSES.values())
    X, y = core.make_dataset("blobs", 5, 2, 0)
    W, b = core.init_params(2, 3, 0)
    z = np.array([1.0, 0.5, -0.5])
    for loss in core.LOSSES:
        assert core.check_loss(loss) == loss
        assert core.dL_dS(z, 0, loss).shape == (3,)
        assert chain.chain_paths(z, 0, loss).closed.shape == (3,)
        assert core.LOSSES[loss].label in core.train(X, y, W, b, 0.1, 2, loss).message
    for call in (lambda: core.check_loss("hinge"), lambda: core.dL_dS(z, 0, "hinge"),
                 lambda: chain.chain_paths(z, 0, "hinge"), lambda: core.train(X, y, W, b, 0.1, 2, "hinge")):
        with pytest.raises(ValueError, match="loss must be one of 'cross_entropy', 'mse', got 'hinge'"):
            call()
