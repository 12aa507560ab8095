"""Chain-rule figures: the stacked paths (and their walk-through frames) and CE vs MSE as the correct logit drops."""

import json

import numpy as np
import pytest
from helpers import plain_spec

from core import chain
from figures.chain_figs import drop_figure, paths_figure
from figures.palette import color, label
from figures.spec import strict


@pytest.mark.parametrize("n, loss", [(3, "cross_entropy"), (3, "mse"), (10, "mse")])
@pytest.mark.parametrize("dark", [False, True])
def test_paths_figure_stacks_every_path_and_marks_the_sum(n, loss, dark):
    z = np.linspace(2, -1, n)
    cp = chain.chain_paths(z, 1, loss)
    fig = strict(paths_figure(cp.P, g=cp.g, dS_dz=cp.dS_dz, dark=dark))
    bars = [t for t in fig.data if t.type == "bar"]
    assert len(bars) == n and fig.layout.barmode == "relative"
    for i, tr in enumerate(bars):
        assert tr.marker.color == color(i, dark) and label("S", i) in tr.name
        assert list(tr.x) == [label("z", j) for j in range(n)]  # never bare 0, 1, 2 ticks
        assert np.allclose(tr.y, cp.P[i])
        assert [s == "/" for s in tr.marker.pattern.shape] == [v < 0 for v in cp.P[i]]  # sign is not colour alone
    total = fig.data[-1]
    assert np.allclose(total.y, cp.total) and total.marker.symbol == "diamond"
    assert fig.layout.title.text and fig.layout.xaxis.title.text and fig.layout.yaxis.title.text
    json.dumps(fig.to_plotly_json(), default=str)  # serialisable


def test_paths_animation_walks_one_path_at_a_time_and_accumulates():
    cp = chain.chain_paths([2.0, 1.0, 0.1], 0, "mse")
    fig = strict(paths_figure(cp.P, g=cp.g, dS_dz=cp.dS_dz))
    assert len(fig.frames) == 10 and fig.layout.sliders[0].active == 9
    assert [b.label for b in fig.layout.updatemenus[0].buttons] == ["▶ Play", "❚❚ Pause"]
    assert all(np.all(np.asarray(t.y) == 0) for t in fig.frames[0].data[:3])
    f4 = fig.frames[4]  # paths (S1, S2, S3) into z1, then S1 into z2
    assert np.allclose([f4.data[i].y[0] for i in range(3)], cp.P[:, 0])
    assert f4.data[0].y[1] == pytest.approx(cp.P[0, 1]) and f4.data[1].y[1] == 0
    assert f4.data[3].y[0] == pytest.approx(cp.total[0]) and f4.data[3].y[1] == pytest.approx(cp.P[0, 1])
    assert f4.data[3].y[2] is None
    assert "S₁ → z₂" in f4.layout.annotations[0].text
    assert np.allclose(fig.frames[-1].data[3].y, cp.total)


def test_paths_figure_survives_overflowed_g():
    cp = chain.chain_paths([1e6, -1e6, 0.0], 1, "cross_entropy")
    fig = strict(paths_figure(cp.P, g=cp.g, dS_dz=cp.dS_dz))
    assert np.allclose(fig.data[-1].y, [1, -1, 0])
    assert all(np.isfinite(fig.layout.yaxis.range))
    assert "NaN" not in fig.frames[4].layout.annotations[0].text
    assert strict(paths_figure(cp.P, animate=False)).frames == ()


@pytest.mark.parametrize("dark", [False, True])
def test_drop_figure(dark):
    z = [2.0, 1.0, 0.1]
    d = chain.grad_vs_drop(z, 0)
    fig = strict(drop_figure(d["zy"], d["S_y"], d["ce"], d["mse"], 2.0, 0, dark=dark))
    names = [t.name for t in fig.data]
    assert names == ["Cross-entropy", "MSE", "S₁"]
    assert fig.data[0].line.dash == "solid" and fig.data[1].line.dash == "dash"
    assert fig.data[2].line.color == color(0, dark)
    assert fig.layout.xaxis.autorange == "reversed" and fig.layout.yaxis.type == "log"
    assert "z₁" in fig.layout.xaxis.title.text and fig.layout.title.text
    assert any(s.type == "line" and s.x0 == 2.0 for s in fig.layout.shapes)  # the current z_y
    off = strict(drop_figure(d["zy"], d["S_y"], d["ce"], d["mse"], -1e6, 0))
    assert not off.layout.shapes and "off the chart" in off.layout.annotations[-1].text


def test_large_n_walks_a_column_per_frame():
    cp = chain.chain_paths(np.linspace(2, -1, 10), 0, "mse")
    fig = strict(paths_figure(cp.P, g=cp.g, dS_dz=cp.dS_dz))
    assert len(fig.frames) == 11 and [f.name for f in fig.frames] == [str(k) for k in range(0, 101, 10)]
    assert np.allclose(fig.frames[1].data[-1].y[0], cp.total[0]) and fig.frames[1].data[-1].y[1] is None
    assert "z₁" in fig.frames[1].layout.annotations[0].text






@pytest.mark.parametrize("n", [2, 10])
@pytest.mark.parametrize("dark", [False, True])
def test_every_builder_returns_a_plain_spec(n, dark):
    z = np.linspace(2, -1, n)
    cp = chain.chain_paths(z, 1, "mse")
    d = chain.grad_vs_drop(z, 1)
    specs = [paths_figure(cp.P, g=cp.g, dS_dz=cp.dS_dz, dark=dark), paths_figure(cp.P, dark=dark, animate=False),
             drop_figure(d["zy"], d["S_y"], d["ce"], d["mse"], z[1], 1, dark=dark),
             drop_figure(d["zy"], d["S_y"], d["ce"], d["mse"], -1e6, 1, dark=dark)]
    for spec in specs:
        plain_spec(spec)


def test_paths_axis_follows_tiny_bars_and_labels_the_ones_too_short_to_see():
    """z = (40, −40, 0), CE, y = 1: the paths are ±4.25×10⁻¹⁸ and 1.8×10⁻³⁵. The y range follows them (a floor of
    10⁻¹² flattened every bar to nothing), and a path too short to see beside the others carries its value."""
    cp = chain.chain_paths([40.0, -40.0, 0.0], 0, "cross_entropy")
    for animate in (True, False):
        fig = strict(paths_figure(cp.P, g=cp.g, dS_dz=cp.dS_dz, animate=animate))
        lo, hi = fig.layout.yaxis.range
        assert 4.25e-18 < hi < 1e-17 and -1e-17 < lo < -4.25e-18
        tiny = [a for a in fig.layout.annotations if a.xref == "x"]
        assert len(tiny) == 1 and tiny[0].x == "z₂" and "S₁: 1.8×10⁻³⁵" in tiny[0].text
    # y = 3: bars of ±1 beside a path of 1.8×10⁻³⁵ into z₂, named with its value (and in the last frame too)
    cp = chain.chain_paths([40.0, -40.0, 0.0], 2, "cross_entropy")
    fig = strict(paths_figure(cp.P, g=cp.g, dS_dz=cp.dS_dz))
    assert [a.text.split("</span> ")[1] for a in fig.layout.annotations if a.xref == "x"] == ["S₃: 1.8×10⁻³⁵"]
    assert [a.x for a in fig.frames[-1].layout.annotations if a.xref == "x"] == ["z₂"]
    assert not [a for a in fig.frames[0].layout.annotations if a.xref == "x"]  # nothing before its path is walked
    # the default logits: every bar is visible, no label
    cp = chain.chain_paths([2.0, 1.0, 0.1], 0, "cross_entropy")
    assert not [a for a in strict(paths_figure(cp.P)).layout.annotations if a.xref == "x"]
