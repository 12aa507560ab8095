"""The baseline: an empty one-slider app (one slider + st.write). Every benchmark measures it in the same run.

Run: streamlit run bench/baseline_app.py
"""

import streamlit as st

x = st.slider("x", min_value=0.0, max_value=10.0, value=5.0, step=0.1)
st.write(f"x = {x}")
