"""AppTest of the shared frame (pages/_ui.py): every widget kind round-trips through the URL, lecturer links
lock controls, presentation mode, slide export, the guided tour, the copy-link affordance, and bad links on
every page. Page-independent: a scratch page exercises the widget kinds; the real pages are checked generically.
"""

from __future__ import annotations

import html
import json
import re
import textwrap
from pathlib import Path

import pytest
from apptest_util import chart_elements, open_page, ztext
from helpers import raw_floats
from streamlit.testing.v1 import AppTest

from core import state
from pages import _ui as ui

ROOT = Path(__file__).resolve().parents[1]
PRESENT = ui.PAGES
IDS = [p.slug for p in PRESENT]


def app(query=None, page: str = "pages/home.py"):
    """Open ``page`` with exactly ``query`` as its link (a fresh session, as a student's browser would)."""
    return open_page(page, query, home_first=True)


def codes(at) -> list[str]:
    """The text of every code box: st.code's (the lecturer's link) and the link to this view (output.link_box's HTML)."""
    boxes = re.findall(r'<div class="linkbox"><code>(.*?)</code>', "".join(m.value for m in at.markdown))
    return [c.value for c in at.code] + [html.unescape(b) for b in boxes]


def charts(at):
    return chart_elements(at)


# ---- the state table: the frame's own parameter -------------------------------------------------


def test_fmt_round_trips_and_bad_fmt_is_reported():
    params, problems = state.decode({"fmt": "svg"})
    assert params["fmt"] == "svg" and not problems
    assert state.decode(state.encode(params))[0]["fmt"] == "svg"
    params, problems = state.decode({"fmt": "<b>gif</b>"})
    assert params["fmt"] == "png" and len(problems) == 1 and "<" not in problems[0]


# ---- every widget kind round-trips (a scratch page that uses each kind through ui.control) --------

SCRATCH = textwrap.dedent(
    """
    import streamlit as st
    from pages import _ui as ui

    ctx = ui.begin("frame-test", keys=("c", "epochs", "loss", "sweep", "dseed", "data"), title="Frame test")
    z, T = ui.logit_controls(ctx)
    ui.control(ctx, "c")
    ui.control(ctx, "epochs", widget="select_slider", options=[1, 50, 100, 200, 500, 1000])
    ui.control(ctx, "loss", widget="selectbox")
    ui.control(ctx, "sweep")
    ui.control(ctx, "dseed")
    ui.control(ctx, "data", widget="text_input")
    st.write(repr(ctx.params["z"]), ctx.params["T"], ctx.params["c"], ctx.params["epochs"])
    ui.end(ctx)
    """
)


@pytest.fixture()
def scratch(tmp_path):
    path = tmp_path / "scratch.py"
    path.write_text(SCRATCH)

    def make(query=None):
        at = AppTest.from_file(str(path), default_timeout=60)
        if query:
            at.query_params.update(query)
        return at.run()

    return make


def test_every_widget_kind_round_trips_through_the_url(scratch):
    at = scratch()
    assert not at.exception
    at.slider(key="w_z1").set_value(-2.5).run()
    at.slider(key="w_T").set_value(2.0).run()
    at.slider(key="w_c").set_value(1.5).run()
    at.select_slider(key="w_epochs").set_value(500).run()
    at.selectbox(key="w_loss").set_value("mse").run()
    at.radio(key="w_sweep").set_value("spread").run()
    at.number_input(key="w_dseed").set_value(42).run()
    at.text_input(key="w_data").input("spirals").run()
    assert not at.exception
    q = at.query_params
    got = {k: q[k] for k in ("z", "T", "c", "epochs", "loss", "sweep", "dseed", "data")}
    assert got == {"z": "2,-2.5,0.1", "T": "2", "c": "1.5", "epochs": "500", "loss": "mse", "sweep": "spread",
                   "dseed": "42", "data": "spirals"}

    # a fresh session opening that link shows exactly the same widgets
    fresh = scratch({k: at.query_params[k] for k in at.query_params})
    assert not fresh.exception and not fresh.warning
    assert fresh.slider(key="w_z1").value == -2.5 and fresh.slider(key="w_T").value == 2.0
    assert fresh.slider(key="w_c").value == 1.5 and fresh.select_slider(key="w_epochs").value == 500
    assert fresh.selectbox(key="w_loss").value == "mse" and fresh.radio(key="w_sweep").value == "spread"
    assert fresh.number_input(key="w_dseed").value == 42 and fresh.text_input(key="w_data").value == "spirals"
    assert [m.value for m in fresh.markdown] == [m.value for m in at.markdown]


def test_slide_export_format_round_trips():
    at = app(None, "pages/jacobian.py")
    at.radio(key="w_fmt").set_value("svg").run()
    assert at.query_params["fmt"] == "svg"
    assert app({"fmt": "svg"}, "pages/jacobian.py").radio(key="w_fmt").value == "svg"


def test_presentation_toggle_round_trips_and_exit_button_leaves():
    at = app(None, "pages/jacobian.py")
    at.toggle(key="w_present").set_value(True).run()
    assert at.query_params["present"] == "1"
    assert any(b.key == "exit_present" for b in at.button)
    at.button(key="exit_present").click().run()
    assert "present" not in at.query_params
    assert at.toggle(key="w_present").value is False


def test_classroom_defaults_stay_out_of_the_link(scratch):
    at = scratch()
    assert not {"present", "lock", "fmt"} & set(at.query_params)


def test_lock_disables_every_locked_control(scratch):
    at = scratch({"lock": "n,z,T,c,loss,dseed"})
    assert at.slider(key="w_n").disabled and at.slider(key="w_T").disabled and at.slider(key="w_c").disabled
    assert all(at.slider(key=f"w_z{k}").disabled for k in range(3)) and ztext(at).disabled
    assert at.selectbox(key="w_loss").disabled and at.number_input(key="w_dseed").disabled
    assert not at.radio(key="w_sweep").disabled
    assert any("locked by your lecturer" in c.value for c in at.caption)
    assert at.query_params["lock"] == "n,z,T,c,loss,dseed"  # the lock survives in the link


def test_copy_link_shows_the_encoded_view(scratch):
    at = scratch({"z": "1,2,3,4", "T": "0.5"})
    assert any("?n=4&z=1,2,3,4&T=0.5" in c for c in codes(at))


def test_lecturer_tools_build_a_locked_presentation_link(scratch):
    at = scratch()
    assert not [m for m in at.multiselect if m.key == "lt_lock"]  # built only when the lecturer opens the tools
    at.session_state["x_lecturer"] = True  # what a click on the expander does
    at.run()
    at.multiselect(key="lt_lock").set_value(["z", "T"]).run()
    at.checkbox(key="lt_present").check().run()
    assert any("present=1" in c and "lock=z,T" in c for c in codes(at))
    assert "lock" not in at.query_params  # building a link does not lock the lecturer's own view


# ---- the real pages -------------------------------------------------------------------------------


@pytest.mark.parametrize("info", PRESENT, ids=IDS)
def test_page_has_tour_link_and_notice(info):
    at = app({"z": "1,0,-1,2", "T": "1.5"}, info.path)
    assert not at.exception
    assert any(info.notice in c.value for c in at.caption)
    links = at.get("page_link")
    k = PRESENT.index(info)
    if k + 1 < len(PRESENT):
        nxt = [lk for lk in links if lk.proto.label.startswith("Next:")]
        assert nxt and nxt[0].proto.label == f"Next: {PRESENT[k + 1].title}"
        assert "z=1%2C0%2C-1%2C2" in nxt[0].proto.query_string and "T=1.5" in nxt[0].proto.query_string


@pytest.mark.parametrize("info", PRESENT, ids=IDS)
def test_page_charts_export_slides_and_have_alt_text(info):
    at = app({"fmt": "svg"}, info.path)
    assert not at.exception  # (a page may have no chart: the derivation is LaTeX)
    for c in charts(at):
        config = c.config
        opts = config["toImageButtonOptions"]
        stem = opts["filename"].replace("_", "-")
        assert opts["format"] == "svg" and stem.startswith(f"softmax-explorer-{info.slug.replace('_', '-')}")
        assert config["displaylogo"] is False
        assert c.alt, "every chart needs alt text"
    tables = [e for e in at.expander if e.label.startswith("Data")]
    assert len(tables) >= len(charts(at)), "every chart needs a data-table equivalent (ui.chart(..., data=...))"
    at = app(None, info.path)
    for c in charts(at):
        opts = c.config["toImageButtonOptions"]
        assert opts["format"] == "png" and opts["scale"] >= 2


@pytest.mark.parametrize("info", PRESENT, ids=IDS)
def test_page_respects_locks_and_presentation(info):
    at = app({"lock": "n,z,T", "present": "1"}, info.path)
    assert not at.exception
    assert not at.sidebar.children or all(getattr(e, "key", None) is None for e in at.sidebar)  # controls moved out
    for s in at.slider:
        if s.key in ("w_n", "w_T") or (s.key or "").startswith("w_z"):
            assert s.disabled, s.key
    assert any(b.key == "exit_present" for b in at.button)
    assert "present" in at.query_params and at.query_params["lock"] == "n,z,T"


@pytest.mark.parametrize("info", PRESENT, ids=IDS)
def test_page_bad_link_warns_once(info):
    at = app({"z": "abc", "n": "9999", "T": "-1", "evil": "<script>x</script>", "fmt": "gif"}, info.path)
    assert not at.exception
    assert len(at.warning) == 1 and "ignored" in at.warning[0].value and "<script>" not in at.warning[0].value


def test_switching_page_with_the_same_link_keeps_the_example():
    """A tour link carries the same n, z, T: the next page's widgets are new, and must show those values
    (not their defaults: a regression where the sliders jumped to their minimum)."""
    if len(PRESENT) < 2:
        pytest.skip("only one page exists")
    at = app({"n": "3", "z": "1,2,3", "T": "2"})
    at.switch_page(PRESENT[1].path).run()
    assert not at.exception
    assert [at.slider(key=f"w_z{k}").value for k in range(3)] == [1.0, 2.0, 3.0]
    assert at.query_params["z"] == "1,2,3" and at.query_params["T"] == "2"


def test_presentation_scales_fonts_a_builder_fixed():
    import copy

    import plotly.graph_objects as go

    spec = go.Figure(go.Heatmap(z=[[1, 2]], texttemplate="%{z}", textfont={"size": 15}),
                     frames=[go.Frame(data=[go.Heatmap(textfont={"size": 10})])]).to_dict()
    spec["layout"].update(xaxis={"tickfont": {"size": 10}, "title": {"text": "y", "font": {"size": 14}}},
                          annotations=[{"text": "a", "font": {"size": 12}}], legend={"x": 1})
    before = copy.deepcopy(spec)
    fig = go.Figure(ui.output._scale_fonts(spec, 1.5))  # validating: the scaled spec is still a valid figure
    assert spec == before  # the input (maybe a cached spec) is never mutated
    assert fig.data[0].textfont.size == 22 and fig.layout.xaxis.tickfont.size == 15
    assert fig.layout.annotations[0].font.size == 18 and fig.layout.xaxis.title.font.size == 21
    assert fig.frames[0].data[0].textfont.size == 15
    assert fig.layout.legend.font.size is None  # never sets a size the builder left to the template


def test_chart_sends_the_spec_as_given_with_the_template():
    """ui.chart hands the chart element a ready spec as JSON (no plotly build): what reaches the browser is exactly
    that spec (numpy arrays as lists, frames kept) plus the app's template, and the spec itself is not mutated."""

    def script():
        import numpy as np

        from core import state
        from pages import _ui as ui

        spec = {"data": [{"type": "bar", "x": ["S₁", "S₂"], "y": np.array([0.25, 0.75])}],
                "layout": {"title": {"text": "t"}}, "frames": [{"name": "0", "data": [{"y": [0.5, 0.5]}]}]}
        ctx = ui.Ctx("scratch", state.defaults(), (), dark=False, present=False)
        ui.chart(ctx, spec, "bars", alt="Two bars")
        assert "template" not in spec["layout"]

    at = AppTest.from_function(script).run()
    assert not at.exception
    sent = chart_elements(at)[0].spec
    assert sent["data"] == [{"type": "bar", "x": ["S₁", "S₂"], "y": [0.25, 0.75]}]
    assert sent["frames"] == [{"name": "0", "data": [{"y": [0.5, 0.5]}]}]
    assert sent["layout"]["title"] == {"text": "t"}
    assert sent["layout"]["template"] == json.loads(ui.output._template_json(False, False))


@pytest.mark.parametrize("info", PRESENT, ids=IDS)
def test_data_tables_and_code_are_built_only_when_opened(info):
    """Closed, a data table, the code or a formula's "Copy LaTeX" costs one expander element; opened (a rerun, as a
    click does), the table, the code and the LaTeX source are there."""
    at = app(None, info.path)
    keys = [k for k in at.session_state._state.filtered_state if k.startswith("x_")]
    lazy = {"Show the code", *(f"Data: {k[7:].replace('-', ' ')}" for k in keys if k.startswith("x_data_"))}
    boxes = [e for e in at.expander if e.label in lazy]
    assert boxes and all(not e.dataframe and not e.code for e in boxes)  # nothing inside a closed lazy expander
    assert "x_show_code" in keys
    assert sum(k.startswith("x_data_") for k in keys) >= len(chart_elements(at))
    for k in keys:
        at.session_state[k] = True
    at.run()
    assert not at.exception
    opened = {e.label: e for e in at.expander}
    for k in [k for k in keys if k == "x_show_code" or k.startswith("x_data_")]:
        label = "Show the code" if k == "x_show_code" else None
        box = opened[label] if label else next(e for lab, e in opened.items() if lab == f"Data: {k[7:].replace('-', ' ')}")
        inner = box.code if label else box.dataframe
        assert len(inner) >= 1, f"{k} opened but empty"
        if not label:  # a chart's data prints its numbers through core.fmt (the CSV download keeps them exact)
            assert raw_floats(inner[0].value) == [], (k, raw_floats(inner[0].value)[:5])
    assert "def " in opened["Show the code"].code[0].value
    copies = [e for e in at.expander if e.label == "Copy LaTeX"]
    assert len(copies) == sum(k.startswith("x_copy_") for k in keys)
    assert all(e.code and ("\\" in e.code[0].value or "=" in e.code[0].value) for e in copies)  # the source


@pytest.mark.parametrize("info", PRESENT, ids=IDS)
def test_the_trimmed_template_styles_every_trace_type_a_page_draws(info):
    from figures.palette import USED_TRACES

    at = app({"n": "10", "z": "1,2,3,4,5,6,7,8,9,10"}, info.path)
    for c in charts(at):
        spec = c.spec
        types = {t.get("type", "scatter") for t in spec["data"]}
        assert types <= set(USED_TRACES), types
        assert set(spec["layout"]["template"]["data"]) == set(USED_TRACES)


def test_the_chart_element_sends_its_code_without_comments():
    """pages/_ui/chart.py strips the comments of chart.js and chart.css (sent with every chart of every rerun), and
    nothing else: every other line is still there, in order. chart.js has no block comment (the stripping of
    JavaScript only removes whole-line ``//`` comments, so a ``/*`` in a string or a regex stays safe)."""
    import sys

    from pages._ui import chart as _  # noqa: F401  (the module, not ui.chart)

    mod = sys.modules["pages._ui.chart"]
    js = (mod.HERE / "chart.js").read_text(encoding="utf-8")
    assert "/*" not in js
    sent = mod._code(js).splitlines()
    assert sent == [ln.strip() for ln in js.splitlines() if ln.strip() and not ln.strip().startswith("//")]
    assert "export default function ({ parentElement, data }) {" in sent and len(sent) > 50
    css = mod._code((mod.HERE / "chart.css").read_text(encoding="utf-8"), css=True)
    assert "/*" not in css and "*/" not in css and ".sdx-chart-full {" in css and css.count("{") == css.count("}")
