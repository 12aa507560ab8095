"""Helpers for the AppTests of the lessons in steps: figures by title, the computed-claims tables, the settings that
break prose (GUIDE §7)."""

from __future__ import annotations

from apptest_util import figures, open_page

# The defaults, an exact tie, saturation (the edge of float64's J at (8, 0, −8), far past it at (40, −40, 0)),
# temperatures far from 1, and n = 10 at T = 10 (n = 3 logits unless the setting says otherwise).
SETTINGS = {"defaults": {}, "tie": {"z": "1,1,0"}, "edge": {"z": "8,0,-8"}, "saturated": {"z": "40,-40,0"},
            "cold": {"T": "0.1"}, "hot": {"T": "2.5"}, "wide_hot": {"n": "10", "T": "10"}}


def page(path: str, query=None, timeout: float = 120):
    at = open_page(path, query, timeout=timeout)
    assert not at.exception, at.exception[0].value if at.exception else ""
    return at


def titles(at) -> list[str]:
    """Every chart's title, in page order."""
    return [f["layout"].get("title", {}).get("text", "") for f in figures(at)]


def figure(at, start: str) -> dict:
    """The chart whose title starts with ``start``."""
    for spec in figures(at):
        if spec["layout"].get("title", {}).get("text", "").startswith(start):
            return spec
    raise AssertionError(f"no chart titled {start!r}: {titles(at)}")


def claim_marks(at) -> list[str]:
    """The marks of every computed-claims table on the page, in page order."""
    marks = []
    for t in at.table:
        df = t.value
        if "holds if" in df.columns:
            marks += list(df.iloc[:, 0])
    return marks
