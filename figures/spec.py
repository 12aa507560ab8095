"""Plain-dict plotly specs: what every builder in ``figures/`` returns.

Why dicts and not ``go.Figure``: plotly's graph objects validate every property on every assignment, and a figure
with animation frames is costly to build that way, on every slider move of every student. A spec is the same
JSON with no validation on the way (both costs measured in docs/PERFORMANCE.md). Validity is not given up: every builder's
test builds ``go.Figure(spec)`` (which raises on any unknown or ill-typed property), see :func:`strict`.

A spec is ``{"data": [trace, ...], "layout": {...}, "frames": [...]}`` where a trace is ``{"type": "bar", ...}``.
Arrays may be lists or numpy arrays (the JSON encoder turns them into lists).
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

import numpy as np


def typed(a) -> dict | list:
    """A numpy array as plotly's base64 typed array, byte for byte what ``go.Figure`` sends: float64 as "f8",
    integers in the smallest signed type that holds them (plotly.js has no int64), a "shape" when 2-D. Exact (no
    printed floats), about half the JSON of a list, and cheap to encode on every rerun."""
    a = np.asarray(a)
    if not a.size:
        return []
    dt = np.dtype("<f8")
    if a.dtype.kind in "iu":
        dt = next(np.dtype(f"<{t}") for t in ("i1", "i2", "i4") if np.iinfo(t).min <= a.min() and a.max() <= np.iinfo(t).max)
    out = {"dtype": dt.str[1:], "bdata": base64.b64encode(np.ascontiguousarray(a, dtype=dt).tobytes()).decode("ascii")}
    if a.ndim > 1:
        out["shape"] = str(a.shape)[1:-1]
    return out


def figure(data: list[dict], layout: dict, frames: list[dict] | None = None) -> dict:
    """A spec from its traces, layout and (optional) animation frames."""
    spec = {"data": data, "layout": layout}
    if frames:
        spec["frames"] = frames
    return spec


def hover(*columns) -> list[list[str]]:
    """Per point, its printed texts side by side, as ``customdata`` for a hovertemplate's ``%{customdata[0]}``,
    ``%{customdata[1]}``: each column is a list of texts already printed through core.fmt (``fmt.nums``), so a hover
    reads as the page does (2.21×10⁻⁵, "−"), never as plotly's d3 format (``%{y:.3g}`` prints 2.21e-05, "-").

    >>> hover(["1", "2"], ["0.5", "−2.2×10⁻⁵"])
    [['1', '0.5'], ['2', '−2.2×10⁻⁵']]
    """
    return [list(row) for row in zip(*columns, strict=True)]


def axis_ids(col: int) -> tuple[str, str]:
    """The axis names of subplot ``col`` (1-based, one row), for a trace: ``(x, y)``, e.g. ``("x2", "y2")``."""
    return ("x", "y") if col == 1 else (f"x{col}", f"y{col}")


def on(col: int, trace: dict) -> dict:
    """``trace`` placed in subplot ``col`` (1-based) of a :func:`row_layout`."""
    x, y = axis_ids(col)
    return {**trace, "xaxis": x, "yaxis": y}


def row_layout(cols: int, widths: Sequence[float] | None = None, spacing: float | None = None,
               titles: Sequence[str] | None = None, shared_y: bool = False) -> dict:
    """The layout of ``make_subplots(rows=1, cols=cols, column_widths=widths, horizontal_spacing=spacing,
    subplot_titles=titles, shared_yaxes=shared_y)``: axis domains, anchors and the subplot titles (the same
    numbers, checked against plotly in tests/test_figures_spec.py)."""
    widths = list(widths or [1.0] * cols)
    spacing = 0.2 / cols if spacing is None else spacing  # make_subplots' default
    free = 1.0 - spacing * (cols - 1)
    layout, x0 = {}, 0.0
    domains = []
    for c in range(1, cols + 1):
        w = free * widths[c - 1] / sum(widths)
        domains.append([x0, x0 + w])
        x, y = axis_ids(c)
        xname, yname = "xaxis" if c == 1 else f"xaxis{c}", "yaxis" if c == 1 else f"yaxis{c}"
        layout[xname] = {"anchor": y, "domain": [x0, x0 + w]}
        layout[yname] = {"anchor": x, "domain": [0.0, 1.0]}
        if shared_y and c > 1:
            layout[yname].update(matches="y", showticklabels=False)
        x0 += w + spacing
    if titles:
        layout["annotations"] = [
            {"font": {"size": 16}, "showarrow": False, "text": t, "x": (d[0] + d[1]) / 2, "xanchor": "center",
             "xref": "paper", "y": 1.0, "yanchor": "bottom", "yref": "paper"}
            for t, d in zip(titles, domains, strict=False) if t
        ]
    return layout


def column_layout(rows: int, heights: Sequence[float] | None = None, spacing: float | None = None,
                  titles: Sequence[str] | None = None) -> dict:
    """The layout of ``make_subplots(rows=rows, cols=1, row_heights=heights, vertical_spacing=spacing,
    subplot_titles=titles)``: :func:`row_layout` turned on its side, for a phone (subplot ``k`` is row ``k``, from the
    top; :func:`on` places traces the same way). Checked against plotly in tests/test_figures_spec.py."""
    heights = list(heights or [1.0] * rows)
    spacing = 0.3 / rows if spacing is None else spacing  # make_subplots' default
    free = 1.0 - spacing * (rows - 1)
    layout, top, domains = {}, 1.0, []
    for r in range(1, rows + 1):
        h = free * heights[r - 1] / sum(heights)
        domains.append([top - h, top])
        x, y = axis_ids(r)
        xname, yname = "xaxis" if r == 1 else f"xaxis{r}", "yaxis" if r == 1 else f"yaxis{r}"
        layout[xname] = {"anchor": y, "domain": [0.0, 1.0]}
        layout[yname] = {"anchor": x, "domain": [max(top - h, 0.0), top]}
        top -= h + spacing
    if titles:
        layout["annotations"] = [
            {"font": {"size": 16}, "showarrow": False, "text": t, "x": 0.5, "xanchor": "center",
             "xref": "paper", "y": d[1], "yanchor": "bottom", "yref": "paper"}
            for t, d in zip(titles, domains, strict=False) if t
        ]
    return layout


def axis(layout: dict, name: str, **props) -> dict:
    """Merge ``props`` into axis ``name`` ("xaxis", "yaxis2", ...) of ``layout``, in place; returns ``layout``.
    (The dict form of ``fig.update_xaxes(..., row=1, col=c)``.)"""
    layout.setdefault(name, {}).update(props)
    return layout


def axes(layout: dict, letter: str, **props) -> dict:
    """Merge ``props`` into every ``letter`` axis ("x" or "y") of ``layout`` (``fig.update_xaxes(...)``)."""
    names = [k for k in layout if k.startswith(f"{letter}axis")] or [f"{letter}axis"]
    for k in names:
        axis(layout, k, **props)
    return layout


def hline(y: float, col: int = 1, **line) -> dict:
    """A horizontal line across subplot ``col`` at ``y`` (``fig.add_hline``), as a layout shape."""
    x, yy = axis_ids(col)
    return {"type": "line", "xref": f"{x} domain", "x0": 0, "x1": 1, "yref": yy, "y0": y, "y1": y, "line": line}


def vline(x: float, col: int = 1, **line) -> dict:
    """A vertical line across subplot ``col`` at ``x`` (``fig.add_vline``), as a layout shape."""
    xx, y = axis_ids(col)
    return {"type": "line", "xref": xx, "x0": x, "x1": x, "yref": f"{y} domain", "y0": 0, "y1": 1, "line": line}


def is_plain(obj) -> bool:
    """True if ``obj`` is a spec as this module defines it, all the way down: dicts with string keys, lists and
    tuples, JSON scalars, numpy arrays and scalars; no plotly graph objects anywhere (for tests: what every builder
    promises)."""
    if isinstance(obj, dict):
        return all(isinstance(k, str) and is_plain(v) for k, v in obj.items())
    if isinstance(obj, list | tuple):
        return all(is_plain(v) for v in obj)
    return obj is None or isinstance(obj, str | int | float | bool | np.ndarray | np.generic)


def strict(spec: dict):
    """The spec as a validated ``go.Figure`` (raises on any unknown or ill-typed property): for tests and exports,
    never on a page's hot path."""
    import plotly.graph_objects as go

    return go.Figure(spec, skip_invalid=False)
