"""Softmax page builders (figures/softmax_figs.py) and the sweeps they draw (core/explore.py)."""

import json
import math
import re

import numpy as np
import plotly.io as pio
import pytest
from helpers import plain_spec
from hypothesis import given
from hypothesis import strategies as st
from oracles import ref_softmax

import core
from core import explore
from core.fmt import pow10
from core.fmt import tex as tex_of
from figures.palette import color, colorize_latex
from figures.screens import PHONE, SCREENS
from figures.softmax_figs import (
    LINE_CHARS,
    _visible,
    definition_latex,
    shift_figure,
    shift_latex,
    softmax_bars,
    temperature_animation,
)
from figures.spec import strict

Z3 = (2.0, 1.0, 0.1)
Z10 = core.state.DEFAULT_Z


# ---- core.explore -------------------------------------------------------------------------------------


def test_temperature_grid_is_log_spaced_from_0_1_to_10_with_1_in_the_middle():
    Ts = explore.temperature_grid()
    assert Ts[0] == pytest.approx(0.1) and Ts[-1] == pytest.approx(10) and Ts[20] == pytest.approx(1.0)
    assert np.allclose(np.diff(np.log(Ts)), np.log(Ts[1] / Ts[0]))
    with pytest.raises(ValueError):
        explore.temperature_grid(1)


@given(st.floats(0.1, 10.0))
def test_temperature_grid_including_a_t_holds_it_once_in_order(T):
    Ts = explore.temperature_grid(including=T)
    grid = explore.temperature_grid()
    assert np.all(np.diff(Ts) > 0) and set(grid.tolist()) <= set(Ts.tolist())
    assert np.min(np.abs(Ts - T)) <= 1e-9 * T  # the animation can stand at T itself
    assert len(Ts) == 41 + (np.min(np.abs(np.log(grid) - np.log(T))) >= 1e-9)


@given(st.lists(st.floats(-30, 30), min_size=2, max_size=10))
def test_temperature_sweep_matches_the_oracle_and_its_limits(z):
    Ts = explore.temperature_grid(9)
    S = explore.temperature_sweep(z, Ts)
    assert S.shape == (9, len(z))
    for m, t in enumerate(Ts):
        assert np.allclose(S[m], ref_softmax(np.asarray(z) / t), atol=1e-12)
    assert np.allclose(S.sum(axis=1), 1)


@given(st.lists(st.one_of(st.floats(-1e6, 1e6), st.floats(1e305, 1e308)), min_size=1, max_size=10),
       st.lists(st.floats(1e-3, 1e3), min_size=1, max_size=12))
def test_temperature_sweep_is_core_softmax_at_each_T_bit_for_bit(z, Ts):
    """The sweep computes every row at once: each row is core.softmax(z, T), every bit (the page's bars at T and the
    sweep's curves must agree exactly), and a z / T that overflows raises softmax's error."""
    try:
        rows = [core.softmax(z, t) for t in Ts]
    except ValueError as exc:
        with pytest.raises(ValueError, match="overflows"):
            explore.temperature_sweep(z, Ts)
        assert "overflows" in str(exc)
        return
    assert np.array_equal(explore.temperature_sweep(z, Ts), np.stack(rows))


def test_temperature_extremes_sharpen_and_flatten():
    S = explore.temperature_sweep(Z3, [0.01, 1000.0])
    assert S[0, 0] > 0.999 and np.allclose(S[1], 1 / 3, atol=1e-3)


@pytest.mark.parametrize("z", [Z3, (1e6, -1e6, 0.0), (-700.0, -710.0), Z10])
def test_exp_log10_is_exact_even_where_exp_overflows(z):
    lg, ls = explore.exp_log10(z)
    assert np.allclose(lg, np.asarray(z) / math.log(10))
    if max(abs(v) for v in z) < 700:
        assert ls == pytest.approx(math.log10(sum(math.exp(v) for v in z)))
    assert np.isfinite(ls)
    assert ls >= lg.max()


def test_stability_rows_show_the_naive_failure_and_the_shifted_fix():
    rows = explore.stability_rows()
    assert [(r["dtype"], r["method"]) for r in rows] == [
        (d, m) for d in ("float64", "float32", "float16") for m in ("naive", "max-shifted")]
    ref = ref_softmax(np.array(explore.STABILITY_Z))
    for r in rows:
        if r["method"] == "naive":
            assert not r["ok"] and np.isnan(r["S"][0]) and np.isinf(r["denominator"])
        else:
            assert r["ok"] and np.allclose(r["S"], ref, atol=1e-3) and np.isfinite(r["denominator"])
    f64 = next(r for r in rows if r["dtype"] == "float64" and r["method"] == "max-shifted")
    assert np.allclose(f64["S"], ref, atol=1e-15)


def test_overflow_limits():
    assert explore.overflow_limit(np.float64) == pytest.approx(709.78, abs=0.01)
    assert explore.overflow_limit(np.float32) == pytest.approx(88.72, abs=0.01)
    assert explore.overflow_limit(np.float16) == pytest.approx(11.09, abs=0.01)


# ---- LaTeX ------------------------------------------------------------------------------------------------


def test_pow10_prints_plain_numbers_and_powers_of_ten():
    assert pow10(math.log10(7.389056)) == "7.389"
    assert pow10(1e6 / math.log(10)) == r"3.03 \times 10^{434294}"
    assert pow10(-1e6 / math.log(10)).endswith("10^{-434295}")
    assert pow10(math.log10(9.9999e10)) == r"1 \times 10^{11}"  # rounding carries into the exponent


@pytest.mark.parametrize("z", [Z3, Z10[:2], Z10, (1e6, -1e6, 0.0)])
@pytest.mark.parametrize("T", [1.0, 2.5])
def test_definition_latex_substitutes_every_number(z, T):
    S = core.softmax(z, T)
    lg, ls = explore.exp_log10(z, T)
    tex = definition_latex(z, lg, ls, S, T)
    n = len(z)
    for k in range(n):
        # S_i as LaTeX's 4 decimals (4 significant below 0.1), or below 0.001 its exact power of ten (positive, never a
        # rounded 0.0000)
        shown = tex_of(S[k], 4) if S[k] >= 1e-3 else pow10(lg[k] - ls, 3)
        assert f"S_{{{k + 1}}} = " in tex and f"= {shown}" in tex and "0.0000 " not in tex
        assert pow10(lg[k], 5, mant_digits=5) in tex  # operands: one figure more than S
    assert pow10(ls, 5, mant_digits=5) in tex and r"\sum_{i} S_i = 1.000000" in tex
    assert "inf" not in tex and "nan" not in tex
    for block in re.findall(r"\\begin\{array\}\{l+\}(.*?)\\end\{array\}", tex):
        for row in re.split(r"\\\\\[\d+pt\]", block):  # every line fits the page: n = 10 and 1e6 wrap
            assert sum(_visible(c) + 4 for c in row.split("&") if c.strip()) <= LINE_CHARS
    if n == 10:
        assert tex.count(r"\\[6pt]") >= 2
    assert tex.count("{") == tex.count("}")
    colored = colorize_latex(tex, dark=False)
    assert colored.count(r"\textcolor") >= 2 * n and color(n - 1) in colored


def test_shift_latex_shows_the_cancelling_factor():
    S = core.softmax(Z3)
    lg, ls = explore.exp_log10(Z3)
    tex = shift_latex(0, 1.5, 1.0, 1.5 / math.log(10), lg[0], ls, S[0])
    assert r"\cancel{e^{c}}" in tex and "e^{1.5}" in tex and f"= {tex_of(S[0], 4)} " in tex
    assert pow10(1.5 / math.log(10) + lg[0], 5, mant_digits=5) in tex  # the numerator after multiplying by e^c
    assert tex.count("{") == tex.count("}")


# ---- figures -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("z", [Z3, Z10])
@pytest.mark.parametrize("dark", [False, True])
def test_softmax_bars_one_bar_per_output_and_a_stack_that_sums_to_one(z, dark):
    S = core.softmax(z)
    fig = strict(softmax_bars(S, dark=dark))
    n = len(z)
    bars, *stack = fig.data
    assert list(bars.x) == [f"S{chr(0x2080 + k + 1)}" if k < 9 else "S₁₀" for k in range(n)]
    assert np.allclose(bars.y, S) and list(bars.marker.color) == [color(k, dark) for k in range(n)]
    assert len(stack) == n and sum(t.y[0] for t in stack) == pytest.approx(1.0)
    assert fig.layout.barmode == "stack" and fig.layout.title.text
    json.loads(pio.to_json(fig))


def test_shift_figure_bars_move_for_z_and_stay_for_s():
    c = 3.0
    z_c = tuple(v + c for v in Z3)
    fig = strict(shift_figure(Z3, z_c, core.softmax(Z3), core.softmax(z_c), c))
    legend, (z_before, z_after, s_before, s_after) = fig.data[:2], fig.data[2:]
    assert np.allclose(np.asarray(z_after.y) - np.asarray(z_before.y), c)
    assert np.allclose(s_before.y, s_after.y, atol=1e-15)
    assert z_after.marker.pattern.shape == "/"
    assert [t.name for t in legend] == ["before the shift", "after adding c"] and legend[1].marker.pattern.shape == "/"
    # the template's bar pattern is "overlay", whose background defaults to the marker colour: an array here, which
    # plotly.js cannot use ("Invalid color specifier", the hatched bars drawn on black)
    assert z_after.marker.pattern.fillmode == "replace"


@pytest.mark.parametrize("dark", [False, True])
def test_every_legend_swatch_has_one_colour(dark):
    """A legend entry is drawn from its trace's marker colour: a per-bar array there makes plotly.js warn "Invalid color
    specifier" and draw the swatch black (the console errors the Softmax page had). Every entry shown has one colour."""
    z_c = tuple(v + 1.0 for v in Z10)
    Ts = explore.temperature_grid()
    S, S_c = core.softmax(Z10), core.softmax(z_c)
    for screen in SCREENS:
        for spec in (softmax_bars(S, dark, screen=screen), shift_figure(Z10, z_c, S, S_c, 1.0, dark, screen=screen),
                     temperature_animation(Ts, explore.temperature_sweep(Z10, Ts), 1.0, S, dark, screen=screen)):
            fig = strict(spec)
            for t in fig.data:
                if t.showlegend is not False and fig.layout.showlegend is not False and t.type == "bar":
                    assert isinstance(t.marker.color, str), (t.name, t.marker.color)


def test_phone_stacks_the_panels_and_keeps_controls_apart():
    Ts = explore.temperature_grid()
    S = core.softmax(Z10)
    shift = strict(shift_figure(Z10, Z10, S, S, 0.0, screen=PHONE))
    assert shift.layout.xaxis.domain == shift.layout.xaxis2.domain == (0.0, 1.0)
    assert shift.layout.yaxis.domain[0] > shift.layout.yaxis2.domain[1]  # logits above outputs
    temp = strict(temperature_animation(Ts, explore.temperature_sweep(Z10, Ts), 1.0, S, screen=PHONE))
    menu, slide, legend = temp.layout.updatemenus[0], temp.layout.sliders[0], temp.layout.legend
    assert legend.orientation == "h" and legend.y < slide.y < menu.y < 0  # buttons, then the slider, then the legend
    assert slide.x == 0 and slide.len == 1
    bars = strict(softmax_bars(S, screen=PHONE))
    assert bars.data[0].text is None  # ten values do not fit a phone: the hover and the data table carry them
    assert strict(softmax_bars(S[:3] / S[:3].sum(), screen=PHONE)).data[0].text is not None


@pytest.mark.parametrize("z", [Z3, Z10, (1e6, -1e6, 0.0)])
def test_temperature_frames_match_core_at_sampled_points(z):
    Ts = explore.temperature_grid()
    S_T = explore.temperature_sweep(z, Ts)
    fig = strict(temperature_animation(Ts, S_T, 2.0, core.softmax(z, 2.0)))
    n = len(z)
    assert len(fig.frames) == len(Ts) == 41
    assert len(fig.data) == n + 2  # bars, n curves, the markers
    for m in (0, 7, 20, 33, 40):
        frame = fig.frames[m]
        assert list(frame.traces) == [0, n + 1]
        assert np.allclose(frame.data[0].y, core.softmax(z, Ts[m]), atol=1e-12)
        assert np.allclose(frame.data[1].x, Ts[m]) and np.allclose(frame.data[1].y, core.softmax(z, Ts[m]), atol=1e-12)
    slider = fig.layout.sliders[0]
    assert len(slider.steps) == len(Ts) and Ts[slider.active] == pytest.approx(2.0, rel=0.07)
    assert [s.args[0][0] for s in slider.steps] == [f.name for f in fig.frames]
    labels = [b.label for b in fig.layout.updatemenus[0].buttons]
    assert any("Play" in lab for lab in labels) and "Pause" in labels
    assert fig.layout.xaxis2.type == "log"


def test_animation_is_pure_plotly_frames_with_no_callbacks():
    """Play/pause/scrub are plotly 'animate' methods: the browser runs them without the server."""
    Ts = explore.temperature_grid()
    fig = strict(temperature_animation(Ts, explore.temperature_sweep(Z3, Ts), 1.0, core.softmax(Z3)))
    methods = {b.method for b in fig.layout.updatemenus[0].buttons} | {s.method for s in fig.layout.sliders[0].steps}
    assert methods == {"animate"}
    assert not re.search(r"https?://", pio.to_json(fig))






@pytest.mark.parametrize("n", [2, 10])
@pytest.mark.parametrize("dark", [False, True])
def test_every_builder_returns_a_plain_valid_spec(n, dark):
    z = Z10[:n]
    z_c = tuple(v + 1.5 for v in z)
    S, S_c = core.softmax(z), core.softmax(z_c)
    Ts = explore.temperature_grid()
    specs = [f(screen) for screen in SCREENS for f in (
        lambda screen: softmax_bars(S, dark=dark, screen=screen),
        lambda screen: shift_figure(z, z_c, S, S_c, 1.5, dark=dark, screen=screen),
        lambda screen: temperature_animation(Ts, explore.temperature_sweep(z, Ts), 1.0, S, dark=dark, screen=screen))]
    for spec in specs:
        plain_spec(spec)


def test_the_definitions_fractions_hold_at_the_figures_printed():
    """Issue #25, reader 9 finding 7: at z = (1, 0.4, −0.3, 0.6), T = 0.1 the step printed S₁ = 2.2×10⁴ / 2.25×10⁴ =
    0.9796 (as printed 0.978), and at T = 0.1, z = (2, 2, −1) a sum 9.7×10⁸ beside terms 4.85×10⁸. Operands now carry one
    figure more than the quotient, trailing zeros kept, and every printed fraction gives its printed S to 4 figures."""
    from core import explore
    from figures.softmax_figs import definition_latex
    for z, T in (((1.0, 0.4, -0.3, 0.6), 0.1), ((2.0, 2.0, -1.0), 0.1), ((9.0, -6.0, 3.5, -2.0), 1.5)):
        z = np.asarray(z)
        log10_e, log10_sum = explore.exp_log10(z, T)
        S = core.softmax(z, T)
        tex = definition_latex(z, log10_e, log10_sum, S, T)
        val = lambda m, e: float(m) * 10.0 ** int(e or 0)
        num = r"(-?\d+\.?\d*)(?: \\times 10\^\{(-?\d+)\})?"
        fracs = re.findall(r"\\dfrac\{" + num + r"\}\{" + num + r"\} = (\d+\.\d+)(?![\d ]*\\times)", tex)
        assert fracs, tex
        for a, ea, b, eb, s in fracs:
            assert f"{val(a, ea) / val(b, eb):.{len(s.split('.')[1])}f}" == s, (a, ea, b, eb, s)
        assert "9.7 \\times" not in tex and "2.2 \\times" not in tex
