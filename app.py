"""The router and the shared frame. Run: streamlit run app.py

Only navigation lives here: every page is listed explicitly, in teaching order
(pages/_ui.py: PAGES). Each page opens with ui.begin() (URL -> state) and
closes with ui.end(ctx) (state -> URL), so the address bar is always a link
to the current view.
"""

import streamlit as st

import pages._warm  # heavy imports once per process, before any page: a cold server survives a crowd
from pages import _ui as ui

st.set_page_config(page_title="Softmax Derivative Explorer", page_icon="∂", layout="wide")

pages = [st.Page(p.path, title=p.title, icon=p.icon, url_path=p.slug, default=k == 0) for k, p in enumerate(ui.PAGES)]
st.navigation(pages).run()
