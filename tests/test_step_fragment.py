"""An open step reruns on its own: over Streamlit's real protocol (a server, bench/loadsim's student), a move of a
step's control sends the step again, never the lesson's title and step picker above it, and leaves the address on
the new value. Of its footer, a move sends again only what shows the example: the tour at a lesson's first and last
steps, whose links to another lesson carry it. The link box and the lecturer tools, and a middle step's whole
footer, are the page's, and a middle step's Back / Next open the other step with the example. AppTest runs every
script whole, so only a server shows which fragment a move reruns."""

from __future__ import annotations

import html
import random
import re
from unittest import mock
from urllib.parse import parse_qs

import pytest
from helpers import run_async
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState

from bench.crowd import start_app
from bench.loadsim import Student
from deploy.server import free_port, stop
from pages._ui.registry import PAGES

SOFTMAX = next(p for p in PAGES if p.slug == "softmax")
STEP3 = SOFTMAX.steps[2].title

pytestmark = pytest.mark.crowd  # its own server: left out of the quick loop


def _record(s: Student) -> list[tuple[str, str, object]]:
    """From now on, every new element the student receives, as (type, its text or label, the element and the fragment
    it was drawn in)."""
    seen: list[tuple[str, str, object]] = []
    recv = s.ws.recv

    async def spy():
        raw = await recv()
        fm = ForwardMsg()
        fm.ParseFromString(raw)
        if fm.WhichOneof("type") == "delta" and fm.delta.WhichOneof("type") == "new_element":
            el = fm.delta.new_element
            kind = el.WhichOneof("type")
            part = getattr(el, kind)
            seen.append((kind, getattr(part, "body", "") or getattr(part, "label", ""), (part, fm.delta.fragment_id)))
        return raw

    s.ws.recv = spy
    return seen


def _z1(query: str) -> str:
    """z₁ as a query (an address, a link's) gives it."""
    return parse_qs(html.unescape(query).rpartition("?")[2])["z"][0].split(",")[0]


def _key(s: Student, key: str):
    return next(w for w in s.widgets.values() if w.id.endswith(f"-{key}"))


def _linkbox(sent) -> list[str]:
    return [re.search(r"<code>(.*?)</code>", t)[1] for k, t, _ in sent if k == "markdown" and "linkbox" in t]


def test_a_move_in_a_step_reruns_the_step_not_the_lesson_header_and_the_footer_where_it_shows_the_example():
    proc, url = start_app(free_port())

    async def middle_step() -> None:
        s = Student(0, url, "softmax", "step=2", 60)
        await s.connect()
        sent = _record(s)
        await s.rerun()
        z0, picker = _key(s, "w_z0"), _key(s, "w_step")
        nxt, where = next(el for k, _, el in sent if k == "button" and el[0].id.endswith("-step_next"))
        assert s.fragment(z0) and s.fragment(z0) != s.fragment(picker), "z₁ is not in a fragment of its own"
        assert where == s.fragment(picker), "a middle step's footer is not the page's"
        sent.clear()
        s.change(z0, random.Random(3))
        await s.rerun(list(s.changed.values()), s.fragment(z0))
        z = s.values[z0.id][0]
        kinds = [k for k, _, _ in sent]
        assert "heading" not in kinds and "button_group" not in kinds, f"the header was sent again: {sent}"
        charts = [el[0] for k, _, el in sent if k == "bidi_component" and el[0].component_name == "sdx_chart"]
        assert "slider" in kinds and charts, sent
        assert "button" not in kinds and not _linkbox(sent), f"the footer was sent again: {sent}"
        shown = f"{z:g}"
        assert _z1(s.query) == shown, (s.query, z)
        assert not s.exceptions, s.exceptions

        # Next, in the page's fragment: opens step 3 with the example, and with it the heading and the picker
        sent.clear()
        await s.rerun([*s.changed.values(), WidgetState(id=nxt.id, trigger_value=True)], where)
        assert "step=3" in s.query.split("&"), s.query
        assert ("heading", STEP3) in [(k, t) for k, t, _ in sent], [t for k, t, _ in sent if k == "heading"]
        assert _z1(s.query) == shown, ("Next lost the example", s.query)
        boxes = _linkbox(sent)
        assert boxes and _z1(boxes[0]) == shown, ("the link box is stale", boxes, shown)
        assert not s.exceptions, s.exceptions
        await s.close()

    async def end_step(k: int, link: str) -> None:
        # the first step's Back and the last step's Next go to another lesson and carry the example as moved in the
        # step; the link box below them is the page's (the browser keeps it on the address bar)
        s = Student(k, url, "softmax", f"step={k}", 60)
        await s.connect()
        await s.rerun()
        z0 = _key(s, "w_z0")
        sent = _record(s)
        s.change(z0, random.Random(5))
        await s.rerun(list(s.changed.values()), s.fragment(z0))
        shown = f"{s.values[z0.id][0]:g}"
        tour = [el[0] for kind, t, el in sent if kind == "page_link" and t.startswith(link)]
        assert tour and _z1(tour[0].query_string) == shown, (shown, [el.query_string for el in tour])
        assert not _linkbox(sent), "the link box was sent again"
        assert _z1(s.query) == shown, (s.query, shown)
        assert not s.exceptions, s.exceptions
        await s.close()

    try:
        run_async(middle_step())
        run_async(end_step(1, "Back:"))
        run_async(end_step(len(SOFTMAX.steps), "Next:"))
    finally:
        stop(proc)


@pytest.mark.parametrize("slug", [p.slug for p in PAGES if p.steps])
def test_the_step_draws_the_parts_of_the_footer_that_show_the_example(slug):
    """Which parts of the footer the open step draws (footer.in_step): the tour at the first and last steps and at
    every step when the lecturer locked the step; the whole footer under open lecturer tools (not drawn when
    presented); nothing at a middle step."""
    from pages._ui.footer import REST, TOUR, in_step
    from pages._ui.urlstate import Ctx

    info = next(p for p in PAGES if p.slug == slug)
    last = len(info.steps)
    state = {}
    with mock.patch("streamlit.session_state", state):
        for k in range(1, last + 1):
            tour = (TOUR,) if k in (1, last) else ()
            ctx = Ctx(slug, {}, (), False, False, info=info, step=k)
            assert in_step(ctx) == tour, k
            locked = Ctx(slug, {}, (), False, False, locked=frozenset({"step"}), info=info, step=k)
            assert in_step(locked) == (TOUR,), k
            state["x_lecturer"] = True
            assert in_step(ctx) == (TOUR, REST), k
            presented = Ctx(slug, {}, (), False, True, info=info, step=k)
            assert in_step(presented) == tour, ("the tools are not drawn when presented", k)
            state.clear()
