"""core.scale (batch shapes, block-diagonal batch J, exact costs) against independent computations, and the At scale
page in AppTest: its numbers are recomputed here, its widgets drive its figures and the URL."""

import numpy as np
import pytest
from apptest_util import arr, charts, open_page
from hypothesis import given, settings
from hypothesis import strategies as st

import core
from core import scale
from figures.scale_figs import block_heatmap, cost_figure
from figures.spec import strict

PAGE = "pages/at_scale.py"


def test_strip_shapes_and_gradient_match_the_training_code_and_finite_differences():
    X, y = core.make_dataset("blobs", 10, 4, 1)
    W, b = core.init_params(4, 3, 2, scale=1.0)
    s = scale.shape_strip(X, y, W, b)
    m = X.shape[0]
    assert s.Z.shape == s.S.shape == s.delta.shape == (m, 3) and s.dW.shape == (3, 4) and s.db.shape == (3,)
    _, dW, db = core.loss_and_grad(X, np.eye(3)[y], W, b, "cross_entropy")
    np.testing.assert_allclose(s.dW, dW, atol=1e-15)
    np.testing.assert_allclose(s.db, db, atol=1e-15)

    def loss(Wv, bv):  # mean cross-entropy from its definition
        Z = X @ Wv.T + bv
        return float(np.mean(np.log(np.exp(Z).sum(axis=1)) - Z[np.arange(m), y]))

    h = 1e-6
    fd = np.zeros_like(W)
    for i in range(3):
        for j in range(4):
            E = np.zeros_like(W)
            E[i, j] = h
            fd[i, j] = (loss(W + E, b) - loss(W - E, b)) / (2 * h)
    np.testing.assert_allclose(s.dW, fd, atol=1e-8)


@settings(max_examples=30, deadline=None)
@given(m=st.integers(1, 5), K=st.integers(2, 5), seed=st.integers(0, 10_000))
def test_batch_jacobian_is_the_complex_step_jacobian_of_the_flattened_softmax(m, K, seed):
    Z = np.random.default_rng(seed).normal(0, 2, (m, K))
    Jb = scale.batch_jacobian(Z)
    h = 1e-30
    cs = np.zeros((m * K, m * K))
    for c in range(m * K):
        Zc = Z.astype(complex).ravel()
        Zc[c] += 1j * h
        Zc = Zc.reshape(m, K)
        e = np.exp(Zc - Z.max(axis=1, keepdims=True))
        cs[:, c] = (e / e.sum(axis=1, keepdims=True)).imag.ravel() / h
    np.testing.assert_allclose(Jb, cs, atol=1e-15)
    mask = np.kron(np.eye(m), np.ones((K, K)))
    assert np.all(Jb[mask == 0] == 0)  # exactly 0 off the blocks
    # the VJP row by row equals gᵀ J_batch for a random (not all-ones) upstream gradient
    g = np.random.default_rng(seed + 1).normal(size=(m, K))
    np.testing.assert_allclose(g.ravel() @ Jb, core.vjp(Z, g).ravel(), atol=1e-14)


def count_ops(n: int) -> tuple[int, int]:
    """Operations of forming J then gᵀJ, and of the VJP, counted one by one in plain loops (not core.scale's formula)."""
    ops_j = 0
    for i in range(n):
        for j in range(n):
            ops_j += 1  # S_i * S_j
            if i == j:
                ops_j += 1  # S_i − S_i S_i
    for _j in range(n):  # (gᵀJ)_j = Σ_i g_i J_ij
        ops_j += n + (n - 1)
    ops_v = n + (n - 1)  # g·S
    ops_v += n  # g − (g·S)
    ops_v += n  # S ⊙ (...)
    return ops_j, ops_v


@pytest.mark.parametrize("n", [2, 3, 10, 57])
def test_cost_counts_are_exact(n):
    c = scale.cost(n)
    assert (c.j_flops, c.vjp_flops) == count_ops(n)
    assert c.j_entries == n * n
    assert c.j_bytes32 == np.empty((n, n), np.float32).nbytes and c.j_bytes64 == np.empty((n, n)).nbytes
    assert c.vjp_bytes64 == np.empty(n).nbytes
    assert scale.cost(n, m=7).j_bytes64 == 7 * c.j_bytes64


def test_a_50000_vocabulary():
    c = scale.cost(50_000)
    assert c.j_entries == 2_500_000_000
    assert c.j_bytes32 == 10 * 10**9 and c.j_bytes64 == 20 * 10**9  # 10 GB and 20 GB (decimal)


def test_figures_are_valid_specs():
    Z = np.random.default_rng(0).normal(size=(4, 3))
    ns = np.logspace(0.5, 6, 20)
    for dark in (False, True):
        strict(block_heatmap(scale.batch_jacobian(Z), 4, 3, dark))
        strict(block_heatmap(scale.batch_jacobian(Z[:1]), 1, 3, dark))
        strict(cost_figure(ns, 4 * ns**2, 8 * ns**2, 8 * ns, 50_000, dark))


def test_page_numbers_are_recomputed_independently():
    at = open_page(PAGE, {"data": "overlap", "D": "3", "m": "20", "dseed": "4", "iseed": "5", "wscale": "3", "bm": "3"})
    assert not at.exception
    X, y = core.make_dataset("overlap", 20, 3, 4)
    W, b = core.init_params(3, 3, 5, scale=3.0)
    Z = X @ W.T + b
    S = np.exp(Z - Z.max(axis=1, keepdims=True))
    S /= S.sum(axis=1, keepdims=True)
    strip = at.table[0].value
    assert list(strip["shape"]) == ["60 × 3", "3 × 3", "3", "60 × 3", "60 × 3", "60 × 3", "60 × 3", "3 × 3", "3"]
    delta = (S - np.eye(3)[y]) / 60
    assert strip["largest |entry|"].iloc[7] == f"{np.abs(delta.T @ X).max():.3g}"
    fig = next(f for t, f in charts(at).items() if t.startswith("J of a batch of m = 3"))
    Jb = np.asarray(arr(fig["data"][0]["z"]), dtype=float).reshape(9, 9)
    for r in range(3):
        blk = Jb[3 * r:3 * r + 3, 3 * r:3 * r + 3]
        np.testing.assert_allclose(blk, np.diag(S[r]) - np.outer(S[r], S[r]), atol=1e-15)
    assert np.count_nonzero(Jb * (1 - np.kron(np.eye(3), np.ones((3, 3))))) == 0


def test_widgets_drive_the_figures_and_the_url():
    at = open_page(PAGE)
    text = next(m.value for m in at.markdown if m.value.startswith("**At n = 50,000**"))
    assert "2,500,000,000 entries" in text and "10 GB in float32" in text and "20 GB in float64" in text
    at.slider(key="w_bm").set_value(2).run()
    assert not at.exception and at.query_params["bm"] == "2"
    assert any(t.startswith("J of a batch of m = 2") for t in charts(at))
    at.number_input(key="w_vocab").set_value(1_000_000).run()
    assert at.query_params["vocab"] == "1000000"
    text = next(m.value for m in at.markdown if m.value.startswith("**At n = 1,000,000**"))
    assert "4 TB in float32" in text and "8 TB in float64" in text
    at.selectbox(key="w_data").set_value("spirals").run()
    assert at.query_params["data"] == "spirals" and not at.exception


@pytest.mark.parametrize("query", [{"vocab": "2", "bm": "1"}, {"vocab": "x", "bm": "99"}, {"D": "10", "m": "200", "bm": "8"},
                                   {"present": "1"}])
def test_any_link_renders(query):
    at = open_page(PAGE, query)
    assert not at.exception


def test_a_step_draws_its_own_figure_and_no_other():
    at = open_page(PAGE, {"step": "2", "bm": "1"})
    assert not at.exception
    assert list(charts(at)) == ["J of a batch of m = 1: one 3×3 block per sample"]  # not the cost chart
    assert "all 9 entries can be non-zero" in " ".join(c.value for c in at.caption)
    assert at.slider[0].key == "w_bm"  # the step's own control comes first, beside its figure
    at = open_page(PAGE, {"step": "3"})
    assert [t.startswith("Memory per row") for t in charts(at)] == [True]
    assert not at.get("selectbox"), "the cost does not depend on the data set: no data controls"
    at = open_page(PAGE, {"step": "1"})
    assert not charts(at) and at.table[0].value["shape"].iloc[0] == "150 × 2"
