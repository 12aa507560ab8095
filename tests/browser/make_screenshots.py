"""Regenerate the README's screenshots in docs/screenshots/ (committed PNGs).

    PYTHONPATH=.:tests/browser .venv/bin/python tests/browser/make_screenshots.py          # every page, + presentation
    PYTHONPATH=.:tests/browser .venv/bin/python tests/browser/make_screenshots.py softmax  # only the pages named

(PYTHONPATH: the import path pytest's configuration gives the tests, the repository root and tests/browser/.)

Starts its own `streamlit run app.py` on a free loopback port, drives Debian's Chromium (never a downloaded
browser), shoots each page at 1280x720 in light and dark, and one page in presentation mode at 1920x1080.
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
