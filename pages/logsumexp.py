"""Log-sum-exp: CE = (smax_T − z_y)/T gives (S − y)/T with no Jacobian; why losses take logits; soft max and soft
argmax; soft targets (label smoothing, distillation). One step per idea (pages/_ui/registry.py holds their titles)."""

from typing import NamedTuple

import numpy as np
import streamlit as st

import core
from core import chain, fmt, lse
from figures.lse_figs import limits_figure, smoothing_figure, targets_figure
from figures.palette import label
from figures.screens import LAPTOP, PHONE
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="Log-sum-exp: the cross-entropy gradient in one line, and why losses take logits",
    intro=(
        "Cross-entropy can be written without softmax at all. With the smooth maximum "
        "$\\mathrm{smax}_T(z) = T\\log\\sum_k e^{z_k/T}$ (log-sum-exp at temperature $T$; at $T = 1$ it is "
        "$\\operatorname{LSE}(z) = \\log\\sum_k e^{z_k}$), it is $(\\mathrm{smax}_T(z) - z_y)/T$. The gradient of "
        "$\\mathrm{smax}_T$ is softmax, $S$, so the gradient of the loss follows in one line, and the loss never takes the "
        "log of a probability that has rounded to 0."
    ),
)


class Logits(NamedTuple):
    z: tuple
    T: float
    n: int
    y: int  # 1-based, as on screen
    S: np.ndarray
    Y: np.ndarray  # onehot(y)


def logits(temperature: bool = True, target: bool = True, where=None, label_y: str = "Target class y (the correct output)"
           ) -> Logits:
    """The shared controls (logits, temperature, target class) and what every step computes from them. A step whose
    figure reads no T (it sweeps T itself) or no y leaves that control out (the whole lesson shows every control);
    ``where`` and ``label_y``: the target class's place and label, when a step puts it beside its own controls."""
    z, T = ui.logit_controls(ctx, temperature=temperature or not ctx.stepped)
    n = len(z)
    ui.clamp_index(ctx, "y", n)
    if target or not ctx.stepped:
        y = ui.control(ctx, "y", where if where is not None else ui.panel(ctx), label=label_y)
    else:
        y = ctx.params["y"]
    return Logits(z, T, n, y, core.softmax(z, T), np.eye(n)[y - 1])


def vec(v, d=3) -> str:
    """A vector in a sentence (×10ⁿ, as the sentence's other numbers)."""
    return fmt.prose_vector(v, d, head=None)


def cells(v, d=3) -> str:
    """A vector in a table cell: the code notation a column of numbers keeps, with the typographic minus."""
    return "(" + ", ".join(fmt.num(x, d, unicode=True) for x in v) + ")"


def over(T: float, s: str) -> str:
    return s if T == 1 else rf"\frac{{{s}}}{{T}}"


def pair(a: str, b: str) -> str:
    return rf"\begin{{gathered}}{a}\\{b}\end{{gathered}}" if ctx.screen == PHONE else rf"{a},\qquad {b}"


def smax(T: float) -> str:
    """The smooth maximum's name in LaTeX: LSE at T = 1, smax_T otherwise (as on the Jacobian page)."""
    return r"\operatorname{LSE}" if T == 1 else r"\mathrm{smax}_T"


@ui.step(ctx)
def one_line():
    x = logits()
    z, T, n, y, S, Y = x
    per = "" if T == 1 else "/T"
    paths = chain.chain_paths(z, y - 1, "cross_entropy", T).total
    grad = lse.ce_lse_grad(z, y - 1, T)  # ∇smax_T / T − y / T, its target entry −Σ_{k≠y} S_k / T: no 1 − S_y
    glabel = f"gradient (S − y){per}"
    # a laptop's first step holds the lesson's two-line title and its introduction above the chart
    ui.chart(ctx, targets_figure(S, Y, grad, glabel, dark=ctx.dark, height=330 if ctx.screen == LAPTOP and ctx.stepped else 380,
                                 screen=ctx.screen), "one-line",
             alt=f"Student S = {vec(S)} beside the one-hot target y = {vec(Y)}; the gradient {glabel} = {vec(grad)}.",
             data={"": [label("z", j) for j in range(n)], "S": S, "y": Y, glabel: grad})
    if T == 1:
        ui.latex(pair(r"\operatorname{CE}(z, y) = -\log S_y = \operatorname{LSE}(z) - z_y",
                      r"\operatorname{LSE}(z) = \log\sum_k e^{z_k}"))
    else:
        ui.latex(pair(r"\operatorname{CE}(z, y) = -\log S_y = \frac{\mathrm{smax}_T(z) - z_y}{T}",
                      r"\mathrm{smax}_T(z) = T\log\sum_k e^{z_k/T}"))
    ui.latex(rf"\frac{{\partial {smax(T)}}}{{\partial z_j}} = S_j \quad\Longrightarrow\quad "
             rf"\frac{{\partial \operatorname{{CE}}}}{{\partial z}} = {over(T, 'S - y')}")
    st.markdown(f"No Jacobian: the chain-rule page added $n^2 = {n * n}$ path products $g_i\\,\\partial S_i/\\partial z_j$ "
                "to get the same vector. Both routes at your $z$:")
    ui.table({"": [label("z", j) for j in range(n)], "n² paths Σᵢ gᵢ ∂Sᵢ/∂zⱼ": [fmt.num(v, 6) for v in paths],
              f"∇{'LSE' if T == 1 else 'LSE(z/T)'} − y{per} = (S − y){per}": [fmt.num(v, 6) for v in grad],
              "difference": [fmt.num(v, 2) for v in paths - grad]})
    st.metric("max |n² paths − one line|", fmt.num(np.abs(paths - grad).max(), 2))


@ui.step(ctx)
def stability():
    x = logits()
    z, n, y = x.z, x.n, x.y
    rows = lse.stability_table(z, y - 1)
    ui.table({"dtype": [r["dtype"] for r in rows], "z": [", ".join(fmt.num(v, 6) for v in r["z"]) for r in rows],
              "y": [r["y"] + 1 for r in rows], "$\\log S_y$ via log(softmax(z))": [fmt.num(r["log_of_softmax"], 6) for r in rows],
              "$\\log S_y$ via $z_y - \\operatorname{LSE}(z)$": [fmt.num(r["log_softmax"], 6) for r in rows],
              "∂CE/∂z via log(softmax): Jᵀg": [cells(r["grad_chain"]) for r in rows],
              "∂CE/∂z fused: S − y": [cells(r["grad_fused"]) for r in rows]}, static=True)
    bad = [r for r in rows if not np.isfinite(r["log_of_softmax"]) or np.isnan(r["grad_chain"]).any()]
    st.caption(f"{len(bad)} of {len(rows)} rows give −∞ or NaN through log(softmax); the fused column is finite in "
               f"{sum(np.isfinite(r['log_softmax']) and np.isfinite(r['grad_fused']).all() for r in rows)} of {len(rows)}. "
               "This is why PyTorch's `CrossEntropyLoss` takes logits, not probabilities.")
    st.markdown("Computing $\\log(\\operatorname{softmax}(z))$ first takes the log of a number that may have rounded to "
                "0: $-\\infty$, and then $-1/S_y = -\\infty$ times a Jacobian entry of 0 is NaN. The fused form "
                "$z_y - \\operatorname{LSE}(z)$ never forms $S_y$. Each row above is computed in its own dtype at $T = 1$ "
                "(what the arithmetic gives, not what it should give).")
    dz, right = lse.double_softmax_grad(z, y - 1), core.ce_lse_grad(z, y - 1)  # both at T = 1
    st.markdown(f"**The classic bug: softmax applied twice.** A model that already outputs $S$ and a loss that applies "
                f"softmax again compute $\\operatorname{{CE}}(\\operatorname{{softmax}}(S), y)$ (at $T = 1$). At your $z$: "
                f"the gradient is {vec(dz, 3)} instead of {vec(right, 3)} "
                + (f"(a norm {fmt.prose(np.linalg.norm(dz) / np.linalg.norm(right), 2)} times the right one)"
                   if np.linalg.norm(right) > 0 else "(both round to 0 in float64: softmax has saturated on the target)")
                + f"; the loss is {fmt.prose(lse.double_softmax_ce(z, y - 1), 4)}, and it can never go below "
                f"$\\log(e + n - 1) - 1 = {fmt.tex(lse.double_softmax_floor(n), 4)}$, because the second softmax only "
                "sees inputs in [0, 1].")


@ui.step(ctx)
def soft_max():
    x = logits(temperature=False, target=False)  # the figure sweeps T and reads no target
    z, n = x.z, x.n
    sw = lse.soft_max_sweep(z, np.geomspace(10, 0.01, 121))
    Ts, sm, Sweep = sw["T"], sw["smax"], sw["S"]
    lim = lse.limit_at(z, 0.01)
    fig = limits_figure(Ts, sm, sw["lower"], sw["upper"], Sweep, dark=ctx.dark, ties=lim["ties"])
    ui.chart(ctx, ui.live(fig, "soft_max_sweep", z, x.T, n=n, Ts=Ts.tolist()), "soft-max",
             alt=f"As T falls from 10 to 0.01, the soft max T·LSE(z/T) falls from {fmt.num(sm[0], 4)} to {fmt.num(sm[-1], 4)} "
                 f"(max z = {fmt.num(max(z), 4)}); softmax goes from {vec(Sweep[0], 3)} to {vec(Sweep[-1], 3)}.",
             data={"T": Ts, "T·LSE(z/T)": sm, **{label("S", j): Sweep[:, j] for j in range(n)}})
    if lim["ties"] > 1:
        st.warning(f"⚠ Tie: {lim['ties']} logits share the max, so at T = 0.01 softmax is {vec(lim['S'], 3)}: split "
                   f"equally, not one-hot, and $\\mathrm{{smax}}_T - \\max z$ = {fmt.prose(lim['excess'])} ≈ T log "
                   f"{lim['ties']} = {fmt.prose(0.01 * np.log(lim['ties']))}.")
    elif lim["one_hot"]:
        # the mark says what it tested (max S > 0.999): beside entries of 3.72×10⁻⁴⁴ a bare "one-hot" overstated it
        # an excess below float64's range prints from its log (z = (50, −20, 0), T = 0.01: 3.37×10⁻²¹⁷⁴, never "= 0")
        excess = (fmt.prose(lim["excess"], 2) if lim["excess_log10"] is None else
                  f"{fmt.pow10(lim['excess_log10'], 2, latex=False)} (below float64's range, so float64 reads 0)")
        st.success(f"✓ At T = 0.01 softmax is {vec(lim['S'], 3)}: one-hot on the largest z to within 10⁻³ (max S > 0.999), "
                   f"and $\\mathrm{{smax}}_T - \\max z$ = {excess}.")
    else:
        st.warning(f"⚠ A near-tie: at T = 0.01 softmax is still {vec(lim['S'], 3)}, not one-hot to within 10⁻³ "
                   "(max S ≤ 0.999); it gets there only once T is far below the gap between the two largest logits.")
    ui.latex(pair(r"\max_k z_k \le \mathrm{smax}_T(z) = T\log\sum_k e^{z_k/T} \le \max_k z_k + T\log n",
                  r"\nabla\mathrm{smax}_T(z) = \operatorname{softmax}(z/T) = S,\quad \nabla^2\mathrm{smax}_T = J"))
    st.caption("The gradient of the soft maximum is the soft argmax, and its Hessian is the Jacobian J of the pages "
               "before (so J is symmetric and positive semi-definite). At T = 1, smax₁ = LSE.")


@ui.step(ctx)
def soft_targets():
    where = ui.panel(ctx).container()  # the step's own controls above the shared ones
    if ctx.stepped:  # only what the chosen target is made from: y (and ε beside it), or the teacher's logits
        target = ui.control(ctx, "target", where)
        row = where.columns(2, vertical_alignment="bottom") if target == "smooth" else (where, None)
        x = logits(target=target != "teacher", **({"where": row[1], "label_y": "Target class y"} if row[1] else {}))
        eps = ui.control(ctx, "eps", row[0], label="Smoothing ε") if target == "smooth" else ctx.params["eps"]
        zt = ui.control(ctx, "zt", where) if target == "teacher" else ctx.params["zt"]
    else:
        x = logits()
        target, eps, zt = (ui.control(ctx, k, where) for k in ("target", "eps", "zt"))
    z, T, n, y, S, Y = x
    q = {"onehot": Y, "smooth": core.smooth_targets(y - 1, n, eps), "teacher": core.softmax(zt, T)}[target]
    grad = core.ce_lse_grad(z, q, T)
    glabel = f"gradient (S − q){'/T' if T != 1 else ''}"
    ui.chart(ctx, targets_figure(S, q, grad, glabel, dark=ctx.dark, screen=ctx.screen), "targets",
             alt=f"Student S = {vec(S, 3)} beside target q = {vec(q, 3)}; the gradient {glabel} = {vec(grad, 3)}.",
             data={"": [label("z", j) for j in range(n)], "S": S, "q": q, glabel: grad})
    q_def = {"onehot": r"q = \operatorname{onehot}(y)",
             "smooth": rf"q = (1 - \varepsilon)\operatorname{{onehot}}(y) + \varepsilon/n,\ \varepsilon = {fmt.tex(eps, 6)}",
             "teacher": rf"q = \operatorname{{softmax}}(z^{{\text{{teacher}}}}{'/T' if T != 1 else ''})"}[target]
    ui.latex(pair(q_def, rf"\frac{{\partial \operatorname{{CE}}(z, q)}}{{\partial z}} = {over(T, 'S - q')}"))


@ui.step(ctx)
def smoothing():
    where = ui.panel(ctx).container()
    x = logits()
    T, n = x.T, x.n
    eps = ui.control(ctx, "eps", where)
    curve = lse.smoothing_curve(n, eps, T)
    d_star, L_star = curve["d_star"], curve["L_star"]
    e = fmt.num(eps, 6)
    ui.chart(ctx, smoothing_figure(curve["gap"], curve["onehot"], curve["smoothed"], d_star, L_star, eps, dark=ctx.dark),
             "smoothing",
             alt=f"Cross-entropy along z = (d, 0, …, 0) for n = {n}, T = {fmt.num(T, 6)}: against one-hot it falls towards "
                 "0 for ever; " + (f"against ε = {e} it has its minimum {fmt.num(L_star, 4)} at d* = {fmt.num(d_star, 4)}."
                                   if np.isfinite(d_star) else "with ε = 0 the two curves coincide."),
             data={"gap d": curve["gap"], "CE one-hot": curve["onehot"], f"CE ε = {e}": curve["smoothed"]})
    ui.latex(rf"d^* = {'' if T == 1 else 'T'}\log\Big(1 + \frac{{n(1-\varepsilon)}}{{\varepsilon}}\Big) = "
             + (fmt.tex(d_star, 4) if np.isfinite(d_star) else r"\infty\ (\varepsilon = 0)"))
    st.caption("With ε > 0 the best logits are no longer infinitely far apart: the target's logit should lead every other "
               "by d*, where softmax reproduces q exactly (S = q), so the gradient is 0." if eps > 0 else
               "With ε = 0 the target is one-hot: the loss only approaches its infimum 0 as the gap grows without bound.")


@ui.step(ctx)
def distillation():
    where = ui.panel(ctx).container()
    x = logits()
    z = x.z
    zt = ui.control(ctx, "zt", where)
    ds = lse.distill_sizes(z, zt, [1.0, 2.0, 5.0, 10.0, 100.0])
    ui.table({"T": [fmt.num(t, 6) for t in ds["T"]], "max |(S − q)/T| (no T²)": [fmt.num(v) for v in ds["without"]],
              "max |T(S − q)| (with T²)": [fmt.num(v) for v in ds["with"]],
              "high-T limit max |c − cᵗ|/n": [fmt.num(v) for v in ds["limit"]]})
    st.markdown("Against a teacher at temperature $T$, the gradient $(S - q)/T$ shrinks like $1/T^2$ as $T$ grows (both "
                "softmaxes flatten towards $1/n$), so the loss is multiplied by $T^2$: then the gradient is $T(S - q)$, "
                "whose size settles at $\\max_j |c_j - c^{\\text{teacher}}_j|/n$ with $c = z - \\bar z$, the logits minus "
                "their mean $\\bar z$ (the same for the teacher). The table uses your logits and the teacher's at each $T$.")
    ui.show_code(core.logsumexp, core.logsumexp_grad, core.ce_lse_grad, core.smooth_targets, core.smoothing_gap,
                 core.distill_loss_grad)


ui.end(ctx)
