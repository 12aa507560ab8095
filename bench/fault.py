"""Fault: kill one of two replicas behind nginx under load; students reconnect to the survivor.

    python -m bench.fault                         # 40 students, kill at 25 s, restart at 45 s, 2nd wave at 55 s
    python -m bench.fault --students 60 --json artifacts/fault.json

1. ``deploy/serve.py``'s Cluster: nginx + 2 replicas (each warmed by one visit); a class of ``--students``
   students over every page, moving widgets every U(--think) seconds.
2. At ``--kill-at`` seconds, SIGKILL one replica (as if its machine died). Its students' websockets drop;
   bench/loadsim/ reconnects them through nginx with the query string of their address bar (a browser
   does the same), and checks the view came back identical (``same_view``: the URL did not change and the
   widgets show the same values).
3. At ``--restart-at``, ``Cluster.check()`` restarts the dead replica (what ``deploy/serve.py`` does every
   second); when it is healthy, a second wave of students arrives and the active sessions per replica
   (``/_stcore/metrics``) show whether nginx sends them to the restarted replica again.

Reports: interactions that failed (websocket dropped), reconnects (count, same view or not, latency =
recovery time per student), the time from the kill to the last student recovered, errors and exception
elements, and the active sessions per replica before the kill, after it, and after the second wave.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

from bench.crowd import crowd  # noqa: E402
from bench.loadsim import format_table, load_average, pct, run_class  # noqa: E402
from bench.soak import metric  # noqa: E402
from deploy.server import free_port, healthy  # noqa: E402


def sessions(ports) -> dict[int, float]:
    return {p: metric(p, "active_sessions") for p in ports}


async def fault(students: int, think: tuple[float, float], kill_at: float, restart_at: float, wave2_at: float,
                wave2: int, duration: float, seed: int, warm_restart: bool) -> dict:
    from deploy.serve import Cluster

    port = free_port()  # Cluster gives its replicas free ports after it
    log: list[tuple[float, str]] = []
    # error details on, so that a failure in the report names its exception (students never see this config)
    c = Cluster(2, port=port, host="127.0.0.1", quiet=True, options={"client.showErrorDetails": "full"})
    await asyncio.to_thread(c.start)  # in a thread: Cluster.start / check prewarm replicas with their own event loop
    try:
        for p in c.ports:
            await run_class(f"http://127.0.0.1:{p}", "", students=1, ramp_s=0, duration_s=0)
        victim = c.ports[0]
        t0 = time.monotonic()
        now = lambda: round(time.monotonic() - t0, 2)
        ramp = min(10.0, kill_at / 2)
        cls = asyncio.create_task(crowd(c.url, students, ramp, duration - ramp, seed, think_s=think))
        await asyncio.sleep(kill_at - 1)
        before = await asyncio.to_thread(sessions, c.ports)
        log.append((now(), f"sessions before the kill {before}"))
        await asyncio.sleep(1)
        t_kill = now()
        c.kill_replica(victim)
        log.append((t_kill, f"killed replica {victim} (SIGKILL)"))
        await asyncio.sleep(max(0.0, restart_at - now()))
        after_kill = await asyncio.to_thread(sessions, c.ports)
        log.append((now(), f"sessions after the kill {after_kill}"))
        t_restart = now()
        await asyncio.to_thread(c.check)  # what deploy/serve.py runs every second: restart (and prewarm)
        while not await asyncio.to_thread(healthy, victim):
            await asyncio.sleep(0.2)
        t_back = now()
        log.append((t_back, f"replica {victim} restarted and healthy after {t_back - t_restart:.1f} s"))
        if warm_restart:
            await run_class(f"http://127.0.0.1:{victim}", "", students=1, ramp_s=0, duration_s=0)
        await asyncio.sleep(max(0.0, wave2_at - now()))
        w2 = asyncio.create_task(crowd(c.url, wave2, 3.0, 8.0, seed + 7, think_s=think)) if wave2 else None
        await asyncio.sleep(6.0)
        after_wave2 = await asyncio.to_thread(sessions, c.ports)
        log.append((now(), f"sessions while the second wave is on {after_wave2}"))
        res2 = await w2 if w2 else None
        res = await cls
        load = load_average()
    finally:
        c.stop()

    rec = list(res.reconnects)
    dropped = [e for e in res.errors if "websocket dropped" in e]
    other = [e for e in res.errors if "websocket dropped" not in e]
    t_recovered = max((r.t for r in rec), default=float("nan"))
    report = {
        "students": students, "cores": os.cpu_count(), "load": load, "kill_at_s": t_kill,
        "interactions_ok": len(res.interaction), "interactions_failed": len(dropped),
        "reconnects": len(rec), "reconnects_same_view": sum(r.same_view for r in rec),
        "reconnect_p50_ms": 1e3 * pct([r.latency for r in rec], 50),
        "reconnect_max_ms": 1e3 * max((r.latency for r in rec), default=float("nan")),
        "kill_to_last_recovered_s": t_recovered - t_kill if rec else float("nan"),
        "other_errors": len(other), "exceptions": res.exceptions,
        "restart_to_healthy_s": t_back - t_restart,
        "wave2_students": wave2, "wave2_errors": len(res2.errors) if res2 else 0,
        "wave2_exceptions": res2.exceptions if res2 else 0,
        "sessions_before_kill": before, "sessions_after_kill": after_kill, "sessions_after_wave2": after_wave2,
        "timeline": log, "different_views": [r.detail for r in rec if not r.same_view][:10],
        "other_error_samples": other[:10], "exception_samples": sorted(set(res.exception_messages))[:10],
        "wave2_error_samples": (res2.errors[:10] + sorted(set(res2.exception_messages))[:5]) if res2 else [],
    }
    for t, msg in log:
        print(f"[{t:7.2f} s] {msg}")
    keys = [k for k in report if not isinstance(report[k], (list, dict))]
    print(format_table([{k: report[k] for k in keys}], title=f"fault: kill 1 of 2 replicas under {students} students"))
    for k in ("different_views", "other_error_samples", "exception_samples", "wave2_error_samples"):
        for e in report[k]:
            print(f"{k}: {e}")
    return report


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.fault", description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, default=40)
    ap.add_argument("--think", type=float, nargs=2, default=(1.0, 4.0), metavar=("MIN", "MAX"))
    ap.add_argument("--kill-at", type=float, default=25.0)
    ap.add_argument("--restart-at", type=float, default=45.0)
    ap.add_argument("--wave2-at", type=float, default=55.0)
    ap.add_argument("--wave2", type=int, default=10)
    ap.add_argument("--duration", type=float, default=75.0, help="length of the first class, from its start")
    ap.add_argument("--warm-restart", action="store_true", help="visit the restarted replica once before wave 2")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", default="")
    a = ap.parse_args(argv)
    report = asyncio.run(fault(a.students, tuple(a.think), a.kill_at, a.restart_at, a.wave2_at, a.wave2, a.duration,
                               a.seed, a.warm_restart))
    if a.json:
        Path(a.json).parent.mkdir(parents=True, exist_ok=True)
        Path(a.json).write_text(json.dumps(report, indent=1, default=float))


if __name__ == "__main__":
    main()
