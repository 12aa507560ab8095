"""``python -m bench.loadsim``: one simulated class against a running server, printed as a table."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import urllib.parse
from collections.abc import Sequence
from pathlib import Path

import bench.loadsim as loadsim
from bench.loadsim import load_average, pids_listening, run_class


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.loadsim", description=loadsim.__doc__.split("\n\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8501")
    ap.add_argument("--page", default="", help="URL path of the page, e.g. softmax ('' = default page)")
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--ramp", type=float, default=10.0)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--think", type=float, nargs=2, default=(0.0, 6.0), metavar=("MIN", "MAX"))
    ap.add_argument("--query", default="")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pid", default="", help="server pid(s), comma-separated, or 'auto' (the process on --url's port)")
    ap.add_argument("--json", default="", help="write the full result here")
    a = ap.parse_args(argv)
    if a.pid == "auto":
        pids = pids_listening(urllib.parse.urlsplit(a.url).port or 80)
    else:
        pids = [int(p) for p in a.pid.split(",") if p]
    r = asyncio.run(run_class(a.url, a.page, a.students, a.ramp, a.duration, tuple(a.think), a.query, a.seed, pids=pids))
    print(r.table(f"{a.url} page={a.page or '(default)'} cores={os.cpu_count()} load={load_average()}"))
    for e in r.errors[:10]:
        print("error:", e)
    for e in r.exception_messages[:10]:
        print("exception:", e)
    if a.json:
        Path(a.json).write_text(json.dumps(r.to_json(), default=float))


if __name__ == "__main__":
    main()
