"""Chain rule and Training in a real Chromium: they render in light and dark, their plotly animations play in the
browser, and a diverging learning rate shows its message, never an exception."""

import re

import pytest
from browser_util import screenshot, step_number, wait_idle

EXC = '[data-testid="stException"]'


def open_page(make_page, server, path, theme="light", charts=1, whole=False):
    """``path`` as a student's link opens it (a lesson at its first step, unless the link names one), or with
    ``whole`` as the whole-lesson view."""
    w = make_page(theme)
    w.goto(f"{server}/{path}", whole=whole)
    page = w.page
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length >= {charts}", timeout=60_000)
    wait_idle(page)
    if page.get_by_text("Page not found").count():  # streamlit#9624: a deep link as a fresh server's first visit
        page.keyboard.press("Escape")
        page.get_by_text("Page not found").wait_for(state="detached", timeout=10_000)
    return w, page


def title_of(page, k: int) -> str:
    return page.evaluate(f"document.querySelectorAll('.js-plotly-plot')[{k}]._fullLayout.title.text")


def annotation_of(page, k: int) -> str:
    return page.evaluate(f"document.querySelectorAll('.js-plotly-plot')[{k}]._fullLayout.annotations[0].text")


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("query", ["", "?z=1e6,-1e6,0&y=2", "?n=10&loss=mse&y=3"], ids=["default", "extreme", "n10-mse"])
def test_chain_rule_renders_and_walks_the_paths(server, make_page, theme, query):
    # the paths are the first step; the extreme link also draws the whole lesson, in both themes
    w, page = open_page(make_page, server, f"chain_rule{query}", theme, whole="1e6" in query)
    assert page.locator(EXC).count() == 0
    assert "Multiply along a path, add across paths" in page.locator('[data-testid="stAlert"]').first.inner_text()
    before = annotation_of(page, 0)
    page.locator(".js-plotly-plot").first.get_by_text("▶ Play").click()
    page.wait_for_timeout(900)
    assert annotation_of(page, 0) != before, "the path walk did not advance in the browser"
    screenshot(page, f"chain-rule{query.replace('?', '-').replace('&', '-').replace('=', '').replace(',', '_')}-{theme}")
    assert page.locator(EXC).count() == 0 and w.external() == []


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_training_defaults_learn_and_the_regions_animate(server, make_page, theme):
    w, page = open_page(make_page, server, "training", theme)
    assert page.locator(EXC).count() == 0
    assert "Trained 200 epochs" in page.locator('[data-testid="stAlert"]').first.inner_text()
    assert "100.0 %" in page.locator('[data-testid="stMetric"]').nth(1).inner_text()
    assert title_of(page, 0).startswith("epoch 200:")
    page.locator(".js-plotly-plot").first.get_by_text("▶ Play").click()
    page.wait_for_timeout(700)
    assert not title_of(page, 0).startswith("epoch 200:"), "the animation did not start from the first snapshot"
    page.locator(".js-plotly-plot").first.get_by_text("❚❚ Pause").click()
    screenshot(page, f"training-default-{theme}")
    assert page.locator(EXC).count() == 0 and w.external() == []


@pytest.mark.parametrize("lr, epoch", [("100000", 1), ("1000", 22)])
def test_training_diverging_learning_rate_shows_the_message(server, make_page, lr, epoch):
    w, page = open_page(make_page, server, f"training?data=overlap&lr={lr}")
    assert page.locator(EXC).count() == 0
    err = page.locator('[data-testid="stAlertContentError"]')
    assert err.count() == 1 and f"at epoch {epoch}: lower the learning rate" in err.inner_text()
    screenshot(page, f"training-diverged-lr{lr}")
    assert w.external() == []


def test_training_inspector_changes_the_sample(server, make_page):
    # the inspector is the Update step's (no chart)
    _, page = open_page(make_page, server, f"training?step={step_number('training', 'update')}", charts=0)
    box = page.get_by_label(re.compile(r"^Sample \(1 … \d+\)$"))
    box.fill("120")
    box.press("Enter")
    wait_idle(page)
    page.wait_for_timeout(500)
    wait_idle(page)
    assert "s=120" in page.url and page.locator(EXC).count() == 0
    assert "class 3" in page.locator('[data-testid="stMarkdown"]').filter(has_text="Sample 120").inner_text()
