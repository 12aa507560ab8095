"""AppTest of the Chain rule page: the paths, the VJP, the CE collapse to S − y, MSE, and extreme logits."""

import numpy as np
import pytest
from apptest_util import arr, figures, open_page
from oracles import central_diff_grad, complex_step_grad, ref_softmax

from core import fmt, state

PAGE = "pages/chain_rule.py"
Z0 = state.TABLE["z"].default  # the page's logits when the link sets none


def ce_grad(z, y: int) -> np.ndarray:
    """dL/dz of L = −log S_y (y 0-based) from the definition, by the complex step, checked by central differences:
    independent of the page and of core."""
    L = lambda v: -np.log(ref_softmax(v)[y])
    g = complex_step_grad(L, np.asarray(z, float))
    np.testing.assert_allclose(g, central_diff_grad(L, z), atol=1e-8)
    return g


def ce_grad_lse(z, y: int) -> np.ndarray:
    """The same dL/dz with L written as log Σ e^z − z_y (the definition, the max shifted out), by the complex step
    alone: it stays finite where S_y underflows (|z| ~ 1e6), where central differences would lose every digit."""
    def L(v):
        m = np.max(v.real)
        return m + np.log(np.sum(np.exp(v - m))) - v[y]
    return complex_step_grad(L, np.asarray(z, float))


def app(query=None):
    return open_page(PAGE, query, timeout=60, home_first=True)


def latex(at) -> str:
    return "\n".join(m.value for m in at.latex)


def totals(at) -> list:
    paths = figures(at)[0]
    return next(t for t in paths["data"] if t["type"] == "scatter")["y"]


def test_defaults_show_the_paths_and_the_collapse_to_s_minus_y():
    at = app()
    assert not at.exception
    assert "add or multiply" in at.title[0].value
    assert any("Multiply along a path, add across paths" in i.value for i in at.info)
    figs = figures(at)
    assert len(figs) == 3 and len(figs[0]["frames"]) == 10  # the walk: empty, then 9 paths; then CE vs MSE, row vs column
    g, S = ce_grad(Z0, 0), ref_softmax(np.array(Z0))
    assert totals(at) == pytest.approx(g, abs=1e-12)
    text = latex(at)
    # live, term by term, S_j printed to the result's four figures: "(0.2424 - 0) = 0.2424", not "(0.242 - 0) = 0.2424"
    assert f"({fmt.tex(S[0], 4)} - 1) = {fmt.tex(g[0], 4)}" in text and f"({fmt.tex(S[1], 4)} - 0) = {fmt.tex(g[1], 4)}" in text
    assert "(0.2424 - 0) = 0.2424" in text
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["max |path sum − VJP|"]) < 1e-15 and float(metrics["max |path sum − closed form|"]) < 1e-15
    assert at.query_params["loss"] == "cross_entropy" and at.query_params["y"] == "1"


def test_switching_to_mse_changes_the_figures_and_shows_no_collapse():
    at = app()
    before = figures(at)
    at.radio(key="w_loss").set_value("mse").run()
    assert not at.exception and at.query_params["loss"] == "mse"
    after = figures(at)
    assert after[0]["data"] != before[0]["data"]
    assert "#### MSE: the sum does not collapse" in " ".join(m.value for m in at.markdown)
    assert r"\text{not }" in latex(at)
    bars = [t for t in after[0]["data"] if t["type"] == "bar"]
    assert all(any(abs(v) > 0 for v in arr(t["y"])) for t in bars)  # every path contributes




def test_target_class_and_logits_drive_the_figures():
    at = app()
    first = totals(at)
    at.slider(key="w_y").set_value(3).run()
    assert not at.exception and at.query_params["y"] == "3"
    assert totals(at) != first and totals(at) == pytest.approx(ce_grad(Z0, 2), abs=1e-12)
    drop = figures(at)[1]
    at.slider(key="w_z2").set_value(-4.0).run()
    assert figures(at)[1] != drop


def test_extreme_logits_explain_the_overflow_and_still_show_s_minus_y():
    at = app({"z": "1e6,-1e6,0", "y": "2"})
    assert not at.exception
    assert any("underflowed" in w.value for w in at.warning)
    g = ce_grad_lse([1e6, -1e6, 0.0], 1)
    assert totals(at) == pytest.approx(g, abs=1e-12)
    assert "n/a" in {m.label: m.value for m in at.metric}["max |path sum − VJP|"]
    assert f"(1 - 0) = {g[0]:g}" in latex(at)  # S_1 rounds to exactly 1 in float64


def test_large_n_and_shrinking_n_below_y():
    at = app({"n": "10", "y": "10", "loss": "mse"})
    assert not at.exception and len(figures(at)[0]["frames"]) == 11
    at.slider(key="w_n").set_value(4).run()
    assert not at.exception and at.query_params["y"] == "4" and at.query_params["n"] == "4"


def test_link_round_trip():
    params, problems = state.decode({"loss": "mse", "y": "2", "z": "0.5,-1,3"})
    assert not problems and state.decode(state.encode(params))[0] == params
    at = app({"loss": "mse", "y": "2", "z": "0.5,-1,3"})
    assert at.radio(key="w_loss").value == "mse" and at.slider(key="w_y").value == 2 and not at.warning


def titles(at) -> list[str]:
    return [(f["layout"].get("title") or {}).get("text", "") for f in figures(at)]


def test_each_step_draws_its_own_figure_and_controls_only():
    at = open_page(PAGE, {"step": "1"})
    assert not at.exception
    assert [t[:14] for t in titles(at)] == ["∂L/∂zⱼ = Σᵢ pa"], "only the paths figure"
    assert not [s for s in at.slider if s.key in ("w_i", "w_h")], "the reader's controls belong to the last step"
    at = open_page(PAGE, {"step": "4", "y": "2"})
    assert len(titles(at)) == 1 and titles(at)[0].startswith("Confidently wrong")
    assert not any("path via" in t for t in titles(at))
    at = open_page(PAGE, {"step": "5", "i": "2"})
    assert len(titles(at)) == 1 and titles(at)[0].startswith("Same numbers")
    assert at.slider(key="w_i").value == 2 and at.radio(key="w_nudge")
    at = open_page(PAGE, {"step": "3", "loss": "mse"})
    assert not figures(at) and "#### MSE: the sum does not collapse" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize(("z", "letters"), [("0.7,-0.7", "$A, B$"), ("2,1,0.1", "$A, B, C$"), ("1,2,3,4", r"$A, B, C, \dots$")])
def test_the_readers_letters_follow_n(z, letters):
    """Reader 9, finding 11: at n = 2 'A, B, C, … are ∂S₂/∂zⱼ for j = 1 … 2'; the intro's question is about three outputs."""
    at = open_page(PAGE, {"z": z})
    assert not at.exception
    assert any(m.value.startswith(f"{letters} are ") for m in at.markdown)
    assert any("of a softmax with three outputs" in m.value for m in at.markdown)


def test_the_vjp_step_prints_cross_entropys_g_dot_s_as_the_exact_minus_one():
    """g = −y/S gives g·S = −Σᵢ yᵢ = −1 exactly; at z = (3, 1, −2, 0.5), T = 2.5, y = 4 float64's sum is an ulp off
    it, and the page printed '−0.9999999999999999' (found by a second reader)."""
    at = open_page("pages/chain_rule.py", {"step": "2", "n": "4", "z": "3,1,-2,0.5", "T": "2.5", "y": "4"})
    line = next(m.value for m in at.markdown if m.value.startswith("$g\\cdot S"))
    assert line.startswith("$g\\cdot S = -\\textstyle\\sum_i y_i = -1$") and "9999" not in line, line
