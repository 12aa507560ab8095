"""The app's icon is its own, drawn in the page: a data: address, so the browser fetches nothing for it. The icon
used to be a bare "∂", which is no emoji: Streamlit passed it on as an address, the browser asked the server for a
file named "∂" on every page, and the server answered with the app's HTML page (200), so the tab showed no icon. And
every request a page makes is answered: no status of 400 or more but Streamlit's own probes on a direct link (it asks
/<page>/_stcore/health and host-config first, then the root), which the console filter in browser_util lets
through."""

from __future__ import annotations

from urllib.parse import unquote, urlparse

import pytest
from browser_util import wait_idle

STREAMLITS_PROBES = ("/_stcore/health", "/_stcore/host-config")


@pytest.mark.parametrize("path", ["", "softmax?step=2"])
def test_no_request_fails_and_the_icon_is_the_apps(server, make_page, path):
    w = make_page(width=1366, height=768)
    failed = []
    w.page.on("response", lambda r: failed.append((r.status, unquote(urlparse(r.url).path))) if r.status >= 400 else None)
    w.page.goto(f"{server}/{path}")
    wait_idle(w.page)
    w.page.wait_for_timeout(500)
    assert [f for f in failed if not f[1].endswith(STREAMLITS_PROBES)] == [], failed
    icon = w.page.evaluate("() => [...document.querySelectorAll('link[rel~=icon]')].map(l => l.href)")
    assert icon and all(h.startswith("data:image/svg+xml") for h in icon), icon
    assert w.external() == []
