"""The layer around softmax: z = Wx + b for the Training page's network, ∂L/∂W = (S − Y)ᵀX/m with its shapes, checked
live against central differences, one sample's share, the Training page's step, and "expected minus observed"; one
step each (pages/_ui/registry.py holds their titles). Every gradient and check comes from core.layer."""

import numpy as np
import streamlit as st

import core
from core import fmt
from core import layer as lay
from figures.layer_figs import dW_heatmap, expectation_figure, shapes_figure
from figures.palette import label
from pages import _ui as ui
from pages._ui.claims import claims

ctx = ui.begin(
    __file__,
    title="The layer",
    intro=(
        "The Training page's network is one layer: $z = Wx + b$, $S = \\operatorname{softmax}(z)$, and the loss is "
        "the mean cross-entropy over a batch of $m$ samples ($T = 1$ there). The chain rule of the earlier lessons "
        "gives $\\partial L/\\partial z = (S - y)/m$ per sample; one more product gives the weights' gradient."
    ),
)
H = 1e-4  # the central differences' step: ∂L/∂X's entries carry 1/m, so rounding (ε·L/h) must stay far below them
CHECK_CELLS = 320  # the check differentiates every entry of X: at most this many (samples × D), a sub-batch beyond


@st.cache_data(max_entries=32, show_spinner=False)
def network(data: str, D: int, m: int, dseed: int, iseed: int, wscale: float):
    """The Training page's batch and initial weights for these settings: X (3m, D), labels y (3m,), W (3, D), b (3,)."""
    X, y = core.make_dataset(data, m, D, dseed)
    W, b = core.init_params(D, 3, iseed, scale=wscale)
    return X, y, W, b


@st.cache_data(max_entries=32, show_spinner="Differentiating the loss numerically, entry by entry…")
def checked(data: str, D: int, m: int, dseed: int, iseed: int, wscale: float):
    """The gradients, central differences and claims on the batch, or on an evenly spread sub-batch of it."""
    X, y, W, b = network(data, D, m, dseed, iseed, wscale)
    keep = np.unique(np.linspace(0, len(y) - 1, max(3, min(len(y), CHECK_CELLS // D))).astype(int))
    X, y = X[keep], y[keep]
    fd = lay.fd_layer_grads(X, y, W, b, H)
    return len(y), lay.layer_grads(X, y, W, b), fd, lay.layer_checks(X, y, W, b, H, fd=fd)


def batch():
    """The network from the params (each step draws only its own controls; the others keep their values)."""
    p = ctx.params
    ctx.use("data", "D", "m", "dseed", "iseed", "wscale")  # the step's figures depend on all of them (export names)
    key = (p["data"], int(p["D"]), int(p["m"]), int(p["dseed"]), int(p["iseed"]), float(p["wscale"]))
    return key, *network(*key)


@ui.step(ctx)
def shapes():
    where = ui.panel(ctx)
    ui.control(ctx, "data", where)
    ui.control(ctx, "D", where)
    ui.control(ctx, "m", where)
    X = batch()[1]
    M, D = X.shape
    ui.chart(ctx, shapes_figure(M, D, 3, ctx.dark, height=300, screen=ctx.screen), "layer-shapes",
             alt=f"Three blocks: (S − Y) transposed, 3 by {M}, times X, {M} by {D}, equals dL/dW, 3 by {D}.",
             data=lay.shapes_table(M, D, 3))
    ui.table(lay.shapes_table(M, D, 3), static=True)
    st.caption(f"The batch: m = {M} samples (3 classes × {ctx.params['m']}), D = {D} inputs, n = 3 classes. "
               "∂L/∂W sums (S − Y)ᵀX over the batch index and divides by m: the mean loss's gradient.")


@ui.step(ctx)
def check():
    where = ui.panel(ctx)
    ui.control(ctx, "dseed", where)
    ui.control(ctx, "iseed", where)
    ui.control(ctx, "wscale", where)
    key, X, y, _, _ = batch()
    rows, g, fd, checks = checked(*key)
    ui.chart(ctx, dW_heatmap(g.dL_dW, fd["dL_dW"], ctx.dark, height=330, screen=ctx.screen), "layer-dW",
             alt=f"Heatmap of dL/dW, 3 rows (classes) by {X.shape[1]} columns (inputs); hovering a cell shows the "
                 f"central difference f beside it.",
             data={"entry": [f"∂L/∂W{label('', k)},{d + 1}" for k in range(3) for d in range(X.shape[1])],
                   "(S − Y)ᵀX/m": g.dL_dW.ravel(), "central difference": fd["dL_dW"].ravel()})
    claims(checks)
    part = ("the whole batch" if rows == len(y) else
            f"{rows} of the {len(y)} samples, evenly spread (a check per entry of X costs two losses)")
    st.caption(f"Checked on {part}, with h = {fmt.prose(H)}, against CS231n's 10⁻⁷, the gradient-check lesson's "
               "'good'. Every gradient of the mean loss carries 1/m, so its entries are small next to the loss L, and "
               "FD's own error (rounding ε·|L|/h, truncation h²) can exceed 10⁻⁷ of them: where it does, and the "
               "formula is within that error, the row reads ⚠ (the measure, not the gradient), as in that lesson.")


@ui.step(ctx)
def sample():
    _, X, y, W, b = batch()
    M = len(y)
    ui.keep_valid(ctx, "s", lambda v: 1 <= v <= M, lambda v: min(max(int(v), 1), M))
    r = ui.control(ctx, "s", ui.panel(ctx), widget="slider", label="Sample r", max_value=M) - 1
    P = lay.per_sample_dW(X, y, W, b)
    g = lay.layer_grads(X, y, W, b)
    ui.chart(ctx, dW_heatmap(P[r], dark=ctx.dark, height=330, screen=ctx.screen,
                             title=f"Sample {r + 1}'s share: (S − y)xᵀ/m"), "layer-sample",
             alt=f"Heatmap of sample {r + 1}'s share of dL/dW: the outer product of S − y (3 classes) and x.",
             data={"class": [str(k + 1) for k in range(3)], "S − y": g.dL_dZ[r] * M, **{
                 label("x", d): P[r][:, d] for d in range(X.shape[1])}})
    st.markdown(f"Sample {r + 1} (class {int(y[r]) + 1}): S − y = {fmt.prose_vector(g.dL_dZ[r] * M)}, "
                f"x = {fmt.prose_vector(X[r])}. "
                f"Its ∂L/∂x = Wᵀ(S − y)/m = {fmt.prose_vector(g.dL_dX[r])}: where the input itself would move.")
    gap = float(np.abs(P.sum(axis=0) - g.dL_dW).max())
    st.caption(f"Σ over the {M} samples of their shares − ∂L/∂W: at most {fmt.prose(gap)} "
               "(float64 rounding): the batch's gradient is the mean of the outer products.")


@ui.step(ctx)
def training():
    lr = ui.control(ctx, "lr", ui.panel(ctx))
    _, X, y, W, b = batch()
    tie = lay.training_tie(X, y, W, b, lr)
    ui.chart(ctx, dW_heatmap(tie["dW"], dark=ctx.dark, height=330, screen=ctx.screen, title="ΔW = −η·∂L/∂W"),
             "layer-step", alt=f"Heatmap of the update −η dL/dW with η = {fmt.num(lr)}, 3 rows by {X.shape[1]} columns.",
             data={"entry": [f"ΔW{label('', k)},{d + 1}" for k in range(3) for d in range(X.shape[1])],
                   "this lesson": tie["dW"].ravel(), "Training page": tie["dW_training"].ravel()})
    st.markdown(tie["sentence"])
    ui.page_link("pages/training.py", label="Train these weights", icon=":material/arrow_forward:")


@ui.step(ctx)
def expected():
    z, T = ui.logit_controls(ctx)
    n = len(z)
    where = ui.panel(ctx)
    a, b = where.columns(2)
    draws = ui.control(ctx, "draws", a)
    seed = ui.control(ctx, "eseed", b)
    o = lay.sampled_expectation(z, draws, seed, T)
    ui.chart(ctx, expectation_figure(o["count"], o["mean"], o["S"], ctx.dark, height=400, screen=ctx.screen),
             "layer-expected", alt=f"Running share of each class among {draws} draws from S, one line per class, "
                                   f"settling on the dotted S; largest gap at the end {fmt.num(float(o['error'][-1]))}.",
             data={"draws": o["count"], **{f"share of class {k + 1}": o["mean"][:, k] for k in range(n)}})
    # y moves the gradient below, not the draws (which never see it): its control sits with the table
    ui.clamp_index(ctx, "y", n)
    y = ui.control(ctx, "y", label="Observed class y")
    e = lay.expected_minus_observed(z, y - 1, T)
    st.markdown(e.sentence)
    per = "" if T == 1 else "/T"
    ui.table({"class k": [str(k + 1) for k in range(n)], "expected Sₖ": [fmt.fixed(v, 4, probability=True) for v in e.expected],
              f"observed (e{label('', y - 1)})ₖ": [fmt.fixed(v, 0) for v in e.observed],
              f"∂L/∂zₖ = (expected − observed){per}": [fmt.signed(v) for v in e.grad]}, static=True)
    ui.show_code(lay.layer_grads, lay.expected_minus_observed)


ui.end(ctx)
