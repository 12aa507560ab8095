"""Every line of every derivation evaluates to the Jacobian entry it claims to equal."""

import re

import numpy as np
import pytest

import core


@pytest.mark.parametrize("n", range(2, 11))
def test_every_line_equals_the_jacobian(n):
    rng = np.random.default_rng(n)
    for z in (rng.normal(0, 2, n), rng.normal(0, 30, n)):
        J = core.jacobian(z)
        for i in range(n):
            for j in range(n):
                steps = core.derivation_steps(i, j, n)
                for k, step in enumerate(steps):
                    assert step.evaluate(z) == pytest.approx(J[i, j], abs=1e-15), (i, j, k, step.latex)


def test_final_lines_and_rules():
    d = core.derivation_steps(0, 0, 3)
    assert d[-1].latex == r"= S_{1}\left(1 - S_{1}\right)"
    off = core.derivation_steps(1, 0, 3)
    assert off[-1].latex == "= -S_{2} S_{1}"
    assert core.derivation_steps(2, 0, 3)[-1].latex == "= -S_{3} S_{1}"
    for steps in (d, off):
        rules = {s.rule for s in steps}
        assert rules == {None, "quotient", "sum", "independence", "exponential"}
        assert all(s.rule in core.RULES or s.rule is None for s in steps)
        assert all(s.explanation.endswith(".") for s in steps)


def test_two_digit_indices_are_braced():
    assert core.derivation_steps(9, 0, 10)[-1].latex == "= -S_{10} S_{1}"


def test_latex_block_and_bad_indices():
    assert core.derivation_latex(0, 1).startswith("\\begin{aligned}")
    for bad in ((3, 0, 3), (-1, 0, 3), (0, 0, 0), (1.5, 0, 3), (True, 0, 3)):
        with pytest.raises(ValueError):
            core.derivation_steps(*bad)
    with pytest.raises(ValueError, match="n = 3"):
        core.derivation_steps(0, 0, 3)[-1].evaluate([1.0, 2.0])


def test_complex_step_partial_is_independent_of_jacobian():
    z = np.array([1e3, 999.0, -5.0])
    assert core.complex_step_partial(z, 0, 1) == pytest.approx(core.jacobian(z)[0, 1], abs=1e-16)


@pytest.mark.parametrize("z", [(2.0, 1.0, 0.1), (1.0, 1.0, 0.0), (8.0, 0.0, -8.0), (1000.0, 0.0, -1000.0),
                               tuple(np.linspace(-3, 4, 10))])
def test_general_entry_is_the_complex_step_derivative(z):
    """The general rule's live value, S_i(δ_ij − S_j), against the complex step (which never uses that formula)."""
    n = len(z)
    for i in range(n):
        for j in range(n):
            Si, Sj, rest, entry = core.derivation.general_entry(z, i, j)
            assert Si == pytest.approx(core.softmax(z)[i], rel=1e-15)
            assert entry == pytest.approx(core.complex_step_partial(z, i, j), rel=1e-12, abs=1e-300)
            assert rest == pytest.approx(1 - Sj, abs=1e-15)


@pytest.mark.parametrize(("z", "T"), [((2.0, 1.0, 0.1), 1.0), ((8.0, 0.0, -8.0), 1.0), ((1.0, 1.0, 0.0), 1.0),
                                      (tuple(np.linspace(-3, 4, 10)), 1.0), ((2.0, 1.0, 0.1, -1.0, -2.0), 2.5),
                                      ((2.0, 1.0, 0.1), 2.5), ((-3.0, 0.0, 3.0), 0.2), ((40.0, -40.0, 0.0), 2.5),
                                      ((3, 2.5, 2, 1.5, 1, 0.5, 0, -0.5, -1, -2), 10.0), ((1000.0, 0.0, -1000.0), 2.5)])
def test_general_entry_latex_holds_as_printed(z, T):
    """The printed S_i and S_j, multiplied out and divided by the printed T, give the printed entry to its last digit:
    at z = (2, 1, 0.1, −1, −2), T = 2.5 the line read 0.3786(1 − 0.3786)/2.5 = 0.0941081, which its operands give only
    as 0.09410. At saturation S₁ = 0.9996645, not 0.9997, whose 1 − S₁ would be wrong by a sixth."""
    import re
    from decimal import Decimal

    def exact(text):
        mant, _, exp = text.partition(r"\times10^")
        return Decimal(mant).scaleb(int(exp.strip("{}")) if exp else 0)

    def half_unit(text):
        mant, _, exp = text.partition(r"\times10^")
        return Decimal(5).scaleb(Decimal(mant).as_tuple().exponent - 1 + (int(exp.strip("{}")) if exp else 0))

    n = len(z)
    number = r"(-?[\d.]+(?:\\times10\^\{-?\d+\})?)"
    for i, j in {(0, 0), (1, 0), (n - 1, n - 1), (0, n - 1), (1, 1), (n - 1, 1)}:
        tex = core.derivation.general_entry_latex(z, i, j, T)
        per = "" if T == 1 else "/T"
        if "below float64" in tex:  # no digits to multiply out: test_general_entry_latex_prints_an_entry_float64_cannot_hold
            continue
        if r"\underbrace{1}" in tex:  # saturated diagonal: 1 · (the others' sum)/T
            m = re.search(r"&= \\underbrace\{1\}_\{\\text\{rounded in float64\}\} \\cdot " + number
                          + r"(?:/([\d.]+))? = " + number + r"\\end\{aligned\}", tex)
            assert m and i == j, tex
            product, shown = exact(m[1]) / (Decimal(m[2]) if m[2] else 1), m[3]
        else:
            # three powers of ten set the rule, its operands and the result on lines of their own: read them as one
            three = re.fullmatch(r"\\begin\{aligned\}&(.*) \\\\ &= (.*) \\\\ &= (.*)\\end\{aligned\}", tex)
            assert (three is not None) == (tex.count(r"\times10") >= 3), tex
            line = " = ".join(three.groups()) if three else tex
            m = re.fullmatch(r"S_\{(\d+)\}\(\\delta_\{([\d,]+)\} - S_\{(\d+)\}\)" + re.escape(per) + " = " + number
                             + r"\\,\((\d) - " + number + r"\)(?:/([\d.]+))? = " + number, line)
            assert m, tex
            assert (int(m[1]), int(m[3]), int(m[5])) == (i + 1, j + 1, int(i == j))
            assert m[2] == (f"{i + 1},{j + 1}" if max(i, j) >= 9 else f"{i + 1}{j + 1}")
            assert (m[7] is None) == (T == 1) and (m[7] is None or float(m[7]) == T)
            product = exact(m[4]) * (int(m[5]) - exact(m[6])) / (Decimal(m[7]) if m[7] else 1)
            shown = m[8]
        assert abs(product - exact(shown)) <= half_unit(shown), (tex, product)
        assert float(exact(shown)) == pytest.approx(core.complex_step_partial(z, i, j, T=T), rel=1e-3), tex


@pytest.mark.parametrize(("i", "j"), [(0, 0), (2, 2), (1, 1), (0, 2), (1, 0)])
def test_every_line_keeps_its_digits_at_saturation(i, j):
    """z = (40, −40, 0): S₁ rounds to 1, so S₁(1 − S₁) evaluated literally is 0 while the entry is 4.25e-18. Every
    line, the complex-step reference and the general rule give the entry to 1e-12 relative, and each is ✓."""
    z = np.array([40.0, -40.0, 0.0])
    entry = core.derivation.general_entry(z, i, j)[3]
    assert entry == pytest.approx(core.jacobian(z)[i, j], rel=1e-14) and entry != 0
    checked = core.derivation.check_lines(core.derivation_steps(i, j, 3), z)
    assert all(ok is True for _, ok in checked)
    assert all(v == pytest.approx(entry, rel=1e-12, abs=0) for v, _ in checked)


def test_check_lines_is_relative_and_says_when_it_cannot_tell():
    """A line off by 4.25e-18 from a first line of 4.25e-18 is a 100 % error (an absolute 1e-15 passed it); where
    the entry underflows (z = (1000, 0, −1000), ∂S₂/∂z₂ = e^{−1000}) the check cannot tell: None."""
    z = np.array([40.0, -40.0, 0.0])
    steps = core.derivation_steps(0, 0, 3)
    zero = core.Step("= 0", None, "a wrong line", lambda z: 0.0)
    assert core.derivation.check_lines([*steps, zero], z)[-1][1] is False
    hard = core.derivation_steps(1, 1, 3), [1000.0, 0.0, -1000.0]
    assert all(ok is None for _, ok in core.derivation.line_checks(*hard))
    assert all(ok is True for _, ok in core.derivation.check_lines(*hard))  # every line is 0 = the first line, exactly


@pytest.mark.parametrize(("z", "T"), [((0.0, -34.5, -34.5), 0.1), ((0.0, -35.5, -35.5), 0.1), ((0.0, -36.25, -36.25), 0.1),
                                      ((0.0, -700.0, -10.0), 1.0), ((30.0, -30.0, 0.0), 0.1), ((0.0, -80.0, -80.0), 0.1)])
def test_complex_step_is_exact_below_where_its_imaginary_part_underflows(z, T):
    """The complex step's imaginary part is h·∂S_i/∂z_j (h = 10⁻³⁰): in float64 it underflows for entries below about
    10⁻²⁸⁶, normal ones included. Against 60-digit mpmath: 1e-12 relative wherever the true value is a normal float64,
    and the correctly rounded subnormal (to one spacing) below that."""
    import mpmath as mp

    with mp.workdps(60):
        x = [mp.mpf(v) / mp.mpf(T) for v in z]
        e = [mp.e ** (v - max(x)) for v in x]
        S = [v / sum(e) for v in e]
        for i in range(3):
            for j in range(3):
                true = S[i] * (sum(S[k] for k in range(3) if k != i) if i == j else -S[j]) / mp.mpf(T)
                got, ref = core.complex_step_partial(np.array(z), i, j, T=T), float(true)
                if abs(ref) >= np.finfo(np.float64).tiny:
                    assert got == pytest.approx(ref, rel=1e-12, abs=0), (i, j)
                else:
                    assert abs(got - ref) <= 5e-324, (i, j, got, ref)


def test_line_checks_judge_an_entry_just_inside_the_normal_range():
    """z = (0, −34.5, −34.5), T = 0.1: ∂S₂/∂z₃ ≈ −2.17×10⁻²⁹⁹ is normal, so every line is judged (True), and at
    −36.25 (≈ −1.37×10⁻³¹⁴, subnormal) none is: None, never a False for a line that is right."""
    ok = [ok for _, ok in core.derivation.line_checks(core.derivation_steps(1, 2, 3, 0.1), [0.0, -34.5, -34.5])]
    assert all(v is True for v in ok)
    low = core.derivation.line_checks(core.derivation_steps(1, 2, 3, 0.1), [0.0, -36.25, -36.25])
    assert all(v is None for _, v in low) and low[0][0] != 0


@pytest.mark.parametrize(("z", "T"), [((40.0, -40.0, 0.0), 1.0), ((8.0, 0.0, -8.0), 0.1)])
def test_the_saturated_general_rule_is_set_on_two_lines(z, T):
    """On one line "S₁(δ₁₁ − S₁) = S₁Σ_{k≠1} S_k = 1 · 4.24835×10⁻¹⁸ = 4.24835×10⁻¹⁸" ran past its column at
    1366 px, and the page cut the result to "4.24835 × 10⁻¹": the rule and its numbers are two aligned lines."""
    tex = core.derivation.general_entry_latex(z, 0, 0, T)
    assert tex.startswith(r"\begin{aligned}") and tex.endswith(r"\end{aligned}")
    rule, numbers = tex.removeprefix(r"\begin{aligned}").removesuffix(r"\end{aligned}").split(r" \\ ")
    assert r"\sum_{k \ne 1}" in rule and "times10" not in rule
    assert numbers.startswith(r"&= \underbrace{1}_{\text{rounded in float64}} \cdot ")


@pytest.mark.parametrize(("z", "i", "j", "T"), [((1000, 0, -1000), 1, 1, 1.0), ((1000, 0, -1000), 1, 2, 2.5),
                                                  ((1000, 0, -1000), 2, 0, 1.0), ((800, 0, -800, 3), 2, 2, 0.5),
                                                  ((1000, 0, -1000), 0, 0, 1.0)])
def test_general_entry_latex_prints_an_entry_float64_cannot_hold(z, i, j, T):
    """Where Jᵢⱼ is below float64's normal range (S₂ = e⁻¹⁰⁰⁰ at z = (1000, 0, −1000)), the line prints its true value
    from the log-softmax and says why, never "0 (1 − 0) = 0": no entry of J is 0. Checked against 60-digit mpmath."""
    import mpmath as mp

    mp.mp.dps = 60
    e = [mp.e ** (mp.mpf(v) / mp.mpf(T)) for v in z]
    S = [x / sum(e) for x in e]
    true = (S[i] * sum(S[:i] + S[i + 1:]) if i == j else -S[i] * S[j]) / mp.mpf(T)  # 1 − Sᵢ would cancel
    text = core.derivation.general_entry_latex(z, i, j, T)
    assert "normal range" in text and "= 0" not in text, text
    sign, mant, exp = re.search(r"= (-?)([\d.]+) \\times 10\^\{(-\d+)\}", text).groups()
    printed = (-1 if sign else 1) * float(mant) * mp.mpf(10) ** int(exp)
    assert abs(printed - true) <= mp.mpf("0.006") * abs(true), (text, true)
