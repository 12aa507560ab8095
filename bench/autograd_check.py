"""Independent check of the core API against PyTorch's autograd (float64). Optional: needs torch.

    python -m venv /tmp/tv && /tmp/tv/bin/pip install numpy==2.4.6 torch==2.13.0
    /tmp/tv/bin/python bench/autograd_check.py

200 random cases (n = 2..10, batches of 1..5, T = 0.1..10, random upstream gradients, never all-ones) for
softmax, log_softmax, the Jacobian, the VJP, cross-entropy (labels and soft targets) and MSE through softmax,
plus 100 epochs of core.train against the same loop in torch. Prints the worst |difference| of each.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import core


def main() -> None:
    import torch

    torch.set_default_dtype(torch.float64)
    rng = np.random.default_rng(0)
    worst: dict[str, float] = {}

    def rec(k: str, v) -> None:
        worst[k] = max(worst.get(k, 0.0), float(v))

    for _ in range(200):
        n, m, T = int(rng.integers(2, 11)), int(rng.integers(1, 6)), float(rng.uniform(0.1, 10))
        z, g = rng.normal(0, 5, (m, n)), rng.normal(size=(m, n))
        zt = torch.tensor(z, requires_grad=True)
        S = torch.softmax(zt / T, -1)
        rec("softmax", np.abs(S.detach().numpy() - core.softmax(z, T)).max())
        rec("log_softmax", np.abs(torch.log_softmax(zt / T, -1).detach().numpy() - core.log_softmax(z, T)).max())
        (S * torch.tensor(g)).sum().backward()
        rec("vjp", np.abs(zt.grad.numpy() - core.vjp(z, g, T)).max())
        J = torch.autograd.functional.jacobian(lambda x, T=T: torch.softmax(x / T, -1), torch.tensor(z[0]))
        rec("jacobian", np.abs(J.numpy() - core.jacobian(z[0], T)).max())
        y = rng.integers(0, n, m)
        for name, loss, grad in (("ce", core.cross_entropy, core.cross_entropy_grad), ("mse", core.mse, core.mse_grad)):
            zt = torch.tensor(z, requires_grad=True)
            if name == "ce":
                L = torch.nn.functional.cross_entropy(zt, torch.tensor(y))
            else:
                L = ((torch.softmax(zt, -1) - torch.nn.functional.one_hot(torch.tensor(y), n)) ** 2).sum() / m
            L.backward()
            rec(f"{name} value", abs(L.item() - loss(z, y)))
            rec(f"{name} grad", np.abs(zt.grad.numpy() - grad(z, y)).max())
        Y = torch.softmax(torch.tensor(rng.normal(size=(m, n))), -1)
        zt = torch.tensor(z, requires_grad=True)
        (-(Y * torch.log_softmax(zt, -1)).sum() / m).backward()
        rec("ce soft-target grad", np.abs(zt.grad.numpy() - core.cross_entropy_grad(z, Y.numpy())).max())

    X, yy = core.make_blobs(50, seed=0)
    W0, b0 = core.init_params(2, 3, 0)
    h = core.train(X, yy, W0, b0, 0.5, 100)
    W, b = torch.tensor(W0, requires_grad=True), torch.tensor(b0, requires_grad=True)
    losses = []
    for t in range(101):
        L = torch.nn.functional.cross_entropy(torch.tensor(X) @ W.T + b, torch.tensor(yy))
        losses.append(L.item())
        if t == 100:
            break
        W.grad = b.grad = None
        L.backward()
        with torch.no_grad():
            W -= 0.5 * W.grad
            b -= 0.5 * b.grad
    rec("train loss history", np.abs(np.array(losses) - h.loss).max())
    for k, v in worst.items():
        print(f"{k:22s} max |diff| = {v:.2e}")


if __name__ == "__main__":
    main()
