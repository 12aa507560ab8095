"""The chart floor: the one-slider app with one small plotly chart under it. browser_bench loads it in the same run as
the app: what a first load costs any Streamlit page that draws a plotly chart (Streamlit loads the chart's code, 4.7
MB of script, when it first draws one), against the one-slider app that draws none.

Run: streamlit run bench/baseline_chart_app.py
"""

import plotly.graph_objects as go
import streamlit as st

x = st.slider("x", min_value=0.0, max_value=10.0, value=5.0, step=0.1)
# an explicit template: importing streamlit sets plotly's default one
st.plotly_chart(go.Figure(go.Bar(x=["a", "b", "c"], y=[x, 2.0, 1.0]), layout={"template": "plotly_white", "height": 240}))
