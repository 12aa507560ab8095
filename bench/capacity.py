"""Capacity: students -> latency, from a cold start, served as a lecturer serves the app.

``--serve-sh`` (the capacity table of issue 18): every point starts the SHIPPED ``deploy/serve.sh`` afresh with its
defaults (two Streamlit processes per core behind nginx, its own pre-warm), runs one simulated class, and stops it.
Students arrive over ``--ramp`` s, then for ``--duration`` s each changes a widget every U(``--think``) s.

- ``--scenario spread`` (default): students round-robin over every step of every lesson and every other page
  (``--over steps``, each step its own link ``slug?step=k``: bench.crowd.step_links; ``--over pages``: each page's
  plain link, its first step), each moving random controls of what it opened (every kind, select sliders included;
  not the frame's presentation/export widgets or the step picker);
- ``--scenario link``: a lecturer's link: every student opens the same page and query (``--link``) and moves
  only the same few controls (the first ``--link-controls`` widgets of that page, as one student sees them).

``--baseline`` adds the one-slider app (bench/baseline_app.py) served the same way (deploy/serve.py, the script
serve.sh runs, with only ``--script`` changed) at each distinct student count, in the same run. The Training
page's st.cache_data hit rate is counted inside the replicas (bench/cache_probe/sitecustomize.py on PYTHONPATH;
``--no-cache-probe`` to leave it out). One markdown table is printed at the end.

    python -m bench.capacity --serve-sh --students 100 200 300 300 300 --baseline
    python -m bench.capacity --serve-sh --students 100 --scenario link --link "training?lr=0.5"

Without ``--serve-sh`` (the older curve): one page, ``--setups`` baseline / 1 process / nginx + ``--replicas``.

    python -m bench.capacity --page dependencies --students 100 200 300 --replicas 2
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil

from bench.crowd import crowd, step_links
from bench.loadsim import ROOT, Student, format_table, interactive, load_average, page_widget, run_class
from deploy.serve import Cluster
from deploy.server import free_port, healthy, streamlit_server

SERVE_LOGS = ROOT / "artifacts" / "serve"  # where deploy/serve.py writes its replicas' logs


# ---- the shipped launcher ---------------------------------------------------------------------------


class ServeSh:
    """``deploy/serve.sh "" PORT`` (or deploy/serve.py with another ``--script``) as a child process group."""

    def __init__(self, port: int, script: str = "app.py", log: Path | None = None, probe_dir: Path | None = None,
                 balance: str = ""):
        self.port, self.script, self.log, self.probe_dir, self.balance = port, script, log, probe_dir, balance
        self.proc: subprocess.Popen | None = None

    def start(self, timeout: float = 240.0) -> ServeSh:
        if self.script == "app.py" and not self.balance:
            cmd = ["bash", str(ROOT / "deploy" / "serve.sh"), "", str(self.port)]
        else:  # serve.sh has neither option: the same launcher it execs, with only the script or the balancing changed
            cmd = [sys.executable, "-m", "deploy.serve", "--port", str(self.port), "--script", self.script]
            cmd += ["--balance", self.balance] if self.balance else []
        env = dict(os.environ)
        if self.probe_dir:
            probe = str(ROOT / "bench" / "cache_probe")
            env["PYTHONPATH"] = os.pathsep.join([probe, env["PYTHONPATH"]]) if env.get("PYTHONPATH") else probe
            env["CACHE_PROBE_DIR"] = str(self.probe_dir)
        out = open(self.log, "ab") if self.log else subprocess.DEVNULL  # the child keeps its own copy
        self.proc = subprocess.Popen(cmd, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        if self.log:
            out.close()
        deadline = time.time() + timeout
        while not healthy(self.port):  # nginx opens after every replica is healthy and pre-warmed
            if self.proc.poll() is not None or time.time() > deadline:
                self.stop()
                raise RuntimeError(f"serve.sh did not come up on port {self.port}; see {self.log}")
            time.sleep(0.5)
        return self

    def processes(self) -> list[psutil.Process]:
        """The serving stack: the Streamlit replicas and nginx (not the idle launcher)."""
        kids = psutil.Process(self.proc.pid).children(recursive=True)
        return [p for p in kids if any(s in " ".join(p.cmdline()) for s in ("streamlit", "nginx"))]

    def stop(self) -> None:
        if self.proc is None:
            return
        kids = []
        with contextlib.suppress(psutil.Error):
            kids = psutil.Process(self.proc.pid).children(recursive=True)
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)  # serve.py exits its Cluster: replicas and nginx are stopped
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        for p in kids:  # anything the launcher left behind (it was killed, or a child ignored SIGTERM)
            with contextlib.suppress(psutil.Error):
                p.kill()

    def __enter__(self) -> ServeSh:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def log_sizes() -> dict[Path, int]:
    return {f: f.stat().st_size for f in SERVE_LOGS.glob("*.log")} if SERVE_LOGS.exists() else {}


def new_tracebacks(before: dict[Path, int]) -> int:
    """Tracebacks written to deploy/serve.py's replica logs since ``before`` (the logs are appended to, run after run)."""
    n = 0
    for f in SERVE_LOGS.glob("*.log"):
        with open(f, "rb") as fh:
            fh.seek(before.get(f, 0))
            n += fh.read().decode(errors="replace").count("Traceback")
    return n


def cache_hits(probe_dir: Path) -> tuple[int, int]:
    """(calls, computations) of the Training page's cached training, summed over the replicas."""
    text = b"".join(f.read_bytes() for f in probe_dir.glob("*") if not f.suffix)
    return text.count(b"c"), text.count(b"m")


def gc_times(probe_dir: Path) -> tuple[float, float]:
    """(total ms, longest pause in ms) of Python's garbage collector, over the replicas (the probe's ``.gc`` files)."""
    rows = [f.read_text().split() for f in probe_dir.glob("*.gc")]
    rows = [r for r in rows if len(r) == 3]
    return sum(float(r[1]) for r in rows), max((float(r[2]) for r in rows), default=float("nan"))


# ---- scenarios ----------------------------------------------------------------------------------------



async def link_controls(url: str, page: str, query: str, k: int) -> set[str]:
    """The ids of the first ``k`` movable widgets of the page a link opens, in the order one student sees them."""
    s = Student(0, url, page, query, 120)
    await s.connect()
    await s.rerun()
    await s.close()
    chosen = [w for w in s.widgets.values() if interactive(w) and page_widget(w)][:k]
    if not chosen:
        raise RuntimeError(f"the link {page}?{query} shows no movable widget")
    print(f"  lecturer's link {page}?{query}: students move " + ", ".join(repr(w.label) for w in chosen), flush=True)
    return {w.id for w in chosen}


async def lecturers_link(url: str, students: int, a, pids) -> object:
    page, _, query = a.link.partition("?")
    ids = await link_controls(url, page, query, a.link_controls)
    return await run_class(url, page, students, a.ramp, a.duration, tuple(a.think), query, a.seed, pids=pids,
                           widget_filter=lambda w: w.id in ids)


def serve_sh_point(app: str, students: int, a) -> dict:
    """One row: a fresh serve.sh (or serve.py --script for the baseline), one class, stopped."""
    baseline = app == "baseline"
    tag = f"{'baseline' if baseline else a.scenario}-{students}-{time.strftime('%H%M%S')}"
    logs = ROOT / "artifacts" / "capacity" / tag
    logs.mkdir(parents=True, exist_ok=True)
    probe_dir = None if a.no_cache_probe or baseline else logs / "cache_probe"
    if probe_dir:
        probe_dir.mkdir()
    load, c0, t0, before = load_average(), time.process_time(), time.time(), log_sizes()
    with ServeSh(free_port(), "bench/baseline_app.py" if baseline else "app.py", logs / "serve.log", probe_dir,
                 a.balance) as srv:
        procs = srv.processes()
        pids = [p.pid for p in procs]
        replicas = sum("streamlit" in " ".join(p.cmdline()) for p in procs)
        started = time.time() - t0
        url = f"http://127.0.0.1:{srv.port}"
        if baseline:
            r = asyncio.run(run_class(url, "", students, a.ramp, a.duration, tuple(a.think), "", a.seed, pids=pids))
        elif a.scenario == "link":
            r = asyncio.run(lecturers_link(url, students, a, pids))
        else:
            r = asyncio.run(crowd(url, students, a.ramp, a.duration, a.seed, pids=pids, think_s=tuple(a.think),
                                  widget_filter=page_widget, pages=step_links() if a.over == "steps" else None))
    s = r.summary()
    calls, misses = cache_hits(probe_dir) if probe_dir else (0, 0)
    gc_total, gc_max = gc_times(probe_dir) if probe_dir else (float("nan"), float("nan"))
    reruns = r.server.reruns if r.server is not None and r.server.reruns else float("nan")
    row = {
        "app": "baseline (one slider)" if baseline else ("lecturer's link " + a.link if a.scenario == "link"
                                                         else f"all {a.over}"),
        "students": students, "replicas": replicas,
        "move_p50_ms": s["move_p50_ms"], "move_p95_ms": s["move_p95_ms"], "first_p95_ms": s["first_p95_ms"],
        "moves": s["moves"], "errors": s["errors"], "exceptions": s["exceptions"], "tracebacks": new_tracebacks(before),
        "cpu_ms_per_rerun": s["cpu_ms_per_rerun"], "rss_peak_MB": s["rss_mb_max"],
        "train_cache_hits": f"{calls - misses}/{calls} ({100 * (calls - misses) / calls:.0f} %)" if calls else "-",
        "gc_ms_per_rerun": gc_total / reruns, "gc_longest_ms": gc_max,
        "start_s": started, "sim_cpu_s": time.process_time() - c0, "load_before": load,
    }
    if a.json:
        with open(a.json, "a") as f:
            f.write(json.dumps({"row": row, "errors": r.errors[:20], "exception_messages": r.exception_messages[:20],
                                "logs": str(logs), "timelines": dict(r.timelines.items()),
                                "rss": r.server.rss_samples if r.server else []}, default=float) + "\n")
    for e in r.errors[:5]:
        print(f"  error: {e}", flush=True)
    print(format_table([row]), flush=True)
    return row


def markdown(rows: list[dict]) -> str:
    """The rows as one GitHub markdown table (floats rounded, nan as -)."""
    fmt = lambda v: ("-" if v != v else f"{v:.0f}" if abs(v) >= 100 else f"{v:.1f}") if isinstance(v, float) else str(v)
    cols = list(rows[0])
    return "\n".join(["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols),
                      *("| " + " | ".join(fmt(r[c]) for c in cols) + " |" for r in rows)])


# ---- the older single-page curve -----------------------------------------------------------------------


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
    ap = argparse.ArgumentParser(prog="python -m bench.capacity", description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n\n", 1)[1])
    ap.add_argument("--serve-sh", action="store_true", help="serve with the shipped deploy/serve.sh (defaults, fresh per point)")
    ap.add_argument("--baseline", action="store_true", help="--serve-sh: also the one-slider app, at each distinct count")
    ap.add_argument("--over", choices=["steps", "pages"], default="steps",
                    help="--scenario spread: students round-robin over every step's link (a lesson's steps each their "
                         "own link, step=k) or over every page's plain link (its first step)")
    ap.add_argument("--scenario", choices=["spread", "link"], default="spread",
                    help="--serve-sh: students over all pages, or all on one lecturer's link")
    ap.add_argument("--link", default="training", help="--scenario link: PAGE?QUERY every student opens")
    ap.add_argument("--link-controls", type=int, default=3, help="--scenario link: how many of its controls students move")
    ap.add_argument("--balance", choices=["", "sticky", "least_conn"], default="",
                    help="--serve-sh: serve.py --balance instead of serve.sh's default (an A/B of nginx's balancing)")
    ap.add_argument("--no-cache-probe", action="store_true", help="--serve-sh: do not count the training cache's hits")
    ap.add_argument("--page", default="dependencies", help="without --serve-sh: the one page")
    ap.add_argument("--students", type=int, nargs="+", default=[100, 200, 300])
    ap.add_argument("--replicas", type=int, default=2, help="without --serve-sh")
    ap.add_argument("--ramp", type=float, default=10.0)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--think", type=float, nargs=2, default=(0.0, 6.0))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--setups", nargs="+", default=["baseline", "1 process", "nginx"], help="without --serve-sh")
    ap.add_argument("--prewarm", action="store_true", help="nginx setup: load / on each replica before the class "
                    "(deploy/serve.py does this for a lecturer); default: truly cold")
    ap.add_argument("--json", default="", help="append every point (summary + timelines) to this JSON-lines file")
    a = ap.parse_args(argv)
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
    if a.serve_sh:
        serve_sh_table(a)
        return
    rows = []
    for setup in a.setups:
        label = f"nginx + {a.replicas}" if setup == "nginx" else setup
        for n in a.students:
            rows.append(one(setup if setup != "nginx" else label, a.page, n, a))
            rows[-1]["setup"] = label
    print(format_table(rows, title=f"capacity, page={a.page}, ramp {a.ramp:g} s + {a.duration:g} s, think U{tuple(a.think)} s, "
                                   f"cold start per point; cores={os.cpu_count()}"))


def serve_sh_table(a) -> None:
    t0, load0 = time.time(), load_average()
    rows, done = [], set()
    for n in a.students:
        if a.baseline and n not in done:
            rows.append(serve_sh_point("baseline", n, a))
            done.add(n)
        rows.append(serve_sh_point("app", n, a))
    if a.scenario == "link":
        what = f"every student on the lecturer's link {a.link}, moving its first {a.link_controls} controls"
    elif a.over == "steps":
        what = (f"students round-robin over the {len(step_links())} step links (every step of every lesson, and the "
                "pages without steps)")
    else:
        what = "students round-robin over all registry pages"
    print(f"\n### Capacity with the shipped deploy/serve.sh (defaults, started fresh per row)\n\n"
          f"{what}; arrivals over {a.ramp:g} s, then {a.duration:g} s of moves every U{tuple(a.think)} s; seed {a.seed}; "
          f"cores={os.cpu_count()}; load before={load0}, after={load_average()}; {time.time() - t0:.0f} s in all. "
          f"CPU per rerun and peak RSS: the replicas + nginx (psutil, summed); tracebacks: new ones in the replica logs; "
          f"train_cache_hits: the Training page's st.cache_data lookups answered from the cache, over all replicas; "
          f"gc_ms_per_rerun, gc_longest_ms: CPU of Python's garbage collector in the replicas, per rerun and its "
          f"longest single collection.\n")
    print(markdown(rows), flush=True)


if __name__ == "__main__":
    main()
