"""Live while dragging, on the real pages: a scripted drag of a slider (60 pointer moves about 33 ms apart) restyles the
step's main figure in the browser with no message to the server; during the drag the figure shows core/'s values for
the values the sliders hold then (1e-12 relative); the release makes exactly one rerun; after it the figure holds
core/'s values for the released logits, and its data equal what the server draws for the same link in a fresh page.
What is drawn straight into the chart during the drag (pages/_ui/live_paint.js, no plotly call) is, box for box and
colour for colour, what plotly draws from the same data. The redraw rate is printed (a measurement, never a timed
assert: bench/live_drag.py measures it)."""

from __future__ import annotations

import io
from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from browser_util import open_via_home, visit_home_once, wait_idle
from PIL import Image

import core
from core import chain, explore, lse

RUNS = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!window.__runs) {
    window.__runs = 0;
    let running = false;
    new MutationObserver(() => {
      const st = app.getAttribute('data-test-script-state');
      if (st === 'running') running = true;
      else if (running && st === 'notRunning') { running = false; window.__runs++; }
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }
  return window.__runs;
}"""

# The live chart of a kind: its meta and, per trace, what a live kind may change (from plotly's full data: the
# server's spec sends base64 typed arrays, which plotly decodes there), as plain lists
CHART = """kind => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.live
                                                                       && g.layout.meta.live.kind === kind);
  const plain = v => (v == null ? null : typeof v === 'object' ? Array.from(v, r => (r && typeof r === 'object'
                                                                  ? Array.from(r) : r)) : v);
  const traces = gd._fullData.map(t => ({x: plain(t.x), y: plain(t.y), z: plain(t.z), text: plain(t.text),
      name: t.name, textposition: plain(t.textposition),
      pattern: plain(t.marker && t.marker.pattern && t.marker.pattern.shape),
      width: t.line ? t.line.width : null, size: plain(t.marker && t.marker.size)}));
  const axes = Object.keys(gd._fullLayout).filter(k => /^yaxis\\d*$/.test(k)).sort()
                     .map(k => Array.from(gd._fullLayout[k].range));
  return {meta: gd.layout.meta.live, traces, axes};
}"""

# the sliders' values now, read as live_page.js reads them
SLIDERS = """() => {
  const out = {z: {}, T: null};
  const DIGIT = {'₀': 0, '₁': 1, '₂': 2, '₃': 3, '₄': 4, '₅': 5, '₆': 6, '₇': 7, '₈': 8, '₉': 9};
  for (const el of document.querySelectorAll('input[type="range"][aria-label]')) {
    const label = el.getAttribute('aria-label');
    if (/^z[₀-₉]+$/.test(label)) out.z[Number([...label.slice(1)].map(c => DIGIT[c]).join('')) - 1] = Number(el.value);
    else if (label === 'Temperature T') out.T = Number(el.value);
  }
  return out;
}"""


# What a live chart shows, read from the page as drawn: every bar, line, marker and label's box on screen (a label's
# text too), each line's stroke width and length, and where its heatmap's cells are (read from the screen: `seen`)
DRAWN = """kind => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.live
                                                                       && g.layout.meta.live.kind === kind);
  const box = e => { const r = e.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; };
  const out = {bars: [], lines: [], points: [], texts: [], heatmap: null};
  for (const p of gd.querySelectorAll('.barlayer .point > path')) out.bars.push(box(p));
  for (const l of gd.querySelectorAll('.scatterlayer path.js-line'))
    out.lines.push([parseFloat(getComputedStyle(l).strokeWidth), ...box(l), l.getTotalLength()]);
  for (const p of gd.querySelectorAll('.scatterlayer path.point')) out.points.push(box(p));
  for (const t of gd.querySelectorAll('text.bartext, .scatterlayer .textpoint text, .heatmap-label text'))
    out.texts.push([t.textContent, ...box(t)]);
  const img = gd.querySelector('.heatmaplayer image');
  if (img) {
    const z = gd._fullData[0].z;
    out.heatmap = {box: box(img), rows: z.length, cols: z[0].length};
  }
  return out;
}"""


def seen(page, kind: str) -> dict:
    """DRAWN, and the colour the student sees in each heatmap cell: a pixel of a screenshot, a quarter of the way down
    the cell from its top (clear of the cell's label), whatever drew it (plotly's image, or the cells drawn over it
    during a drag)."""
    out = page.evaluate(DRAWN, kind)
    out["cells"] = []
    if out["heatmap"]:
        x, y, w, h = out["heatmap"]["box"]
        rows, cols = out["heatmap"]["rows"], out["heatmap"]["cols"]
        shot = Image.open(io.BytesIO(page.screenshot(clip={"x": x, "y": y, "width": w, "height": h}))).convert("RGBA")
        sx, sy = shot.width / w, shot.height / h
        out["cells"] = [list(shot.getpixel((int((j + 0.5) * w / cols * sx), int((i + 0.25) * h / rows * sy))))
                        for i in range(rows) for j in range(cols)]
    return out
# plotly draws the chart's data again, every axis held at its range as drawn (a drag keeps an autoranged axis's range)
REPLOT = """async kind => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.live
                                                                       && g.layout.meta.live.kind === kind);
  const layout = JSON.parse(JSON.stringify(gd.layout));
  for (const k of Object.keys(gd._fullLayout).filter(k => /^[xy]axis\\d*$/.test(k)))
    layout[k] = {...(layout[k] || {}), range: Array.from(gd._fullLayout[k].range), autorange: false};
  await Plotly.react(gd, gd.data.map(t => ({...t})), layout);
  await new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)));
}"""


def differences(a, b, where: str = "", px: float = 1.0) -> list[str]:
    """Where two DRAWN readings differ: a number by more than ``px`` (a pixel, a colour level), any text at all."""
    if isinstance(a, dict):
        return [d for k in sorted(set(a) | set(b)) for d in differences(a.get(k), b.get(k), f"{where}.{k}", px)]
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{where}: {len(a)} items drawn, plotly draws {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True)) for d in differences(x, y, f"{where}[{i}]", px)]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return [] if abs(a - b) <= px else [f"{where}: {a:.1f} drawn, plotly draws {b:.1f}"]
    return [] if a == b else [f"{where}: {a!r} drawn, plotly draws {b!r}"]


def expected(meta: dict, z, T) -> dict[tuple[int, str], np.ndarray]:
    """What the live figure of ``meta``'s kind shows for z and T, from core/: {(trace, attribute): values}."""
    kind, n = meta["kind"], len(z)
    if kind == "softmax_bars":
        return {(meta.get("trace", 0), "y"): core.softmax(z, T)}
    if kind == "jacobian_heatmap":
        return {(meta.get("trace", 0), "z"): core.jacobian(z, T)}
    if kind == "dependency_arrows":
        return {(meta["labels"] + 1, "x"): core.softmax(z, T)}
    if kind == "chain_paths":
        cp = chain.chain_paths(z, meta["y"], meta["loss"], T)
        return {**{(i, "y"): cp.P[i] for i in range(n)}, (n, "y"): cp.total}
    if kind == "temperature_curves":
        Ts = explore.temperature_grid(including=T)
        sweep, S = explore.temperature_sweep(z, Ts), core.softmax(z, T)
        return {(0, "y"): S, **{(k + 1, "y"): sweep[:, k] for k in range(n)}, **{(k + 1, "x"): Ts for k in range(n)},
                (n + 1, "y"): S, (n + 1, "x"): np.full(n, T)}
    if kind == "soft_max_sweep":
        sw = lse.soft_max_sweep(z, meta["Ts"])
        return {(0, "y"): sw["upper"], (1, "y"): sw["smax"], (2, "y"): np.full(2, sw["lower"]),
                **{(j + 3, "y"): sw["S"][:, j] for j in range(n)}}
    raise AssertionError(kind)


def worst_relative(chart: dict, want: dict) -> float:
    worst = 0.0
    for (trace, attr), ref in want.items():
        got = np.asarray(chart["traces"][trace][attr], dtype=float)
        ref = np.asarray(ref, dtype=float)
        assert got.shape == ref.shape, (trace, attr, got.shape, ref.shape)
        err = np.abs(got - ref) / np.maximum(np.abs(ref), np.finfo(float).tiny)
        worst = max(worst, float(np.max(err)))
    return worst


# (page, query, the live kind, the slider dragged)
CASES = [
    ("softmax", "?step=1&z=2,1,0.1&T=1.5", "softmax_bars", "z₁"),
    ("jacobian", "?step=1&z=2,1,0.1&T=1.5", "jacobian_heatmap", "z₁"),
    # n = 10 with entries below 0.01: a power of ten is set on two lines, during the drag as plotly sets it
    ("jacobian", "?step=1&n=10&z=-6,2.5,2,1.5,1,0.5,0,-0.5,-1,-2", "jacobian_heatmap", "z₁"),
    ("dependencies", "?step=1&z=2,1,0.1&T=1.5", "dependency_arrows", "z₁"),
    ("chain_rule", "?step=1&z=2,1,0.1&T=1.5", "chain_paths", "z₁"),
    ("chain_rule", "?step=1&z=2,1,0.1&T=1.5&loss=mse&y=2", "chain_paths", "Temperature T"),
    ("softmax", "?step=3&z=2,1,0.1&T=1.5", "temperature_curves", "Temperature T"),
    ("softmax", "?step=3&z=2,1,0.1&T=1.5", "temperature_curves", "z₁"),
    ("logsumexp", "?step=3&z=2,1,0.1&T=1.5", "soft_max_sweep", "z₁"),
]


@pytest.mark.parametrize(("slug", "query", "kind", "slider"), CASES,
                         ids=[f"{c[0]}-{c[2]}-{'T' if c[3].startswith('T') else 'z1'}{'-mse' if 'mse' in c[1] else ''}"
                              f"{'-n10' if 'n=10' in c[1] else ''}" for c in CASES])
def test_a_drag_moves_the_figure_without_the_server_then_one_rerun_settles_it(server, make_page, slug, query, kind,
                                                                               slider):
    w = make_page()
    page = w.page
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(f)))  # before the load: its websocket
    visit_home_once(server, w.goto)
    w.goto(f"{server}/{slug}{query}")
    page.evaluate(RUNS)
    # the thumb: the element that holds the slider's input (react-aria keeps the input inside the thumb)
    tx, ty, tw, th = page.locator(f'input[type="range"][aria-label="{slider}"]').evaluate(
        "e => { const r = e.parentElement.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }")
    x, y = tx + tw / 2, ty + th / 2
    before = page.evaluate("() => ({...window.SoftmaxLiveStats, t: performance.now(),"
                           " painted: window.SoftmaxLivePaint.painted.count})")
    chart0 = page.evaluate(CHART, kind)
    page.mouse.move(x, y)
    page.mouse.down()
    n_sent, runs0 = len(sent), page.evaluate(RUNS)  # (script runs: printed; a fragment rerun may show as two)
    for k in range(60):
        page.mouse.move(x - 1.2 * (k + 1), y)
        page.wait_for_timeout(33)
    during = page.evaluate("() => ({...window.SoftmaxLiveStats, t: performance.now(),"
                           " painted: window.SoftmaxLivePaint.painted.count, declined: window.SoftmaxLivePaint.declined})")
    # the last move's values have been drawn: a redraw starts only once the previous one has finished (live_page.js)
    page.wait_for_function("""() => { const s = window.SoftmaxLiveStats; const gd = [...document.querySelectorAll(
        '.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.live); const m = gd.layout.meta.live;
        const z = (m.z || []).slice(); let T = m.T;
        for (const el of document.querySelectorAll('input[type="range"][aria-label]')) {
          const l = el.getAttribute('aria-label'), D = '₀₁₂₃₄₅₆₇₈₉';
          if (/^z[₀-₉]+$/.test(l)) { const k = Number([...l.slice(1)].map(c => D.indexOf(c)).join('')) - 1;
                                     if (k < z.length) z[k] = Number(el.value); }
          else if (l === 'Temperature T') T = Number(el.value);
        }
        return !s.pending && s.drawn === JSON.stringify({z, T}); }""", timeout=60_000)
    held = page.evaluate(SLIDERS)
    chart_mid = page.evaluate(CHART, kind)
    # what was drawn straight into the chart is what plotly draws from the same data (pages/_ui/live_paint.js)
    painted = seen(page, kind)
    page.evaluate(REPLOT, kind)
    unlike = differences(painted, seen(page, kind))
    sent_during = len(sent) - n_sent
    n_sent = len(sent)
    page.mouse.up()
    wait_idle(page)
    page.wait_for_timeout(500)
    runs = page.evaluate(RUNS) - runs0
    asked = len(sent) - n_sent  # what the browser sent after the release: one rerun request
    seconds = (during["t"] - before["t"]) / 1e3
    redraws = during["redraws"] - before["redraws"]
    print(f"{slug} {kind} ({slider}): {redraws} live redraws in {seconds:.2f} s ({redraws / seconds:.1f}/s), "
          f"{sent_during} messages during the drag, {asked} after the release ({runs} script runs seen)")
    print(f"  drawn straight into the chart: {during['painted'] - before['painted']} of {redraws}; "
          f"plotly drew the rest: {during['declined']}")
    assert sent_during == 0, "a drag sends nothing to the server"
    assert during["painted"] > before["painted"], "the drag's redraws are drawn into the chart, not by plotly"
    assert unlike == [], "the chart as drawn during the drag is not what plotly draws:\n" + "\n".join(unlike[:12])
    meta = chart_mid["meta"]
    z_mid = [held["z"].get(str(k), held["z"].get(k, v)) for k, v in enumerate(meta["z"])]
    T_mid = held["T"] if held["T"] is not None else meta["T"]
    assert (z_mid, T_mid) != (meta["z"], meta["T"]), "the slider moved"
    assert chart_mid["traces"] != chart0["traces"], "the figure moved during the drag"
    during_err = worst_relative(chart_mid, expected(meta, z_mid, T_mid))
    assert during_err <= 1e-12, f"during the drag the figure is {during_err:.2g} from core/ for the held values"
    if kind == "jacobian_heatmap":  # its cells read as the server prints them: a power of ten under its mantissa
        from figures.jacobian_figs import cell_text

        want = cell_text(core.jacobian(z_mid, T_mid), meta.get("digits", 3), wrap=True)
        assert chart_mid["traces"][meta.get("trace", 0)]["text"] == want, "the cells' text during the drag"
    assert asked == 1, "the release asks for exactly one rerun"

    q = parse_qs(urlparse(page.url).query)
    z, T = [float(v) for v in q["z"][0].split(",")], float(q["T"][0])
    assert (z, T) == (z_mid, T_mid), "the URL follows the release, and the release is the last value drawn live"
    released = page.evaluate(CHART, kind)
    assert released["meta"]["z"] == z and released["meta"]["T"] == T, "the figure on screen is the rerun's"
    assert worst_relative(released, expected(released["meta"], z, T)) <= 1e-12

    fresh = open_via_home(make_page, server, slug, "?" + urlparse(page.url).query)
    wait_idle(fresh.page)
    drawn = fresh.page.evaluate(CHART, kind)
    assert released["traces"] == drawn["traces"], "after the release the figure's data are what the server draws"
    assert released["axes"] == drawn["axes"]
