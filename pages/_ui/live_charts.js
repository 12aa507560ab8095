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

  // core.fmt.signed: a matrix cell with its sign glyph; below 10^-digits in short scientific form; an exact 0 as "0"
  const signed = (v, digits) => {
    if (Number.isNaN(v)) return "NaN";
    if (v === 0) return SIGN.zero;
    const glyph = v > 0 ? SIGN.pos : SIGN.neg;
    const a = Math.abs(v);
    if (!Number.isFinite(a)) return glyph + "∞";
    if (a >= 10 ** -digits) return glyph + a.toFixed(digits);
    const [mant, exp] = a.toExponential(1).split("e");
    return glyph + mant + "e" + String(Number(exp)).replace("-", SIGN.neg);
  };

  // Each returns [traceUpdate, traceIndices]: one Plotly.restyle (or animate) per chart per frame (`undefined` leaves
  // an attribute of that trace alone).
  const KINDS = {
    softmax_bars(gd, spec, M, z, T) {
      const S = M.softmax(z, T);
      const digits = spec.digits ?? 3;
      const stack = spec.stack || [];
      const hasText = gd.data[spec.trace ?? 0] && gd.data[spec.trace ?? 0].text != null;
      return [{ y: [S, ...stack.map((_, k) => [S[k]])],
                text: [hasText ? S.map((v) => v.toFixed(digits)) : undefined, ...stack.map(() => undefined)] },
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
                zmin: [-a], zmax: [a] }, [spec.trace ?? 0]];
    },
    grad_bars(gd, spec, M, z, T) {
      const g = M.lossGrad(z, spec.y ?? 0, spec.loss ?? "cross_entropy", T);
      const digits = spec.digits ?? 3;
      const hasText = gd.data[spec.trace ?? 0] && gd.data[spec.trace ?? 0].text != null;
      return [{ y: [g], text: [hasText ? g.map((v) => signed(v, digits)) : undefined] }, [spec.trace ?? 0]];
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
      const zText = z.map((v) => (Math.abs(v) < 1e4 ? v.toFixed(2) : v.toExponential(1)).replace("-", "−"));
      const readout = Array.from({ length: n }, (_, i) => `∂S${sub(i)}/∂z${sub(spec.j)} = ${signed(J[i][spec.j], 4)}`);
      return [{ "line.width": [...lw, undefined, undefined, undefined],
                "marker.size": [...heads, undefined, undefined, undefined],
                text: [...lw.map(() => undefined), zText, S.map((v) => v.toFixed(3)), spec.short ? undefined : readout],
                x: [...lw.map(() => undefined), undefined, S, undefined] },
              [...traces, at, at + 1, at + 2]];
    },
  };

  // Bars take plotly's transition path (Plotly.animate, no redraw, duration 0: nothing moves but the bars and their
  // labels, so reduced motion needs nothing more), several times cheaper than a restyle, which replots the figure.
  const ANIMATE = new Set(["softmax_bars", "grad_bars"]);
  const NO_MOTION = { transition: { duration: 0 }, frame: { duration: 0, redraw: false }, mode: "immediate" };

  const perTrace = (update, traces) => traces.map((_, i) => {
    const one = {};
    for (const [attr, values] of Object.entries(update)) if (values[i] !== undefined) one[attr] = values[i];
    return one;
  });

  // One chart to the values z, T (a Promise, or undefined when the chart is not live or plotly is not there).
  const restyle = (gd, z, T) => {
    const spec = gd.layout && gd.layout.meta && gd.layout.meta.live;
    const Plotly = root.Plotly;
    if (!spec || !KINDS[spec.kind] || !Plotly || !root.SoftmaxLive) return undefined;
    const [update, traces] = KINDS[spec.kind](gd, spec, root.SoftmaxLive, z, T);
    if (!traces.length) return undefined;
    if (ANIMATE.has(spec.kind)) return Plotly.animate(gd, { data: perTrace(update, traces), traces }, NO_MOTION);
    return Plotly.restyle(gd, update, traces);
  };

  root.SoftmaxLiveCharts = { KINDS, ANIMATE, NO_MOTION, perTrace, restyle, signed };
})(typeof window !== "undefined" ? window : globalThis);
