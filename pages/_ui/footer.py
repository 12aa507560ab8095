"""The footer every page shares: the params into the URL, the tour, the link to this view, the lecturer tools."""

from __future__ import annotations

import contextlib
import html

import streamlit as st

from core import state

from .output import lazy_expander, link_box
from .steps import tour
from .urlstate import CLASSROOM, Ctx, link, sync_url, url_params


def footer(ctx: Ctx) -> None:
    """What follows a page's content: its params into the URL, the tour (Back / Next), the link to this view and the
    lecturer tools. Drawn by ``end`` on a page without steps and in the whole-lesson view, and by the open step's
    fragment in a lesson (steps._open_step), so that a move of the step's controls redraws it too."""
    params = ctx.params
    encoded = sync_url(params, ctx.keys)
    tour(ctx, params)
    # keyed: the page script (client.js) keeps this box's text and copy button on the address bar, which a section's
    # fragment rerun (ui.section) updates without redrawing this box
    where = st.expander("Link to this view", icon=":material/link:") if ctx.present else contextlib.nullcontext()
    with where, st.container(key="linkbox"):
        st.caption(":material/link: Copy link to this view")
        st.markdown(link_box(html.escape(link(encoded))), unsafe_allow_html=True)
    if not ctx.present:
        lecturer_tools(ctx, params)


def lecturer_tools(ctx: Ctx, params: dict) -> None:
    """Build a class link that locks or hides controls. Not offered on a link that already locks or hides some:
    a student's page must not invite them to undo their lecturer's choice."""
    if ctx.locked or ctx.hidden:
        return
    box = lazy_expander("Lecturer tools", "x_lecturer", icon=":material/school:")  # only the lecturer opens it
    if not box.open:
        return
    with box:
        choosable = [k for k in ctx.keys if k in state.TABLE and k not in CLASSROOM]
        name = lambda k: f"{k}: {state.TABLE[k].label}"
        lock = st.multiselect("Lock these controls (greyed out)", choosable, key="lt_lock", format_func=name)
        hide = st.multiselect("Hide these controls (not shown)", choosable, key="lt_hide", format_func=name)
        present = st.checkbox("Open in presentation mode", key="lt_present")
        q = {**params, "lock": tuple(lock), "hide": tuple(hide), "present": present}
        st.caption("Share this link with your class (a hidden or locked control keeps the value it has now):")
        st.code(link(url_params(q, ctx.keys)), language=None, wrap_lines=True)
