// What each kind of live chart is restyled with while a student drags z or T (issue #24), shared by the page script
// (live_page.js, which follows the Streamlit sliders) and the live-controls component (live.js). A chart opts in
// through its layout, layout.meta.live = {kind, ...} (pages/_ui/live.py: live_meta); window.SoftmaxLive
// (live_math.js, the mirror of core/) computes, nothing here does maths of its own. What a kind does not update
// (titles, LaTeX, sentences) waits for the rerun on release, which redraws every chart from core/.
(function (root) {
  "use strict";

  const SUB = "₀₁₂₃₄₅₆₇₈₉";
  const sub = (k) => String(k + 1).replace(/\d/g, (d) => SUB[+d]);
  // core/fmt.py's num, signed and fixed(v, 2, sci=True), which live_math.js prints character for character
  const { num, signed, fixedSci, pyG } = root.SoftmaxLive.fmt;

  // plotly's private fields, read here only (plotly.js 4 has no public API for them): a trace as drawn (the colour
  // range autorange gave a heatmap) and the layout as drawn (the axis ranges autorange computed)
  const drawnTrace = (gd, t) => (gd._fullData && gd._fullData[t]) || null;
  const drawnLayout = (gd) => gd._fullLayout || gd.layout;

  const hatch = (row) => row.map((v) => (v < 0 ? "/" : ""));  // figures: a negative bar is hatched
  // figures.spec.hover's rows of a curve over a temperature grid: [T, value] printed, one per temperature
  const pairs = (Ts, ys, digits) => ys.map((v, m) => [num(Ts[m]), num(v, digits)]);

  // Each returns [traceUpdate, traceIndices] or [traceUpdate, traceIndices, layoutUpdate]: what changes, per trace
  // (`undefined` leaves an attribute of that trace alone), drawn by live_paint.js or by one plotly call.
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
        // during a drag the colour range only widens, with room to spare (a new range redraws the colour bar, which
        // only plotly can): to 2·max|J|, at most 1/(4T), the largest |J| can be; the release draws ±max|J|
        const t0 = drawnTrace(gd, spec.trace ?? 0);
        const drawn = t0 && t0.zmax;
        const fits = drawn >= a * (1 - 1e-9) && t0.zmin <= -a * (1 - 1e-9);  // (a rounding error past it is no growth)
        a = fits ? drawn : Math.max(a, Math.min(2 * a, 1 / (4 * T)));
      }
      const t = gd.data[spec.trace ?? 0];
      const hasText = t && t.text != null;
      // figures.jacobian_figs.cell_text: with wrap (what jacobian_heatmap draws), a power of ten under its mantissa
      // (the break spelled \u003cbr>: the page's sanitizer empties a script whose text holds "<" before a letter)
      const cell = (spec.wrap ?? true) ? (v) => signed(v, digits).replace("×", "\u003cbr>×") : (v) => signed(v, digits);
      return [{ z: [J], text: [hasText ? J.map((row) => row.map(cell)) : undefined],
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
    // hatched), trace n the sums ∂L/∂z_j (diamonds, labelled with core.fmt.num); a y range that holds the bars with a
    // margin of a tenth of their span (the figure's 18 %, less: a drag that starts on the figure's own range redraws
    // it only once the bars have moved 8 % of their span past it). spec: n, y (0-based target), loss
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
      const pad = 0.1 * Math.max(top - bottom, 1e-12);
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
      return [{ x: [undefined, ...curves.map(() => Ts), S.map(() => T)], y: [S, ...curves, S],
                customdata: [S.map((v) => num(v, 4)), ...curves.map((c) => pairs(Ts, c, 3)), undefined] },
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
      const { Ts } = spec;
      return [{ y: [sw.upper, sw.smax, [sw.lower, sw.lower], ...curves],
                customdata: [pairs(Ts, sw.upper, 6), pairs(Ts, sw.smax, 6), undefined, ...curves.map((c) => pairs(Ts, c, 4))] },
              [0, 1, 2, ...curves.map((_, j) => j + 3)]];
    },
  };

  // obj's value at a dotted path ("marker.pattern.shape"), or undefined (shared with live_paint.js)
  const at = (obj, path) => path.split(".").reduce((o, k) => (o == null ? o : o[k]), obj);

  // The ranges {path: [lo, hi]} a kind asks for, as the ranges to set: none where the drawn range holds them, else the
  // drawn range grown past them by half their span (null: nothing grows)
  const grown = (gd, layout) => {
    let out = null;
    for (const [path, r] of Object.entries(layout || {})) {
      const now = at(drawnLayout(gd), path) || at(gd.layout, path);
      if (now && r[0] >= now[0] && r[1] <= now[1]) continue;
      const room = 0.5 * (r[1] - r[0]);
      (out = out || {})[path] = now ? [Math.min(now[0], r[0] - room), Math.max(now[1], r[1] + room)] : r;
    }
    return out;
  };

  // One chart to the values z, T: a Promise when plotly draws it; undefined when it was drawn straight into the chart,
  // or the chart is not live, or plotly is not there.
  const restyle = (gd, z, T) => {
    const spec = gd.layout && gd.layout.meta && gd.layout.meta.live;
    const Plotly = root.Plotly;
    if (!spec || !KINDS[spec.kind] || !Plotly || !root.SoftmaxLive) return undefined;
    const [update, traces, layout] = KINDS[spec.kind](gd, spec, root.SoftmaxLive, z, T);
    if (!traces.length) return undefined;
    // an axis range only widens during a drag, when the data would leave it, and then with half its span to spare,
    // so that a drag outwards redraws the axis (plotly's work) once or twice, not on every frame; the release's rerun
    // sets the figure's own range
    const wide = grown(gd, layout);
    const Paint = root.SoftmaxLivePaint;
    // drawn straight into the chart when it can be (live_paint.js): a plotly call re-runs the whole figure; a range
    // that grows is plotly's to draw (the axis, its ticks and grid)
    if (Paint && !wide && Paint.paint(gd, update, traces)) return undefined;
    if (Paint && wide) Paint.decline("an axis range widens");
    // plotly draws what live_paint.js declines: the whole figure again (its defaults, calculation, axes, margins)
    return wide ? Plotly.update(gd, update, wide, traces) : Plotly.restyle(gd, update, traces);
  };

  root.SoftmaxLiveCharts = { KINDS, restyle, signed, num, pyG, at, drawnTrace };
})(typeof window !== "undefined" ? window : globalThis);
