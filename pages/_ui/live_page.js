// Live while dragging (issue #24): the page's own Streamlit sliders drive its live charts in the browser.
//
// A Streamlit slider sends its value only on release, but its input[type=range] (labelled z₁…, "Temperature T")
// holds the thumb's value during the drag. While a pointer is down on a slider, or an arrow key is pressed on one,
// this reads those values once per animation frame and, when they changed, restyles every chart that declares in
// layout.meta.live what it shows (live_charts.js), from window.SoftmaxLive (live_math.js, held to core/ by
// tests/browser/test_live_math_parity.py). Nothing goes to the server: the slider's release makes the one rerun that
// redraws every chart, number and sentence from core/, and the URL follows then. A locked slider is disabled and
// cannot be dragged; a hidden one is not on the page, and then the values the charts were drawn with are used.
(function () {
  "use strict";
  const STATS = (window.SoftmaxLiveStats = window.SoftmaxLiveStats || { frames: 0, redraws: 0, busyMs: 0 });
  const Z = /^z[₀-₉]+$/;
  const DIGIT = { "₀": 0, "₁": 1, "₂": 2, "₃": 3, "₄": 4, "₅": 5, "₆": 6, "₇": 7, "₈": 8, "₉": 9 };
  const index = (label) => Number([...label.slice(1)].map((c) => DIGIT[c]).join("")) - 1;
  let active = false;
  let last = "";

  const charts = () => [...document.querySelectorAll(".js-plotly-plot")]
    .filter((gd) => gd.layout && gd.layout.meta && gd.layout.meta.live);

  // z and T as the sliders hold them now; a value with no slider (hidden, or n beyond the sliders) keeps the chart's
  const values = (spec) => {
    const z = (spec.z || []).slice();
    let T = spec.T ?? 1;
    for (const el of document.querySelectorAll('input[type="range"][aria-label]')) {
      const label = el.getAttribute("aria-label");
      if (Z.test(label)) {
        const k = index(label);
        if (k < z.length) z[k] = Number(el.value);
      } else if (label === "Temperature T") {
        T = Number(el.value);
      }
    }
    return { z, T };
  };

  // Redraws plotly has not finished yet (a chart live_paint.js could not draw: plotly's promise settles in a later
  // frame): while one is, no new one starts, so a slow chart is never handed a queue of frames it cannot keep up with;
  // the newest values are drawn as soon as it settles.
  let pending = 0;
  let since = 0;
  // A redraw that settles draws the newest values at once: waiting for the next animation frame found plotly's own
  // frame callback (which settles the transition) after this script's, so only every other frame could redraw.
  const settle = () => {
    pending = Math.max(0, pending - 1);
    STATS.pending = pending;
    if (!pending) draw();
    ended();
  };

  // Once the drag is over and its last values drawn, what live_paint.js drew for the drag only (the heatmap's cells
  // as rects) goes into the chart as plotly holds it
  const ended = () => {
    if (!active && !pending && window.SoftmaxLivePaint) window.SoftmaxLivePaint.flush();
  };

  // Restyle every live chart to the sliders' values, if they changed since the last redraw and none is under way.
  const draw = () => {
    const live = charts();
    if (!live.length || pending > 0) return;
    const now = values(live[0].layout.meta.live);
    const key = JSON.stringify(now);
    if (key === last) return;
    last = STATS.drawn = key;
    const t0 = performance.now();
    for (const gd of live) {
      try {
        const v = values(gd.layout.meta.live);
        const p = window.SoftmaxLiveCharts.restyle(gd, v.z, v.T);
        if (p && p.then) {
          if (!pending) since = performance.now();
          pending += 1;
          STATS.pending = pending;
          p.then(settle, settle);
        }
        STATS.redraws += 1;
      } catch (e) {
        console.warn("live chart not updated:", e);  // a chart the script cannot follow waits for the rerun
      }
    }
    STATS.busyMs += performance.now() - t0;
  };

  const frame = () => {
    STATS.frames += 1;
    if (pending > 0 && performance.now() - since > 1000) pending = STATS.pending = 0;  // a transition cut short by a rerun never settles
    if (pending > 0) {
      STATS.skipped = (STATS.skipped || 0) + 1;
      requestAnimationFrame(frame);  // after the release too: the last values still get their redraw
      return;
    }
    draw();
    if (active) requestAnimationFrame(frame);
    else ended();
  };

  // While a drag lasts, a live chart's own animation controls (Play, the nudge slider and its "z₁ = …" label) are
  // faded: they belong to the values the server drew, and come back with the release's rerun
  const dragging = (on) => {
    for (const gd of charts()) {
      for (const el of gd.querySelectorAll(".slider-container, .updatemenu-container")) el.style.opacity = on ? "0.3" : "";
    }
  };

  const start = () => {
    const live = charts();
    dragging(true);
    last = live.length ? JSON.stringify(values(live[0].layout.meta.live)) : "";
    if (!active) {
      active = true;
      requestAnimationFrame(frame);
    }
  };
  const onSlider = (e) => e.target && e.target.closest && e.target.closest('[data-testid="stSlider"]');
  document.addEventListener("pointerdown", (e) => { if (onSlider(e)) start(); }, true);
  document.addEventListener("pointerup", () => {
    if (active) { active = false; dragging(false); requestAnimationFrame(frame); }
  }, true);
  document.addEventListener("pointercancel", () => { active = false; dragging(false); ended(); }, true);
  // a key on a slider moves its thumb before the next frame: follow it for as long as the key is down
  document.addEventListener("keydown", (e) => { if (onSlider(e) && !active) { start(); } }, true);
  document.addEventListener("keyup", (e) => {
    if (onSlider(e) && active) { active = false; dragging(false); requestAnimationFrame(() => requestAnimationFrame(frame)); }
  }, true);
})();
