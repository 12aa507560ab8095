"""The animations from the keyboard (#13 item 4) and slide export (#14), in a real Chromium.

(Every page on every screen: test_screens_layout.py.)

- Keyboard only: on every animated chart, Tab reaches Play, Enter plays, Tab + Enter pauses (the frame then holds),
  and the scrub slider moves with the arrow keys; focus is drawn.
- A dark screen exports a white slide, PNG and SVG, without the animation controls; "transparent" exports no paper.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from browser_util import Lease, visit_home_once, wait_idle
from screens import LAPTOP, PHONE, Console, page_url

from pages._ui import PAGES

ROOT = Path(__file__).resolve().parents[2]


def open_page(context_pool, server: str, screen, theme: str, slug: str, query: str = ""):
    """A page of ``screen`` in ``theme`` from the run's context pool (conftest.py), loaded at ``slug``: returned with
    its lease (``close()`` gives the page back) and its console."""
    page = context_pool.screen_page(screen, theme)
    page.set_default_timeout(90_000)
    console = Console(page)
    visit_home_once(server, lambda url: (page.goto(url), wait_idle(page)))
    page.goto(page_url(server, slug, query))
    wait_idle(page)
    page.wait_for_timeout(600)  # the charts' last relayout (fonts, autosize) after the script finished
    return Lease(context_pool, page), page, console


# ---- keyboard ------------------------------------------------------------------------------------------------

ANIMATED = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map((gd, k) => [k,
    (gd._transitionData && gd._transitionData._frames || []).length]).filter(([k, f]) => f > 1).map(([k]) => k)"""
SHOWN = """k => { const gd = document.querySelectorAll('.js-plotly-plot')[k];
    return JSON.stringify([gd.data.map(t => [t.y, t.z, t.text, t.x]), gd.layout.title, gd.layout.annotations]); }"""
FOCUSED = """k => { const gd = document.querySelectorAll('.js-plotly-plot')[k]; const a = document.activeElement;
    if (!gd.contains(a)) return null;
    const label = a.getAttribute('aria-label') || '';
    const rect = a.tagName === 'rect' ? a : a.querySelector('rect');
    return {role: a.getAttribute('role'), label, stroke: rect ? getComputedStyle(rect).strokeWidth : null}; }"""


def tab_to(page, k: int, role: str, label: str = "", limit: int = 600, key: str = "Tab") -> dict:
    """Press Tab (only the keyboard; or Shift+Tab) until chart ``k``'s control with ``role`` (and label) has focus."""
    for _ in range(limit):
        page.keyboard.press(key)
        got = page.evaluate(FOCUSED, k)
        if got and got["role"] == role and label in got["label"]:
            return got
    raise AssertionError(f"Tab never reached the {role} {label!r} of chart {k}")


def settled(page, k: int, ms: int = 700) -> str:
    page.wait_for_timeout(ms)
    return page.evaluate(SHOWN, k)


ANIMATED_PAGES = [p for p in PAGES if p.slug in ("softmax", "dependencies", "jacobian", "chain_rule", "training")]


@pytest.mark.parametrize("info", ANIMATED_PAGES, ids=[p.slug for p in ANIMATED_PAGES])
def test_animations_play_pause_and_scrub_from_the_keyboard(server, context_pool, info):
    ctx, page, console = open_page(context_pool, server, LAPTOP, "light", info.slug)
    try:
        charts = page.evaluate(ANIMATED)
        assert charts, f"{info.slug}: no animated chart found"
        for k in charts:
            play = tab_to(page, k, "button", "Play")
            assert play["stroke"] == "3px", "the focused button is drawn with a visible ring"
            before = page.evaluate(SHOWN, k)
            page.keyboard.press("Enter")
            playing = settled(page, k, 900)
            assert playing != before, f"{info.slug} chart {k}: Enter on Play did not animate"
            tab_to(page, k, "button", "Pause", limit=3)
            page.keyboard.press("Enter")
            paused = settled(page, k, 400)
            assert settled(page, k, 900) == paused, f"{info.slug} chart {k}: Pause did not hold the frame"
            try:  # plotly draws the slider before or after the buttons: it is one Tab away either way
                slider = tab_to(page, k, "slider", limit=2)
            except AssertionError:
                slider = tab_to(page, k, "slider", limit=8, key="Shift+Tab")
            assert slider["stroke"] == "3px"
            page.keyboard.press("Home")
            first = settled(page, k, 600)
            page.keyboard.press("ArrowRight")
            page.keyboard.press("ArrowRight")
            assert settled(page, k, 600) != first, f"{info.slug} chart {k}: the arrows did not scrub"
            page.keyboard.press("End")
            assert settled(page, k, 600) != first
        assert console.ours() == [], console.ours()  # no rejected promise from an interrupted animation
    finally:
        ctx.close()


# ---- slide export ------------------------------------------------------------------------------------------------


def export(page, k: int = 0) -> bytes:
    gd = page.locator(".js-plotly-plot").nth(k)
    gd.scroll_into_view_if_needed()
    gd.hover()
    with page.expect_download(timeout=60_000) as dl:
        gd.locator('.modebar-btn[data-title^="Download plot"]').click()
    return Path(dl.value.path()).read_bytes()


@pytest.mark.parametrize("fmt", ["png", "svg"])
def test_a_dark_screen_exports_a_white_still(server, context_pool, fmt):
    from PIL import Image

    ctx, page, console = open_page(context_pool, server, LAPTOP, "dark", "jacobian", f"?fmt={fmt}")
    try:
        k = page.evaluate(ANIMATED)[0]  # the saturation sweep: an animated chart
        data = export(page, k)
        if fmt == "png":
            img = Image.open(io.BytesIO(data)).convert("RGBA")
            w, h = img.size
            for xy in ((2, 2), (w - 3, 2), (2, h - 3), (w - 3, h - 3), (w // 2, h - 3)):
                assert img.getpixel(xy) == (255, 255, 255, 255), (xy, img.getpixel(xy))
            dark_ink = int((np.asarray(img)[:, :, :3] < 80).all(axis=2).sum())
            assert dark_ink > 500, "the text is drawn in dark ink on the white slide"
        else:
            svg = data.decode()
            bg = re.match(r'<svg[^>]*><rect x="0" y="0"[^>]*style="fill: ([^;"]+)', svg)  # plotly's paper, drawn first
            assert bg and bg.group(1).replace(" ", "") in ("rgb(255,255,255)", "#ffffff", "#FFFFFF"), svg[:600]
            assert "Play" not in svg and "Pause" not in svg, "animation controls are not part of the slide"
            assert "0E1117" not in svg.upper() and "14, 17, 23" not in svg, "nothing of the dark paper is left"
        assert console.ours() == [], console.ours()
    finally:
        ctx.close()


def test_transparent_export_has_no_paper(server, context_pool):
    from PIL import Image

    ctx, page, _ = open_page(context_pool, server, LAPTOP, "light", "softmax", "?bg=transparent")
    try:
        img = Image.open(io.BytesIO(export(page, 0))).convert("RGBA")
        assert img.getpixel((2, 2))[3] == 0 and img.getpixel((img.size[0] - 3, img.size[1] - 3))[3] == 0
    finally:
        ctx.close()


def test_phone_class_comes_from_the_browser(server, context_pool):
    """The frame draws phone layouts for a phone (its User-Agent), laptop layouts for a desktop browser."""
    ctx, page, _ = open_page(context_pool, server, PHONE, "light", "jacobian", "?n=10")
    try:
        panels = page.evaluate("() => Array.from(document.querySelectorAll('.js-plotly-plot'))"
                               ".map(gd => gd.layout.xaxis2 && gd.layout.xaxis2.domain)")
        assert [0, 1] in panels, "the misconception's panels are stacked on a phone"
    finally:
        ctx.close()
