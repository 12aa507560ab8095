"""At scale: the batch shapes of the Training page's network, the block-diagonal batch J, and why frameworks never form J;
one step each (their titles are in pages/_ui/registry.py)."""

from types import SimpleNamespace

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
        "batch, at its initial weights (epoch 0). Then the Jacobian of a batch, and what forming $J$ would cost for a real "
        "vocabulary."
    ),
)
K = 3  # the Training page's network has 3 outputs


thousands = fmt.whole  # a count with thousands separators

def batch() -> SimpleNamespace:
    """The data controls (the data set and seeds are the Training page's) and the batch at the initial weights."""
    where = ui.panel(ctx)
    data = ui.control(ctx, "data", where)
    D = ui.control(ctx, "D", where)
    m_class = ui.control(ctx, "m", where)
    more = where.expander("Seeds", expanded=False) if "dseed" not in ctx.drawn else None
    dseed = ui.control(ctx, "dseed", more)
    iseed = ui.control(ctx, "iseed", more)
    X, y = core.make_dataset(data, int(m_class), int(D), int(dseed))
    wscale = float(ctx.params["wscale"])  # the Training page's initial weight scale (set there)
    W0, b0 = core.init_params(int(D), K, int(iseed), scale=wscale)
    return SimpleNamespace(X=X, y=y, W0=W0, b0=b0, D=int(D), m_class=int(m_class), m=X.shape[0], wscale=wscale,
                           bs=scale.shape_strip(X, y, W0, b0))


@ui.step(ctx)
def strip():
    b = batch()
    m, D, bs = b.m, b.D, b.bs
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
              "largest |entry|": [fmt.num(np.abs(a).max()) for a in arrays]}, static=True)
    _, dW_ref, db_ref = core.loss_and_grad(b.X, bs.Y, b.W0, b.b0, "cross_entropy")
    gap = max(np.abs(bs.dW - dW_ref).max(), np.abs(bs.db - db_ref).max())
    st.caption(f"m = {m} samples (3 classes × {b.m_class}), D = {D}, K = {K}, initial weight scale σ = {fmt.prose(b.wscale)} "
               "(set on the Training page). Checked against the Training page's gradient, computed on its own: max "
               f"|difference| {fmt.prose(gap, 2)}. No K×K Jacobian appears anywhere: δ = (S − Y)/m is the whole backward "
               "pass through softmax and the loss.")


@ui.step(ctx)
def blocks():
    bm = ui.control(ctx, "bm", ui.panel(ctx))
    b = batch()
    m = b.m
    Jb = scale.batch_jacobian(b.bs.Z[:bm])
    off = Jb.copy()
    for r in range(bm):
        off[r * K:(r + 1) * K, r * K:(r + 1) * K] = 0
    ui.chart(ctx, block_heatmap(Jb, bm, K, ctx.dark, height=min(360 + 40 * bm, 450) if ctx.stepped else 360 + 40 * bm),
             "batch-jacobian",
             alt=f"Heatmap of the {bm * K}×{bm * K} Jacobian of the first {bm} samples' softmax outputs: one 3×3 block per "
                 "sample on the diagonal" + (", every other entry exactly 0." if bm > 1 else "."),
             data={"row": [f"sample {r + 1}, S{i + 1}" for r in range(bm) for i in range(K)],
                   **{f"s{r + 1} z{j + 1}": Jb[:, r * K + j] for r in range(bm) for j in range(K)}})
    block, full = scale.cost(K, bm).j_entries, scale.cost(bm * K).j_entries  # the blocks' entries, all of J's
    on, of = scale.cost(K, m).j_entries, scale.cost(m * K).j_entries  # the same for the whole batch
    whole = f"for the whole batch of {m} that is {thousands(on)} of {thousands(of)}."
    if bm == 1:
        st.caption("Sample r's outputs depend only on sample r's logits. With one sample in the picture J is a single "
                   f"3×3 block, and all 9 entries can be non-zero; over more samples every entry off the blocks is exactly "
                   f"0: {whole}")
    else:
        st.caption(f"Sample r's outputs depend only on sample r's logits, so every entry off the blocks is exactly 0 "
                   f"(largest here: {fmt.prose(np.abs(off).max())}). Of the {full} entries only {block} can be "
                   f"non-zero; {whole}")


@ui.step(ctx)
def cost():
    vocab = ui.control(ctx, "vocab", ui.panel(ctx))
    c = scale.cost(vocab)
    ns = np.unique(np.r_[np.round(np.logspace(0.5, 6, 45)), vocab]).astype(int)
    costs = [scale.cost(k) for k in ns]
    j32, j64, v64 = (np.array([getattr(r, f) for r in costs], float) for f in ("j_bytes32", "j_bytes64", "vjp_bytes64"))
    ui.chart(ctx, cost_figure(ns, j32, j64, v64, vocab, ctx.dark, height=400 if ctx.stepped else 440), "cost",
             alt=f"Log-log plot of bytes against n: J needs 8n² bytes in float64 ({fmt.nbytes(c.j_bytes64)} at n = "
                 f"{thousands(vocab)}), the VJP's result 8n ({fmt.nbytes(c.vjp_bytes64)}).",
             data={"n": ns, "J float32 (4n² bytes)": j32, "J float64 (8n² bytes)": j64, "VJP result float64 (8n bytes)": v64})
    rows = [scale.cost(k) for k in sorted({3, 10, 100, 1000, 10_000, vocab})]
    ui.table({"n": [thousands(r.n) for r in rows], "entries of J (n²)": [thousands(r.j_entries) for r in rows],
              "J float32": [fmt.nbytes(r.j_bytes32) for r in rows], "J float64": [fmt.nbytes(r.j_bytes64) for r in rows],
              "operations: form J, then gᵀJ (3n²)": [thousands(r.j_flops) for r in rows],
              "operations: VJP (4n − 1)": [thousands(r.vjp_flops) for r in rows],
              "ratio": [(fmt.fixed(q, 1) if q < 100 else thousands(round(q))) + "×"
                        for q in (r.j_flops / r.vjp_flops for r in rows)]}, static=True)
    st.markdown(
        f"**At n = {thousands(vocab)}** one token's $J$ has {thousands(c.j_entries)} entries"
        + (f" (${fmt.tex(c.j_entries)}$)" if c.j_entries >= 1e6 else "")
        + f": {fmt.nbytes(c.j_bytes32)} in float32 and {fmt.nbytes(c.j_bytes64)} in float64 (1 GB = 10⁹ bytes), "
        f"and a batch of 1,000 tokens needs 1,000 of them. The VJP $S \\odot (g - g\\cdot S)$ needs {thousands(c.vjp_flops)} "
        f"operations and {thousands(c.vjp_bytes64)} bytes: that, never J, is what a framework's softmax backward computes.")
    st.caption("Operations count each multiplication, addition and subtraction once (softmax itself, the same for both, "
               "is not counted). Measured times for the two routes are in docs/PERFORMANCE.md (bench/core_scaling.py); "
               "nothing is timed while this page runs.")
    ui.show_code(scale.shape_strip, scale.batch_jacobian, scale.cost)


ui.end(ctx)
