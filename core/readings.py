r"""Three readings of the softmax Jacobian: a derivative (core.softmax.jacobian), a covariance, a Hessian.

**Covariance.** Draw a class :math:`Y \sim \operatorname{Categorical}(S)` with :math:`S = \operatorname{softmax}(z/T)`
and write it one-hot, :math:`e_Y`. Then :math:`E[e_Y] = S` and
:math:`\operatorname{Cov}(e_Y) = \operatorname{diag}(S) - S S^\top`, so :math:`J = \operatorname{Cov}(e_Y)/T`.

**Hessian.** With the smooth maximum :math:`\operatorname{smax}_T(z) = T \log\sum_k e^{z_k/T}` (log-sum-exp at
temperature T), :math:`\nabla \operatorname{smax}_T = S` and :math:`\nabla^2 \operatorname{smax}_T = J`. A Hessian is
symmetric; a covariance is positive semi-definite: so is J. Cross-entropy
:math:`L = -\log S_y = \operatorname{smax}_T(z)/T - z_y/T` has Hessian :math:`J/T` in z: convex in the logits.

numpy + stdlib only. Every random source is ``np.random.default_rng(seed)``.
"""

from __future__ import annotations

import numpy as np

from . import fmt
from .softmax import as_logits, check_temperature, jacobian, others, softmax

__all__ = ["MC_GRID", "cov_from_counts", "cov_standard_error", "covariance_error_curve", "fit_slope",
           "hessian_checks", "hessian_table", "mc_jacobian", "sample_counts", "se_sentence", "second_order_scale",
           "slope_sentence", "smooth_max", "smooth_max_hessian_fd"]

# Sample counts of the convergence plot: 10 … 10⁶, five per decade (logarithmic steps).
MC_GRID = np.unique(np.round(np.logspace(1, 6, 26)).astype(np.int64))


def sample_counts(S, count: int, seed: int) -> np.ndarray:
    r"""Counts of each class among ``count`` draws :math:`Y_1 … Y_N \sim \operatorname{Categorical}(S)`.

    The counts of N independent categorical draws are exactly :math:`\operatorname{Multinomial}(N, S)`, and the
    sample covariance of the one-hot vectors depends on the draws only through these counts, so drawing the counts
    is drawing the samples (O(n) work for any N, cheap on every rerun). Shapes: S ``(n,)`` -> ``(n,)`` int.
    """
    S = np.asarray(S, dtype=np.float64)
    p = np.clip(S, 0.0, None)
    return np.random.default_rng(seed).multinomial(int(count), p / p.sum())


def cov_from_counts(counts) -> np.ndarray:
    r"""The sample covariance (divisor N − 1, unbiased) of N one-hot vectors with these class counts.

    .. math:: \hat C = \frac{N}{N - 1}\left(\operatorname{diag}(\hat p) - \hat p\,\hat p^\top\right),
              \qquad \hat p = \text{counts}/N

    Shapes: ``(n,) -> (n, n)``. (The same number as ``np.cov`` of the stacked one-hot rows, see the tests.)
    """
    c = np.asarray(counts, dtype=np.float64)
    N = c.sum()
    if N < 2:
        raise ValueError("a sample covariance needs at least 2 samples")
    p = c / N
    return (np.diag(p) - np.outer(p, p)) * (N / (N - 1))


def mc_jacobian(z, temperature: float, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    r"""Monte Carlo estimate of J from ``count`` seeded draws: :math:`\hat J = \hat C/T`.

    Shapes: z ``(n,)`` -> (counts ``(n,)``, :math:`\hat J` ``(n, n)``).
    """
    t = check_temperature(temperature)
    counts = sample_counts(softmax(z, t), count, seed)
    return counts, cov_from_counts(counts) / t


def cov_standard_error(S, count: int) -> np.ndarray:
    r"""Standard error of each entry of the sample covariance of N one-hot vectors (to first order in 1/N).

    .. math:: \operatorname{SE}(\hat C_{ij}) = \sqrt{\big(E[(X_i - S_i)^2 (X_j - S_j)^2] - C_{ij}^2\big)/N}

    with :math:`X = e_Y`: the fourth moment is a sum over the n outcomes. Divide by T for :math:`\hat J`.
    Shapes: S ``(n,)`` -> ``(n, n)``.
    """
    S = np.asarray(S, dtype=np.float64)
    C = -np.outer(S, S)
    np.fill_diagonal(C, S * others(S))  # S_i(1 − S_i) with 1 − S_i summed (core.jacobian's form)
    D = np.eye(S.size) - S  # row y: the centred one-hot e_y − S
    np.fill_diagonal(D, others(S))
    m4 = np.einsum("y,yi,yj->ij", S, D**2, D**2)
    return np.sqrt(np.clip(m4 - C**2, 0.0, None) / int(count))


def covariance_error_curve(z, temperature: float, seed: int, counts=MC_GRID, replicates: int = 8) -> dict:
    r"""The error of the Monte Carlo :math:`\hat J` against the analytic J, as the sample count grows.

    For each count N: ``replicates`` estimates (the first from ``seed``, the same as :func:`mc_jacobian` at that N;
    the others from the streams of seeds ``seed + 1, …``), each scored by the
    largest entry error :math:`\max_{ij} |\hat J_{ij} - J_{ij}|`; ``rms`` is their root mean square and ``first``
    the error of seed ``seed`` alone. ``slope`` is the least-squares slope of log10(rms) on log10(N) over the counts
    N ≥ ``fit_from`` = 10/(1 − max S): about −½, as for any average of N independent samples. Below that count the
    classes other than the top one have been drawn only a few times (or never), the estimate misses their entries of
    J and the error stalls; ``slope`` is nan when less than a decade of the grid lies beyond it.
    Returns numpy arrays keyed by name (counts ``(k,)``, errors ``(k,)``) and the floats slope and fit_from.
    """
    t = check_temperature(temperature)
    S = softmax(z, t)
    J = jacobian(z, t)
    counts = np.asarray(counts, dtype=np.int64)
    p = np.clip(S, 0.0, None) / np.clip(S, 0.0, None).sum()
    # replicate 0 draws each N afresh from ``seed``: exactly the estimate mc_jacobian(z, T, N, seed) shows
    drawn = [np.stack([sample_counts(S, int(N), seed) for N in counts])]
    drawn += [np.random.default_rng(seed + r).multinomial(counts, p) for r in range(1, replicates)]  # (k, n) each
    f = np.stack(drawn) / counts[None, :, None]  # (replicates, k, n) frequencies
    N = counts[None, :, None, None]
    Jhat = (f[..., :, None] * np.eye(S.size) - f[..., :, None] * f[..., None, :]) * (N / (N - 1)) / t
    errs = np.abs(Jhat - J).max(axis=(2, 3))
    rms = np.sqrt((errs**2).mean(axis=0))
    rest = float(others(S)[np.argmax(S)])  # the chance of drawing anything but the top class (summed, not 1 − max S)
    fit_from = 10.0 / rest if rest > 0 else float("inf")
    keep = counts >= fit_from
    if counts[keep].size and counts[-1] < 10 * fit_from:  # less than a decade to fit: no slope worth a claim
        keep[:] = False
    return {"counts": counts, "first": errs[0], "rms": rms, "fit_from": fit_from, "rest": rest,
            "slope": fit_slope(counts[keep], rms[keep])}


def fit_slope(x, y) -> float:
    """Least-squares slope of log10(y) against log10(x) over the points with y > 0 (nan if fewer than two)."""
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    keep = (x > 0) & (y > 0)
    if keep.sum() < 2:
        return float("nan")
    return float(np.polyfit(np.log10(x[keep]), np.log10(y[keep]), 1)[0])


def smooth_max(z, temperature: float = 1.0) -> float:
    r"""Log-sum-exp at temperature T, the smooth maximum: :math:`\operatorname{smax}_T(z) = T\log\sum_k e^{z_k/T}`.

    Stable: shifted by max z. :math:`\nabla \operatorname{smax}_T = S`. Shapes ``(n,) -> ()``.
    """
    x = as_logits(z)
    t = check_temperature(temperature)
    m = x.max()
    e = np.exp((x - m) / t)
    # Σ e = 1 + r with the max's own term exactly 1: log1p(r) keeps a tiny r that log(1 + r) would round away
    return float(m + t * np.log1p(np.sort(e)[:-1].sum()))


def smooth_max_hessian_fd(z, temperature: float = 1.0, h: float = 1e-4) -> np.ndarray:
    r"""The Hessian of :func:`smooth_max` by central second differences (no softmax formula used):

    .. math:: H_{ij} \approx \frac{f(z + h e_i + h e_j) - f(z + h e_i - h e_j) - f(z - h e_i + h e_j)
              + f(z - h e_i - h e_j)}{4h^2}

    Error O(h²) plus rounding O(ε/h²), about 1e-7 here. Shapes ``(n,) -> (n, n)``.
    """
    x = as_logits(z)
    t = check_temperature(temperature)
    x = x - x.max()  # smax_T(z + c) = smax_T(z) + c: the same Hessian, and f stays near T log n, so rounding stays small
    n = x.size
    E = np.eye(n) * h * t  # step in units of T: the curvature scale of smax_T is 1/T
    H = np.empty((n, n))
    for i in range(n):
        for j in range(i, n):
            f = [smooth_max(x + si * E[i] + sj * E[j], t) for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1))]
            H[i, j] = H[j, i] = (f[0] - f[1] - f[2] + f[3]) / (4 * (h * t) ** 2)
    return H


def hessian_checks(J, temperature: float = 1.0, H_fd=None, S=None) -> list[tuple[str, str, bool | None]]:
    r"""What the Hessian reading makes obvious, each *computed* from the matrix ``J`` (n, n) and worded as tested:
    (claim, computed value, holds). Symmetric (a Hessian of a smooth function: each entry within 2 ulps of its
    mirror), eigenvalues ≥ 0 (a covariance; "0 up to rounding" means |λ| ≤ n·ε·‖J‖, as on the property panel), and
    the Hessian of cross-entropy in z, J/T, has the same eigenvalues over T ≥ 0: convex in the logits. ``H_fd`` (the
    finite-difference Hessian of smax_T) is compared with J when given, to 10⁻⁵·max(1, 1/T) (its own error is
    about 10⁻⁷ on that scale). Given S, an eigenvalue below −n·ε·‖J‖ while softmax has saturated (some S_k < 1e-12)
    is reported as None (⚠, true in exact arithmetic), as core.jacobian_props does.
    """
    from .jacobian_props import EPS, zero_tolerance  # here, not at the top: jacobian_props is the heavier module

    J = np.asarray(J, dtype=np.float64)
    t = check_temperature(temperature)
    lam = np.linalg.eigvalsh((J + J.T) / 2)
    big = np.maximum(np.abs(J), np.abs(J.T))
    asym = float(np.max(np.divide(np.abs(J - J.T), big, out=np.zeros_like(J), where=big > 0)))
    saturated = S is not None and float(np.min(S)) < 1e-12
    zero_tol = zero_tolerance(J)
    psd = bool(lam[0] >= -zero_tol)
    psd_mark = True if psd else (None if saturated else False)
    zero = " (0 up to rounding: |λ| ≤ n·ε·‖J‖)" if 0 < abs(lam[0]) <= zero_tol else ""
    small = lambda v: fmt.num(v + 0.0, 3)
    fd_tol = 1e-5 * max(1.0, 1 / t)
    fd_err = None if H_fd is None else float(np.abs(np.asarray(H_fd) - J).max())
    # finite differences resolve J only down to fd_tol: where every entry of J is smaller, agreeing says nothing
    blind = fd_err is not None and fd_err <= fd_tol and float(np.abs(J).max()) <= fd_tol
    return [
        ("J = ∇²(T·LSE(z/T)), the Hessian of T log Σₖ e^(zₖ/T)",
         "—" if fd_err is None else f"max |∇²(finite differences) − J| = {fmt.prose(fd_err, 2)}, "
         f"{'within' if fd_err <= fd_tol else 'above'} 10⁻⁵·max(1, 1/T) = {fmt.prose(fd_tol, 2)}"
         + ("; every entry of J is smaller than that, so finite differences cannot tell J from 0 here" if blind else ""),
         True if fd_err is None else (None if blind else bool(fd_err <= fd_tol))),
        ("symmetric, as every Hessian is (each entry within 2 ulps of its mirror)",
         "every entry equals its mirror exactly" if asym == 0 else
         f"worst |Jᵢⱼ − Jⱼᵢ| = {fmt.num(asym / EPS, 2)} ulp of the entry",
         bool(asym <= 2 * EPS)),
        ("positive semi-definite (eigenvalues ≥ −n·ε·‖J‖), as every covariance is",
         f"smallest eigenvalue {small(lam[0])}{zero}, largest {small(lam[-1])}", psd_mark),
        ("cross-entropy −log S at the target is convex in z: its Hessian J/T is PSD",
         f"eigenvalues of J/T in [{small(lam[0] / t)}, {small(lam[-1] / t)}]", psd_mark),
    ]


def hessian_table(z, J, temperature: float = 1.0, S=None) -> dict[str, list[str]]:
    """:func:`hessian_checks` of ``J`` (n, n) against the finite-difference Hessian of smax_T at z ``(n,)``, as table
    columns: mark (✓ holds, ✗ fails, ⚠ true in exact arithmetic but float64 or finite differences cannot tell), claim,
    computed value."""
    hc = hessian_checks(J, temperature, smooth_max_hessian_fd(z, temperature), S)
    return {"": [fmt.MARK[ok] for *_, ok in hc], "claim": [c for c, *_ in hc], "computed": [v for _, v, _ in hc]}


def second_order_scale(S, count: int) -> np.ndarray:
    r"""The size of the second-order error of each entry of the sample covariance, :math:`\sqrt{v_i v_j}` with
    :math:`v_k = S_k(1 - S_k)/N`: the product of two frequencies' errors, (p̂ᵢ − Sᵢ)(p̂ⱼ − Sⱼ). Where the first-order
    standard error (:func:`cov_standard_error`) falls below it, the error is second order and "within 2 standard
    errors" does not describe it. Divide by T for :math:`\hat J`. Shapes: S ``(n,)`` -> ``(n, n)``."""
    S = np.asarray(S, dtype=np.float64)
    v = S * others(S) / int(count)
    return np.sqrt(np.outer(v, v))


def se_sentence(Jhat, J, se, counts=None, se2=None) -> str:
    """How the Monte Carlo Ĵ (n, n) sits against J given each entry's standard error ``se`` (n, n), in words decided
    by the numbers. Entries whose first-order standard error is 0 (e.g. n = 2 at S = (½, ½), where every draw gives
    the same squared deviations, or a class with S_k = 0 in float64) are counted apart: their error is second order.
    So are, given the class ``counts`` (n,), the row and column of a class never drawn: Ĵ is 0 there whatever S_k is,
    a rare-event error that "within 2 standard errors" (a normal approximation) does not describe. Given ``se2``
    (n, n), :func:`second_order_scale` over T, an entry whose first-order standard error is not above it counts with
    those of standard error 0: at z = (2, 2, −1), T = 0.1 the off-diagonal S₁S₂ has a first-order SE of 3×10⁻⁸ but a
    second-order error near 2.5×10⁻³, and "56,000 SE" would read as a failure of the estimator."""
    err = np.abs(np.asarray(Jhat) - np.asarray(J))
    se = np.asarray(se)
    unseen = np.zeros(err.shape[0], bool) if counts is None else np.asarray(counts) == 0
    rare = unseen[:, None] | unseen[None, :]
    pos = (se > (0 if se2 is None else np.asarray(se2))) & ~rare
    out = []
    if pos.any():
        zs = err[pos] / se[pos]
        k, m = int(pos.sum()), int(np.sum(zs <= 2))
        if k == 1:
            out.append(f"The 1 entry with a first-order standard error {'lies' if m else 'does not lie'} within 2 "
                       f"standard errors of J (its error is {fmt.prose(zs.max(), 2)} standard errors).")
        else:
            share = ("both" if k == 2 else "all") if m == k else "none" if m == 0 else f"{m}"
            out.append(f"Of the {fmt.plural(k, 'entry')} with a first-order standard error, {share} "
                       f"{'lies' if m == 1 else 'lie'} within 2 standard errors of J (the largest error is "
                       f"{fmt.prose(zs.max(), 2)} of them).")
    if rare.any():
        never, many = ", ".join(str(k + 1) for k in np.flatnonzero(unseen)), int(unseen.sum()) > 1
        out.append(f"Class{'es' if many else ''} {never} {'were' if many else 'was'} never drawn in "
                   f"{fmt.whole(np.sum(counts))} samples, so the {int(rare.sum())} entries in {'their' if many else 'its'} row "
                   f"and column are estimated from no draw of {'them' if many else 'it'} "
                   f"(error up to {fmt.prose(err[rare].max(), 2)}): "
                   "a class of probability Sₖ needs about 1/Sₖ samples before Ĵ sees it.")
    if (~pos & ~rare).any():
        few = int((~pos & ~rare).sum())
        below = "" if se2 is None or not np.any(se[~pos & ~rare] > 0) else (
            " or below the second-order scale √(vᵢvⱼ)/T, vₖ = Sₖ(1 − Sₖ)/N")
        out.append(f"{fmt.plural(few, 'entry')} {'has' if few == 1 else 'have'} standard error 0 to first order in 1/N"
                   f"{below}: {'its' if few == 1 else 'their'} error, {fmt.prose(err[~pos & ~rare].max(), 2)} at most, "
                   "is second order.")
    return " ".join(out)


def slope_sentence(curve: dict) -> str:
    """The one sentence the page says about a :func:`covariance_error_curve`, decided by its numbers."""
    if not np.any(curve["rms"] > 0):
        return "Softmax is one-hot in float64 here: every draw is the same class, and the estimate equals J exactly."
    if np.isnan(curve["slope"]):
        rest = curve["rest"]
        odds = "rounds to 0 in float64" if rest <= 0 else (
            f"is {fmt.prose(rest, 2)}: in {fmt.whole(curve['counts'][-1])} draws they come up "
            f"about {fmt.prose(curve['counts'][-1] * rest, 2)} times")
        return (f"The chance of any class but the top one, 1 − max S, {odds}; so the error stalls at the size of their "
                "entries of J, and the 1/√N regime (N ≫ 10/(1 − max S)) lies beyond the draws plotted here.")
    slope = fmt.fixed(curve["slope"], 2, unicode=True)
    close = abs(curve["slope"] + 0.5) <= 0.1
    return (f"Fitted slope over N ≥ {fmt.whole(round(curve['fit_from']))}: {slope}"
            + (", close to −½: the error of an average of N samples falls like 1/√N." if close else
               ", not −½: the largest errors here are second order in the frequencies." if curve["slope"] < -0.6 else
               ", not −½ over this range of N."))
