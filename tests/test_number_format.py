"""One way to print a number: pages print numbers through core.fmt, never with a raw format spec.

A format spec (``f"{x:.3f}"``, ``"{:g}".format(x)``, ``format(x, ".2e")``) in pages/ prints a number its own way:
"+0.00000000" for 4.68e-13, "1.41e-17" in prose, "-" beside "−". The check reads the source with ``ast``, so a spec
inside a string literal that is not formatted is not a spec, and one in a nested f-string is."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from apptest_util import open_page

from pages._ui import PAGES

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


# ---- what a page shows: no code notation in its sentences ------------------------------------------------------

E_NOTATION = re.compile(r"(?<![#\w.])[+\-−]?\d+(?:\.\d+)?[eE][+\-−]?\d+\b")  # 1.8e-35, 4.2e−18, 1e+03
PROSE_KINDS = ("markdown", "caption", "latex", "info", "warning", "success", "error", "subheader", "title", "header")
HARD = ({"z": "40,-40,0"}, {"z": "-3,0,3", "T": "0.2"})  # saturated (S₁ rounds to 1) and a sharp temperature


def e_notation_in_prose(at) -> list[str]:
    """Every number in code notation in the page's prose elements, with a little of the sentence around it."""
    found = []
    for kind in PROSE_KINDS:
        for el in getattr(at, kind):
            text = str(el.value)
            found += [f"{kind}: …{text[max(0, m.start() - 40):m.end() + 10]}…" for m in E_NOTATION.finditer(text)]
    return found


def test_the_scanner_sees_code_notation_and_passes_prose():
    """The check can fail: it finds 1.8e-35 and 4.2e−18 and lets 4.25×10⁻¹⁸, #e1e1e1 and step1e2 pass."""
    el = lambda text: SimpleNamespace(value=text)
    page = SimpleNamespace(**{k: [] for k in PROSE_KINDS})
    page.markdown = [el("S = (1, 1.8e-35, 4.25×10⁻¹⁸), colour #1e1e1e, key step1e2")]
    page.caption = [el("error up to 4.2e−18")]
    hits = e_notation_in_prose(page)
    assert len(hits) == 2 and hits[0].startswith("markdown:") and "1.8e-35" in hits[0] and "4.2e−18" in hits[1]


@pytest.mark.parametrize("slug", [p.slug for p in PAGES])
def test_no_code_notation_in_a_pages_sentences(slug):
    """Each page's whole lesson at the hard settings prints its numbers in sentences as ×10ⁿ with "−" (core.fmt.prose),
    never as 1.8e-35: tables, chart labels and the URL keep their notation, and are not read here."""
    info = next(p for p in PAGES if p.slug == slug)
    found = [f"{q}: {hit}" for q in HARD for hit in e_notation_in_prose(open_page(info.path, dict(q)))]
    assert found == [], "\n".join(found)
