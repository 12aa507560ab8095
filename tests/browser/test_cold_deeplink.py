"""A fresh server whose very first visitor follows a deep link still routes through app.py.

Streamlit guesses the legacy "pages folder" mode for a ``pages/`` directory until the first
``st.navigation`` call; pages/_compat.py: leave_pages_folder_mode() corrects the guess and reruns onto the same page.
Without it, the sidebar listed app, ui, warm... and the router's warm-up and tour were skipped.
"""

import pytest
from browser_util import free_port, start_server, wait_idle

from pages._ui import PAGES


@pytest.mark.parametrize("slug", ["chain_rule", "dependencies"])
def test_first_visit_of_a_cold_server_is_a_deep_link(browser, slug):
    port = free_port()
    proc = start_server(port)
    try:
        ctx = browser.new_context(viewport={"width": 1280, "height": 720})
        page = ctx.new_page()
        page.goto(f"http://127.0.0.1:{port}/{slug}?z=1,2,3")
        wait_idle(page)
        nav = [t.split("\n")[-1] for t in page.locator('[data-testid="stSidebarNav"] a').all_inner_texts()]
        assert nav == [p.title for p in PAGES]
        assert page.locator('[role="dialog"]').count() == 0, "Streamlit showed 'page not found'"
        assert f"/{slug}?" in page.url and "z=1%2C2%2C3" in page.url
        assert page.locator('[data-testid="stException"]').count() == 0
        ctx.close()
    finally:
        proc.terminate()
        proc.wait(10)
