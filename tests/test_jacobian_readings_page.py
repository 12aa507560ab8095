"""AppTest of the Jacobian page's covariance and Hessian readings: the Monte Carlo estimate on screen is the seeded
sample covariance, within its standard error of J; the count and seed drive it and live in the URL."""

import numpy as np
import pytest
from apptest_util import arr, charts, open_page

import core

PAGE = "pages/jacobian.py"


def mc_heatmap(at) -> tuple[str, np.ndarray]:
    title, spec = next((t, f) for t, f in charts(at).items() if t.startswith("Ĵ = Cov(e<sub>Y</sub>)/T"))
    z = spec["data"][0]["z"]
    n = len(spec["data"][0]["x"])
    return title, np.asarray(arr(z), dtype=float).reshape(n, n)


def convergence(at) -> dict:
    return next(f for t, f in charts(at).items() if t.startswith("Monte Carlo error"))


def independent_se(S, N):
    """Standard error of each sample-covariance entry, by enumerating the n outcomes of one draw (not core)."""
    n = S.size
    C = np.diag(S) - np.outer(S, S)
    m4 = np.zeros((n, n))
    for y in range(n):
        d = np.eye(n)[y] - S
        m4 += S[y] * np.outer(d**2, d**2)
    return np.sqrt(np.maximum(m4 - C**2, 0) / N)


@pytest.mark.parametrize("query", [{}, {"z": "1,1,0", "T": "0.5", "mc": "10000", "mcseed": "7"},
                                   {"n": "10", "T": "2", "mc": "100000"}, {"z": "8,0,-8", "T": "10"}])
def test_mc_estimate_is_within_standard_error_of_J(query):
    at = open_page(PAGE, query)
    assert not at.exception
    z = [float(v) for v in at.query_params["z"].split(",")] if "z" in at.query_params else None
    T, N = float(at.query_params.get("T", 1)), int(at.query_params.get("mc", 1000))
    z = np.array(z) if z else np.array(core.state.fit_z((), int(query.get("n", 3))))
    title, Jhat = mc_heatmap(at)
    assert f"N = {N:,}" in title
    S, J = core.softmax(z, T), core.jacobian(z, T)
    se = independent_se(S, N) / T
    assert np.all(np.abs(Jhat - J) <= 5 * se + 1e-12)
    # the estimate is a covariance matrix of one-hot vectors: symmetric, rows summing to 0
    np.testing.assert_allclose(Jhat, Jhat.T, atol=1e-15)
    np.testing.assert_allclose(Jhat.sum(axis=1), 0, atol=1e-12)


def test_count_and_seed_change_the_estimate_and_the_url():
    at = open_page(PAGE)
    _, before = mc_heatmap(at)
    at.select_slider(key="w_mc").set_value(100_000).run()
    assert not at.exception and at.query_params["mc"] == "100000"
    _, after = mc_heatmap(at)
    J = core.jacobian([2.0, 1.0, 0.1])
    assert not np.array_equal(before, after)
    assert np.abs(after - J).max() < np.abs(before - J).max()  # 100x the samples: about 10x closer (this seed)
    at.number_input(key="w_mcseed").set_value(5).run()
    assert at.query_params["mcseed"] == "5"
    _, reseeded = mc_heatmap(at)
    assert not np.array_equal(after, reseeded)


def test_convergence_plot_slope_and_caption_are_computed():
    at = open_page(PAGE)
    fig = convergence(at)
    counts = np.asarray(arr(fig["data"][2]["x"]), dtype=float)
    rms = np.asarray(arr(fig["data"][2]["y"]), dtype=float)
    keep = counts >= 10 / (1 - core.softmax([2.0, 1.0, 0.1]).max())
    slope = np.polyfit(np.log10(counts[keep]), np.log10(rms[keep]), 1)[0]
    assert -0.6 < slope < -0.4
    assert f"{slope:.2f}".replace("-", "−") in fig["layout"]["title"]["text"]
    caption = next(c.value for c in at.caption if c.value.startswith("Class counts"))
    assert "close to −½" in caption


def test_hessian_table_is_computed_and_passes():
    at = open_page(PAGE, {"z": "2,1,0.1,-1", "T": "0.5"})
    table = next(t.value for t in at.table if "computed" in t.value.columns)
    assert list(table.iloc[:, 0]) == ["✓"] * 4
    lam = np.linalg.eigvalsh(core.jacobian([2, 1, 0.1, -1], 0.5))
    assert f"largest {lam[-1]:.3g}" in table["computed"].iloc[2]


def test_one_hot_softmax_says_the_estimate_is_exact():
    at = open_page(PAGE, {"z": "1000,0,-1000"})
    assert not at.exception
    caption = next(c.value for c in at.caption if c.value.startswith("Class counts"))
    assert "equals J exactly" in caption and "Y = 1: 1,000, Y = 2: 0, Y = 3: 0" in caption  # counts of the class Y


def test_what_to_notice_never_contradicts_the_fitted_slope():
    """Reader 9, finding 4: 'error falling like 1/√N' (the notice, said at every setting) stood beside 'slope −1.04, not
    −½' at z = (2, 2, −1), T = 0.1. The notice now points at the fitted slope instead of asserting −½."""
    at = open_page(PAGE, {"z": "2,2,-1", "T": "0.1", "step": "2"})
    cap = next(c.value for c in at.caption if "Class counts" in c.value)
    assert "not −½" in cap
    notice = next(c.value for c in at.caption if "What to notice" in c.value and "estimate" in c.value)
    assert "can be fitted, the slope" in notice and "typically" in notice  # (at saturation no slope is fitted)


@pytest.mark.parametrize(("n", "z", "printed"), [("3", "40,-40,0", True), ("4", "2,1,0.1,-1", False),
                                                  ("5", "2,1,0.1,-1,-2", False)])
def test_half_width_matrices_print_cell_values_only_where_they_fit(n, z, printed):
    """Ĵ (covariance step) and the saturation sweep sit in half a column beside another chart: at n = 4 and 5 their
    cell values ran into each other on a laptop ("0.0960.039"), so they print up to n = 3 and are in the hover and the
    data table beyond; the convergence chart's title keeps its slope on a second line, inside the chart."""
    q = {"n": n, "z": z, "T": "2.5"}
    at = open_page(PAGE, {**q, "step": "2"})
    trace = next(f for t, f in charts(at).items() if t.startswith("Ĵ = Cov"))["data"][0]
    assert (trace["texttemplate"] == "%{text}") == printed
    title = convergence(at)["layout"]["title"]["text"]
    assert title.startswith("Monte Carlo error against N:<br>RMS slope ")
    assert all(len(line) <= 40 for line in title.split("<br>"))
    at = open_page(PAGE, {**q, "step": "4"})
    sweep = next(f for t, f in charts(at).items() if t.startswith("J at T = "))
    assert (sweep["data"][0]["texttemplate"] == "%{text}") == printed
    assert all(("text" in fr["data"][0]) == printed for fr in sweep["frames"])
