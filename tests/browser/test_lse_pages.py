"""Issue #16 in a real Chromium: the Log-sum-exp page, the Chain rule page's row-vs-column answer and the Training
page's confidently wrong start render with no exception and no external request, and respond to one interaction.
Screenshots (light and dark, n = 3 and n = 10) go to artifacts/lse/."""

import pytest
from browser_util import ROOT, open_via_home, step_number, wait_idle

from pages._ui.registry import PAGES

EXC = '[data-testid="stException"]'
OUT = ROOT / "artifacts" / "lse"


def shot(page, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(OUT / f"{name}.png"), full_page=True)


def trace_y(page, chart: int, trace: int) -> list:
    return page.evaluate(f"Array.from(document.querySelectorAll('.js-plotly-plot')[{chart}]._fullData[{trace}].y)")


def step_of(slug: str, name: str) -> tuple[int, str]:
    """The 1-based number of a lesson's step and its picker label, from the registry."""
    k = step_number(slug, name)
    return k, f"{k} · {next(p for p in PAGES if p.slug == slug).steps[k - 1].short}"


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("query", ["", "?n=10", "?z=1000,0,-1000&y=3", "?z=1,1,0&T=0.1"], ids=["n3", "n10", "saturated", "tie"])
def test_logsumexp_page(server, make_page, theme, query):
    """The soft-target selector and the bars it moves are in the Soft targets step, opened by its link (step=k)."""
    k, _ = step_of("logsumexp", "soft_targets")
    w = open_via_home(make_page, server, "logsumexp", f"{query}{'&' if query else '?'}step={k}", theme)
    page = w.page
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 1", timeout=60_000)
    wait_idle(page)
    assert page.locator(EXC).count() == 0
    assert "Log-sum-exp" in page.locator("h1").first.inner_text()
    assert page.locator(".js-plotly-plot").count() == 1  # the step's one figure: S beside the target q
    before = trace_y(page, 0, 1)  # the target q
    page.get_by_text("a teacher's softmax (distillation)").click()
    wait_idle(page)
    assert "target=teacher" in page.url and f"step={k}" in page.url
    assert trace_y(page, 0, 1) != before, "the target bars did not follow the selector"
    assert page.locator(EXC).count() == 0 and w.external() == []
    tag = {"": "n3", "?n=10": "n10", "?z=1000,0,-1000&y=3": "saturated", "?z=1,1,0&T=0.1": "tie"}[query]
    shot(page, f"logsumexp-{tag}-{theme}")


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize("query", ["?i=1", "?n=10&i=4&T=0.5"], ids=["n3", "n10"])
def test_chain_rule_row_and_column(server, make_page, theme, query):
    """The row-or-column controls are in their own step, reached by its segment of the step picker (as a student
    moves from the first step)."""
    k, name = step_of("chain_rule", "row_or_column")
    w = open_via_home(make_page, server, "chain_rule", query, theme, whole=False)  # the first step, as a link opens it
    page = w.page
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length >= 1", timeout=60_000)
    wait_idle(page)
    page.get_by_role("radio", name=name, exact=True).click()
    page.wait_for_function(f"new URLSearchParams(location.search).get('step') === '{k}'", timeout=60_000)
    wait_idle(page)
    assert page.locator(EXC).count() == 0
    page.get_by_text("u = (1, 1, …, 1)").click()
    wait_idle(page)
    assert "nudge=uniform" in page.url
    # the linearisation's numbers are a one-row table (as metrics, a third of the column cut their powers of ten)
    table = page.locator('[data-testid="stTable"]').filter(has_text="true ΔS")
    headers = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    cells = [c.strip() for c in table.locator("tbody tr").first.locator("th, td").all_inner_texts()]
    true = cells[next(k for k, h in enumerate(headers) if h.startswith("true ΔS"))]
    assert true == "0", (headers, cells)  # a uniform nudge moves nothing
    assert page.locator(EXC).count() == 0 and w.external() == []
    shot(page, f"chain-rule-reader-{'n10' if 'n=10' in query else 'n3'}-{theme}")


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_training_confidently_wrong_start(server, make_page, theme):
    """The preset and the two losses' sentence are in the Losses step, opened by its link (step=k)."""
    k, _ = step_of("training", "losses")
    w = open_via_home(make_page, server, "training", f"?step={k}", theme)
    page = w.page
    page.get_by_role("button", name="Preset: a confidently wrong start").click()
    wait_idle(page)
    assert "wscale=10" in page.url
    text = page.locator('[data-testid="stMarkdown"]').filter(has_text="Both losses, same start").inner_text()
    assert "cross-entropy classifies 100.0 %" in text and "MSE 0.0 %" in text
    assert page.locator(EXC).count() == 0 and w.external() == []
    shot(page, f"training-wrong-start-{theme}")
