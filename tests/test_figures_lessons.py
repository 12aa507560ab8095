"""The next lessons' figure builders (simplex, log-softmax, layer, gradient check): plain dicts that pass plotly's
validation, in light and dark, on every screen; they draw exactly core's numbers; colour per index; signs and kinds
of arrow told apart by more than colour; only the trace types the trimmed template styles."""

import base64

import numpy as np
import pytest

import core
from core import fmt, layer
from core import geometry as geo
from core import gradcheck as gc
from core import logsoftmax as ls
from figures import gradcheck_figs, layer_figs, logsoftmax_figs, simplex_figs
from figures.palette import DIVERGING, DIVERGING_DARK, USED_TRACES, color, ink
from figures.screens import SCREENS, SLIDE, SLIDE_MAX_HEIGHT
from figures.spec import is_plain, strict

SETTINGS = [((2.0, 1.0, 0.1), 1.0, 2), ((1.0, 1.0, 0.0), 1.0, 2), ((1.0, 1.0, 1.0), 1.0, 0), ((2.0, 1.0, 0.1), 0.1, 1),
            ((2.0, 1.0, 0.1), 10.0, 0), ((40.0, -40.0, 0.0), 1.0, 2), ((1000.0, 0.0, -1000.0), 1.0, 1)]


def arr(v) -> np.ndarray:
    """A figure's data array: a list, or plotly's base64 typed array."""
    if isinstance(v, dict):
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        return a.reshape([int(k) for k in v["shape"].split(",")]) if "shape" in v else a
    return np.asarray(v)


def lesson_specs(z, T, y, dark, screen="laptop") -> dict[str, dict]:
    V = geo.VERTICES
    cols, grid, path = geo.column_arrows(z, T), geo.grid_image(lines=5, points=9, temperature=T), geo.temperature_path(z, T)
    arrow, shift = geo.ce_arrow(z, y, T), geo.shift_check(z, 3.0, T)
    sweep = gc.sweep(z, "softmax", y, T)
    rng = np.random.default_rng(1)
    X, W, b = rng.standard_normal((5, 2)), rng.standard_normal((3, 2)), rng.standard_normal(3)
    g = layer.layer_grads(X, np.arange(5) % 3, W, b)
    kw = {"dark": dark, "screen": screen}
    return {
        "grid": simplex_figs.grid_figure(V, grid.xy, cols.xy, cols.S, **kw),
        "columns": simplex_figs.columns_figure(V, cols.xy, cols.S, cols.tips, cols.actual, cols.dz, **kw),
        "shift": simplex_figs.shift_figure(V, cols.xy, cols.S, geo.to_xy(shift.S_shifted), shift.c, **kw),
        "temperature": simplex_figs.temperature_figure(V, path.xy, path.Ts, path.cold_xy, path.hot_xy, path.at_xy, T,
                                                       path.cold_name, **kw),
        "ce": simplex_figs.ce_arrow_figure(V, arrow.xy, arrow.S, arrow.tip, y, arrow.move_tip, arrow.arrow_label, **kw),
        "log_softmax": logsoftmax_figs.log_softmax_panels(ls.log_softmax_jacobian(z, T), core.jacobian(z, T), 0, T=T, **kw),
        "gradcheck": gradcheck_figs.gradcheck_figure(sweep.hs, sweep.fd_rel, sweep.cs_rel, best=sweep.best, **kw),
        "dW": layer_figs.dW_heatmap(g.dL_dW, layer.fd_layer_grads(X, np.arange(5) % 3, W, b)["dL_dW"], **kw),
        "shapes": layer_figs.shapes_figure(5, 2, 3, **kw),
        "expected": layer_figs.expectation_figure(**{k: v for k, v in layer.sampled_expectation(z, 50, 0, T).items()
                                                     if k != "error"}, **kw),
    }


@pytest.mark.parametrize(("z", "T", "y"), SETTINGS)
@pytest.mark.parametrize("dark", [False, True])
def test_every_builder_is_a_plain_valid_spec_with_a_title(z, T, y, dark):
    for name, spec in lesson_specs(z, T, y, dark).items():
        assert isinstance(spec, dict) and is_plain(spec), name
        fig = strict(spec)  # raises on any unknown or ill-typed property
        assert fig.layout.title.text, name
        assert {t.type for t in fig.data} <= set(USED_TRACES), name


@pytest.mark.parametrize("screen", SCREENS)
def test_every_screen_and_a_slide_fits_720(screen):
    for name, spec in lesson_specs((2.0, 1.0, 0.1), 1.0, 2, False, screen).items():
        fig = strict(spec)
        if screen == SLIDE:
            assert fig.layout.height <= SLIDE_MAX_HEIGHT, name


@pytest.mark.parametrize("dark", [False, True])
def test_triangle_draws_cores_points_in_index_colours(dark):
    z, T = (2.0, 1.0, 0.1), 0.7
    cols = geo.column_arrows(z, T)
    fig = strict(simplex_figs.columns_figure(geo.VERTICES, cols.xy, cols.S, cols.tips, cols.actual, cols.dz, dark=dark))
    corners = fig.data[1]
    np.testing.assert_array_equal(np.c_[arr(corners.x), arr(corners.y)], geo.VERTICES)
    assert list(corners.marker.color) == [color(j, dark) for j in range(3)]
    arrows = [a for a in fig.layout.annotations if a.showarrow]
    assert [a.arrowcolor for a in arrows] == [color(j, dark) for j in range(3)]
    for j, a in enumerate(arrows):  # from S to core's tip, in data coordinates
        assert (a.ax, a.ay) == tuple(cols.xy) and (a.x, a.y) == tuple(cols.tips[j])
        assert a.axref == "x" and a.ayref == "y"
    you = next(t for t in fig.data if t.name == "your S")
    assert (you.x[0], you.y[0]) == tuple(cols.xy) and you.marker.color == ink(dark)
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.scaleanchor == "x"  # no stray ticks; equilateral


def test_ce_arrow_solid_and_the_move_dashed():
    a = geo.ce_arrow((2.0, 1.0, 0.1), 2)
    fig = strict(simplex_figs.ce_arrow_figure(geo.VERTICES, a.xy, a.S, a.tip, 2, a.move_tip, a.arrow_label))
    solid = [x for x in fig.layout.annotations if x.showarrow]
    assert len(solid) == 1 and (solid[0].x, solid[0].y) == tuple(geo.VERTICES[2])
    move = next(t for t in fig.data if t.name and "move" in t.name)
    assert move.line.dash == "dash" and (move.x[1], move.y[1]) == tuple(a.move_tip)
    assert any("target" in x.text for x in fig.layout.annotations)
    assert fig.data[1].marker.symbol[2] == "star"  # the target corner is marked by shape, not colour alone


def test_temperature_path_and_grid_carry_cores_arrays():
    p = geo.temperature_path((1.0, 1.0, 0.0), 0.5)
    fig = strict(simplex_figs.temperature_figure(geo.VERTICES, p.xy, p.Ts, p.cold_xy, p.hot_xy, p.at_xy, 0.5, p.cold_name))
    line = fig.data[2]
    np.testing.assert_array_equal(np.c_[arr(line.x), arr(line.y)], p.xy)
    assert list(line.customdata) == [fmt.num(t) for t in p.Ts]  # T printed as the page prints it
    assert "midpoint of the edge e₁e₂" in fig.layout.title.text
    g = geo.grid_image(lines=3, points=4)
    fig = strict(simplex_figs.grid_figure(geo.VERTICES, g.xy, g.xy[0, 0, 0], g.S[0, 0, 0]))
    fam0 = fig.data[2]
    xs = [v for v in fam0.x if v is not None]
    assert len(xs) == 3 * 4 and list(fam0.x).count(None) == 3 and xs[:4] == g.xy[0, 0, :, 0].tolist()
    assert fig.data[3].line.dash == "dot"  # the two families differ by dash


@pytest.mark.parametrize("dark", [False, True])
@pytest.mark.parametrize(("z", "T"), [((2.0, 1.0, 0.1), 1.0), ((40.0, -40.0, 0.0), 1.0), ((1.0, 1.0, 1.0), 2.0)])
def test_log_softmax_panels(z, T, dark):
    Jl, J = ls.log_softmax_jacobian(z, T), core.jacobian(z, T)
    fig = strict(logsoftmax_figs.log_softmax_panels(Jl, J, 1, dark=dark, T=T))
    left, right = fig.data
    np.testing.assert_array_equal(arr(left.z), Jl)
    np.testing.assert_array_equal(arr(right.z), J)
    ca = fig.layout.coloraxis
    assert ca.cmin == -ca.cmax and ca.cmid == 0 and ca.cmax == pytest.approx(max(np.abs(Jl).max(), np.abs(J).max()))
    assert [tuple(c) for c in ca.colorscale] == [tuple(c) for c in (DIVERGING_DARK if dark else DIVERGING)]
    assert fig.layout.yaxis.autorange == "reversed" and fig.layout.yaxis2.autorange == "reversed"
    rows = [s for s in fig.layout.shapes if s.y1 - s.y0 == 1]
    cols = [s for s in fig.layout.shapes if s.x1 - s.x0 == 1]
    assert len(rows) == 2 and len(cols) == 2 and all(s.y0 == 0.5 for s in rows) and all(s.x0 == 0.5 for s in cols)
    assert all(s.line.dash == "dash" for s in cols) and all(s.line.dash is None for s in rows)  # not colour alone
    for row, trow in zip(Jl, left.text, strict=True):  # every cell carries its sign glyph
        for v, t in zip(row, trow, strict=True):
            assert t[0] == ("+" if v > 0 else "−" if v < 0 else "0")


def test_gradcheck_figure_log_axes_and_zero_gaps():
    s = gc.sweep((2.0, 1.0, 0.1))
    fig = strict(gradcheck_figs.gradcheck_figure(s.hs, s.fd_rel, s.cs_rel, best=s.best))
    fd, cs = fig.data[0], fig.data[1]
    assert fig.layout.xaxis.type == "log" and fig.layout.yaxis.type == "log"
    np.testing.assert_array_equal(arr(fd.x), s.hs)
    assert list(fd.y) == s.fd_rel.tolist() and fd.line.dash is None and cs.line.dash == "dash"
    assert fd.marker.symbol != cs.marker.symbol
    assert {sh.y0 for sh in fig.layout.shapes} == {np.finfo(float).eps, 1e-7}
    zero = gc.sweep((1000.0, 0.0, -1000.0))  # every FD error is exactly 0: nothing to draw on a log axis
    fig = strict(gradcheck_figs.gradcheck_figure(zero.hs, zero.fd_rel, zero.cs_rel, best=zero.best))
    assert all(v is None for v in fig.data[0].y) and "not drawn" in fig.data[0].customdata[0][1]
    assert len(fig.data) == 2  # no "bottom of the V" marker at a relative error of 0


def test_dW_heatmap_and_shapes():
    X, y, W, b = np.random.default_rng(2).standard_normal((6, 4)), np.arange(6) % 3, np.ones((3, 4)), np.zeros(3)
    g = layer.layer_grads(X, y, W, b)
    fig = strict(layer_figs.dW_heatmap(g.dL_dW))
    hm = fig.data[0]
    np.testing.assert_array_equal(arr(hm.z), g.dL_dW)
    assert hm.zmid == 0 and hm.zmin == -hm.zmax and "(3, 4)" in fig.layout.title.text
    assert color(0) in fig.layout.yaxis.ticktext[0]
    shapes = strict(layer_figs.shapes_figure(300, 2, 3))
    assert [a.text for a in shapes.layout.annotations if "(" in a.text] == [
        "<b>(S − Y)ᵀ</b><br>(3, 300)", "<b>X</b><br>(300, 2)", "<b>∂L/∂W</b><br>(3, 2)"]
    assert max(s.x1 - s.x0 for s in shapes.layout.shapes) <= 12  # a batch of 300 is drawn clipped, labelled exactly


def test_temperature_frames_move_a_marker_along_cores_path():
    p = geo.temperature_path((2.0, 1.0, 0.1), 1.0)
    static = strict(simplex_figs.temperature_figure(geo.VERTICES, p.xy, p.Ts, p.cold_xy, p.hot_xy, p.at_xy, 1.0,
                                                    p.cold_name))
    assert not static.frames
    fig = strict(simplex_figs.temperature_figure(geo.VERTICES, p.xy, p.Ts, p.cold_xy, p.hot_xy, p.at_xy, 1.0,
                                                 p.cold_name, frames=30))
    assert 25 <= len(fig.frames) <= 35
    k = len(fig.data) - 1
    points = {(float(x), float(y)) for x, y in p.xy}
    for f in fig.frames:
        assert list(f.traces) == [k] and (f.data[0].x[0], f.data[0].y[0]) in points  # only core's points
    steps = fig.layout.sliders[0].steps
    assert len(steps) == len(fig.frames) and float(steps[0].label) > float(steps[-1].label.replace("−", "-"))  # hot → cold
    assert (fig.data[k].x[0], fig.data[k].y[0]) == (fig.frames[-1].data[0].x[0], fig.frames[-1].data[0].y[0])
    assert fig.layout.updatemenus[0].buttons[0].method == "animate"


def test_expectation_figure_draws_the_running_means_and_S():
    out = layer.sampled_expectation((2.0, 1.0, 0.1), 200, 4)
    fig = strict(layer_figs.expectation_figure(out["count"], out["mean"], out["S"], dark=True))
    assert len(fig.data) == 3 and [t.line.color for t in fig.data] == [color(k, True) for k in range(3)]
    assert len({t.line.dash for t in fig.data}) == 3  # not colour alone
    keep = layer_figs.log_axis_points(200)
    for k, t in enumerate(fig.data):
        np.testing.assert_array_equal(arr(t.x), out["count"][keep])
        np.testing.assert_array_equal(arr(t.y), out["mean"][keep, k])  # each point drawn is the exact running mean
    assert [sh.y0 for sh in fig.layout.shapes] == out["S"].tolist()


@pytest.mark.parametrize("draws", [1, 10, 100, 101, 237, 1000, 3000, 10_000])
def test_the_running_means_are_drawn_every_draw_to_100_then_a_pixel_apart(draws):
    """10,000 draws were 10,000 points a line, each with formatted hover text (up to 300 ms of server CPU a move): a log
    axis needs every draw up to 100, then neighbours close enough that the running mean cannot move more than about
    1 % between them, and the last draw."""
    keep = layer_figs.log_axis_points(draws)
    c = keep + 1
    assert c[0] == 1 and c[-1] == draws and np.all(np.diff(c) > 0)
    assert set(range(1, min(draws, 100) + 1)) <= set(c.tolist())
    skipped = np.diff(c) > 1  # neighbours with draws left out between them
    gaps = ((c[1:] - c[:-1]) / c[1:])[skipped]  # the most a running mean of values in [0, 1] moves between them
    assert gaps.max(initial=0) <= 0.0105
    assert len(c) <= 100 + 400 * np.log10(max(draws, 100) / 100) + 2


@pytest.mark.parametrize("screen", SCREENS)
def test_the_temperature_legend_never_sits_where_play_and_the_slider_are(screen):
    """At a tie the legend's long entry wrapped a legend right under the triangle into Play / Pause (1280×720 slide):
    beside the triangle on a laptop or slide, under the slider on a phone; a long title takes two lines off a phone."""
    p = geo.temperature_path((1.0, 1.0, 0.0), 1.0)
    fig = strict(simplex_figs.temperature_figure(geo.VERTICES, p.xy, p.Ts, p.cold_xy, p.hot_xy, p.at_xy, 1.0,
                                                 p.cold_name, screen=screen, frames=30))
    lay = fig.layout
    if screen == "phone":
        assert lay.legend.y < lay.sliders[0].y < lay.updatemenus[0].y < 0
    else:
        assert lay.legend.orientation == "v" and lay.legend.x > 1 and lay.legend.y > 0
        assert "<br>" in lay.title.text and lay.margin.t >= 98
    assert max(len(t.name or "") for t in fig.data if t.showlegend is not False) <= 16


@pytest.mark.parametrize("screen", SCREENS)
def test_the_gradcheck_axes_carry_few_enough_labels_for_their_screen(screen):
    s = gc.sweep(core.state.fit_z((2.0, 1.0, 0.1), 10), "softmax", 0, 1.0)
    fig = strict(gradcheck_figs.gradcheck_figure(s.hs, s.fd_rel, s.cs_rel, best=s.best, screen=screen))
    decades_h, decades_err = 12, np.log10(max(s.fd_rel.max(), s.cs_rel.max()) / min(s.fd_rel.min(), s.cs_rel.min()))
    most_h, most_err = (5, 5) if screen == "phone" else (6, 5) if screen == SLIDE else (6, 8)
    assert decades_h / fig.layout.xaxis.dtick <= most_h and decades_err / fig.layout.yaxis.dtick <= most_err + 1
    assert (fig.layout.legend.y < 0) == (screen == "phone")  # a phone's wrapped title takes the line over the plot


def test_the_gradcheck_title_fits_a_steps_column_for_every_subject():
    s = gc.sweep((2.0, 1.0, 0.1))
    for subject in gc.SUBJECTS.values():
        fig = strict(gradcheck_figs.gradcheck_figure(s.hs, s.fd_rel, s.cs_rel, subject=subject))
        assert len(fig.layout.title.text) <= 60, fig.layout.title.text


def test_the_step_heatmap_names_its_cells_delta_W_in_the_hover():
    """Reader 9, finding 12: the chart 'ΔW = −η·∂L/∂W' hovered '∂L/∂W at …' over cells that hold ΔW."""
    X, y, W, b = np.random.default_rng(2).standard_normal((6, 4)), np.arange(6) % 3, np.ones((3, 4)), np.zeros(3)
    g = layer.layer_grads(X, y, W, b)
    step = strict(layer_figs.dW_heatmap(-0.5 * g.dL_dW, title="ΔW = −η·∂L/∂W")).data[0]
    assert step.hovertemplate.startswith("ΔW at ") and step.colorbar.title.text == "ΔW"
    assert strict(layer_figs.dW_heatmap(g.dL_dW)).data[0].hovertemplate.startswith("∂L/∂W at ")
    # a title that is no equation (a sample's share) keeps ∂L/∂W: the whole title as the colour bar's overran a phone
    share = strict(layer_figs.dW_heatmap(g.dL_dW, title="Sample 1's share: (S − y)xᵀ/m")).data[0]
    assert share.colorbar.title.text == "∂L/∂W" and share.hovertemplate.startswith("∂L/∂W at ")
