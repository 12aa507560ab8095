"""The load simulator against a real server: a functional check only (3 students), never a timing assertion."""

from __future__ import annotations

import pytest

pytest.importorskip("websockets")
pytest.importorskip("psutil")

from helpers import run_async, run_in_thread

from bench.loadsim import ClassResult, format_table, pct, run_class
from deploy.server import free_port, streamlit_server


@pytest.fixture(scope="module")
def baseline():
    with streamlit_server("bench/baseline_app.py") as srv:
        yield srv


@pytest.fixture(scope="module")
def app():
    with streamlit_server("app.py", options={"server.fileWatcherType": "none"}) as srv:
        yield srv


@pytest.mark.crowd
def test_baseline_class_has_no_errors(baseline):
    url, pid = baseline
    r = run_async(run_class(url, "", students=3, ramp_s=0.5, duration_s=3.0, think_s=(0.0, 0.5), pids=[pid], min_moves=2))
    assert isinstance(r, ClassResult)
    assert r.errors == [] and r.exceptions == 0, (r.errors, r.exception_messages)
    assert len(r.first_load) == 3 and r.interaction, r.table()
    assert all(b > 0 for b in r.bytes_per_rerun)
    assert r.server is not None and r.server.reruns == len(r.events)
    assert set(r.timelines) == {0, 1, 2}
    assert "move_p95_ms" in r.table()


@pytest.mark.crowd
def test_home_page_widgets_are_really_changed(app):
    url, pid = app
    r = run_async(run_class(url, "", students=3, ramp_s=0.5, duration_s=4.0, think_s=(0.0, 0.5), seed=1, min_moves=2,
                              pids=[pid], widget_filter=lambda w: w.kind == "slider" and w.label.startswith("z")))
    assert r.errors == [] and r.exceptions == 0, (r.errors, r.exception_messages)
    assert len(r.first_load) == 3 and len(r.interaction) >= 3


@pytest.mark.crowd
def test_per_control_cost_tells_a_section_move_from_a_page_move(app, tmp_path):
    """bench.per_page --by-control: every control of the Jacobian lesson is moved in the step that holds it (only
    the open step's controls are drawn: the Monte Carlo samples are in step 2, the sweep in step 4), and each
    step's moves rerun the page, which runs that step alone (``ui.section`` is a plain call in a lesson of steps).
    A control inside an ``st.fragment`` (FRAGMENT_APP, below) is reported as a section rerun, one outside it as a page
    rerun."""
    from bench.per_page import measure_controls, measure_page_controls
    from pages._ui.registry import PAGES

    url, pid = app
    rows = run_async(measure_page_controls(url, pid, "jacobian", each=1))
    steps = next(p for p in PAGES if p.slug == "jacobian").steps
    at = {}
    for r in rows:
        at.setdefault(r["control"], []).append(r["page"])
    every = [f"jacobian {k}·{s.slug}" for k, s in enumerate(steps, 1)]
    assert at["Temperature T"] == every and at["z₁"] == every
    assert at["Samples N (log steps)"] == ["jacobian 2·covariance"] and at["Monte Carlo seed"] == ["jacobian 2·covariance"]
    assert at["Sweep into saturation"] == ["jacobian 4·saturation"]
    assert all(r["reruns"] == "page" and r["moves"] == 1 and r["cpu_ms_per_move"] >= 0 for r in rows)

    script = tmp_path / "fragment_app.py"
    script.write_text(FRAGMENT_APP)
    with streamlit_server(script, options={"server.fileWatcherType": "none"}) as (furl, fpid):
        where = {r["control"]: r["reruns"] for r in run_async(measure_controls(furl, fpid, "", each=1))}
    assert where == {"outside": "page", "inside": "section"}


@pytest.mark.crowd
def test_an_unknown_page_is_an_error(app):
    url, _ = app
    r = run_async(run_class(url, "no-such-page", students=1, ramp_s=0.0, duration_s=0.5, think_s=(0.0, 0.1)))
    assert any("page not found" in e for e in r.errors)


def test_a_hall_over_steps_has_a_link_for_every_step_of_every_lesson():
    from bench.crowd import step_links
    from pages._ui import PAGES

    links = step_links()
    assert len(links) == len(set(links)) == sum(len(p.steps) or 1 for p in PAGES)
    for k, p in enumerate(PAGES):
        slug = "" if k == 0 else p.slug
        want = [f"{slug}?step={s}" for s in range(1, len(p.steps) + 1)] if p.steps else [slug]
        assert [x for x in links if x.partition("?")[0] == slug] == want


@pytest.mark.crowd
def test_a_crowd_over_step_links_loads_and_moves_without_errors(app):
    url, _ = app
    from bench.crowd import crowd

    r = run_async(crowd(url, 2, 0.2, 1.5, pages=["jacobian?step=3", "chain_rule?step=5"], think_s=(0.0, 0.3)))
    assert r.errors == [] and r.exceptions == 0, (r.table(), r.errors, r.exception_messages)
    assert len(r.first_load) == 2


@pytest.mark.crowd
def test_a_shared_link_is_honoured(app):
    url, _ = app
    from bench.loadsim import Student

    async def go():
        s = Student(0, url, "", "n=4&z=1,2,3,4", 60)
        await s.connect()
        await s.rerun()
        await s.close()
        return s.view()

    view = run_async(go())
    assert view["Number of outputs n"] == [4.0]


def test_percentile_and_table_helpers():
    assert pct([3.0, 1.0, 2.0], 50) == 2.0 and pct(list(range(1, 101)), 95) == 95
    assert "a" in format_table([{"a": 1.0, "b": float("nan")}])


FRAGMENT_APP = '''
import streamlit as st

st.session_state["page_runs"] = st.session_state.get("page_runs", 0) + 1
st.slider("outside", 0, 10, 1, key="outside")


@st.fragment
def panel():
    st.session_state["panel_runs"] = st.session_state.get("panel_runs", 0) + 1
    st.slider("inside", 0, 10, 1, key="inside")
    st.write(f"page {st.session_state['page_runs']} panel {st.session_state['panel_runs']}")


panel()
'''


@pytest.mark.crowd
def test_a_widget_inside_a_fragment_reruns_only_the_fragment(tmp_path):
    """Like the browser: a change inside an st.fragment sends its fragment_id, the page body does not rerun, and the
    page's other widgets are still there afterwards."""
    import random

    from bench.loadsim import Student

    script = tmp_path / "frag_app.py"
    script.write_text(FRAGMENT_APP)

    async def go(url):
        s = Student(0, url, "", "", 60)
        await s.connect()
        await s.rerun()
        by_label = {w.label: w for w in s.widgets.values()}
        assert s.fragment(by_label["outside"]) == "" and s.fragment(by_label["inside"]) != ""
        texts, sizes = [], []
        for label in ("inside", "inside", "outside"):
            w = {w.label: w for w in s.widgets.values()}[label]
            s.change(w, random.Random(len(texts)))
            sizes.append(await s.rerun(list(s.changed.values()), s.fragment(w)))
            texts.append(sorted(w.label for w in s.widgets.values()))
        await s.close()
        return texts, sizes

    with streamlit_server(script) as (url, _):
        texts, sizes = run_async(go(url))
    assert texts == [["inside", "outside"]] * 3  # a fragment rerun keeps the page's other widgets
    assert max(sizes[:2]) < sizes[2]  # and receives only the fragment's elements, not the page's


def test_replica_ports_skip_a_port_in_use():
    """deploy/serve.py picks K free ports after nginx's: a port some other socket holds is skipped (under a
    300-student benchmark one of port+1 … port+K was once an outgoing connection's, and its replica never started)."""
    import socket

    from deploy.serve import port_free, replica_ports

    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        taken = held.getsockname()[1]
        assert not port_free(taken)
        ports = replica_ports(taken - 2, 3)
    assert taken not in ports and len(set(ports)) == 3 and all(p > taken - 2 for p in ports)


def test_one_default_process_count_two_per_core():
    """deploy/serve.sh passes --replicas only when K is given, so serve.py's default is the only default."""
    import os
    import subprocess

    from bench.loadsim import ROOT
    from deploy.serve import Cluster, default_replicas

    assert default_replicas() == 2 * len(os.sched_getaffinity(0))
    import shutil

    c = Cluster(port=free_port())  # nothing is started; only its run directory is made
    shutil.rmtree(c.rundir)
    assert c.k == len(c.ports) == default_replicas()  # the Python API's default too
    script = (ROOT / "deploy" / "serve.sh").read_text().replace("exec ", "echo ")
    def argv(*args: str) -> str:
        return subprocess.run(["bash", "-c", script, "serve.sh", *args], cwd=ROOT / "deploy", capture_output=True,
                              text=True, check=True).stdout
    assert "--replicas" not in argv() and "--replicas" not in argv("", "9000") and "--port 9000" in argv("", "9000")
    assert "--replicas 3 --port 8080" in argv("3")


@pytest.mark.crowd
def test_cache_probe_counts_the_training_caches_hits(tmp_path):
    """bench/capacity.py's hit rate: bench/cache_probe/sitecustomize.py counts, inside the server, each lookup of the
    Training page's cached training and each computation: two sessions on the same link are one miss, one hit. The same
    probe times the garbage collector (at least the full collection pages/_warm.py makes before it freezes)."""
    from bench.capacity import cache_hits, gc_times
    from bench.loadsim import ROOT, Student
    from deploy.server import start_streamlit, stop

    env = {"PYTHONPATH": str(ROOT / "bench" / "cache_probe"), "CACHE_PROBE_DIR": str(tmp_path)}
    proc, url = start_streamlit("app.py", env=env)

    async def visit(k: int, query: str) -> None:
        s = Student(k, url, "training", query, 120)
        await s.connect()
        await s.rerun()
        await s.close()
        assert s.exceptions == [] and s.problems == []

    try:
        run_async(visit(0, "epochs=40"))
        run_async(visit(1, "epochs=40"))
        assert cache_hits(tmp_path) == (2, 1)
        run_async(visit(2, "epochs=60"))  # other settings: a second miss
        assert cache_hits(tmp_path) == (3, 2)
        total, longest = gc_times(tmp_path)
        assert 0 < longest <= total, (total, longest)
    finally:
        stop(proc)


@pytest.mark.crowd
def test_floor_bench_runs_its_variants_without_errors():
    """bench.floor: each variant page (here the shared parts with no lesson) runs in a copy of the repo, and its
    moves are real reruns of that page, with no exception."""
    from bench.floor import run

    rows = run_in_thread(run, ["logits+end"], moves=4, students=2, seed=0)
    base, floor = rows
    assert base["variant"].startswith("BASELINE") and floor["variant"] == "logits+end"
    for r in rows:
        assert r["moves"] == 4 and r["exceptions"] == 0 and r["errors"] == 0, r
    assert floor["kB_per_rerun"] > base["kB_per_rerun"]  # the frame and the logits block were really drawn
