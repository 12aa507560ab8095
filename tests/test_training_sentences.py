"""The Training page's comparison paragraph (core.chain.comparison_sentence) and its chart's data table
(figures.training_figs.curves_data), against accuracies recomputed from the trained weights."""

import numpy as np
import pytest

import core
from core import chain
from figures.training_figs import curves_data


def curves(ce_acc, mse_acc):
    return {"cross_entropy": (np.ones(len(ce_acc)), np.asarray(ce_acc, float), None),
            "mse": (np.ones(len(mse_acc)), np.asarray(mse_acc, float), None)}


def test_the_reason_is_named_only_for_a_clear_gap():
    wide = chain.comparison_sentence(curves([0.3, 1.0], [0.3, 0.5]), 10.0, 0.62, 1)
    assert "cross-entropy classifies 100.0 % of the points correctly and MSE 50.0 %. MSE's gradient keeps" in wide
    assert "σ = 10; 62 % of the points start confidently wrong" in wide
    narrow = chain.comparison_sentence(curves([0.3, 0.74], [0.3, 0.5]), 0.1, 0.0, 1)
    assert "MSE 50.0 %. Each loss has its own axis" in narrow and "keeps the factor" not in narrow


def test_a_diverged_run_counts_with_its_last_finite_accuracy():
    text = chain.comparison_sentence(curves([0.2, 0.9, 0.95], [0.2, 0.4, np.nan]), 1.0, 0.0, 2)
    assert "95.0 %" in text and "MSE 40.0 %" in text


def test_on_the_confidently_wrong_start():
    """The page's preset (blobs, seeds 0, σ = 10, η = 0.5, 200 epochs): the sentence's accuracies are those of the
    final weights, recomputed here from argmax(X Wᵀ + b)."""
    X, y = core.make_dataset("blobs", 50, 2, 0)
    W0, b0 = core.init_params(2, 3, 0, scale=10.0)
    hists = {k: core.train(X, y, W0, b0, 0.5, 200, k) for k in core.LOSSES}
    acc = {k: np.mean(np.argmax(X @ h.W.T + h.b, axis=1) == y) for k, h in hists.items()}
    text = chain.comparison_sentence({k: (h.loss, h.accuracy, h.diverged_at) for k, h in hists.items()}, 10.0,
                                     chain.confidently_wrong(X, y, W0, b0), 200)
    assert f"classifies {100 * acc['cross_entropy']:.1f} %" in text and f"MSE {100 * acc['mse']:.1f} %" in text
    assert ("keeps the factor $S_j$" in text) == (acc["cross_entropy"] - acc["mse"] >= 0.25)


def test_curves_data_pads_a_diverged_run_with_nan():
    data = curves_data({"mse": (np.array([1.0, 0.5]), np.array([0.3, 0.6]), 1),
                        "cross_entropy": (np.array([1.0, 0.4, 0.2, 0.1]), np.array([0.3, 0.7, 0.8, 0.9]), None)}, 3)
    assert list(data) == ["epoch", "MSE loss", "MSE accuracy", "Cross-entropy loss", "Cross-entropy accuracy"]
    assert data["epoch"].tolist() == [0, 1, 2, 3]
    assert data["MSE accuracy"][:2].tolist() == [0.3, 0.6] and np.isnan(data["MSE accuracy"][2:]).all()
    assert data["Cross-entropy loss"].tolist() == pytest.approx([1.0, 0.4, 0.2, 0.1])
