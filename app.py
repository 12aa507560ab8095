"""The router and the shared frame. Run: streamlit run app.py

Only navigation lives here: every page is listed explicitly, in teaching order
(pages/_ui.py: PAGES). Each page opens with ui.begin() (URL -> state) and
closes with ui.end(ctx) (state -> URL), so the address bar is always a link
to the current view.
"""

import streamlit as st

import pages._warm  # noqa: F401  heavy imports once per process, before any page: a cold server survives a crowd
from pages import _ui as ui

# "∂" (not a material icon: the browser fetches those favicons from fonts.gstatic.com, and the app must make no
# external request; tests/browser check it).
st.set_page_config(page_title="Softmax Derivative Explorer", page_icon="∂", layout="wide")

# This user's page objects are made once per session (st.Page resolves its file on the disk: about 0.1 ms each, on
# every rerun of every student) and kept per user, never shared (st.navigation marks them as it runs them).
if "_nav" not in st.session_state:
    st.session_state["_nav"] = {p.path: st.Page(p.path, title=p.title, icon=p.icon, url_path=p.slug, default=k == 0)
                                for k, p in enumerate(ui.PAGES)}
st.navigation(list(st.session_state["_nav"].values())).run()
