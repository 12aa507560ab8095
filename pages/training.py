"""Training: the seed's network (D inputs, W 3×D, b, 3 softmax outputs) learns by full-batch gradient descent: the
regions, both losses from one start, one sample's update, and the gradient two ways; one step each (their titles are
in pages/_ui/registry.py)."""

from types import SimpleNamespace

import numpy as np
import streamlit as st

import core
from core import chain, fmt
from figures.palette import label
from figures.training_figs import curves_data, curves_figure, training_animation
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="Training: gradient descent at work",
    intro=(
        "The seed's network, $z = Wx + b$ ($D$ inputs, $W$ is $3 \\times D$) and $S = \\operatorname{softmax}(z)$ at $T = 1$, "
        "learns by full-batch gradient descent, $W \\leftarrow W - \\eta\\,\\frac{1}{m}\\sum \\delta\\,x^\\top$ with "
        "$\\delta = \\partial L/\\partial z$ from the chain rule."
    ),
)

# A start where the two losses part ways: large random weights make the network confidently wrong on most points
# (verified in tests/test_training_start.py: blobs, seeds 0, CE reaches 100 %, MSE stays at 0 %).
WRONG_START = {"data": "blobs", "D": 2, "m": 50, "dseed": 0, "iseed": 0, "wscale": 10.0, "lr": 0.5, "epochs": 200}
MORE = ("D", "m", "dseed", "iseed", "wscale")  # folded away under "Data and initialisation"


def plural(k: int, word: str) -> str:
    return f"{k} {word}" if k == 1 else f"{k} {word}s"


def change(v: float, text, suffix: str, better: int) -> dict:
    """A metric's change as st.metric's delta, arrow and colour: "+" before a rise, the typographic "−" before a fall
    (core.fmt). st.metric reads a fall from a leading hyphen-minus only, so the arrow and the colour are given here:
    ``better`` = +1 where a rise is good (accuracy), −1 where a fall is (loss)."""
    if v == 0:
        return {"delta": text(v) + suffix, "delta_arrow": "off", "delta_color": "gray"}
    good = (v > 0) == (better > 0)
    return {"delta": ("+" if v > 0 else "") + text(v) + suffix, "delta_arrow": "up" if v > 0 else "down",
            "delta_color": "green" if good else "red"}


# ---- train (cached: pure, keyed on small inputs; each caller gets its own copy) ---------------------
@st.cache_data(max_entries=48, show_spinner=False)
def start(data: str, D: int, m: int, dseed: int, iseed: int, wscale: float) -> dict:
    """The batch, the initial weights, and how many points they put confidently on the wrong side."""
    X, y = core.make_dataset(data, m, D, dseed)
    W0, b0 = core.init_params(D, 3, iseed, scale=wscale)
    return {"X": X, "y": y, "W0": W0, "b0": b0, "wrong0": chain.confidently_wrong(X, y, W0, b0)}


# One loss per entry: the steps that show one loss train only it (the comparison step trains both), so a new setting
# there costs one training, not two.
@st.cache_data(max_entries=96, show_spinner="Training…")
def run(data: str, D: int, m: int, dseed: int, iseed: int, wscale: float, lr: float, epochs: int, loss: str):
    s = start(data, D, m, dseed, iseed, wscale)
    return core.train(s["X"], s["y"], s["W0"], s["b0"], lr, epochs, loss)


@st.cache_data(max_entries=48)
def frames(key: tuple, loss: str, _X, _h) -> tuple:
    """(U, box, polys): the animation's regions for the chosen loss only. ``key`` (run's arguments) and the loss
    determine the data and the history, so those (underscored) are not hashed."""
    return chain.region_frames(_X, _h.snapshot_W, _h.snapshot_b)


def draw(names) -> None:
    """The training controls a step's figure needs, in the step's control column (each drawn once per run)."""
    where = ui.panel(ctx)
    own = {"loss": {"format_func": lambda k: core.LOSSES[k].label, "horizontal": True}}  # short names: a narrow column
    more = None
    for name in (k for k in names if k != "preset"):
        if name in MORE and more is None and name not in ctx.drawn:
            more = where.expander("Data and initialisation", expanded=False)
        ui.control(ctx, name, more if name in MORE else where, **own.get(name, {}))
    if "preset" in names and "preset" not in ctx.drawn and not set(WRONG_START) & ctx.hidden:  # it would set a hidden value
        ctx.drawn.add("preset")
        where.button("Preset: a confidently wrong start", on_click=ui.preset, args=(WRONG_START,), icon=":material/bolt:",
                     disabled=bool(ctx.locked & set(WRONG_START)), key="preset_wrong",
                     help="Blobs, seeds 0, initial weight scale 10, η = 0.5, 200 epochs: most points start far on the "
                          "wrong side.")


def trained(*names, both: bool = False) -> SimpleNamespace:
    """Draw ``names`` (the rest come from the link), train (cached) the chosen loss, or ``both`` losses (chosen first),
    and keep the inspector's params valid."""
    draw(names)
    ctx.use("data", "lr", "epochs", *MORE)  # the run depends on all of them (export names), drawn or not
    p = ctx.params
    key = (p["data"], int(p["D"]), int(p["m"]), int(p["dseed"]), int(p["iseed"]), float(p["wscale"]), float(p["lr"]),
           int(p["epochs"]))
    r = start(*key[:6])
    loss = p["loss"]
    h = run(*key, loss)
    hists = {loss: h, **{k: run(*key, k) for k in core.LOSSES if k != loss and both}}
    snaps = [int(e) for e in h.snapshot_epochs]
    ui.keep_valid(ctx, "s", lambda v: 1 <= v <= len(r["y"]), lambda v: min(max(int(v), 1), len(r["y"])))
    opts = [*snaps[:-1], -1]
    ui.keep_valid(ctx, "at", lambda v: v in opts,
                  lambda v: max([e for e in snaps[:-1] if e <= v] or [-1]) if v >= 0 else -1)
    return SimpleNamespace(key=key, X=r["X"], y=r["y"], wrong0=r["wrong0"], loss=loss, h=h,
                           hists=hists, snaps=snaps, last=snaps[-1], opts=opts, lr=float(p["lr"]),
                           epochs=int(p["epochs"]), D=int(p["D"]), m=int(p["m"]), wscale=float(p["wscale"]))


def status(t: SimpleNamespace) -> None:
    """The run's verdict: a success only when the loss fell and the accuracy rose."""
    h, last, name = t.h, t.last, core.LOSSES[t.loss].label
    loss0, loss1 = fmt.num(h.loss[0], 4), fmt.num(h.loss[last], 4)
    acc0, acc1 = (fmt.fixed(100 * h.accuracy[e], 1) for e in (0, last))
    if h.diverged:
        st.error(h.message, icon=":material/error:")
    elif h.loss[last] > h.loss[0]:
        st.warning(f"The {name} loss rose from {loss0} to {loss1} in {plural(t.epochs, 'epoch')}: the learning rate "
                   f"{fmt.prose(t.lr)} overshoots; lower it.", icon=":material/trending_up:")
    elif h.accuracy[last] > h.accuracy[0]:
        st.success(f"Trained {plural(t.epochs, 'epoch')}: {name} loss {loss0} → {loss1}, accuracy {acc0} % → {acc1} %.",
                   icon=":material/trending_down:")
    else:
        st.info(f"Trained {plural(t.epochs, 'epoch')}: the {name} loss went from {loss0} to {loss1}, but the accuracy "
                + (f"stayed at {acc1} %." if acc0 == acc1 else f"fell from {acc0} % to {acc1} %."),
                icon=":material/trending_flat:")


@ui.step(ctx)
def regions():
    t = trained("data", "loss", "lr", "epochs", *MORE, "preset")
    h, y, snaps, last = t.h, t.y, t.snaps, t.last
    U, box, polys = frames(t.key, t.loss, t.X, h)
    proj = "" if t.D == 2 else f" (D = {t.D}: drawn on the plane of the first two principal components through the data mean)"
    snap_loss, snap_acc = h.loss[snaps], h.accuracy[snaps]
    fig = training_animation(U, y, polys, snaps, snap_loss, snap_acc, h.loss, box, ("x₁", "x₂") if t.D == 2 else ("PC 1", "PC 2"),
                             diverged_at=h.diverged_at, loss_name=t.loss, dark=ctx.dark,
                             height=(450 if ctx.present else 390) if ctx.stepped else 600, screen=ctx.screen)
    ui.chart(ctx, fig, "regions",
             alt=f"Decision regions of the 3 classes over {len(y)} points{proj}, animated over {len(snaps)} snapshots "
                 f"from epoch 0 to {last}; beside it the loss goes from {fmt.num(h.loss[0])} to {fmt.num(h.loss[last])}.",
             data={"epoch": snaps, "loss": snap_loss, "accuracy": snap_acc})
    status(t)
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Final loss", fmt.num(h.loss[last], 4), **change(h.loss[last] - h.loss[0], fmt.num, " since epoch 0", -1))
    c2.metric("Accuracy", f"{fmt.fixed(100 * h.accuracy[last], 1)} %",
              **change(h.accuracy[last] - h.accuracy[0], lambda v: fmt.fixed(100 * v, 1), " points", +1))
    c3.metric("Epochs trained", f"{last} / {t.epochs}", "diverged" if h.diverged else None, delta_color="off")
    c4.metric("Samples m", f"{len(y)} (3 × {t.m})")
    st.caption("Each region is where its output $S_k$ is the largest; points are coloured and shaped by their true class. "
               "The regions of a linear layer are convex polygons; on spirals no placement of them can be right." + proj)


@ui.step(ctx)
def losses():
    t = trained("data", "lr", "epochs", *MORE, "preset", both=True)
    curves = {k: (hh.loss, hh.accuracy, hh.diverged_at) for k, hh in t.hists.items()}
    ui.chart(ctx, curves_figure(curves, dark=ctx.dark), "ce-vs-mse",
             alt="Loss and accuracy per epoch for cross-entropy and MSE on the same data, initial weights and learning "
                 "rate: " + "; ".join(f"{core.LOSSES[k].label} ends at loss {fmt.num(hh.loss[np.isfinite(hh.loss)][-1])}"
                                      for k, hh in t.hists.items()),
             data=curves_data(curves, t.epochs))
    # the sentence (core) places the chart "below"; in a step the chart is above it, so the place is dropped
    st.markdown(chain.comparison_sentence(curves, t.wscale, t.wrong0, t.epochs).replace(" own axis below:", " own axis:"))
    st.markdown("Cross-entropy is $L = -\\frac1m\\sum_r \\log S_{r,y_r}$. MSE here is "
                "$L = \\frac1m\\sum_r \\sum_{k=1}^{3} (S_{rk} - y_{rk})^2$: a **sum over the 3 classes**, averaged over the "
                "$m$ samples. PyTorch's `nn.MSELoss()` takes the mean over all $3m$ entries instead, so its loss and its "
                "gradient are ⅓ of these (`reduction=\"sum\"` divided by $m$ gives this one).")


def inspected(t: SimpleNamespace):
    """The inspector's controls (snapshot epoch, sample) and that sample's gradient at that snapshot."""
    snaps = t.snaps
    at = ui.control(ctx, "at", ui.panel(ctx), widget="select_slider", label="Snapshot epoch", options=t.opts,
                    format_func=lambda e: f"last ({snaps[-1]})" if e == -1 else str(e))
    s = ui.control(ctx, "s", ui.panel(ctx), label=f"Sample (1 … {len(t.y)})", max_value=len(t.y))
    f = snaps.index(snaps[-1] if at == -1 else at)
    W, b = t.h.snapshot_W[f], t.h.snapshot_b[f]
    return s, snaps[f], W, b, chain.sample_grad(t.X[s - 1], t.y[s - 1], W, b, t.loss)


@ui.step(ctx)
def update():
    t = trained("loss", "lr")
    s, epoch, _, _, sg = inspected(t)
    vec = mat = fmt.pmatrix
    delta = "S - y" if t.loss == "cross_entropy" else r"S \odot (g - g\cdot S)"
    ui.latex(rf"S = {vec(sg.S)},\quad y = {vec(sg.Y)},\quad \delta = \frac{{\partial L}}{{\partial z}} = {delta} "
             rf"= {vec(sg.delta_shortcut)}")
    dW = -t.lr * np.outer(sg.delta_shortcut, sg.x)
    if t.D <= 4:  # the matrix on a line of its own: it fits a phone
        ui.latex(rf"\begin{{aligned}}\Delta W &= -\eta\,\delta\,x^\top = -{fmt.tex(t.lr)}\,\delta\,x^\top \\ "
                 rf"&= {mat(dW)}\end{{aligned}}")
    else:  # D columns would not fit the column: the same numbers as D rows of 3
        ui.latex(rf"\begin{{aligned}}\Delta W^\top &= -\eta\,x\,\delta^\top = -{fmt.tex(t.lr)}\,x\,\delta^\top \\ "
                 rf"&= {mat(dW.T)}\end{{aligned}}")
    st.markdown(f"Sample {s} is class **{t.y[s - 1] + 1}**, at epoch {epoch}: "  # one formula per entry: it wraps
                f"$x^\\top$ = ({', '.join(f'${fmt.tex(v)}$' for v in sg.x)}).")
    st.caption("ΔW is the step this sample alone would make (stochastic gradient descent); the full-batch step averages "
               "these over all samples, which is what the training does.")
    ui.show_code(core.gradient_step, chain.sample_grad)  # the readable step; core.train is the same maths, faster


@ui.step(ctx)
def two_ways():
    t = trained("loss")
    s, _, W, b, sg = inspected(t)
    vec = mat = fmt.pmatrix
    delta = "S - y" if t.loss == "cross_entropy" else r"S \odot (g - g\cdot S)"
    ui.latex(rf"J = {mat(sg.J)},\qquad g = {vec(sg.g)}", copy=False)
    ui.latex(rf"J^\top g = {vec(sg.delta_explicit)}\quad\text{{vs.}}\quad {delta} = {vec(sg.delta_shortcut)}", copy=False)
    st.markdown("Explicitly through the chain rule, $\\delta = J^\\top g$ with the $3\\times 3$ Jacobian "
                "$J = \\operatorname{diag}(S) - SS^\\top$ and $g = \\partial L/\\partial S$, "
                + ("against the shortcut $S - y$." if t.loss == "cross_entropy" else
                   "against MSE's closed form, the VJP $S \\odot (g - g\\cdot S)$ with $g = 2(S - y)$ (MSE summed over "
                   "the classes): nothing in it cancels, so the Jacobian's factors stay (there is no $S - y$ shortcut)."))
    gap, overflow = chain.batch_grad_gap(t.X, t.y, W, b, t.loss)
    c1, c2 = st.columns(2)
    via = "S − y" if t.loss == "cross_entropy" else "VJP"
    # the gap of the two ∂L/∂W = δxᵀ (core.chain: dW_explicit − dW_shortcut), not of an update ΔW = −η·∂L/∂W
    c1.metric(f"max |∂L/∂W explicit − ∂L/∂W {via}|, sample {s}",
              "overflow" if np.isnan(sg.max_diff) else fmt.num(sg.max_diff, 2))
    c2.metric(f"max |∂L/∂W explicit − ∂L/∂W {via}|, all {len(t.y)} samples",
              f"overflow in {overflow}" if overflow else fmt.num(gap, 2))
    if overflow or np.isnan(sg.max_diff):
        st.warning(f"For {plural(overflow, 'sample')} $S_y$ underflowed to 0, so $g_y = -1/S_y = -\\infty$ and the "
                   "explicit route gives NaN. The shortcut $S - y$ never divides by $S_y$: it is the same maths, cancelled "
                   "before computing.", icon=":material/warning:")
    cell = lambda v: fmt.num(v, 6, unicode=True)
    rows = "".join(f"\n| {label('z', k)} | {cell(sg.delta_explicit[k])} | {cell(sg.delta_shortcut[k])} |" for k in range(3))
    head = "S − y" if t.loss == "cross_entropy" else "VJP S⊙(g − g·S)"
    st.markdown(f"| | explicit Jᵀg | {head} |\n|:--|--:|--:|{rows}")  # not a grid: cheap


ui.end(ctx)
