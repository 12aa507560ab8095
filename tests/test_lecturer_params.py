"""docs/LECTURERS.md's parameter table lists exactly core.state.TABLE, with each page's keys from the registry, and
the committed table is the one docs/lecturer_params.py generates (run it after adding a parameter or a page)."""

import importlib.util
import re
from pathlib import Path

from core import state
from pages._ui import CLASSROOM, PAGES, SHARED

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "LECTURERS.md"


def generator():
    spec = importlib.util.spec_from_file_location("lecturer_params", ROOT / "docs" / "lecturer_params.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def committed_rows() -> dict[str, list[str]]:
    """The committed table, read from the document itself: parameter -> its cells."""
    gen = generator()
    text = DOC.read_text()
    body = text.split(gen.BEGIN, 1)[1].split(gen.END, 1)[0]
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in body.strip().splitlines()[2:]]
    names = [re.fullmatch(r"`(\w+)`", r[0])[1] for r in rows]
    assert len(names) == len(set(names)), "a parameter is listed twice"
    return dict(zip(names, rows, strict=True))


def test_the_committed_table_is_up_to_date():
    gen = generator()
    text = DOC.read_text()
    assert gen.render(text) == text, "docs/LECTURERS.md is stale: run python docs/lecturer_params.py"


def test_the_table_lists_exactly_the_url_parameters():
    assert set(committed_rows()) == set(state.TABLE)


def test_each_row_names_exactly_the_pages_that_own_the_parameter():
    rows = committed_rows()
    for p in PAGES:
        assert set(p.keys) <= set(state.TABLE), f"{p.path} owns keys that are not URL parameters"
    for name, cells in rows.items():
        owners = [p.title for p in PAGES if name in p.keys or (name == "step" and p.steps)]  # a lesson's steps
        expected = "all pages" if name in SHARED else "any page (the frame)" if name in CLASSROOM else ", ".join(owners)
        assert cells[1] == expected, (name, cells[1])
        assert owners or name in SHARED or name in CLASSROOM, f"{name} is read by no page"
        assert cells[2] == state.TABLE[name].label


def test_a_stale_table_is_caught():
    """The check can fail: a table missing a row, or with an old default, is not what the generator writes."""
    gen = generator()
    text = DOC.read_text()
    for stale in (text.replace("| `aseed` |", "| `aseed_old` |"), re.sub(r"\| `lr` \|.*\n", "", text)):
        assert stale != text and gen.render(stale) != stale
