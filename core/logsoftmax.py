r"""Log-softmax's Jacobian: the one beside softmax's that is *not* symmetric, so a row and a column differ (numpy + stdlib).

.. math:: \frac{\partial \log S_i}{\partial z_j} = \frac{\delta_{ij} - S_j}{T},\qquad
          J_{\log} = \frac{1}{T}\big(I - \mathbb 1 S^\top\big)

Row i is the gradient of one output, log Sᵢ, with respect to every z_j: it answers "nudge the logits by Δz, how much
does log Sᵢ move?" (Δlog Sᵢ ≈ Σⱼ J_ij Δzⱼ). Column j holds what backpropagation collects at z_j: every output's
∂log Sᵢ/∂zⱼ, weighted by the upstream gᵢ = ∂L/∂log Sᵢ (∂L/∂zⱼ = Σᵢ gᵢ J_ij). Row i is (eᵢ − S)/T, whose off-diagonal
entries −Sⱼ/T differ unless outputs tie; column j is (eⱼ − Sⱼ𝟙)/T, the same −Sⱼ/T in every entry but the diagonal.
Unless S is uniform, the two differ, which softmax's symmetric J cannot show.

The log-derivative route (Bendersky): :math:`\partial S_i/\partial z_j = S_i\,\partial \log S_i / \partial z_j`, i.e.
:math:`J = \operatorname{diag}(S)\,J_{\log}`. Indices are 0-based; the screen shows them 1-based.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .fmt import label, num, prose, prose_vector
from .jacobian_props import Check
from .softmax import as_logits, check_temperature, jacobian, log_softmax, minus_target, softmax

__all__ = [
    "FusedNLL",
    "RowColumn",
    "fused_nll",
    "log_route",
    "log_route_latex",
    "log_softmax_claims",
    "log_softmax_column",
    "log_softmax_jacobian",
    "log_softmax_row",
    "log_softmax_vjp",
    "row_and_column",
    "same_entries",
    "saturation_hint",
]

EPS = float(np.finfo(np.float64).eps)


def _others(S) -> np.ndarray:
    """Σ_{k≠i} S_k for each i (last axis), summed, never 1 − Sᵢ. Shapes ``(..., n) -> (..., n)``."""
    S = np.asarray(S, dtype=np.float64)
    n = S.shape[-1]
    return np.stack([np.delete(S, i, axis=-1).sum(axis=-1) for i in range(n)], axis=-1)


def log_softmax_jacobian(z, temperature: float = 1.0) -> np.ndarray:
    r"""``J[..., i, j] = ∂log S_i/∂z_j``.

    .. math:: \frac{\partial \log S_i}{\partial z_j} = \frac{\delta_{ij} - S_j}{T},\qquad
              J_{\log} = \frac{1}{T}\big(I - \mathbb 1 S^\top\big)

    Shapes ``(..., n) -> (..., n, n)``; rows are outputs log Sᵢ, columns inputs zⱼ. Every row is the same −S/T plus
    1/T on the diagonal, so the rows sum to 0 (shift invariance) but the columns do not.
    """
    t = check_temperature(temperature)
    S = softmax(z, t)
    n = S.shape[-1]
    J = np.eye(n) - S[..., None, :]  # broadcast: every row i holds −S, plus 1 at (i, i)
    # the diagonal 1 − Sᵢ as the other outputs' sum: 1 − 1 = 0 where Sᵢ rounds to 1, the sum keeps every digit
    idx = np.arange(n)
    J[..., idx, idx] = S.sum(axis=-1, keepdims=True) - S if n == 1 else _others(S)
    return J / t


def log_softmax_vjp(z, g, temperature: float = 1.0) -> np.ndarray:
    r"""``g @ J_log`` without forming it: ∂L/∂z from g = ∂L/∂log S.

    .. math:: \frac{\partial L}{\partial z_j} = \sum_i g_i\,\frac{\delta_{ij} - S_j}{T}
              = \frac{1}{T}\Big(g_j - S_j \sum_i g_i\Big)

    Shapes: z ``(..., n)``, g ``(..., n)`` ``-> (..., n)``. For NLL, g = −y, and this is (S − y)/T.
    """
    t = check_temperature(temperature)
    S = softmax(z, t)
    g = np.asarray(g, dtype=np.float64)
    return (g - S * g.sum(axis=-1, keepdims=True)) / t


def log_softmax_row(z, i: int, temperature: float = 1.0) -> np.ndarray:
    r"""Row i: how log Sᵢ responds to each zⱼ, :math:`(e_i - S)/T`. Shapes ``(n,) -> (n,)``."""
    return log_softmax_jacobian(_one_row(z), temperature)[int(i), :]


def log_softmax_column(z, j: int, temperature: float = 1.0) -> np.ndarray:
    r"""Column j: every ∂log Sᵢ/∂zⱼ that backprop collects at zⱼ, :math:`(e_j - S_j\mathbb 1)/T`. ``(n,) -> (n,)``."""
    return log_softmax_jacobian(_one_row(z), temperature)[:, int(j)]


def _one_row(z) -> np.ndarray:
    arr = as_logits(z)
    if arr.ndim != 1:
        raise ValueError(f"z must be one row of logits (n,), got shape {arr.shape}")
    return arr


@dataclass(frozen=True)
class RowColumn:
    r"""Row i and column i of J_log at one z, each with the weights a page multiplies it by.

    - ``J`` ``(n, n)``, ``S`` ``(n,)``, ``i`` (0-based).
    - ``row`` ``(n,)`` = J[i, :]; ``dz`` ``(n,)`` a nudge of the logits; ``row_terms`` = row ⊙ dz;
      ``row_total`` = Σⱼ J_ij Δzⱼ, the linear prediction of Δlog Sᵢ; ``row_actual`` the true change.
    - ``column`` ``(n,)`` = J[:, i]; ``g`` ``(n,)`` = ∂L/∂log S; ``column_terms`` = g ⊙ column;
      ``column_total`` = ∂L/∂zᵢ.
    - ``gap`` = max |row − column|: 0 only when S is uniform.
    """

    J: np.ndarray
    S: np.ndarray
    i: int
    row: np.ndarray
    dz: np.ndarray
    row_terms: np.ndarray
    row_total: float
    row_actual: float
    column: np.ndarray
    g: np.ndarray
    column_terms: np.ndarray
    column_total: float
    gap: float
    temperature: float
    z: np.ndarray | None = None  # the logits (``(n,)``), to tell a tie from float64's rounding in the sentence

    @property
    def sentence(self) -> str:
        """A computed caption comparing the row and the column."""
        i = self.i
        li, zi = f"log {label('S', i)}", label("z", i)
        if self.gap == 0:
            return (f"Row {i + 1} and column {i + 1} hold the same numbers here: S is uniform, so $J_{{\\log}}$ = (I − 𝟙𝟙ᵀ/n)/T "
                    "is symmetric. Make the logits unequal to tell the row from the column.")
        groups = same_entries(self.row)
        if not groups:
            same = "no two of its entries are equal"
        else:
            parts = []
            for g in groups:
                names = ", ".join(label("z", j) for j in g)
                if i in g:  # (1 − Sᵢ)/T = −Sⱼ/T only where both are 0
                    why = "float64 has rounded S to a one-hot vector"
                elif self.z is not None and np.all(self.z[g] == self.z[g[0]]):
                    why = " = ".join(label("z", j) for j in g) + ": a tie, so " + " = ".join(label("S", j) for j in g)
                else:
                    why = " and ".join(label("S", j) for j in g) + " are the same number in float64" + (
                        ": they underflowed to 0" if self.S[g[0]] == 0 else "")
                parts.append(f"the entries for {names} are equal, {prose(float(self.row[g[0]]))} ({why})")
            same = "; ".join(parts)
        return (f"Row {i + 1} (how {li} responds to each zⱼ) is (e{label('', i)} − S)/T: {same}. "
                f"Column {i + 1} (what backprop collects at {zi}) is the same −{label('S', i)}/T = "
                f"{prose(-self.S[i] / self.temperature)} in "
                f"{'its one entry off the diagonal' if self.S.size == 2 else 'every entry but the diagonal'}. "
                "They differ by up to "
                f"{prose(self.gap)}.")


def same_entries(v) -> list[list[int]]:
    """Groups (0-based indices, each of two or more) of the entries of ``v`` ``(n,)`` that hold exactly the same float64
    number (0 and −0 alike), in order of their first index: where a row of J_log repeats a number."""
    v = np.asarray(v, dtype=np.float64)
    groups: dict[float, list[int]] = {}
    for j, x in enumerate(v.tolist()):
        groups.setdefault(x + 0.0, []).append(j)  # + 0.0: −0 joins 0
    return [g for g in groups.values() if len(g) > 1]


def row_and_column(z, i: int, dz=None, g=None, temperature: float = 1.0) -> RowColumn:
    r"""Row i against column i of J_log, with a nudge Δz for the row and an upstream g for the column.

    .. math:: \Delta \log S_i \approx \sum_j \frac{\delta_{ij} - S_j}{T}\,\Delta z_j,\qquad
              \frac{\partial L}{\partial z_i} = \sum_k g_k\,\frac{\delta_{ki} - S_i}{T}

    Shapes: z, dz, g ``(n,)``. Defaults: Δz = (0.1, −0.05, 0.1, −0.05, …) and g evenly spaced from −1 to ½, both
    with unequal entries so that no term hides another.
    """
    z = _one_row(z)
    t = check_temperature(temperature)
    n, i = z.size, int(i)
    if not 0 <= i < n:
        raise ValueError(f"i must lie in 0..{n - 1}, got {i}")
    dz = np.where(np.arange(n) % 2 == 0, 0.1, -0.05) if dz is None else np.asarray(dz, dtype=np.float64)
    if g is None:
        g = np.linspace(-1.0, 0.5, n)
    g = np.asarray(g, dtype=np.float64)
    J = log_softmax_jacobian(z, t)
    row, col = J[i, :].copy(), J[:, i].copy()
    S = softmax(z, t)
    # both without cancelling (at z = (40, −40, 0) row @ dz and the difference of two log-softmaxes gave 0 beside terms of
    # 4.2×10⁻¹⁹): the prediction Σⱼ (δᵢⱼ − Sⱼ)Δzⱼ/T as Σⱼ Sⱼ(Δzᵢ − Δzⱼ)/T (Σ S = 1), and the true change
    # log Sᵢ(z + Δz) − log Sᵢ(z) = −log Σₖ Sₖ e^{(Δzₖ − Δzᵢ)/T} as −log1p(Σₖ Sₖ expm1((Δzₖ − Δzᵢ)/T))
    predicted = float(S @ (dz[i] - dz)) / t
    actual = -math.log1p(float(S @ np.expm1((dz - dz[i]) / t)))
    return RowColumn(J, S, i, row, dz, row * dz, predicted, actual, col, g, g * col, float(g @ col),
                     float(np.abs(row - col).max()), t, z)


# ---- the log-derivative route to softmax's Jacobian ---------------------------------------------------------------


def log_route(z, temperature: float = 1.0) -> dict[str, np.ndarray | float]:
    r"""Softmax's J by the log-derivative route, against :func:`core.jacobian`.

    .. math:: \frac{\partial S_i}{\partial z_j} = S_i\,\frac{\partial \log S_i}{\partial z_j}
              = \frac{S_i(\delta_{ij} - S_j)}{T},\qquad J = \operatorname{diag}(S)\,J_{\log}

    Shapes z ``(n,)``. Returns ``S``, ``J_log``, ``route`` = diag(S) J_log, ``direct`` = core.jacobian, and
    ``max_rel`` = the largest |route − direct| of an entry relative to the size of its terms, Sᵢ(δᵢⱼ + Sⱼ)/T.
    """
    z = _one_row(z)
    t = check_temperature(temperature)
    S, Jl, J = softmax(z, t), log_softmax_jacobian(z, t), jacobian(z, t)
    route = S[:, None] * Jl
    # each entry against the size of its own terms, Sᵢ(δᵢⱼ + Sⱼ)/T: near Sᵢ = 1 the diagonal Sᵢ − Sᵢ² cancels, and an
    # absolute eps there is a large relative error of a small entry (the route's Sᵢ(1 − Sᵢ) is the accurate one)
    terms = S[:, None] * (np.eye(S.size) + S[None, :]) / t
    with np.errstate(invalid="ignore", divide="ignore"):
        rel = np.where(terms > 0, np.abs(route - J) / terms, np.where(route == J, 0.0, np.inf))
    # below the normal range float64 keeps an absolute spacing (4.9e-324), not a relative one: there a few of those
    # spacings are the most any route can agree to
    sub = terms < np.finfo(np.float64).tiny
    rel = np.where(sub & (np.abs(route - J) <= 8 * np.finfo(np.float64).smallest_subnormal), 0.0, rel)
    return {"S": S, "J_log": Jl, "route": route, "direct": J, "max_rel": float(rel.max())}


def log_route_latex() -> list[str]:
    """The route in three LaTeX lines, each a step a page shows (the same strings as the docstrings)."""
    return [r"\log S_i = z_i / T - \log\sum_k e^{z_k / T}",
            r"\frac{\partial \log S_i}{\partial z_j} = \frac{\delta_{ij}}{T} - \frac{e^{z_j/T}/T}{\sum_k e^{z_k/T}}"
            r" = \frac{\delta_{ij} - S_j}{T}",
            r"\frac{\partial S_i}{\partial z_j} = S_i\,\frac{\partial \log S_i}{\partial z_j}"
            r" = \frac{S_i(\delta_{ij} - S_j)}{T}"]


# ---- why frameworks fuse log-softmax with NLL ----------------------------------------------------------------------


def _nll_reference(z, y: int, t: float) -> float:
    """−log S_y to full relative precision: LSE written with log1p, so a loss of 1e-18 (S_y a hair below 1) keeps its
    digits instead of rounding to 0."""
    x = np.asarray(z, dtype=np.float64) / t
    k = int(np.argmax(x))
    rest = float(np.sum(np.exp(np.delete(x, k) - x[k])))
    return float(math.log1p(rest) - (x[y] - x[k]))


@dataclass(frozen=True)
class FusedNLL:
    r"""NLL of the target y computed two ways at one z.

    - ``unfused_loss`` = −log(softmax(z/T))[y], ``unfused_grad`` ``(n,)``: backprop through log then softmax,
      Jᵀ(−y/S) (NaN when S_y underflowed to 0: −1/0 = −∞ times J's 0).
    - ``fused_loss`` = −log_softmax(z/T)[y] (log-sum-exp), ``fused_grad`` = (S − y)/T.
    - ``reference`` −log S_y with log1p (full relative precision); ``S_y``.
    """

    S_y: float
    unfused_loss: float
    unfused_grad: np.ndarray
    fused_loss: float
    fused_grad: np.ndarray
    reference: float
    y: int

    @property
    def unfused_error(self) -> float:
        """|unfused − reference| / |reference| (inf when the unfused loss is inf; 0 when both are 0)."""
        return _relative(self.unfused_loss, self.reference)

    @property
    def fused_error(self) -> float:
        return _relative(self.fused_loss, self.reference)

    @property
    def sentence(self) -> str:
        """Why frameworks fuse, with this z's numbers."""
        Sy = label("S", self.y)
        if not math.isfinite(self.unfused_loss):
            return (f"Here {Sy} underflows to 0 in float64, so log(softmax(z)) gives −log 0 = ∞ and backprop through "
                    f"log then softmax multiplies −1/{Sy} = −∞ by J's zeros: NaN. The fused log-softmax computes "
                    f"log {Sy} = z/T − LSE(z/T) = {prose(-self.fused_loss)} directly and its gradient S − y is finite: "
                    "that is why frameworks fuse log-softmax with NLL (the log-sum-exp lesson).")
        if self.unfused_error > 1e-6 and self.fused_error > 1e-6:
            return (f"Here {Sy} is within float64's rounding of 1: both log(softmax(z)) and log-sum-exp as written "
                    f"give the loss {prose(self.fused_loss)}, the exact one is {prose(self.reference)} (log1p keeps it). A "
                    "loss that small moves no weight, and the gradient S − y is still finite: the fusion is about the "
                    f"other end, {Sy} → 0, where log(softmax(z)) gives ∞ and backprop NaN.")
        if self.unfused_error > 1e-6:
            return (f"Here {Sy} = {prose(self.S_y)} is rounded in float64, and log(softmax(z)) takes the log of the rounded "
                    f"value: the loss is {prose(self.unfused_loss)} instead of {prose(self.reference)} (relative error "
                    f"{prose(self.unfused_error, 2)}; fused: {prose(self.fused_error, 2)}). Computing log {Sy} = z/T − "
                    "LSE(z/T) in one step avoids it: that is why frameworks fuse log-softmax with NLL.")
        where = ("far from 0 and from 1" if 1e-3 < self.S_y < 1 - 1e-3 else
                 "small, but float64 still holds it" if self.S_y <= 1e-3 else "close to 1")
        return (f"Here both routes agree (relative error {prose(self.unfused_error, 2)}): {Sy} = {prose(self.S_y)} is "
                f"{where}. Push {label('z', self.y)} far below the others and log(softmax(z)) breaks (−log 0 = ∞, then "
                "NaN in backprop), while the fused log-sum-exp form stays finite: that is why frameworks fuse them.")


def _relative(a: float, ref: float) -> float:
    if a == ref:
        return 0.0
    if not math.isfinite(a):
        return math.inf
    return abs(a - ref) / abs(ref) if ref != 0 else math.inf


def fused_nll(z, y: int, temperature: float = 1.0) -> FusedNLL:
    r"""NLL through log(softmax(z)) against the fused log-softmax, at one z and a 0-based target y.

    .. math:: L = -\log S_y = \operatorname{LSE}(z/T) - z_y/T,\qquad \frac{\partial L}{\partial z} = \frac{S - y}{T}

    Shapes: z ``(n,)`` -> :class:`FusedNLL`.
    """
    z = _one_row(z)
    t = check_temperature(temperature)
    y = int(y)
    S = softmax(z, t)
    Y = np.zeros_like(S)
    Y[y] = 1.0
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        unfused = float(-np.log(S[y]))
        g = np.where(Y > 0, -Y / S, 0.0)  # ∂L/∂S through the separate log
        unfused_grad = jacobian(z, t).T @ g
    # the fused gradient's target entry as −Σ_{k≠y} S_k (core.minus_target): S_y − 1 is 0 where S_y rounds to 1, which
    # printed (0, 1.8×10⁻³⁵, 4.25×10⁻¹⁸) at z = (40, −40, 0) beside the unfused route's right −4.25×10⁻¹⁸
    return FusedNLL(float(S[y]), unfused, unfused_grad, float(-log_softmax(z, t)[y]), minus_target(S, Y) / t,
                    _nll_reference(z, y, t), y)


CANDIDATES = (4.0, 10.0, 40.0, 100.0, 400.0, 1000.0, 4000.0, 10000.0, 40000.0, 100000.0, 400000.0, 1000000.0)


def saturation_hint(temperature: float = 1.0) -> str:
    r"""Two logit vectors to try at this T, with what they do, computed: z = (a, −a, 0) with the smallest a of
    :data:`CANDIDATES` where softmax's J has faded (max |J| below 10⁻¹²/T, or exactly 0), and the smallest where S₂
    underflows to 0 in float64 (then log(softmax(z)) with y = 2 is ∞). Both depend on T: S(z/T) sees only z/T."""
    t = check_temperature(temperature)

    def at(a: float):
        z = np.array([a, -a, 0.0])
        return z, softmax(z, t)

    fade = next(a for a in CANDIDATES if float(np.abs(jacobian(at(a)[0], t)).max()) * t < 1e-12)
    under = next(a for a in CANDIDATES if at(a)[1][1] == 0.0)  # 2a/T beyond about 745: e^(−2a/T) underflows
    zf, zu = at(fade)[0], at(under)[0]
    Jmax, Jlog = float(np.abs(jacobian(zf, t)).max()), float(np.abs(log_softmax_jacobian(zf, t)).max())
    vec = lambda z: prose_vector(z, head=None)
    S2 = softmax(zf, t)[1]
    first = (f"At T = {prose(t)}, try z = {vec(zf)}: softmax's J fades (max |J| = {prose(Jmax)}) while max |$J_{{\\log}}$| "
             f"= {prose(Jlog)}")
    if under == fade:
        return first + "; with y = 2 there, S₂ underflows to 0 in float64 (the unfused loss is ∞)."
    return (first + f" (S₂ = {prose(float(S2))} is still positive); then z = {vec(zu)} with y = 2: S₂ underflows to "
            "0 in float64 (the unfused loss is ∞).")


# ---- the lesson's claims -------------------------------------------------------------------------------------------


def log_softmax_claims(z, i: int = 0, temperature: float = 1.0) -> list[Check]:
    r"""The claims grid of the log-softmax lesson, computed from J_log and S at z ``(n,)``.

    Rows: J_log is not symmetric (unless S is uniform); row i ≠ column i; rows sum to 0; columns sum to (1 − nSⱼ)/T;
    J_log does not vanish as softmax saturates; diag(S)·J_log = J.
    """
    z = _one_row(z)
    t = check_temperature(temperature)
    S = softmax(z, t)
    J = log_softmax_jacobian(z, t)
    n = z.size
    out = []
    asym = float(np.abs(J - J.T).max())
    uniform = bool(np.all(S == S[0]))
    out.append(Check("symmetric here: S is uniform" if uniform else "not symmetric",
                     "$J_{\\log} \\ne J_{\\log}^\\top$ unless S is uniform",
                     f"max |$J_{{\\log}} - J_{{\\log}}^\\top$| = {num(asym)}" + (" (S is uniform here)" if uniform else ""),
                     bool((asym == 0) == uniform),
                     "Entry (i, j) is (δᵢⱼ − Sⱼ)/T: it depends on the column's Sⱼ only, so (i, j) and (j, i) differ "
                     "by (Sᵢ − Sⱼ)/T."))
    rc = row_and_column(z, i, temperature=t)
    out.append(Check(f"row {i + 1} ≠ column {i + 1}", "a nudge reads a row, backprop a column",
                     f"max |row − column| = {num(rc.gap)}", bool((rc.gap == 0) == uniform),
                     f"Row {i + 1} is (e{label('', i)} − S)/T, column {i + 1} is (e{label('', i)} − "
                     f"{label('S', i)}𝟙)/T."))
    rows = float(np.abs(J.sum(axis=1)).max())
    out.append(Check("rows sum to 0", "Σⱼ ∂log Sᵢ/∂zⱼ = 0", f"max |row sum| = {num(rows)}", bool(rows <= 4 * n * EPS / t),
                     "log S(z + c𝟙) = log S(z): a shift moves no output, so each row's total effect is 0."))
    cols = J.sum(axis=0)
    want = (1 - n * S) / t
    miss = float(np.abs(cols - want).max())
    out.append(Check("columns need not sum to 0", "Σᵢ ∂log Sᵢ/∂zⱼ = (1 − nSⱼ)/T, 0 only where Sⱼ = 1/n",
                     f"column sums ({', '.join(num(c) for c in cols[:4])}{', …' if n > 4 else ''})",
                     bool(miss <= 4 * n * EPS / t),
                     "Σᵢ log Sᵢ is not constant (Σᵢ Sᵢ is): unlike softmax's J, nothing forces the columns to 0."))
    Js = jacobian(z, t)
    big, small = float(np.abs(J).max()), float(np.abs(Js).max())
    saturated = bool(S.max() > 1 - 1e-6)
    out.append(Check("does not vanish at saturation", "max |$J_{\\log}$| ≥ 1/(2T)",
                     f"max |$J_{{\\log}}$| = {num(big)} against max |J| = {num(small)}"
                     + (" (softmax saturated)" if saturated else ""),
                     bool(big >= 0.5 / t * (1 - 4 * EPS)),
                     "Column j holds 1 − Sⱼ and −Sⱼ (÷T), and one of them is at least ½ in size whatever S is; "
                     "J's entries carry a factor Sᵢ and fade with it."))
    route = log_route(z, t)
    out.append(Check("the log-derivative route", "$\\operatorname{diag}(S)\\,J_{\\log} = J$",
                     f"max |difference| / Sᵢ(δᵢⱼ + Sⱼ)/T = {num(route['max_rel'])}",
                     bool(route["max_rel"] <= 8 * EPS), "∂Sᵢ/∂zⱼ = Sᵢ·∂log Sᵢ/∂zⱼ: the derivative of log f is f′/f."))
    return out
