"""Locks and hiding over every kind of control the app draws for a parameter (tests/test_locks.py drives the sliders
and select boxes of every page): a locked control is disabled and nothing a client sends for it moves the lecturer's
value, a hidden one is not drawn, and a step whose every control is hidden draws no empty controls box nor says that
controls are "locked".

The kinds, and where each is: slider (n, T, z₁…), select slider (Training's η), select box (Derivation's i), radio
(Jacobian's sweep), number input (Training's seeds), segmented control (the step picker), text input (the logits
vector, Log-sum-exp's teacher), buttons (Derivation's seed cases, Training's preset). The app's only toggle and
checkbox are frame settings (presentation mode, and the lecturer tools' own choice), not parameters a link can lock.
"""

from __future__ import annotations

import pytest
from apptest_util import lockable, open_page, ztext
from streamlit.testing.v1.element_tree import Block
from streamlit.testing.v1.errors import AppTestError

from core import state
from pages._ui import PAGES


def blocks(node):
    for c in getattr(node, "children", {}).values():
        yield c
        yield from blocks(c)


def controls_box(at) -> list:
    return [b for b in blocks(at.main) if getattr(b, "key", None) == "controls"]


def filled_controls_box(at) -> list:
    """The controls blocks holding any element. A block some sub-container (columns) opened but no control filled has
    none, and the page's CSS does not draw it (tests/browser/test_locks_browser.py looks at one in Chromium)."""
    return [b for b in controls_box(at) if any(not isinstance(c, Block) for c in blocks(b))]


def widget(at, kind: str, key: str):
    return next(w for w in getattr(at, kind) if w.key == key)


# (page, query, kind, key, the param, a value to force, how to force it)
CASES = [
    ("softmax", {"step": "1"}, "slider", "w_T", "T", 4.0, "set"),
    ("softmax", {"step": "1"}, "slider", "w_z0", "z", 7.0, "set"),
    ("softmax", {"step": "1"}, "slider", "w_n", "n", 6, "set"),
    ("training", {"step": "1"}, "select_slider", "w_lr", "lr", 1.0, "set"),
    ("derivation", {"step": "4"}, "selectbox", "w_i", "i", 2, "set"),
    ("jacobian", {"step": "4"}, "radio", "w_sweep", "sweep", "spread", "set"),
    ("training", {"step": "1"}, "number_input", "w_dseed", "dseed", 5, "set"),
    ("softmax", {"step": "1"}, "button_group", "w_step", "step", 2, "set"),
    ("softmax", {"step": "1"}, "text_input", "ztext", "z", "4, 4, 4", "input"),
    ("logsumexp", {"step": "0", "target": "teacher"}, "text_input", "w_zt", "zt", "9, 0, 0", "input"),
    ("derivation", {"step": "4"}, "button", "seed_21", "i", None, "click"),
    ("training", {"step": "1", "wscale": "0.1"}, "button", "preset_wrong", "wscale", None, "click"),
]
IDS = [f"{c[0]}-{c[2]}-{c[3]}" for c in CASES]
PATH = {p.slug: p.path for p in PAGES}


def find(at, kind: str, key: str):
    if key == "ztext":
        return ztext(at)
    return widget(at, kind, key)


@pytest.mark.parametrize(("slug", "query", "kind", "key", "name", "value", "how"), CASES, ids=IDS)
def test_a_locked_control_of_every_kind_cannot_be_changed(slug, query, kind, key, name, value, how):
    at = open_page(PATH[slug], {**query, "lock": name})
    assert not at.exception
    before = at.query_params[name]
    w = find(at, kind, key)
    assert w.disabled, f"{kind} {key}: locked but not disabled"
    with pytest.raises(AppTestError, match="disabled"):  # the UI offers no way to change it
        if how == "set":
            w.set_value(value)
        elif how == "input":
            w.input(value)
        else:
            w.click()
    at.run()
    # and a value sent for the disabled widget all the same (a stale or hand-made client message) is not taken
    if how == "set":
        at.session_state[w.key] = value
        at.run()
    assert not at.exception
    assert at.query_params[name] == before, f"{kind} {key}: the locked {name} moved from {before} to {at.query_params[name]}"
    assert at.query_params["lock"] == name


@pytest.mark.parametrize(("slug", "query", "kind", "key", "name", "value", "how"), CASES, ids=IDS)
def test_a_hidden_control_of_every_kind_is_not_drawn(slug, query, kind, key, name, value, how):
    at = open_page(PATH[slug], {**query, "hide": name})
    assert not at.exception
    if key == "ztext":
        assert not [t for t in at.text_input if str(t.key).startswith("w_ztext")], "the hidden logits' field is drawn"
    else:
        assert not [w for w in getattr(at, kind) if w.key == key], f"{kind} {key}: hidden but drawn"
    said = [c.value for c in at.caption if "locked by your lecturer" in c.value]
    assert not [t for t in said if f"{name}," in t or f"{name})" in t], f"hidden {name} is called locked: {said}"


def test_an_unlocked_control_of_each_kind_still_moves():
    """The guard is the lock, not the kind: the same moves change an unlocked value."""
    at = open_page(PATH["training"], {"step": "1"})
    widget(at, "number_input", "w_dseed").set_value(5).run()
    assert at.query_params["dseed"] == "5"
    at = open_page(PATH["derivation"], {"step": "4"})  # the case i ≠ j: its picks and off-diagonal seeds
    widget(at, "button", "seed_21").click().run()
    assert at.query_params["i"] == "2"
    at = open_page(PATH["softmax"], {"step": "1"})
    ztext(at).input("4, 4, 4").run()
    assert at.query_params["z"] == "4,4,4"


STEPS = [(info, k) for info in PAGES for k in range(1, len(info.steps) + 1)]


@pytest.mark.parametrize(("info", "k"), STEPS, ids=[f"{i.slug}-{k}" for i, k in STEPS])
def test_a_step_whose_controls_are_all_hidden_draws_no_box(info, k):
    at = open_page(info.path, {"step": str(k), "hide": ",".join(lockable(info))})
    assert not at.exception
    assert filled_controls_box(at) == [], f"{info.slug} step {k}: a controls box with something in it is drawn"
    assert not any("locked" in c.value for c in at.caption), [c.value for c in at.caption if "locked" in c.value]


def test_hiding_some_controls_keeps_the_box_and_names_only_what_is_locked():
    at = open_page(PATH["softmax"], {"step": "1", "hide": "T", "lock": "z"})
    assert len(filled_controls_box(at)) == 1
    said = [c.value for c in at.caption if "locked by your lecturer" in c.value]
    assert said and "(n, z)" in said[0] and "T" not in said[0], said
    assert not [s for s in at.slider if s.key == "w_T"]
    assert state.TABLE["T"].default == float(at.query_params["T"])
