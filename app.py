"""The router. Run: streamlit run app.py

Every page is listed once, in teaching order, in pages/_ui/registry.py; the frame (pages/_ui/frame.py) runs the
chosen page inside an st.fragment, so a slider move reruns the page, not the router and the sidebar.
"""

import streamlit as st

# First, before the heavy imports below (seconds on a cold server): the browser draws in Streamlit's narrow default
# layout until this message arrives. The icon is "∂" drawn in SVG, which Streamlit sends as a data: address, so the
# browser fetches nothing: a material icon's favicon comes from fonts.gstatic.com (the app makes no external request),
# and a bare "∂" is no emoji, so the browser asked the server for a file named "∂" and got the app's HTML page, not an
# icon (tests/browser check both).
FAVICON = ('<svg viewBox="0 0 64 64"><text x="32" y="52" font-size="60" font-family="serif" text-anchor="middle" '
           'fill="#0072B2">∂</text></svg>')  # Okabe–Ito blue: legible on a light and a dark tab bar
st.set_page_config(page_title="Softmax Derivative Explorer", page_icon=FAVICON, layout="wide")

import pages._warm  # noqa: E402, F401  heavy imports once per process, before any page: a cold server survives a crowd
from pages import _ui as ui  # noqa: E402

ui.run(st.navigation(ui.nav_pages(), expanded=True))  # every page listed, none behind "View more"
