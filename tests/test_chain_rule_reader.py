"""AppTest of the Chain rule page's answer to the reader's question: A, B, C are a row of J, the linearisation against
the true ΔS_i, A + B + C = 0, the column backprop adds, and Σ_j ∂L/∂z_j = 0, checked against numbers computed here."""

import numpy as np
import pytest
from apptest_util import arr, figures, open_page
from helpers import printed
from oracles import ref_softmax

PAGE = "pages/chain_rule.py"


def metrics(at) -> dict:
    """The linearisation's three numbers (a one-row table: as metrics a third of the column cut their powers of ten)."""
    out = {m.label: m.value for m in at.metric}
    for t in at.table:
        if any(str(c).startswith("predicted Δ") for c in t.value.columns):
            out.update({str(c): str(t.value[c].iloc[0]) for c in t.value.columns})
    return out


def test_the_linearisation_is_a_table_not_metrics_at_saturation():
    """z = (40, −40, 0): its numbers carry powers of ten, which three metrics side by side cut to "3.18627×1…"."""
    at = open_page(PAGE, {"z": "40,-40,0", "step": "5"}, timeout=60)
    assert not at.exception and not [m for m in at.metric if "Δ" in m.label]
    m = metrics(at)
    assert m["predicted ΔS₁ (linear)"] == "3.18627×10⁻¹⁹" and m["true ΔS₁ = S₁(z + Δz) − S₁(z)"] == "3.06971×10⁻¹⁹"
    cap = next(c.value for c in at.caption if "the linearisation misses" in c.value)
    assert cap.startswith("✓ Within 5 % of the true change: the linearisation misses by 1.2×10⁻²⁰, 3.8 % of it.")


def ref_J(z, T):
    S = ref_softmax(np.asarray(z, float) / T)
    return (np.diag(S) - np.outer(S, S)) / T


CASES = [
    ({}, (2.0, 1.0, 0.1), 1.0, 1, 0.1, "mixed"),
    ({"T": "0.1", "z": "1,1,0", "i": "2", "h": "0.05"}, (1.0, 1.0, 0.0), 0.1, 2, 0.05, "mixed"),
    ({"T": "10", "z": "1000,0,-1000", "y": "3", "i": "3", "h": "-1"}, (1000.0, 0.0, -1000.0), 10.0, 3, -1.0, "mixed"),
    ({"z": "3,-1", "h": "0.5", "nudge": "uniform"}, (3.0, -1.0), 1.0, 1, 0.5, "uniform"),
    ({"n": "10", "i": "10", "loss": "mse", "h": "0.2"}, (2.0, 1.0, 0.1, -1.0, 0.5, -0.5, 1.5, -1.5, 0.8, -0.2), 1.0, 10, 0.2,
     "mixed"),
]


@pytest.mark.parametrize("query, z, T, i, h, kind", CASES, ids=["default", "tie-T0.1", "saturated-T10", "n2-uniform", "n10-mse"])
def test_row_linearisation_and_sums_against_the_definition(query, z, T, i, h, kind):
    at = open_page(PAGE, query, timeout=60, home_first=True)
    assert not at.exception
    z, n = np.asarray(z), len(z)
    u = np.ones(n) if kind == "uniform" else (-0.5) ** np.arange(n)
    dz = h * u
    row = ref_J(z, T)[i - 1]
    x, xn = z / T, (z + dz) / T
    true = ref_softmax(xn - xn.max())[i - 1] - ref_softmax(x - x.max())[i - 1]
    m = metrics(at)
    sub = "₁₂₃₄₅₆₇₈₉"[i - 1] if i < 10 else "₁₀"
    assert printed(m[f"predicted ΔS{sub} (linear)"]) == pytest.approx(row @ dz, rel=1e-5, abs=1e-15)
    assert printed(m[f"true ΔS{sub} = S{sub}(z + Δz) − S{sub}(z)"]) == pytest.approx(true, rel=1e-5, abs=1e-15)
    fig = figures(at)[-1]  # the row-vs-column heatmaps
    assert np.allclose(np.asarray(arr(fig["data"][0]["z"])).reshape(n, n), ref_J(z, T), atol=1e-15)
    row_box, col_box = fig["layout"]["shapes"]
    assert (row_box["y0"], row_box["y1"]) == (i - 1.5, i - 0.5) and (col_box["x0"], col_box["x1"]) == (i - 1.5, i - 0.5)
    text = " ".join(md.value for md in at.markdown)
    assert "A, B, C" in text and "**column**" in text
    # A + B + C is 0 up to rounding, judged against the sizes of its own terms (relative, and said so)
    assert rf"(✓ 0 up to float64 rounding: at most 1×10⁻¹² times $\sum_j |\partial S_{{{i}}}/\partial z_j|$)" in text
    assert "never moves the mean logit" in text and "⚠" not in text.split("never moves")[0][-160:]
    assert r"(✓ at most 1×10⁻¹² times the sum of the paths' sizes, $\sum_{i,j} |P_{ij}|$)" in text


def test_nudge_controls_change_the_numbers_and_the_url():
    at = open_page(PAGE, {}, timeout=60, home_first=True)
    before = metrics(at)
    at.slider(key="w_h").set_value(0.5).run()
    assert not at.exception and at.query_params["h"] == "0.5"
    assert metrics(at) != before
    at.radio(key="w_nudge").set_value("uniform").run()
    assert at.query_params["nudge"] == "uniform"
    assert float(metrics(at)["true ΔS₁ = S₁(z + Δz) − S₁(z)"]) == pytest.approx(0.0, abs=1e-15)
    fig = figures(at)[-1]
    at.slider(key="w_i").set_value(3).run()
    assert at.query_params["i"] == "3" and figures(at)[-1]["layout"]["shapes"] != fig["layout"]["shapes"]


def test_a_large_nudge_is_flagged_not_ticked():
    at = open_page(PAGE, {"h": "2"}, timeout=60, home_first=True)
    assert any(c.value.startswith("⚠") and "misses by" in c.value for c in at.caption)
