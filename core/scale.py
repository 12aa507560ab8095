r"""Softmax at scale: the batch shapes of the Training page's network, the block-diagonal batch Jacobian, and the
exact cost of forming J against the vector-Jacobian product.

The network (m samples, D inputs, K classes), one full-batch gradient step, with cross-entropy averaged over m:

.. math:: Z = XW^\top + \mathbb{1}b^\top \;(m\times K),\quad S = \operatorname{softmax}_{\text{rows}}(Z),\quad
          \delta = \frac{\partial L}{\partial Z} = \frac{S - Y}{m},\quad
          \nabla W = \delta^\top X \;(K\times D),\quad \nabla b = \textstyle\sum_{\text{rows}} \delta \;(K,)

Softmax acts on each row alone, so the Jacobian of the flattened S (mK,) with respect to the flattened Z (mK,) is
block-diagonal: m blocks of K×K, block r being :math:`\operatorname{diag}(S_r) - S_r S_r^\top`. Frameworks never form
it: the VJP :math:`S \odot (g - (g\cdot S))` costs O(n) per row against the O(n²) of forming J. numpy + stdlib only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .softmax import jacobian, minus_target, softmax

__all__ = ["Cost", "Strip", "batch_jacobian", "cost", "shape_strip"]


@dataclass(frozen=True)
class Strip:
    """Every array of one full-batch step, named as on screen: X (m, D), W (K, D), b (K,), Z (m, K), S (m, K),
    Y (m, K) one-hot, delta (m, K), dW (K, D), db (K,)."""

    X: np.ndarray
    W: np.ndarray
    b: np.ndarray
    Z: np.ndarray
    S: np.ndarray
    Y: np.ndarray
    delta: np.ndarray
    dW: np.ndarray
    db: np.ndarray


def shape_strip(X, y, W, b) -> Strip:
    r"""The forward pass and the cross-entropy gradient of one batch, every intermediate kept.

    .. math:: Z = XW^\top + b,\quad S = \operatorname{softmax}(Z),\quad \delta = (S - Y)/m,\quad
              \nabla W = \delta^\top X,\quad \nabla b = \textstyle\sum_r \delta_r

    Shapes: X ``(m, D)``, y ``(m,)`` int classes, W ``(K, D)``, b ``(K,)``.
    """
    X, W, b = (np.asarray(a, dtype=np.float64) for a in (X, W, b))
    y = np.asarray(y)
    m, K = X.shape[0], W.shape[0]
    Z = X @ W.T + b
    S = softmax(Z)
    Y = np.eye(K)[y]
    delta = minus_target(S, Y) / m  # the target's entry as −Σ_{k≠y} S_k / m: S_y − 1 cancels at saturation
    return Strip(X, W, b, Z, S, Y, delta, delta.T @ X, delta.sum(axis=0))


def batch_jacobian(Z) -> np.ndarray:
    r"""The Jacobian of the flattened row-wise softmax, ``(m*K, m*K)``: block-diagonal, block r = J(Z_r).

    .. math:: \frac{\partial S_{r i}}{\partial Z_{s j}} = [r = s]\; S_{ri}(\delta_{ij} - S_{rj})

    Shapes: Z ``(m, K)`` -> ``(m K, m K)``; row r·K + i is output S_{ri}, column s·K + j is input Z_{sj}.
    """
    Z = np.asarray(Z, dtype=np.float64)
    m, K = Z.shape
    out = np.zeros((m * K, m * K))
    blocks = jacobian(Z)  # (m, K, K)
    for r in range(m):
        out[r * K:(r + 1) * K, r * K:(r + 1) * K] = blocks[r]
    return out


@dataclass(frozen=True)
class Cost:
    """Exact counts for one row of n logits (S given), and for a batch of m rows.

    ``j_entries`` = n², ``j_bytes32`` / ``j_bytes64`` its storage; ``j_flops`` = the operations of forming
    J = diag(S) − SSᵀ (n² multiplications, n subtractions on the diagonal) and then gᵀJ (n² multiplications,
    n(n − 1) additions): 3n²; ``vjp_flops`` = S ⊙ (g − g·S): n multiplications and n − 1 additions for g·S, n
    subtractions, n multiplications: 4n − 1; ``vjp_bytes64`` = its result, n float64 (its only new array)."""

    n: int
    m: int
    j_entries: int
    j_bytes32: int
    j_bytes64: int
    j_flops: int
    vjp_flops: int
    vjp_bytes64: int


def cost(n: int, m: int = 1) -> Cost:
    """:class:`Cost` of n logits per row, times m rows (Python ints: exact at any size)."""
    n, m = int(n), int(m)
    entries = n * n
    return Cost(n, m, m * entries, m * 4 * entries, m * 8 * entries, m * (n * n + n + n * n + n * (n - 1)),
                m * (4 * n - 1), m * 8 * n)
