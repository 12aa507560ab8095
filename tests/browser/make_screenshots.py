"""Regenerate the README's screenshots in docs/screenshots/ (committed PNGs).

    PYTHONPATH=.:tests/browser .venv/bin/python tests/browser/make_screenshots.py          # every page, + presentation
    PYTHONPATH=.:tests/browser .venv/bin/python tests/browser/make_screenshots.py softmax  # only the pages named
    PYTHONPATH=.:tests/browser .venv/bin/python tests/browser/make_screenshots.py drag     # only the drag strip
    PYTHONPATH=.:tests/browser .venv/bin/python tests/browser/make_screenshots.py exactness  # the saturation sheets

(PYTHONPATH: the import path pytest's configuration gives the tests, the repository root and tests/browser/.)

Starts its own `streamlit run app.py` on a free loopback port, drives Debian's Chromium (never a downloaded
browser), shoots each page at 1280x720 in light and dark, and one page in presentation mode at 1920x1080; and a strip
of four frames of one drag of z₁ on Dependencies, each taken while the pointer is still down (live-drag-dependencies.png:
what the browser draws alone, before any rerun).
``exactness`` shoots every step of Derivation, Chain rule and Jacobian on a 1366×768 laptop at the settings where float64
cancels or the temperature changes every number (EXACTNESS), one sheet per page and setting, in docs/screenshots/exactness/:
no line may contradict another.
The default logits (2, 1, 0.1) are the seed's example, so the pictures match the text of the README.
"""

from __future__ import annotations

import sys
from pathlib import Path

from browser_util import CHROMIUM_ARGS, chromium_path, free_port, start_server, wait_idle

from pages._ui import PAGES

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

OUT = ROOT / "docs" / "screenshots"
PRESENTATION_PAGE = "jacobian"  # the one slide shown in the README

# The app and every figure have taken on the requested theme (figures re-render once Streamlit knows it).
READY_JS = """dark => {
  const bg = getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor;
  const paper = gd => String(gd._fullLayout && gd._fullLayout.paper_bgcolor).toUpperCase();
  const figs = Array.from(document.querySelectorAll('.js-plotly-plot'));
  return (bg === 'rgb(14, 17, 23)') === dark && figs.every(gd => gd._fullLayout &&
      (dark ? !['#FFFFFF', 'WHITE', '#FFF'].includes(paper(gd)) : paper(gd) !== '#0E1117'));
}"""


def shoot(browser, url: str, path: Path, theme: str, size: tuple[int, int], charts: bool, scroll: bool = True,
          present: bool = False) -> None:
    ctx = browser.new_context(viewport={"width": size[0], "height": size[1]}, color_scheme=theme,
                              reduced_motion="reduce")
    ctx.set_default_timeout(90_000)
    page = ctx.new_page()
    page.goto(url)
    wait_idle(page)
    if charts:
        page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_function(READY_JS, arg=theme == "dark")
    wait_idle(page)
    page.wait_for_timeout(500)
    if charts and scroll:  # the README wants the figures: bring the first chart to the middle of the screen
        page.locator(".js-plotly-plot").first.evaluate("e => e.scrollIntoView({block: 'center'})")
        page.wait_for_timeout(300)
    nav = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    if not present and [t.split("\n")[-1].strip() for t in nav] != [p.title for p in PAGES]:
        raise RuntimeError(f"{url}: the sidebar lists {nav}, not the router's pages (is app.py mid-edit?)")
    if page.locator('[data-testid="stException"]').count():
        raise RuntimeError(f"{url} shows an exception")
    page.screenshot(path=str(path))
    ctx.close()
    print(f"wrote {path.relative_to(ROOT)}")


# the live chart has drawn what the sliders hold now, and no plotly redraw is under way (pages/_ui/live_page.js)
DRAWN_NOW = """() => { const s = window.SoftmaxLiveStats; const el = document.querySelector('input[aria-label="z₁"]');
  return s && !s.pending && s.drawn && JSON.parse(s.drawn).z[0] === Number(el.value); }"""
STRIP = """shots => `<body style="margin:0;background:#fff;font:15px sans-serif">
  <div style="display:grid;grid-template-columns:1fr 1fr;gap:8px;padding:8px">${shots.map(([png, z]) =>
  `<figure style="margin:0"><img style="width:100%;border:1px solid #ddd" src="data:image/png;base64,${png}">
   <figcaption style="color:#333">z₁ = ${z}, mid-drag: drawn in the browser, nothing sent</figcaption></figure>`).join("")}
  </div></body>`"""


def drag_strip(browser, base: str) -> None:
    """Four frames of one drag of z₁ on Dependencies step 1, each shot with the pointer down, tiled 2 × 2."""
    import base64

    ctx = browser.new_context(viewport={"width": 1280, "height": 720}, color_scheme="light", reduced_motion="reduce")
    ctx.set_default_timeout(90_000)
    page = ctx.new_page()
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(f)))
    page.goto(f"{base}/dependencies?step=1")
    wait_idle(page)
    chart = page.locator(".js-plotly-plot").first
    thumb = page.locator('input[type="range"][aria-label="z₁"]').evaluate(
        "e => { const r = e.parentElement.getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; }")
    page.mouse.move(*thumb)
    page.mouse.down()
    before, shots = len(sent), []
    for k in range(4):
        for _ in range(12):
            thumb[0] -= 0.35 if k else 0.1
            page.mouse.move(*thumb)
            page.wait_for_timeout(30)
        page.wait_for_function(DRAWN_NOW)
        z1 = page.locator('input[type="range"][aria-label="z₁"]').input_value()
        shots.append([base64.b64encode(chart.screenshot()).decode(), z1.replace("-", "−")])
    during = len(sent) - before
    page.mouse.up()
    ctx.close()
    if during:
        raise RuntimeError(f"the drag sent {during} messages to the server before its release")
    tile = browser.new_context(viewport={"width": 1280, "height": 720}).new_page()
    tile.set_content(tile.evaluate(STRIP, shots))
    tile.wait_for_timeout(300)
    path = OUT / "live-drag-dependencies.png"
    tile.screenshot(path=str(path), full_page=True)
    tile.context.close()
    print(f"wrote {path.relative_to(ROOT)} (0 messages to the server during the drag)")


# (file name, the link's query, what the setting tests)
EXACTNESS = (("saturated", "z=40,-40,0&i=1&j=1", "z = (40, −40, 0): S₁ rounds to 1 in float64"),
             ("T2.5", "z=2,1,0.1&T=2.5&i=2&j=1", "z = (2, 1, 0.1), T = 2.5"))
SHEET = """([title, shots]) => `<body style="margin:0;background:#fff;font:16px sans-serif">
  <h2 style="margin:8px 10px">${title}</h2>
  <div style="display:grid;grid-template-columns:1fr 1fr;gap:8px;padding:8px">${shots.map(([png, cap]) =>
  `<figure style="margin:0"><figcaption style="color:#333">${cap}</figcaption>
   <img style="width:100%;border:1px solid #bbb" src="data:image/png;base64,${png}"></figure>`).join("")}
  </div></body>`"""


def exactness_sheets(browser, base: str) -> None:
    """Every step of Derivation, Chain rule and Jacobian at each EXACTNESS setting, the first screen of a 1366×768
    laptop (what a student sees without scrolling), tiled two to a row: one PNG per page and setting."""
    import base64

    out = OUT / "exactness"
    out.mkdir(parents=True, exist_ok=True)
    for slug in ("derivation", "chain_rule", "jacobian"):
        info = next(p for p in PAGES if p.slug == slug)
        for name, query, what in EXACTNESS:
            ctx = browser.new_context(viewport={"width": 1366, "height": 768}, color_scheme="light", reduced_motion="reduce")
            ctx.set_default_timeout(90_000)
            page, shots = ctx.new_page(), []
            for k, step in enumerate(info.steps, 1):
                page.goto(f"{base}/{slug}?step={k}&{query}")
                wait_idle(page)
                page.wait_for_timeout(500)
                if page.locator('[data-testid="stException"]').count():
                    raise RuntimeError(f"{slug} step {k} at {query} shows an exception")
                shots.append([base64.b64encode(page.screenshot()).decode(), f"{k} · {step.title}"])
            ctx.close()
            # each shot at 1200 px of its 1366 (legible), as JPEG: a PNG sheet of seven screens was 0.5 MB at half the size
            tile = browser.new_context(viewport={"width": 2440, "height": 900}).new_page()
            tile.set_content(tile.evaluate(SHEET, [f"{info.title} at {what} (1366×768, the first screen)", shots]))
            tile.wait_for_timeout(300)
            path = out / f"{slug}-{name}.jpg"
            tile.screenshot(path=str(path), full_page=True, type="jpeg", quality=85)
            tile.context.close()
            print(f"wrote {path.relative_to(ROOT)}")


def main(only: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    exe = chromium_path()
    if exe is None:
        sys.exit("Debian's chromium is not installed (apt-get install chromium)")
    OUT.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS, headless=True)
            if not only or "drag" in only:
                drag_strip(browser, base)
            if not only or "exactness" in only:
                exactness_sheets(browser, base)
            for info in PAGES:
                if only and info.slug not in only:
                    continue
                url = f"{base}/{'' if info.slug == 'home' else info.slug}"
                charts = "ui.chart(" in (ROOT / info.path).read_text()
                for theme in ("light", "dark"):
                    shoot(browser, url, OUT / f"{info.slug}-{theme}.png", theme, (1280, 720), charts,
                          scroll=info.slug != "home")  # home: the title and the definition are the picture
                if info.slug == PRESENTATION_PAGE:
                    shoot(browser, f"{url}?present=1", OUT / f"{info.slug}-present-1920x1080.png", "light",
                          (1920, 1080), charts, scroll=False, present=True)
            browser.close()
    finally:
        server.terminate()
        server.wait(10)


if __name__ == "__main__":
    main(sys.argv[1:])
