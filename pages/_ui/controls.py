"""Controls: widgets bound to params (``w_<param>`` keys), locks and hidden controls (the logits block: logits.py).

A param's row in ``core.state.TABLE`` is its whole control (widget, label, bounds, step, choices, how values are
shown), so a page draws it with ``ui.control(ctx, name)``; an index's range 1…n is the row's too
(``state.bounds``). :func:`set_param` is the one way a button or callback changes a param.

A lecturer's link can lock a control (``lock=``: shown greyed out, the value from the link) or hide it
(``hide=``: not drawn, the value from the link). Locking z also locks n (z's length is n, and growing n back
would refill z with defaults; the same for any vector parameter), and a locked index (i, j, y) keeps n at least
as large as its value. A locked (or hidden) param is never changed by a button or callback either.
"""

from __future__ import annotations

import streamlit as st

from core import state

from .urlstate import Ctx, widget_key

LOCKED_HELP = "Locked by your lecturer's link."
Z_STEP = 0.1
Z_COLUMNS = 5  # logit sliders per row
CHOOSERS = ("select_slider", "selectbox", "radio", "segmented_control")  # widgets that offer a list of options


def effective_locks(params: dict) -> tuple[frozenset, frozenset]:
    """(locked, hidden) names, with what they imply: a hidden control is also locked, and z locks n."""
    hidden = frozenset(params.get("hide", ()))
    locked = frozenset(params.get("lock", ())) | hidden
    if any(state.TABLE[k].kind == "floats" for k in locked):  # a vector's length is n (z, a teacher's logits…)
        locked |= {"n"}
    if "z" in hidden:
        hidden |= {"n"}
    return locked, hidden


class Panel:
    """The bordered controls block, drawn only when something is put in it: a step (or page) whose controls a lecturer's
    ``hide=`` took away draws no empty box. ``slot`` (an ``st.container()``, which the browser does not draw while it is
    empty, or a step's control column, which holds nothing else) keeps its place above what follows; the first use of
    any container method (``.slider``, ``.columns``, ``.button``…) draws the block inside it.

    Why a container and not an ``st.empty``: every run would first replace the block with the empty placeholder and
    then with a new block, and a browser that drew the placeholder in between (a busy server sends the two apart)
    mounted every control afresh: the slider under a student's held arrow key lost its focus and the presses after it.
    A block that some sub-container opened but no control filled is not drawn: the page's CSS hides a controls block
    with no element in it (``frame._BASE_CSS``)."""

    def __init__(self, slot, kind: str = "container", *args, **kwargs):
        self._slot, self._make, self._box = slot, (kind, args, kwargs), None

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        if self._box is None:
            kind, args, kwargs = self._make
            self._box = getattr(self._slot, kind)(*args, **kwargs)
        return getattr(self._box, name)


def panel(ctx: Ctx):
    """Where the page's controls go: the controls block at the top of the page (next to the figures it moves)."""
    return ctx.controls if ctx.controls is not None else st.container()


def _seed(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _forget(name: str) -> None:
    """Forget param ``name``'s widget state, so its widget is redrawn from the param (z: every logit slider)."""
    ss = st.session_state
    ss.pop(widget_key(name), None)
    if name == "z":
        for k in range(state.N_MAX):
            ss.pop(f"w_z{k}", None)


def set_param(name: str, value) -> bool:
    """The one way a button or callback changes a param: set it and forget its widget's state, so the widget is
    redrawn from the param on this run. A param the lecturer's link locks (or hides) is left as it is. Returns whether
    the param was set."""
    params = st.session_state["_params"]
    if name in effective_locks(params)[0]:
        return False
    params[name] = value
    _forget(name)
    return True


def preset(values: dict) -> None:
    """``on_click`` of a preset button: set these params and redraw their widgets from them. A preset is one setting:
    when the lecturer's link locks any of its params, none of them changes."""
    if set(values) & effective_locks(st.session_state["_params"])[0]:
        return
    for k, v in values.items():
        set_param(k, v)


def label_of(name: str) -> str:
    """The row's label as a widget shows it (first letter capitalised)."""
    text = state.TABLE[name].label
    return text[:1].upper() + text[1:]


def row_args(name: str, params: dict, widget: str = "", held=None) -> dict:
    """The widget arguments param ``name``'s row gives, drawn as ``widget`` (default: the row's): label, bounds and
    step, or options and how they are shown. ``held``: the value its widget holds (a select_slider with ``marks``
    offers it too)."""
    p = state.TABLE[name]
    widget = widget or p.widget
    kw: dict = {"label": label_of(name)}
    if widget in CHOOSERS:
        if p.choices:
            kw["options"] = list(p.choices)
        elif p.steps:
            kw["options"] = list(p.steps)
        elif p.marks:
            kw["options"] = sorted({*p.marks, params[name], *(() if held is None else (held,))})
        elif p.kind == "index":
            lo, hi = state.bounds(name, params)
            kw["options"] = list(range(int(lo), int(hi) + 1))
        if p.names or p.show is not None:
            kw["format_func"] = p.shown
    elif widget in ("slider", "number_input") and p.kind in ("int", "index", "float"):
        cast = float if p.kind == "float" else int
        lo, hi = state.bounds(name, params)
        kw |= {"min_value": cast(lo), "max_value": cast(hi)}
        if p.step is not None:
            kw["step"] = cast(p.step)
    return kw


def control(ctx: Ctx, name: str, where=None, *, widget: str = "", **kwargs):
    """The widget of param ``name``, drawn from its row in ``core.state.TABLE`` (widget, label, bounds, step, options,
    format), seeded from the params, its value written back; called on ``where`` (a container, e.g. ``ui.panel(ctx)``)
    if given, else where the page is drawing. ``widget`` draws it with another widget than the row's (e.g. "radio"),
    and ``kwargs`` add to or override the row's arguments (a label the step's prose needs, ``horizontal=True``…).
    An index's range is 1…n (n: the params'); a locked index keeps n at least as large as its value.
    Locked params are disabled; hidden ones are not drawn (their value comes from the link). A param whose widget this
    run has drawn already (the whole-lesson view runs every step, and several steps may ask for it) is not drawn
    again: its value is returned."""
    ctx.use(name)
    p = state.TABLE[name]
    widget = widget or p.widget
    if widget == "text" and p.kind == "floats":
        from .vector_field import vector_field  # its own module: it draws with this module's helpers
        return vector_field(ctx, name, where, **kwargs)
    if name in ctx.drawn or name in ctx.hidden:
        return list(ctx.params[name]) if isinstance(ctx.params[name], tuple) else ctx.params[name]
    if not widget:
        raise ValueError(f"{name} has no widget in core.state.TABLE; pass widget=")
    if p.kind == "index":
        clamp_index(ctx, name)
    key = widget_key(name)
    value = ctx.params[name]
    if isinstance(value, tuple):  # multiselect & co. hold lists
        value = list(value)
    if name in ctx.locked:  # the link's value, whatever a client sends for a disabled widget
        st.session_state[key] = value
    else:
        _seed(key, value)
    kwargs = row_args(name, ctx.params, widget, held=st.session_state[key]) | kwargs
    if name == "n" and "min_value" in kwargs:  # a locked index keeps n at least as large as its value
        kwargs["min_value"] = max([kwargs["min_value"], *(int(ctx.params[k]) for k in state.INDEX if k in ctx.locked)])
    label = kwargs.pop("label")
    if name in ctx.locked:
        kwargs["disabled"] = True
        kwargs["help"] = LOCKED_HELP
    fn = getattr(where if where is not None else st, "text_input" if widget == "text" else widget)
    if widget == "slider":
        # A slider given no value copies the whole session state to guess single-or-range, on every rerun.
        kwargs.setdefault("value", st.session_state[key])
    value = fn(label, key=key, **kwargs)
    ctx.drawn.add(name)
    ctx.shown += 1
    ctx.params[name] = tuple(value) if isinstance(value, list) else value
    return value


def keep_valid(ctx: Ctx, name: str, ok, fix) -> None:
    """Keep param ``name`` and its widget valid before the widget is drawn, when its options depend on other
    controls (Training's sample number and snapshot epoch): a value ``ok`` rejects is replaced by ``fix(value)``."""
    key = widget_key(name)
    cur = st.session_state.get(key, ctx.params[name])
    if not ok(cur):
        st.session_state[key] = ctx.params[name] = fix(cur)


def clamp_index(ctx: Ctx, name: str, n: int | None = None) -> None:
    """Keep a 1-based index param (i, j, y) and its widget within ``state.bounds`` (1…n) after n shrank below it
    (``n``: the params' n unless given). The widget's stored state is checked by type too: a stale or foreign value
    never reaches a comparison with n."""
    params = ctx.params if n is None else {**ctx.params, "n": n}
    lo, hi = state.bounds(name, params)
    ctx.params[name] = int(state.clamp(name, int(ctx.params[name]), params))
    keep_valid(ctx, name, lambda v: isinstance(v, int) and not isinstance(v, bool) and lo <= v <= hi,
               lambda _: ctx.params[name])
