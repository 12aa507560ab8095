"""Log-softmax: a Jacobian that is not symmetric, so a row (a nudge) and a column (backprop) hold different numbers;
its sums, the short route to softmax's J, and why frameworks fuse it with the loss; one step each
(pages/_ui/registry.py holds their titles). Every number comes from core.logsoftmax."""

import streamlit as st

import core
from core import fmt
from core import logsoftmax as ls
from figures.logsoftmax_figs import log_softmax_panels
from figures.palette import label
from pages import _ui as ui
from pages._ui.claims import claims

ctx = ui.begin(
    __file__,
    title="Log-softmax",
    intro=(
        r"$\log S_i = z_i/T - \log\sum_k e^{z_k/T}$ is what a classifier's loss actually uses. Its Jacobian, "
        r"$\partial \log S_i/\partial z_j = (\delta_{ij} - S_j)/T$, is **not symmetric**: the one place where you can "
        "see that a nudge reads a row of a Jacobian and backpropagation a column."
    ),
)


def logits():
    """The shared controls, i and y kept within 1…n (every step keeps the link valid), and both Jacobians."""
    z, T = ui.logit_controls(ctx)
    n = len(z)
    for key in ("i", "y"):
        ui.clamp_index(ctx, key, n)
    return z, T, n, ls.log_softmax_jacobian(z, T), core.jacobian(z, T)


def panels(name: str, z, T, n, Jl, J) -> None:
    """The lesson's figure: J_log beside softmax's J, row i solid and column i dashed in both."""
    i = int(ctx.params["i"]) - 1
    Zn, Sn = [label("z", k) for k in range(n)], [label("S", k) for k in range(n)]
    ui.chart(ctx, log_softmax_panels(Jl, J, i, ctx.dark, height=440 + 10 * max(n - 4, 0), screen=ctx.screen, T=T),
             name, alt=f"Two heatmaps: log-softmax's {n}×{n} Jacobian, not symmetric, and softmax's, symmetric; row {i + 1} "
                       f"is outlined solid and column {i + 1} dashed in both.",
             data={"entry": [f"({Sn[a]}, {Zn[b]})" for a in range(n) for b in range(n)],
                   "∂log Sᵢ/∂zⱼ": Jl.ravel(), "∂Sᵢ/∂zⱼ": J.ravel()})


@ui.step(ctx)
def row_column():
    z, T, n, Jl, J = logits()
    i = ui.control(ctx, "i", ui.panel(ctx), label="Row and column i")
    panels("log-softmax-jacobian", z, T, n, Jl, J)
    rc = ls.row_and_column(z, i - 1, temperature=T)
    st.markdown(rc.sentence)
    Zn, li = [label("z", k) for k in range(n)], f"log {label('S', i - 1)}"
    cells = lambda v: [fmt.signed(x) for x in v]
    ui.table({"j": Zn, f"row {i}: ∂{li}/∂zⱼ": cells(rc.row), "nudge Δzⱼ": cells(rc.dz), "row × Δz": cells(rc.row_terms),
              f"column {i}: ∂log Sⱼ/∂{Zn[i - 1]}": cells(rc.column), "upstream gⱼ": cells(rc.g),
              "g × column": cells(rc.column_terms)}, static=True)
    st.caption(f"A nudge reads the row: Δ{li} ≈ Σⱼ (row × Δz) = {fmt.prose(rc.row_total)} (the true change is "
               f"{fmt.prose(rc.row_actual)}). Backprop reads the column: ∂L/∂{Zn[i - 1]} = Σⱼ gⱼ·∂log Sⱼ/∂{Zn[i - 1]} = "
               f"{fmt.prose(rc.column_total)}, with g = ∂L/∂log S.")
    claims(ls.log_softmax_claims(z, i - 1, T)[:2])


@ui.step(ctx)
def sums():
    z, T, n, Jl, J = logits()
    panels("log-softmax-sums", z, T, n, Jl, J)
    S = core.softmax(z, T)
    ui.table({"index": [str(k + 1) for k in range(n)], "row sum Σⱼ ∂log Sᵢ/∂zⱼ": [fmt.signed(v) for v in Jl.sum(axis=1)],
              "column sum Σᵢ ∂log Sᵢ/∂zⱼ": [fmt.signed(v) for v in Jl.sum(axis=0)],
              "(1 − nSⱼ)/T": [fmt.signed(v) for v in (1 - n * S) / T]}, static=True)
    st.markdown(r"Row $i$ is $(e_i - S)/T$, and $\sum_j (\delta_{ij} - S_j) = 1 - 1 = 0$: adding $c$ to every $z_j$ "
                r"moves no $\log S_i$. Column $j$ sums to $(1 - nS_j)/T$: $\sum_i \log S_i$ changes with $z$, so nothing "
                r"forces it to 0 (softmax's columns sum to 0 because $\sum_i S_i = 1$ always).")
    claims(ls.log_softmax_claims(z, int(ctx.params["i"]) - 1, T)[2:4])


@ui.step(ctx)
def route():
    z, T, n, Jl, J = logits()
    panels("log-softmax-route", z, T, n, Jl, J)
    st.markdown("Row $i$ of softmax's $J$ (right) is $S_i$ times row $i$ of $J_{\\log}$ (left). Bendersky's route, "
                "in three lines:")
    for k, line in enumerate(ls.log_route_latex()):
        ui.latex(line, key=f"route_{k}")
    route = ls.log_route(z, T)
    both = r"$\operatorname{diag}(S)\,J_{\log}$ and $J$"
    st.caption(f"Here, entry by entry, {both} are equal: not one bit apart." if route["max_rel"] == 0 else
               f"Here, entry by entry, {both} differ by at most {fmt.prose(route['max_rel'])} times the size "
               "of their terms Sᵢ(δᵢⱼ + Sⱼ)/T: float64 rounding.")
    claims(ls.log_softmax_claims(z, int(ctx.params["i"]) - 1, T)[5:6])


@ui.step(ctx)
def fused():
    z, T, n, Jl, J = logits()  # keeps i and y within 1…n
    y = ui.control(ctx, "y", ui.panel(ctx))
    panels("log-softmax-fused", z, T, n, Jl, J)
    f = ls.fused_nll(z, y - 1, T)
    ui.table({"route": ["log(softmax(z)), then NLL", "fused log-softmax (log-sum-exp)", "exact (log1p)"],
              f"loss −log {fmt.label('S', y - 1)}": [fmt.num(v, 6) for v in (f.unfused_loss, f.fused_loss, f.reference)],
              "relative error": [fmt.num(f.unfused_error, 2), fmt.num(f.fused_error, 2), "0"],
              "gradient ∂L/∂z (first entries)": [fmt.vector(f.unfused_grad), fmt.vector(f.fused_grad), "(S − y)/T"]},
             static=True)
    st.markdown(f.sentence)
    half = "½" if T == 1 else f"1/(2T) = {fmt.prose(1 / (2 * T))}"  # one of 1 − Sⱼ and Sⱼ is at least ½, then ÷T
    st.caption(f"Left panel: every column of $J_{{\\log}}$ holds (1 − Sⱼ)/T and −Sⱼ/T, and one of them is at least {half} "
               "in size, so $J_{\\log}$ never vanishes; softmax's J (right) fades as S saturates. " + ls.saturation_hint(T))
    claims(ls.log_softmax_claims(z, int(ctx.params["i"]) - 1, T)[4:5])
    ui.page_link("pages/logsumexp.py", label="The log-sum-exp lesson", icon=":material/arrow_forward:")
    ui.show_code(ls.log_softmax_jacobian, ls.fused_nll)


ui.end(ctx)
