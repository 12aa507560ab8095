"""The gradient check over h: CS231n's relative error of central differences (a V) and of the complex step (a floor),
on log-log axes, with float64's ε and CS231n's "good" line.

Arrays in, a plain plotly spec dict out (figures/spec.py); no maths here beyond layout: :func:`core.gradcheck.sweep`
computes every error. The two methods differ by line style and marker, not colour alone (neither is an index).
A relative error of exactly 0 has no place on a log axis: it is left out of the line (a gap) and said in the hover.
"""

from __future__ import annotations

import numpy as np

from core import fmt

from .palette import ink as palette_ink
from .screens import LAPTOP, PHONE, SLIDE, cap_height
from .spec import figure, hline, hover, typed

__all__ = ["gradcheck_figure"]


def _positive(v) -> list:
    """Values for a log axis: exact zeros become gaps (None)."""
    return [float(x) if x > 0 else None for x in np.asarray(v, dtype=float).tolist()]


def _decades(values, most: int) -> int:
    """A log axis' tick spacing in decades: at most ``most`` labels over the decades the positive ``values`` span."""
    v = np.asarray([x for x in values if x is not None and x > 0], dtype=float)
    span = float(np.log10(v.max()) - np.log10(v.min())) if v.size else 1.0
    return max(1, int(np.ceil((span + 1) / most)))


def gradcheck_figure(hs, fd_rel, cs_rel, eps: float = float(np.finfo(float).eps), good: float = 1e-7,
                     best: tuple[float, float] | None = None, dark: bool = False, height: int = 460,
                     screen: str = LAPTOP, subject: str = "softmax's Jacobian") -> dict:
    """Max relative error against h (both log scales, h falling to the right as a student shrinks it): central
    differences (solid, circles) and the complex step (dashed, squares), ``hs``, ``fd_rel``, ``cs_rel`` ``(k,)``.
    ``best`` = (h, error) at the bottom of FD's V is marked; ``eps`` and CS231n's ``good`` bound are dotted lines."""
    ink = palette_ink(dark)
    hs = np.asarray(hs, dtype=float)
    fd, cs = np.asarray(fd_rel, dtype=float), np.asarray(cs_rel, dtype=float)
    h_text = fmt.nums(hs, each=lambda h: fmt.num(h, 1))  # 1×10⁻⁶, as the page's sentences print h
    zero = hover(h_text, [fmt.num(v, 2) + ("  (exactly 0: not drawn)" if v == 0 else "") for v in fd.tolist()])
    zero_cs = hover(h_text, [fmt.num(v, 2) + ("  (exactly 0: not drawn)" if v == 0 else "") for v in cs.tolist()])
    data = [
        {"type": "scatter", "x": typed(hs), "y": _positive(fd), "mode": "lines+markers", "name": "central differences",
         "line": {"color": ink, "width": 3}, "marker": {"symbol": "circle", "size": 8, "color": ink}, "customdata": zero,
         "hovertemplate": "h = %{customdata[0]}: relative error %{customdata[1]}<extra>central differences</extra>"},
        {"type": "scatter", "x": typed(hs), "y": _positive(cs), "mode": "lines+markers", "name": "complex step",
         "line": {"color": ink, "width": 2, "dash": "dash"}, "customdata": zero_cs,
         "marker": {"symbol": "square-open", "size": 9, "color": ink, "line": {"width": 2}},
         "hovertemplate": "h = %{customdata[0]}: relative error %{customdata[1]}<extra>complex step</extra>"},
    ]
    if best is not None and best[1] > 0:
        data.append({"type": "scatter", "x": [best[0]], "y": [best[1]], "mode": "markers", "name": "the bottom of the V",
                     "marker": {"symbol": "diamond-open", "size": 18, "color": ink, "line": {"width": 2.5}},
                     "customdata": [[fmt.num(best[0], 1), fmt.num(best[1], 2)]],
                     "hovertemplate": "best h = %{customdata[0]}: %{customdata[1]}<extra></extra>"})
    shapes = [hline(eps, color=ink, width=1, dash="dot"), hline(good, color=ink, width=1, dash="dashdot")]
    # ε's label over its line at the left (large h), where the complex step is still far above it; CS231n's under its
    # line at the right (small h), where FD's rounding arm is above 10⁻⁷ and the complex step down at ε, so nothing is
    # drawn there (over the line, at either end, the V's arms crossed it; a phone's narrow plot gets shorter texts)
    phone = screen == PHONE
    anns = [{"xref": "x domain", "x": 0.01, "xanchor": "left", "yref": "y", "y": np.log10(eps), "yanchor": "bottom",
             "text": "ε (float64)" if phone else "ε = 2.2×10⁻¹⁶ (float64)", "showarrow": False,
             "font": {"size": 12, "color": ink}},
            {"xref": "x domain", "x": 0.99, "xanchor": "right", "yref": "y", "y": np.log10(good), "yanchor": "top",
             "text": f"good: below {fmt.num(good, 1, unicode=True)}" if phone else
                     f"CS231n: below {fmt.num(good, 1, unicode=True)} is good", "showarrow": False,
             "font": {"size": 12, "color": ink}}]
    # tick labels a screen can hold: 12 decades of h at one a decade ran into each other in a step's column and on a
    # phone, and a slide's large type did the same with the errors' 14 decades at two a decade
    small = screen in (PHONE, SLIDE)
    ys = [*_positive(fd), *_positive(cs), eps, good]
    # short: the cross-entropy's longer name ran this title off a step's column ("relative error" is the y axis' name)
    layout = {"title": {"text": f"Gradient check of {subject}, over h"},
              "height": cap_height(height, screen), "shapes": shapes, "annotations": anns,
              # over the plot, except on a phone, where the wrapped title takes that line: under the x axis there
              "legend": ({"orientation": "h", "x": 0, "y": -0.3, "yanchor": "top"} if screen == PHONE else
                         {"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom"}),
              "margin": {"t": 60 if phone else 90, "b": 60, "l": 80, "r": 20},  # a phone's legend is under the plot
              "xaxis": {"type": "log", "autorange": "reversed", "title": {"text": "step h (log scale, smaller to the right)"},
                        # a lesson step's column is about 600 px wide beside its controls: six labels fit there
                        "dtick": _decades(hs, 5 if screen == PHONE else 6)},
              "yaxis": {"type": "log", "dtick": _decades(ys, 5 if small else 8),
                        # a slide's large type: the short name fits the plot's height
                        "title": {"text": "max relative error" if screen == SLIDE else "max |a − f| / max(|a|, |f|)"}}}
    return figure(data, layout)
