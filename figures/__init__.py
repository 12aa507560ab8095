"""Plotly figure builders: arrays in, figure out. No maths beyond layout, no Streamlit."""
