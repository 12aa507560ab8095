r"""The seed's toy network: D inputs, fully connected weights W (K x D), bias b, K softmax outputs.

.. math:: Z = X W^\top + b,\qquad S = \operatorname{softmax}(Z)

Full-batch gradient descent, with the gradient from the chain rule:
dL/dZ (from :mod:`core.losses`), then dL/dW = (dL/dZ)^T X and dL/db = sum over rows.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .fmt import given, percent, plural, prose
from .losses import LOSSES, check_loss, targets
from .softmax import log_softmax, minus_target, positive_number, softmax

__all__ = ["DIVERGENCE_LOSS", "History", "gradient_step", "init_params", "logits", "loss_and_grad", "predict", "train"]

# A mean cross-entropy above -log(smallest normal float64) ~ 708 means the average
# probability given to the right class has underflowed to 0: "inf in all but name".
DIVERGENCE_LOSS = float(-np.log(np.finfo(np.float64).tiny))


@dataclass(frozen=True)
class History:
    """What :func:`train` returns. Arrays are fresh copies; nothing aliases the inputs.

    - ``loss[t]``, ``accuracy[t]``: after t updates (t = 0 is the initial weights).
      Length ``epochs + 1``, or ``diverged_at + 1`` if training diverged (the
      last entry is then the offending, non-finite or huge, loss).
    - ``W`` ``(K, D)``, ``b`` ``(K,)``: final weights (the last finite ones on divergence).
    - ``snapshot_epochs`` ``(s,)``, ``snapshot_W`` ``(s, K, D)``, ``snapshot_b`` ``(s, K)``:
      weights every ``snapshot_every`` epochs, always including 0 and the last epoch.
    - ``diverged``, ``diverged_at`` (epoch or None), ``message`` (readable, for the page).
    """

    loss: np.ndarray
    accuracy: np.ndarray
    W: np.ndarray
    b: np.ndarray
    snapshot_epochs: np.ndarray
    snapshot_W: np.ndarray
    snapshot_b: np.ndarray
    diverged: bool = False
    diverged_at: int | None = None
    message: str = ""
    loss_name: str = "cross_entropy"
    lr: float = 0.0

    @property
    def improved(self) -> bool:
        """A success to style as one: not diverged, the loss fell and the accuracy rose (or stayed at 100 %).
        "MSE loss 2 → 2" at 0 % accuracy is not one, however the loss's last digits moved."""
        if self.diverged or len(self.loss) < 2:
            return False
        a0, a1 = float(self.accuracy[0]), float(self.accuracy[-1])
        return bool(self.loss[-1] < self.loss[0] and (a1 > a0 or a0 == a1 == 1.0))

    @property
    def outcome(self) -> str:
        """How a page styles the run's message: "diverged" (error), "rose" (the loss went up: warning), "improved"
        (:attr:`improved`: success) or "stalled" (neither: a plain notice)."""
        if self.diverged:
            return "diverged"
        if self.loss[-1] > self.loss[0]:
            return "rose"
        return "improved" if self.improved else "stalled"

    @property
    def snapshots(self) -> list[tuple[int, np.ndarray, np.ndarray]]:
        """``[(epoch, W, b), ...]`` for animation."""
        return [(int(e), w, bb) for e, w, bb in zip(self.snapshot_epochs, self.snapshot_W, self.snapshot_b, strict=False)]


def logits(X, W, b) -> np.ndarray:
    r"""``Z = X W^T + b``. Shapes: X ``(m, D)``, W ``(K, D)``, b ``(K,)`` -> ``(m, K)``."""
    return np.asarray(X, float) @ np.asarray(W, float).T + np.asarray(b, float)


def predict(X, W, b) -> np.ndarray:
    """Predicted class (argmax of the logits), 0-based. Shapes ``(m, D) -> (m,)``."""
    return np.argmax(logits(X, W, b), axis=1)


def init_params(D: int, K: int = 3, seed: int = 0, scale: float = 0.1) -> tuple[np.ndarray, np.ndarray]:
    """Small random W ``(K, D)`` ~ N(0, scale^2) and zero b ``(K,)``, from ``default_rng(seed)``."""
    rng = np.random.default_rng(seed)
    return scale * rng.standard_normal((K, D)), np.zeros(K)


def gradient_step(X, Y, W, b, lr: float, loss: str = "cross_entropy"):
    r"""One step of full-batch gradient descent, written to be read.

    .. math:: Z = X W^\top + b,\quad S = \operatorname{softmax}(Z),\quad
              \delta = \partial L / \partial Z,\quad
              \nabla_W = \delta^\top X,\quad \nabla_b = \textstyle\sum_r \delta_r

    Shapes: X ``(m, D)``, Y one-hot ``(m, K)``, W ``(K, D)``, b ``(K,)``.
    Returns ``(L, W_new, b_new)``. :func:`train` does the same maths with fewer numpy calls;
    tests/test_network.py checks that both give the same losses and weights.
    """
    m = X.shape[0]
    Z = X @ W.T + b  # (m, K): one row of logits per sample
    S = softmax(Z, axis=1)  # (m, K): each row sums to 1
    if loss == "cross_entropy":
        L = -np.sum(Y * log_softmax(Z, axis=1)) / m  # mean of -log S_y
        delta = minus_target(S, Y) / m  # dL/dZ: the Jacobian times -Y/S collapses to S - Y (S_y - 1 summed, no cancel)
    else:  # "mse"
        L = np.sum((S - Y) ** 2) / m
        g = 2 * (S - Y) / m  # dL/dS
        delta = S * (g - np.sum(g * S, axis=1, keepdims=True))  # J^T g, row by row
    dL_dW = delta.T @ X  # (K, D): the sum over samples of delta_r x_r^T
    dL_db = delta.sum(axis=0)  # (K,): b is a weight on an input that is always 1
    return L, W - lr * dL_dW, b - lr * dL_db


def _check_inputs(X, y, W, b):
    X = np.array(X, dtype=np.float64, copy=True)
    W = np.array(W, dtype=np.float64, copy=True)
    b = np.array(b, dtype=np.float64, copy=True)
    if X.ndim != 2 or X.shape[0] == 0 or X.shape[1] == 0:
        raise ValueError(f"X must be a non-empty (m, D) data matrix, got shape {X.shape}")
    if W.ndim != 2 or W.shape[1] != X.shape[1]:
        raise ValueError(f"W must have shape (K, D) = (K, {X.shape[1]}), got {W.shape}")
    if b.shape != (W.shape[0],):
        raise ValueError(f"b must have shape (K,) = ({W.shape[0]},), got {b.shape}")
    for name, a in (("X", X), ("W", W), ("b", b)):
        if not np.all(np.isfinite(a)):
            raise ValueError(f"{name} contains NaN or infinity")
    _, Y, _ = targets(np.zeros((X.shape[0], W.shape[0])), y)
    return X, Y, W, b


def loss_and_grad(X, Y, W, b, loss: str = "cross_entropy"):
    r"""Loss, dL/dW ``(K, D)`` and dL/db ``(K,)`` for one full batch; Y is ``(m, K)``.

    .. math:: \frac{\partial L}{\partial W} = \Big(\frac{\partial L}{\partial Z}\Big)^\top X,
              \qquad \frac{\partial L}{\partial b} = \sum_r \frac{\partial L}{\partial Z_r}

    CE uses the collapsed (S - Y)/m; MSE goes through the softmax VJP.
    Returns non-finite values instead of raising, so :func:`train` can report divergence.
    """
    batch = _Batch(X, Y)
    with np.errstate(all="ignore"):
        value, _, c, delta = batch.step(_augment(W, b), loss)
    if delta is None:
        return value, None, None
    dL_dWa = c * (delta @ batch.Xa)  # [dL/dW  dL/db]: the bias column of X_a is all ones, so its entry is the row sum
    return value, dL_dWa[:, :-1].copy(), dL_dWa[:, -1].copy()


def _augment(W, b) -> np.ndarray:
    r"""``W_a = [W\ b]`` ``(K, D+1)``: the bias as the weight of an extra input that is always 1."""
    return np.hstack([np.asarray(W, dtype=np.float64), np.asarray(b, dtype=np.float64)[:, None]])


class _Batch:
    r"""One full batch, prepared once for the many forward + backward passes of a training run.

    With :math:`X_a = [X\ \mathbf 1]` ``(m, D+1)`` and :math:`W_a = [W\ b]` ``(K, D+1)``,

    .. math:: Z = X W^\top + b = X_a W_a^\top,\qquad
              \frac{\partial L}{\partial W_a} = \Big(\frac{\partial L}{\partial Z}\Big)^\top X_a
              = \Big[\frac{\partial L}{\partial W}\ \ \frac{\partial L}{\partial b}\Big]

    so one matmul gives the logits and one gives both gradients. Why it is built like this: on matrices this
    small (m of a few hundred, K = 3) each numpy call's fixed overhead outweighs its arithmetic, so speed means
    few calls per epoch. The logits are held transposed, ``Z^T`` ``(K, m)`` (a row per class), because the max
    and the sum over the K classes are then K - 1 vectorised operations on rows of length m, several times
    cheaper than reducing m rows of length 3. The targets' transpose, labels and row sums are computed once.
    """

    def __init__(self, X, Y):
        X = np.asarray(X, dtype=np.float64)
        Y = np.asarray(Y, dtype=np.float64)
        self.m = X.shape[0]
        self.Xa = np.hstack([X, np.ones((self.m, 1))])  # (m, D+1)
        self.XaT = self.Xa.T.copy()  # (D+1, m), contiguous for the forward matmul
        self.Yt = Y.T.copy()  # (K, m)
        self.labels = Y.argmax(axis=1)  # (m,), the class each row counts as for the accuracy
        self.mass = Y.sum(axis=1)  # (m,), sum_k Y_rk: 1 for labels and for target distributions
        self.normalised = bool(np.all(self.mass == 1.0))  # then S * mass = S: skip that product
        # one-hot rows: the target's entry of S − Y is −Σ_{k≠y} S_k, summed (S_y − 1 rounds to 0 once S_y is 1.0)
        self.onehot = self.normalised and bool(np.all((Y == 0) | (Y == 1)))
        self.notYt, self.cols = 1.0 - self.Yt, np.arange(self.m)

    def step(self, Wa, loss: str):
        r"""One forward + backward pass from a single ``Z^T = W_a X_a^T``: ``(loss, accuracy, c, delta)``.

        The gradient is ``dL/dZ^T = c * delta`` ``(K, m)``: the scalar c is kept apart so that train() folds it
        into the learning rate instead of multiplying a (K, m) matrix by it.

        .. math:: x = z - \max_k z_k,\qquad S = \frac{e^{x}}{\sum_k e^{x_k}},\qquad
                  L_{CE} = \frac1m \sum_r \Big(\big(\textstyle\sum_k Y_{rk}\big)\log\sum_j e^{x_{rj}}
                  - \sum_k Y_{rk}\,x_{rk}\Big)

        - CE: dL/dZ = (S Σ_k Y_k − Y)/m, so c = 1/m and delta = S − Y for labels (rows of Y sum to 1).
        - MSE: L = (1/m) Σ (S − Y)², g = dL/dS = 2(S − Y)/m, then the softmax VJP as in :func:`core.vjp`:
          dL/dZ = S ⊙ (g − g·S) = (2/m) S ⊙ (d − d·S) with d = S − Y, so c = 2/m.

        Non-finite Z gives ``(inf, nan, None, None)`` for train() to report. Call it inside
        ``np.errstate(all="ignore")``: overflow is reported, not warned about.
        """
        m, Yt = self.m, self.Yt
        Zt = Wa @ self.XaT  # (K, m)
        if not _all_finite(Zt):
            return math.inf, math.nan, None, None
        acc = np.count_nonzero(Zt.argmax(axis=0) == self.labels) / m
        x = np.subtract(Zt, Zt.max(axis=0), out=Zt)  # the max shift, as in core.softmax (in place: Zt is ours)
        E = np.exp(x)
        total = E.sum(axis=0)  # (m,), in [1, K]: its log is the log-sum-exp, never log(0)
        S = np.divide(E, total, out=E)
        if loss == "cross_entropy":
            value = float(np.dot(self.mass, np.log(total)) - np.vdot(Yt, x)) / m  # np.vdot: sum of Y * x
            if not self.normalised:
                S *= self.mass
            if not self.onehot:
                return value, acc, 1.0 / m, np.subtract(S, Yt, out=S)
            rest = np.einsum("km,km->m", S, self.notYt)  # Σ_{k≠y} S_k per sample
            delta = np.subtract(S, Yt, out=S)
            delta[self.labels, self.cols] = -rest
            return value, acc, 1.0 / m, delta
        d = S - Yt
        value = float(np.vdot(d, d)) / m  # np.vdot: the sum of squares
        d -= (d * S).sum(axis=0)  # d - d.S, one dot product per sample (per column)
        return value, acc, 2.0 / m, np.multiply(S, d, out=S)


def _all_finite(a: np.ndarray) -> bool:
    """All entries finite? A sum of squares is finite only if every term is (one fast BLAS call); if it
    overflowed (entries above ~1e154), look at the entries themselves."""
    return math.isfinite(np.vdot(a, a)) or bool(np.isfinite(a).all())


def train(X, y, W, b, lr, epochs, loss: str = "cross_entropy", snapshot_every: int | None = None) -> History:
    r"""Full-batch gradient descent on ``Z = X W^T + b``; never mutates its inputs.

    .. math:: W \leftarrow W - \eta\,\frac{\partial L}{\partial W},\qquad b \leftarrow b - \eta\,\frac{\partial L}{\partial b}

    Shapes: X ``(m, D)``, y labels ``(m,)`` or targets ``(m, K)``, W ``(K, D)``, b ``(K,)``.
    ``snapshot_every`` defaults to about 40 snapshots over the run. Divergence (a
    non-finite loss, non-finite weights, or a loss above ``DIVERGENCE_LOSS``)
    stops training and is reported in the History, never raised.
    W and b travel together as ``W_a = [W b]`` (see :class:`_Batch`): one update per epoch.
    """
    check_loss(loss)
    lr = positive_number(lr, "the learning rate")
    if isinstance(epochs, bool) or not float(epochs).is_integer() or epochs < 0:
        raise ValueError(f"epochs must be a whole number >= 0, got {given(epochs)}")
    epochs = int(epochs)
    X, Y, W, b = _check_inputs(X, y, W, b)
    every = max(1, epochs // 40) if snapshot_every is None else int(snapshot_every)
    if every < 1:
        raise ValueError("snapshot_every must be >= 1")

    batch, Wa = _Batch(X, Y), _augment(W, b)
    losses, accs = [], []
    snaps_e, snaps_Wa = [], []  # Wa is replaced each epoch, never changed in place: keeping it is a snapshot
    diverged_at = None
    good = (0, Wa)  # the last weights with a finite, sane loss
    with np.errstate(all="ignore"):  # overflow is reported as divergence below, not warned about
        for t in range(epochs + 1):
            value, acc, c, delta = batch.step(Wa, loss)
            losses.append(value)
            accs.append(acc if math.isfinite(value) else math.nan)
            if not math.isfinite(value) or value > DIVERGENCE_LOSS:
                diverged_at = t
                break
            good = (t, Wa)
            if t % every == 0 or t == epochs:
                snaps_e.append(t)
                snaps_Wa.append(Wa)
            if t == epochs:
                break
            Wa_new = Wa - (lr * c) * (delta @ batch.Xa)  # W_a <- W_a - lr dL/dW_a, dL/dW_a = c delta X_a: W and b at once
            if not _all_finite(Wa_new):
                losses.append(math.inf)
                accs.append(math.nan)
                diverged_at = t + 1
                break
            Wa = Wa_new

    if diverged_at is not None:
        bad = losses[-1]
        what = "inf" if np.isinf(bad) else ("NaN" if np.isnan(bad) else f"{prose(bad)} (effectively inf)")
        message = f"The loss became {what} at epoch {diverged_at}: lower the learning rate (now {prose(lr)})."
        t_good, Wa = good
        if not snaps_e or snaps_e[-1] != t_good:
            snaps_e.append(t_good)
            snaps_Wa.append(Wa)
    elif losses[-1] > losses[0]:
        message = (
            f"The loss rose from {prose(losses[0], 4)} to {prose(losses[-1], 4)} in {plural(epochs, 'epoch')}: "
            f"the learning rate {prose(lr)} overshoots; lower it."
        )
    else:
        a0, a1 = accs[0], accs[-1]
        message = (f"Trained {plural(epochs, 'epoch')}: {LOSSES[loss].label} loss {prose(losses[0], 4)} → "
                   f"{prose(losses[-1], 4)}, accuracy {percent(a0)} → {percent(a1)}"
                   + ("." if losses[-1] < losses[0] and (a1 > a0 or a0 == a1 == 1.0) else
                      ": the accuracy did not rise." if losses[-1] < losses[0] else ": the loss did not fall."))
    snaps = np.array(snaps_Wa)  # (s, K, D+1): a copy, so nothing aliases the inputs
    return History(
        loss=np.array(losses),
        accuracy=np.array(accs),
        W=Wa[:, :-1].copy(),
        b=Wa[:, -1].copy(),
        snapshot_epochs=np.array(snaps_e, dtype=int),
        snapshot_W=snaps[:, :, :-1].copy(),
        snapshot_b=snaps[:, :, -1].copy(),
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        message=message,
        loss_name=loss,
        lr=lr,
    )
