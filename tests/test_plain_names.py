"""Plain text names its symbols the way the screen shows them, never in TeX's code notation.

"log S_y", "J_log" or "dL/dz_j" in a table header, an alt text or a chart title reads as source code: the screen writes
a subscript as LaTeX where the element typesets it (``$S_y$``, ``$J_{\\log}$`` in markdown, captions, notices, step texts
and static tables), as a Unicode subscript where one exists (Sᵢ, zⱼ, Sₖ, z₁: ``core.fmt.label``), as plotly's
``<sub>`` in a chart (J<sub>log</sub>), or in words ("−log S at the target").

The check reads the source of pages/, figures/ and core/ with ``ast``: every string constant and f-string that is not a
docstring, an error message (``raise``) or a bare identifier (a dict key, a widget key), with its ``$…$`` spans taken
out; a string that still holds a backslash, ``_{`` or ``^{`` is LaTeX (``st.latex``), and is not read."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# a symbol (one letter, ∂-style dL/dz's "dz", or smax / log) with a TeX subscript: S_y, z_j, J_log, smax_T, J_{ij}
TEX_NAME = re.compile(r"(?<![\w\\])(?:d?[A-Za-z]|smax|log)_(?:\{[^}]*\}|[A-Za-z0-9]{1,3})(?!\w)")
TEX_MATH = re.compile(r"\$\$?[^$]*\$\$?")  # inline or display LaTeX: typeset, so S_y there is right


def _texts(tree: ast.AST):
    """(line, text) of every string a person may read: constants and f-strings (each placeholder as ``{}``), not
    docstrings, not the parts of an f-string one by one, not what a ``raise`` says to a programmer."""
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.body
            and isinstance(n.body[0], ast.Expr)}
    skip = set()
    for n in ast.walk(tree):
        if isinstance(n, ast.Raise):
            skip |= {id(m) for m in ast.walk(n)}
        elif isinstance(n, ast.JoinedStr):
            skip |= {id(m) for m in n.values}
    for n in ast.walk(tree):
        if id(n) in docs or id(n) in skip:
            continue
        if isinstance(n, ast.Constant) and isinstance(n.value, str):
            yield n.lineno, n.value
        elif isinstance(n, ast.JoinedStr):
            yield n.lineno, "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in n.values)


def tex_names(source: str) -> list[tuple[int, str]]:
    """(line, name) of every TeX-style name in the plain text of ``source``."""
    found = []
    for line, text in _texts(ast.parse(source)):
        if text.replace("{}", "0").isidentifier():  # a key: "J_log", f"w_z{j}"
            continue
        plain = TEX_MATH.sub(" ", text)
        if "\\" in plain or "_{" in plain or "^{" in plain:  # LaTeX for st.latex or a figure's formula
            continue
        found += [(line, m.group()) for m in TEX_NAME.finditer(plain)]
    return found


def test_the_scanner_sees_a_tex_name_in_plain_text_and_passes_the_rest():
    planted = '''"""Docstring: J_log and S_y are fine here."""
header = "log S_y via z_y − LSE(z)"
alt = f"Bars of dL/dz_j from {n} paths; J_log is not symmetric"
caption = "The fused form $z_y - \\\\operatorname{LSE}(z)$ never forms $S_y$; Sᵢ, z₁, J<sub>log</sub>"
latex = r"\\frac{\\partial S_i}{\\partial z_j}"
cell = rf"S_{{{k}}} = {v}"
keys = {"J_log": 1, f"w_z{j}": 2, "log_softmax": 3, "S_y": 4}
name = "log_softmax(z)"
def f():
    raise ValueError("dL_dS is for one row")
'''
    assert tex_names(planted) == [(2, "S_y"), (2, "z_y"), (3, "dz_j"), (3, "J_log")]


@pytest.mark.parametrize("folder", ["pages", "figures", "core"])
def test_no_tex_style_name_in_plain_text(folder):
    """Issue #25, "one way to print": a name in a table, an alt text, a chart or a sentence is typeset, a Unicode
    subscript, <sub> or words; never S_y, z_j or J_log as code writes it."""
    found = {str(p.relative_to(ROOT)): names for p in sorted((ROOT / folder).rglob("*.py"))
             if (names := tex_names(p.read_text(encoding="utf-8")))}
    assert found == {}, found
