"""One colour per index, used everywhere; plus the shared figure look (templates, fonts, export).

Okabe–Ito is colour-blind safe. Index j (0-based) always gets ``color(j)``: the
arrows leaving z_j, the bar of S_j, table headers and LaTeX terms. Signs never
rely on colour alone: + is solid, − is dashed (see :data:`SIGN_DASH`).
"""

from __future__ import annotations

import re

import plotly.graph_objects as go

from core import fmt

# Okabe & Ito (2008). Black is last; for n > 8 we extend with two further
# distinguishable hues (dark red-brown, grey-blue).
OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
EXTRA = ("#882255", "#999999")
# What is drawn: the same hues, each shade adjusted (mixed with black on light, with white on dark, so the hue stays)
# until text and thin lines in it meet WCAG 1.4.11's 3:1 on both backgrounds of its theme (page and secondary;
# tests/test_palette.py computes every ratio). Light: Okabe-Ito's orange, sky blue, yellow and pink, and the grey,
# are too light on white. Dark: black becomes white, the blue and the red-brown are lifted.
PALETTE = ("#B67E00", "#4590BA", "#009E73", "#928B28", "#0072B2", "#D55E00", "#BE719B", "#000000", "#882255", "#888888")
PALETTE_DARK = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#2A88BF", "#D55E00", "#CC79A7", "#FFFFFF", "#A75B81", "#999999")
BACKGROUNDS = {False: ("#FFFFFF", "#F0F2F6"), True: ("#0E1117", "#262730")}  # .streamlit/config.toml, per theme
INK = {False: "#262730", True: "#FAFAFA"}  # the theme's text colour (.streamlit/config.toml textColor)


def ink(dark: bool = False) -> str:
    """The text colour of the theme: every label, title and outline a figure draws in the text colour uses it."""
    return INK[dark]


def paper(dark: bool = False) -> str:
    """The background of the theme (a chart's paper and plot area)."""
    return BACKGROUNDS[dark][0]


def luminance(hex_color: str) -> float:
    """WCAG 2 relative luminance of ``#RRGGBB``."""
    h = hex_color.lstrip("#")
    c = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    c = [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in c]
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2 contrast ratio of two ``#RRGGBB`` colours, 1…21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def text_on(fill: str) -> str:
    """Black or white, whichever has the higher WCAG contrast with ``fill`` (#RRGGBB): black above a luminance of
    about 0.18."""
    return "#000000" if contrast(fill, "#000000") >= contrast(fill, "#FFFFFF") else "#FFFFFF"


def rgba(hex_color: str, alpha: float) -> str:
    """``#RRGGBB`` with opacity ``alpha`` as a CSS / plotly ``rgba(r,g,b,a)``."""
    h = hex_color.lstrip("#")
    return f"rgba({int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha})"


SIGN_DASH = {+1: "solid", -1: "dash"}

# Diverging scale for signed quantities (the Jacobian): blue < 0, the paper's neutral = 0, orange > 0, Okabe-Ito
# hues, always used with a symmetric range so the neutral means exactly 0. Plotly picks each cell's text colour by
# the cell's brightness (#444 at 128 and above, white below), so a scale that crossed 128 would print a mid-orange cell
# in whichever of the two reads worse (2.7:1): the light scale stays bright (always #444 text), the dark one stays dark
# (always white text). tests/test_palette.py checks every cell colour against the text plotly gives it.
DIVERGING = [[0.0, "#56B4E9"], [0.5, "#F7F7F7"], [1.0, "#E69F00"]]
DIVERGING_DARK = [[0.0, "#0072B2"], [0.5, "#262730"], [1.0, "#D55E00"]]


def color(j: int, dark: bool = False) -> str:
    """The colour of index j (0-based)."""
    pal = PALETTE_DARK if dark else PALETTE
    return pal[j % len(pal)]


def subscript(j: int) -> str:
    """0-based j -> the 1-based Unicode subscript shown on screen: 0 -> '₁', 9 -> '₁₀'."""
    return fmt.label("", j)


def label(symbol: str, j: int) -> str:
    """``label('S', 0) -> 'S₁'``: axis and legend labels, never bare 0, 1, 2 ticks."""
    return fmt.label(symbol, j)


def subscripted(text: str) -> str:
    """Plain text's 1-based ``S2``, ``e^z1`` and ``z_k`` with on-screen subscripts: ``S₂``, ``e^z₁``, ``zₖ``."""
    return re.sub(r"(?<![A-Za-z])([Sz])(\d+|_k)", lambda m: m[1] + ("ₖ" if m[2] == "_k" else subscript(int(m[2]) - 1)), text)


_INDEXED = re.compile(r"(e\^\{z_\{?(\d+)\}?\}|[Sz]_\{?(\d+)\}?)")


def colorize_latex(latex: str, dark: bool = False) -> str:
    r"""Wrap every ``z_k``, ``S_k`` and ``e^{z_k}`` (1-based k in the LaTeX) in ``\textcolor``.

    KaTeX (Streamlit's ``st.latex``) understands ``\textcolor{#hex}{...}``.
    """

    def repl(m: re.Match) -> str:
        k = int(m.group(2) or m.group(3))
        return rf"\textcolor{{{color(k - 1, dark)}}}{{{m.group(1)}}}"

    return _INDEXED.sub(repl, latex)


# ---- shared figure look -------------------------------------------------------------------------

FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"  # local fonts only: no web fonts
USED_TRACES = ("bar", "scatter", "heatmap")  # every trace type the builders in figures/ make (a test checks)
UNUSED_LAYOUT = ("geo", "mapbox", "polar", "scene", "ternary")


def template(dark: bool = False, present: bool = False) -> go.layout.Template:
    """An explicit template (never the ambient default) so exported PNG/SVG look the same
    as on screen. Light is print-friendly: white paper, dark ink."""
    base = "plotly_dark" if dark else "plotly_white"
    import plotly.io as pio

    full = pio.templates[base]
    # Only what our charts use (bar, scatter, heatmap traces on 2-D axes): plotly's base template also styles every
    # other trace type and the 3-D/geo/polar scenes, which would be sent with every chart on every rerun (most of a
    # chart's template JSON; sizes in docs/PERFORMANCE.md) for nothing.
    t = go.layout.Template(
        data={k: full.data[k] for k in USED_TRACES},
        layout={k: v for k, v in full.layout.to_plotly_json().items() if k not in UNUSED_LAYOUT},
    )
    t.layout.font = {"family": FONT, "size": 20 if present else 14, "color": ink(dark)}
    t.layout.paper_bgcolor = paper(dark)
    t.layout.plot_bgcolor = paper(dark)
    t.layout.colorway = list(PALETTE_DARK if dark else PALETTE)
    t.layout.margin = {"l": 60, "r": 30, "t": 60, "b": 50}
    t.layout.title = {"font": {"size": 24 if present else 17}, "x": 0.01, "xanchor": "left"}
    # Hatched bars keep their own colour and take the pattern's stripes on top ("replace"). plotly's base template says
    # "overlay", whose pattern background defaults to the marker colour: a per-bar colour array there is not a colour
    # to plotly.js ("Invalid color specifier", the bar drawn on black), as on the Softmax, Log-sum-exp and Attention pages.
    for bar in t.data.bar:
        bar.marker.pattern.fillmode = "replace"
    # Powers of ten, never SI prefixes: at saturation an axis or colour bar spans ±5e-14, which plotly's default
    # labels "50f" (femto), a unit no student expects on a derivative.
    t.layout.xaxis.exponentformat = t.layout.yaxis.exponentformat = "power"
    for heatmap in t.data.heatmap:
        heatmap.colorbar.exponentformat = "power"
    return t


def plotly_config(filename: str, fmt: str = "png", background: str = "white") -> dict:
    """``st.plotly_chart(config=...)``: the modebar downloads a slide-ready image.

    PNG at 3x scale (crisp on a 4K projector) or SVG, with a descriptive filename (every parameter kept: characters
    outside ``[A-Za-z0-9_.,=-]`` become ``_``; the page keeps names short, pages/_ui/output.py). ``background``
    ("white", "transparent" or "shown", see :data:`EXPORT_BACKGROUNDS`) is read by the page's export script
    (pages/_ui/client.js), which exports the frame shown as a still on it.
    ``displaylogo`` off and no link to plotly's cloud: the app makes no external requests.
    """
    safe = re.sub(r"[^A-Za-z0-9_.,=-]+", "_", filename)
    return {
        "displaylogo": False,
        "showLink": False,
        "toImageButtonOptions": {"format": fmt, "filename": safe, "scale": 3 if fmt == "png" else 1,
                                 "background": background},
        "modeBarButtonsToRemove": ["lasso2d", "select2d"],
    }


# What each "Slide export" background gives, said once: the sidebar shows these, and README.md and docs/LECTURERS.md
# quote them (tests/test_export_words.py holds all three to this table). pages/_ui/client.js does what they say.
EXPORT_BACKGROUNDS = {
    "white": "White (the default): the light theme on white paper, from a light or a dark screen.",
    "transparent": "Transparent: the light theme's dark ink on no background, for a white or light slide.",
    "shown": "As shown: the theme and background on screen, dark included.",
}
EXPORT_STILL = ("Every export is the frame shown, as a still: no Play, Pause or frame slider, and no empty band where "
                "they were.")


def light_of_dark() -> dict[str, str]:
    """Each colour a dark-theme figure draws -> the colour the light theme draws in its place (``#RRGGBB``, upper case).

    For a white slide exported from a dark screen (the page's export script redraws the figure with it): index colours
    to their light shades, light ink to dark ink, the dark paper to white. The diverging scale is swapped whole
    (:data:`DIVERGING_DARK` -> :data:`DIVERGING`), not colour by colour: its ends share hues with index colours."""
    out = {d.upper(): v.upper() for d, v in zip(PALETTE_DARK, PALETTE, strict=True)}
    out.update({"#FAFAFA": "#262730", "#0E1117": "#FFFFFF"})
    return out
