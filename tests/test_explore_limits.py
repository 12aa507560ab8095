"""core.explore.temperature_limit: the T -> 0 limit of softmax(z/T), ties included, against the definition."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from oracles import ref_softmax

from core import explore

logits = st.lists(st.integers(-3, 3).map(float), min_size=2, max_size=10)  # small integers: exact ties are common


@given(logits)
def test_the_limit_is_what_softmax_tends_to(z):
    lim = explore.temperature_limit(z)
    assert abs(lim.sum() - 1) <= 1e-15 and np.all(lim >= 0)  # six sixths add to 1 − 1e-16 in float64
    T = 1e-3  # distinct integer logits differ by >= 1, so the losers' share e^{-1/T} is far below the tolerance
    np.testing.assert_allclose(np.real(ref_softmax(np.asarray(z) / T)), lim, atol=1e-12)


@given(logits)
def test_the_sentence_names_the_ties(z):
    text = explore.temperature_limit_sentence(z)
    k = int(np.sum(np.asarray(z) == max(z)))
    if k == len(z):
        assert "All your logits are equal" in text
    elif k > 1:
        assert f"tied {k} ways" in text and "not to one-hot" in text
    else:
        assert "unique" in text and "one-hot" in text
