"""Server test: the shipped ``deploy/serve.sh`` delivers every JavaScript file of the page whole, to slow clients too.

Why: a response larger than nginx's memory buffers is spooled to a temp file while the client reads slowly. Run as
root (what a fresh cloud machine, a container and CI give a lecturer), nginx's workers run as ``nobody``; when they
cannot write that temp file the response is cut off, and in the browser every chart fails ("Failed to fetch
dynamically imported module …/PlotlyChart….js", a 4.7 MB file). Loopback at full speed never needs the temp file,
so the check that matters is the slow one.

The test starts ``deploy/serve.sh 2 PORT`` (nginx + 2 Streamlit processes, pre-warmed) as whoever runs pytest (CI
runs as root), then:
- fetches every ``.js`` file Streamlit ships (the page's entry script, its preloads and every chunk it may import
  later) through nginx at full speed: each arrives with as many bytes as its Content-Length and the file on disk;
- fetches the largest few with several clients at once, each reading about 300 KB/s through a small receive buffer:
  each arrives whole.
"""

from __future__ import annotations

import concurrent.futures
import gzip
import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import streamlit

from deploy.server import free_port, healthy

ROOT = Path(__file__).resolve().parents[1]
JS = Path(streamlit.__file__).parent / "static" / "static" / "js"
SLOW_FILES, CLIENTS_PER_FILE, RATE = 3, 2, 300_000  # bytes per second per slow client

pytestmark = [
    pytest.mark.server,
    pytest.mark.skipif(not (shutil.which("nginx") or Path("/usr/sbin/nginx").exists()), reason="nginx not installed"),
]


@pytest.fixture(scope="module")
def serve_sh(tmp_path_factory):
    """``deploy/serve.sh 2 PORT`` as a process group; yields (port, the launcher's output file)."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = dict(os.environ)  # serve.sh runs .venv/bin/python when the checkout has one, else python3 from PATH
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    with open(log, "wb") as out:
        proc = subprocess.Popen(["bash", str(ROOT / "deploy" / "serve.sh"), "2", str(port)], cwd=ROOT, env=env,
                                stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.time() + 180
        # nginx opens once both replicas are healthy and pre-warmed; serve.py says so a moment after nginx answers
        while not (healthy(port) and "replicas on" in log.read_text(errors="replace")):
            if proc.poll() is not None or time.time() > deadline:
                pytest.fail(f"serve.sh did not come up on {port}:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.5)
        yield port, log
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)  # serve.py stops its replicas and nginx
            try:
                proc.wait(30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(5)


def nginx_errors(log: Path) -> str:
    """The tail of the running nginx's error log (serve.py prints its config path, whose folder holds the log)."""
    m = re.search(r"config (\S+)/nginx\.conf", log.read_text(errors="replace"))
    err = Path(m.group(1)) / "error.log" if m else None
    return err.read_text(errors="replace")[-2000:] if err and err.exists() else "(no nginx error log found)"


def fetch(port: int, path: str, rate: float | None = None) -> tuple[int, int]:
    """GET ``path`` on 127.0.0.1:``port`` over a fresh connection; returns (Content-Length, bytes of body received).
    With ``rate`` the body is read at about ``rate`` bytes per second through a 64 KB receive buffer (a fixed
    SO_RCVBUF turns off the kernel's autotuning, which on loopback would otherwise swallow megabytes at once)."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
    sock.settimeout(60)
    sock.connect(("127.0.0.1", port))
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.sock = sock
    try:
        conn.request("GET", path, headers={"Accept-Encoding": "identity"})
        resp = conn.getresponse()
        assert resp.status == 200, f"{path}: HTTP {resp.status}"
        length, got, start = int(resp.headers["Content-Length"]), 0, time.monotonic()
        while True:
            try:
                chunk = resp.read(16384)
            except http.client.IncompleteRead as e:  # the server closed before Content-Length bytes
                got += len(e.partial)
                break
            if not chunk:
                break
            got += len(chunk)
            if rate and (ahead := got / rate - (time.monotonic() - start)) > 0:
                time.sleep(ahead)
        return length, got
    finally:
        conn.close()


def scripts() -> list[Path]:
    files = sorted(JS.glob("*.js"), key=lambda p: p.stat().st_size, reverse=True)
    assert len(files) > 50 and files[0].stat().st_size > 1_000_000, f"Streamlit's bundle not found in {JS}"
    return files


def test_every_replica_was_prewarmed(serve_sh):
    """serve.py loads "/" on each replica before nginx opens (deploy.serve.load_default_page, runtime deps only)."""
    _, log = serve_sh
    text = log.read_text(errors="replace")
    assert "replicas on 127.0.0.1" in text and "prewarm of replica" not in text, text[-2000:]


def test_the_page_loads_its_entry_script_from_the_shipped_folder(serve_sh):
    """What the page asks for is in the folder the other tests read (so 'every .js file' covers the page)."""
    port, _ = serve_sh
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/")
    html = conn.getresponse().read().decode()
    wanted = re.findall(r'(?:src|href)="\./static/js/([^"]+\.js)"', html)
    assert wanted and set(wanted) <= {p.name for p in scripts()}


def test_every_script_arrives_whole_at_full_speed(serve_sh):
    port, log = serve_sh
    files = scripts()
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(lambda p: fetch(port, f"/static/js/{p.name}"), files))
    short = {p.name: (got, length, p.stat().st_size) for p, (length, got) in zip(files, results, strict=True)
             if not length == got == p.stat().st_size}
    assert short == {}, f"(received, Content-Length, on disk): {short}\n{nginx_errors(log)}"


def test_the_largest_scripts_arrive_whole_at_300_kb_s_several_clients_at_once(serve_sh):
    port, log = serve_sh
    slow = [p for p in scripts()[:SLOW_FILES] for _ in range(CLIENTS_PER_FILE)]
    with concurrent.futures.ThreadPoolExecutor(len(slow)) as pool:
        results = list(pool.map(lambda p: fetch(port, f"/static/js/{p.name}", RATE), slow))
    short = {}
    for i, (p, (length, got)) in enumerate(zip(slow, results, strict=True)):
        print(f"{p.name} (client {i % CLIENTS_PER_FILE}): {got:,} of {length:,} bytes (on disk {p.stat().st_size:,})")
        if not got == length == p.stat().st_size:
            short[f"{p.name} #{i % CLIENTS_PER_FILE}"] = (got, length)
    assert short == {}, f"(received, Content-Length): {short}\n{nginx_errors(log)}"


def test_streamlits_scripts_come_from_nginx_compressed_and_cached(serve_sh):
    """nginx serves Streamlit's static files itself (deploy/serve.py prepare_static): to a browser that accepts gzip,
    the chart's 4.7 MB script arrives compressed, decompresses to the file Streamlit ships, and may be cached for a
    year; the other tests here fetch every script uncompressed ("identity") and get it whole."""
    port, _ = serve_sh
    for f in (next(JS.glob("PlotlyChart.*.js")), next(JS.glob("index.*.js")), *sorted(JS.parent.glob("css/*.css"))[:1]):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", f"/static/{f.parent.name}/{f.name}", headers={"Accept-Encoding": "gzip, deflate, br"})
        r = conn.getresponse()
        body = r.read()
        conn.close()
        assert r.status == 200 and r.headers.get("Content-Encoding") == "gzip", (f.name, r.status, r.headers)
        assert gzip.decompress(body) == f.read_bytes(), f.name
        assert len(body) < f.stat().st_size / 2, (f.name, len(body), f.stat().st_size)
        assert "immutable" in r.headers.get("Cache-Control", ""), r.headers
        assert r.headers.get("Content-Type", "").split(";")[0] in ("application/javascript", "text/javascript", "text/css")
