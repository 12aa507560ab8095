r"""Softmax, its log, its Jacobian and its vector-Jacobian product.

Every forward function sits beside its derivative (micrograd style). Shapes use
``...`` for any leading batch shape and ``n`` for the number of classes.
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "as_logits",
    "check_temperature",
    "elementwise_p1mp",
    "jacobian",
    "log_softmax",
    "naive_softmax",
    "softmax",
    "stable_softmax_in",
    "vjp",
]


def as_logits(z, name: str = "z") -> np.ndarray:
    """Validate and convert logits to a float64 array of shape ``(..., n)``, ``n >= 1``.

    Raises ``ValueError`` with a student-readable message for empty, non-numeric
    or non-finite input, instead of letting NaN leak into every output.
    """
    try:
        arr = np.asarray(z, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numbers, e.g. [2.0, 1.0, 0.1]; got {z!r:.80}") from exc
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
        raise ValueError(f"{name} must be a number, got {value!r:.40}") from exc
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


def softmax(z, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""Numerically stable softmax along ``axis``.

    .. math:: S_i = \frac{e^{z_i / T}}{\sum_{k=1}^{n} e^{z_k / T}}

    Shapes: ``(..., n) -> (..., n)``. We subtract the max before ``exp`` because
    softmax is shift invariant, S(z + c) = S(z), and the shifted exponents are
    all <= 0, so ``exp`` can never overflow; the largest term is exactly 1, so
    the denominator can never underflow to 0.
    """
    x = _scaled(z, temperature)
    x = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(x)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""Stable log-softmax via log-sum-exp.

    .. math:: \log S_i = \frac{z_i}{T} - \log\sum_k e^{z_k / T}
              = x_i - m - \log\sum_k e^{x_k - m},\quad m = \max_k x_k

    Shapes: ``(..., n) -> (..., n)``. Never ``log(softmax(z))``: that gives
    ``log(0) = -inf`` as soon as some S_i underflows.
    """
    x = _scaled(z, temperature)
    x = x - np.max(x, axis=axis, keepdims=True)
    return x - np.log(np.sum(np.exp(x), axis=axis, keepdims=True))


def jacobian(z, temperature: float = 1.0) -> np.ndarray:
    r"""The softmax Jacobian ``J[..., i, j] = dS_i/dz_j``.

    .. math:: \frac{\partial S_i}{\partial z_j} = \frac{1}{T} S_i(\delta_{ij} - S_j),
              \qquad J = \frac{1}{T}\left(\operatorname{diag}(S) - S S^\top\right)

    Shapes: ``(..., n) -> (..., n, n)``; rows are outputs S_i, columns inputs z_j.
    """
    t = check_temperature(temperature)
    S = softmax(z, t)
    dS_dz = -S[..., :, None] * S[..., None, :]
    idx = np.arange(S.shape[-1])
    dS_dz[..., idx, idx] += S
    return dS_dz / t


def vjp(z, g, temperature: float = 1.0) -> np.ndarray:
    r"""Vector-Jacobian product ``g @ J`` without forming J: dL/dz from g = dL/dS.

    .. math:: \frac{\partial L}{\partial z_j} = \sum_i g_i \frac{\partial S_i}{\partial z_j}
              = \frac{1}{T} S_j \Big(g_j - \sum_i g_i S_i\Big),
              \qquad \nabla_z L = \frac{1}{T}\, S \odot (g - g\cdot S)

    Shapes: z ``(..., n)``, g ``(..., n)`` (broadcastable) ``-> (..., n)``.
    O(n) per row instead of the O(n^2) of forming J: the sum over paths i
    collapses into one dot product because every off-diagonal term shares S_j.
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
    return S * (dL_dS - np.sum(dL_dS * S, axis=-1, keepdims=True)) / t


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
    out[..., idx, idx] = S * (1 - S)
    return out / t
