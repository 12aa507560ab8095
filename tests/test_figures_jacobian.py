"""The Jacobian figure builders: axis order (row S₁ on top), symmetric colour range, sign glyphs, frames."""

import numpy as np
import pytest
from helpers import nparr, plain_spec

import core
from core import jacobian_props as jp
from core.fmt import signed
from figures.jacobian_figs import (
    cell_text,
    chain_bars,
    jacobian_heatmap,
    jacobian_sweep,
    misconception_panels,
    saturation_curve,
)
from figures.palette import DIVERGING, DIVERGING_DARK, color
from figures.spec import strict

Z = np.array([2.0, 1.0, 0.1, -1.0])


def test_signed_has_a_glyph_for_every_sign():
    assert signed(0.2227) == "+0.223" and signed(-0.05) == "−0.050" and signed(0.0) == "0" and signed(-0.0) == "0"
    assert signed(5.6e-8) == "+5.6×10⁻⁸" and signed(-3e-5, 3) == "−3.0×10⁻⁵"  # a power of ten as the axes print it
    assert signed(0.123456, 2) == "+0.12"


@pytest.mark.parametrize("n", [2, 3, 10])
@pytest.mark.parametrize("dark", [False, True])
def test_heatmap_reads_rows_S_top_to_bottom_and_columns_z(n, dark):
    z = np.linspace(2, -1, n)
    J = core.jacobian(z)
    fig = strict(jacobian_heatmap(J, dark=dark))
    hm = fig.data[0]
    assert list(hm.y) == [f"S{s}" for s in "₁₂₃₄₅₆₇₈₉"[: min(n, 9)]] + (["S₁₀"] if n == 10 else [])
    assert hm.x[0] == "z₁" and hm.x[-1] == ("z₁₀" if n == 10 else f"z{'₁₂₃₄₅₆₇₈₉'[n - 1]}")
    assert fig.layout.yaxis.autorange == "reversed"  # row 1 (S₁) at the top, as in a matrix
    np.testing.assert_array_equal(nparr(hm.z), J)  # z[i][j] is dS_i/dz_j: row = output, column = input
    assert hm.zmid == 0 and hm.zmin == -hm.zmax and hm.zmax == pytest.approx(np.abs(J).max())
    assert list(hm.colorscale) == [tuple(c) for c in (DIVERGING_DARK if dark else DIVERGING)]
    # categorical axes with LaTeX-like labels, never bare numbers; labels in their index colour
    assert fig.layout.xaxis.type == "category" and fig.layout.yaxis.type == "category"
    assert all(not t.strip("<>b/").isdigit() for t in fig.layout.yaxis.ticktext)
    assert color(0, dark) in fig.layout.xaxis.ticktext[0] and "S₁" in fig.layout.yaxis.ticktext[0]
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text and fig.layout.title.text
    # redundant sign cue: every annotation carries the sign of its cell
    for row, trow in zip(J, hm.text, strict=True):
        for v, t in zip(row, trow, strict=True):
            assert t[0] == ("+" if v > 0 else "−" if v < 0 else "0")


def test_shared_and_degenerate_ranges():
    J = core.jacobian(Z)
    assert strict(jacobian_heatmap(J, zmax=1.0)).data[0].zmax == 1.0
    flat = strict(jacobian_heatmap(np.zeros((3, 3)))).data[0]
    assert (flat.zmin, flat.zmax) == (-1.0, 1.0)  # still symmetric and non-empty
    assert cell_text(np.zeros((2, 2))) == [["0", "0"], ["0", "0"]]


@pytest.mark.parametrize("kind", ["T", "spread"])
def test_sweep_has_one_frame_per_value_with_that_matrix(kind):
    values, Js = jp.saturation_sweep(Z, 1.0, kind)
    fig = strict(jacobian_sweep(Js, values, name=kind))
    assert len(fig.frames) == len(values) == 21
    for k, frame in enumerate(fig.frames):
        np.testing.assert_array_equal(nparr(frame.data[0].z), Js[k])
        assert [list(r) for r in frame.data[0].text] == cell_text(Js[k], wrap=True)
        assert f"{values[k]:.3g}" in frame.layout.title.text and frame.name == str(k)
    np.testing.assert_array_equal(nparr(fig.data[0].z), Js[0])  # the static view is frame 0
    hm = fig.data[0]
    assert hm.zmin == -hm.zmax and hm.zmax == pytest.approx(np.abs(Js).max())  # one range for every frame
    slider = fig.layout.sliders[0]
    assert len(slider.steps) == 21 and list(slider.steps[0].args[0]) == ["0"]
    play = fig.layout.updatemenus[0].buttons[0]
    assert play.method == "animate" and play.args[1]["frame"]["redraw"] is True  # heatmaps need redraw
    assert fig.layout.yaxis.autorange == "reversed"


def test_saturation_curve_marks_the_max_and_the_outputs():
    S = core.softmax(Z)
    s = np.linspace(0, 1, 101)
    fig = strict(saturation_curve(s, s * (1 - s), S, S * (1 - S)))
    curve, points, peak = fig.data
    assert max(nparr(curve.y)) == pytest.approx(0.25) and (peak.x[0], peak.y[0]) == (0.5, 0.25)
    assert list(points.marker.color) == [color(k) for k in range(4)] and points.text[0] == "S₁"
    assert any("¼" in a.text for a in fig.layout.annotations)
    assert fig.layout.xaxis.title.text and fig.layout.yaxis.title.text


def test_chain_bars_solid_true_hatched_wrong():
    e = jp.chain_rule_error(core.jacobian(Z), core.elementwise_p1mp(Z), np.array([0.1, -0.2, 0.3, 0.4]))
    fig = strict(chain_bars(e["true"], e["wrong"], dark=True))
    true, wrong = fig.data
    np.testing.assert_array_equal(nparr(true.y), e["true"])
    np.testing.assert_array_equal(nparr(wrong.y), e["wrong"])
    assert wrong.marker.pattern.shape == "/" and not true.marker.pattern.shape  # not colour alone
    assert list(true.x) == ["∂L/∂z₁", "∂L/∂z₂", "∂L/∂z₃", "∂L/∂z₄"]


def _specs(n: int, dark: bool) -> list[dict]:
    """Every builder's output at n logits."""
    z = np.linspace(2, -1, n)
    J, wrong, S, s = core.jacobian(z), core.elementwise_p1mp(z), core.softmax(z), np.linspace(0, 1, 11)
    values, Js = jp.saturation_sweep(z, 1.0, "spread", steps=5)
    return [jacobian_heatmap(J, dark=dark), jacobian_sweep(Js, values, "spread", dark),
            saturation_curve(s, s * (1 - s), S, S * (1 - S), dark), chain_bars(S, -S, dark),
            misconception_panels(J, wrong, J - wrong, dark)]




@pytest.mark.parametrize("n", [2, 10])
@pytest.mark.parametrize("dark", [False, True])
def test_every_builder_returns_a_plain_dict_that_passes_plotlys_validation(n, dark):
    for spec in _specs(n, dark):
        assert plain_spec(spec).to_plotly_json()["layout"]["title"]["text"]


@pytest.mark.parametrize("n", [3, 10])
def test_misconception_panels_share_one_symmetric_scale(n):
    z = np.linspace(1, -1, n)
    J, wrong = core.jacobian(z), core.elementwise_p1mp(z)
    fig = strict(misconception_panels(J, wrong, J - wrong))
    assert len(fig.data) == 3 and {t.coloraxis for t in fig.data} == {"coloraxis"}
    ca = fig.layout.coloraxis
    assert ca.cmin == -ca.cmax and ca.cmid == 0 and ca.cmax == pytest.approx(np.abs(J).max())
    for trace, M in zip(fig.data, (J, wrong, J - wrong), strict=True):
        np.testing.assert_array_equal(nparr(trace.z), M)
    assert [fig.layout[f"yaxis{s}"].autorange for s in ("", "2", "3")] == ["reversed"] * 3
    assert fig.layout.yaxis.showticklabels and not fig.layout.yaxis2.showticklabels
    assert (fig.data[0].texttemplate == "") == (n > 5)  # annotations only while they fit
    assert [a.text for a in fig.layout.annotations] == ["<b>the true J</b>", "<b>= elementwise<br>p(1 − p)</b>",
                                                         "<b>+ the terms it drops</b>"]


def test_typed_arrays_are_what_plotly_itself_sends():
    """Numpy data goes to the browser as base64 typed arrays, byte for byte as go.Figure encoded it before."""
    from _plotly_utils.utils import to_typed_array_spec

    from figures.spec import typed

    for a in (np.linspace(-1, 1, 7), core.jacobian(Z), np.arange(201), np.arange(-5, 300), np.arange(70_000), np.array([])):
        mine, plotlys = typed(a), to_typed_array_spec(a)
        assert mine == (plotlys if isinstance(plotlys, dict) else list(plotlys))
        np.testing.assert_array_equal(nparr(mine), a)


@pytest.mark.parametrize("n", [3, 4, 5, 10])
def test_cell_values_print_only_where_they_fit(n):
    from figures.jacobian_figs import VALUES_UP_TO
    from figures.screens import PHONE, SCREENS

    z = np.linspace(2, -1, n)
    J = core.jacobian(z)
    wrong = core.elementwise_p1mp(z)
    values, Js = jp.saturation_sweep(tuple(z), 1.0, "T")
    for screen in SCREENS:
        shown = n <= VALUES_UP_TO[screen]
        heat = strict(jacobian_heatmap(J, screen=screen))
        assert (heat.data[0].texttemplate == "%{text}") == shown
        sweep = strict(jacobian_sweep(Js, values, screen=screen))
        assert (sweep.data[0].texttemplate == "%{text}") == shown
        assert all((f.data[0].text is not None) == shown for f in sweep.frames)
        panels = strict(misconception_panels(J, wrong, J - wrong, screen=screen))
        assert {t.texttemplate for t in panels.data} == {"%{text}" if n <= (4 if screen == PHONE else 3) else ""}
        assert heat.data[0].hovertemplate and heat.data[0].customdata is not None  # the hover always has them


def test_phone_stacks_the_misconception_and_slides_fit_720():
    from figures.screens import PHONE, SLIDE, SLIDE_MAX_HEIGHT

    z = np.linspace(2, -1, 10)
    J, wrong = core.jacobian(z), core.elementwise_p1mp(z)
    panels = strict(misconception_panels(J, wrong, J - wrong, screen=PHONE))
    doms = [panels.layout[k].domain for k in ("yaxis", "yaxis2", "yaxis3")]
    assert all(panels.layout[k].domain == (0.0, 1.0) for k in ("xaxis", "xaxis2", "xaxis3"))
    assert doms[0][0] > doms[1][1] and doms[1][0] > doms[2][1]  # top to bottom, apart
    assert panels.layout.coloraxis.colorbar.orientation == "h"
    values, Js = jp.saturation_sweep(tuple(z), 1.0, "T")
    sweep = strict(jacobian_sweep(Js, values, height=770, screen=SLIDE))
    assert sweep.layout.height == SLIDE_MAX_HEIGHT
    menu, slider = sweep.layout.updatemenus[0], sweep.layout.sliders[0]
    assert slider.y < menu.y < 0  # the slider (and its readout) under the buttons, not beside them
    assert strict(jacobian_heatmap(J, height=900, screen=SLIDE)).layout.height == SLIDE_MAX_HEIGHT


@pytest.mark.parametrize("z", [(6.0, 0.0, -6.0), (7.0, 0.0, -7.0), (5.5, 0.0)])
def test_a_sweep_cell_prints_the_digits_of_its_title(z):
    """A frame's title gives max |∂Sᵢ/∂zⱼ| to 2 significant figures (0.0018); the largest cell printed "+0.002", one
    figure, below it. The largest cell now carries at least the title's figures, so the two agree as printed."""
    values, Js = jp.saturation_sweep(z, 1.0, "T")
    spec = strict(jacobian_sweep(Js, values))
    banded = 0
    for frame, M in zip(spec.frames, Js, strict=True):
        peak = float(np.abs(M).max())
        title = frame.layout.title.text.rsplit("= ", 1)[1]
        i, j = np.unravel_index(np.abs(M).argmax(), M.shape)
        cell = frame.data[0].text[i][j].replace("<br>", "").lstrip("+−")
        banded += 1e-3 <= peak < 1e-2
        if "×" not in cell:  # a cell as a decimal must not drop a figure the title prints
            assert round(float(cell), 15) == pytest.approx(float(title), abs=0.5 * 10 ** (np.floor(np.log10(peak)) - 1)), (
                title, cell)
            assert len(cell.lstrip("0.")) >= 2, (title, cell)
    assert banded, "no frame of this sweep has its largest entry between 10⁻³ and 10⁻²"
