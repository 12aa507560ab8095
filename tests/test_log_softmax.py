"""core.logsoftmax: the log-softmax Jacobian against the complex step and finite differences, its row against its
column, the log-derivative route to softmax's J, the fused-NLL sentence, and the claims grid. (PyTorch's autograd
as a further oracle: tests/test_torch_oracles.py.)"""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core
from core import logsoftmax as ls
from tests.oracles import central_diff_grad, complex_step_grad

EPS = np.finfo(float).eps
SETTINGS = [((2.0, 1.0, 0.1), 1.0), ((2.0, 1.0, 0.1), 0.1), ((2.0, 1.0, 0.1), 10.0), ((1.0, 1.0, 0.0), 1.0),
            ((1.0, 1.0, 1.0), 1.0), ((8.0, 0.0, -8.0), 1.0), ((40.0, -40.0, 0.0), 1.0), ((1000.0, 0.0, -1000.0), 1.0),
            ((2.0, 1.0), 1.0), ((3.0, -1.0, 0.5, 2.0), 0.7), (tuple(np.linspace(2, -1, 10)), 2.0)]
logits = st.lists(st.floats(-20, 20), min_size=2, max_size=7)
temps = st.sampled_from([0.1, 0.5, 1.0, 2.5, 10.0])


def ref_log_softmax(z, T=1.0):
    """From the definition, complex-safe: z/T − log Σ e^{z/T}, shifted by the real max."""
    x = np.asarray(z) / T
    x = x - np.max(x.real)
    return x - np.log(np.sum(np.exp(x)))


@pytest.mark.parametrize(("z", "T"), SETTINGS)
def test_jacobian_against_the_complex_step(z, T):
    J = ls.log_softmax_jacobian(z, T)
    cs = complex_step_grad(lambda x: ref_log_softmax(x, T), np.asarray(z))
    # each entry against its own size, with a floor of a few ulps of 1/T (the entries are differences of O(1/T) terms)
    np.testing.assert_allclose(J, cs, rtol=1e-13, atol=8 * EPS / T)


@given(logits, temps)
def test_jacobian_against_finite_differences(z, T):
    J = ls.log_softmax_jacobian(z, T)
    fd = central_diff_grad(lambda x: ref_log_softmax(x, T), np.asarray(z), h=1e-6 * T)
    np.testing.assert_allclose(J, fd, rtol=0, atol=1e-7 / T)


@given(logits, temps)
def test_structure(z, T):
    J = ls.log_softmax_jacobian(z, T)
    S = core.softmax(z, T)
    n = len(z)
    np.testing.assert_allclose(J.sum(axis=1), 0.0, atol=4 * n * EPS / T)  # rows: shift invariance
    np.testing.assert_allclose(J.sum(axis=0), (1 - n * S) / T, atol=4 * n * EPS / T)  # columns: not 0
    np.testing.assert_allclose(J - J.T, (S[:, None] - S[None, :]) / T, atol=4 * EPS / T)  # the asymmetry, exactly
    assert np.abs(J).max() >= 0.5 / T * (1 - 4 * EPS)  # never vanishes, unlike softmax's J


@given(logits, temps)
def test_log_route_gives_softmaxs_jacobian(z, T):
    r = ls.log_route(z, T)
    assert r["max_rel"] <= 8 * EPS
    np.testing.assert_allclose(r["route"], core.jacobian(z, T), rtol=0, atol=4 * EPS / T)


@given(logits, temps, st.integers(0, 10_000))
def test_vjp_is_g_times_J_for_random_upstream(z, T, seed):
    g = np.random.default_rng(seed).standard_normal(len(z))  # never all ones: every row gets its own weight
    np.testing.assert_allclose(ls.log_softmax_vjp(z, g, T), g @ ls.log_softmax_jacobian(z, T), rtol=1e-12,
                               atol=1e-13 * np.abs(g).sum() / T)


def test_nll_vjp_is_S_minus_y():
    z, y = np.array([2.0, 1.0, 0.1]), 1
    np.testing.assert_allclose(ls.log_softmax_vjp(z, -np.eye(3)[y], 0.5), (core.softmax(z, 0.5) - np.eye(3)[y]) / 0.5)


@pytest.mark.parametrize(("z", "T"), SETTINGS)
def test_row_and_column_differ_unless_S_is_uniform(z, T):
    z = np.asarray(z)
    rc = ls.row_and_column(z, 0, temperature=T)
    J = ls.log_softmax_jacobian(z, T)
    np.testing.assert_array_equal(rc.row, J[0, :])
    np.testing.assert_array_equal(rc.column, J[:, 0])
    np.testing.assert_array_equal(rc.row, ls.log_softmax_row(z, 0, T))
    np.testing.assert_array_equal(rc.column, ls.log_softmax_column(z, 0, T))
    uniform = np.all(core.softmax(z, T) == core.softmax(z, T)[0])
    assert (rc.gap == 0) == uniform
    assert ("same numbers" in rc.sentence) == uniform
    assert rc.row_total == pytest.approx(rc.row @ rc.dz) and rc.column_total == pytest.approx(rc.g @ rc.column)
    assert len(set(np.round(rc.dz, 12))) > 1 and len(set(np.round(rc.g, 12))) > 1  # defaults are not all equal


def test_row_predicts_the_change_of_log_S_to_first_order():
    z = np.array([0.5, -0.2, 1.3, 0.0])
    for scale in (1e-2, 1e-3):
        dz = scale * np.array([1.0, -0.5, 0.3, 0.7])
        rc = ls.row_and_column(z, 2, dz=dz)
        assert abs(rc.row_total - rc.row_actual) < 2 * scale**2


def test_column_collects_backprop():
    """∂L/∂z_i for L = Σ_k g_k log S_k is column i weighted by g: against the complex step of that L."""
    z, g = np.array([0.5, -0.2, 1.3]), np.array([0.3, -1.1, 0.4])
    grad = complex_step_grad(lambda x: g @ ref_log_softmax(x), z)
    for i in range(3):
        assert ls.row_and_column(z, i, g=g).column_total == pytest.approx(grad[i], rel=1e-13)


def test_fused_nll_sentences_follow_the_numbers():
    inf = ls.fused_nll((1000.0, 0.0, -1000.0), 2)
    assert inf.unfused_loss == np.inf and np.isnan(inf.unfused_grad).any()
    assert np.isfinite(inf.fused_loss) and inf.fused_loss == pytest.approx(2000.0)
    np.testing.assert_allclose(inf.fused_grad, [1.0, 0.0, -1.0])
    assert "NaN" in inf.sentence and "fuse" in inf.sentence
    near_one = ls.fused_nll((40.0, -40.0, 0.0), 0)
    assert near_one.reference == pytest.approx(np.exp(-40) + np.exp(-80), rel=1e-15) and near_one.unfused_loss == 0
    # log_softmax takes log1p of the others' sum, so the fused loss is exact even here; only the unfused route is off
    assert near_one.fused_error < 1e-15 and "is rounded in float64" in near_one.sentence
    fine = ls.fused_nll((2.0, 1.0, 0.1), 0)
    assert fine.unfused_error < 1e-15 and "agree" in fine.sentence and "far from 0 and from 1" in fine.sentence


@pytest.mark.parametrize(("z", "T"), SETTINGS)
@pytest.mark.parametrize("i", [0, 1])
def test_claims_never_fail_at_the_guides_settings(z, T, i):
    checks = ls.log_softmax_claims(z, i, T)
    assert [(c.name, c.value) for c in checks if c.ok is not True] == []
    assert len(checks) == 6


def test_claims_are_computed_a_symmetric_matrix_fails(monkeypatch):
    monkeypatch.setattr(ls, "log_softmax_jacobian", lambda z, t=1.0: core.jacobian(z, t))
    bad = {c.name: c.ok for c in ls.log_softmax_claims((2.0, 1.0, 0.1))}
    assert bad["not symmetric"] is False and bad["row 1 ≠ column 1"] is False


def test_latex_route_lines():
    lines = ls.log_route_latex()
    assert len(lines) == 3 and all("\\frac" in x or "\\log" in x for x in lines)
    assert "S_i(\\delta_{ij} - S_j)" in lines[-1]


@pytest.mark.parametrize(("z", "i", "same"), [((1.0, 1.0, 0.0), 2, [[0, 1]]), ((0.0, 1.0, 1.0), 0, [[1, 2]]),
                                             ((1.0, 1.0, 0.0), 0, []), ((2.0, 1.0, 0.1), 1, []),
                                             ((1000.0, 0.0, -1000.0), 0, [[0, 1, 2]]),
                                             ((1000.0, 0.0, -1000.0, -2000.0), 1, [[2, 3]])])
def test_the_row_sentence_names_the_entries_that_coincide(z, i, same):
    """'A different number in every entry' was false at a tie: the equal entries of row i are computed and named."""
    rc = ls.row_and_column(z, i)
    assert ls.same_entries(rc.row) == same
    if not same:
        assert "no two of its entries are equal" in rc.sentence
    for g in same:
        names = ", ".join(f"z{chr(0x2081 + j)}" for j in g)
        assert f"the entries for {names} are equal" in rc.sentence
    if same and i not in same[0] and len(set(np.asarray(z)[same[0]])) == 1:
        assert "a tie" in rc.sentence
    elif same:
        assert "a tie" not in rc.sentence and "float64" in rc.sentence


@pytest.mark.parametrize("T", [0.1, 1.0, 2.5, 10.0])
def test_the_saturation_hint_is_computed_for_this_temperature(T):
    """The fused step's suggestion (J fades, then S₂ underflows) holds at this T, and not at a T where it would not."""
    text = ls.saturation_hint(T)
    fade, under = [tuple(float(v.replace("−", "-")) for v in part.split(")")[0].split(", "))
                   for part in text.split("z = (")[1:]] + [None] * (2 - text.count("z = ("))
    assert np.abs(core.jacobian(fade, T)).max() * T < 1e-12
    under = under or fade
    assert core.softmax(under, T)[1] == 0 and not np.isfinite(ls.fused_nll(under, 1, T).unfused_loss)
    if under != fade:
        assert core.softmax(fade, T)[1] > 0
    assert f"At T = {core.fmt.prose(T)}" in text


def test_at_n_2_the_column_has_one_entry_off_the_diagonal():
    """Reader 9, finding 11: 'in every entry but the diagonal' at n = 2, where there is exactly one such entry."""
    assert "its one entry off the diagonal" in ls.row_and_column((0.7, -0.7), 1, temperature=2.5).sentence
    assert "every entry but the diagonal" in ls.row_and_column((0.7, -0.7, 0.1), 1, temperature=2.5).sentence


def test_row_nudge_and_fused_gradient_are_exact_at_saturation():
    """Issue #25's claims grid: at z = (40, −40, 0) the row's Σⱼ (row × Δz), the true change of log S₁ and the fused
    route's ∂L/∂z₁ all cancelled to 0; exact (mpmath) they are 2.71×10⁻³⁶, 2.51×10⁻³⁶ and −4.25×10⁻¹⁸."""
    import mpmath as mp

    from tests.oracles import mp_rest, mp_softmax

    z = [40.0, -40.0, 0.0]
    rc = ls.row_and_column(z, 0)
    S = mp_softmax(z)
    with mp.workdps(50):
        linear = mp.fsum((mp_rest(S, 0) if j == 0 else -S[j]) * mp.mpf(float(rc.dz[j])) for j in range(3))
        nudged = mp_softmax([mp.mpf(a) + mp.mpf(float(d)) for a, d in zip(z, rc.dz, strict=True)])
        true = mp.log(nudged[0]) - mp.log(S[0])
    assert abs(rc.row_total - float(linear)) <= 1e-12 * abs(float(linear))
    assert abs(rc.row_actual - float(true)) <= 1e-12 * abs(float(true))
    got = ls.fused_nll(z, 0).fused_grad[0]
    assert abs(got + float(mp_rest(S, 0))) <= 1e-14 * float(mp_rest(S, 0)), got


def _mp_log_softmax(z, T, i):
    import mpmath as mp

    with mp.workdps(60):
        return mp.mpf(z[i]) / T - mp.log(sum(mp.e ** (mp.mpf(v) / T) for v in z))


@pytest.mark.parametrize(("z", "T", "i"), [((40.0, -40.0, 0.0), 1.0, 0), ((2.0, 1.0, 0.1), 1.0, 0),
                                           ((2.0, 1.0, 0.1, -1.0, -2.0), 2.5, 2), ((8.0, 0.0, -8.0), 0.1, 1)])
def test_the_row_nudge_keeps_its_digits_at_saturation(z, T, i):
    """Δlog Sᵢ predicted by the row, Σⱼ (δᵢⱼ − Sⱼ)Δzⱼ/T, and the true change, against 60-digit arithmetic: at
    z = (40, −40, 0) both cancelled to 0 ("= 0 (the true change is 0)") beside row × Δz entries of 9.0×10⁻³⁷."""
    import mpmath as mp

    rc = ls.row_and_column(z, i, temperature=T)
    with mp.workdps(60):
        e = [mp.e ** (mp.mpf(v) / T) for v in z]
        S = [v / sum(e) for v in e]
        predicted = sum(S[j] * (mp.mpf(rc.dz[i]) - mp.mpf(rc.dz[j])) for j in range(len(z))) / T
        actual = _mp_log_softmax([a + b for a, b in zip(map(mp.mpf, z), map(mp.mpf, rc.dz), strict=True)], T, i) - \
            _mp_log_softmax(z, T, i)
    assert rc.row_total != 0 and rc.row_actual != 0
    assert abs(rc.row_total - float(predicted)) <= 1e-12 * abs(float(predicted))
    assert abs(rc.row_actual - float(actual)) <= 1e-9 * abs(float(actual))


def test_the_fused_gradient_keeps_the_target_entry_at_saturation():
    """The fused route's (S − y)/T at z = (40, −40, 0), y = 1: the target's entry is −(S₂ + S₃) = −4.25×10⁻¹⁸, as
    the unfused route prints it, never S₁ − 1 = 0; the gradient sums to 0."""
    f = ls.fused_nll((40.0, -40.0, 0.0), 0)
    S = core.softmax((40.0, -40.0, 0.0))
    assert f.fused_grad[0] == -(S[1] + S[2]) and f.fused_grad[0] != 0
    np.testing.assert_allclose(f.fused_grad, f.unfused_grad, rtol=1e-12, atol=0)
