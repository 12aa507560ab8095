"""AppTest of the lesson "Softmax on the triangle": every step at the settings that break prose, the claims exactly
as core.geometry computes them, the statement (and a way back) for n ≠ 3, widgets that move the figures."""

import numpy as np
import pytest
from lesson_util import SETTINGS, claim_marks, figure, page, titles

from core import fmt as core_fmt
from core import geometry as geo
from core import state

PAGE = "pages/geometry.py"
TRIANGLES = ("Every logit vector", "Nudge one zⱼ", "Add c", "Temperature:", "The cross-entropy gradient")


@pytest.mark.parametrize("name", SETTINGS)
def test_every_step_draws_its_triangle_and_the_claims_are_cores(name):
    q = SETTINGS[name]
    at = page(PAGE, {**q, "c": "2.5", "y": "2"})
    p, _ = state.decode({**q, "c": "2.5", "y": "2"})
    if len(p["z"]) != 3:  # n = 10: the statement and the outputs as bars, no triangle and no claims
        assert [i.value for i in at.info] == [geo.picture_statement(len(p["z"]))] and not claim_marks(at)
        return
    shown = titles(at)
    for start in TRIANGLES:
        assert any(t.startswith(start) for t in shown), (start, shown)
    want = [c.mark for c in geo.geometry_claims(p["z"], 1, p["T"], 2.5)]
    assert claim_marks(at) == want and "✗" not in want


def test_saturation_in_float64_shows_warnings_not_failures():
    at = page(PAGE, {"z": "1000,0,-1000"})
    marks = claim_marks(at)
    assert "⚠" in marks and "✗" not in marks
    assert marks == [c.mark for c in geo.geometry_claims((1000, 0, -1000), 0, 1.0, 0.0)]


def test_the_figures_draw_cores_points():
    at = page(PAGE, {"z": "0.5,-1,2", "T": "1.5", "step": "1"})
    S = geo.column_arrows((0.5, -1, 2), 1.5).S
    you = next(t for t in figure(at, "Every logit vector")["data"] if t.get("name") == "your S")
    np.testing.assert_allclose([you["x"][0], you["y"][0]], geo.to_xy(S), atol=1e-12)
    at = page(PAGE, {"z": "0.5,-1,2", "T": "1.5", "step": "5", "y": "3"})
    arrows = [a for a in figure(at, "The cross-entropy gradient")["layout"]["annotations"] if a.get("showarrow")]
    np.testing.assert_allclose([arrows[0]["x"], arrows[0]["y"]], geo.VERTICES[2], atol=1e-12)  # y − S ends on e₃


@pytest.mark.parametrize("n", [2, 4, 10])
def test_other_n_states_the_picture_and_offers_n_3(n):
    at = page(PAGE, {"n": str(n)})
    assert [i.value for i in at.info] == [geo.picture_statement(n)]
    assert not [t for t in titles(at) if t.startswith(TRIANGLES)], "no triangle for n ≠ 3"
    assert titles(at) == [f"Your S for n = {n}: a point of the simplex, as n coordinates"]
    at.button(key="use_three").click().run()
    assert not at.exception and at.query_params["n"] == "3" and not at.info
    assert len([t for t in titles(at) if t.startswith(TRIANGLES)]) == 5


def test_use_n_3_respects_a_locked_n():
    at = page(PAGE, {"n": "4", "lock": "n"})
    assert at.button(key="use_three").disabled


def test_a_step_draws_only_its_figure():
    at = page(PAGE, {"step": "3", "c": "-4"})
    assert list(titles(at)) == ["Add c = −4 to every zⱼ: S stays where it is"]
    assert claim_marks(at) == ["✓"]


@pytest.mark.parametrize(("step", "key", "value", "title"), [("1", "w_radius", 8.0, "Every logit vector"),
                                                              ("2", "w_dz", 2.5, "Nudge one zⱼ"),
                                                              ("3", "w_c", 3.0, "Add c")])
def test_a_widget_moves_its_figure(step, key, value, title):
    at = page(PAGE, {"step": step})
    before = figure(at, title)
    at.slider(key=key).set_value(value).run()
    assert not at.exception and figure(at, title) != before


def test_the_target_moves_the_arrow():
    at = page(PAGE, {"step": "5"})
    before = figure(at, "The cross-entropy gradient")
    at.radio(key="w_y").set_value(3).run()
    after = figure(at, "The cross-entropy gradient")
    assert after != before and after["layout"]["title"]["text"].endswith("e₃")


@pytest.mark.parametrize("step", ["1", "2", "3", "4"])
def test_the_target_follows_n_down_in_a_step_without_it(step):
    """A link's y = 10 at n = 10, then n = 2 in a step that draws no target: the link written back holds y = 2."""
    at = page(PAGE, {"n": "10", "y": "10", "step": step})
    at.slider(key="w_n").set_value(2).run()
    assert not at.exception and at.query_params["y"] == "2"
    assert not state.decode(dict(at.query_params))[1]


def test_the_shift_step_opens_with_a_shift_and_the_claim_holds():
    """At c = 0 the step showed nothing to see: the default c is not 0, and the ring still sits on the dot."""
    assert state.TABLE["c"].default != 0
    at = page(PAGE, {"step": "3"})
    c = state.TABLE["c"].default
    assert titles(at) == [f"Add c = {core_fmt.num(c, unicode=True)} to every zⱼ: S stays where it is"]
    assert claim_marks(at) == ["✓"]
    spec = figure(at, "Add c")
    dot, ring = (next(t for t in spec["data"] if t.get("name", "").startswith(p)) for p in ("S(z)", "S(z + "))
    np.testing.assert_allclose([dot["x"][0], dot["y"][0]], [ring["x"][0], ring["y"][0]], atol=1e-15)


def test_the_temperature_path_prints_its_T_alike_in_the_sentence_and_the_table():
    """z = (40, −40, 0): the sentence said "at T = 4000" and the claims table "at T = 4×10³", one value in two forms."""
    at = page(PAGE, {"z": "40,-40,0", "step": "4"})
    sentence = next(m.value for m in at.markdown if m.value.startswith("As T → 0"))
    computed = next(str(v) for t in at.table if "holds if" in t.value.columns for v in t.value["computed"]
                    if "from the centre at T" in str(v))
    hot = sentence.split("(at T = ")[1].split(",")[0]
    assert hot == "4000" and f"from the centre at T = {hot}" in computed, (sentence, computed)
