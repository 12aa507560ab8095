"""Core scaling: the vector-Jacobian product without forming J, against forming J and multiplying.

For n outputs and a batch of B rows: ``core.vjp(z, g, T)`` computes gᵀJ = S ⊙ (g − (g·S)) in O(B n), while
``g @ core.jacobian(z, T)`` builds the (B, n, n) Jacobians first: O(B n²) time and memory. Median of repeats,
``time.perf_counter``; combinations whose J would exceed ``--max-gb`` are skipped. Results are checked to agree.

    python -m bench.core_scaling                    # n in 3..1000, B in 1..10^4
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

import numpy as np

import core
from bench.loadsim import format_table, load_average

NS = (3, 10, 30, 100, 300, 1000)
BATCHES = (1, 100, 10_000)


def bench(fn, repeats: int, budget_s: float = 2.0) -> float:
    times = []
    deadline = time.perf_counter() + budget_s
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
        if time.perf_counter() > deadline and len(times) >= 3:
            break
    return statistics.median(times)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.core_scaling", description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=15)
    ap.add_argument("--max-gb", type=float, default=1.0, help="skip forming J when it would need more memory")
    a = ap.parse_args(argv)
    rng = np.random.default_rng(0)
    rows = []
    load0 = load_average()
    for B in BATCHES:
        for n in NS:
            z = rng.normal(size=(B, n)) if B > 1 else rng.normal(size=n)
            g = rng.normal(size=z.shape)
            t_vjp = bench(lambda z=z, g=g: core.vjp(z, g, 1.0), a.repeats)
            row = {"B": B, "n": n, "vjp_us": 1e6 * t_vjp}
            gb = 8 * B * n * n / 1e9
            if gb > a.max_gb:
                row.update({"form_J_us": float("nan"), "speedup": "J too big", "J_GB": f"{gb:.1f}", "max_abs_diff": "-"})
            else:
                def formed(z=z, g=g):
                    J = core.jacobian(z, 1.0)
                    return np.einsum("...i,...ij->...j", g, J)
                t_j = bench(formed, a.repeats)
                diff = float(np.max(np.abs(formed() - core.vjp(z, g, 1.0))))
                row.update({"form_J_us": 1e6 * t_j, "speedup": f"{t_j / t_vjp:.1f}x", "J_GB": f"{gb:.3f}",
                            "max_abs_diff": f"{diff:.1e}"})
            rows.append(row)
    print(format_table(rows, title=f"vjp vs forming J; cores={os.cpu_count()}; load before={load0}, after={load_average()}"))


if __name__ == "__main__":
    main()
