"""The app's chart element (pages/_ui/chart.py, chart.js) in a real browser: a move redraws the chart in the same
``div`` (Plotly.react, not a new element drawn from scratch), without a new config (plotly draws from scratch on a
changed config, and the export's file name changes with the parameters on almost every move), while the camera
button's file name still follows the move; the chart takes its box's width, the screen in full screen, and its own
size again after it."""

from __future__ import annotations

from browser_util import open_via_home, wait_idle

CHART = """() => { const gd = document.querySelector('.sdx-chart .js-plotly-plot'); const box = gd.closest('.sdx-chart');
  return {tag: gd.__tag || null, file: gd._context.toImageButtonOptions.filename, boxW: box.clientWidth,
          w: gd._fullLayout.width, h: gd._fullLayout.height, charts: document.querySelectorAll('.sdx-chart').length}; }"""

# Count every config plotly is given after the first draw: Plotly.react with a config is the path that redraws from
# scratch when it differs (the element passes a config only when something other than the file name changed).
SPY = """() => { const P = window.Plotly; window.__configs = 0; const react = P.react;
  P.react = function (gd, fig, ...rest) { if ((fig && fig.config) || rest.length > 1) window.__configs++;
    return react.call(this, gd, fig, ...rest); }; }"""


def test_a_move_redraws_the_same_chart_and_its_export_name_follows(server, make_page):
    w = open_via_home(make_page, server, "softmax", "?step=3", whole=False)
    page = w.page
    page.wait_for_selector(".sdx-chart .main-svg", timeout=60_000)
    before = page.evaluate(CHART)
    assert before["file"].endswith("_T1") and before["charts"] == 1, before
    assert before["w"] == before["boxW"], before
    page.evaluate("() => { document.querySelector('.sdx-chart .js-plotly-plot').__tag = 'kept'; }")
    page.evaluate(SPY)
    page.locator('.st-key-controls input[type="range"][aria-label="Temperature T"]').focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => new URLSearchParams(location.search).get('T') === '1.1'", timeout=60_000)
    wait_idle(page)
    page.wait_for_function("() => document.querySelector('.sdx-chart .js-plotly-plot')"
                           "._context.toImageButtonOptions.filename.endsWith('_T1.1')", timeout=30_000)
    after = page.evaluate(CHART)
    assert after["tag"] == "kept", "the chart was drawn in a new element"
    assert page.evaluate("() => window.__configs") == 0, "a move passed plotly a new config (a redraw from scratch)"
    assert (after["w"], after["h"]) == (before["w"], before["h"]) and after["charts"] == 1, (before, after)


def test_full_screen_takes_the_screen_and_gives_it_back(server, make_page):
    w = open_via_home(make_page, server, "jacobian", "?step=1", whole=False)
    page = w.page
    page.wait_for_selector(".sdx-chart .main-svg", timeout=60_000)
    before = page.evaluate(CHART)
    page.locator(".sdx-chart").first.hover()
    page.locator(".sdx-chart-full").first.click()
    page.wait_for_function("() => document.fullscreenElement && document.fullscreenElement.matches('.sdx-chart')")
    vw, vh = page.evaluate("() => [window.innerWidth, window.innerHeight]")
    page.wait_for_function("h => document.querySelector('.sdx-chart .js-plotly-plot')._fullLayout.height === h",
                           arg=vh - 16, timeout=10_000)
    full = page.evaluate(CHART)
    assert full["w"] == vw - 16, (full, vw)  # the box's padding: 0.5rem a side
    assert page.locator(".sdx-chart-full").first.get_attribute("aria-label") == "Exit full screen"
    page.evaluate("() => document.exitFullscreen()")
    page.wait_for_function("h => document.querySelector('.sdx-chart .js-plotly-plot')._fullLayout.height === h",
                           arg=before["h"], timeout=10_000)
    back = page.evaluate(CHART)
    assert (back["w"], back["h"]) == (before["w"], before["h"]), (before, back)
    assert page.locator(".sdx-chart-full").first.get_attribute("aria-label") == "Full screen"
