r"""Log-sum-exp and the losses built on it: the fused cross-entropy, soft targets, distillation (numpy + stdlib).

.. math:: \operatorname{LSE}_T(z) = \log\sum_{k=1}^{n} e^{z_k / T},\qquad
          \nabla_z \operatorname{LSE}_T(z) = \frac{1}{T}\operatorname{softmax}(z / T)

Every forward function sits beside its derivative (micrograd style). ``n`` is the number of classes, ``...`` any
leading batch shape; indices are 0-based here and shown 1-based on screen.
"""

from __future__ import annotations

import math
from decimal import Context, Decimal, getcontext, localcontext

import numpy as np

from .fmt import given
from .softmax import (
    _rest,
    _scaled,
    _shifted,
    as_logits,
    check_temperature,
    jacobian_of,
    minus_target,
    naive_softmax,
    softmax,
    stable_softmax_in,
    vjp,
)

__all__ = [
    "ce_lse",
    "ce_lse_grad",
    "distill_loss",
    "distill_loss_grad",
    "distill_sizes",
    "double_softmax_ce",
    "double_softmax_floor",
    "double_softmax_grad",
    "limit_at",
    "logsumexp",
    "logsumexp_grad",
    "smooth_max",
    "smooth_max_grad",
    "smooth_targets",
    "smoothing_curve",
    "smoothing_gap",
    "smoothing_loss_vs_gap",
    "soft_max_sweep",
    "stability_rows",
    "stability_table",
]


def _lse_parts(x, axis: int = -1) -> tuple[np.ndarray, np.ndarray]:
    """log Σ e^x along ``axis`` as its two parts (m, log1p(r)), m the (real) max: works for real and complex x (the
    complex step). The sum is 1 + r (the max's own term is 1) and its log is log1p(r), so a tiny r keeps its digits.
    Shapes ``(..., n) -> (...), (...)``."""
    m = np.max(np.real(x), axis=axis, keepdims=True)
    e = np.exp(x - m)
    return np.squeeze(m, axis=axis), np.log1p(np.squeeze(_rest(e, np.real(x), axis), axis=axis))


def _lse(x, axis: int = -1) -> np.ndarray:
    """log Σ e^x along ``axis`` (:func:`_lse_parts`, summed)."""
    m, tail = _lse_parts(x, axis)
    return m + tail


CANCELLED = 0.125  # a result under this fraction of its larger part is summed exactly (_exact_where_cancelled)


def _log1p(r: Decimal) -> Decimal:
    """log(1 + r) for r >= 0 at the context's precision: its series for a small r (1 + r would round r away)."""
    if r >= Decimal("1e-4"):
        return (1 + r).ln()
    total, term, k = Decimal(0), r, 1
    while term and abs(term) > abs(total) * Decimal(10) ** -(getcontext().prec + 2):  # ≈ every digit
        total += term / k
        term, k = -term * r, k + 1
    return total


def _exact(z, temperature: float, times_t: bool) -> float:
    r"""log Σ_k e^{z_k/T} of one vector (times T with ``times_t``), in decimal arithmetic from the exact floats and
    rounded once: its precision doubles (from 50 digits) until two results round to the same float64."""
    zs, t = [Decimal(float(v)) for v in z], Decimal(float(temperature))
    top, prev, prec = max(zs), None, 50
    rest = list(zs)
    rest.remove(top)
    while True:
        with localcontext(Context(prec=prec)):  # a fresh context: not the thread's traps or rounding
            log_sum = _log1p(sum((((v - top) / t).exp() for v in rest), Decimal(0)))  # Σ = 1 + r, as log1p
            got = float(top + t * log_sum if times_t else top / t + log_sum)
        if got == prev or prec >= 3200:
            return got
        prev, prec = got, 2 * prec


def _exact_where_cancelled(out, top, tail, z, temperature, axis: int, times_t: bool) -> np.ndarray:
    r"""``out`` = ``top`` + ``tail`` (the max and the log1p term), with every entry where the two cancel recomputed by
    :func:`_exact`. Why: when max z < 0 and the log1p term nearly equals −max, the result is far smaller than either,
    and the rounding of each exponent z_k/T (up to 745·2⁻⁵³ of its term) is multiplied by their ratio (z = (−118.78125,
    −2.4·10⁻²⁵⁹), T = 0.2: the floats gave 1.6·10⁻¹² relative). At a ratio of at most 8 (:data:`CANCELLED`) the float
    result stays within about 8·745·2⁻⁵³ ≈ 6.6·10⁻¹³; beyond it the decimal sum is used. Such inputs are rare, so
    the decimal sum costs nothing elsewhere."""
    out = np.asarray(out, dtype=np.float64)
    bad = np.abs(out) < CANCELLED * np.maximum(np.abs(top), np.abs(tail))
    if not np.any(bad):
        return out
    rows = np.moveaxis(np.asarray(as_logits(z), dtype=np.float64), axis, -1)
    out = out.copy()
    for idx in np.ndindex(bad.shape):
        if bad[idx]:
            out[idx] = _exact(rows[idx], temperature, times_t)
    return out


def logsumexp(z, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""Log-sum-exp of ``z / T``, stable for any finite z.

    .. math:: \operatorname{LSE}_T(z) = \log\sum_k e^{z_k/T} = m + \log\sum_k e^{z_k/T - m},\quad m = \max_k z_k/T

    Shapes: ``(..., n) -> (...)`` (a float64 array; 0-d for one vector). Why the shift by m: every exponent is then
    <= 0, so ``exp`` cannot overflow, and the largest term is exactly 1, so the log never sees 0. Where m < 0 and
    the log nearly cancels it (a result under 1/8 of m), the entry is summed in decimal arithmetic instead
    (:func:`_exact_where_cancelled`): every entry whose exact value is a normal float64 stays within 1e-12
    relative of it.
    """
    m, tail = _lse_parts(_scaled(z, temperature), axis=axis)
    return _exact_where_cancelled(m + tail, m, tail, z, temperature, axis, times_t=False)


def logsumexp_grad(z, temperature: float = 1.0, axis: int = -1) -> np.ndarray:
    r"""The gradient of :func:`logsumexp`: softmax at temperature T, divided by T.

    .. math:: \frac{\partial \operatorname{LSE}_T}{\partial z_j} = \frac{1}{T}\,\frac{e^{z_j/T}}{\sum_k e^{z_k/T}}
              = \frac{S_j}{T}

    Shapes: ``(..., n) -> (..., n)``.
    """
    return softmax(z, temperature, axis=axis) / check_temperature(temperature)


def smooth_max(z, temperature: float = 1.0) -> np.ndarray:
    r"""The "soft max": T·LSE_T(z), which tends to max_k z_k as T -> 0.

    .. math:: \max_k z_k \le T\log\sum_k e^{z_k/T} \le \max_k z_k + T\log n

    Shapes ``(..., n) -> (...)``. With a k-way tie at the top it is max z + T log k + (terms that vanish as T -> 0).
    """
    x, t = _shifted(z, temperature), check_temperature(temperature)
    # max z + T log1p(r): T·LSE_T would first form max z / T and multiply the rounding back by T
    top, tail = np.max(as_logits(z), axis=-1), t * np.log1p(np.squeeze(_rest(np.exp(x), x), axis=-1))
    return _exact_where_cancelled(top + tail, top, tail, z, t, -1, times_t=True)


def smooth_max_grad(z, temperature: float = 1.0) -> np.ndarray:
    r"""The gradient of :func:`smooth_max` is softmax itself, the "soft argmax".

    .. math:: \frac{\partial}{\partial z_j}\,T\operatorname{LSE}_T(z) = S_j(z/T)

    Shapes ``(..., n) -> (..., n)``. As T -> 0 it tends to the one-hot of the argmax when the max is unique, and to
    1/k on each of k tied maxima.
    """
    return softmax(z, temperature)


# ---- the fused cross-entropy: LSE minus the target's logit ---------------------------------------------


def _target_row(q, n: int) -> np.ndarray:
    """A class label (int) or a target distribution (n,) as a float64 row (n,)."""
    if np.ndim(q) == 0:
        k = int(q)
        if not 0 <= k < n:
            raise ValueError(f"class label must lie in 0..{n - 1}, got {k}")
        return np.eye(n)[k]
    row = np.asarray(q, dtype=np.float64)
    if row.shape != (n,) or not np.all(np.isfinite(row)) or np.any(row < 0):
        raise ValueError(f"a target distribution must be {n} finite numbers >= 0")
    return row


def ce_lse(z, q, temperature: float = 1.0) -> float:
    r"""Cross-entropy of softmax(z/T) against a target q (a label or a distribution), fused through LSE.

    .. math:: \operatorname{CE}(z, q) = -\sum_k q_k \log S_k = \operatorname{LSE}_T(z) - \frac{q\cdot z}{T}
              \quad(\textstyle\sum_k q_k = 1);\qquad \text{one-hot: } \operatorname{LSE}_T(z) - z_y/T

    Shapes: z ``(n,)``, q int or ``(n,)`` ``-> float``. No softmax and no log of a probability is ever formed,
    so it is finite for any finite z (``-log(softmax(z))`` gives ``inf`` once S_y underflows).
    """
    x = _scaled(z, temperature)
    row = _target_row(q, x.shape[-1])
    return float(row.sum() * _lse(x) - row @ x)


def ce_lse_grad(z, q, temperature: float = 1.0) -> np.ndarray:
    r"""The gradient of :func:`ce_lse`: ∇LSE minus the target, with no Jacobian.

    .. math:: \frac{\partial \operatorname{CE}}{\partial z} = \nabla\operatorname{LSE}_T(z) - \frac{q}{T}
              = \frac{S - q}{T}

    Shapes: z ``(n,)``, q int or ``(n,)`` ``-> (n,)``.
    """
    t = check_temperature(temperature)
    S = softmax(z, t)
    row = _target_row(q, S.shape[-1])
    return minus_target(row.sum() * S, row) / t  # a one-hot target's entry as −Σ_{k≠y} S_k: no 1 − S_y


# ---- soft targets: label smoothing and its optimum ------------------------------------------------------


def smooth_targets(y, n: int, eps: float) -> np.ndarray:
    r"""Label smoothing as PyTorch's ``label_smoothing=eps`` defines it.

    .. math:: q = (1 - \varepsilon)\,\operatorname{onehot}(y) + \frac{\varepsilon}{n}

    Shapes: y an int label (0-based) ``-> (n,)``, or labels ``(m,) -> (m, n)``. Each row sums to 1;
    ε = 0 is the one-hot target, ε = 1 the uniform one.
    """
    n = int(n)
    e = float(eps)
    if not (0.0 <= e <= 1.0):
        raise ValueError(f"eps must lie in [0, 1], got {eps}")
    labels = np.asarray(y)
    if labels.dtype.kind not in "iu" or np.any(labels < 0) or np.any(labels >= n):
        raise ValueError(f"labels must be whole numbers 0..{n - 1}, got {given(y)}")
    return (1.0 - e) * np.eye(n)[labels] + e / n


def smoothing_gap(n: int, eps: float, temperature: float = 1.0) -> float:
    r"""The logit gap z_y − z_k (k ≠ y) that minimises CE against ε-smoothed targets: finite for every ε > 0.

    .. math:: S(z/T) = q \iff \frac{z_y - z_k}{T} = \log\frac{q_y}{q_k}
              = \log\Big(1 + \frac{n(1 - \varepsilon)}{\varepsilon}\Big)

    Returns ``inf`` at ε = 0 (a one-hot target is only approached as z_y -> ∞) and 0 at ε = 1.
    """
    e, t = float(eps), check_temperature(temperature)
    if not (0.0 <= e <= 1.0):
        raise ValueError(f"eps must lie in [0, 1], got {eps}")
    return math.inf if e == 0 else t * math.log1p(n * (1.0 - e) / e)


def smoothing_loss_vs_gap(n: int, eps: float, gaps, temperature: float = 1.0) -> dict[str, np.ndarray]:
    r"""CE against the one-hot and against the ε-smoothed target along z = (d, 0, …, 0) (target class first).

    .. math:: L_q(d) = \log\big(e^{d/T} + n - 1\big) - q_y\,\frac{d}{T},\qquad
              \frac{dL_q}{dd} = \frac{S_y - q_y}{T}

    Returns ``gap`` ``(g,)``, ``onehot``, ``smoothed`` (losses) and ``grad_smoothed`` (the slope, 0 at the optimum).
    """
    d = np.asarray(gaps, dtype=np.float64)
    Z = np.zeros((d.size, int(n)))
    Z[:, 0] = d
    lse = logsumexp(Z, temperature)
    qy = 1.0 - float(eps) + float(eps) / n
    t = check_temperature(temperature)
    S0 = softmax(Z, t)[:, 0]
    # q·z/T with z = (d, 0, ..., 0) is q_y d / T: the other targets multiply zeros
    return {"gap": d, "onehot": lse - d / t, "smoothed": lse - qy * d / t, "grad_smoothed": (S0 - qy) / t}


# ---- distillation: the teacher's softened outputs and the T² factor ---------------------------------------


def distill_loss(z_student, z_teacher, temperature: float) -> float:
    r"""Hinton's distillation loss: T² times the cross-entropy of the student against the teacher, both at T.

    .. math:: L_T = T^2 \sum_k q_k\big(\log q_k - \log S_k\big),\qquad q = \operatorname{softmax}(z^{t}/T),\
              S = \operatorname{softmax}(z^{s}/T)

    (the KL divergence; it differs from the cross-entropy by the teacher's entropy, a constant for the student).
    Shapes ``(n,), (n,) -> float``.
    """
    t = check_temperature(temperature)
    xs, xt = _scaled(z_student, t), _scaled(z_teacher, t)
    log_q, log_S = xt - _lse(xt)[..., None], xs - _lse(xs)[..., None]
    q = np.exp(log_q)
    terms = np.where(q > 0, q * (log_q - log_S), 0.0)  # 0·log 0 = 0: a teacher's underflowed class adds nothing
    return float(t * t * np.sum(terms))


def distill_loss_grad(z_student, z_teacher, temperature: float) -> np.ndarray:
    r"""The gradient of :func:`distill_loss` with respect to the student's logits.

    .. math:: \frac{\partial L_T}{\partial z^{s}} = T^2\cdot\frac{S - q}{T} = T\,(S - q)

    Why the T²: without it the gradient is (S − q)/T, and for large T, S − q ≈ (z^s − z^t)_centred / (nT), so it
    would shrink like 1/T². Shapes ``(n,), (n,) -> (n,)``.
    """
    t = check_temperature(temperature)
    return t * (softmax(z_student, t) - softmax(z_teacher, t))


# ---- what goes wrong without the fusion -------------------------------------------------------------------


def double_softmax_ce(z, y: int) -> float:
    r"""The classic bug: a model outputs p = softmax(z) and a loss that takes logits applies softmax again.

    .. math:: L = \operatorname{LSE}(p) - p_y,\qquad p = \operatorname{softmax}(z)

    Shapes ``(n,) -> float``.
    """
    return ce_lse(softmax(z), y)


def double_softmax_grad(z, y: int) -> np.ndarray:
    r"""The gradient of :func:`double_softmax_ce` with respect to z: the CE gradient at p, pulled back through J(z).

    .. math:: \frac{\partial L}{\partial z} = J(z)^\top\big(\operatorname{softmax}(p) - y\big),\qquad
              J = \operatorname{diag}(p) - p p^\top

    Shapes ``(n,) -> (n,)``. It keeps the Jacobian's factors p_j, so it vanishes when p saturates, right or wrong.
    """
    p = softmax(z)
    r = softmax(p) - np.eye(p.size)[int(y)]
    # J^T r as core.vjp sums it, p_j Σ_i p_i (r_j − r_i): p ⊙ (r − p·r) cancels to 0 where p_j rounds to 1
    # (z = (40, −40, 0) gave 0 for the first entry, where it is −2.7×10⁻¹⁸, and a gradient that did not sum to 0)
    return vjp(z, r)


def double_softmax_floor(n: int) -> float:
    r"""The smallest loss the double-softmax bug can reach, at p = one-hot(y): inputs to the second softmax lie in
    [0, 1], so it can never be confident.

    .. math:: \min L = \log(e + n - 1) - 1
    """
    return math.log(math.e + n - 1) - 1.0


def stability_rows(z, y: int, dtype) -> dict[str, object]:
    r"""One row of the stability table: CE and its gradient for logits z and class y, computed entirely in ``dtype``.

    - ``log_softmax_naive``: log(softmax(z))_y with the textbook softmax (no max shift): exp overflows to inf, inf/inf
      is NaN.
    - ``log_of_softmax``: log(softmax(z))_y with the max-shifted softmax: S_y underflows to 0 and log gives −∞.
    - ``log_softmax``: z_y − LSE(z), the fused form: finite.
    - ``grad_chain``: J(z)ᵀ g with g = −y/S (the route through log of softmax): NaN once −1/S_y is infinite.
    - ``grad_fused``: S − y (the route through LSE): finite.

    Nothing is asserted: the page shows what the arithmetic of ``dtype`` gives.
    """
    x = np.asarray(as_logits(z), dtype=dtype)
    n = x.size
    Y = np.zeros(n, dtype=dtype)
    Y[int(y)] = 1
    with np.errstate(all="ignore"):
        naive = naive_softmax(x, dtype)
        S = stable_softmax_in(x, dtype)
        log_of = np.log(S)
        lse = _lse(x)  # core.logsumexp's form, in dtype
        g = np.where(Y > 0, -Y / S, np.zeros_like(S))
        grad_chain = jacobian_of(S).T @ g  # core.jacobian's form, in dtype
        grad_fused = minus_target(S, Y)
        log_naive = np.log(naive[int(y)])
    return {
        "dtype": np.dtype(dtype).name,
        "log_softmax_naive": float(log_naive),
        "log_of_softmax": float(log_of[int(y)]),
        "log_softmax": float(x[int(y)] - lse),
        "grad_chain": grad_chain.astype(np.float64),
        "grad_fused": grad_fused.astype(np.float64),
    }


PROBES = (((1000.0, 0.0, -1000.0), "float64"), ((100.0, 0.0, -100.0), "float32"), ((20.0, 0.0, -20.0), "float16"))


def stability_table(z, y: int) -> list[dict[str, object]]:
    """The stability lesson's rows: ``z`` with class ``y`` in float16, float32 and float64, then each dtype's probe
    from :data:`PROBES` (the smallest z that breaks log(softmax) in it) with the confidently wrong class 3 (index 2).
    Each row is :func:`stability_rows` plus ``z`` and ``y`` (0-based)."""
    rows = [{"z": tuple(float(v) for v in z), "y": int(y), **stability_rows(z, y, dt)}
            for dt in (np.float16, np.float32, np.float64)]
    rows += [{"z": pz, "y": 2, **stability_rows(pz, 2, np.dtype(dt))} for pz, dt in PROBES]
    return rows


def limit_at(z, temperature: float) -> dict[str, object]:
    r"""What softmax and the soft max look like at a small T: ``S`` ``(n,)``, ``ties`` (how many z equal the max),
    ``excess`` = T·LSE_T(z) − max z (in [0, T log n]; → T log ties), ``one_hot`` (max S > 0.999), and
    ``excess_log10``: log₁₀ of the excess when it is positive but below float64's normal range (a single top logit far
    above the rest: T·rest at z = (50, −20, 0), T = 0.01 is about 10⁻²¹⁷⁵, which float64 holds as 0), else None."""
    z = as_logits(z)
    t = check_temperature(temperature)
    S = softmax(z, t)
    top = z == z.max()
    ties = int(np.sum(top))
    rest = float(np.sum(np.exp((z[~top] - z.max()) / t)))
    # T log(k + rest) as T (log k + log1p(rest / k)): exact even when rest is far below float64's eps (no 0 by rounding)
    excess = t * (math.log(ties) + math.log1p(rest / ties))
    tiny = None
    if ties == 1 and top.size > 1 and excess < np.finfo(np.float64).tiny:
        # T log1p(rest) = T·rest there: log₁₀ of it from the log of rest, a log-sum-exp that cannot underflow
        tiny = (math.log(t) + logsumexp((z[~top] - z.max()) / t)) / math.log(10)
    return {"S": S, "ties": ties, "excess": excess, "one_hot": bool(S.max() > 0.999), "excess_log10": tiny}


def soft_max_sweep(z, temperatures) -> dict[str, np.ndarray]:
    r"""The soft max and the soft argmax of ``z`` at each T, with the bounds the soft max stays within.

    .. math:: \max_k z_k \le T\operatorname{LSE}_T(z) \le \max_k z_k + T\log n

    Shapes: z ``(n,)``, temperatures ``(m,)``. Returns ``T`` ``(m,)``, ``smax`` = T·LSE(z/T) ``(m,)``, ``S`` =
    softmax(z/T) ``(m, n)``, ``lower`` (max z, a float) and ``upper`` = max z + T log n ``(m,)``."""
    z = as_logits(z)
    Ts = np.asarray(temperatures, dtype=np.float64)
    X = z[None, :] / Ts[:, None]  # one row per T: LSE and softmax at T = 1 of z/T
    return {"T": Ts, "smax": Ts * logsumexp(X), "S": softmax(X), "lower": float(z.max()),
            "upper": z.max() + Ts * np.log(z.size)}


def smoothing_curve(n: int, eps: float, temperature: float = 1.0, count: int = 161) -> dict[str, object]:
    r"""What the label-smoothing figure draws: :func:`smoothing_loss_vs_gap` over gaps from −2T to 1.8 d* (to 12T when
    d* is infinite or 0), the best gap ``d_star`` (:func:`smoothing_gap`) and the loss there ``L_star`` (NaN when
    d* is infinite: at ε = 0 there is no minimum)."""
    d_star = smoothing_gap(n, eps, temperature)
    top = d_star * 1.8 if math.isfinite(d_star) and d_star > 0 else 12 * temperature
    curve = smoothing_loss_vs_gap(n, eps, np.linspace(-2 * temperature, top, count), temperature)
    L_star = float(smoothing_loss_vs_gap(n, eps, [d_star], temperature)["smoothed"][0]) if math.isfinite(d_star) else math.nan
    return {**curve, "d_star": d_star, "L_star": L_star}


def distill_sizes(z_student, z_teacher, temperatures) -> dict[str, np.ndarray]:
    r"""The size of the distillation gradient at several T, without and with the T² factor (max over classes).

    .. math:: \text{without: } \Big|\frac{S - q}{T}\Big|_\infty,\qquad \text{with: } |T(S - q)|_\infty,\qquad
              \text{high-}T\text{ limit of "with": } \Big|\frac{\bar z^{s} - \bar z^{t}}{n}\Big|_\infty

    (z̄ = z minus its mean). Returns ``T``, ``without``, ``with``, and the scalar-per-T ``limit`` (constant).
    """
    zs, zt = as_logits(z_student), as_logits(z_teacher)
    Ts = np.asarray(temperatures, dtype=np.float64)
    diff = np.array([softmax(zs, t) - softmax(zt, t) for t in Ts])
    limit = np.abs((zs - zs.mean()) - (zt - zt.mean())).max() / zs.size
    return {"T": Ts, "without": np.abs(diff).max(axis=1) / Ts, "with": Ts * np.abs(diff).max(axis=1),
            "limit": np.full(Ts.size, limit)}
