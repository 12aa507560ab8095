r"""Independent numerical derivatives, for the pages' "check it yourself" tables.

Neither function uses the analytic formula S_i(delta_ij - S_j): they only
evaluate softmax itself, so agreement with :func:`core.jacobian` is evidence.
"""

from __future__ import annotations

import math

import numpy as np

from . import fmt
from .derivation import _WIDE_BELOW, complex_step_partial
from .softmax import as_logits, check_temperature, jacobian, softmax

__all__ = ["complex_step_jacobian", "fd_floor", "fd_jacobian", "numeric_check"]


def fd_jacobian(z, temperature: float = 1.0, h: float = 1e-6) -> np.ndarray:
    r"""Central differences, :math:`J_{ij} \approx \frac{S_i(z + h e_j) - S_i(z - h e_j)}{2h}`.

    Shapes ``(n,) -> (n, n)``. Error O(h^2) from truncation plus O(eps/h) from
    rounding, so about 1e-10 at best.
    """
    x = as_logits(z)
    t = check_temperature(temperature)
    cols = []
    for j in range(x.size):
        e = np.zeros_like(x)
        e[j] = h
        cols.append((softmax(x + e, t) - softmax(x - e, t)) / (2 * h))
    return np.stack(cols, axis=-1)


def complex_step_jacobian(z, temperature: float = 1.0, h: float = 1e-30) -> np.ndarray:
    r"""The complex step, :math:`J_{ij} = \operatorname{Im} S_i(z + \mathrm{i} h e_j) / h`.

    Shapes ``(n,) -> (n, n)``. No subtraction, hence no cancellation: it agrees
    with the analytic J to machine precision, with h as small as 1e-30.
    """
    x = as_logits(z)
    t = check_temperature(temperature)
    if x.ndim != 1:
        raise ValueError("complex_step_jacobian takes one logit vector of shape (n,)")
    x = (x - x.max()) / t  # a real shift keeps exp in range; softmax ignores it
    cols = []
    for j in range(x.size):
        xc = x.astype(np.complex128)
        xc[j] += 1j * h / t
        e = np.exp(xc)
        col = (e / e.sum()).imag / h
        # S_i as 1 / Σ_k e^{x_k − x_i} (its k = i term exactly 1): e_i / Σ e cancels inside the complex division
        # once S_i rounds to 1, and gives 0 for ∂S_i/∂z_i at z = (40, −40, 0) instead of 4.25e-18
        with np.errstate(over="ignore", invalid="ignore"):
            w = np.exp(xc[None, :] - xc[:, None]).sum(axis=1)
            safe = (1 / w).imag / h
        cols.append(np.where(np.isfinite(w), safe, col))
    out = np.stack(cols, axis=-1)
    # below about 10⁻²⁵⁰ the imaginary part h·J_ij nears float64's normal range and loses digits: those entries are
    # taken from core.derivation.complex_step_partial, which redoes the same step in decimal arithmetic there
    for i, j in zip(*np.nonzero(np.abs(out) < _WIDE_BELOW), strict=True):
        out[i, j] = complex_step_partial(as_logits(z), int(i), int(j), h, t)
    return out


FD_H = 1e-6  # the central differences' step h
CS_H = 1e-30  # the complex step's h
EPS = float(np.finfo(np.float64).eps)  # 2.2e-16: float64's relative spacing at 1
TINY = float(np.finfo(np.float64).tiny)  # 2.2e-308: float64's smallest normal number
FD_NOISE = 1e4  # FD resolves an entry at least this many times its rounding noise ε·S_i/h (noise ≤ 10⁻⁴ of it)
FD_RTOL, CS_RTOL = 1e-3, 1e-12  # the ✓ of each row: relative error on every entry it resolves


def fd_floor(z, temperature: float = 1.0, h: float = FD_H) -> np.ndarray:
    r"""The smallest entry central differences resolve, :math:`10^4\,\varepsilon S_i / h` per entry (i, j).

    Shapes ``(n,) -> (n, n)``. Each S_i(z ± h e_j) carries a rounding error of a few ε·S_i, so the quotient carries
    about ε·S_i/h (2.2×10⁻¹⁰·S_i at h = 10⁻⁶) whatever the entry: below this floor that noise is more than 10⁻⁴ of
    the entry, and at saturation (z = (40, −40, 0): J₁₁ = 4.25×10⁻¹⁸) it is the whole of it.
    """
    S = softmax(as_logits(z), check_temperature(temperature))
    return np.repeat((FD_NOISE * EPS * S / h)[:, None], S.size, axis=1)


def _relative(got: np.ndarray, J: np.ndarray, judged: np.ndarray) -> float:
    """The largest |got − J| / |J| over the judged entries (NaN if none)."""
    if not judged.any():
        return math.nan
    return float(np.max(np.abs(got[judged] - J[judged]) / np.abs(J[judged])))


def _verdict(rel: float, rtol: float, judged: int, total: int, why: str) -> str:
    """✗ if a judged entry misses ``rtol``; else ⚠ if some are not judged (``why``); else ✓: in the test's words."""
    tol = fmt.prose(rtol)
    if judged and not rel <= rtol:
        return f"{fmt.MARK[False]} relative error above {tol} on a resolved entry"
    ok = f"{fmt.MARK[True]} within {tol} relative on all {fmt.plural(total, 'entry')}"
    if judged == total:
        return ok
    rest = f"; {fmt.MARK[True]} within {tol} relative on the other {judged}" if judged else ""
    return f"{fmt.MARK[None]} {total - judged} of {fmt.plural(total, 'entry')} are {why}{rest}"


def numeric_check(z, temperature: float = 1.0, J=None) -> dict[str, list[str]]:
    r"""The "check it numerically" table: the analytic ``J`` (n, n) (computed if not given) against
    :func:`fd_jacobian` and :func:`complex_step_jacobian` at z ``(n,)``, one row per method, with the largest
    *relative* error |Ĵ_ij − J_ij| / |J_ij| over the entries each method can resolve and a check that says so.

    Central differences resolve an entry only above :func:`fd_floor` (their rounding noise ε·S_i/h swamps a smaller
    one: a relative error there means nothing, so those entries get ⚠, not ✓ or ✗); the complex step resolves every
    entry that is a normal float64 (|J_ij| ≥ 2.2×10⁻³⁰⁸)."""
    J = jacobian(z, temperature) if J is None else np.asarray(J, dtype=np.float64)
    fd, cs = fd_jacobian(z, temperature, FD_H), complex_step_jacobian(z, temperature, CS_H)
    normal = np.abs(J) >= TINY
    resolved = normal & (np.abs(J) >= fd_floor(z, temperature))
    fd_rel, cs_rel = _relative(fd, J, resolved), _relative(cs, J, normal)
    shown = lambda rel: "—" if math.isnan(rel) else fmt.prose(rel, 2)
    why_fd = (f"below what central differences can resolve (|Jᵢⱼ| < 10⁴·ε·Sᵢ/h, ε = {fmt.prose(EPS, 2)}): their "
              "rounding noise, about ε·Sᵢ/h, is most or all of such an entry, so its relative error means nothing")
    why_cs = f"below float64's normal range ({fmt.prose(TINY, 2)}): not compared"
    return {"method": ["analytic, Sᵢ(δᵢⱼ − Sⱼ)/T", f"central differences, h = {fmt.prose(FD_H)}",
                       f"complex step, h = {fmt.prose(CS_H)}"],  # one style for both h
            "formula": ["Sᵢ(δᵢⱼ − Sⱼ)/T", "(S(z + h eⱼ) − S(z − h eⱼ)) / 2h", "Im S(z + i h eⱼ) / h"],
            # the header says what the column holds: at z = (40, −40, 0) FD's 2.5×10⁻⁹ is over 4 of the 9 entries
            "largest relative error |Ĵᵢⱼ − Jᵢⱼ| / |Jᵢⱼ|, on the entries it resolves":
                ["0 (the reference)", shown(fd_rel), shown(cs_rel)],
            "check": ["the reference",
                      _verdict(fd_rel, FD_RTOL, int(resolved.sum()), J.size, why_fd),
                      _verdict(cs_rel, CS_RTOL, int(normal.sum()), J.size, why_cs)]}
