"""The app, README.md and docs/LECTURERS.md say the same thing about an export's theme and background: the sidebar's
words (figures.palette.EXPORT_BACKGROUNDS, EXPORT_STILL) appear word for word in both documents, and the old claim
that an export keeps the screen's theme is gone (pages/_ui/client.js draws white and transparent exports in the light
theme; tests/browser/test_lecturer_tools.py and test_screens.py check the pictures)."""

from __future__ import annotations

from pathlib import Path

import pytest
from apptest_util import open_page

from figures.palette import EXPORT_BACKGROUNDS, EXPORT_STILL

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("doc", ["README.md", "docs/LECTURERS.md"])
def test_the_documents_say_what_the_app_says(doc):
    text = " ".join((ROOT / doc).read_text(encoding="utf-8").split())
    for words in (*EXPORT_BACKGROUNDS.values(), EXPORT_STILL):
        assert words in text, f"{doc} does not say: {words}"
    assert "keep the theme you see" not in text


def test_the_sidebar_says_it():
    at = open_page("pages/softmax.py", {"step": "1"})
    radio = next(r for r in at.sidebar.radio if r.key == "w_bg")
    for words in (*EXPORT_BACKGROUNDS.values(), EXPORT_STILL):
        assert words in radio.help
    assert list(EXPORT_BACKGROUNDS) == list(radio.options) or len(radio.options) == len(EXPORT_BACKGROUNDS)
