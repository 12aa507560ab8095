"""A parameter is one row: its row in core.state.TABLE is the whole control (widget, label, bounds, step, options,
format), so a page draws it with ``ui.control(ctx, name)``; the one way a button or callback changes a param,
``ui.set_param``, leaves a param the lecturer's link locks as it is; and no page writes a widget's state by hand."""

from __future__ import annotations

import ast
from pathlib import Path

from streamlit.testing.v1 import AppTest

from core import state

ROOT = Path(__file__).resolve().parents[1]
DRAWN = [name for name, p in state.TABLE.items() if p.widget]

# ui.control calls in pages/*.py that still pass bounds or options, each with why the row cannot hold them: the
# training run decides them.
EXCEPTIONS = {
    ("training.py", "at"): "options: the snapshot epochs of the run just trained",
    ("training.py", "s"): "max_value: the number of samples, 3·m (m points per class)",
    ("layer.py", "s"): "max_value: the number of samples in the batch",
}
ROW_OWNED = ("min_value", "max_value", "options")


def _draw_every_row(lock: str):
    """AppTest script: every TABLE row with a widget, drawn by ``control(ctx, name)`` alone (``lock``: locked names)."""
    import streamlit as st

    from core import state
    from pages._ui.controls import control, effective_locks
    from pages._ui.urlstate import Ctx

    params = st.session_state.setdefault("_params", state.decode({"n": "4", "lock": lock})[0])
    locked, hidden = effective_locks(params)
    ctx = Ctx("rows", params, tuple(state.TABLE), False, False, locked=locked, hidden=hidden)
    for name, p in state.TABLE.items():
        if p.widget:
            control(ctx, name)


def _widgets(at: AppTest) -> dict:
    out = {}
    for kind in ("slider", "select_slider", "selectbox", "radio", "number_input", "text_input", "toggle"):
        for w in at.get(kind):
            out[str(w.key)] = w
    return out


def test_every_row_with_a_widget_is_drawn_by_its_name_alone():
    at = AppTest.from_function(_draw_every_row, kwargs={"lock": ""}, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    widgets = _widgets(at)
    for name in DRAWN:
        p = state.TABLE[name]
        w = widgets.get(f"w_{name}")
        assert w is not None, f"{name} was not drawn"
        assert w.label == p.label[:1].upper() + p.label[1:], name
        assert not w.disabled, name
        if p.kind in ("int", "float") and p.widget in ("slider", "number_input"):
            assert (w.min, w.max) == (p.lo, p.hi), name
        if p.kind == "index":
            assert w.max == 4 if p.widget == "slider" else len(w.options) == 4, f"{name}'s range is not 1…n"
        if p.choices:
            assert w.options == [p.shown(c) for c in p.choices], name
        if p.steps:
            assert len(w.options) == len(p.steps), name
    # a value chosen on screen is the param's own: move each index to n
    at.slider(key="w_i").set_value(4).run()
    assert not at.exception and at.session_state["_params"]["i"] == 4


def test_a_locked_row_is_drawn_disabled():
    names = [k for k in DRAWN if k not in state.FRAME_ONLY]
    at = AppTest.from_function(_draw_every_row, kwargs={"lock": ",".join(names)}, default_timeout=60).run()
    assert not at.exception, [e.value for e in at.exception]
    widgets = _widgets(at)
    assert all(widgets[f"w_{k}"].disabled for k in names)


def _set_locked(values: dict, lock: str):
    """AppTest script: a link locking ``lock``, then a preset and single set_param calls (as buttons' callbacks do)."""
    import streamlit as st

    from core import state
    from pages._ui.controls import preset, set_param

    ss = st.session_state
    if "_params" not in ss:
        ss["_params"] = state.decode({"n": "4", "T": "0.5", "i": "2", "lock": lock})[0]
        for k in ("T", "i", "c", "n", "zt"):
            ss[f"w_{k}"] = ss["_params"][k]  # a widget's state, which a set param forgets
        ss["results"] = {k: set_param(k, v) for k, v in values.items()}
        preset({"c": 9.0, "T": 3.0})  # one of them locked: the preset changes neither


def test_set_param_leaves_a_locked_param_as_it_is():
    values = {"T": 5.0, "i": 1, "c": 2.0, "n": 3, "zt": (1.0, 2.0, 3.0)}
    at = AppTest.from_function(_set_locked, kwargs={"values": values, "lock": "T,i,zt"}, default_timeout=60).run()
    assert not at.exception
    p = at.session_state["_params"]
    assert at.session_state["results"] == {"T": False, "i": False, "c": True, "n": False, "zt": False}  # zt locks n
    assert (p["T"], p["i"], p["n"], p["c"]) == (0.5, 2, 4, 2.0)
    assert at.session_state["w_T"] == 0.5 and "w_c" not in at.session_state  # the set param's widget is redrawn


def test_a_seed_button_does_not_move_a_locked_pick():
    """Derivation's seed buttons go through ui.preset: a click that arrives anyway (an odd client) changes nothing."""
    from apptest_util import open_page

    at = open_page("pages/derivation.py", {"n": "3", "i": "2", "j": "3", "lock": "i", "step": "2"})
    assert not at.exception
    buttons = [b for b in at.button if str(b.key).startswith("seed_")]
    assert buttons and all(b.disabled for b in buttons)
    buttons[0].proto.disabled = False  # AppTest refuses a disabled button: the click comes from a client that ignores it
    buttons[0].click().run()
    assert not at.exception and (at.query_params["i"], at.query_params["j"]) == ("2", "3")


# ---- source checks -------------------------------------------------------------------------------------------------


def _control_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "control"
                and isinstance(node.func.value, ast.Name) and node.func.value.id == "ui"):
            name = node.args[1].value if len(node.args) > 1 and isinstance(node.args[1], ast.Constant) else None
            yield node, name


def row_violations(root: Path) -> dict[tuple[str, str | None], list[str]]:
    """``(file, param) -> what the call passes that the row owns``: bounds, options, or a Streamlit widget function."""
    out: dict = {}
    for path in sorted(root.glob("*.py")):
        for node, name in _control_calls(ast.parse(path.read_text(encoding="utf-8"))):
            found = [k.arg for k in node.keywords if k.arg in ROW_OWNED]
            found += ["a widget function" for a in node.args[2:] if isinstance(a, ast.Attribute) and
                      isinstance(a.value, ast.Name) and a.value.id == "st"]
            if found:
                out.setdefault((path.name, name), []).extend(found)
    return out


def widget_state_writes(root: Path) -> dict[str, list[int]]:
    """Lines where a page writes or deletes session state itself (``st.session_state[k] = …``, ``.pop``, ``del``)."""
    out: dict = {}

    def is_ss(n) -> bool:
        return (isinstance(n, ast.Attribute) and n.attr == "session_state") or (isinstance(n, ast.Name) and n.id == "ss")

    # page scripts only: pages/_compat.py and pages/_warm.py are the frame's support modules, not pages (_compat keeps
    # its own cold-start flag in session state, never a parameter's widget key)
    for path in sorted(p for p in root.glob("*.py") if not p.name.startswith("_")):
        lines = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets = (node.targets if isinstance(node, (ast.Assign, ast.Delete)) else
                       [node.target] if isinstance(node, ast.AugAssign) else [])
            lines += [node.lineno for t in targets if isinstance(t, ast.Subscript) and is_ss(t.value)]
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and is_ss(node.func.value)
                    and node.func.attr in ("pop", "update", "clear", "setdefault", "__setitem__")):
                lines.append(node.lineno)
        if lines:
            out[path.name] = sorted(lines)
    return out


def test_no_page_passes_bounds_or_options_to_ui_control():
    found = row_violations(ROOT / "pages")
    assert set(found) <= set(EXCEPTIONS), {k: v for k, v in found.items() if k not in EXCEPTIONS}
    assert set(EXCEPTIONS) <= set(found), "an exception no longer needed: remove it from EXCEPTIONS"


def test_no_page_writes_a_widget_key_by_hand():
    assert widget_state_writes(ROOT / "pages") == {}, "set params with ui.set_param / ui.preset (pages/_ui/controls.py)"


def test_planted_violations_are_caught(tmp_path):
    (tmp_path / "p.py").write_text("""import streamlit as st
a = ui.control(ctx, "eps", where)
b = ui.control(ctx, "y", where, min_value=1, max_value=n)
c = ui.control(ctx, "d", st.select_slider, where, options=D)
d = other.control(ctx, "y", max_value=3)
st.session_state["w_y"] = 2
st.session_state.pop("w_z0", None)
ss["w_zt"] = "1, 2"
del st.session_state["w_i"]
st.session_state.get("w_i")
""")
    assert row_violations(tmp_path) == {("p.py", "y"): ["min_value", "max_value"],
                                        ("p.py", "d"): ["options", "a widget function"]}
    assert widget_state_writes(tmp_path) == {"p.py": [6, 7, 8, 9]}
