"""A direct link to a page (http://host/dependencies) asks the server for nothing that is not there.

Streamlit's page does not know where the server's root is: on /dependencies it first asks
/dependencies/_stcore/health and /dependencies/_stcore/host-config, gets two 404s (console errors in every
browser) and falls back to /. deploy/serve.sh's nginx tells the page the server's address before Streamlit's bundle
runs (window.__streamlit.BACKEND_BASE_URL, deploy/nginx.conf.template), so there it asks nothing twice. Plain
``streamlit run`` has no such hook (docs/RELIABILITY.md, "Direct links"): the second test pins that behaviour, so
that a Streamlit upgrade that stops probing is noticed (then browser_util.NOT_THE_APPS can go).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser_util import free_port, wait_idle

from pages._ui import PAGES

TITLE = {p.slug: p.title for p in PAGES}


@pytest.fixture(scope="module")
def serve_sh():
    """What serve.sh runs (deploy.serve's Cluster), with one replica: nginx in front of `streamlit run app.py`."""
    from deploy.serve import Cluster

    if not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()):
        pytest.skip("nginx is not installed (Debian: apt-get install nginx)")

    with Cluster(1, port=free_port(), host="127.0.0.1", quiet=True) as c:
        yield c.url


def visit(browser, url: str) -> tuple[list[str], list[str], object]:
    """Open ``url`` in a fresh context; (responses with status >= 400, console errors, the page) once it settled."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.set_default_timeout(60_000)
    page = ctx.new_page()
    failed, console = [], []
    page.on("response", lambda r: r.status >= 400 and failed.append(f"{r.status} {r.url}"))
    page.on("console", lambda m: m.type == "error" and console.append(m.text))
    page.goto(url)
    wait_idle(page)
    return failed, console, page


@pytest.mark.parametrize("path", ["dependencies?z=1,2,3", "chain_rule/"])
def test_a_direct_link_through_serve_sh_logs_no_404(browser, serve_sh, path):
    failed, console, page = visit(browser, f"{serve_sh}/{path}")
    slug = path.split("?")[0].strip("/")
    try:
        assert failed == [] and console == [], (failed, console)
        assert page.locator("h1").first.inner_text().strip().startswith(TITLE[slug])  # the linked page, not Home
        assert page.locator('[data-testid="stException"]').count() == 0
    finally:
        page.context.close()


def test_plain_streamlit_run_still_probes_the_page_path(browser, server):
    failed, _, page = visit(browser, f"{server}/dependencies")
    page.context.close()
    assert sorted(failed) == [f"404 {server}/dependencies/_stcore/health", f"404 {server}/dependencies/_stcore/host-config"]
