"""ui.cards: one markdown element per group of cards, bordered in the theme's own border colour, and no page builds
HTML by hand (the frame's helpers do)."""

import re
from pathlib import Path

from streamlit.testing.v1 import AppTest

from figures.palette import subscripted

ROOT = Path(__file__).resolve().parents[1]


def _cards_app(dark: bool) -> None:
    from pages import _ui as ui

    ctx = type("Ctx", (), {"dark": dark})()  # cards reads only the theme from the page's context
    ui.cards(ctx, [ui.Card("**one** `= 1`", r"x^2"), ("two", ""), ui.Card("three", "y", highlight=True)],
             heading="#### Cards")
    ui.cards(ctx, [("a", "a^2"), ("b", "")], grid=True, border=False)


def test_cards_render_as_one_element_each_with_theme_borders():
    for dark, faint, strong in ((False, "rgba(38,39,48,0.2)", "rgba(38,39,48,0.8)"),
                                (True, "rgba(250,250,250,0.2)", "rgba(250,250,250,0.8)")):
        at = AppTest.from_function(_cards_app, args=(dark,))
        at.run()
        assert not at.exception
        assert len(at.markdown) == 2  # one element per call, however many cards
        stacked, grid = at.markdown[0].value, at.markdown[1].value
        assert stacked.startswith("#### Cards")
        assert stacked.count(f"border:1px solid {faint}") == 2 and stacked.count(f"border:1px solid {strong}") == 1
        assert "$$\nx^2\n$$" in stacked and "$$\ny\n$$" in stacked and "**one** `= 1`" in stacked
        assert stacked.count("<div") == stacked.count("</div>") == 3
        assert "grid-template-columns" in grid and "border:" not in grid and "$$\na^2\n$$" in grid


def test_no_page_builds_html_by_hand():
    """Pages draw through the frame (ui.cards, ui.chart, ui.swatches, …): no <div>, no <span>, no style= in any page
    module (Home's colour swatches included: they are ui.swatches now)."""
    offenders = {}
    for f in sorted((ROOT / "pages").glob("*.py")):
        if f.name.startswith("_"):
            continue
        hits = [k + 1 for k, line in enumerate(f.read_text().splitlines()) if re.search(r"<div|<span|style\s*=", line)]
        if hits:
            offenders[f.name] = hits
    assert offenders == {}


def test_subscripted_labels():
    assert subscripted("e^z1 over Σ e^z_k, S2 and S10; Sum") == "e^z₁ over Σ e^zₖ, S₂ and S₁₀; Sum"
