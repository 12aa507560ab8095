"""The floor: what a move costs the server before a page draws any lesson, against the one-slider baseline.

Issue #18 asks every page for at most 2x the baseline's CPU per move. This bench tells how much of that budget the
shared frame takes by itself. It copies the repository to a temporary directory, replaces the default page
(``pages/home.py``) by one variant at a time, and measures each variant as ``bench.per_page`` measures a page (one
rerun at a time, CPU of the server process over the moves only), with the baseline app measured in the same run:

- ``slider``: ``ui.begin``, then one plain ``st.slider``: the page's fragment and the frame around it;
- ``slider+end``: the same, then ``ui.end`` (URL sync, the tour's Next link, the link box, the lecturer tools);
- ``logits``: ``ui.begin`` and the shared logits block (n, T, the vector field, one slider per z_j);
- ``logits+end``: the logits block and ``ui.end``: a page with every shared part and no lesson;
- ``home``: the Home page as shipped (the logits block, one chart, some formulas and text, ``ui.end``).

    python -m bench.floor                     # 90 moves per variant, 3 students taking turns
    python -m bench.floor --moves 30 --only slider logits+end
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

from bench.loadsim import format_table, load_average
from bench.per_page import measure
from deploy.server import ROOT, streamlit_server

_BEGIN = '''import streamlit as st

from pages import _ui as ui

ctx = ui.begin(__file__, title="Floor")
'''
_SLIDER = 'st.slider("x", min_value=0.0, max_value=10.0, value=5.0, step=0.1)\n'
_LOGITS = "z, T = ui.logit_controls(ctx)\n"
_END = "ui.end(ctx)\n"

# variant -> the text of pages/home.py (None: the page as shipped)
VARIANTS: dict[str, str | None] = {
    "slider": _BEGIN + _SLIDER,
    "slider+end": _BEGIN + _SLIDER + _END,
    "logits": _BEGIN + _LOGITS,
    "logits+end": _BEGIN + _LOGITS + _END,
    "home": None,
}


def copy_repo(dest: Path) -> Path:
    """The app's files (not .git, the venv, results or caches) copied under ``dest``."""
    skip = shutil.ignore_patterns(".git", ".venv", "venv", "__pycache__", "results", "artifacts", "*.pyc", ".pytest_cache",
                                  ".hypothesis", ".ruff_cache")
    return Path(shutil.copytree(ROOT, dest / "app", ignore=skip))


def run(variants: Sequence[str], moves: int, students: int, seed: int) -> list[dict]:
    with streamlit_server("bench/baseline_app.py") as (url, pid):
        base = asyncio.run(measure(url, pid, "", students, moves, seed))
    base.update(variant="BASELINE (one slider)", ratio=1.0)
    rows = [base]
    with tempfile.TemporaryDirectory(prefix="floor-") as tmp:
        app = copy_repo(Path(tmp))
        shipped = (app / "pages" / "home.py").read_text()
        for v in variants:
            (app / "pages" / "home.py").write_text(VARIANTS[v] if VARIANTS[v] is not None else shipped)
            with streamlit_server("app.py", cwd=app) as (url, pid):
                r = asyncio.run(measure(url, pid, "", students, moves, seed))
            # a few quick moves can read 0 ms of the baseline's CPU (the clock counts in 10 ms ticks): no ratio then
            r.update(variant=v, ratio=r["cpu_ms_per_move"] / base["cpu_ms_per_move"] if base["cpu_ms_per_move"] else float("nan"))
            rows.append(r)
    return rows


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--only", nargs="*", choices=list(VARIANTS), default=list(VARIANTS))
    ap.add_argument("--moves", type=int, default=90)
    ap.add_argument("--students", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args(argv)
    load0 = load_average()
    rows = run(a.only, a.moves, a.students, a.seed)
    cols = ["variant", "cpu_ms_per_move", "ratio", "wall_p50_ms", "kB_per_rerun", "moves", "exceptions", "errors"]
    print(format_table([{c: r[c] for c in cols} for r in rows],
                       title=f"the floor: server CPU per move of a page with no lesson; cores={os.cpu_count()}; "
                             f"load before={load0}, after={load_average()}"))


if __name__ == "__main__":
    main()
