"""AppTest for the Jacobian page: the heatmap is core.jacobian, properties are computed, widgets drive the figures."""

from pathlib import Path

import numpy as np
import pytest
from apptest_util import charts as figures  # by title
from apptest_util import nparr as arr
from apptest_util import open_page
from streamlit.testing.v1 import AppTest

import core
from core import checks, state

ROOT = Path(__file__).resolve().parents[1]
PAGE = "pages/jacobian.py"


def page(query=None) -> AppTest:
    at = open_page(PAGE, query, timeout=90)
    assert not at.exception, at.exception[0].value if at.exception else ""
    return at


def heatmap(at) -> dict:
    return next(f for t, f in figures(at).items() if t.startswith("J = ∂S/∂z"))


def sweep(at) -> dict:
    return next(f for t, f in figures(at).items() if t.startswith("J at "))


def test_the_heatmap_is_core_jacobian_with_S1_on_top():
    at = page({"z": "2,1,0.1,-1", "T": "2"})
    hm = heatmap(at)
    trace = hm["data"][0]
    np.testing.assert_allclose(arr(trace["z"]), core.jacobian([2, 1, 0.1, -1], 2.0), atol=1e-15)
    assert trace["y"] == ["S₁", "S₂", "S₃", "S₄"] and trace["x"] == ["z₁", "z₂", "z₃", "z₄"]
    assert hm["layout"]["yaxis"]["autorange"] == "reversed"
    assert trace["zmin"] == -trace["zmax"] and trace["zmid"] == 0
    assert len(figures(at)) == 7  # heatmap, Monte Carlo Ĵ, its convergence, saturation ×2, misconception ×2


def test_properties_are_computed_and_the_check_table_has_the_errors():
    at = page()
    props = at.table[0].value
    assert list(props.iloc[:, 0]) == ["✓"] * 7
    z = np.array([2.0, 1.0, 0.1])
    assert "rank = 2" in list(props["computed from J"])
    d = np.diag(core.jacobian(z))
    assert f"min {d.min():.3g}, max {d.max():.3g}" in list(props["computed from J"])
    check = at.table[1].value
    assert list(check["check"]) == ["the reference", *checks.numeric_check(z)["check"][1:]]
    assert list(check["largest relative error |Ĵᵢⱼ − Jᵢⱼ| / |Jᵢⱼ|, on the entries it resolves"]) == \
        checks.numeric_check(z)["largest relative error |Ĵᵢⱼ − Jᵢⱼ| / |Jᵢⱼ|, on the entries it resolves"]
    assert all(c.startswith("✓") for c in check["check"][1:])


def test_saturated_check_table_says_central_differences_cannot_resolve_entries():
    """z = (40, −40, 0): the central differences' row is ⚠ with its reason, not a ✓ or ✗ on entries below its noise."""
    at = page({"z": "40,-40,0"})
    check = at.table[1].value
    fd = check["check"].iloc[1]
    assert fd.startswith("⚠ 5 of 9 entries are below what central differences can resolve") and "✗" not in fd
    assert check["check"].iloc[2].startswith("✓")


def test_saturated_logits_show_underflow_marks_not_a_crash():
    at = page({"z": "1e6,-1e6,0"})
    marks = list(at.table[0].value.iloc[:, 0])
    assert "⚠" in marks and "✗" not in marks
    assert np.abs(arr(heatmap(at)["data"][0]["z"])).max() == 0.0


def test_widgets_change_the_figures_and_the_url():
    at = page()
    before = heatmap(at)["data"][0]["z"]
    at.slider(key="w_z0").set_value(4.0).run()
    after = heatmap(at)["data"][0]["z"]
    assert not np.array_equal(arr(after), arr(before)) and at.query_params["z"] == "4,1,0.1"
    at.slider(key="w_T").set_value(0.5).run()
    np.testing.assert_allclose(arr(heatmap(at)["data"][0]["z"]), core.jacobian([4, 1, 0.1], 0.5), atol=1e-15)
    assert at.query_params["T"] == "0.5"


def test_sweep_choice_changes_the_animation_and_round_trips():
    at = page()
    s_T = sweep(at)
    assert len(s_T["frames"]) == 21 and s_T["layout"]["sliders"][0]["currentvalue"]["prefix"] == "T = "
    np.testing.assert_allclose(arr(s_T["frames"][-1]["data"][0]["z"]), core.jacobian([2, 1, 0.1], 0.1), atol=1e-15)
    at.radio(key="w_sweep").set_value("spread").run()
    assert at.query_params["sweep"] == "spread"
    s_sp = sweep(at)
    np.testing.assert_allclose(arr(s_sp["frames"][0]["data"][0]["z"]), np.eye(3) / 3 - 1 / 9, atol=1e-15)  # uniform
    at2 = page({"sweep": "spread"})
    assert at2.radio(key="w_sweep").value == "spread"
    params, problems = state.decode({"sweep": "spread"})
    assert params["sweep"] == "spread" and not problems
    assert state.encode(params, keys=["sweep"]) == {"sweep": "spread"}


@pytest.mark.parametrize("query", [{"n": "2"}, {"n": "10"}, {"T": "0.1"}, {"T": "10"}, {"z": "1e6,-1e6,0", "T": "0.1"}])
def test_renders_at_the_edges(query):
    at = page(query)
    n = int(at.query_params["n"])
    assert len(heatmap(at)["data"][0]["y"]) == n
    assert len(sweep(at)["frames"]) == 21


def test_misconception_chain_error_is_computed():
    at = page()
    bars = next(f for t, f in figures(at).items() if t.startswith("The chain rule"))
    g = np.round(np.random.default_rng(0).normal(size=3), 2)
    np.testing.assert_allclose(arr(bars["data"][0]["y"]), core.vjp([2, 1, 0.1], g), atol=1e-15)
    np.testing.assert_allclose(arr(bars["data"][1]["y"]), g * np.diag(core.jacobian([2, 1, 0.1])), atol=1e-15)
    err = np.abs(arr(bars["data"][1]["y"]) - arr(bars["data"][0]["y"])).max()
    assert at.metric[0].value == f"{err:.3g}"
    mis = next(f for t, f in figures(at).items() if t.startswith("The true J ="))
    J = core.jacobian([2, 1, 0.1])
    for trace, M in zip(mis["data"], (J, np.diag(np.diag(J)), J - np.diag(np.diag(J))), strict=True):
        np.testing.assert_allclose(arr(trace["z"]), M, atol=1e-15)
