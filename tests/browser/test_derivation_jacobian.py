"""Derivation and Jacobian in a real Chromium: no exception at n = 2, 3, 10, with extreme z and T at its bounds;
the seed buttons set i and j; the saturation animation plays in the browser without talking to the server."""

from __future__ import annotations

import pytest
from browser_util import open_via_home, screenshot, step_number, visit_home_once, wait_idle

QUERIES = {
    "n2": "?n=2",
    "n3": "?n=3",
    "n10": "?n=10&i=10&j=3",
    "extreme": "?z=1e6,-1e6,0",
    "T-low": "?T=0.1",
    "T-high": "?T=10",
    "extreme-cold": "?z=1e6,-1e6,0&T=0.1&sweep=spread&i=3&j=2",
}




def assert_clean(w, slug):
    page = w.page
    assert page.locator('[data-testid="stException"]').count() == 0
    if slug == "jacobian":
        page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 5", timeout=30_000)
        assert page.locator(".js-plotly-plot .heatmaplayer").count() >= 3
    else:
        assert page.locator(".katex").count() >= 20  # the rules, both derivations line by line, the general rule
        assert page.get_by_text("Rule 3 · quotient").count() >= 3  # the rule list plus a badge in each case
    assert w.external() == [], f"external requests: {w.external()}"


# The theme alternates over the cases, so each page is drawn whole in both themes, at n = 3 in light and n = 10 in
# dark (test_screens_layout.py draws the other pairs): one whole-lesson load per case, where a dark load of its own per
# screenshot doubled the n = 3 and n = 10 cases.
THEMES = {"n2": "dark", "n3": "light", "n10": "dark", "extreme": "light", "T-low": "dark", "T-high": "light",
          "extreme-cold": "dark"}


@pytest.mark.parametrize("slug", ["derivation", "jacobian"])
@pytest.mark.parametrize("case", list(QUERIES))
def test_renders_without_exception(server, make_page, slug, case):
    w = open_via_home(make_page, server, slug, QUERIES[case], theme=THEMES[case])
    assert_clean(w, slug)
    if case in ("n3", "n10", "extreme"):
        screenshot(w.page, f"{slug}-{case}-{THEMES[case]}")


def test_seed_buttons_set_i_and_j(server, make_page):
    w = open_via_home(make_page, server, "derivation", "?z=2,1,0.1")
    page = w.page
    for label, i in (("∂S₂/∂z₁ = −S₂S₁", 2), ("∂S₃/∂z₁ = −S₃S₁", 3), ("∂S₁/∂z₁ = S₁(1−S₁)", 1)):
        page.get_by_role("button", name=label).click()
        wait_idle(page)
        page.wait_for_function(f"location.search.includes('i={i}') && location.search.includes('j=1')", timeout=30_000)
        assert page.locator('[data-testid="stException"]').count() == 0
        heading = "∂S₁/∂z₁ (your pick)" if i == 1 else f"∂S{'₁₂₃'[i - 1]}/∂z₁ (your pick)"
        assert page.get_by_text(heading).count() == 1


def test_saturation_animation_plays_without_the_server(server, make_page):
    w = make_page()
    page = w.page
    sent: list[str] = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append("frame")))  # before the first load
    visit_home_once(server, w.goto)
    w.goto(f"{server}/jacobian?z=2,1,0.1&sweep=T&step={step_number('jacobian', 'saturation')}")  # the animation's step
    chart = page.locator(".js-plotly-plot").filter(has=page.locator(".slider-group")).first
    label = chart.locator(".slider-group > .slider-label").first
    start = label.text_content()
    sent.clear()
    requests_before = len(w.requests)
    chart.locator(".updatemenu-button", has_text="Play").click()
    for _ in range(40):  # up to 8 s on a busy machine
        if label.text_content() != start:
            break
        page.wait_for_timeout(200)
    assert label.text_content() != start, "the animation did not move"
    assert sent == [] and len(w.requests) == requests_before, "playing the animation talked to the server"
    # the probe works: a Streamlit widget does send frames
    page.get_by_text("logit spread grows").click()
    wait_idle(page)
    assert sent, "the websocket probe saw nothing"
    page.wait_for_function("location.search.includes('sweep=spread')", timeout=30_000)
    assert page.locator('[data-testid="stException"]').count() == 0
