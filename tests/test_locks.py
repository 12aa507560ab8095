"""Locks that hold and controls a lecturer can hide (issue #13): on every page, for every parameter the page puts in
its link, a locked (or hidden) value stays in the URL and on screen whatever else the student moves, n down to 2 and
back up included."""

from __future__ import annotations

import pytest
from apptest_util import open_page

from core import state
from pages._ui import CLASSROOM, PAGES, SHARED

LECTURER = {"n": "4", "z": "5,-2,3,0.7", "T": "0.5", "c": "1.5", "i": "3", "j": "3", "y": "3", "loss": "mse",
            "sweep": "spread", "data": "overlap", "D": "3", "m": "20", "dseed": "7", "iseed": "8", "lr": "0.1",
            "epochs": "50", "at": "-1", "s": "2"}


def lockable(info) -> list[str]:
    return [k for k in (*SHARED, *info.keys) if k not in CLASSROOM]


def move_everything_else(at, keep: set[str]) -> None:
    """What a restless student does: every other slider to its ends, n down to its minimum and back up."""
    n = at.slider(key="w_n") if "n" not in keep and any(s.key == "w_n" for s in at.slider) else None
    if n is not None and not n.disabled:
        n.set_value(n.min).run()
        at.slider(key="w_n").set_value(state.N_MAX).run()
        at.slider(key="w_n").set_value(4).run()
    # every other slider to its end in one rerun, as a burst of moves reaches the server (the page's lock check runs on
    # each rerun whatever moved; one run per slider cost most of this grid's time)
    moved = [s for s in at.slider if not (s.key in (None, "w_n") or s.disabled or s.key.removeprefix("w_") in keep
                                          or (s.key.startswith("w_z") and "z" in keep))]
    for s in moved:
        at.slider(key=s.key).set_value(s.max)
    if moved:
        at.run()
    for r in list(at.radio):  # options are shown formatted: set the raw value from the state table
        p = state.TABLE.get(str(r.key)[2:])
        if p is None or r.disabled or p.name in keep:
            continue
        at.radio(key=r.key).set_value(p.choices[-1] if p.choices else len(r.options)).run()


CASES = [(info, name) for info in PAGES for name in lockable(info)]


@pytest.mark.parametrize("how", ["lock", "hide"])
@pytest.mark.parametrize(("info", "name"), CASES, ids=[f"{i.slug}-{k}" for i, k in CASES])
def test_a_locked_or_hidden_value_holds(info, name, how):
    query = {k: LECTURER[k] for k in (*SHARED, *info.keys) if k in LECTURER} | {how: name}
    at = open_page(info.path, query)
    assert not at.exception
    want = at.query_params[name]  # the lecturer's value, as the page shows it
    if name in query:
        assert want == state.encode(state.decode(query)[0], keys=[name])[name]
    widget = [w for w in (*at.slider, *at.radio, *at.selectbox, *at.select_slider, *at.number_input)
              if w.key == f"w_{name}" or (name == "z" and str(w.key).startswith("w_z"))]
    if how == "hide":
        assert not widget, f"{name} is hidden but drawn"
    else:
        assert all(w.disabled for w in widget), f"{name} is locked but movable"
    move_everything_else(at, {name})
    assert not at.exception
    assert at.query_params[name] == want, f"{how}={name}: the lecturer's {want} became {at.query_params[name]}"
    assert at.query_params[how] == name  # the lock travels with the link
    if name == "z":  # all of z, not just its first n entries
        assert at.query_params["n"] == LECTURER["n"]


def test_lecturer_tools_build_lock_and_hide_and_are_not_offered_on_a_locked_link():
    at = open_page("pages/jacobian.py", {"z": "1,2,3"})
    at.session_state["x_lecturer"] = True
    at.run()
    at.multiselect(key="lt_lock").set_value(["T"]).run()
    at.multiselect(key="lt_hide").set_value(["z", "sweep"]).run()
    link = [c.value for c in at.code if "lock=" in c.value]
    assert link and "lock=T" in link[0] and "hide=z,sweep" in link[0] and "z=1,2,3" in link[0]
    student = open_page("pages/jacobian.py", {"z": "1,2,3", "lock": "T"})
    assert "x_lecturer" not in student.session_state and not [e for e in student.expander if e.label == "Lecturer tools"]


def test_typed_vector_cannot_change_a_locked_n():
    from apptest_util import ztext

    at = open_page("pages/softmax.py", {"n": "3", "lock": "n"})
    ztext(at).input("1, 2, 3, 4").run()
    assert at.query_params["n"] == "3" and any("locked" in e.value for e in at.error)
