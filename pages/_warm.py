"""Heavy imports once per server process, before any page runs (imported by app.py; not a page).

Why: Streamlit runs every session's script in its own thread. When a crowd arrives at a cold server, dozens of
threads hit the *first* import of pandas / pyarrow / plotly's lazily loaded graph objects at the same moment; the
import system's deadlock breaker can then hand a thread a half-initialised module ("partially initialized module
'pandas'"). Here one thread does all of it while the others wait: the module lock (this file is imported once)
plus ``st.cache_resource`` (one computation per process, other callers block until it is done). It returns an
immutable marker, never a mutable object. Cost: about a second, once per process; every later run pays nothing.
"""

from __future__ import annotations

import gc
import importlib

import streamlit as st

from pages import (
    _compat as compat,  # a module of its own, outside pages/_ui: importing it must not import the frame (which imports this file)
)

HEAVY = (
    "numpy", "pandas", "pyarrow", "pyarrow.pandas_compat",
    "plotly.graph_objects", "plotly.io", "plotly.subplots", "plotly.io._json",
    "core", "figures.palette",
)


@st.cache_resource(show_spinner=False, max_entries=1)
def warm() -> tuple[str, ...]:
    """Import the heavy modules and exercise their lazy paths once. Returns the module names (immutable)."""
    for name in HEAVY:
        importlib.import_module(name)
    import pandas as pd
    import plotly.graph_objects as go
    import plotly.io as pio
    from plotly.subplots import make_subplots

    from figures.palette import template

    # plotly imports each trace type, its validators and the templates lazily, on first use
    for dark in (False, True):
        for present in (False, True):
            template(dark, present)
    fig = make_subplots(rows=1, cols=2)
    fig.add_trace(go.Bar(x=[0, 1], y=[1, 2]), row=1, col=1)
    fig.add_trace(go.Scatter(x=[0, 1], y=[1, 2], mode="lines+markers+text", text=["a", "b"]), row=1, col=2)
    fig.add_trace(go.Heatmap(z=[[0.0, 1.0], [1.0, 0.0]], colorscale="RdBu"))
    fig.frames = [go.Frame(data=[go.Bar(x=[0, 1], y=[2, 1])], name="0")]
    fig.update_layout(template=template(False), sliders=[{"steps": [{"args": [["0"]], "label": "0", "method": "animate"}]}],
                      updatemenus=[{"type": "buttons", "buttons": [{"label": "Play", "method": "animate", "args": [None]}]}])
    pio.to_json(fig.to_dict(), validate=False)
    compat.warm_internals(pd.DataFrame({"a": [1.0, 2.0], "b": ["x", "y"]}))  # st.dataframe's path: pandas -> Arrow
    return HEAVY


warm()


def settle_gc() -> None:
    """Python's cyclic garbage collector, tuned for a server that imported everything up front (once per process).

    ``gc.freeze()`` moves every object alive now (Streamlit, plotly, numpy, pandas, their modules and caches: about
    all of a process's objects) out of the collector's reach: they live as long as the process, and a full
    collection no longer walks them. The first generation's threshold goes from 700 to 7000 allocations, since a
    rerun allocates thousands of short-lived objects and collecting every 700 of them mostly finds them still alive.
    A full collection is a pause that every session on the process waits through; the figures under a class are in
    docs/PERFORMANCE.md, round 5, "The garbage collector"."""
    gc.collect()
    gc.freeze()
    gc.set_threshold(7000, *gc.get_threshold()[1:])


settle_gc()
