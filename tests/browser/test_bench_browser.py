"""The browser bench's own code against the app (a functional check, never a timing assertion): a step's load waits
until its charts are drawn, and one move (a slider's arrow key, or the "+" of a step with only a number box) is timed
from the press to the charts' last redraw. Without this, a bench that timed nothing (a move that found no control, or
whose rerun never came) showed only as NaN in a 30-minute run."""

from __future__ import annotations

import pytest
from browser_util import visit_home_once

from bench.browser_bench import HOOK, WS_HOOK, navigate, slider_to_chart

QUERY = """() => Object.fromEntries(new URLSearchParams(location.search))"""


@pytest.mark.parametrize(("slug", "query", "moved"), [
    ("softmax", "step=3", "z"),      # a slider: the z₁ slider's ArrowRight (z = z₁,z₂,z₃ in the link)
    ("at_scale", "step=3", "vocab"),  # no slider: the vocabulary's number box, its "+"
])
def test_the_bench_times_one_move_to_the_charts_redraw(server, make_page, slug, query, moved):
    w = make_page(width=1366, height=768)
    page = w.page
    page.add_init_script(WS_HOOK)  # before the document's scripts: the bench counts the websocket's answers
    visit_home_once(server, w.goto)
    seconds = navigate(page, f"{server}/{slug}?{query}")
    assert seconds > 0
    assert page.locator('[class*="st-key-chart_"] .main-svg').count() >= 1  # the load waited for the chart
    before = page.evaluate(QUERY)
    page.evaluate(HOOK)
    took = slider_to_chart(page, baseline=False)
    after = page.evaluate(QUERY)
    # positive: the answer came and a chart redrew (negative: no chart redrew; NaN: no rerun)
    assert took == took and took > 0, took
    assert after.get(moved) != before.get(moved), (before, after)
