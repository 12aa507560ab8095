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
