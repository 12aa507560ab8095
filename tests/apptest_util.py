"""Shared AppTest helpers for the page tests: open a page (optionally with a link's query), read its figures."""

from __future__ import annotations

import json
from pathlib import Path
from typing import NamedTuple

from helpers import arr, nparr  # noqa: F401  (re-exported: the page tests read their figures' arrays with them)
from streamlit.testing.v1 import AppTest

from pages._ui.chart import NAME as CHART

ROOT = Path(__file__).resolve().parents[1]


def open_page(path: str | None, query: dict | None = None, timeout: float = 60, home_first: bool = False) -> AppTest:
    """Run app.py on ``path`` (None: the default page, as a bare link opens it) with ``query`` as the link's
    parameters. ``home_first`` loads the home page first and then follows the link, as a student who navigates
    within the app.

    A lesson opens at its first step, and only that step runs. The page tests read a whole lesson, so unless the query
    asks for a step this opens the whole-lesson view (``step=0``); tests/test_steps.py opens every step on its own."""
    query = {"step": "0", **(query or {})}
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=timeout)
    if path is None:
        at.query_params.update(query or {})
        return at.run()
    if home_first:
        at.run()
        at.switch_page(path)
        at.query_params.clear()
        at.query_params.update(query or {})
        return at.run()
    if query:
        at.query_params.update(query)
    at.switch_page(path)
    return at.run()


class Chart(NamedTuple):
    """One chart as the page sent it (pages/_ui/output.py, chart): the figure's JSON text, its config, its alt text."""
    text: str
    config: dict
    alt: str

    @property
    def spec(self) -> dict:
        return json.loads(self.text)


def chart_elements(at: AppTest) -> list[Chart]:
    """Every chart element on the page (the app's own, ``sdx_chart``), in page order."""
    out = []
    for c in at.get("bidi_component"):
        if c.proto.component_name == CHART:
            sent = json.loads(c.proto.json)
            out.append(Chart(sent["figure"], sent["config"], sent["alt"]))
    return out


def figures(at: AppTest) -> list[dict]:
    """Every plotly chart on the page as its JSON spec, in page order."""
    return [c.spec for c in chart_elements(at)]


def charts(at: AppTest) -> dict[str, dict]:
    """Every plotly chart on the page as its JSON spec, by its title (each page's titles are unique)."""
    return {f["layout"]["title"]["text"]: f for f in figures(at)}


def ztext(at: AppTest):
    """The logits' vector field (its key names the z it was drawn with: pages/_ui/controls.py)."""
    return next(t for t in at.text_input if str(t.key).startswith("w_ztext"))


def lockable(info) -> list[str]:
    """Every param of page ``info`` a lecturer's link can lock or hide (the shared ones and the page's own, not the
    classroom settings nor the open step)."""
    from pages._ui import CLASSROOM, SHARED

    return [k for k in (*SHARED, *info.keys) if k not in CLASSROOM and k != "step"]
