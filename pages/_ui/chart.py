"""The app's chart element: a plotly chart that keeps its place on the page while its figure changes (chart.js).

Why not ``st.plotly_chart``: it hashes the figure into the element's identity, so every new figure is a new element,
which plotly draws from scratch in an empty ``div``. This element is keyed by the chart's name: the same chart in the
next run is the same element, and the browser redraws it in place with ``Plotly.react``, which redraws only what
changed (docs/PERFORMANCE.md, round 19). plotly.js is Streamlit's own copy (:data:`PLOTLY_MODULE`), loaded once per
page (its file is found by pages/_compat.py); the page needs no network beyond the app's server.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from pages import _compat as compat

HERE = Path(__file__).parent
NAME = "sdx_chart"  # the component's name (the tests find the charts by it)



def _code(text: str, css: bool = False) -> str:
    """JavaScript (or CSS, ``css``) without its comments and indentation: Streamlit sends a component's code with every
    chart of every rerun (8.7 kB as written, 5.6 kB without). chart.js has whole-line ``//`` comments only (a test
    holds it to that); chart.css has ``/* */`` comments between its rules."""
    if css:
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    lines = (line.strip() for line in text.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


# Mounted in the page's own DOM (no shadow root): client.js and live_page.js reach the chart as any plotly chart.
_element = st.components.v2.component(NAME, js=_code((HERE / "chart.js").read_text(encoding="utf-8")),
                                      css=_code((HERE / "chart.css").read_text(encoding="utf-8"), css=True),
                                      isolate_styles=False)

# Streamlit's chart module, which sets window.Plotly when it loads (its file name changes with Streamlit's build)
PLOTLY_MODULE = compat.plotly_module()


def chart_element(name: str, figure_json: str, config: dict, alt: str) -> None:
    """Draw the plotly figure ``figure_json`` (its JSON text: data, layout, frames) with plotly ``config`` and the
    alt text ``alt``, as the page's chart ``name`` (unique on the page: it is the element's key)."""
    _element(key=f"chart_{name}", data={"figure": figure_json, "config": config, "alt": alt, "plotly": PLOTLY_MODULE})
