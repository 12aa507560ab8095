"""Log-sum-exp, the fused cross-entropy, soft targets, distillation and the reader's row: every gradient against
independent oracles (the complex step of a definition written here, central differences of core's own value),
random upstream gradients, and hypothesis properties."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from oracles import central_diff_grad, complex_step_grad, ref_softmax

import core
from core import lse, reader


def ref_lse(x):
    """log Σ e^x from the definition (complex-safe shift by the real max), last axis."""
    x = np.asarray(x)
    m = np.max(x.real, axis=-1, keepdims=True)
    return (m + np.log(np.sum(np.exp(x - m), axis=-1, keepdims=True)))[..., 0]


def ref_log_softmax(x):
    return np.log(ref_softmax(x))


TEMPS = (0.1, 0.5, 1.0, 2.0, 10.0)


@pytest.mark.parametrize("T", TEMPS)
@pytest.mark.parametrize("seed", range(4))
def test_logsumexp_gradient_is_softmax_over_T(seed, T):
    rng = np.random.default_rng(seed)
    Z = rng.normal(0, 3, size=(4, 5))
    g = rng.normal(size=4)  # a random upstream gradient per row, never all-ones
    assert np.allclose(core.logsumexp(Z, T), ref_lse(Z / T), rtol=1e-14, atol=1e-13)
    grad = core.logsumexp_grad(Z, T)
    assert np.allclose(grad, core.softmax(Z, T) / T, atol=0)
    cs = complex_step_grad(lambda x: g @ ref_lse(x / T), Z)
    assert np.max(np.abs(g[:, None] * grad - cs)) < 1e-13
    fd = central_diff_grad(lambda x: g @ core.logsumexp(x, T), Z, h=1e-6)
    assert np.max(np.abs(g[:, None] * grad - fd)) < 1e-6


def test_logsumexp_axis_and_shapes():
    Z = np.arange(12.0).reshape(3, 4)
    assert core.logsumexp(Z, axis=0).shape == (4,)
    assert np.allclose(core.logsumexp(Z, axis=0), ref_lse(Z.T))
    assert np.ndim(core.logsumexp([1.0, 2.0])) == 0


@pytest.mark.parametrize("scale", [1e3, 1e4, 1e6, 1e100])
@pytest.mark.parametrize("T", TEMPS)
def test_logsumexp_is_finite_and_exact_far_out(scale, T):
    z = np.array([1.0, 0.0, -1.0]) * scale
    if not np.isfinite(scale / T):
        pytest.skip("z / T overflows float64 itself")
    assert core.logsumexp(z, T) == pytest.approx(scale / T, rel=1e-15)  # the other terms are below eps
    assert np.all(np.isfinite(core.logsumexp_grad(z, T)))
    assert core.ce_lse(z, 2, T) == pytest.approx(2 * scale / T, rel=1e-15)  # LSE − z_3/T, no inf


@given(st.lists(st.floats(-1e4, 1e4), min_size=2, max_size=10), st.floats(0.1, 10), st.floats(-1e4, 1e4))
def test_logsumexp_properties(z, T, c):
    z = np.array(z)
    v = float(core.logsumexp(z, T))
    top = z.max() / T
    assert top - 1e-9 * max(1, abs(top)) <= v <= top + math.log(z.size) + 1e-9 * max(1, abs(top))
    assert np.isfinite(core.logsumexp_grad(z, T)).all()
    assert core.logsumexp_grad(z, T).sum() * T == pytest.approx(1.0, abs=1e-12)
    # shift: LSE(z + c) = LSE(z) + c/T
    assert float(core.logsumexp(z + c, T)) == pytest.approx(v + c / T, rel=1e-9, abs=1e-7)


@pytest.mark.parametrize("T", TEMPS)
def test_smooth_max_tends_to_max_and_its_gradient_to_the_argmax(T):
    z = np.array([2.0, 1.0, 0.1])
    sm = float(core.smooth_max(z, T))
    assert z.max() <= sm <= z.max() + T * math.log(3)
    assert np.allclose(core.smooth_max_grad(z, T), core.softmax(z, T))
    cs = complex_step_grad(lambda x: T * ref_lse(x / T), z)
    assert np.max(np.abs(core.smooth_max_grad(z, T) - cs)) < 1e-14
    assert float(core.smooth_max(z, 1e-3)) == pytest.approx(2.0, abs=1e-12)


def test_smooth_max_at_a_tie_keeps_log_k_and_splits_the_argmax():
    z = np.array([1.0, 1.0, 0.0])
    for T in (0.1, 0.01, 0.001):
        assert float(core.smooth_max(z, T)) - 1.0 == pytest.approx(T * math.log(2), rel=1e-3)
        assert np.allclose(core.smooth_max_grad(z, T)[:2], 0.5, atol=1e-4)


@pytest.mark.parametrize("T", TEMPS)
@pytest.mark.parametrize("kind", ["label", "smoothed", "teacher"])
def test_fused_cross_entropy_and_its_gradient(kind, T):
    rng = np.random.default_rng(7)
    z = rng.normal(0, 2, 5)
    q = {"label": 3, "smoothed": core.smooth_targets(3, 5, 0.2), "teacher": ref_softmax(rng.normal(0, 2, 5))}[kind]
    row = np.eye(5)[3] if kind == "label" else q
    ref = lambda x: -np.sum(row * ref_log_softmax(x / T))
    assert core.ce_lse(z, q, T) == pytest.approx(float(ref(z)), rel=1e-13)
    grad = core.ce_lse_grad(z, q, T)
    assert np.max(np.abs(grad - complex_step_grad(ref, z))) < 1e-14
    assert np.max(np.abs(grad - central_diff_grad(lambda x: core.ce_lse(x, q, T), z))) < 1e-7
    assert np.allclose(grad, (core.softmax(z, T) - row) / T, atol=1e-16)


def test_fused_cross_entropy_equals_the_path_sum_of_the_chain_rule():
    from core import chain

    for z, y, T in (([2, 1, 0.1], 0, 1.0), ([1, 1, 0], 1, 0.1), ([8, 0, -8], 2, 10.0), ([1000, 0, -1000], 2, 1.0)):
        paths = chain.chain_paths(z, y, "cross_entropy", T).total
        assert np.max(np.abs(paths - core.ce_lse_grad(z, y, T))) < 1e-15


def test_smooth_targets_is_pytorchs_definition():
    q = core.smooth_targets(1, 4, 0.1)
    assert np.allclose(q, [0.025, 0.925, 0.025, 0.025]) and q.sum() == pytest.approx(1.0)
    assert np.allclose(core.smooth_targets([0, 2], 3, 0.0), np.eye(3)[[0, 2]])
    assert np.allclose(core.smooth_targets(0, 3, 1.0), 1 / 3)
    for bad in ((3, 3, 0.1), (0, 3, 1.5), (0, 3, -0.1), (0.5, 3, 0.1)):
        with pytest.raises(ValueError):
            core.smooth_targets(*bad)


@given(st.integers(2, 10), st.floats(1e-3, 0.999), st.floats(0.1, 10))
def test_smoothing_gap_is_the_minimum_of_the_smoothed_loss(n, eps, T):
    d = core.smoothing_gap(n, eps, T)
    z = np.zeros(n)
    z[0] = d
    q = core.smooth_targets(0, n, eps)
    assert np.allclose(core.softmax(z, T), q, atol=1e-12)  # the optimum reproduces q
    assert np.max(np.abs(core.ce_lse_grad(z, q, T))) < 1e-12  # the gradient vanishes there
    curve = lse.smoothing_loss_vs_gap(n, eps, [d - 0.1 * T, d, d + 0.1 * T], T)
    assert curve["smoothed"][1] <= curve["smoothed"][0] and curve["smoothed"][1] <= curve["smoothed"][2]
    assert np.all(np.diff(lse.smoothing_loss_vs_gap(n, eps, [0, T, 2 * T], T)["onehot"]) < 0)


def test_smoothing_gap_edges():
    assert core.smoothing_gap(3, 0.0) == math.inf and core.smoothing_gap(3, 1.0) == 0.0
    assert core.smoothing_gap(3, 0.1) == pytest.approx(math.log(0.9333333333333333 / 0.0333333333333333))


def test_smoothing_curve_slope_against_finite_differences():
    d = np.linspace(-3, 9, 25)
    c = lse.smoothing_loss_vs_gap(4, 0.1, d, 0.5)
    fd = (lse.smoothing_loss_vs_gap(4, 0.1, d + 1e-6, 0.5)["smoothed"]
          - lse.smoothing_loss_vs_gap(4, 0.1, d - 1e-6, 0.5)["smoothed"]) / 2e-6
    assert np.max(np.abs(c["grad_smoothed"] - fd)) < 1e-7


@pytest.mark.parametrize("T", TEMPS)
def test_distillation_loss_and_its_T_squared_gradient(T):
    rng = np.random.default_rng(3)
    zs, zt = rng.normal(0, 2, 4), rng.normal(0, 2, 4)
    q = ref_softmax(zt / T)
    ref = lambda x: T * T * np.sum(q * (np.log(q) - ref_log_softmax(x / T)))
    assert core.distill_loss(zs, zt, T) == pytest.approx(float(ref(zs)), rel=1e-12, abs=1e-15)
    grad = core.distill_loss_grad(zs, zt, T)
    assert np.max(np.abs(grad - complex_step_grad(ref, zs))) < 1e-12
    assert np.allclose(grad, T * T * core.ce_lse_grad(zs, q, T), atol=1e-14)
    assert core.distill_loss(zt, zt, T) == pytest.approx(0.0, abs=1e-12)


def test_the_T_squared_factor_keeps_the_gradient_size_at_high_T():
    zs, zt = np.array([1.0, 2.0, 3.0]), np.array([3.0, 1.0, 0.0])
    centred = (zs - zs.mean()) - (zt - zt.mean())
    for T in (20.0, 50.0, 100.0):
        assert np.allclose(core.distill_loss_grad(zs, zt, T), centred / 3, rtol=0.1 * 10 / T, atol=0.02)
        plain = core.ce_lse_grad(zs, core.softmax(zt, T), T)  # without T²: shrinks like 1/T²
        assert np.allclose(plain * T * T, core.distill_loss_grad(zs, zt, T))


@pytest.mark.parametrize("n", [2, 3, 10])
def test_double_softmax_gradient_and_its_floor(n):
    rng = np.random.default_rng(n)
    z, y = rng.normal(0, 2, n), n - 1
    ref = lambda x: -ref_log_softmax(ref_softmax(x))[..., y]
    assert lse.double_softmax_ce(z, y) == pytest.approx(float(ref(z)), rel=1e-13)
    assert np.max(np.abs(lse.double_softmax_grad(z, y) - complex_step_grad(ref, z))) < 1e-14
    big = np.zeros(n)
    big[y] = 50.0
    assert lse.double_softmax_ce(big, y) == pytest.approx(lse.double_softmax_floor(n), abs=1e-12)
    assert np.max(np.abs(lse.double_softmax_grad(big, y))) < 1e-15  # saturated: no gradient, but loss stuck at the floor


def test_stability_rows_show_what_the_arithmetic_gives():
    r = lse.stability_rows([1000, 0, -1000], 2, np.float64)
    assert r["log_of_softmax"] == -math.inf and r["log_softmax"] == -2000.0
    assert np.isnan(r["grad_chain"]).all() and np.allclose(r["grad_fused"], [1, 0, -1])
    r32 = lse.stability_rows([100, 0, -100], 2, np.float32)
    assert r32["log_of_softmax"] == -math.inf and np.isfinite(r32["log_softmax"])
    assert lse.stability_rows([100, 0, -100], 2, np.float64)["log_of_softmax"] == pytest.approx(-200.0)
    r16 = lse.stability_rows([20, 0, -20], 2, np.float16)
    assert r16["log_of_softmax"] == -math.inf and r16["log_softmax"] == -40.0


@pytest.mark.parametrize("T", TEMPS)
@pytest.mark.parametrize("z", [(2.0, 1.0, 0.1), (1.0, 1.0, 0.0), (8.0, 0.0, -8.0), (3.0, -1.0, 0.5, 2.0)])
def test_reader_row_is_the_linearisation_and_sums_to_zero(z, T):
    for i in range(len(z)):
        r = reader.row_nudge(z, i, 1e-4, "mixed", T)
        cs = complex_step_grad(lambda x, i=i: ref_softmax(x / T)[..., i], np.array(z))
        assert np.max(np.abs(r.row - cs)) < 1e-14
        assert abs(r.row_sum) < 1e-15 / T * 10
        assert abs(r.predicted - r.actual) < 1e-7 / T**2 + 1e-15  # O(h²)
        u = reader.row_nudge(z, i, 0.7, "uniform", T)
        assert abs(u.actual) < 1e-15 and abs(u.predicted) < 1e-15  # a uniform shift moves nothing


def test_reader_linearisation_error_is_second_order():
    e1 = abs(reader.row_nudge([2, 1, 0.1], 0, 0.1).actual - reader.row_nudge([2, 1, 0.1], 0, 0.1).predicted)
    e2 = abs(reader.row_nudge([2, 1, 0.1], 0, 0.05).actual - reader.row_nudge([2, 1, 0.1], 0, 0.05).predicted)
    assert 3.0 < e1 / e2 < 5.0


def test_limit_at_keeps_the_tiny_excess_and_the_ties():
    from core import lse

    lim = lse.limit_at([2.0, 1.0, 0.1], 0.01)
    assert lim["one_hot"] and lim["ties"] == 1
    assert lim["excess"] == pytest.approx(0.01 * (math.exp(-100) + math.exp(-190)), rel=1e-12)  # not rounded to 0
    tie = lse.limit_at([1.0, 1.0, 0.0], 0.01)
    assert tie["ties"] == 2 and tie["excess"] == pytest.approx(0.01 * math.log(2 + math.exp(-100)), rel=1e-14)
    assert not tie["one_hot"]


@given(st.lists(st.floats(-50, 50), min_size=2, max_size=10))
def test_soft_max_sweep_stays_within_its_bounds_and_its_slope_is_softmax(z):
    """T·LSE(z/T) within [max z, max z + T log n] at every T; softmax(z/T) is its gradient (complex step of the
    reference log-sum-exp, independent of core) and sums to 1."""
    Ts = np.geomspace(10, 0.01, 7)
    sw = lse.soft_max_sweep(z, Ts)
    assert np.all(sw["smax"] >= sw["lower"] - 1e-12 * max(1.0, abs(sw["lower"])))
    assert np.all(sw["smax"] <= sw["upper"] + 1e-12 * max(1.0, abs(sw["lower"])))
    assert np.allclose(sw["S"].sum(axis=1), 1.0)
    for k, t in enumerate(Ts[:3]):  # moderate T: the complex step of exp is exact there
        zz = np.asarray(z, dtype=float)
        ref = lambda x, t=t: t * (np.max(x.real) / t + np.log(np.sum(np.exp((x - np.max(x.real)) / t))))
        assert np.allclose(complex_step_grad(ref, zz), sw["S"][k], atol=1e-9)


@pytest.mark.parametrize("n, eps, T", [(3, 0.1, 1.0), (10, 0.3, 2.0), (2, 0.05, 0.1), (3, 0.0, 1.0), (4, 1.0, 1.0)])
def test_smoothing_curve_has_its_minimum_at_d_star(n, eps, T):
    """The curve spans the minimum; L_star is the smoothed loss at d*, lower than every drawn point; at ε = 0 there is
    no minimum (d* = ∞, L_star NaN) and the curve still has finite points."""
    c = lse.smoothing_curve(n, eps, T)
    assert c["d_star"] == lse.smoothing_gap(n, eps, T)
    if math.isfinite(c["d_star"]):
        assert c["gap"][0] <= c["d_star"] <= c["gap"][-1]
        assert np.all(c["smoothed"] >= c["L_star"] - 1e-12)
        q = core.smooth_targets(0, n, eps)
        z = np.zeros(n)
        z[0] = c["d_star"]
        assert c["L_star"] == pytest.approx(core.ce_lse(z, q, T), rel=1e-12)
    else:
        assert math.isnan(c["L_star"]) and np.all(np.isfinite(c["smoothed"]))


@pytest.mark.parametrize(("z", "y"), [((40.0, -40.0, 0.0), 0), ((8.0, 0.0, -8.0), 0), ((2.0, 1.0, 0.1), 1)])
def test_double_softmax_grad_keeps_every_entry_at_saturation(z, y):
    """The double-softmax bug's gradient J(z)ᵀ(softmax(p) − y) against 60-digit arithmetic, entry by entry relative:
    written p ⊙ (r − p·r) it cancelled to 0 on the first entry at z = (40, −40, 0), where it is −2.7×10⁻¹⁸ (the page
    printed (0, 1.15×10⁻³⁵, 2.7×10⁻¹⁸), a gradient that does not sum to 0, and a norm ratio 0.45 for 0.64)."""
    import mpmath as mp

    with mp.workdps(60):
        e = [mp.e ** mp.mpf(v) for v in z]
        p = [v / sum(e) for v in e]
        q = [mp.e ** v for v in p]
        r = [v / sum(q) - (1 if k == y else 0) for k, v in enumerate(q)]
        exact = [sum(p[i] * ((1 if i == j else 0) - p[j]) * r[i] for i in range(len(z))) for j in range(len(z))]
    got = lse.double_softmax_grad(z, y)
    for g, x in zip(got, exact, strict=True):
        assert abs(g - float(x)) <= 1e-12 * abs(float(x))


@pytest.mark.parametrize(("z", "T"), [((50.0, -20.0, 0.0), 0.01), ((1000.0, 0.0, -1000.0), 1.0), ((3.0, 0.0), 0.001)])
def test_limit_at_gives_an_excess_below_float64_from_its_log(z, T):
    """T·LSE_T(z) − max z = T log1p(Σ_{k≠top} e^{(z_k − max z)/T}) is positive; where float64 holds it as 0 the page
    printed '= 0' (second reader): its log₁₀ comes from a log-sum-exp, checked against 60-digit mpmath."""
    import mpmath as mp

    from core import lse as lse_core

    lim = lse_core.limit_at(z, T)
    assert lim["excess"] == 0.0 and lim["excess_log10"] is not None
    with mp.workdps(60):
        m = max(z)
        rest = mp.fsum(mp.exp((mp.mpf(v) - m) / mp.mpf(T)) for v in z if v != m)
        want = mp.log10(mp.mpf(T) * mp.log1p(rest))
    assert abs(lim["excess_log10"] - float(want)) <= 1e-12 * abs(float(want))
    assert lse_core.limit_at((2.0, 1.0, 0.1), 0.01)["excess_log10"] is None  # 3.7×10⁻⁴⁶ is a float64: printed as it is
