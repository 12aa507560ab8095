// Live redraws drawn straight into the chart (issue #24): while a student drags, the values live_charts.js computes
// for a chart are written into the SVG plotly drew (bar paths, line widths, marker positions, labels, the heatmap's
// cells, as rects over its image until the drag ends), and into the chart's data, so the chart stays the figure figures/ built and any later plotly redraw of it
// shows the same values. A plotly call (restyle, animate) re-runs its defaults and calculation over the whole figure
// before drawing: 15–130 ms of the main thread per redraw, measured, against a frame's 16.7 ms. Writing the few
// attributes that move costs well under a millisecond.
//
// What this cannot draw it declines, and plotly draws that frame (live_charts.js falls back to plotly's call, and
// hands an axis range the kind widens to plotly without asking here): a value outside the heatmap's colour range, a bar whose hatching or a label whose position
// changes, a trace type or a mode not handled here, a chart plotly has not drawn yet. An axis plotly ranges itself
// keeps its range during the drag, as plotly's own transitions keep it (a value beyond it is clipped, as plotly clips);
// the release's rerun redraws every chart from core/, ranges included.
(function (root) {
  "use strict";

  const XLINK = "http://www.w3.org/1999/xlink";
  // Why a redraw went to plotly, counted by reason (read by the browser tests and bench/live_drag.py)
  const declined = {};
  const painted = { count: 0 };
  const no = (why, v = null) => { declined[why] = (declined[why] || 0) + 1; return v; };

  // plotly's private fields, read here only (plotly.js 4 has no public API for them): a trace's data as drawn, the
  // drawn layout (its axes map data to pixels: c2p), and the d3 datum on each trace's group, which names its trace.
  const fullData = (gd) => gd._fullData || null;
  const fullTrace = (gd, t) => fullData(gd) && fullData(gd)[t];
  const fullLayout = (gd) => gd._fullLayout || null;
  const axisOf = (gd, id) => fullLayout(gd) && fullLayout(gd)[id.replace(/^([xy])(\d*)$/, "$1axis$2")];
  const groupOf = (gd, t, type) => [...gd.querySelectorAll(`.${type}layer > g`)]
    .find((g) => g.__data__ && g.__data__[0] && g.__data__[0].trace && g.__data__[0].trace.index === t);

  const finite = (vs) => vs.every((v) => Number.isFinite(v));
  const px = (v) => Math.round(v * 100) / 100;  // plotly writes pixels to 2 decimals
  const setIn = (obj, path, v) => {
    const keys = path.split(".");
    let o = obj;
    for (const k of keys.slice(0, -1)) o = o[k] = o[k] && typeof o[k] === "object" ? o[k] : {};
    o[keys[keys.length - 1]] = v;
  };
  const { at } = root.SoftmaxLiveCharts;  // live_charts.js, loaded before this script

  // What an element looked like when plotly drew it, to move it relative to that (a label's transform). An attribute
  // that no longer holds what this script last wrote means plotly has drawn the element again: it is read afresh.
  const first = new WeakMap();
  const original = (el, attr, read) => {
    const seen = first.get(el);
    if (seen && el.getAttribute(attr) === seen.wrote) return seen.o;
    const o = read(el);
    first.set(el, { o, wrote: el.getAttribute(attr) });
    return o;
  };
  const write = (el, attr, value) => {
    el.setAttribute(attr, value);
    const seen = first.get(el);
    if (seen) seen.wrote = el.getAttribute(attr);
  };

  // A label's text: its one text node's value changed in place (a change to the node's characters; replacing the node
  // would be a change to the page's tree, which the page's observers of new nodes rescan on every frame); a label
  // plotly split into tspans gets the plain string instead (these live labels are one line)
  const setNode = (el, s) => {
    const node = el.firstChild;
    if (node && node.nodeType === Node.TEXT_NODE && !node.nextSibling) {
      if (node.nodeValue !== s) node.nodeValue = s;
    } else {
      el.textContent = s;
    }
  };
  const setText = (el, s) => {
    setNode(el, s);
    el.setAttribute("data-unformatted", s);
  };

  // A label of one or more lines ("−7.0", break, "×10⁻⁴"), laid out as plotly lays out its heatmap labels: each line a tspan
  // of class "line" at k·1.3em (LINE_SPACING), and the text's y raised by 0.65em per line beyond the first, so the
  // lines stay centred on the cell. The same number of lines: each line's characters in place; another number: the
  // lines rebuilt (a power of ten on one line ran into the next cell at n = 10, as plotly's two lines do not).
  const LINE_SPACING = 1.3;
  const setLines = (el, s, size) => {
    const want = s.split("\u003cbr>");  // the break, spelled so that the page's sanitizer keeps the script
    const have = [...el.childNodes].filter((c) => c.nodeName === "tspan" && c.getAttribute("class") === "line");
    if (want.length === 1 && !have.length) return setText(el, s);
    if (want.length === have.length) {
      want.forEach((line, k) => setNode(have[k], line));
      el.setAttribute("data-unformatted", s);
      return;
    }
    const y = px(Number(el.getAttribute("y")) - (size * LINE_SPACING / 2) * (want.length - Math.max(have.length, 1)));
    const x = el.getAttribute("x");
    el.setAttribute("y", y);
    el.textContent = "";
    if (want.length === 1) {
      el.textContent = want[0];
    } else {
      want.forEach((line, k) => {
        const t = document.createElementNS(SVG, "tspan");
        t.setAttribute("class", "line");
        t.setAttribute("dy", `${k * LINE_SPACING}em`);
        t.setAttribute("x", x);
        t.setAttribute("y", y);
        t.textContent = line;
        el.appendChild(t);
      });
    }
    el.setAttribute("data-unformatted", s);
  };

  // The ink plotly gives a heatmap label whose colour is "auto" (Color.contrast): white on a dark cell (tinycolor's
  // brightness below 128), #444 on a light one
  const contrast = (rgb) => {
    const [r, g, b] = rgb.match(/\d+/g).map(Number);
    return (r * 299 + g * 587 + b * 114) / 1000 < 128 ? "rgb(255, 255, 255)" : "rgb(68, 68, 68)";
  };

  const TRANSLATE = /^translate\(([-\d.e]+),\s*([-\d.e]+)\)(.*)$/;
  // a label's width in its own font, measured on a canvas (reading the page's layout mid-frame would force one)
  let pen = null;
  const measure = (el, s) => {
    pen = pen || document.createElement("canvas").getContext("2d");
    const st = el.style;
    pen.font = `${st.fontStyle || "normal"} ${st.fontWeight || "normal"} ${st.fontSize || "12px"} ${st.fontFamily || "sans-serif"}`;
    return pen.measureText(s).width;
  };

  // "M x0,y0 V y1 H x1 V y0 Z": plotly's bar path, vertical or horizontal
  const BAR = /^M([-\d.e]+),([-\d.e]+)V([-\d.e]+)H([-\d.e]+)V([-\d.e]+)Z$/;

  // --- bars: the values of a bar trace, stacked as the layout stacks them -----------------------------------------
  const planBars = (gd, t, values, text, fresh) => {
    const tr = fullTrace(gd, t);
    const g = groupOf(gd, t, "bar");
    const fl = fullLayout(gd);
    if (!tr || !g || tr.base != null || !Array.isArray(values) || !finite(values)) return no("bars: not a plain bar trace");
    const horizontal = tr.orientation === "h";
    const va = axisOf(gd, horizontal ? tr.xaxis : tr.yaxis);
    if (!va || va.type === "log" || va.type === "category") return no("bars: the value axis is not linear");
    const paths = [...g.querySelectorAll(".point > path")];
    if (paths.length !== values.length) return no("bars: not drawn yet");
    // the bases: the bar traces before this one on the same axes, as plotly stacks them
    const pos = tr[horizontal ? "y" : "x"];
    const mode = fl.barmode;
    const bases = values.map(() => 0);
    if (mode === "stack" || mode === "relative") {
      for (let s = 0; s < t; s++) {
        const o = fullTrace(gd, s);
        if (!o || o.type !== "bar" || o.xaxis !== tr.xaxis || o.yaxis !== tr.yaxis || o.visible !== true) continue;
        const ov = Array.from(fresh[s] || o[horizontal ? "x" : "y"] || []);
        const opos = o[horizontal ? "y" : "x"];
        values.forEach((v, k) => {
          const at = opos ? Array.from(opos).findIndex((p) => p === (pos ? pos[k] : k)) : k;
          if (at < 0 || at >= ov.length || !Number.isFinite(ov[at])) return;
          if (mode === "stack" || (ov[at] < 0) === (v < 0)) bases[k] += ov[at];
        });
      }
    }
    const geometry = [];
    for (let k = 0; k < paths.length; k++) {
      const m = BAR.exec(paths[k].getAttribute("d") || "");
      if (!m) return no("bars: a path plotly did not draw");
      const [x0, y0, y1, x1] = [m[1], m[2], m[3], m[4]].map(Number);
      const a = px(va.c2p(bases[k]));
      const b = px(va.c2p(bases[k] + values[k]));
      if (!Number.isFinite(a) || !Number.isFinite(b)) return no("bars: off the axis");
      geometry.push(horizontal ? { d: `M${a},${y0}V${y1}H${b}V${y0}Z`, end: b, base: a, was: x1 }
                               : { d: `M${x0},${a}V${b}H${x1}V${a}Z`, end: b, base: a, was: y1, sides: [x0, x1] });
    }
    // A label outside the bar, as plotly places it (bar/plot.js): its centre a 3 px pad plus half its size past the
    // bar's end, along the bar; so it moves with the end, and along a horizontal bar also by half its change of width.
    // Plotly shrinks a label wider than its vertical bar, and puts it on the other side of a bar that changes sign:
    // those frames are plotly's.
    const labels = [...g.querySelectorAll(".point")].map((p) => p.querySelector("text.bartext"));
    const moves = [];
    for (let k = 0; k < labels.length; k++) {
      const label = labels[k];
      if (!label) continue;
      if (tr.textposition !== "outside") return no("bars: labels inside the bars");
      const o = original(label, "transform", (el) => {
        const m = TRANSLATE.exec(el.getAttribute("transform") || "");
        return m && !m[3].trim() && { x: Number(m[1]), y: Number(m[2]), end: geometry[k].was, base: geometry[k].base,
                                      width: measure(el, el.textContent) };
      });
      if (!o) return no("bars: a label plotly scaled or turned");
      const s = text && text[k] !== undefined ? String(text[k]) : label.textContent;
      const side = Math.sign(geometry[k].end - geometry[k].base);
      if (side !== Math.sign(o.end - o.base)) return no("bars: a bar changes sign");
      const width = measure(label, s);
      const [x0, x1] = horizontal ? [0, 0] : geometry[k].sides;
      if (!horizontal && width > Math.abs(x1 - x0)) return no("bars: a label wider than its bar");
      const shift = geometry[k].end - o.end;
      moves.push([label, s, horizontal ? [o.x + shift + side * (width - o.width) / 2, o.y] : [o.x, o.y + shift]]);
    }
    return () => {
      paths.forEach((p, k) => p.setAttribute("d", geometry[k].d));
      for (const [label, s, [x, y]] of moves) {
        write(label, "transform", `translate(${px(x)},${px(y)})`);
        setText(label, s);
      }
    };
  };

  // --- the heatmap: its cells repainted in the colour range it was drawn with, and their labels ---------------------
  const parseColor = (c) => {
    let m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(c);
    if (m) return [1, 2, 3].map((i) => parseInt(m[i], 16));
    m = /^rgba?\(\s*([\d.]+)\s*,\s*([\d.]+)\s*,\s*([\d.]+)/i.exec(c);
    return m ? [1, 2, 3].map((i) => Number(m[i])) : null;
  };
  const colorAt = (scale, u) => {
    for (let k = 1; k < scale.length; k++) {
      const [u0, c0] = scale[k - 1];
      const [u1, c1] = scale[k];
      if (u <= u1 || k === scale.length - 1) {
        const w = u1 > u0 ? Math.min(Math.max((u - u0) / (u1 - u0), 0), 1) : 0;
        return c0.map((v, i) => Math.round(v + w * (c1[i] - v)));
      }
    }
    return scale[0][1];
  };

  // During a drag the cells are SVG rects over plotly's image (a colour per rect: no image to encode each frame); the
  // drag's last frame is written into the image once (one canvas per chart, one PNG), and the rects removed, when the
  // drag ends (flush), and whenever plotly draws the chart again (its image is then the data's).
  const SVG = "http://www.w3.org/2000/svg";
  const overlays = new Map();  // chart → {group, image, cells, w, h}: the rects drawn over its image now
  const canvases = new WeakMap();
  const watched = new WeakSet();

  const drop = (gd) => {
    const o = overlays.get(gd);
    if (o) { o.group.remove(); overlays.delete(gd); }
  };

  // the cells as they stand into plotly's image, and the rects away
  const bake = (gd) => {
    const o = overlays.get(gd);
    if (!o) return;
    let canvas = canvases.get(gd);
    if (!canvas) canvases.set(gd, (canvas = document.createElement("canvas")));
    if (canvas.width !== o.w || canvas.height !== o.h) [canvas.width, canvas.height] = [o.w, o.h];  // (clears it)
    const ctx = canvas.getContext("2d");
    ctx.clearRect(0, 0, o.w, o.h);  // the gaps between cells stay transparent
    for (const [x, y, w, h, fill] of o.cells) {
      ctx.fillStyle = fill;
      ctx.fillRect(x, y, w, h);
    }
    if (o.image.isConnected) o.image.setAttributeNS(XLINK, "xlink:href", canvas.toDataURL("image/png"));
    drop(gd);
  };

  // every chart's rects into its image: the drag has ended
  const flush = () => { for (const gd of [...overlays.keys()]) bake(gd); };

  const planHeatmap = (gd, t, Z, text) => {
    const tr = fullTrace(gd, t);
    const g = groupOf(gd, t, "heatmap");
    const image = g && g.querySelector("image");
    if (!tr || !image || tr.zsmooth || !Array.isArray(Z) || !Z.length) return no("heatmap: not drawn as cells");
    const rows = Z.length;
    const cols = Z[0].length;
    const flat = Z.flat();
    if (!finite(flat) || Z.some((r) => r.length !== cols)) return no("heatmap: not a finite matrix");
    const lo = tr.zmin;
    const hi = tr.zmax;
    // a value outside the range drawn would need a new colour bar: plotly redraws that frame (a value a rounding error
    // past it, as S(1 − S)/T can be past 1/(4T), takes the end colour, as plotly gives it)
    const slack = 1e-9 * (hi - lo);
    if (!(hi > lo) || flat.some((v) => v < lo - slack || v > hi + slack)) return no("heatmap: outside the colour range");
    const scale = (tr.colorscale || []).map(([u, c]) => [u, parseColor(c)]);
    if (scale.length < 2 || scale.some(([, c]) => !c)) return no("heatmap: a colour scale not read here");
    const xa = axisOf(gd, tr.xaxis);
    const ya = axisOf(gd, tr.yaxis);
    const labels = [...g.querySelectorAll(".heatmap-label text")];
    if (!xa || !ya || (labels.length && labels.length !== rows * cols)) return no("heatmap: axes or labels");
    const ix = Number(image.getAttribute("x"));
    const iy = Number(image.getAttribute("y"));
    const w = Number(image.getAttribute("width"));
    const h = Number(image.getAttribute("height"));
    const gx = tr.xgap || 0;
    const gy = tr.ygap || 0;
    const size = labels.length ? parseFloat(labels[0].style.fontSize) || 12 : 12;  // as drawn (plotly may shrink it)
    const auto = !tr.textfont || !tr.textfont.color || tr.textfont.color === "auto";
    return () => {
      // each cell in the image's pixels, as plotly fills its canvas: [x, y, width, height, colour]
      const cells = [];
      for (let i = 0; i < rows; i++) {
        const ya0 = ya.c2p(i - 0.5) - iy;
        const ya1 = ya.c2p(i + 0.5) - iy;
        for (let j = 0; j < cols; j++) {
          const xa0 = xa.c2p(j - 0.5) - ix;
          const xa1 = xa.c2p(j + 0.5) - ix;
          const [r, gg, b] = colorAt(scale, (Z[i][j] - lo) / (hi - lo));
          const x0 = Math.round(Math.min(xa0, xa1) + gx / 2);
          const y0 = Math.round(Math.min(ya0, ya1) + gy / 2);
          cells.push([x0, y0, Math.round(Math.max(xa0, xa1) - gx / 2) - x0, Math.round(Math.max(ya0, ya1) - gy / 2) - y0,
                      `rgb(${r},${gg},${b})`]);
        }
      }
      let o = overlays.get(gd);
      if (o && (o.image !== image || o.cells.length !== cells.length)) { drop(gd); o = null; }
      if (!o) {
        const group = document.createElementNS(SVG, "g");
        group.setAttribute("class", "live-cells");
        group.setAttribute("transform", `translate(${ix},${iy})`);  // the image's own pixels
        group.setAttribute("shape-rendering", "crispEdges");
        for (let k = 0; k < cells.length; k++) group.appendChild(document.createElementNS(SVG, "rect"));
        image.after(group);  // over the image, under the labels
        o = { group, image, cells, w, h };
        overlays.set(gd, o);
        if (!watched.has(gd) && gd.on) { watched.add(gd); gd.on("plotly_afterplot", () => drop(gd)); }
      }
      o.cells = cells;
      [o.w, o.h] = [w, h];
      const rects = o.group.children;
      cells.forEach(([x, y, cw, ch, fill], k) => {
        const el = rects[k];
        el.setAttribute("x", x);
        el.setAttribute("y", y);
        el.setAttribute("width", Math.max(cw, 0));
        el.setAttribute("height", Math.max(ch, 0));
        el.setAttribute("fill", fill);
      });
      if (text) {
        labels.forEach((el, k) => {
          setLines(el, text[Math.floor(k / cols)][k % cols], size);
          if (auto) el.style.fill = contrast(cells[k][4]);
        });
      }
    };
  };

  // --- scatter: line widths, arrowheads' sizes, labels, points and lines that move ----------------------------------
  const planScatter = (gd, t, attrs) => {
    const tr = fullTrace(gd, t);
    const g = groupOf(gd, t, "scatter");
    if (!tr || !g || (tr.fill && tr.fill !== "none") || (tr.line && tr.line.shape && tr.line.shape !== "linear")) return no("scatter: a fill or a curved line");
    const ops = [];
    if (attrs["line.width"] !== undefined) {
      const line = g.querySelector("path.js-line");
      const wv = attrs["line.width"];
      if (line) ops.push(() => { line.style.strokeWidth = `${wv}px`; });
    }
    const points = [...g.querySelectorAll(".points path.point")];
    if (attrs["marker.size"] !== undefined) {
      const sizes = attrs["marker.size"];
      if (!Array.isArray(sizes) || points.length !== sizes.length) return no("scatter: marker sizes");
      const drawnSizes = Array.from(at(tr, "marker.size") || []);
      for (let k = 0; k < points.length; k++) {
        const el = points[k];
        const o = original(el, "transform", (e) => ({ transform: e.getAttribute("transform") || "", size: drawnSizes[k] }));
        if (sizes[k] === o.size) { ops.push(() => write(el, "transform", o.transform)); continue; }
        if (!(o.size > 0)) return no("scatter: a marker drawn with no size");  // it has no shape to scale
        ops.push(() => write(el, "transform", `${o.transform} scale(${sizes[k] / o.size})`));
      }
    }
    const texts = [...g.querySelectorAll(".text .textpoint text")];
    const moves = attrs.x !== undefined || attrs.y !== undefined;
    if (moves) {
      const xa = axisOf(gd, tr.xaxis);
      const ya = axisOf(gd, tr.yaxis);
      // a category's position is its index (d2c); a number stays itself
      const xs = Array.from(attrs.x !== undefined ? attrs.x : tr.x || [], (v) => xa && xa.d2c(v));
      const ys = Array.from(attrs.y !== undefined ? attrs.y : tr.y || [], (v) => ya && ya.d2c(v));
      if (!xa || !ya || xs.length !== ys.length || !finite(xs) || !finite(ys)) return no("scatter: not finite");
      if ([xa, ya].some((a) => a.type === "date")) return no("scatter: a date axis");
      const P = xs.map((x, k) => [px(xa.c2p(x)), px(ya.c2p(ys[k]))]);
      if (!finite(P.flat())) return no("scatter: off the axes");
      const line = g.querySelector("path.js-line");
      if (line && /lines/.test(tr.mode)) {
        if (g.querySelectorAll("path.js-line").length !== 1) return no("scatter: a line broken by gaps");
        ops.push(() => line.setAttribute("d", "M" + P.map((p) => p.join(",")).join("L")));
      }
      if (/markers/.test(tr.mode)) {
        if (points.length !== P.length) return no("scatter: markers not drawn");
        points.forEach((el, k) => {
          const o = original(el, "transform", (e) => ({ transform: e.getAttribute("transform") || "" }));
          const m = TRANSLATE.exec(o.transform);
          if (!m) return;
          ops.push(() => write(el, "transform", `translate(${P[k][0]},${P[k][1]})${m[3]}`));
        });
      }
      if (/text/.test(tr.mode) && texts.length) {
        if (texts.length !== P.length) return no("scatter: labels not drawn");
        const was = Array.from(tr.x || []).map((x, k) => [px(xa.c2p(xa.d2c(x))), px(ya.c2p(ya.d2c((tr.y || [])[k])))]);
        texts.forEach((el, k) => {
          const o = original(el, "x", (e) => ({ x: Number(e.getAttribute("x")), y: Number(e.getAttribute("y")), at: was[k] }));
          if (!o.at || !finite(o.at)) return;
          ops.push(() => {
            el.setAttribute("y", px(o.y + P[k][1] - o.at[1]));
            write(el, "x", px(o.x + P[k][0] - o.at[0]));  // x alone tells whether plotly drew it again
          });
        });
      }
    }
    if (attrs.text !== undefined && texts.length) {
      const tv = attrs.text;
      if (!Array.isArray(tv) || tv.length !== texts.length) return no("scatter: labels");
      texts.forEach((el, k) => ops.push(() => {
        setText(el, tv[k]);
      }));
    }
    return () => ops.forEach((op) => op());
  };

  // --- one chart ------------------------------------------------------------------------------------------------
  // The attributes drawn here, per trace type (a bar's position along its axis is not one of them)
  const DRAWS = {
    bar: ["y", "x", "text", "customdata", "marker.pattern.shape", "textposition"],
    heatmap: ["z", "text", "customdata", "zmin", "zmax"],
    scatter: ["x", "y", "text", "customdata", "line.width", "marker.size", "textposition"],
  };

  // update: {attribute: [value per trace]} for the traces listed (live_charts.js's KINDS), at the axis ranges drawn
  // (live_charts.js's restyle hands a range that grows to plotly). Draws it all and returns true, or draws nothing and
  // returns false.
  const paint = (gd, update, traces) => {
    if (!fullData(gd) || !fullLayout(gd) || !traces.length) return no("not drawn yet", false);
    const plans = [];
    const fresh = {};  // the new values of the bar traces in this update: a stacked bar's base is its predecessors'
    traces.forEach((t, i) => {
      const tr = fullTrace(gd, t);
      const v = tr && tr.type === "bar" && update[tr.orientation === "h" ? "x" : "y"];
      if (v && v[i] !== undefined) fresh[t] = Array.from(v[i]);
    });
    const attrsOf = (i) => {
      const one = {};
      for (const [attr, values] of Object.entries(update)) if (values[i] !== undefined) one[attr] = values[i];
      return one;
    };
    for (let i = 0; i < traces.length; i++) {
      const t = traces[i];
      const tr = fullTrace(gd, t);
      const a = attrsOf(i);
      if (!tr || !Object.keys(a).length) continue;
      for (const attr of ["marker.pattern.shape", "textposition"]) {  // drawn once, by plotly
        if (a[attr] !== undefined && JSON.stringify(Array.from(a[attr])) !== JSON.stringify(Array.from(at(tr, attr) || []))) return no("a hatching or a label position changes", false);
      }
      const known = DRAWS[tr.type];
      if (!known) return no("a trace type not drawn here", false);
      const horizontal = tr.orientation === "h";
      if (Object.keys(a).some((k) => !known.includes(k)) || (tr.type === "bar" && a[horizontal ? "y" : "x"] !== undefined)) {
        return no("an attribute not drawn here", false);
      }
      let plan = null;
      if (tr.type === "bar") {
        const values = a[horizontal ? "x" : "y"];
        plan = values === undefined ? null : planBars(gd, t, Array.from(values), a.text, fresh);
      } else if (tr.type === "heatmap") {
        plan = planHeatmap(gd, t, a.z, a.text);
      } else {
        plan = planScatter(gd, t, a);
      }
      if (!plan) return false;  // counted where it declined
      plans.push([plan, t, a]);
    }
    // every trace can be drawn: draw, and keep the chart's data what is drawn (a heatmap keeps its colour range; the
    // hovers' printed values, customdata, are data only)
    painted.count += 1;
    for (const [plan, t, a] of plans) {
      plan();
      for (const [attr, v] of Object.entries(a)) {
        if (attr === "zmin" || attr === "zmax") continue;
        setIn(gd.data[t], attr, v);
        setIn(fullTrace(gd, t), attr, v);
      }
    }
    return true;
  };

  // a redraw plotly makes for a reason found elsewhere (live_charts.js: an axis range that grows), counted here too
  const decline = (why) => { no(why); };

  root.SoftmaxLivePaint = { paint, flush, decline, declined, painted };
})(typeof window !== "undefined" ? window : globalThis);
