"""figures/spec.py: the dict helpers give exactly what plotly's own helpers give, and strict() catches bad specs."""

import pytest
from plotly.subplots import make_subplots

from figures import spec as sp


def _axes_and_titles(layout: dict) -> dict:
    out = {k: {a: v for a, v in layout[k].items() if a in ("anchor", "domain", "matches", "showticklabels")}
           for k in layout if k.startswith(("xaxis", "yaxis"))}
    out["annotations"] = layout.get("annotations", [])
    return out


def _assert_same_grid(mine: dict, ref: dict, along: str) -> None:
    """Our layout's axes (anchor, domain, matches) and subplot titles equal plotly's ``ref``; titles are placed
    ``along`` "x" or "y", compared to rounding."""
    want, got = _axes_and_titles(ref), _axes_and_titles(mine)
    assert got.keys() == want.keys()
    for k in want:
        if k == "annotations":
            assert len(got[k]) == len(want[k])
            for g, w in zip(got[k], want[k], strict=True):
                assert {**g, along: pytest.approx(w[along])} == w
        else:
            assert got[k].get("anchor") == want[k].get("anchor")
            assert got[k]["domain"] == pytest.approx(want[k]["domain"])
            assert got[k].get("matches") == want[k].get("matches")


@pytest.mark.parametrize("rows, heights, spacing, titles", [
    (2, None, None, None),
    (2, [0.6, 0.4], 0.12, ("a", "b")),
    (3, None, 0.08, ("the true J", "", "+ the terms it drops")),
])
def test_column_layout_is_make_subplots(rows, heights, spacing, titles):
    kw = {"row_heights": heights} if heights else {}
    if spacing is not None:
        kw["vertical_spacing"] = spacing
    ref = make_subplots(rows=rows, cols=1, subplot_titles=titles, **kw).to_dict()["layout"]
    _assert_same_grid(sp.column_layout(rows, heights, spacing, titles), ref, "y")


@pytest.mark.parametrize("cols, widths, spacing, titles, shared", [
    (2, None, None, None, False),
    (2, [0.82, 0.18], 0.08, ("a", "b"), False),
    (3, [0.5, 0.18, 0.32], 0.02, None, True),
    (2, [0.45, 0.55], 0.1, ("S at T", "S as T sweeps"), False),
])
def test_row_layout_is_make_subplots(cols, widths, spacing, titles, shared):
    kw = {"column_widths": widths} if widths else {}
    if spacing is not None:
        kw["horizontal_spacing"] = spacing
    ref = make_subplots(rows=1, cols=cols, subplot_titles=titles, shared_yaxes=shared, **kw).to_dict()["layout"]
    _assert_same_grid(sp.row_layout(cols, widths, spacing, titles, shared), ref, "x")


def test_lines_traces_and_strict():
    layout = sp.row_layout(2)
    sp.axes(layout, "y", range=[0, 1])
    sp.axis(layout, "xaxis2", type="log")
    layout["shapes"] = [sp.hline(1.0, col=2, dash="dot"), sp.vline(0.5, col=1, width=1)]
    fig = sp.strict(sp.figure([sp.on(2, {"type": "scatter", "x": [1, 2], "y": [0.1, 0.2]})], layout,
                              frames=[{"name": "0", "data": [{"y": [0.3, 0.4]}]}]))
    assert fig.data[0].xaxis == "x2" and fig.layout.yaxis2.range == (0, 1) and fig.layout.xaxis2.type == "log"
    ref = make_subplots(rows=1, cols=2)
    for c in (1, 2):
        ref.add_scatter(x=[1], y=[1], row=1, col=c)  # plotly skips lines on empty subplots
    ref.add_hline(y=1.0, row=1, col=2, line={"dash": "dot"})
    ref.add_vline(x=0.5, row=1, col=1, line={"width": 1})
    assert [s.to_plotly_json() for s in fig.layout.shapes] == [s.to_plotly_json() for s in ref.layout.shapes]
    with pytest.raises(ValueError):
        sp.strict({"data": [{"type": "bar", "colour": "red"}], "layout": {}})


def test_is_plain_rejects_graph_objects_anywhere():
    import numpy as np
    import plotly.graph_objects as go

    ok = sp.figure([{"type": "bar", "y": np.arange(3), "x": ("a", "b", "c")}], {"height": 300, "title": None})
    assert sp.is_plain(ok) and sp.is_plain(sp.typed(np.ones(2)))
    assert not sp.is_plain({"data": [go.Bar(y=[1])], "layout": {}})
    assert not sp.is_plain({"data": [], "layout": {"xaxis": go.layout.XAxis(range=[0, 1])}})
    assert not sp.is_plain({"data": [{1: "non-string key"}], "layout": {}})
