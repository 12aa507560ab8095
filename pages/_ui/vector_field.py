"""A vector param (a teacher's logits) as one text field, drawn by :func:`pages._ui.controls.control` for a row whose
widget is "text" and whose kind is "floats"."""

from __future__ import annotations

import streamlit as st

from core import state

from .controls import LOCKED_HELP, _forget, _seed, label_of
from .urlstate import Ctx, widget_key


def vector_field(ctx: Ctx, name: str, where=None, **kwargs) -> tuple[float, ...]:
    """A vector param (a teacher's logits) as a text field: n numbers, following n (extended with its row's ``fill``);
    seeded from the link, drawn once per run, disabled when locked (the link's value), not drawn when hidden. Text that
    does not parse to n numbers is kept in the field, with a warning, and not applied."""
    p = state.TABLE[name]
    n = int(ctx.params["n"])
    value = ctx.params[name] = state.fit_z(ctx.params[name], n, p.fill)
    if name in ctx.hidden or name in ctx.drawn:
        return value
    ctx.drawn.add(name)
    where = where if where is not None else st
    key, locked = widget_key(name), name in ctx.locked
    typed, _ = state.parse_vector(st.session_state.get(key, ""))
    if locked or (typed is not None and len(typed) != n):  # a lock, or n changed: the field shows the param
        _forget(name)
    _seed(key, state.format_vector(value))
    label = kwargs.pop("label", label_of(name))
    ctx.shown += 1
    text = where.text_input(label, key=key, disabled=locked, **({"help": LOCKED_HELP} if locked else {
        "help": f"{n} numbers, e.g. {state.format_vector(p.default)}; press Enter."}) | kwargs)
    parsed, err = state.parse_vector(text)
    if locked:
        return value
    if err or len(parsed) != n:
        where.warning(f"{label_of(name)} not applied: {err or f'need {n} numbers, got {len(parsed)}'}.",
                      icon=":material/error:")
        return value
    ctx.params[name] = tuple(parsed)
    return ctx.params[name]
