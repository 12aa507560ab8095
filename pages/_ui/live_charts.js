// What each kind of live chart is restyled with while a student drags z or T (issue #24), shared by the page script
// (live_page.js, which follows the Streamlit sliders) and the live-controls component (live.js). A chart opts in
// through its layout, layout.meta.live = {kind, ...} (pages/_ui/live.py: live_meta); window.SoftmaxLive
// (live_math.js, the mirror of core/) computes, nothing here does maths of its own. What a kind does not update
// (titles, LaTeX, sentences) waits for the rerun on release, which redraws every chart from core/.
(function (root) {
  "use strict";

  const SUB = "₀₁₂₃₄₅₆₇₈₉";
  const sub = (k) => String(k + 1).replace(/\d/g, (d) => SUB[+d]);
  const SIGN = { pos: "+", neg: "−", zero: "0" };  // core.fmt.SIGN_GLYPH
  const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  // core.fmt._typographic: "4.25e-18" as "4.25×10⁻¹⁸" (the form of plotly's axes), and the typographic minus
  const typographic = (str) => {
    const [mant, exp] = str.split("e");
    const power = exp === undefined ? "" : "×10" + String(Number(exp)).replace("-", "⁻").replace(/\d/g, (d) => SUP[+d]);
    return (mant + power).replace(/-/g, "−");
  };

  // core.fmt.signed: a matrix cell with its sign glyph; below 10^-digits in short scientific form; an exact 0 as "0"
  const signed = (v, digits) => {
    if (Number.isNaN(v)) return "NaN";
    if (v === 0) return SIGN.zero;
    const glyph = v > 0 ? SIGN.pos : SIGN.neg;
    const a = Math.abs(v);
    if (!Number.isFinite(a)) return glyph + "∞";
    if (a >= 10 ** -digits) return glyph + a.toFixed(digits);
    return glyph + typographic(a.toExponential(1));
  };

  // Python's format(v, ".{p}g"): p significant digits, scientific below 1e-4 or from 10^p on, trailing zeros dropped
  // (a decimal tie exactly halfway, e.g. 1234.5 to 4 digits, rounds up here and to even in Python: the release's
  // rerun redraws the label)
  const pyG = (v, p) => {
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    if (v === 0) return Object.is(v, -0) ? "-0" : "0";
    const strip = (str) => (str.includes(".") ? str.replace(/0+$/, "").replace(/\.$/, "") : str);
    const [mant, e] = v.toExponential(p - 1).split("e");
    const x = Number(e);
    if (x < -4 || x >= p) return strip(mant) + "e" + (x < 0 ? "-" : "+") + String(Math.abs(x)).padStart(2, "0");
    return strip(v.toFixed(p - 1 - x));
  };

  // core.fmt.num(v, digits, unicode=True): a value that rounds to zero has no sign; the typographic minus and ×10ⁿ
  // (the digits core adds to a value that is not whole but would print as one wait for the release's rerun)
  const num = (v, digits = 3) => {
    if (Number.isNaN(v)) return "NaN";
    if (!Number.isFinite(v)) return (v < 0 ? "−" : "") + "∞";
    let str = pyG(v + 0, digits);
    if (str.startsWith("-") && !str.replace(/[-0.e+]/g, "")) str = str.slice(1);
    return typographic(str);
  };

  // core.fmt.fixed(v, 2, sci=True, unicode=True): two decimals; outside [10⁻³, 10⁵), or where they would read 0.00,
  // the power of ten
  const fixedSci = (v) => {
    const a = Math.abs(v);
    if (v !== 0 && (!(a >= 1e-3 && a < 1e5) || Number(v.toFixed(2)) === 0)) return typographic(v.toExponential(2));
    return typographic(v.toFixed(2));
  };

  const hatch = (row) => row.map((v) => (v < 0 ? "/" : ""));  // figures: a negative bar is hatched

  // Each returns [traceUpdate, traceIndices] or [traceUpdate, traceIndices, layoutUpdate]: one Plotly.restyle (or
  // update, or animate) per chart per frame (`undefined` leaves an attribute of that trace alone).
  const KINDS = {
    softmax_bars(gd, spec, M, z, T) {
      const S = M.softmax(z, T);
      const digits = spec.digits ?? 3;
      const stack = spec.stack || [];
      const hasText = gd.data[spec.trace ?? 0] && gd.data[spec.trace ?? 0].text != null;
      // the hovers' values too (customdata, printed as core.fmt.nums prints them): a stale hover would be a second truth
      return [{ y: [S, ...stack.map((_, k) => [S[k]])],
                text: [hasText ? S.map((v) => num(v, digits)) : undefined, ...stack.map(() => undefined)],
                customdata: [S.map((v) => num(v, 4)), ...stack.map((_, k) => [num(S[k], 4)])] },
              [spec.trace ?? 0, ...stack]];
    },
    jacobian_heatmap(gd, spec, M, z, T) {
      const J = M.jacobian(z, T);
      const digits = spec.digits ?? 3;
      let a = spec.zmax;
      if (a == null) {
        a = 0;
        for (const row of J) for (const v of row) a = Math.max(a, Math.abs(v));
        if (!(a > 0)) a = 1;  // figures.jacobian_figs._symmetric_range
      }
      const t = gd.data[spec.trace ?? 0];
      const hasText = t && t.text != null;
      return [{ z: [J], text: [hasText ? J.map((row) => row.map((v) => signed(v, digits))) : undefined],
                customdata: [J.map((row, i) => row.map((v, j) => `∂S${sub(i)}/∂z${sub(j)} = ${num(v, 6)}`))],
                zmin: [-a], zmax: [a] }, [spec.trace ?? 0]];
    },
    grad_bars(gd, spec, M, z, T) {
      const g = M.lossGrad(z, spec.y ?? 0, spec.loss ?? "cross_entropy", T);
      const digits = spec.digits ?? 3;
      const hasText = gd.data[spec.trace ?? 0] && gd.data[spec.trace ?? 0].text != null;
      return [{ y: [g], text: [hasText ? g.map((v) => signed(v, digits)) : undefined], customdata: [g.map((v) => num(v, 4))] },
              [spec.trace ?? 0]];
    },
    // figures.dependencies_figs.dependency_figure: arrow (j, i) is trace j·n + i, its width ∝ |∂S_i/∂z_j| on the
    // figure's fixed scale (arrow_widths), the highlighted z_j's arrows carry heads (_heads); then the z labels, the S
    // bars and the readout of ∂S_i/∂z_j (spec: n, j, scale, w_min, w_max, offset of the z labels' trace)
    dependency_arrows(gd, spec, M, z, T) {
      const n = z.length;
      if (spec.n !== n) return [{}, []];  // n changed: the rerun redraws the figure
      const S = M.softmax(z, T);
      const J = M.jacobian(z, T);
      const width = (v) => spec.w_min + (spec.w_max - spec.w_min) * Math.min(Math.abs(v) / Math.max(spec.scale, 1e-300), 1);
      const lw = [];
      const heads = [];
      const traces = [];
      for (let jj = 0; jj < n; jj++) {
        for (let i = 0; i < n; i++) {
          const w = Math.round(width(J[i][jj]) * 10) / 10;
          lw.push(w);
          heads.push(jj === spec.j ? [0, 0, Math.round((7 + 1.2 * w) * 10) / 10] : undefined);
          traces.push(jj * n + i);
        }
      }
      const at = spec.labels;  // the z labels, the S bars and the readout follow the arrows and the legend keys
      const zText = z.map(fixedSci);
      const readout = Array.from({ length: n }, (_, i) => `∂S${sub(i)}/∂z${sub(spec.j)} = ${signed(J[i][spec.j], 4)}`);
      return [{ "line.width": [...lw, undefined, undefined, undefined],
                "marker.size": [...heads, undefined, undefined, undefined],
                text: [...lw.map(() => undefined), zText, S.map((v) => num(v)), spec.short ? undefined : readout],
                x: [...lw.map(() => undefined), undefined, S, undefined],
                customdata: [...lw.map(() => undefined), undefined, S.map((v) => num(v, 4)), undefined] },
              [...traces, at, at + 1, at + 2]];
    },
    // figures.chain_figs.paths_figure: bar trace i holds the paths via S_i into every z_j (P[i, :], negative parts
    // hatched), trace n the sums ∂L/∂z_j (diamonds, labelled with core.fmt.num); the y range as the figure sets it.
    // spec: n, y (0-based target), loss
    chain_paths(gd, spec, M, z, T) {
      const n = z.length;
      if (spec.n !== n) return [{}, []];
      const { P, total } = M.chainPaths(z, spec.y, spec.loss, T);
      const pos = P[0].map((v) => (v > 0 ? v : 0));
      const neg = P[0].map((v) => (v < 0 ? v : 0));
      for (let i = 1; i < n; i++) {
        for (let j = 0; j < n; j++) {
          pos[j] += P[i][j] > 0 ? P[i][j] : 0;
          neg[j] += P[i][j] < 0 ? P[i][j] : 0;
        }
      }
      const top = Math.max(...pos, ...total, 0);
      const bottom = Math.min(...neg, ...total, 0);
      const pad = 0.18 * Math.max(top - bottom, 1e-12);
      return [{ y: [...P, total], "marker.pattern.shape": [...P.map(hatch), undefined],
                text: [...P.map(() => undefined), total.map((v) => num(v))],
                customdata: [...P.map((row) => row.map((v) => num(v, 4))), total.map((v) => num(v, 6))],
                textposition: [...P.map(() => undefined), total.map((v) => (v < 0 ? "bottom center" : "top center"))] },
              [...P.map((_, i) => i), n], { "yaxis.range": [bottom - pad, top + pad] }];
    },
    // figures.softmax_figs.temperature_animation: the bars of S at T (trace 0), the curves S_k(T) over the grid with
    // T in its place (traces 1…n, core.explore.temperature_grid), the markers at T (trace n + 1). spec: n, grid
    temperature_curves(gd, spec, M, z, T) {
      const n = z.length;
      if (spec.n !== n) return [{}, []];
      const Ts = M.temperatureGrid(spec.grid, T);
      const rows = M.temperatureSweep(z, Ts);
      const S = M.softmax(z, T);
      const curves = S.map((_, k) => rows.map((r) => r[k]));
      const pairs = (ys, digits) => ys.map((v, m) => [num(Ts[m]), num(v, digits)]);  // figures.spec.hover's rows
      return [{ x: [undefined, ...curves.map(() => Ts), S.map(() => T)], y: [S, ...curves, S],
                customdata: [S.map((v) => num(v, 4)), ...curves.map((c) => pairs(c, 3)), undefined] },
              [0, ...curves.map((_, k) => k + 1), n + 1]];
    },
    // figures.lse_figs.limits_figure over core.lse.soft_max_sweep: the upper bound max z + T log n (trace 0), the
    // soft max T·LSE(z/T) (trace 1), the line at max z (trace 2; its legend entry "max z = …" waits for the release: a
    // legend is redrawn only by a full replot), the soft argmax S_j(T) (traces 3…n + 2); the temperatures as the page
    // passed them. spec: n, Ts. (T, the slider, is not in this figure.)
    soft_max_sweep(gd, spec, M, z) {
      const n = z.length;
      if (spec.n !== n) return [{}, []];
      const sw = M.softMaxSweep(z, spec.Ts);
      const curves = Array.from({ length: n }, (_, j) => sw.S.map((r) => r[j]));
      const pairs = (ys, digits) => ys.map((v, m) => [num(spec.Ts[m]), num(v, digits)]);  // figures.spec.hover's rows
      return [{ y: [sw.upper, sw.smax, [sw.lower, sw.lower], ...curves],
                customdata: [pairs(sw.upper, 6), pairs(sw.smax, 6), undefined, ...curves.map((c) => pairs(c, 4))] },
              [0, 1, 2, ...curves.map((_, j) => j + 3)]];
    },
  };

  // Bars, points and lines take plotly's transition path (Plotly.animate, no redraw, duration 0: nothing moves but the
  // bars, markers, lines and their labels, and the axis range; reduced motion needs nothing more). A restyle replots the
  // whole figure (legend, patterns, every trace): several times dearer, and on the chain-rule, temperature and soft max
  // figures the reason a drag fell far below 30 redraws a second. A transition draws neither a pattern nor a text
  // position nor a legend entry: when one of those changes (a bar changes sign), that frame is a full update instead.
  const ANIMATE = new Set(["softmax_bars", "grad_bars", "chain_paths", "temperature_curves", "soft_max_sweep"]);
  const NO_MOTION = { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" };
  const STRUCTURAL = ["marker.pattern.shape", "textposition", "name"];

  const perTrace = (update, traces) => traces.map((_, i) => {
    const one = {};
    for (const [attr, values] of Object.entries(update)) {
      if (values[i] !== undefined && !STRUCTURAL.includes(attr)) one[attr] = values[i];
    }
    return one;
  });

  const at = (obj, path) => path.split(".").reduce((o, k) => (o == null ? o : o[k]), obj);
  const same = (a, b) => JSON.stringify(a == null || typeof a !== "object" ? a : Array.from(a))
    === JSON.stringify(b == null || typeof b !== "object" ? b : Array.from(b));
  const structural = (gd, update, traces) => STRUCTURAL.some((attr) => update[attr]
    && traces.some((t, i) => update[attr][i] !== undefined && !same(update[attr][i], at(gd.data[t], attr))));
  const nested = (flat) => {  // {"yaxis.range": r} -> {yaxis: {range: r}}: a frame's layout is merged, not replaced
    const out = {};
    for (const [path, v] of Object.entries(flat || {})) {
      const keys = path.split(".");
      let o = out;
      for (const k of keys.slice(0, -1)) o = o[k] = o[k] || {};
      o[keys[keys.length - 1]] = v;
    }
    return out;
  };

  // One chart to the values z, T (a Promise, or undefined when the chart is not live or plotly is not there).
  const restyle = (gd, z, T) => {
    const spec = gd.layout && gd.layout.meta && gd.layout.meta.live;
    const Plotly = root.Plotly;
    if (!spec || !KINDS[spec.kind] || !Plotly || !root.SoftmaxLive) return undefined;
    const [update, traces, layout] = KINDS[spec.kind](gd, spec, root.SoftmaxLive, z, T);
    if (!traces.length) return undefined;
    if (ANIMATE.has(spec.kind) && !structural(gd, update, traces)) {
      // an axis range in a transition costs about as much as the data (plotly redraws the axis): during a drag the
      // range only widens, when the data would leave it; the release's rerun sets the figure's own range
      const widen = Object.entries(layout || {}).some(([path, r]) => {
        const now = at(gd.layout, path);
        return !now || r[0] < now[0] || r[1] > now[1];
      });
      const frame = { data: perTrace(update, traces), traces };
      return Plotly.animate(gd, widen ? { ...frame, layout: nested(layout) } : frame, NO_MOTION);
    }
    return layout ? Plotly.update(gd, update, layout, traces) : Plotly.restyle(gd, update, traces);
  };

  root.SoftmaxLiveCharts = { KINDS, ANIMATE, NO_MOTION, perTrace, restyle, signed, num, pyG };
})(typeof window !== "undefined" ? window : globalThis);
