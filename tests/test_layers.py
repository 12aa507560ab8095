"""The layering rule: core imports only numpy and the stdlib; figures never imports streamlit."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORE_ALLOWED = set(sys.stdlib_module_names) | {"numpy", "__future__"}


def imports(folder: Path) -> dict[str, set[str]]:
    """Top-level package of every absolute import (anywhere in the file, functions included), per module."""
    found = {}
    for path in sorted(folder.glob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
        found[path.name] = names
    return found


def core_violations(folder: Path) -> list[str]:
    """Modules in ``folder`` that import anything but numpy and the stdlib (so no figures, pages, plotly, ...)."""
    return [f"{name} imports {sorted(mods - CORE_ALLOWED)}" for name, mods in imports(folder).items()
            if not mods <= CORE_ALLOWED]


def figures_violations(folder: Path) -> list[str]:
    """Modules in ``folder`` that import streamlit or a page."""
    return [f"{name} imports {sorted(mods & {'streamlit', 'pages', 'app'})}" for name, mods in imports(folder).items()
            if mods & {"streamlit", "pages", "app"}]


def test_core_imports_only_numpy_and_stdlib():
    assert imports(ROOT / "core"), "core/ has no modules?"
    assert core_violations(ROOT / "core") == []


def test_figures_do_not_import_streamlit():
    assert imports(ROOT / "figures"), "figures/ has no modules?"
    assert figures_violations(ROOT / "figures") == []


def test_the_checkers_find_a_planted_violation(tmp_path):
    """The same functions the rule tests call, on a folder with one good and one bad module."""
    (tmp_path / "good.py").write_text("import math\nfrom collections import abc\nimport numpy as np\nfrom . import sibling\n")
    (tmp_path / "bad.py").write_text("import numpy\n\ndef f():\n    import streamlit.components.v1\n"
                                     "    from plotly import graph_objects\n")
    assert core_violations(tmp_path) == ["bad.py imports ['plotly', 'streamlit']"]
    assert figures_violations(tmp_path) == ["bad.py imports ['streamlit']"]


def test_no_module_of_pages_is_over_300_lines():
    """Issue #15: a module of the frame or a page can be read in one sitting; a page's maths lives in core."""
    root = Path(__file__).resolve().parents[1] / "pages"
    long = {str(p.relative_to(root)): n for p in root.rglob("*.py") if (n := len(p.read_text().splitlines())) > 300}
    assert long == {}, long
