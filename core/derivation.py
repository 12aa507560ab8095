r"""The derivation of dS_i/dz_j as data: ordered steps, each with its rule and a numeric value.

Indices are 0-based in code and printed 1-based in the LaTeX (S_1 ... S_n).
Every step's ``evaluate(z)`` computes *that line's expression* at ``z``
(at the temperature T the steps were made for, 1 by default): a derivative the line still contains is taken from its own
sub-expression by the complex step, never from the next line's simplification.
So lines agree only when each step between them is right, and :func:`check_lines`
(what the page marks ✓/✗) catches a wrong one.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

import numpy as np

from . import fmt
from .lse import logsumexp
from .softmax import as_logits, log_softmax, softmax, underflowed

__all__ = ["RULES", "Step", "check_lines", "complex_step_partial", "derivation_latex", "derivation_steps", "general_entry",
           "general_entry_latex", "line_checks"]

# rule id -> (badge on screen, the formula in LaTeX)
RULES: dict[str, tuple[str, str]] = {
    "independence": ("Rule 1 · independence", r"\frac{\partial z_k}{\partial z_j} = 0 \ \ (k \ne j)"),
    "exponential": ("Rule 2 · exponential", r"\frac{\partial e^{z_j}}{\partial z_j} = e^{z_j}"),
    "quotient": ("Rule 3 · quotient", r"\left(\frac{f}{g}\right)' = \frac{f'g - fg'}{g^{2}}"),
    "sum": ("Rule 4 · sum", r"\frac{\partial}{\partial z_j}\sum_k f_k = \sum_k \frac{\partial f_k}{\partial z_j}"),
}


@dataclass(frozen=True)
class Step:
    """One line of a derivation: ``latex`` (the right-hand side, starting with ``=``
    except for the first line), ``rule`` (a key of :data:`RULES` or None),
    ``explanation`` (one sentence) and ``evaluate(z) -> float``."""

    latex: str
    rule: str | None
    explanation: str
    evaluate: Callable[[np.ndarray], float]


def complex_step_partial(z, i: int, j: int, h: float = 1e-30, T: float = 1.0) -> float:
    r"""dS_i/dz_j by the complex step, :math:`\operatorname{Im} S_i(z + \mathrm{i} h e_j) / h`, with
    :math:`S = \operatorname{softmax}(z/T)`.

    No subtraction, so no cancellation: exact to machine precision. Independent
    of :func:`core.jacobian` (it never uses the formula S_i(delta_ij - S_j)/T). S_i is evaluated as
    :math:`1 / \sum_k e^{(z_k - z_i)/T}`: its k = i term is exactly 1 (the imaginary parts cancel exactly), so the
    imaginary part is a sum of like-signed terms. ``e_i / Σ e`` would cancel inside the complex division once S_i
    rounds to 1 (z = (40, −40, 0): 0, not 4.25e-18).
    """
    x = as_logits(z).astype(np.complex128) / T
    x[j] += 1j * h / T
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):
        w = np.sum(np.exp(x - x[i]))
        if not np.isfinite(w):  # some (z_k − z_i)/T > 709: S_i is below e^{−709}, far from 1: e_i / Σ e cannot cancel
            e = np.exp(x - np.max(x.real))
            d = float((e[i] / e.sum()).imag / h)
        else:
            d = float((1 / w).imag / h)
    if abs(d) < _WIDE_BELOW:  # h·∂S_i/∂z_j, the imaginary part, fell below float64's normal range: digits lost
        return _complex_step_wide(as_logits(z), i, j, h, T)
    return d


# Below this |∂S_i/∂z_j| the float64 complex step is redone in decimal arithmetic: its imaginary part h·∂S_i/∂z_j
# (and Smith's ratio h·S_j inside the complex division) then lies within h·1e40 of float64's smallest normal number.
_WIDE_BELOW = 1e-250


def _complex_step_wide(z: np.ndarray, i: int, j: int, h: float, T: float) -> float:
    r"""The same complex step, :math:`\operatorname{Im} S_i(z + \mathrm{i} h e_j) / h` with
    :math:`S_i = 1 / \sum_k e^{(z_k - z_i)/T}`, in 50-digit decimal arithmetic (stdlib :mod:`decimal`), whose exponent
    does not underflow at 10⁻³⁰⁸: exact wherever the true value is a normal float64, rounded once to float64 at the
    end (so a true value below the normal range comes back as the nearest subnormal, or 0 below about 2.5×10⁻³²⁴).

    Each term is :math:`e^{a}(\cos b + \mathrm{i} \sin b)` with b = ±h/T or 0; a term below e^{−10⁶} relative to
    the k = i term (which is 1) changes nothing at 50 digits and is left out.
    """
    import decimal

    with decimal.localcontext(decimal.Context(prec=50, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)):
        x = [decimal.Decimal(float(v)) / decimal.Decimal(T) for v in z]  # float → Decimal is exact
        t = decimal.Decimal(h) / decimal.Decimal(T)
        sin_t, cos_t = t - t * t * t / 6, 1 - t * t / 2  # |t| < 1e-28: the next terms are below 10⁻¹¹⁰ relative
        re = im = decimal.Decimal(0)
        for k, xk in enumerate(x):
            a = xk - x[i]
            if a > 10**6:  # S_i < e^{−10⁶}: the derivative is far below float64's smallest subnormal
                return 0.0
            if a < -(10**6):
                continue
            b = (k == j) - (i == j)  # the perturbation of z_k − z_i, in units of h/T: +1, −1 or 0
            ea = a.exp()
            re += ea * (cos_t if b else 1)
            im += ea * sin_t * b
        return float(-im / (re * re + im * im) / decimal.Decimal(h))  # Im(1/w) / h = −Im w / |w|² / h


def _exps(z, T: float = 1.0):
    """(e, total) with e_k = exp((z_k - max z)/T): every line is a ratio, so the shift cancels."""
    x = as_logits(z) / T
    if x.ndim != 1:
        raise ValueError("evaluate() takes one logit vector z of shape (n,)")
    e = np.exp(x - x.max())
    return e, e.sum()


def _d(term: Callable[[np.ndarray], complex], z, j: int, h: float = 1e-30, T: float = 1.0) -> float:
    r"""∂(term)/∂z_j by the complex step, where ``term(e)`` is a sub-expression of the exponentials
    :math:`e_k = e^{(z_k - \max z)/T}` (the shift is a constant, so it passes through every derivative unchanged).

    A line that still *contains* a derivative (∂e^{z_i}/∂z_j, ∂Σ/∂z_j) is evaluated with that derivative
    computed from its own sub-expression, never with the simplification a later line makes.
    """
    x = as_logits(z).astype(np.complex128) / T
    x = x - np.max(x.real)
    x[j] += 1j * h / T
    return float(np.imag(term(np.exp(x))) / h)


def derivation_steps(i: int, j: int, n: int = 3, T: float = 1.0) -> list[Step]:
    r"""The derivation of :math:`\partial S_i / \partial z_j` (0-based i, j) for n outputs, with
    :math:`S = \operatorname{softmax}(z/T)`.

    Ends in :math:`S_i(1 - S_i)` when i = j and :math:`-S_i S_j` otherwise; at T ≠ 1 the lines carry
    :math:`e^{z_k/T}`, the exponential rule meets the chain rule once (:math:`\partial e^{z_j/T}/\partial z_j =
    e^{z_j/T}/T`), and the result is divided by T. T = 1 (the default) writes the lines without T.
    """
    for name, v in (("n", n), ("i", i), ("j", j)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
            raise ValueError(f"{name} must be a whole number, got {fmt.given(v)}")
    if n < 1:
        raise ValueError(f"n must be >= 1, got {n}")
    if not (0 <= i < n and 0 <= j < n):
        raise ValueError(f"i and j are 0-based indices and must lie in 0..{n - 1}; got i={i}, j={j}")
    T = float(T)
    if not (math.isfinite(T) and T > 0):
        raise ValueError(f"T must be a positive number, got {T!r}")
    I, J = i + 1, j + 1  # shown 1-based
    u = "" if T == 1 else "/T"  # the exponent of e: z_k, or z_k/T

    def E(k) -> str:  # at T ≠ 1 e^{{z_k}/T}: the same rendering, and z_k stays one group that a colouring can wrap
        return rf"e^{{z_{{{k}}}}}" if T == 1 else rf"e^{{{{z_{{{k}}}}}/T}}"

    over = "" if T == 1 else r"\tfrac{1}{T}"  # the chain rule's one factor 1/T (written only when T ≠ 1)
    front = "" if T == 1 else r"\frac{1}{T}\,"
    Sum = rf"\sum_{{k=1}}^{{{n}}} e^{{z_k{u}}}"
    dSum = rf"\sum_{{k=1}}^{{{n}}} \frac{{\partial e^{{z_k{u}}}}}{{\partial z_{{{J}}}}}"
    at_T = "" if T == 1 else " at temperature T"
    chain = "" if T == 1 else f"; through z{J}/T the chain rule adds one factor 1/T"

    def ex(k) -> str:  # the same exponential in an explanation's plain text
        return f"e^z{k}" if T == 1 else f"e^(z{k}/T)"

    def check_n(z):
        e, total = _exps(z, T)
        if e.size != n:
            raise ValueError(f"this derivation is for n = {n} logits, got {e.size}")
        return e, total

    def d(term, z, k):
        return _d(term, z, k, T=T)

    def first(z):
        check_n(z)
        return complex_step_partial(z, i, j, T=T)

    head = Step(
        rf"\frac{{\partial S_{{{I}}}}}{{\partial z_{{{J}}}}} = \frac{{\partial}}{{\partial z_{{{J}}}}}\left(\frac{{{E(I)}}}{{{Sum}}}\right)",
        None,
        f"Start from the definition of S{I}{at_T}: its numerator is {ex(I)}, its denominator is shared by every output.",
        first,
    )
    if i == j:
        # Each line is evaluated from its OWN expression: the derivatives a line still contains are computed from
        # their sub-expression (complex step), so two lines agree only if the step between them is right.
        # f'Σ − f g' is grouped as f'·R + (f'e_i − f g') with Σ = e_i + R, R = Σ_{k≠i} e_k summed: the bracket is
        # exactly 0 when the line is right, and nothing cancels when S_i rounds to 1 (z = (40, −40, 0)).
        def rest(e):
            return float(np.sum(np.delete(e, i)))

        def quotient(z):  # (∂e^{z_i}/∂z_i · Σ − e^{z_i} · ∂Σ/∂z_i) / Σ²
            e, t = check_n(z)
            de, dsum = d(lambda c: c[i], z, i), d(lambda c: c.sum(), z, i)
            return (de * rest(e) + (de * e[i] - e[i] * dsum)) / t**2

        def summed(z):  # (∂e^{z_i}/∂z_i · Σ − e^{z_i} · Σ_k ∂e^{z_k}/∂z_i) / Σ²
            e, t = check_n(z)
            de, dsum = d(lambda c: c[i], z, i), sum(d(lambda c, k=k: c[k], z, i) for k in range(n))
            return (de * rest(e) + (de * e[i] - e[i] * dsum)) / t**2

        def only_k(z):  # (∂e^{z_i}/∂z_i · Σ − e^{z_i} · ∂e^{z_i}/∂z_i) / Σ²
            e, t = check_n(z)
            de = d(lambda c: c[i], z, i)
            return (de * rest(e) + (de * e[i] - e[i] * de)) / t**2

        def expd(z):  # (e^{z_i}/T · Σ − e^{z_i} · e^{z_i}/T) / Σ²
            e, t = check_n(z)
            return (e[i] / T * rest(e) + (e[i] * e[i] / T - e[i] * e[i] / T)) / t**2

        dE = rf"\frac{{\partial {E(I)}}}{{\partial z_{{{I}}}}}"
        steps = [
            head,
            Step(
                rf"= \frac{{{dE}\,{Sum} \;-\; {E(I)}\,\frac{{\partial}}{{\partial z_{{{I}}}}}{Sum}}}{{\left({Sum}\right)^{{2}}}}",
                "quotient",
                f"Apply the quotient rule with f = {ex(I)} on top and g = the sum below.",
                quotient,
            ),
            Step(
                rf"= \frac{{{dE}\,{Sum} \;-\; {E(I)}\,{dSum}}}{{\left({Sum}\right)^{{2}}}}",
                "sum",
                "The derivative of the sum is the sum of the derivatives of its terms.",
                summed,
            ),
            Step(
                rf"= \frac{{{dE}\,{Sum} \;-\; {E(I)}\,{dE}}}{{\left({Sum}\right)^{{2}}}}",
                "independence",
                f"Every term {ex('_k')} with k ≠ {I} does not depend on z{I}, so only k = {I} survives in the sum.",
                only_k,
            ),
            Step(
                rf"= \frac{{{over}{E(I)}\,{Sum} \;-\; {E(I)}\,{over}{E(I)}}}{{\left({Sum}\right)^{{2}}}}",
                "exponential",
                f"The exponential is its own derivative{chain}.",
                expd,
            ),
            Step(
                rf"= {front}\frac{{{E(I)}}}{{{Sum}}}\left(1 - \frac{{{E(I)}}}{{{Sum}}}\right)",
                None,
                f"Factor out {'' if T == 1 else '1/T and '}{ex(I)} / sum: split the fraction into a product.",
                lambda z: (lambda e, t: e[i] / t * (rest(e) / t) / T)(*check_n(z)),  # 1 − e_i/Σ = R/Σ
            ),
            Step(
                rf"= {over}S_{{{I}}}\left(1 - S_{{{I}}}\right)",
                None,
                f"Recognise S{I} twice: the diagonal entry is S{I}(1 − S{I}){u}, positive for every z. Its value is "
                f"computed with 1 − S{I} as the sum of the other outputs, which keeps every digit when S{I} is close to 1.",
                lambda z: (lambda S: S[i] * float(np.sum(np.delete(S, i))) / T)(np.divide(*check_n(z))),
            ),
        ]
    else:
        def quotient(z):  # (∂e^{z_i}/∂z_j · Σ − e^{z_i} · ∂Σ/∂z_j) / Σ²
            e, t = check_n(z)
            return (d(lambda c: c[i], z, j) * t - e[i] * d(lambda c: c.sum(), z, j)) / t**2

        def zero_top(z):  # (0 · Σ − e^{z_i} · ∂Σ/∂z_j) / Σ²
            e, t = check_n(z)
            return (0.0 * t - e[i] * d(lambda c: c.sum(), z, j)) / t**2

        def summed(z):  # −e^{z_i} · Σ_k ∂e^{z_k}/∂z_j / Σ²
            e, t = check_n(z)
            return -e[i] * sum(d(lambda c, k=k: c[k], z, j) for k in range(n)) / t**2

        def only_k(z):  # −e^{z_i} · ∂e^{z_j}/∂z_j / Σ²
            e, t = check_n(z)
            return -e[i] * d(lambda c: c[j], z, j) / t**2

        def expd(z):  # −e^{z_i} e^{z_j}/T / Σ²
            e, t = check_n(z)
            return -e[i] * e[j] / T / t**2

        steps = [
            head,
            Step(
                rf"= \frac{{\frac{{\partial {E(I)}}}{{\partial z_{{{J}}}}}\,{Sum} \;-\; {E(I)}\,\frac{{\partial}}{{\partial z_{{{J}}}}}{Sum}}}{{\left({Sum}\right)^{{2}}}}",
                "quotient",
                f"Apply the quotient rule with f = {ex(I)} on top and g = the sum below.",
                quotient,
            ),
            Step(
                rf"= \frac{{0 \cdot {Sum} \;-\; {E(I)}\,\frac{{\partial}}{{\partial z_{{{J}}}}}{Sum}}}{{\left({Sum}\right)^{{2}}}}",
                "independence",
                f"The numerator {ex(I)} does not depend on z{J}, so its derivative is 0.",
                zero_top,
            ),
            Step(
                rf"= \frac{{-\,{E(I)}\,{dSum}}}{{\left({Sum}\right)^{{2}}}}",
                "sum",
                "The derivative of the sum is the sum of the derivatives of its terms.",
                summed,
            ),
            Step(
                rf"= \frac{{-\,{E(I)}\,\frac{{\partial {E(J)}}}{{\partial z_{{{J}}}}}}}{{\left({Sum}\right)^{{2}}}}",
                "independence",
                f"Only the term k = {J} depends on z{J}: z{J} reaches S{I} only through the shared sum.",
                only_k,
            ),
            Step(
                rf"= \frac{{-\,{E(I)}\,{over}{E(J)}}}{{\left({Sum}\right)^{{2}}}}",
                "exponential",
                f"The exponential is its own derivative{chain}.",
                expd,
            ),
            Step(
                rf"= -\,{front}\frac{{{E(I)}}}{{{Sum}}}\cdot\frac{{{E(J)}}}{{{Sum}}}",
                None,
                "Split the squared denominator between the two exponentials.",
                lambda z: (lambda e, t: -(e[i] / t) * (e[j] / t) / T)(*check_n(z)),
            ),
            Step(
                rf"= -{over}S_{{{I}}} S_{{{J}}}",
                None,
                f"Recognise S{I} and S{J}: the off-diagonal entry is −S{I}S{J}{u}, negative for every z (float64 keeps "
                "all its digits down to 2.2×10⁻³⁰⁸, fewer below that, and none below 4.9×10⁻³²⁴, its smallest subnormal).",
                lambda z: (lambda S: -S[i] * S[j] / T)(np.divide(*check_n(z))),
            ),
        ]
    return steps


def derivation_latex(i: int, j: int, n: int = 3, T: float = 1.0) -> str:
    r"""The whole derivation as one ``aligned`` LaTeX block, for copying onto slides."""
    steps = derivation_steps(i, j, n, T)
    first, rest = steps[0].latex.split(" = ", 1)
    lines = [rf"{first} &= {rest}"] + [rf"&{s.latex}" for s in steps[1:]]
    return "\\begin{aligned}\n" + " \\\\\n".join(lines) + "\n\\end{aligned}"


def line_checks(steps: list[Step], z, rtol: float = 1e-9) -> list[tuple[float, bool | None]]:
    """Each line's own value at ``z`` and whether it equals the first line (the definition, by the complex step)
    to ``rtol`` *relative* to it: 4.25e-18 against 0 is a 100 % difference, not a pass by an absolute 1e-15.

    Shapes: z ``(n,)``. Returns one ``(value, ok)`` per step; a line whose expression is wrong gets ``ok=False``.
    ``ok`` is None (cannot tell) when the first line is below float64's normal range (|value| < 2.2e-308): the
    entry has underflowed, and 0 = 0 says nothing about the line (:func:`core.softmax.underflowed`).
    """
    values = [float(s.evaluate(z)) for s in steps]
    ref = values[0]
    if underflowed(ref):
        return [(v, None) for v in values]
    return [(v, bool(abs(v - ref) <= rtol * abs(ref))) for v in values]


def check_lines(steps: list[Step], z, rtol: float = 1e-9) -> list[tuple[float, bool]]:
    """:func:`line_checks` with a plain bool, for a page that shows ✓ or ✗ only: where the entry underflowed, a line
    passes only if float64 gives it exactly the first line's value. A page that can show ⚠ uses :func:`line_checks`
    and says "below float64's range: cannot compare" there instead."""
    values = [float(s.evaluate(z)) for s in steps]
    return [(v, ok if ok is not None else v == values[0]) for v, ok in line_checks(steps, z, rtol)]


def general_entry(z, i: int, j: int, T: float = 1.0) -> tuple[float, float, float, float]:
    r"""The general rule at ``z``, :math:`S_i(\delta_{ij} - S_j)/T` with :math:`S = \operatorname{softmax}(z/T)`, as its
    parts ``(S_i, S_j, 1 - S_j, entry)`` (T = 1 by default).

    Shapes: z ``(n,)``. For i = j, :math:`1 - S_j` is summed from the other outputs, never subtracted: at saturation
    (S_j = 1 − 1e-12) the difference would cancel to a few digits while the sum keeps all of them."""
    S = softmax(z, T)
    rest = float(np.sum(np.delete(S, j)))
    Si, Sj = float(S[i]), float(S[j])
    return Si, Sj, rest, Si * (rest if i == j else -Sj) / T


FIGURES = 4  # the general rule's result, in significant figures: as many as its operands start with (S at 4, as shown)


def _fixed(v: float, *values: float, figures: int = FIGURES) -> str:
    """v with the decimals that give each of ``values`` ``figures`` significant figures (S₁ = 0.9996645, so that 1 − S₁
    can be read off it: 0.9997 would give 0.0003 and a wrong product); below 10⁻³ v is its own power of ten with
    ``figures`` figures (9.358×10⁻¹⁴, not 0.0000000000000936)."""
    if 0 < abs(v) < 1e-3:
        return fmt.tex(v, figures)
    d = min(20, max([figures - 1 - math.floor(math.log10(abs(x))) for x in values if x != 0] or [figures - 1]))
    return fmt.fixed(v, d, unicode=False).rstrip("0").rstrip(".")


def _value(text: str) -> Decimal:
    r"""The exact value a number printed by this module reads as: ``0.3786`` or ``-4.474\times10^{-37}``."""
    mant, _, exp = text.partition(r"\times10^")
    return Decimal(mant).scaleb(int(exp.strip("{}")) if exp else 0)


def _holds(result: str, value: Decimal) -> bool:
    """The printed ``result`` is ``value`` (computed from the printed operands) rounded to the result's last digit."""
    mant, _, exp = result.partition(r"\times10^")
    last = Decimal(mant).as_tuple().exponent + (int(exp.strip("{}")) if exp else 0)
    return abs(value - _value(result)) <= Decimal(5).scaleb(last - 1)


def _as_printed(result: str, operands, value) -> list[str]:
    """The texts of ``operands(figures)`` with the fewest figures, from :data:`FIGURES`, for which ``value(texts)`` (the
    equation evaluated exactly on those texts) gives the printed ``result``: the line holds as printed. At 4 figures
    0.3786(1 − 0.3786)/2.5 gives 0.09410 while the entry is 0.09411; one more figure, 0.37864, gives it."""
    for figures in range(FIGURES, 18):
        texts = operands(figures)
        if _holds(result, value(texts)):
            break
    return texts


def _entry_log10(z, i: int, j: int, T: float) -> float:
    r"""log₁₀ |J_ij| from the logits' log-softmax, where J_ij itself is below float64's normal range:
    log Sᵢ + log Σ_{k≠i} S_k − log T on the diagonal, log Sᵢ + log Sⱼ − log T off it (0-based i, j)."""
    log_S = log_softmax(z, T)
    second = logsumexp(np.delete(log_S, i)) if i == j else log_S[j]
    return float((log_S[i] + second - math.log(T)) / math.log(10))


def general_entry_latex(z, i: int, j: int, T: float = 1.0) -> str:
    r"""``S_{i}(\delta_{ij} - S_{j}) = 0.6652\,(1 - 0.6652) = 0.2226`` at ``z`` (1-based in the LaTeX): the result to
    :data:`FIGURES` significant figures, and its operands with the figures that give it, so that the line holds as
    printed (:func:`_as_printed`); ``\delta_{10,3}``, never the ambiguous ``\delta_{103}``.
    At T ≠ 1 the rule and its numbers are divided by T: ``S_{1}(\delta_{11} - S_{1})/T = 0.37864\,(1 - 0.37864)/2.5 = …``."""
    Si, Sj, rest, entry = general_entry(z, i, j, T)
    need = (Si, Sj, *([rest] if i == j else []))
    a, b = i + 1, j + 1
    ij = f"{a},{b}" if max(a, b) > 9 else f"{a}{b}"
    per, by = ("", "") if T == 1 else ("/T", f"/{fmt.tex(T, 6)}")
    if underflowed(entry):  # no entry of J is 0: float64 cannot hold this one, so print it from its exact log₁₀
        sign = "" if i == j else "-"  # the diagonal is positive, every other entry negative
        # the reason on a line of its own: beside the value it ran off a phone's column
        return (rf"\begin{{aligned}}&S_{{{a}}}(\delta_{{{ij}}} - S_{{{b}}}){per} = {sign}{fmt.pow10(_entry_log10(z, i, j, T), 3)}"
                r" \\ &\text{(below float64's normal range)}\end{aligned}")
    t = _value(fmt.tex(T, 6))  # the T printed, which the check divides by
    result = fmt.tex(entry, FIGURES)
    if i == j and 0 < rest < 1e-8:  # 1 − S_j cannot be read off S_j's printed digits: print the summed rest itself
        # S_j = 1 exactly in float64 (z = (40, −40, 0)): a bare "1" beside 1 − S_j = 4.2×10⁻¹⁸ needs its reason
        one = r"\underbrace{1}_{\text{rounded in float64}}" if Si == 1.0 else fmt.tex(Si, FIGURES)
        times = Decimal(1) if Si == 1.0 else _value(one)
        (rest_text,) = _as_printed(result, lambda f: [fmt.tex(rest, f)], lambda x: times * _value(x[0]) / t)
        # on two lines: on one it ran past its column at 1366 px and the page cut the result to "4.24835 × 10⁻¹"
        return (rf"\begin{{aligned}}S_{{{a}}}(\delta_{{{ij}}} - S_{{{b}}}){per} &= S_{{{a}}}\sum_{{k \ne {b}}} S_k{per} \\ "
                rf"&= {one} \cdot {rest_text}{by} = {result}\end{{aligned}}")
    si, sj = _as_printed(result, lambda f: [_fixed(Si, *need, figures=f), _fixed(Sj, *need, figures=f)],
                         lambda x: _value(x[0]) * (int(i == j) - _value(x[1])) / t)
    line = rf"S_{{{a}}}(\delta_{{{ij}}} - S_{{{b}}}){per} = {si}\,({int(i == j)} - {sj}){by}"
    # three powers of ten on one line ran past a 1366-px laptop's column (z = (1000, 0, −1000), T = 2.5, i = j = 2), and
    # two of them past a phone's: the rule, its operands and the result each on a line of their own
    if (si + sj + result).count(r"\times10") >= 3:
        rule, operands = line.split(" = ", 1)
        return rf"\begin{{aligned}}&{rule} \\ &= {operands} \\ &= {result}\end{{aligned}}"
    return rf"{line} = {result}"
