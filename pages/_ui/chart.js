// The app's chart element (pages/_ui/output.py, chart): one plotly chart that stays on the page while its figure
// changes. Runs as a st.components.v2 module, mounted in the page's own DOM (no iframe, no shadow root: the page
// scripts, client.js and live_page.js, find the chart as any other `.js-plotly-plot`).
//
// Why not st.plotly_chart: Streamlit's chart element hashes the figure into its identity, so each new figure is a new
// element, and plotly draws it from scratch in an empty div (Plotly.newPlot). Here the element keeps its key, Streamlit
// calls this module again with the new figure, and Plotly.react redraws the same div from the difference (measured in
// the page: 25–62 ms against 33–108 ms for a draw from scratch, docs/PERFORMANCE.md, round 19).
//
// plotly.js is Streamlit's own copy: its chart module (the file named in data.plotly, next to Streamlit's index
// script) sets window.Plotly when it loads, and the browser caches it like the rest of Streamlit. No network beyond
// the app's server.
//
// What Streamlit's chart element gave, this gives too: the alt text (the box's aria-label), the width of the column
// (a ResizeObserver), a full-screen button, and the modebar's export (plotly's own, with the config from Python).

let loading = null;  // one import of plotly per page, shared by every chart

const plotlyOf = (file) => {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!loading) {
    // The chart module sits beside Streamlit's index script, wherever the app is served from (a path prefix too).
    const index = document.querySelector('script[type="module"][src*="/static/js/index."]');
    const url = new URL(`./${file}`, index ? index.src : new URL("static/js/", document.baseURI)).href;
    loading = import(url).then(() => window.Plotly || Promise.reject(new Error("window.Plotly not set")));
  }
  return loading;
};

// The full-screen icons (Material's fullscreen and fullscreen_exit), drawn with the DOM rather than markup
const FULL_D = "M7 14H5v5h5v-2H7v-3zm-2-4h2V7h3V5H5v5zm12 7h-3v2h5v-5h-2v3zM14 5v2h3v3h2V5h-5z";
const EXIT_D = "M5 16h3v3h2v-5H5v2zm3-8H5v2h5V5H8v3zm6 11h2v-3h3v-2h-5v5zm2-11V5h-2v5h5V8h-3z";
const icon = (d) => {
  const NS = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(NS, "svg");
  for (const [k, v] of [["viewBox", "0 0 24 24"], ["width", "18"], ["height", "18"], ["aria-hidden", "true"]]) {
    svg.setAttribute(k, v);
  }
  const path = document.createElementNS(NS, "path");
  path.setAttribute("fill", "currentColor");
  path.setAttribute("d", d);
  svg.appendChild(path);
  return svg;
};

function create(parentElement) {
  const box = document.createElement("div");
  box.className = "sdx-chart";
  box.setAttribute("role", "figure");
  const gd = document.createElement("div");
  gd.className = "sdx-chart-plot";
  const full = document.createElement("button");
  full.type = "button";
  full.className = "sdx-chart-full";
  full.replaceChildren(icon(FULL_D));
  full.title = "Full screen";
  full.setAttribute("aria-label", "Full screen");
  box.append(gd, full);
  parentElement.appendChild(box);

  const inst = { box, gd, shown: null, configKey: null, drawing: false, next: null, width: 0, dead: false, calls: 0,
                 Plotly: null };
  const again = () => {  // redraw the figure shown at the box's new size
    if (!inst.shown || !inst.Plotly) return;
    if (!inst.next) inst.next = inst.shown;
    draw(inst, inst.Plotly);
  };

  // Full screen: the chart takes the screen (less the box's padding); back, the figure's own height.
  full.addEventListener("click", () => {
    if (document.fullscreenElement === box) document.exitFullscreen();
    else if (box.requestFullscreen) box.requestFullscreen().catch(() => undefined);
  });
  box.addEventListener("fullscreenchange", () => {
    const on = document.fullscreenElement === box;
    full.replaceChildren(icon(on ? EXIT_D : FULL_D));
    full.title = on ? "Exit full screen" : "Full screen";
    full.setAttribute("aria-label", full.title);
    again();
  });

  // The column's width changes (the sidebar opens, the window turns, full screen): the figure is drawn to it.
  inst.observer = new ResizeObserver((entries) => {
    const w = Math.round(entries[0].contentRect.width);
    if (!w || w === inst.width) return;
    inst.width = w;
    again();
  });
  inst.observer.observe(box);
  return inst;
}

// The config without the export's file name, which names the parameters and so changes with almost every move: a
// new config makes Plotly.react draw from scratch, so a new file name alone is written into the drawn chart's config.
const configKey = (config) => JSON.stringify({ ...config, toImageButtonOptions: {
  ...(config && config.toImageButtonOptions), filename: "" } });

// Draw the newest figure. A figure that arrives while plotly is drawing waits and replaces any other waiting one:
// the chart never draws a stale figure after a newer one. Sizes are explicit: the box's width, and the figure's
// height (the screen's in full screen), so a redraw never waits on plotly's own autosize.
function draw(inst, Plotly) {
  if (inst.drawing || !inst.next || inst.dead) return;
  const shown = inst.next;
  const { fig, config } = shown;
  inst.next = null;
  inst.drawing = true;
  inst.shown = shown;
  const full = document.fullscreenElement === inst.box;
  const pad = full ? 16 : 0;  // the box's padding in full screen (0.5rem each side)
  const layout = { ...fig.layout };
  const w = inst.box.clientWidth - pad;
  if (w > 0) layout.width = w;
  if (full) layout.height = window.innerHeight - pad;
  const figure = { data: fig.data || [], layout, frames: fig.frames || [] };
  const key = configKey(config);
  if (inst.gd._context && key === inst.configKey) {
    inst.gd._context.toImageButtonOptions = { ...inst.gd._context.toImageButtonOptions,
      ...(config && config.toImageButtonOptions) };
  } else {
    figure.config = config;
    inst.configKey = key;
  }
  Promise.resolve()
    .then(() => Plotly.react(inst.gd, figure))
    .catch((e) => console.warn("chart not drawn:", e))
    .then(() => {
      inst.drawing = false;
      draw(inst, Plotly);
    });
}

const instances = new WeakMap();  // parentElement -> its chart

export default function ({ parentElement, data }) {
  let inst = instances.get(parentElement);
  if (!inst) {
    inst = create(parentElement);
    instances.set(parentElement, inst);
  }
  const call = ++inst.calls;
  const fig = JSON.parse(data.figure);
  if (!window.Plotly && loading === null && !data.plotly) loading = Promise.reject(new Error("no plotly module"));
  inst.box.setAttribute("aria-label", data.alt || "");
  // Hold the figure's height before plotly has loaded, so the page does not jump when it draws.
  const h = fig.layout && fig.layout.height;
  inst.gd.style.minHeight = h ? `${h}px` : "";
  inst.next = { fig, config: data.config };
  plotlyOf(data.plotly).then((Plotly) => {
    inst.Plotly = Plotly;
    draw(inst, Plotly);
  }, (e) => {
    console.warn("plotly not loaded:", e);
    inst.gd.textContent = "This chart could not be drawn: the page could not load plotly.js from the app's server. "
      + "Reload the page; the \u201cData\u201d box under the chart holds its numbers.";
  });
  // Streamlit keeps the cleanup of the last call (and runs a cancelled call's at once): only the newest call's
  // cleanup removes the chart.
  return () => {
    if (call !== inst.calls) return;
    inst.dead = true;
    inst.observer.disconnect();
    if (window.Plotly) window.Plotly.purge(inst.gd);
    inst.box.remove();
    instances.delete(parentElement);
  };
}
