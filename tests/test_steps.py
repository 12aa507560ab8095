"""Lessons in steps (pages/_ui/steps.py): every registered step opens on its own and runs alone, the picker, Back /
Next, the link, locks and hiding, and the whole-lesson view."""

from __future__ import annotations

import functools

import pytest
from apptest_util import figures, open_page

from core import fmt
from pages._ui.registry import PAGES

LESSONS = [p for p in PAGES if p.steps]
CASES = [(p, k) for p in LESSONS for k in range(1, len(p.steps) + 1)]
LINK = {"z": "1.5,-0.5,0.2,2", "T": "1.5"}


@functools.cache
def opened(path: str, k: int):
    """Step ``k`` of the lesson at ``path`` (0: the whole lesson) opened by a link with LINK's logits, once per process:
    the tests below only read it, and several read the same step."""
    return open_page(path, {"step": str(k), **LINK})


def subheaders(at) -> list[str]:
    return [h.value for h in at.subheader]


def picker(at):
    return next(w for w in at.get("button_group") if w.key == "w_step")


def test_every_lesson_has_steps_and_their_slugs_are_unique():
    assert LESSONS, "no page is a lesson of steps"
    for p in LESSONS:
        slugs = [s.slug for s in p.steps]
        assert len(set(slugs)) == len(slugs) and all(s.title and s.short for s in p.steps)


@pytest.mark.parametrize(("info", "k"), CASES, ids=[f"{p.slug}-{k}" for p, k in CASES])
def test_each_step_opens_alone_with_its_title(info, k):
    at = opened(info.path, k)
    assert not at.exception, at.exception
    step = info.steps[k - 1]
    heads = subheaders(at)
    assert step.title in heads
    others = [s.title for s in info.steps if s is not step]
    assert not [h for h in heads if h in others], "only the open step runs"
    assert at.query_params["step"] == [str(k)] or at.query_params["step"] == str(k)
    if step.notice:
        assert any(step.notice in c.value for c in at.caption)


def test_whole_lesson_view_runs_every_step_in_order():
    for info in LESSONS:
        at = opened(info.path, 0)
        assert not at.exception
        heads = [h for h in subheaders(at) if any(h.endswith(s.title) for s in info.steps)]
        assert heads == [f"{k}. {s.title}" for k, s in enumerate(info.steps, 1)]


def test_next_and_back_walk_the_steps_then_the_next_page():
    info = LESSONS[0]
    at = open_page(info.path, {"step": "1"})
    assert not [b for b in at.button if b.key == "step_back"], "the first step goes back to the previous page"
    for k in range(2, len(info.steps) + 1):
        at.button(key="step_next").click().run()
        assert not at.exception
        assert info.steps[k - 1].title in subheaders(at)
    assert not [b for b in at.button if b.key == "step_next"]
    assert any(lk.proto.label.startswith("Next:") for lk in at.get("page_link")), "the last step leads to the next page"
    at.button(key="step_back").click().run()
    assert info.steps[-2].title in subheaders(at)


def test_a_step_beyond_the_lesson_is_clamped():
    info = LESSONS[0]
    at = open_page(info.path, {"step": "12"})
    assert not at.exception
    assert info.steps[-1].title in subheaders(at)


def test_a_locked_step_stays_and_a_hidden_picker_is_not_drawn():
    info = LESSONS[0]
    at = open_page(info.path, {"step": "2", "lock": "step"})
    assert picker(at).disabled
    assert not [b for b in at.button if b.key in ("step_next", "step_back")], "a locked step offers no Back / Next"
    at = open_page(info.path, {"step": "2", "hide": "step"})
    assert not [w for w in at.get("button_group") if w.key == "w_step"]
    assert info.steps[1].title in subheaders(at)


def test_a_lesson_reached_from_another_page_opens_at_its_first_step():
    a = LESSONS[0]
    at = open_page(a.path, {"step": str(len(a.steps))})
    for page in ("pages/home.py", a.path):  # away and back, as the navigation does (no query)
        at.switch_page(page)
        at.query_params.clear()
        at.run()
        assert not at.exception
    assert a.steps[0].title in subheaders(at)


def test_the_open_step_draws_fewer_charts_than_the_whole_lesson():
    for info in LESSONS:
        whole = len(figures(opened(info.path, 0)))
        each = [len(figures(opened(info.path, k))) for k in range(1, len(info.steps) + 1)]
        assert sum(each) >= whole and max(each) < max(whole, 2)


@pytest.mark.parametrize("n", [3, 5])
def test_the_logit_sliders_come_in_index_order(n):
    """A step's control column puts two z sliders a row; a phone stacks columns, so the document order is the order a
    student reads them in: z₁, z₂, …, zₙ (one set of columns for every slider read z₁, z₃, z₅, …, z₂, z₄)."""
    z = ",".join(str(k) for k in range(n))
    at = open_page("pages/softmax.py", {"step": "1", "z": z})
    labels = [s.label for s in at.slider if s.key and s.key.startswith("w_z")]
    assert labels == [fmt.label("z", k) for k in range(n)]
