"""The link is the screen under fast input (issue #13): an arrow key held on a slider (≥ 20 presses, ≤ 40 ms apart)
and a burst of vectors typed into the logits box lose nothing, and afterwards the slider, the vector box, the URL and
the figure all say the same thing."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from browser_util import open_via_home, step_number, wait_idle

PRESSES = 24
# the logits' vector box: its label is short in a step's narrow control column (pages/_ui/controls.py)
BOX = 'input[aria-label^="Logits as a vector"], input[aria-label="Logits z, typed"]'
GAP_MS = 30

# (page, slider label, starting link, URL key, how to read the expected value from the URL)
# Each link opens the step a student moves that slider on (as a link opens a lesson: one step runs per press)
CASES = [
    ("jacobian", "z₁", "?z=0.1,1,2&step=1", "z", lambda q: float(q["z"][0].split(",")[0])),
    ("softmax", "Add c to every z", f"?z=2,1,0.1&c=0&step={step_number('softmax', 'shift')}", "c",
     lambda q: float(q["c"][0])),
    ("chain_rule", "Temperature T", "?z=2,1,0.1&T=1&step=1", "T", lambda q: float(q["T"][0])),
    ("dependencies", "z₂", "?z=2,-1,0.1&step=1", "z", lambda q: float(q["z"][0].split(",")[1])),
]


def query(page) -> dict:
    return parse_qs(urlparse(page.url).query)


def vector_box(page):
    return page.locator(BOX)


@pytest.mark.parametrize(("slug", "label", "link", "key", "read"), CASES, ids=[c[0] for c in CASES])
def test_a_held_arrow_key_loses_no_press(server, make_page, slug, label, link, key, read):
    w = open_via_home(make_page, server, slug, link)
    slider = w.page.locator(f'input[type="range"][aria-label="{label}"]')
    start = float(slider.input_value())
    step = float(slider.get_attribute("step") or 0.1)
    slider.focus()
    for _ in range(PRESSES):
        w.page.keyboard.press("ArrowRight")
        w.page.wait_for_timeout(GAP_MS)
    w.page.wait_for_timeout(1500)
    wait_idle(w.page)
    want = round(start + PRESSES * step, 6)
    assert float(slider.input_value()) == pytest.approx(want), "the slider lost presses"
    assert read(query(w.page)) == pytest.approx(want), f"the URL says {w.page.url}, the slider {want}"
    q = query(w.page)
    box = [float(v) for v in vector_box(w.page).input_value().split(",")]
    assert box == pytest.approx([float(v) for v in q["z"][0].split(",")]), "the vector box and the URL disagree"
    # the figure agrees: the copied link (drawn by the same run as the figures) is the address bar
    shown = [c.inner_text() for c in w.page.locator(".st-key-linkbox .linkbox code").all()]
    assert any(w.page.url.split("?")[1].replace("%2C", ",") in s.replace("\n", "") for s in shown)


def test_a_burst_typed_into_the_vector_box_ends_on_the_last(server, make_page):
    w = open_via_home(make_page, server, "jacobian", "?z=2,1,0.1&step=1")
    box = vector_box(w.page)
    vectors = [f"{k / 10:g}, 1, {-k / 10:g}" for k in range(1, 21)]
    for v in vectors:
        # The field is redrawn for every new z (pages/_ui/controls.py); a student types into the one on screen.
        w.page.wait_for_function("box => document.querySelectorAll(box).length === 1", arg=BOX)
        box = vector_box(w.page)
        box.fill("")
        box.type(v, delay=GAP_MS // 3)  # keystrokes 10 ms apart
        box.press("Enter")
    w.page.wait_for_timeout(1500)
    wait_idle(w.page)
    assert query(w.page)["z"] == ["2,1,-2"]
    assert vector_box(w.page).input_value() == "2, 1, -2"
    sliders = [float(w.page.locator(f'input[type="range"][aria-label="z{s}"]').input_value()) for s in "₁₂₃"]
    assert sliders == [2.0, 1.0, -2.0]
