"""Live while dragging, on the real pages: a scripted drag of z₁ (60 pointer moves over about 2 s) restyles the step's
main figure in the browser with no message to the server; the release makes exactly one rerun; after it the figure
holds core/'s values for the released logits. The redraw rate is printed (a measurement, never a timed assert)."""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import numpy as np
import pytest
from browser_util import open_via_home, wait_idle

import core

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

# what the live chart shows, by kind: the softmax bars (trace 0's y), the heatmap (z), the arrows' S bars (x)
SHOWN = """kind => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find(g => g.layout.meta && g.layout.meta.live
                                                                       && g.layout.meta.live.kind === kind);
  const spec = gd.layout.meta.live;
  const rows = v => Array.from(v, r => (typeof r === 'object' && r ? Array.from(r) : r));
  if (kind === 'jacobian_heatmap') return rows(gd._fullData[spec.trace || 0].z);
  if (kind === 'softmax_bars') return rows(gd._fullData[spec.trace || 0].y);
  return rows(gd._fullData[spec.labels + 1].x);
}"""

PAGES = [("softmax", "softmax_bars"), ("jacobian", "jacobian_heatmap"), ("dependencies", "dependency_arrows")]


@pytest.mark.parametrize(("slug", "kind"), PAGES)
def test_a_drag_moves_the_figure_without_the_server_then_one_rerun_settles_it(server, make_page, slug, kind):
    w = open_via_home(make_page, server, slug, "?step=1&z=2,1,0.1&T=1.5")
    page = w.page
    sent = []
    page.on("websocket", lambda ws: ws.on("framesent", lambda f: sent.append(f)))
    page.reload()
    wait_idle(page)
    page.evaluate(RUNS)
    # the thumb: the element that holds the slider's input (react-aria keeps the input inside the thumb)
    tx, ty, tw, th = page.locator('input[type="range"][aria-label="z₁"]').evaluate(
        "e => { const r = e.parentElement.getBoundingClientRect(); return [r.x, r.y, r.width, r.height]; }")
    x, y = tx + tw / 2, ty + th / 2
    before = page.evaluate("() => ({...window.SoftmaxLiveStats, t: performance.now()})")
    shown0 = page.evaluate(SHOWN, kind)
    page.mouse.move(x, y)
    page.mouse.down()
    n_sent, runs0 = len(sent), page.evaluate(RUNS)  # (script runs: printed; a fragment rerun may show as two)
    for k in range(60):
        page.mouse.move(x - 1.2 * (k + 1), y)
        page.wait_for_timeout(33)
    during = page.evaluate("() => ({...window.SoftmaxLiveStats, t: performance.now()})")
    shown_mid = page.evaluate(SHOWN, kind)
    sent_during = len(sent) - n_sent
    n_sent = len(sent)
    page.mouse.up()
    wait_idle(page)
    page.wait_for_timeout(500)
    runs = page.evaluate(RUNS) - runs0
    asked = len(sent) - n_sent  # what the browser sent after the release: one rerun request
    seconds = (during["t"] - before["t"]) / 1e3
    print(f"{slug}: {during['redraws'] - before['redraws']} live redraws in {seconds:.2f} s "
          f"({(during['redraws'] - before['redraws']) / seconds:.1f}/s), {sent_during} messages during the drag, "
          f"{asked} after the release ({runs} script runs seen)")
    assert sent_during == 0, "a drag sends nothing to the server"
    assert shown_mid != shown0, "the figure moved during the drag"
    assert asked == 1, "the release asks for exactly one rerun"
    q = parse_qs(urlparse(page.url).query)
    z, T = [float(v) for v in q["z"][0].split(",")], float(q["T"][0])
    assert z[0] < 2.0, "the URL follows the release"
    want = {"jacobian_heatmap": core.jacobian(z, T)}.get(kind, core.softmax(z, T))
    got = np.asarray(page.evaluate(SHOWN, kind), dtype=float)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=0)
