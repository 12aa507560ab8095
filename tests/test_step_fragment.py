"""An open step reruns on its own: over Streamlit's real protocol (a server, bench/loadsim's student), a move of a
step's control sends the step and the footer again, never the lesson's title and step picker above them, and leaves
the address, the link box and the tour's next-page link on the new value. Back / Next, which sit in the step's
footer, open the other step (a whole run). AppTest runs every script whole, so only a server shows which fragment a
move reruns."""

from __future__ import annotations

import html
import random
import re
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


def test_a_move_in_a_step_reruns_the_step_and_its_footer_not_the_lesson_header():
    proc, url = start_app(free_port())

    async def student() -> None:
        s = Student(0, url, "softmax", "step=2", 60)
        await s.connect()
        await s.rerun()
        z0, picker = _key(s, "w_z0"), _key(s, "w_step")
        assert s.fragment(z0) and s.fragment(z0) != s.fragment(picker), "z₁ is not in a fragment of its own"
        sent = _record(s)
        s.change(z0, random.Random(3))
        await s.rerun(list(s.changed.values()), s.fragment(z0))
        z = s.values[z0.id][0]
        kinds = [k for k, _, _ in sent]
        assert "heading" not in kinds and "button_group" not in kinds, f"the header was sent again: {sent}"
        assert "slider" in kinds and "plotly_chart" in kinds, sent
        shown = f"{z:g}"
        assert _z1(s.query) == shown, (s.query, z)
        boxes = [re.search(r"<code>(.*?)</code>", t)[1] for k, t, _ in sent if k == "markdown" and "linkbox" in t]
        assert boxes and _z1(boxes[0]) == shown, ("the link box is stale", boxes, shown)
        assert not s.exceptions, s.exceptions

        # Next: a button in the step's footer opens step 3, drawn by a whole run (its heading and picker come again)
        nxt, where = next(el for k, _, el in sent if k == "button" and el[0].id.endswith("-step_next"))
        assert where == s.fragment(z0), "Next is not in the step's fragment"
        sent.clear()
        await s.rerun([*s.changed.values(), WidgetState(id=nxt.id, trigger_value=True)], where)
        assert "step=3" in s.query.split("&"), s.query
        assert ("heading", STEP3) in [(k, t) for k, t, _ in sent], [t for k, t, _ in sent if k == "heading"]
        assert _z1(s.query) == shown, ("Next lost the example", s.query)
        assert not s.exceptions, s.exceptions
        await s.close()

    async def last_step() -> None:
        # the last step's Next goes to the next lesson and carries the example as moved in the step
        s = Student(1, url, "softmax", f"step={len(SOFTMAX.steps)}", 60)
        await s.connect()
        await s.rerun()
        z0 = _key(s, "w_z0")
        sent = _record(s)
        s.change(z0, random.Random(5))
        await s.rerun(list(s.changed.values()), s.fragment(z0))
        shown = f"{s.values[z0.id][0]:g}"
        nxt = [el[0] for k, t, el in sent if k == "page_link" and t.startswith("Next:")]
        assert nxt and _z1(nxt[0].query_string) == shown, (shown, [el.query_string for el in nxt])
        assert not s.exceptions, s.exceptions
        await s.close()

    try:
        run_async(student())
        run_async(last_step())
    finally:
        stop(proc)
