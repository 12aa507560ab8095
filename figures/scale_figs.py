"""At-scale figures: the block-diagonal Jacobian of a batch, and memory and operations against n on log-log axes.

Arrays in, plain plotly spec dicts out (figures/spec.py); every number comes from ``core.scale``. Signed cells carry
a + / − glyph and the diverging scale is centred at 0 with a symmetric range, as on the Jacobian page.
"""

from __future__ import annotations

import numpy as np

from core import fmt

from .jacobian_figs import cell_text
from .palette import DIVERGING, DIVERGING_DARK, subscript
from .palette import ink as palette_ink
from .spec import figure, hover, typed


def block_heatmap(Jb, m: int, K: int, dark: bool = False, height: int = 560) -> dict:
    """The (mK, mK) batch Jacobian: rows S_{r,i} top to bottom, columns z_{s,j}; a frame around each K×K block."""
    Jb = np.asarray(Jb, dtype=float)
    ink = palette_ink(dark)
    rows = [f"x{subscript(r)} S{subscript(i)}" for r in range(m) for i in range(K)]
    cols = [f"x{subscript(r)} z{subscript(j)}" for r in range(m) for j in range(K)]
    zmax = float(np.abs(Jb).max()) or 1.0
    trace = {"type": "heatmap", "z": typed(Jb), "x": cols, "y": rows, "zmid": 0.0, "zmin": -zmax, "zmax": zmax,
             "colorscale": DIVERGING_DARK if dark else DIVERGING, "xgap": 1, "ygap": 1,
             "colorbar": {"title": {"text": "∂S/∂z"}, "thickness": 12},
             "customdata": fmt.nums(Jb, 4), "hovertemplate": "∂(%{y})/∂(%{x}) = %{customdata}<extra></extra>"}
    if m * K <= 9:  # cell text fits a 390 px phone up to 9 × 9; beyond, the hover and the data table carry the numbers
        # signed, one decimal past 6 columns (two up to 6); an exact 0 stays "0", and a small non-zero entry is its
        # power of ten, mantissa over power ("−3.0<br>×10⁻²"), never "−0.0"
        text = cell_text(Jb, 1 if m * K > 6 else 2, wrap=True)
        trace.update(text=text, texttemplate="%{text}", textfont={"size": 9 if m * K > 6 else 12})
    shapes = [{"type": "rect", "xref": "x", "yref": "y", "x0": r * K - 0.5, "x1": (r + 1) * K - 0.5, "y0": r * K - 0.5,
               "y1": (r + 1) * K - 0.5, "line": {"color": ink, "width": 2}} for r in range(m)]
    layout = {
        "title": {"text": f"J of a batch of m = {m}: one {K}×{K} block per sample"},
        "height": height, "margin": {"t": 70, "l": 90, "r": 20, "b": 100}, "shapes": shapes,
        "xaxis": {"title": {"text": "input z of sample s (column)"}, "type": "category", "tickangle": -60, "showgrid": False},
        "yaxis": {"title": {"text": "output S of sample r (row)"}, "type": "category", "autorange": "reversed",
                  "showgrid": False},
    }
    return figure([trace], layout)


def cost_figure(ns, j32, j64, vjp64, vocab: int, dark: bool = False, height: int = 440) -> dict:
    """Bytes per row of logits against n (log-log): J in float32 and float64, the VJP's result in float64; the
    vocabulary size marked, with lines at 1 GB and at 16 GB (a large GPU's memory, for scale)."""
    ns = np.asarray(ns, dtype=float)
    ink = palette_ink(dark)
    orange = "#E69F00" if dark else "#D55E00"
    n_text = fmt.nums(ns, each=fmt.whole)

    def line(y, name: str, style: dict, tag: str) -> dict:
        y = np.asarray(y, dtype=float)
        return {"type": "scatter", "x": typed(ns), "y": typed(y), "mode": "lines", "name": name, "line": style,
                "customdata": hover(n_text, fmt.nums(y, each=lambda b: fmt.nbytes(round(b)))),
                "hovertemplate": f"n = %{{customdata[0]}}: %{{customdata[1]}}<extra>{tag}</extra>"}

    data = [line(j64, "J, float64: 8n² bytes", {"color": orange, "width": 3}, "J float64"),
            line(j32, "J, float32: 4n² bytes", {"color": orange, "width": 2, "dash": "dash"}, "J float32"),
            line(vjp64, "VJP result, float64: 8n bytes", {"color": ink, "width": 3, "dash": "dot"}, "VJP")]
    layout = {
        "title": {"text": "Memory per row of logits: J grows like n², the VJP like n"}, "height": height,
        "margin": {"t": 60, "b": 110, "l": 80, "r": 20}, "legend": {"orientation": "h", "y": -0.25},
        "xaxis": {"title": {"text": "number of classes n (log)"}, "type": "log", "exponentformat": "power"},
        "yaxis": {"title": {"text": "bytes (log)"}, "type": "log", "exponentformat": "power"},
        "shapes": [
            {"type": "line", "xref": "x", "x0": vocab, "x1": vocab, "yref": "paper", "y0": 0, "y1": 1,
             "line": {"color": ink, "width": 1, "dash": "dot"}},
            *({"type": "line", "xref": "paper", "x0": 0, "x1": 1, "yref": "y", "y0": v, "y1": v,
               "line": {"color": "#888888", "width": 1, "dash": "dot"}} for v in (1e9, 16e9)),
        ],
        "annotations": [
            {"x": float(np.log10(vocab)), "xref": "x", "y": 1, "yref": "paper", "yanchor": "bottom", "showarrow": False,
             "text": f"n = {fmt.whole(vocab)}", "font": {"size": 12}},
            *({"x": 0, "xref": "paper", "xanchor": "left", "y": float(np.log10(v)), "yref": "y", "yanchor": "bottom",
               "showarrow": False, "text": t, "font": {"size": 11, "color": "#888888"}}
              for v, t in ((1e9, "1 GB"), (16e9, "16 GB"))),
        ],
    }
    return figure(data, layout)
