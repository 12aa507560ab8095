r"""The Jacobian's structure, *computed* from a matrix (never asserted): the "live properties" panel.

Every check takes the matrix it is shown, so a broken matrix reports a failure.
For softmax, :math:`J = \frac{1}{T}\left(\operatorname{diag}(S) - S S^\top\right)` is symmetric,
its rows and columns sum to 0, its diagonal lies in :math:`(0, \frac{1}{4T}]`, it is positive
semi-definite with the eigenvector :math:`\mathbb{1}` at eigenvalue 0, and its rank is n − 1.

Also: the error the "elementwise p(1 − p)" misconception causes in a chain-rule product, and the
saturation sweep of J as the temperature falls or the logit spread grows. numpy + stdlib only.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .fmt import MARK, given, label, num, pow10, prose
from .softmax import check_temperature, jacobian, log_softmax, minus_target, others, softmax, softmax_change, vjp

__all__ = [
    "SWEEPS",
    "Check",
    "chain_rule_error",
    "column_effect",
    "confidently_wrong",
    "direction_sentence",
    "properties",
    "properties_table",
    "saturation_caption",
    "saturation_sweep",
    "sweep_caption",
    "sweep_values",
    "top_ties",
    "zero_tolerance",
]

EPS = float(np.finfo(np.float64).eps)  # 2.2e-16: the spacing of float64 numbers near 1, "one ulp" relative
SUM_ULPS = 2  # a sum of n terms "is 0" when |sum| <= SUM_ULPS * n * EPS * (sum of |terms|): the rounding of n terms
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
        return MARK[self.ok]


def _sum_to_zero(terms: np.ndarray) -> tuple[float, bool]:
    """Worst |Σ_k a_k| / Σ_k |a_k| over the rows of ``terms`` (rows with every term 0 left out: nothing to compare),
    and whether any row had a term to compare with."""
    scale = np.abs(terms).sum(axis=1)
    live = scale > 0
    if not live.any():
        return 0.0, False
    return float((np.abs(terms.sum(axis=1))[live] / scale[live]).max()), True


def zero_tolerance(J) -> float:
    r"""n·ε·‖J‖₂: an eigenvalue of J (n, n) below this is 0 up to rounding. Every entry of core.jacobian carries a
    few ulps *relative* error, so the eigenvalues move by a few ε‖J‖ (measured: at most 0.6 n ε ‖J‖); a true small
    eigenvalue, 7.02e-13 at z = (−3, 0, 3), T = 0.2 where ‖J‖ = 3.1e-6, is far above it."""
    J = np.asarray(J, dtype=np.float64)
    return J.shape[0] * EPS * float(np.linalg.norm(J, 2))


def properties(J, S, temperature: float = 1.0) -> list[Check]:
    r"""Check the six properties of the softmax Jacobian on the matrix ``J`` (n, n), given S (n,) and T.

    Each check computes its number from ``J`` (and S for the closed form) and compares it *relative* to the size of
    what it tests, never with an absolute tolerance (4.25e-18 is 100 % of an entry of 4.25e-18): symmetric (each
    entry within 2 ulps of its mirror), zero row/column sums (within 2n ulps of the sum of |terms|), diagonal in
    (0, 1/(4T)], eigenvalues (exactly one within n·ε·‖J‖ of 0, with eigenvector 𝟙, none negative beyond it),
    rank n − 1 (counted with the same n·ε·‖J‖), and :math:`J = (\operatorname{diag}(S) - S S^\top)/T` (each entry
    within 4 ulps). A check that float64 cannot decide (every term underflowed to 0) is ⚠ and says so.
    """
    J = np.asarray(J, dtype=np.float64)
    S = np.asarray(S, dtype=np.float64)
    t = check_temperature(temperature)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or S.shape != (J.shape[0],):
        raise ValueError(f"J must be (n, n) and S (n,); got {J.shape} and {S.shape}")
    n = J.shape[0]
    saturated = bool(S.min() < SATURATED)
    under = None if saturated else False  # a failure that saturation explains is shown as ⚠, not ✗
    ulps = lambda r: f"{num(r / EPS, 2, plain=True)} ulp"  # a relative size in units of ε
    checks = []

    big = np.maximum(np.abs(J), np.abs(J.T))
    asym = float(np.max(np.divide(np.abs(J - J.T), big, out=np.zeros_like(J), where=big > 0)))
    checks.append(Check("symmetric", "Jᵀ = J: every entry within 2 ulps of its mirror",
                        "every entry equals its mirror exactly" if asym == 0 else
                        f"worst |Jᵢⱼ − Jⱼᵢ| = {ulps(asym)} of the entry",
                        bool(asym <= 2 * EPS),
                        f"∂Sᵢ/∂zⱼ = −SᵢSⱼ{'' if t == 1 else '/T'} = ∂Sⱼ/∂zᵢ: the off-diagonal terms are "
                        "products, and products commute."))
    bound_sum = SUM_ULPS * n * EPS
    for name, claim, terms, why in (
            ("rows sum to 0", "Σⱼ ∂Sᵢ/∂zⱼ = 0", J,
             "Adding the same c to every z changes nothing (shift invariance), so the total effect of all zⱼ is 0."),
            ("columns sum to 0", "Σᵢ ∂Sᵢ/∂zⱼ = 0", J.T,
             "Σᵢ Sᵢ = 1 whatever z is: a constant has derivative 0, so what Sⱼ gains the others lose.")):
        rel, live = _sum_to_zero(terms)
        what = "row" if name.startswith("rows") else "column"
        checks.append(Check(name, f"{claim}: every {what} sum at most {SUM_ULPS * n}·ε times the sum of its |terms|",
                            f"worst |{what} sum| = {ulps(rel)} of its Σ|terms|" if live else
                            "every term is 0 in float64 (underflow): nothing to compare, cannot tell",
                            bool(rel <= bound_sum) if live else None, why))
    d = np.diag(J)
    bound = 1 / (4 * t)
    top_ok = bool(d.max() <= bound * (1 + 4 * EPS))
    in_range = bool(d.min() > 0 and top_ok)
    checks.append(Check("diagonal in (0, 1/(4T)]", f"0 < Jᵢᵢ ≤ 1/(4T) = {num(bound, 4)}",
                        f"min {num(d.min())}, max {num(d.max())}"
                        + (" (0: underflow, the true entry is > 0)" if d.min() == 0 and saturated else ""),
                        True if in_range else (under if d.min() >= 0 and top_ok else False),
                        "Jᵢᵢ = Sᵢ(1 − Sᵢ)/T, and s(1 − s) peaks at ¼ when s = ½."))
    symmetric = asym <= 2 * EPS
    lam = np.linalg.eigvalsh((J + J.T) / 2) if symmetric else np.linalg.eigvals(J)
    real = bool(np.all(np.isreal(lam))) or bool(np.abs(np.imag(lam)).max() <= zero_tolerance(J))
    lam_r = np.sort(np.real(lam))
    zero_tol = zero_tolerance(J)
    zeros = int(np.count_nonzero(np.abs(lam_r) <= zero_tol))
    null_rel, null_live = _sum_to_zero(J)  # J𝟙 = the row sums
    shown = ", ".join(num(v) + (" (0 up to rounding)" if 0 < abs(v) <= zero_tol else "") for v in lam_r[:4]) + (
        ", …" if n > 4 else "")
    ok_eig = real and zeros == 1 and bool(lam_r.min() >= -zero_tol) and (not null_live or null_rel <= bound_sum)
    # "one is 0": only one; at z = (1000, 0, −1000) float64 rounds J to 0 and every λ is 0 (saturation: ⚠)
    if not ok_eig and real and zeros > 1 and bool(lam_r.min() >= -zero_tol):
        ok_eig = under
    checks.append(Check("eigenvalues ≥ 0, one is 0, eigenvector 𝟙",
                        f"J 𝟙 = 0 · 𝟙, λ ≥ 0; \"0\" means |λ| ≤ n·ε·‖J‖ = {num(zero_tol, 2)}",
                        f"λ = {shown}; worst |(J𝟙)ᵢ| = {ulps(null_rel)} of its Σ|terms|",
                        ok_eig, "Rows sum to 0, so J𝟙 = 0: the shift direction 𝟙 is the eigenvector at λ = 0; "
                        "xᵀJx = (Σ Sₖxₖ² − (Σ Sₖxₖ)²)/T is a variance, never negative."))
    rank = int(np.count_nonzero(np.abs(lam_r) > zero_tol))  # the same count as the eigenvalue row: they agree
    ok_rank = True if rank == n - 1 else (under if rank < n - 1 else False)
    checks.append(Check("rank n − 1", f"rank J = {n - 1}: eigenvalues above n·ε·‖J‖ counted",
                        f"rank = {rank}" + (f"; {n - rank} eigenvalues lie below n·ε·‖J‖, where float64 cannot tell "
                                            "them from 0 (saturation)" if ok_rank is None else ""),
                        ok_rank,
                        "Exactly one direction (𝟙, a shift of all z) leaves S unchanged; every other direction moves S."))
    closed = -np.outer(S, S)
    np.fill_diagonal(closed, S * others(S))  # Sᵢ(1 − Sᵢ) with 1 − Sᵢ summed from the others: no cancellation
    closed /= t
    diff = float(np.max(np.divide(np.abs(J - closed), np.abs(closed), out=np.where(J == closed, 0.0, np.inf),
                                  where=closed != 0)))
    checks.append(Check("J = (diag(S) − S Sᵀ)/T", "the closed form, every entry within 4 ulps",
                        "every entry equals it exactly" if diff == 0 else
                        (f"worst difference = {ulps(diff)} of the entry" if math.isfinite(diff) else
                         "an entry is non-zero where the closed form is 0"), bool(diff <= 4 * EPS),
                        "The derivation's two cases in one formula: Sᵢ(δᵢⱼ − Sⱼ)/T."))
    return checks


def properties_table(J, S, temperature: float = 1.0) -> dict[str, list[str]]:
    """:func:`properties` of ``J`` (n, n) as the panel's table columns: mark, property, claim, computed value, why."""
    checks = properties(J, S, temperature)
    return {"": [c.mark for c in checks], "property": [c.name for c in checks], "claim": [c.claim for c in checks],
            "computed from J": [c.value for c in checks], "why": [c.why for c in checks]}


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
    raise ValueError(f"sweep must be one of {', '.join(SWEEPS)}; got {given(kind, 20)}")


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
    # the actual change exactly (core.softmax_change): S(z + dz e_j) − S(z) rounds to 0 wherever S is 1.0 in float64
    return jacobian(z, temperature)[:, j] * dz, softmax_change(z, j, dz, temperature)


def top_ties(z) -> int:
    """How many logits equal the largest one exactly (1 = a unique maximum): what softmax tends to as T -> 0
    or as the spread grows is an equal split over these, one-hot only when there is one."""
    z = np.asarray(z, dtype=np.float64)
    return int(np.count_nonzero(z == z.max()))


def confidently_wrong(z, temperature: float = 1.0) -> dict[str, float | int]:
    r"""The gradient on z when the target is the *least* likely output k (the model is as wrong as it can be here).

    .. math:: \text{CE: } \frac{\partial L}{\partial z} = \frac{S - y}{T},\qquad
              \text{MSE: } \frac{\partial L}{\partial z} = J^\top\, 2(S - y)

    CE's g_k = −1/S_k grows as S_k shrinks and cancels J's factor S_k; MSE's g is bounded (|g_i| ≤ 2), so J's
    shrinking reaches the gradient. Returns ``k`` (0-based), ``S_k``, ``log10_S_k`` (exact where float64 S_k
    underflows to 0), ``ce`` = max_j |∂L/∂z_j| for CE and ``mse`` for MSE, and ``J_max`` = max |J_ij|.
    Shapes: z ``(n,)``.
    """
    t = check_temperature(temperature)
    z = np.asarray(z, dtype=np.float64)
    S = softmax(z, t)
    # the smallest logit, not argmin S: at z = (1000, 0, −1000) S₂ and S₃ both underflow to 0 and argmin S says S₂
    k = int(np.argmin(z))
    log10_S_k = float(log_softmax(z, t)[k] / np.log(10))
    Y = np.zeros_like(S)
    Y[k] = 1.0
    return {"k": k, "S_k": float(S[k]), "log10_S_k": log10_S_k, "ce": float(np.abs(minus_target(S, Y) / t).max()),
            "mse": float(np.abs(vjp(z, 2.0 * (S - Y), t)).max()), "J_max": float(np.abs(jacobian(z, t)).max())}


def saturation_caption(z, temperature: float = 1.0) -> str:
    """The saturation curve's caption: the bound on a diagonal entry of J, and what :func:`confidently_wrong` computes
    at z ``(n,)`` (the target is the least likely output, or says "tied" at a tie; an S_k that float64 rounds to 0 is
    printed from its exact log10, and a gradient or J that underflowed says so)."""
    t = check_temperature(temperature)
    cw = confidently_wrong(z, t)
    lg, k = cw["log10_S_k"], label("S", cw["k"])
    sk = prose(cw["S_k"])
    if cw["S_k"] == 0:  # from its exact log10: e.g. 2.58×10⁻⁸⁶⁹, far beyond float64
        sk = f"{pow10(lg, latex=False, mant_places=2)}, which float64 rounds to 0"
    ce = prose(cw["ce"], nonzero=True)
    if cw["ce"] * t == 1.0 and cw["S_k"] < 1:  # (1 − S_y)/T with S_y below float64's ε: the sum rounds to 1/T
        ce += f" (exactly (1 − {k}){'' if t == 1 else '/T'}, which float64 rounds to {ce})"
    zz = np.asarray(z, dtype=np.float64)
    low = int(np.count_nonzero(zz == zz.min()))  # a tie at the bottom: no single "least likely" output
    if low == zz.size:
        who = f"every output is tied, S = {sk}"
    elif low > 1:
        who = f"tied with {low - 1} other{'s' if low > 2 else ''} for least likely, S = {sk}"
    else:
        who = f"the least likely output, S = {sk}"
    return (f"A diagonal entry is Jᵢᵢ = Sᵢ(1 − Sᵢ)/T ≤ 1/(4T) = {prose(1 / (4 * t))}. When an output nears 0 or 1 "
            "its whole row and column of J shrink towards 0. That kills a **bounded** upstream gradient g (MSE's "
            "2(S − y), attention), but not cross-entropy's: its $g_y = -1/S_y$ grows exactly as fast as $S_y$ shrinks, "
            f"so the product (S − y){'' if t == 1 else '/T'} survives. At your logits, with target class "
            f"y = {cw['k'] + 1} ({k}: {who}): max |∂L/∂z| is {ce} for cross-entropy and "
            f"{prose(cw['mse'], nonzero=True)} for MSE, with max |J| = {prose(cw['J_max'], nonzero=True)}.")


def sweep_caption(z, temperature: float, kind: str, values, Js) -> str:
    """The sweep's caption, every claim in it computed from the frames shown (``values`` (steps,), ``Js``
    (steps, n, n)) or true at every setting: where max |J| peaks, where it ends, and what the limit is given
    the ties at the top of z (a tie does not turn one-hot, and its J does not vanish)."""
    z = np.asarray(z, dtype=np.float64)
    n, t = z.size, check_temperature(temperature)
    peaks = np.abs(np.asarray(Js, dtype=np.float64)).max(axis=(1, 2))
    top, ties = int(np.argmax(peaks)), top_ties(z)
    where = (f"max |Jᵢⱼ| is {prose(peaks[0])} at the start, largest ({prose(peaks[top])}) at "
             f"{'T' if kind == 'T' else 's'} = {prose(values[top], 2)}, and {prose(peaks[-1])} at the end")
    gap = float(np.sort(z)[-1] - np.sort(z)[-2])
    if kind == "T":
        head = "T falls from 10 to 0.1 (every entry is at most 1/(4T), so J is small at high T). Here "
        if ties == n:
            tail = "All your logits are equal, so S stays uniform at every T and J simply grows like 1/T."
        elif ties > 1:
            tail = (f"Your largest logit is tied ({ties} outputs): as T → 0 softmax splits evenly between them, not "
                    "one-hot, so J never vanishes: it grows like 1/T.")
        else:
            tail = (f"Your largest logit is unique, so as T → 0 softmax turns one-hot and J → 0, once T is well below "
                    f"the gap {prose(gap)} to the second largest (a near tie behaves like a tie until then).")
        return f"{head}{where}. {tail}"
    head = (f"Spread: z̄ + s·(z − z̄) at T = {prose(t, 6)}, s from 0 to 10. At s = 0 every Sᵢ = 1/{n}, so max |Jᵢⱼ| = "
            f"(n − 1)/(n²T) = {prose((n - 1) / (n * n * t))}; the bound 1/(4T) = {prose(1 / (4 * t))} is reached only where "
            "some Sᵢ = ½. Here ")
    if ties == n:
        tail = "All your logits are equal, so the spread changes nothing: S stays uniform and J stays as it is."
    elif ties > 1:
        tail = (f"Your largest logit is tied ({ties} outputs): as s grows they share S equally, so J tends to a "
                f"non-zero matrix (diagonal (1/{ties})(1 − 1/{ties})/T = {prose((1 - 1 / ties) / ties / t)} on the tied "
                "outputs) and does not fade.")
    else:
        tail = "Your largest logit is unique, so as s grows without bound softmax turns one-hot and J fades to 0"
        tail += ("." if peaks[-1] <= 0.01 * peaks[top] else
                 f"; with a gap of {prose(gap)} between the two largest logits at T = {prose(t, 6)}, that needs s far beyond 10, "
                 "so within this sweep J has not faded.")
    return f"{head}{where}. {tail}"


def direction_sentence(true, wrong) -> str:
    """How the misconception's gradient points compared with the true one, from the two vectors (n,) shown."""
    true, wrong = np.asarray(true, dtype=np.float64), np.asarray(wrong, dtype=np.float64)
    a, b = float(np.linalg.norm(true)), float(np.linalg.norm(wrong))
    if a == 0 or b == 0:
        return ("Here both gradients round to 0 in float64 (softmax has saturated), so neither moves z." if a == b == 0
                else "Here one of the two gradients is 0 and the other is not.")
    # 2·atan2(|â − b̂|, |â + b̂|), not arccos(â·b̂): arccos near 1 cannot tell an angle below √ε rad (10⁻⁶°) from 0,
    # while this gives exactly 0 for parallel vectors (at n = 2 the elementwise gradient is exactly half the true one)
    u, v = true / a, wrong / b
    angle = float(np.degrees(2 * np.arctan2(np.linalg.norm(u - v), np.linalg.norm(u + v))))
    return (f"Here the two gradients point {prose(angle)}° apart (lengths {prose(a)} and {prose(b)}), so gradient descent with "
            "the elementwise version steps in a different direction." if angle >= 0.1 else
            f"Here the two gradients point the same way ({prose(angle, 2)}° apart{': parallel' if angle == 0 else ''}) "
            f"but differ in length: {prose(a)} against {prose(b)}.")
