"""core.gradcheck: CS231n's relative error, the V of central differences over h against the complex step's floor,
and the claims where the measure misleads (entries near 0, saturation), at the GUIDE's settings."""

import math
import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import core
from core import gradcheck as gc
from core import logsoftmax as ls
from tests.oracles import central_diff_grad, complex_step_grad, ref_softmax

EPS = np.finfo(float).eps
SETTINGS = [((2.0, 1.0, 0.1), 1.0), ((2.0, 1.0, 0.1), 0.1), ((2.0, 1.0, 0.1), 10.0), ((1.0, 1.0, 0.0), 1.0),
            ((1.0, 1.0, 1.0), 1.0), ((8.0, 0.0, -8.0), 1.0), ((40.0, -40.0, 0.0), 1.0), ((1000.0, 0.0, -1000.0), 1.0),
            ((3.0, -1.0, 0.5, 2.0), 0.7)]


def test_relative_error_definition():
    assert gc.relative_error(1.0, 1.0) == 0 and gc.relative_error(0.0, 0.0) == 0  # 0/0 defined as 0
    assert gc.relative_error(1e-20, 0.0) == 1 and gc.relative_error(1.0, -1.0) == 2
    assert gc.relative_error(2.0, 1.0) == pytest.approx(0.5) and gc.relative_error(1.0, 2.0) == pytest.approx(0.5)
    np.testing.assert_allclose(gc.relative_error([1e-3, 1e3], [1.001e-3, 1.001e3]), [1e-3 / 1.001] * 2)


@given(st.floats(-1e6, 1e6), st.floats(-1e6, 1e6))
def test_relative_error_is_symmetric_and_bounded(a, f):
    r = float(gc.relative_error(a, f))
    assert r == float(gc.relative_error(f, a)) and 0 <= r <= 2


def test_verdict_bands_are_cs231ns():
    assert gc.verdict(1e-9).startswith("good") and gc.verdict(1e-5).startswith("suspicious")
    assert gc.verdict(1e-3).startswith("uncomfortable") and gc.verdict(0.5).startswith("wrong")


@pytest.mark.parametrize("subject", list(gc.SUBJECTS))
@pytest.mark.parametrize(("z", "T"), SETTINGS)
def test_numerical_derivatives_are_independent_of_the_formula(subject, z, T):
    """central_difference and complex_step evaluate the function only: they agree with the tests' own oracles."""
    f = {"softmax": lambda x: ref_softmax(np.asarray(x) / T),
         "log_softmax": lambda x: np.log(ref_softmax(np.asarray(x) / T)) if np.isrealobj(x) else None,
         "ce": None}[subject]
    if subject == "softmax":
        def safe(x):  # Sᵢ = 1/Σₖ e^{(xₖ − xᵢ)/T}, its k = i term exactly 1: an Sᵢ that rounds to 1 keeps its derivative
            x = np.asarray(x) / T
            with np.errstate(over="ignore"):
                w = np.exp(x[None, :] - x[:, None]).sum(axis=1)
            return np.where(np.isfinite(w), 1 / w, ref_softmax(x))  # a sum that overflows: a tiny Sᵢ, exact as it is

        # e/Σe (the plain oracle) loses 1 − Sᵢ once Sᵢ rounds to 1: at z = (40, −40, 0) it reads ∂S₁/∂z₁ = 0, not 4.2e-18
        np.testing.assert_allclose(gc.complex_step(z, 1e-20, subject, 0, T), complex_step_grad(safe, np.asarray(z)),
                                   rtol=1e-11, atol=1e-300)
        np.testing.assert_allclose(gc.central_difference(z, 1e-6, subject, 0, T),
                                   central_diff_grad(f, np.asarray(z)), rtol=1e-6, atol=1e-9)
    a = gc.analytic(z, subject, 1, T)
    assert gc.complex_step(z, 1e-20, subject, 1, T).shape == a.shape == gc.central_difference(z, 1e-5, subject, 1, T).shape


def test_analytic_subjects_are_cores():
    z, T = (2.0, 1.0, 0.1), 0.7
    np.testing.assert_array_equal(gc.analytic(z, "softmax", 0, T), core.jacobian(z, T))
    np.testing.assert_allclose(gc.analytic(z, "log_softmax", 0, T), ls.log_softmax_jacobian(z, T), rtol=1e-15)
    np.testing.assert_allclose(gc.analytic(z, "ce", 2, T), core.cross_entropy_grad(np.asarray(z) / T, 2) / T, rtol=1e-15)
    with pytest.raises(ValueError, match="subject"):
        gc.analytic(z, "tanh")


@pytest.mark.parametrize("subject", list(gc.SUBJECTS))
@pytest.mark.parametrize(("z", "T"), [((2.0, 1.0, 0.1), 1.0), ((1.0, 1.0, 0.0), 1.0), ((2.0, 1.0, 0.1), 10.0),
                                      ((3.0, -1.0, 0.5, 2.0), 0.7)])
def test_fd_error_is_a_V_over_h_and_the_complex_step_a_floor(subject, z, T):
    s = gc.sweep(z, subject, 1, T)
    np.testing.assert_array_equal(s.hs, 10.0 ** -np.arange(1, 13))
    h, best = s.best
    assert 1e-7 <= h <= 1e-3 and best < 1e-8  # the bottom of the V, near ε^(1/3) ≈ 6e-6
    assert s.fd_rel[0] > 100 * best and s.fd_rel[-1] > 100 * best  # both arms: truncation (h²) and rounding (ε/h)
    assert np.all(np.diff(np.log10(s.fd_rel[:3])) < -1.5)  # the left arm falls as h² (two decades per decade)
    assert np.all(s.cs_rel[7:] < 1e-14)  # h ≤ 1e-8: the complex step is at the rounding floor and stays there
    assert s.cs_rel[-1] < 1e-9 * s.fd_rel[-1]
    assert "rises again" in s.sentence and "good" in s.sentence


def test_all_zero_sweep_says_it_checks_nothing():
    s = gc.sweep((1000.0, 0.0, -1000.0), "softmax")
    assert not s.a.any() and not s.fd.any() and np.all(s.fd_rel == 0)
    assert "without checking anything" in s.sentence


@pytest.mark.parametrize("subject", list(gc.SUBJECTS))
@pytest.mark.parametrize(("z", "T"), SETTINGS)
def test_claims_never_blame_a_correct_gradient(subject, z, T):
    """At every setting the analytic derivative is right: a ✗ may only come from the plain relative error rows (the
    ones the lesson shows misleading), and every misleading case is explained by a ⚠ row."""
    checks = gc.gradcheck_claims(z, subject, 1, T)
    by = {c.name: c for c in checks}
    assert len(checks) == 5 and all(c.value and c.why for c in checks)
    if by["max relative error (CS231n)"].ok is False:
        assert by["entries near 0"].ok is None or by["error relative to the scale"].ok is False
    assert by["zeros check nothing"].ok in (True, None) and by["complex step"].ok in (True, None)


def test_claims_at_the_defaults_saturation_and_all_zeros():
    assert all(c.ok is True for c in gc.gradcheck_claims((2.0, 1.0, 0.1)))
    sat = {c.name: c for c in gc.gradcheck_claims((40.0, -40.0, 0.0))}
    assert sat["max relative error (CS231n)"].ok is False and sat["entries near 0"].ok is None
    assert "relative error 1" in sat["entries near 0"].value and "resolves" in sat["entries near 0"].value
    zero = {c.name: c for c in gc.gradcheck_claims((1000.0, 0.0, -1000.0))}
    assert zero["max relative error (CS231n)"].ok is True and zero["zeros check nothing"].ok is None


def test_a_wrong_gradient_is_caught(monkeypatch):
    """The misconception's diagonal-only J: the plain relative error says ✗ and no ⚠ excuses it."""
    monkeypatch.setattr(gc, "jacobian", core.elementwise_p1mp)
    by = {c.name: c.ok for c in gc.gradcheck_claims((2.0, 1.0, 0.1))}
    assert by["max relative error (CS231n)"] is False and by["error relative to the scale"] is False
    assert by["entries near 0"] is True
    assert "not explained by FD alone" in gc.gradcheck_reading((2.0, 1.0, 0.1), h=1e-6, best_h=1e-5)


def test_sweep_at_T_and_custom_hs():
    s = gc.sweep((2.0, 1.0, 0.1), "ce", 0, 0.5, hs=[1e-2, 1e-5])
    assert s.fd.shape == (2, 3) and s.cs.shape == (2, 3) and s.temperature == 0.5
    assert math.isfinite(s.best[1])


@pytest.mark.parametrize("subject", list(gc.SUBJECTS))
@pytest.mark.parametrize("h", [1e-3, 1e-5, 1e-6, 1e-8])
@pytest.mark.parametrize(("z", "T"), [*SETTINGS, ((8.0, 0.0, -8.0), 2.5)])
def test_every_cross_is_explained_in_computed_words(subject, h, z, T):
    """The reading under the claims: 'near 0' is quantified (10⁷ × FD's resolution at this h, the threshold the ⚠ row
    uses), and each ✗ says where it comes from: entries near 0 (then the ⚠ row is there) or FD's own error at this h."""
    checks = gc.gradcheck_claims(z, subject, 1, T, h)
    best = gc.sweep(z, subject, 1, T).best[0]
    text = gc.gradcheck_reading(z, subject, 1, T, h, best)
    floor = gc._resolution(z, subject, 1, T, h)
    assert f"near 0 below 10⁷ times that, {core.fmt.prose(1e7 * floor)}" in text
    assert core.fmt.num(floor) in checks[2].value  # the ⚠ row and the sentence use the same resolution
    assert ("The first row's ✗" in text) == (checks[0].ok is False)
    assert ("The second row fails too" in text) == (checks[1].ok is False)
    if "comes only from" in text:
        assert checks[2].ok is None


def test_the_relative_error_at_8_0_minus_8_is_explained():
    """z = (8, 0, −8) at the default h: the unexplained ✗ the second reader saw, now with the reason in words."""
    text = gc.gradcheck_reading((8.0, 0.0, -8.0), "softmax", 0, 1.0, 1e-6, best_h=1e-3)
    assert "comes only from 3 entries near 0 (the ⚠ row)" in text  # 4 while S was exp(log S), with its extra rounding
    assert "rounding arm of the V" in text and "a larger h" in text
    ce = {c.name: c for c in gc.gradcheck_claims((8.0, 0.0, -8.0), "ce", 0, 1.0, 1e-5)}
    assert ce["max relative error (CS231n)"].ok is False and ce["entries near 0"].ok is None  # was ✓: the loss F ≈ 3e-4


S2 = ((9.0, -6.0, 3.5, -2.0, 0.0, 5.0, -8.5, 1.0, -4.0, 7.0), 1.5)  # the ninth reader's n = 10 setting


def test_softmax_is_differenced_as_the_jacobian_page_does_it():
    """Reader 9, finding 1: S is core's softmax, not exp(log-softmax) (which adds |log Sᵢ|·ε that FD divides by h): the
    same h gives the Jacobian page's very numbers, and at the n = 10 setting the best FD reads 'good', not 'suspicious'."""
    from core import checks

    z, T = S2
    np.testing.assert_array_equal(gc.central_difference(z, 1e-6, "softmax", 0, T), checks.fd_jacobian(z, T, 1e-6))
    worst = gc.gradcheck_claims(z, "softmax", 0, T, 1e-6)[0].value
    assert worst.startswith(core.fmt.num(2.2155e-5)), worst  # the Jacobian page's 2.2×10⁻⁵, not 1.16×10⁻⁴
    column = "largest relative error |Ĵᵢⱼ − Jᵢⱼ| / |Jᵢⱼ|, on the entries it resolves"
    assert checks.numeric_check(z, T)[column][1] == core.fmt.prose(2.2155e-5, 2)
    s = gc.sweep(z, "softmax", 0, T)
    assert s.best[1] < 1e-7 and gc.verdict(s.best[1]).startswith("good")
    assert "10⁻³" in gc.pass_marks("softmax") or "0.001" in gc.pass_marks("softmax")
    assert gc.pass_marks("ce") == ""


def test_the_best_reading_leaves_out_entries_near_0_as_the_warning_row_does():
    """Reader 9, finding 5: at z = (2, 2, −1), T = 0.1 two entries ≈ −2.3×10⁻¹³ read relative error 1 at every h ≤ 10⁻⁴ and
    set the V's bottom (0.0034 at h = 0.01, 'uncomfortable'); without the entries near 0 (the ⚠ row's rule, at each h)
    the best reading is good, and both step 1's sentence and step 3's verdict say so."""
    s = gc.sweep((2.0, 2.0, -1.0), "softmax", 2, 0.1)
    assert gc.verdict(s.best[1]).startswith("uncomfortable")
    k = int(np.nanargmin(s.fd_rel_far))
    assert s.fd_rel_far[k] < 1e-7 and 0 < s.far_count[k] < 9
    for h, far, count in zip(s.hs, s.fd_rel_far, s.far_count, strict=True):  # the ⚠ row's threshold, entry by entry
        f = gc.central_difference((2.0, 2.0, -1.0), h, "softmax", 2, 0.1)
        judged = np.maximum(np.abs(s.a), np.abs(f)) >= gc.NEAR_0 * gc._resolution((2.0, 2.0, -1.0), "softmax", 2, 0.1, h)
        assert count == judged.sum()
        assert (np.isnan(far) and not judged.any()) or far == gc.relative_error(s.a, f)[judged].max()
    assert f"the best reading is {core.fmt.prose(float(s.fd_rel_far[k]), 2)}" in s.far and "good" in s.far
    assert s.far in s.sentence
    assert gc.sweep((2.0, 1.0, 0.1)).far == ""  # nothing near 0 changes the verdict: nothing added
    assert "says nothing about the derivative" in gc.sweep((40.0, -40.0, 0.0)).far


@pytest.mark.parametrize(("z", "T"), [S2, ((1.0, 0.4, -0.3, 0.6), 0.1)])
def test_the_warning_row_prints_a_and_f_apart(z, T):
    """Reader 9, finding 16: 'worst a = -2e-09, f = -2e-09, relative error 0.00012' hid the error it reported: a and f
    now carry as many digits as it takes to differ."""
    near = {c.name: c for c in gc.gradcheck_claims(z, "softmax", 0, T, 1e-6)}["entries near 0"]
    assert near.ok is None
    a, f = re.search(r"worst a = (\S+), f = (\S+),", near.value).groups()
    assert a != f, near.value


@pytest.mark.parametrize("subject", ["ce", "log_softmax"])
def test_analytic_keeps_the_entry_near_1_minus_1_at_saturation(subject):
    """Issue #25's claims grid: at z = (40, −40, 0) the analytic CE gradient's target entry (S₁ − 1) and log-softmax's
    diagonal (1 − S₁) cancelled to 0, where they are ∓4.25×10⁻¹⁸; the zeros row then counted them "0 in both"."""
    import mpmath as mp

    from tests.oracles import mp_rest, mp_softmax

    S = mp_softmax([40.0, -40.0, 0.0])
    exact = float(mp_rest(S, 0))  # 1 − S₁
    a = gc.analytic([40.0, -40.0, 0.0], subject, 0)
    got = a[0] if subject == "ce" else a[0, 0]
    want = -exact if subject == "ce" else exact
    assert abs(got - want) <= 1e-14 * abs(want), (got, want)
    assert mp.mpf(1) - S[0] > 0


@pytest.mark.parametrize("subject", ["ce", "log_softmax"])
def test_the_analytic_side_keeps_its_digits_at_saturation(subject):
    """z = (40, −40, 0), y = 1: the formula the check judges is exact, S₁ − 1 and 1 − S₁ summed from the other outputs
    (−4.25×10⁻¹⁸ and 4.25×10⁻¹⁸), never the 0 a subtraction gives; core's own gradients agree to the last bit."""
    z = (40.0, -40.0, 0.0)
    a = gc.analytic(z, subject, 0)
    S = core.softmax(z)
    if subject == "ce":
        assert a[0] == -(S[1] + S[2]) and a[0] != 0
        np.testing.assert_array_equal(a, core.lse.ce_lse_grad(z, 0))
    else:
        np.testing.assert_array_equal(a, ls.log_softmax_jacobian(z))


def test_at_saturation_no_h_is_said_to_do_better():
    """z = (40, −40, 0): every h reads a relative error of 1, yet the reading said "a larger h, near the bottom at
    h = 0.1, does better", the sweep "is smallest at 1 at h = 0.1" and the second row "is 1 of the largest entry"."""
    z = (40.0, -40.0, 0.0)
    sw = gc.sweep(z, "softmax", 0, 1.0)
    assert "the relative error is smallest, 1, at h = 0.1, " in sw.sentence, sw.sentence
    text = gc.gradcheck_reading(z, "softmax", 0, 1.0, 1e-6, sw.best[0])
    assert "a larger h" not in text and "No h does better here: the bottom of the sweep, h = 0.1, reads 1 as well." in text
    assert "is 1 times the largest entry" in text, text


@given(st.lists(st.floats(-60, 60), min_size=2, max_size=10), st.sampled_from([0.1, 1.0, 2.5]),
       st.sampled_from(sorted(gc.SUBJECTS)), st.sampled_from([1e-1, 1e-4, 1e-7, 1e-12]))
def test_the_batched_differences_are_the_column_by_column_ones_bit_for_bit(z, T, subject, h):
    """central_difference and complex_step evaluate every column in one call (row j of a batch is z ± h e_j): each
    column is the one a loop over j computes with F of one vector, every bit."""
    x, y = np.asarray(z, dtype=float), 1
    F = gc._function(subject, y, T)
    fd, cs = [], []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        fd.append((np.asarray(F(x + e)) - np.asarray(F(x - e))) / (2 * h))
        xc = x.astype(np.complex128)
        xc[j] += 1j * h
        cs.append(np.asarray(F(xc)).imag / h)
    with np.errstate(all="ignore"):
        assert np.array_equal(gc.central_difference(z, h, subject, y, T), np.stack(fd, axis=-1), equal_nan=True)
        assert np.array_equal(gc.complex_step(z, h, subject, y, T), np.stack(cs, axis=-1), equal_nan=True)
