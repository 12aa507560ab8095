"""What a second reader saw at saturation (z = (40, −40, 0)) and at n = 5, T = 2.5 on a 1366 px laptop: cell labels
running into their neighbours, titles cut off, and "/T" written at T = 1. Each test pins the figure or sentence."""

from __future__ import annotations

import re

import numpy as np
import pytest
from apptest_util import open_page

import core
from core import jacobian_props as jp
from figures.jacobian_figs import chain_bars, jacobian_sweep, misconception_panels, saturation_curve
from figures.spec import strict

SAT = (40.0, -40.0, 0.0)
CELL = 6  # characters of "+0.123": the widest label a cell is sized for


def lines(text: str) -> list[str]:
    return re.sub(r"<[^>]+>", "\n", text).split("\n")


SUPERSCRIPT = "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"


def width(line: str) -> float:
    """A line's width in characters, a superscript counted as 0.6 of one (Arial's ¹ is 0.333 em, a digit 0.556 em):
    "×10⁻¹⁶⁵" under its mantissa is 5.4, narrower than "+0.123"."""
    return len(line) - 0.4 * sum(c in SUPERSCRIPT for c in line)


def widest(texts) -> float:
    return max(width(line) for row in texts for t in row for line in lines(t))


def test_misconception_cells_at_saturation_fit_their_cells():
    J = core.jacobian(SAT)
    wrong = core.elementwise_p1mp(SAT)
    fig = strict(misconception_panels(J, wrong, J - wrong))
    for tr in fig.data:
        assert tr.texttemplate == "%{text}"
        assert widest(tr.text) <= CELL, tr.text  # "−4.2e−18" on one line was 8: it ran over the next cell


def test_misconception_panel_titles_are_centred_over_their_panels():
    """plotly's 'auto' anchor right-aligns a label at x > ⅔: "+ the terms it drops" ran into "p(1 − p)"."""
    J = core.jacobian(SAT)
    wrong = core.elementwise_p1mp(SAT)
    fig = strict(misconception_panels(J, wrong, J - wrong, T=2.5))
    titles = [a for a in fig.layout.annotations if a.text.startswith("<b>")]
    assert len(titles) == 3 and all(a.xanchor == "center" for a in titles)
    assert all(len(line) <= 45 for line in lines(fig.layout.title.text))  # "… −SᵢSⱼ/2.5 it drops" was cut off


@pytest.mark.parametrize("n", [4, 5])
def test_misconception_prints_no_values_where_three_panels_leave_no_room(n):
    z = core.state.DEFAULT_Z[:n]
    J = core.jacobian(z, 2.5)
    wrong = core.elementwise_p1mp(z, 2.5)
    fig = strict(misconception_panels(J, wrong, J - wrong, T=2.5))
    assert all(tr.texttemplate == "" for tr in fig.data)  # the hover and the data table carry them


# "+0.0018": a cell between 10⁻³ and 10⁻² keeps two figures (core.fmt.signed), one character more than "+0.123"; the
# heatmaps' fonts are sized for it (figures.jacobian_figs._font_size: 10 px from n = 8, where a laptop's cell is 47 px)
DECIMAL_CELL = CELL + 1


def test_sweep_cells_at_saturation_fit_their_cells():
    values, Js = jp.saturation_sweep(SAT, 1.0, "T")
    fig = strict(jacobian_sweep(Js, values))
    for texts in (fig.data[0].text, *(f.data[0].text for f in fig.frames)):
        powers = [[t for t in row if "×" in t] for row in texts]
        assert not any(powers) or widest(powers) <= CELL, texts  # a power of ten, mantissa over power
        assert widest(texts) <= DECIMAL_CELL, texts


def test_chain_bars_title_fits_a_half_width_column():
    fig = strict(chain_bars(np.ones(3), np.ones(3)))
    assert all(len(line) <= 35 for line in lines(fig.layout.title.text)), fig.layout.title.text


def test_saturation_curve_axis_title_fits():
    fig = strict(saturation_curve(np.linspace(0, 1, 5), np.zeros(5), np.array([0.5]), np.array([0.25])))
    assert all(len(line) <= 25 for line in lines(fig.layout.xaxis.title.text))


def test_misconception_sentence_has_no_slash_T_at_T_1():
    at = open_page("pages/jacobian.py", {"z": "40,-40,0", "T": "1", "step": "5"}, timeout=120)
    assert not at.exception
    text = next(m.value for m in at.markdown if "misses" in m.value)
    assert "/T" not in text and "(-S_iS_j)$" in text
    at = open_page("pages/jacobian.py", {"z": "40,-40,0", "T": "2", "step": "5"}, timeout=120)
    assert "(-S_iS_j)/T$" in next(m.value for m in at.markdown if "misses" in m.value)


def test_row_nudge_latex_puts_its_value_on_a_line_and_saturated_terms_one_a_line():
    """Chain rule, Row or column: "ΔS₁ ≈ … = 0.08907·0.1 + … = 0.00989946" (n = 5, T = 2.5) and the three
    "×10⁻¹⁸" terms at z = (40, −40, 0) ran off the right edge of the column at 1366 px."""
    from core import reader

    rn = reader.row_nudge((2.0, 1.0, 0.1, -1.0, 0.5), 0, 0.1, "mixed", 2.5)
    tex = reader.row_nudge_latex(rn, 0)
    assert tex.count(r"\\ &") == 2 and r"\\ &= 0.00989946\end{aligned}" in tex
    rn = reader.row_nudge(SAT, 0, 0.1, "mixed", 1.0)
    tex = reader.row_nudge_latex(rn, 0)
    assert tex.count(r"\\ &") == 4 and tex.count(r"\\ &+\underbrace") == 2  # one term a line


def test_row_column_cells_fit_at_saturation_and_only_up_to_n_3():
    from figures.lse_figs import row_column_figure

    fig = strict(row_column_figure(core.jacobian(SAT), 0, [0.1, -0.05, 0.025], [-1.0, 0.0, 0.0]))
    assert all(tr.texttemplate == "%{text}" and widest(tr.text) <= CELL for tr in fig.data)
    z = (2.0, 1.0, 0.1, -1.0, 0.5)
    fig = strict(row_column_figure(core.jacobian(z, 2.5), 0, np.full(5, 0.1), np.zeros(5)))
    assert all(tr.texttemplate == "" for tr in fig.data)  # "−0.030" overran cells a fifth of a half column wide


@pytest.mark.parametrize("dark", [False, True])
def test_paths_hatched_bars_keep_their_paths_colour(dark):
    """Chain rule, Paths: the legend's swatch for "path via S₁" is drawn like its first bar, which is negative and
    hatched; without a pattern background it was white, while S₁'s positive bars were orange (read as S₄'s olive)."""
    from core import chain
    from figures.chain_figs import paths_figure
    from figures.palette import color

    cp = chain.chain_paths((2.0, 1.0, 0.1, -1.0, 0.5), 0, "cross_entropy", 2.5)
    fig = strict(paths_figure(cp.P, g=cp.g, dS_dz=cp.dS_dz, dark=dark))
    bars = [tr for tr in fig.data if tr.type == "bar"]
    assert [tr.marker.pattern.bgcolor for tr in bars] == [color(i, dark) for i in range(5)]
    assert all(tr.marker.pattern.bgcolor == tr.marker.color for tr in bars)


def test_misconception_cells_at_a_tie_fit_their_cells():
    """z = (1, 1, 1), T = 0.3: "−0.370" in 15 px ran over its 43 px cell (three panels in a half column at 1366 px)."""
    z = (1.0, 1.0, 1.0)
    J, wrong = core.jacobian(z, 0.3), core.elementwise_p1mp(z, 0.3)
    fig = strict(misconception_panels(J, wrong, J - wrong, T=0.3))
    assert all(widest(tr.text) <= 5 and tr.textfont.size <= 12 for tr in fig.data), [tr.text for tr in fig.data]


def test_row_column_colour_bar_clears_a_long_weight():
    """z = (−3, 0, 3), T = 0.2: g₁ = −1/S₁ prints "g=−1.07e+13", which ran into the colour bar's title."""
    from core import chain
    from figures.lse_figs import row_column_figure

    cp = chain.chain_paths((-3.0, 0.0, 3.0), 0, "cross_entropy", 0.2)
    fig = strict(row_column_figure(cp.dS_dz, 0, [0.1, -0.05, 0.025], cp.g))
    short = strict(row_column_figure(cp.dS_dz, 0, [0.1, -0.05, 0.025], [-3.0, 0.0, 0.0]))
    assert fig.data[1].colorbar.x >= short.data[1].colorbar.x + 0.09
    assert fig.layout.margin.r > short.layout.margin.r


def test_saturation_curve_title_at_T_not_1_fits():
    """z = (−3, 0, 3), T = 0.2: "Sᵢ(1 − Sᵢ) = T·∂Sᵢ/∂zᵢ (your T = 0.2)" was cut off after "(your T = 0.2"."""
    fig = strict(saturation_curve(np.linspace(0, 1, 5), np.zeros(5), np.array([0.5]), np.array([0.25]), T=0.2))
    assert all(len(line) <= 30 for line in lines(fig.layout.title.text)) and "T = 0.2" in fig.layout.title.text
