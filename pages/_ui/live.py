r"""Live logits controls (issue #24, a design spike): sliders for z_1…z_n and T that move the page's charts while
they are dragged, in the browser, and tell the server once, on release.

A ``st.components.v2`` component (inline HTML/CSS/JS, no build step, no iframe): ``live_math.js`` (the mirror of
``core/`` that tests/browser/test_live_math_parity.py holds to ``core/``) and ``live.js``. During a drag or a held
arrow key each ``input`` event recomputes in JavaScript and restyles, once per animation frame, every plotly chart on
the page that declares what it shows; no message goes to the server. On release (``change``, or keyup) the values are
sent once, as the trigger value ``released``: one rerun, which draws every chart, number and sentence from ``core/``.

**The contract: a chart opts in through its layout.** ``layout.meta.live`` (see :func:`live_meta`) names what the
chart shows; the chart stays the figure ``figures/`` built (theme, export, alt text and data table unchanged):

- ``{"kind": "softmax_bars", "trace": 0, "stack": [1, …, n], "digits": 3}``: trace ``trace`` gets ``y = S`` (and,
  if it has text, S to ``digits`` significant figures, as ``core.fmt.num``); each trace in ``stack`` (the stacked Σ S bar of
  ``figures.softmax_figs.softmax_bars``) gets ``y = [S_k]``, k its position in ``stack``.
- ``{"kind": "jacobian_heatmap", "trace": 0, "digits": 3, "zmax": None, "wrap": True}``: ``z = J`` (rows S_i, columns
  z_j, as ``figures.jacobian_figs.jacobian_heatmap``), text as ``figures.jacobian_figs.cell_text`` (``core.fmt.signed``,
  a power of ten on a second line with ``wrap``), each label in the contrasting ink plotly gives it; the colour range
  (±``zmax``, else the range drawn) only widens during a drag, to 2·max|J| and at most 1/(4T); the release draws ±max|J|.
- ``{"kind": "grad_bars", "trace": 0, "loss": "cross_entropy" | "mse", "y": 0, "digits": 3}``: ``y = ∂L/∂z`` at
  temperature T for the 0-based target ``y``.
- ``{"kind": "dependency_arrows", "n", "j", "scale", "w_min", "w_max", "labels", "short"}``: the arrows of
  ``figures.dependencies_figs.dependency_figure`` (widths ∝ |J[i, j]| on the figure's scale, heads on z_j's), its z
  labels, S bars and readout (traces ``labels``, ``labels + 1``, ``labels + 2``).
- ``{"kind": "chain_paths", "n", "y", "loss"}``: ``figures.chain_figs.paths_figure`` for
  ``core.chain.chain_paths(z, y, loss, T)``: bar trace i gets the paths via S_i (``y = P[i, :]``, negative parts
  hatched), trace n the sums (``y``, labels, their positions), and the y range as the figure sets it.
- ``{"kind": "temperature_curves", "n", "grid"}``: ``figures.softmax_figs.temperature_animation``: the bars of S at
  T, the curves S_k over ``grid`` with T in its place (``core.explore.temperature_grid``) and the markers at T.
- ``{"kind": "soft_max_sweep", "n", "Ts"}``: ``figures.lse_figs.limits_figure`` over
  ``core.lse.soft_max_sweep(z, Ts)``: the upper bound, the soft max, the line at max z (its legend entry waits for the
  release), the soft argmax curves. It does not depend on T.
- ``"source": key`` (optional, any kind): only the controls with that key drive the chart (default: any).
- ``z``, ``T``: the values the chart was drawn with (:func:`live` sets them).

The same kinds serve the page's own Streamlit sliders: ``live_page.js`` (loaded with the page script) follows them
during a drag and restyles the charts declared with :func:`live`. That is what the pages use: the widgets stay
Streamlit's (their keys, locks, hiding, the link and every test that drives them), and only the figure moves early.

Each redraw is written straight into the SVG plotly drew (``live_paint.js``: bar paths, line widths, arrowheads,
points, labels, the heatmap's cells) and into the chart's data, in well under a millisecond, where a plotly call
re-runs the whole figure (15–130 ms of the main thread each, measured); a browser test holds what is drawn so to be
what plotly draws from the same data. What it cannot draw (an axis range or a heatmap's colour range that must grow,
a bar or label that changes side, a trace type it does not know) goes to ``Plotly.restyle`` for that frame, and a
range grows with half its span to spare, so that happens once per drag rather than on every frame. live_page.js starts
no redraw while plotly's previous one has not finished: it draws the newest values next.
What a kind does not update (titles, annotations, LaTeX, sentences) waits for the rerun on release. Nothing is
animated over time, so reduced motion needs nothing more. The controls keep the widgets' accessibility: each slider has an
``aria-label`` (``z₁``…, ``Temperature T``), arrows / PageUp / PageDown / Home / End work, focus is drawn, and a
locked control is disabled with :data:`LOCKED_HELP` as its title.
"""

from __future__ import annotations

import math
from pathlib import Path

import streamlit as st

from core import state

from .controls import LOCKED_HELP, Z_COLUMNS, Z_STEP

HERE = Path(__file__).parent
KINDS = ("softmax_bars", "jacobian_heatmap", "grad_bars", "dependency_arrows", "chain_paths", "temperature_curves",
         "soft_max_sweep")

_component = st.components.v2.component(
    "sdx_live_logits",
    css=(HERE / "live.css").read_text(encoding="utf-8"),
    js="\n".join((HERE / f).read_text(encoding="utf-8") for f in ("live_math.js", "live_charts.js", "live_paint.js", "live.js")),
)


def live_meta(kind: str, **options) -> dict:
    """``layout.meta`` for a chart the live controls restyle: ``fig["layout"]["meta"] = live_meta("softmax_bars",
    stack=[1, 2, 3])``. The kinds and their options are in the module docstring."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return {"live": {"kind": kind, **options}}


def live(fig: dict, kind: str, z, T: float, **options) -> dict:
    """``fig`` (a plain spec from ``figures/``) declared live: while a student drags the page's z or T sliders, the
    page script (live_page.js) restyles it in the browser (``kind`` and ``options`` as in the module docstring). The
    z and T it was drawn with stand in for a slider that is not on the page (hidden by the lecturer's link)."""
    meta = live_meta(kind, z=[float(v) for v in z], T=float(T), **options)
    return {**fig, "layout": {**fig["layout"], "meta": {**fig["layout"].get("meta", {}), **meta}}}


def _released(value, n: int, lo: float, hi: float) -> tuple[tuple[float, ...], float] | None:
    """The browser's report checked like any input: n finite numbers clamped into [lo, hi] and T into its bounds,
    or None."""
    try:
        z = [float(v) for v in value["z"]]
        T = float(value["T"])
    except (TypeError, KeyError, ValueError):
        return None
    if len(z) != n or not all(map(math.isfinite, [*z, T])):
        return None
    t = state.TABLE["T"]
    return tuple(min(max(v, lo), hi) for v in z), min(max(T, t.lo), t.hi)


def live_logits(key: str, z: tuple, T: float, *, locked: bool = False, n_max: int = state.N_MAX,
                lo: float = -10.0, hi: float = 10.0) -> tuple[tuple[float, ...], float]:
    """The live sliders for ``z`` (n values) and ``T``; returns ``(z, T)``: the released values on the rerun a
    release caused, else the values given. The range widens to cover z (as ``logit_controls`` does); ``locked``
    disables every slider."""
    z = tuple(float(v) for v in z)
    if not 1 <= len(z) <= n_max:
        raise ValueError(f"z must have 1…{n_max} values, got {len(z)}")
    lo, hi = min(lo, *z), max(hi, *z)
    t = state.TABLE["T"]
    data = {"key": key, "z": list(z), "T": float(T), "lo": lo, "hi": hi, "step": Z_STEP, "T_range": [t.lo, t.hi],
            "T_step": 0.1, "locked": locked, "locked_T": locked, "columns": Z_COLUMNS, "help": LOCKED_HELP}
    result = _component(key=key, data=data, on_released_change=lambda: None)
    got = _released(result.get("released"), len(z), lo, hi)
    return got if got is not None else (z, float(T))
