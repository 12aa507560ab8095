"""What a simulated class measured: the result types, percentiles, the plain-text table, and the server probe
(psutil: CPU time and RSS of the server processes) with the machine's load average."""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import statistics
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field


@dataclass
class Event:
    student: int
    t: float  # seconds since the class started, at the end of the rerun
    kind: str  # "first", "interaction", "reconnect"
    latency: float
    nbytes: int


@dataclass
class Reconnect:
    student: int
    t: float
    latency: float
    same_view: bool
    detail: str = ""  # what differed, when same_view is False


@dataclass
class ServerStats:
    cpu_s: float
    reruns: int
    cpu_per_rerun_ms: float
    rss_mb_start: float
    rss_mb_max: float
    rss_mb_end: float
    rss_samples: list[tuple[float, float]] = field(default_factory=list)  # (t, MB)


def pct(values: Sequence[float], q: float) -> float:
    """The q-th percentile (nearest rank); nan for no values."""
    if not values:
        return math.nan
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(q / 100 * len(s)) - 1))
    return s[k]


@dataclass
class ClassResult:
    base_url: str
    page: str
    students: int
    ramp_s: float
    duration_s: float
    wall_s: float = 0.0
    first_load: list[float] = field(default_factory=list)
    interaction: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    exceptions: int = 0
    exception_messages: list[str] = field(default_factory=list)
    bytes_per_rerun: list[int] = field(default_factory=list)
    timelines: dict[int, list[tuple[float, float]]] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    reconnects: list[Reconnect] = field(default_factory=list)
    server: ServerStats | None = None

    def summary(self) -> dict:
        s = self.server
        return {
            "page": self.page or "(default)", "students": self.students,
            "first_p50_ms": 1e3 * pct(self.first_load, 50), "first_p95_ms": 1e3 * pct(self.first_load, 95),
            "first_max_ms": 1e3 * max(self.first_load, default=math.nan),
            "moves": len(self.interaction),
            "move_p50_ms": 1e3 * pct(self.interaction, 50), "move_p95_ms": 1e3 * pct(self.interaction, 95),
            "move_max_ms": 1e3 * max(self.interaction, default=math.nan),
            "errors": len(self.errors), "exceptions": self.exceptions,
            "kB_per_rerun": statistics.median(self.bytes_per_rerun) / 1e3 if self.bytes_per_rerun else math.nan,
            "cpu_ms_per_rerun": s.cpu_per_rerun_ms if s else math.nan,
            "rss_mb_max": s.rss_mb_max if s else math.nan,
            "reconnects": len(self.reconnects),
        }

    def table(self, title: str = "") -> str:
        return format_table([self.summary()], title=title)

    def to_json(self) -> dict:
        return asdict(self)


def format_table(rows: Sequence[dict], title: str = "") -> str:
    """A plain-text table of summary() dicts (floats rounded; nan shown as -)."""
    if not rows:
        return ""
    cols = list(dict.fromkeys(k for r in rows for k in r))

    def cell(v) -> str:
        if isinstance(v, float):
            return "-" if math.isnan(v) else (f"{v:.0f}" if abs(v) >= 100 else f"{v:.1f}")
        return str(v)

    body = [[cell(r.get(c, "")) for c in cols] for r in rows]
    widths = [max(len(c), *(len(b[i]) for b in body)) for i, c in enumerate(cols)]
    line = lambda vals: "| " + " | ".join(v.rjust(w) for v, w in zip(vals, widths, strict=True)) + " |"
    out = [title] if title else []
    out += [line(cols), "|" + "|".join("-" * (w + 2) for w in widths) + "|", *map(line, body)]
    return "\n".join(out)


class ServerProbe:
    def __init__(self, pids: Sequence[int]):
        import psutil

        self.procs = [psutil.Process(p) for p in pids]
        self.t0 = time.monotonic()
        self.cpu0 = self._cpu()
        self.rss: list[tuple[float, float]] = [(0.0, self._rss())]

    def _cpu(self) -> float:
        tot = 0.0
        for p in self.procs:
            with contextlib.suppress(Exception):
                c = p.cpu_times()
                tot += c.user + c.system
        return tot

    def _rss(self) -> float:
        tot = 0
        for p in self.procs:
            with contextlib.suppress(Exception):
                tot += p.memory_info().rss
        return tot / 2**20

    async def sample(self, every: float = 1.0) -> None:
        while True:
            await asyncio.sleep(every)
            self.rss.append((time.monotonic() - self.t0, self._rss()))

    def stats(self, reruns: int) -> ServerStats:
        cpu = self._cpu() - self.cpu0
        self.rss.append((time.monotonic() - self.t0, self._rss()))
        mbs = [m for _, m in self.rss]
        return ServerStats(cpu, reruns, 1e3 * cpu / reruns if reruns else math.nan, mbs[0], max(mbs), mbs[-1], self.rss)


def pids_listening(port: int) -> list[int]:
    """Processes of this user listening on ``port`` (for --pid auto)."""
    import psutil

    out = []
    for p in psutil.process_iter(["pid"]):
        with contextlib.suppress(Exception):
            for c in p.net_connections(kind="inet"):
                if c.status == psutil.CONN_LISTEN and c.laddr and c.laddr.port == port:
                    out.append(p.pid)
                    break
    return out


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())
