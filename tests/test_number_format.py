"""One way to print a number: pages, figures and core print numbers through core.fmt, never with a raw format spec.

A format spec (``f"{x:.3f}"``, ``"{:g}".format(x)``, ``format(x, ".2e")``) prints a number its own way: "+0.00000000"
for 4.68e-13, "1.41e-17" in prose, "4.25e−18" on a bar beside an axis tick of 4×10⁻¹⁸, "-" beside "−". The check reads
the source with ``ast``, so a spec inside a string literal that is not formatted is not a spec (a d3 hovertemplate's
``%{y:.3f}`` is plotly's, not Python's), and one in a nested f-string is. core/fmt.py is where the specs live.

A spec that writes a number for a machine, not a person (a link, an export file, a colour string) may stay where it is
only if :data:`MACHINE` names its file and its exact source line, with the reason; nothing there needs one today (the
link goes through ``core.fmt.exact``)."""

from __future__ import annotations

import ast
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from apptest_util import figures, open_page
from helpers import raw_floats

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


# (file relative to the repository, its source line stripped) -> why a machine reads it. Keep it short: a text a
# person reads (label, title, annotation, bar text, hover text built in Python, alt text, table cell, sentence) goes
# through core.fmt. Python 3.11 reports a spec in a multi-line f-string at the string's first line.
MACHINE: dict[tuple[str, str], str] = {}
FORMATTER = "core/fmt.py"  # the one module that formats numbers itself


def violations(root: Path, allowed: dict[tuple[str, str], str] | None = None, skip: tuple[str, ...] = ()) -> dict:
    """Per file under ``root`` (relative to root's parent, e.g. ``core/state.py``), the lines with a raw spec that
    ``allowed`` does not name; and, under the key ``"stale"``, every entry of ``allowed`` that names no such line."""
    allowed = allowed or {}
    out, used = {}, set()
    for path in sorted(root.rglob("*.py")):
        rel = str(path.relative_to(root.parent))
        if rel in skip:
            continue
        lines = path.read_text(encoding="utf-8").splitlines()
        found = []
        for n in raw_specs("\n".join(lines)):
            key = (rel, lines[n - 1].strip())
            if key in allowed:
                used.add(key)
            else:
                found.append(n)
        if found:
            out[rel] = found
    stale = sorted(k for k in allowed if k[0].startswith(root.name + "/") and k not in used)
    return {**out, "stale": stale} if stale else out


@pytest.mark.parametrize("folder", ["pages", "figures", "core"])
def test_numbers_are_printed_only_through_core_fmt(folder):
    """Issue "one way to print a number": pages (captions, tables), figures (labels, titles, bar texts, hovers) and
    core (sentences, messages) all print through core.fmt; core/fmt.py itself and :data:`MACHINE` aside."""
    assert (ROOT / folder).is_dir()
    found = violations(ROOT / folder, MACHINE, skip=(FORMATTER,))
    assert found == {}, f"raw format specs in {folder}/ (print through core.fmt, or name a machine format in MACHINE)"


def test_the_machine_allowlist_excuses_only_its_lines_and_cannot_go_stale(tmp_path):
    """An entry excuses exactly its line (another spec in the same file is caught), and an entry whose line is gone
    or no longer holds a spec is reported, so the list cannot outlive what it excuses."""
    (tmp_path / "core").mkdir()
    (tmp_path / "core" / "m.py").write_text('x = 0.1\nurl = f"T={x:.17g}"\nlabel = f"T = {x:.3f}"\n')
    allowed = {("core/m.py", 'url = f"T={x:.17g}"'): "a link", ("core/m.py", 'gone = f"{x:g}"'): "removed since"}
    assert violations(tmp_path / "core", allowed) == {"core/m.py": [3], "stale": [("core/m.py", 'gone = f"{x:g}"')]}
    assert violations(tmp_path / "core", allowed, skip=("core/m.py",)) == {"stale": sorted(allowed)}


def test_a_planted_raw_spec_is_caught(tmp_path):
    planted = """x = 0.1
a = f"{x:.3f}"
b = "{:g}".format(x)
c = format(x, ".2e")
d = f"{x}"
e = f"S = {f'{x:+.2e}'}"
f = "a: b".upper()
"""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "p.py").write_text(planted)
    assert violations(tmp_path / "pages") == {"pages/p.py": [2, 3, 4, 6]}


# ---- what a page shows: no code notation in its sentences ------------------------------------------------------

E_NOTATION = re.compile(r"(?<![#\w.])[+\-−]?\d+(?:\.\d+)?[eE][+\-−]?\d+\b")  # 1.8e-35, 4.2e−18, 1e+03
PROSE_KINDS = ("markdown", "caption", "latex", "info", "warning", "success", "error", "subheader", "title", "header")
HARD = ({"z": "40,-40,0"}, {"z": "-3,0,3", "T": "0.2"})  # saturated (S₁ rounds to 1) and a sharp temperature
# The link to this view (pages/_ui/output.py: link_box) is a link in a code box, as st.code's was: not prose.
LINK_BOX = re.compile(r'<div class="linkbox">.*?</div>', re.S)


def e_notation_in_prose(at) -> list[str]:
    """Every number in code notation in the page's prose elements, with a little of the sentence around it."""
    found = []
    for kind in PROSE_KINDS:
        for el in getattr(at, kind):
            text = LINK_BOX.sub(" ", str(el.value))
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


# ---- charts: hovers and bar texts are printed by core.fmt, never by plotly's d3 formats -------------------------

D3_FORMAT = re.compile(r"%\{\{?[\w\[\]]+:[^}]*\}")  # %{y:.3g}, %{x:,.0f}, f-string %{{y:.4f}}


def d3_formats(source: str) -> list[int]:
    """Line numbers of a string constant in ``source`` that holds a d3 number format (``%{y:.3g}``): plotly prints it
    as 2.21e-05 with the hyphen-minus, beside the page's 2.21×10⁻⁵ and "−". Docstrings and comments are not read."""
    tree = ast.parse(source)
    docs = {id(n.body[0].value) for n in ast.walk(tree)
            if isinstance(n, (ast.Module, ast.FunctionDef, ast.ClassDef)) and n.body and isinstance(n.body[0], ast.Expr)}
    return sorted({n.lineno for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)
                   and id(n) not in docs and D3_FORMAT.search(n.value)})


def test_the_d3_scanner_sees_a_format_and_passes_a_printed_hover():
    planted = 'h = "T = %{x:.3g}: S = %{customdata}"\ng = f"{n}: %{{y:.4f}} after"\nok = "%{x} = %{customdata[1]}"\n'
    assert d3_formats('"""Doc %{y:.3g}."""\n' + planted) == [2, 3]


@pytest.mark.parametrize("folder", ["figures", "pages"])
def test_no_chart_prints_a_number_with_a_d3_format(folder):
    """Issue #25: every hover and bar text reads as the page does (core.fmt: ×10ⁿ and "−"); a figure passes its
    values printed (``fmt.nums`` as ``customdata``, see ``figures.spec.hover``), never ``%{y:.3g}``."""
    found = {str(p.relative_to(ROOT)): lines for p in sorted((ROOT / folder).rglob("*.py"))
             if (lines := d3_formats(p.read_text(encoding="utf-8")))}
    assert found == {}, found


# ---- what a page shows beyond its sentences: tables, metrics and charts -------------------------------------------

HYPHEN_MINUS = re.compile(r"(?<![\w)\]}^_.\-−])-\d")  # "-0.67", "(-1.24": a negative number with the ASCII hyphen
TEX_MATH = re.compile(r"\$\$?[^$]*\$\$?")  # LaTeX typesets its own minus: "$-2.5$" is not read


def _chart_texts(spec) -> list[str]:
    """Every text a chart shows a person: titles, annotations, axis and colour-bar titles, trace texts, names and hover
    values (customdata), slider labels; in its frames too."""
    out = []

    def walk(node, key=""):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, k)
        elif isinstance(node, list):
            for v in node:
                walk(v, key)
        elif isinstance(node, str) and key in ("text", "name", "customdata", "label", "hovertemplate", "texttemplate"):
            out.append(node)
    walk({"data": spec.get("data"), "layout": spec.get("layout"), "frames": spec.get("frames")})
    return out


def code_notation_on_screen(at) -> list[str]:
    """Numbers in code notation (4.2e-18) or with the hyphen-minus (-0.67) in what the page shows outside LaTeX: its
    sentences, table cells, metrics and chart texts."""
    texts = []
    for kind in PROSE_KINDS:
        texts += [(kind, TEX_MATH.sub(" ", LINK_BOX.sub(" ", str(el.value)))) for el in getattr(at, kind) if kind != "latex"]
    for kind in ("dataframe", "table"):
        for el in getattr(at, kind):
            df = el.value
            texts += [(kind, str(c)) for c in df.columns]
            texts += [(kind, v if isinstance(v, str) else repr(v)) for col in df.columns for v in df[col].tolist()]
    for m in at.metric:
        texts += [("metric", f"{m.label}: {m.value} {m.delta or ''}")]
    for spec in figures(at):
        texts += [("chart", t) for t in _chart_texts(spec)]
    found = []
    for kind, text in texts:
        for pat in (E_NOTATION, HYPHEN_MINUS):
            found += [f"{kind}: …{text[max(0, m.start() - 40):m.end() + 10]}…" for m in pat.finditer(text)]
    return found


def test_the_screen_scanner_sees_a_table_a_metric_and_a_chart():
    el = lambda text: SimpleNamespace(value=text)
    page = SimpleNamespace(**{k: [] for k in PROSE_KINDS}, dataframe=[], table=[], metric=[], get=lambda kind: [])
    page.caption = [el("fine: $-2.5$ and −2.5, 2.21×10⁻⁵")]
    assert code_notation_on_screen(page) == []
    import pandas as pd
    page.dataframe = [el(pd.DataFrame({"a": ["2.21437e-05", "−1"], "b": [-0.67, 1.0]}))]
    page.metric = [SimpleNamespace(label="loss", value="0.5", delta="-1.24 since epoch 0")]
    hits = code_notation_on_screen(page)
    assert len(hits) == 3 and any("2.21437e-05" in h for h in hits) and any("-1.24" in h for h in hits)


@pytest.mark.parametrize("slug", [p.slug for p in PAGES])
def test_no_code_notation_or_hyphen_minus_anywhere_on_a_page(slug):
    """Issue #25, findings 14 and 15: at the hard settings no table cell, metric, chart label or hover shows 2.21e-05 or
    -0.67 beside the page's 2.21×10⁻⁵ and −0.67 (LaTeX, which sets its own minus, aside). Reader 9's tie at T = 0.1
    too, where float64 leaves 4.9999999999998 and 4.68×10⁻¹⁴ beside round numbers."""
    info = next(p for p in PAGES if p.slug == slug)
    settings = (*HARD, {"z": "2,2,-1", "T": "0.1", "y": "3"})
    found = [f"{q}: {hit}" for q in settings for hit in code_notation_on_screen(open_page(info.path, dict(q)))]
    assert found == [], "\n".join(found)


# ---- a chart's data table: printed through core.fmt on screen, exact in its CSV ---------------------------------------


def test_a_charts_data_table_prints_every_float_and_its_csv_keeps_them_exact():
    """Issue #25: the data table under a chart held raw floats (0.30060960535572734, -4.2e-18). On screen each is
    core.fmt.num at 6 figures; the CSV download keeps the float itself (core.fmt.exact), which reads back exactly."""
    import numpy as np
    import pandas as pd

    from pages._ui.output import data_csv, data_shown

    cols = {"S": np.array([0.30060960535572734, -4.2e-18, 2.0]), "k": [-3, 4, 5], "epoch": range(3), "who": ["a", None, "c"]}
    shown = data_shown(cols)
    assert shown == {"S": ["0.30061", "−4.2×10⁻¹⁸", "2"], "k": ["−3", "4", "5"], "epoch": [0, 1, 2], "who": ["a", "", "c"]}
    assert raw_floats(pd.DataFrame(shown)) == []
    assert raw_floats(pd.DataFrame({"S": cols["S"]})) == ["S: 0.30060960535572734", "S: -4.2e-18", "S: 2.0"]  # can fail
    lines = data_csv(cols).splitlines()
    assert lines[0] == "S,k,epoch,who" and lines[1] == "0.30060960535572734,-3,0,a" and lines[2] == "-4.2e-18,4,1,"
    assert [float(line.split(",")[0]) for line in lines[1:]] == cols["S"].tolist()


def test_no_parameter_label_writes_a_minus_as_a_hyphen():
    """A parameter's label is prose (the lecturer tools list "at: inspected epoch (…)"; docs/LECTURERS.md its table):
    "−1", never "-1" beside the app's "−"."""
    from core import state

    found = {name: p.label for name, p in state.TABLE.items() if HYPHEN_MINUS.search(p.label or "")}
    assert found == {}, found
