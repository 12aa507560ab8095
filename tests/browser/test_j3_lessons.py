"""Issue #17's lessons in a real Chromium: the Jacobian's covariance reading, Attention (and the pages added with
it): no exception and no external request at the settings that break prose, one keyboard interaction each that
changes the URL and a figure."""

from __future__ import annotations

import pytest
from browser_util import open_via_home, screenshot, wait_idle
from test_classroom import SLIDER, changed_url

from pages._ui.registry import PAGES

PLOTS = ".js-plotly-plot"


def clean(w) -> None:
    page = w.page
    assert page.locator('[data-testid="stException"]').count() == 0
    assert w.external() == [], f"external requests: {w.external()}"


def figure_data(page) -> list[str]:
    return page.evaluate("() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
                         ".map(gd => JSON.stringify(gd.data.map(t => [t.x, t.y, t.z])))")


def press_right(w, label: str) -> None:
    """Focus the slider (or select_slider) called ``label`` and press ArrowRight once; wait for the new URL."""
    page = w.page
    thumb = page.locator(f'{SLIDER}[aria-label="{label}"]').first
    if thumb.count() == 0:
        thumb = page.get_by_role("slider", name=label).first
    old = page.url
    thumb.focus()
    page.keyboard.press("ArrowRight")
    changed_url(page, old)


ATTENTION = {"default": "", "d1": "?d=1", "d1024-n10": "?d=1024&n=10", "bad": "?d=100&aseed=-3"}


@pytest.mark.parametrize("case", list(ATTENTION))
def test_attention_renders(server, make_page, case):
    w = open_via_home(make_page, server, "attention", ATTENTION[case])
    w.page.wait_for_function(f"document.querySelectorAll('{PLOTS}').length >= 3", timeout=60_000)
    clean(w)


AT_SCALE = {"default": "", "big": "?vocab=1000000&bm=8&D=10&m=200", "small": "?vocab=2&bm=1&data=spirals"}


@pytest.mark.parametrize("case", list(AT_SCALE))
def test_at_scale_renders(server, make_page, case):
    w = open_via_home(make_page, server, "at_scale", AT_SCALE[case])
    w.page.wait_for_function(f"document.querySelectorAll('{PLOTS}').length >= 2", timeout=60_000)
    assert w.page.locator(".katex").count() >= 2  # the shape strip
    clean(w)


# One keyboard move per new control, in the step that holds it: (page, link, charts in that step, slider label, the URL
# after the move, the step: its title is the heading it shows)
MOVES = {
    "attention-d": ("attention", "?d=64", 3, "Dimension d (powers of 2)", "d=128", None),
    "jacobian-mc": ("jacobian", "?z=2,1,0.1&mc=1000&step=2", 2, "Samples N (log steps)", "mc=3000", 2),
    "at_scale-bm": ("at_scale", "?bm=4", 2, "Samples m in the picture", "bm=5", None),
    "softmax-gdraws": ("softmax", "?z=1,1,0&T=0.5&gdraws=100&step=4", 1, "Draws (log steps)", "gdraws=300", 4),
}


@pytest.mark.parametrize("case", list(MOVES))
def test_a_new_control_changes_its_figures(server, make_page, case):
    slug, link, charts, label, after, step = MOVES[case]
    w = open_via_home(make_page, server, slug, link)
    page = w.page
    page.wait_for_function(f"document.querySelectorAll('{PLOTS}').length >= {charts}", timeout=60_000)
    wait_idle(page)
    before = figure_data(page)
    assert len(before) == charts, f"{len(before)} charts on screen, {charts} expected"
    press_right(w, label)
    page.wait_for_function(f"location.search.includes('{after}')", timeout=30_000)
    wait_idle(page)
    assert figure_data(page) != before
    if step:
        title = next(p for p in PAGES if p.slug == slug).steps[step - 1].title
        assert page.get_by_role("heading", name=title).count() == 1
    clean(w)


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screens(server, make_page, theme):
    w = make_page(theme, width=390, height=844)
    w.goto(f"{server}/attention?d=256&n=10")
    clean(w)
    screenshot(w.page, f"attention-phone-{theme}")
