"""Training figures: regions + loss animated over snapshots, and CE vs MSE curves (including a divergence)."""

import json

import numpy as np
import pytest
from helpers import nparr, plain_spec

import core
from core import chain
from figures.palette import color
from figures.spec import strict
from figures.training_figs import curves_figure, training_animation


def setup(data="blobs", lr=0.5, D=2, epochs=60, loss="cross_entropy"):
    X, y = core.make_dataset(data, 20, D, 0)
    W, b = core.init_params(D, 3, 0)
    h = core.train(X, y, W, b, lr, epochs, loss)
    U, box, polys = chain.region_frames(X, h.snapshot_W, h.snapshot_b)
    e = [int(v) for v in h.snapshot_epochs]
    return U, y, h, polys, e, box


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize("D", [2, 6])
def test_animation_has_one_frame_per_snapshot(dark, D):
    U, y, h, polys, e, box = setup(D=D)
    fig = strict(training_animation(U, y, polys, e, h.loss[e], h.accuracy[e], h.loss, box, dark=dark))
    assert len(fig.frames) == len(e) and [f.name for f in fig.frames] == [str(v) for v in e]
    assert fig.layout.sliders[0].active == len(e) - 1 and len(fig.layout.updatemenus[0].buttons) == 2
    regions = [t for t in fig.data if t.fill == "toself"]
    assert len(regions) == 3
    for k in range(3):
        h6 = color(k, dark).lstrip("#")
        assert regions[k].fillcolor.startswith(f"rgba({int(h6[:2], 16)},{int(h6[2:4], 16)},{int(h6[4:], 16)},")
        pts = next(t for t in fig.data if t.name and t.name.startswith(f"class {k + 1}"))
        assert pts.marker.color == color(k, dark) and len(nparr(pts.x)) == int(np.sum(y == k))
    marker = fig.data[-1]
    assert marker.name == "current epoch" and marker.x[0] == e[-1]
    for f, ep in zip(fig.frames, e, strict=True):
        assert list(f.traces) == [0, 1, 2, len(fig.data) - 1]
        assert f.data[-1].x[0] == ep and f"epoch {ep}:" in f.layout.title.text
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text and fig.layout.yaxis2.type == "log"
    # Play/Pause, then the scrub slider on its own line, then the legend: each under the one before (none overlaps)
    menu, slider, legend = fig.layout.updatemenus[0], fig.layout.sliders[0], fig.layout.legend
    assert legend.y < slider.y < menu.y < 0 and slider.x == 0 and slider.len == 1
    plot_h = fig.layout.height - fig.layout.margin.t - fig.layout.margin.b
    assert (slider.y - legend.y) * plot_h >= 60  # the slider's readout, rail and ticks fit above the legend
    json.dumps(fig.to_plotly_json(), default=str)


def test_regions_move_between_frames():
    U, y, h, polys, e, box = setup()
    fig = strict(training_animation(U, y, polys, e, h.loss[e], h.accuracy[e], h.loss, box))
    first, last = fig.frames[0].data[0], fig.frames[-1].data[0]
    assert list(first.x) != list(last.x)


def test_diverged_run_shows_the_curve_up_to_the_divergence():
    U, y, h, polys, e, box = setup("overlap", lr=1e3, epochs=100)
    assert h.diverged
    fig = strict(training_animation(U, y, polys, e, h.loss[e], h.accuracy[e], h.loss, box, diverged_at=h.diverged_at))
    curve = next(t for t in fig.data if t.name == "Cross-entropy loss")
    assert len(nparr(curve.x)) == int(np.isfinite(h.loss).sum()) and max(nparr(curve.x)) <= h.diverged_at
    assert any(t.name == "diverged" and f"epoch {h.diverged_at}" in t.text[0] for t in fig.data)
    curves = {"cross_entropy": (h.loss, h.accuracy, h.diverged_at), "mse": (h.loss[:3], h.accuracy[:3], None)}
    fig2 = strict(curves_figure(curves))
    assert any("diverged" in (t.name or "") for t in fig2.data)


def test_curves_figure_overlays_both_losses():
    _, _, h, _, _, _ = setup()
    _, _, h2, _, _, _ = setup(loss="mse")
    fig = strict(curves_figure({"cross_entropy": (h.loss, h.accuracy, None), "mse": (h2.loss, h2.accuracy, None)}, dark=True))
    names = [t.name for t in fig.data]
    assert names == ["Cross-entropy loss", "Cross-entropy accuracy", "MSE loss", "MSE accuracy"]
    assert fig.data[0].line.dash == "solid" and fig.data[2].line.dash == "dash"
    assert fig.layout.yaxis.type == "log" and max(nparr(fig.data[1].y)) <= 100
    assert fig.layout.title.text and fig.layout.xaxis.title.text == "epoch"
    # each loss on its own axis, the accuracies of both on a third
    assert (fig.data[0].yaxis, fig.data[2].yaxis, fig.data[1].yaxis, fig.data[3].yaxis) == ("y", "y2", "y3", "y3")
    assert fig.layout.yaxis2.type == "log" and fig.layout.yaxis3.range == (-5, 104)
    assert fig.layout.yaxis.title.text == "Cross-entropy loss" and fig.layout.yaxis2.title.text == "MSE loss"




@pytest.mark.parametrize("n", [2, 10])
@pytest.mark.parametrize("dark", [False, True])
def test_every_builder_returns_a_plain_dict(n, dark):
    """n = the input dimension D (2: drawn as is; 10: on the principal-component plane)."""
    U, y, h, polys, e, box = setup(D=n)
    curves = {"cross_entropy": (h.loss, h.accuracy, None), "mse": (h.loss, h.accuracy, 5)}
    for spec in (training_animation(U, y, polys, e, h.loss[e], h.accuracy[e], h.loss, box, diverged_at=9, dark=dark),
                 curves_figure(curves, dark=dark)):
        assert plain_spec(spec).layout.title.text
