"""A crowd at a cold start: N students arrive within R seconds at a server that has JUST started.

    python -m bench.crowd                       # 100 students in 10 s: 1 process, then nginx + 2 replicas
    python -m bench.crowd --students 20 --ramp 5 --setups single
    python -m bench.crowd --json artifacts/crowd.json

Every setup gets a fresh server (no warm imports, empty caches): the first students race the first imports
of every page. Students are spread over all pages (a class follows one link, but a cold start on any page
must hold), each loads its page and then moves widgets for ``--duration`` seconds. Reports, per setup:
errors, exception elements, first-load and interaction latency (p50 / p95 / max), server CPU per rerun and
RSS. The target is 0 errors and 0 exception elements. Load average is printed next to the figures (the
machine is shared).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from bench.loadsim import (  # noqa: E402
    ClassResult,
    ServerProbe,
    format_table,
    load_average,
    run_class,
)
from deploy.server import free_port, start_streamlit, stop  # noqa: E402
from pages._ui import PAGES  # noqa: E402


def touchable(w) -> bool:
    """Widgets the simulated students move here: all but select_slider. It was skipped when the simulator sent its
    value with the wrong type (a TypeError inside Streamlit, which a browser never causes); bench/loadsim/protocol.py
    now sends the option strings as the browser does, and it stays skipped so these cold-start numbers compare with
    the earlier ones. bench/capacity.py moves select sliders too."""
    return w.kind != "select_slider"


def page_slugs() -> list[str]:
    """URL paths of the registry's pages ("" for the default page, as a browser asks for it)."""
    return ["" if k == 0 else p.slug for k, p in enumerate(PAGES)]


def step_links() -> list[str]:
    """Every page's link, a lesson's as one link per step (``slug?step=k``): a class spread over pages and steps, as
    students who follow a lecturer's step links are (the home page is "")."""
    out = []
    for slug, p in zip(page_slugs(), PAGES, strict=True):
        out += [f"{slug}?step={s}" for s in range(1, len(p.steps) + 1)] if p.steps else [slug]
    return out


async def crowd(base_url: str, students: int, ramp_s: float, duration_s: float, seed: int = 0,
                pids=(), pages: list[str] | None = None, think_s: tuple[float, float] = (0.5, 3.0),
                widget_filter=touchable) -> ClassResult:
    """``students`` spread round-robin over ``pages`` (default: every page; an entry may carry a query,
    ``"jacobian?step=3"``), all arriving within ``ramp_s``."""
    pages = pages or page_slugs()
    groups = [list(range(k, students, len(pages))) for k in range(len(pages))]
    shares = [len(g) for g in groups]

    probe = ServerProbe(pids) if pids else None
    sampler = asyncio.create_task(probe.sample()) if probe else None

    async def group(k: int, n: int) -> ClassResult:
        # each page's students arrive interleaved with the others' over the same ramp
        offset = ramp_s * k / students if students else 0.0
        await asyncio.sleep(offset)
        page, _, query = pages[k].partition("?")
        return await run_class(base_url, page, students=n, ramp_s=max(0.0, ramp_s - offset),
                               duration_s=duration_s, think_s=think_s, query=query, seed=seed * 1000 + k,
                               widget_filter=widget_filter)

    parts = await asyncio.gather(*(group(k, n) for k, n in enumerate(shares) if n))
    total = ClassResult(base_url, ",".join(p or "home" for p in pages), students, ramp_s, duration_s)
    for r in parts:
        total.first_load += r.first_load
        total.interaction += r.interaction
        total.errors += r.errors
        total.exceptions += r.exceptions
        total.exception_messages += r.exception_messages
        total.bytes_per_rerun += r.bytes_per_rerun
        total.wall_s = max(total.wall_s, r.wall_s)
        total.events += r.events
        total.reconnects += r.reconnects
    if probe:
        sampler.cancel()
        total.server = probe.stats(len(total.events))
    return total


# `streamlit run app.py`, but with Streamlit's v1 "pages folder" mode switched off BEFORE the server accepts a
# session (the proposed fix for the cold-start race described in tests/test_crowd.py and docs/RELIABILITY.md).
NAV_FIRST = ("import sys\n"
             "from streamlit.runtime.pages_manager import PagesManager\n"
             "PagesManager.uses_pages_directory = False  # app.py routes with st.navigation; pages/ is not v1 MPA\n"
             "from streamlit.web.cli import main\n"
             "sys.argv[0] = 'streamlit'\n"
             "sys.exit(main())\n")


def start_app(port: int, nav_first: bool = False, options: dict | None = None, log: Path | None = None):
    """Start the app as a lecturer does (``streamlit run app.py``), or with the v1 pages-folder mode off."""
    launcher = ("-c", NAV_FIRST) if nav_first else ("-m", "streamlit")
    return start_streamlit("app.py", port=port, options=options, log=log, launcher=launcher)


def run_single(students: int, ramp_s: float, duration_s: float, seed: int, nav_first: bool = False) -> ClassResult:
    proc, url = start_app(free_port(), nav_first)
    try:
        return asyncio.run(crowd(url, students, ramp_s, duration_s, seed, pids=[proc.pid]))
    finally:
        stop(proc)


def run_cluster(replicas: int, students: int, ramp_s: float, duration_s: float, seed: int) -> ClassResult:
    from deploy.serve import Cluster

    with Cluster(replicas, port=free_port(), host="127.0.0.1", quiet=True) as c:
        return asyncio.run(crowd(c.url, students, ramp_s, duration_s, seed, pids=c.pids()))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.crowd", description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=100)
    ap.add_argument("--ramp", type=float, default=10.0)
    ap.add_argument("--duration", type=float, default=20.0, help="seconds of widget changes after the ramp")
    ap.add_argument("--setups", default="single,nginx2", help="single, single-navfirst (v1 pages mode off), nginx2 (nginx + 2)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default="")
    a = ap.parse_args(argv)
    rows, out = [], {}
    for setup in a.setups.split(","):
        load_before = load_average()
        t = time.time()
        if setup == "single":
            r = run_single(a.students, a.ramp, a.duration, a.seed)
        elif setup == "single-navfirst":
            r = run_single(a.students, a.ramp, a.duration, a.seed, nav_first=True)
        elif setup == "nginx2":
            r = run_cluster(2, a.students, a.ramp, a.duration, a.seed)
        else:
            raise SystemExit(f"unknown setup {setup}")
        s = r.summary()
        s = {"setup": setup, **{k: v for k, v in s.items() if k != "page"}, "load_before": load_before,
             "load_after": load_average(), "wall_s": time.time() - t}
        rows.append(s)
        out[setup] = {"summary": s, "errors": r.errors[:50], "exception_messages": r.exception_messages[:50]}
        for e in r.errors[:10]:
            print(f"[{setup}] error: {e}")
        for e in r.exception_messages[:10]:
            print(f"[{setup}] exception: {e}")
    print(format_table(rows, title=f"cold-start crowd: {a.students} students within {a.ramp:g} s, cores={os.cpu_count()}"))
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(out, indent=1, default=float))


if __name__ == "__main__":
    main()
