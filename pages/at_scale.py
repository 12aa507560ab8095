"""At scale: the batch shapes of the Training page's network, the block-diagonal batch J, and why frameworks never form J."""

import numpy as np
import streamlit as st

import core
from core import fmt, scale
from figures.scale_figs import block_heatmap, cost_figure
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="At scale: batches, and why frameworks never form J",
    intro=(
        "The Training page's network (at $T = 1$, as there) on a whole batch at once, with cross-entropy averaged over the "
        "batch, and the live "
        "shapes and numbers of its data set at its initial weights (epoch 0). Then the Jacobian of a batch, and what "
        "forming $J$ would cost for a real vocabulary."
    ),
)
K = 3  # the Training page's network has 3 outputs

# ---- controls (the data set and seeds are the Training page's) ---------------------------------------------------
where = ui.panel(ctx)
data = ui.control(ctx, "data", st.selectbox, where, label="Data set", options=list(core.DATASETS),
                  format_func=lambda k: core.DATASETS[k][0])
D = ui.control(ctx, "D", st.slider, where, label="Input dimension D", min_value=2, max_value=10, step=1)
m_class = ui.control(ctx, "m", st.slider, where, label="Points per class", min_value=5, max_value=200, step=1)
more = where.expander("Seeds", expanded=False)
dseed = ui.control(ctx, "dseed", st.number_input, more, label="Data seed", min_value=0, max_value=999_999, step=1)
iseed = ui.control(ctx, "iseed", st.number_input, more, label="Init seed", min_value=0, max_value=999_999, step=1)
X, y = core.make_dataset(data, int(m_class), int(D), int(dseed))
wscale = float(ctx.params["wscale"])  # the Training page's initial weight scale (set there)
W0, b0 = core.init_params(int(D), K, int(iseed), scale=wscale)
bs = scale.shape_strip(X, y, W0, b0)
m = X.shape[0]


# ---- 1. the shape strip ----------------------------------------------------------------------------------------
st.subheader("The shape strip of one full-batch step")
ui.latex(rf"""\begin{{aligned}}
&\underset{{{m}\times{D}}}{{X}} \xrightarrow{{\;XW^\top + b\;}} \underset{{{m}\times{K}}}{{Z}}
  \xrightarrow{{\;\mathrm{{softmax}}\;}} \underset{{{m}\times{K}}}{{S}} \\
&\underset{{{m}\times{K}}}{{S}} \xrightarrow{{\;(S - Y)/m\;}} \underset{{{m}\times{K}}}{{\delta}}
  \xrightarrow{{\;\delta^\top X\;}} \underset{{{K}\times{D}}}{{\nabla W}} \\
&\underset{{{m}\times{K}}}{{\delta}} \xrightarrow{{\;\textstyle\sum_{{\text{{rows}}}}\;}} \underset{{{K}}}{{\nabla b}}
\end{{aligned}}""")
names = ["X", "W", "b", "Z = XWᵀ + b", "S = softmax(Z), per row", "Y (one-hot)", "δ = (S − Y)/m", "∇W = δᵀX", "∇b = Σ δ"]
arrays = [bs.X, bs.W, bs.b, bs.Z, bs.S, bs.Y, bs.delta, bs.dW, bs.db]
ui.table({"array": names, "shape": [" × ".join(map(str, a.shape)) for a in arrays],
          "entries": [int(a.size) for a in arrays], "first row": [fmt.vector(np.atleast_2d(a)[0]) for a in arrays],
          "largest |entry|": [f"{np.abs(a).max():.3g}" for a in arrays]}, static=True)
_, dW_ref, db_ref = core.loss_and_grad(X, bs.Y, W0, b0, "cross_entropy")
st.caption(f"m = {m} samples (3 classes × {m_class}), D = {D}, K = {K}, initial weight scale σ = {wscale:g} (set on the "
           "Training page). Checked against core.loss_and_grad (the "
           f"Training page's gradient): max |difference| {max(np.abs(bs.dW - dW_ref).max(), np.abs(bs.db - db_ref).max()):.1e}. "
           "No K×K Jacobian appears anywhere: δ = (S − Y)/m is the whole backward pass through softmax and the loss.")

# ---- 2. the batch Jacobian -----------------------------------------------------------------------------------------
st.subheader("Over a batch, J is block-diagonal")


@ui.section(ctx)  # m in the picture changes only this section
def batch_picture():
    bm = ui.control(ctx, "bm", st.slider, label="Samples m in the picture", min_value=1, max_value=8, step=1)
    Jb = scale.batch_jacobian(bs.Z[:bm])
    off = Jb.copy()
    for r in range(bm):
        off[r * K:(r + 1) * K, r * K:(r + 1) * K] = 0
    ui.chart(ctx, block_heatmap(Jb, bm, K, ctx.dark, height=360 + 40 * bm), "batch-jacobian",
             alt=f"Heatmap of the {bm * K}×{bm * K} Jacobian of the first {bm} samples' softmax outputs: {bm} blocks of 3×3 on "
                 f"the diagonal, every other entry exactly 0.",
             data={"row": [f"sample {r + 1}, S{i + 1}" for r in range(bm) for i in range(K)],
                   **{f"s{r + 1} z{j + 1}": Jb[:, r * K + j] for r in range(bm) for j in range(K)}})
    st.caption(f"Sample r's outputs depend only on sample r's logits, so every entry off the blocks is exactly 0 "
               f"(largest here: {np.abs(off).max():g}). Of the {(bm * K) ** 2} entries only {bm * K * K} can be non-zero; "
               f"for the whole batch of {m} that is {m * K * K:,} of {(m * K) ** 2:,}.")


batch_picture()

# ---- 3. the cost as n grows --------------------------------------------------------------------------------------------
st.subheader("What forming J would cost")


@ui.section(ctx)  # n changes only this section
def cost_section():
    vocab = ui.control(ctx, "vocab", st.number_input, label="Vocabulary size n (classes per row)", min_value=2,
                       max_value=1_000_000, step=1000)
    c = scale.cost(vocab)
    ns = np.unique(np.r_[np.logspace(0.5, 6, 45), vocab])
    ui.chart(ctx, cost_figure(ns, 4 * ns**2, 8 * ns**2, 8 * ns, vocab, ctx.dark), "cost",
             alt=f"Log-log plot of bytes against n: J needs 8n² bytes in float64 ({c.j_bytes64 / 1e9:.3g} GB at n = {vocab:,}), "
                 f"the VJP's result 8n ({c.vjp_bytes64:,} bytes).",
             data=lambda: {"n": ns, "J float32 (4n² bytes)": 4 * ns**2, "J float64 (8n² bytes)": 8 * ns**2,
                           "VJP result float64 (8n bytes)": 8 * ns})
    rows = [scale.cost(k) for k in sorted({3, 10, 100, 1000, 10_000, vocab})]
    ui.table({"n": [f"{r.n:,}" for r in rows], "entries of J (n²)": [f"{r.j_entries:,}" for r in rows],
              "J float32": [fmt.nbytes(r.j_bytes32) for r in rows], "J float64": [fmt.nbytes(r.j_bytes64) for r in rows],
              "operations: form J, then gᵀJ (3n²)": [f"{r.j_flops:,}" for r in rows],
              "operations: VJP (4n − 1)": [f"{r.vjp_flops:,}" for r in rows],
              "ratio": [f"{q:.1f}×" if (q := r.j_flops / r.vjp_flops) < 100 else f"{q:,.0f}×" for r in rows]}, static=True)
    st.markdown(
        f"**At n = {vocab:,}** one token's $J$ has {c.j_entries:,} entries"
        + (f" ({c.j_entries:.2e})" if c.j_entries >= 1e6 else "")
        + f": {fmt.nbytes(c.j_bytes32)} in float32 and {fmt.nbytes(c.j_bytes64)} in float64 (1 GB = 10⁹ bytes), "
        f"and a batch of 1,000 tokens needs 1,000 of them. The VJP $S \\odot (g - g\\cdot S)$ needs {c.vjp_flops:,} "
        f"operations and {c.vjp_bytes64:,} bytes: that, never J, is what a framework's softmax backward computes.")
    st.caption("Operations count each multiplication, addition and subtraction once (softmax itself, the same for both, "
               "is not counted). Measured times for the two routes are in docs/PERFORMANCE.md (bench/core_scaling.py); "
               "nothing is timed while this page runs.")


cost_section()

ui.show_code(scale.shape_strip, scale.batch_jacobian, scale.cost)
ui.end(ctx)
