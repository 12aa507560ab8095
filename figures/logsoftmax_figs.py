"""Log-softmax's Jacobian beside softmax's: the row (a nudge) and the column (backprop) outlined in both, so the
different numbers of a non-symmetric matrix stand next to the equal numbers of a symmetric one.

Arrays in, a plain plotly spec dict out (figures/spec.py); no maths here beyond layout: :mod:`core.logsoftmax`
computes both matrices. Rows Sᵢ top to bottom, columns zⱼ left to right; every cell carries its sign glyph; one
diverging scale, centred at 0 with a symmetric range, shared by both panels so their sizes compare. The row is outlined
solid and the column dashed: never told apart by colour alone.
"""

from __future__ import annotations

import numpy as np

from core import fmt

from .jacobian_figs import VALUES_UP_TO, cell_text
from .palette import DIVERGING, DIVERGING_DARK, color, label
from .palette import ink as palette_ink
from .screens import LAPTOP, PHONE, cap_height
from .spec import axis, figure, on, row_layout, typed

__all__ = ["log_softmax_panels"]


def _ticks(symbol: str, n: int, dark: bool) -> tuple[list[str], list[str]]:
    values = [label(symbol, k) for k in range(n)]
    return values, [f"<b><span style='color:{color(k, dark)}'>{v}</span></b>" for k, v in enumerate(values)]


def log_softmax_panels(J_log, J, i: int, dark: bool = False, height: int = 500, screen: str = LAPTOP,
                       digits: int = 3, T: float = 1.0) -> dict:
    """Left: J_log ``(n, n)`` = ∂log Sᵢ/∂zⱼ; right: softmax's J ``(n, n)`` = ∂Sᵢ/∂zⱼ. In both, row ``i`` (0-based) is
    outlined solid (how output i responds to a nudge of every zⱼ) and column ``i`` dashed (what backprop collects at
    zᵢ). ``T`` only labels the titles (both matrices carry 1/T)."""
    Jl, J = np.asarray(J_log, dtype=float), np.asarray(J, dtype=float)
    n, ink = J.shape[0], palette_ink(dark)
    xs, xt = _ticks("z", n, dark)
    ys, yt = _ticks("S", n, dark)
    zmax = float(max(np.abs(Jl).max(), np.abs(J).max())) or 1.0
    per_T = "" if T == 1 else f" (T = {fmt.num(T, 6, unicode=True)})"
    # short subplot titles: two panels share a 70 % main column beside a lesson step's controls
    layout = row_layout(2, spacing=0.08, titles=(f"log-softmax ∂log Sᵢ/∂zⱼ{per_T}", f"softmax ∂Sᵢ/∂zⱼ{per_T}"))
    shown = n <= min(VALUES_UP_TO[screen], 5)  # two panels side by side: five columns of values fit each
    data = []
    for c, (M, what) in enumerate(((Jl, "∂log %{y}/∂%{x}"), (J, "∂%{y}/∂%{x}")), start=1):
        data.append(on(c, {"type": "heatmap", "z": typed(M), "x": xs, "y": ys, "text": cell_text(M, digits, wrap=True),
                           "texttemplate": "%{text}" if shown else "", "coloraxis": "coloraxis", "xgap": 1, "ygap": 1,
                           # "−1.8e−35" wrapped fits a cell of a panel beside controls; at n = 5 "−0.0073" (two
                           # figures below 0.01) ran into its neighbour at 9 px on a laptop and at 9 × 1.4 on a projector
                           "textfont": {"size": 11 if n <= 4 else 8},
                           "customdata": fmt.nums(M, 6), "hovertemplate": what + " = %{customdata}<extra></extra>"}))
    h = 0.5
    shapes, anns = [], layout.setdefault("annotations", [])
    for c in (1, 2):
        x, y = ("x", "y") if c == 1 else ("x2", "y2")
        shapes.append({"type": "rect", "xref": x, "yref": y, "x0": -h, "x1": n - h, "y0": i - h, "y1": i + h,
                       "line": {"color": ink, "width": 4}})
        shapes.append({"type": "rect", "xref": x, "yref": y, "x0": i - h, "x1": i + h, "y0": -h, "y1": n - h,
                       "line": {"color": ink, "width": 3, "dash": "dash"}})
    phone = screen == PHONE  # the panels stack on a phone: short texts keep the pair within one screen
    note = (f"Row {i + 1} solid: a nudge. Column {i + 1} dashed: backprop." if phone else
            f"Row {i + 1} (solid): how log {label('S', i)} responds to a nudge of every input zⱼ.<br>"
            f"Column {i + 1} (dashed): what backprop collects at {label('z', i)}.")
    anns.append({"text": note,
                 "xref": "paper", "yref": "paper", "x": 0, "y": 0, "yshift": -30 if phone else -12, "yanchor": "top",
                 "xanchor": "left",
                 "showarrow": False, "font": {"size": 13, "color": ink}})
    for a in ("xaxis", "xaxis2"):
        # no axis title: the subplot title sits where it would be, and the note under the plots names the columns; on
        # a phone (panels stacked) the column labels go under each panel, so its title sits right on it, clear of the
        # wrapped main title above
        axis(layout, a, type="category", tickvals=xs, ticktext=xt, side="bottom" if phone else "top", showgrid=False)
    for a in ("yaxis", "yaxis2"):
        axis(layout, a, type="category", tickvals=ys, ticktext=yt, autorange="reversed", showgrid=False)
    axis(layout, "yaxis", title={"text": "output (row i)"})
    layout.update(height=cap_height(height, screen), shapes=shapes,
                  margin={"t": 76 if phone else 130, "b": 70, "l": 80, "r": 20},
                  title={"text": "J<sub>log</sub> is not symmetric" if phone else
                         "Row ≠ column: log-softmax's Jacobian is not symmetric", "y": 0.985, "yref": "container",
                         "yanchor": "top"},
                  coloraxis={"colorscale": DIVERGING_DARK if dark else DIVERGING, "cmin": -zmax, "cmax": zmax, "cmid": 0.0,
                             "colorbar": {"title": {"text": "derivative"}, "thickness": 12}})
    for a in layout["annotations"][:2]:
        a["yshift"] = 4 if phone else 30  # the subplot titles above the column labels on top
    return figure(data, layout)
