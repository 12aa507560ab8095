"""Display formulas on a phone: one wider than the column is drawn smaller until it fits (pages/_ui/client.js,
fitFormulas), down to 70 % of its size; one still wider scrolls sideways and says so (the class sdx-cut: a shadow on
the edge that hides more). Before, a phone cut Chain rule 3's "= −4.248×10⁻¹⁸" at the edge, and it read "= −4.248"."""

from __future__ import annotations

import pytest
from browser_util import wait_idle
from screens import PHONE

FORMULAS = """() => [...document.querySelectorAll('[data-testid="stMain"] .katex-display')].map(b => ({
    over: b.scrollWidth - b.clientWidth, cut: b.classList.contains('sdx-cut'),
    size: b.firstElementChild.style.fontSize, shadow: getComputedStyle(b).backgroundImage}))"""


@pytest.mark.parametrize(("query", "shrunk", "cut"), [
    ("chain_rule?z=40,-40,0&step=3", True, False),  # three derivation lines, each a little wider than the phone
    ("softmax?n=10&step=1", True, False),  # the definition's grid, one or two cells a row on a phone
    ("training?z=40,-40,0&step=3", True, True),  # δ's three entries of 18 digits: wider than 70 % can fit
    ("softmax?step=1", False, False),  # the defaults fit as they are (three cells a row cut S₃ off)
])
def test_a_wide_formula_is_drawn_smaller_and_one_still_wider_says_it_scrolls(server, context_pool, query, shrunk, cut):
    page = context_pool.screen_page(PHONE, "light")
    page.goto(f"{server}/{query}")
    wait_idle(page)
    # the page script fits the formulas in an animation frame after the step is drawn (later on a busy machine: a fixed
    # 500 ms wait read a formula not yet fitted under a parallel run); a timeout here is the failure
    page.wait_for_function(f"() => ({FORMULAS})().every(b => b.over <= 3 || b.cut)", timeout=20_000)
    page.wait_for_timeout(300)
    boxes = page.evaluate(FORMULAS)
    context_pool.release([page])
    assert boxes, "no display formula"
    assert any(b["size"] for b in boxes) == shrunk, boxes
    assert any(b["cut"] for b in boxes) == cut, boxes
    for b in boxes:  # a formula either fits (within KaTeX's 2 px overhang) or is marked, with its shadow
        assert b["over"] <= 3 or (b["cut"] and "gradient" in b["shadow"]), boxes
