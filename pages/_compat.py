"""Everything that reaches into Streamlit's or plotly's internals, in one module, behind a version check.

Each use below is one library upgrade away from breaking, so the versions they were written and tested against
are pinned here: an untested Streamlit or plotly fails loudly at import (tests/test_ui_frame.py runs this), not
subtly in front of a class.
"""

from __future__ import annotations

import functools
import math
import threading
import types
from pathlib import Path

import plotly
import streamlit as st
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx
from streamlit.runtime.state.common import is_array_value_field_name, unpack_widget_state_value
from streamlit.runtime.state.session_state import Serialized, SessionState, WStates

TESTED = {"streamlit": ("1.67",), "plotly": ("7.1",)}


def check_versions() -> None:
    """Fail loudly on a Streamlit or plotly this module was not tested against."""
    for name, version in (("streamlit", st.__version__), ("plotly", plotly.__version__)):
        if not version.startswith(TESTED[name]):
            raise RuntimeError(f"pages/_compat.py was tested with {name} {TESTED[name]}, not {version}: "
                               "re-check the internals it uses, then add the version to TESTED")


check_versions()


def warm_internals(frame) -> None:
    """Import Streamlit's lazily loaded table modules and run a DataFrame through its Arrow path once, so
    that the first crowd on a cold server does not import them in many threads at once (pages/_warm.py)."""
    import importlib

    for name in ("streamlit.dataframe_util", "streamlit.elements.arrow"):
        importlib.import_module(name)
    from streamlit import dataframe_util

    dataframe_util.convert_anything_to_arrow_bytes(frame)


def plotly_module() -> str:
    """The file name of Streamlit's plotly chart module (``PlotlyChart.<hash>.js`` beside its index script), which sets
    ``window.Plotly`` when it loads: pages/_ui/chart.js loads plotly.js from it. Its name changes with each Streamlit
    build, so it is read from the installed package; "" if there is none (the chart then says plotly did not load)."""
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    return min((p.name for p in folder.glob("PlotlyChart.*.js")), default="")


def leave_pages_folder_mode(file: str) -> None:
    """Fix Streamlit's cold-start guess. Our folder must be called ``pages/``, and until the first session's app.py
    reaches ``st.navigation``, Streamlit assumes the legacy "pages folder" app and runs ``pages/*.py`` directly,
    without the router. A page that finds itself run that way switches the class-wide flag off (what
    ``st.navigation`` itself does) and reruns, now through app.py, onto the same page (slugs equal file names).

    ``file`` is the page's own file. A page of a session that started in that mode while another session switched the
    flag off reruns too (once per session): it runs outside app.py (the router has not framed this session) and is not
    the script Streamlit was started with (a test's page is). Without the rerun it drew itself without app.py's
    ``st.set_page_config``: in Streamlit's narrow default layout, until the session's next full run."""
    ss = st.session_state
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    ctx = get_script_run_ctx()
    if ctx is None or ss.get("_framed") or ss.get("_left_pages_folder"):
        return
    if Path(file).resolve() != Path(ctx.pages_manager.main_script_path).resolve():
        ss["_left_pages_folder"] = True
        st.rerun()


def exec_page(page) -> None:
    """Run the ``st.Page`` that ``st.navigation`` chose, as ``page.run()`` does, but callable again: inside an
    ``st.fragment`` a widget change reruns just this call, and ``StreamlitPage.run`` refuses a second call."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    with ctx.run_with_active_hash(page._script_hash):
        code = ctx.pages_manager.get_page_script_byte_code(str(page._page))
        module = types.ModuleType("__main__")
        module.__dict__["__file__"] = str(page._page)
        exec(code, module.__dict__)


# ---- a widget value from the browser that its widget cannot hold ------------------------------------------------
# A browser sends each widget's value in the field of its own kind (a select slider: its option strings). A modified
# or buggy client can send anything well-formed instead, and Streamlit 1.67 raises on screen for some of it, inside
# its own code: a double array for a select slider ("TypeError: must be real number, not str": reading the value
# retypes the widget to the client's field, and writing it back serializes option strings into a double array), NaN
# or ±inf for an integer number box, another kind's field for a radio. Before Streamlit reads a value from the client,
# guard_widget_states() below checks it with unreadable(): the widget's own field (or the one Streamlit's frontend
# also uses), finite numbers, and Streamlit's own deserialize-then-serialize giving back what was sent. A value that
# fails is dropped: the widget then keeps its previous value, which on our pages is the link's (the frame writes every
# widget's value to the URL), as Streamlit itself does for a disabled widget's value. The session sees a short
# notice. Checked twice: when the value arrives (against the widget's metadata from the last run: Streamlit compares
# it with the old value for on_change callbacks before the script runs), and when the widget registers (a widget new
# in this run). tests/test_fuzz_widgets.py sends every widget odd values of its own type and of the wrong type.

NOTICE = "A control was sent a value it cannot take, so it kept its previous value: {names}."
# Streamlit's own frontend sends an integer number box's value as int_value; Streamlit declares double_value for it.
_BROWSER_ALSO_SENDS = {("int_value", "double_value")}
_PURE_FIELDS = {"double_value", "int_value", "string_value", "bool_value", "double_array_value", "int_array_value",
                "string_array_value", "json_value", "trigger_value"}  # deserializing these has no side effect


def unreadable(proto: WidgetState, metadata) -> str | None:
    """Why widget ``metadata.id`` cannot take the client's ``proto``, or None if it can (or it is not ours to judge:
    a cleared value, or a kind whose deserializer consumes uploads)."""
    field = proto.WhichOneof("value")
    if field is None or field not in _PURE_FIELDS or metadata.value_type not in _PURE_FIELDS:
        return None
    if field != metadata.value_type and (field, metadata.value_type) not in _BROWSER_ALSO_SENDS:
        return f"a {field} for a widget of {metadata.value_type}"
    raw = unpack_widget_state_value(proto)
    numbers = list(raw) if field == "double_array_value" else [raw] if field == "double_value" else []
    if not all(math.isfinite(x) for x in numbers):
        return "not a finite number"
    try:
        serialized = metadata.serializer(metadata.deserializer(raw))
        back = WidgetState(id=proto.id)  # what SessionState's get_serialized will build, in the client's field
        if is_array_value_field_name(field):
            getattr(back, field).data.extend(serialized)
            same = list(getattr(back, field).data) == list(raw)
        elif field != "json_value" and serialized is not None:
            setattr(back, field, serialized)
            same = getattr(back, field) == raw
        else:
            same = True
    except Exception as e:  # whatever Streamlit's own serde raises for it
        return f"{type(e).__name__}: {e}"[:200]
    # A value Streamlit would silently replace (an option that is not one, a fraction for an integer) is not taken
    # either: Streamlit would fall back to the widget's default, not to the link's value.
    return None if same else f"read back as {serialized!r}"[:200]


# Rejected widget ids waiting for their notice. Per thread: a session's values arrive and its widgets register in the
# same script thread, one run at a time (Streamlit's state classes have __slots__, so nothing can be kept on them).
_pending = threading.local()


def _reject(states: WStates, widget_id: str) -> None:
    """Forget the client's value for ``widget_id`` and remember to tell the session."""
    states.states.pop(widget_id, None)  # resolution falls back to the widget's previous value
    if getattr(_pending, "states", None) is not states:
        _pending.states, _pending.ids = states, []
    _pending.ids.append(widget_id)


def guard_widget_states() -> None:
    """Install the two checks (once per process; the frame imports this module on every page)."""
    if getattr(WStates.set_widget_from_proto, "_guarded", False):
        return
    original_set, original_register = WStates.set_widget_from_proto, SessionState.register_widget

    @functools.wraps(original_set)
    def set_widget_from_proto(self: WStates, widget_state: WidgetState) -> None:
        metadata = self.widget_metadata.get(widget_state.id)
        if metadata is not None and unreadable(widget_state, metadata):
            _reject(self, widget_state.id)
        else:
            original_set(self, widget_state)

    @functools.wraps(original_register)
    def register_widget(self: SessionState, metadata, user_key: str | None):
        new = self._new_widget_state
        item = new.states.get(metadata.id)
        if isinstance(item, Serialized) and unreadable(item.value, metadata):
            _reject(new, metadata.id)
        result = original_register(self, metadata, user_key)
        ids = _pending.ids if getattr(_pending, "states", None) is new else []
        _pending.states = _pending.ids = None
        if ids:
            keys = self._key_id_mapper.id_key_mapping
            names = dict.fromkeys(keys.get(i, "").removeprefix("w_") or "a control" for i in ids)
            try:
                st.toast(NOTICE.format(names=", ".join(names)), icon=":material/info:")
            except Exception:  # a notice must never be what raises
                pass
        return result

    set_widget_from_proto._guarded = True
    WStates.set_widget_from_proto = set_widget_from_proto
    SessionState.register_widget = register_widget


guard_widget_states()
