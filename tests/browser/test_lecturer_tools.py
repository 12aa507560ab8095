"""The lecturer's tools hold up, in a real Chromium: a theme switch redraws every chart at once and the export works
right after; exports suit a white slide (dark ink on a transparent background, no empty band where an animation's
controls were, a still that names its frame); the keyboard reaches Play in few presses, in a sensible order, with
visible focus, and Play resumes where Pause stopped."""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pytest
from browser_util import Lease, new_context, wait_idle
from screens import LAPTOP, Console, page_url

PAPERS_MATCH_APP = """() => {
  const hex = (c) => { const m = String(c).match(/\\d+/g);
    return m ? '#' + m.slice(0, 3).map(x => (+x).toString(16).padStart(2, '0')).join('').toUpperCase() : c; };
  const app = hex(getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor);
  const charts = [...document.querySelectorAll('.js-plotly-plot')];
  return {app, papers: charts.map(gd => String(gd._fullLayout.paper_bgcolor).toUpperCase()),
          inks: charts.map(gd => String(gd._fullLayout.font.color).toUpperCase())};
}"""
INK = {"#FFFFFF": "#262730", "#0E1117": "#FAFAFA"}  # figures/palette.py: each theme's paper and text colour


def open_page(pool, server: str, theme: str, slug: str, query: str = "", reduced_motion: str = "reduce"):
    """A laptop page in ``theme`` from the run's context pool (conftest.py), loaded at ``slug``: returned with its lease
    (``close()`` gives the page back and clears what it stored, a theme picked in the menu included) and its console."""
    def make():
        ctx = new_context(pool.browser, theme, LAPTOP.width, LAPTOP.height, reduced_motion)
        ctx.set_default_timeout(90_000)
        return ctx

    page = pool.context(("lecturer", theme, reduced_motion), make).new_page()
    console = Console(page)
    page.goto(page_url(server, slug, query))
    wait_idle(page, 180_000)  # a shared 2-core machine under load
    page.wait_for_timeout(600)  # the charts' last relayout (fonts, autosize) after the script finished
    return Lease(pool, page), page, console


def export(page, k: int = 0) -> tuple[bytes, str]:
    gd = page.locator(".js-plotly-plot").nth(k)
    gd.scroll_into_view_if_needed()
    gd.hover()
    with page.expect_download(timeout=60_000) as dl:
        gd.locator('.modebar-btn[data-title^="Download plot"]').click()
    return Path(dl.value.path()).read_bytes(), dl.value.suggested_filename


def charts_in_app_theme(page, paper: str, timeout_ms: int = 1500) -> dict:
    """Wait until the app's background is ``paper``, then (a little: "at once") until every chart's paper is too; the
    state seen last."""
    page.wait_for_function("""p => { const m = getComputedStyle(document.querySelector('[data-testid="stApp"]'))
        .backgroundColor.match(/\\d+/g).slice(0, 3).map(Number);
        return p === (m[0] + m[1] + m[2] < 3 * 128 ? '#0E1117' : '#FFFFFF'); }""", arg=paper, timeout=30_000)
    got = {}
    for _ in range(max(timeout_ms // 100, 1)):
        got = page.evaluate(PAPERS_MATCH_APP)
        if got["papers"] and all(p == got["app"] for p in got["papers"]):
            return got
        page.wait_for_timeout(100)
    return got


def switch_theme(page, how: str, theme: str) -> None:
    if how == "system":  # the app follows the system's setting
        page.emulate_media(color_scheme=theme)
    else:  # Streamlit's ⋮ menu
        page.locator('[data-testid="stMainMenu"]').click()
        page.locator(f'[data-testid="stMainMenuItem-theme-{theme.capitalize()}"]').click()
        page.keyboard.press("Escape")


# ---- 1. a theme switch --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["menu", "system"])
def test_a_theme_switch_redraws_every_chart_at_once_and_the_export_works_after(server, context_pool, how):
    ctx, page, console = open_page(context_pool, server, "light", "jacobian", "?step=0")
    try:
        start = page.evaluate(PAPERS_MATCH_APP)
        assert start["app"] == "#FFFFFF" and set(start["papers"]) == {"#FFFFFF"}, start
        for theme, paper in (("dark", "#0E1117"), ("light", "#FFFFFF"), ("dark", "#0E1117")):
            switch_theme(page, how, theme)
            got = charts_in_app_theme(page, paper)
            assert got["app"] == paper, got
            assert set(got["papers"]) == {paper}, f"{theme}: charts kept the old theme: {got['papers']}"
            assert set(got["inks"]) == {INK[paper]}, f"{theme}: the charts' text is not the theme's ink: {got['inks']}"
        # a slider move after the switch (a rerun) keeps the new theme, and the camera still exports
        page.locator('.st-key-controls [data-testid="stSlider"] input[type="range"][aria-label="Temperature T"]').focus()
        page.keyboard.press("ArrowRight")
        wait_idle(page, 180_000)
        got = charts_in_app_theme(page, "#0E1117", 3000)
        assert set(got["papers"]) == {"#0E1117"}, got
        k = page.evaluate("() => [...document.querySelectorAll('.js-plotly-plot')]"
                          ".findIndex(gd => gd.data.some(t => t.type === 'heatmap'))")
        data, name = export(page, k)
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000, name
        from PIL import Image

        img = Image.open(io.BytesIO(data)).convert("RGB")
        assert img.getpixel((2, 2)) == img.getpixel((img.size[0] - 3, img.size[1] - 3)) == (255, 255, 255), \
            "a white slide from the dark screen"
        assert console.ours() == [], console.ours()  # no TypeError reading 'HEATMAP'
    finally:
        ctx.close()


# ---- 2. exports ---------------------------------------------------------------------------------------------------


def test_a_transparent_export_from_a_dark_screen_has_dark_ink(server, context_pool):
    from PIL import Image

    ctx, page, console = open_page(context_pool, server, "dark", "softmax", "?step=1&bg=transparent")
    try:
        data, _ = export(page, 0)
        img = np.asarray(Image.open(io.BytesIO(data)).convert("RGBA")).astype(float)
        assert img[2, 2, 3] == 0 and img[-3, -3, 3] == 0, "no paper"
        drawn = img[img[:, :, 3] > 200][:, :3]
        grey = drawn[np.ptp(drawn, axis=1) < 12]  # ink (text, axes) is grey; the bars are coloured
        light, dark = int((grey.mean(axis=1) > 200).sum()), int((grey.mean(axis=1) < 80).sum())
        assert dark > 500, "the text is drawn in dark ink"
        assert light < dark / 20, f"white ink left on a transparent export ({light} light against {dark} dark pixels)"
        assert console.ours() == [], console.ours()
    finally:
        ctx.close()


ANIMATED = """() => [...document.querySelectorAll('.js-plotly-plot')].map((gd, k) => [k, (gd.layout.updatemenus || []).length])
    .filter(([k, u]) => u).map(([k]) => k)"""


def blank_rows_at_bottom(img) -> int:
    """How many rows at the bottom of a PNG on white are white all along."""
    rows = (img[:, :, :3] > 250).all(axis=(1, 2))
    n = 0
    for r in rows[::-1]:
        if not r:
            break
        n += 1
    return n


@pytest.mark.parametrize(("slug", "query"), [("softmax", "?step=3"), ("training", "?step=1"), ("jacobian", "?step=4"),
                                             ("dependencies", "?step=1"), ("chain_rule", "?step=1")])
def test_an_exported_animation_keeps_no_band_for_its_controls(server, context_pool, slug, query):
    from PIL import Image

    ctx, page, console = open_page(context_pool, server, "light", slug, query)
    try:
        ks = page.evaluate(ANIMATED)
        assert ks, f"{slug}{query}: no animated chart"
        for k in ks:
            shown = page.evaluate("k => { const fl = document.querySelectorAll('.js-plotly-plot')[k]._fullLayout; "
                                  "return {h: fl.height, plot: fl._size.t + fl._size.h}; }", k)
            data, _ = export(page, k)
            img = np.asarray(Image.open(io.BytesIO(data)).convert("RGB")).astype(int)
            height = img.shape[0] / 3  # PNG at 3×
            assert height < shown["h"] - 40, f"{slug} chart {k}: the still is as tall as the chart with its controls"
            # below the plot only its axis labels (and a legend) remain, then a small margin: no empty band
            assert blank_rows_at_bottom(img) <= 3 * 30, f"{slug} chart {k}: an empty band at the bottom"
        assert console.ours() == [], console.ours()
    finally:
        ctx.close()


def test_an_exported_animation_keeps_its_legend_inside_the_picture(server, context_pool):
    """The still's margins are the drawn chart's: with the margin fixed for the cut band, the legend at the right must
    keep the room it had pushed out on screen (with the unexpanded margin its names were cut at the picture's edge)."""
    from PIL import Image

    ctx, page, console = open_page(context_pool, server, "dark", "softmax", "?step=3&bg=white")
    try:
        img = np.asarray(Image.open(io.BytesIO(export(page, 0)[0])).convert("RGB")).astype(int)
        white = (img[:, :, :3] > 250).all(axis=(0, 2))  # per column: white from top to bottom
        assert white[-3 * 4:].all(), "something is drawn in the picture's last 4 px: the legend's names are cut"
        assert console.ours() == [], console.ours()
    finally:
        ctx.close()


def test_the_temperature_still_names_its_T(server, context_pool):
    ctx, page, console = open_page(context_pool, server, "light", "softmax", "?step=3&fmt=svg")
    try:
        shown = page.evaluate("() => { const sl = document.querySelectorAll('.js-plotly-plot')[0]._fullLayout.sliders[0]; "
                              "return sl.steps[sl.active].label; }")
        svg = export(page, 0)[0].decode()
        texts = re.findall(r"<text[^>]*>(.*?)</text>", svg)
        assert f"S at T = {shown}" in texts, texts
        assert not [t for t in texts if "slider" in t], "the still has no slider to refer to"
        assert console.ours() == [], console.ours()
    finally:
        ctx.close()


# ---- 3. the keyboard ----------------------------------------------------------------------------------------------

ACTIVE = """() => { const a = document.activeElement; const gd = a.closest && a.closest('.js-plotly-plot');
  const charts = [...document.querySelectorAll('.js-plotly-plot')];
  return {chart: gd ? charts.indexOf(gd) : -1, role: a.getAttribute('role'),
          label: a.getAttribute('aria-label') || a.getAttribute('data-title') || ''}; }"""


def stop_name(stop: dict) -> str:
    if stop["role"] == "slider":
        return "slider"
    if stop["label"].startswith(("Play", "Pause")):
        return stop["label"].split()[0]
    if stop["label"].startswith("Download plot"):
        return "toolbar"
    return stop["label"]


def test_the_keyboard_reaches_play_soon_in_order_with_focus_shown_and_play_resumes(server, context_pool):
    from PIL import Image, ImageChops

    ctx, page, console = open_page(context_pool, server, "light", "softmax", "?step=0", reduced_motion="no-preference")
    try:
        ks = page.evaluate(ANIMATED)
        assert ks
        target = ks[0]
        page.locator('[data-testid="stMain"]').focus()
        stops: dict[int, list[str]] = {}
        presses = 0
        for presses in range(1, 400):  # noqa: B007
            page.keyboard.press("Tab")
            got = page.evaluate(ACTIVE)
            if got["chart"] >= 0:
                stops.setdefault(got["chart"], []).append(stop_name(got))
            if got["chart"] == target and stop_name(got) == "slider" and stops[target][-2:] == ["Pause", "slider"]:
                break
        assert stops.get(target, [])[:3] == ["Play", "Pause", "slider"], stops.get(target)
        for k, seen in stops.items():
            if k != target:  # a chart before the animation: its toolbar is one stop, its buttons arrows away
                assert seen.count("toolbar") == 1 and len(seen) <= 4, (k, seen)
        charts_before = len([k for k in stops if k != target])
        assert presses <= 40 + charts_before, f"{presses} Tab presses to the animation's slider"

        # the slider's focus is drawn: the picture of the slider with the focus differs from one without
        box = page.evaluate("k => { const r = document.querySelectorAll('.js-plotly-plot')[k].querySelector('.slider-container')"
                            ".getBoundingClientRect(); return {x: r.x, y: r.y, width: r.width, height: r.height}; }", target)
        focused = Image.open(io.BytesIO(page.screenshot(clip=box))).convert("RGB")
        page.keyboard.press("Shift+Tab")  # back to Pause
        assert stop_name(page.evaluate(ACTIVE)) == "Pause"
        unfocused = Image.open(io.BytesIO(page.screenshot(clip=box))).convert("RGB")
        diff = np.asarray(ImageChops.difference(focused, unfocused)).max(axis=2)
        assert int((diff > 60).sum()) > 200, "the focused frame slider shows no ring"
        page.keyboard.press("Tab")
        assert stop_name(page.evaluate(ACTIVE)) == "slider"
        page.keyboard.press("Tab")
        after = page.evaluate(ACTIVE)
        assert after["chart"] == target and stop_name(after) == "toolbar", after
        page.keyboard.press("ArrowRight")
        assert page.evaluate(ACTIVE)["label"] != after["label"], "arrows move along the toolbar"
        page.keyboard.press("Shift+Tab")
        assert stop_name(page.evaluate(ACTIVE)) == "slider"

        # Play after Pause (and after a scrub) goes on from the frame shown
        page.evaluate("k => { const gd = document.querySelectorAll('.js-plotly-plot')[k]; window.__played = [];"
                      "gd.on('plotly_animatingframe', e => window.__played.push(e.name)); }", target)
        names = page.evaluate("k => document.querySelectorAll('.js-plotly-plot')[k]._transitionData._frames.map(f => f.name)",
                              target)
        page.keyboard.press("Home")
        for _ in range(3):
            page.keyboard.press("ArrowRight")
        page.wait_for_timeout(300)
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Shift+Tab")
        assert stop_name(page.evaluate(ACTIVE)) == "Play"
        page.evaluate("() => { window.__played = []; }")
        page.keyboard.press("Enter")
        page.wait_for_timeout(800)
        played = page.evaluate("() => window.__played")
        assert played and played[0] == names[4], f"Play after a scrub to frame 3 began at {played[:3]}"
        page.keyboard.press("Tab")
        assert stop_name(page.evaluate(ACTIVE)) == "Pause"
        page.keyboard.press("Enter")
        page.wait_for_timeout(400)
        held = page.evaluate("k => { const sl = document.querySelectorAll('.js-plotly-plot')[k]._fullLayout.sliders[0]; "
                             "return sl.active; }", target)
        assert 0 < held < len(names) - 1
        # plotly's own "fromcurrent" forgets the paused frame on a redraw of the chart: Play must not start over
        page.evaluate("k => { const gd = document.querySelectorAll('.js-plotly-plot')[k]; gd._fullLayout._currentFrame = null; }",
                      target)
        page.evaluate("() => { window.__played = []; }")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Enter")
        page.wait_for_timeout(500)
        played = page.evaluate("() => window.__played")
        assert played and played[0] == names[held + 1], f"Play after Pause at frame {held} began at {played[:3]}"
        page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        assert console.ours() == [], console.ours()
    finally:
        ctx.close()
