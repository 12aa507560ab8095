"""Every registered page renders in Chromium with no exception and no external request."""

from pathlib import Path

import pytest
from browser_util import screenshot, wait_for_theme
from test_classroom import changed_url

from pages._ui import PAGES

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("info", PAGES, ids=[p.slug for p in PAGES])
@pytest.mark.parametrize("theme", ["light"])  # every page in dark: test_screens_layout.py
def test_page_renders(server, make_page, info, theme):
    w = make_page(theme)
    slug = "" if info.slug == "home" else info.slug
    w.goto(f"{server}/{slug}")
    page = w.page
    assert page.locator('[data-testid="stException"]').count() == 0
    if "ui.chart(" in (ROOT / info.path).read_text():
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    wait_for_theme(page, theme == "dark")  # in dark too: test_screens_layout.py, every page
    # Until app.py's first run reaches st.navigation the sidebar may list the pages/ folder's files (app, at scale…):
    # wait for the router's list, then compare it whole
    want = [p.title for p in PAGES]
    page.wait_for_function("first => { const a = document.querySelector('[data-testid=\"stSidebarNav\"] a');"
                           " return a && a.innerText.trim().endsWith(first); }", arg=want[0], timeout=60_000)
    nav = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    assert [t.split("\n")[-1].strip() for t in nav] == want, "the router's pages, in teaching order"
    screenshot(page, f"{info.slug}-{theme}")
    assert w.external() == [], f"external requests: {w.external()}"


def test_slider_change_updates_url_and_chart(server, make_page):
    w = make_page()
    w.goto(f"{server}/?z=2,1,0.1")
    page = w.page
    before = page.locator('.katex').all_inner_texts()
    box = page.locator('[data-testid="stTextInput"] input').first
    box.fill("3, -1, 0.5, 2")
    old = page.url
    box.press("Enter")
    changed_url(page, old)
    assert "z=3%2C-1%2C0.5%2C2" in page.url or "z=3,-1,0.5,2" in page.url
    assert page.locator('.katex').all_inner_texts() != before
    assert page.locator('[data-testid="stException"]').count() == 0


def test_bad_link_shows_one_warning(server, make_page):
    w = make_page()
    w.goto(f"{server}/?z=abc&n=9999&T=-1&evil=%3Cscript%3Ealert(1)%3C/script%3E")
    page = w.page
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.locator('[data-testid="stAlertContentWarning"]').count() == 1
    assert page.locator("script:has-text('alert(1)')").count() == 0
