"""AppTest of the lesson "Gradient check": core's sweep drawn as given, the claims exactly as core.gradcheck computes
them, a ✗ on a correct derivative only with a ⚠ that explains it, presets to saturation, widgets that move the figure."""

import numpy as np
import pytest
from apptest_util import arr
from lesson_util import SETTINGS, claim_marks, figure, page, titles

from core import gradcheck as gc
from core import state

PAGE = "pages/gradcheck.py"


@pytest.mark.parametrize("subj", list(gc.SUBJECTS))
@pytest.mark.parametrize("name", SETTINGS)
def test_every_step_and_the_claims_are_cores(name, subj):
    q = {**SETTINGS[name], "subj": subj, "y": "2", "fdh": "1e-05"}
    at = page(PAGE, q)
    assert len(titles(at)) == 3 and all(t.startswith("Gradient check of ") for t in titles(at))
    p, _ = state.decode(q)
    want = [c.mark for c in gc.gradcheck_claims(p["z"], subj, 1, p["T"], 1e-5)]
    marks = claim_marks(at)
    assert marks == want
    assert "✗" not in marks[2:], "only the measures themselves may fail on a correct derivative"
    if "✗" in marks:
        assert "⚠" in marks[2:], "a failing measure comes with the row that explains it"


def test_the_figure_is_cores_sweep():
    at = page(PAGE, {"z": "2,1,0.1", "step": "1"})
    s = gc.sweep((2, 1, 0.1))
    fd = figure(at, "Gradient check")["data"][0]
    np.testing.assert_allclose(arr(fd["x"]), s.hs)
    np.testing.assert_allclose(list(arr(fd["y"])), s.fd_rel, rtol=1e-12)
    assert s.sentence in [m.value for m in at.markdown]


def test_a_preset_saturates_and_the_claims_warn():
    at = page(PAGE, {"step": "2"})
    assert claim_marks(at) == ["✓"] * 5
    at.button(key="sat_(40, −40, 0)").click().run()
    assert not at.exception and at.query_params["z"] == "40,-40,0"
    assert "⚠" in claim_marks(at)
    assert at.button(key="sat_(40, −40, 0)").disabled is False
    assert page(PAGE, {"step": "2", "lock": "z"}).button(key="sat_(40, −40, 0)").disabled


def test_a_step_draws_only_its_figure_and_the_subject_moves_it():
    at = page(PAGE, {"step": "3"})
    assert len(titles(at)) == 1 and not claim_marks(at)
    assert not [s for s in at.slider if s.key == "w_y"], "the target is drawn only for the cross-entropy"
    before = titles(at)
    at.selectbox(key="w_subj").set_value("ce").run()
    assert not at.exception and titles(at) != before and any(s.key == "w_y" for s in at.slider)


def test_h_moves_the_claims():
    at = page(PAGE, {"step": "2", "z": "2,1,0.1", "T": "0.1"})
    before = [t.value.iloc[0, 3] for t in at.table if "holds if" in t.value.columns]
    at.select_slider(key="w_fdh").set_value(1e-3).run()
    after = [t.value.iloc[0, 3] for t in at.table if "holds if" in t.value.columns]
    assert not at.exception and after != before


@pytest.mark.parametrize("subj", list(gc.SUBJECTS))
def test_the_reading_under_the_claims_is_cores_at_8_0_minus_8(subj):
    at = page(PAGE, {"step": "2", "z": "8,0,-8", "subj": subj, "fdh": "1e-06"})
    best = gc.sweep((8.0, 0.0, -8.0), subj, 0).best[0]
    assert gc.gradcheck_reading((8.0, 0.0, -8.0), subj, 0, 1.0, 1e-6, best) in [m.value for m in at.markdown]
    assert "✗" in claim_marks(at)


def test_both_pages_say_which_pass_mark_each_uses():
    """Reader 9, finding 1: the Jacobian page passes (10⁻³) what the CS231n row fails (10⁻⁷): both pages say why."""
    q = {"z": "9,-6,3.5,-2,0,5,-8.5,1,-4,7", "T": "1.5"}
    at = page(PAGE, {**q, "step": "2", "subj": "softmax"})
    assert gc.pass_marks("softmax") in [c.value for c in at.caption]
    jac = page("pages/jacobian.py", {**q, "step": "1"})
    assert any("CS231n's stricter marks" in c.value for c in jac.caption)


def test_what_good_looks_like_leaves_out_entries_near_0():
    """Reader 9, finding 5: step 3's verdict on the best FD carries the reading without the entries near 0."""
    at = page(PAGE, {"z": "2,2,-1", "T": "0.1", "step": "3", "subj": "softmax"})
    s = gc.sweep((2.0, 2.0, -1.0), "softmax", 0, 0.1)
    assert s.far and any(s.far in m.value and "Your check's best" in m.value for m in at.markdown)
