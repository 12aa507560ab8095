"""Log-sum-exp figures: strictly valid plain specs that draw exactly the numbers they are given."""

import numpy as np
import pytest
from helpers import nparr, plain_spec

import core
from core import lse, reader
from figures.lse_figs import limits_figure, row_column_figure, smoothing_figure, targets_figure
from figures.palette import color, label
from figures.spec import strict


@pytest.mark.parametrize("z", [(2.0, 1.0, 0.1), (1.0, 1.0, 0.0), tuple(np.linspace(3, -2, 10))])
@pytest.mark.parametrize("dark", [False, True])
def test_limits_figure(z, dark):
    Ts = np.geomspace(10, 0.01, 31)
    X = np.asarray(z)[None, :] / Ts[:, None]
    smax, S = Ts * core.logsumexp(X), core.softmax(X)
    spec = limits_figure(Ts, smax, max(z), max(z) + Ts * np.log(len(z)), S, dark=dark)
    fig = plain_spec(spec)
    assert np.allclose(nparr(fig.data[1].y), smax) and fig.data[2].y == (max(z), max(z))
    lines = fig.data[3:]
    assert len(lines) == len(z)
    for j, tr in enumerate(lines):
        assert tr.name == label("S", j) and tr.line.color == color(j, dark) and np.allclose(nparr(tr.y), S[:, j])
    assert fig.layout.xaxis.type == "log" and fig.layout.xaxis.title.text and fig.layout.yaxis2.title.text


@pytest.mark.parametrize("n", [2, 3, 10])
def test_targets_figure_hatches_negative_gradients(n):
    z = np.linspace(2, -1, n)
    q = core.smooth_targets(0, n, 0.2)
    grad = core.ce_lse_grad(z, q, 0.5)
    fig = strict(targets_figure(core.softmax(z, 0.5), q, grad, "gradient (S − q)/T"))
    S_bar, q_bar, g_bar = fig.data
    assert list(S_bar.x) == [label("z", j) for j in range(n)]
    assert np.allclose(nparr(q_bar.y), q) and np.allclose(nparr(g_bar.y), grad)
    assert [s == "/" for s in g_bar.marker.pattern.shape] == [v < 0 for v in grad]
    assert fig.layout.annotations[1].text == "gradient (S − q)/T"


def test_smoothing_figure_marks_the_optimum_only_when_finite():
    d = core.smoothing_gap(3, 0.1)
    c = lse.smoothing_loss_vs_gap(3, 0.1, np.linspace(-2, 6, 41))
    L = lse.smoothing_loss_vs_gap(3, 0.1, [d])["smoothed"][0]
    fig = strict(smoothing_figure(c["gap"], c["onehot"], c["smoothed"], d, L, 0.1))
    assert fig.data[2].x == (d,) and fig.data[2].y == (L,) and fig.layout.shapes[0].x0 == d
    assert L <= nparr(fig.data[1].y).min() + 1e-12  # the marked point is the curve's minimum
    fig0 = strict(smoothing_figure(c["gap"], c["onehot"], c["onehot"], float("inf"), float("nan"), 0.0))
    assert len(fig0.data) == 2 and not fig0.layout.shapes
    assert "minimum" in fig.layout.title.text and "minimum" not in fig0.layout.title.text


@pytest.mark.parametrize("n", [3, 10])
@pytest.mark.parametrize("dark", [False, True])
def test_row_column_figure_outlines_a_row_then_a_column(n, dark):
    z = np.linspace(1, -1, n)
    J = core.jacobian(z)
    r = reader.row_nudge(z, 1, 0.1)
    fig = strict(row_column_figure(J, 1, r.dz, -np.arange(n) / 3, dark=dark))
    assert len(fig.data) == 2 and all(np.allclose(nparr(t.z), J) for t in fig.data)
    row, col = fig.layout.shapes
    assert (row.y0, row.y1, row.x0, row.x1) == (0.5, 1.5, -0.5, n - 0.5)
    assert (col.x0, col.x1, col.y0, col.y1) == (0.5, 1.5, -0.5, n - 0.5)
    assert fig.layout.yaxis.autorange == "reversed" and list(fig.data[0].y) == [label("S", k) for k in range(n)]
    plain_spec(row_column_figure(J, 0, r.dz, np.full(n, -np.inf)))
