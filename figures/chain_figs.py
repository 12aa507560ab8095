"""Chain-rule figures: the n paths into each z_j (stacked, animated) and CE vs MSE as the correct logit drops.

Arrays in, a plain plotly spec dict out (:mod:`figures.spec`: no graph objects); no maths beyond layout. The losses
are not indices, so they are drawn in ink (CE, solid) and grey (MSE, dashed), never in an index colour.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np

from core import fmt
from core.losses import LOSSES

from .animation import animated
from .palette import color, label
from .palette import ink as palette_ink
from .spec import axes, axis, figure, hover, on, row_layout, typed, vline

LOSS_STYLE = {k: (LOSSES[k].label, dash) for k, dash in (("cross_entropy", "solid"), ("mse", "dash"))}  # name, line




def loss_color(loss: str, dark: bool) -> str:
    return palette_ink(dark) if loss == "cross_entropy" else "#8C8C8C"


_num = partial(fmt.num, unicode=True)  # in a figure "−" and "-" differ in width: the typographic minus


def _revealed(P: np.ndarray, shown: int) -> tuple[list[list[float]], list[float | None]]:
    """Once the first ``shown`` paths (walked column by column: path (i, j) is number j·n + i) are revealed: the bar
    heights per output i (0 for a hidden path) and the running sum per column (None for a column with none yet)."""
    n = P.shape[0]
    order = np.arange(n)[None, :] * n + np.arange(n)[:, None]  # order[i, j] = j·n + i
    bars = np.where(order < shown, P, 0.0)
    totals = bars.sum(axis=0).tolist()
    return bars.tolist(), [t if j * n < shown else None for j, t in enumerate(totals)]


BUTTONS_GAP_PX = 81  # Play / Pause under the paths' plot, clear of its x axis' title (0.3 of the plot area at 470 px)


def paths_figure(P, g=None, dS_dz=None, dark: bool = False, animate: bool = True, height: int = 470) -> dict:
    """Stacked bars: column j holds the n path products P[i, j] = g_i ∂S_i/∂z_j coloured by i; a diamond marks
    their sum ∂L/∂z_j. Negative parts are hatched (sign is never colour alone).

    With ``animate`` the frames walk the paths one by one (column z₁ first; for n > 5 a column at a time) and
    accumulate the sum; the figure opens on the complete picture. ``g`` ``(n,)`` and ``dS_dz`` ``(n, n)``
    (optional) label each step. ``height``: the chart's, with its animation controls.
    """
    P = np.asarray(P, float)
    n = P.shape[0]
    xs = [label("z", j) for j in range(n)]
    total_all = P.sum(axis=0)
    dark_ink = palette_ink(dark)

    def hatch(col: list[float]) -> list[str]:
        return ["/" if v < 0 else "" for v in col]

    def printed(col: list, digits: int) -> list:  # the hover's values, moving with the frames as the heights do
        return [None if v is None else fmt.num(v, digits) for v in col]

    def sums(tot: list) -> dict:
        return {"y": tot, "text": [None if t is None else _num(t) for t in tot], "customdata": printed(tot, 6),
                "textposition": ["bottom center" if (t or 0) < 0 else "top center" for t in tot]}

    bars, tot = _revealed(P, n * n)
    data = [{"type": "bar", "x": xs, "y": col, "name": f"path via {label('S', i)}",
             # the stripes on the path's own colour: with no bgcolor ("replace" mode) a negative bar, and the legend's
             # swatch (drawn like the first bar), lost it, so S₁'s key was white while its positive bars were orange
             "marker": {"color": color(i, dark), "line": {"color": dark_ink, "width": 0.6},
                        "pattern": {"shape": hatch(col), "fgcolor": dark_ink, "bgcolor": color(i, dark), "size": 6}},
             "customdata": printed(col, 4),
             "hovertemplate": f"path L → {label('S', i)} → %{{x}}: %{{customdata}}<extra></extra>"}
            for i, col in enumerate(bars)]
    data.append({"type": "scatter", "x": xs, **sums(tot), "mode": "markers+text" if n <= 6 else "markers",
                 "name": "sum of the paths = ∂L/∂zⱼ", "textfont": {"color": dark_ink, "size": 13},
                 "marker": {"symbol": "diamond", "size": 15, "color": dark_ink,
                            "line": {"color": "#0E1117" if dark else "#FFFFFF", "width": 2}},
                 "hovertemplate": "∂L/∂%{x} = %{customdata}<extra></extra>"})
    top = max(float(np.where(P > 0, P, 0).sum(axis=0).max()), float(total_all.max()), 0.0)
    bottom = min(float(np.where(P < 0, P, 0).sum(axis=0).min()), float(total_all.min()), 0.0)
    # the range follows the bars however small (4.25e-18 at z = (40, −40, 0)): a floor on it would flatten them
    pad = 0.18 * (top - bottom) if top > bottom else 1.0
    tiny = _tiny_paths(P, (top - bottom + 2 * pad) * TINY_BAR)
    layout = {
        "barmode": "relative", "height": height, "bargap": 0.35,
        "title": {"text": "∂L/∂zⱼ = Σᵢ path via Sᵢ: multiply along each path, add the paths"},
        "xaxis": {"title": {"text": "input zⱼ (one column per input)"}},
        "yaxis": {"title": {"text": "contribution to ∂L/∂zⱼ"}, "range": [bottom - pad, top + pad], "zeroline": True,
                  "zerolinewidth": 2},
        "legend": {"orientation": "v", "yanchor": "top", "y": 1, "x": 1.02},
        "margin": {"b": 140 if animate else 60, "r": 200},
    }
    if not animate:
        layout["annotations"] = _tiny_labels(tiny, xs, n * n, n, dark)
        return figure(data, layout)
    # path by path for n <= 5; beyond that (100 paths) one column of n paths per frame keeps the figure light
    steps = list(range(n * n + 1)) if n <= 5 else list(range(0, n * n + 1, n))
    frames = []
    for k in steps:
        if k == 0:
            text = "Press ▶: each path is one product; the products into one zⱼ are added"
        elif n > 5:
            zj = label("z", k // n - 1)
            text = f"all {n} paths L → Sᵢ → {zj} added: ∂L/∂{zj} = {_num(float(P[:, k // n - 1].sum()))}"
        else:
            j, i = divmod(k - 1, n)
            if g is not None and dS_dz is not None and math.isfinite(float(g[i])):
                prod = f"{_num(float(g[i]))} × {_num(float(dS_dz[i, j]))} = {_num(float(P[i, j]))}"
            else:
                prod = f"{_num(float(P[i, j]))}"
            si, zj = label("S", i), label("z", j)
            text = f"path L → {si} → {zj}: ∂L/∂{si} · ∂{si}/∂{zj} = {prod}"
        # a frame carries only what changes (heights, hatching, sums): plotly keeps the rest of each trace
        bars, tot = _revealed(P, k)
        fdata = [{"type": "bar", "y": col, "customdata": printed(col, 4), "marker": {"pattern": {"shape": hatch(col)}}}
                 for col in bars]
        fdata.append({"type": "scatter", **sums(tot)})
        frames.append({"data": fdata, "name": str(k),
                       "layout": {"annotations": [_caption(text, dark), *_tiny_labels(tiny, xs, k, n, dark)]}})
    layout["annotations"] = [_caption("All paths shown. Press ▶ to walk them one at a time.", dark),
                             *_tiny_labels(tiny, xs, n * n, n, dark)]
    # Play / Pause as far under the plot (and its x axis' title) at every height
    return animated(figure(data, layout), frames, 350 if n <= 3 else 200, "paths shown: ", dark,
                    y=-BUTTONS_GAP_PX / (height - 60 - layout["margin"]["b"]), ticks=len(steps) <= 17)


TINY_BAR = 0.015  # a bar shorter than this share of the y range (about 5 px) is labelled with its value


def _tiny_paths(P: np.ndarray, floor: float) -> list[tuple[int, int, float]]:
    """The non-zero paths (i, j, value) too short to see next to the tallest bar: shorter than ``floor``."""
    return [(i, j, float(P[i, j])) for j in range(P.shape[1]) for i in range(P.shape[0])
            if P[i, j] != 0 and abs(P[i, j]) < floor]


def _tiny_labels(tiny, xs: list[str], shown: int, n: int, dark: bool) -> list[dict]:
    """One label per column at the foot of the plot naming its paths too short to see, with their values (at most
    two lines: the rest are counted), so a bar of 4e-18 beside bars of 1 is still read; only paths revealed so far
    (path (i, j) is number j·n + i of the walk)."""
    out = []
    for j, x in enumerate(xs):
        mine = [(i, v) for i, jj, v in tiny if jj == j and jj * n + i < shown]
        if not mine:
            continue
        lines = [f"<span style='color:{color(i, dark)}'>■</span> {label('S', i)}: {_num(v)}" for i, v in mine[:2]]
        if len(mine) > 2:
            lines[1] = f"+{len(mine) - 1} more, |·| ≤ {_num(max(abs(v) for _, v in mine[1:]))}"
        out.append({"text": "<br>".join(lines), "x": x, "xref": "x", "y": 0, "yref": "paper", "yanchor": "bottom",
                    "xanchor": "center", "showarrow": False, "align": "left",
                    "font": {"size": 11, "color": palette_ink(dark)}})
    return out


def _caption(text: str, dark: bool) -> dict:
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0, "y": 1.0, "xanchor": "left", "yanchor": "bottom",
            "showarrow": False, "font": {"size": 13, "color": palette_ink(dark)}}


def drop_figure(zy, S_y, ce, mse, zy_now: float, y: int, dark: bool = False) -> dict:
    """Side by side, as the correct logit z_y drops (x axis reversed): the push |∂L/∂z_y| for CE and MSE (log scale),
    and S_y, how much the model believes the right answer. A vertical line marks the current z_y."""
    zy, S_y, ce, mse = (np.asarray(a, float) for a in (zy, S_y, ce, mse))
    zlab, slab = label("z", y), label("S", y)
    x = typed(zy)
    z_text = fmt.nums(zy)
    data = []
    for key, vals in (("cross_entropy", ce), ("mse", mse)):
        name, dash = LOSS_STYLE[key]
        data.append(on(1, {"type": "scatter", "x": x, "y": typed(np.maximum(vals, 1e-300)), "mode": "lines", "name": name,
                           "line": {"color": loss_color(key, dark), "dash": dash, "width": 3},
                           "customdata": hover(z_text, fmt.nums(vals)),
                           "hovertemplate": f"{zlab} = %{{customdata[0]}}<br>|∂L/∂{zlab}| ({name}) = %{{customdata[1]}}"
                                            "<extra></extra>"}))
    data.append(on(2, {"type": "scatter", "x": x, "y": typed(np.maximum(S_y, 1e-300)), "mode": "lines", "name": slab,
                       "line": {"color": color(y, dark), "width": 3},
                       "customdata": hover(z_text, fmt.nums(S_y)),
                       "hovertemplate": f"{zlab} = %{{customdata[0]}}<br>{slab} = %{{customdata[1]}}<extra></extra>"}))
    layout = row_layout(2, spacing=0.12, titles=(f"the push on the correct logit, |∂L/∂{zlab}|",
                                                 f"{slab}: belief in the correct class"))
    font = {"size": 12, "color": palette_ink(dark)}
    if zy.min() <= zy_now <= zy.max():
        layout["shapes"] = [vline(zy_now, col, color=palette_ink(dark), dash="dot", width=1.5) for col in (1, 2)]
        layout["annotations"].append({"x": zy_now, "y": 0.02, "xref": "x", "yref": "y domain", "showarrow": False,
                                      "text": f" now: {zlab} = {_num(zy_now)}", "xanchor": "left", "yanchor": "bottom",
                                      "font": font})
    else:  # far outside the interesting window: say where, rather than squash the curves
        side = "right →" if zy_now < zy.min() else "← left"
        shown = _num(zy_now, 7, plain=True)  # printed in full: 1000, not 1e+03 (|z| ≤ 10⁶)
        layout["annotations"].append({"x": 0.5, "y": 0.02, "xref": "x domain", "yref": "y domain", "showarrow": False,
                                      "yanchor": "bottom", "text": f"now: {zlab} = {shown}, off the chart ({side})",
                                      "font": font})
    axes(layout, "x", autorange="reversed", title={"text": f"{zlab}, the correct logit (drops →)"})
    axis(layout, "yaxis", type="log", exponentformat="power", title={"text": f"|∂L/∂{zlab}|"})
    axis(layout, "yaxis2", type="log", exponentformat="power", title={"text": slab})
    layout.update(height=425, title={"text": "Confidently wrong: cross-entropy pushes, MSE goes quiet"},
                  legend={"orientation": "h", "yanchor": "top", "y": -0.25, "x": 0}, margin={"b": 110, "t": 115})
    return figure(data, layout)
