"""A crowd at a cold start (CI size): a fresh `streamlit run app.py`, 20 students within 5 s, spread over
every page, each loading its page and then moving widgets for a few seconds, over Streamlit's real
websocket protocol (bench/loadsim/). Asserts 0 errors and 0 exception elements; no timing assertions
(the machine is shared). The full crowd (100 students, 1 process and nginx + 2) is `python -m bench.crowd`;
figures in docs/RELIABILITY.md.

The server is started exactly as a lecturer starts it (`streamlit run app.py`, the project's own config: no
post-script GC, no file watcher), except that error details are shown so that a failure names its exception.

Two crowds: the issue's (20 students within 5 s), and a burst of one student per page at the same instant.
The burst is the deterministic form of a cold-start race found here: the app's folder is called ``pages/``, so
until the first session's app.py reaches ``st.navigation``, Streamlit's class-wide flag
``PagesManager.uses_pages_directory`` is True and every session starting in that window ran ``pages/*.py``
directly (no router, no warm-up: "page not found", "partially initialized module 'pandas'"). The frame now
leaves that mode itself (pages/_ui.py: _leave_pages_folder_mode); this burst keeps it fixed.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import run_async

from bench.crowd import crowd, page_slugs, start_app
from deploy.server import free_port, stop

pytestmark = pytest.mark.crowd  # its own servers and simulated students: left out of the quick loop

ROOT = Path(__file__).resolve().parents[1]
STUDENTS, RAMP_S, DURATION_S = 20, 5.0, 12.0  # the window covers a cold first load on a busy machine


@pytest.mark.parametrize("students, ramp_s", [
    pytest.param(STUDENTS, RAMP_S, id="20-in-5s"),
    pytest.param(8, 0.0, id="burst-8-at-once"),
])
def test_cold_start_crowd_gets_no_errors_and_no_tracebacks(tmp_path, students, ramp_s):
    log = tmp_path / "server.log"
    proc, url = start_app(free_port(), options={"client.showErrorDetails": "full"}, log=log)
    try:
        result = run_async(crowd(url, students, ramp_s, DURATION_S, seed=0, pids=[proc.pid]))
    finally:
        stop(proc)
    text = log.read_text(errors="replace")
    errors_in_log = re.findall(r"^\w*(?:Error|Exception)\b.*$", text, flags=re.M)
    detail = "\n".join([*result.errors[:10], *sorted(set(result.exception_messages))[:10], *sorted(set(errors_in_log))[:10]])
    print(result.table(f"cold start: {students} students within {ramp_s:g} s on {len(page_slugs())} pages"))
    assert len(result.first_load) == students, f"only {len(result.first_load)} of {students} students loaded:\n{detail}"
    assert result.errors == [], detail
    assert result.exceptions == 0, f"{result.exceptions} exception elements:\n{detail}"
    assert result.interaction, "nobody managed to move a widget"


def test_a_stale_index_widget_state_after_n_shrinks_does_not_raise():
    """One student on Derivation: input z₃ (n = 3), then n = 2, then a rerun that repeats the widget states it has
    (a stale tab, or a client that re-sends its last values). Found by the soak: 43 exception elements. Every step
    that holds the pick (Sᵢ, zⱼ beside the logits: every step after step 1, the rules) is replayed on its own link."""
    from streamlit.proto.WidgetStates_pb2 import WidgetState

    from bench.loadsim import Student
    from pages._ui.registry import PAGES

    lesson = next(p for p in PAGES if p.slug == "derivation")
    steps = [k for k, s in enumerate(lesson.steps, 1) if s.slug != "rules"]
    proc, url = start_app(free_port())

    async def student(step: int) -> list[str]:
        s = Student(0, url, "derivation", f"step={step}", 60)
        await s.connect()
        await s.rerun()
        key = {w.id.rsplit("-", 1)[-1]: w for w in s.widgets.values()}  # by widget key: a label differs per layout
        assert {"w_j", "w_n"} <= key.keys(), f"step {step}: no input zⱼ or n among {[w.label for w in key.values()]}"
        j, n = key["w_j"], key["w_n"]
        s.changed[j.id] = WidgetState(id=j.id, string_value=j.options[2])
        await s.rerun(list(s.changed.values()))
        reached = ["j=3" in s.query.split("&")]  # the replay's state was reached: z₃ picked, then n = 2
        ws = WidgetState(id=n.id)
        ws.double_array_value.data.extend([2.0])
        s.changed[n.id] = ws
        await s.rerun(list(s.changed.values()))
        reached.append("n=2" in s.query.split("&"))
        await s.rerun(list(s.changed.values()))
        await s.close()
        assert all(reached), f"step {step}: the replay did not reach z₃ then n = 2 ({reached}, {s.query})"
        return [f"step {step}: {e}" for e in s.exceptions]

    async def students() -> list[str]:
        return [e for k in steps for e in await student(k)]

    try:
        exceptions = run_async(students())
    finally:
        stop(proc)
    assert steps == list(range(2, len(lesson.steps) + 1)), steps  # the rules are step 1 and no other
    assert exceptions == []
