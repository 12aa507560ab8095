r"""The Jacobian's structure, *computed* from a matrix (never asserted): the "live properties" panel.

Every check takes the matrix it is shown, so a broken matrix reports a failure.
For softmax, :math:`J = \frac{1}{T}\left(\operatorname{diag}(S) - S S^\top\right)` is symmetric,
its rows and columns sum to 0, its diagonal lies in :math:`(0, \frac{1}{4T}]`, it is positive
semi-definite with the eigenvector :math:`\mathbb{1}` at eigenvalue 0, and its rank is n − 1.

Also: the error the "elementwise p(1 − p)" misconception causes in a chain-rule product, and the
saturation sweep of J as the temperature falls or the logit spread grows. numpy + stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .softmax import check_temperature, jacobian, softmax

__all__ = ["SWEEPS", "Check", "chain_rule_error", "column_effect", "properties", "saturation_sweep", "sweep_values"]

TOL = 1e-12  # |J| <= 1/(4T) <= 2.5 here, so an absolute tolerance near float64 rounding is enough
# Below this an output S_k is numerically one-hot: its row and column of J are ~0 and the numerical rank drops.
SATURATED = 1e-12


@dataclass(frozen=True)
class Check:
    """One row of the panel: what is claimed, the number that decides it, and whether it holds.

    ``ok`` is True (holds), False (fails) or None (true in exact arithmetic, but float64 cannot show it:
    softmax has saturated and some entries underflowed to 0). ``why`` explains the property in one sentence.
    """

    name: str
    claim: str
    value: str
    ok: bool | None
    why: str

    @property
    def mark(self) -> str:
        return {True: "✓", False: "✗", None: "⚠"}[self.ok]


def _fmt(x: float) -> str:
    return f"{float(x) + 0.0:.3g}"


def properties(J, S, temperature: float = 1.0, tol: float = TOL) -> list[Check]:
    r"""Check the six properties of the softmax Jacobian on the matrix ``J`` (n, n), given S (n,) and T.

    Each check computes its number from ``J`` (and S for the closed form) and compares it with a
    tolerance: symmetric, zero row/column sums, diagonal in (0, 1/(4T)], eigenvalues (one at 0 with
    eigenvector 𝟙, none negative), rank n − 1, and :math:`J = (\operatorname{diag}(S) - S S^\top)/T`.
    """
    J = np.asarray(J, dtype=np.float64)
    S = np.asarray(S, dtype=np.float64)
    t = check_temperature(temperature)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or S.shape != (J.shape[0],):
        raise ValueError(f"J must be (n, n) and S (n,); got {J.shape} and {S.shape}")
    n = J.shape[0]
    saturated = bool(S.min() < SATURATED)
    under = None if saturated else False  # a failure that saturation explains is shown as ⚠, not ✗
    checks = []

    asym = np.abs(J - J.T).max()
    checks.append(Check("symmetric", "Jᵀ = J", f"max |J − Jᵀ| = {_fmt(asym)}", bool(asym <= tol),
                        "∂Sᵢ/∂zⱼ = −SᵢSⱼ = ∂Sⱼ/∂zᵢ: the off-diagonal terms are products, and products commute."))
    rows, cols = np.abs(J.sum(axis=1)).max(), np.abs(J.sum(axis=0)).max()
    checks.append(Check("rows sum to 0", "Σⱼ ∂Sᵢ/∂zⱼ = 0", f"max |row sum| = {_fmt(rows)}", bool(rows <= tol),
                        "Adding the same c to every z changes nothing (shift invariance), so the total effect of all zⱼ is 0."))
    checks.append(Check("columns sum to 0", "Σᵢ ∂Sᵢ/∂zⱼ = 0", f"max |column sum| = {_fmt(cols)}", bool(cols <= tol),
                        "Σᵢ Sᵢ = 1 whatever z is: a constant has derivative 0, so what Sⱼ gains the others lose."))
    d = np.diag(J)
    bound = 1 / (4 * t)
    in_range = bool(d.min() > 0 and d.max() <= bound + tol)
    checks.append(Check("diagonal in (0, ¼]", f"0 < Jᵢᵢ ≤ 1/(4T) = {bound:.4g}", f"min {_fmt(d.min())}, max {_fmt(d.max())}",
                        True if in_range else (under if d.min() >= 0 and d.max() <= bound + tol else False),
                        "Jᵢᵢ = Sᵢ(1 − Sᵢ)/T, and s(1 − s) peaks at ¼ when s = ½."))
    lam = np.linalg.eigvals(J)
    real = bool(np.abs(lam.imag).max() <= tol)
    lam_r = np.sort(lam.real)
    null = np.abs(J @ np.ones(n)).max()
    shown = ", ".join(_fmt(v) for v in lam_r[:4]) + (", …" if n > 4 else "")
    ok_eig = real and bool(np.abs(lam_r).min() <= tol and lam_r.min() >= -tol and null <= tol)
    checks.append(Check("eigenvalues ≥ 0, one is 0, eigenvector 𝟙", "J 𝟙 = 0 · 𝟙, λ ≥ 0", f"λ = {shown}; max |J𝟙| = {_fmt(null)}",
                        ok_eig, "Rows sum to 0, so J𝟙 = 0: the shift direction 𝟙 is the eigenvector at λ = 0; "
                        "xᵀJx = (Σ Sₖxₖ² − (Σ Sₖxₖ)²)/T is a variance, never negative."))
    # J is built from S (entries <= 1), so its rounding error is about eps / T in absolute terms, not relative
    # to its (possibly tiny) norm: numpy's default rank tolerance would count that noise as a direction.
    rank = int(np.linalg.matrix_rank(J, tol=10 * n * np.finfo(float).eps / t))
    checks.append(Check("rank n − 1", f"rank J = {n - 1}", f"rank = {rank}",
                        True if rank == n - 1 else (under if rank < n - 1 else False),
                        "Exactly one direction (𝟙, a shift of all z) leaves S unchanged; every other direction moves S."))
    closed = np.abs(J - (np.diag(S) - np.outer(S, S)) / t).max()
    checks.append(Check("J = (diag(S) − S Sᵀ)/T", "the closed form", f"max |difference| = {_fmt(closed)}", bool(closed <= tol),
                        "The derivation's two cases in one formula: Sᵢ(δᵢⱼ − Sⱼ)/T."))
    return checks


def chain_rule_error(J, J_wrong, g) -> dict[str, np.ndarray | float]:
    r"""What a wrong Jacobian does to the chain rule: :math:`\nabla_z L = g^\top J` against :math:`g^\top \tilde J`.

    ``g`` is the upstream gradient dL/dS, shape (n,). Returns ``true`` and ``wrong`` (n,), ``error`` = wrong − true,
    ``max_abs`` and ``relative`` (‖error‖ / ‖true‖, inf when the true gradient is 0 but the wrong one is not).
    """
    g = np.asarray(g, dtype=np.float64)
    true, wrong = g @ np.asarray(J, dtype=np.float64), g @ np.asarray(J_wrong, dtype=np.float64)
    err = wrong - true
    norm_true, norm_err = float(np.linalg.norm(true)), float(np.linalg.norm(err))
    rel = norm_err / norm_true if norm_true > 0 else (0.0 if norm_err == 0 else float("inf"))
    return {"true": true, "wrong": wrong, "error": err, "max_abs": float(np.abs(err).max()), "relative": rel}


SWEEPS = {"T": "temperature T falls", "spread": "logit spread grows"}


def sweep_values(kind: str, steps: int = 21) -> np.ndarray:
    """The swept values, in the order softmax saturates: T from 10 down to 0.1, or the spread factor from 0 to 10."""
    if kind == "T":
        return np.geomspace(10.0, 0.1, steps)
    if kind == "spread":
        return np.linspace(0.0, 10.0, steps)
    raise ValueError(f"sweep must be one of {', '.join(SWEEPS)}; got {kind!r:.20}")


def saturation_sweep(z, temperature: float = 1.0, kind: str = "T", steps: int = 21) -> tuple[np.ndarray, np.ndarray]:
    r"""J along a path into saturation. Returns ``(values (steps,), Js (steps, n, n))``.

    ``kind="T"``: :math:`J(z, T_k)` with T falling from 10 to 0.1. ``kind="spread"``: at the given T,
    :math:`J(\bar z + s_k (z - \bar z))` with the spread factor s from 0 (uniform S) to 10 (nearly one-hot).
    """
    values = sweep_values(kind, steps)
    z = np.asarray(z, dtype=np.float64)
    if kind == "T":
        return values, np.stack([jacobian(z, t) for t in values])
    centre = z.mean()
    return values, jacobian(centre + values[:, None] * (z - centre), temperature)


def column_effect(z, j: int, dz: float = 0.1, temperature: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Raise z_j (0-based) by dz: the linear prediction J[:, j]·dz and the actual change of S. Both (n,)."""
    z = np.asarray(z, dtype=np.float64)
    bumped = z.copy()
    bumped[j] += dz
    return jacobian(z, temperature)[:, j] * dz, softmax(bumped, temperature) - softmax(z, temperature)
