"""The Streamlit websocket protocol as a browser tab speaks it: one ``Student`` (XSRF cookie, websocket,
``rerun_script`` with the address bar's query string and the message-cache hashes, ``ForwardMsg`` until
``script_finished``), the widgets read from the deltas, and a student's random change of one of them.
A widget inside an ``st.fragment`` reruns only that fragment, as in the browser."""

from __future__ import annotations

import asyncio
import contextlib
import random
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState
from websockets.asyncio.client import connect

WIDGET_KINDS = ("slider", "selectbox", "radio", "number_input", "checkbox", "button_group")


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


# The frame's presentation and slide-export widgets (the sidebar, on every page): not a page's own controls, and a
# change of one reruns the whole app. Benchmarks of a page's moves leave them alone.
# The frame's own widgets, which a simulated student leaves alone: presentation and export settings, and the lesson's
# step picker (a per-step measurement stays on its step; moving between steps is a page load of its own).
CHROME = ("-w_present", "-lt_present", "-w_fmt", "-w_bg", "-w_step")


def page_widget(w: Widget) -> bool:
    """A control of the page itself (select sliders included), not the frame's presentation/export widgets."""
    return not w.id.endswith(CHROME)


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
