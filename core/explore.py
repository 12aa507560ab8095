r"""Sweeps and tables for the Softmax and Dependencies pages (numpy + stdlib only).

Everything here is built from :mod:`core.softmax`; it only arranges the maths the
pages animate: a temperature sweep, a nudge of one logit, finite-difference
quotients converging to the Jacobian, and the float16/32/64 stability table.
Not re-exported from ``core``: import as ``from core import explore``.
Indices are 0-based.
"""

from __future__ import annotations

import math

import numpy as np

from .fmt import fixed, label
from .softmax import _scaled, as_logits, check_temperature, jacobian, naive_softmax, softmax, softmax_change, stable_softmax_in

__all__ = [
    "DTYPES",
    "STABILITY_Z",
    "difference_quotients",
    "exp_log10",
    "nudge_sweep",
    "overflow_limit",
    "stability_columns",
    "stability_rows",
    "temperature_grid",
    "temperature_limit",
    "temperature_limit_sentence",
    "temperature_sweep",
]

STABILITY_Z = (1000.0, 999.0, 0.0)
DTYPES = (np.float64, np.float32, np.float16)


def temperature_grid(count: int = 41, lo: float = 0.1, hi: float = 10.0, including: float | None = None) -> np.ndarray:
    """``count`` temperatures, evenly spaced in log T from ``lo`` to ``hi`` (41 -> T = 1 is the middle).

    ``including``: that temperature as well, in its place (once: not added when the grid already holds it), so an
    animation over the grid can stand exactly at the page's T (T = 0.3 is not on the grid, whose nearest is 0.316).

    >>> len(temperature_grid()), len(temperature_grid(including=1.0)), len(temperature_grid(including=0.3))
    (41, 41, 42)
    """
    if count < 2 or not 0 < lo < hi:
        raise ValueError("need count >= 2 and 0 < lo < hi")
    Ts = np.geomspace(lo, hi, count)
    if including is None or not np.isfinite(including) or including <= 0:
        return Ts
    if np.min(np.abs(np.log(Ts) - np.log(including))) < 1e-9:
        return Ts
    return np.sort(np.append(Ts, float(including)))


def temperature_sweep(z, temperatures) -> np.ndarray:
    r"""S(z / T) for every T: shape ``(m,) -> (m, n)``.

    .. math:: S_i(T) = \frac{e^{z_i / T}}{\sum_k e^{z_k / T}}

    As T -> 0 the row approaches an equal split over the logits tied at max z (one-hot only when the maximum
    is unique); as T -> inf it approaches uniform 1/n.
    """
    z = as_logits(z)
    ts = [check_temperature(t) for t in np.asarray(temperatures, float).ravel()]
    if not ts:
        raise ValueError("temperatures is empty: give at least one T")
    _scaled(z, min(ts))  # the error softmax gives when z / T overflows: the smallest T makes the largest z / T
    # softmax(z, T) row by row in one array operation, with its very operations ((z − max z) / T, exp, the sum along
    # the row, the division): the same floats, bit for bit (tests/test_figures_softmax.py), at a tenth of the calls
    e = np.exp((z - np.max(z)) / np.asarray(ts)[:, None])
    return e / np.sum(e, axis=-1, keepdims=True)


def temperature_limit(z) -> np.ndarray:
    r"""The limit of S(z / T) as T -> 0+: 1/k on each of the k logits equal to max z, 0 elsewhere. ``(n,) -> (n,)``.

    .. math:: \lim_{T \to 0^+} S_i(T) = \frac{[z_i = \max_k z_k]}{\#\{k : z_k = \max z\}}
    """
    z = as_logits(z)
    top = z == z.max()
    return top / np.count_nonzero(top)


def temperature_limit_sentence(z) -> str:
    """One sentence on *these* logits' T -> 0 limit, computed from :func:`temperature_limit` (ties included)."""
    lim = temperature_limit(z)
    k = int(np.count_nonzero(lim))
    names = ", ".join(label("S", i) for i in np.flatnonzero(lim))
    if k == 1:
        return f"Your largest logit is unique: as T → 0, S tends to one-hot on {names}."
    if k == lim.size:
        return "All your logits are equal: S is uniform at every T."
    return f"Your largest logit is tied {k} ways: as T → 0, S tends to 1/{k} on each of {names}, not to one-hot."


def nudge_sweep(z, j: int, deltas, temperature: float = 1.0) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    r"""Move only z_j by each Δ: ``(Z, S, J)`` with shapes ``(m, n), (m, n), (m, n, n)``.

    ``Z[k] = z + deltas[k] e_j``; ``S[k] = softmax(Z[k])``; ``J[k] = jacobian(Z[k])``.
    """
    z = as_logits(z)
    if z.ndim != 1 or not 0 <= j < z.size:
        raise ValueError(f"j must index one of the {z.size} logits (0-based), got {j}")
    d = np.asarray(deltas, dtype=np.float64)
    Z = np.repeat(z[None, :], d.size, axis=0)
    Z[:, j] += d
    return Z, softmax(Z, temperature), jacobian(Z, temperature)


def difference_quotients(z, j: int, deltas, temperature: float = 1.0, central: bool = False,
                         subtracted: bool = False) -> np.ndarray:
    r"""ΔS_i/Δz_j for each Δ: shape ``(m,) -> (m, n)``; column i tends to ∂S_i/∂z_j as Δ -> 0.

    .. math:: \frac{\Delta S_i}{\Delta z_j} = \frac{S_i(z + \Delta e_j) - S_i(z)}{\Delta}
              \quad\text{(forward, error } O(\Delta)\text{)}

    With ``central=True``: (S(z + Δe_j) − S(z − Δe_j)) / 2Δ, error O(Δ²). Δ = 0 is rejected.
    Each ΔS is exact (:func:`core.softmax_change`); with ``subtracted=True`` it is what a finite-difference check
    computes in float64, two softmaxes subtracted, whose rounding (about ε in S) divided by Δ grows as Δ shrinks.
    """
    d = np.asarray(deltas, dtype=np.float64)
    if np.any(d == 0):
        raise ValueError("Δ must be nonzero: ΔS/Δz at Δ = 0 is 0/0")
    nudge_sweep(z, j, d[:1], temperature)  # the same checks of z and j
    if subtracted:
        base = softmax(as_logits(z), temperature)
        plus = nudge_sweep(z, j, d, temperature)[1] - base
        if central:
            return (plus - (nudge_sweep(z, j, -d, temperature)[1] - base)) / (2 * d[:, None])
        return plus / d[:, None]
    # each ΔS exactly (core.softmax_change), not as S(z + Δe_j) − S(z): at saturation both round to 1.0
    plus = np.array([softmax_change(z, j, v, temperature) for v in d]).reshape(d.size, -1)
    if central:  # ΔS(+Δ) and ΔS(−Δ) have opposite signs: their difference cancels nothing
        minus = np.array([softmax_change(z, j, -v, temperature) for v in d]).reshape(d.size, -1)
        return (plus - minus) / (2 * d[:, None])
    return plus / d[:, None]


def nudge(z, j: int, deltas, temperature: float = 1.0) -> dict:
    r"""Everything the nudge animation of z_j shows, one frame per Δ: :func:`nudge_sweep`'s ``Z, S, J`` at
    z + Δe_j, the difference quotients ``quotients`` :math:`\Delta S_i/\Delta z_j` (NaN where Δ = 0, a 0/0) and
    ``scale`` = max |J| over the sweep (one arrow-width scale for every frame). Shapes: ``deltas (m,)``,
    ``Z, S, quotients (m, n)``, ``J (m, n, n)``."""
    d = np.asarray(deltas, dtype=np.float64)
    Z, S, J = nudge_sweep(z, j, d, temperature)
    q = np.full_like(S, np.nan)
    q[d != 0] = difference_quotients(z, j, d[d != 0], temperature)
    return {"deltas": d, "Z": Z, "S": S, "J": J, "quotients": q, "scale": float(np.abs(J).max())}


def exp_log10(z, temperature: float = 1.0) -> tuple[np.ndarray, float]:
    r"""log₁₀ of every e^{z_k/T} and of their sum, exact even when e^{z_k/T} overflows float64.

    .. math:: \log_{10}\sum_k e^{x_k} = \frac{m + \log\sum_k e^{x_k - m}}{\ln 10},\quad m = \max_k x_k

    Shapes ``(n,) -> ((n,), float)``; the page prints 10^{these} as mantissa × 10^exponent.
    """
    x = as_logits(z) / check_temperature(temperature)
    m = float(np.max(x))
    log_sum = m + math.log(float(np.sum(np.exp(x - m))))
    return x / math.log(10), log_sum / math.log(10)


def overflow_limit(dtype) -> float:
    """The largest x with finite e^x in ``dtype``: ln(max float) (≈ 709.78, 88.72, 11.09)."""
    return float(np.log(np.float64(np.finfo(dtype).max)))


def stability_columns(z=STABILITY_Z, dtypes=DTYPES) -> dict[str, list[str]]:
    """:func:`stability_rows` as the page's table columns: dtype, method, the denominator and each S_k to 4 places,
    and whether that route is correct."""
    rows = stability_rows(z, dtypes)
    return {"dtype": [r["dtype"] for r in rows], "method": [r["method"] for r in rows],
            "denominator Σ": [fixed(r["denominator"], 4) for r in rows],
            **{label("S", k): [fixed(r["S"][k], 4, probability=True) for r in rows] for k in range(len(z))},
            "correct?": ["yes" if r["ok"] else "NO" for r in rows]}


def stability_rows(z=STABILITY_Z, dtypes=DTYPES) -> list[dict]:
    """Naive e^z/Σe^z against the max-shifted form, in each dtype: one row per (dtype, method).

    Each row: ``dtype`` (name), ``method`` ('naive' or 'max-shifted'), ``denominator`` (the sum of
    exponentials that dtype formed: Σe^{z_k}, or Σe^{z_k − max z}; may be inf), ``S`` (float64 array of
    what that dtype computed; may hold inf/NaN), ``ok`` (finite and within 1e-3 of the float64 reference).
    """
    z = np.asarray(z, dtype=np.float64)
    ref = softmax(z)
    rows = []
    for dt in dtypes:
        x = z.astype(dt)
        for method, fn, shift in (("naive", naive_softmax, 0), ("max-shifted", stable_softmax_in, np.max(x))):
            with np.errstate(all="ignore"):
                denominator = float(np.sum(np.exp(x - shift), dtype=dt))
            S = np.asarray(fn(z, dt), dtype=np.float64)
            ok = bool(np.all(np.isfinite(S)) and np.allclose(S, ref, atol=1e-3))
            rows.append({"dtype": np.dtype(dt).name, "method": method, "denominator": denominator, "S": S, "ok": ok})
    return rows
