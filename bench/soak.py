"""Soak: 200 students for 10 minutes against nginx + 2 replicas, then everybody leaves.

    python -m bench.soak                                  # the documented run (about 14 minutes in all)
    python -m bench.soak --students 40 --minutes 2 --after 150 --json artifacts/soak.json   # a quick one

What it does:

1. starts ``deploy/serve.py``'s Cluster (nginx + 2 replicas, the project's serving config: no post-script GC)
   and warms each replica with one visit (a lecturer opens the app before the class; the cold-start race is the
   crowd benchmark's business, not the soak's);
2. runs the class: students spread over every page, arriving over the first minute, each thinking
   U(--think) seconds between widget changes, until ``--minutes`` have passed;
3. samples every 5 s the RSS of each replica (psutil) and, from each replica's ``/_stcore/metrics``, the
   active session count;
4. after the students leave, keeps sampling for ``--after`` seconds (Streamlit keeps a disconnected session
   for ``server.disconnectedSessionTTL`` = 120 s by default, so a reconnecting tab finds it), then sends a
   second, smaller wave of students: if departed sessions were freed, the second wave fits in the memory the
   first one already had.

Reports errors and exception elements, per-minute p50 / p95 interaction latency, RSS per minute, RSS growth
after warm-up (target <= 20 %), active sessions during / after the class, and RSS during the second wave.
The load average (the machine is shared) is printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from bench.crowd import crowd  # noqa: E402
from bench.loadsim import load_average, pct, run_class  # noqa: E402
from deploy.server import free_port  # noqa: E402

OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def metric(port: int, name: str) -> float:
    """Sum of a Prometheus family's samples from one replica (nan if unavailable)."""
    try:
        with OPENER.open(f"http://127.0.0.1:{port}/_stcore/metrics", timeout=5) as r:
            text = r.read().decode()
    except OSError:
        return float("nan")
    vals = [float(m.group(1)) for m in re.finditer(rf"^{name}(?:{{[^}}]*}})?\s+([-0-9.eE+]+)$", text, flags=re.M)]
    return sum(vals) if vals else float("nan")


class Sampler:
    """RSS (MB) per replica and active sessions, every ``every`` seconds, tagged with a phase."""

    def __init__(self, procs: dict[int, int], every: float = 5.0):
        import psutil

        self.procs = {port: psutil.Process(pid) for port, pid in procs.items()}
        self.every = every
        self.t0 = time.monotonic()
        self.phase = "warm"
        self.rows: list[dict] = []

    def sample(self) -> dict:
        row = {"t": round(time.monotonic() - self.t0, 1), "phase": self.phase, "load1": os.getloadavg()[0]}
        for port, p in self.procs.items():
            try:
                row[f"rss_{port}"] = p.memory_info().rss / 2**20
            except Exception:
                row[f"rss_{port}"] = float("nan")
            row[f"sessions_{port}"] = metric(port, "active_sessions")
        row["rss_total"] = sum(v for k, v in row.items() if k.startswith("rss_") and v == v)
        self.rows.append(row)
        return row

    async def run(self) -> None:
        while True:
            await asyncio.to_thread(self.sample)
            await asyncio.sleep(self.every)


def per_minute(events, t_class_start: float = 0.0) -> list[dict]:
    out: dict[int, list[float]] = {}
    for e in events:
        if e.kind == "interaction":
            out.setdefault(int(e.t // 60), []).append(e.latency)
    return [{"minute": m + 1, "moves": len(v), "p50_ms": 1e3 * pct(v, 50), "p95_ms": 1e3 * pct(v, 95),
             "max_ms": 1e3 * max(v)} for m, v in sorted(out.items())]


def rss_per_minute(rows: list[dict], t0: float, phase: str = "class") -> list[dict]:
    out: dict[int, list[float]] = {}
    for r in rows:
        if r["phase"] == phase:
            out.setdefault(int((r["t"] - t0) // 60), []).append(r["rss_total"])
    return [{"minute": m + 1, "rss_mb_mean": sum(v) / len(v), "rss_mb_max": max(v)} for m, v in sorted(out.items())]


async def soak(students: int, minutes: float, think: tuple[float, float], after_s: float, wave2: int, seed: int) -> dict:
    from bench.loadsim import format_table
    from deploy.serve import Cluster

    port = free_port()  # Cluster gives its replicas free ports after it
    c = Cluster(2, port=port, host="127.0.0.1", quiet=True)
    await asyncio.to_thread(c.start)  # in a thread: Cluster.start prewarms replicas with its own event loop
    try:
        for p in c.ports:  # warm each replica directly (one visit), as a lecturer's own first look would
            await run_class(f"http://127.0.0.1:{p}", "", students=1, ramp_s=0, duration_s=0)
        sampler = Sampler(dict(zip(c.ports, c.pids(), strict=True)))
        task = asyncio.create_task(sampler.run())
        sampler.sample()
        sampler.phase = "class"
        t_class = time.monotonic() - sampler.t0
        load_start = load_average()
        ramp = min(60.0, minutes * 60 / 4)
        res = await crowd_with_think(c.url, students, ramp, minutes * 60 - ramp, think, seed)
        load_end = load_average()
        sampler.phase = "left"
        sampler.sample()
        t_left = time.monotonic() - sampler.t0
        await asyncio.sleep(after_s)
        sampler.phase = "wave2"
        res2 = await crowd_with_think(c.url, wave2, 10.0, 50.0, think, seed + 1) if wave2 else None
        sampler.phase = "end"
        sampler.sample()
        task.cancel()
    finally:
        c.stop()

    rows = sampler.rows
    class_rows = [r for r in rows if r["phase"] == "class"]
    warm_t = t_class + 120.0  # "after warm-up": from 2 minutes into the class
    after_warm = [r["rss_total"] for r in class_rows if r["t"] >= warm_t]
    base = after_warm[0] if after_warm else float("nan")
    growth = 100 * (max(after_warm) - base) / base if after_warm else float("nan")
    growth_end = 100 * (after_warm[-1] - base) / base if after_warm else float("nan")
    sessions = lambda rs: [sum(v for k, v in r.items() if k.startswith("sessions_") and v == v) for r in rs]
    left_rows = [r for r in rows if r["phase"] == "left"]
    wave2_rows = [r for r in rows if r["phase"] in ("wave2", "end")]
    report = {
        "students": students, "minutes": minutes, "think_s": think, "cores": os.cpu_count(),
        "load_start": load_start, "load_end": load_end,
        "first_loads": len(res.first_load), "moves": len(res.interaction), "errors": len(res.errors),
        "exceptions": res.exceptions, "error_samples": res.errors[:20],
        "exception_samples": sorted(set(res.exception_messages))[:10],
        "latency_per_minute": per_minute(res.events),
        "rss_per_minute": rss_per_minute(rows, t_class),
        "rss_mb_at_warm": base, "rss_mb_max_after_warm": max(after_warm, default=float("nan")),
        "rss_growth_after_warm_pct": growth, "rss_growth_end_pct": growth_end,
        "sessions_max_during_class": max(sessions(class_rows), default=float("nan")),
        "sessions_just_after_leaving": sessions(left_rows)[:1],
        "sessions_after_wait": sessions(left_rows)[-1:],
        "rss_mb_just_after_leaving": left_rows[0]["rss_total"] if left_rows else float("nan"),
        "rss_mb_after_wait": left_rows[-1]["rss_total"] if left_rows else float("nan"),
        "wave2_students": wave2,
        "wave2_errors": len(res2.errors) if res2 else 0, "wave2_exceptions": res2.exceptions if res2 else 0,
        "rss_mb_max_wave2": max((r["rss_total"] for r in wave2_rows), default=float("nan")),
        "samples": rows,
        "t_left": t_left,
    }
    print(format_table(report["latency_per_minute"], title=f"soak: {students} students, nginx + 2, think {think}"))
    print(format_table(report["rss_per_minute"], title="RSS of both replicas (MB)"))
    keys = [k for k in report if k not in ("samples", "latency_per_minute", "rss_per_minute", "error_samples",
                                            "exception_samples")]
    print(format_table([{k: report[k] if not isinstance(report[k], list) else str(report[k]) for k in keys}]))
    for e in report["error_samples"][:10]:
        print("error:", e)
    for e in report["exception_samples"]:
        print("exception:", e)
    return report


async def crowd_with_think(url, students, ramp, duration, think, seed):
    return await crowd(url, students, ramp, duration, seed, think_s=think)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.soak", description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=200)
    ap.add_argument("--minutes", type=float, default=10.0)
    ap.add_argument("--think", type=float, nargs=2, default=(10.0, 30.0), metavar=("MIN", "MAX"))
    ap.add_argument("--after", type=float, default=150.0, help="seconds to watch after everybody left (TTL is 120 s)")
    ap.add_argument("--wave2", type=int, default=50, help="students in the second wave (0 = none)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default="")
    a = ap.parse_args(argv)
    report = asyncio.run(soak(a.students, a.minutes, tuple(a.think), a.after, a.wave2, a.seed))
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(report, indent=1, default=float))


if __name__ == "__main__":
    main()
