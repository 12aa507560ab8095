r"""Softmax in attention: scores of random d-dimensional vectors, and why they are divided by √d.

One query q and n keys k_1 … k_n, every component an independent standard normal. The score
:math:`s_i = q \cdot k_i = \sum_{c=1}^{d} q_c k_{ic}` is a sum of d independent terms of variance 1, so
:math:`\operatorname{Var}(s_i) = d` and its standard deviation is √d. Attention weights are
:math:`a = \operatorname{softmax}(s/\sqrt d)`: softmax at temperature :math:`T = \sqrt d`, with Jacobian
:math:`\partial a/\partial s = (\operatorname{diag}(a) - a a^\top)/\sqrt d` (core.softmax.jacobian at T = √d).
Without the 1/√d the scores spread like √d, softmax saturates and J → 0; an upstream gradient
:math:`g = \partial L/\partial a` that stays bounded then gives :math:`\|\partial L/\partial s\| \le \|J\|_2\,\|g\| \to 0`.

The vectors for every d are prefixes of one seeded draw of length :data:`D_MAX`: growing d appends components, so a
sweep over d follows one set of vectors. numpy + stdlib only.
"""

from __future__ import annotations

import numpy as np

from .softmax import jacobian, softmax

__all__ = ["D_MAX", "PAIRS", "Draw", "draw", "saturation_safe_jacobian", "scores", "spread", "spread_se", "summary",
           "sweep"]

D_MAX = 1024
PAIRS = 256  # independent (q, k) pairs for the spread of the scores: cheap at d = 1024, ±5 % on the std


class Draw:
    """One seeded draw: the spread pairs ``Qp, Kp`` (PAIRS, D_MAX), the query ``q`` (D_MAX,), the keys ``K``
    (n, D_MAX) and a bounded upstream gradient ``g`` (n,) with entries in [−1, 1]. The pairs are drawn first, so
    the keys' first rows do not depend on n."""

    def __init__(self, seed: int, n: int, pairs: int = PAIRS, d_max: int = D_MAX):
        rng = np.random.default_rng(seed)
        Qp, Kp = rng.standard_normal((pairs, d_max)), rng.standard_normal((pairs, d_max))
        # the pairs' scores at d = 1, 2, 4, …, d_max (prefix sums at the powers of 2 only: all a page shows)
        self.dims = 2 ** np.arange(int(np.log2(d_max)) + 1)
        self.pair_scores = np.cumsum(np.add.reduceat(Qp * Kp, np.r_[0, self.dims[:-1]], axis=1), axis=1)
        self.q = rng.standard_normal(d_max)
        self.K = rng.standard_normal((10, d_max))[:n]  # always 10 keys drawn: key i is the same for every n
        self.g = rng.uniform(-1.0, 1.0, 10)[:n]


def draw(seed: int, n: int) -> Draw:
    """The seeded vectors of the page (see :class:`Draw`)."""
    return Draw(int(seed), int(n))


def scores(dr: Draw, d: int) -> np.ndarray:
    r"""The scores :math:`s_i = q_{1:d} \cdot k_{i,1:d}` of the query against every key in dimension d.
    Shapes: -> ``(n,)``."""
    return dr.K[:, :d] @ dr.q[:d]


def spread(dr: Draw, ds) -> np.ndarray:
    """The sample standard deviation (divisor PAIRS − 1) of the PAIRS independent scores q·k, at each d in ``ds``
    (powers of 2). Shapes ``(k,) -> (k,)``; compare with √d."""
    cols = np.searchsorted(dr.dims, np.asarray(ds))
    if not np.array_equal(dr.dims[cols], np.asarray(ds)):
        raise ValueError(f"d must be a power of 2 up to {dr.dims[-1]}")
    return dr.pair_scores[:, cols].std(axis=0, ddof=1)


def spread_se(d, pairs: int = PAIRS) -> np.ndarray:
    r"""Standard error of that sample std (to first order): with :math:`E[(q\cdot k)^4] = 3d^2 + 6d`,
    :math:`\operatorname{Var}(\hat\sigma^2) \approx (2d^2 + 6d)/P`, so :math:`\operatorname{SE}(\hat\sigma) \approx
    \sqrt{(2d^2 + 6d)/P}\,/\,(2\sqrt d)`. Shapes: like ``d``."""
    d = np.asarray(d, dtype=np.float64)
    return np.sqrt((2 * d**2 + 6 * d) / pairs) / (2 * np.sqrt(d))


def saturation_safe_jacobian(s, temperature: float) -> np.ndarray:
    r"""J = ∂a/∂s of a = softmax(s/T), with its diagonal as :math:`a_j \sum_{i \ne j} a_i / T`, not
    :math:`a_j(1 - a_j)/T`: once the top weight rounds to 1.0, 1 − a_j is 0 in float64 while the sum of the other
    weights still holds their size. Off the diagonal :math:`-a_i a_j/T`. Shapes ``(n,) -> (n, n)``."""
    return jacobian(s, temperature)  # core.jacobian computes its diagonal this way (core.softmax.others)


def summary(s, g, temperature: float, K) -> dict:
    r"""Softmax of the scores ``s`` (n,) at temperature T (1: unscaled, √d: scaled) and what its Jacobian does.

    ``S``; ``J`` = ∂a/∂s (n, n) (:func:`saturation_safe_jacobian`); ``max_abs`` = max |J_ij|; ``norm`` = ‖J‖₂ (its
    largest eigenvalue: J is symmetric PSD); for the bounded upstream g = ∂L/∂a (n,): ``grad`` = ‖∂L/∂s‖ = ‖Jg‖ and
    ``grad_q`` = ‖∂L/∂q‖ with :math:`\partial L/\partial q = K^\top (\partial L/\partial s)`, K the keys (n, d)
    (∂s/∂q = K: T is not in it). Jg is the VJP :math:`a \odot (g - g\cdot a)/T` written as
    :math:`a_j \sum_i a_i (g_j - g_i)/T`, which needs no 1 − a_j either."""
    S = softmax(s, temperature)
    J = saturation_safe_jacobian(s, temperature)
    g = np.asarray(g, dtype=np.float64)
    dL_ds = S * ((g[:, None] - g[None, :]) @ S) / temperature
    lam = np.linalg.eigvalsh(J)
    return {"S": S, "J": J, "max_abs": float(np.abs(J).max()), "norm": float(max(lam[-1], 0.0)),
            "grad": float(np.linalg.norm(dL_ds)), "grad_q": float(np.linalg.norm(np.asarray(K).T @ dL_ds))}


def sweep(dr: Draw, ds) -> dict[str, np.ndarray]:
    """:func:`summary` without and with the 1/√d at each d in ``ds``: arrays ``(k,)`` keyed ``raw_max``,
    ``raw_norm``, ``raw_grad``, ``raw_grad_q``, ``raw_top`` (max S), and the same with ``scaled_``."""
    keys = ("max", "norm", "grad", "grad_q", "top")
    out: dict[str, list] = {f"{w}_{k}": [] for w in ("raw", "scaled") for k in keys}
    for d in ds:
        s = scores(dr, int(d))
        for w, t in (("raw", 1.0), ("scaled", float(np.sqrt(d)))):
            r = summary(s, dr.g, t, dr.K[:, : int(d)])
            for k, v in zip(keys, (r["max_abs"], r["norm"], r["grad"], r["grad_q"], float(r["S"].max())), strict=True):
                out[f"{w}_{k}"].append(v)
    return {k: np.asarray(v) for k, v in out.items()}
