"""Figure paths: what one chart costs the server between the builder and the websocket, on each path this project
has used, for the real figures of every page.

Each page runs once under AppTest; every spec it hands to ``ui.chart`` is captured. Then, per figure, in this process
(median of ``--repeats``, ``time.process_time``):

- **validated** (round 1): ``go.Figure(d)`` with plotly's validators (what building with ``go.*`` objects cost),
  ``template(dark, present)`` built on every call, ``update_layout(template=...)``, then what ``st.plotly_chart`` does
  with a Figure (``fig.to_dict()``, ``plotly.io.to_json``);
- **unvalidated wrap** (round 1, after the fix): the cached template's JSON parsed into the spec, re-wrapped with
  ``go.Figure(d, _validate=False)``, then ``st.plotly_chart``'s work;
- **spec wrap** (round 2 to round 18): the builder's dict with the parsed template, handed to ``st.plotly_chart`` as
  :class:`Spec` (``to_dict`` returns it as is), then ``st.plotly_chart``'s work (``plotly.io.to_json`` only);
- **today** (round 19): ``pages/_ui.chart``'s path: the same dict as JSON text (``json.dumps`` with plotly's encoder),
  which the app's chart element (pages/_ui/chart.py) sends as it is;

and checks that every path sends the browser the same figure (typed arrays decoded: plotly's validation sends numpy
data as base64, a dict spec may send a list). (The builders' own cost is not in here: they
build plain dicts, measured separately in docs/PERFORMANCE.md.)

    python -m bench.figure_paths               # --repeats 15
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import time

import plotly.graph_objects as go
import plotly.io as pio
import plotly.tools
from plotly.utils import PlotlyJSONEncoder

from bench.loadsim import ROOT, format_table, load_average
from bench.per_page import PAGES, page_paths


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
        for slug in page_paths():
            current["page"] = "home" if not slug else "(skip)"  # the first run shows the default page
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
            if slug:
                current["page"] = slug
                at.switch_page(PAGES[slug]).run()
    finally:
        ui.chart = original
    return [x for x in seen if x[0] != "(skip)"]


def plain(obj):
    """A JSON spec with plotly's base64 typed arrays decoded to lists: the same figure, whichever encoding sent it."""
    import base64

    import numpy as np

    if isinstance(obj, dict):
        if "bdata" in obj and "dtype" in obj:
            a = np.frombuffer(base64.b64decode(obj["bdata"]), dtype=np.dtype(obj["dtype"]))
            return a.reshape([int(v) for v in obj["shape"].split(",")]).tolist() if "shape" in obj else a.tolist()
        return {k: plain(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [plain(v) for v in obj]
    return obj


class Spec(go.Figure):
    """A finished plotly spec (a dict) handed to ``st.plotly_chart`` as a Figure, as ``ui.chart`` did until round 18:
    given a dict, ``st.plotly_chart`` validates it by building a full ``go.Figure``, but it takes a Figure's
    ``to_dict()`` as already valid. Nothing of BaseFigure is initialised: only ``to_dict`` is ever called."""

    def __init__(self, spec: dict):  # deliberately not calling BaseFigure.__init__
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict:
        return self._spec


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
    from pages import _ui as ui

    rows = []
    load0 = load_average()
    for page, name, d, dark, present in capture():
        def validated(d=d, dark=dark, present=present):
            fig = go.Figure(d)
            fig.update_layout(template=template(dark, present))
            return st_work(fig)

        def unvalidated_wrap(d=d, dark=dark, present=present):
            dd = {**d, "layout": {**d.get("layout", {}), "template": json.loads(ui.output._template_json(dark, present))}}
            return st_work(go.Figure(dd, _validate=False))

        def spec_wrap(d=d, dark=dark, present=present):
            dd = {**d, "layout": {**d.get("layout", {}), "template": json.loads(ui.output._template_json(dark, present))}}
            return st_work(Spec(dd))

        def today(d=d, dark=dark, present=present):
            dd = {**d, "layout": {**d.get("layout", {}), "template": json.loads(ui.output._template_json(dark, present))}}
            return json.dumps(dd, cls=PlotlyJSONEncoder)

        paths = (validated, unvalidated_wrap, spec_wrap, today)
        specs = [plain(json.loads(f())) for f in paths]
        same = "yes" if all(x == specs[0] for x in specs) else (
            "data" if all(x["data"] == specs[0]["data"] for x in specs) else "NO")
        t_val, t_wrap, t_spec, t_today = (cpu_ms(f, a.repeats) for f in paths)
        rows.append({"page": page, "chart": name, "traces": len(d.get("data", [])), "frames": len(d.get("frames", [])),
                     "validated_ms": t_val, "unvalidated_wrap_ms": t_wrap, "spec_wrap_ms": t_spec, "today_ms": t_today,
                     "saved": f"{1 - t_today / t_val:.0%}" if t_val else "-", "same_spec": same,
                     "spec_kB": len(json.dumps(specs[0])) / 1e3})
    total = {k: sum(r[k] for r in rows) for k in ("validated_ms", "unvalidated_wrap_ms", "spec_wrap_ms", "today_ms")}
    rows.append({"page": "ALL", "chart": f"{len(rows)} charts", **total,
                 "saved": f"{1 - total['today_ms'] / total['validated_ms']:.0%}"})
    print(format_table(rows, title=f"CPU per chart per rerun (ms, median of {a.repeats}); cores={os.cpu_count()}; "
                                   f"load before={load0}, after={load_average()}"))


if __name__ == "__main__":
    main()
