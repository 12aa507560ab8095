"""Helpers for the browser tests (fixtures are in conftest.py): a real `streamlit run app.py` server
and Debian's Chromium driven by Playwright.

Never downloads a browser: Playwright launches the system Chromium (`executable_path`). Outside CI a
missing Chromium skips these tests with the reason; under CI=true it fails them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlparse

from deploy.server import CHARTS_DRAWN_JS, free_port, start_streamlit  # noqa: F401  (free_port: for the tests)

ROOT = Path(__file__).resolve().parents[2]

ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}
# The one browser server of a parallel run: its address and process id, in the run's base temp folder (the workers'
# common parent); tests/browser/conftest.py starts it, tests/conftest.py stops it.
SHARED_SERVER = "browser-server.json"


def chromium_path() -> str | None:
    """Debian's Chromium: its headless shell (package chromium-headless-shell: the same engine, build and flags
    without the full browser's own windows, which cost a fresh browser context CPU on every test) when installed,
    else the browser itself. ``FULL_CHROMIUM=1`` picks the browser even when the shell is there."""
    names = ("chromium", "chromium-browser")
    if os.environ.get("FULL_CHROMIUM") != "1":
        names = ("chromium-headless-shell", *names)
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    return None


def start_server(port: int, extra: tuple[str, ...] = (), new_session: bool = False) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:port (plus ``extra`` command-line arguments), returned once healthy;
    its output goes to artifacts/browser-server-PORT.log and is quoted if it exits early. ``new_session``: in its own
    process group (the shared server of a parallel run outlives the worker that started it)."""
    log = ROOT / "artifacts" / f"browser-server-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    return start_streamlit("app.py", port, log=log, args=extra, new_session=new_session)[0]


# Console lines that are not the app's: on a deep link Streamlit first asks /<page>/_stcore/health and
# /<page>/_stcore/host-config relative to the page's path, gets a 404 and falls back to the root; Chromium logs each
# failed load as a console error ("Failed to load resource ... 404").
NOT_THE_APPS = ("_stcore/health", "_stcore/host-config",
                "Failed to load resource: the server responded with a status of 404")


class Watched:
    """A page plus every URL it requested, so tests can assert nothing left the machine, and every console error,
    uncaught exception, unhandled rejection and plotly.js warning it logged (the fixture fails a test on any)."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        self.console: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))
        page.on("console", self._on_console)
        page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))

    def _on_console(self, msg) -> None:
        # plotly.js reports its problems through console.trace/warn as "WARN: ..." (e.g. "Invalid color specifier")
        if msg.type == "error" or (msg.type in ("trace", "warning") and msg.text.startswith("WARN:")):
            self.console.append(f"console.{msg.type}: {msg.text} ({(msg.location or {}).get('url', '')})")

    def console_errors(self) -> list[str]:
        """The app's console errors (Streamlit's own deep-link 404s excluded, see NOT_THE_APPS)."""
        return [e for e in self.console if not any(s in e for s in NOT_THE_APPS)]

    def external(self) -> list[str]:
        out = []
        for url in self.requests:
            p = urlparse(url)
            if p.scheme in ("data", "blob", "about", "chrome-extension"):
                continue
            if p.hostname not in LOOPBACK:
                out.append(url)
        return out

    def goto(self, url: str, timeout: float = 60_000, whole: bool = True):
        """Open ``url`` and wait until it is idle: a lesson as its whole-lesson view unless the URL names a step or
        ``whole`` is false (then as a student's link opens it: its first step)."""
        self.page.goto(whole_lesson(url) if whole else url)
        wait_idle(self.page, timeout)
        return self


# Every chart container holds a drawn plotly SVG, and no skeleton/spinner is left. Streamlit loads the
# plotly bundle lazily, so on a busy 2-core machine charts can appear seconds after the script finished.
LESSONS = None  # the slugs of the lessons in steps (read from the registry on first use)


def whole_lesson(url: str) -> str:
    """``url`` opening the whole lesson (``step=0``) when it names a lesson page and no step. The browser tests of a
    page's figures and controls read the whole lesson, as the AppTest page tests do (tests/apptest_util.py); the
    steps on their own are tested in test_steps_screen.py and test_live_pages.py."""
    global LESSONS
    if LESSONS is None:
        from pages._ui.registry import PAGES

        LESSONS = {p.slug for p in PAGES if p.steps}
    parts = urlparse(url)
    slug = parts.path.strip("/").split("/")[-1] if parts.path.strip("/") else ""
    if slug not in LESSONS or "step=" in parts.query:
        return url
    return parts._replace(query="&".join(q for q in ("step=0", parts.query) if q)).geturl()


def step_number(slug: str, step: str) -> int:
    """The 1-based number of lesson ``slug``'s step ``step`` (its slug in the registry): a test opens the step it
    reads by its link (``?step=K``)."""
    from pages._ui.registry import PAGES

    return 1 + [s.slug for s in next(p for p in PAGES if p.slug == slug).steps].index(step)


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until the app has drawn something, its script is not running and every plotly chart on the page is drawn.

    The first wait is for an element in the main area: before the websocket's first run the app already reads
    "notRunning" and holds no chart, so on a busy machine the other waits passed on an empty page (a phone test
    then found no slider at all)."""
    page.wait_for_selector('[data-testid="stMain"] [data-testid="stElementContainer"]', state="attached", timeout=timeout)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_timeout(300)  # a rerun triggered by the first render (URL sync) starts within this
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout)


DARK_BG = "rgb(14, 17, 23)"  # .streamlit/config.toml [theme.dark] backgroundColor
_FOLLOWS_THEME = """dark => { const bg = getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor;
    const paper = gd => String(gd._fullLayout && gd._fullLayout.paper_bgcolor).toUpperCase();
    return (bg === DARK_BG) === dark && [...document.querySelectorAll('.js-plotly-plot')].every(gd => dark
        ? !['#FFFFFF', 'WHITE', '#FFF'].includes(paper(gd)) : paper(gd) !== '#0E1117'); }""".replace("DARK_BG", repr(DARK_BG))


def wait_for_theme(page, dark: bool, timeout: float = 60_000) -> None:
    """Wait until the app follows the browser's colour scheme, and so do its figures (light paper on light, dark on
    dark); a timeout is the failure."""
    page.wait_for_function(_FOLLOWS_THEME, arg=dark, timeout=timeout)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def assert_page_renders(w: Watched, info, theme: str = "light") -> None:
    """``info``'s page (a registry entry), loaded in ``w`` and not yet acted on: no exception, its charts drawn, the app
    and its figures in ``theme``, the router's pages listed in teaching order, a screenshot saved, and no request left
    the machine. test_classroom.py runs it on the first load of its interaction test, which opens every page at the
    address, screen and theme this reads (/<slug>, 1280×720, light): one page load for both."""
    from pages._ui import PAGES

    page = w.page
    assert page.locator('[data-testid="stException"]').count() == 0, f"{info.slug} renders: an exception is shown"
    if "ui.chart(" in (ROOT / info.path).read_text() and (not info.steps or "step=0" in page.url):
        # a page of charts draws one (a lesson's open step may hold none: its figure is LaTeX, cards or a table, and
        # test_steps_screen.py checks every step shows its figure)
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    elif page.locator('[class*="st-key-chart_"]').count():
        page.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    wait_for_theme(page, theme == "dark")
    # Until app.py's first run reaches st.navigation the sidebar may list the pages/ folder's files (app, at scale…):
    # wait for the router's list, then compare it whole
    want = [p.title for p in PAGES]
    page.wait_for_function("first => { const a = document.querySelector('[data-testid=\"stSidebarNav\"] a');"
                           " return a && a.innerText.trim().endsWith(first); }", arg=want[0], timeout=60_000)
    nav = page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()
    assert [t.split("\n")[-1].strip() for t in nav] == want, f"{info.slug} renders: the router's pages, in teaching order"
    screenshot(page, f"{info.slug}-{theme}")
    assert w.external() == [], f"{info.slug} renders: external requests: {w.external()}"


VISITED: set[str] = set()  # the servers whose home page this process has loaded (see open_via_home)


def visit_home_once(server: str, goto) -> None:
    """Load ``server``'s home page with ``goto`` if this process has not yet: a deep link as a fresh server's first
    visit is a case of its own (streamlit#9624, tested in test_cold_deeplink.py), so the other tests follow their
    links on a server that has served its home page. Once per server and process, not once per test: the server is
    shared by the whole run, and a second home page load per test doubled the browser tests' page loads."""
    if server not in VISITED:
        goto(f"{server}/")
        VISITED.add(server)


def open_via_home(make_page, server: str, slug: str, query: str = "", theme: str = "light", whole: bool = True) -> Watched:
    """Open ``/{slug}{query}`` on a server that has served its home page (visit_home_once): a student who arrived at
    the app and follows a link. (A fresh server's first deep link is tested on its own in test_cold_deeplink.py.)
    ``whole``: as Watched.goto (false: a lesson opens at its first step unless the query names one)."""
    w = make_page(theme)
    visit_home_once(server, w.goto)
    w.goto(f"{server}/{slug}{query}", whole=whole)
    return w


class ContextPool:
    """This worker's browser contexts, kept for the whole run: one per (theme, viewport, reduced motion) for make_page,
    one per (screen, theme) for the screens tests, each holding an anchor page on the test server's site. Under
    --process-per-site every page a test opens in one shares the anchor's renderer process. A fresh context per test
    cost a renderer's start and a cold compile of Streamlit's and plotly's scripts on every load: measured on this
    2-core machine, a step's load took 4.9–5.8 CPU-s in a fresh context against 3.0–3.8 in a pooled one (wall 3.5–3.9 s
    against 1.8–2.2 s), a whole lesson 6.9–9.3 against 5.0–5.7.

    Between tests only the HTTP cache and the renderer stay: ``release`` closes the test's pages and clears every
    origin's cookies and storage (local, session, IndexedDB, cache storage), so a theme a test picked in Streamlit's
    menu (kept in localStorage) does not reach the next test."""

    def __init__(self, browser, server: str):
        self.browser, self.server, self.pool, self.used = browser, server, {}, set()

    def context(self, key: tuple, make):
        """The pooled context for ``key``, made by ``make()`` on first use."""
        if key not in self.pool:
            ctx = make()
            anchor = ctx.new_page()
            anchor.goto(f"{self.server}/_stcore/health")
            self.pool[key] = (ctx, ctx.new_cdp_session(anchor))
        self.used.add(key)
        return self.pool[key][0]

    def screen_page(self, screen, theme: str):
        """A new page of ``screen`` (screens.Screen) in ``theme``, in that pair's pooled context."""
        return self.context(("screen", screen.name, theme), lambda: screen.context(self.browser, theme)).new_page()

    def release(self, pages, origins: set[str] = frozenset()) -> None:
        """Close a test's ``pages``, then clear what they stored on ``origins`` and the server, in every pooled context
        the test took (a test may open pages in several)."""
        for page in pages:
            page.close()
        for key in self.used:
            ctx, cdp = self.pool[key]
            ctx.clear_cookies()
            for o in {*origins, self.server}:
                cdp.send("Storage.clearDataForOrigin", {"origin": o, "storageTypes": "all"})
        self.used.clear()

    def close(self) -> None:
        for ctx, _ in self.pool.values():
            ctx.close()


class Lease:
    """A page from the pool, closed like a context of its own (``close()`` gives it back)."""

    def __init__(self, pool: ContextPool, page):
        self.pool, self.page = pool, page

    def close(self) -> None:
        self.pool.release([self.page])


def new_context(browser, theme: str, width: int, height: int, reduced_motion: str):
    ctx = browser.new_context(viewport={"width": width, "height": height}, color_scheme=theme,
                              reduced_motion=reduced_motion)
    ctx.set_default_timeout(60_000)  # 2 shared cores: a heavy page can take a while under load
    ctx.set_default_navigation_timeout(90_000)
    return ctx


def origin(url: str) -> str:
    parts = urlparse(url)
    return f"{parts.scheme}://{parts.netloc}"
