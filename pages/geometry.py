"""Softmax on the triangle: for n = 3, S is a point of the probability simplex, and J's columns, a shift, the
temperature and the cross-entropy gradient are moves along it; one step each (pages/_ui/registry.py holds their titles).
Every point, arrow and claim comes from core.geometry; for n ≠ 3 the lesson says what the simplex is instead."""

import numpy as np
import streamlit as st

import core
from core import fmt, state
from core import geometry as geo
from figures.palette import label
from figures.simplex_figs import ce_arrow_figure, columns_figure, grid_figure, shift_figure, temperature_figure
from figures.softmax_figs import softmax_bars
from pages import _ui as ui
from pages._ui.claims import claims

ctx = ui.begin(
    __file__,
    title="Softmax on the triangle",
    intro=(
        "The outputs $S_i$ are positive and sum to 1, so for $n = 3$ they are the barycentric coordinates of a point "
        "of a triangle, the probability simplex: each corner $e_j$ is a one-hot output, the centre is uniform. "
        "Every arrow here is computed from your logits."
    ),
)
HEIGHT = {"slide": 320}  # the triangle, its title and legend fit beside the controls on 1366×768 and a 1280×720 slide
V = geo.VERTICES
_fallback = []  # the n ≠ 3 statement is drawn once per run (the whole-lesson view runs every step)


def height() -> int:
    return HEIGHT.get(ctx.screen, 350)


def use_three(z) -> None:
    """``on_click`` of "Use n = 3": the first three logits (extended with the defaults), the sliders redrawn."""
    ui.preset({"n": 3, "z": state.fit_z(z, 3)})


def triangle():
    """The logits for a triangle step: ``(z, T)`` for n = 3; otherwise the statement, a way back to n = 3, the
    outputs as bars (the point's n coordinates), and None."""
    z, T = ui.logit_controls(ctx)
    n = len(z)
    ui.clamp_index(ctx, "y", n)  # n may have shrunk below the target (every step keeps the link valid)
    if n == 3:
        return z, T
    if _fallback:
        st.caption(f"This step draws the triangle, which needs n = 3 (here n = {n}): see above.")
        return None
    _fallback.append(n)
    # the way back beside the statement, not under it: on a 1280×720 projector the bars then fit the first screen
    said, back = st.columns([5, 1], vertical_alignment="center")
    said.info(geo.picture_statement(n), icon=":material/change_history:")
    locked = bool({"n", "z"} & ctx.locked)
    back.button("Use n = 3", key="use_three", icon=":material/change_history:", on_click=use_three, args=(z,),
              disabled=locked, help=ui.LOCKED_HELP if locked else "Keep the first three logits and draw the triangle.")
    S = core.softmax(z, T)
    ui.chart(ctx, softmax_bars(S, ctx.dark, title=f"Your S for n = {n}: a point of the simplex, as n coordinates",
                               screen=ctx.screen), "simplex-point",
             alt=f"Bars of the {n} outputs S, which sum to 1: the coordinates of a point of the {n - 1}-dimensional simplex.",
             data={"output": [label("S", k) for k in range(n)], "S": S})
    return None


def point_data(S) -> dict:
    xy = geo.to_xy(S)
    return {"": ["S₁", "S₂", "S₃", "x (drawn)", "y (drawn)"], "value": [*S.tolist(), float(xy[0]), float(xy[1])]}


def all_claims(z, T) -> list:
    return geo.geometry_claims(z, int(ctx.params["y"]) - 1, T, float(ctx.params["c"]))


@ui.step(ctx)
def grid():
    logits = triangle()
    radius = ui.control(ctx, "radius", ui.panel(ctx))
    if logits is None:
        return
    z, T = logits
    g = geo.grid_image(radius, temperature=T)
    S = core.softmax(z, T)
    ui.chart(ctx, grid_figure(V, g.xy, geo.to_xy(S), S, ctx.dark, height=height(), screen=ctx.screen), "triangle-grid",
             alt=f"A triangle with corners e1, e2, e3; the image of a {g.ab.shape[1]} by {g.ab.shape[1]} grid of logits "
                 f"fills its inside without reaching the edges; your S is the dark dot.", data=point_data(S))
    st.markdown(f"{g.sentence[:1].upper()}{g.sentence[1:]} Only the part of $z$ across $\\mathbb 1$ moves $S$, so this "
                "plane of logits is every logit vector there is, up to a shift.")
    claims(all_claims(z, T)[:1])


@ui.step(ctx)
def columns():
    logits = triangle()
    dz = ui.control(ctx, "dz", ui.panel(ctx))
    if logits is None:
        return
    z, T = logits
    a = geo.column_arrows(z, T, dz)
    ui.chart(ctx, columns_figure(V, a.xy, a.S, a.tips, a.actual, a.dz, ctx.dark, height=height(), screen=ctx.screen),
             "triangle-columns",
             alt=f"Three arrows from S, in the colours of z1, z2, z3: column j of J times Δz = {fmt.num(dz)}, each "
                 "pointing along the triangle towards its corner; open rings mark where S really goes.",
             data={"": [f"∂S/∂{label('z', j)}" for j in range(3)],
                   **{label("S", i): a.dS_dz[i, :] for i in range(3)}, "column sum": a.column_sums})
    st.markdown(r"Column $j$ of $J$ is $\partial S/\partial z_j = S_j(e_j - S)/T$: a positive multiple of $e_j - S$, "
                r"so nudging $z_j$ up moves $S$ straight towards the corner $e_j$, and its entries sum to 0, so the "
                r"move stays on the triangle. Rings: the true $S(z + \Delta z\,e_j)$; the arrows are the linear guess.")
    claims(all_claims(z, T)[1:3])


@ui.step(ctx)
def shift():
    logits = triangle()
    c = ui.control(ctx, "c", ui.panel(ctx))
    if logits is None:
        return
    z, T = logits
    s = geo.shift_check(z, c, T)
    ui.chart(ctx, shift_figure(V, geo.to_xy(s.S), s.S, geo.to_xy(s.S_shifted), c, ctx.dark, height=height(),
                               screen=ctx.screen), "triangle-shift",
             alt=f"The triangle with S(z) as a dot and S(z + c) for c = {fmt.num(c)} as a ring around it: the same point.",
             data={"output": ["S₁", "S₂", "S₃"], "S(z)": s.S, "S(z + c𝟙)": s.S_shifted})
    st.markdown(r"$e^{(z_i + c)/T} = e^{c/T}e^{z_i/T}$: the common factor cancels between numerator and denominator. "
                r"The direction $\mathbb 1$ is the one $J$ sends to 0 ($J\mathbb 1 = 0$), so the triangle is the "
                r"logits' plane across $\mathbb 1$." + (" Move $c$ to shift the logits." if c == 0 else ""))
    claims([s.check])


@ui.step(ctx)
def temperature():
    logits = triangle()
    if logits is None:
        return
    z, T = logits
    p = geo.temperature_path(z, T)
    ui.chart(ctx, temperature_figure(V, p.xy, p.Ts, p.cold_xy, p.hot_xy, p.at_xy, T, p.cold_name, ctx.dark,
                                     height=height() + 40, screen=ctx.screen, frames=30), "triangle-temperature",
             alt=f"The path of S(z/T) on the triangle from {p.cold_name} (T small) to the centre (T large); your S at "
                 f"T = {fmt.num(T)} is on it. Press Play to run a marker along it.",
             data={"T": p.Ts, "S₁": p.S[:, 0], "S₂": p.S[:, 1], "S₃": p.S[:, 2]})
    st.markdown(p.sentence)
    claims(all_claims(z, T)[4:5])


@ui.step(ctx)
def gradient():
    logits = triangle()  # keeps y within 1…n
    y = ui.control(ctx, "y", ui.panel(ctx), widget="radio", horizontal=True)
    if logits is None:
        return
    z, T = logits
    c = geo.ce_arrow(z, y - 1, T)
    ui.chart(ctx, ce_arrow_figure(V, c.xy, c.S, c.tip, y - 1, c.move_tip, c.arrow_label, ctx.dark, height=height(),
                                  screen=ctx.screen), "triangle-gradient",
             alt=f"A solid arrow from S to the target's corner e{y}, and S's first move J(y − S) dashed"
                 + ("" if np.isnan(c.angle) else f", {fmt.num(c.angle, 2)} degrees off it."),
             data={"output": ["1", "2", "3"], "S": c.S, "y": c.Y, "y − S": c.arrow, "J(y − S)": c.move})
    st.markdown(c.sentence)
    claims(all_claims(z, T)[5:])
    ui.show_code(geo.column_arrows, geo.ce_arrow)


ui.end(ctx)
