// The live logits controls (issue #24): one range input per z_j and one for T. While a student drags (or holds an arrow
// key), every `input` event recomputes with window.SoftmaxLive (live_math.js, loaded before this module) and restyles
// the plotly charts on the page that declare in layout.meta.live what they show; nothing goes to the server. On
// release (`change`, or the key's keyup) the values go to Python once, as the trigger value "released" (one rerun).
// The contract (layout.meta.live) is documented in pages/_ui/live.py. Runs as a st.components.v2 module.

// Counters for tests and measurements: live redraws, chart updates, releases sent, the milliseconds spent inside
// redraws (their synchronous part: a bar's transition finishes in the next frame), and what the live charts showed at
// the last release.
const LIVE = (window.SoftmaxLiveStats = window.SoftmaxLiveStats
  || { flushes: 0, restyles: 0, commits: 0, busyMs: 0, atRelease: null });
const { KINDS, restyle, drawnTrace } = window.SoftmaxLiveCharts;  // live_charts.js, loaded before this module
const SUB = "₀₁₂₃₄₅₆₇₈₉";
const sub = (k) => String(k + 1).replace(/\d/g, (d) => SUB[+d]);
const instances = new WeakMap();  // parentElement -> the instance drawn in it

const shown = (v) => String(Number(v.toPrecision(6)));  // a readout: 2.1, -0.35, 1e+6

const liveCharts = (key) => [...document.querySelectorAll(".js-plotly-plot")].filter((gd) => {
  const spec = gd.layout && gd.layout.meta && gd.layout.meta.live;
  return spec && KINDS[spec.kind] && (spec.source == null || spec.source === key);
});

// The values each live chart shows now (what a test compares with core/ at release), from plotly's full data
const snapshot = (key) => liveCharts(key).map((gd) => {
  const spec = gd.layout.meta.live;
  const t = drawnTrace(gd, spec.trace ?? 0);
  const plain = (v) => (v == null ? v : Array.from(v, (x) => (typeof x === "object" && x ? Array.from(x) : x)));
  return { kind: spec.kind, y: plain(t.y), z: plain(t.z) };
});

function create(parentElement) {
  const inst = { root: null, inputs: [], outputs: [], tInput: null, tOutput: null, z: [], T: 1, queued: false,
                 keyHeld: false, pointer: false, pending: false, trigger: null, key: null };

  const restyleAll = () => {
    const Plotly = window.Plotly;
    const M = window.SoftmaxLive;
    if (!Plotly || !M) return;
    const t0 = performance.now();
    LIVE.flushes += 1;
    for (const gd of liveCharts(inst.key)) {
      const spec = gd.layout.meta.live;
      try {
        const p = restyle(gd, inst.z, inst.T);
        if (p && p.catch) p.catch(() => undefined);
        LIVE.restyles += 1;
      } catch (e) {
        console.warn("live chart not updated:", e);  // a bad spec must not stop the controls
      }
    }
    LIVE.busyMs += performance.now() - t0;
  };

  window.addEventListener("pointerup", () => { inst.pointer = false; });
  window.addEventListener("pointercancel", () => { inst.pointer = false; });

  const readouts = () => {
    inst.outputs.forEach((o, k) => { o.textContent = shown(inst.z[k]); });
    if (inst.tOutput) inst.tOutput.textContent = shown(inst.T);
  };

  const flush = () => {
    inst.queued = false;
    readouts();
    restyleAll();
  };

  const read = (ev) => {
    const el = ev.target;
    const k = inst.inputs.indexOf(el);
    if (k >= 0) inst.z[k] = el.valueAsNumber;
    else if (el === inst.tInput) inst.T = el.valueAsNumber;
  };

  const onInput = (ev) => {  // every pointer move or key repeat: one redraw per animation frame, nothing sent
    read(ev);
    if (!inst.queued) {
      inst.queued = true;
      requestAnimationFrame(flush);
    }
  };

  const commit = () => {
    inst.pending = false;
    if (inst.queued) flush();
    LIVE.commits += 1;
    LIVE.atRelease = { z: inst.z.slice(), T: inst.T, charts: snapshot(inst.key) };
    inst.committed = JSON.stringify({ z: inst.z, T: inst.T });
    if (inst.trigger) inst.trigger("released", { z: inst.z.slice(), T: inst.T });
  };

  const onChange = (ev) => {  // a release; Chromium also fires it on every arrow press, so a held key waits for keyup
    read(ev);
    if (inst.keyHeld) inst.pending = true;
    else commit();
  };

  const build = (data) => {
    if (inst.root) inst.root.remove();
    const root = document.createElement("div");
    root.className = "sdx-live";
    const mk = (label, aria, min, max, step, value, disabled) => {
      const cell = document.createElement("label");
      cell.className = "sdx-live-cell";
      const head = document.createElement("span");
      head.className = "sdx-live-head";
      const name = document.createElement("span");
      name.textContent = label;
      const out = document.createElement("output");
      head.append(name, out);
      const input = document.createElement("input");
      Object.assign(input, { type: "range", min: String(min), max: String(max), step: String(step), disabled });
      input.value = String(value);
      input.setAttribute("aria-label", aria);
      if (disabled) cell.title = data.help || "";
      input.addEventListener("input", onInput);
      input.addEventListener("change", onChange);
      input.addEventListener("keydown", () => { inst.keyHeld = true; });
      input.addEventListener("keyup", () => { inst.keyHeld = false; if (inst.pending) commit(); });
      input.addEventListener("blur", () => { inst.keyHeld = false; if (inst.pending) commit(); });
      cell.append(head, input);
      return { cell, input, out };
    };
    const grid = document.createElement("div");
    grid.className = "sdx-live-grid";
    grid.style.setProperty("--sdx-cols", String(Math.min(data.z.length, data.columns || 5)));
    inst.inputs = [];
    inst.outputs = [];
    if (data.temperature !== false) {
      const [tlo, thi] = data.T_range || [0.1, 10];
      const t = mk("Temperature T", "Temperature T", tlo, thi, data.T_step || 0.1, data.T, data.locked_T);
      t.cell.classList.add("sdx-live-T");
      root.append(t.cell);
      inst.tInput = t.input;
      inst.tOutput = t.out;
    } else {
      inst.tInput = inst.tOutput = null;
    }
    data.z.forEach((v, k) => {
      const c = mk("z" + sub(k), "z" + sub(k), data.lo, data.hi, data.step || 0.1, v, data.locked);
      grid.append(c.cell);
      inst.inputs.push(c.input);
      inst.outputs.push(c.out);
    });
    root.append(grid);
    root.addEventListener("pointerdown", () => { inst.pointer = true; });
    parentElement.append(root);
    inst.root = root;
  };

  // New data from Python: the first mount, or the server changed the values (a preset, a link, n). The echo of our own
  // release, or data arriving while the student is still dragging, leaves the controls alone.
  inst.apply = (data, trigger, key) => {
    inst.trigger = trigger;
    inst.key = key;
    const text = JSON.stringify(data);
    if (inst.root && inst.root.isConnected && text === inst.dataText) return;
    const shape = JSON.stringify([data.z.length, data.lo, data.hi, data.step, data.locked, data.locked_T, data.temperature]);
    if (!inst.root || !inst.root.isConnected || shape !== inst.shape) build(data);
    inst.shape = shape;
    inst.dataText = text;
    const echo = inst.committed === JSON.stringify({ z: data.z, T: data.T });
    const dragging = inst.pointer || inst.keyHeld;
    if (!echo && !dragging) {
      inst.z = data.z.slice();
      inst.T = data.T;
      inst.inputs.forEach((el, k) => { el.value = String(data.z[k]); });
      if (inst.tInput) inst.tInput.value = String(data.T);
    }
    readouts();  // the charts are the server's: the rerun that sent this data drew them
  };
  return inst;
}

export default function (component) {
  const { data, parentElement, setTriggerValue, key } = component;
  let inst = instances.get(parentElement);
  if (!inst) {
    inst = create(parentElement);
    instances.set(parentElement, inst);
  }
  inst.apply(data, setTriggerValue, data.key ?? key);
}
