r"""The seed's toy network: D inputs, fully connected weights W (K x D), bias b, K softmax outputs.

.. math:: Z = X W^\top + b,\qquad S = \operatorname{softmax}(Z)

Full-batch gradient descent, with the gradient from the chain rule:
dL/dZ (from :mod:`core.losses`), then dL/dW = (dL/dZ)^T X and dL/db = sum over rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .losses import targets

__all__ = ["DIVERGENCE_LOSS", "History", "init_params", "logits", "loss_and_grad", "predict", "train"]

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
    extra: dict = field(default_factory=dict)

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
    value, _, dL_dW, dL_db = _step(X, Y, W, b, loss)
    return value, dL_dW, dL_db


def _step(X, Y, W, b, loss: str):
    """One forward + backward pass from a single Z = X W^T + b: (loss, accuracy, dL/dW, dL/db).

    The training loop's hot path: one exp per entry, no re-validation (train() validated its inputs once),
    accuracy from the same Z. Non-finite Z gives (inf, nan, None, None) for train() to report.
    """
    m = X.shape[0]
    with np.errstate(all="ignore"):
        Z = X @ W.T + b
        if not np.all(np.isfinite(Z)):
            return np.inf, np.nan, None, None
        x = Z - Z.max(axis=1, keepdims=True)  # the max shift, as in core.softmax
        e = np.exp(x)
        total = e.sum(axis=1, keepdims=True)
        S = e / total
        if loss == "cross_entropy":
            log_S = x - np.log(total)
            value = float(-np.sum(Y * log_S) / m) + 0.0  # + 0.0 turns -0.0 into 0.0
            dL_dZ = (S * Y.sum(axis=1, keepdims=True) - Y) / m
        else:
            value = float(np.sum((S - Y) ** 2) / m)
            g = 2.0 * (S - Y) / m  # dL/dS, then the softmax VJP S * (g - g.S), as core.vjp
            dL_dZ = S * (g - np.sum(g * S, axis=1, keepdims=True))
        acc = float(np.mean(np.argmax(Z, axis=1) == np.argmax(Y, axis=1)))
        return value, acc, dL_dZ.T @ X, dL_dZ.sum(axis=0)


def train(X, y, W, b, lr, epochs, loss: str = "cross_entropy", snapshot_every: int | None = None) -> History:
    r"""Full-batch gradient descent on ``Z = X W^T + b``; never mutates its inputs.

    .. math:: W \leftarrow W - \eta\,\frac{\partial L}{\partial W},\qquad b \leftarrow b - \eta\,\frac{\partial L}{\partial b}

    Shapes: X ``(m, D)``, y labels ``(m,)`` or targets ``(m, K)``, W ``(K, D)``, b ``(K,)``.
    ``snapshot_every`` defaults to about 40 snapshots over the run. Divergence (a
    non-finite loss, non-finite weights, or a loss above ``DIVERGENCE_LOSS``)
    stops training and is reported in the History, never raised.
    """
    if loss not in ("cross_entropy", "mse"):
        raise ValueError(f'loss must be "cross_entropy" or "mse", got {loss!r:.40}')
    try:
        lr = float(lr)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the learning rate must be a number, got {lr!r:.40}") from exc
    if not np.isfinite(lr) or lr <= 0:
        raise ValueError(f"the learning rate must be a finite number > 0, got {lr}")
    if isinstance(epochs, bool) or not float(epochs).is_integer() or epochs < 0:
        raise ValueError(f"epochs must be a whole number >= 0, got {epochs!r:.40}")
    epochs = int(epochs)
    X, Y, W, b = _check_inputs(X, y, W, b)
    every = max(1, epochs // 40) if snapshot_every is None else int(snapshot_every)
    if every < 1:
        raise ValueError("snapshot_every must be >= 1")

    losses, accs = [], []
    snaps_e, snaps_W, snaps_b = [], [], []
    diverged_at = None
    good = (0, W, b)  # the last weights with a finite, sane loss
    for t in range(epochs + 1):
        value, acc, dL_dW, dL_db = _step(X, Y, W, b, loss)
        losses.append(value)
        accs.append(acc if np.isfinite(value) else np.nan)
        if not np.isfinite(value) or value > DIVERGENCE_LOSS:
            diverged_at = t
            break
        good = (t, W, b)
        if t % every == 0 or t == epochs:
            snaps_e.append(t)
            snaps_W.append(W.copy())
            snaps_b.append(b.copy())
        if t == epochs:
            break
        with np.errstate(all="ignore"):
            W_new, b_new = W - lr * dL_dW, b - lr * dL_db
        if not (np.all(np.isfinite(W_new)) and np.all(np.isfinite(b_new))):
            losses.append(np.inf)
            accs.append(np.nan)
            diverged_at = t + 1
            break
        W, b = W_new, b_new

    if diverged_at is not None:
        bad = losses[-1]
        what = "inf" if np.isinf(bad) else ("NaN" if np.isnan(bad) else f"{bad:.3g} (effectively inf)")
        message = f"The loss became {what} at epoch {diverged_at}: lower the learning rate (now {lr:g})."
        t_good, W, b = good
        if not snaps_e or snaps_e[-1] != t_good:
            snaps_e.append(t_good)
            snaps_W.append(W.copy())
            snaps_b.append(b.copy())
    elif losses[-1] > losses[0]:
        message = (
            f"The loss rose from {losses[0]:.4g} to {losses[-1]:.4g} in {epochs} epochs: "
            f"the learning rate {lr:g} overshoots; lower it."
        )
    else:
        message = f"Trained {epochs} epochs: loss {losses[0]:.4g} -> {losses[-1]:.4g}."
    return History(
        loss=np.array(losses),
        accuracy=np.array(accs),
        W=W.copy(),
        b=b.copy(),
        snapshot_epochs=np.array(snaps_e, dtype=int),
        snapshot_W=np.array(snaps_W),
        snapshot_b=np.array(snaps_b),
        diverged=diverged_at is not None,
        diverged_at=diverged_at,
        message=message,
        loss_name=loss,
        lr=lr,
    )
