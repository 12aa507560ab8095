"""Steps: a lesson is a sequence of screens, one idea each, and only the open one runs.

A page defines each step as a function decorated with ``@ui.step(ctx)``; the function's name is the step's slug in
the registry (pages/_ui/registry.py), which holds its title and "what to notice" line, so everything that walks the
lessons (the tour, the tests, the screenshots, the benchmarks) reads the steps from one list::

    @ui.step(ctx)
    def heatmap():
        z, T = ui.logit_controls(ctx)        # drawn in the step's control column, beside the figure
        ui.chart(ctx, ...)                   # the figure, at the top of the step's main column

The decorator runs the function at once when its step is open (and never otherwise), inside a two-column screen:
the controls on the left, the figure and its claims on the right (Streamlit stacks the columns on a phone, controls
first). The link's ``step=0`` is the whole lesson on one page, for reading or printing: every step in order, under
one controls block at the top.
"""

from __future__ import annotations

import streamlit as st

from .controls import Panel, control
from .footer import MOVED, footer, in_step
from .output import show_code
from .registry import Step
from .urlstate import Ctx

CONTROL_SHARE = (1, 2.6)  # the control column against the figure column on a laptop or a projector
WHOLE = 0  # the ``step`` that shows every step on one page


def _steps(ctx: Ctx) -> tuple[Step, ...]:
    return ctx.info.steps if ctx.info is not None else ()


def open_step(ctx: Ctx) -> int:
    """The step the params ask for, kept within 0…K for this lesson (a link or another lesson may hold any step)."""
    k = len(_steps(ctx))
    if not k:
        return WHOLE
    ctx.params["step"] = min(max(int(ctx.params["step"]), WHOLE), k)
    return ctx.params["step"]


def picker(ctx: Ctx) -> None:
    """The row of steps under the page's title: one segment per step, and the whole lesson as the last choice."""
    steps = _steps(ctx)
    if not steps:
        return
    names = {k: f"{k} · {s.short}" for k, s in enumerate(steps, 1)} | {WHOLE: "All on one page"}
    held = ctx.params["step"]
    step = control(ctx, "step", widget="segmented_control", label="Step of this lesson",
                   options=[*range(1, len(steps) + 1), WHOLE], format_func=names.get, required=True,
                   label_visibility="collapsed")
    if step is None:  # no choice came back (an emptied or odd client value): the step stays where it was
        ctx.params["step"] = held
    ctx.step = open_step(ctx)


def step(ctx: Ctx):
    """Decorator: draw this step now if it is open (see the module docstring). Returns the function unchanged."""
    def run(fn):
        steps = _steps(ctx)
        slugs = [s.slug for s in steps]
        if fn.__name__ not in slugs:
            raise LookupError(f"step {fn.__name__!r} of page {ctx.page!r} is not in pages/_ui/registry.py ({slugs})")
        k = slugs.index(fn.__name__) + 1
        info = steps[k - 1]
        if ctx.step in (WHOLE, k):
            ctx.used = []  # the params this step's figures depend on: the ones its controls set (export names)
        if ctx.step == WHOLE:
            st.subheader(f"{k}. {info.title}")
            if info.notice:
                st.caption(f":material/visibility: **What to notice:** {info.notice}")
            fn()
        elif ctx.step == k:
            st.subheader(info.title)
            if info.notice:
                st.caption(f":material/visibility: **What to notice:** {info.notice}")
            _open_step(ctx, fn)
        return fn

    return run


def _open_step(ctx: Ctx, fn) -> None:
    """The open step's screen and the page's footer, in an ``st.fragment`` of their own (inside the page's): a move of
    the step's controls reruns the step, not the lesson's title, step picker and heading above it, which no control
    of a step changes. A third of a move's messages were those and the controls block's frame (bench.per_page).

    The step draws the parts of the page's footer that show the example (footer.in_step: the tour where its link to
    another lesson carries it, everything under open lecturer tools), so that nothing on screen is left from an
    earlier value; the page's run draws the rest after this fragment (``end``), once. As a section does, it writes
    the URL and numbers its formulas from where it started on every run."""
    seq = st.session_state.get("_latex_seq", 0)
    ctx.footer_drawn = inside = in_step(ctx)

    @st.fragment
    def screen() -> None:
        if st.session_state.pop(MOVED, False):  # Back / Next: another step opens, drawn by the page's run
            st.rerun(scope="app")
        st.session_state["_latex_seq"] = seq
        # a rerun of this fragment alone starts where the page's run left ctx: what a run collects starts again
        ctx.drawn, ctx.used = set(), []
        side, main = st.columns(CONTROL_SHARE, gap="medium")
        # the column itself holds the box's place (nothing else is drawn in it): no box if hide= took every control
        ctx.controls = Panel(side, "container", border=True, key="controls")
        shown = ctx.shown
        with main:
            fn()
        if ctx.shown == shown and ctx.outro:  # every control of the step hidden: its introduction follows it
            st.markdown(ctx.outro)
        footer(ctx, inside)  # the URL, and the parts that show the example

    screen()


def code(ctx: Ctx, *fns) -> None:
    """'Show the code' under the open step: the core functions that computed it. Its box has one key per run, so a
    page that shows code in several steps draws it only when one step is open; its whole-lesson view shows every
    step's code once, at its end (the page calls :func:`pages._ui.output.show_code` there)."""
    if ctx.stepped:
        show_code(*fns)


__all__ = ["WHOLE", "code", "open_step", "picker", "step"]
