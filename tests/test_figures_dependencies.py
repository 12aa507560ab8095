"""Dependencies page builders (figures/dependencies_figs.py) and the nudge maths (core/explore.py)."""

import json

import numpy as np
import plotly.io as pio
import pytest
from helpers import plain_spec
from hypothesis import given
from hypothesis import strategies as st
from oracles import central_diff_grad, ref_softmax

import core
from core import explore, fmt
from figures.dependencies_figs import (
    DIM,
    W_MAX,
    W_MIN,
    arrow_widths,
    convergence_figure,
    dependency_figure,
    neuron_graph,
    text_on,
)
from figures.palette import PALETTE, PALETTE_DARK, SIGN_DASH, color
from figures.screens import PHONE, SCREENS
from figures.spec import strict

Z3 = (2.0, 1.0, 0.1)
Z10 = core.state.DEFAULT_Z
DELTAS = np.round(np.linspace(-3.0, 3.0, 25), 6)


def sweep(z, j, T=1.0):
    return explore.nudge(z, j, DELTAS, T)


def figure(z, j, T=1.0, dark=False, animate=True):
    sw = sweep(z, j, T)
    spec = dependency_figure(z, core.softmax(z, T), core.jacobian(z, T), j, sw["scale"], dark,
                             sw if animate else None)
    return strict(spec), sw  # strict: raises on any unknown or ill-typed property


# ---- core.explore -----------------------------------------------------------------------------------------


@given(st.lists(st.floats(-20, 20), min_size=2, max_size=10), st.data())
def test_nudge_sweep_moves_only_z_j(z, data):
    j = data.draw(st.integers(0, len(z) - 1))
    Z, S, J = explore.nudge_sweep(z, j, DELTAS)
    others = np.delete(Z, j, axis=1)
    assert np.allclose(others, np.delete(np.asarray(z), j))
    assert np.allclose(Z[:, j], z[j] + DELTAS)
    assert np.allclose(S, ref_softmax(Z), atol=1e-12)
    assert J.shape == (len(DELTAS), len(z), len(z))


@given(st.lists(st.floats(-5, 5), min_size=2, max_size=8), st.data())
def test_difference_quotients_converge_to_the_jacobian_column(z, data):
    j = data.draw(st.integers(0, len(z) - 1))
    exact = central_diff_grad(lambda x: ref_softmax(x), np.asarray(z))[:, j]  # the oracle, not core.jacobian
    fwd = explore.difference_quotients(z, j, [1e-1, 1e-3, 1e-5])
    assert np.abs(fwd[2] - exact).max() < 1e-4
    assert np.abs(fwd[2] - exact).max() <= np.abs(fwd[0] - exact).max() + 1e-12
    central = explore.difference_quotients(z, j, [1e-4], central=True)
    assert np.allclose(central[0], exact, atol=1e-7)


@given(st.lists(st.floats(-20, 20), min_size=2, max_size=10), st.data(), st.sampled_from([0.1, 0.5, 1.0, 2.0, 10.0]))
def test_nudge_bundle_is_each_frame_from_scratch(z, data, T):
    """explore.nudge: every frame's S and quotient recomputed independently (reference softmax of z + Δe_j), NaN
    exactly at Δ = 0, and one width scale that no frame's |J| exceeds."""
    j = data.draw(st.integers(0, len(z) - 1))
    sw = explore.nudge(z, j, DELTAS, T)
    S0 = ref_softmax(np.asarray(z) / T)
    for k, d in enumerate(DELTAS):
        x = np.array(z, dtype=float)
        x[j] += d
        assert np.allclose(sw["S"][k], ref_softmax(x / T), atol=1e-12)
        if d == 0:
            assert np.isnan(sw["quotients"][k]).all()
        else:
            assert np.allclose(sw["quotients"][k], (ref_softmax(x / T) - S0) / d, atol=1e-9)
    assert sw["scale"] == np.abs(sw["J"]).max() and np.all(np.abs(sw["J"]) <= sw["scale"])


def test_nudge_quotients_tend_to_the_complex_step_derivative():
    """As Δ shrinks the bundle's quotient column approaches ∂S/∂z_j by the complex step (a different oracle)."""
    deltas = [1e-1, 1e-3, 1e-5]
    for z in (Z3, (8.0, 0.0, -8.0), (1.0, 1.0, 0.0)):
        exact = np.array([core.complex_step_partial(z, i, 1) for i in range(3)])
        err = np.abs(explore.nudge(z, 1, deltas)["quotients"] - exact).max(axis=1)
        assert err[2] < 1e-5 and err[2] < err[0]


def test_difference_quotient_error_falls_like_delta():
    J = core.jacobian(Z3)
    err = np.abs(explore.difference_quotients(Z3, 0, [1e-2, 1e-3, 1e-4]) - J[:, 0]).max(axis=1)
    assert 5 < err[0] / err[1] < 20 and 5 < err[1] / err[2] < 20  # first order: ×10 smaller Δ, ×10 smaller error


def test_bad_inputs_raise_readable_errors():
    with pytest.raises(ValueError, match="0/0"):
        explore.difference_quotients(Z3, 0, [0.0])
    with pytest.raises(ValueError, match="j must index"):
        explore.nudge_sweep(Z3, 3, DELTAS)


# ---- the arrow diagram ----------------------------------------------------------------------------------


def test_widths_are_monotone_in_abs_J_and_bounded():
    J = core.jacobian(Z10)
    w = arrow_widths(J, np.abs(J).max())
    order = np.argsort(np.abs(J), axis=None)
    assert np.all(np.diff(w.ravel()[order]) >= 0)
    assert w.min() >= W_MIN and w.max() == pytest.approx(W_MAX)
    assert arrow_widths(np.zeros((2, 2)), 1.0).tolist() == [[W_MIN] * 2] * 2
    assert arrow_widths(np.zeros((2, 2)), 0.0).tolist() == [[W_MIN] * 2] * 2  # saturated: J = 0 everywhere


@pytest.mark.parametrize("z", [Z3, Z10[:2], Z10, (1e6, -1e6, 0.0)])
def test_n_squared_arrows_coloured_by_j_with_sign_dashes_and_width_from_J(z):
    n = len(z)
    j = n - 1
    fig, sw = figure(z, j)
    J = core.jacobian(z)
    w = arrow_widths(J, float(np.abs(sw["J"]).max()))
    arrows = fig.data[: n * n]
    assert all(a.mode == "lines+markers" for a in arrows)
    for jj in range(n):
        for i in range(n):
            a = arrows[jj * n + i]
            assert a.line.color == color(jj)
            assert a.line.dash == SIGN_DASH[1 if i == jj else -1]  # + only on the diagonal
            assert a.line.width == pytest.approx(w[i, jj], abs=0.051)
            assert a.opacity == (1.0 if jj == j else pytest.approx(DIM * (1 if n <= 4 else 0.6)))
            assert a.x[0] < a.x[-1]  # z on the left, S on the right
    assert sorted(t.name for t in fig.data if t.showlegend) == sorted(
        ["+ : ∂Sᵢ/∂zⱼ > 0 (i = j)", "− : ∂Sᵢ/∂zⱼ < 0 (i ≠ j)"])
    json.loads(pio.to_json(fig))


def test_selecting_j_highlights_exactly_its_n_arrows():
    n = 4
    z = Z10[:n]
    for j in range(n):
        fig, _ = figure(z, j, animate=False)
        bright = [k for k, a in enumerate(fig.data[: n * n]) if a.opacity == 1.0]
        assert bright == list(range(j * n, j * n + n))


@pytest.mark.parametrize("z,j", [(Z3, 0), (Z10, 6)])
def test_nudge_frames_match_core_at_sampled_points(z, j):
    n = len(z)
    fig, sw = figure(z, j)
    scale = float(np.abs(sw["J"]).max())
    assert len(fig.frames) == len(DELTAS)
    slider = fig.layout.sliders[0]
    assert len(slider.steps) == len(DELTAS) and DELTAS[slider.active] == 0
    assert {b.method for b in fig.layout.updatemenus[0].buttons} == {"animate"}
    plays = [b for b in fig.layout.updatemenus[0].buttons if b.label != "Pause"]
    durations = [b.args[1]["frame"]["duration"] for b in plays]
    assert len(set(durations)) == 2  # two speeds
    for k in (0, 5, 12, 19, 24):
        frame = fig.frames[k]
        Zk = np.asarray(z, float).copy()
        Zk[j] += DELTAS[k]
        Sk, Jk = core.softmax(Zk), core.jacobian(Zk)
        assert list(frame.traces) == [*range(j * n, j * n + n), n * n + 4, n * n + 5, n * n + 6]
        widths = [d.line.width for d in frame.data[:n]]  # the n arrows leaving z_j, to S_1 … S_n
        assert np.allclose(widths, np.round(arrow_widths(Jk, scale)[:, j], 1))
        assert frame.data[n].text[j] == fmt.fixed(Zk[j], 2, unicode=True)
        assert np.allclose(frame.data[n + 1].x, Sk, atol=1e-12)
        readout = frame.data[n + 2].text
        if DELTAS[k] == 0:
            assert readout[0].startswith("∂S₁/∂z")
        else:
            q = (Sk - core.softmax(z)) / DELTAS[k]
            assert readout[1].startswith("ΔS₂/Δz") and fmt.signed(q[1], 4) in readout[1]
            assert fmt.signed(core.jacobian(z)[1, j], 4) in readout[1]


def test_static_figure_has_no_frames_and_dark_uses_the_dark_palette():
    fig, _ = figure(Z10, 7, dark=True, animate=False)
    assert not fig.frames
    assert fig.data[7 * 10].line.color == PALETTE_DARK[7] != PALETTE[7]


def test_node_text_is_readable_on_every_palette_colour():
    assert text_on("#000000") == "#FFFFFF" and text_on("#F0E442") == "#000000" and text_on("#FFFFFF") == "#000000"
    fig, _ = figure(Z10, 0, animate=False)
    z_nodes = fig.data[100 + 2]
    assert list(z_nodes.textfont.color) == [text_on(c) for c in PALETTE]


def test_frames_stay_small_enough_for_a_class():
    """The n = 10 animation is sent once per change of z, j or T; keep it well under half a megabyte."""
    fig, _ = figure(Z10, 3)
    assert len(pio.to_json(fig, validate=False)) < 150_000
    fig3, _ = figure(Z3, 0)
    assert len(pio.to_json(fig3, validate=False)) < 50_000


# ---- the elongated neuron and the convergence plot ------------------------------------------------------------


@pytest.mark.parametrize("z,j", [(Z3, 0), (Z3, 2), (Z10, 4), ((1e6, -1e6, 0.0), 1)])
def test_neuron_graph_routes_z_j_to_other_outputs_only_through_the_sum(z, j):
    n = len(z)
    lg, ls = explore.exp_log10(z)
    fig = strict(neuron_graph(z, lg, ls, core.softmax(z), j))
    edges = [t for t in fig.data if t.hovertemplate and "→" in t.hovertemplate]
    assert len(edges) == 5 * n  # z->exp, exp->Σ, exp->÷ (numerator), Σ->÷ (denominator), ÷->S
    lit = [t for t in edges if t.opacity == 1.0 and t.line.color == color(j)]
    names = [t.hovertemplate.split("<")[0] for t in lit]
    # z_j's own chain is lit, and Σ -> ÷ to every output, dashed: a bigger sum lowers every S_i
    assert sum("Σ → ÷" in s for s in names) == n
    den = [t for t in lit if "Σ → ÷" in t.hovertemplate]
    assert all(t.line.dash == "dash" for t in den)
    # no lit numerator edge reaches another output: the only coloured route to S_i (i ≠ j) is via Σ
    numerators = [t for t in lit if "numerator" in t.hovertemplate]
    assert len(numerators) == 1 and numerators[0].y[0] == numerators[0].y[-1] == -j
    text = pio.to_json(fig)
    assert "Infinity" not in text and "NaN" not in text and "inf " not in text


def test_convergence_figure_one_line_per_output_on_log_axes():
    shrink = 10.0 ** -np.arange(0, 13)
    err = np.abs(explore.difference_quotients(Z3, 1, shrink) - core.jacobian(Z3)[:, 1])
    fig = strict(convergence_figure(shrink, err, 1))
    assert len(fig.data) == 3 and fig.layout.xaxis.type == "log" == fig.layout.yaxis.type
    assert all(np.all(np.asarray(t.y) > 0) for t in fig.data)  # zeros are floored for the log axis






@pytest.mark.parametrize("n", [2, 10])
@pytest.mark.parametrize("dark", [False, True])
def test_every_builder_returns_a_plain_spec(n, dark):
    z = Z10[:n]
    sw = sweep(z, 1)
    lg, ls = explore.exp_log10(z)
    shrink = 10.0 ** -np.arange(0, 13)
    err = np.abs(explore.difference_quotients(z, 1, shrink) - core.jacobian(z)[:, 1])
    specs = [spec for screen in SCREENS for spec in (
        dependency_figure(z, core.softmax(z), core.jacobian(z), 1, float(np.abs(sw["J"]).max()), dark, sw, screen),
        dependency_figure(z, core.softmax(z), core.jacobian(z), 1, 0.25, dark, screen=screen),
        neuron_graph(z, lg, ls, core.softmax(z), 1, dark, screen=screen),
        convergence_figure(shrink, err, 1, dark, screen=screen),
    )]
    for spec in specs:
        plain_spec(spec)


def test_a_phone_keeps_the_three_columns_side_by_side_so_each_readout_row_stays_beside_its_s():
    """figures.screens.fit stacks a row of subplots on a phone; this figure's columns line up row by row (z_j, S_i,
    ΔS_i/Δz_j), so it keeps them side by side (stacked, the readout was two bare numbers under the bars)."""
    from figures.screens import fit

    z, j = (1.0, -1.0), 0
    sw = sweep(z, j)
    raw = dependency_figure(z, core.softmax(z), core.jacobian(z), j, float(np.abs(sw["J"]).max()), False, sw, PHONE)
    spec = fit(raw, PHONE)
    doms = [tuple(spec["layout"][f"xaxis{k}"]["domain"]) for k in ("", "2", "3")]
    assert doms == [tuple(raw["layout"][f"xaxis{k}"]["domain"]) for k in ("", "2", "3")] and doms[0][1] <= doms[1][0]
    assert all(tuple(spec["layout"][f"yaxis{k}"].get("domain", (0, 1))) == (0, 1) for k in ("", "2", "3"))
    laptop = fit(dependency_figure(z, core.softmax(z), core.jacobian(z), j, 1.0, False, sw), PHONE)
    assert "meta" not in laptop["layout"]  # only the phone's own layout asks for it


def test_phone_puts_each_control_and_the_legend_on_its_own_line_and_shortens_the_readout():
    z = Z10
    n, j = len(z), 1
    sw = sweep(z, j)
    spec = strict(
        dependency_figure(z, core.softmax(z), core.jacobian(z), j, float(np.abs(sw["J"]).max()), False, sw, PHONE))
    menu, slider, legend = spec.layout.updatemenus[0], spec.layout.sliders[0], spec.layout.legend
    assert legend.y < slider.y < menu.y < 0 and slider.x == 0 and legend.orientation == "h"
    readout = spec.data[n * n + 6]
    J = core.jacobian(z)
    assert list(readout.text) == [fmt.signed(e, 4) for e in J[:, j]]  # the exact column, as on a laptop, short
    moved = next(f for f in spec.frames if "→" in f.data[-1].text[0])
    # a pair is two lines, as the header: the quotient over "→exact" (on one line "−2.5×10⁻⁴→−1.2×10⁻⁴", 17
    # characters, ran into the S bars' labels on a phone)
    assert all(t.count("<br>") == 1 and t.split("<br>")[1].startswith("→") for t in moved.data[-1].text)
    for zz in (Z10, (3.0, -2.0, 0.5), (9.0, 0.0, 0.0), (9.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, -3.0)):
        s2 = sweep(zz, 0)
        frames = strict(dependency_figure(zz, core.softmax(zz), core.jacobian(zz), 0, float(np.abs(s2["J"]).max()), False,
                                          s2, PHONE)).frames
        # 10: "+4.9×10⁻⁴" and "→+2.5×10⁻⁴" are the widest lines met; the column is about 115 px at 12 px type
        assert max(len(line) for f in frames for t in f.data[-1].text for line in t.split("<br>")) <= 10, zz
    lg, ls = explore.exp_log10(z)
    neuron = strict(neuron_graph(z, lg, ls, core.softmax(z), j, screen=PHONE))
    assert neuron.layout.legend.orientation == "v" and neuron.layout.legend.y <= 0
    assert all(len(line) <= 40 for t in neuron.data if t.showlegend for line in t.name.split("<br>"))
