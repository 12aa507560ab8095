"""A classroom load simulator that speaks Streamlit's real websocket protocol.

Each simulated student does what a browser does:

1. ``GET /_stcore/health`` (sets the ``_streamlit_xsrf`` cookie) and ``GET /_stcore/host-config``;
2. opens ``ws://host:port/_stcore/stream`` with subprotocols ``["streamlit", <xsrf token>]``, the cookie and an
   ``Origin`` header (XSRF protection stays ON on the server);
3. sends ``BackMsg.rerun_script`` with a ``ClientState`` (``query_string``, ``page_name`` = the page's URL path,
   ``page_script_hash`` once known, ``cached_message_hashes`` like the browser's message cache) and reads
   ``ForwardMsg`` frames until ``script_finished``: that is one *first load*;
4. then, until the class ends, thinks for U(think_s) seconds and changes one of the page's real widgets (read from
   the ``Delta`` elements of the last run: sliders, select boxes, radios, number inputs, checkboxes, segmented
   controls / pills), sending ``WidgetStates`` with the new value, and times the rerun until ``script_finished``:
   that is one *interaction*. The query string the server writes (``page_info_changed``) is sent back on the
   next rerun, exactly like the browser's address bar.

If the websocket drops (a replica died), the student reconnects (a fresh session, because the view lives in the
URL) with the last query string, and the simulator records whether the widgets came back with the same values.

API (stable; bench/ and the robustness tests import it)::

    from bench.loadsim import run_class, ClassResult
    result: ClassResult = asyncio.run(run_class(
        base_url="http://127.0.0.1:8501",  # the server (or nginx in front of several)
        page="softmax",                     # URL path of the page ("" = the default page)
        students=30,                        # how many students
        ramp_s=10.0,                        # arrivals spread evenly over this many seconds (0 = all at once)
        duration_s=30.0,                    # how long the class runs AFTER the ramp
        think_s=(0.0, 6.0),                 # think time between interactions, uniform
        query="n=4",                        # initial query string (a shared link), "" = page defaults
        seed=0,                             # all randomness (think times, widget choice, values)
        # keyword-only extras (defaults shown):
        pids=(),                            # server process ids: CPU per rerun and RSS are measured when given
        widget_filter=None,                 # Callable[[Widget], bool]: which widgets students touch
        rerun_timeout_s=60.0,               # a rerun slower than this counts as an error
        reconnect=True,                     # reconnect after a dropped websocket
        min_moves=0,                        # each student makes at least this many moves, even past the end
    ))
    result.first_load            # list[float] seconds, one per student that loaded
    result.interaction           # list[float] seconds, one per widget change
    result.errors                # list[str]: failed connects, timeouts, drops, compile errors
    result.exceptions            # int: exception elements received (Delta new_element.exception)
    result.exception_messages    # list[str]: their type: message (may be empty under showErrorDetails=none)
    result.bytes_per_rerun       # list[int]: websocket payload bytes received per rerun
    result.timelines             # dict[student -> list[(t_since_class_start, latency)]], first load included
    result.events                # list[Event(student, t, kind, latency, nbytes)], kind in first/interaction/reconnect
    result.reconnects            # list[Reconnect(student, t, latency, same_view)]
    result.server                # ServerStats | None: cpu_s, reruns, cpu_per_rerun_ms, rss_mb_start/max/end, rss samples
    result.summary()             # dict of p50/p95/max etc.
    result.table()               # the printed table (str)

Modules: ``protocol`` (Student, the widgets, a student's change), ``run`` (run_class), ``results`` (ClassResult,
pct, format_table, ServerProbe, load_average); everything above is importable from ``bench.loadsim`` itself.

CLI (prints a table; add --json FILE to keep every number)::

    python -m bench.loadsim --url http://127.0.0.1:8501 --page softmax --students 30 --ramp 10 --duration 30

``--pid auto`` finds the process listening on the URL's port (for CPU per rerun and RSS).
"""

from __future__ import annotations

from pathlib import Path

from bench.loadsim.protocol import (
                                   CHROME,
                                   WIDGET_KINDS,
                                   ScriptError,
                                   Student,
                                   Widget,
                                   http_get,
                                   interactive,
                                   new_value,
                                   page_widget,
)
from bench.loadsim.results import (
                                   ClassResult,
                                   Event,
                                   Reconnect,
                                   ServerProbe,
                                   ServerStats,
                                   format_table,
                                   load_average,
                                   pct,
                                   pids_listening,
)
from bench.loadsim.run import run_class

ROOT = Path(__file__).resolve().parents[2]

__all__ = [
                                   "CHROME",
                                   "ROOT",
                                   "WIDGET_KINDS",
                                   "ClassResult",
                                   "Event",
                                   "Reconnect",
                                   "ScriptError",
                                   "ServerProbe",
                                   "ServerStats",
                                   "Student",
                                   "Widget",
                                   "format_table",
                                   "http_get",
                                   "interactive",
                                   "load_average",
                                   "new_value",
                                   "page_widget",
                                   "pct",
                                   "pids_listening",
                                   "run_class",
]
