"""AppTest: the Dependencies page renders, and its widgets change the arrows, the neuron and the readout."""

import json

import numpy as np
import pytest
from apptest_util import arr, figures, open_page, ztext

import core
from core import fmt


def page(query=None):
    return open_page("pages/dependencies.py", query)


def bright(fig, n):
    """Indices of the highlighted arrows."""
    return [k for k, t in enumerate(fig["data"][: n * n]) if t.get("opacity") == 1.0]


def test_renders_defaults():
    at = page()
    assert not at.exception and at.title[0].value == "Dependencies"
    arrows, neuron, conv = figures(at)
    assert len(arrows["data"]) == 9 + 7 and len(arrows["frames"]) == 25
    assert bright(arrows, 3) == [0, 1, 2]
    assert np.allclose(arr(arrows["data"][9 + 5]["x"]), core.softmax((2.0, 1.0, 0.1)))  # the S bars
    assert "Σ" in json.dumps(neuron, ensure_ascii=False) and len(conv["data"]) == 3


def test_selecting_j_changes_the_highlight_the_neuron_and_the_url():
    at = page()
    neuron = figures(at)[1]
    at.radio(key="w_j").set_value(3).run()
    assert not at.exception and at.query_params["j"] == "3"
    arrows2, neuron2, _ = figures(at)
    assert bright(arrows2, 3) == [6, 7, 8]
    assert neuron2 != neuron
    readout = arrows2["data"][9 + 6]["text"]
    J = core.jacobian((2.0, 1.0, 0.1))
    assert readout[0] == f"∂S₁/∂z₃ = {fmt.signed(J[0, 2], 4)}"


def test_z_slider_reweights_the_arrows():
    at = page()
    widths = [t["line"]["width"] for t in figures(at)[0]["data"][:9]]
    at.slider(key="w_z0").set_value(-3.0).run()
    assert not at.exception
    widths2 = [t["line"]["width"] for t in figures(at)[0]["data"][:9]]
    assert widths2 != widths


def test_n_shrinking_below_j_clamps_j():
    at = page({"n": "4", "j": "4"})
    assert not at.exception and at.radio(key="w_j").value == 4
    at.slider(key="w_n").set_value(2).run()
    assert not at.exception
    assert at.radio(key="w_j").value == 2 and at.query_params["j"] == "2"
    assert len(figures(at)[0]["data"]) == 4 + 7


@pytest.mark.parametrize("query", [{"n": "2"}, {"n": "10", "j": "10"}, {"z": "1e6,-1e6,0"},
                                   {"z": "1e6,-1e6,0", "T": "0.1", "j": "2"}, {"j": "99"}, {"j": "x"}])
def test_renders_edge_cases_without_exception(query):
    at = page(query)
    assert not at.exception
    figs = figures(at)
    assert len(figs) == 3
    spec = json.dumps(figs)
    assert "NaN" not in spec and "Infinity" not in spec


def test_bad_vector_text_shows_an_inline_error():
    at = page()
    ztext(at).input("1; 2; <script>").run()
    assert not at.exception and "not a number" in at.error[0].value
    assert len(figures(at)) == 3


def test_links_to_the_jacobian_page():
    at = page()
    links = [p.proto.page for p in at.get("page_link")]
    assert any("jacobian" in str(p) for p in links)


def titles(at) -> list[str]:
    return [f["layout"]["title"]["text"] for f in figures(at)]


def test_the_neuron_step_draws_only_the_neuron_with_the_input_picker_first():
    at = page({"step": "2", "j": "2"})
    assert not at.exception
    assert titles(at) == ["The elongated neuron: how z₂ reaches every output"]
    assert any("three operations" in m.value for m in at.markdown)
    assert not [t for t in at.table if "Δ" in t.value.columns], "the convergence table belongs to step 3"
    at.radio(key="w_j").set_value(3).run()
    assert not at.exception and titles(at) == ["The elongated neuron: how z₃ reaches every output"]


def test_the_convergence_step_at_saturation_says_every_error_is_0():
    at = page({"step": "3", "z": "1000,0,-1000"})
    assert not at.exception
    assert titles(at) == ["Error of ΔS/Δz as Δ shrinks"]
    cap = next(c.value for c in at.caption if c.value.startswith("Forward differences"))
    assert "every error is 0" in cap and "shrinks like Δ" not in cap
    at = page({"step": "3", "z": "8,0,-8", "T": "0.1"})  # S₂ ≈ 1.8e-35 moves, by too little to show on the plot
    cap = next(c.value for c in at.caption if c.value.startswith("Forward differences"))
    assert "every error is below 10⁻¹⁷" in cap and "shrinks like Δ" not in cap
    at = page({"step": "3"})
    cap = next(c.value for c in at.caption if c.value.startswith("Forward differences"))
    assert "shrinks like Δ" in cap and "every error is" not in cap


@pytest.mark.parametrize(("j", "want"), [("10", ["S₁", "S₂", "S₃", "S₁₀"]), ("2", ["S₁", "S₂", "S₃", "S₄"])])
def test_the_quotient_table_always_has_the_diagonal_column_and_says_what_it_leaves_out(j, want):
    """Reader 9, finding 6: at n = 10, j = 10 the table showed ΔS₁ … ΔS₄ only, hiding the one positive, diagonal
    quotient, and nothing said columns were left out."""
    at = page({"z": "9,-6,3.5,-2,0,5,-8.5,1,-4,7", "T": "1.5", "j": j})
    assert not at.exception
    table = next(t for t in at.dataframe if "Δ" in t.value.columns)
    zj = "z" + "₁₀" if j == "10" else "z₂"
    assert list(table.value.columns[1:]) == [f"Δ{s}/Δ{zj}" for s in want]
    assert any(c.value.startswith("4 of the 10 columns shown") and f"S{zj[1:]}, the diagonal one" in c.value
               for c in at.caption)


def test_the_two_paths_add_up_as_printed():
    """Reader 9, findings 7 and 8: '(1/0.1)S₁ = 4.9999999999998 … −(1/0.1)S₁² = −2.5 … = 2.5' did not add up as printed,
    and 14 digits are float64's noise: the three print to the same decimals, 5.000 − 2.500 = 2.500."""
    at = page({"z": "2,2,-1", "T": "0.1", "j": "1"})
    text = next(m.value for m in at.markdown if "two** paths" in m.value)
    assert "= 5.000$" in text and "= -2.500$" in text and "= 2.500$" in text and "4.99999" not in text, text


def test_paths_that_print_as_1_and_minus_1_say_why_their_sum_is_not_0():
    """z = (40, −40, 0): S₁ is 1 in float64, so the paths print as 1 and −1 beside a sum of 4.248×10⁻¹⁸; the sentence
    says why (S₁ rounds to 1, and the sum is computed as S₁ times the other outputs' sum). Not at the defaults."""
    text = next(m.value for m in page({"z": "40,-40,0", "j": "1"}).markdown if "two** paths" in m.value)
    assert "= 1$" in text and "= -1$" in text and r"= 4.248\times10^{-18}$" in text, text
    assert "The paths print as $1$ and $-1$ because S₁ rounds to 1 in float64, where they cancel" in text, text
    text = next(m.value for m in page({"j": "1"}).markdown if "two** paths" in m.value)
    assert "rounds to 1 in float64" not in text


@pytest.mark.parametrize("query", [{}, {"n": "4", "z": "2,2,-1,-1"}, {"T": "2.5"},
                                   {"n": "10", "z": "3,2.5,2,1.5,1,0.5,0,-0.5,-1,-2"}])
def test_convergence_shows_the_float64_forward_difference_and_its_v(query):
    """Step 3 is about what rounding does to a forward difference: its errors are those of two float64 softmaxes
    subtracted (recomputed here), they fall like Δ and rise again below the best Δ, and the caption says where. With
    each ΔS computed exactly the error fell like Δ down to 10⁻¹⁴ at Δ = 10⁻¹², against the caption's V."""
    at = page({"step": "3", **query})
    z = [float(v) for v in query.get("z", "2,1,0.1").split(",")]
    T, j = float(query.get("T", 1)), 0
    deltas = 10.0 ** -np.arange(0, 13)
    S0 = core.softmax(z, T)
    worst = []
    for d in deltas:
        zz = np.array(z)
        zz[j] += d
        worst.append(np.abs((core.softmax(zz, T) - S0) / d - core.jacobian(z, T)[:, j]).max())
    best = int(np.argmin(worst))
    assert 0 < best < len(deltas) - 1 and worst[-1] > 100 * worst[best], "the V"
    cap = next(c.value for c in at.caption if c.value.startswith("Forward differences"))
    assert (f"down to {fmt.prose(worst[best], 2)} at Δ = {fmt.prose(deltas[best], 1)}" in cap
            and f"grows again to {fmt.prose(worst[-1], 2)}" in cap), cap


def test_the_data_tables_keep_every_figure_at_saturation():
    """z = (50, −20, 0): every ∂S/∂z is below 10⁻²¹, and the data tables printed them as 0 (the page rounded the
    values to 5 decimals before the table's own printing and the CSV's exact floats, found by a second reader)."""
    at = page({"step": "1", "z": "50,-20,0"})
    for key in ("x_data_arrows", "x_nudge_data"):
        at.session_state[key] = True
    at.run()
    assert not at.exception
    J = core.jacobian((50.0, -20.0, 0.0))
    arrows, nudge = (t.value for t in at.dataframe)
    assert list(arrows.iloc[:, 1]) == [fmt.num(v, 6) for v in J[:, 0]] and "0" not in list(arrows.iloc[:, 1])
    assert all(v != "0" for v in nudge.iloc[:, 2])  # S₂ over the nudge: 3.98×10⁻³¹ and its neighbours, never 0
