"""postScriptGC on vs off under a few minutes of load: server CPU per rerun, latency, and RSS over time.

Streamlit's default (``runner.postScriptGC = true``) runs ``gc.collect()`` after every script run. The project turns
it off; this soak checks that memory does not grow without it. Each config gets a fresh server and the same class
(``--students`` on ``--page`` for ``--duration`` s after a 10 s ramp); RSS is sampled every second.

    python -m bench.gc_soak --page softmax --students 30 --duration 150
"""

from __future__ import annotations

import argparse
import asyncio
import os

from bench.loadsim import format_table, load_average, run_class
from deploy.server import streamlit_server


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.gc_soak", description=__doc__.split("\n\n")[0])
    ap.add_argument("--page", default="softmax")
    ap.add_argument("--students", type=int, default=30)
    ap.add_argument("--duration", type=float, default=150.0)
    a = ap.parse_args(argv)
    rows = []
    for gc_on in (True, False):
        load = load_average()
        with streamlit_server("app.py", options={"runner.postScriptGC": gc_on}) as (url, pid):
            r = asyncio.run(run_class(url, a.page, a.students, 10.0, a.duration, (0.0, 6.0), pids=[pid]))
        s = r.server
        samples = s.rss_samples
        after_ramp = next((m for t, m in samples if t >= 15.0), samples[0][1])
        last_min = [m for t, m in samples if t >= samples[-1][0] - 60]
        first_min = [m for t, m in samples if 15.0 <= t <= 75.0] or [after_ramp]
        rows.append({"postScriptGC": gc_on, "reruns": s.reruns, "cpu_ms_per_rerun": s.cpu_per_rerun_ms,
                     "move_p50_ms": r.summary()["move_p50_ms"], "move_p95_ms": r.summary()["move_p95_ms"],
                     "rss_start_MB": s.rss_mb_start, "rss_after_ramp_MB": after_ramp,
                     "rss_mean_first_min_MB": sum(first_min) / len(first_min),
                     "rss_mean_last_min_MB": sum(last_min) / len(last_min), "rss_max_MB": s.rss_mb_max,
                     "errors": len(r.errors), "exceptions": r.exceptions, "load_before": load})
        print(format_table(rows[-1:]), flush=True)
    print(format_table(rows, title=f"gc soak: page={a.page}, {a.students} students, 10 s ramp + {a.duration:g} s; "
                                   f"cores={os.cpu_count()}"))


if __name__ == "__main__":
    main()
