"""Every registered page renders in Chromium with no exception and no external request: browser_util's
assert_page_renders, run by test_classroom.py's interaction test on its first load of every page, before it acts
(the same address, screen and theme: one page load for both). Every page's dark theme: test_screens_layout.py."""

from test_classroom import changed_url


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
