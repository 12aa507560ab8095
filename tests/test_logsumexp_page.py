"""AppTest of the Log-sum-exp page: the two routes to S − y agree, the stability table, the soft max limits (with a
tie), soft targets and the smoothing optimum, each checked against numbers computed here from the definitions."""

import math

import numpy as np
import pytest
from apptest_util import arr, figures, open_page
from helpers import printed
from oracles import ref_softmax

PAGE = "pages/logsumexp.py"


def app(query=None):
    return open_page(PAGE, query, timeout=60)


def frame(at, k):
    return at.dataframe[k].value


def text(at) -> str:
    return "\n".join([m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
                     + [s.value for s in at.success] + [x.value for x in at.latex])


def col(df, starts):
    name = next(c for c in df.columns if c.startswith(starts))
    return np.array([printed(v) for v in df[name]])


CASES = [
    ({}, (2.0, 1.0, 0.1), 1.0, 1),
    ({"T": "0.1", "z": "1,1,0", "y": "2"}, (1.0, 1.0, 0.0), 0.1, 2),
    ({"T": "10", "z": "1000,0,-1000", "y": "3"}, (1000.0, 0.0, -1000.0), 10.0, 3),
    ({"z": "3,-1"}, (3.0, -1.0), 1.0, 1),
    ({"n": "10", "T": "0.1", "y": "4"}, (2.0, 1.0, 0.1, -1.0, 0.5, -0.5, 1.5, -1.5, 0.8, -0.2), 0.1, 4),
]


@pytest.mark.parametrize("query, z, T, y", CASES, ids=["default", "tie-T0.1", "saturated-T10", "n2", "n10-T0.1"])
def test_the_two_routes_and_every_number_against_the_definitions(query, z, T, y):
    at = app(query)
    assert not at.exception
    z, n = np.array(z), len(z)
    x = z / T
    S = ref_softmax(x - x.max())
    expected = (S - np.eye(n)[y - 1]) / T
    routes = frame(at, 0)
    assert np.allclose(col(routes, "n² paths"), expected, rtol=1e-5, atol=1e-300)
    header = list(routes.columns)[2]
    assert np.allclose(col(routes, header), expected, rtol=1e-5, atol=1e-300)
    assert header.startswith("∇LSE − y" if T == 1 else "∇LSE(z/T) − y/T") and ("/T" in header) == (T != 1)
    one = figures(at)[0]  # the one-line gradient, beside the one-hot target
    assert np.allclose(arr(one["data"][1]["y"]), np.eye(n)[y - 1]) and np.allclose(arr(one["data"][2]["y"]), expected,
                                                                                   atol=1e-12)
    assert printed(next(m.value for m in at.metric if m.label.startswith("max |n² paths"))) < 1e-14
    # the soft max figure: T·LSE(z/T) at the sweep's first and last T, from the definition
    lim = figures(at)[1]
    Ts, smax = np.array(arr(lim["data"][1]["x"])), np.array(arr(lim["data"][1]["y"]))
    for t, v in ((Ts[0], smax[0]), (Ts[-1], smax[-1])):
        m = z.max()
        assert v == pytest.approx(m + t * math.log(np.sum(np.exp((z - m) / t))), rel=1e-12, abs=1e-12)
    # the smoothing optimum marked on the plot: the closed form, computed here
    eps = 0.1
    d_star = T * math.log((1 - eps + eps / n) / (eps / n))
    sm = figures(at)[3]
    assert sm["data"][2]["x"] == [pytest.approx(d_star)]
    # soft targets (label smoothing at the defaults): gradient (S − q)/T
    q = (1 - eps) * np.eye(n)[y - 1] + eps / n
    tg = figures(at)[2]
    assert np.allclose(arr(tg["data"][1]["y"]), q) and np.allclose(arr(tg["data"][2]["y"]), (S - q) / T, atol=1e-12)


def test_tie_and_saturation_claims_are_computed():
    tie = app({"z": "1,1,0", "T": "0.1"})
    assert any("Tie: 2 logits share the max" in w.value and "(0.5, 0.5" in w.value for w in tie.warning)
    near = app({"z": "1,0.995,0"})
    assert any("near-tie" in w.value for w in near.warning) and not near.success
    sat = app({"z": "1000,0,-1000", "y": "3"})
    assert any("one-hot" in s.value for s in sat.success)
    stab = sat.table[0].value  # a static table: every column visible
    f64 = stab[(stab["dtype"] == "float64") & (stab["z"] == "1000, 0, −1000")].iloc[0]
    assert f64["$\\log S_y$ via log(softmax(z))"] == "−∞" and f64["$\\log S_y$ via $z_y - \\operatorname{LSE}(z)$"] == "−2000"
    assert "NaN" in f64["∂CE/∂z via log(softmax): Jᵀg"] and f64["∂CE/∂z fused: S − y"] == "(1, 0, −1)"
    f16 = stab[(stab["dtype"] == "float16") & (stab["z"] == "20, 0, −20")].iloc[0]
    assert f16["$\\log S_y$ via log(softmax(z))"] == "−∞" and f16["$\\log S_y$ via $z_y - \\operatorname{LSE}(z)$"] == "−40"


def test_double_softmax_numbers():
    at = app()
    md = text(at)
    z = np.array([2.0, 1.0, 0.1])
    p = ref_softmax(z)
    floor = math.log(math.e + 2) - 1
    assert f"{floor:.4g}" in md
    loss = math.log(np.sum(np.exp(p))) - p[0]
    assert f"the loss is {loss:.4g}" in md


def test_widgets_change_the_figures_and_the_url():
    at = app()
    before = figures(at)
    at.radio(key="w_target").set_value("teacher").run()
    assert not at.exception and at.query_params["target"] == "teacher"
    after = figures(at)
    assert after[2]["data"] != before[2]["data"]
    teacher = np.array([4.0, 1.5, -1.0])
    assert np.allclose(arr(after[2]["data"][1]["y"]), ref_softmax(teacher))
    at.text_input(key="w_zt").input("0, 0, 5").run()
    assert not at.exception and at.query_params["zt"] == "0,0,5"
    assert np.allclose(arr(figures(at)[2]["data"][1]["y"]), ref_softmax(np.array([0.0, 0.0, 5.0])))
    at.text_input(key="w_zt").input("oops").run()
    assert not at.exception and any("not applied" in w.value for w in at.warning)
    at.slider(key="w_eps").set_value(0.3).run()
    assert at.query_params["eps"] == "0.3"
    d = figures(at)[3]["data"][2]["x"][0]
    assert d == pytest.approx(math.log((0.7 + 0.1) / 0.1))


def test_eps_zero_has_no_finite_optimum():
    at = app({"eps": "0", "target": "smooth"})
    assert not at.exception
    assert len(figures(at)[3]["data"]) == 2 and any(r"\infty" in x.value for x in at.latex)


def test_at_T_not_1_every_formula_shows_its_T_and_the_smooth_max_is_smax_T():
    at = app({"T": "0.5"})
    tex = " ".join(x.value for x in at.latex)
    assert r"\frac{S - y}{T}" in tex and r"\frac{S - q}{T}" in tex
    # one notation, the Jacobian page's: smax_T(z) = T log Σ e^{z_k/T}, whose gradient is S and Hessian J
    assert r"\mathrm{smax}_T(z) = T\log\sum_k e^{z_k/T}" in tex and r"\frac{\partial \mathrm{smax}_T}{\partial z_j} = S_j" in tex
    assert r"\nabla\mathrm{smax}_T(z) = \operatorname{softmax}(z/T) = S,\quad \nabla^2\mathrm{smax}_T = J" in tex
    assert "z_k/T" in at.markdown[0].value  # the intro's formula carries its T
    # the double-softmax comparison is stated at T = 1 and uses T = 1 on both sides
    z = np.array([2.0, 1.0, 0.1])
    right = ref_softmax(z) - np.eye(3)[0]
    md = text(at)
    assert "(at $T = 1$)" in md and "instead of (" + ", ".join(f"{v:.3g}".replace("-", "−") for v in right) + ")" in md
    at1 = app()
    tex1 = " ".join(x.value for x in at1.latex)
    assert r"\frac{S - y}{T}" not in tex1 and r"\frac{\partial \operatorname{LSE}}{\partial z_j} = S_j" in tex1


def test_presentation_mode_and_locks():
    at = app({"present": "1", "n": "10"})
    assert not at.exception and len(figures(at)) == 4
    locked = app({"lock": "zt,eps,target"})
    assert not locked.exception
    assert locked.text_input(key="w_zt").disabled and locked.slider(key="w_eps").disabled
    assert locked.radio(key="w_target").disabled



def test_a_locked_teacher_is_disabled_and_a_hidden_one_is_not_drawn():
    at = app({"lock": "zt", "zt": "0,0,5", "target": "teacher"})
    assert not at.exception and at.text_input(key="w_zt").disabled and at.text_input(key="w_zt").value == "0, 0, 5"
    assert np.allclose(arr(figures(at)[2]["data"][1]["y"]), ref_softmax(np.array([0.0, 0.0, 5.0])))
    for step in ("0", "4", "6"):
        at = app({"hide": "zt", "zt": "0,0,5", "target": "teacher", "step": step})
        assert not at.exception and not [t for t in at.text_input if t.key == "w_zt"], f"step {step} drew a hidden zt"
        assert at.query_params["zt"] == "0,0,5"
    at = app({"hide": "zt", "zt": "0,0,5", "target": "teacher", "step": "4"})
    assert np.allclose(arr(figures(at)[0]["data"][1]["y"]), ref_softmax(np.array([0.0, 0.0, 5.0])))  # the link's teacher


def test_each_step_draws_its_own_figure_only():
    names = lambda at: [(f["layout"].get("title") or {}).get("text", "") for f in figures(at)]
    at = app({"step": "3", "z": "1,1,0"})
    assert len(figures(at)) == 1 and names(at)[0].startswith("As T → 0")
    assert not [t for t in at.text_input if t.key == "w_zt"] and not [s for s in at.slider if s.key == "w_eps"]
    assert [s.key for s in at.slider if s.key in ("w_T", "w_y")] == []  # the chart sweeps T and reads no target
    at = app({"step": "5"})
    assert len(figures(at)) == 1 and names(at)[0].startswith(("Label smoothing", "No smoothing"))
    assert at.slider(key="w_eps") and not [r for r in at.radio if r.key == "w_target"]
    at = app({"step": "2"})
    assert not figures(at) and at.table[0].value.columns[0] == "dtype"


@pytest.mark.parametrize(("target", "shown"), [
    ("onehot", ["w_y"]),
    ("smooth", ["w_eps", "w_y"]),  # side by side
    ("teacher", ["w_zt"]),  # the teacher's softmax reads no y
])
def test_soft_targets_shows_what_its_target_is_made_of(target, shown):
    at = app({"step": "4", "target": target, "eps": "0.2", "y": "2", "zt": "0,0,5"})
    assert not at.exception
    drawn = [w.key for w in [*at.slider, *at.text_input] if w.key in ("w_y", "w_eps", "w_zt")]
    assert sorted(drawn) == sorted(shown)
    assert (at.query_params["eps"], at.query_params["y"], at.query_params["zt"]) == ("0.2", "2", "0,0,5")  # kept
    q = {"onehot": [0.0, 1.0, 0.0], "smooth": [0.2 / 3, 0.8 + 0.2 / 3, 0.2 / 3],
         "teacher": ref_softmax(np.array([0.0, 0.0, 5.0]))}[target]
    assert np.allclose(arr(figures(at)[0]["data"][1]["y"]), q)


def test_the_soft_max_marks_say_what_they_tested():
    """The ✓ "one-hot" sat beside entries of 3.72×10⁻⁴⁴: it tests max S > 0.999, and says so; so does the ⚠."""
    ok = next(s.value for s in app().success if "one-hot" in s.value)
    assert ok.startswith("✓ At T = 0.01 softmax is (1, 3.72×10⁻⁴⁴, 3.05×10⁻⁸³): one-hot on the largest z to within 10⁻³ "
                         "(max S > 0.999)"), ok
    near = next(w.value for w in app({"z": "1,0.995,0"}).warning if "near-tie" in w.value)
    assert "not one-hot to within 10⁻³ (max S ≤ 0.999)" in near


def test_the_double_softmax_gradient_at_saturation_sums_to_0():
    """z = (40, −40, 0): the double-softmax gradient's first entry is −2.7×10⁻¹⁸, not the 0 that p ⊙ (r − p·r) gave,
    and its norm is 0.64 of the right one's (it read 0.45)."""
    md = text(app({"z": "40,-40,0"}))
    assert "the gradient is (−2.7×10⁻¹⁸, 1.15×10⁻³⁵, 2.7×10⁻¹⁸) instead of (−4.25×10⁻¹⁸, 1.8×10⁻³⁵, 4.25×10⁻¹⁸)" in md, md
    assert "(a norm 0.64 times the right one)" in md
