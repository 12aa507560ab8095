"""A real browser's widget values are all taken, with no notice (pages/_compat.guard_widget_states).

The guard drops a client's value that its widget cannot take (tests/test_fuzz_widgets.py sends those). Its rule
depends on which field the browser fills for each kind of widget, which AppTest does not always mimic (an integer
number box: Streamlit's frontend sends int_value, AppTest double_value), so here Chromium moves an integer number
box, a select slider and a slider on Attention, and a select box on Training: each change reaches the URL, and no
"cannot take" notice appears.
"""

from __future__ import annotations

from browser_util import open_via_home, wait_idle

NOTICE = '[data-testid="stToast"]'


def settle(page) -> None:
    page.wait_for_timeout(500)
    wait_idle(page)


def no_notice(page) -> None:
    toasts = [t for t in page.locator(NOTICE).all_inner_texts() if "cannot take" in t]
    assert toasts == [], toasts


def test_a_browsers_own_values_are_taken_without_a_notice(server, make_page):
    w = open_via_home(make_page, server, "attention", "?d=64&n=3&aseed=5")
    page = w.page
    box = page.locator('[data-testid="stNumberInput"] input').first  # the seed: an integer number box
    box.fill("7")
    box.press("Enter")
    settle(page)
    assert "aseed=7" in page.url and box.input_value() == "7"
    no_notice(page)
    for label, before, after in (("Dimension d (powers of 2)", "d=64", "d=128"), ("Number of keys n", "n=3", "n=4")):
        assert before in page.url
        page.get_by_role("slider", name=label).first.focus()
        page.keyboard.press("ArrowRight")
        page.wait_for_function(f"location.href.includes('{after}')", timeout=30_000)
        settle(page)
        no_notice(page)
    assert page.locator('[data-testid="stException"]').count() == 0


def test_a_select_box_choice_is_taken_without_a_notice(server, make_page):
    w = open_via_home(make_page, server, "training", "")
    page = w.page
    old = page.url
    page.locator('[data-testid="stSelectbox"]').first.click()
    page.get_by_role("option").nth(1).click()
    page.wait_for_function(f"location.href !== {old!r}", timeout=30_000)
    settle(page)
    no_notice(page)
    assert page.locator('[data-testid="stException"]').count() == 0
