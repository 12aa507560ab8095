"""Helpers for the browser tests (fixtures are in conftest.py): a real `streamlit run app.py` server
and Debian's Chromium driven by Playwright.

Never downloads a browser: Playwright launches the system Chromium (`executable_path`). Outside CI a
missing Chromium skips these tests with the reason; under CI=true it fails them.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from deploy.server import free_port, start_streamlit  # noqa: E402,F401  (free_port: for the tests)

ARTIFACTS = ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run", "--disable-quic",
]
LOOPBACK = {"localhost", "127.0.0.1", "::1", "[::1]"}


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def start_server(port: int, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    """``streamlit run app.py`` on 127.0.0.1:port (plus ``extra`` command-line arguments), returned once healthy;
    its output goes to artifacts/browser-server-PORT.log and is quoted if it exits early."""
    log = ROOT / "artifacts" / f"browser-server-{port}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    return start_streamlit("app.py", port, log=log, args=extra)[0]


class Watched:
    """A page plus every URL it requested, so tests can assert nothing left the machine."""

    def __init__(self, page):
        self.page = page
        self.requests: list[str] = []
        page.on("request", lambda r: self.requests.append(r.url))

    def external(self) -> list[str]:
        out = []
        for url in self.requests:
            p = urlparse(url)
            if p.scheme in ("data", "blob", "about", "chrome-extension"):
                continue
            if p.hostname not in LOOPBACK:
                out.append(url)
        return out

    def goto(self, url: str, timeout: float = 60_000):
        self.page.goto(url)
        wait_idle(self.page, timeout)
        return self


# Every chart container holds a drawn plotly SVG, and no skeleton/spinner is left. Streamlit loads the
# plotly bundle lazily, so on a busy 2-core machine charts can appear seconds after the script finished.
_CHARTS_DRAWN = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
    .every(e => e.querySelector('.main-svg')) && !document.querySelector('[data-testid="stSkeleton"]')"""


def wait_idle(page, timeout: float = 60_000) -> None:
    """Wait until Streamlit's script is not running and every plotly chart on the page is drawn."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_timeout(300)  # a rerun triggered by the first render (URL sync) starts within this
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function(_CHARTS_DRAWN, timeout=timeout)


def screenshot(page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def open_via_home(make_page, server: str, slug: str, query: str = "", theme: str = "light") -> Watched:
    """Open the home page, then ``/{slug}{query}``: a student who arrived at the app and follows a link.
    (A fresh server's first deep link is tested on its own in test_cold_deeplink.py.)"""
    w = make_page(theme)
    w.goto(f"{server}/")
    w.goto(f"{server}/{slug}{query}")
    return w
