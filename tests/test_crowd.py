"""A crowd at a cold start (CI size): a fresh `streamlit run app.py`, 20 students within 5 s, spread over
every page, each loading its page and then moving widgets for a few seconds, over Streamlit's real
websocket protocol (bench/loadsim.py). Asserts 0 errors and 0 exception elements; no timing assertions
(the machine is shared). The full crowd (100 students, 1 process and nginx + 2) is `python -m bench.crowd`;
figures in docs/RELIABILITY.md.

The server is started exactly as a lecturer starts it (`streamlit run app.py`, the project's own config: no
post-script GC, no file watcher), except that error details are shown so that a failure names its exception.

Known failure (reported to the lead, see docs/RELIABILITY.md): the app's folder is called ``pages/``, so
until the FIRST session's app.py reaches ``st.navigation``, Streamlit's class-wide flag
``PagesManager.uses_pages_directory`` is True and every session that starts in that window runs in the old
"pages folder" mode: app.py (and its warm-up import) is skipped, ``pages/*.py`` run directly, the page names
differ ("chain-rule" is not found), and concurrent first imports give "partially initialized module 'pandas'".
The fix is to set the flag to False before the server accepts sessions (a launcher) or to rename the folder.
"""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from bench.crowd import crowd, page_slugs, start_app
from bench.loadsim import free_port, stop

ROOT = Path(__file__).resolve().parents[1]
STUDENTS, RAMP_S, DURATION_S = 20, 5.0, 6.0


V1_RACE = ("cold-start race: the pages/ folder puts early sessions in Streamlit's v1 pages-folder mode until the first "
           "app.py reaches st.navigation (PagesManager.uses_pages_directory); fix: launcher or folder rename")


@pytest.mark.parametrize("nav_first, students, ramp_s", [
    # The crowd the issue asks for, on the app with Streamlit's v1 pages-folder mode off (the proposed launcher fix):
    pytest.param(True, STUDENTS, RAMP_S, id="20-in-5s-v1-pages-mode-off"),
    # Plain `streamlit run app.py`, one student per page arriving at the same instant: every session but the first
    # starts before app.py reaches st.navigation, so the race is deterministic (a spread-out crowd hits it only
    # sometimes, depending on the machine's load).
    pytest.param(False, 8, 0.0, id="burst-streamlit-run", marks=pytest.mark.xfail(strict=True, reason=V1_RACE)),
])
def test_cold_start_crowd_gets_no_errors_and_no_tracebacks(tmp_path, nav_first, students, ramp_s):
    log = tmp_path / "server.log"
    proc, url = start_app(free_port(), nav_first, options={"client.showErrorDetails": "full"}, log=log)
    try:
        result = asyncio.run(crowd(url, students, ramp_s, DURATION_S, seed=0, pids=[proc.pid]))
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
