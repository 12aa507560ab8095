// The browser's mirror of core/ for live figures (issue #24): softmax, its log, log-sum-exp, the Jacobian, the VJP and
// the CE and MSE gradients, all at temperature T, in float64, for one row z (an array of n numbers). Pure functions,
// no DOM, no imports: it loads in a blank page and attaches itself as window.SoftmaxLive.
//
// core/ is the truth. tests/browser/test_live_math_parity.py holds every entry here to core/ (or, where core/ does
// not yet compute an entry saturation-safely, to the safe form written out in numpy in that test) at 1e-12 relative.
//
// Saturation-safe forms: a quantity that is 1 − S_i, or a difference that cancels to it, is never computed as a
// difference with 1. With S_i ≈ 1 the float S_i rounds to 1 and 1 − S_i to 0, while the true value is the sum of the
// other outputs, Σ_{k≠i} S_k, which float64 holds to full relative precision down to the smallest normal number.
//   - J_ii = S_i (1 − S_i)/T           is computed as  S_i Σ_{k≠i} S_k / T        (never S_i − S_i²);
//   - ∂CE/∂z_y = (S_y − 1)/T           is computed as  −Σ_{k≠y} S_k / T;
//   - log S_max = −log(1 + Σ_{k≠max} e^{x_k − m})  via  log1p (never log of a sum that rounded to 1);
//   - the VJP S_j (g_j − g·S)/T is computed as S_j Σ_{i≠j} S_i (g_j − g_i)/T: g_j − g·S = g_j (1 − S_j) − Σ_{i≠j} g_i S_i
//     cancels 1 − 1 when S_j ≈ 1 (ten digits lost at a gap of 23 in z/T);
//   - MSE's gradient in a form where 1 − S_j is always Σ_{k≠j} S_k and two tied outputs' terms are never subtracted
//     (see mseGrad).
// Indices are 0-based, as in core/; the screen shows them 1-based.
(function (root) {
  "use strict";

  const checkT = (T) => {
    const t = T === undefined ? 1 : Number(T);
    if (!(t > 0) || !Number.isFinite(t)) throw new RangeError("temperature must be a finite number > 0, got " + T);
    return t;
  };

  // x = z / T, shifted by its max m (the first index holding it): every exponent is <= 0, so exp cannot overflow,
  // and e[k] = 1 exactly, so the sum cannot underflow. rest = Σ_{i≠k} e_i (what log1p takes).
  const shifted = (z, T) => {
    const t = checkT(T);
    const x = Array.from(z, (v) => Number(v) / t);
    if (x.length === 0 || !x.every(Number.isFinite)) throw new RangeError("z / T must be finite numbers, at least one");
    let k = 0;
    for (let i = 1; i < x.length; i++) if (x[i] > x[k]) k = i;
    const m = x[k];
    const e = x.map((v) => Math.exp(v - m));
    let rest = 0;
    for (let i = 0; i < e.length; i++) if (i !== k) rest += e[i];
    return { t, x, k, m, e, rest };
  };

  const sum = (a) => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i];
    return s;
  };

  // Σ_{k≠i} S_k for every i: 1 − S_i to full relative precision (see the header).
  const others = (S) => S.map((_, i) => {
    let s = 0;
    for (let k = 0; k < S.length; k++) if (k !== i) s += S[k];
    return s;
  });

  // S_i = e^{z_i/T} / Σ_k e^{z_k/T}   (n,) -> (n,)
  function softmax(z, T) {
    const { e } = shifted(z, T);
    const s = sum(e);
    return e.map((v) => v / s);
  }

  // log S_i = (x_i − m) − log(1 + Σ_{k≠max} e^{x_k − m})   (n,) -> (n,)
  function logSoftmax(z, T) {
    const { x, m, rest } = shifted(z, T);
    const l = Math.log1p(rest);
    return x.map((v) => (v - m) - l);
  }

  // LSE_T(z) = log Σ_k e^{z_k/T} = m + log1p(Σ_{k≠max} e^{x_k − m})   (n,) -> number
  function logSumExp(z, T) {
    const { m, rest } = shifted(z, T);
    return m + Math.log1p(rest);
  }

  // J_ij = ∂S_i/∂z_j = S_i(δ_ij − S_j)/T: diagonal S_i Σ_{k≠i} S_k / T, off-diagonal −S_i S_j / T   (n,) -> (n, n)
  function jacobian(z, T) {
    const t = checkT(T);
    const S = softmax(z, t);
    const r = others(S);
    return S.map((Si, i) => S.map((Sj, j) => (i === j ? Si * r[i] : -Si * Sj) / t));
  }

  // ∂L/∂z_j = Σ_i g_i J_ij = S_j (g_j − g·S)/T, computed as S_j Σ_{i≠j} S_i (g_j − g_i) / T (the 1 − S_j inside
  // g_j − g·S written as Σ_{i≠j} S_i). diff(j, i) gives g_j − g_i; by default from g   (n,), (n,) -> (n,)
  const pathSum = (S, diff, t) => S.map((Sj, j) => {
    let s = 0;
    for (let i = 0; i < S.length; i++) if (i !== j) s += S[i] * diff(j, i);
    return (Sj * s) / t;
  });

  function vjp(z, g, T) {
    const t = checkT(T);
    const S = softmax(z, t);
    if (g.length !== S.length) throw new RangeError("g has " + g.length + " entries but z has " + S.length);
    return pathSum(S, (j, i) => g[j] - g[i], t);
  }

  const label = (y, n) => {
    const k = Number(y);
    if (!Number.isInteger(k) || k < 0 || k >= n) throw new RangeError("class label must lie in 0.." + (n - 1) + ", got " + y);
    return k;
  };

  // ∂CE/∂z = (S − onehot(y)) / T; the target entry as −Σ_{k≠y} S_k / T   (n,), y -> (n,)
  function ceGrad(z, y, T) {
    const t = checkT(T);
    const S = softmax(z, t);
    const k = label(y, S.length);
    const r = others(S)[k];
    return S.map((Sj, j) => (j === k ? -r : Sj) / t);
  }

  // MSE L = Σ_i (S_i − y_i)², g = 2(S − y): ∂L/∂z = S ⊙ (g − g·S)/T (core.losses.mse_grad for one row, at T as
  // core.chain.chain_paths has it). With r_y = Σ_{k≠y} S_k for 1 − S_y (and 1 = Σ_k S_k), the bracket
  // (S − y)_j − S·(S − y) is
  //   target j = y:  −(r_y² + Σ_{i≠y} S_i²);
  //   other j:       2 S_j S_y + Σ_{i∉{y,j}} S_i (S_j + S_y − S_i),
  // so no term cancels 1 − 1 when an output saturates, nor ½ − ½ at a tie (as g_j − g·S or the path sum would):
  // S_j + S_y − S_i starts with the smaller of the differences S_j − S_i and S_y − S_i, which is exactly 0 when
  // S_i ties S_j or S_y   (n,), y -> (n,)
  function mseGrad(z, y, T) {
    const t = checkT(T);
    const S = softmax(z, t);
    const k = label(y, S.length);
    const r = others(S);
    return S.map((Sj, j) => {
      let b;
      if (j === k) {
        b = 0;
        for (let i = 0; i < S.length; i++) if (i !== k) b += S[i] * S[i];
        b = -(r[k] * r[k] + b);
      } else {
        b = 2 * Sj * S[k];
        for (let i = 0; i < S.length; i++) {
          if (i === k || i === j) continue;
          const dj = Sj - S[i], dy = S[k] - S[i];
          b += S[i] * (Math.abs(dj) <= Math.abs(dy) ? dj + S[k] : dy + Sj);
        }
      }
      return (2 * Sj * b) / t;
    });
  }

  // The loss's gradient by its key in core.losses.LOSSES
  function lossGrad(z, y, loss, T) {
    if (loss === "cross_entropy") return ceGrad(z, y, T);
    if (loss === "mse") return mseGrad(z, y, T);
    throw new RangeError("loss must be 'cross_entropy' or 'mse', got " + loss);
  }

  const api = Object.freeze({ softmax, logSoftmax, logSumExp, jacobian, vjp, ceGrad, mseGrad, lossGrad });
  root.SoftmaxLive = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
