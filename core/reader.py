r"""The reader's question, answered literally: A = ∂S_i/∂z_1, B = ∂S_i/∂z_2, C = ∂S_i/∂z_3 are a ROW of J.

.. math:: \Delta S_i \approx \sum_j \frac{\partial S_i}{\partial z_j}\,\Delta z_j = J_{i,:}\,\Delta z,\qquad
          \sum_j J_{ij} = 0,\qquad \frac{\partial L}{\partial z_j} = \sum_i g_i J_{ij} = g\cdot J_{:,j}

A row is added up weighted by the nudges Δz (one output, every input); backpropagation adds up a column weighted by
g = ∂L/∂S (one input, every output). Indices 0-based; the page shows them 1-based.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import fmt
from .softmax import as_logits, check_temperature, jacobian, softmax_delta, underflowed

__all__ = ["NUDGES", "RowNudge", "linearisation_caption", "nudge_direction", "row_nudge", "row_nudge_latex"]

NUDGES = ("mixed", "uniform")


def nudge_direction(n: int, kind: str = "mixed") -> np.ndarray:
    r"""The direction u ``(n,)`` of the nudge Δz = h·u.

    ``mixed``: u = (1, −½, ¼, −⅛, …), every input moves by a different amount; ``uniform``: u = 𝟙, the same shift
    added to every z (softmax does not move, and the row's sum A + B + C = 0 predicts exactly that).
    """
    if kind == "uniform":
        return np.ones(n)
    if kind == "mixed":
        return (-0.5) ** np.arange(n)
    raise ValueError(f"nudge must be one of {', '.join(NUDGES)}, got {fmt.given(kind, 20)}")


@dataclass(frozen=True)
class RowNudge:
    """Row i of J against a nudge Δz: ``row`` ``(n,)`` = J[i, :], ``dz`` ``(n,)``, ``terms`` = row ⊙ dz,
    ``predicted`` = Σ terms (the linearisation), ``actual`` = S_i(z + Δz) − S_i(z), ``row_sum`` = Σ_j J[i, j]."""

    row: np.ndarray
    dz: np.ndarray
    terms: np.ndarray
    predicted: float
    actual: float
    row_sum: float


def row_nudge(z, i: int, h: float, kind: str = "mixed", temperature: float = 1.0) -> RowNudge:
    r"""Row i of the Jacobian as the linearisation of S_i, checked against the true change of S_i.

    .. math:: \Delta S_i \approx \underbrace{J_{i1}}_{A}\Delta z_1 + \underbrace{J_{i2}}_{B}\Delta z_2 + \dots,
              \qquad J_{ij} = \frac{1}{T}S_i(\delta_{ij} - S_j)

    Shapes: z ``(n,)``, i a 0-based output index, h the nudge size. The error of the linearisation is O(h²).
    """
    z = as_logits(z)
    t = check_temperature(temperature)
    dz = float(h) * nudge_direction(z.size, kind)
    row = jacobian(z, t)[int(i)]
    terms = row * dz
    # the true change, without subtracting two softmaxes: at z = (40, −40, 0) both S₁ round to 1.0 and their
    # difference to 0, while the change is −1.5e-18 (core.softmax_delta)
    actual = float(softmax_delta(z, dz, t)[int(i)])
    return RowNudge(row, dz, terms, float(terms.sum()), actual, float(row.sum()))


def row_nudge_latex(rn: RowNudge, i: int, phone: bool = False) -> str:
    r"""The linearisation of S_i written out with its numbers, as one ``aligned`` block (i 0-based, shown 1-based):
    :math:`\Delta S_i \approx \sum_j \partial S_i/\partial z_j\,\Delta z_j = \underbrace{A}\cdot\Delta z_1 + \dots`.
    The first three terms (two and "…" beyond n = 3), the sum, its terms and their value each on a line of its own (on
    one line they ran past a half-width column at 1366 px); on a ``phone``, and wherever a factor is a power of ten
    (saturation: "−1.805×10⁻³⁵"), one term a line."""
    n, k1 = len(rn.row), i + 1
    par = lambda v: fmt.tex(v, 4) if v >= 0 else f"({fmt.tex(v, 4)})"  # a negative factor in brackets
    shown = n if n <= 3 else 2
    nl = r"\\ &"
    plus = f"{nl}+" if phone or any(r"\times" in par(v) for v in rn.row[:shown]) else "+"
    abc = "".join(rf"{plus if k else ''}\underbrace{{{par(rn.row[k])}}}_{{\partial S_{{{k1}}}/\partial z_{{{k + 1}}}}}"
                  rf"\cdot{par(rn.dz[k])}" for k in range(shown)) + (rf"{plus}\dots" if n > 3 else "")
    return (rf"\begin{{aligned}}\Delta S_{{{k1}}} &\approx \sum_j \frac{{\partial S_{{{k1}}}}}{{\partial z_j}}\,\Delta z_j"
            rf"{nl}= {abc}{nl}= {fmt.tex(rn.predicted, 6)}\end{{aligned}}")


def linearisation_caption(rn: RowNudge) -> str:
    """How far the linear prediction misses the true change, marked ✓ (within 5 % of it) or ⚠, each saying so, relative:
    when nothing moves (the true change is exactly 0, a uniform nudge), ✓ when the prediction is 0 within 2n ulps of
    the sum of its |terms|; when the true change is below float64's normal range, ⚠ "cannot tell"."""
    err = abs(rn.actual - rn.predicted)
    if rn.actual == 0:  # a uniform nudge: softmax is shift invariant, and softmax_delta gives exactly 0
        scale = float(np.abs(rn.terms).sum())
        ok = abs(rn.predicted) <= 2 * len(rn.terms) * np.finfo(float).eps * scale
        return ("✓" if ok else "⚠") + (f" The true change is 0 and the linear prediction {fmt.prose(rn.predicted, 2)}, "
                                        + ("0 within rounding of its terms." if ok else "not 0 beside its terms."))
    if underflowed(rn.actual):
        return (f"⚠ The true change, {fmt.prose(rn.actual, 2)}, is below float64's normal range (10⁻³⁰⁸): float64 cannot "
                f"compare the linear prediction {fmt.prose(rn.predicted, 2)} with it.")
    close = err <= 0.05 * abs(rn.actual)  # the mark says what it tested: within 5 % of the true change
    return (("✓ Within 5 % of the true change: " if close else "⚠ More than 5 % off the true change: ")
            + f"the linearisation misses by {fmt.prose(err, 2)}, {fmt.percent(err / abs(rn.actual), 1)} of it. The miss is "
            "of order h² (halve a small h and it falls about four-fold, or more): J describes S only near z.")
