"""The router. Run: streamlit run app.py

Every page is listed once, in teaching order, in pages/_ui/registry.py; the frame (pages/_ui/frame.py) runs the
chosen page inside an st.fragment, so a slider move reruns the page, not the router and the sidebar.
"""

import streamlit as st

# First, before the heavy imports below (seconds on a cold server): the browser draws in Streamlit's narrow default
# layout until this message arrives. "∂" (not a material icon: the browser fetches those favicons from
# fonts.gstatic.com, and the app must make no external request; tests/browser check it).
st.set_page_config(page_title="Softmax Derivative Explorer", page_icon="∂", layout="wide")

import pages._warm  # noqa: E402, F401  heavy imports once per process, before any page: a cold server survives a crowd
from pages import _ui as ui  # noqa: E402

ui.run(st.navigation(ui.nav_pages(), expanded=True))  # every page listed, none behind "View more"
