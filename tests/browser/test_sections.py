"""Sections (``ui.section``: an st.fragment inside the page's) in a real browser: moving a section's own control
reruns that section, and the address bar, the link box and what the copy button copies all follow it."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browser_util import open_via_home, wait_idle

LINKBOX = ".st-key-linkbox .linkbox"


def link_shown(page) -> str:
    return page.locator(f"{LINKBOX} code").inner_text().replace("\n", "")


def same_view(a: str, b: str) -> bool:
    return urlparse(a).path == urlparse(b).path and parse_qs(urlparse(a).query) == parse_qs(urlparse(b).query)


def wait_query(page, key: str, value: str, timeout_ms: int = 60_000) -> None:
    page.wait_for_function("([k, v]) => new URLSearchParams(location.search).get(k) === v", arg=[key, value],
                           timeout=timeout_ms)
    wait_idle(page)


def copied(page) -> str:
    page.locator(f"{LINKBOX} button").first.click()
    for _ in range(20):  # the clipboard write is asynchronous
        text = page.evaluate("navigator.clipboard.readText()")
        if text:
            return text
        page.wait_for_timeout(100)
    return ""


def test_a_section_move_updates_the_url_the_link_box_and_the_copied_link(server, make_page):
    w = open_via_home(make_page, server, "jacobian", "?z=1.5,0,-1&T=0.5")
    page = w.page
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    before = link_shown(page)
    assert "sweep=T" in before and same_view(before, page.url.replace("%2C", ","))
    page.get_by_text("logit spread grows 0 → 10×").click()
    wait_query(page, "sweep", "spread")
    page.wait_for_function("s => document.querySelector(s + ' code').innerText.includes('sweep=spread')", arg=LINKBOX)
    shown = link_shown(page)
    assert same_view(shown, page.url.replace("%2C", ",")), (shown, page.url)
    assert "z=1.5,0,-1" in shown and "T=0.5" in shown  # the page's own params are still in the link
    assert same_view(copied(page), page.url), "the copy button copied something other than the address bar"
    # the section's figure changed with it: its scrub slider now says "spread"
    labels = page.evaluate("""() => Array.from(document.querySelectorAll('.js-plotly-plot'))
        .flatMap(gd => (gd.layout.sliders || []).map(s => (s.currentvalue || {}).prefix || ''))""")
    assert any("spread" in t for t in labels), labels


def test_training_inspector_moves_keep_the_link_and_an_open_copy_box(server, make_page):
    w = open_via_home(make_page, server, "training", "?data=blobs&m=20")
    page = w.page
    box = page.get_by_label("Sample (1 … 60)")
    inspector = page.locator('[data-testid="stExpander"]', has_text="Copy LaTeX").first
    inspector.locator("summary").click()
    wait_idle(page)
    assert inspector.locator('[data-testid="stCode"]').count() == 1
    for s in ("7", "8"):
        box.fill(s)
        box.press("Enter")
        wait_query(page, "s", s)
        page.wait_for_function("([sel, v]) => document.querySelector(sel + ' code').innerText.includes('s=' + v)",
                               arg=[LINKBOX, s])
        assert same_view(link_shown(page), page.url.replace("%2C", ","))
        # the formula's copy box stayed open across the section's rerun (its key did not move)
        assert inspector.locator('[data-testid="stCode"]').count() == 1, f"the Copy LaTeX box closed at s={s}"


def test_the_link_box_follows_a_history_write_as_it_happens(server, make_page):
    """Streamlit writes the address through a reference to ``history`` taken before the page script ran, so no patched
    pushState sees it; the script listens to the Navigation API instead of comparing the address on a timer. A write
    through a saved reference to replaceState (as Streamlit's) is in the box before the same script reads it back: a
    timer could not have run in between."""
    w = open_via_home(make_page, server, "softmax", "?z=1,2,3")
    page = w.page
    got = page.evaluate("""sel => {
        const write = History.prototype.replaceState;  // a reference taken before, as Streamlit holds one
        const was = location.href;
        write.call(history, history.state, '', location.pathname + location.search + '&probe=1');
        const shown = document.querySelector(sel + ' code').textContent;
        write.call(history, history.state, '', was);
        return {shown, later: document.querySelector(sel + ' code').textContent};
    }""", LINKBOX)
    assert got["shown"].endswith("&probe=1"), got
    assert "probe" not in got["later"], got


@pytest.mark.parametrize("start", [1, 3], ids=["first step", "middle step"])
def test_a_step_move_then_next_and_back_keep_the_example_and_open_the_other_step(server, make_page, start):
    """A lesson's open step reruns on its own (steps._open_step): a move of z₁ there updates the address and the link
    box; Next and Back open the neighbouring step with the moved example, and the picker follows. At the first step
    the footer is in the step's fragment (its Back carries the example to the previous lesson); at a middle step it
    is the page's, and the link box follows the address in the browser alone."""
    from pages._ui.registry import PAGES

    info = next(p for p in PAGES if p.slug == "softmax")
    w = make_page(width=1366, height=768)
    page = w.page
    page.goto(f"{server}/softmax?step={start}")
    wait_idle(page)
    slider = page.locator('input[type="range"][aria-label="z₁"]')
    slider.focus()
    for _ in range(3):
        slider.press("ArrowRight")
    wait_query(page, "z", "2.3,1,0.1")
    page.wait_for_function("s => document.querySelector(s + ' code').innerText.includes('z=2.3,1,0.1')", arg=LINKBOX)
    assert same_view(link_shown(page), page.url.replace("%2C", ","))
    for k, button in ((start + 1, f"Next: {info.steps[start].short}"), (start, f"Back: {info.steps[start - 1].short}")):
        page.get_by_role("button", name=button).click()
        wait_query(page, "step", str(k))
        page.get_by_role("heading", name=info.steps[k - 1].title).wait_for()
        assert parse_qs(urlparse(page.url).query)["z"] == ["2.3,1,0.1"], page.url
        picked = page.get_by_role("radio", name=f"{k} · {info.steps[k - 1].short}", exact=True)
        assert picked.is_checked(), f"the picker does not show step {k}"
        shown = page.locator('input[type="range"][aria-label="z₁"]').get_attribute("aria-valuetext")
        assert float(shown) == 2.3, f"the z₁ slider of step {k} shows {shown}"
