"""Helpers shared by the tests that need no AppTest: plotly's typed arrays, the plain-spec check, asyncio in a thread.

The AppTest helpers (open a page, its charts) are in apptest_util.py, the browser's in browser/browser_util.py.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures

import numpy as np

from figures.spec import is_plain, strict

SPEC_KEYS = {"data", "layout", "frames"}


def nparr(v) -> np.ndarray:
    """A figure's data array as numpy: a list, or plotly's base64 typed array {"dtype", "bdata", "shape"} that
    plotly writes for numpy inputs (its "shape", if any, is honoured). Missing values (None) become NaN."""
    if isinstance(v, dict) and "bdata" in v:
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        return a.reshape([int(k) for k in str(v["shape"]).split(",")]) if "shape" in v else a
    a = np.asarray(v)
    return a.astype(float) if a.dtype == object else a


def arr(v):
    """A plotly JSON array as the plain list plotly would have written: a list stays as it is, a typed array is
    decoded (see ``nparr``)."""
    return nparr(v).tolist() if isinstance(v, dict) and "bdata" in v else v


def plain_spec(spec):
    """A builder's output is a plain dict spec (no graph objects anywhere, only data/layout/frames) that passes
    plotly's strict validation; returns the validated ``go.Figure``."""
    assert isinstance(spec, dict) and set(spec) <= SPEC_KEYS and is_plain(spec), sorted(spec)
    return strict(spec)  # raises on any unknown or ill-typed property


def run_in_thread(fn, *args, **kwargs):
    """``fn(*args, **kwargs)`` in a fresh thread: Playwright's sync API (browser tests in the same pytest process)
    leaves an event loop running in the main thread, where ``asyncio.run`` refuses to start."""
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(fn, *args, **kwargs).result()


def run_async(coro):
    """``asyncio.run(coro)`` in a fresh thread (see ``run_in_thread``)."""
    return run_in_thread(asyncio.run, coro)
