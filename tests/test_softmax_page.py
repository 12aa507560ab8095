"""AppTest: the Softmax page renders, and its widgets change its figures and LaTeX."""

import numpy as np
import pytest
from apptest_util import arr, chart_elements, figures, open_page, ztext

import core


def page(query=None):
    return open_page("pages/softmax.py", query)


def bars(at):
    return arr(figures(at)[0]["data"][0]["y"])


def latex(at):
    return " ".join(m.value for m in at.latex)


def test_renders_defaults_with_live_numbers():
    at = page()
    assert not at.exception and at.title[0].value == "Softmax"
    figs = figures(at)
    assert len(figs) == 5  # bars, shift, temperature, Gumbel-max, Gumbel-softmax
    assert np.allclose(bars(at), core.softmax((2.0, 1.0, 0.1)))
    tex = latex(at)
    assert "7.389" in tex and "2.718" in tex and "= 0.659 " in tex and r"\cancel" in tex  # S₁ = 0.65900 through fmt.tex
    assert len(figs[2]["frames"]) == 41
    assert any("not a calibrated one" in m.value.lower() for m in at.info)  # a distribution; calibration is what is missing
    table = at.dataframe[-1].value  # the stability table (a cached Arrow table): naive fails, max-shifted works
    assert list(table["correct?"]) == ["NO", "yes"] * 3 and list(table["dtype"])[::2] == ["float64", "float32", "float16"]
    assert table["S₁"][0] == "NaN" and table["denominator Σ"][0] == "∞"


def test_the_temperature_animation_stands_at_the_pages_t():
    """At T = 0.3 (off the 41-point grid, whose nearest T is 0.316) the animation starts at T = 0.3, not 0.32."""
    at = page({"T": "0.3"})
    fig = figures(at)[2]
    slider = fig["layout"]["sliders"][0]
    assert len(fig["frames"]) == 42 and slider["steps"][slider["active"]]["label"] == "0.3"


def test_z_slider_changes_bars_and_latex():
    at = page()
    before, tex = bars(at), latex(at)
    at.slider(key="w_z1").set_value(4.0).run()
    assert not at.exception
    assert at.query_params["z"] == "2,4,0.1"
    assert np.allclose(bars(at), core.softmax((2.0, 4.0, 0.1))) and not np.allclose(bars(at), before)
    assert latex(at) != tex and "54.598" in latex(at)  # e⁴ to 5 figures: an operand of the fractions


def test_shift_moves_z_but_not_s():
    at = page()
    at.slider(key="w_c").set_value(3.0).run()
    assert not at.exception and at.query_params["c"] == "3"
    shift = figures(at)[1]["data"][2:]  # the first two are the legend's swatches (one bar of height 0 each)
    assert np.allclose(np.subtract(arr(shift[1]["y"]), arr(shift[0]["y"])), 3.0)
    assert np.allclose(arr(shift[2]["y"]), arr(shift[3]["y"]), atol=1e-15)
    assert "e^{3}" in latex(at)


def test_temperature_slider_changes_bars_and_the_animation_start():
    at = page()
    anim = figures(at)[2]
    at.slider(key="w_T").set_value(4.0).run()
    assert not at.exception
    assert np.allclose(bars(at), core.softmax((2.0, 1.0, 0.1), 4.0))
    anim2 = figures(at)[2]
    assert anim2["layout"]["sliders"][0]["active"] > anim["layout"]["sliders"][0]["active"]
    assert arr(anim2["data"][0]["y"]) != arr(anim["data"][0]["y"])


@pytest.mark.parametrize("query", [{"n": "2"}, {"n": "10"}, {"z": "1e6,-1e6,0"}, {"z": "1e6,-1e6,0", "T": "0.1", "c": "-10"},
                                   {"c": "abc"}, {"c": "1e9"}])
def test_renders_edge_cases_without_exception(query):
    at = page(query)
    assert not at.exception
    assert len(figures(at)) == 5
    tex = latex(at)
    assert "inf" not in tex.replace("\\infty", "") and "nan" not in tex.lower()
    if query.get("n") == "10":
        assert "S_{10}" in tex


def test_bad_vector_text_shows_an_inline_error_and_keeps_the_figures():
    at = page()
    before = bars(at)
    ztext(at).input("2, abc, 1").run()
    assert not at.exception and "not a number" in at.error[0].value
    assert bars(at) == before
    ztext(at).input("3, 1, 0, -1, 2").run()
    assert not at.exception and len(bars(at)) == 5


def test_changing_c_leaves_the_animation_spec_identical():
    at = page()
    first = chart_elements(at)[2].text
    at.slider(key="w_c").set_value(1.0).run()  # c does not enter the temperature figure
    assert chart_elements(at)[2].text == first


def titles(at) -> list[str]:
    return [f["layout"]["title"]["text"] for f in figures(at)]


def test_the_temperature_step_draws_only_its_animation_beside_its_controls():
    """Step 3 runs alone: the temperature animation, and neither the bars of step 1 nor the Gumbel figures."""
    at = page({"step": "3", "T": "2"})
    assert not at.exception
    assert [t.split(":")[0] for t in titles(at)] == ["Temperature"]
    assert not at.get("button_group")[0].disabled and at.slider(key="w_T").value == 2.0
    assert not [s for s in at.slider if s.key == "w_c"], "the shift's c belongs to step 2"
    at.slider(key="w_T").set_value(0.5).run()
    anim = figures(at)[0]
    assert not at.exception and anim["layout"]["sliders"][0]["steps"][anim["layout"]["sliders"][0]["active"]]["label"] == "0.5"


def test_the_relaxation_step_has_its_own_controls_and_reads_500_draws_whatever_gdraws():
    at = page({"step": "5", "gdraws": "10", "tau": "0.1"})
    assert not at.exception
    assert titles(at) == ["Gumbel-softmax at τ = 0.1"]
    assert at.select_slider(key="w_tau").value == 0.1 and not [s for s in at.select_slider if s.key == "w_gdraws"]
    alt = chart_elements(at)[0].alt
    assert "over 500 draws" in alt
    same = page({"step": "5", "gdraws": "3000", "tau": "0.1"})
    assert chart_elements(same)[0].text == chart_elements(at)[0].text  # the draws' count is step 4's


def test_the_stability_step_shows_the_table_and_the_users_shifted_logits_and_no_figure():
    at = page({"step": "6", "z": "1000,0,-1000", "T": "0.1"})
    assert not at.exception and not figures(at)
    assert list(at.dataframe[0].value["correct?"]) == ["NO", "yes"] * 3
    shifted = next(m.value for m in at.markdown if m.value.startswith("Your logits, shifted"))
    assert r"=$ ($0$, $-1\times10^{4}$, $-2\times10^{4}$)" in shifted and "z/T" in shifted


def test_the_largest_output_never_prints_as_a_false_1():
    """fmt.fixed printed S₁ = 0.99966 (z = (8, 0, −8)) as "1.000", a certainty that is not there; at z = (40, −40, 0),
    where float64 has rounded S₁ to 1, the caption says so with 1 − S₁."""
    at = page({"z": "8,0,-8", "step": "1"})
    assert next(m.value for m in at.metric if m.label.startswith("Largest output")) == "0.9997"
    at = page({"z": "40,-40,0", "step": "1"})
    assert next(m.value for m in at.metric if m.label.startswith("Largest output")) == "1"
    assert any("S₁ prints as 1 because float64 has rounded it: 1 − S₁ = 4.25×10⁻¹⁸." in c.value for c in at.caption)
    assert not any("prints as 1" in c.value for c in page({"step": "1"}).caption)
