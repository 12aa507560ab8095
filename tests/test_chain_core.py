"""core.chain: the path sum equals the VJP and the closed forms; the network's gradient two ways; drawing helpers."""

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays
from oracles import central_diff_grad, complex_step_grad, ref_softmax

import core
from core import chain

logit_rows = st.integers(2, 10).flatmap(
    lambda n: arrays(np.float64, n, elements=st.floats(-30, 30, allow_nan=False, allow_infinity=False)))


def ref_ce(z, y):
    return -np.log(ref_softmax(z)[y])


def ref_mse(z, y):
    S = ref_softmax(z)
    return np.sum((S - np.eye(S.size)[y]) ** 2)


@given(logit_rows, st.data(), st.sampled_from([0.5, 1.0, 3.0]))
def test_path_sum_equals_vjp_and_cross_entropy_grad(z, data, T):
    y = data.draw(st.integers(0, z.size - 1))
    cp = chain.chain_paths(z, y, "cross_entropy", T)
    if not cp.cancelled:
        assert np.allclose(cp.P.sum(axis=0), cp.vector, atol=1e-12)
        assert np.allclose(cp.P, cp.g[:, None] * core.jacobian(z, T), equal_nan=False)
    assert np.allclose(cp.total, core.cross_entropy_grad(np.asarray(z) / T, y) / T, atol=1e-12)
    assert np.allclose(cp.total, cp.closed, atol=1e-12)


@given(logit_rows, st.data())
def test_mse_path_sum_matches_vjp_closed_form_and_finite_differences(z, data):
    y = data.draw(st.integers(0, z.size - 1))
    cp = chain.chain_paths(z, y, "mse")
    assert np.allclose(cp.total, cp.vector, atol=1e-12)
    assert np.allclose(cp.total, cp.closed, atol=1e-12)
    assert np.allclose(cp.total, core.mse_grad(z, y), atol=1e-12)
    assert np.allclose(cp.total, central_diff_grad(lambda v: ref_mse(v, y), z), atol=1e-6)


def test_the_paths_against_the_complex_step_oracle():
    z = np.array([2.0, 1.0, 0.1, -1.0])
    for loss, f in (("cross_entropy", ref_ce), ("mse", ref_mse)):
        for y in range(4):
            cp = chain.chain_paths(z, y, loss)
            assert np.allclose(cp.total, complex_step_grad(lambda v, y=y, f=f: f(v, y), z), atol=1e-13)


def test_only_the_target_path_survives_for_cross_entropy():
    cp = chain.chain_paths([2.0, 1.0, 0.1], 1, "cross_entropy")
    assert np.count_nonzero(cp.g) == 1 and np.all(cp.P[[0, 2]] == 0)
    cp = chain.chain_paths([2.0, 1.0, 0.1], 1, "mse")
    assert np.all(cp.g != 0) and np.count_nonzero(cp.P) == 9
    assert not np.allclose(cp.total, cp.S - cp.Y)  # MSE does not collapse to S - y


@pytest.mark.parametrize("z, y", [([1e6, -1e6, 0.0], 1), ([800.0, 0.0, -800.0], 2), ([0.0, -745.2, 3.0], 1)])
def test_extreme_logits_still_give_s_minus_y(z, y):
    cp = chain.chain_paths(z, y, "cross_entropy")
    assert cp.cancelled and np.isneginf(cp.g[y])
    assert np.all(np.isfinite(cp.P)) and np.all(np.isnan(cp.vector))
    assert np.allclose(cp.total, cp.S - cp.Y) and cp.max_diff_closed == 0
    lines = chain.collapse_lines(cp, y, "cross_entropy")
    assert len(lines) == 3 and all("nan" not in line.lower() for line in lines)


def test_bad_inputs_are_readable_errors():
    with pytest.raises(ValueError, match="loss"):
        chain.chain_paths([1.0, 2.0], 0, "hinge")
    with pytest.raises(ValueError, match="one row"):
        chain.chain_paths([[1.0, 2.0]], 0)


def test_ce_keeps_its_gradient_when_confidently_wrong_and_mse_does_not():
    d = chain.grad_vs_drop([2.0, 1.0, 0.1], 0)
    assert np.all(np.diff(d["zy"]) < 0) and 2.0 in d["zy"]
    assert np.all(np.diff(d["S_y"]) <= 1e-15)  # S_y falls as z_y drops
    far = np.argmin(d["zy"])
    assert d["ce"][far] > 0.99 and d["mse"][far] < 1e-5 * d["ce"][far]
    assert d["ce"][0] < 0.01 and d["mse"][0] < 0.01  # confidently right: neither pushes
    # each point agrees with the loss gradients of core
    k = len(d["zy"]) // 3
    z = np.array([d["zy"][k], 1.0, 0.1])
    assert d["ce"][k] == pytest.approx(abs(core.cross_entropy_grad(z, 0)[0]))
    assert d["mse"][k] == pytest.approx(abs(core.mse_grad(z, 0)[0]))
    # a current z_y whose pushes float64 cannot draw on the log axes is left out rather than squashing the sweep
    assert chain.grad_vs_drop([-1e6, 1.0, 0.1], 0)["zy"].min() > -100
    assert chain.grad_vs_drop([1e6, 1.0, 0.1], 0)["zy"].max() < 100


@pytest.mark.parametrize(("z", "y", "T"), [((40.0, -40.0, 0.0), 0, 1.0), ((10.0, 0.0, 0.0), 0, 1.0),
                                           ((-10.0, 2.0, 1.0), 0, 0.5), ((2.0, 10.0, -10.0), 2, 0.1)])
def test_the_drop_sweep_reaches_the_students_point_wherever_float64_can_draw_it(z, y, T):
    """Every chart that marks the student's point contains it: z₁ = 40 at z = (40, −40, 0) is 34 past the window's
    top, z₁ = 10 (the slider's end) 4 past it; the point is in the sweep, its values are core's, and the window is
    still covered."""
    d = chain.grad_vs_drop(z, y, T)
    zs = d["zy"]
    assert z[y] in zs and np.all(np.diff(zs) < 0)
    top = max(v for k, v in enumerate(z) if k != y)
    assert zs.max() >= top + 6 * T - 1e-9 and zs.min() <= top - 16 * T + 1e-9
    k = int(np.flatnonzero(zs == z[y])[0])
    # the pushes in closed form, every term of one sign: with r = Σ_{k≠y} S_k = 1 − S_y, CE's is r/T and MSE's
    # |Σᵢ 2(Sᵢ − yᵢ) ∂Sᵢ/∂z_y| = 2 S_y (r² + Σ_{k≠y} S_k²)/T
    S = core.softmax(z, T)
    rest = [S[i] for i in range(len(z)) if i != y]
    assert d["ce"][k] == pytest.approx(math.fsum(rest) / T, rel=1e-12)
    assert d["mse"][k] == pytest.approx(2 * S[y] * (math.fsum(rest) ** 2 + math.fsum(v * v for v in rest)) / T, rel=1e-12)
    assert min(d["ce"][k], d["mse"][k], d["S_y"][k]) > 0


@pytest.mark.parametrize("loss", list(core.LOSSES))
@pytest.mark.parametrize("D", [2, 5])
def test_network_gradient_two_ways_agree(loss, D):
    X, y = core.make_dataset("overlap", 20, D, 3)
    W, b = core.init_params(D, 3, 4, scale=1.0)
    for r in (0, 17, 59):
        sg = chain.sample_grad(X[r], y[r], W, b, loss)
        assert sg.max_diff < 1e-14
        Z = X[r][None] @ W.T + b
        fn = core.cross_entropy if loss == "cross_entropy" else core.mse
        fd = central_diff_grad(lambda w, r=r, fn=fn: fn(X[r][None] @ w.T + b, [y[r]]), W)
        assert np.allclose(sg.dW_shortcut, fd, atol=1e-8)
        assert np.allclose(sg.S, core.softmax(Z[0]))
    bW, bb, overflow = chain.batch_grad_explicit(X, y, W, b, loss)
    _, cW, cb = core.loss_and_grad(X, np.eye(3)[y], W, b, loss)
    assert overflow == 0 and np.abs(bW - cW).max() < 1e-14 and np.abs(bb - cb).max() < 1e-14
    gap, none = chain.batch_grad_gap(X, y, W, b, loss)  # the page's metric: the same comparison
    assert none == 0 and gap == max(np.abs(bW - cW).max(), np.abs(bb - cb).max())


def test_explicit_route_overflow_is_counted_not_hidden():
    X = np.array([[1000.0, 0.0], [0.0, 1.0]])
    W = np.array([[1.0, 0.0], [0.0, 0.0], [-1.0, 0.0]])
    b = np.zeros(3)
    _, _, overflow = chain.batch_grad_explicit(X, np.array([2, 0]), W, b)
    assert overflow == 1 and chain.batch_grad_gap(X, np.array([2, 0]), W, b)[1] == 1
    sg = chain.sample_grad(X[0], 2, W, b)
    assert np.isnan(sg.max_diff) and np.all(np.isfinite(sg.delta_shortcut))


def test_projection_and_region_polygons():
    X, _ = core.make_dataset("blobs", 30, 2, 0)
    origin, axes = chain.project_2d(X)
    assert np.array_equal(axes, np.eye(2)) and np.all(origin == 0)
    X5, _ = core.make_dataset("blobs", 30, 5, 0)
    o5, a5 = chain.project_2d(X5)
    assert a5.shape == (2, 5) and np.allclose(a5 @ a5.T, np.eye(2)) and np.allclose(o5, X5.mean(axis=0))
    W, b = core.init_params(2, 3, 0, scale=1.0)
    box = (-6.0, 6.0, -5.0, 5.0)
    polys = chain.region_polygons(W, b, origin, axes, box)
    area = lambda p: 0.5 * abs(np.dot(p[:, 0], np.roll(p[:, 1], 1)) - np.dot(p[:, 1], np.roll(p[:, 0], 1))) if len(p) else 0.0
    assert sum(area(p) for p in polys) == pytest.approx(12 * 10)  # the regions tile the box
    rng = np.random.default_rng(0)
    for u in rng.uniform([-6, -5], [6, 5], size=(50, 2)):  # a point lies in the polygon of its predicted class
        k = int(core.predict(u[None], W, b)[0])
        p = polys[k]
        cross = [(p[(i + 1) % len(p)][0] - p[i][0]) * (u[1] - p[i][1]) - (p[(i + 1) % len(p)][1] - p[i][1]) * (u[0] - p[i][0])
                 for i in range(len(p))]
        assert min(cross) >= -1e-9 or max(cross) <= 1e-9


@pytest.mark.parametrize("D", [2, 5])
def test_region_frames_cover_the_data_and_tile_the_box(D):
    X, y = core.make_dataset("spirals", 20, D, 3)
    W0, b0 = core.init_params(D, 3, 1, scale=2.0)
    h = core.train(X, y, W0, b0, 0.5, 30, "cross_entropy")
    U, box, polys = chain.region_frames(X, h.snapshot_W, h.snapshot_b, pad=0.1)
    origin, axes = chain.project_2d(X)
    assert np.allclose(U, (X - origin) @ axes.T)
    u0, u1, v0, v1 = box
    span = max(np.ptp(U[:, 0]), np.ptp(U[:, 1]))
    assert u0 == pytest.approx(U[:, 0].min() - 0.1 * span) and v1 == pytest.approx(U[:, 1].max() + 0.1 * span)
    assert len(polys) == len(h.snapshot_epochs) and all(len(p) == 3 for p in polys)
    area = lambda p: 0.5 * abs(np.dot(p[:, 0], np.roll(p[:, 1], 1)) - np.dot(p[:, 1], np.roll(p[:, 0], 1))) if len(p) else 0.0
    for frame in polys:  # every snapshot's regions tile the box
        assert sum(area(p) for p in frame) == pytest.approx((u1 - u0) * (v1 - v0))


def test_confidently_wrong_counts_samples_with_a_tiny_true_output():
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, 0.0]])
    W = 10.0 * np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    b = np.zeros(3)
    # S_y of each sample from the definition, then the fraction under the threshold
    Z = X @ W.T + b
    S = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    for y in (np.array([0, 1, 2, 0]), np.array([2, 2, 0, 1])):
        want = np.mean(S[np.arange(4), y] < 0.01)
        assert chain.confidently_wrong(X, y, W, b) == pytest.approx(want)
    assert chain.confidently_wrong(X, np.array([2, 2, 0, 1]), W, b) == pytest.approx(0.75)  # the tie (row 4) is 1/3


def test_num_formats_for_latex():
    assert chain.num(0.659) == "0.659"
    assert chain.num(-1.2e-5) == r"-1.2\times10^{-5}"
    assert chain.num(float("-inf")) == r"-\infty" and chain.num(float("nan")) == r"\text{NaN}"
    assert chain.num(0.0) == "0" and chain.num(-0.0) == "0"


# ---- core.reader: the linearisation written out, and its verdict ----------------------------------------


def test_row_nudge_latex_prints_the_row_the_nudges_and_their_sum():
    """The LaTeX's underbraced factors are row i of J (complex step, not core.jacobian) times Δz, and its result
    is Σ_j J_ij Δz_j; on a phone each term gets its own line; beyond n = 3 two terms and "…"."""
    import re

    from core import reader
    from core.derivation import complex_step_partial

    for z, i in (((2.0, 1.0, 0.1), 0), ((8.0, 0.0, -8.0), 2), ((1.0, 1.0, 0.0, -1.0, 0.5), 1)):
        rn = reader.row_nudge(z, i, 0.3)
        tex = reader.row_nudge_latex(rn, i)
        row = [complex_step_partial(z, i, j) for j in range(len(z))]
        terms = re.findall(r"\\underbrace\{\(?([^{}()]+(?:\{[^}]*\})?)\)?\}_\{\\partial S_\{(\d+)\}/\\partial z_\{(\d+)\}\}"
                           r"\\cdot\(?([-\d.]+)\)?", tex)
        assert len(terms) == (len(z) if len(z) <= 3 else 2) and ("\\dots" in tex) == (len(z) > 3)
        for k, (a, si, zj, dz) in enumerate(terms):
            assert (int(si), int(zj)) == (i + 1, k + 1)
            mant, _, exp = a.partition(r"\times10^")
            value = float(mant) * 10.0 ** int(exp.strip("{}") or 0)
            assert value == pytest.approx(row[k], rel=1e-3, abs=1e-300)
            assert float(dz) == pytest.approx(0.3 * (-0.5) ** k)
        # the sum, its terms and their value on three lines (on one they ran past a 1366 px laptop's column); the terms
        # one a line as on a phone where a factor is a power of ten (z = (8, 0, −8): J₃₁ = −1.1×10⁻⁷)
        on_phone = 2 + min(len(z), 3) - 1
        assert tex.endswith(r"\end{aligned}") and tex.count(r"\\ &") == (on_phone if r"\times" in tex else 2)
        assert reader.row_nudge_latex(rn, i, phone=True).count(r"\\ &") == on_phone


def test_linearisation_caption_ticks_only_a_close_prediction():
    from core import reader

    small, large = reader.row_nudge((2.0, 1.0, 0.1), 0, 0.05), reader.row_nudge((2.0, 1.0, 0.1), 0, 2.0)
    assert abs(small.actual - small.predicted) <= 0.05 * abs(small.actual)
    assert reader.linearisation_caption(small).startswith("✓ Within 5 % of the true change: ")  # the mark says its test
    assert abs(large.actual - large.predicted) > 0.05 * abs(large.actual)
    assert reader.linearisation_caption(large).startswith("⚠ More than 5 % off the true change: ")
    still = reader.row_nudge((3.0, -1.0), 0, 0.5, "uniform")  # a uniform shift moves nothing, and J predicts that
    assert reader.linearisation_caption(still).startswith("✓ The true change is")


def test_mse_paths_keep_their_digits_at_saturation():
    """z = (40, −40, 0), MSE, y = 1: g₁ = 2(S₁ − 1) is −2(S₂ + S₃) ≈ −8.5×10⁻¹⁸, not the 0 that S₁ − 1 rounds to; every
    path g_i ∂S_i/∂z_j is within 1e-12 relative of 60-digit arithmetic (the paths via S₁ were 0)."""
    import mpmath as mp

    z = [40.0, -40.0, 0.0]
    cp = chain.chain_paths(z, 0, "mse")
    with mp.workdps(60):
        e = [mp.e ** mp.mpf(v) for v in z]
        S = [v / sum(e) for v in e]
        for i in range(3):
            for j in range(3):
                true = float(2 * (S[i] - (i == 0)) * S[i] * ((i == j) - S[j]))
                assert cp.P[i, j] == pytest.approx(true, rel=1e-12, abs=0), (i, j)
    assert cp.g[0] == pytest.approx(-2 * (cp.S[1] + cp.S[2]), rel=1e-15) and cp.g[0] != 0


@pytest.mark.parametrize("loss", ["cross_entropy", "mse"])
def test_delta_subscripts_with_two_digits_take_a_comma(loss):
    """Reader 9, finding 10: at n = 10 the line for z₁₀ printed \\delta_{710}, which renders δ₇₁₀."""
    z, T, y = np.array([9, -6, 3.5, -2, 0, 5, -8.5, 1, -4, 7.0]), 1.5, 6
    cp = chain.chain_paths(z, y, loss, T)
    lines = chain.collapse_lines(cp, y, loss, T)
    assert r"\delta_{710}" not in lines[9] and r"\delta_{i10}" not in lines[9]
    assert r"\delta_{i,10}" in lines[9]
    if loss == "cross_entropy":
        assert r"\delta_{7,10}" in lines[9] and r"\delta_{73}" in lines[2]
    assert chain.delta_indices(3, "j") == "3j" and chain.delta_indices(10, "j") == "10,j"


def test_a_collapse_line_holds_as_printed_without_float64_noise():
    """Reader 9, findings 7 and 8: '= 1/0.1 (0.5 − 0) = 4.9999999999998' at z = (2, 2, −1), T = 0.1 (S₁ = 0.5 − 2.3×10⁻¹⁴).
    The result is printed to the figures of its terms, its trailing zeros kept: 5.000, which 10 × 0.5 gives."""
    z, T, y = np.array([2.0, 2.0, -1.0]), 0.1, 2
    lines = chain.collapse_lines(chain.chain_paths(z, y, "cross_entropy", T), y, "cross_entropy", T)
    assert r"(0.5 - 0) = 5.000" in lines[0] and "4.99999" not in lines[0] and r"\approx" not in lines[0], lines[0]
    plain = chain.collapse_lines(chain.chain_paths((2.0, 1.0, 0.1), 0, "cross_entropy", 1.0), 0, "cross_entropy", 1.0)
    assert all(r"\approx" not in line for line in plain)


@pytest.mark.parametrize(("z", "T", "y"), [((2.0, 1.0, 0.1, -1.0, -2.0), 2.5, 0), ((2.0, 1.0, 0.1), 1.0, 0),
                                           ((2.0, 1.0, 0.1), 0.7, 1), ((3.0, -1.0, 0.5, 2.0), 0.3, 3)])
def test_a_collapse_line_gives_its_printed_result_from_its_printed_numbers(z, T, y):
    """At z = (2, 1, 0.1, −1, −2), T = 2.5 the line read "(1/2.5)(0.3786 − 1) = −0.2485", which works out to −0.2486:
    S_j takes a decimal more where 4 do not give the printed result once divided by T."""
    import re

    lines = chain.collapse_lines(chain.chain_paths(z, y, "cross_entropy", T), y, "cross_entropy", T)
    worked = [re.search(r"\((-?[\d.]+) - ([01])\) = (-?[\d.]+)\\end\{aligned\}$", line) for line in lines]
    assert sum(m is not None for m in worked) >= 2
    for m, line in zip(worked, lines, strict=True):
        if m:  # a line that shows S_j − y_j itself (S_j rounded to y_j) has nothing to work out
            assert chain.num((float(m[1]) - int(m[2])) / T, 4) == m[3], line
