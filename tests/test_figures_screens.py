"""figures/screens.py: the width class from what the browser says, titles that wrap and clear the toolbar on a phone,
and charts that fit a 1280x720 projector."""

import pytest

from figures.screens import LAPTOP, PHONE, SLIDE, SLIDE_MAX_HEIGHT, TOOLBAR_PX, fit, width_class, wrap

ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
TABLET = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"


@pytest.mark.parametrize("ua, hint, present, want", [
    (ANDROID, None, False, PHONE), (IPHONE, None, False, PHONE), (DESKTOP, "?1", False, PHONE),
    (DESKTOP, "?0", False, LAPTOP), (TABLET, "?0", False, LAPTOP), (None, None, False, LAPTOP), ("", "", False, LAPTOP),
    (ANDROID, "?1", True, SLIDE), (DESKTOP, None, True, SLIDE),
])
def test_width_class(ua, hint, present, want):
    assert width_class(ua, hint, present) == want


def test_wrap_breaks_at_spaces_and_never_cuts():
    text = "Temperature: small T sharpens S towards the largest z, large T flattens it towards 1/n"
    out = wrap(text, 34)
    assert out.replace("<br>", " ") == text
    assert all(len(line) <= 34 for line in out.split("<br>"))
    assert wrap("short", 34) == "short" and wrap("x" * 50, 34) == "x" * 50  # one long word stays whole


def test_fit_phone_title_goes_under_the_toolbar_and_the_margin_holds_it():
    spec = {"data": [], "layout": {"title": {"text": "The true J = the elementwise diagonal + the off-diagonal −SᵢSⱼ it drops"},
                                   "height": 400, "margin": {"t": 60}}}
    out = fit(spec, PHONE)
    title = out["layout"]["title"]
    lines = title["text"].count("<br>") + 1
    assert lines >= 2 and title["yref"] == "container" and title["pad"]["t"] > TOOLBAR_PX
    assert out["layout"]["margin"]["t"] >= TOOLBAR_PX + lines * 20
    assert out["layout"]["height"] - 400 == out["layout"]["margin"]["t"] - 60  # the plot keeps its own height
    assert spec["layout"]["title"]["text"].count("<br>") == 0 and spec["layout"]["height"] == 400  # input untouched


def test_fit_phone_wraps_frame_titles_too():
    spec = {"data": [], "layout": {"title": {"text": "a"}},
            "frames": [{"name": "0", "data": [], "layout": {"title": {"text": "J at T = 10: max |∂Sᵢ/∂zⱼ| = 0.023 and more"}}}]}
    assert "<br>" in fit(spec, PHONE)["frames"][0]["layout"]["title"]["text"]


def test_fit_slide_caps_the_height_and_laptop_changes_nothing():
    spec = {"data": [], "layout": {"height": 770, "title": {"text": "J"}}}
    assert fit(spec, SLIDE)["layout"]["height"] == SLIDE_MAX_HEIGHT
    assert fit({"data": [], "layout": {"height": 300}}, SLIDE)["layout"]["height"] == 300
    assert fit(spec, LAPTOP) == spec
