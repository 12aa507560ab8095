"""Browser-test fixtures: a real `streamlit run app.py` server and Debian's Chromium driven by Playwright.

Helpers (start_server, wait_idle, screenshot, Watched, ...) live in browser_util.py: import them from
there, never from conftest (two conftest modules would clash in one pytest run).
"""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
from pathlib import Path

import pytest
from browser_util import (
    CHROMIUM_ARGS,
    SHARED_SERVER,
    ContextPool,
    Watched,
    chromium_path,
    free_port,
    new_context,
    origin,
    start_server,
)


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def server(tmp_path_factory, request):
    """One ``streamlit run app.py`` for the whole run. Under xdist the first worker that needs it starts it (under a
    file lock in the run's base temp folder, which all workers share) and the others reuse it; the controller stops it
    when the run ends (tests/conftest.py: pytest_unconfigure). Without xdist this session starts and stops its own."""
    if not hasattr(request.config, "workerinput"):
        port = free_port()
        proc = start_server(port)
        yield f"http://127.0.0.1:{port}"
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        return
    shared = tmp_path_factory.getbasetemp().parent / SHARED_SERVER
    with open(shared.with_suffix(".lock"), "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            info = json.loads(shared.read_text()) if shared.exists() else None
            if info is not None and not alive(info["pid"]):  # it died: the next test to need it starts another
                info = None
            if info is None:
                port = free_port()
                proc = start_server(port, new_session=True)  # its own process group: a worker's exit leaves it up
                info = {"url": f"http://127.0.0.1:{port}", "pid": proc.pid}
                shared.write_text(json.dumps(info))
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    yield info["url"]


@pytest.fixture(scope="session")
def browser():
    exe = chromium_path()
    if exe is None:
        msg = "Debian's chromium is not installed (apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(msg + "; under CI a missing browser is a failure")
        pytest.skip(msg)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        if os.environ.get("CI"):
            pytest.fail("playwright is not installed")
        pytest.skip("playwright is not installed (pip install -r requirements-dev.txt)")
    with sync_playwright() as pw:
        # --process-per-site: the pages of one pooled context (make_page) share one renderer process, kept alive by
        # the context's anchor page, so a test's page load skips a renderer's start and reuses its compiled scripts
        b = pw.chromium.launch(executable_path=exe, args=[*CHROMIUM_ARGS, "--process-per-site"], headless=True)
        yield b
        b.close()


@pytest.fixture(scope="session")
def context_pool(browser, server):
    pool = ContextPool(browser, server)
    yield pool
    pool.close()


@pytest.fixture()
def make_page(browser, context_pool):
    """A page for the test, in a pooled context (ContextPool) or, with ``fresh=True``, in a browser context of its own
    (no cache and no renderer shared: a student's first visit). ``apart=True``: a pooled context that none of the
    test's pages without it uses (a second student with only a link: no cookie, storage or session in common).
    The test fails if any page it made logged a console error from the app."""
    contexts, pages = [], []

    def factory(theme: str = "light", width: int = 1280, height: int = 720, reduced_motion: str = "no-preference",
                fresh: bool = False, apart: bool = False):
        args = (browser, theme, width, height, reduced_motion)
        if fresh:
            contexts.append(new_context(*args))
            ctx = contexts[-1]
        else:  # apart: another pooled context than the test's other pages, so it shares no cookie or storage with them
            ctx = context_pool.context(("page", apart, *args[1:]), lambda: new_context(*args))
        pages.append(Watched(ctx.new_page()))
        return pages[-1]

    yield factory
    errors = [e for w in pages for e in w.console_errors()]
    context_pool.release([w.page for w in pages], {origin(u) for w in pages for u in w.requests if u.startswith("http")})
    for c in contexts:
        c.close()
    assert errors == [], "console errors from the app:\n" + "\n".join(errors)
