"""Counts the Training page's st.cache_data lookups and computations in a Streamlit process, for bench/capacity.py.

Python imports ``sitecustomize`` at start-up from ``sys.path``: bench/capacity.py puts this folder on
``PYTHONPATH`` (with ``CACHE_PROBE_DIR``) for the server it starts, so the shipped deploy/serve.sh runs unchanged.
Only a ``streamlit run`` process is patched. Each lookup of the cached training ``run`` defined in pages/training.py appends
one byte to ``$CACHE_PROBE_DIR/<pid>``: ``c`` per call, ``m`` per computation (a miss); hits = calls - misses.

It also times Python's cyclic garbage collector in the same processes (``gc.callbacks``, CPU time of the thread that
collects, which holds the GIL meanwhile): ``$CACHE_PROBE_DIR/<pid>.gc`` holds "collections total_ms longest_ms",
rewritten at most twice a second and after every full collection.
"""

import os
import sys

_DIR = os.environ.get("CACHE_PROBE_DIR", "")
_SERVER = bool(_DIR) and "streamlit" in " ".join(sys.orig_argv) and "run" in sys.orig_argv  # a `streamlit run` only
if _SERVER:
    from streamlit.runtime.caching import cache_utils

    def _probe() -> None:
        Cached = cache_utils.CachedFunc
        get, store = Cached._get_or_create_cached_value, Cached._store_computed_value
        out = open(os.path.join(_DIR, str(os.getpid())), "ab", buffering=0)

        def mine(self) -> bool:
            func = self._info.func  # the training run itself (not the regions drawn from it)
            return func.__name__ == "run" and func.__code__.co_filename.endswith(os.path.join("pages", "training.py"))

        def counted_get(self, *a, **kw):
            if mine(self):
                out.write(b"c")
            return get(self, *a, **kw)

        def counted_store(self, *a, **kw):
            if mine(self):
                out.write(b"m")
            return store(self, *a, **kw)

        Cached._get_or_create_cached_value, Cached._store_computed_value = counted_get, counted_store

    _probe()


def _gc_probe() -> None:
    import gc
    import time

    path, t = os.path.join(_DIR, f"{os.getpid()}.gc"), {"start": 0.0, "n": 0, "total": 0.0, "max": 0.0, "saved": 0.0}

    def timed(phase, info):
        now = time.thread_time()
        if phase == "start":
            t["start"] = now
            return
        dt = now - t["start"]
        t["n"] += 1
        t["total"] += dt
        t["max"] = max(t["max"], dt)
        if info.get("generation") == 2 or time.monotonic() - t["saved"] > 0.5:
            t["saved"] = time.monotonic()
            with open(path, "w") as f:
                f.write(f"{t['n']} {1e3 * t['total']:.3f} {1e3 * t['max']:.3f}\n")

    gc.callbacks.append(timed)


if _SERVER:
    _gc_probe()
