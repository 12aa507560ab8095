"""The Chain rule page's sentences, now in core (chain.paths_sentence, chain.collapse_intro): the numbers they print
and the bound they state, checked against the definition (complex step) with hypothesis."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import complex_step_grad, ref_softmax

from core import chain

LOGITS = st.lists(st.floats(-10, 10, allow_nan=False), min_size=2, max_size=10)
TEMPS = st.sampled_from([0.1, 0.5, 1.0, 2.0, 10.0])


@settings(max_examples=40, deadline=None)
@given(z=LOGITS, T=TEMPS, data=st.data())
def test_mse_bound_in_the_collapse_paragraph_holds(z, T, data):
    """|∂L/∂z_j| ≤ (4/T) S_j for L = Σ (S_i − y_i)², S = softmax(z/T), from the complex step (plus rounding)."""
    z = np.asarray(z, float)
    y = data.draw(st.integers(0, z.size - 1))
    Y = np.eye(z.size)[y]
    grad = complex_step_grad(lambda v: np.sum((ref_softmax(v / T) - Y) ** 2), z)
    S = ref_softmax(z / T)
    title, why = chain.collapse_intro(y, "mse", T)
    assert title == "MSE: the sum does not collapse" and f"\\le {4 / T:g}\\,S_j$" in why
    assert np.all(np.abs(grad) <= 4 / T * S + 1e-15 / T)


@settings(max_examples=40, deadline=None)
@given(z=LOGITS, T=TEMPS, data=st.data())
def test_ce_collapse_paragraph_names_the_target_and_its_T(z, T, data):
    y = data.draw(st.integers(0, len(z) - 1))
    title, why = chain.collapse_intro(y, "cross_entropy", T)
    assert title == "Cross-entropy: the sum collapses to " + ("S − y" if T == 1 else f"(S − y)/{T:g}")
    assert f"$1/S_{{{y + 1}}}$ of $g_{{{y + 1}}}$" in why
    assert (f"(the temperature's factor 1/{T:g} stays)." in why) == (T != 1) and ("\\tfrac{1}" in why) == (T != 1)


@settings(max_examples=40, deadline=None)
@given(z=st.lists(st.sampled_from([-1000.0, -8.0, 0.0, 1.0, 8.0, 1000.0]), min_size=2, max_size=10), data=st.data())
def test_paths_sentence_counts_the_nonzero_upstream_gradients(z, data):
    y = data.draw(st.integers(0, len(z) - 1))
    g = 2 * (ref_softmax(np.asarray(z)) - np.eye(len(z))[y])  # MSE's dL/dS from the definition
    live = int(np.count_nonzero(g))
    text = chain.paths_sentence(g, y, "mse")
    assert f"non-zero for **{live} of {len(z)}** outputs here, so up to {live} paths" in text
    assert ("softmax has saturated" in text) == (live < len(z))
    ce = chain.paths_sentence(np.where(np.arange(len(z)) == y, -1.0, 0.0), y, "cross_entropy")
    assert ce.startswith(f"Only $g_{{{y + 1}}}$ is non-zero") and ce.endswith(f"the one through $S_{{{y + 1}}}$.")
