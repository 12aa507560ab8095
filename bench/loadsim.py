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

CLI (prints a table; add --json FILE to keep every number)::

    python -m bench.loadsim --url http://127.0.0.1:8501 --page softmax --students 30 --ramp 10 --duration 30

``--pid auto`` finds the process listening on the URL's port (for CPU per rerun and RSS).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import random
import statistics
import time
import urllib.parse
import urllib.request
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parents[1]
WIDGET_KINDS = ("slider", "selectbox", "radio", "number_input", "checkbox", "button_group")


# ---- results ---------------------------------------------------------------------------------------


@dataclass
class Widget:
    """One widget as the server described it in the last run."""

    id: str
    kind: str
    label: str
    lo: float = 0.0
    hi: float = 0.0
    step: float = 0.0
    is_int: bool = False
    options: tuple[str, ...] = ()
    value: object = None
    disabled: bool = False


@dataclass
class Event:
    student: int
    t: float  # seconds since the class started, at the end of the rerun
    kind: str  # "first", "interaction", "reconnect"
    latency: float
    nbytes: int


@dataclass
class Reconnect:
    student: int
    t: float
    latency: float
    same_view: bool
    detail: str = ""  # what differed, when same_view is False


@dataclass
class ServerStats:
    cpu_s: float
    reruns: int
    cpu_per_rerun_ms: float
    rss_mb_start: float
    rss_mb_max: float
    rss_mb_end: float
    rss_samples: list[tuple[float, float]] = field(default_factory=list)  # (t, MB)


def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank); nan for no values."""
    if not values:
        return math.nan
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))
    return s[k]


@dataclass
class ClassResult:
    base_url: str
    page: str
    students: int
    ramp_s: float
    duration_s: float
    wall_s: float = 0.0
    first_load: list[float] = field(default_factory=list)
    interaction: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    exceptions: int = 0
    exception_messages: list[str] = field(default_factory=list)
    bytes_per_rerun: list[int] = field(default_factory=list)
    timelines: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    reconnects: list[Reconnect] = field(default_factory=list)
    server: ServerStats | None = None

    def summary(self) -> dict:
        s = self.server
        return {
            "page": self.page or "(default)", "students": self.students,
            "first_p50_ms": 1e3 * pct(self.first_load, 50), "first_p95_ms": 1e3 * pct(self.first_load, 95),
            "first_max_ms": 1e3 * max(self.first_load, default=math.nan),
            "moves": len(self.interaction),
            "move_p50_ms": 1e3 * pct(self.interaction, 50), "move_p95_ms": 1e3 * pct(self.interaction, 95),
            "move_max_ms": 1e3 * max(self.interaction, default=math.nan),
            "errors": len(self.errors), "exceptions": self.exceptions,
            "kB_per_rerun": statistics.median(self.bytes_per_rerun) / 1e3 if self.bytes_per_rerun else math.nan,
            "cpu_ms_per_rerun": s.cpu_per_rerun_ms if s else math.nan,
            "rss_mb_max": s.rss_mb_max if s else math.nan,
            "reconnects": len(self.reconnects),
        }

    def table(self, title: str = "") -> str:
        return format_table([self.summary()], title=title)

    def to_json(self) -> dict:
        return asdict(self)


def format_table(rows: Sequence[dict], title: str = "") -> str:
    """A plain-text table of summary() dicts (floats rounded; nan shown as -)."""
    if not rows:
        return ""
    cols = list(dict.fromkeys(k for r in rows for k in r))

    def cell(v) -> str:
        if isinstance(v, float):
            return "-" if math.isnan(v) else (f"{v:.0f}" if abs(v) >= 100 else f"{v:.1f}")
        return str(v)

    body = [[cell(r.get(c, "")) for c in cols] for r in rows]
    widths = [max(len(c), *(len(b[i]) for b in body)) for i, c in enumerate(cols)]
    line = lambda vals: "| " + " | ".join(v.rjust(w) for v, w in zip(vals, widths, strict=True)) + " |"
    out = [title] if title else []
    out += [line(cols), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, body)]
    return "\n".join(out)


# ---- the protocol -----------------------------------------------------------------------------------


class ScriptError(Exception):
    pass


async def http_get(base_url: str, path: str, cookie: str = "") -> tuple[int, dict[str, str], bytes]:
    """A minimal async HTTP/1.1 GET (no threads, so hundreds of students cost little)."""
    u = urllib.parse.urlsplit(base_url)
    host, port = u.hostname or "127.0.0.1", u.port or 80
    reader, writer = await asyncio.open_connection(host, port)
    try:
        req = f"GET {path} HTTP/1.1\r\nHost: {u.netloc}\r\nConnection: close\r\nUser-Agent: loadsim\r\n"
        if cookie:
            req += f"Cookie: {cookie}\r\n"
        writer.write((req + "\r\n").encode())
        await writer.drain()
        raw = await reader.read()
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
    headers: dict[str, str] = {}
    for ln in lines[1:]:
        k, _, v = ln.partition(":")
        k = k.strip().lower()
        headers[k] = (headers[k] + "\n" + v.strip()) if k in headers else v.strip()
    return status, headers, body


def _widget(el) -> Widget | None:
    kind = el.WhichOneof("type")
    if kind not in WIDGET_KINDS:
        return None
    w = getattr(el, kind)
    if kind == "slider":
        if w.data_type not in (0, 1, 2):  # INT, FLOAT, (DATETIME...) skipped; options sliders have options
            return None
        vals = list(w.value) if w.set_value else list(w.default)
        if w.options:
            return Widget(w.id, "select_slider", w.label, options=tuple(w.options), value=vals, disabled=w.disabled)
        return Widget(w.id, kind, w.label, w.min, w.max, w.step or 1.0, w.data_type == 0, value=vals, disabled=w.disabled)
    if kind == "number_input":
        lo = w.min if w.has_min else (w.value if w.set_value else w.default) - 10 * (w.step or 1)
        hi = w.max if w.has_max else (w.value if w.set_value else w.default) + 10 * (w.step or 1)
        return Widget(w.id, kind, w.label, lo, hi, w.step or 1.0, w.data_type == 0,
                      value=w.value if w.set_value else w.default, disabled=w.disabled)
    if kind == "checkbox":
        return Widget(w.id, kind, w.label, value=w.value if w.set_value else w.default, disabled=w.disabled)
    if kind in ("selectbox", "radio"):
        d = w.default if isinstance(w.default, int) else (w.default[0] if len(w.default) else -1)
        cur = w.raw_value if w.set_value else (w.options[d] if 0 <= d < len(w.options) else None)
        return Widget(w.id, kind, w.label, options=tuple(w.options), value=cur, disabled=w.disabled)
    if kind == "button_group":
        opts = tuple(getattr(o, "content", "") for o in w.options)
        return Widget(w.id, kind, w.label if hasattr(w, "label") else "", options=opts, disabled=w.disabled,
                      lo=float(getattr(w, "click_mode", 0)))
    return None


def new_value(w: Widget, rng: random.Random):
    """A new value for widget ``w``, as a filled WidgetState."""
    ws = WidgetState(id=w.id)
    if w.kind == "slider":
        nsteps = max(1, round((w.hi - w.lo) / w.step)) if w.step > 0 else 100
        pick = lambda: round(w.lo + rng.randint(0, nsteps) * (w.hi - w.lo) / nsteps, 10)  # as the browser sends it
        vals = sorted(pick() for _ in range(len(w.value) or 1))
        if w.is_int:
            vals = [float(round(v)) for v in vals]
        ws.double_array_value.data.extend(vals)
    elif w.kind == "select_slider":
        # select_slider sends the formatted option strings (Streamlit 1.67: string_array_value)
        idx = sorted(rng.randrange(len(w.options)) for _ in range(len(w.value) or 1))
        ws.string_array_value.data.extend(w.options[i] for i in idx)
    elif w.kind == "number_input":
        nsteps = max(1, round((w.hi - w.lo) / w.step))
        v = round(w.lo + rng.randint(0, nsteps) * (w.hi - w.lo) / nsteps, 10)
        ws.double_value = float(round(v)) if w.is_int else v
    elif w.kind == "checkbox":
        ws.bool_value = not bool(w.value)
    elif w.kind in ("selectbox", "radio"):
        choices = [o for o in w.options if o != w.value] or list(w.options)
        ws.string_value = rng.choice(choices)
    elif w.kind == "button_group":
        ws.string_array_value.data.append(rng.choice(w.options))
    return ws


def interactive(w: Widget) -> bool:
    if w.disabled:
        return False
    if w.kind in ("selectbox", "radio", "button_group", "select_slider"):
        return len(w.options) >= 2
    if w.kind in ("slider", "number_input"):
        return w.hi > w.lo
    return True


class Student:
    """One browser tab: a websocket session, its message cache, its widgets and its address bar."""

    def __init__(self, k: int, base_url: str, page: str, query: str, timeout: float):
        self.k, self.base_url, self.page, self.query, self.timeout = k, base_url.rstrip("/"), page, query, timeout
        self.ws = None
        self.page_hash = ""
        self.cache: dict[str, ForwardMsg] = {}
        self.widgets: dict[str, Widget] = {}
        self.fragment_of: dict[str, str] = {}  # widget id -> the st.fragment it lives in ("" = the page)
        self.changed: dict[str, WidgetState] = {}
        self.values: dict[str, object] = {}  # what each widget shows, by id
        self.exceptions: list[str] = []
        self.problems: list[str] = []  # non-fatal problems, reported as errors

    async def connect(self) -> None:
        _, headers, _ = await http_get(self.base_url, "/_stcore/health")
        cookie, token = "", ""
        for c in headers.get("set-cookie", "").split("\n"):
            name, _, rest = c.partition("=")
            if name.strip() == "_streamlit_xsrf":
                token = rest.split(";")[0]
                cookie = f"_streamlit_xsrf={token}"
        await http_get(self.base_url, "/_stcore/host-config", cookie)
        u = urllib.parse.urlsplit(self.base_url)
        protos = ["streamlit", token] if token else ["streamlit"]
        self.ws = await connect(
            f"ws://{u.netloc}{u.path}/_stcore/stream", subprotocols=protos, origin=self.base_url,
            additional_headers={"Cookie": cookie} if cookie else None, max_size=None, proxy=None,
            open_timeout=self.timeout, ping_interval=None,
        )

    async def close(self) -> None:
        if self.ws is not None:
            with contextlib.suppress(Exception):
                await self.ws.close()
            self.ws = None

    async def rerun(self, widget_states: Sequence[WidgetState] = (), fragment_id: str = "") -> int:
        """Send one rerun_script and read until script_finished. Returns bytes received.

        ``fragment_id`` (as the browser sends it for a widget inside an ``st.fragment``) reruns only that
        fragment: only its widgets are replaced, the page's other widgets stay."""
        msg = BackMsg()
        cs = msg.rerun_script
        cs.query_string = self.query
        cs.page_name = self.page
        cs.page_script_hash = self.page_hash
        cs.widget_states.widgets.extend(widget_states)
        cs.cached_message_hashes.extend(self.cache)
        if fragment_id:
            cs.fragment_id = fragment_id
        await self.ws.send(msg.SerializeToString())
        self.widgets = {i: w for i, w in self.widgets.items() if fragment_id and self.fragment_of.get(i) != fragment_id}
        nbytes = 0
        deadline = time.monotonic() + self.timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError(f"no script_finished within {self.timeout:.0f} s")
            raw = await asyncio.wait_for(self.ws.recv(), left)
            nbytes += len(raw)
            fm = ForwardMsg()
            fm.ParseFromString(raw)
            kind = fm.WhichOneof("type")
            if kind == "ref_hash":
                cached = self.cache.get(fm.ref_hash)
                if cached is None:
                    continue
                fm = cached
                kind = fm.WhichOneof("type")
            elif fm.metadata.cacheable and fm.hash:
                self.cache[fm.hash] = fm
            if kind == "delta":
                if fm.delta.WhichOneof("type") != "new_element":
                    continue
                el = fm.delta.new_element
                et = el.WhichOneof("type")
                if et == "exception":
                    self.exceptions.append(f"{el.exception.type}: {el.exception.message}"[:300])
                elif et in WIDGET_KINDS:
                    w = _widget(el)
                    if w is not None:
                        # Like the browser: a widget keeps the value it has on screen unless the server sets one
                        # (set_value); the first time it shows its default.
                        if getattr(el, et).set_value or w.id not in self.values:
                            self.values[w.id] = w.value
                        w.value = self.values[w.id]
                        self.widgets[w.id] = w
                        self.fragment_of[w.id] = fm.delta.fragment_id
            elif kind == "navigation":  # the page that actually ran (new_session carries the main script's hash)
                self.page_hash = fm.navigation.page_script_hash
            elif kind == "page_info_changed":
                self.query = fm.page_info_changed.query_string
            elif kind == "session_event":
                ev = fm.session_event
                if ev.WhichOneof("type") == "script_compilation_exception":
                    raise ScriptError(f"compile error: {ev.script_compilation_exception.message}"[:300])
            elif kind == "page_not_found":  # Streamlit runs the default page instead: the student sees the wrong page
                self.problems.append(f"page not found: {fm.page_not_found.page_name!r}")
            elif kind == "script_finished":
                if fm.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue
                # keep only the widget states that still exist
                self.changed = {i: s for i, s in self.changed.items() if i in self.widgets}
                return nbytes

    def fragment(self, w: Widget) -> str:
        """The fragment a change of ``w`` reruns ("" = the whole page), as the browser decides."""
        return self.fragment_of.get(w.id, "")

    def change(self, w: Widget, rng: random.Random) -> WidgetState:
        """Move widget ``w`` to a new random value, as a student would; it is sent with the next rerun."""
        ws = new_value(w, rng)
        kind = ws.WhichOneof("value")
        v = getattr(ws, kind)
        self.values[w.id] = list(v.data) if hasattr(v, "data") else v
        self.changed[w.id] = ws
        return ws

    def view(self) -> dict[str, object]:
        return {w.label: w.value for w in self.widgets.values()}


# ---- server-side measurement ---------------------------------------------------------------------------


class ServerProbe:
    def __init__(self, pids: Sequence[int]):
        import psutil

        self.procs = [psutil.Process(p) for p in pids]
        self.t0 = time.monotonic()
        self.cpu0 = self._cpu()
        self.rss: list[tuple[float, float]] = [(0.0, self._rss())]

    def _cpu(self) -> float:
        tot = 0.0
        for p in self.procs:
            with contextlib.suppress(Exception):
                c = p.cpu_times()
                tot += c.user + c.system
        return tot

    def _rss(self) -> float:
        tot = 0
        for p in self.procs:
            with contextlib.suppress(Exception):
                tot += p.memory_info().rss
        return tot / 2**20

    async def sample(self, every: float = 1.0) -> None:
        while True:
            await asyncio.sleep(every)
            self.rss.append((time.monotonic() - self.t0, self._rss()))

    def stats(self, reruns: int) -> ServerStats:
        cpu = self._cpu() - self.cpu0
        self.rss.append((time.monotonic() - self.t0, self._rss()))
        mbs = [m for _, m in self.rss]
        return ServerStats(cpu, reruns, 1e3 * cpu / reruns if reruns else math.nan, mbs[0], max(mbs), mbs[-1], self.rss)


def pids_listening(port: int) -> list[int]:
    """Processes of this user listening on ``port`` (for --pid auto)."""
    import psutil

    out = []
    for p in psutil.process_iter(["pid"]):
        with contextlib.suppress(Exception):
            for c in p.net_connections(kind="inet"):
                if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port:
                    out.append(p.pid)
                    break
    return out


# ---- the class -----------------------------------------------------------------------------------


async def run_class(
    base_url: str,
    page: str = "",
    students: int = 30,
    ramp_s: float = 10.0,
    duration_s: float = 30.0,
    think_s: tuple[float, float] = (0.0, 6.0),
    query: str = "",
    seed: int = 0,
    *,
    pids: Sequence[int] = (),
    widget_filter: Callable[[Widget], bool] | None = None,
    rerun_timeout_s: float = 60.0,
    reconnect: bool = True,
    min_moves: int = 0,
) -> ClassResult:
    """Simulate a class; see the module docstring."""
    res = ClassResult(base_url, page, students, ramp_s, duration_s)
    probe = ServerProbe(pids) if pids else None
    sampler = asyncio.create_task(probe.sample()) if probe else None
    t0 = time.monotonic()
    end = t0 + ramp_s + duration_s
    usable = widget_filter or (lambda w: True)

    def record(k: int, kind: str, lat: float, nbytes: int) -> None:
        t = time.monotonic() - t0
        res.events.append(Event(k, t, kind, lat, nbytes))
        res.timelines.setdefault(k, []).append((t, lat))
        res.bytes_per_rerun.append(nbytes)
        (res.first_load if kind == "first" else res.interaction if kind == "interaction" else []).append(lat)

    async def student(k: int) -> None:
        rng = random.Random(seed * 100_003 + k)
        await asyncio.sleep(ramp_s * k / students if students > 1 else 0.0)
        s = Student(k, base_url, page, query, rerun_timeout_s)
        try:
            t = time.monotonic()
            try:
                await s.connect()
                nb = await s.rerun()
            except Exception as e:
                res.errors.append(f"student {k}: first load: {type(e).__name__}: {e}"[:300])
                return
            record(k, "first", time.monotonic() - t, nb)
            moves = 0
            while True:
                await asyncio.sleep(rng.uniform(*think_s))
                if time.monotonic() >= end and moves >= min_moves:
                    return
                choices = [w for w in s.widgets.values() if interactive(w) and usable(w)]
                if not choices:
                    await asyncio.sleep(max(0.0, end - time.monotonic()))
                    return
                w = rng.choice(choices)
                prev_view, prev_query = s.view(), s.query
                s.change(w, rng)
                t = time.monotonic()
                try:
                    nb = await s.rerun(list(s.changed.values()), s.fragment(w))
                    record(k, "interaction", time.monotonic() - t, nb)
                    moves += 1
                except ConnectionClosed as e:
                    res.errors.append(f"student {k}: websocket dropped: {e}"[:300])
                    if not reconnect or time.monotonic() >= end:
                        return
                    t = time.monotonic()
                    await s.close()
                    s.cache.clear()
                    s.changed, s.values = {}, {}
                    sent_query = s.query
                    for attempt in range(20):
                        try:
                            await s.connect()
                            nb = await s.rerun()
                            break
                        except Exception as e2:
                            await s.close()
                            if attempt == 19:
                                res.errors.append(f"student {k}: reconnect failed: {e2}"[:300])
                                return
                            await asyncio.sleep(0.5)
                    lat = time.monotonic() - t
                    record(k, "reconnect", lat, nb)
                    # The view lives in the URL: the new replica must render exactly the address bar's view (it
                    # rewrites the URL otherwise), and if the lost interaction never reached the address bar, the
                    # widgets must be exactly as before it.
                    after = s.view()
                    same = s.query == sent_query and (sent_query != prev_query or after == prev_view)
                    diff = [f"{lbl}: {prev_view.get(lbl)} -> {after.get(lbl)}" for lbl in sorted(set(prev_view) | set(after))
                            if prev_view.get(lbl) != after.get(lbl)]
                    detail = "" if same else (f"url {sent_query!r} -> {s.query!r}" if s.query != sent_query
                                              else "widgets " + ", ".join(diff))
                    res.reconnects.append(Reconnect(k, time.monotonic() - t0, lat, same, detail[:300]))
                except Exception as e:
                    res.errors.append(f"student {k}: interaction: {type(e).__name__}: {e}"[:300])
                    return
        finally:
            res.errors.extend(f"student {k}: {p}" for p in s.problems)
            res.exceptions += len(s.exceptions)
            res.exception_messages.extend(s.exceptions)
            await s.close()

    await asyncio.gather(*(student(k) for k in range(students)))
    res.wall_s = time.monotonic() - t0
    if probe:
        sampler.cancel()
        res.server = probe.stats(len(res.events))
    return res


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


# ---- CLI ------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.loadsim", description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default="http://127.0.0.1:8501")
    ap.add_argument("--page", default="", help="URL path of the page, e.g. softmax ('' = default page)")
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--ramp", type=float, default=10.0)
    ap.add_argument("--duration", type=float, default=30.0)
    ap.add_argument("--think", type=float, nargs=2, default=(0.0, 6.0), metavar=("MIN", "MAX"))
    ap.add_argument("--query", default="")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--pid", default="", help="server pid(s), comma-separated, or 'auto' (the process on --url's port)")
    ap.add_argument("--json", default="", help="write the full result here")
    a = ap.parse_args(argv)
    if a.pid == "auto":
        pids = pids_listening(urllib.parse.urlsplit(a.url).port or 80)
    else:
        pids = [int(p) for p in a.pid.split(",") if p]
    r = asyncio.run(run_class(a.url, a.page, a.students, a.ramp, a.duration, tuple(a.think), a.query, a.seed, pids=pids))
    print(r.table(f"{a.url} page={a.page or '(default)'} cores={os.cpu_count()} load={load_average()}"))
    for e in r.errors[:10]:
        print("error:", e)
    for e in r.exception_messages[:10]:
        print("exception:", e)
    if a.json:
        Path(a.json).write_text(json.dumps(r.to_json(), default=float))


if __name__ == "__main__":
    main()
