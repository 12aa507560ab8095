"""Widget fuzzing: random sequences of widget changes on every page never raise.

The widgets are discovered generically from the AppTest tree after every run (sliders, select sliders,
select boxes, radios, number inputs, toggles, checkboxes, text fields, buttons, pills / segmented
controls, multiselects), so new controls are covered as soon as a page adds them. Hypothesis picks which
widget to change and to what (ends of the range, the middle, random points, every option; for the vector
text field: valid vectors of 2 to 10 numbers, garbage, huge values, HTML). After every step:

- no exception element;
- the page still has its title (and its charts, if it had any);
- the number of z sliders equals n;
- the URL the app wrote decodes cleanly (every view stays a valid link).

A second test drives the case the issue names: n switching between 2 and 10 while i, j, y, s and the
last z hold values that only made sense for the old n, by slider, by the vector field and by a link.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

import pytest
from apptest_util import chart_elements, ztext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from core import state
from pages._ui import PAGES

ROOT = Path(__file__).resolve().parents[1]
FULL = os.environ.get("FULL") == "1"  # the release check: more sequences, and every wrong-kind field to every widget
SEQUENCES = int(os.environ.get("FUZZ_WIDGET_SEQUENCES", "20" if FULL else "5"))  # per page
STEPS = 12  # widget changes per sequence
SHOW_ERRORS = {"client.showErrorDetails": "full"}  # the hosted config redacts errors; a failing test should not
HIDDEN = {"embed", "embed_options"}
INDEX_KEYS = ("w_i", "w_j", "w_y", "w_s")
KINDS = ("slider", "select_slider", "selectbox", "radio", "number_input", "toggle", "checkbox", "text_input",
         "text_area", "button", "button_group", "multiselect")
TEXTS = ["2, 1, 0.1", "1e6, -1e6, 0", "7, 7, 7, 7", "0, 5e-324", "1 2 3 4 5 6 7 8 9 10", "1, 2", "[3; -3]",
         "1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11", "5", "", "abc", "1, nan", "1, inf", "1e7, 0", "<script>alert(1)</script>",
         "1, <b>2</b>", "1," * 300, "١, ٢", "１, ２", "0x1, 2"]


def fresh(path: str) -> AppTest:
    with patch_config_options(SHOW_ERRORS):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
        if path != PAGES[0].path:
            at.switch_page(path).run()
    assert not at.exception, f"{path}: {at.exception[0].value}"
    return at


def widgets(at: AppTest) -> list:
    out = []
    for kind in KINDS:
        for w in at.get(kind):
            if not getattr(w, "disabled", False) and getattr(w, "form_id", "") == "":
                out.append(w)
    return out


def raw_options(w) -> list:
    """The raw values behind a widget's formatted options (found by inverting its format_func)."""
    try:
        fmt = w.format_func
    except Exception:
        fmt = str
    choices = [c for p in state.TABLE.values() for c in p.choices]
    candidates = [*w.options, *state.TABLE, *choices, *range(-1, 2001), True, False, None]
    for o in w.options:
        with_float = []
        try:
            with_float.append(float(o))
        except ValueError:
            pass
        candidates += with_float
    found = []
    for o in w.options:
        for c in candidates:
            try:
                if str(fmt(c)) == o:
                    found.append(c)
                    break
            except Exception:
                continue
    return found


def snap(lo, hi, step, x):
    if isinstance(lo, int) and isinstance(hi, int):
        return int(min(hi, max(lo, lo + round((x - lo) / (step or 1)) * (step or 1))))
    v = lo + round((x - lo) / step) * step if step else x
    return float(min(hi, max(lo, round(v, 10))))


def choose(w, data) -> tuple[str, object]:
    """Pick an action for widget ``w``: (description, callable that applies it)."""
    kind = w.type if hasattr(w, "type") else type(w).__name__
    name = type(w).__name__
    if name == "Slider":
        lo, hi = w.min, w.max
        if isinstance(lo, (int, float)) and isinstance(hi, (int, float)):
            where = data.draw(st.sampled_from(["lo", "hi", "mid", "any"]))
            x = {"lo": lo, "hi": hi, "mid": (lo + hi) / 2}.get(where)
            if x is None:
                x = data.draw(st.floats(min_value=float(lo), max_value=float(hi), allow_nan=False))
            v = snap(lo, hi, w.step, x)
            if isinstance(w.value, (tuple, list)):
                v2 = snap(lo, hi, w.step, data.draw(st.floats(min_value=float(v), max_value=float(hi))))
                return f"{w.key}: range {v}..{v2}", lambda: w.set_range(v, v2)
            return f"{w.key}: {v}", lambda: w.set_value(v)
        return f"{w.key}: unchanged", lambda: w
    if name in ("SelectSlider", "Selectbox", "Radio", "ButtonGroup", "Multiselect"):
        opts = raw_options(w)
        if not opts:
            return f"{w.key}: no options", lambda: w
        if name == "Multiselect":
            v = data.draw(st.lists(st.sampled_from(opts), unique=True, max_size=len(opts)))
        elif name == "ButtonGroup" and isinstance(w.value, list):
            v = data.draw(st.lists(st.sampled_from(opts), unique=True, max_size=len(opts)))
        else:
            v = data.draw(st.sampled_from(opts))
        return f"{w.key}: {v!r}", lambda: w.set_value(v)
    if name == "NumberInput":
        lo = w.min if w.min is not None else -1e6
        hi = w.max if w.max is not None else 1e6
        v = data.draw(st.sampled_from([lo, hi, (lo + hi) / 2, w.value if w.value is not None else lo]))
        if isinstance(w.step, int) or (isinstance(lo, int) and isinstance(hi, int)):
            v = int(v)
        return f"{w.key}: {v}", lambda: w.set_value(v)
    if name in ("Toggle", "Checkbox"):
        return f"{w.key}: {not w.value}", lambda: w.set_value(not w.value)
    if name in ("TextInput", "TextArea"):
        if data.draw(st.booleans()):
            k = data.draw(st.integers(min_value=1, max_value=11))
            xs = data.draw(st.lists(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), min_size=k, max_size=k))
            text = ", ".join(repr(x) for x in xs)
        else:
            text = data.draw(st.sampled_from(TEXTS))
        return f"{w.key}: {text[:40]!r}", lambda: w.input(text)
    if name == "Button":
        return f"{w.key or w.label}: click", lambda: w.click()
    return f"{kind}: skipped", lambda: w


def z_sliders(at: AppTest) -> list:
    return sorted((s for s in at.slider if s.key and s.key[:3] == "w_z" and s.key[3:].isdigit()), key=lambda s: int(s.key[3:]))


def step_charts(path: str) -> dict[str, bool]:
    """Whether each step of the page's lesson (by the link's ``step``; "" for a page without steps) draws a chart: a
    sequence that opens a step without one has not lost its charts."""
    info = next(p for p in PAGES if p.path == path)
    if not info.steps:
        return {"": bool(fresh(path).get("plotly_chart"))}
    out = {}
    for k in range(len(info.steps) + 1):  # 0: the whole lesson
        at = fresh(path)
        at.query_params["step"] = str(k)
        at.switch_page(path).run()
        out[str(k)] = bool(chart_elements(at))
    return out


def check(at: AppTest, path: str, has_charts: bool | dict[str, bool], log: list[str]) -> None:
    where = f"{path} after {log}"
    assert not at.exception, f"{where}: {at.exception[0].value}"
    assert at.title, f"{where}: no title"
    step = at.query_params.get("step", "")
    step = step[-1] if isinstance(step, list) else step
    if has_charts is True or (isinstance(has_charts, dict) and has_charts.get(step, has_charts.get("", False))):
        assert chart_elements(at), f"{where}: the charts are gone"
    zs = z_sliders(at)
    n_slider = [s for s in at.slider if s.key == "w_n"]
    if zs and n_slider:
        assert len(zs) == n_slider[0].value, f"{where}: {len(zs)} z sliders for n={n_slider[0].value}"
    query = {k: v for k, v in at.query_params.items() if k.lower() not in HIDDEN}
    params, problems = state.decode(query)
    assert not problems, f"{where}: the app wrote a link that does not decode cleanly: {problems}"
    for k in INDEX_KEYS:  # an index is never larger than n (the link would not decode cleanly otherwise)
        if k[2:] in query and k[2:] != "s":
            assert params[k[2:]] <= params["n"]


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_random_widget_sequences_never_raise(path):
    has_charts = step_charts(path)

    @settings(max_examples=SEQUENCES, deadline=None, derandomize=bool(os.environ.get("CI")), database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.data())
    def sequence(data):
        at = fresh(path)
        log: list[str] = []
        for _ in range(STEPS):
            ws = widgets(at)
            if not ws:
                break
            w = data.draw(st.sampled_from(ws), label="widget")
            what, act = choose(w, data)
            log.append(what)
            with patch_config_options(SHOW_ERRORS):
                act().run()
            check(at, path, has_charts, log)

    sequence()


# ---- n switching while other controls hold values for the old n ---------------------------------------


def set_to_end(w, end: str) -> None:
    """Move an index-like widget to its largest (or smallest) value."""
    name = type(w).__name__
    if name == "Slider" and not isinstance(w.value, (tuple, list)):
        w.set_value(w.max if end == "max" else w.min)
    elif name == "NumberInput" and w.max is not None:
        w.set_value(w.max if end == "max" else w.min)
    elif name in ("Selectbox", "Radio", "SelectSlider", "ButtonGroup"):
        opts = raw_options(w)
        if opts:
            w.set_value(opts[-1] if end == "max" else opts[0])


def hold_old_values(at: AppTest) -> list[str]:
    """Put every index control and the last z at the end of its range: values meant for n = 10."""
    held = []
    for w in widgets(at):
        if w.key in INDEX_KEYS or (w.key and w.key.startswith("w_z") and w.key[3:].isdigit() and int(w.key[3:]) >= 2):
            set_to_end(w, "max")
            held.append(w.key)
    return held


def switch_n(at: AppTest, n: int) -> None:
    with patch_config_options(SHOW_ERRORS):
        at.slider(key="w_n").set_value(n).run()


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_n_switches_between_2_and_10_with_stale_controls(path):
    at = fresh(path)
    has_charts = bool(chart_elements(at))
    if not [s for s in at.slider if s.key == "w_n"]:
        pytest.skip(f"{path} has no n slider")
    log: list[str] = []
    for cycle in range(3):
        switch_n(at, 10)
        log.append("n=10")
        check(at, path, has_charts, log)
        with patch_config_options(SHOW_ERRORS):
            held = hold_old_values(at)
            at.run()
        log.append(f"cycle {cycle}: held {held} at their max")
        check(at, path, has_charts, log)
        switch_n(at, 2)
        log.append("n=2")
        check(at, path, has_charts, log)
        assert len(z_sliders(at)) == 2 or not z_sliders(at)
        for w in widgets(at):  # every index control now fits n = 2
            if w.key in INDEX_KEYS and type(w).__name__ == "Slider" and w.key != "w_s":
                assert w.value <= 2, f"{path}: {w.key} = {w.value} after n = 2"

    # by the vector field: 10 numbers, indices at their max, then 2 numbers
    if [t for t in at.text_input if str(t.key).startswith("w_ztext")]:
        with patch_config_options(SHOW_ERRORS):
            ztext(at).input("1, 2, 3, 4, 5, 6, 7, 8, 9, 10").run()
            check(at, path, has_charts, [*log, "text: 10 numbers"])
            hold_old_values(at)
            at.run()
            ztext(at).input("0.5, -0.5").run()
        check(at, path, has_charts, [*log, "text: 2 numbers"])
        assert [s.value for s in z_sliders(at)] == [0.5, -0.5]

    # by a link: n = 10 with every index at 10, then the slider back to 2, then a link with n = 2 only
    with patch_config_options(SHOW_ERRORS):
        at.query_params = {"n": "10", "i": "10", "j": "10", "y": "10", "z": ",".join(["1e6"] * 9 + ["-1e6"])}
        at.run()
        check(at, path, has_charts, [*log, "link n=10"])
        switch_n(at, 2)
        check(at, path, has_charts, [*log, "link n=10, slider n=2"])
        at.query_params = {"n": "2"}
        at.run()
    check(at, path, has_charts, [*log, "link n=2"])
    assert math.isfinite(float(at.query_params["T"]))


# ---- odd client messages: values a browser never sends -------------------------------------------------------
# A browser sends each widget's value in the field of its own kind. A modified client (or the load simulator, once)
# can send anything well-formed: a fraction or an index past the end, NaN or ±inf, or another kind's field. Before
# pages/_compat.guard_widget_states, Streamlit raised on screen for some of these inside its own deserialisers (a
# double array for a select slider: "TypeError: must be real number, not str"). Now none may raise; a value the
# widget cannot take is dropped (the widget keeps its previous value) with a notice, and a browser's own value never
# gets one. FUZZ_WIDGET_ODD=all sends every wrong-kind field to every widget (CI: one per widget, in rotation).

WRONG = {"double_value": 2.5, "int_value": 999, "string_value": "not an option", "bool_value": True,
         "double_array_value": [2.5], "int_array_value": [999], "string_array_value": ["not an option"]}
NAN, INF = float("nan"), float("inf")


def own_odd_values(field: str, sent) -> list:
    """Odd values of the widget's own field, given what the browser would send (``sent``)."""
    if field == "double_array_value":
        k = max(1, len(sent))
        return [[0.5] * k, [-1e9] * k, [1e9] * k, [NAN] * k, [INF] * k, [-INF] * k, [], [0.5] * (k + 2)]
    if field in ("double_value", "int_value"):
        return [NAN, INF, -INF, 1e300, 0.5, -1e9] if field == "double_value" else [999, -1, 2**62]
    if field == "string_value":
        return ["not an option", "", "x" * 5000, "999"]
    if field == "string_array_value":
        return [["not an option"], [], ["999", "not an option", ""], [*sent, *sent, "x"]]
    return []  # bool, trigger: every well-formed value is a browser's


def send(at: AppTest, widget_id: str, field: str, value) -> AppTest:
    """Rerun with the browser's widget states, except ``widget_id``'s, which carries ``value`` in ``field``."""
    states = at._tree.get_widget_states()
    for s in states.widgets:
        if s.id == widget_id:
            s.Clear()
            s.id = widget_id
            if hasattr(value, "data") and not isinstance(value, (str, bytes)):  # an array message (a widget's own state)
                getattr(s, field).data.extend(list(value.data))
            elif isinstance(value, list):
                getattr(s, field).data.extend(value)
            else:
                setattr(s, field, value)
    with patch_config_options(SHOW_ERRORS):
        at._run(states)
    return at


def notices(at: AppTest) -> list[str]:
    return [t.value for t in at.toast if "cannot take" in str(t.value)]


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_odd_client_values_never_raise(path):
    from streamlit.testing.v1.element_tree import get_widget_state

    at = fresh(path)
    everything = FULL or os.environ.get("FUZZ_WIDGET_ODD") == "all"
    sent = raised = rejected = 0
    failures: list[str] = []
    ids = [(w.id, w.key or w.id) for w in widgets(at)]
    for n, (wid, name) in enumerate(ids):
        found = [w for w in widgets(at) if w.id == wid]
        if not found:  # an earlier value hid it (e.g. a smaller n): not this test's business
            continue
        own = get_widget_state(found[0])
        field = own.WhichOneof("value")
        mine = getattr(own, field)
        cases = [(field, v) for v in own_odd_values(field, list(getattr(mine, "data", [])))]
        others = [f for f in WRONG if f != field]
        cases += [(f, WRONG[f]) for f in (others if everything else [others[n % len(others)]])]
        for f, v in cases:
            send(at, wid, f, v)
            sent += 1
            rejected += bool(notices(at))
            if at.exception:
                raised += 1
                failures.append(f"{name} <- {f}={v!r:.40}: {at.exception[0].value}"[:300])
                at = fresh(path)
            elif not at.title:
                failures.append(f"{name} <- {f}={v!r:.40}: the page lost its title")
        # the browser's own value right after: taken, no notice
        found = [w for w in widgets(at) if w.id == wid]
        if found:
            own = get_widget_state(found[0])
            send(at, wid, own.WhichOneof("value"), list(getattr(getattr(own, own.WhichOneof("value")), "data", []))
                 or getattr(own, own.WhichOneof("value")))
            if notices(at) or at.exception:
                failures.append(f"{name}: its own value {own} was not taken cleanly")
    print(f"{path}: {len(ids)} widgets, {sent} odd messages, {rejected} dropped with a notice, {raised} raised")
    assert failures == [], "\n".join(failures)


def test_an_integer_number_box_takes_the_int_value_a_browser_sends():
    """Streamlit's frontend sends an integer number box's value as int_value (Streamlit declares double_value for
    it): the guard must take it, with no notice, as it takes AppTest's double_value."""
    at = fresh(next(p.path for p in PAGES if p.slug == "attention"))
    (box,) = [w for w in at.number_input if w.key == "w_aseed"]
    send(at, box.id, "int_value", 7)
    assert not at.exception and not notices(at)
    assert [w.value for w in at.number_input if w.key == "w_aseed"] == [7]
    send(at, box.id, "double_value", 0.5)  # a fraction for an integer: dropped, the box keeps 7
    assert not at.exception and notices(at)
    assert [w.value for w in at.number_input if w.key == "w_aseed"] == [7]
