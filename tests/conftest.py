"""Shared test setup: hypothesis profiles. Oracles live in tests/oracles.py; the import path (the repo root, tests/,
tests/browser/) is set by pyproject.toml's [tool.pytest.ini_options] pythonpath."""

import os

from hypothesis import settings

settings.register_profile("ci", max_examples=200, deadline=None, derandomize=True)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


def _scan_installed_components_once() -> None:
    """Every new AppTest scans the metadata of every installed distribution for Streamlit components (its first run
    calls ``BidiComponentManager.discover_and_register_components``): 0.27 CPU-s of e-mail header parsing per AppTest
    on this machine, 39 % of the lock grid's time, and the suite makes thousands. The installed packages cannot change
    during a run, so each process scans once and every AppTest registers the same (empty) result. A real server scans
    once at its start, as before."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    scan = functools.cache(manifest_scanner.scan_component_manifests)
    manifest_scanner.scan_component_manifests = lambda *a, **k: list(scan(*a, **k))


_scan_installed_components_once()


def _compile_each_script_once() -> None:
    """A real server compiles each script once (its ScriptCache lives as long as the server); AppTest makes a new
    ScriptCache on every run, so each run parsed, rewrote (Streamlit's "magic") and compiled app.py and the page again.
    One cache per process, keyed by the file's path and modification time (a test that rewrites a script gets it
    compiled again), gives every run the server's cost: the quick loop took 90.9 s without it and 79.7 s with it, back
    to back."""
    import os

    from streamlit.runtime.scriptrunner.script_cache import ScriptCache
    from streamlit.testing.v1 import app_test, local_script_runner

    class Shared(ScriptCache):
        """The server's cache (its dict, lock and ``clear``), its keys also naming the file's modification time."""

        def get_bytecode(self, script_path: str):
            path = os.path.abspath(script_path)
            key = (path, os.stat(path).st_mtime_ns)
            with self._lock:
                code = self._cache.get(key)
            if code is None:
                code = ScriptCache().get_bytecode(path)  # compiled outside the lock, as the first run of a file
                with self._lock:
                    self._cache[key] = code
            return code

    shared = Shared()
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: shared


_compile_each_script_once()


# Tests a large change left behind, each with what broke (test id → cause). They run and report as xfail (an unexpected
# pass shows as XPASS) until they are adapted; the list is the next round's first work, and nothing is added to it
# silently.
KNOWN_BROKEN: dict[str, str] = {
}


def pytest_collection_modifyitems(config, items):
    import pytest
    from helpers import GRIDS

    for item in items:
        if f"{item.path.name}::{item.originalname}" in GRIDS and item.path.parent.name == "tests":
            item.add_marker(pytest.mark.grid)
        reason = KNOWN_BROKEN.get(item.nodeid) or KNOWN_BROKEN.get(item.nodeid.split("[")[0])
        if reason:
            item.add_marker(pytest.mark.xfail(reason=f"known broken: {reason}", strict=False))


def pytest_unconfigure(config):
    """The xdist controller stops the browser server its workers shared (tests/browser/conftest.py: ``server``): the
    run's base temp folder, the workers' common parent, names it."""
    if hasattr(config, "workerinput") or not hasattr(config, "_tmp_path_factory"):
        return
    from browser_util import SHARED_SERVER

    from deploy.server import stop_pid

    try:
        shared = config._tmp_path_factory.getbasetemp() / SHARED_SERVER
    except Exception:  # no base temp folder was made: nothing was shared
        return
    if shared.exists():
        import json

        stop_pid(json.loads(shared.read_text())["pid"])
        shared.unlink()
