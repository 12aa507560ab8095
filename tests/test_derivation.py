"""Every line of every derivation evaluates to the Jacobian entry it claims to equal."""

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
