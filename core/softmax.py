r"""Softmax, its log, its Jacobian and its vector-Jacobian product.

Every forward function sits beside its derivative (micrograd style). Shapes use
``...`` for any leading batch shape and ``n`` for the number of classes.
"""

from __future__ import annotations

import decimal
import math
from decimal import Decimal

import numpy as np

from .fmt import given

__all__ = [
    "as_logits",
    "check_temperature",
    "elementwise_p1mp",
    "jacobian",
    "jacobian_of",
    "log_softmax",
    "minus_target",
    "naive_softmax",
    "others",
    "softmax",
    "softmax_change",
    "softmax_delta",
    "stable_softmax_in",
    "underflowed",
    "vjp",
]

TINY = np.finfo(np.float64).tiny  # the smallest normal float64, 2.2e-308


def as_logits(z, name: str = "z") -> np.ndarray:
    """Validate and convert logits to a float64 array of shape ``(..., n)``, ``n >= 1``.

    Raises ``ValueError`` with a student-readable message for empty, non-numeric
    or non-finite input, instead of letting NaN leak into every output.
    """
    try:
        arr = np.asarray(z, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers, e.g. [2.0, 1.0, 0.1]; got {given(z, 80)}") from exc
    if arr.ndim == 0:
        raise ValueError(f"{name} must be a vector of logits, e.g. [2.0, 1.0, 0.1], not a single number")
    if arr.size == 0 or arr.shape[-1] == 0:
        raise ValueError(f"{name} is empty: softmax needs at least one logit")
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} contains NaN or infinity; every logit must be a finite number")
    return arr


def positive_number(value, name: str, why: str = "") -> float:
    """Return ``value`` as a float, or raise ``ValueError`` (naming it ``name``, with ``why``) unless it is a finite
    number > 0. The one check for the temperature and the learning rate."""
    try:
        x = float(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number, got {given(value)}") from exc
    if not math.isfinite(x) or x <= 0:
        raise ValueError(f"{name} must be a finite number > 0{why}, got {x}")
    return x


def check_temperature(temperature) -> float:
    """Return ``temperature`` as a float, or raise ``ValueError`` unless it is finite and > 0."""
    return positive_number(temperature, "temperature", " (it divides the logits)")


def _scaled(z, temperature) -> np.ndarray:
    """z / T, validated; raises if the division overflows (e.g. z = 1e308, T = 0.1)."""
    arr = as_logits(z)
    t = check_temperature(temperature)
    with np.errstate(over="ignore"):
        scaled = arr / t
    if not np.all(np.isfinite(scaled)):
        raise ValueError("z / temperature overflows float64; use smaller logits or a larger temperature")
    return scaled


def _shifted(z, temperature, axis: int = -1) -> np.ndarray:
    """(z − max z) / T, validated as :func:`_scaled` is. The shift comes *before* the division: z_k − max z is
    exact for nearby logits (Sterbenz), so the exponent carries one rounding, not the rounding of a huge z/T."""
    arr = as_logits(z)
    t = check_temperature(temperature)
    _scaled(arr, t)  # the same error as before when z / T itself overflows
    with np.errstate(over="ignore"):  # 1e308 − (−1e308) is −inf: e^{−inf} = 0, which is right
        return (arr - np.max(arr, axis=axis, keepdims=True)) / t


def _rest(e, x, axis: int = -1) -> np.ndarray:
    r"""Σ e_k over every k but one position of the maximum (keepdims): the r in Σ e = 1 + r, summed, never
    obtained as (1 + r) − 1, so log1p(r) keeps every digit of a tiny r."""
    top = np.expand_dims(np.argmax(x, axis=axis), axis)
    mask = np.zeros(x.shape, dtype=bool)
    np.put_along_axis(mask, top, True, axis=axis)
    return np.sum(np.where(mask, 0, e), axis=axis, keepdims=True)


def _floats(a) -> np.ndarray:
    """``a`` as an array of its own float type (float16/32/64; anything else as float64)."""
    a = np.asarray(a)
    return a if a.dtype.kind == "f" else a.astype(np.float64)


def others(S, axis: int = -1) -> np.ndarray:
    r"""The complement of each output, :math:`\sum_{k \ne i} S_k`, summed from the other outputs.

    It equals 1 − S_i in exact arithmetic, but once S_i is within 1e-16 of 1 the subtraction rounds to 0 while the
    sum of the others keeps all their digits. Shapes ``(..., n) -> (..., n)``, in S's float type.
    """
    S = np.moveaxis(_floats(S), axis, -1)
    n = S.shape[-1]
    rest = S @ (1 - np.eye(n, dtype=S.dtype))  # each sum adds the others' entries (times 1) and a 0: no cancellation
    return np.moveaxis(rest, -1, axis)


def underflowed(values) -> np.ndarray:
    """True where a value float64 holds only roughly or not at all: 0 or subnormal (|v| < 2.2e-308).

    Softmax outputs and Jacobian entries are never 0 in exact arithmetic (n ≥ 2), so a page prints "below
    float64's range" for these instead of a 0 or a number with few significant digits. Shapes: like ``values``.
    """
    v = np.abs(np.asarray(values, dtype=np.float64))
    return v < np.finfo(np.float64).tiny


def softmax(z, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""Numerically stable softmax along ``axis``.

    .. math:: S_i = \frac{e^{z_i / T}}{\sum_{k=1}^{n} e^{z_k / T}}

    Shapes: ``(..., n) -> (..., n)``. We subtract the max before ``exp`` because
    softmax is shift invariant, S(z + c) = S(z), and the shifted exponents are
    all <= 0, so ``exp`` can never overflow; the largest term is exactly 1, so
    the denominator can never underflow to 0.
    """
    e = np.exp(_shifted(z, temperature, axis))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""Stable log-softmax via log-sum-exp.

    .. math:: \log S_i = \frac{z_i}{T} - \log\sum_k e^{z_k / T}
              = x_i - \operatorname{log1p}(r),\quad x = \frac{z - \max z}{T},\quad r = \sum_{k \ne \arg\max} e^{x_k}

    Shapes: ``(..., n) -> (..., n)``. Never ``log(softmax(z))``: that gives
    ``log(0) = -inf`` as soon as some S_i underflows. The largest logit's entry is −log1p(r): ``log(1 + r)``
    would round 1 + r to 1 and give 0 once r < 1e-16 (z = (40, −40, 0): −4.25e-18, not 0).
    """
    x = _shifted(z, temperature, axis)
    e = np.exp(x)
    return x - np.log1p(_rest(e, x, axis))


def jacobian(z, temperature: float = 1.0) -> np.ndarray:
    r"""The softmax Jacobian ``J[..., i, j] = dS_i/dz_j``.

    .. math:: \frac{\partial S_i}{\partial z_j} = \frac{1}{T} S_i(\delta_{ij} - S_j),
              \qquad J = \frac{1}{T}\left(\operatorname{diag}(S) - S S^\top\right)

    Shapes: ``(..., n) -> (..., n, n)``; rows are outputs S_i, columns inputs z_j.
    The diagonal is computed as :math:`S_i \sum_{k \ne i} S_k` (:func:`others`), never :math:`S_i - S_i^2`: at
    z = (40, −40, 0) S₁ rounds to 1 and S₁ − S₁² to 0, while S₁(S₂ + S₃) = 4.25e-18 to the last digit.
    """
    t = check_temperature(temperature)
    return jacobian_of(softmax(z, t)) / t


def jacobian_of(S) -> np.ndarray:
    r"""The Jacobian :math:`\operatorname{diag}(S) - S S^\top` at T = 1 from the outputs S themselves, in S's float
    type (float16/32/64); the diagonal is :math:`S_i \sum_{k \ne i} S_k` (:func:`others`).
    Shapes ``(..., n) -> (..., n, n)``.
    """
    S = _floats(S)
    dS_dz = -S[..., :, None] * S[..., None, :]
    idx = np.arange(S.shape[-1])
    dS_dz[..., idx, idx] = S * others(S)
    return dS_dz


def vjp(z, g, temperature: float = 1.0) -> np.ndarray:
    r"""Vector-Jacobian product ``g @ J`` without forming J: dL/dz from g = dL/dS.

    .. math:: \frac{\partial L}{\partial z_j} = \sum_i g_i \frac{\partial S_i}{\partial z_j}
              = \frac{1}{T} S_j \Big(g_j - \sum_i g_i S_i\Big),
              \qquad \nabla_z L = \frac{1}{T}\, S \odot (g - g\cdot S)

    Shapes: z ``(..., n)``, g ``(..., n)`` (broadcastable) ``-> (..., n)``.
    The bracket is summed as :math:`g_j - g\cdot S = \sum_i S_i (g_j - g_i)` (Σ S = 1), so nothing cancels
    when one S_i is near 1: for cross-entropy's g = −y/S it gives −Σ_{k≠y} S_k on the target, not 1 − 1/S_y·S_y.
    O(n²) per row, like J, but J is never stored.
    """
    t = check_temperature(temperature)
    S = softmax(z, t)
    dL_dS = as_logits(g, name="g (the upstream gradient dL/dS)")
    try:
        np.broadcast_shapes(S.shape, dL_dS.shape)
    except ValueError as exc:
        raise ValueError(f"g has shape {dL_dS.shape} but z has shape {S.shape}; they must match") from exc
    if dL_dS.shape[-1] != S.shape[-1]:
        raise ValueError(f"g has {dL_dS.shape[-1]} entries per row but z has {S.shape[-1]}")
    dL_dS = np.broadcast_to(dL_dS, np.broadcast_shapes(S.shape, dL_dS.shape))
    S = np.broadcast_to(S, dL_dS.shape)
    with np.errstate(invalid="ignore"):  # an infinite g (S_y underflowed) gives NaN, as before
        bracket = np.einsum("...i,...ji->...j", S, dL_dS[..., :, None] - dL_dS[..., None, :])
    return S * bracket / t


def minus_target(S, Y) -> np.ndarray:
    r"""S − Y, with the target's entry of a one-hot row as :math:`-\sum_{k \ne y} S_k` (never S_y − 1, which
    rounds to 0 once S_y is within 1e-16 of 1). The cross-entropy gradient's bracket. Soft targets: S − Y as it is.

    Shapes: S ``(..., n)``, Y ``(..., n)`` (broadcastable) ``-> (..., n)``, in S's float type.
    """
    S = _floats(S)
    Y = np.broadcast_to(np.asarray(Y, dtype=S.dtype), S.shape)
    onehot = np.all((Y == 0) | (Y == 1), axis=-1, keepdims=True) & (np.sum(Y, axis=-1, keepdims=True) == 1)
    return np.where(onehot & (Y == 1), -others(S), S - Y)


def softmax_change(z, j: int, dz: float, temperature: float = 1.0) -> np.ndarray:
    r"""The exact change of S when z_j alone moves by Δ: :math:`S(z + \Delta e_j) - S(z)`, without subtracting.

    .. math:: \Delta S_i = \frac{-S_i S_j\,(e^{\Delta/T} - 1)}{D}\ (i \ne j),\qquad
              \Delta S_j = \frac{S_j \sum_{k \ne j} S_k\,(e^{\Delta/T} - 1)}{D},\qquad
              D = \sum_{k \ne j} S_k + S_j e^{\Delta/T}

    (``expm1``, :func:`others`): at z = (40, −40, 0) a nudge of z₃ by 0.1 changes S₁ by −4.47e-19, which the
    difference of two softmaxes (both 1.0 in float64) gives as 0. Shapes: z ``(n,)`` -> ``(n,)``.
    """
    S = softmax(z, temperature)
    j = int(j)
    if S.ndim != 1 or not 0 <= j < S.size:
        raise ValueError(f"j must index one of the {S.size} logits (0-based), got {j}")
    step = np.zeros(S.size)
    step[j] = dz
    return softmax_delta(z, step, temperature)


def softmax_delta(z, dz, temperature: float = 1.0) -> np.ndarray:
    r"""The exact change :math:`S(z + \Delta z) - S(z)` for a nudge Δz of every logit, without subtracting S's.

    .. math:: \Delta S_i = S_i\,\frac{\sum_k S_k\,(e^{a_i} - e^{a_k})}{\sum_k S_k e^{a_k}},\qquad a = \Delta z / T

    with :math:`e^{a_i} - e^{a_k} = e^{a_k}\operatorname{expm1}(a_i - a_k)` when the two are close (a shift by
    max a keeps every exponential ≤ 1). The k = i term is exactly 0, so at saturation nothing of size 1 cancels.
    Near a zero crossing of ΔS_i the sum itself cancels (terms of both signs; z = (0, 0, 0, 58, 58, 0), T = 6,
    Δz = 0.1·(1, −½, …): ΔS₆ = −5.3e-11 from terms of 2.5e-8), and no rearrangement in float64 avoids it: each term
    carries its rounding (ε relative), and the sum can be any number of times smaller than the terms. So each entry
    carries a bound on its float64 rounding error, summed over its actual terms (:func:`_delta_error`); where the
    bound passes 5e-13 relative (and the entry is a normal float64), or S_i underflowed and the nudge lifts it back,
    the entry is recomputed in decimal with as many digits as needed (:func:`_delta_decimal`).
    Shapes: z ``(n,)``, dz ``(n,)`` -> ``(n,)``.
    """
    t = check_temperature(temperature)
    x = _shifted(z, t)  # kept for the error bound and log S
    S = np.exp(x) / np.sum(np.exp(x), axis=-1, keepdims=True)  # softmax(z, t), as it computes it
    d = np.broadcast_to(np.asarray(dz, dtype=np.float64), S.shape)
    if S.ndim != 1 or not np.all(np.isfinite(d / t)):
        raise ValueError(f"dz must be {S.size} finite numbers, like z")
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        a = (d - d.max()) / t  # shifted before dividing, like the logits (_shifted): one rounding per entry
        ea = np.exp(a)
        diff = np.subtract.outer(d, d) / t  # a_i − a_k from the nudge itself, not from two rounded a's
        near = ea[None, :] * np.expm1(diff)  # exact for close a_i, a_k
        gap = np.where(np.abs(diff) < 1, near, ea[:, None] - ea[None, :])  # far apart: no digits to lose
        terms = gap * S  # S_k (e^{a_i} − e^{a_k}), row i
        num, den = terms.sum(axis=1), S @ ea
        out = S * (num / den)  # not (S num)/den: S_i num_i can be subnormal where ΔS_i is not
        err = _delta_error(S, x, a, terms, num, den)
        # certain to 5e-13 relative, or certain to lie below float64's normal range (then any float there will do)
        sure = (err <= 5e-13 * np.abs(out)) | (np.abs(out) + err < TINY)
        # S_i below float64's normal range (no digits to bound): ΔS_i is a normal number only if the nudge lifts
        # S_i' = S_i e^{a_i}/den above it (log S_i' = x_i − log Σ e^x + a_i − log den does not underflow)
        lost = ~(x - np.log(np.sum(np.exp(x))) + a - np.log(den) < np.log(TINY) - 1)
    redo = np.flatnonzero(np.where(S < TINY, lost, ~sure) | ~np.isfinite(out))
    if redo.size:
        out[redo] = _delta_decimal(z, d, t, redo)
    return out


def _delta_error(S, x, a, terms, num, den) -> np.ndarray:
    r"""A first-order bound on the absolute rounding error of :func:`softmax_delta`'s float64 entries
    :math:`S_i\,\mathrm{num}_i/\mathrm{den}`, shape ``(n,)``.

    The shifted exponents x = (z − max z)/T and a = (Δz − max Δz)/T carry two roundings each, so S_k is off by
    :math:`\sigma_k = \epsilon(3 + n + 2|x_k|)` relative (n: its Σ) and :math:`e^{a_k}` by
    :math:`\alpha_k = \epsilon(2 + 2|a_k|)`, each of them and each product by a subnormal (5e-324) where it underflows
    (4n of those per sum); a term :math:`t_{ik} = S_k(e^{a_i} - e^{a_k})` by
    :math:`\sigma_k + 2\alpha_k + 2\alpha_i + 5\epsilon` (far apart, the difference of two exponentials ≥ 1 apart in
    a loses under 2×). The numerator's error is that of its terms, Σ_k |t_ik|(…), whatever their sum: at a zero
    crossing (Σ|t| ≫ |Σ t|) it is large beside |num_i|. The denominator is a sum of positive terms.
    """
    eps, n, sub = np.finfo(np.float64).eps, S.size, 2 * np.finfo(np.float64).smallest_subnormal
    sigma, alpha = eps * (3 + n + 2 * np.abs(x)), eps * (2 + 2 * np.abs(a))
    mag = np.abs(terms)
    err_num = mag @ (sigma + 2 * alpha) + (2 * alpha + (5 + n) * eps) * mag.sum(axis=1) + 4 * n * sub
    err_den = ((S * np.exp(a)) @ (sigma + alpha + n * eps) + 4 * n * sub) / den
    return S * (err_num / den + np.abs(num / den) * (sigma + err_den + 2 * eps))


def _delta_decimal(z, dz, t: float, idx) -> np.ndarray:
    r"""Entries ``idx`` of S(z + Δz) − S(z) in decimal arithmetic, as the difference of the two softmaxes itself.

    Every float64 input converts to Decimal exactly, ``exp`` is correctly rounded and the exponent range is
    unlimited, so with p digits each S_k is off by at most :math:`u = 10^{-p}(4 + n + 16\max|x|)` relative (x the
    exponents z/T and (z + Δz)/T: their rounding, the shift's, exp's, the sum's and the division's), and the
    difference is certain to :math:`u\,(S_i + S_i')`. Digits are doubled until that is
    below 1e-17 of the result, or below 1e-340 (past float64's smallest subnormal: the float is then exact).
    Shapes: ``idx (m,) -> (m,)``.
    """
    idx = np.atleast_1d(idx)
    digits = 40
    while True:
        with decimal.localcontext() as ctx:
            ctx.prec, ctx.Emax, ctx.Emin = digits, decimal.MAX_EMAX, decimal.MIN_EMIN
            T = Decimal(float(t))
            x = [Decimal(float(v)) / T for v in np.ravel(z)]
            x2 = [v + Decimal(float(w)) / T for v, w in zip(x, dz, strict=True)]
            S, S2 = _decimal_softmax(x), _decimal_softmax(x2)
            u = Decimal(10) ** -digits * (4 + len(x) + 16 * max(abs(v) for v in x + x2))
            delta = [S2[i] - S[i] for i in idx]
            err = [u * (S[i] + S2[i]) for i in idx]
        if all(e <= abs(d) * Decimal("1e-17") or e < Decimal("1e-340") for d, e in zip(delta, err, strict=True)):
            return np.array([float(d) for d in delta])
        digits *= 2


def _decimal_softmax(x) -> list:
    """Softmax of the Decimal exponents ``x`` in the current decimal context (shifted by the max: every e^{x_k} ≤ 1)."""
    m = max(x)
    e = [(v - m).exp() for v in x]
    total = sum(e)
    return [v / total for v in e]


def naive_softmax(z, dtype=np.float64) -> np.ndarray:
    r"""The textbook form ``e^{z} / \sum e^{z}`` in ``dtype``, *without* the max shift.

    Only for the numerical-stability lesson: with z = (1000, 999, 0) ``exp``
    overflows to inf and inf / inf is NaN. Warnings are silenced on purpose;
    the page shows the inf and NaN instead. Shapes: ``(n,) -> (n,)``.
    """
    x = np.asarray(z, dtype=dtype)
    with np.errstate(all="ignore"):
        e = np.exp(x)
        return e / np.sum(e, dtype=dtype)


def stable_softmax_in(z, dtype=np.float64) -> np.ndarray:
    """The max-shifted softmax computed entirely in ``dtype`` (float16/32/64). Shapes ``(n,) -> (n,)``."""
    x = np.asarray(z, dtype=dtype)
    with np.errstate(all="ignore"):
        e = np.exp(x - np.max(x))
        return e / np.sum(e, dtype=dtype)


def elementwise_p1mp(z, temperature: float = 1.0) -> np.ndarray:
    r"""The common *misconception*: the diagonal-only "Jacobian" diag(S(1 - S)).

    .. math:: \tilde J = \operatorname{diag}\big(S \odot (1 - S)\big) / T

    It keeps the diagonal of the true J and drops every off-diagonal -S_i S_j.
    Shapes ``(..., n) -> (..., n, n)``. Shown next to :func:`jacobian` so the
    difference is visible; never use it for training.
    """
    t = check_temperature(temperature)
    S = softmax(z, t)
    out = np.zeros((*S.shape, S.shape[-1]))
    idx = np.arange(S.shape[-1])
    out[..., idx, idx] = S * others(S)  # the true diagonal, S(1 − S), summed so it survives saturation
    return out / t
