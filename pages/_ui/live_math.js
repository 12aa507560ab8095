// The browser's mirror of core/ for live figures (issue #24): softmax, its log, log-sum-exp, the Jacobian, the VJP and
// the CE and MSE gradients, all at temperature T, in float64, for one row z (an array of n numbers). Pure functions,
// no DOM, no imports: it loads in a blank page and attaches itself as window.SoftmaxLive.
//
// core/ is the truth, and each function here computes as core/ does: the same order of operations (softmax and
// log-softmax shift by max z *before* dividing by T, log-sum-exp divides first, as core.logsumexp), the same safe
// forms below, and numpy's order of summation (sum). tests/browser/test_live_math_parity.py holds every entry to
// core/ (MSE's gradient, which core/ computes through g_y = 2(S_y − 1), to the safe form written out in that test) at
// 1e-12 relative, and core/ itself to high-precision arithmetic from the same float64 inputs.
//
// Saturation-safe forms: a quantity that is 1 − S_i, or a difference that cancels to it, is never computed as a
// difference with 1. With S_i ≈ 1 the float S_i rounds to 1 and 1 − S_i to 0, while the true value is the sum of the
// other outputs, Σ_{k≠i} S_k, which float64 holds to full relative precision down to the smallest normal number.
//   - J_ii = S_i (1 − S_i)/T           is computed as  S_i Σ_{k≠i} S_k / T        (never S_i − S_i²);
//   - ∂CE/∂z_y = (S_y − 1)/T           is computed as  −Σ_{k≠y} S_k / T;
//   - log S_max = −log(1 + Σ_{k≠max} e^{x_k})  via  log1p (never log of a sum that rounded to 1);
//   - the VJP S_j (g_j − g·S)/T is computed as S_j Σ_{i≠j} S_i (g_j − g_i)/T: g_j − g·S = g_j (1 − S_j) − Σ_{i≠j} g_i S_i
//     cancels 1 − 1 when S_j ≈ 1 (ten digits lost at a gap of 23 in z/T);
//   - MSE's gradient in a form where 1 − S_j is always Σ_{k≠j} S_k and two tied outputs' terms are never subtracted
//     (see mseGrad).
// Indices are 0-based, as in core/; the screen shows them 1-based. SoftmaxLive.fmt prints numbers as core/fmt.py does.
(function (root) {
  "use strict";

  const checkT = (T) => {
    const t = T === undefined ? 1 : Number(T);
    if (!(t > 0) || !Number.isFinite(t)) throw new RangeError("temperature must be a finite number > 0, got " + T);
    return t;
  };

  // numpy's np.sum of a float64 row, in numpy's order (its pairwise_sum: below 8 entries one after another; up to 128
  // eight running sums combined as ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7)), then the tail; longer rows
  // halved), so a sum here is the very float core/ gets, not one a few units in the last place away.
  const sum = (a) => {
    const n = a.length;
    if (n < 8) {
      let s = 0;
      for (let i = 0; i < n; i++) s += a[i];
      return s;
    }
    if (n > 128) {  // numpy halves a longer row at a multiple of 8
      const h = (n >> 1) - ((n >> 1) % 8);
      return sum(a.slice(0, h)) + sum(a.slice(h));
    }
    const r = [a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7]];
    let i = 8;
    for (; i < n - (n % 8); i += 8) for (let j = 0; j < 8; j++) r[j] += a[i + j];
    let s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; i++) s += a[i];
    return s;
  };

  // z as finite numbers, and z / T finite (core.softmax._scaled: the same RangeError where core raises ValueError)
  const logits = (z, t) => {
    const v = Array.from(z, Number);
    if (v.length === 0 || !v.every(Number.isFinite)) throw new RangeError("z must be finite numbers, at least one");
    if (!v.every((x) => Number.isFinite(x / t))) throw new RangeError("z / T overflows float64");
    return v;
  };

  // Σ_{i≠k} e_i, k the first position of the maximum of x: core.softmax._rest (the r in Σ e = 1 + r), summed as numpy
  // sums the row with a 0 in place of e_k
  const rest = (e, x) => {
    let k = 0;
    for (let i = 1; i < x.length; i++) if (x[i] > x[k]) k = i;
    return sum(e.map((v, i) => (i === k ? 0 : v)));
  };

  // core.softmax._shifted: (z − max z) / T, the shift *before* the division (z_k − max z is exact for nearby logits,
  // so the exponent carries one rounding, not that of a huge z/T). Every exponent is <= 0, so exp cannot overflow,
  // and the largest is exactly 0, so the sum of e^x cannot underflow.
  const shifted = (z, T) => {
    const t = checkT(T);
    const v = logits(z, t);
    let m = v[0];
    for (let i = 1; i < v.length; i++) if (v[i] > m) m = v[i];
    const x = v.map((u) => (u - m) / t);  // 1e308 − (−1e308) = −Infinity: e^x = 0, as in core
    return { t, x, e: x.map(Math.exp) };
  };

  // Σ_{k≠i} S_k for every i: 1 − S_i to full relative precision (see the header). core.softmax.others sums by a
  // matrix product (BLAS's order, which numpy does not fix): positive terms, so any order is within n units in the
  // last place.
  const others = (S) => S.map((_, i) => {
    let s = 0;
    for (let k = 0; k < S.length; k++) if (k !== i) s += S[k];
    return s;
  });

  // S_i = e^{z_i/T} / Σ_k e^{z_k/T} = e^{x_i} / Σ_k e^{x_k}, x = (z − max z)/T   (n,) -> (n,)   (core.softmax)
  function softmax(z, T) {
    const { e } = shifted(z, T);
    const s = sum(e);
    return e.map((v) => v / s);
  }

  // log S_i = x_i − log1p(Σ_{k≠max} e^{x_k}), x = (z − max z)/T   (n,) -> (n,)   (core.log_softmax)
  function logSoftmax(z, T) {
    const { x, e } = shifted(z, T);
    const l = Math.log1p(rest(e, x));
    return x.map((v) => v - l);
  }

  // LSE_T(z) = log Σ_k e^{z_k/T} = m + log1p(Σ_{k≠max} e^{x_k − m}), x = z/T, m = max x   (n,) -> number.
  // core.logsumexp divides first (its value is on the scale of z/T, where that rounding is the last digit's)
  function logSumExp(z, T) {
    const t = checkT(T);
    const x = logits(z, t).map((v) => v / t);
    let m = x[0];
    for (let i = 1; i < x.length; i++) if (x[i] > m) m = x[i];
    return m + Math.log1p(rest(x.map((v) => Math.exp(v - m)), x));
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

  // core.chain.chain_paths: every path L → S_i → z_j, P_ij = g_i ∂S_i/∂z_j, and the column sums total_j = Σ_i P_ij (the
  // path sum, added row after row as numpy adds along axis 0). CE takes each path in its cancelled form
  // −y_i (δ_ij − S_j)/T (δ_yy − S_y as Σ_{k≠y} S_k); MSE multiplies g_i = 2(S_i − y_i) by J_ij (g_y = −2 Σ_{k≠y} S_k)
  // (n,), y, loss -> {P: (n, n), total: (n,)}
  function chainPaths(z, y, loss, T) {
    const t = checkT(T);
    const S = softmax(z, t);
    const n = S.length;
    const k = label(y, n);
    const r = others(S);
    let P;
    if (loss === "cross_entropy") {
      P = S.map((_, i) => S.map((Sj, j) => (-(i === k ? 1 : 0) * (i === j ? r[j] : -Sj)) / t));
    } else if (loss === "mse") {
      const J = jacobian(z, t);  // as core.chain.chain_paths: core.jacobian(z, T)
      // g = 2(S − y) with the target's entry as −2 Σ_{k≠y} S_k, as core.chain.chain_paths (S_y − 1 rounds to 0)
      P = S.map((Si, i) => J[i].map((v) => 2 * (i === k ? -r[i] : Si) * v));
    } else {
      throw new RangeError("loss must be 'cross_entropy' or 'mse', got " + loss);
    }
    const total = P[0].slice();
    for (let i = 1; i < n; i++) for (let j = 0; j < n; j++) total[j] += P[i][j];
    return { P, total };
  }

  // core.explore.temperature_grid(including=T): the grid (ascending) with T in its place, unless the grid holds it
  // already (within 1e-9 in log T)
  function temperatureGrid(grid, T) {
    const t = checkT(T);
    const g = Array.from(grid, Number);
    let near = Infinity;
    for (const v of g) near = Math.min(near, Math.abs(Math.log(v) - Math.log(t)));
    if (near < 1e-9) return g;
    return [...g, t].sort((a, b) => a - b);
  }

  // core.explore.temperature_sweep: S(z / T) for every T of Ts   (n,), (m,) -> (m, n)
  function temperatureSweep(z, Ts) {
    return Array.from(Ts, (t) => softmax(z, t));
  }

  // core.lse.soft_max_sweep: at each T of Ts, with x = z / T (one division, as core forms X = z / T): the soft max
  // T·LSE(x), the soft argmax softmax(x), and the bounds max z and max z + T log n
  // (n,), (m,) -> {smax: (m,), S: (m, n), lower, upper: (m,)}
  function softMaxSweep(z, Ts) {
    const v = Array.from(z, Number);
    let top = v[0];
    for (let i = 1; i < v.length; i++) if (v[i] > top) top = v[i];
    const logn = Math.log(v.length);
    const X = Array.from(Ts, (t) => v.map((u) => u / checkT(t)));
    return { smax: X.map((x, m) => Ts[m] * logSumExp(x, 1)), S: X.map((x) => softmax(x, 1)), lower: top,
             upper: Array.from(Ts, (t) => top + t * logn) };
  }

  // ---- numbers as text: core/fmt.py's num, signed and fixed(v, 2, sci=True), character for character ----------------
  // Python formats a float from its exact binary value, a tie halfway between two decimals rounding to the even one
  // (f"{0.125:.2f}" is "0.12", f"{2.5:.0f}" is "2"); JavaScript's toFixed and toExponential round the same exact value
  // but a tie away from zero ("0.13", "3"), and toFixed gives up from 1e21 on. So the digits here come from the exact
  // value, m·2^k = m·5^(−k)·10^k as a BigInt, rounded half to even: the text core.fmt prints, not a neighbour of it.
  const bits = new DataView(new ArrayBuffer(8));
  const POW5 = [1n];
  const pow5 = (k) => {
    while (POW5.length <= k) POW5.push(POW5[POW5.length - 1] * 5n);
    return POW5[k];
  };
  // a finite v ≠ 0 as its exact decimal digits D (no leading zeros) and e10: |v| = D × 10^e10
  const exactDecimal = (v) => {
    bits.setFloat64(0, Math.abs(v));
    const hi = bits.getUint32(0), lo = bits.getUint32(4);
    const E = hi >>> 20;
    let m = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
    let k = E === 0 ? -1074 : E - 1075;
    if (E !== 0) m |= 1n << 52n;
    while ((m & 1n) === 0n) { m >>= 1n; k += 1; }  // m odd: the fewest digits
    return k >= 0 ? { D: (m << BigInt(k)).toString(), e10: 0 } : { D: (m * pow5(-k)).toString(), e10: k };
  };
  // the first `keep` digits of D rounded half to even on the rest (keep <= 0: rounded at or above D's first digit),
  // as a BigInt
  const roundDigits = (D, keep) => {
    if (keep >= D.length) return BigInt(D) * 10n ** BigInt(keep - D.length);
    if (keep < 0) return 0n;
    const head = keep === 0 ? 0n : BigInt(D.slice(0, keep));
    const rest = D.slice(keep);
    const up = rest[0] > "5" || (rest[0] === "5" && (/[1-9]/.test(rest.slice(1)) || (head & 1n) === 1n));
    return up ? head + 1n : head;
  };
  // Python's f"{v:.{p}e}" and f"{v:.{d}f}" for a finite v, from its exact value (a negative value that rounds to 0
  // keeps its sign: "-0.00", as Python's does)
  const exactE = (a, p) => {
    const { D, e10 } = exactDecimal(a);
    let x = D.length - 1 + e10;
    let mant = roundDigits(D, p + 1).toString();
    if (mant.length > p + 1) { mant = mant.slice(0, p + 1); x += 1; }  // 9.99 → 10.0: one more decade
    return mant[0] + (p > 0 ? "." + mant.slice(1) : "") + "e" + (x < 0 ? "-" : "+") + String(Math.abs(x)).padStart(2, "0");
  };
  const exactF = (a, d) => {
    const { D, e10 } = exactDecimal(a);
    const s = roundDigits(D, D.length + e10 + d).toString().padStart(d + 1, "0");  // every digit worth ≥ 10^−d
    return d > 0 ? s.slice(0, s.length - d) + "." + s.slice(s.length - d) : s;
  };
  // The usual case is JavaScript's own: its rounding differs from Python's only at an exact tie, whose exact digits
  // end in 5 right after the last one kept. Four more digits that do not read 5000 rule one out; those that do (one
  // value in ten thousand, and every true tie) take the exact path.
  const pyE = (v, p) => {
    const sign = v < 0 || Object.is(v, -0) ? "-" : "";
    const a = Math.abs(v);
    if (a === 0) return sign + "0" + (p > 0 ? "." + "0".repeat(p) : "") + "e+00";
    if (a.toExponential(p + 4).split("e")[0].endsWith("5000")) return sign + exactE(a, p);
    const [mant, x] = a.toExponential(p).split("e");
    return sign + mant + "e" + x[0] + x.slice(1).padStart(2, "0");
  };
  const pyF = (v, d) => {
    const sign = v < 0 || Object.is(v, -0) ? "-" : "";
    const a = Math.abs(v);
    if (a === 0) return sign + (d > 0 ? "0." + "0".repeat(d) : "0");
    return sign + (a >= 1e21 || a.toFixed(d + 4).endsWith("5000") ? exactF(a, d) : a.toFixed(d));
  };
  // Python's f"{v:.{p}g}": p significant digits, 'e' below 1e-4 and from 10^p on, trailing zeros dropped
  const pyG = (v, p) => {
    if (Number.isNaN(v)) return "nan";
    if (!Number.isFinite(v)) return v > 0 ? "inf" : "-inf";
    const q = Math.max(p, 1);
    if (v === 0) return Object.is(v, -0) ? "-0" : "0";
    const e = pyE(v, q - 1);
    const x = Number(e.slice(e.indexOf("e") + 1));
    const strip = (s) => (s.includes(".") ? s.replace(/0+$/, "").replace(/\.$/, "") : s);
    if (x >= -4 && x < q) return strip(pyF(v, q - 1 - x));
    const [mant, exp] = e.split("e");
    return strip(mant) + "e" + exp;
  };

  const MINUS = "−";  // core.fmt.MINUS
  const SUP = "⁰¹²³⁴⁵⁶⁷⁸⁹";
  // core.fmt._typographic: "-4.25e-18" as "−4.25×10⁻¹⁸" (the form of plotly's axes), the typographic minus
  const typographic = (s) => {
    if (s.includes("e")) {
      const [mant, exp] = s.split("e");
      s = mant + "×10" + String(Number(exp)).replace("-", "⁻").replace(/\d/g, (d) => SUP[+d]);
    }
    return s.replace(/-/g, MINUS);
  };
  // core.fmt._unsigned_zero: "-0", "-0.00", "-0e+00" without the sign
  const unsignedZero = (s) => (s.startsWith("-") && !s.replace(/[-0.e+]/g, "") ? s.slice(1) : s);
  // core.fmt._whole_text: digits and a sign only, or a whole mantissa times a power of ten that is not negative
  const wholeText = (s) => {
    const [mant, exp] = s.replace(/^[-−]+/, "").split("e");
    return /^\d+$/.test(mant) && (exp === undefined || !/^[-−]/.test(exp));
  };
  const EXTRA = 2;  // core.fmt.EXTRA
  // core.fmt._digits_for: more digits while the text reads as a whole number that v is not; near 0 and ±1 up to 17
  // figures, elsewhere EXTRA more and then the whole number with its trailing zeros (core.fmt._zeros: "5.000")
  const digitsFor = (v, digits, render) => {
    let text = render(digits);
    if (Number.isFinite(v) && v !== Math.floor(v) && Math.abs(v) < 10 ** digits && wholeText(text)) {
      const limit = Math.abs(Number(pyF(v, 0))) <= 1 ? 17 : digits + EXTRA;  // Python's round(v): half to even
      let d = digits;
      while (wholeText(text) && d < limit) text = render(++d);
      if (wholeText(text)) text = pyF(v, Math.max(digits - pyF(Math.abs(v), 0).length, 1));
    }
    return text;
  };
  // core.fmt.num(v, digits): digits significant figures, the typographic minus, ×10ⁿ, ∞ and NaN as text
  const num = (v, digits = 3) => {
    v = Number(v);
    if (Number.isNaN(v)) return "NaN";
    if (!Number.isFinite(v)) return (v < 0 ? MINUS : "") + "∞";
    return typographic(unsignedZero(digitsFor(v, digits, (d) => pyG(v + 0, d))));
  };
  // core.fmt.signed: a matrix cell with its sign glyph; below 10^−digits as ±d.d×10ⁿ; an exact 0 as "0"; at digits ≥ 3
  // one decimal more where digits decimals would keep one significant figure (0.0018 is "+0.0018", never "+0.002")
  const signed = (v, digits = 3) => {
    v = Number(v);
    const a = Math.abs(v);
    const glyph = v > 0 ? "+" : MINUS;  // core.fmt.SIGN_GLYPH
    if (a >= Number("1e" + -digits) && a < Infinity) {
      return glyph + pyF(a, digits >= 3 && a < Number("1e" + (1 - digits)) ? digits + 1 : digits);
    }
    if (Number.isNaN(v)) return "NaN";
    if (v === 0) return "0";
    if (a === Infinity) return glyph + "∞";
    return glyph + typographic(pyE(a, 1));
  };
  // core.fmt.fixed(v, 2, sci=True): two decimals; outside [10⁻³, 10⁵), or where they would read 0.00, ×10ⁿ (one
  // argument, so z.map(fixedSci) passes no index as a count of decimals)
  const fixedSci = (v) => {
    const places = 2;
    v = Number(v);
    if (Number.isNaN(v)) return "NaN";
    if (!Number.isFinite(v)) return (v < 0 ? MINUS : "") + "∞";
    const a = Math.abs(v);
    const roundsToZero = v !== 0 && Number(pyF(v, places)) === 0;
    const s = v !== 0 && (!(a >= 1e-3 && a < 1e5) || roundsToZero) ? pyE(v, places) : unsignedZero(pyF(v + 0, places));
    return typographic(s);
  };
  const fmt = Object.freeze({ num, signed, fixedSci, pyG, pyE, pyF, typographic });

  const api = Object.freeze({ softmax, logSoftmax, logSumExp, jacobian, vjp, ceGrad, mseGrad, lossGrad, chainPaths,
                              temperatureGrid, temperatureSweep, softMaxSweep, sum, fmt });
  root.SoftmaxLive = api;
  if (typeof module === "object" && module && module.exports) module.exports = api;
})(typeof window !== "undefined" ? window : globalThis);
