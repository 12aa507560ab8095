"""One command for a lecturer: K Streamlit processes behind Debian's nginx.

    deploy/serve.sh 2 8080          # or, from the repository root: python -m deploy.serve --replicas 2 --port 8080

Students open http://<this machine>:8080. Replicas listen on 127.0.0.1:PORT+1 ... PORT+K (not reachable from
outside); nginx (run as an unprivileged child with a generated config in a temporary directory, never the system
service) proxies the websockets with least-connections balancing and passive health checks, and this launcher
polls each replica's /_stcore/health every second and restarts a replica that died. A student whose replica died
is reconnected by the browser through nginx to a live one, with the same view (the view lives in the URL).

K defaults to two per core (``default_replicas``; the measurements are in docs/PERFORMANCE.md, R2). Ctrl-C stops all.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

try:
    from deploy.server import ROOT, healthy, launch
except ModuleNotFoundError as e:  # started as `python deploy/serve.py`: the repository root is not on sys.path
    if e.name != "deploy":
        raise
    sys.exit("deploy/serve.py is a module of the repository: run deploy/serve.sh, or python -m deploy.serve from the "
             "repository root")

TEMPLATE = Path(__file__).with_name("nginx.conf.template")


def default_replicas() -> int:
    """Two Streamlit processes per core: with half the sessions per process, fewer script threads contend for each
    process's GIL (docs/PERFORMANCE.md: nginx + 4 on 2 cores beat nginx + 2, + 3 and + 6). Cores as ``nproc`` counts
    them (the CPUs this process may run on)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 2 * cores


def nginx_binary() -> str:
    for c in (shutil.which("nginx"), "/usr/sbin/nginx"):
        if c and Path(c).exists():
            return c
    sys.exit("nginx is not installed (Debian: apt-get install nginx)")


# How nginx spreads students over the replicas (nginx.conf.template says what each means).
BALANCE = {"sticky": "hash $cookie__streamlit_xsrf consistent;", "least_conn": "least_conn;"}


# Set before Streamlit's bundle runs, in a page reached by a direct link (nginx.conf.template says why): the server's
# address is the page's, less its last path segment. No "$" in it: nginx would read one as a variable.
BASE_URL_SCRIPT = ('var s=location.pathname.split("/").filter(Boolean);s.pop();'
                   'window.__streamlit={BACKEND_BASE_URL:location.origin+"/"+s.map(function(x){return x+"/"}).join("")};')


def render_config(rundir: Path, listen: str, ports: list[int], workers: str = "auto", max_fails: int = 1,
                  fail_timeout: int = 5, balance: str = "sticky") -> str:
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails={max_fails} fail_timeout={fail_timeout}s;" for p in ports)
    text = TEMPLATE.read_text()
    for k, v in {"RUNDIR": str(rundir), "LISTEN": listen, "SERVERS": servers, "WORKERS": workers,
                 "BALANCE": BALANCE[balance], "BASE_URL_SCRIPT": BASE_URL_SCRIPT}.items():
        text = text.replace("{{" + k + "}}", v)
    return text


COMPRESSED = {".js", ".css", ".svg", ".json", ".map", ".txt"}  # text: a gzip copy beside each (fonts are compressed)


def streamlit_static() -> Path:
    """The installed Streamlit's scripts, styles and fonts (served under /static/), which nginx serves itself."""
    import streamlit

    return Path(streamlit.__file__).parent / "static" / "static"


def prepare_static(dest: Path, src: Path | None = None) -> Path:
    """A copy of Streamlit's static files in ``dest`` for nginx to serve, with a gzip copy of each text file beside it
    (``name.js.gz``; nginx's gzip_static sends it to a browser that accepts gzip). Readable by all: nginx's workers
    run as ``nobody`` when it is started as root, and the checkout (its venv) may sit in root's home.

    Why: every student's first load fetches about 8.4 MB of Streamlit's files, 4.7 MB of them the chart's script, which
    uvicorn serves uncompressed from the same processes that run the students' scripts. Compressed once here, the
    chart's script is 1.4 MB on the wire, and no replica spends a moment on it. Their names carry a content hash and
    the copy is made from the installed Streamlit that the replicas run, so nothing in it goes stale."""
    import gzip

    shutil.copytree(src or streamlit_static(), dest)
    for f in [dest, *dest.rglob("*")]:
        f.chmod(0o755 if f.is_dir() else 0o644)
        if f.is_file() and f.suffix in COMPRESSED and f.stat().st_size > 1024:
            gz = f.with_name(f.name + ".gz")
            gz.write_bytes(gzip.compress(f.read_bytes(), 6, mtime=0))
            gz.chmod(0o644)
    return dest


def port_free(port: int) -> bool:
    """True if nothing listens on 127.0.0.1:``port`` and it is not an outgoing connection's local port."""
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def replica_ports(after: int, k: int) -> list[int]:
    """``k`` free ports from ``after + 1`` upwards. Why not simply after+1 … after+k: on a busy machine one of them
    can be the local port of some outgoing connection (seen under a 300-student benchmark: "Port 35408 is not
    available", and the replica never came up)."""
    ports, p = [], after
    while len(ports) < k:
        p += 1
        if p > 65535:
            raise RuntimeError(f"no {k} free ports above {after}")
        if port_free(p):
            ports.append(p)
    return ports


def load_default_page(port: int, timeout: float = 120.0) -> None:
    """Open "/" on the Streamlit process at 127.0.0.1:``port`` as a browser tab does, and wait until its script has
    run to the end: fetch the XSRF cookie, open ``/_stcore/stream`` with it, send one ``rerun_script``, read until
    ``script_finished``. Raises if the script does not finish within ``timeout`` seconds.

    Only what the app already installs: Streamlit's own protocol messages and its websocket library (``websockets``,
    a dependency of Streamlit's server), used synchronously, so it runs whether or not the caller has an event loop.
    No proxy: the socket is opened here, so a classroom machine's http_proxy never sees loopback traffic."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    base = f"http://127.0.0.1:{port}"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(f"{base}/_stcore/health", timeout=timeout) as r:
        cookies = r.headers.get_all("Set-Cookie") or []
    token = next((c.split("=", 1)[1].split(";")[0] for c in cookies if c.startswith("_streamlit_xsrf=")), "")
    rerun = BackMsg()
    rerun.rerun_script.SetInParent()  # the default page, no query string, no widget states
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    with connect(f"ws://127.0.0.1:{port}/_stcore/stream", sock=sock, origin=base,
                 subprotocols=["streamlit", token] if token else ["streamlit"],
                 additional_headers={"Cookie": f"_streamlit_xsrf={token}"} if token else None,
                 max_size=None, open_timeout=timeout) as ws:
        ws.send(rerun.SerializeToString())
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=left))
            if msg.WhichOneof("type") == "script_finished" and msg.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                return
    raise TimeoutError(f"the default page on port {port} did not finish within {timeout:.0f} s")


class Cluster:
    """K replicas + nginx; usable from Python (benchmarks, tests) as a context manager."""

    def __init__(self, replicas: int | None = None, port: int = 8080, host: str = "0.0.0.0", script: str = "app.py",
                 options: dict | None = None, logdir: Path | None = None, quiet: bool = False, warm: bool = True,
                 balance: str = "sticky"):
        # One default process count for the Python API, the CLI and serve.sh: default_replicas()
        self.k, self.port, self.host, self.script = replicas or default_replicas(), port, host, script
        self.options = options or {}
        self.balance = balance  # a key of BALANCE
        self.rundir = Path(tempfile.mkdtemp(prefix="softmax-nginx-"))
        # Searchable by all (not listable): started as root, nginx runs its workers as `nobody`, and they must reach
        # the temp folders under here (nginx creates each one owned by the worker user) to spool a large response to a
        # slow client. With mkdtemp's 0700 they could not: PlotlyChart's 4.7 MB script was cut off (deploy/README.md).
        self.rundir.chmod(0o711)
        self.logdir = logdir or self.rundir
        self.quiet = quiet
        self.warm = warm  # load "/" on each replica before nginx opens (see prewarm)
        self.ports = replica_ports(port, self.k)  # usually port+1 … port+K
        self.replicas: dict[int, subprocess.Popen] = {}
        self.nginx: subprocess.Popen | None = None
        self.restarts = 0

    def log(self, msg: str) -> None:
        if not self.quiet:
            print(f"[serve] {msg}", flush=True)

    def start_replica(self, p: int) -> subprocess.Popen:
        proc, _ = launch(self.script, p, self.options, self.logdir / f"replica-{p}.log", new_session=True)
        self.replicas[p] = proc
        return proc

    def wait_replicas(self, timeout: float = 90.0) -> None:
        deadline = time.time() + timeout
        pending = set(self.ports)
        while pending and time.time() < deadline:
            for p in [p for p in pending if self.replicas[p].poll() is not None]:
                # it exited before serving (e.g. its port was taken after all): start it again on another port
                q = replica_ports(max(self.ports), 1)[0]
                self.log(f"replica on port {p} exited at start-up; starting it on port {q}")
                self.ports[self.ports.index(p)] = q
                del self.replicas[p]
                pending = (pending - {p}) | {q}
                self.start_replica(q)
            pending = {p for p in pending if not healthy(p)}
            time.sleep(0.2)
        if pending:
            raise RuntimeError(f"replicas on ports {sorted(pending)} did not become healthy; logs in {self.logdir}")

    def prewarm(self, p: int) -> None:
        """Load the default page once on replica ``p`` before students can reach it.

        Two cold-start traps are closed here: (1) app.py's heavy imports (pages/_warm.py) run once, in one thread;
        (2) until some session has run app.py's st.navigation, Streamlit treats the ``pages/`` folder as a legacy
        (MPA v1) app: a direct link such as /dependencies then runs that file WITHOUT app.py (no warm-up, and a
        sidebar listing ui and warm as pages). One load of "/" switches the process to st.navigation for good.
        """
        try:
            load_default_page(p)
        except Exception as e:  # a replica that cannot load its default page is reported, not fatal here
            self.log(f"prewarm of replica {p} failed: {e}")

    def start(self) -> Cluster:
        for p in self.ports:
            self.start_replica(p)
        self.wait_replicas()
        if self.warm:
            for p in self.ports:
                self.prewarm(p)
        prepare_static(self.rundir / "static")
        conf = self.rundir / "nginx.conf"
        listen = f"{self.host}:{self.port}" if self.host not in ("", "*") else str(self.port)
        conf.write_text(render_config(self.rundir, listen, self.ports, balance=self.balance))
        test = subprocess.run([nginx_binary(), "-t", "-c", str(conf), "-p", str(self.rundir)], capture_output=True, text=True)
        if test.returncode != 0:
            raise RuntimeError("nginx config test failed:\n" + test.stderr)
        self.nginx = subprocess.Popen([nginx_binary(), "-c", str(conf), "-p", str(self.rundir)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 10
        while time.time() < deadline and not healthy(self.port):
            time.sleep(0.1)
        if not healthy(self.port):
            raise RuntimeError(f"nginx did not answer on {self.port}; see {self.rundir}/error.log")
        self.log(f"{self.k} replicas on 127.0.0.1:{self.ports[0]}..{self.ports[-1]}, nginx on {listen} (config {conf})")
        return self

    def check(self) -> None:
        """Active health check: restart a replica whose process died."""
        for p, proc in list(self.replicas.items()):
            if proc.poll() is not None:
                self.log(f"replica {p} exited with {proc.returncode}: restarting")
                self.restarts += 1
                self.start_replica(p)
                if self.warm:
                    self.wait_replicas()
                    self.prewarm(p)

    def kill_replica(self, p: int) -> None:
        """For failover tests: SIGKILL one replica (as if its machine died)."""
        os.killpg(self.replicas[p].pid, signal.SIGKILL)
        self.replicas[p].wait()

    def pids(self) -> list[int]:
        return [proc.pid for proc in self.replicas.values() if proc.poll() is None]

    def stop(self) -> None:
        procs = [*self.replicas.values(), *([self.nginx] if self.nginx else [])]
        for proc in procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in procs:
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
        if self.logdir != self.rundir:  # keep the logs when they live in the run directory
            shutil.rmtree(self.rundir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", "-k", type=int, default=default_replicas(), help="default: two per core")
    ap.add_argument("--port", "-p", type=int, default=8080)
    ap.add_argument("--host", default="0.0.0.0", help="address nginx listens on (0.0.0.0 = the classroom network)")
    ap.add_argument("--script", default="app.py")
    ap.add_argument("--balance", choices=list(BALANCE), default="sticky",
                    help="sticky (default): a browser stays on the replica holding its session, so a dropped websocket "
                         "resumes it; least_conn: new students go to the least busy replica")
    a = ap.parse_args()
    logdir = ROOT / "artifacts" / "serve"
    logdir.mkdir(parents=True, exist_ok=True)
    cluster = Cluster(a.replicas, a.port, a.host, a.script, logdir=logdir, balance=a.balance)
    print(f"replica logs: {logdir}", flush=True)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    with cluster:
        print(f"Open http://<this machine>:{a.port}  (Ctrl-C stops everything)", flush=True)
        try:
            while True:
                time.sleep(1)
                cluster.check()
                if cluster.nginx.poll() is not None:
                    sys.exit(f"nginx exited with {cluster.nginx.returncode}; see {cluster.rundir}/error.log")
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
