// The app's only browser script, injected once per page by the frame (pages/_ui/frame.py, st.html with
// unsafe_allow_javascript): static text, never user input. It needs no network and touches only the page's plotly charts.
//
// 1. Keyboard: plotly draws an animation's Play/Pause buttons and its scrub slider in SVG, outside the Tab order.
//    Each gets tabindex, a role and a label; Enter/Space press a button, arrows/Home/End/PageUp/PageDown move the
//    slider. Focus is drawn by the CSS the frame sends with this script. The animation stays client-side.
// 2. No unhandled rejection on Pause: plotly.js rejects the promise of an animation that another animate() interrupts,
//    and its own button handler never catches it ("API call to Plotly.animate rejected", then an uncaught rejection).
//    Clicks on those buttons (mouse or keyboard) run the same animate() here, and the interruption is caught.
// 3. Slide export: the camera button exports the frame shown as a still (no buttons, no slider), at the chart's size
//    rounded to whole CSS pixels (a PNG is exactly its scale times that), on the background
//    chosen under "Slide export" (toImageButtonOptions.background: white, transparent, or as shown). White from a
//    dark screen redraws the figure in the light theme: the light template and each dark colour's light twin come
//    in CONFIG (figures/palette.py), so no colour is guessed here.
// 4. "Copy link to this view" shows and copies the address bar. A move inside a section (an st.fragment nested in
//    the page, e.g. the Training inspector) rewrites the URL but does not redraw the page's link box, which the
//    server drew on the page's last full run: so the box's text follows location.href, and its copy button copies
//    location.href, never a stale text. (Streamlit's own copy button copies the text it was drawn with.)
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

  const pressButton = (gd, el) => {
    const b = el.__data__;
    if (!b || !b.method || b.method === "skip") return;
    run(gd, b.method, b.args);
  };

  const sliderOf = (el) => {
    const g = el.classList.contains("slider-group") ? el : el.closest(".slider-group");
    const opts = g && g.__data__;
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

  const mark = (gd) => {
    gd.querySelectorAll(".updatemenu-button").forEach((el) => {
      if (el.getAttribute("tabindex") === "0") return;
      const b = el.__data__ || {};
      const text = (el.textContent || b.label || "").trim();
      el.setAttribute("tabindex", "0");
      el.setAttribute("role", "button");
      el.setAttribute("aria-label", text.replace(/^[^A-Za-z]+/, "") || text);
      el.setAttribute("focusable", "true");
    });
    gd.querySelectorAll(".slider-group").forEach((el) => {
      const s = sliderOf(el);
      if (!s) return;
      const rail = el.querySelector(".slider-rail-touch-rect") || el.querySelector(".slider-rail-rect") || el;
      const steps = s.opts.steps;
      const active = Math.max(0, Math.min(steps.length - 1, s.opts.active || 0));
      const prefix = (s.opts.currentvalue && s.opts.currentvalue.prefix) || "";
      rail.setAttribute("tabindex", "0");
      rail.setAttribute("role", "slider");
      rail.setAttribute("focusable", "true");
      rail.setAttribute("aria-label", (prefix.replace(/[=:]\s*$/, "").trim() || "frame") + ": animation frame");
      rail.setAttribute("aria-valuemin", "0");
      rail.setAttribute("aria-valuemax", String(steps.length - 1));
      rail.setAttribute("aria-valuenow", String(active));
      rail.setAttribute("aria-valuetext", prefix + (steps[active] ? steps[active].label : ""));
    });
  };

  // ---- export ---------------------------------------------------------------------------------------------------
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

  const recolour = (v, map, key) => {
    const [darkScale, lightScale] = state.config.diverging || [null, null];
    if (key === "colorscale" && darkScale && sameScale(v, darkScale)) return lightScale;  // swapped whole, see palette
    if (typeof v === "string") {
      const hit = map[v.toUpperCase()];
      return hit === undefined ? v : hit;
    }
    if (Array.isArray(v)) return v.map((x) => recolour(x, map));
    if (v && typeof v === "object") {
      const out = {};
      for (const k of Object.keys(v)) out[k] = recolour(v[k], map, k);
      return out;
    }
    return v;
  };

  const exportStill = (gd) => {
    const Plotly = window.Plotly;
    if (!Plotly) return;
    const opts = Object.assign({ format: "png", filename: "chart", scale: 3 }, gd._context.toImageButtonOptions || {});
    const background = opts.background || "white";
    let data = clone(gd.data);
    let layout = clone(gd.layout);
    layout.updatemenus = [];
    layout.sliders = [];
    const cfg = state.config;
    const paper = String((gd._fullLayout && gd._fullLayout.paper_bgcolor) || "").toUpperCase();
    if (background === "white" && paper !== "#FFFFFF" && paper !== "WHITE" && paper !== "RGB(255, 255, 255)") {
      // a dark screen: the same figure in the light theme (template and every index colour)
      data = recolour(data, cfg.light_of_dark);
      layout = recolour(layout, cfg.light_of_dark);
      layout.template = cfg.light_template;
      // tick labels are HTML in a string (a span with a colour style): recolour inside the strings too
      const html = (s) => s.replace(/#[0-9A-Fa-f]{6}/g, (c) => cfg.light_of_dark[c.toUpperCase()] || c);
      layout = JSON.parse(html(JSON.stringify(layout)));
      data = JSON.parse(html(JSON.stringify(data)));
    }
    if (background === "white") {
      layout.paper_bgcolor = "#FFFFFF";
      layout.plot_bgcolor = "#FFFFFF";
    } else if (background === "transparent") {
      layout.paper_bgcolor = "rgba(0,0,0,0)";
      layout.plot_bgcolor = "rgba(0,0,0,0)";
    }
    // Whole CSS pixels: a chart in a step's column can be 576.23 px wide, and the PNG's canvas takes whole pixels, so
    // scale × a fractional width would be cut (1728, not 3 × 576.23); at the rounded size the PNG is exactly 3× it.
    const size = { width: Math.round(gd._fullLayout.width), height: Math.round(gd._fullLayout.height) };
    swallow(Plotly.downloadImage({ data, layout, config: { displaylogo: false } },
                                 { format: opts.format, filename: opts.filename, scale: opts.scale, ...size }));
  };

  // ---- wiring ---------------------------------------------------------------------------------------------------
  const wired = new WeakSet();

  const wire = (gd) => {
    mark(gd);
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
      if (el.classList.contains("updatemenu-button") && (ev.key === "Enter" || ev.key === " ")) {
        ev.preventDefault();
        pressButton(gd, el);
      } else if (el.getAttribute("role") === "slider" && moveSlider(gd, el, ev.key)) {
        ev.preventDefault();
      }
    });
    if (typeof gd.on === "function") {
      gd.on("plotly_afterplot", () => mark(gd));
      gd.on("plotly_animated", () => mark(gd));
      gd.on("plotly_sliderchange", () => mark(gd));
    }
  };

  // ---- the link box -------------------------------------------------------------------------------------------
  const here = () => location.href.replace(/%2C/gi, ",");  // commas as the server writes them (both are valid)

  const showLink = () => {
    const href = here();
    document.querySelectorAll(".st-key-linkbox [data-testid=stCode] code").forEach((code) => {
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
    const btn = ev.target.closest && ev.target.closest(".st-key-linkbox [data-testid=stCode] button");
    if (!btn) return;
    ev.stopPropagation();
    ev.preventDefault();
    showLink();
    copyText(here()).then(() => {
      btn.setAttribute("title", "Copied");
      btn.setAttribute("aria-label", "Copied");
    });
  }, true);

  // Streamlit writes the query through a history reference taken before this script ran, so no hook sees it:
  // compare twice a second (a string comparison; the box changes only when the address does).
  let shownFor = "";
  setInterval(() => {
    if (location.href !== shownFor) {
      shownFor = location.href;
      showLink();
    }
  }, 500);
  window.addEventListener("popstate", showLink);

  const scan = () => {
    document.querySelectorAll(".js-plotly-plot").forEach(wire);
    showLink();
  };
  state.scan = scan;
  let queued = false;  // one scan per animation frame, however many nodes a redraw replaced
  new MutationObserver(() => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; scan(); });
  }).observe(document.body, { childList: true, subtree: true });
  scan();
})();
