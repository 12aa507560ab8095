"""AppTest of the lesson "The layer": the Training page's network, ∂L/∂W checked live with core.layer's claims, one
sample's share, the Training page's step for the same weights, "expected minus observed" at every setting."""

import numpy as np
import pytest
from apptest_util import arr, figures
from lesson_util import SETTINGS, claim_marks, figure, page, titles

import core
from core import layer as lay
from core import state

PAGE = "pages/layer.py"


def net(data="blobs", D=2, m=50, dseed=0, iseed=0, wscale=0.1):
    X, y = core.make_dataset(data, m, D, dseed)
    W, b = core.init_params(D, 3, iseed, scale=wscale)
    return X, y, W, b


def test_the_whole_lesson_at_the_defaults():
    at = page(PAGE)
    shown = titles(at)
    for start in ("Shapes:", "∂L/∂W = (S − Y)ᵀX / m", "Sample 1's share", "ΔW = −η·∂L/∂W", "The mean of the one-hot"):
        assert any(t.startswith(start) for t in shown), (start, shown)
    X, y, W, b = net()
    marks = claim_marks(at)
    assert marks == [c.mark for c in lay.layer_checks(X, y, W, b, 1e-4)] and "✗" not in marks
    assert lay.training_tie(X, y, W, b, 0.5)["sentence"] in [m.value for m in at.markdown]


def test_the_heatmap_is_cores_gradient_with_the_differences_in_the_hover():
    at = page(PAGE, {"step": "2", "data": "overlap", "D": "3", "m": "20", "iseed": "4"})
    X, y, W, b = net("overlap", 3, 20, 0, 4)
    hm = figure(at, "∂L/∂W = (S − Y)ᵀX / m")["data"][0]
    np.testing.assert_allclose(np.reshape(arr(hm["z"]), (3, 3)), lay.layer_grads(X, y, W, b).dL_dW, atol=0)
    assert all(" f = " in c and "e-" not in c for row in hm["customdata"] for c in row)
    assert "✗" not in claim_marks(at)
    assert len(titles(at)) == 1, "only the open step's figure"


def test_the_check_uses_the_gradient_check_lessons_line_and_says_why_a_row_can_read_warn():
    at = page(PAGE, {"step": "2"})
    claims = next(t.value for t in at.table if "holds if" in t.value.columns)
    assert all(c.endswith("< 10⁻⁷") for c in claims["holds if"])
    assert any("CS231n's 10⁻⁷, the gradient-check lesson's 'good'" in c.value for c in at.caption)


def test_a_large_batch_is_checked_on_a_spread_sub_batch():
    at = page(PAGE, {"step": "2", "D": "10", "m": "100"})
    assert any("of the 300 samples, evenly spread" in c.value for c in at.caption)


@pytest.mark.parametrize("name", SETTINGS)
def test_expected_minus_observed_at_every_setting(name):
    q = {**SETTINGS[name], "y": "2", "step": "5"}
    at = page(PAGE, q)
    p, _ = state.decode(q)
    e = lay.expected_minus_observed(p["z"], 1, p["T"])
    assert e.sentence in [m.value for m in at.markdown]
    grads = next(t.value for t in at.table if "class k" in t.value.columns).iloc[:, 3]
    assert len(grads) == len(p["z"]) and titles(at) == ["The mean of the one-hot draws → S (dotted): E<sub>S</sub>[eₖ] = S"]


@pytest.mark.parametrize(("step", "key", "value", "title"), [("1", "w_D", 5, "Shapes:"), ("3", "w_s", 7, "Sample "),
                                                              ("5", "w_z0", -1.0, "The mean")])
def test_a_widget_moves_its_step(step, key, value, title):
    at = page(PAGE, {"step": step})
    before = figures(at)
    at.slider(key=key).set_value(value).run()
    assert not at.exception and figures(at) != before and titles(at)[0].startswith(title)


def test_the_learning_rate_scales_the_step():
    at = page(PAGE, {"step": "4", "lr": "0.1"})
    dW = np.asarray(arr(figure(at, "ΔW")["data"][0]["z"]), dtype=float)
    X, y, W, b = net()
    np.testing.assert_allclose(dW.reshape(3, 2), -0.1 * lay.layer_grads(X, y, W, b).dL_dW, rtol=1e-12)


@pytest.mark.parametrize("z", ["11,0,0", "12,0,0,0", "20,0,-20"])
def test_the_expected_column_never_reads_1_for_a_probability_below_1(z):
    """z = (11, 0, 0): S₁ = 0.99997 printed "1.0000" in the "expected Sₖ" column, with no rounding note: certainty, where
    the value is below 1. Every entry that is not exactly 1 reads below it, and gives the value to its printed digits."""
    at = page(PAGE, {"z": z, "y": "2", "step": "5"})
    p, _ = state.decode({"z": z})
    expected = lay.expected_minus_observed(p["z"], 1, p["T"]).expected
    column = list(next(t.value for t in at.table if "class k" in t.value.columns)["expected Sₖ"])
    for shown, v in zip(column, expected, strict=True):
        if "×" in shown:  # a tiny share in its power of ten (fmt.fixed's rule for what would read 0.0000)
            continue
        assert float(shown) < 1 if v < 1 else shown.startswith("1"), (shown, v)
        assert abs(float(shown) - v) <= 0.5 * 10.0 ** -len(shown.partition(".")[2]) * 1.01, (shown, v)
    assert any(0.99995 <= v < 1 for v in expected)  # the setting has an entry that 4 decimals would round to 1
