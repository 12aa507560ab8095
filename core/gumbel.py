r"""Gumbel-max sampling from softmax, and the Gumbel-softmax relaxation.

**Gumbel-max.** With :math:`G_k = -\log(-\log U_k)`, :math:`U_k \sim \operatorname{Uniform}(0, 1)` independent,
:math:`\operatorname{argmax}_k (z_k/T + G_k)` is a sample of :math:`\operatorname{Categorical}(S)`,
:math:`S = \operatorname{softmax}(z/T)`: the noise goes on the *tempered* logits z/T.

**Gumbel-softmax.** Replace the argmax by a softmax at a temperature τ:
:math:`y = \operatorname{softmax}\big((z/T + G)/\tau\big)`, differentiable in z with
:math:`\partial y/\partial z = (\operatorname{diag}(y) - yy^\top)/(T\tau)`. As τ → 0, y tends to the one-hot Gumbel-max
sample and this Jacobian tends to 0 for almost every draw, while a draw whose top two z_k/T + G_k lie within about τ
of each other gets a Jacobian of size up to 1/(4Tτ): the gradient estimate becomes rare spikes (high variance).
numpy + stdlib only; every random source is ``np.random.default_rng(seed)``.
"""

from __future__ import annotations

import numpy as np

from .fmt import label, percent, plural, prose, whole
from .softmax import check_temperature, jacobian, others, softmax

__all__ = ["TAUS", "checkpoints", "frequency_sentence", "gumbel_max", "gumbel_noise", "jacobian_size", "relaxation_sentence",
           "relaxed", "running_frequencies", "tau_sweep"]

TAUS = np.geomspace(0.01, 10.0, 19)  # the τ axis of the gradient plot


def gumbel_noise(draws: int, n: int, seed: int) -> np.ndarray:
    r"""Standard Gumbel noise :math:`G = -\log(-\log U)`, shape ``(draws, n)``. U is drawn in [0, 1) and 0 is
    replaced by the smallest positive float64 (probability 2⁻⁵³ per entry), so G is always finite."""
    U = np.random.default_rng(seed).random((int(draws), int(n)))
    U = np.where(U > 0, U, np.finfo(np.float64).tiny)
    return -np.log(-np.log(U))


def gumbel_max(z, temperature: float, G) -> np.ndarray:
    r"""The Gumbel-max samples :math:`\operatorname{argmax}_k(z_k/T + G_{dk})`, one class per row of G.
    Shapes: z ``(n,)``, G ``(draws, n)`` -> ``(draws,)`` int (0-based classes)."""
    t = check_temperature(temperature)
    return np.argmax(np.asarray(z, dtype=np.float64) / t + np.asarray(G), axis=1)


def checkpoints(draws: int, per_decade: int = 8) -> np.ndarray:
    """Draw counts 1 … draws on a log grid (integers, unique, ending at ``draws``), for a running frequency."""
    pts = np.unique(np.round(np.logspace(0, np.log10(max(int(draws), 1)), per_decade * 4 + 1)).astype(np.int64))
    return np.unique(np.r_[pts, int(draws)])


def running_frequencies(samples, n: int, at) -> np.ndarray:
    """The frequency of each class among the first N samples, for each N in ``at``. Shapes -> ``(len(at), n)``."""
    counts = np.cumsum(np.eye(int(n))[np.asarray(samples)], axis=0)
    at = np.asarray(at, dtype=np.int64)
    return counts[at - 1] / at[:, None]


def relaxed(z, temperature: float, tau: float, G) -> tuple[np.ndarray, np.ndarray]:
    r"""The Gumbel-softmax sample and its Jacobian in z, for every row of G.

    .. math:: y = \operatorname{softmax}\big((z/T + G)/\tau\big),\qquad
              \frac{\partial y}{\partial z} = \frac{\operatorname{diag}(y) - yy^\top}{T\tau}

    Shapes: z ``(n,)``, G ``(draws, n)`` -> y ``(draws, n)``, dy_dz ``(draws, n, n)``.
    """
    t, tau = check_temperature(temperature), check_temperature(tau)
    x = np.asarray(z, dtype=np.float64) / t + np.asarray(G)
    return softmax(x, tau), jacobian(x, tau) / t


def jacobian_size(y, temperature: float, tau: float) -> np.ndarray:
    r"""max |∂yᵢ/∂zⱼ| of each Gumbel-softmax sample without forming the Jacobian:
    :math:`\max_i y_i(1 - y_i)/(T\tau)`. (An off-diagonal :math:`y_i y_j` never exceeds it: with the two largest
    entries :math:`y_a \ge y_b`, :math:`y_a y_b \le y_a (1 - y_a)` since :math:`y_b \le 1 - y_a`.)
    Shapes: y ``(draws, n)`` -> ``(draws,)``."""
    y = np.asarray(y)
    return (y * others(y)).max(axis=-1) / (check_temperature(temperature) * check_temperature(tau))


def tau_sweep(z, temperature: float, G, taus=TAUS) -> dict[str, np.ndarray]:
    """For each τ, over the draws (rows of G): the ``median``, 99th percentile ``p99`` and ``mean`` of max |∂yᵢ/∂zⱼ|
    (:func:`jacobian_size`), and ``onehot`` = the mean of max_k |y_k − e_k| against the Gumbel-max one-hot sample.
    Arrays ``(len(taus),)``; ``draws`` (int) is how many rows of G they are taken over, for the sentence to say."""
    t = check_temperature(temperature)
    taus = np.asarray(taus, dtype=np.float64)
    x = np.asarray(z, dtype=np.float64) / t + np.asarray(G)
    top = np.argmax(x, axis=1)  # the Gumbel-max sample of each draw
    # every τ at once: softmax of the shifted x / τ (the shift makes exp ≤ 1, as in core.softmax)
    e = np.exp((x - x.max(axis=1, keepdims=True))[None] / taus[:, None, None])  # (taus, draws, n)
    y = e / e.sum(axis=2, keepdims=True)
    size = (y * others(y)).max(axis=2) / (t * taus[:, None])  # jacobian_size for every τ and draw
    q50, q99 = np.quantile(size, (0.5, 0.99), axis=1)
    # max_k |y_k − e_top,k| = 1 − y_top: every other y_k is at most the rest of the sum, 1 − y_top (summed, not subtracted)
    onehot = np.take_along_axis(others(y), np.broadcast_to(top[None, :, None], (len(taus), top.size, 1)), axis=2)[..., 0]
    return {"median": q50, "p99": q99, "mean": size.mean(axis=1), "onehot": onehot.mean(axis=1), "draws": int(x.shape[0])}


def frequency_sentence(freq, S, draws: int) -> str:
    r"""How far the Gumbel-max frequencies ``freq`` (n,) after ``draws`` draws lie from S (n,), in binomial standard
    errors :math:`\sqrt{S_k(1 - S_k)/N}`: the largest gap, its class and its standard errors; the class largest in
    standard errors when that is another (a rare class's small gap can be many of its small standard errors); and the
    share of classes within 2 of them."""
    freq, S = np.asarray(freq, dtype=np.float64), np.asarray(S, dtype=np.float64)
    gap = np.abs(freq - S)
    zsc = gap / np.maximum(np.sqrt(S * others(S) / draws), 1e-300)
    k, m = int(np.argmax(gap)), int(np.argmax(zsc))
    most = "" if zsc[m] == zsc[k] else (f"; the largest in standard errors is {label('S', m)}'s, {prose(zsc[m])} "
                                         f"(a gap of {prose(gap[m], 2)})")
    return (f"After {whole(draws)} draws the largest gap between a frequency and its Sₖ is {prose(gap[k], 2)}, for "
            f"{label('S', k)}, {prose(zsc[k])} binomial standard errors{most}; {percent(np.mean(zsc <= 2))} of the {S.size} "
            "classes lie within 2 standard errors.")


def relaxation_sentence(sweep: dict, temperature: float) -> str:
    """The relaxation's paragraph, every number read from :func:`tau_sweep`'s ``sweep`` (τ from 0.01 to 10): how far
    y stays from one-hot and how the gradient grows as τ falls, and whether the top 1 % of draws are spikes (more than
    100 times the median, and not all negligible against the bound 1/(4Tτ)), naming the draws the percentile is taken
    over (``sweep["draws"]``)."""
    t = check_temperature(temperature)
    # a value that is exactly 0 here has underflowed (e^{−4000} at z = (40, −40, 0), τ = 0.01): "0 in float64", not 0
    def low(v: float) -> str:
        return "0 in float64" if v == 0 else prose(v, 2)

    bound = 1 / (4 * t * float(TAUS[0]))
    spikes = sweep["p99"][0] > 100 * sweep["median"][0] and sweep["p99"][0] >= 1e-4 * bound
    # the sample the percentile is taken over, said: over 50 draws "the top 1 %" is the single largest draw
    n = sweep.get("draws")
    top = "the top 1 %" if n is None else (
        f"the top 1 % of these {plural(n, 'draw')} (the 99th percentile{', about their largest' if n < 200 else ''})")
    return ("**The relaxation** replaces the argmax by a softmax at temperature τ: "
            "$y = \\operatorname{softmax}((z/T + G)/\\tau)$, differentiable, with "
            "$\\partial y/\\partial z = (\\operatorname{diag}(y) - yy^\\top)/(T\\tau)$. "
            f"As τ falls from 10 to 0.01 the mean distance of y from the one-hot sample, max |yₖ − eₖ|, goes from "
            f"{prose(sweep['onehot'][-1], 2)} to {low(sweep['onehot'][0])}, and the median draw's max |∂y/∂z| from "
            f"{prose(sweep['median'][-1], 2)} to {low(sweep['median'][0])}, " + (
                f"while {top} reach{'es' if n is not None and n < 200 else ''} {prose(sweep['p99'][0], 2)}, "
                + (f"{prose(sweep['p99'][0] / sweep['median'][0], 2)} times the median" if sweep["median"][0] > 0 else
                   "against a median of 0 in float64")
                + f" (at most 1/(4Tτ) = {prose(bound)}): draws whose "
                "two largest z/T + G lie within about τ of each other. The gradient becomes rare, large spikes: a "
                "high-variance estimate." if spikes else
                f"and no draw here comes near a tie: even {top} stay{'s' if n is not None and n < 200 else ''} at "
                f"{low(sweep['p99'][0])}."))
