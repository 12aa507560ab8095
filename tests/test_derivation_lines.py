"""Derivation lines are evaluated from their own expressions: a wrong line is caught, and no two lines share
an evaluator (which would make their agreement true by construction)."""

import numpy as np
import pytest

import core
from core.derivation import Step, _d, check_lines

Z = np.array([2.0, 1.0, 0.1, -1.5])


@pytest.mark.parametrize("i,j", [(0, 0), (2, 0), (1, 3), (3, 3)])
def test_every_line_is_its_own_evaluator(i, j):
    steps = core.derivation_steps(i, j, 4)
    evaluators = [s.evaluate for s in steps]
    assert len({id(f) for f in evaluators}) == len(steps)  # no shared function object
    codes = [f.__code__.co_code + repr(f.__code__.co_consts).encode() for f in evaluators]
    assert len(set(codes)) == len(steps)  # and no two compute the same expression
    assert all(ok for _, ok in check_lines(steps, Z))


def _wrong_quotient_line(i, j, n):
    """A classic student error, evaluated from ITS OWN expression: (f'g + fg')/g² (the sign of the quotient rule)."""
    def wrong(z):
        x = np.asarray(z, float)
        e = np.exp(x - x.max())
        t = e.sum()
        return (_d(lambda c: c[i], z, j) * t + e[i] * _d(lambda c: c.sum(), z, j)) / t**2
    return Step(r"= \frac{f'g + fg'}{g^2}", "quotient", "Wrong on purpose.", wrong)


def _wrong_sum_line(i, j, n):
    """Another: 'the derivative of the sum is the product of the derivatives'."""
    def wrong(z):
        x = np.asarray(z, float)
        e = np.exp(x - x.max())
        t = e.sum()
        prod = np.prod([_d(lambda c, k=k: c[k], z, j) for k in range(n)])
        return (_d(lambda c: c[i], z, j) * t - e[i] * prod) / t**2
    return Step(r"= \dots \prod_k", "sum", "Wrong on purpose.", wrong)


@pytest.mark.parametrize("make", [_wrong_quotient_line, _wrong_sum_line])
@pytest.mark.parametrize("i,j", [(0, 0), (2, 0)])
def test_a_deliberately_wrong_line_is_caught(make, i, j):
    steps = core.derivation_steps(i, j, 4)
    bad = [*steps[:2], make(i, j, 4), *steps[3:]]
    marks = [ok for _, ok in check_lines(bad, Z)]
    assert marks[2] is False
    assert all(marks[k] for k in range(len(bad)) if k != 2)


def test_a_wrong_final_formula_is_caught():
    """S_i(1 + S_i) instead of S_i(1 − S_i) on the last line."""
    steps = core.derivation_steps(1, 1, 4)
    wrong = Step("= S(1 + S)", None, "Wrong.", lambda z: (lambda S: S[1] * (1 + S[1]))(core.softmax(z)))
    assert check_lines([*steps[:-1], wrong], Z)[-1][1] is False
