"""Softmax and Dependencies in a real Chromium: no exception at n = 2, 3, 10, with extreme z and bad text,
and playing a plotly animation sends nothing to the server.

How "nothing is sent" is checked: the test listens to the page's Streamlit websocket (``page.on("websocket")``,
``ws.on("framesent")``) and to every HTTP request, clicks the figure's Play button, waits until the animation
has visibly moved (the slider's current-value label, ``.slider-group > .slider-label``, changes), pauses, and
asserts that no websocket frame was sent and no request was made meanwhile. A control step then submits the
vector text field and asserts that frames *are* counted, so the probe is known to work.
"""

from __future__ import annotations

import pytest
from browser_util import open_via_home, screenshot, step_number, visit_home_once, wait_idle

PAGES = ("softmax", "dependencies")
QUERIES = {
    "n2": "?n=2",
    "n3": "?n=3",
    "n10": "?n=10&j=10",
    "extreme": "?z=1e6,-1e6,0",
    "extreme-cold": "?z=1e6,-1e6,0&T=0.1&c=-10&j=2",
}




def assert_clean(w, charts=3):
    page = w.page
    assert page.locator('[data-testid="stException"]').count() == 0
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {charts}", timeout=30_000)
    assert w.external() == [], f"external requests: {w.external()}"


# The theme alternates over the cases, so each page is drawn whole in both themes at both n = 3 and n = 10 (light at
# n = 3, dark at n = 10 here; test_screens_layout.py draws the other pairs): one whole-lesson load per case, where a
# dark load of its own per screenshot doubled the n = 3 and n = 10 cases.
THEMES = {"n2": "dark", "n3": "light", "n10": "dark", "extreme": "light", "extreme-cold": "dark"}


@pytest.mark.parametrize("slug", PAGES)
@pytest.mark.parametrize("case", list(QUERIES))
def test_renders_without_exception(server, make_page, slug, case):
    w = open_via_home(make_page, server, slug, QUERIES[case], theme=THEMES[case])
    assert_clean(w)
    if case in ("n3", "n10"):
        screenshot(w.page, f"{slug}-{case}-{THEMES[case]}")


@pytest.mark.parametrize("slug", PAGES)
def test_bad_text_in_the_vector_field(server, make_page, slug):
    w = open_via_home(make_page, server, slug, whole=False)  # the vector box is in every step's controls: the first
    box = w.page.locator('[data-testid="stTextInput"] input').first
    box.fill("2, abc, <b>1</b>")
    box.press("Enter")
    wait_idle(w.page)
    assert w.page.locator('[data-testid="stException"]').count() == 0
    assert "not a number" in w.page.locator('[data-testid="stAlertContentError"]').first.inner_text()
    assert w.page.locator(".js-plotly-plot").count() >= 1  # the step's figure is still drawn


def current_value(page, chart: int) -> str | None:
    return page.evaluate(
        "k => { const el = document.querySelectorAll('.js-plotly-plot')[k].querySelector('.slider-group > .slider-label');"
        " return el ? el.textContent : null; }", chart)


def animated_chart(page) -> int:
    """Scroll through the page's charts (plotly draws when visible) and return the index of the first one with frames."""
    plots = page.locator(".js-plotly-plot")
    for k in range(plots.count()):
        plots.nth(k).scroll_into_view_if_needed()
        page.wait_for_timeout(300)
        if page.evaluate("k => !!(document.querySelectorAll('.js-plotly-plot')[k]._transitionData || {})._frames?.length", k):
            page.wait_for_function(
                "k => !!document.querySelectorAll('.js-plotly-plot')[k].querySelector('.slider-group > .slider-label')", arg=k)
            return k
    raise AssertionError("no animated chart on the page")


ANIMATED = {"softmax": "temperature", "dependencies": "arrows"}  # the step of each page that holds its animation


@pytest.mark.parametrize("slug,button", [("softmax", "Play"), ("dependencies", "Fast"), ("dependencies", "Play")])
def test_playing_an_animation_sends_nothing_to_the_server(server, make_page, slug, button):
    w = make_page()
    sent: list[str] = []
    w.page.on("websocket", lambda ws: ws.on("framesent", lambda payload: sent.append("frame")))
    visit_home_once(server, w.goto)
    w.goto(f"{server}/{slug}?step={step_number(slug, ANIMATED[slug])}")
    page = w.page
    chart = animated_chart(page)
    plot = page.locator(".js-plotly-plot").nth(chart)
    before = current_value(page, chart)
    sent.clear()
    requests_before = len(w.requests)
    plot.locator(".updatemenu-button").filter(has_text=button).first.click()
    page.wait_for_function(
        "([k, v]) => { const el = document.querySelectorAll('.js-plotly-plot')[k].querySelector('.slider-group > .slider-label');"
        " return el && el.textContent !== v; }", arg=[chart, before], timeout=15_000)
    page.wait_for_timeout(1500)  # let it play on for a while
    plot.locator(".updatemenu-button").filter(has_text="Pause").first.click()
    page.wait_for_timeout(300)
    moved = current_value(page, chart)
    assert moved != before
    assert sent == [], f"{len(sent)} websocket frames sent while the animation played"
    assert w.requests[requests_before:] == [], f"requests while playing: {w.requests[requests_before:]}"
    # control: a real widget change does go through the websocket, so the probe above can see traffic
    box = page.locator('[data-testid="stTextInput"] input').first
    box.fill("3, 1, 0.1")
    box.press("Enter")
    wait_idle(page)
    assert sent, "the websocket probe saw no frame even for a widget change"
