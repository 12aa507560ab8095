r"""The layer around softmax: z = Wx + b for a batch, and the gradients the Training page steps with (numpy + stdlib).

.. math:: Z = X W^\top + \mathbb 1 b^\top,\quad S = \operatorname{softmax}(Z),\quad
          L = -\frac{1}{m}\sum_{r=1}^{m} \log S_{r, y_r}

.. math:: \frac{\partial L}{\partial Z} = \frac{S - Y}{m},\qquad
          \frac{\partial L}{\partial W} = \frac{(S - Y)^\top X}{m},\qquad
          \frac{\partial L}{\partial b} = \frac{1}{m}\sum_r (S_r - Y_r),\qquad
          \frac{\partial L}{\partial X} = \frac{(S - Y)\,W}{m}

Shapes: X ``(m, D)``, W ``(n, D)``, b ``(n,)``, Z, S, Y ``(m, n)``. For one sample (m = 1) these are Bendersky's and
CS231n's ∂L/∂W = (S − y)xᵀ and ∂L/∂x = Wᵀ(S − y). The loss is the *mean* over the batch, as in :mod:`core.network`
and :mod:`core.losses` (every gradient carries 1/m), so W − η·∂L/∂W here is the Training page's step for the same
weights. Indices are 0-based; the screen shows them 1-based.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .fmt import given, label, num, prose, prose_simplex
from .gradcheck import relative_error
from .jacobian_props import Check
from .losses import cross_entropy
from .lse import logsumexp_grad
from .network import _check_inputs, gradient_step, logits
from .softmax import check_temperature, minus_target, positive_number, softmax

__all__ = [
    "REDUCTIONS",
    "ExpectedObserved",
    "LayerGrads",
    "expected_minus_observed",
    "fd_layer_grads",
    "layer_checks",
    "layer_grads",
    "layer_loss",
    "per_sample_dW",
    "sampled_expectation",
    "shapes_table",
    "training_tie",
]

REDUCTIONS = ("mean", "sum")  # "mean": the Training page's loss (core.network); "sum": the batch's plain sum


def _inputs(X, y, W, b):
    """X (m, D), one-hot Y (m, n), W (n, D) and b (n,), checked as the Training page checks its batch (the same rules,
    one place: :func:`core.network._check_inputs`)."""
    return _check_inputs(X, y, W, b)


def _scale(m: int, reduction: str) -> float:
    if reduction not in REDUCTIONS:
        raise ValueError(f"reduction must be one of {REDUCTIONS}, got {given(reduction, 20)}")
    return 1.0 / m if reduction == "mean" else 1.0


def layer_loss(X, y, W, b, reduction: str = "mean") -> float:
    r"""Cross-entropy of softmax(X Wᵀ + b): the mean over the batch (``"mean"``, core.losses) or the sum."""
    X, Y, W, b = _inputs(X, y, W, b)
    m = X.shape[0]
    return cross_entropy(logits(X, W, b), Y) * m * _scale(m, reduction)  # core.losses' mean, times m for the sum


@dataclass(frozen=True)
class LayerGrads:
    r"""One forward and backward pass of the layer.

    - ``X`` ``(m, D)``, ``Y`` ``(m, n)`` one-hot targets, ``W`` ``(n, D)``, ``b`` ``(n,)``.
    - ``Z`` ``(m, n)`` = X Wᵀ + b, ``S`` ``(m, n)``, ``loss`` (mean or sum, ``reduction``).
    - ``dL_dZ`` ``(m, n)`` = (S − Y)/m (mean) or S − Y (sum): "expected minus observed", row by row.
    - ``dL_dW`` ``(n, D)`` = dL_dZᵀ X; ``dL_db`` ``(n,)`` = column sums of dL_dZ; ``dL_dX`` ``(m, D)`` = dL_dZ W.
    """

    X: np.ndarray
    Y: np.ndarray
    W: np.ndarray
    b: np.ndarray
    Z: np.ndarray
    S: np.ndarray
    loss: float
    dL_dZ: np.ndarray
    dL_dW: np.ndarray
    dL_db: np.ndarray
    dL_dX: np.ndarray
    reduction: str


def layer_grads(X, y, W, b, reduction: str = "mean") -> LayerGrads:
    r"""∂L/∂W, ∂L/∂b and ∂L/∂X of the batch's cross-entropy.

    .. math:: \frac{\partial L}{\partial W} = \frac{1}{m}\sum_r (S_r - y_r)\,x_r^\top = \frac{(S - Y)^\top X}{m},
              \qquad \frac{\partial L}{\partial X} = \frac{(S - Y)\,W}{m}

    Shapes: X ``(m, D)``, y labels ``(m,)`` or targets ``(m, n)``, W ``(n, D)``, b ``(n,)`` -> :class:`LayerGrads`
    with ∂L/∂W ``(n, m)(m, D) = (n, D)`` and ∂L/∂X ``(m, n)(n, D) = (m, D)``. ``reduction="sum"`` drops the 1/m.
    """
    X, Y, W, b = _inputs(X, y, W, b)
    c = _scale(X.shape[0], reduction)
    Z = logits(X, W, b)  # (m, n)
    S = softmax(Z)  # (m, n), each row sums to 1
    loss = cross_entropy(Z, Y) * X.shape[0] * c  # core.losses' mean, times m for the sum
    dL_dZ = c * (S * Y.sum(axis=1, keepdims=True) - Y)  # S − Y when each row of Y sums to 1 (labels)
    return LayerGrads(X, Y, W, b, Z, S, float(loss), dL_dZ, dL_dZ.T @ X, dL_dZ.sum(axis=0), dL_dZ @ W, reduction)


def per_sample_dW(X, y, W, b, reduction: str = "mean") -> np.ndarray:
    r"""Each sample's share of ∂L/∂W: ``P[r] = c (S_r − y_r) x_rᵀ`` ``(m, n, D)``, c = 1/m or 1; Σ_r P[r] = ∂L/∂W."""
    g = layer_grads(X, y, W, b, reduction)
    return g.dL_dZ[:, :, None] * g.X[:, None, :]


def shapes_table(m: int, D: int, n: int) -> dict[str, list[str]]:
    """The shapes of every array of the layer for a batch of m samples with D inputs and n classes: columns
    (array, formula, shape), one row per array, in the order of the forward then the backward pass."""
    rows = [
        ("X", "the batch, one sample per row", f"({m}, {D})"),
        ("W", "weights, one row per class", f"({n}, {D})"),
        ("b", "biases", f"({n},)"),
        ("Z", "X Wᵀ + b", f"({m}, {D})·({D}, {n}) = ({m}, {n})"),
        ("S", "softmax of each row of Z", f"({m}, {n})"),
        ("Y", "one-hot targets", f"({m}, {n})"),
        ("∂L/∂Z", "(S − Y)/m", f"({m}, {n})"),
        ("∂L/∂W", "(S − Y)ᵀ X / m", f"({n}, {m})·({m}, {D}) = ({n}, {D})"),
        ("∂L/∂b", "Σᵣ (Sᵣ − Yᵣ) / m", f"({n},)"),
        ("∂L/∂X", "(S − Y) W / m", f"({m}, {n})·({n}, {D}) = ({m}, {D})"),
    ]
    return {"array": [r[0] for r in rows], "formula": [r[1] for r in rows], "shape": [r[2] for r in rows]}


# ---- checks: finite differences and the Training page's step -------------------------------------------------------


def fd_layer_grads(X, y, W, b, h: float = 1e-6, reduction: str = "mean") -> dict[str, np.ndarray]:
    r"""Central differences of :func:`layer_loss`, entry by entry, independent of the formulas above.

    .. math:: \frac{\partial L}{\partial \theta} \approx \frac{L(\theta + h) - L(\theta - h)}{2h}

    Returns ``dL_dW`` ``(n, D)``, ``dL_db`` ``(n,)``, ``dL_dX`` ``(m, D)``: 2(nD + n + mD) loss evaluations.
    """
    X, Y, W, b = _inputs(X, y, W, b)
    h = positive_number(h, "h")

    def loss(X_, W_, b_):
        return layer_loss(X_, Y, W_, b_, reduction)

    def central(A, f):
        out = np.zeros_like(A)
        for idx in np.ndindex(A.shape):
            Ap, Am = A.copy(), A.copy()
            Ap[idx] += h
            Am[idx] -= h
            out[idx] = (f(Ap) - f(Am)) / (2 * h)
        return out

    return {"dL_dW": central(W, lambda A: loss(X, A, b)), "dL_db": central(b, lambda A: loss(X, W, A)),
            "dL_dX": central(X, lambda A: loss(A, W, b))}


GOOD_REL = 1e-7  # CS231n's "good" relative error (core.gradcheck.GOOD): the one line both lessons draw


def _central_at(X, Y, W, b, key: str, h: float, where: np.ndarray, reduction: str) -> np.ndarray:
    """Central differences of the loss with step ``h`` for the gradient ``key`` ("dL_dW", "dL_db" or "dL_dX"), only
    at the entries ``where`` is True (NaN elsewhere): the second step of the error estimate in :func:`layer_checks`."""
    args = {"dL_dX": 0, "dL_dW": 1, "dL_db": 2}
    base = [X, W, b]
    k = args[key]
    out = np.full(base[k].shape, np.nan)
    for idx in zip(*np.nonzero(where), strict=True):
        plus, minus = [a.copy() for a in base], [a.copy() for a in base]
        plus[k][idx] += h
        minus[k][idx] -= h
        out[idx] = (layer_loss(plus[0], Y, plus[1], plus[2], reduction)
                    - layer_loss(minus[0], Y, minus[1], minus[2], reduction)) / (2 * h)
    return out


def layer_checks(X, y, W, b, h: float = 1e-6, reduction: str = "mean", fd: dict | None = None) -> list[Check]:
    r"""The layer lesson's claims grid: each analytic gradient against central differences, by the largest relative
    error |a − f| / max(|a|, |f|) over its entries (CS231n's measure, :func:`core.gradcheck.relative_error`), against
    CS231n's line :data:`GOOD_REL` = 10⁻⁷, the gradient-check lesson's "good".

    ✓ below the line. Above it, an entry is judged against the finite differences' *own* error at this h: rounding,
    about 10³·ε·|L|/h (ε·|L| in each loss, over 2h, with room for the batch's sum inside L), plus truncation, estimated
    from a second difference at 2h (the error grows as h², so f(2h) − f(h) ≈ 3 × the truncation at h; 4/3·|f(2h) − f(h)|
    is used). ⚠ when every entry above the line differs from f by no more than that (FD cannot tell the formula from the
    truth there: entries carry 1/m and are small next to L), ✗ otherwise. ``fd`` reuses :func:`fd_layer_grads` at h."""
    g = layer_grads(X, y, W, b, reduction)
    fd = fd_layer_grads(X, y, W, b, h, reduction) if fd is None else fd
    Xa, Ya, Wa, ba = _inputs(X, y, W, b)
    out = []
    shapes = {"dL_dW": "(S − Y)ᵀX/m", "dL_db": "Σᵣ (Sᵣ − Yᵣ)/m", "dL_dX": "(S − Y)W/m"}
    if reduction == "sum":
        shapes = {k: v.replace("/m", "") for k, v in shapes.items()}
    rounding = 1e3 * np.finfo(float).eps * max(abs(float(g.loss)), np.finfo(float).tiny) / h
    for key, formula in shapes.items():
        a, f = getattr(g, key), fd[key]
        rel = relative_error(a, f)
        worst = float(rel.max())
        name = key.replace("dL_d", "∂L/∂")
        bad = rel >= GOOD_REL
        note = ""
        if not bad.any():
            ok = True
        else:
            f2 = _central_at(Xa, Ya, Wa, ba, key, 2 * h, bad, reduction)
            own = rounding + 4 / 3 * np.abs(f2[bad] - f[bad])  # FD's own error at the failing entries
            within = bool(np.all(np.abs(a[bad] - f[bad]) <= own))
            ok = None if within else False
            if within:
                note = (f" (above 10⁻⁷ only on {int(bad.sum())} entr{'y' if bad.sum() == 1 else 'ies'} where central "
                        f"differences at h = {num(h)} carry an error of their own up to {num(float(own.max()))}, rounding "
                        "plus truncation: there the measure reads FD's error, not the formula's)")
        out.append(Check(f"{name} = {formula}", f"{name} {a.shape} matches central differences: max relative error "
                         "< 10⁻⁷", f"max relative error = {num(worst)}{note}, max |a − f| = "
                         f"{num(float(np.abs(a - f).max()))}", ok,
                         "The formula and a numerical derivative of the loss agree entry by entry, to CS231n's 10⁻⁷ "
                         "(the gradient-check lesson's 'good') where FD itself is that accurate."))
    return out


def training_tie(X, y, W, b, lr: float) -> dict[str, object]:
    r"""The update W − η ∂L/∂W from :func:`layer_grads` against the Training page's step
    (:func:`core.network.gradient_step`) for the same weights.

    Returns ``dW`` ``(n, D)`` = −η ∂L/∂W (this lesson), ``dW_training`` ``(n, D)`` (the Training page's W_new − W),
    ``db``, ``db_training`` ``(n,)``, ``max_diff`` (largest |difference| relative to max |ΔW|), and ``sentence``.
    """
    X, Y, W, b = _inputs(X, y, W, b)
    lr = positive_number(lr, "the learning rate")
    g = layer_grads(X, Y, W, b)
    _, W_new, b_new = gradient_step(X, Y, W, b, lr)
    dW, db = -lr * g.dL_dW, -lr * g.dL_db
    dW_t, db_t = W_new - W, b_new - b
    scale = max(float(np.abs(dW).max()), float(np.abs(db).max()))
    diff = max(float(np.abs(dW - dW_t).max()), float(np.abs(db - db_t).max()))
    rel = diff / scale if scale > 0 else (0.0 if diff == 0 else math.inf)
    sentence = (f"ΔW = −η·(S − Y)ᵀX/m with η = {prose(lr)} is the Training page's first step for these weights: "
                f"the two agree to a relative {prose(rel, 2)} (float64 rounding of W − ηΔ, nothing more)."
                if rel < 1e-9 else f"ΔW differs from the Training page's step by a relative {prose(rel, 2)}: check the 1/m.")
    return {"dW": dW, "dW_training": dW_t, "db": db, "db_training": db_t, "max_diff": rel, "sentence": sentence}


# ---- "expected minus observed" -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedObserved:
    r"""∂L/∂z = E_S[e_k] − e_y for one row z ``(n,)`` and target y.

    ``onehots`` ``(n, n)`` (row k is e_k), ``S`` ``(n,)`` (the weights), ``expected`` ``(n,)`` = Σ_k S_k e_k,
    ``observed`` ``(n,)`` = e_y, ``grad`` = (expected − observed)/T, ``lse_grad`` = T·∇LSE_T(z) = S from
    :func:`core.lse.logsumexp_grad` (the same vector, computed as LSE's gradient), ``y``, ``temperature``.
    """

    onehots: np.ndarray
    S: np.ndarray
    expected: np.ndarray
    observed: np.ndarray
    grad: np.ndarray
    lse_grad: np.ndarray
    y: int
    temperature: float

    @property
    def sentence(self) -> str:
        y, S, T = self.y, self.S, self.temperature
        top = np.flatnonzero(S == S.max())
        per_T = "" if T == 1 else "/T"
        push = float(np.sum(np.delete(S, y))) / T  # (1 − S_y)/T as the other outputs' sum: exact at saturation
        if top.size > 1:
            most = (f"Right now classes {', '.join(str(k + 1) for k in top)} are tied as the model's most expected"
                    + (", the target among them." if y in top else "."))
        elif top[0] == y:
            most = "The model already expects the target most."
        else:
            most = f"Right now it expects class {top[0] + 1} most ({label('S', top[0])} = {prose(S[top[0]])})."
        return (f"Draw a class k with probability Sₖ and write it as the one-hot eₖ: the mean is S = "
                f"{prose_simplex(S)}, the model's expectation. "
                f"Subtract what was observed, e{label('', y)}: the gradient (S − e{label('', y)}){per_T} pushes "
                f"down every class k by what the model expects of it, Sₖ{per_T}, and pushes up {label('z', y)} by "
                f"(1 − {label('S', y)}){per_T} = {prose(push)}. " + most)


def expected_minus_observed(z, y: int, temperature: float = 1.0) -> ExpectedObserved:
    r"""D2L's reading of the CE gradient.

    .. math:: \nabla_z \operatorname{LSE}(z) = \sum_k S_k\,e_k = \mathbb E_{k\sim S}[e_k],\qquad
              \frac{\partial L}{\partial z} = \frac{1}{T}\big(\mathbb E_{k\sim S}[e_k] - e_y\big)

    Shapes: z ``(n,)`` -> :class:`ExpectedObserved`.
    """
    t = check_temperature(temperature)
    S = softmax(z, t)
    if S.ndim != 1:
        raise ValueError(f"z must be one row of logits (n,), got shape {S.shape}")
    n = S.size
    y = int(y)
    if not 0 <= y < n:
        raise ValueError(f"the target class must lie in 0..{n - 1}, got {y}")
    E = np.eye(n)
    expected = S @ E  # Σ_k S_k e_k, written as the weighted mean of the one-hot rows
    # expected − observed with the target's entry as −Σ_{k≠y} S_k (core.minus_target): S_y − 1 rounds to 0 once S_y is
    # 1 in float64 (z = (40, −40, 0)), where the sentence rightly says the push on z_y is 4.25×10⁻¹⁸
    return ExpectedObserved(E, S, expected, E[y].copy(), minus_target(expected, E[y]) / t, logsumexp_grad(z, t) * t, y, t)


def sampled_expectation(z, draws: int = 1000, seed: int = 0, temperature: float = 1.0) -> dict[str, np.ndarray]:
    r"""The expectation E_S[e_k] by sampling: draw k ~ S ``draws`` times, average the one-hot vectors.

    Returns ``count`` ``(draws,)`` = 1…draws, ``mean`` ``(draws, n)`` the running mean after each draw, ``S`` ``(n,)``
    and ``error`` ``(draws,)`` = max_k |mean − S| (shrinks like 1/√draws). ``np.random.default_rng(seed)``.
    """
    S = softmax(z, temperature)
    if int(draws) < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    rng = np.random.default_rng(int(seed))
    k = rng.choice(S.size, size=int(draws), p=S)
    onehot = np.eye(S.size)[k]
    count = np.arange(1, int(draws) + 1)
    mean = np.cumsum(onehot, axis=0) / count[:, None]
    return {"count": count, "mean": mean, "S": S, "error": np.abs(mean - S).max(axis=1)}
