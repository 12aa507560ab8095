"""Every screen (issue #14), in a real Chromium: every page on a phone (390x844, touch) and in presentation mode at
1280x720 and 1920x1080. No two chart labels overlap, none leaves its chart or sits under the touch toolbar, no chart is
taller than a slide, the app and its figures follow the theme, no console error from the app and no request
leaves the machine.

A lesson's steps are checked so on their own loads, every step of every lesson, by the step walks
(test_steps_screen.py: a laptop in light, a 1280×720 projector in dark, a phone in light, at n = 3). This file checks
what those walks do not load: the whole-lesson view ("All on one page"), once per lesson, the screen, n and theme
rotating over the lessons (so each screen sees it at n = 3 and n = 10, in both themes), and the pages without steps
on every screen. FULL=1 (the release check) runs the whole product, every page at every size, n and theme.
"""

from __future__ import annotations

import os

import pytest
from browser_util import wait_for_theme
from screens import SCREENS, layout_problems
from test_screens import PAGES, open_page

if os.environ.get("FULL") == "1":
    GRID = [(info, screen, n, theme) for info in PAGES for screen in SCREENS for n in (3, 10) for theme in ("light", "dark")]
else:
    GRID = [(info, SCREENS[p % 3], (10, 3)[p // 3 % 2], ("light", "dark")[p % 2]) for p, info in enumerate(PAGES)
            if info.steps]
    GRID += [(info, screen, (3, 10)[s % 2], ("light", "dark")[(s + 1) % 2]) for info in PAGES if not info.steps
             for s, screen in enumerate(SCREENS)]


@pytest.mark.parametrize("info, screen, n, theme", GRID,
                         ids=[f"{i.slug}-{s.name}-n{n}-{t}" for i, s, n, t in GRID])
def test_every_chart_fits_its_screen(server, context_pool, info, screen, n, theme):
    query = f"?n={n}" + ("&present=1" if screen.present else "")
    ctx, page, console = open_page(context_pool, server, screen, theme, info.slug, query)
    try:
        assert page.locator('[data-testid="stException"]').count() == 0
        wait_for_theme(page, theme == "dark")  # the app and its figures follow the browser's colour scheme
        problems = layout_problems(page, screen.present)
        assert problems == [], f"{info.slug} on {screen.name}, n = {n}, {theme}:\n" + "\n".join(problems)
        assert console.ours() == [], console.ours()
        assert console.external() == [], f"external requests: {console.external()}"
    finally:
        ctx.close()


