"""AppTest of the lesson "Log-softmax": J_log beside J with row and column outlined, the claims exactly as
core.logsoftmax computes them at every setting, the fused NLL's sentence, widgets that move the figure."""

import numpy as np
import pytest
from apptest_util import arr, chart_elements
from lesson_util import SETTINGS, claim_marks, figure, page, titles

import core
from core import logsoftmax as ls
from core import state

PAGE = "pages/log_softmax.py"
ORDER = [0, 1, 2, 3, 5, 4]  # the steps show rows 1–2, 3–4, 6 (the route), then 5 (saturation)


@pytest.mark.parametrize("name", [*SETTINGS, "uniform"])
def test_every_step_and_the_claims_are_cores(name):
    q = {"z": "1,1,1"} if name == "uniform" else SETTINGS[name]
    at = page(PAGE, {**q, "i": "2", "y": "3"})
    assert titles(at).count("Row ≠ column: log-softmax's Jacobian is not symmetric") == 4
    p, _ = state.decode(q)
    want = [c.mark for c in ls.log_softmax_claims(p["z"], 1, p["T"])]
    assert claim_marks(at) == [want[k] for k in ORDER] and "✗" not in want
    assert ls.fused_nll(p["z"], 2, p["T"]).sentence in [m.value for m in at.markdown]


def test_the_panels_are_cores_matrices_with_row_and_column_i():
    at = page(PAGE, {"z": "2,1,0.1,-1", "T": "2", "i": "3", "step": "1"})
    spec = figure(at, "Row ≠ column")
    left, right = spec["data"]
    np.testing.assert_allclose(np.reshape(arr(left["z"]), (4, 4)), ls.log_softmax_jacobian((2, 1, 0.1, -1), 2.0), atol=0)
    np.testing.assert_allclose(np.reshape(arr(right["z"]), (4, 4)), core.jacobian((2, 1, 0.1, -1), 2.0), atol=0)
    rows = [s for s in spec["layout"]["shapes"] if s["y1"] - s["y0"] == 1]
    assert rows and all(s["y0"] == 1.5 for s in rows)  # row 3 (0-based 2), outlined in both panels


def test_saturation_breaks_the_unfused_loss_and_the_sentence_says_so():
    at = page(PAGE, {"z": "1000,-1000,0", "y": "2", "step": "4"})
    text = " ".join(m.value for m in at.markdown)
    assert "underflows to 0" in text and "NaN" in text
    assert claim_marks(at) == ["✓"]


def test_a_step_draws_only_its_figure():
    at = page(PAGE, {"step": "3"})
    assert len(chart_elements(at)) == 1 and len(at.latex) >= 3
    assert not [t for t in at.table if "upstream gⱼ" in t.value.columns]  # step 1's table is not drawn


def test_the_index_moves_the_outline():
    at = page(PAGE, {"step": "1"})
    before = figure(at, "Row ≠ column")
    at.slider(key="w_i").set_value(3).run()
    assert not at.exception and figure(at, "Row ≠ column")["layout"]["shapes"] != before["layout"]["shapes"]


@pytest.mark.parametrize("step", ["1", "2", "3"])
def test_the_target_follows_n_down_in_a_step_without_it(step):
    """A link's i = y = 10 at n = 10, then n = 2 in a step that draws no target: the link written back holds 2 for both."""
    at = page(PAGE, {"n": "10", "i": "10", "y": "10", "step": step})
    at.slider(key="w_n").set_value(2).run()
    assert not at.exception and (at.query_params["i"], at.query_params["y"]) == ("2", "2")
    assert not state.decode(dict(at.query_params))[1]


@pytest.mark.parametrize("T", ["0.1", "2.5", "10"])
def test_the_fused_steps_suggestion_is_computed_at_the_shown_temperature(T):
    at = page(PAGE, {"T": T, "step": "4"})
    assert any(ls.saturation_hint(float(T)) in c.value for c in at.caption)
    assert not any("1000, −1000, 0 with y = 2" in c.value for c in at.caption) or T == "2.5"


def test_the_row_sentence_names_a_tie():
    at = page(PAGE, {"z": "1,1,0", "i": "3", "step": "1"})
    text = " ".join(m.value for m in at.markdown)
    assert "the entries for z₁, z₂ are equal" in text and "a tie" in text and "a different number" not in text


def test_an_exact_agreement_is_said_as_equal():
    """Reader 9, finding 17: 'differ by at most 0 of the size of their terms: float64 rounding' at an exact 0."""
    for z, T in (("2,2,-1", "0.1"), ("0.7,-0.7", "2.5")):
        assert ls.log_route([float(v) for v in z.split(",")], float(T))["max_rel"] == 0
        at = page(PAGE, {"z": z, "T": T})
        said = [c.value for c in at.caption if "J_{\\log}$ and $J$" in c.value]
        assert said == ["Here, entry by entry, $\\operatorname{diag}(S)\\,J_{\\log}$ and $J$ are equal: not one bit apart."], said
