"""The frame's part of #14 and #13 item 4, through AppTest: slide export settings reach every chart, presentation
charts fit a 1280x720 projector, and the page script (keyboard animations, export) is sent once, intact."""

import re

import pytest
from apptest_util import chart_elements, figures, open_page

from figures.screens import SLIDE_MAX_HEIGHT
from pages._ui import PAGES as _ALL

PAGES = list(_ALL)
IDS = [p.slug for p in PAGES]


def charts(at):
    return chart_elements(at)


def scripts(at) -> list[str]:
    return [h.proto.body for h in at.get("html") if h.proto.unsafe_allow_javascript]


@pytest.mark.parametrize("info", PAGES, ids=IDS)
def test_background_choice_reaches_every_chart_and_the_script_is_sent_once(info):
    at = open_page(info.path, {"bg": "transparent", "n": "10"})
    assert not at.exception
    for c in charts(at):
        assert c.config["toImageButtonOptions"]["background"] == "transparent"
    sent = scripts(at)
    assert len(sent) == 1 and "__sdxClient" in sent[0]
    # st.html's sanitiser (DOMPurify) empties a script whose text has "<" before a letter, "/" or "!"
    assert not re.search(r"<[/\w!]", sent[0][len("<script>"):-len("</script>")])


def test_background_defaults_to_white_and_the_radio_writes_the_link():
    at = open_page("pages/softmax.py")
    assert {c.config["toImageButtonOptions"]["background"] for c in charts(at)} == {"white"}
    assert "bg" not in at.query_params  # a default stays out of the link
    at.radio(key="w_bg").set_value("shown").run()
    assert at.query_params["bg"] == "shown"
    assert {c.config["toImageButtonOptions"]["background"] for c in charts(at)} == {"shown"}


@pytest.mark.parametrize("info", PAGES, ids=IDS)
def test_presentation_charts_fit_a_720_screen(info):
    at = open_page(info.path, {"present": "1", "n": "10"})
    assert not at.exception
    for c in charts(at):
        height = c.spec["layout"].get("height", 450)
        assert height <= SLIDE_MAX_HEIGHT, (info.slug, height)


def test_presentation_readouts_grow_with_the_text():
    laptop = figures(open_page("pages/jacobian.py"))
    slide = figures(open_page("pages/jacobian.py", {"present": "1"}))
    sizes = [[s["layout"]["sliders"][0]["currentvalue"]["font"]["size"] for s in specs if s["layout"].get("sliders")]
             for specs in (laptop, slide)]
    assert sizes[0] and all(b > a for a, b in zip(*sizes, strict=True)), sizes
