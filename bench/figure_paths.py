"""Figure paths: what one chart costs the server, today and on cheaper paths, for the real figures of every page.

Each page runs once under AppTest; every figure it hands to ``ui.chart`` is captured (as a dict). Then, per figure,
in this process (median of ``--repeats``, ``time.process_time``):

- **now**: the page's path: ``go.Figure(d)`` (validated, what a builder's go.* calls cost), ``template(dark, present)``
  (built from plotly_white/plotly_dark on every call), ``fig.update_layout(template=...)``, then what
  ``st.plotly_chart`` does (``plotly.tools.return_figure_from_figure_or_data`` = ``fig.to_dict()``, and
  ``plotly.io.to_json``);
- **cached template**: the same with the template built once (``functools.lru_cache``);
- **ui.chart only**: builders unchanged (validated ``go.Figure``); ``ui.chart`` takes ``fig.to_dict()``, puts the
  cached template in, and re-wraps it with ``go.Figure(d, _validate=False)`` (nothing is validated twice);
- **no validation**: the builder's dict with the cached template's dict put in ``layout.template``, wrapped as
  ``go.Figure(d, _validate=False)``, then st.plotly_chart's work;

and checks that every path sends the browser the same JSON spec.

    python -m bench.figure_paths               # --repeats 15
"""

from __future__ import annotations

import argparse
import copy
import functools
import json
import os
import statistics
import time

import plotly.graph_objects as go
import plotly.io as pio
import plotly.tools
from plotly.utils import PlotlyJSONEncoder

from bench.loadsim import ROOT, format_table, load_average
from bench.per_page import PAGES, existing_pages


def capture() -> list[tuple[str, str, dict, bool, bool]]:
    """(page, chart name, figure dict before the template, dark, present) for every ui.chart call of every page."""
    from streamlit.testing.v1 import AppTest

    from pages import _ui as ui

    seen: list = []
    original = ui.chart
    current = {"page": ""}

    def spy(ctx, fig, name, *args, **kwargs):
        d = fig.to_dict() if hasattr(fig, "to_dict") else copy.deepcopy(fig)
        seen.append((current["page"], name, d, ctx.dark, ctx.present))
        return original(ctx, fig, name, *args, **kwargs)

    ui.chart = spy
    try:
        for slug in existing_pages():
            current["page"] = "home" if not slug else "(skip)"  # the first run shows the default page
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
            if slug:
                current["page"] = slug
                at.switch_page(f"pages/{PAGES[slug]}.py").run()
    finally:
        ui.chart = original
    return [x for x in seen if x[0] != "(skip)"]


def st_work(fig) -> str:
    """What st.plotly_chart does with a figure (streamlit/elements/plotly_chart.py)."""
    figure = plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True)
    return pio.to_json(figure, validate=False)


def cpu_ms(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t0 = time.process_time()
        fn()
        times.append(time.process_time() - t0)
    return 1e3 * statistics.median(times)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.figure_paths", description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeats", type=int, default=15)
    a = ap.parse_args(argv)
    from figures.palette import template

    cached = functools.lru_cache(maxsize=8)(template)
    # cached as a JSON string (immutable, safe to share between sessions), parsed per chart (~0.1 ms)
    cached_json = functools.lru_cache(maxsize=8)(
        lambda dark, present: json.dumps(template(dark, present).to_plotly_json(), cls=PlotlyJSONEncoder))
    rows = []
    load0 = load_average()
    for page, name, d, dark, present in capture():
        def now(d=d, dark=dark, present=present):
            fig = go.Figure(d)
            fig.update_layout(template=template(dark, present))
            return st_work(fig)

        def cached_template(d=d, dark=dark, present=present):
            fig = go.Figure(d)
            fig.update_layout(template=cached(dark, present))
            return st_work(fig)

        def ui_only(d=d, dark=dark, present=present):
            fig = go.Figure(d)  # the builders as they are (validated go.* objects)
            dd = fig.to_dict()
            dd["layout"]["template"] = json.loads(cached_json(dark, present))
            return st_work(go.Figure(dd, _validate=False))

        def no_validation(d=d, dark=dark, present=present):
            dd = dict(d)  # the builder's own dict: no deep copy needed, layout replaced below
            dd["layout"] = {**d.get("layout", {}), "template": json.loads(cached_json(dark, present))}
            return st_work(go.Figure(dd, _validate=False))

        paths = (now, cached_template, ui_only, no_validation)
        specs = [json.loads(f()) for f in paths]
        same = "yes" if all(x == specs[0] for x in specs) else (
            "data" if all(x["data"] == specs[0]["data"] for x in specs) else "NO")
        t_now, t_cached, t_ui, t_fast = (cpu_ms(f, a.repeats) for f in paths)
        rows.append({"page": page, "chart": name, "traces": len(d.get("data", [])), "frames": len(d.get("frames", [])),
                     "now_ms": t_now, "template_once_ms": t_cached, "ui_chart_only_ms": t_ui, "no_validation_ms": t_fast,
                     "saved": f"{1 - t_fast / t_now:.0%}" if t_now else "-", "same_spec": same,
                     "spec_kB": len(json.dumps(specs[0])) / 1e3})
    total = {k: sum(r[k] for r in rows) for k in ("now_ms", "template_once_ms", "ui_chart_only_ms", "no_validation_ms")}
    rows.append({"page": "ALL", "chart": f"{len(rows)} charts", **total,
                 "saved": f"{1 - total['no_validation_ms'] / total['now_ms']:.0%}"})
    print(format_table(rows, title=f"CPU per chart per rerun (ms, median of {a.repeats}); cores={os.cpu_count()}; "
                                   f"load before={load0}, after={load_average()}"))


if __name__ == "__main__":
    main()
