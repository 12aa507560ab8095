"""The classroom in a real browser: a copied link restores the same figures, navigation keeps the example,
lecturer locks, presentation mode, keyboard-only use, and the guided tour. One server for the session.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from apptest_util import lockable
from browser_util import assert_page_renders, screenshot, wait_idle

from pages._ui import PAGES

ROOT = Path(__file__).resolve().parents[2]

PRESENT = PAGES
IDS = [p.slug for p in PRESENT]
SLIDER = '[data-testid="stSlider"] input[type="range"]'  # react-aria: a visually hidden range input per thumb

# Every plotly figure's data and every rendered formula: what a student sees, as comparable text.
VIEW_JS = """() => {
  const strip = (k, v) => (k === 'uid' ? undefined : v);
  const figs = Array.from(document.querySelectorAll('.js-plotly-plot')).map(
      gd => JSON.stringify({data: gd.data, title: gd.layout && gd.layout.title}, strip));
  const tex = Array.from(document.querySelectorAll('.katex-mathml annotation')).map(a => a.textContent);
  return {figs, tex};
}"""


def url_of(server: str, info) -> str:
    return f"{server}/{'' if info.slug == 'home' else info.slug}"


def view(page) -> dict:
    return page.evaluate(VIEW_JS)


def settle(page, until, timeout_ms: int = 30_000) -> dict:
    """Poll the view until ``until(view)`` holds (plotly draws after the script ends; reruns start late)."""
    waited, v = 0, view(page)
    while not until(v) and waited < timeout_ms:
        page.wait_for_timeout(250)
        waited += 250
        wait_idle(page)
        v = view(page)
    return v


def query(page) -> dict[str, str]:
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def changed_url(page, old: str, timeout_ms: int = 90_000) -> None:
    """Wait for the rerun a widget change started to finish: the frame writes the URL last (ui.end)."""
    page.wait_for_function("old => location.href !== old", arg=old, timeout=timeout_ms)
    wait_idle(page)


def nudge(page) -> str | None:
    """Move the page's control sliders with the keyboard, one step each, until the view changes. Returns the slider's label.

    n is skipped (it changes the controls themselves). Keyboard only: focus the thumb, press ArrowRight once.
    """
    before = settle(page, lambda v: len(v["figs"]) == page.locator(".js-plotly-plot").count())
    thumbs = page.locator(f'.st-key-controls {SLIDER}')
    for k in range(thumbs.count()):
        thumb = thumbs.nth(k)
        label = thumb.get_attribute("aria-label") or ""
        # n by its key: a step's narrow control column labels it "Outputs n", not "Number of outputs"
        if thumb.evaluate("e => !!e.closest('.st-key-w_n')") or thumb.is_disabled():
            continue
        old = page.url
        thumb.focus()
        page.keyboard.press("ArrowRight")
        changed_url(page, old)
        # the rerun has ended and every chart is drawn (changed_url waits for both): a view this slider changes has
        # changed by now, give or take a late relayout or transition (2.5 s was once too short for Dependencies under a
        # full run's load). Waiting 10 s cost Derivation and The layer, whose first sliders change no figure of step 1,
        # 26 s a test against 3 for the other pages.
        if settle(page, lambda v: v != before, 5_000) != before:
            return label
    return None


def copied_link(page) -> str:
    """The page's "copy link to this view", once it shows the address bar's query (both come from one run)."""
    link = ""
    for _ in range(120):
        codes = page.locator('[data-testid="stMain"] .st-key-linkbox .linkbox code')
        for k in range(codes.count()):
            link = codes.nth(k).inner_text().replace("\n", "")
            if link.startswith("http") and parse_qs(urlparse(link).query) == parse_qs(urlparse(page.url).query):
                return link
        page.wait_for_timeout(250)
    raise AssertionError(f"the copy-link box ({link}) never matched the address bar ({page.url})")


@pytest.mark.parametrize("info", PRESENT, ids=IDS)
def test_page_renders_then_an_interaction_changes_the_view_and_the_copied_link_restores_it(server, make_page, info):
    w = make_page("light")
    # as a student's link opens it: a lesson's first step (the whole-lesson view of every page is drawn and checked in
    # test_screens_layout.py)
    w.goto(url_of(server, info), whole=False)
    assert_page_renders(w, info, "light")  # read first, on this load (it was test_pages.py's own load of every page)
    page = w.page
    moved = nudge(page)
    assert moved is not None, "no control slider changed a figure or formula"
    assert page.locator('[data-testid="stException"]').count() == 0
    link = copied_link(page)
    assert link.startswith(server)
    shown = settle(page, lambda v: len(v["figs"]) == page.locator(".js-plotly-plot").count())

    # another browser context (a pooled one: its renderer is warm): no cookies, storage or session, only the link. Home's
    # opens in a context of its own, so that one copied link is also followed by a first visit with an empty cache.
    fresh = make_page("light", fresh=info.slug == "home", apart=True)
    fresh.goto(link, whole=False)
    assert fresh.page.locator('[data-testid="stAlertContentWarning"]').count() == 0
    restored = settle(fresh.page, lambda v: v == shown, 60_000)
    assert restored == shown, f"the link {link} did not restore the view after moving {moved}"
    assert w.external() == [] and fresh.external() == []


def test_navigation_keeps_the_shared_logits(server, make_page):
    if len(PRESENT) < 2:
        pytest.skip("only one page exists")
    w = make_page()
    w.goto(url_of(server, PRESENT[0]))
    page = w.page
    box = page.locator('.st-key-controls [data-testid="stTextInput"] input').first
    box.fill("3, -1, 0.5, 2")
    old = page.url
    box.press("Enter")
    changed_url(page, old)
    target = PRESENT[1]
    page.locator('[data-testid="stSidebarNav"] a').filter(has_text=target.title).first.click()
    page.wait_for_url(f"**/{target.slug}**")
    wait_idle(page)
    q = query(page)
    assert q.get("z") == "3,-1,0.5,2" and q.get("n") == "4", page.url
    assert page.locator(f".st-key-w_z3 {SLIDER}").input_value() == "2"


def test_next_link_walks_the_tour_with_the_same_example(server, make_page):
    if len(PRESENT) < 2:
        pytest.skip("only one page exists")
    w = make_page()
    w.goto(f"{url_of(server, PRESENT[0])}?z=1,2,3&T=2")
    page = w.page
    page.get_by_role("link", name=f"Next: {PRESENT[1].title}").click()
    page.wait_for_url(f"**/{PRESENT[1].slug}**")
    wait_idle(page)
    q = query(page)
    assert q["z"] == "1,2,3" and q["T"] == "2"
    landing = PRESENT[1]
    if landing.steps:  # a lesson opens at its first step, which shows its own title and what to notice
        assert q.get("step", "1") == "1", page.url
        assert page.get_by_role("heading", name=landing.steps[0].title).count() == 1
    notice = landing.steps[0].notice if landing.steps else landing.notice
    assert page.get_by_text(notice).count() >= 1


def test_keyboard_alone_moves_a_slider(server, make_page):
    w = make_page()
    w.goto(f"{server}/?z=2,1,0.1")
    page = w.page
    for _ in range(60):  # Tab through the page until a slider thumb has the focus
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement && document.activeElement.type") == "range":
            if page.evaluate("() => document.activeElement.getAttribute('aria-label')").startswith("z"):
                break
    else:
        pytest.fail("Tab never reached a z slider")
    before, old = query(page)["z"], page.url
    page.keyboard.press("ArrowRight")
    changed_url(page, old)
    assert query(page)["z"] != before


def test_lecturer_lock_disables_controls_and_says_so(server, make_page):
    w = make_page()
    w.goto(f"{server}/?lock=z,T")
    page = w.page
    assert page.get_by_text("Some controls are locked by your lecturer").count() == 1
    assert page.locator(f".st-key-w_z0 {SLIDER}").is_disabled() and page.locator(f".st-key-w_T {SLIDER}").is_disabled()
    assert page.locator(f".st-key-w_n {SLIDER}").is_disabled()  # z's length is n: locking z locks n
    assert page.locator('[class*="st-key-w_ztext"] input').is_disabled()


@pytest.mark.parametrize("size", [(1920, 1080), (1280, 720)], ids=["1080p", "720p"])
def test_present_hides_the_sidebar_and_exits(server, make_page, size):
    w = make_page("light", *size)
    slug = PRESENT[min(1, len(PRESENT) - 1)].slug
    w.goto(f"{server}/{'' if slug == 'home' else slug}?present=1")
    page = w.page
    assert not page.locator('[data-testid="stSidebar"]').is_visible()
    assert not page.locator('header[data-testid="stHeader"]').is_visible()
    screenshot(page, f"present-{slug}-{size[0]}x{size[1]}")
    # nothing is wider than the 16:9 screen: no horizontal scrolling on a projector
    assert page.evaluate("() => document.documentElement.scrollWidth") <= size[0]
    exit_button = page.get_by_role("button", name="Exit presentation")
    assert exit_button.is_visible()
    exit_button.click()
    wait_idle(page)
    assert page.locator('[data-testid="stSidebar"]').is_visible() and "present" not in query(page)


def test_reduced_motion_turns_transitions_off(server, make_page):
    w = make_page(reduced_motion="reduce")
    w.goto(f"{server}/")
    assert w.page.evaluate("() => matchMedia('(prefers-reduced-motion: reduce)').matches")
    # the frame's CSS (injected by the script run) zeroes every transition under the media query
    w.page.wait_for_function(
        "() => getComputedStyle(document.querySelector('[data-testid=\"stSidebar\"]')).transitionDuration"
        ".split(',').every(d => parseFloat(d) === 0)", timeout=30_000)


def test_modebar_downloads_a_3x_png_and_an_svg_with_a_descriptive_name(server, browser, tmp_path):
    """The camera button saves a slide-ready file: PNG at 3x the on-screen size, or SVG after fmt switches."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, accept_downloads=True)
    ctx.set_default_timeout(90_000)
    try:
        page = ctx.new_page()
        page.goto(f"{server}/softmax?z=3,1,0.5" if any(p.slug == "softmax" for p in PRESENT) else f"{server}/?z=3,1,0.5")
        wait_idle(page)
        for fmt in ("png", "svg"):
            page.wait_for_selector(".js-plotly-plot .main-svg")
            gd = page.locator(".js-plotly-plot").first
            gd.hover()
            with page.expect_download() as info:
                gd.locator('.modebar-btn[data-title^="Download plot"]').click()
            download = info.value
            name = download.suggested_filename
            assert name.startswith("softmax-explorer_") and "z3_1_0.5" in name and name.endswith(f".{fmt}"), name
            path = tmp_path / name
            download.save_as(path)
            if fmt == "png":
                # the chart's size on screen may be fractional (a step's column): the still is 3× it in whole pixels
                size = gd.evaluate("g => [g._fullLayout.width, g._fullLayout.height].map(Math.round)")
                assert list(struct.unpack(">II", path.read_bytes()[16:24])) == [3 * v for v in size]
                old = page.url
                page.locator(".st-key-w_fmt").get_by_text("SVG").click()  # the sidebar's "Slide export" switch
                changed_url(page, old)
                assert query(page)["fmt"] == "svg"
            else:
                svg = path.read_text()
                assert svg.lstrip().startswith("<svg")
                root = re.match(r"\s*<svg[^>]*>", svg).group(0)
                shown = gd.evaluate("g => [g._fullLayout.width, g._fullLayout.height].map(Math.round)")
                assert [re.search(rf'\s{a}="([^"]+)"', root).group(1) for a in ("width", "height")] == [str(v) for v in shown]
    finally:
        ctx.close()


def test_slider_thumbs_are_24px_touch_targets_on_a_phone(server, make_page):
    """WCAG 2.2 target size: every slider thumb takes a touch within 12 px of its centre (a 24×24 px target)."""
    w = make_page("light", 390, 844)
    # A 390-px window with no cookie yet reloads itself once to be drawn narrow (client.js fitWidth). That reload landed
    # under this test's evaluate (no slider; a destroyed context) and, with a second goto, aborted it (ERR_ABORTED):
    # three fresh-clone runs failed so. With the cookie that reload sets already there, the page is drawn narrow at
    # once and never reloads.
    w.page.context.add_cookies([{"name": "sde_narrow", "value": "1", "url": server}])
    w.goto(f"{server}/softmax")
    assert w.page.evaluate("() => performance.getEntriesByType('navigation')[0].type") == "navigate", "it reloaded"
    hits = w.page.evaluate("""() => [...document.querySelectorAll('[data-testid="stSlider"] input[type=range]')].map(i => {
        const t = i.parentElement.parentElement;
        t.scrollIntoView({block: 'center'});
        const r = t.getBoundingClientRect(), b = getComputedStyle(t, '::before');
        const x = r.left + r.width / 2, y = r.top + r.height / 2;
        return [parseFloat(b.width), parseFloat(b.height), [[11, 0], [-11, 0], [0, 11], [0, -11]].every(
            ([dx, dy]) => { const e = document.elementFromPoint(x + dx, y + dy); return e === t || t.contains(e); })];
    })""")
    assert hits and all(wd >= 24 and ht >= 24 and ok for wd, ht, ok in hits), hits


def test_a_step_whose_controls_are_all_hidden_shows_no_empty_box(server, make_page):
    """Training's step 1 opens columns in its controls block before it learns every control is hidden: the block holds
    no control, and the page's CSS must not draw its border (tests/test_locks_kinds.py finds it empty)."""
    every = lockable(next(p for p in PAGES if p.slug == "training"))
    w = make_page("light")
    w.goto(f"{server}/training?step=1&hide={','.join(every)}")
    wait_idle(w.page)
    boxes = w.page.locator(".st-key-controls")
    assert boxes.count() >= 1, "the step drew no controls block at all: this test no longer tests the empty one"
    assert all(not b.is_visible() for b in boxes.all()), "an empty controls box is drawn"
    w.goto(f"{server}/training?step=1&hide=wscale")  # a box with controls left in it is drawn
    wait_idle(w.page)
    assert w.page.locator(".st-key-controls").first.is_visible()
