r"""Losses on top of softmax, each beside its gradient with respect to the logits.

Rows are samples (``m``), columns classes (``K``). Every loss is the *mean over
rows*, so every gradient carries a ``1/m``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .fmt import given
from .softmax import as_logits, jacobian, log_softmax, minus_target, softmax, vjp

__all__ = [
    "LOSSES",
    "Loss",
    "check_loss",
    "cross_entropy",
    "cross_entropy_grad",
    "dL_dS",
    "mse",
    "mse_grad",
    "path_products",
    "targets",
]


@dataclass(frozen=True)
class Loss:
    """A loss the pages offer: ``label`` in legends, tables and messages; ``long`` where a control introduces it;
    ``latex`` the loss of one sample and its upstream gradient g = ∂L/∂S (what :func:`dL_dS` computes)."""

    label: str
    long: str
    latex: str = ""


# The one list of losses, keyed by the value the URL and the functions take, in the order pages offer them.
LOSSES: dict[str, Loss] = {
    "cross_entropy": Loss("Cross-entropy", "Cross-entropy", r"L = -\sum_i y_i \log S_i,\qquad "
                          r"g_i = \frac{\partial L}{\partial S_i} = -\frac{y_i}{S_i}"),
    "mse": Loss("MSE", "Mean squared error (MSE)", r"L = \sum_i (S_i - y_i)^2,\qquad "
                r"g_i = \frac{\partial L}{\partial S_i} = 2(S_i - y_i)"),
}


def check_loss(loss) -> str:
    """``loss`` if it is a key of :data:`LOSSES`, else a ValueError naming them."""
    if loss not in LOSSES:
        raise ValueError(f"loss must be one of {', '.join(map(repr, LOSSES))}, got {given(loss)}")
    return loss


def targets(logits, y) -> tuple[np.ndarray, np.ndarray, bool]:
    r"""Validate ``(logits, y)`` and return ``(Z, Y, single)``.

    ``Z`` has shape ``(m, K)``; ``Y`` is the target distribution ``(m, K)``
    (one-hot when ``y`` holds class labels); ``single`` is True when the input
    was one row ``(K,)``.

    Accepted ``y``: int labels ``(m,)`` in ``0..K-1``; a target distribution
    ``(m, K)`` (one-hot or soft, entries >= 0); for a single row ``(K,)``, a
    scalar label or a ``(K,)`` distribution.
    """
    Z = as_logits(logits, name="logits")
    single = Z.ndim == 1
    if Z.ndim > 2:
        raise ValueError(f"logits must have shape (K,) or (m, K), got {Z.shape}")
    Z2 = Z[None, :] if single else Z
    m, K = Z2.shape
    if m == 0:
        raise ValueError("logits has no rows: there is nothing to average the loss over")
    y_arr = np.asarray(y)
    if y_arr.dtype == object or y_arr.dtype.kind not in "iufb":
        raise ValueError(f"y must be class labels or a target distribution, got {given(y, 80)}")
    if y_arr.dtype.kind == "b":
        y_arr = y_arr.astype(np.int64)
    label_shape = () if single else (m,)
    if y_arr.shape == label_shape:
        labels = y_arr.reshape(-1)
        if not np.all(np.isfinite(labels)) or np.any(labels != np.round(labels)):
            raise ValueError(f"class labels must be whole numbers 0..{K - 1}, got {labels[:5]}")
        labels = labels.astype(np.int64)
        if np.any(labels < 0) or np.any(labels >= K):
            raise ValueError(f"class labels must lie in 0..{K - 1} (there are {K} classes), got {labels.min()}..{labels.max()}")
        Y = np.zeros((m, K))
        Y[np.arange(m), labels] = 1.0
    elif y_arr.shape == Z.shape:
        Y = np.asarray(y_arr, dtype=np.float64).reshape(m, K)
        if not np.all(np.isfinite(Y)) or np.any(Y < 0):
            raise ValueError("a target distribution must contain finite values >= 0")
    else:
        raise ValueError(
            f"y has shape {y_arr.shape}; for logits of shape {Z.shape} it must be labels of shape "
            f"{label_shape} or a distribution of shape {Z.shape}"
        )
    return Z2, Y, single


def cross_entropy(logits, y) -> float:
    r"""Mean cross-entropy of softmax(logits) against the targets.

    .. math:: L = -\frac{1}{m}\sum_{r=1}^{m}\sum_{k=1}^{K} Y_{rk}\,\log S_{rk}

    Shapes: logits ``(m, K)`` or ``(K,)``; y as in :func:`targets`; ``-> float``.
    Uses ``log_softmax`` (log-sum-exp), so a confidently wrong row gives a
    large finite loss instead of ``-log(0) = inf``.
    """
    Z, Y, _ = targets(logits, y)
    return float(-np.sum(Y * log_softmax(Z)) / Z.shape[0]) + 0.0  # + 0.0 turns -0.0 into 0.0


def cross_entropy_grad(logits, y) -> np.ndarray:
    r"""Gradient of :func:`cross_entropy` with respect to the logits.

    .. math:: \frac{\partial L}{\partial z_{rk}} = \frac{1}{m}\Big(S_{rk}\sum_c Y_{rc} - Y_{rk}\Big)
              = \frac{S_{rk} - Y_{rk}}{m}\ \text{ when each row of } Y \text{ sums to 1}

    Shapes: same as ``logits``. This is the chain-rule path sum
    ``sum_i dL/dS_i * dS_i/dz_j`` collapsed: dL/dS_i = -Y_i / S_i cancels the
    S_i in every Jacobian entry. A one-hot row's target entry is computed as
    :math:`-\sum_{k \ne y} S_k / m` (:func:`core.softmax.minus_target`): S_y − 1 rounds to 0 once S_y is within
    1e-16 of 1.
    """
    Z, Y, single = targets(logits, y)
    dL_dz = minus_target(softmax(Z) * Y.sum(axis=1, keepdims=True), Y) / Z.shape[0]
    return dL_dz[0] if single else dL_dz


def mse(logits, y) -> float:
    r"""Mean over rows of the squared error between softmax(logits) and the targets.

    .. math:: L = \frac{1}{m}\sum_{r=1}^{m}\sum_{k=1}^{K} (S_{rk} - Y_{rk})^2

    Shapes: logits ``(m, K)`` or ``(K,)``; ``-> float``.
    """
    Z, Y, _ = targets(logits, y)
    return float(np.sum((softmax(Z) - Y) ** 2) / Z.shape[0])


def mse_grad(logits, y) -> np.ndarray:
    r"""Gradient of :func:`mse` with respect to the logits, through the chain rule.

    .. math:: g = \frac{\partial L}{\partial S} = \frac{2}{m}(S - Y),\qquad
              \frac{\partial L}{\partial z} = S \odot (g - g\cdot S)

    Shapes: same as ``logits``. Deliberately *not* simplified: unlike
    cross-entropy nothing cancels, and the extra factor S_j shrinks the gradient
    when the prediction is confidently wrong.
    """
    Z, Y, single = targets(logits, y)
    dL_dz = vjp(Z, 2.0 * (softmax(Z) - Y) / Z.shape[0])
    return dL_dz[0] if single else dL_dz


def dL_dS(logits, y, loss: str = "cross_entropy") -> np.ndarray:
    r"""The upstream gradient g = dL/dS for one row, before the softmax Jacobian.

    .. math:: \text{CE: } g_i = -\frac{Y_i}{S_i} \qquad \text{MSE: } g_i = 2(S_i - Y_i)

    Shapes ``(K,) -> (K,)`` (a single sample, m = 1). For CE with a one-hot
    target only the true class has a non-zero entry, and it can be huge when
    S_y is tiny; the Jacobian multiplies it back by S_y.
    """
    check_loss(loss)
    Z, Y, single = targets(logits, y)
    if not single:
        raise ValueError("dL_dS is for a single row of logits (K,)")
    S = softmax(Z[0])
    if loss == "cross_entropy":
        # -Y/S is huge (or -inf) when S_y underflows; the page explains it instead of warning
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            g = np.where(Y[0] > 0, -Y[0] / S, 0.0)
        return g
    return 2.0 * (S - Y[0])  # "mse"


def path_products(z, g, temperature: float = 1.0) -> np.ndarray:
    r"""Every chain-rule path from L through S_i to z_j: ``P[i, j] = g_i * dS_i/dz_j``.

    .. math:: P_{ij} = \frac{\partial L}{\partial S_i}\,\frac{\partial S_i}{\partial z_j},
              \qquad \frac{\partial L}{\partial z_j} = \sum_i P_{ij}

    Shapes: z ``(n,)``, g ``(n,)`` ``-> (n, n)``. Multiply along a path, add
    across paths: the column sums equal :func:`core.vjp`.
    """
    dS_dz = jacobian(z, temperature)
    dL_dS_ = as_logits(g, name="g (dL/dS)")
    if dS_dz.ndim != 2 or dL_dS_.shape != (dS_dz.shape[0],):
        raise ValueError(f"path_products needs z and g of the same length n, got {np.shape(z)} and {dL_dS_.shape}")
    return dL_dS_[:, None] * dS_dz
