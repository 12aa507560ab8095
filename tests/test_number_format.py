"""One way to print a number: pages print numbers through core.fmt, never with a raw format spec.

A format spec (``f"{x:.3f}"``, ``"{:g}".format(x)``, ``format(x, ".2e")``) in pages/ prints a number its own way:
"+0.00000000" for 4.68e-13, "1.41e-17" in prose, "-" beside "−". The check reads the source with ``ast``, so a spec
inside a string literal that is not formatted is not a spec, and one in a nested f-string is."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def raw_specs(source: str) -> list[int]:
    """Line numbers of every format spec applied to a value in ``source``."""
    lines = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            lines.append(node.lineno)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "format" and len(node.args) > 1:
            lines.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
              and isinstance(node.func.value, ast.Constant) and isinstance(node.func.value.value, str)
              and ":" in node.func.value.value):
            lines.append(node.lineno)
    return sorted(set(lines))


def violations(root: Path) -> dict[str, list[int]]:
    out = {}
    for path in sorted(root.rglob("*.py")):
        found = raw_specs(path.read_text(encoding="utf-8"))
        if found:
            out[str(path.relative_to(root))] = found
    return out


def test_pages_print_numbers_only_through_core_fmt():
    assert violations(ROOT / "pages") == {}, "raw format specs in pages/ (print through core.fmt)"


def test_a_planted_raw_spec_is_caught(tmp_path):
    planted = """x = 0.1
a = f"{x:.3f}"
b = "{:g}".format(x)
c = format(x, ".2e")
d = f"{x}"
e = f"S = {f'{x:+.2e}'}"
f = "a: b".upper()
"""
    (tmp_path / "p.py").write_text(planted)
    assert violations(tmp_path) == {"p.py": [2, 3, 4, 6]}
