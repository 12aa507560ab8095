"""Sections: a part of a page whose own controls change only that part, rerun on its own (an ``st.fragment`` inside
the page's fragment, see frame.py)."""

from __future__ import annotations

import functools

import streamlit as st

from .urlstate import Ctx, sync_url


def section(ctx: Ctx):
    """Decorator for a part of a page whose own controls change only that part (``@ui.section(ctx)``, then call it):
    an ``st.fragment`` inside the page's, so moving those controls reruns the section alone, not the page's other
    figures. Its controls must be drawn inside it (a fragment's elements outside its container are not shown).

    On its own reruns it keeps the URL in step (the page's ``end`` does not run) and numbers its formulas' copy
    boxes from where it started, so an open "Copy LaTeX" box stays open. The page's link box follows the URL in
    the browser (client.js)."""
    def wrap(fn):
        if ctx.info is not None and ctx.info.steps:
            # In a lesson of steps the open step is already all that runs, and its controls sit in the step's control
            # column, outside any fragment drawn here: the section is a plain call.
            return fn
        seq = st.session_state.get("_latex_seq", 0)  # this section's formulas are numbered from here, every run

        @st.fragment
        def run_section(*args, **kwargs):
            st.session_state["_latex_seq"] = seq
            out = fn(*args, **kwargs)
            sync_url(ctx.params, ctx.keys)
            return out

        return functools.wraps(fn)(run_section)

    return wrap
