"""Every screen the app is used on, as browser contexts, and a layout check of every chart drawn on them.

Used by test_screens.py (the test) and by ``PYTHONPATH=.:tests/browser python tests/browser/screens.py before|after
[slug…]`` (screenshots of every step of every lesson, STEP_SHOTS: a laptop and a projector's first screen, a phone and a
390-px window, light and dark, into artifacts/screens/<label>/, with the layout problems found on each in REPORT.md).

The check reads the bounding box of every SVG text element of every plotly chart (tick labels, titles,
annotations, legend entries, cell values, button and slider labels) and reports two labels that overlap, a label
outside its chart, a label under plotly's toolbar when the toolbar is always shown (touch), and, in presentation
mode, a chart taller than the screen.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]

# An Android Chrome phone: what the frame's width class reads (User-Agent "Mobile", Sec-CH-UA-Mobile).
PHONE_UA = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/120.0.0.0 Mobile Safari/537.36")


@dataclass(frozen=True)
class Screen:
    name: str
    width: int
    height: int
    touch: bool = False
    present: bool = False

    def context(self, browser, theme: str):
        kw = {"viewport": {"width": self.width, "height": self.height}, "color_scheme": theme, "reduced_motion": "reduce"}
        if self.touch:
            kw.update(is_mobile=True, has_touch=True, device_scale_factor=2, user_agent=PHONE_UA)
        ctx = browser.new_context(**kw)
        ctx.set_default_timeout(90_000)
        ctx.set_default_navigation_timeout(90_000)
        return ctx


PHONE = Screen("phone", 390, 844, touch=True)
LAPTOP = Screen("laptop", 1366, 768)
SLIDE_720 = Screen("slide720", 1280, 720, present=True)
SLIDE_1080 = Screen("slide1080", 1920, 1080, present=True)
NARROW = Screen("narrow390", 390, 844)  # a 390-px desktop window: the phone's width without a mobile user agent
SCREENS = (PHONE, SLIDE_720, SLIDE_1080)
# What ``python tests/browser/screens.py`` shoots of every step: (screen, theme, n, the first screen only). The laptop
# and projector shots are the first screen (a step's figure and controls must be in it), the others the whole step.
STEP_SHOTS = ((LAPTOP, "light", 3, True), (LAPTOP, "dark", 10, True), (SLIDE_720, "light", 3, True),
              (SLIDE_1080, "dark", 3, True), (PHONE, "light", 3, False), (PHONE, "dark", 10, False),
              (NARROW, "light", 3, False))

# Overlaps smaller than this (px, in both directions) are glyph boxes touching (ascender/descender space), not
# labels printed over each other.
TOLERANCE = 2.5

LAYOUT_JS = r"""tol => {
  const out = [];
  const charts = Array.from(document.querySelectorAll('.js-plotly-plot'));
  const vh = window.innerHeight;
  charts.forEach((gd, c) => {
    const box = gd.getBoundingClientRect();
    const name = (gd._fullLayout && gd._fullLayout.title && gd._fullLayout.title.text || 'chart ' + c).slice(0, 60);
    const texts = Array.from(gd.querySelectorAll('svg text')).filter(t => {
      if (!t.textContent.trim()) return false;
      const r = t.getBoundingClientRect();
      if (r.width < 1 || r.height < 1) return false;
      for (let e = t; e && e !== gd; e = e.parentElement) {
        const s = getComputedStyle(e);
        if (s.display === 'none' || s.visibility === 'hidden' || parseFloat(s.opacity) === 0) return false;
      }
      const fill = getComputedStyle(t).fill;
      if (/rgba\(.*,\s*0\)$/.test(fill) || parseFloat(getComputedStyle(t).fillOpacity) === 0) return false;  // hidden ticks
      return !t.closest('.hoverlayer');  // hover labels come and go with the mouse
    }).map(t => ({t: t.textContent.trim().slice(0, 40), r: t.getBoundingClientRect(), cls: t.getAttribute('class') || ''}));
    for (const a of texts) {
      const r = a.r;
      if (r.left < box.left - 1 || r.right > box.right + 1 || r.top < box.top - 1 || r.bottom > box.bottom + 1)
        out.push({kind: 'outside', chart: name, a: a.t});
    }
    for (let i = 0; i < texts.length; i++) for (let j = i + 1; j < texts.length; j++) {
      const a = texts[i].r, b = texts[j].r;
      const dx = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const dy = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (dx > tol && dy > tol) out.push({kind: 'overlap', chart: name, a: texts[i].t, b: texts[j].t});
    }
    // plotly's toolbar: shown on hover with a mouse (its groups at opacity 0 until then), always on a touch screen
    gd.querySelectorAll('.modebar-group').forEach(g => {
      const box = g.closest('.modebar-container') || g;
      if (parseFloat(getComputedStyle(g).opacity) === 0 || getComputedStyle(box).display === 'none') return;
      const m = g.getBoundingClientRect();
      if (m.width < 1) return;
      for (const a of texts) {
        const dx = Math.min(a.r.right, m.right) - Math.max(a.r.left, m.left);
        const dy = Math.min(a.r.bottom, m.bottom) - Math.max(a.r.top, m.top);
        if (dx > tol && dy > tol) out.push({kind: 'under toolbar', chart: name, a: a.t});
      }
    });
    out.push({kind: 'size', chart: name, w: Math.round(box.width), h: Math.round(box.height), vh: vh});
  });
  return out;
}"""


def layout_problems(page, present: bool) -> list[str]:
    """Every text overlap / text outside / text under the toolbar, and (presentation) every chart taller than the
    screen, as readable strings."""
    found = page.evaluate(LAYOUT_JS, TOLERANCE)
    out = []
    for f in found:
        if f["kind"] == "size":
            if present and f["h"] > f["vh"]:
                out.append(f"{f['chart']!r}: {f['h']} px tall on a {f['vh']} px screen")
        elif f["kind"] == "overlap":
            out.append(f"{f['chart']!r}: {f['a']!r} overlaps {f['b']!r}")
        else:
            out.append(f"{f['chart']!r}: {f['a']!r} {f['kind']}")
    return out


class Console:
    """Collects a page's console errors, uncaught exceptions / unhandled rejections and plotly.js warnings, and every
    URL it requested (browser_util.Watched, which the make_page fixture uses)."""

    def __init__(self, page):
        from browser_util import Watched

        self._w = Watched(page)

    def ours(self) -> list[str]:
        return self._w.console_errors()

    def external(self) -> list[str]:
        return self._w.external()


def shoot(page, path: Path, screen: Screen) -> None:
    """The whole page (Streamlit scrolls inside its main block, so a full-page shot would stop at the viewport): the
    viewport is made as tall as the page for the shot, at the same width (the same width class and layout)."""
    tall = page.evaluate("() => Math.max(...[...document.querySelectorAll('[data-testid=\"stMain\"], "
                         "[data-testid=\"stAppViewContainer\"], section.main')].map(e => e.scrollHeight), innerHeight)")
    page.set_viewport_size({"width": screen.width, "height": min(int(tall) + 40, 16000)})
    page.wait_for_timeout(600)
    page.screenshot(path=str(path))
    page.set_viewport_size({"width": screen.width, "height": screen.height})


def page_url(server: str, slug: str, query: str) -> str:
    from browser_util import whole_lesson

    return whole_lesson(f"{server}/{'' if slug == 'home' else slug}{query}")


def main(label: str, only: list[str]) -> None:
    from browser_util import CHROMIUM_ARGS, chromium_path, free_port, start_server, wait_idle
    from playwright.sync_api import sync_playwright

    from pages._ui import PAGES

    out = ROOT / "artifacts" / "screens" / label
    out.mkdir(parents=True, exist_ok=True)
    port = free_port()
    server = start_server(port)
    base = f"http://127.0.0.1:{port}"
    report = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS, headless=True)
            for info in PAGES:
                if only and info.slug not in only:
                    continue
                for k in range(1, len(info.steps) + 1) if info.steps else (0,):
                    for screen, theme, n, first in STEP_SHOTS:
                        query = f"?n={n}" + (f"&step={k}" if k else "") + ("&present=1" if screen.present else "")
                        ctx = screen.context(browser, theme)
                        page = ctx.new_page()
                        con = Console(page)
                        page.goto(page_url(base, info.slug, query))
                        wait_idle(page)
                        page.wait_for_timeout(800)
                        problems = layout_problems(page, screen.present)
                        name = f"{info.slug}-{k}-{screen.name}-n{n}-{theme}" if k else f"{info.slug}-{screen.name}-n{n}-{theme}"
                        if first:
                            page.screenshot(path=str(out / f"{name}.png"))
                        else:
                            shoot(page, out / f"{name}.png", screen)
                        report.append(f"## {name}: {len(problems)} layout problems, {len(con.ours())} console errors")
                        report += [f"- {p}" for p in problems[:40]] + [f"- console: {e[:200]}" for e in con.ours()[:10]]
                        print(report[-1 - min(len(problems), 40) - min(len(con.ours()), 10)], flush=True)
                        ctx.close()
            browser.close()
    finally:
        server.terminate()
        server.wait(10)
    (out / ("REPORT.md" if not only else f"REPORT-{'-'.join(only)}.md")).write_text("\n".join(report) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "after", sys.argv[2:])
