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


TOUR, REST = "tour", "rest"  # the footer's parts: the tour (Back / Next), and the link box with the lecturer tools


def footer(ctx: Ctx, parts: tuple[str, ...] = (TOUR, REST)) -> None:
    """What follows a page's content: its params into the URL, then ``parts`` of the footer: the tour (Back / Next),
    the link to this view and the lecturer tools. Drawn by ``end`` on a page without steps and in the whole-lesson
    view. Under an open step, the step's fragment (steps._open_step) draws the parts that show the example
    (:func:`in_step`), so that a move of the step's controls redraws them too, and ``end`` draws the rest once."""
    params = ctx.params
    encoded = sync_url(params, ctx.keys)
    if TOUR in parts:
        tour(ctx, params)
    if REST not in parts:
        return
    # keyed: the page script (client.js) keeps this box's text and copy button on the address bar, which a section's
    # or a step's fragment rerun updates without redrawing this box
    where = st.expander("Link to this view", icon=":material/link:") if ctx.present else contextlib.nullcontext()
    with where, st.container(key="linkbox"):
        st.caption(":material/link: Copy link to this view")
        st.markdown(link_box(html.escape(link(encoded))), unsafe_allow_html=True)
    if not ctx.present:
        lecturer_tools(ctx, params)


def in_step(ctx: Ctx) -> tuple[str, ...]:
    """The parts of the footer that show the example, which the open step's fragment must draw so that a move of the
    step's controls redraws them: the tour where a link to another lesson carries the example (a lesson's first or
    last step, or every step when the lecturer locked it), and everything under open lecturer tools, which build a
    link from it. Nothing else does: Back and Next within a lesson name steps, and the link box follows the address
    bar in the browser (client.js). What the step does not draw, a move does not send (a middle step's 8 messages)."""
    back, ahead = nav(ctx)
    if not (ctx.present or ctx.locked or ctx.hidden) and st.session_state.get("x_lecturer"):
        return TOUR, REST  # the tools follow the link box: the whole footer, in its order
    return (TOUR,) if back is None or ahead is None else ()


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
    """``on_click`` of Back / Next: open step ``k`` (its picker is redrawn from the param). Where the buttons sit in the
    open step's fragment (a first or last step, :func:`in_step`), its rerun would draw the old step again: the flag
    makes it rerun the whole app instead (steps._open_step). Elsewhere they are the page's, whose rerun draws the new
    step, and ``begin`` drops the flag."""
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
