"""The Training page's "confidently wrong start": with initial weight scale 10 on blobs (seeds 0), cross-entropy reaches
100 % and MSE stays put. Checked with core.train and with an independent gradient-descent loop written here, then on
the page (preset button, URL, the accuracy curves and the sentence that reports them)."""

import numpy as np
import pytest
from apptest_util import arr, figures, open_page
from oracles import ref_softmax

import core

PAGE = "pages/training.py"


def independent_gd(X, y, W, b, lr, epochs, loss):
    """Full-batch gradient descent from the definitions (mean loss over rows), autograd-free: CE's S − Y and MSE's
    J^T 2(S − Y) with J = diag(S) − S Sᵀ per row. Returns the accuracy after the last step."""
    Y = np.eye(3)[y]
    m = len(y)
    for _ in range(epochs):
        Z = X @ W.T + b
        S = ref_softmax(Z)
        if loss == "cross_entropy":
            dZ = (S - Y) / m
        else:
            G = 2 * (S - Y) / m
            dZ = np.einsum("ri,rij->rj", G, np.einsum("ri,ij->rij", S, np.eye(3)) - S[:, :, None] * S[:, None, :])
        W, b = W - lr * dZ.T @ X, b - lr * dZ.sum(axis=0)
    return float(np.mean(np.argmax(X @ W.T + b, axis=1) == y))


def test_scale_10_on_blobs_ce_reaches_100_and_mse_stalls():
    X, y = core.make_dataset("blobs", 50, 2, 0)
    W0, b0 = core.init_params(2, 3, 0, scale=10.0)
    S0 = ref_softmax(X @ W0.T + b0)
    assert np.mean(S0[np.arange(len(y)), y] < 0.01) > 0.9  # confidently wrong at the start
    ce = core.train(X, y, W0, b0, 0.5, 200, "cross_entropy")
    mse = core.train(X, y, W0, b0, 0.5, 200, "mse")
    assert ce.accuracy[-1] == 1.0 and mse.accuracy[-1] <= 0.05
    assert independent_gd(X, y, W0.copy(), b0.copy(), 0.5, 200, "cross_entropy") == 1.0
    assert independent_gd(X, y, W0.copy(), b0.copy(), 0.5, 200, "mse") == pytest.approx(mse.accuracy[-1])
    # at the default scale both learn: the difference is the start, not the data
    W1, b1 = core.init_params(2, 3, 0, scale=0.1)
    assert core.train(X, y, W1, b1, 0.5, 200, "mse").accuracy[-1] == 1.0


def test_preset_button_sets_the_start_and_the_page_reports_the_gap():
    at = open_page(PAGE, {"data": "spirals", "lr": "0.1"}, timeout=90)
    assert not at.exception
    next(b for b in at.button if "confidently wrong" in b.label).click().run()
    assert not at.exception
    qp = at.query_params
    assert (qp["wscale"], qp["data"], qp["iseed"], qp["dseed"], qp["lr"], qp["epochs"]) == ("10", "blobs", "0", "0", "0.5", "200")
    curves = figures(at)[1]
    acc = {t["name"]: arr(t["y"]) for t in curves["data"] if t["name"].endswith("accuracy")}
    assert acc["Cross-entropy accuracy"][-1] == 100.0 and acc["MSE accuracy"][-1] == 0.0
    axes = {t["name"]: t["yaxis"] for t in curves["data"]}
    assert axes["Cross-entropy loss"] != axes["MSE loss"]  # each loss on its own axis
    text = " ".join(m.value for m in at.markdown)
    assert "cross-entropy classifies 100.0 %" in text and "MSE 0.0 %" in text and "keeps the factor" in text


def test_weight_scale_is_a_url_param_and_changes_the_curves():
    at = open_page(PAGE, {"wscale": "3"}, timeout=90)
    assert not at.exception and at.select_slider(key="w_wscale").value == 3.0
    before = figures(at)[1]["data"]
    at.select_slider(key="w_wscale").set_value(0.1).run()
    assert at.query_params["wscale"] == "0.1" and figures(at)[1]["data"] != before
    text = " ".join(m.value for m in at.markdown)
    assert "keeps the factor" not in text  # both reach 100 %: the claim is not made


def test_locked_controls_disable_the_preset():
    at = open_page(PAGE, {"lock": "wscale"}, timeout=90)
    assert next(b for b in at.button if "confidently wrong" in b.label).disabled
