"""The Softmax page's computed sentences and stability table, now in core (gumbel.frequency_sentence,
gumbel.relaxation_sentence, explore.stability_columns): every number read back against an independent computation."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import ref_softmax

from core import explore, fmt, gumbel


@settings(max_examples=50, deadline=None)
@given(n=st.integers(2, 10), draws=st.sampled_from([10, 100, 1_000, 100_000]), seed=st.integers(0, 10_000))
def test_frequency_sentence_counts_binomial_standard_errors(n, draws, seed):
    rng = np.random.default_rng(seed)
    S = ref_softmax(rng.normal(size=n) * 2)
    freq = rng.multinomial(draws, S) / draws  # what Gumbel-max draws give, by another route
    se = np.sqrt(S * (1 - S) / draws)
    z = np.abs(freq - S) / se
    text = gumbel.frequency_sentence(freq, S, draws)
    assert text.startswith(f"After {fmt.whole(draws)} draws")
    k = int(np.argmax(np.abs(freq - S)))  # the largest gap, and that class's standard errors (×10ⁿ, not e-05)
    assert f"is {fmt.prose(np.abs(freq - S)[k], 2)}, for S{fmt.label('', k)}, {fmt.prose(z[k])} binomial standard" in text
    # n = 2: both equal, but 1 − S here may round a unit in the last place away from core's
    assert ("largest in standard errors" in text) == (z.max() > z[k] * (1 + 1e-9))
    within = sum(1 for k in range(n) if abs(freq[k] - S[k]) <= 2 * se[k])
    assert f"{fmt.percent(within / n)} of the {n} classes" in text


def test_frequency_sentence_exact_match():
    S = np.array([0.5, 0.25, 0.25])
    assert "is 0, for S₁, 0 binomial standard errors; 100 % of the 3 classes" in gumbel.frequency_sentence(S, S, 1000)


@pytest.mark.parametrize("T", [0.5, 1.0, 2.0])
def test_relaxation_sentence_reads_the_sweep(T):
    base = {"onehot": np.linspace(0.01, 0.6, 19), "median": np.linspace(1e-6, 0.02, 19), "mean": np.ones(19)}
    bound = 1 / (4 * T * 0.01)
    spiky = gumbel.relaxation_sentence(base | {"p99": np.full(19, 0.5 * bound)}, T)
    assert "rare, large spikes" in spiky and f"(at most 1/(4Tτ) = {bound:.3g})" in spiky
    assert f"goes from {0.6:.2g} to {0.01:.2g}" in spiky and "from 0.02 to 1×10⁻⁶," in spiky
    calm = gumbel.relaxation_sentence(base | {"p99": np.full(19, 50 * 1e-6)}, T)  # < 100 × the median
    assert "no draw here comes near a tie: even the top 1 % stay at 5×10⁻⁵." in calm and "spikes" not in calm
    tiny = gumbel.relaxation_sentence(base | {"median": np.full(19, 1e-12), "p99": np.full(19, 1e-5 * bound)}, T)
    assert "spikes" not in tiny  # 100 × the median, but negligible against the bound 1/(4Tτ)


def test_relaxation_sentence_states_its_sample():
    """The "top 1 %" is a statistic of the draws the sweep used: the sentence says how many, and that over fewer
    than 200 the 99th percentile is about their largest draw."""
    base = {"onehot": np.linspace(0.01, 0.6, 19), "median": np.linspace(1e-6, 0.02, 19), "mean": np.ones(19)}
    spiky = gumbel.relaxation_sentence(base | {"p99": np.full(19, 10.0), "draws": 500}, 1.0)
    assert "the top 1 % of these 500 draws (the 99th percentile) reach 10, 1×10⁷ times the median" in spiky
    few = gumbel.relaxation_sentence(base | {"p99": np.full(19, 50e-6), "draws": 50}, 1.0)
    assert "even the top 1 % of these 50 draws (the 99th percentile, about their largest) stays at 5×10⁻⁵." in few
    G = gumbel.gumbel_noise(120, 3, 0)
    assert gumbel.tau_sweep([2.0, 1.0, 0.1], 1.0, G)["draws"] == 120


def test_relaxation_sentence_on_a_real_sweep():
    G = gumbel.gumbel_noise(500, 3, 0)
    sweep = gumbel.tau_sweep([2.0, 1.0, 0.1], 1.0, G)
    text = gumbel.relaxation_sentence(sweep, 1.0)
    assert f"to {fmt.prose(sweep['onehot'][0], 2)}" in text and f"{fmt.prose(sweep['median'][0], 2)}" in text


def test_stability_columns():
    cols = explore.stability_columns()
    assert list(cols) == ["dtype", "method", "denominator Σ", "S₁", "S₂", "S₃", "correct?"]
    rows = list(zip(*cols.values(), strict=True))
    assert [r[:2] for r in rows] == [(d, m) for d in ("float64", "float32", "float16") for m in ("naive", "max-shifted")]
    ref = ref_softmax(np.array(explore.STABILITY_Z))
    for r in rows:
        ok = r[1] == "max-shifted"  # e^1000 overflows in every float type; the shifted form never does
        assert r[-1] == ("yes" if ok else "NO")
        if ok:
            np.testing.assert_allclose([float(v) for v in r[3:6]], ref, atol=1e-3)
