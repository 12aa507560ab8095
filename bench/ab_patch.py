"""A/B: the committed app (HEAD) against HEAD plus a patch, server CPU per interaction, alternating, same run.

For measuring a suggested change to files one does not own without touching the working tree: both trees are
exported with ``git archive HEAD`` into temporary directories, the patch is applied to one, and each is served in
turn (``--rounds`` times) and measured with bench.per_page.measure (one rerun at a time, same seed).

    git diff > /tmp/change.diff && git stash      # e.g. a change not committed yet
    python -m bench.ab_patch /tmp/change.diff --pages softmax dependencies jacobian training

(Round 1's example, a ``pages/_ui.py`` chart() diff, was applied in round 1; the patch itself is in commit cf88af4.)
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from bench.loadsim import ROOT, format_table, load_average
from bench.per_page import measure
from deploy.server import streamlit_server


def export(dst: Path, patch: Path | None) -> None:
    dst.mkdir(parents=True)
    subprocess.run(f"git -C {ROOT} archive HEAD | tar -x -C {dst}", shell=True, check=True)
    if patch is not None:
        subprocess.run(["patch", "-p1", "-i", str(patch.resolve())], cwd=dst, check=True, capture_output=True)


def served(root: Path):
    """``with served(root) as (url, pid)``: the tree exported under ``root``, served from there."""
    return streamlit_server("app.py", cwd=root, env={"PYTHONPATH": str(root)}, timeout=90)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.ab_patch", description=__doc__.split("\n\n")[0])
    ap.add_argument("patch", type=Path)
    ap.add_argument("--pages", nargs="+", default=["softmax", "dependencies", "jacobian", "training"])
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--moves", type=int, default=30)
    a = ap.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="ab-"))
    trees = {"HEAD": tmp / "head", "HEAD + patch": tmp / "patched"}
    rows = []
    load0 = load_average()
    try:
        export(trees["HEAD"], None)
        export(trees["HEAD + patch"], a.patch)
        for rnd in range(a.rounds):
            for name, root in trees.items():
                with served(root) as (url, pid):
                    for page in a.pages:
                        r = asyncio.run(measure(url, pid, page, 3, a.moves, 0))
                        rows.append({"round": rnd, "app": name, **{k: r[k] for k in
                                     ("page", "cpu_ms_per_move", "wall_p50_ms", "kB_per_rerun", "exceptions", "errors")}})
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    print(format_table(rows, title=f"A/B {a.patch}; cores={os.cpu_count()}; load before={load0}, after={load_average()}"))


if __name__ == "__main__":
    main()
