"""Start ``streamlit run`` on a loopback port and wait until ``/_stcore/health`` answers.

The one copy of this code: deploy/serve.py (its replicas), bench/ (every benchmark) and tests/browser/ (the
``server`` fixture) all import it as ``deploy.server`` (the repo root on ``sys.path``). Stdlib only. It also says, in
the browser, when a served page has drawn its charts (:data:`CHARTS_DRAWN_JS`), for the browser tests and bench alike.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def streamlit_command(script: str | Path, port: int, options: Mapping | None = None,
                      launcher: Sequence[str] = ("-m", "streamlit"), args: Sequence[str] = ()) -> list[str]:
    """``python -m streamlit run script`` on 127.0.0.1:port, headless, plus ``--section.option value`` options
    and raw command-line ``args``.

    ``launcher`` replaces ``-m streamlit`` (bench/crowd.py starts Streamlit through a ``-c`` snippet)."""
    cmd = [sys.executable, *launcher, "run", str(script), "--server.port", str(port), "--server.address", "127.0.0.1",
           "--server.headless", "true", "--browser.gatherUsageStats", "false"]
    for k, v in (options or {}).items():
        cmd += [f"--{k}", str(v).lower() if isinstance(v, bool) else str(v)]
    return [*cmd, *args]


def launch(script: str | Path = "app.py", port: int | None = None, options: Mapping | None = None,
           log: Path | None = None, cwd: Path = ROOT, env: Mapping[str, str] | None = None,
           launcher: Sequence[str] = ("-m", "streamlit"), args: Sequence[str] = (),
           new_session: bool = False) -> tuple[subprocess.Popen, str]:
    """Start the process without waiting; returns (process, base_url). Output goes to ``log`` (appended) or nowhere:
    an unread pipe would block a chatty server once its buffer fills."""
    port = port or free_port()
    out = open(log, "ab") if log else subprocess.DEVNULL  # the child keeps its own copy of the descriptor
    try:
        proc = subprocess.Popen(streamlit_command(script, port, options, launcher, args), cwd=cwd, stdout=out,
                                stderr=subprocess.STDOUT, start_new_session=new_session,
                                env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})
    finally:
        if log:
            out.close()
    return proc, f"http://127.0.0.1:{port}"


# A page's charts are drawn (a JavaScript predicate for Playwright's wait_for_function): every chart holds plotly's
# drawn SVG, and no element waits for its code. The app's charts are its chart element (key ``chart_<name>``, class
# ``st-key-chart_<name>``); ``st.plotly_chart`` is the baselines' (bench/). Streamlit loads an element's code when it
# first draws one and shows a skeleton in its place until then, so "every chart drawn" alone held, over no chart at
# all, about 1.3 s before a first load drew its chart (round 18).
CHARTS_DRAWN_JS = """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"], [class*="st-key-chart_"]')]
    .every(c => c.querySelector('.main-svg')) && !document.querySelector('[data-testid="stSkeleton"]')"""


def healthy(url: str | int, timeout: float = 1.0) -> bool:
    """True if ``url`` (a base URL, or a port on 127.0.0.1) answers /_stcore/health with 200. No proxy: a
    classroom machine's http_proxy must not see loopback traffic."""
    if isinstance(url, int):
        url = f"http://127.0.0.1:{url}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(f"{url}/_stcore/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


def wait_healthy(url: str, timeout: float = 60.0, proc: subprocess.Popen | None = None, log: Path | None = None) -> None:
    """Poll until healthy; raise (with the log's tail, if any) when ``proc`` exits first or ``timeout`` passes."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc is not None and proc.poll() is not None:
            tail = Path(log).read_text(errors="replace")[-3000:] if log and Path(log).exists() else ""
            raise RuntimeError(f"streamlit exited early with code {proc.returncode}\n{tail}".rstrip())
        if healthy(url, timeout=2):
            return
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not become healthy within {timeout:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def stop_pid(pid: int, grace: float = 10.0) -> None:
    """Stop a server this process did not start (so holds no Popen of): SIGTERM, then SIGKILL after ``grace`` s."""
    import signal

    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.time() + grace
    while time.time() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


def start_streamlit(script: str | Path = "app.py", port: int | None = None, options: Mapping | None = None,
                    log: Path | None = None, timeout: float = 60.0, **kw) -> tuple[subprocess.Popen, str]:
    """Start ``streamlit run script`` (see ``launch`` for ``kw``) and return (process, base_url) once healthy.
    The project's .streamlit/config.toml applies (cwd is the repo root); ``options`` override it."""
    proc, url = launch(script, port, options, log, **kw)
    try:
        wait_healthy(url, timeout, proc, log)
    except BaseException:
        stop(proc)
        raise
    return proc, url


@contextlib.contextmanager
def streamlit_server(script: str | Path = "app.py", options: Mapping | None = None,
                     log: Path | None = None, **kw) -> Iterator[tuple[str, int]]:
    """``with streamlit_server("bench/baseline_app.py") as (url, pid): ...``; ``kw`` as for :func:`start_streamlit`
    (e.g. ``cwd=`` a copy of the app, ``env=``, ``timeout=``)."""
    proc, url = start_streamlit(script, options=options, log=log, **kw)
    try:
        yield url, proc.pid
    finally:
        stop(proc)
