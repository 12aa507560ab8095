"""The footer every page shares: the params into the URL, the tour (Back / Next), the link to this view, the lecturer
tools."""

from __future__ import annotations

import contextlib
import html

import streamlit as st

from core import state

from .controls import set_param
from .output import lazy_expander, link_box, page_link
from .registry import PAGES, Step
from .urlstate import CLASSROOM, SHARED, Ctx, link, sync_url, url_params

MOVED = "_step_moved"  # session flag: Back / Next opened another step (set by their callback, read by the step's run)


def footer(ctx: Ctx) -> None:
    """What follows a page's content: its params into the URL, the tour (Back / Next), the link to this view and the
    lecturer tools. Drawn by ``end`` on a page without steps, in the whole-lesson view and under an open step that
    :func:`follows_example` says nothing of it depends on; else by the open step's fragment (steps._open_step), so
    that a move of the step's controls redraws it too."""
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


def follows_example(ctx: Ctx) -> bool:
    """Whether the open step's footer shows the example, so that a move of the step's controls must redraw it: a
    tour link to another lesson (at a lesson's first or last step, or every step when the lecturer locked it) carries
    the example, and the open lecturer tools build a link from it. A middle step's footer does not: Back and Next
    name steps, and the link box follows the address bar in the browser (client.js). Drawn outside the step's
    fragment, a move sends none of its 8 messages."""
    back, ahead = nav(ctx)
    tools = not (ctx.present or ctx.locked or ctx.hidden) and bool(st.session_state.get("x_lecturer"))
    return back is None or ahead is None or tools


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


def go(k: int) -> None:
    """``on_click`` of Back / Next: open step ``k`` (its picker is redrawn from the param). The buttons sit in the open
    step's fragment, whose rerun would draw the old step again: it reruns the whole app instead (steps._open_step)."""
    if set_param("step", k):
        st.session_state[MOVED] = True


def nav(ctx: Ctx) -> tuple[Step | None, Step | None]:
    """The steps before and after the open one (None at either end, in the whole-lesson view, or when the lecturer
    locked the step)."""
    steps = ctx.info.steps if ctx.info is not None else ()
    if not ctx.stepped or "step" in ctx.locked:
        return None, None
    k = ctx.step
    return (steps[k - 2] if k > 1 else None), (steps[k] if k < len(steps) else None)


def tour(ctx: Ctx, params: dict) -> None:
    """The guided tour's footer: previous / next page in teaching order, carrying the shared example."""
    if ctx.info is None:
        return
    k = PAGES.index(ctx.info)
    carry = state.encode(params, keys=[*SHARED, *(c for c in CLASSROOM if params[c] != state.TABLE[c].default)])
    back, ahead = nav(ctx)
    first, last = back is None, ahead is None  # within a lesson, Back and Next move between its steps
    st.divider()
    with st.container(horizontal=True, horizontal_alignment="distribute" if (k > 0 or not first) else "right"):
        if not first:
            st.button(f"Back: {back.short}", key="step_back", icon=":material/arrow_back:", on_click=go,
                      args=(ctx.step - 1,), help=back.title)
        elif k > 0:
            prev = PAGES[k - 1]
            page_link(prev.path, label=f"Back: {prev.title}", icon=":material/arrow_back:", query_params=carry,
                      help=prev.notice)
        if not last:
            st.button(f"Next: {ahead.short}", key="step_next", icon=":material/arrow_forward:", icon_position="right",
                      on_click=go, args=(ctx.step + 1,), help=f"{ahead.title} {ahead.notice}".strip(),
                      type="primary")
        elif k + 1 < len(PAGES):
            nxt = PAGES[k + 1]
            page_link(nxt.path, label=f"Next: {nxt.title}", icon=":material/arrow_forward:", icon_position="right",
                      query_params=carry, help=f"What to notice there: {nxt.notice}")
