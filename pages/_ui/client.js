// The app's only browser script, injected once per page by the frame (pages/_ui/frame.py, st.html with
// unsafe_allow_javascript): static text, never user input. It needs no network and touches only the page's plotly charts.
//
// 1. Keyboard: plotly draws an animation's Play/Pause buttons and its scrub slider in SVG, outside the Tab order, and
//    gives each of a chart's 8 toolbar buttons a Tab stop. Here a chart's Tab stops are Play (and any other speed),
//    Pause, the frame slider, then its toolbar as one stop (a toolbar: arrows move between its buttons). Enter/Space
//    press a button, arrows/Home/End/PageUp/PageDown move the slider. Focus is drawn by the CSS the frame sends with
//    this script. Play goes on from the frame shown (after Pause or a scrub). The animation stays client-side.
// 2. No unhandled rejection on Pause: plotly.js rejects the promise of an animation that another animate() interrupts,
//    and its own button handler never catches it ("API call to Plotly.animate rejected", then an uncaught rejection).
//    Clicks on those buttons (mouse or keyboard) run the same animate() here, and the interruption is caught.
// 3. Theme: a switch of the app's theme (the ⋮ menu, or the system's setting the app follows) reaches no server, so
//    every chart is redrawn here in the app's theme at once, and again after any redraw that brings the other theme.
//    Both templates and the colour maps between the themes come in CONFIG (figures/palette.py): nothing is guessed.
// 3b. Slide export: the camera button exports the frame shown as a still (no buttons, no slider, and the band they took
//    cut from the bottom margin), on the background chosen under "Slide export" (toImageButtonOptions.background):
//    white or transparent draw the light theme (a slide's dark ink), "shown" the screen's theme; at the chart's size
//    rounded to whole CSS pixels (a PNG is exactly its scale times that).
// 4. "Copy link to this view" shows and copies the address bar. A move inside a section (an st.fragment nested in
//    the page, e.g. the Training inspector) rewrites the URL but does not redraw the page's link box, which the
//    server drew on the page's last full run: so the box's text follows location.href, and its copy button copies
//    location.href, never a stale text. (The box is the frame's own HTML, output.link_box: st.code's copy button would
//    copy the text it was drawn with, and its highlighter's script is the costliest part of a page load.)
(() => {
  const CONFIG = __CONFIG__;
  if (window.__sdxClient) {
    window.__sdxClient.config = CONFIG;
    window.__sdxClient.scan();
    return;
  }
  const state = { config: CONFIG, scan: () => {} };
  window.__sdxClient = state;

  const swallow = (p) => (p && typeof p.catch === "function" ? p.catch(() => undefined) : p);

  const run = (gd, method, args) => {
    const Plotly = window.Plotly;
    if (!Plotly || typeof Plotly[method] !== "function") return;
    swallow(Plotly[method](gd, ...(args || [])));
  };

  // plotly's private fields, read here only. plotly.js 4 offers no public API for them: the layout as drawn (the
  // margins and size it computed, the active step of a slider that plays), the frames of an animation, the d3 datum
  // of an SVG button or slider group (its method, args and steps) and the chart's config. Everything else below goes
  // through Plotly's public calls (react, relayout, animate, toImage) and events (plotly_afterplot).
  const drawn = (gd) => gd._fullLayout || null;
  const framesOf = (gd) => (gd._transitionData && gd._transitionData._frames) || [];
  const datum = (el) => (el ? el.__data__ : undefined);
  const configOf = (gd) => gd._context || {};
  const sliderShown = (gd) => { const fl = drawn(gd); return (fl && fl.sliders && fl.sliders[0]) || null; };

  // The frame shown: the one the slider points at (plotly moves it as frames play, a scrub sets it), as an index
  // into the chart's frames; -1 when the chart has no slider or the step names no frame.
  const shownFrame = (gd) => {
    const sl = sliderShown(gd);
    const frames = framesOf(gd);
    if (!sl || !Array.isArray(sl.steps) || !frames.length) return -1;
    const st = sl.steps[Math.max(0, Math.min(sl.steps.length - 1, sl.active || 0))];
    const name = st && Array.isArray(st.args) && Array.isArray(st.args[0]) ? st.args[0][0] : undefined;
    return frames.findIndex((f) => f && f.name === name);
  };

  const pressButton = (gd, el) => {
    const b = datum(el);
    if (!b || !b.method || b.method === "skip") return;
    const args = b.args || [];
    const opts = args[1] || {};
    if (b.method === "animate" && args[0] === null && opts.fromcurrent) {
      // Play: on from the frame shown (after a Pause or a scrub), from the start once the last frame is shown.
      // plotly's own "fromcurrent" follows its record of the last frame it finished, which a redraw of the chart
      // (a rerun, a theme switch) forgets and a Pause before the first frame finished never set: Play then began
      // again at frame 0.
      const frames = framesOf(gd);
      const k = shownFrame(gd);
      if (frames.length && k >= 0) {
        const rest = k >= frames.length - 1 ? frames : frames.slice(k + 1);
        const { fromcurrent, ...plain } = opts;  // eslint-disable-line no-unused-vars
        run(gd, "animate", [rest.map((f) => f.name), plain]);
        return;
      }
    }
    run(gd, b.method, args);
  };

  const sliderOf = (el) => {
    const g = el.classList.contains("slider-group") ? el : el.closest(".slider-group");
    const opts = g && datum(g);
    return opts && Array.isArray(opts.steps) ? { g, opts } : null;
  };

  const moveSlider = (gd, el, key) => {
    const s = sliderOf(el);
    if (!s) return false;
    const steps = s.opts.steps.filter((st) => st.visible !== false);
    const last = steps.length - 1;
    const now = Math.max(0, Math.min(last, s.opts.active || 0));
    const jump = Math.max(1, Math.round(steps.length / 10));
    const next = { ArrowRight: now + 1, ArrowUp: now + 1, ArrowLeft: now - 1, ArrowDown: now - 1,
                   PageUp: now + jump, PageDown: now - jump, Home: 0, End: last }[key];
    if (next === undefined) return false;
    const k = Math.max(0, Math.min(last, next));
    const index = s.opts.steps.indexOf(steps[k]);
    const Plotly = window.Plotly;
    // Move the slider itself (its readout follows), then show that step's frame.
    const path = "sliders[" + (s.opts._index || 0) + "].active";
    Promise.resolve(Plotly && Plotly.relayout ? swallow(Plotly.relayout(gd, { [path]: index })) : null).then(() => {
      run(gd, steps[k].method, steps[k].args);
      const again = gd.querySelector(".slider-group [role=slider]");
      if (again) again.focus({ preventScroll: true });
    });
    return true;
  };

  // Keyboard order of a chart: Play (and any other speed), Pause, then the frame slider, then the chart's toolbar as
  // one stop (a toolbar: arrow keys move between its buttons). plotly draws the slider before the buttons and gives
  // each of its 8 toolbar buttons a Tab stop of its own: reaching an animation took dozens of Tab presses.
  const lastButton = (gd) => {
    const all = gd.querySelectorAll(".updatemenu-button");
    return all.length ? all[all.length - 1] : null;
  };
  const railOf = (gd) => gd.querySelector(".slider-group [role=slider]");

  const markToolbar = (gd) => {
    const bar = gd.querySelector(".modebar");
    if (!bar) return;
    const btns = [...bar.querySelectorAll(".modebar-btn")];
    if (!btns.length) return;
    bar.setAttribute("role", "toolbar");
    bar.setAttribute("aria-label", "Chart tools (arrow keys move between them)");
    const k = Math.max(0, Math.min(btns.length - 1, gd.__sdxTool || 0));
    btns.forEach((b, j) => b.setAttribute("tabindex", j === k ? "0" : "-1"));
  };

  const moveTool = (gd, el, key) => {
    const btns = [...gd.querySelectorAll(".modebar .modebar-btn")];
    const now = btns.indexOf(el);
    if (now < 0) return false;
    const last = btns.length - 1;
    const next = { ArrowRight: now + 1, ArrowDown: now + 1, ArrowLeft: now - 1, ArrowUp: now - 1, Home: 0, End: last }[key];
    if (next === undefined) return false;
    gd.__sdxTool = (next + btns.length) % btns.length;
    markToolbar(gd);
    btns[gd.__sdxTool].focus();
    return true;
  };

  const mark = (gd) => {
    gd.querySelectorAll(".updatemenu-button").forEach((el) => {
      if (el.getAttribute("tabindex") === "0") return;
      const b = datum(el) || {};
      const text = (el.textContent || b.label || "").trim();
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", text.replace(/^[^A-Za-z]+/, "") || text);
      el.setAttribute("focusable", "true");
    });
    const buttons = Boolean(lastButton(gd));
    gd.querySelectorAll(".slider-group").forEach((el) => {
      const s = sliderOf(el);
      if (!s) return;
      const rail = el.querySelector(".slider-rail-touch-rect") || el.querySelector(".slider-rail-rect") || el;
      const steps = s.opts.steps;
      const active = Math.max(0, Math.min(steps.length - 1, s.opts.active || 0));
      const prefix = (s.opts.currentvalue && s.opts.currentvalue.prefix) || "";
      // with buttons, the slider is reached from the last of them (Tab), not in its place in the drawing
      rail.setAttribute("tabindex", buttons ? "-1" : "0");
      rail.setAttribute("role", "slider");
      rail.setAttribute("focusable", "true");
      rail.setAttribute("aria-label", (prefix.replace(/[=:]\s*$/, "").trim() || "frame") + ": animation frame");
      rail.setAttribute("aria-valuemin", "0");
      rail.setAttribute("aria-valuemax", String(steps.length - 1));
      rail.setAttribute("aria-valuenow", String(active));
      rail.setAttribute("aria-valuetext", prefix + (steps[active] ? steps[active].label : ""));
    });
    markToolbar(gd);
  };

  // Tab from the last button goes to the slider; Tab from the slider goes on from the last button (the browser's
  // own move, from there); Shift+Tab from the slider goes back to the last button.
  const tabOrder = (gd, el, ev) => {
    if (ev.key !== "Tab") return;
    const last = lastButton(gd);
    const rail = railOf(gd);
    if (!last || !rail) return;
    if (el === last && !ev.shiftKey) {
      ev.preventDefault();
      rail.focus({ preventScroll: false });
    } else if (el === rail) {
      last.focus({ preventScroll: true });
      if (ev.shiftKey) ev.preventDefault();
    } else if (ev.shiftKey && el.classList.contains("modebar-btn")) {
      ev.preventDefault();
      rail.focus({ preventScroll: false });
    }
  };

  // ---- theme: both themes' colours come in CONFIG (figures/palette.py), so no colour is guessed here ------------
  const clone = (v) => {
    if (Array.isArray(v)) return v.map(clone);
    if (ArrayBuffer.isView(v)) return Array.from(v);
    if (v && typeof v === "object") {
      const out = {};
      for (const k of Object.keys(v)) if (!k.startsWith("_")) out[k] = clone(v[k]);
      return out;
    }
    return v;
  };

  const sameScale = (a, b) => JSON.stringify(a).toUpperCase() === JSON.stringify(b).toUpperCase();

  // Every colour of a spec through `map` (upper-case "#RRGGBB" -> colour); the diverging scale `from` is swapped for
  // `to` whole (its ends share hues with index colours, so colour by colour would be wrong).
  const recolour = (v, map, from, to, key) => {
    if (key === "colorscale" && from && sameScale(v, from)) return to;
    if (typeof v === "string") {
      const hit = map[v.toUpperCase()];
      return hit === undefined ? v : hit;
    }
    if (Array.isArray(v)) return v.map((x) => recolour(x, map, from, to));
    if (v && typeof v === "object") {
      const out = {};
      for (const k of Object.keys(v)) out[k] = recolour(v[k], map, from, to, k);
      return out;
    }
    return v;
  };

  // {data, layout, frames} (plain copies) in the light (toDark false) or the dark theme: template, index colours,
  // ink, paper, the diverging scale, and the colours inside HTML strings (tick labels are spans with a colour style).
  // Null when the settings lack the maps (then nothing is recoloured rather than something broken).
  const inTheme = (fig, toDark) => {
    const cfg = state.config || {};
    const map = toDark ? cfg.dark_of_light : cfg.light_of_dark;
    const tpl = cfg.templates && cfg.templates[toDark ? "dark" : "light"];
    if (!map || !tpl) return null;
    const [darkScale, lightScale] = cfg.diverging || [null, null];
    const [from, to] = toDark ? [lightScale, darkScale] : [darkScale, lightScale];
    const html = (x) => JSON.parse(JSON.stringify(x).replace(/#[0-9A-Fa-f]{6}\b/g, (c) => map[c.toUpperCase()] || c));
    const out = html(recolour({ data: fig.data, layout: fig.layout, frames: fig.frames || [] }, map, from, to));
    out.layout.template = tpl;
    return out;
  };

  // "#RRGGBB", "rgb(…)" or "rgba(…)" -> dark (true), light (false), or null for no colour / a transparent one
  const isDark = (css) => {
    const s = String(css || "").trim();
    let c = null;
    const hex = s.match(/^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i);
    if (hex) c = [1, 2, 3].map((k) => parseInt(hex[k], 16));
    const fn = s.match(/^rgba?\(([^)]*)\)$/i);
    if (fn) {
      const parts = fn[1].split(/[\s,/]+/).filter(Boolean).map(Number);
      if (parts.length === 4 && parts[3] === 0) return null;
      c = parts.slice(0, 3);
    }
    if (!c || c.some((x) => !Number.isFinite(x))) return null;
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2] < 128;
  };

  const appDark = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    return app ? isDark(getComputedStyle(app).backgroundColor) : null;
  };

  const chartDark = (gd) => isDark(drawn(gd) && drawn(gd).paper_bgcolor);

  // The app's theme changed (the ⋮ menu, or the system's setting that the app follows) and no rerun comes with it:
  // redraw the chart in the app's theme now. Also after any redraw of the chart (plotly_afterplot), since a
  // redraw from the page brings the figure the server drew, maybe before it knew of the switch.
  const retheme = (gd) => {
    const Plotly = window.Plotly;
    const want = appDark();
    const has = chartDark(gd);
    if (!Plotly || want === null || has === null || want === has || gd.__sdxRetheming) return;
    const fig = inTheme({ data: clone(gd.data), layout: clone(gd.layout), frames: clone(framesOf(gd)) }, want);
    if (!fig) return;
    gd.__sdxRetheming = true;
    const args = fig.frames.length ? fig : { data: fig.data, layout: fig.layout };
    Promise.resolve(swallow(Plotly.react(gd, args))).then(() => {
      gd.__sdxRetheming = false;
      mark(gd);
    });
  };

  // ---- export ---------------------------------------------------------------------------------------------------
  const within = (el, sel) => Boolean(el.closest && el.closest(sel));

  // The band the Play / Pause buttons and the frame slider take under an animated chart, in px of the chart: how
  // much to cut from the bottom margin (and the height) once they are dropped, and what sits under them (a legend, an
  // annotation) and moves up by as much. Measured on the chart as drawn, so it holds for every layout and screen.
  const controlBand = (gd) => {
    const fl = drawn(gd);
    const svg = gd.querySelector(".main-svg");
    const ctrls = [...gd.querySelectorAll(".updatemenu-container, .slider-container")];
    if (!fl || !fl._size || !svg || !ctrls.length) return null;
    const top0 = svg.getBoundingClientRect().top;
    const box = (el) => { const r = el.getBoundingClientRect(); return { top: r.top - top0, bottom: r.bottom - top0, h: r.height }; };
    const cs = ctrls.map(box).filter((b) => b.h > 0);
    if (!cs.length) return null;
    const ctop = Math.min(...cs.map((b) => b.top));
    const cbottom = Math.max(...cs.map((b) => b.bottom));
    const items = [...svg.parentNode.querySelectorAll("svg text, .legend .bg")].filter((el) => {
      if (within(el, ".updatemenu-container, .slider-container, .hoverlayer")) return false;
      if (el.tagName.toLowerCase() === "text" && !el.textContent.trim()) return false;
      const s = getComputedStyle(el);
      return s.display !== "none" && s.visibility !== "hidden" && parseFloat(s.opacity) !== 0;
    }).map((el) => ({ el, ...box(el) })).filter((b) => b.h > 0);
    const plotBottom = fl._size.t + fl._size.h;
    const under = items.filter((b) => (b.top + b.bottom) / 2 > cbottom);
    const above = Math.max(plotBottom, ...items.filter((b) => (b.top + b.bottom) / 2 <= cbottom).map((b) => b.bottom));
    const pad = 12;
    const end = under.length ? Math.min(...under.map((b) => b.top)) : fl.height;
    const cut = Math.max(0, Math.floor(end - above - pad));
    const legendUnder = under.some((b) => within(b.el, ".legend"));
    const annotationsUnder = new Set(under.map((b) => b.el.closest && b.el.closest(".annotation"))
      .filter(Boolean).map((a) => Number(a.getAttribute("data-index"))));
    return cut > 0 && ctop > plotBottom - 1 ? { cut, legendUnder, annotationsUnder, plotH: fl._size.h } : null;
  };

  const withoutControls = (gd, layout) => {
    const band = controlBand(gd);
    layout.updatemenus = [];
    layout.sliders = [];
    const fl = drawn(gd);
    // Whole CSS pixels: a chart in a step's column can be 576.23 px wide, and the PNG's canvas takes whole pixels, so
    // scale × a fractional width would be cut (1728, not 3 × 576.23); at the rounded size the PNG is exactly 3× it.
    const size = { width: Math.round(fl.width), height: Math.round(fl.height) };
    if (!band) return size;
    const up = band.cut / band.plotH;  // paper units
    // every side as drawn (a legend at the right had pushed its margin out), the bottom less the band: autoexpand off
    // would otherwise hand the legend back its unexpanded margin and cut its names at the picture's edge
    layout.margin = Object.assign({}, layout.margin || {}, { l: fl._size.l, r: fl._size.r, t: fl._size.t,
                                                             b: fl._size.b - band.cut, autoexpand: false });
    size.height = Math.round(fl.height - band.cut);
    layout.height = size.height;
    if (band.legendUnder && fl.legend) {
      layout.legend = Object.assign({}, layout.legend || {}, { y: fl.legend.y + up });
    }
    (layout.annotations || []).forEach((a, k) => {
      if (band.annotationsUnder.has(k) && (a.yref || "paper") === "paper") a.y = (a.y || 0) + up;
    });
    return size;
  };

  // The frame shown, as the slider names it ("T = 0.89"); a still's title can say it: layout.meta.still maps a text
  // drawn on screen (which can say "the slider's T") to the still's, where {} is the slider's label of the frame.
  const stillTexts = (gd, layout) => {
    const still = layout.meta && layout.meta.still;
    const sl = sliderShown(gd);
    if (!still || !sl || !Array.isArray(sl.steps)) return layout;
    const k = Math.max(0, Math.min(sl.steps.length - 1, sl.active || 0));
    const shown = sl.steps[k] ? String(sl.steps[k].label) : "";
    const swap = (t) => (typeof t === "string" && still[t] !== undefined ? still[t].replace("{}", shown) : t);
    (layout.annotations || []).forEach((a) => { a.text = swap(a.text); });
    if (layout.title && typeof layout.title === "object") layout.title.text = swap(layout.title.text);
    return layout;
  };

  const exportStill = (gd) => {
    const Plotly = window.Plotly;
    if (!Plotly || !drawn(gd)) return;
    const opts = Object.assign({ format: "png", filename: "chart", scale: 3 }, configOf(gd).toImageButtonOptions || {});
    const background = opts.background || "white";
    let data = clone(gd.data);
    let layout = clone(gd.layout);
    if (background !== "shown" && chartDark(gd)) {
      // a dark screen: the same figure in the light theme (white or no paper: a slide's dark ink either way)
      const light = inTheme({ data, layout }, false);
      if (light) ({ data, layout } = light);
    }
    if (background === "white") {
      layout.paper_bgcolor = "#FFFFFF";
      layout.plot_bgcolor = "#FFFFFF";
    } else if (background === "transparent") {
      layout.paper_bgcolor = "rgba(0,0,0,0)";
      layout.plot_bgcolor = "rgba(0,0,0,0)";
    }
    const size = withoutControls(gd, layout);
    stillTexts(gd, layout);
    swallow(Plotly.downloadImage({ data, layout, config: { displaylogo: false } },
                                 { format: opts.format, filename: opts.filename, scale: opts.scale, ...size }));
  };

  // ---- wiring ---------------------------------------------------------------------------------------------------
  const wired = new WeakSet();

  const wire = (gd) => {
    mark(gd);
    retheme(gd);
    if (wired.has(gd)) return;
    wired.add(gd);
    gd.addEventListener("click", (ev) => {
      const btn = ev.target.closest && ev.target.closest(".updatemenu-button");
      if (btn && gd.contains(btn)) {
        ev.stopPropagation();
        pressButton(gd, btn);
        return;
      }
      const cam = ev.target.closest && ev.target.closest(".modebar-btn");
      if (cam && /^Download plot/.test(cam.getAttribute("data-title") || "")) {
        ev.stopPropagation();
        ev.preventDefault();
        exportStill(gd);
      }
    }, true);
    gd.addEventListener("keydown", (ev) => {
      const el = ev.target;
      if (!(el instanceof Element)) return;
      if (ev.key === "Tab") {
        tabOrder(gd, el, ev);
      } else if (el.classList.contains("updatemenu-button") && (ev.key === "Enter" || ev.key === " ")) {
        ev.preventDefault();
        pressButton(gd, el);
      } else if (el.getAttribute("role") === "slider" && moveSlider(gd, el, ev.key)) {
        ev.preventDefault();
      } else if (el.classList.contains("modebar-btn") && moveTool(gd, el, ev.key)) {
        ev.preventDefault();
      }
    });
    if (typeof gd.on === "function") {
      gd.on("plotly_afterplot", () => { mark(gd); retheme(gd); });
      gd.on("plotly_animated", () => mark(gd));
      gd.on("plotly_sliderchange", () => mark(gd));
    }
  };

  // ---- the link box -------------------------------------------------------------------------------------------
  const here = () => location.href.replace(/%2C/gi, ",");  // commas as the server writes them (both are valid)

  const showLink = () => {
    const href = here();
    document.querySelectorAll(".st-key-linkbox .linkbox code").forEach((code) => {
      if (code.textContent === href) return;
      // change the text nodes' values only: React owns the nodes and may redraw them (with the same link)
      const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
      let first = true;
      for (let t = walker.nextNode(); t; t = walker.nextNode()) {
        t.nodeValue = first ? href : "";
        first = false;
      }
    });
  };

  const copyText = (text) => {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text).catch(() => fallback(text));
    fallback(text);
    return Promise.resolve();
  };

  const fallback = (text) => {  // a plain-http address (a hosted class) is not a secure context: no clipboard API there
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    try { document.execCommand("copy"); } catch (e) { /* nothing to copy to */ }
    area.remove();
  };

  document.addEventListener("click", (ev) => {
    const btn = ev.target.closest && ev.target.closest(".st-key-linkbox .linkbox-copy");
    if (!btn) return;
    ev.stopPropagation();
    ev.preventDefault();
    showLink();
    copyText(here()).then(() => {
      btn.setAttribute("title", "Copied");
      btn.setAttribute("aria-label", "Copied");
    });
  }, true);

  // Streamlit writes the query through a history reference taken before this script ran, so a patched pushState
  // sees nothing. The Navigation API's currententrychange fires for every history write, whoever holds the reference
  // (push, replaceState, back and forward); a browser without it (Safari before 26, Firefox before 147) compares the
  // address twice a second.
  let shownFor = "";
  const linkCheck = () => {
    if (location.href !== shownFor) {
      shownFor = location.href;
      showLink();
    }
  };
  if (window.navigation && window.navigation.addEventListener) {
    window.navigation.addEventListener("currententrychange", linkCheck);
  } else {
    setInterval(linkCheck, 500);
  }
  window.addEventListener("popstate", linkCheck);

  // A display formula wider than its column (a phone, a 390-px window, n = 10) is drawn smaller until it fits, down to
  // FORMULA_MIN of its size; a wider one still scrolls sideways, and a shadow on each edge that hides more says so (the
  // class sdx-cut; frame.py's CSS). A cut formula with no sign of it read wrong: "= −4.248" where the value was
  // −4.248×10⁻¹⁸, the ×10⁻¹⁸ beyond the edge. Refitted after a change outside the charts, and after a resize.
  const FORMULA_MIN = 0.7;
  const SLACK = 3;
  let formulasDirty = true;
  let fittedTo = new WeakMap();  // a formula drawn smaller: the column's width and its text when it was fitted
  const fitFormulas = () => {
    let bg = null;
    document.querySelectorAll('[data-testid="stMain"] .katex-display').forEach((box) => {
      const k = box.firstElementChild;
      if (!k) return;
      // a formula at its own size that fits costs reads only (one layout for all of them), no style change
      // (and no write that changes nothing: classList.remove sets the attribute even when the class is absent, a
      // mutation after every rerun, which the bench read as the step still changing: Chain rule 2, 137 → 322 ms)
      if (!k.style.fontSize && box.scrollWidth <= box.clientWidth + SLACK) {
        if (box.classList.contains("sdx-cut")) box.classList.remove("sdx-cut");
        return;
      }
      const seen = `${box.clientWidth} ${k.textContent}`;
      if (k.style.fontSize && fittedTo.get(k) === seen) return;  // fitted already, to this column and this text
      k.style.removeProperty("font-size");  // its own size first: a formula that got shorter grows back
      const full = parseFloat(getComputedStyle(k).fontSize);
      let px = full;
      // a few rounds: a formula's width is not quite proportional to its size (its glyphs' boxes round to pixels);
      // within SLACK px it fits (KaTeX's boxes overhang the last glyph by about 2 px whatever the size)
      for (let round = 0; round < 3 && box.scrollWidth > box.clientWidth + SLACK && px > full * FORMULA_MIN; round++) {
        px = Math.max(full * FORMULA_MIN, px * 0.99 * box.clientWidth / box.scrollWidth);
        k.style.setProperty("font-size", `${px.toFixed(2)}px`, "important");
      }
      if (k.style.fontSize) fittedTo.set(k, seen);
      const cut = box.scrollWidth > box.clientWidth + SLACK;
      if (cut !== box.classList.contains("sdx-cut")) box.classList.toggle("sdx-cut", cut);
      if (cut) {
        bg = bg || getComputedStyle(document.querySelector('[data-testid="stApp"]') || document.body).backgroundColor;
        box.style.setProperty("--sdx-bg", bg);
      }
    });
  };
  const scan = () => {
    // the page's charts only: plotly draws an export in a hidden chart of its own, which must keep its colours
    document.querySelectorAll('.sdx-chart .js-plotly-plot').forEach(wire);
    showLink();
    if (formulasDirty) {
      formulasDirty = false;
      fitFormulas();
    }
  };
  state.scan = scan;
  // A theme switch changes the app's class (its background), and may add no node: watch the app itself, and the
  // system's setting (the app follows it unless the ⋮ menu chose a theme). If the app's node is replaced, the next
  // scan (the body's observer below) watches the new one.
  let themeWas = appDark();
  let queued = false;  // one scan per animation frame, however many nodes a redraw replaced
  const queue = (muts) => {
    // a chart's redraw (every frame of a drag) changes no formula
    if (!formulasDirty && muts && muts.some((m) => !(m.target.closest && m.target.closest(".sdx-chart")))) {
      formulasDirty = true;
    }
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; watchApp(); scan(); });
  };
  const themeCheck = () => {
    const now = appDark();
    if (now !== themeWas) {
      themeWas = now;
      formulasDirty = true;  // a cut formula's covers take the page's new colour: every formula is fitted again
      fittedTo = new WeakMap();
      queue();
    }
  };
  const appObserver = new MutationObserver(themeCheck);
  let watched = null;
  const watchApp = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app === watched) return;
    watched = app;
    appObserver.disconnect();
    appObserver.observe(app, { attributes: true, attributeFilter: ["class", "style"] });
    themeCheck();
  };
  new MutationObserver(queue).observe(document.body, { childList: true, subtree: true });
  watchApp();
  if (window.matchMedia) {
    const mq = window.matchMedia("(prefers-color-scheme: dark)");
    if (mq.addEventListener) mq.addEventListener("change", () => requestAnimationFrame(themeCheck));
  }

  // A desktop window narrower than a phone gets the phone's figures (in a 390-px window the laptop's titles and
  // readouts overlapped on 34 of 60 views). The server reads the window's class from the cookie sde_narrow when a
  // session starts (pages/_ui/frame.py, figures.screens.width_class); the page says the class it was drawn for in
  // --sde-screen. A window drawn for the other class sets the cookie and reloads, once per address: a browser that
  // keeps no cookie is never reloaded twice. A phone (its user agent) and a presentation are drawn for what they are.
  const NARROW_PX = 640;
  const fitWidth = () => {
    const drawn = getComputedStyle(document.documentElement).getPropertyValue("--sde-screen").trim();
    if (!drawn || drawn === "slide") return;
    const narrow = window.innerWidth < NARROW_PX;
    const cookie = /(?:^|;\s*)sde_narrow=1/.test(document.cookie);
    if (narrow !== cookie) document.cookie = `sde_narrow=${narrow ? 1 : 0}; path=/; max-age=31536000; SameSite=Lax`;
    const wrong = narrow ? drawn !== "phone" : drawn === "phone" && cookie;  // (a phone is drawn as one by its agent)
    const once = `${narrow ? "narrow" : "wide"} ${location.href}`;  // one reload per class and address
    if (!wrong || sessionStorage.getItem("sde-width-reload") === once) return;
    sessionStorage.setItem("sde-width-reload", once);
    location.reload();
  };
  let resized = 0;
  window.addEventListener("resize", () => {
    clearTimeout(resized);
    resized = setTimeout(() => { fitWidth(); formulasDirty = true; queue(); }, 400);
  });
  // KaTeX's fonts change every formula's width when they arrive, with no change to the page's nodes
  if (document.fonts && document.fonts.addEventListener) {
    document.fonts.addEventListener("loadingdone", () => { fittedTo = new WeakMap(); formulasDirty = true; queue(); });
  }
  setTimeout(fitWidth, 300);  // once the style that says the class has been drawn (and again, on a slow first load)
  setTimeout(fitWidth, 1500);
  scan();
})();
