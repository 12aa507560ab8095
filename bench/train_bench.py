"""Training: the server time of a default training run, and the numpy trainer against PyTorch eager on the CPU.

The Training page's defaults: ``make_dataset("blobs", 50, 2, 0)``, ``init_params(2, 3, 0)``, lr 0.5, 200 epochs,
full-batch gradient descent with cross-entropy; the page trains both losses (CE and MSE) on every change, so both are
timed too, and so is the largest run the page allows (200 points per class, D = 10, 1000 epochs). Timed with
``time.perf_counter`` (minimum of ``--repeats``) and ``time.process_time`` (this process's CPU, median). The same
loops in PyTorch (``torch.float64``, autograd through ``F.cross_entropy`` / softmax + squared error, the same data,
init, lr and epochs) run when ``torch`` is importable, and the loss histories are compared epoch by epoch. torch is
NOT a project dependency (measurement only; skipped when missing): use a separate venv,
``python3 -m venv /tmp/tv && /tmp/tv/bin/pip install numpy torch --index-url https://download.pytorch.org/whl/cpu``
then ``/tmp/tv/bin/pip install streamlit`` (bench.loadsim, imported for its table, needs it), and run
``PYTHONPATH=. /tmp/tv/bin/python -m bench.train_bench`` from the repository root.

    python -m bench.train_bench                 # --repeats 21 --threads 1"""

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
LARGEST = DEFAULTS | {"m": 200, "D": 10, "epochs": 1000}  # the page's bounds (core/state.py): 600 rows, D = 10, 1000 epochs


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


def numpy_loop(X, y, W0, b0, lr, epochs, loss="cross_entropy") -> np.ndarray:
    """The bare loop, without History bookkeeping: core.train's per-epoch pass (core.network._Batch.step) and
    update, i.e. what core.train costs per epoch minus its lists, checks and snapshots."""
    from core.network import _augment, _Batch

    batch, Wa = _Batch(X, np.eye(W0.shape[0])[y]), _augment(W0, b0)
    losses = np.empty(epochs)
    with np.errstate(all="ignore"):
        for e in range(epochs):
            losses[e], _, c, delta = batch.step(Wa, loss)
            Wa = Wa - (lr * c) * (delta @ batch.Xa)
    return losses


def torch_loop(torch, X, y, W0, b0, lr, epochs, loss="cross_entropy") -> np.ndarray:
    """The same full-batch loop in PyTorch eager (float64, autograd): CE through F.cross_entropy (log-sum-exp),
    MSE as the mean over samples of the summed squared error of the softmax, as core.mse."""
    F = torch.nn.functional
    Xt = torch.tensor(X, dtype=torch.float64)
    yt = torch.tensor(y, dtype=torch.long)
    Yt = F.one_hot(yt, W0.shape[0]).to(torch.float64)
    W = torch.tensor(W0, dtype=torch.float64, requires_grad=True)
    b = torch.tensor(b0, dtype=torch.float64, requires_grad=True)
    losses = np.empty(epochs)
    for e in range(epochs):
        Z = Xt @ W.T + b
        if loss == "cross_entropy":
            L = F.cross_entropy(Z, yt)  # mean over the batch, log-sum-exp inside
        else:
            L = ((torch.softmax(Z, dim=1) - Yt) ** 2).sum() / Z.shape[0]
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
    rows.append({"what": "bare numpy loop (core.train's pass, no bookkeeping)", "min_wall_ms": 1e3 * wn, "cpu_ms": 1e3 * cn,
                 "final_loss": f"{float(ln[-1]):.6f}", "target": ""})
    XL, yL, WL, bL = problem(LARGEST)
    wl, cl, hl = timed(lambda: [core.train(XL, yL, WL, bL, p["lr"], LARGEST["epochs"], k) for k in ("cross_entropy", "mse")],
                       max(3, a.repeats // 4))
    rows.append({"what": "both losses, largest page run (m=200/class, D=10, 1000 epochs)", "min_wall_ms": 1e3 * wl,
                 "cpu_ms": 1e3 * cl, "final_loss": f"{float(hl[0].loss[-1]):.6f}", "target": ""})
    agree = []
    try:
        import torch
    except ImportError:
        torch = None
    if torch is not None:
        torch.set_num_threads(a.threads)
        for k in ("cross_entropy", "mse"):
            torch_loop(torch, X, y, W0, b0, p["lr"], 5, k)  # warm-up: first-call dispatch costs
        wt, ct, lt = timed(lambda: torch_loop(torch, X, y, W0, b0, p["lr"], p["epochs"]), a.repeats)
        rows.append({"what": f"PyTorch {torch.__version__} eager CPU, {a.threads} thread(s)", "min_wall_ms": 1e3 * wt,
                     "cpu_ms": 1e3 * ct, "final_loss": f"{float(lt[-1]):.6f}", "target": ""})
        both = ("cross_entropy", "mse")
        wt2, ct2, lt2 = timed(lambda: [torch_loop(torch, X, y, W0, b0, p["lr"], p["epochs"], k) for k in both], a.repeats)
        rows.append({"what": "PyTorch, both losses", "min_wall_ms": 1e3 * wt2, "cpu_ms": 1e3 * ct2,
                     "final_loss": f"{float(lt2[0][-1]):.6f}", "target": ""})
        wtl, ctl, ltl = timed(lambda: [torch_loop(torch, XL, yL, WL, bL, p["lr"], LARGEST["epochs"], k) for k in both],
                              max(3, a.repeats // 4))
        rows.append({"what": "PyTorch, both losses, largest page run", "min_wall_ms": 1e3 * wtl, "cpu_ms": 1e3 * ctl,
                     "final_loss": f"{float(ltl[0][-1]):.6f}", "target": ""})
        n_l = LARGEST["epochs"]
        agree.append(f"largest run, loss histories over {n_l} epochs: max |core.train - torch| = "
                     f"{max(float(np.max(np.abs(hk.loss[:n_l] - tk))) for hk, tk in zip(hl, ltl, strict=True)):.2e} "
                     f"(CE and MSE); torch / core.train = {wtl / wl:.1f}x (min wall), {ctl / cl:.1f}x (median CPU)")
        for k, hk, tk, nk in (("cross_entropy", h2[0], lt2[0], ln), ("mse", h2[1], lt2[1], None)):
            line = f"{k} loss histories over {p['epochs']} epochs: max |core.train - torch| = "
            line += f"{float(np.max(np.abs(hk.loss[: p['epochs']] - tk))):.2e}"
            if nk is not None:
                line += f", max |numpy loop - torch| = {float(np.max(np.abs(nk - tk))):.2e}"
            agree.append(line + f" (final loss {float(hk.loss[p['epochs'] - 1]):.6f} vs {float(tk[-1]):.6f})")
        agree.append(f"CE: torch / core.train = {wt / w:.1f}x (min wall), {ct / c:.1f}x (median CPU); "
                     f"torch / bare numpy loop = {wt / wn:.1f}x (min wall), {ct / cn:.1f}x (median CPU). "
                     f"Both losses: torch / core.train = {wt2 / w2:.1f}x (min wall), {ct2 / c2:.1f}x (median CPU). "
                     "Target >= 3x.")
    else:
        agree.append("torch not importable: the PyTorch comparison was skipped")
    print(format_table(rows, title=f"training, page defaults {p}; cores={os.cpu_count()}; load before={load0}, "
                                   f"after={load_average()}; repeats={a.repeats}"))
    print("\n".join(agree))


if __name__ == "__main__":
    main()
