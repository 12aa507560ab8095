"""ruff is part of the suite, so CI fails on lint like on any other test."""

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_ruff_clean():
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    assert ruff, "ruff is not installed (pip install -r requirements-dev.txt)"
    out = subprocess.run([ruff, "check", "--output-format", "concise", str(ROOT)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_every_grid_the_quick_loop_leaves_out_names_a_test_that_exists():
    """tests/helpers.py's GRIDS marks tests by name: a renamed test would silently join the quick loop again."""
    from helpers import GRIDS

    for key in GRIDS:
        file, name = key.split("::")
        assert f"def {name}(" in (ROOT / "tests" / file).read_text(), f"GRIDS names {key}, which does not exist"
