"""Everything that reaches into Streamlit's or plotly's internals, in one module, behind a version check.

Each use below is one library upgrade away from breaking, so the versions they were written and tested against
are pinned here: an untested Streamlit or plotly fails loudly at import (tests/test_ui_frame.py runs this), not
subtly in front of a class.
"""

from __future__ import annotations

import types

import plotly
import plotly.graph_objects as go
import streamlit as st
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner_utils.script_run_context import get_script_run_ctx

TESTED = {"streamlit": ("1.67",), "plotly": ("7.1",)}


def check_versions() -> None:
    """Fail loudly on a Streamlit or plotly this module was not tested against."""
    for name, version in (("streamlit", st.__version__), ("plotly", plotly.__version__)):
        if not version.startswith(TESTED[name]):
            raise RuntimeError(f"pages/_compat.py was tested with {name} {TESTED[name]}, not {version}: "
                               "re-check the internals it uses, then add the version to TESTED")


check_versions()


def warm_internals(frame) -> None:
    """Import Streamlit's lazily loaded chart and table modules and run a DataFrame through its Arrow path once, so
    that the first crowd on a cold server does not import them in many threads at once (pages/_warm.py)."""
    import importlib

    for name in ("streamlit.dataframe_util", "streamlit.elements.plotly_chart", "streamlit.elements.arrow"):
        importlib.import_module(name)
    from streamlit import dataframe_util

    dataframe_util.convert_anything_to_arrow_bytes(frame)


def leave_pages_folder_mode() -> None:
    """Fix Streamlit's cold-start guess. Our folder must be called ``pages/``, and until the first session's app.py
    reaches ``st.navigation``, Streamlit assumes the legacy "pages folder" app and runs ``pages/*.py`` directly,
    without the router. A page that finds itself run that way switches the class-wide flag off (what
    ``st.navigation`` itself does) and reruns, now through app.py, onto the same page (slugs equal file names)."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
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


class Spec(go.Figure):
    """A finished plotly spec (a dict) handed to ``st.plotly_chart`` as a Figure.

    Why: given a dict, ``st.plotly_chart`` validates it by building a full ``go.Figure`` (most of a chart's CPU),
    but it takes a Figure's ``to_dict()`` as already valid. Our specs are valid by construction (every builder's test
    validates its output strictly), so this skips the second build. Nothing of BaseFigure is initialised: only
    ``to_dict`` is ever called (tests/test_ui_frame.py checks that the chart Streamlit sends equals the spec)."""

    def __init__(self, spec: dict):  # deliberately not calling BaseFigure.__init__
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict:
        return self._spec
