"""Log-sum-exp: CE = LSE − z_y gives S − y with no Jacobian; why losses take logits; soft max and soft argmax;
soft targets (label smoothing, distillation)."""

import numpy as np
import streamlit as st

import core
from core import chain, fmt, lse, state
from figures.lse_figs import limits_figure, smoothing_figure, targets_figure
from figures.palette import label
from figures.screens import PHONE
from pages import _ui as ui

ctx = ui.begin(
    __file__,
    title="Log-sum-exp: the cross-entropy gradient in one line, and why losses take logits",
    intro=(
        "Cross-entropy can be written without softmax at all: it is the log-sum-exp of the logits, "
        "$\\log\\sum_k e^{z_k/T}$, minus the target's logit $z_y/T$. The gradient of log-sum-exp is softmax (over $T$), so the "
        "gradient of the loss follows in one line, and the loss never takes the log of a probability that has rounded to 0."
    ),
)
z, T = ui.logit_controls(ctx)
n = len(z)
where = ui.panel(ctx)
ui.clamp_index(ctx, "y", n)
y = ui.control(ctx, "y", st.slider, where, label="Target class y (the correct output)", min_value=1, max_value=n, step=1)
TARGETS = {"onehot": "one-hot y", "smooth": "label smoothing ε", "teacher": "a teacher's softmax (distillation)"}
zt = state.fit_z(ctx.params["zt"], n, state.DEFAULT_TEACHER)
typed_zt, _ = state.parse_vector(st.session_state.get("w_zt", ""))
if (typed_zt is None and "w_zt" not in st.session_state) or (typed_zt is not None and len(typed_zt) != n):
    st.session_state["w_zt"] = state.format_vector(zt)  # first run, or n changed: the teacher follows n
text = where.text_input("Teacher's logits (distillation)", key="w_zt", disabled="zt" in ctx.locked,
                        help=ui.LOCKED_HELP if "zt" in ctx.locked else f"{n} numbers, e.g. 4, 1.5, -1; press Enter.")
parsed, err = state.parse_vector(text)
if err or len(parsed) != n:
    where.warning(f"Teacher's logits not applied: {err or f'need {n} numbers, got {len(parsed)}'}.", icon=":material/error:")
else:
    zt = tuple(parsed)
ctx.params["zt"] = zt

S, Y = core.softmax(z, T), np.eye(n)[y - 1]
Tl = "" if T == 1 else "T"  # every formula shows its T when T ≠ 1
over = (lambda s: s) if T == 1 else (lambda s: rf"\frac{{{s}}}{{T}}")
vec = lambda v, d=3: "(" + ", ".join(fmt.num(x, d, unicode=True) for x in v) + ")"
names = [label("z", j) for j in range(n)]
phone = ctx.screen == PHONE
pair = (lambda a, b: rf"\begin{{gathered}}{a}\\{b}\end{{gathered}}") if phone else (lambda a, b: rf"{a},\qquad {b}")

# ---- 1. the one-line gradient, beside the n² paths -----------------------------------------------------
st.subheader(f"1. {'S − y' if T == 1 else '(S − y)/T'} in one line: the gradient of LSE is softmax{'' if T == 1 else '/T'}")
lse_T, zk = ("", "z_k") if T == 1 else ("_T", "z_k/T")  # one pair of formulas, with its T when T ≠ 1
ui.latex(pair(rf"\operatorname{{CE}}(z, y) = -\log S_y = \operatorname{{LSE}}{lse_T}(z) - {over('z_y')}",
              rf"\operatorname{{LSE}}{lse_T}(z) = \log\sum_k e^{{{zk}}}"))
ui.latex(rf"\frac{{\partial \operatorname{{LSE}}{lse_T}}}{{\partial z_j}} = {over('S_j')} \quad\Longrightarrow\quad "
         rf"\frac{{\partial \operatorname{{CE}}}}{{\partial z}} = {over('S - y')}")
paths = chain.chain_paths(z, y - 1, "cross_entropy", T).total
one_line = core.logsumexp_grad(z, T) - Y / T
st.markdown(f"No Jacobian: the chain-rule page added $n^2 = {n * n}$ path products $g_i\\,\\partial S_i/\\partial z_j$ "
            "to get the same vector. Both routes at your $z$:")
ui.table({"": names, "n² paths Σᵢ gᵢ ∂Sᵢ/∂zⱼ": [fmt.num(v, 6) for v in paths],
          f"∇LSE − y{'/T' if T != 1 else ''} = (S − y){'/T' if T != 1 else ''}": [fmt.num(v, 6) for v in one_line],
          "difference": [f"{v:.1e}" for v in paths - one_line]})
st.metric("max |n² paths − one line|", fmt.num(np.abs(paths - one_line).max(), 2))

# ---- 2. stability: why losses take logits ----------------------------------------------------------------
st.subheader("2. Why frameworks fuse softmax into the loss")
st.markdown("Computing $\\log(\\operatorname{softmax}(z))$ first takes the log of a number that may have rounded to 0: "
            "$-\\infty$, and then $-1/S_y = -\\infty$ times a Jacobian entry of 0 is NaN. The fused form "
            "$z_y - \\operatorname{LSE}(z)$ never forms $S_y$. Each row is computed in its own dtype at $T = 1$ "
            "(what the arithmetic gives, not what it should give):")
rows = lse.stability_table(z, y - 1)
ui.table({"dtype": [r["dtype"] for r in rows], "z": [", ".join(f"{v:g}" for v in r["z"]) for r in rows],
          "y": [r["y"] + 1 for r in rows], "log S_y via log(softmax(z))": [fmt.num(r["log_of_softmax"], 6) for r in rows],
          "log S_y via z_y − LSE(z)": [fmt.num(r["log_softmax"], 6) for r in rows],
          "∂CE/∂z via log(softmax): Jᵀg": [vec(r["grad_chain"]) for r in rows],
          "∂CE/∂z fused: S − y": [vec(r["grad_fused"]) for r in rows]}, static=True)
bad = [r for r in rows if not np.isfinite(r["log_of_softmax"]) or np.isnan(r["grad_chain"]).any()]
st.caption(f"{len(bad)} of {len(rows)} rows give −∞ or NaN through log(softmax); the fused column is finite in "
           f"{sum(np.isfinite(r['log_softmax']) and np.isfinite(r['grad_fused']).all() for r in rows)} of {len(rows)}. "
           "This is why PyTorch's `CrossEntropyLoss` takes logits, not probabilities.")
dz, right = lse.double_softmax_grad(z, y - 1), core.ce_lse_grad(z, y - 1)  # both at T = 1
st.markdown(f"**The classic bug: softmax applied twice.** A model that already outputs $S$ and a loss that applies "
            f"softmax again compute $\\operatorname{{CE}}(\\operatorname{{softmax}}(S), y)$ (at $T = 1$). At your $z$: the "
            f"gradient is {vec(dz, 3)} instead of {vec(right, 3)} "
            + (f"(a norm {np.linalg.norm(dz) / np.linalg.norm(right):.2g} times the right one)" if np.linalg.norm(right) > 0
               else "(both round to 0 in float64: softmax has saturated on the target)")
            + f"; the loss is {lse.double_softmax_ce(z, y - 1):.4g}, and it can never go below "
            f"$\\log(e + n - 1) - 1 = {lse.double_softmax_floor(n):.4g}$, because the second softmax only sees inputs in [0, 1].")

# ---- 3. soft max and soft argmax ------------------------------------------------------------------------
st.subheader("3. LSE is the soft max, softmax the soft argmax")
ui.latex(pair(r"\max_k z_k \le T\operatorname{LSE}_T(z) \le \max_k z_k + T\log n",
              r"\frac{\partial\, T\operatorname{LSE}_T(z)}{\partial z} = \operatorname{softmax}(z/T)"))
sw = lse.soft_max_sweep(z, np.geomspace(10, 0.01, 121))
Ts, smax, Sweep = sw["T"], sw["smax"], sw["S"]
lim = lse.limit_at(z, 0.01)
ui.chart(ctx, limits_figure(Ts, smax, sw["lower"], sw["upper"], Sweep, dark=ctx.dark, ties=lim["ties"]), "soft-max",
         alt=f"As T falls from 10 to 0.01, T·LSE(z/T) falls from {smax[0]:.4g} to {smax[-1]:.4g} (max z = {max(z):.4g}); "
             f"softmax goes from {vec(Sweep[0], 3)} to {vec(Sweep[-1], 3)}.",
         data={"T": Ts, "T·LSE(z/T)": smax, **{label("S", j): Sweep[:, j] for j in range(n)}})
if lim["ties"] > 1:
    st.warning(f"⚠ Tie: {lim['ties']} logits share the max, so at T = 0.01 softmax is {vec(lim['S'], 3)}: split equally, "
               f"not one-hot, and T·LSE − max z = {fmt.num(lim['excess'], unicode=True)} ≈ T log {lim['ties']} = "
               f"{fmt.num(0.01 * np.log(lim['ties']), unicode=True)}.")
elif lim["one_hot"]:
    st.success(f"✓ At T = 0.01 softmax is {vec(lim['S'], 3)}: one-hot on the largest z, and T·LSE − max z = "
               f"{fmt.num(lim['excess'], 2, unicode=True)}.")
else:
    st.warning(f"⚠ A near-tie: at T = 0.01 softmax is still {vec(lim['S'], 3)}, not one-hot; it gets there only once T "
               "is far below the gap between the two largest logits.")

# ---- 4. soft targets ------------------------------------------------------------------------------------
st.subheader(f"4. Soft targets: the gradient is {'S − q' if T == 1 else '(S − q)/T'} for any target q")


@ui.section(ctx)  # the target and ε sit here, beside what they move, and rerun only this section
def soft_targets():
    a, b = st.columns(2)
    target = ui.control(ctx, "target", st.radio, a, label="Soft target q", options=list(TARGETS),
                        format_func=TARGETS.get)
    eps = ui.control(ctx, "eps", st.slider, b, label="Label smoothing ε", min_value=0.0, max_value=1.0, step=0.01)
    q = {"onehot": Y, "smooth": core.smooth_targets(y - 1, n, eps), "teacher": core.softmax(zt, T)}[target]
    grad = core.ce_lse_grad(z, q, T)
    q_def = {"onehot": r"q = \operatorname{onehot}(y)",
             "smooth": rf"q = (1 - \varepsilon)\operatorname{{onehot}}(y) + \varepsilon/n,\ \varepsilon = {eps:g}",
             "teacher": rf"q = \operatorname{{softmax}}(z^{{\text{{teacher}}}}{'/T' if T != 1 else ''})"}[target]
    ui.latex(pair(q_def, rf"\frac{{\partial \operatorname{{CE}}(z, q)}}{{\partial z}} = {over('S - q')}"))
    glabel = f"gradient (S − q){'/T' if T != 1 else ''}"
    ui.chart(ctx, targets_figure(S, q, grad, glabel, dark=ctx.dark), "targets",
             alt=f"Student S = {vec(S, 3)} beside target q = {vec(q, 3)}; the gradient {glabel} = {vec(grad, 3)}.",
             data={"": names, "S": S, "q": q, glabel: grad})
    curve = lse.smoothing_curve(n, eps, T)
    d_star, L_star = curve["d_star"], curve["L_star"]
    ui.chart(ctx, smoothing_figure(curve["gap"], curve["onehot"], curve["smoothed"], d_star, L_star, eps, dark=ctx.dark),
             "smoothing",
             alt=f"Cross-entropy along z = (d, 0, …, 0) for n = {n}, T = {T:g}: against one-hot it falls towards 0 for ever; "
                 + (f"against ε = {eps:g} it has its minimum {L_star:.4g} at d* = {d_star:.4g}." if np.isfinite(d_star)
                    else "with ε = 0 the two curves coincide."),
             data={"gap d": curve["gap"], "CE one-hot": curve["onehot"], f"CE ε = {eps:g}": curve["smoothed"]})
    ui.latex(rf"d^* = {Tl}\log\Big(1 + \frac{{n(1-\varepsilon)}}{{\varepsilon}}\Big) = "
             + (rf"{d_star:.4g}" if np.isfinite(d_star) else r"\infty\ (\varepsilon = 0)"))
    st.caption("With ε > 0 the best logits are no longer infinitely far apart: the target's logit should lead every other "
               "by d*, where softmax reproduces q exactly (S = q), so the gradient is 0." if eps > 0 else
               "With ε = 0 the target is one-hot: the loss only approaches its infimum 0 as the gap grows without bound.")
    st.markdown("**Distillation's T².** Against a teacher at temperature $T$, the gradient $(S - q)/T$ shrinks like "
                "$1/T^2$ as $T$ grows (both softmaxes flatten towards $1/n$), so the loss is multiplied by $T^2$: then the "
                "gradient is $T(S - q)$, whose size settles at $\\max_j |c_j - c^{\\text{teacher}}_j|/n$ with $c = z - \\bar z$, "
                "the logits minus their mean $\\bar z$ (the same for the teacher). "
                "With your logits and the teacher's:")
    ds = lse.distill_sizes(z, zt, [1.0, 2.0, 5.0, 10.0, 100.0])
    ui.table({"T": [f"{t:g}" for t in ds["T"]], "max |(S − q)/T| (no T²)": [f"{v:.3g}" for v in ds["without"]],
              "max |T(S − q)| (with T²)": [f"{v:.3g}" for v in ds["with"]],
              "high-T limit max |c − cᵗ|/n": [f"{v:.3g}" for v in ds["limit"]]})


soft_targets()

ui.show_code(core.logsumexp, core.logsumexp_grad, core.ce_lse_grad, core.smooth_targets, core.smoothing_gap,
             core.distill_loss_grad)
ui.end(ctx)
