"""Live dragging's frame rate on every live step: a scripted drag of z₁ (the issue's 60 pointer moves over 2 s,
from the thumb, 80 % of the way to the track's farther end, timed from the start) in Debian's Chromium
(/usr/bin/chromium, never a downloaded browser) against `streamlit run app.py`.

For each step and each of ``--repeats`` drags it reports, from inside the page:
- **redraws/s**: live redraws (live_page.js's frames that found a new slider value and restyled the chart) per second
  of the drag, the number the ≥ 30 goal is about;
- **frames/s**: requestAnimationFrame callbacks per second during the drag (what the main thread had room for);
- **restyle ms**: the synchronous time of one live redraw (live_charts.js's restyle: the maths and plotly's call);
- **values**: how many distinct values the slider held over the 60 moves (the most redraws the drag can ask for);
- **moves s**: how long Playwright's 60 moves took (a move waits for the page to take the event, so a busy main
  thread stretches the drag);
- **main ms**: the renderer's main-thread busy time over the drag (Chromium's ``TaskDuration`` metric, read over
  the DevTools protocol): CPU work, which a loaded machine stretches far less than it stretches the wall clock, so it
  compares runs that the redraw rates cannot; the live row minus the ``off`` row is what the redraws cost;
- **painted**: of the live redraws (all repeats), how many were drawn straight into the chart (pages/_ui/live_paint.js)
  rather than by a plotly call;
- the same drag with the restyle switched off (``off``: live_page.js still reads the sliders once per frame): what the
  slider's own handling (React re-rendering the thumb on each move) and the rest of the page cost without the chart.

Medians over the repeats; the load average before and after. A measurement, never a test:
``python -m bench.live_drag [--repeats 5] [--steps softmax:1 chain_rule:1]``
"""

from __future__ import annotations

import argparse
import os
import statistics
import time

from bench.loadsim import format_table, load_average
from deploy.server import streamlit_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic"]
STEPS = ("softmax:1", "jacobian:1", "dependencies:1", "chain_rule:1", "softmax:3", "logsumexp:3")
QUERY = "z=2,1,0.1&T=1.5"
MOVES, DRAG_S = 60, 2.0
# The drag's span, as a share of the track between the thumb and the track's farther end: it never reaches the bound.
# (Up to round 12 every drag moved 72 px from the slider's middle, past the end of a 43-px track after about 36 moves:
# the value stopped changing there, which capped the redraws at about 34 a second and made the first drag, started off
# the thumb, and the first drag in each mode's direction, look slow.)
SPAN = 0.8

INSTALL = """(off) => {
  const C = window.SoftmaxLiveCharts;
  if (!window.__orig) window.__orig = C.restyle;
  const m = window.__m = {raf: 0, restyleMs: 0, restyles: 0, t0: performance.now(), on: true};
  C.restyle = off ? () => undefined : (gd, z, T) => {
    const t = performance.now();
    const p = window.__orig(gd, z, T);
    m.restyleMs += performance.now() - t;
    m.restyles += 1;
    return p;
  };
  const tick = () => { if (!m.on) return; m.raf += 1; requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  m.redraws0 = window.SoftmaxLiveStats.redraws;
  m.painted0 = window.SoftmaxLivePaint ? window.SoftmaxLivePaint.painted.count : 0;
}"""

COLLECT = """() => {
  const m = window.__m;
  m.on = false;
  window.SoftmaxLiveCharts.restyle = window.__orig;
  return {s: (performance.now() - m.t0) / 1e3, raf: m.raf, redraws: window.SoftmaxLiveStats.redraws - m.redraws0,
          restyleMs: m.restyleMs, restyles: m.restyles,
          painted: (window.SoftmaxLivePaint ? window.SoftmaxLivePaint.painted.count : 0) - m.painted0};
}"""


def wait_idle(page, timeout: float = 120_000) -> None:
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_timeout(300)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function("() => window.SoftmaxLiveCharts && [...document.querySelectorAll('.js-plotly-plot')]"
                           ".some(g => g.layout && g.layout.meta && g.layout.meta.live)", timeout=timeout)


def busy_ms(cdp) -> float:
    """The renderer's main-thread busy time so far, in ms (DevTools ``Performance.getMetrics``: ``TaskDuration``)."""
    return 1e3 * next(m["value"] for m in cdp.send("Performance.getMetrics")["metrics"] if m["name"] == "TaskDuration")


def drag(page, cdp, direction: int, off: bool, seconds: float = DRAG_S) -> dict:
    """One drag of z₁ from its thumb towards the track's farther end (``direction`` is ignored: kept for the callers),
    over SPAN of the way, in MOVES pointer moves over DRAG_S seconds; the page's figures of it, and ``values``: how
    many distinct values the slider's input held at the moves (what the redraws can at most follow)."""
    del direction
    # the thumb (the input's wrapper's parent) and its track (the thumb's parent): react-aria's slider in Streamlit 1.67
    x, y, left, right = page.locator('input[type="range"][aria-label="z₁"]').evaluate(
        """e => { const t = e.parentElement.parentElement.getBoundingClientRect();
                  const k = e.parentElement.parentElement.parentElement.getBoundingClientRect();
                  return [t.x + t.width / 2, t.y + t.height / 2, k.x, k.x + k.width]; }""")
    step = SPAN * ((left - x) if x - left > right - x else (right - x)) / MOVES
    page.mouse.move(x, y)
    page.mouse.down()
    page.evaluate(INSTALL, off)
    busy0 = busy_ms(cdp)
    seen = set()
    t0 = time.perf_counter()
    for k in range(1, MOVES + 1):
        page.mouse.move(x + step * k, y)
        seen.add(page.locator('input[type="range"][aria-label="z₁"]').input_value())
        wait = t0 + seconds * k / MOVES - time.perf_counter()
        if wait > 0:
            time.sleep(wait)
    moves_s = time.perf_counter() - t0
    page.wait_for_timeout(50)
    busy = busy_ms(cdp) - busy0
    got = page.evaluate(COLLECT)
    page.mouse.up()
    wait_idle(page)
    return {**got, "moves_s": moves_s, "busy": busy, "values": len(seen)}


def measure(url: str, browser, step: str, repeats: int, seconds: float = DRAG_S) -> list[dict]:
    slug, k = step.split(":")
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    page = ctx.new_page()
    cdp = ctx.new_cdp_session(page)
    cdp.send("Performance.enable")
    page.goto(f"{url}/", wait_until="domcontentloaded")
    page.goto(f"{url}/{slug}?step={k}&{QUERY}")
    wait_idle(page)
    rows = []
    for mode in ("live", "off"):
        runs = [drag(page, cdp, -1 if r % 2 == 0 else 1, mode == "off", seconds) for r in range(repeats)]

        def med(key, runs=runs):
            return statistics.median(key(r) for r in runs)

        rows.append({"step": step, "mode": mode,
                     "redraws/s": med(lambda r: r["redraws"] / r["s"]),
                     "frames/s": med(lambda r: r["raf"] / r["s"]),
                     "restyle ms": med(lambda r: r["restyleMs"] / max(r["restyles"], 1)) if mode == "live" else float("nan"),
                     "moves s": med(lambda r: r["moves_s"]),
                     "values": med(lambda r: r["values"]),
                     "redraws per value": med(lambda r: r["redraws"] / max(r["values"], 1)),
                     "main ms": med(lambda r: r["busy"]),
                     "painted": (f"{sum(r['painted'] for r in runs)}/{sum(r['restyles'] for r in runs)}"
                                 if mode == "live" else "-"),
                     "redraws (each)": " ".join(f"{r['redraws'] / r['s']:.0f}" for r in runs)})
    rows[0]["plotly drew, why"] = page.evaluate("() => JSON.stringify(window.SoftmaxLivePaint"
                                                " ? window.SoftmaxLivePaint.declined : {})")
    ctx.close()
    return rows


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--steps", nargs="*", default=STEPS)
    ap.add_argument("--seconds", type=float, default=DRAG_S, help="the drag's length (the issue's: 2 s)")
    a = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    before = load_average()
    rows = []
    with sync_playwright() as pw, streamlit_server("app.py") as (url, _pid):
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        for step in a.steps:
            rows += measure(url, browser, step, a.repeats, a.seconds)
        browser.close()
    print(format_table(rows, f"live drag of z₁ from its thumb over {SPAN:.0%} of the track: {MOVES} moves over "
                             f"{a.seconds:g} s, median of {a.repeats}; "
                             f"{os.cpu_count()} cores, load before {before}, after {load_average()}"))


if __name__ == "__main__":
    main()
