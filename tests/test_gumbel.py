"""core.gumbel (Gumbel-max samples S(z/T); the Gumbel-softmax relaxation and its gradient) against independent
computations, and the Softmax page's Gumbel section in AppTest."""

import numpy as np
import pytest
from apptest_util import arr, charts, open_page
from oracles import implausible_classes, ref_softmax

import core
from core import gumbel
from figures.gumbel_figs import gumbel_max_figure, gumbel_softmax_figure
from figures.spec import strict

PAGE = "pages/softmax.py"


def test_noise_is_standard_gumbel():
    G = gumbel.gumbel_noise(200_000, 1, 0)[:, 0]
    assert G.mean() == pytest.approx(np.euler_gamma, abs=0.01)  # E[G] = γ
    assert G.var() == pytest.approx(np.pi**2 / 6, abs=0.02)  # Var[G] = π²/6
    assert np.all(np.isfinite(G))


# (n, seed, T): fixed, so the test is deterministic; n from 2 to 10, T from 0.1 (S spans e^{−60}: rare classes) to 10
SAMPLED = [(2 + k % 9, 100 + k, (0.1, 0.5, 1.0, 2.0, 10.0)[k % 5]) for k in range(30)]


@pytest.mark.parametrize(("n", "seed", "T"), SAMPLED)
def test_gumbel_max_frequencies_are_S_of_z_over_T_within_binomial_error(n, seed, T):
    """Each class's count is Binomial(N, S_k): checked by its exact tails (oracles.implausible_classes, α = 1e-6),
    not in standard errors, which for a rare class (N·S_k ≲ 10) flag a single draw of S = 1e-6 and cannot flag a class
    never drawn. A correct sampler fails a case with probability ≤ 1e-6, so these 30 seeds pass with probability
    ≥ 1 − 3e-5; as they are fixed, a failure is a reproducible one (a changed sampler), never a flake."""
    z = np.random.default_rng(seed).normal(0, 1.5, n)
    N = 3000
    samples = gumbel.gumbel_max(z, T, gumbel.gumbel_noise(N, n, seed))
    freq = np.bincount(samples, minlength=n) / N
    S = ref_softmax(z / T)  # independent softmax, of the tempered logits
    assert implausible_classes(freq, S, N) == [], (freq, S)


@pytest.mark.parametrize(("z", "T"), [((3.0, 0.0, -6.0), 1.0), ((6.0, 0.0, -12.0), 2.0)])
def test_a_rare_class_is_drawn_as_often_as_S_says(z, T):
    """S₃ = 1.17e-4: with 3,000 draws (0.35 expected) no count of it could fail or pass anything. 400,000 draws expect
    47 of it, drawn from the Gumbel tail (G > 6): the exact binomial check (α = 1e-6) now flags a rate off by a
    factor of 2 or a class never drawn (P = e^{−47})."""
    N = 400_000
    freq = np.bincount(gumbel.gumbel_max(np.array(z), T, gumbel.gumbel_noise(N, 3, 7)), minlength=3) / N
    S = ref_softmax(np.array(z) / T)
    assert N * S[2] > 40 and implausible_classes(freq, S, N) == [], (freq * N, S * N)
    assert implausible_classes(freq * [1, 1, 0], S, N) == [2] and implausible_classes(freq * [1, 1, 2], S, N) == [2]


def test_the_binomial_check_is_exact_where_standard_errors_are_not():
    """S = 1e-6 drawn once in 1,000 (p = 1e-3) is 32 standard errors √(S(1 − S)/N) off, but no evidence; S = 0.006
    never drawn in 3,000 (18 expected, P = 1.4e-8) is 4.3 standard errors, and is (so is its complement, drawn every
    time)."""
    rare = np.array([1 - 1e-6, 1e-6])
    assert abs(1 / 1000 - rare[1]) > 5 * np.sqrt(rare[1] * (1 - rare[1]) / 1000)
    assert implausible_classes([0.999, 0.001], rare, 1000) == []
    assert implausible_classes([1.0, 0.0], rare, 1000) == []
    missing = np.array([0.994, 0.006])
    assert abs(0 - missing[1]) <= 5 * np.sqrt(missing[1] * (1 - missing[1]) / 3000)
    assert implausible_classes([1.0, 0.0], missing, 3000) == [0, 1]
    assert implausible_classes([0.994, 0.006], missing, 3000) == []


def test_the_noise_goes_on_z_over_T_not_on_z():
    z, T, N = np.array([2.0, 1.0, 0.1]), 0.5, 20_000
    G = gumbel.gumbel_noise(N, 3, 1)
    freq = np.bincount(gumbel.gumbel_max(z, T, G), minlength=3) / N
    wrong = np.bincount(np.argmax(z + G, axis=1), minlength=3) / N  # noise on z, then nothing: samples S(z)
    assert np.abs(freq - ref_softmax(z / T)).max() < 0.015
    assert np.abs(wrong - ref_softmax(z)).max() < 0.015 and np.abs(wrong - ref_softmax(z / T)).max() > 0.1


def test_running_frequencies_and_checkpoints():
    s = np.array([0, 1, 1, 2, 0, 0])
    f = gumbel.running_frequencies(s, 3, [1, 3, 6])
    np.testing.assert_allclose(f, [[1, 0, 0], [1 / 3, 2 / 3, 0], [0.5, 1 / 3, 1 / 6]])
    at = gumbel.checkpoints(3000)
    assert at[0] == 1 and at[-1] == 3000 and np.all(np.diff(at) > 0)


def test_relaxed_jacobian_is_the_complex_step_derivative_in_z():
    z, T, tau = np.array([0.5, -1.0, 2.0, 0.0]), 2.0, 0.3
    G = gumbel.gumbel_noise(3, 4, 5)
    y, dy = gumbel.relaxed(z, T, tau, G)
    for d in range(3):
        np.testing.assert_allclose(y[d], ref_softmax((z / T + G[d]) / tau), atol=1e-15)
        cs = np.zeros((4, 4))
        for j in range(4):
            zc = z.astype(complex)
            zc[j] += 1e-30j
            x = (zc / T + G[d]) / tau
            e = np.exp(x - x.real.max())
            cs[:, j] = (e / e.sum()).imag / 1e-30
        np.testing.assert_allclose(dy[d], cs, atol=1e-14)
        assert gumbel.jacobian_size(y[d:d + 1], T, tau)[0] == pytest.approx(np.abs(dy[d]).max(), rel=1e-12)


def test_tau_sweep_matches_a_direct_loop():
    z, T = np.array([1.0, 1.0, 0.0]), 0.5
    G = gumbel.gumbel_noise(200, 3, 2)
    sw = gumbel.tau_sweep(z, T, G)
    for k in (0, 9, 18):
        tau = gumbel.TAUS[k]
        y, dy = gumbel.relaxed(z, T, tau, G)
        size = np.abs(dy).max(axis=(1, 2))
        hard = np.eye(3)[np.argmax(z / T + G, axis=1)]
        assert sw["median"][k] == pytest.approx(np.median(size), rel=1e-9, abs=1e-300)
        assert sw["p99"][k] == pytest.approx(np.quantile(size, 0.99), rel=1e-9)
        assert sw["onehot"][k] == pytest.approx(np.abs(y - hard).max(axis=1).mean(), rel=1e-9)


def test_as_tau_falls_the_median_gradient_vanishes_and_the_top_draws_spike():
    G = gumbel.gumbel_noise(500, 3, 0)
    sw = gumbel.tau_sweep((2.0, 1.0, 0.1), 1.0, G)
    assert sw["median"][0] < 1e-10 < sw["median"][-1]
    assert sw["p99"][0] > 1.0 and sw["p99"][0] > 1e6 * sw["median"][0]
    assert np.all(sw["p99"] <= 1 / (4 * gumbel.TAUS) + 1e-12)  # the bound 1/(4Tτ)
    assert sw["onehot"][0] < 0.01


def test_figures_are_valid_specs():
    G = gumbel.gumbel_noise(300, 4, 0)
    z, T = np.array([1.0, 0.0, -1.0, 0.5]), 1.0
    at = gumbel.checkpoints(300)
    f = gumbel.running_frequencies(gumbel.gumbel_max(z, T, G), 4, at)
    sw = gumbel.tau_sweep(z, T, G)
    y, _ = gumbel.relaxed(z, T, 0.5, G[:1])
    for dark in (False, True):
        strict(gumbel_max_figure(at, f, core.softmax(z, T), dark))
        strict(gumbel_softmax_figure(y[0], 0, gumbel.TAUS, sw, 0.5, T, dark))


@pytest.mark.parametrize("query", [{}, {"z": "1,1,0", "T": "0.5", "gdraws": "3000", "gseed": "4"},
                                   {"n": "10", "T": "10", "gdraws": "300"}, {"z": "8,0,-8", "T": "2", "gdraws": "100"}])
def test_page_frequencies_are_within_binomial_error_of_S(query):
    at = open_page(PAGE, query)
    assert not at.exception
    z = np.array([float(v) for v in at.query_params["z"].split(",")])
    T, N = float(at.query_params["T"]), int(at.query_params["gdraws"])
    fig = next(f for t, f in charts(at).items() if t.startswith("Gumbel-max"))
    freq = np.asarray(arr(fig["data"][0]["y"]), dtype=float)
    S = ref_softmax(z / T)
    assert implausible_classes(freq, S, N) == [], (freq, S)  # exact binomial tails: z = (8, 0, −8) has S₃ = 3.3e-4
    np.testing.assert_allclose(freq.sum(), 1.0)


def test_widgets_drive_the_figures_and_the_url():
    at = open_page(PAGE)
    before = charts(at)
    at.select_slider(key="w_gdraws").set_value(3000).run()
    assert not at.exception and at.query_params["gdraws"] == "3000" and charts(at) != before
    mid = charts(at)
    at.number_input(key="w_gseed").set_value(8).run()
    assert at.query_params["gseed"] == "8" and charts(at) != mid
    at.select_slider(key="w_tau").set_value(0.05).run()
    assert at.query_params["tau"] == "0.05"
    assert any(t.startswith("Gumbel-softmax") for t in charts(at))


def test_saturated_logits_do_not_claim_spikes():
    at = open_page(PAGE, {"z": "1000,0,-1000"})
    assert not at.exception
    text = next(m.value for m in at.markdown if m.value.startswith("**The relaxation**"))
    assert "no draw here comes near a tie" in text and "spikes" not in text
    text = next(m.value for m in open_page(PAGE).markdown if m.value.startswith("**The relaxation**"))
    assert "rare, large spikes" in text


def test_the_largest_gap_and_its_standard_errors_are_one_class():
    """Reader 9, finding 2: the gap 0.017 is S₁₀'s (1.37 standard errors); 2.46 standard errors is S₉'s, a rare class
    whose gap is only 0.00087. The sentence names each number's class and never pairs the two."""
    S = np.array([0.5, 0.3, 0.19987, 0.00013])
    freq = np.array([0.495, 0.294, 0.210, 0.001])
    text = gumbel.frequency_sentence(freq, S, 1000)
    gap = np.abs(freq - S)
    se = gap / np.sqrt(S * (1 - S) / 1000)
    k, m = int(np.argmax(gap)), int(np.argmax(se))
    assert (k, m) == (2, 3)
    assert f"is {core.fmt.prose(gap[k], 2)}, for S₃, {core.fmt.prose(se[k])} binomial standard errors" in text
    assert f"the largest in standard errors is S₄'s, {core.fmt.prose(se[m])}" in text
    same = gumbel.frequency_sentence(S + np.array([0.01, -0.005, -0.005, 0]), S, 1000)
    assert "largest in standard errors" not in same and "for S₁," in same


def test_an_underflowed_relaxation_number_says_0_in_float64():
    """z = (40, −40, 0): at τ = 0.01 the distance from one-hot is e^{−4000}, 0 in float64, and so is the median
    gradient; the sentence said "goes from 0.018 to 0" as if it were exactly 0."""
    G = gumbel.gumbel_noise(500, 3, 0)
    sw = gumbel.tau_sweep((40.0, -40.0, 0.0), 1.0, G)
    assert sw["onehot"][0] == 0 and sw["median"][0] == 0
    text = gumbel.relaxation_sentence(sw, 1.0)
    assert "to 0 in float64, and the median draw's" in text and "stay at 0 in float64." in text, text
    assert "in float64" not in gumbel.relaxation_sentence(gumbel.tau_sweep((2.0, 1.0, 0.1), 1.0, G), 1.0)
