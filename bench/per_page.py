"""Per page: server CPU per interaction, and its ratio to the one-slider baseline measured in the same run.

One client at a time (no queueing), so the numbers are the server's cost of one rerun, not a class's latency:
for each page, ``--students`` sessions load it, then take turns changing one of the page's real widgets
(``--moves`` changes in all, same seed for every config). CPU is the server process's user+system time
(psutil) over the interaction phase only, divided by the number of interactions.

    python -m bench.per_page                       # project config (.streamlit/config.toml), every page
    python -m bench.per_page --config both         # also Streamlit's defaults (postScriptGC on, file watcher on)
    python -m bench.per_page --pages softmax jacobian --moves 60   # each step of a lesson, and the whole lesson
    python -m bench.per_page --by-control 15      # each control of each page moved 15 times: CPU per move of each,
                                                  # and whether it reruns a section (ui.section) or the whole page;
                                                  # a lesson's controls are moved in each step that holds them

Shared chrome widgets (presentation mode, export format and background: bench.loadsim.CHROME) are left alone:
the page's own widgets are measured.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

import psutil

from bench.loadsim import Student, format_table, interactive, load_average, page_widget
from deploy.server import streamlit_server
from pages._ui import PAGES as REGISTRY

# URL path -> file, in teaching order, from the page registry ("" is the default page, as a browser asks for it).
PAGES = {("" if k == 0 else p.slug): p.path for k, p in enumerate(REGISTRY)}

CONFIGS = {
    # The project's .streamlit/config.toml as committed.
    "project": {},
    # Streamlit's own defaults for the options the project sets.
    "default": {"runner.postScriptGC": True, "server.fileWatcherType": "auto", "server.runOnSave": False},
}



def cpu(pid: int) -> float:
    t = psutil.Process(pid).cpu_times()
    return t.user + t.system


async def measure(url: str, pid: int, page: str, students: int = 3, moves: int = 30, seed: int = 0,
                  query: str = "") -> dict:
    """First-load and interaction cost of one page, one rerun at a time."""
    rng = random.Random(seed)
    ss = [Student(k, url, page, query, 120) for k in range(students)]
    first_cpu, first_wall, nbytes, walls = [], [], [], []
    for s in ss:
        await s.connect()
        c0, t0 = cpu(pid), time.perf_counter()
        nbytes.append(await s.rerun())
        first_wall.append(time.perf_counter() - t0)
        first_cpu.append(cpu(pid) - c0)
    c0 = cpu(pid)
    done = 0
    for m in range(moves):
        s = ss[m % students]
        choices = [w for w in s.widgets.values() if interactive(w) and page_widget(w)]
        if not choices:
            break
        w = rng.choice(choices)
        s.change(w, rng)
        t0 = time.perf_counter()
        nbytes.append(await s.rerun(list(s.changed.values()), s.fragment(w)))
        walls.append(time.perf_counter() - t0)
        done += 1
    interaction_cpu = (cpu(pid) - c0) / done if done else float("nan")
    exceptions = sum(len(s.exceptions) for s in ss)
    problems = [p for s in ss for p in s.problems]
    for s in ss:
        await s.close()
    return {
        "page": page or "home", "moves": done,
        "cpu_ms_per_move": 1e3 * interaction_cpu,
        "wall_p50_ms": 1e3 * statistics.median(walls) if walls else float("nan"),
        "first_cpu_ms": 1e3 * statistics.median(first_cpu), "first_wall_ms": 1e3 * statistics.median(first_wall),
        "kB_per_rerun": statistics.median(nbytes) / 1e3, "exceptions": exceptions, "errors": len(problems),
    }


def control_name(w) -> str:
    """What identifies a control across moves: its widget key (the end of Streamlit's widget id), else its label.
    A label may change with another control's value (Training's "Sample (1 … 3m)" follows m), a key does not."""
    key = w.id.rsplit("-", 1)[-1]
    return key if key and key != "None" else w.label


async def measure_controls(url: str, pid: int, page: str, each: int = 15, seed: int = 0, query: str = "") -> list[dict]:
    """CPU per move of each control of one page (one student, ``each`` moves per control, one at a time), and the
    fragment a move reruns: the page's (its controls block is in the page fragment) or a section's. ``query``
    opens the page at a link (``step=k``: a lesson's step k, whose controls are the ones measured)."""
    rng = random.Random(seed)
    s = Student(0, url, page, query, 120)
    await s.connect()
    await s.rerun()
    # the page's controls block comes first: its fragment is the page's (Streamlit 1.67 names the innermost one)
    first = next((w for w in s.widgets.values() if page_widget(w)), None)
    page_fragment = s.fragment(first) if first else ""
    rows = []
    for name in [control_name(w) for w in s.widgets.values() if interactive(w) and page_widget(w)]:
        cpu_s, done, where, label = 0.0, 0, "", name
        for _ in range(each):
            w = next((w for w in s.widgets.values() if control_name(w) == name and interactive(w)), None)
            if w is None:  # e.g. hidden by another control's value
                break
            label = w.label
            s.change(w, rng)
            frag = s.fragment(w)
            where = "page" if frag in ("", page_fragment) else "section"
            c0 = cpu(pid)
            await s.rerun(list(s.changed.values()), frag)
            cpu_s += cpu(pid) - c0
            done += 1
        if done:
            rows.append({"page": page or "home", "control": label, "reruns": where, "moves": done,
                         "cpu_ms_per_move": 1e3 * cpu_s / done})
    await s.close()
    return rows


async def measure_page_controls(url: str, pid: int, page: str, each: int = 15, seed: int = 0,
                                steps: bool = True) -> list[dict]:
    """:func:`measure_controls` of one page where its controls are: in a lesson, in each of its steps (only the open
    step's controls are drawn, so step 1 alone would miss the others), each row's ``page`` naming the step
    ("jacobian 2·covariance"); ``steps=False``: the page as its plain link opens it (step 1)."""
    rows = []
    for label, path, query in targets([page], steps):
        if query == "step=0":  # the whole lesson repeats every step's controls: measured step by step instead
            continue
        for r in await measure_controls(url, pid, path, each, seed, query):
            rows.append(r | {"page": label})
    return rows


def run_controls(pages: Sequence[str], each: int, seed: int, steps: bool = True) -> list[dict]:
    with streamlit_server("bench/baseline_app.py") as (url, pid):
        base = asyncio.run(measure_controls(url, pid, "", 3 * each, seed))  # one control: more moves, finer CPU ticks
    ms = statistics.mean(r["cpu_ms_per_move"] for r in base)
    rows = [{"page": "BASELINE (one slider)", "control": "the slider", "reruns": "page", "moves": base[0]["moves"],
             "cpu_ms_per_move": ms}]
    with streamlit_server("app.py") as (url, pid):
        for p in pages:
            rows += asyncio.run(measure_page_controls(url, pid, p, each, seed, steps))
    for r in rows:
        r["ratio"] = r["cpu_ms_per_move"] / ms
    return rows


def page_paths(only: Sequence[str] = ()) -> list[str]:
    """URL paths of the registry's pages, or of those named in ``only`` ("home" for the default page)."""
    return [p for p in PAGES if not only or (p or "home") in only]


def targets(pages: Sequence[str], steps: bool = True) -> list[tuple[str, str, str]]:
    """(label, URL path, query) of what to measure: each page, and for a lesson in steps each step on its own
    (``step=k``) and the whole lesson on one page (``step=0``, what a page was before it had steps)."""
    info = {("" if k == 0 else p.slug): p for k, p in enumerate(REGISTRY)}
    out = []
    for path in pages:
        p, name = info[path], path or "home"
        if steps and p.steps:
            out.append((f"{name} (whole lesson)", path, "step=0"))
            out += [(f"{name} {k}·{s.slug}", path, f"step={k}") for k, s in enumerate(p.steps, 1)]
        else:
            out.append((name, path, ""))
    return out


def run(config: str, pages: Sequence[str], moves: int, students: int, seed: int, steps: bool = True) -> list[dict]:
    opts = CONFIGS[config]
    rows = []
    with streamlit_server("bench/baseline_app.py", options=opts) as (url, pid):
        base = asyncio.run(measure(url, pid, "", students, moves, seed))
    base["page"] = "BASELINE (one slider)"
    base["ratio"] = 1.0
    rows.append(base)
    with streamlit_server("app.py", options=opts) as (url, pid):
        for label, p, query in targets(pages, steps):
            r = asyncio.run(measure(url, pid, p, students, moves, seed, query=query))
            r["page"] = label
            r["ratio"] = r["cpu_ms_per_move"] / base["cpu_ms_per_move"]
            rows.append(r)
    for r in rows:
        r["config"] = config
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.per_page", description=__doc__.split("\n\n")[0])
    ap.add_argument("--config", choices=[*CONFIGS, "both"], default="project")
    ap.add_argument("--pages", nargs="*", default=(), help="URL paths (home = the default page); default: all that exist")
    ap.add_argument("--moves", type=int, default=30)
    ap.add_argument("--students", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--no-steps", action="store_true", help="measure each page at its first step only, not each step")
    ap.add_argument("--by-control", type=int, default=0, metavar="K",
                    help="instead: move each control of each page K times and report each control's CPU per move")
    a = ap.parse_args(argv)
    pages = page_paths(a.pages)
    if a.by_control:
        load0 = load_average()
        rows = run_controls(pages, a.by_control, a.seed, steps=not a.no_steps)
        cols = ["page", "control", "reruns", "moves", "cpu_ms_per_move", "ratio"]
        print(format_table([{c: r[c] for c in cols} for r in rows],
                           title=f"per-control server CPU per move; cores={os.cpu_count()}; load before={load0}, "
                                 f"after={load_average()}; {Path.cwd().name}"))
        return
    configs = list(CONFIGS) if a.config == "both" else [a.config]
    load0 = load_average()
    rows = [r for c in configs for r in run(c, pages, a.moves, a.students, a.seed, steps=not a.no_steps)]
    cols = ["config", "page", "cpu_ms_per_move", "ratio", "wall_p50_ms", "first_cpu_ms", "first_wall_ms", "kB_per_rerun",
            "moves", "exceptions", "errors"]
    print(format_table([{c: r[c] for c in cols} for r in rows],
                       title=f"per-page server CPU per interaction; cores={os.cpu_count()}; load before={load0}, "
                             f"after={load_average()}; {Path.cwd().name}"))


if __name__ == "__main__":
    main()
