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
_SUPERSCRIPT = str.maketrans("⁻⁰¹²³⁴⁵⁶⁷⁸⁹", "-0123456789")


def unprose(s: str) -> str:
    """core.fmt.prose's 4.25×10⁻¹⁸ as 4.25e-18, the digits kept (so the precision is the printed one); any other text
    is returned as it is. The one reader of the prose form: the claims checkers and the page tests read numbers
    through it, so a test need not know which of the two forms a sentence printed."""
    if "×10" not in s:
        return s
    mant, exp = s.split("×10")
    return f"{mant}e{exp.translate(_SUPERSCRIPT)}"


def printed(s: str) -> float:
    """A printed number as a float, in either form (4.2e-18, −4.25×10⁻¹⁸) and with either minus."""
    return float(unprose(s.strip()).replace("−", "-"))


def raw_floats(df) -> list[str]:
    """Every cell of a shown table (a DataFrame from AppTest) that is a float, not text printed by core.fmt: a raw
    0.30060960535572734 or -4.2e-18 in a table a person reads. Whole numbers and texts are fine."""
    return [f"{col}: {v!r}" for col in df.columns for v in df[col].tolist()
            if isinstance(v, float | np.floating)]


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


# The large grids, marked ``grid``: the full command runs them, the quick loop (README: -m "not browser and not crowd
# and not grid") leaves them out. They are half of the non-browser tests' time (measured with --durations: 1,037 of
# 2,059 worker-seconds), and each repeats one property over many inputs; the same files' other tests (explicit
# links, the n switch, one lock per control kind, the source scans) stay in the quick loop.
GRIDS = {
    "test_fuzz_widgets.py::test_random_widget_sequences_never_raise": "random widget sequences on every page",
    "test_fuzz_widgets.py::test_odd_client_values_never_raise": "wrong-kind client values to every widget",
    "test_fuzz_urls.py::test_hostile_links_never_raise_and_warn_politely": "the 1,000 fuzzed links",
    "test_locks.py::test_a_locked_or_hidden_value_holds": "every lock and hide of every parameter on every page",
    "test_text_safety.py::test_html_payload_in_every_text_parameter_is_rejected": "hostile text in every text input",
}
