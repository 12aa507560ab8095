"""Contrast (WCAG 1.4.11): text and thin lines in each index colour are at least 3:1 on the backgrounds they sit on,
in both themes; and every shade keeps its Okabe-Ito hue (one colour per index, everywhere)."""

import colorsys
import tomllib
from pathlib import Path

import pytest

from figures.palette import BACKGROUNDS, EXTRA, OKABE_ITO, PALETTE, PALETTE_DARK, color, contrast, luminance

ROOT = Path(__file__).resolve().parents[1]


def hue(hex_color: str) -> float:
    r, g, b = (int(hex_color[k : k + 2], 16) / 255 for k in (1, 3, 5))
    return colorsys.rgb_to_hls(r, g, b)[0] * 360


def test_contrast_ratio_matches_wcag_reference_values():
    assert contrast("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast("#FFFFFF", "#FFFFFF") == pytest.approx(1.0)
    assert contrast("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic "just fails AA" grey
    assert contrast("#F0E442", "#FFFFFF") < 1.5  # Okabe-Ito yellow on white: why the shades exist
    assert luminance("#FFFFFF") == pytest.approx(1.0) and luminance("#000000") == 0.0


def test_backgrounds_are_the_themes_in_config_toml():
    theme = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())["theme"]
    for dark, name in ((False, "light"), (True, "dark")):
        assert {c.upper() for c in BACKGROUNDS[dark]} == {theme[name]["backgroundColor"].upper(),
                                                           theme[name]["secondaryBackgroundColor"].upper()}


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
@pytest.mark.parametrize("j", range(10))
def test_every_index_colour_is_3_to_1_on_its_backgrounds(dark, j):
    for bg in BACKGROUNDS[dark]:
        assert contrast(color(j, dark), bg) >= 3.0, f"{color(j, dark)} on {bg}: {contrast(color(j, dark), bg):.2f}"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_shades_keep_the_hue_mapping(dark):
    pal = PALETTE_DARK if dark else PALETTE
    for j, (base, shade) in enumerate(zip(OKABE_ITO + EXTRA, pal, strict=True)):
        if j == 7:  # black: white on dark, its own contrast
            assert shade == ("#FFFFFF" if dark else "#000000")
            continue
        if base == shade:
            continue
        d = abs(hue(base) - hue(shade))
        assert min(d, 360 - d) < 4, f"index {j + 1}: {base} -> {shade} changes the hue by {d:.1f} degrees"
    assert len(set(pal)) == len(pal)


def _plotly_cell_text(rgb: tuple[int, int, int]) -> str:
    """plotly.js's automatic heatmap text colour: Color.contrast -> tinycolor brightness (ITU-R 601) below 128 is
    dark (white text), else its default line colour #444."""
    r, g, b = rgb
    return "#FFFFFF" if (r * 299 + g * 587 + b * 114) / 1000 < 128 else "#444444"


@pytest.mark.parametrize("dark", [False, True], ids=["light", "dark"])
def test_every_heatmap_cell_text_is_3_to_1_on_its_cell(dark):
    from figures.palette import DIVERGING, DIVERGING_DARK

    scale = DIVERGING_DARK if dark else DIVERGING
    rgb = [tuple(int(c[k : k + 2], 16) for k in (1, 3, 5)) for _, c in scale]
    for step in range(513):  # plotly interpolates the stops linearly in RGB
        v = step / 512
        seg = 0 if v <= scale[1][0] else 1
        (v0, _), (v1, _) = scale[seg], scale[seg + 1]
        t = (v - v0) / (v1 - v0)
        cell = tuple(round(a + (b - a) * t) for a, b in zip(rgb[seg], rgb[seg + 1], strict=True))
        hexcell = "#" + "".join(f"{x:02X}" for x in cell)
        assert contrast(hexcell, _plotly_cell_text(cell)) >= 3.0, (v, hexcell)


@pytest.mark.parametrize("dark", [False, True])
def test_template_hatches_in_replace_mode(dark):
    """plotly's 'overlay' pattern takes its background from the marker colour, which plotly.js cannot read when it is a
    per-bar array ("Invalid color specifier" in the console, the bar drawn on black)."""
    from figures.palette import template

    assert all(bar.marker.pattern.fillmode == "replace" for bar in template(dark).data.bar)


@pytest.mark.parametrize("dark", [False, True])
def test_template_labels_tiny_ticks_with_powers_of_ten_not_si_prefixes(dark):
    """At saturation a colour bar or axis spans ±5e-14; plotly's default would label it "50f" (femto)."""
    from figures.palette import template

    t = template(dark)
    assert t.layout.xaxis.exponentformat == t.layout.yaxis.exponentformat == "power"
    assert t.data.heatmap and all(h.colorbar.exponentformat == "power" for h in t.data.heatmap)
