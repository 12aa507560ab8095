"""A one-screen demo of the live logits controls (pages/_ui/live.py), for tests/browser/test_live_drag.py: the shared
logits as live sliders, the Softmax page's bars and the Jacobian heatmap, both drawn by ``figures/`` from ``core/`` and
restyled in the browser during a drag. Not one of the app's pages: ``streamlit run tests/browser/live_demo_app.py``.

It counts its runs on screen ("runs: k"), so a test can see how many reruns a drag caused. It imports the project from
the repository root, which its starter puts on PYTHONPATH (``streamlit run`` puts only this folder on the path).
"""

from __future__ import annotations

import streamlit as st

from core.softmax import jacobian, softmax
from figures.jacobian_figs import jacobian_heatmap
from figures.softmax_figs import softmax_bars
from pages._ui.live import live_logits, live_meta

st.set_page_config(page_title="Live logits demo", layout="wide")
ss = st.session_state
ss["runs"] = ss.get("runs", 0) + 1
ss.setdefault("z", (2.0, 1.0, 0.1))
ss.setdefault("T", 1.0)

locked = st.query_params.get("lock") == "z"
ss["z"], ss["T"] = live_logits("logits", ss["z"], ss["T"], locked=locked)
z, T = ss["z"], ss["T"]
st.caption(f"runs: {ss['runs']} · z = {', '.join(f'{v:g}' for v in z)} · T = {T:g}")

S = softmax(z, T)
bars = softmax_bars(S)
bars["layout"]["meta"] = live_meta("softmax_bars", stack=list(range(1, len(z) + 1)))
heat = jacobian_heatmap(jacobian(z, T))
heat["layout"]["meta"] = live_meta("jacobian_heatmap")
left, right = st.columns(2)
left.plotly_chart(bars, theme=None, key="bars")
right.plotly_chart(heat, theme=None, key="heat")
