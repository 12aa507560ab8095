"""The layering rule: core imports only numpy and the stdlib; figures never imports streamlit."""

import ast
import re
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


def test_deploy_imports_nothing_from_bench_or_tests():
    """deploy/ is what a lecturer runs: it stands on the app's runtime alone, never on the benchmarks or the tests."""
    found = imports(ROOT / "deploy")
    assert found, "deploy/ has no modules?"
    assert {name: sorted(mods & {"bench", "tests"}) for name, mods in found.items() if mods & {"bench", "tests"}} == {}


def one_name_violations(files) -> list[str]:
    """Files that put deploy/ on ``sys.path`` or import deploy's modules as top-level ``serve`` / ``server``
    (deploy/serve.py loaded twice, as ``serve`` and ``deploy.serve``, has two Cluster classes)."""
    bad = []
    for path in files:
        text = path.read_text()
        if re.search(r'sys\.path\.(insert|append)\(.*"deploy"', text):
            bad.append(f"{path.name} puts deploy/ on sys.path")
        for node in ast.walk(ast.parse(text)):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module] if isinstance(node, ast.ImportFrom) and node.level == 0 else [])
            if any(n.split(".")[0] in ("serve", "server") for n in names):
                bad.append(f"{path.name} imports {names}")
    return bad


def test_deploy_modules_are_imported_under_one_name():
    """deploy/ edits no sys.path (serve.sh runs ``python -m deploy.serve`` from the repository root), and bench/ and
    tests/ import its modules only as ``deploy.serve`` and ``deploy.server``."""
    edits = [p.name for p in (ROOT / "deploy").glob("*.py") for node in ast.walk(ast.parse(p.read_text()))
             if isinstance(node, ast.Attribute) and node.attr == "path" and getattr(node.value, "id", "") == "sys"]
    assert edits == []
    files = [p for folder in ("bench", "tests", "deploy") for p in (ROOT / folder).rglob("*.py")]
    assert one_name_violations(files) == []


def sys_path_uses(files) -> list[str]:
    """The files that read or edit ``sys.path`` (an ``ast`` walk: a mention in a docstring or comment is not a use)."""
    return sorted({str(p.relative_to(ROOT)) if p.is_relative_to(ROOT) else p.name for p in files
                   for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
                   if isinstance(node, ast.Attribute) and node.attr == "path" and getattr(node.value, "id", "") == "sys"})


def test_no_test_bench_or_deploy_module_edits_the_import_path(tmp_path):
    """pyproject.toml's pytest configuration sets the import path; a script run outside pytest is given PYTHONPATH by
    its documented command (tests/browser/make_screenshots.py) or by its starter (tests/browser/live_demo_app.py)."""
    assert sys_path_uses(p for folder in ("tests", "bench", "deploy") for p in (ROOT / folder).rglob("*.py")) == []
    (tmp_path / "bad.py").write_text("import sys\nsys" + ".path[:0] = ['.']\n")  # in two pieces: not a use here
    assert sys_path_uses([tmp_path / "bad.py"]) == ["bad.py"]


def test_the_deploy_checks_find_a_planted_violation(tmp_path):
    (tmp_path / "ok.py").write_text("from deploy.serve import Cluster\nfrom deploy import server\n")
    planted = "sys" + '.path.insert(0, str(ROOT / "deploy"))'  # in two pieces, so this file does not match itself
    (tmp_path / "bad.py").write_text(f"import sys\n{planted}\n\ndef f():\n"
                                     "    from serve import Cluster\n    from bench.loadsim import Student\n")
    assert one_name_violations([tmp_path / "ok.py", tmp_path / "bad.py"]) == [
        "bad.py puts deploy/ on sys.path", "bad.py imports ['serve']"]
    assert imports(tmp_path)["bad.py"] & {"bench", "tests"} == {"bench"}
