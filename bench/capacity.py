"""Capacity curve: students -> latency, for 1 Streamlit process and for K processes behind nginx, from a cold start.

Every point starts fresh server process(es) (cold: nothing imported, no cache), runs one simulated class
(bench.loadsim.run_class: arrivals over --ramp s, then --duration s of students moving widgets every U(think) s),
and stops them. The one-slider baseline app is measured first with the same class, same run.
The simulator runs on the same machine and competes for its cores: its own CPU time is reported.

    python -m bench.capacity --page dependencies --students 100 200 300 --replicas 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
from pathlib import Path

from bench.loadsim import ROOT, format_table, load_average, run_class
from deploy.server import free_port, streamlit_server

sys.path.insert(0, str(ROOT / "deploy"))
from serve import Cluster


def one(setup: str, page: str, students: int, a) -> dict:
    c0 = time.process_time()
    load = load_average()
    kw = {"page": page, "students": students, "ramp_s": a.ramp, "duration_s": a.duration, "think_s": tuple(a.think),
          "seed": a.seed}
    logs = ROOT / "artifacts" / "capacity" / f"{setup.replace(' ', '_')}-{students}"
    logs.mkdir(parents=True, exist_ok=True)
    if setup == "baseline":
        with streamlit_server("bench/baseline_app.py", log=logs / "server.log") as (url, pid):
            r = asyncio.run(run_class(url, **{**kw, "page": ""}, pids=[pid]))
    elif setup == "1 process":
        with streamlit_server("app.py", log=logs / "server.log") as (url, pid):
            r = asyncio.run(run_class(url, **kw, pids=[pid]))
    else:
        with Cluster(a.replicas, free_port(), "127.0.0.1", quiet=True, logdir=logs, warm=a.prewarm) as c:
            r = asyncio.run(run_class(c.url, **kw, pids=c.pids()))
    tracebacks = sum(f.read_text(errors="replace").count("Traceback") for f in logs.glob("*.log"))
    row = {"setup": setup, **r.summary(), "server_tracebacks": tracebacks, "sim_cpu_s": time.process_time() - c0,
           "load_before": load}
    row.pop("reconnects", None)
    if a.json:
        with open(a.json, "a") as f:
            f.write(json.dumps({"setup": setup, "summary": row, "errors": r.errors[:20], "logs": str(logs),
                                "timelines": dict(r.timelines.items()),
                                "rss": r.server.rss_samples if r.server else []}, default=float) + "\n")
    print(format_table([row]), flush=True)
    return row


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__.split("\n\n")[0])
    ap.add_argument("--page", default="dependencies")
    ap.add_argument("--students", type=int, nargs="+", default=[100, 200, 300])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--ramp", type=float, default=10.0)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--think", type=float, nargs=2, default=(0.0, 6.0))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--setups", nargs="+", default=["baseline", "1 process", "nginx"])
    ap.add_argument("--prewarm", action="store_true", help="nginx setup: load / on each replica before the class "
                    "(deploy/serve.py does this for a lecturer); default: truly cold")
    ap.add_argument("--json", default="", help="append every point (summary + timelines) to this JSON-lines file")
    a = ap.parse_args(argv)
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    rows = []
    for setup in a.setups:
        label = f"nginx + {a.replicas}" if setup == "nginx" else setup
        for n in a.students:
            rows.append(one(setup if setup != "nginx" else label, a.page, n, a))
            rows[-1]["setup"] = label
    print(format_table(rows, title=f"capacity, page={a.page}, ramp {a.ramp:g} s + {a.duration:g} s, think U{tuple(a.think)} s, "
                                   f"cold start per point; cores={os.cpu_count()}"))


if __name__ == "__main__":
    main()
