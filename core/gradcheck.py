r"""Gradient checks by the relative error, as CS231n does them, and where that measure misleads (numpy + stdlib).

.. math:: \text{rel}(a, f) = \frac{|a - f|}{\max(|a|, |f|)}

a is the analytic derivative, f a numerical one: central differences

.. math:: f_{\mathrm{FD}} = \frac{F(x + h) - F(x - h)}{2h} \quad(\text{error} \approx \tfrac{h^2}{6}|F'''|
          + \tfrac{\varepsilon |F|}{h}\text{: a V over } h)

or the complex step

.. math:: f_{\mathrm{CS}} = \frac{\operatorname{Im} F(x + \mathrm i h)}{h} \quad(\text{error} \approx \tfrac{h^2}{6}|F'''|
          \text{ only: no subtraction, so it falls to } \varepsilon \text{ and stays there}).

Three subjects, each with its analytic derivative: softmax's Jacobian, log-softmax's Jacobian and the gradient of
the cross-entropy −log S_y. Every numerical derivative here evaluates only the function itself (complex-safe copies
written from the definition below), never the analytic formula.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from . import checks
from .fmt import given, num, prose
from .jacobian_props import Check
from .logsoftmax import log_softmax_jacobian
from .lse import ce_lse_grad
from .softmax import as_logits, check_temperature, jacobian, softmax

__all__ = [
    "EPS",
    "GOOD",
    "H_VALUES",
    "SUBJECTS",
    "GradSweep",
    "analytic",
    "central_difference",
    "complex_step",
    "gradcheck_claims",
    "gradcheck_reading",
    "pass_marks",
    "relative_error",
    "sweep",
    "verdict",
]

EPS = float(np.finfo(np.float64).eps)
H_VALUES = 10.0 ** -np.arange(1, 13, dtype=np.float64)  # 1e-1 … 1e-12: both arms of the V
SUBJECTS = {"softmax": "softmax's Jacobian ∂Sᵢ/∂zⱼ", "log_softmax": "log-softmax's Jacobian ∂log Sᵢ/∂zⱼ",
            "ce": "the cross-entropy gradient ∂L/∂zⱼ"}

# CS231n's reading of the relative error (for smooth functions, in float64): upper bound, verdict.
GOOD = ((1e-7, "good: what float64 and central differences give for a smooth function"),
        (1e-4, "suspicious for a smooth function like softmax (acceptable only across kinks such as ReLU)"),
        (1e-2, "uncomfortable: look for the cause before trusting the gradient"),
        (math.inf, "wrong: the analytic gradient is probably incorrect"))


def relative_error(a, f) -> np.ndarray:
    r"""Entry by entry :math:`|a - f| / \max(|a|, |f|)`, and 0 where both are exactly 0 (CS231n's measure).

    Shapes: a, f broadcastable -> their broadcast shape. Between 0 and 2; 1 when one of them is 0 and the other not.
    """
    a = np.asarray(a, dtype=np.float64)
    f = np.asarray(f, dtype=np.float64)
    den = np.maximum(np.abs(a), np.abs(f))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(den > 0, np.abs(a - f) / np.where(den > 0, den, 1.0), 0.0)


def verdict(rel: float) -> str:
    """CS231n's reading of a (max) relative error, as a phrase."""
    return next(text for bound, text in GOOD if rel < bound)


# ---- the subjects, from the definition (complex-safe: shift by the real max) ----------------------------------------


def _log_softmax_any(x, t: float):
    """log S of real or complex logits ``(..., n)``, row by row (a batch of rows is the same floats as one at a time)."""
    x = x / t
    x = x - np.max(x.real, axis=-1, keepdims=True)
    out = x - np.log(np.sum(np.exp(x), axis=-1, keepdims=True))
    if np.iscomplexobj(x):
        # log Sᵢ = −log Σₖ e^{xₖ − xᵢ}, its k = i term exactly 1 (as core.checks.complex_step_jacobian): once Sᵢ rounds
        # to 1, xᵢ − log Σe loses the others' share of the imaginary part, and at z = (50, −20, 0) the complex step
        # read ∂S₁/∂z₁ = 0 for 1.9×10⁻²²; a row whose sum overflows (a tiny Sᵢ) keeps the shifted form, exact there
        with np.errstate(over="ignore", invalid="ignore"):
            w = np.exp(x[..., None, :] - x[..., :, None]).sum(axis=-1)
            out = np.where(np.isfinite(w), -np.log(w), out)
    return out


def _function(subject: str, y: int, t: float):
    """F(z) for the subject, real or complex z ``(n,)``: S, log S, or the scalar −log S_y (a batch ``(m, n)`` of z:
    a row of F, or one −log S_y, for each).

    A real S is core's softmax e/Σe (max subtracted), as the Jacobian page's check differences it: exp(log S) would add
    a rounding of about |log Sᵢ|·ε to each Sᵢ, which a central difference divides by h. A complex S (the complex step)
    is exp(log S): no subtraction there, so that rounding stays at |log Sᵢ|·ε of the result."""
    if subject == "softmax":
        return lambda x: np.exp(_log_softmax_any(x, t)) if np.iscomplexobj(x) else softmax(x, t)
    if subject == "log_softmax":
        return lambda x: _log_softmax_any(x, t)
    if subject == "ce":
        return lambda x: -_log_softmax_any(x, t)[..., y]
    raise ValueError(f"subject must be one of {', '.join(SUBJECTS)}, got {given(subject, 20)}")


def analytic(z, subject: str = "softmax", y: int = 0, temperature: float = 1.0) -> np.ndarray:
    r"""The analytic derivative: J = (diag S − SSᵀ)/T ``(n, n)``, J_log = (I − 𝟙Sᵀ)/T ``(n, n)``, or (S − y)/T ``(n,)``."""
    z = as_logits(z)
    t = check_temperature(temperature)
    if subject == "softmax":
        return jacobian(z, t)
    # 1 − S_y and 1 − Sᵢ as the other outputs' sums: at z = (40, −40, 0) the plain forms gave a = 0 for −4.25×10⁻¹⁸
    # (cross-entropy) and 4.25×10⁻¹⁸ (log-softmax's diagonal), and the check counted them as "0 in both"
    if subject == "log_softmax":
        return log_softmax_jacobian(z, t)
    if subject == "ce":
        return ce_lse_grad(z, int(y), t)
    raise ValueError(f"subject must be one of {', '.join(SUBJECTS)}, got {given(subject, 20)}")


def central_difference(z, h: float, subject: str = "softmax", y: int = 0, temperature: float = 1.0) -> np.ndarray:
    r"""Central differences of the subject, column j from z ± h e_j. Same shape as :func:`analytic`."""
    x = as_logits(z)
    F = _function(subject, int(y), check_temperature(temperature))
    e = np.eye(x.size) * h  # row j: h e_j, so F's row j is F(z ± h e_j): every column in one call each way
    return ((F(x + e) - F(x - e)) / (2 * h)).T


def complex_step(z, h: float, subject: str = "softmax", y: int = 0, temperature: float = 1.0) -> np.ndarray:
    r"""The complex step, column j = Im F(z + i h e_j)/h. Same shape as :func:`analytic`."""
    x = as_logits(z)
    F = _function(subject, int(y), check_temperature(temperature))
    xc = np.tile(x.astype(np.complex128), (x.size, 1))
    xc[np.arange(x.size), np.arange(x.size)] += 1j * h  # row j: z + i h e_j
    return (F(xc).imag / h).T


@dataclass(frozen=True)
class GradSweep:
    r"""Analytic against FD and complex step at every h.

    - ``hs`` ``(k,)``; ``a`` the analytic derivative; ``fd``, ``cs`` ``(k, *a.shape)`` the estimates.
    - ``fd_rel``, ``cs_rel`` ``(k,)``: the max relative error over the entries (CS231n's number);
      ``fd_abs``, ``cs_abs`` ``(k,)``: the max absolute error, for comparison.
    - ``subject``, ``temperature``.
    - ``fd_rel_far`` ``(k,)``: FD's max relative error over the entries *not* near 0 at that h (NaN where every entry
      is), the rule of :func:`gradcheck_claims`'s ⚠ row; ``far_count`` ``(k,)``: how many entries that is.
    """

    hs: np.ndarray
    a: np.ndarray
    fd: np.ndarray
    cs: np.ndarray
    fd_rel: np.ndarray
    cs_rel: np.ndarray
    fd_abs: np.ndarray
    cs_abs: np.ndarray
    subject: str
    temperature: float
    fd_rel_far: np.ndarray | None = None
    far_count: np.ndarray | None = None

    @property
    def best(self) -> tuple[float, float]:
        """(h, max relative error) at the bottom of FD's V."""
        k = int(np.argmin(self.fd_rel))
        return float(self.hs[k]), float(self.fd_rel[k])

    @property
    def far(self) -> str:
        """The best FD reading without the entries near 0, in words, when those entries change its verdict (else "").

        Near 0 (below 10⁷ × FD's resolution at that h) FD's rounding alone can push an entry's relative error past
        10⁻⁷: the ⚠ row of the claims says the measure fails there, not the derivative, and this reading agrees."""
        if self.fd_rel_far is None or (not np.any(self.a) and not np.any(self.fd)):
            return ""
        rel = self.best[1]
        size = self.a.size
        if np.all(np.isnan(self.fd_rel_far)):
            return ("Every entry is near 0 at every h (below 10⁷ × FD's resolution ε·max(|F|, 1)/h), where rounding "
                    "alone decides the relative error: this reading says nothing about the derivative.")
        k = int(np.nanargmin(self.fd_rel_far))
        far = float(self.fd_rel_far[k])
        if verdict(far) == verdict(rel):
            return ""
        return (f"Leaving out, at each h, the entries near 0 (below 10⁷ × FD's resolution ε·max(|F|, 1)/h, where the "
                f"measure fails rather than the derivative), the best reading is {prose(far, 2)} at "
                f"h = {prose(float(self.hs[k]))}, on {int(self.far_count[k])} of {size} entries: {verdict(far)}.")

    @property
    def sentence(self) -> str:
        """The computed caption of the sweep."""
        h, rel = self.best
        k = int(np.argmin(self.fd_rel))
        if not np.any(self.a) and not np.any(self.fd):
            return ("Every entry is exactly 0, analytic and numerical, at every h: the relative error is 0 by definition, "
                    "and the check passes without checking anything (softmax has saturated in float64).")
        left, right = float(self.fd_rel[0]), float(self.fd_rel[-1])
        # "is smallest, 1, at h = 0.1": the value set off, never "is smallest at 1 at h = 0.1" (saturation)
        shape = (f"falls as h² while h shrinks, bottoms out at {prose(rel, 2)} at h = {prose(h)}"
                 if left > 10 * rel and right > 10 * rel else f"is smallest, {prose(rel, 2)}, at h = {prose(h)}")
        tail = (f"then rises again as rounding (ε/h) takes over ({prose(right, 2)} at h = {prose(self.hs[-1])})"
                if right > 10 * rel else "and rounding has not yet taken over at the smallest h")
        return (f"Central differences: the relative error {shape}, {tail}. "
                f"The complex step has no subtraction: {prose(float(self.cs_rel[k]), 2)} at the same h and "
                f"{prose(float(self.cs_rel[-1]), 2)} at h = {prose(self.hs[-1])}. "
                f"CS231n's verdict on the best FD value: {verdict(rel)}." + (f" {self.far}" if self.far else ""))


def sweep(z, subject: str = "softmax", y: int = 0, temperature: float = 1.0, hs=None) -> GradSweep:
    r"""The gradient check over a range of h (default :data:`H_VALUES`, 1e-1 … 1e-12).

    Shapes: z ``(n,)`` -> :class:`GradSweep`; each h costs 2n evaluations for FD and n for the complex step.
    """
    t = check_temperature(temperature)
    hs = H_VALUES if hs is None else np.asarray(hs, dtype=np.float64)
    a = analytic(z, subject, y, t)
    fd = np.stack([central_difference(z, h, subject, y, t) for h in hs])
    cs = np.stack([complex_step(z, h, subject, y, t) for h in hs])
    axes = tuple(range(1, fd.ndim))
    rel = relative_error(a, fd)
    unit = _resolution(z, subject, y, t, 1.0)  # ε·max(|F|, 1): F(z) once, not once per h (x / 1.0 is x exactly)
    near = np.maximum(np.abs(a), np.abs(fd)) < NEAR_0 * np.stack([unit / h for h in hs]).reshape(
        (-1,) + (1,) * a.ndim)  # the ⚠ row's "near 0", at each h
    far = np.where(near, -np.inf, rel).max(axis=axes)
    return GradSweep(hs, a, fd, cs, rel.max(axis=axes), relative_error(a, cs).max(axis=axes),
                     np.abs(fd - a).max(axis=axes), np.abs(cs - a).max(axis=axes), subject, t,
                     np.where(np.isfinite(far), far, np.nan), (~near).sum(axis=axes))


# ---- where the relative error misleads -----------------------------------------------------------------------------

GOOD_REL = GOOD[0][0]  # 10⁻⁷: CS231n's "good"
NEAR_0 = 1 / GOOD_REL  # an entry below 10⁷ × FD's resolution: rounding alone can put its relative error above 10⁻⁷


def _resolution(z, subject: str, y: int, t: float, h: float) -> float:
    r"""FD's rounding error at h, about :math:`arepsilon \max(|F|, 1)/h`: each value of F is rounded to ε of the
    numbers it is made of, and F's own arithmetic works with numbers of size 1 however small F is (the largest term
    of Σₖ e^{xₖ − max} is 1, and the CE loss log(1 + …) near 0 is computed from a sum near 1)."""
    F = _function(subject, int(y), t)(as_logits(z))
    return EPS * max(float(np.abs(F).max()), 1.0) / h


def gradcheck_reading(z, subject: str = "softmax", y: int = 0, temperature: float = 1.0, h: float = 1e-6,
                      best_h: float | None = None) -> str:
    r"""What the claims of :func:`gradcheck_claims` mean at this h, in computed words: when an entry counts as near 0
    (below 10⁷ × FD's resolution ε·max(|F|, 1)/h, where rounding alone can put its relative error above 10⁻⁷), and
    where each ✗ comes from: entries near 0 (the measure), or FD's own error at this h, on the truncation arm of the V
    (h above ``best_h``, the bottom of the sweep's V) or the rounding arm (below it)."""
    t = check_temperature(temperature)
    a = analytic(z, subject, y, t)
    f = central_difference(z, h, subject, y, t)
    rel = relative_error(a, f)
    floor = _resolution(z, subject, y, t, h)
    tiny = np.maximum(np.abs(a), np.abs(f)) < NEAR_0 * floor
    out = [f"At h = {prose(h)}, central differences resolve about ε·max(|F|, 1)/h = {prose(floor)}, so an entry counts as "
           f"near 0 below 10⁷ times that, {prose(NEAR_0 * floor)}: there rounding alone can push its relative error past "
           "10⁻⁷."]
    bad = rel > GOOD_REL
    # "does better" only where the bottom of the V reads better: at z = (40, −40, 0) every h reads 1
    best_rel = None if best_h is None else float(relative_error(a, central_difference(z, best_h, subject, y, t)).max())
    if best_h is None:
        arm = ""
    elif h != best_h and not best_rel < 0.5 * float(rel.max()):
        arm = (f" No h does better here: the bottom of the sweep, h = {prose(best_h)}, reads {prose(best_rel, 2)} "
               "as well.")
    elif h > best_h:
        arm = (f" h = {prose(h)} is on the truncation arm of the V (h²|F‴|/6): a smaller h, near the bottom at "
               f"h = {prose(best_h)}, does better.")
    elif h < best_h:
        arm = (f" h = {prose(h)} is on the rounding arm of the V (ε|F|/h): a larger h, near the bottom at "
               f"h = {prose(best_h)}, does better.")
    else:
        arm = " This h is the bottom of the V: float64 central differences do no better here."
    if bad.any():
        far = bad & ~tiny
        if not far.any():
            out.append(f"The first row's ✗ comes only from {int(bad.sum())} entr{'y' if bad.sum() == 1 else 'ies'} near "
                       "0 (the ⚠ row): the measure fails there, not the derivative.")
        else:
            crel = float(relative_error(a, complex_step(z, 1e-20, subject, y, t)).max())
            whose = (f"FD's own error at this h, since the complex step agrees with the formula to {prose(crel, 2)}"
                     if crel < GOOD_REL else f"not explained by FD alone: the complex step too reads {prose(crel, 2)}")
            out.append(f"The first row's ✗ comes from {int(far.sum())} entr{'y' if far.sum() == 1 else 'ies'} not near 0 "
                       f"(largest relative error {prose(float(rel[far].max()), 2)}): {whose}." + arm)
    scale = float(np.abs(a).max())
    err = float(np.abs(a - f).max())
    if scale > 0 and err / scale >= GOOD_REL:
        cause = (f" FD's rounding at this h, {prose(floor)}, is itself above 10⁻⁷ of that entry." if floor >= GOOD_REL * scale
                 else f" FD's rounding at this h, {prose(floor)}, is below 10⁻⁷ of it: the rest is truncation, h²|F‴|/6.")
        out.append(f"The second row fails too: FD's largest error, {prose(err)}, is {prose(err / scale, 2)} times the "
                   f"largest entry, {prose(scale)}." + cause + ("" if bad.any() and (bad & ~tiny).any() else arm))
    return " ".join(out)


def pass_marks(subject: str = "softmax") -> str:
    r"""Why the Jacobian page's check can pass what CS231n's first row fails: the same central differences of the
    same S (:func:`core.checks.fd_jacobian`), read by two pass marks. Empty for the other subjects."""
    if subject != "softmax":
        return ""
    return (f"The Jacobian page's check table takes these same central differences at h = {prose(checks.FD_H)} and "
            f"gets the same relative errors, but its pass mark is {prose(checks.FD_RTOL)} on every entry they resolve "
            f"(|Jᵢⱼ| ≥ 10⁴·ε·Sᵢ/h): it asks whether the formula is right. CS231n's {prose(GOOD_REL)} asks more, "
            "whether the check is as sharp as float64 allows, so a ✓ there and a ✗ here can both be right.")


def _apart(a: float, f: float) -> tuple[str, str]:
    """a and f with 3 significant figures, or as many more (up to 17) as it takes for the two to print differently, so
    the relative error between them can be seen."""
    d = 3
    while d < 17 and num(a, d) == num(f, d):
        d += 1
    return num(a, d), num(f, d)


def gradcheck_claims(z, subject: str = "softmax", y: int = 0, temperature: float = 1.0, h: float = 1e-6) -> list[Check]:
    r"""The gradient-check step's claims grid at one h, each computed from the numbers.

    Rows: CS231n's max relative error and its verdict; the error relative to the largest entry (the scale) instead;
    whether a bad relative error sits on entries far below that scale (near 0: the measure misleads); whether
    analytic and numeric are both exactly 0 somewhere (relative error 0, yet nothing was checked); the complex step.
    """
    t = check_temperature(temperature)
    a = analytic(z, subject, y, t)
    f = central_difference(z, h, subject, y, t)
    c = complex_step(z, 1e-20, subject, y, t)
    rel = relative_error(a, f)
    worst = float(rel.max())
    scale = float(np.abs(a).max())
    err = np.abs(a - f)
    normwise = float(err.max()) / scale if scale > 0 else (0.0 if err.max() == 0 else math.inf)
    out = [Check("max relative error (CS231n)", "max |a − f| / max(|a|, |f|) < 10⁻⁷",
                 f"{num(worst)} at h = {num(h)}: {verdict(worst)}", bool(worst < 1e-7),
                 "Relative, so a gradient of size 10⁻³ and one of size 10³ are judged alike.")]
    out.append(Check("error relative to the scale", "max |a − f| / max |a| < 10⁻⁷", num(normwise),
                     bool(normwise < 1e-7) if math.isfinite(normwise) else False,
                     "The absolute error against the largest entry: what a training step would feel."))
    # FD resolves a derivative only down to its rounding error (:func:`_resolution`); where both the analytic and the
    # numerical value lie within 10⁷ times that of 0, a relative error above 10⁻⁷ is rounding, not a wrong formula
    floor = _resolution(z, subject, y, t, h)
    tiny = np.maximum(np.abs(a), np.abs(f)) < NEAR_0 * floor
    bad = rel > 1e-7
    misled = bad & tiny
    if misled.any():
        k = np.unravel_index(int(np.argmax(np.where(misled, rel, -1))), a.shape)
        shown_a, shown_f = _apart(float(a[k]), float(f[k]))
        out.append(Check("entries near 0", "a bad relative error only below FD's resolution",
                         f"FD resolves about ε·max(|F|, 1)/h = {num(floor)}; {int(misled.sum())} "
                         f"entr{'y' if misled.sum() == 1 else 'ies'} near 0 fail: worst a = {shown_a}, "
                         f"f = {shown_f}, relative error {num(float(rel[k]), 2)}",
                         None, "Near 0, FD's rounding error (ε|F|/h) is comparable to the entry itself: the relative "
                         "error is large although the gradient is right for every purpose. Saturation makes such entries."))
    else:
        out.append(Check("entries near 0", "no bad relative error hides on a tiny entry",
                         f"FD resolves about ε·max(|F|, 1)/h = {num(floor)}; no failing entry lies near 0", True,
                         "Where an entry is far below the others, FD's rounding error can exceed it; none does here."))
    zeros = (a == 0) & (f == 0)
    if zeros.all():
        out.append(Check("zeros check nothing", "not every entry is 0 in both", "every entry is exactly 0 in both: "
                         "relative error 0, defined as such", None,
                         "Softmax has saturated: float64 rounds the derivative to 0 and FD sees no change either. "
                         "A check that compares 0 with 0 passes whatever the formula is."))
    else:
        out.append(Check("zeros check nothing", "not every entry is 0 in both",
                         f"{int(zeros.sum())} of {a.size} entries are 0 in both (counted as relative error 0)",
                         True if not zeros.any() else None,
                         "0 against 0 is a pass that checks nothing; the other entries carry the evidence."))
    crel = float(relative_error(a, c).max())
    out.append(Check("complex step", "max relative error ≈ ε = 2.2×10⁻¹⁶", f"{num(crel)} at h = 10⁻²⁰",
                     True if crel < 1e-13 else None,
                     "Im F(z + ih)/h subtracts no two values of F, so h can be tiny and the error is rounding alone. Each "
                     "log Sᵢ is taken as −log Σₖ e^{zₖ − zᵢ}, so an Sᵢ that rounds to 1 keeps the digits of its "
                     "derivative; a larger reading would point at the formula."))
    return out
