"""Training: the server time of a default training run, and the numpy trainer against PyTorch eager on the CPU.

The Training page's defaults: ``make_dataset("blobs", 50, 2, 0)``, ``init_params(2, 3, 0)``, lr 0.5, 200 epochs,
full-batch gradient descent with cross-entropy. Timed with ``time.perf_counter`` (median of ``--repeats``) and
``time.process_time`` (this process's CPU). The same loop in PyTorch (``torch.float64``, autograd through
``log_softmax``, the same data, init, lr and epochs) runs when ``torch`` is importable, and the two loss histories
are compared epoch by epoch. torch is NOT a project dependency (measurement only; skipped when missing).

    python -m bench.train_bench                 # --repeats 21 --threads 1
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from collections.abc import Callable

import numpy as np

import core
from bench.loadsim import format_table, load_average

DEFAULTS = {"data": "blobs", "m": 50, "D": 2, "dseed": 0, "iseed": 0, "lr": 0.5, "epochs": 200, "loss": "cross_entropy"}


def problem(p: dict = DEFAULTS):
    X, y = core.make_dataset(p["data"], p["m"], p["D"], p["dseed"])
    W0, b0 = core.init_params(p["D"], 3, p["iseed"])
    return X, y, W0, b0


def timed(fn: Callable[[], object], repeats: int) -> tuple[float, float, object]:
    """(min wall s, median CPU s, last result): on a shared machine the minimum wall time is the least disturbed
    run, and CPU time does not count the time other processes held the core."""
    walls, cpus, out = [], [], None
    for _ in range(repeats):
        c0, t0 = time.process_time(), time.perf_counter()
        out = fn()
        walls.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    return min(walls), statistics.median(cpus), out


def numpy_loop(X, y, W0, b0, lr, epochs) -> np.ndarray:
    """The bare loop, without History bookkeeping: what core.train does per epoch."""
    Y = np.eye(W0.shape[0])[y]
    W, b = W0.copy(), b0.copy()
    losses = np.empty(epochs)
    for e in range(epochs):
        L, dW, db = core.loss_and_grad(X, Y, W, b, "cross_entropy")
        losses[e] = L
        W -= lr * dW
        b -= lr * db
    return losses


def torch_loop(torch, X, y, W0, b0, lr, epochs) -> np.ndarray:
    """The same full-batch loop in PyTorch eager (float64, autograd)."""
    Xt = torch.tensor(X, dtype=torch.float64)
    yt = torch.tensor(y, dtype=torch.long)
    W = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
    losses = np.empty(epochs)
    for e in range(epochs):
        Z = Xt @ W.T + b
        L = torch.nn.functional.cross_entropy(Z, yt)  # mean over the batch, log-sum-exp inside
        losses[e] = L.item()
        W.grad = b.grad = None
        L.backward()
        with torch.no_grad():
            W -= lr * W.grad
            b -= lr * b.grad
    return losses


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.train_bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=21)
    ap.add_argument("--threads", type=int, default=1, help="torch intra-op threads (a Streamlit script has one core)")
    a = ap.parse_args(argv)
    p = DEFAULTS
    X, y, W0, b0 = problem()
    load0 = load_average()
    rows = []
    w, c, h = timed(lambda: core.train(X, y, W0, b0, p["lr"], p["epochs"], p["loss"]), a.repeats)
    rows.append({"what": "core.train (page defaults, with History + snapshots)", "min_wall_ms": 1e3 * w, "cpu_ms": 1e3 * c,
                 "final_loss": f"{float(h.loss[-1]):.6f}", "target": "<= 100 ms"})
    w2, c2, h2 = timed(lambda: [core.train(X, y, W0, b0, p["lr"], p["epochs"], k) for k in ("cross_entropy", "mse")],
                       a.repeats)
    rows.append({"what": "both losses (the page trains CE and MSE)", "min_wall_ms": 1e3 * w2, "cpu_ms": 1e3 * c2,
                 "final_loss": f"{float(h2[0].loss[-1]):.6f}", "target": ""})
    wn, cn, ln = timed(lambda: numpy_loop(X, y, W0, b0, p["lr"], p["epochs"]), a.repeats)
    rows.append({"what": "numpy loop (same maths, no bookkeeping)", "min_wall_ms": 1e3 * wn, "cpu_ms": 1e3 * cn,
                 "final_loss": f"{float(ln[-1]):.6f}", "target": ""})
    agree = ""
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(a.threads)
        torch_loop(torch, X, y, W0, b0, p["lr"], 5)  # warm-up: first-call dispatch costs
        wt, ct, lt = timed(lambda: torch_loop(torch, X, y, W0, b0, p["lr"], p["epochs"]), a.repeats)
        rows.append({"what": f"PyTorch {torch.__version__} eager CPU, {a.threads} thread(s)", "min_wall_ms": 1e3 * wt,
                     "cpu_ms": 1e3 * ct, "final_loss": f"{float(lt[-1]):.6f}", "target": ""})
        diff = float(np.max(np.abs(np.asarray(h.loss[: p["epochs"]]) - lt)))
        diff_loop = float(np.max(np.abs(ln - lt)))
        agree = (f"loss histories: max |core.train - torch| = {diff:.2e}, max |numpy loop - torch| = {diff_loop:.2e} "
                 f"over {p['epochs']} epochs. torch / core.train: {wt / w:.1f}x (min wall), {ct / c:.1f}x (median CPU); "
                 f"torch / bare numpy loop: {wt / wn:.1f}x (min wall), {ct / cn:.1f}x (median CPU)")
    else:
        agree = "torch not importable: the PyTorch comparison was skipped"
    print(format_table(rows, title=f"training, page defaults {p}; cores={os.cpu_count()}; load before={load0}, "
                                   f"after={load_average()}; repeats={a.repeats}"))
    print(agree)


if __name__ == "__main__":
    main()
