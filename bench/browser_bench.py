"""Browser: navigation to an interactive page, and a slider change to the updated chart, per page, in Chromium.

Debian's Chromium (/usr/bin/chromium, never a downloaded browser) driven by Playwright against a real
``streamlit run app.py`` (the project config) started here, plus, in the same run, the baseline app and the chart
floor (the baseline with one plotly chart: bench/baseline_chart_app.py).

- **navigate**: ``page.goto(url)`` until the page holds its last element, Streamlit's script is not running, no element
  waits for its code (a skeleton) and every plotly chart on the page has drawn. ``fresh`` = a new browser context
  (empty cache, new session); ``again`` = the same context navigating again (static assets cached).
- **slider**: focus the z₁ slider (or the page's first slider), press ArrowRight (ArrowLeft on a slider at its
  maximum: one step; on a step with no slider, At scale 3, click its first number box's "+"), and time until the
  charts last redrew after the rerun's answer came (read from the websocket), or, on a page with no chart, until the
  main area last changed. A negative value means the answer came but no
  chart redrew (its magnitude is the rerun).

    python -m bench.browser_bench              # every page, each lesson step and the whole lesson; --repeats 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.loadsim import format_table, load_average
from bench.per_page import page_paths, targets
from deploy.server import CHARTS_DRAWN_JS, streamlit_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
APP_DONE = ".st-key-linkbox"  # the link box: every page draws it after its step (only the lecturer tools follow)
SLIDER = '[data-testid="stSlider"]'  # the baseline apps' last element

# Installs, once per document: window.__draws (DOM mutations inside plotly charts, and when: __lastDraw) and
# window.__lastChange (the last DOM mutation in the main area), both of what is drawn only. Streamlit replaces a
# chart's div on every rerun that changes its figure, so chart mutations are observed from the body, not per div.
HOOK = """() => {
  if (!window.__hooked) {
    window.__draws = 0; window.__lastDraw = 0; window.__lastChange = 0;
    const inside = (m, sel) => { const el = m.target.nodeType === 1 ? m.target : m.target.parentElement;
                                 return el && el.closest && el.closest(sel); };
    // what a screen reader reads, not what is drawn: the toolbar's role and Tab stops (client.js sets them after a
    // chart is drawn, read as a redraw about 100 ms after Dependencies 3's chart had drawn), and the data grid's text
    // mirror of its canvas, a table inside the canvas element (never drawn: a canvas' children are its fallback),
    // written 200 ms after the canvas (Chain rule 2: the canvas changed at 141-162 ms, the mirror at 340-359 ms)
    const unseen = m => (m.type === 'attributes' && /^(role|tabindex|aria-)/.test(m.attributeName))
                        || inside(m, 'canvas');
    new MutationObserver(muts => {
      muts = muts.filter(m => !unseen(m));
      if (muts.some(m => inside(m, '.js-plotly-plot'))) { window.__draws++; window.__lastDraw = performance.now(); }
      if (muts.some(m => inside(m, '[data-testid="stMain"]'))) window.__lastChange = performance.now();
    }).observe(document.body, {subtree: true, childList: true, attributes: true, characterData: true});
    window.__hooked = true;
  }
  return document.querySelectorAll('.js-plotly-plot').length;
}"""


# Installed before a document's own scripts (a context's init script): window.__answers counts the messages the app's
# websocket received, and window.__lastAnswer says when the last one came
WS_HOOK = """(() => {
  const Native = window.WebSocket;
  window.__answers = 0; window.__lastAnswer = 0;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', () => { window.__answers++; window.__lastAnswer = performance.now(); });
    }
  };
})();"""


def wait_interactive(page, done: str = APP_DONE, timeout_ms: float = 60_000) -> None:
    # first the app's last element (``done``): before the websocket's first run the app already reads "notRunning" and
    # holds nothing, and a page's first element arrives long before its last, so a load was timed before the page was
    # drawn, and a press could land on a page with no slider yet (a move that "started no rerun"). Waiting for any
    # element in the main area was not enough: Softmax 6, whose step draws no chart, read 0 moves of 3 (round 18)
    page.wait_for_selector(done, state="attached", timeout=timeout_ms)
    page.wait_for_selector(IDLE, timeout=timeout_ms)
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout_ms)  # and no element waits for its code
    page.wait_for_selector(IDLE, timeout=timeout_ms)


def navigate(page, url: str, done: str = APP_DONE) -> float:
    t0 = time.perf_counter()
    page.goto(url)
    wait_interactive(page, done)
    return time.perf_counter() - t0


def slider_to_chart(page, baseline: bool) -> float:
    # the app's z₁ slider (every lesson step that draws the logits has one), else the page's first slider
    z1 = page.locator('input[type="range"][aria-label="z₁"]')
    any_slider = page.locator('[data-testid="stSlider"] input[type="range"]')
    # a step with no slider (At scale 3: the vocabulary's number box): its first number box's "+" button, one step
    step_up = page.locator('[data-testid="stMain"] [data-testid="stNumberInputStepUp"]')
    if not baseline and not z1.count() and not any_slider.count() and not step_up.count():
        return float("nan")
    handle = z1.first if (not baseline and z1.count()) else any_slider.first if any_slider.count() else None
    if handle is not None:
        handle.focus()
    charts = page.evaluate(HOOK)
    draws, answers = page.evaluate("() => [window.__draws, window.__answers]")
    t0 = page.evaluate("() => performance.now()")
    if handle is None:
        step_up.first.click()
    else:
        # one step right, or left from a slider at its maximum (Training 4's snapshot epoch opens at the last one): a
        # press that cannot move the value starts no rerun
        handle.press("ArrowLeft" if handle.evaluate("e => +e.value >= +e.max") else "ArrowRight")
    # the rerun's answer arrived and then stopped, and (if the page has charts) the charts redrew and then stayed still
    # for 300 ms. The answer is read from the websocket, not from the app's "running" state: a fragment's rerun that
    # takes 40 ms often never shows "running" in the page (seemingly React commits both changes at once), and such a press read
    # as lost, one in two on Derivation 7 (round 18), though it was sent and answered
    try:
        page.wait_for_function(f"() => window.__answers > {answers}", timeout=30_000)
    except Exception:  # no answer (e.g. the value did not change): not measured
        return float("nan")
    page.wait_for_function("() => performance.now() - window.__lastAnswer > 300", timeout=60_000)
    if charts:
        try:  # a slider that changes no chart (e.g. a page whose charts do not depend on z) redraws nothing
            page.wait_for_function(f"() => window.__draws > {draws}", timeout=5_000)
            page.wait_for_function("() => performance.now() - window.__lastDraw > 300", timeout=60_000)
            return (page.evaluate("() => window.__lastDraw") - t0) / 1e3
        except Exception:
            pass
    # no chart redrew: until the main area last changed (its text, after the answer's last message)
    page.wait_for_function("() => performance.now() - window.__lastChange > 300", timeout=60_000)
    finish = (page.evaluate("() => Math.max(window.__lastAnswer, window.__lastChange)") - t0) / 1e3
    return -finish if charts else finish  # negative: the page has charts but none redrew (the rerun's time)

def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.browser_bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--pages", nargs="*", default=())
    ap.add_argument("--no-steps", action="store_true", help="each page at its first step only")
    a = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    pages = page_paths(a.pages)
    rows = []
    load0 = load_average()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        apps = [("bench/baseline_app.py", [("BASELINE (one slider)", "", "")]),
                ("bench/baseline_chart_app.py", [("FLOOR (one slider, one chart)", "", "")]),
                ("app.py", targets(pages, not a.no_steps))]
        for script, what in apps:
            with streamlit_server(script) as (url, _pid):
                for label, slug, query in what:
                    full = f"{url}/{slug}" + (f"?{query}" if query else "")
                    fresh, again, moves = [], [], []
                    for _ in range(a.repeats):
                        ctx = browser.new_context(viewport={"width": 1366, "height": 768})
                        ctx.add_init_script(WS_HOOK)
                        page = ctx.new_page()
                        try:
                            done = APP_DONE if script == "app.py" else SLIDER
                            fresh.append(navigate(page, full, done))
                            again.append(navigate(page, full, done))
                            page.evaluate(HOOK)
                            moves.append(slider_to_chart(page, baseline=script != "app.py"))
                        except Exception as e:  # a page that never settles is a row of NaN, not the end of the run
                            print(f"{label}: {type(e).__name__}: {str(e).splitlines()[0]}", flush=True)
                            fresh.append(float("nan"))
                            again.append(float("nan"))
                            moves.append(float("nan"))
                        ctx.close()
                    # a press that started no rerun is no reading: the median of the others, and how many there were
                    # (a NaN among them made the whole median NaN). Before wait_interactive waited for the page's
                    # last element, a press could land on a page with no slider yet and read so
                    measured = [m for m in moves if m == m]
                    rows.append({"page": label,
                                 "navigate_fresh_ms": 1e3 * statistics.median(fresh[1:] or fresh),
                                 "navigate_again_ms": 1e3 * statistics.median(again),
                                 "slider_to_chart_ms": 1e3 * statistics.median(measured) if measured else float("nan"),
                                 "moves_measured": f"{len(measured)}/{len(moves)}",
                                 "first_visit_cold_server_ms": 1e3 * fresh[0]})
                    # each row as it is measured: a run cut short (a timeout) keeps what it measured
                    print("row:", ", ".join(f"{k} {v:.0f}" if isinstance(v, float) else f"{k} {v}"
                                            for k, v in rows[-1].items()), flush=True)
        browser.close()
    print(format_table(rows, title=f"Chromium, 1366x768, median of {a.repeats}; cores={os.cpu_count()}; "
                                   f"load before={load0}, after={load_average()}"))


if __name__ == "__main__":
    main()
