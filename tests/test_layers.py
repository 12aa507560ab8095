"""The layering rule: core imports only numpy and the stdlib; figures never imports streamlit."""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def imports(folder: str) -> dict[str, set[str]]:
    found = {}
    for path in sorted((ROOT / folder).glob("*.py")):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                names |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names.add(node.module.split(".")[0])
        found[path.name] = names
    return found


def test_core_imports_only_numpy_and_stdlib():
    allowed = set(sys.stdlib_module_names) | {"numpy", "__future__"}
    found = imports("core")
    assert found, "core/ has no modules?"
    for name, mods in found.items():
        assert mods <= allowed, f"core/{name} imports {mods - allowed}"


def test_figures_do_not_import_streamlit():
    for name, mods in imports("figures").items():
        assert "streamlit" not in mods, f"figures/{name} imports streamlit"
        assert "pages" not in mods, f"figures/{name} imports a page"


def test_core_does_not_import_upper_layers():
    for name, mods in imports("core").items():
        assert not mods & {"figures", "pages", "app", "plotly", "streamlit"}, name


def test_the_rule_detects_a_violation(tmp_path):
    # the checker itself must be able to fail
    (tmp_path / "bad.py").write_text("import streamlit\nfrom plotly import graph_objects\n")
    mods = set()
    for node in ast.walk(ast.parse((tmp_path / "bad.py").read_text())):
        if isinstance(node, ast.Import):
            mods |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            mods.add(node.module)
    assert {"streamlit", "plotly"} <= mods
