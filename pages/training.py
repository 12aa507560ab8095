"""Training: the seed's network (D inputs, W 3×D, b, 3 softmax outputs) learns by gradient descent with the S − y gradient."""

import numpy as np
import streamlit as st

import core
from core import chain, fmt, state
from figures.palette import label
from figures.training_figs import curves_data, curves_figure, training_animation
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="Training: the S − y gradient at work",
    intro=(
        "The seed's network: $D$ inputs, weights $W$ ($3 \\times D$) and bias $b$, then softmax over 3 outputs, "
        "$z = Wx + b$, $S = \\operatorname{softmax}(z)$ (no temperature here: $T = 1$). "
        "Full-batch gradient descent uses the chain rule of the previous page: for cross-entropy "
        "$\\partial L/\\partial z = S - y$, so $W \\leftarrow W - \\eta\\,"
        "\\frac{1}{m}\\sum (S - y)\\,x^\\top$. Press ▶ under the regions to watch them move with the loss curve."
    ),
)


# ---- controls --------------------------------------------------------------------------------------
where = ui.panel(ctx)
data = ui.control(ctx, "data", st.selectbox, where, label="Data set", options=list(core.DATASETS),
                  format_func=lambda k: core.DATASETS[k][0])
loss = ui.control(ctx, "loss", st.radio, where, label="Loss", options=list(core.LOSSES),
                  format_func=lambda k: core.LOSSES[k].label, horizontal=True)
lr = ui.control(ctx, "lr", st.select_slider, where, label="Learning rate η (log steps)",
                options=ui.steps_with(ctx, "lr", state.LR_STEPS), format_func=lambda v: f"{v:g}")
epochs = ui.control(ctx, "epochs", st.slider, where, label="Epochs", min_value=1, max_value=1000, step=1)
more = where.expander("Data and initialisation", expanded=False)
D = ui.control(ctx, "D", st.slider, more, label="Input dimension D", min_value=2, max_value=10, step=1)
m = ui.control(ctx, "m", st.slider, more, label="Points per class", min_value=5, max_value=200, step=1)
dseed = ui.control(ctx, "dseed", st.number_input, more, label="Data seed", min_value=0, max_value=999_999, step=1)
iseed = ui.control(ctx, "iseed", st.number_input, more, label="Init seed", min_value=0, max_value=999_999, step=1)
wscale = ui.control(ctx, "wscale", st.select_slider, more, label="Initial weight scale σ (W ~ N(0, σ²))",
                    options=ui.steps_with(ctx, "wscale", state.WSCALE_STEPS), format_func=lambda v: f"{v:g}")
# A start where the two losses part ways: large random weights make the network confidently wrong on most points
# (verified in tests/test_training_start.py: blobs, seeds 0, CE reaches 100 %, MSE stays at 0 %).
WRONG_START = {"data": "blobs", "D": 2, "m": 50, "dseed": 0, "iseed": 0, "wscale": 10.0, "lr": 0.5, "epochs": 200}

where.button("Preset: a confidently wrong start", on_click=ui.preset, args=(WRONG_START,), icon=":material/bolt:",
             disabled=bool(ctx.locked & set(WRONG_START)),
             help="Blobs, seeds 0, initial weight scale 10, η = 0.5, 200 epochs: most points start far on the wrong side.")


# ---- train (cached: pure, keyed on small inputs; each caller gets its own copy) ---------------------
# Both losses are trained for the comparison below, so the loss is not part of the key: switching it is a cache hit.
@st.cache_data(max_entries=48, show_spinner="Training…")
def run(data: str, D: int, m: int, dseed: int, iseed: int, wscale: float, lr: float, epochs: int) -> dict:
    X, y = core.make_dataset(data, m, D, dseed)
    W0, b0 = core.init_params(D, 3, iseed, scale=wscale)
    hists = {k: core.train(X, y, W0, b0, lr, epochs, k) for k in core.LOSSES}
    return {"X": X, "y": y, "hists": hists, "wrong0": chain.confidently_wrong(X, y, W0, b0)}


@st.cache_data(max_entries=48)
def frames(key: tuple, loss: str, _X, _h) -> tuple:
    """(U, box, polys): the animation's regions for the chosen loss only. ``key`` (run's arguments) and the loss
    determine the data and the history, so those (underscored) are not hashed."""
    return chain.region_frames(_X, _h.snapshot_W, _h.snapshot_b)


key = (data, int(D), int(m), int(dseed), int(iseed), float(wscale), float(lr), int(epochs))
r = run(*key)
U, box, polys = frames(key, loss, r["X"], r["hists"][loss])
hists = {loss: r["hists"][loss], **r["hists"]}  # the chosen loss first, as the comparison lists them
X, y, h = r["X"], r["y"], hists[loss]
snaps = [int(e) for e in h.snapshot_epochs]
if h.diverged:
    st.error(h.message, icon=":material/error:")
elif h.loss[-1] > h.loss[0]:
    st.warning(h.message, icon=":material/trending_up:")
else:
    st.success(h.message, icon=":material/trending_down:")
last = snaps[-1]  # the last epoch with sane weights (before a divergence)
c1, c2, c3, c4 = st.columns(4)
c1.metric("Final loss", f"{h.loss[last]:.4g}", f"{h.loss[last] - h.loss[0]:+.3g} since epoch 0", delta_color="inverse")
c2.metric("Accuracy", f"{100 * h.accuracy[last]:.1f} %", f"{100 * (h.accuracy[last] - h.accuracy[0]):+.1f} points")
c3.metric("Epochs trained", f"{last} / {epochs}", "diverged" if h.diverged else None, delta_color="off")
c4.metric("Samples m", f"{len(y)} (3 × {m})")

# ---- inspector controls: keep the URL's values valid for this data and these snapshots -------------
ui.keep_valid(ctx, "s", lambda v: 1 <= v <= len(y), lambda v: min(max(int(v), 1), len(y)))
opts = [*snaps[:-1], -1]
ui.keep_valid(ctx, "at", lambda v: v in opts, lambda v: max([e for e in snaps[:-1] if e <= v] or [-1]) if v >= 0 else -1)

# ---- the animation: regions over the data, marker on the loss curve ---------------------------------
proj = "" if D == 2 else f" (D = {D}: drawn on the plane of the first two principal components through the data mean)"
axis_titles = ("x₁", "x₂") if D == 2 else ("PC 1", "PC 2")
snap_loss, snap_acc = h.loss[snaps], h.accuracy[snaps]
fig = training_animation(U, y, polys, snaps, snap_loss, snap_acc, h.loss, box, axis_titles,
                         diverged_at=h.diverged_at, loss_name=loss, dark=ctx.dark)
ui.chart(ctx, fig, "regions",
         alt=f"Decision regions of the 3 classes over {len(y)} points{proj}, animated over {len(snaps)} snapshots "
             f"from epoch 0 to {snaps[-1]}; beside it the loss goes from {h.loss[0]:.3g} to {h.loss[last]:.3g}.",
         data={"epoch": snaps, "loss": snap_loss, "accuracy": snap_acc})
st.caption("Each region is where its output $S_k$ is the largest; points are coloured and shaped by their true class. "
           "The regions of a linear layer are convex polygons; on spirals no placement of them can be right." + proj)

# ---- CE vs MSE on the same data, init and lr ---------------------------------------------------------
curves = {k: (hh.loss, hh.accuracy, hh.diverged_at) for k, hh in hists.items()}
st.markdown(chain.comparison_sentence(curves, wscale, r["wrong0"], epochs))
ui.chart(ctx, curves_figure(curves, dark=ctx.dark), "ce-vs-mse",
         alt="Loss and accuracy per epoch for cross-entropy and MSE on the same data, initial weights and learning rate: "
             + "; ".join(f"{core.LOSSES[k].label} ends at loss {hh.loss[np.isfinite(hh.loss)][-1]:.3g}"
                         for k, hh in hists.items()),
         data=curves_data(curves, epochs))


# ---- training inspector (a section: its controls rerun only this panel) ----------------------------
@ui.section(ctx)
def inspector():
    st.subheader("Inspector: one sample, one update")
    a, b_ = st.columns(2)
    at = ui.control(ctx, "at", st.select_slider, a, label="Snapshot epoch", options=opts,
                    format_func=lambda e: f"last ({snaps[-1]})" if e == -1 else str(e))
    s = ui.control(ctx, "s", st.number_input, b_, label=f"Sample (1 … {len(y)})", min_value=1, max_value=len(y), step=1)
    f = snaps.index(snaps[-1] if at == -1 else at)
    W, b = h.snapshot_W[f], h.snapshot_b[f]
    sg = chain.sample_grad(X[s - 1], y[s - 1], W, b, loss)
    vec = mat = fmt.pmatrix
    delta = "S - y" if loss == "cross_entropy" else r"S \odot (g - g\cdot S)"
    st.markdown(f"Sample {s} is class **{y[s - 1] + 1}**, at epoch {snaps[f]}: "
                f"$x^\\top = ({', '.join(fmt.tex(v) for v in sg.x)})$.")
    ui.latex(rf"S = {vec(sg.S)},\quad y = {vec(sg.Y)},\quad \delta = \frac{{\partial L}}{{\partial z}} = {delta} "
             rf"= {vec(sg.delta_shortcut)}")
    ui.latex(rf"\Delta W = -\eta\,\delta\,x^\top = -{lr:g}\,\delta\,x^\top = {mat(-lr * np.outer(sg.delta_shortcut, sg.x))}")
    st.caption("ΔW is the step this sample alone would make (stochastic gradient descent); the full-batch step averages "
               "these over all samples, which is what the training above does.")

    st.markdown("**The same gradient two ways.** Explicitly through the chain rule, $\\delta = J^\\top g$ with the "
                "$3\\times 3$ Jacobian $J = \\operatorname{diag}(S) - SS^\\top$ and $g = \\partial L/\\partial S$, "
                + ("against the shortcut $S - y$:" if loss == "cross_entropy" else
                   "against MSE's closed form, the VJP $S \\odot (g - g\\cdot S)$: MSE has a closed form too, but "
                   "nothing in it cancels, so the Jacobian's factors stay (there is no $S - y$ shortcut):"))
    ui.latex(rf"J = {mat(sg.J)},\qquad g = {vec(sg.g)}", copy=False)
    ui.latex(rf"J^\top g = {vec(sg.delta_explicit)}\quad\text{{vs.}}\quad {delta} = {vec(sg.delta_shortcut)}", copy=False)
    gap, overflow = chain.batch_grad_gap(X, y, W, b, loss)
    c1, c2 = st.columns(2)
    via = "S − y" if loss == "cross_entropy" else "VJP"
    c1.metric(f"max |ΔW explicit − ΔW {via}|, sample {s}", "overflow" if np.isnan(sg.max_diff) else fmt.num(sg.max_diff, 2))
    c2.metric(f"max |∂L/∂W explicit − core|, all {len(y)} samples",
              f"overflow in {overflow}" if overflow else fmt.num(gap, 2))
    if overflow or np.isnan(sg.max_diff):
        st.warning(f"For {overflow} sample(s) $S_y$ underflowed to 0, so $g_y = -1/S_y = -\\infty$ and the explicit route "
                   "gives NaN. The shortcut $S - y$ never divides by $S_y$: it is the same maths, cancelled before computing.",
                   icon=":material/warning:")
    rows = "".join(f"\n| {label('z', k)} | {sg.delta_explicit[k]:.6g} | {sg.delta_shortcut[k]:.6g} |" for k in range(3))
    head = "S − y" if loss == "cross_entropy" else "VJP S⊙(g − g·S)"
    st.markdown(f"| | explicit Jᵀg | {head} |\n|:--|--:|--:|{rows}")  # not a grid: cheap


inspector()
ui.show_code(core.gradient_step, chain.sample_grad)  # the readable step; core.train is the same maths, faster
ui.end(ctx)
