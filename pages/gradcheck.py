"""Gradient check: CS231n's relative error of central differences (a V over h) and of the complex step (a floor), where
that measure misleads, and what good looks like in float64; one step each (pages/_ui/registry.py holds their titles).
Every error and verdict comes from core.gradcheck."""

import itertools

import streamlit as st

from core import fmt
from core import gradcheck as gc
from figures.gradcheck_figs import gradcheck_figure
from pages import _ui as ui
from pages._ui.claims import claims

ctx = ui.begin(
    __file__,
    title="Gradient check",
    intro=(
        "How do you know a derivative is right? Compare it with a numerical one, entry by entry, by the **relative "
        r"error** $|a - f|/\max(|a|, |f|)$, as CS231n does. Central differences $f = (F(z + h) - F(z - h))/2h$ and "
        r"the complex step $f = \operatorname{Im} F(z + ih)/h$ both depend on the step $h$."
    ),
)
SATURATED = {"(40, −40, 0)": (40.0, -40.0, 0.0), "(1000, 0, −1000)": (1000.0, 0.0, -1000.0)}


def subject():
    """The shared controls, what is checked, and its sweep over h."""
    z, T = ui.logit_controls(ctx)
    n = len(z)
    where = ui.panel(ctx)
    subj = ui.control(ctx, "subj", where, label_visibility="collapsed")
    ui.clamp_index(ctx, "y", n)
    y = ctx.params["y"]
    if subj == "ce":  # only the loss has a target
        y = ui.control(ctx, "y", where)
    return z, T, subj, y - 1, gc.sweep(z, subj, y - 1, T)


def figure(s, name: str, subj: str) -> None:
    ui.chart(ctx, gradcheck_figure(s.hs, s.fd_rel, s.cs_rel, best=s.best, dark=ctx.dark, height=400, screen=ctx.screen,
                                   subject=gc.SUBJECTS[subj]), name,
             alt=f"Log-log plot of the max relative error against h from 0.1 to 10⁻¹² for {gc.SUBJECTS[subj]}: central "
                 f"differences are best at h = {fmt.num(s.best[0])} ({fmt.num(s.best[1], 2)}); the complex step ends at "
                 f"{fmt.num(float(s.cs_rel[-1]), 2)}.",
             data={"h": s.hs, "central differences: max rel. error": s.fd_rel, "complex step: max rel. error": s.cs_rel,
                   "central differences: max |a − f|": s.fd_abs, "complex step: max |a − f|": s.cs_abs})


def saturate(z) -> None:
    """``on_click`` of a preset: these logits, their sliders redrawn."""
    ui.preset({"n": 3, "z": z})


@ui.step(ctx)
def sweep():
    _, _, subj, _, s = subject()
    figure(s, "gradcheck-sweep", subj)
    st.markdown(s.sentence)
    st.caption("Central differences err by about h²|F‴|/6 (truncation: the left arm) plus ε|F|/h (rounding, since "
                "F(z + h) − F(z − h) subtracts two close numbers: the right arm). The complex step subtracts nothing: "
                "only the h² term is left, and it falls below ε.")


@ui.step(ctx)
def misleads():
    z, T, subj, y, s = subject()
    figure(s, "gradcheck-misleads", subj)
    # h moves the claims below, not the figure (which sweeps every h): its control sits with them
    h = ui.control(ctx, "fdh")
    locked = bool({"n", "z"} & ctx.locked)
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown("Saturate softmax:")
        for name, zz in SATURATED.items():
            st.button(f"z = {name}", key=f"sat_{name}", on_click=saturate, args=(zz,), disabled=locked,
                      help=ui.LOCKED_HELP if locked else "Set these logits (n = 3).")
    claims(gc.gradcheck_claims(z, subj, y, T, h))
    st.markdown(gc.gradcheck_reading(z, subj, y, T, h, best_h=s.best[0]))
    if marks := gc.pass_marks(subj):
        st.caption(marks)
    st.caption("At saturation float64 rounds entries to exactly 0, and 0 against 0 counts as relative error 0 "
               "whatever the formula.")


@ui.step(ctx)
def good():
    _, _, subj, _, s = subject()
    figure(s, "gradcheck-good", subj)
    h, rel = s.best
    st.markdown(f"Your check's best central difference reads **{fmt.prose(rel, 2)}** (at h = {fmt.prose(h)}); CS231n's "
                f"reading of it: *{gc.verdict(rel)}*. {s.far + ' ' if s.far else ''}The complex step reads "
                f"{fmt.prose(float(s.cs_rel[-1]), 2)} at h = {fmt.prose(float(s.hs[-1]))}.")
    bounds = [b for b, _ in gc.GOOD]
    ranges = [f"{fmt.num(a)} to {fmt.num(b)}" for a, b in itertools.pairwise(bounds[:-1])]
    ui.table({"max relative error": [f"below {fmt.num(bounds[0])}", *ranges, f"above {fmt.num(bounds[-2])}"],
              "CS231n's reading (float64, smooth functions)": [t for _, t in gc.GOOD]}, static=True)
    st.caption(f"In float64, ε = {fmt.prose(gc.EPS)}. Central differences reach about ε^(2/3) ≈ "
               f"{fmt.prose(gc.EPS ** (2 / 3))} at h ≈ ε^(1/3) ≈ {fmt.prose(gc.EPS ** (1 / 3))} (where h²|F‴| and ε|F|/h "
               "meet); the complex step reaches ε itself. Check with a few random inputs, not only the easy ones, and "
               f"read the ⚠ rows of the previous step before believing a ✗ (an Sᵢ near 1 or 0 makes them).")
    ui.show_code(gc.relative_error, gc.central_difference, gc.complex_step)


ui.end(ctx)
