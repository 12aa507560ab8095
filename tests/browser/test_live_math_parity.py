"""pages/_ui/live_math.js (the browser's mirror of core/ for live figures, issue #24) equals core/ entry by entry.

In a blank headless Chromium page (no server): 1,000 seeded random rows (n = 2…10, T = 0.1…10, |z|/T from 1e-3 to
beyond 700, where e^{x − m} underflows) plus saturated rows and exact ties, every quantity the module computes, all in
one ``page.evaluate``. Inputs travel as JSON, whose floats Python writes with ``repr`` (exact round trip); outputs
come back through ``JSON.stringify`` (also exact).

**Tolerance.** Every entry: |js − ref| <= 1e-12 · max(|ref|, TINY), TINY = 2.2e-308 the smallest normal float64.
That is a relative test; the floor only matters where ref is exactly 0 (an output that underflowed, in both) or
subnormal (where float64 itself keeps fewer than 52 bits, so no relative precision exists to test).

**The reference** is core/: softmax, log-softmax, log-sum-exp, the Jacobian, the VJP and the cross-entropy gradient
(core.lse.ce_lse_grad), which compute saturation-safely (the Jacobian's diagonal as S_i Σ_{k≠i} S_k, the CE target
entry as −Σ_{k≠y} S_k, log-softmax through log1p, the VJP's bracket as Σ_i S_i (g_j − g_i)). The module computes as
core/ does (softmax shifts by max z before dividing by T; log-sum-exp divides first, as core.logsumexp), so the two
agree to a few units in the last place; what remains is exp's last bit (V8's against numpy's) and the order of the
sums numpy leaves to BLAS or einsum. One entry has no safe form in core/: the MSE gradient, which core/ computes as
the VJP of g = 2(S − y), whose g_y = 2(S_y − 1) rounds to 0 at saturation (z = (40, −40, 0), y = 1st: the target
entry is off by a factor 2, the smallest by 33 decades). Its reference is the safe form written out below in numpy
(SAFE_mse_grad, on core/'s S), and the test prints how far core/'s form is from it, to show what the safe form is for.

**The references are right, not only alike**: test_the_references_equal_high_precision_arithmetic holds every entry
to decimal arithmetic from the float64 inputs exactly as given (z and T as their exact binary values, z/T in high
precision), so the rounding of z/T is the implementation's error, not the oracle's.
"""

from __future__ import annotations

import json
import math
from decimal import Decimal, localcontext
from pathlib import Path

import numpy as np
import pytest

from core import explore, fmt
from core.chain import chain_paths
from core.lse import ce_lse_grad, logsumexp, soft_max_sweep
from core.softmax import jacobian, log_softmax, softmax, vjp

ROOT = Path(__file__).resolve().parents[2]

MODULE = ROOT / "pages" / "_ui" / "live_math.js"
RTOL = 1e-12
TINY = np.finfo(np.float64).tiny  # the smallest normal float64
QUANTITIES = ("softmax", "log_softmax", "logsumexp", "jacobian", "vjp", "ce_grad", "mse_grad")
# what the live chart kinds compute beyond those, each held to the core/ function the page calls (no oracle of its own)
FIGURE_QUANTITIES = ("paths_ce", "path_sum_ce", "paths_mse", "path_sum_mse", "temperature_sweep", "soft_max",
                     "soft_argmax", "soft_max_upper")
SOFT_MAX_TS = np.geomspace(10, 0.01, 121)  # pages/logsumexp.py's soft_max step


def random_cases(count: int = 1000, seed: int = 24) -> list[dict]:
    """``count`` rows: n in 2..10, T log-uniform in [0.1, 10], z/T a normal row scaled log-uniformly from 1e-3 to
    2e3 (so spreads well past 700, where exp underflows), a quarter on the sliders' 0.1 grid, some shifted by up to
    ±1000; g a normal row at a random scale; y a random class."""
    rng = np.random.default_rng(seed)
    cases = []
    for _ in range(count):
        n = int(rng.integers(2, 11))
        T = float(10 ** rng.uniform(-1, 1))
        if rng.random() < 0.25:
            z = np.round(rng.uniform(-10, 10, n), 1)
        else:
            z = rng.standard_normal(n) * 10 ** rng.uniform(-3, np.log10(2000)) * T
            if rng.random() < 0.3:
                z = z + rng.uniform(-1000, 1000)
        g = rng.standard_normal(n) * 10 ** rng.uniform(-3, 3)
        cases.append({"z": [float(v) for v in z], "T": T, "g": [float(v) for v in g], "y": int(rng.integers(n))})
    return cases


SATURATED = [(40.0, -40.0, 0.0), (1000.0, 0.0, -1000.0), (-3.0, 0.0, 3.0), (8.0, 0.0, -8.0)]
TIES = [(1.0, 1.0, 0.0), (1.0, 1.0, 1.0), (0.0, 5.0, 5.0, -5.0)]


def special_cases() -> list[dict]:
    """Saturated rows and exact ties at T = 0.1, 0.2, 1, 10, with every target class."""
    out = []
    for z in SATURATED + TIES:
        for T in (0.1, 0.2, 1.0, 10.0):
            for y in range(len(z)):
                g = [(-1.0) ** k * (k + 1.5) for k in range(len(z))]
                out.append({"z": list(z), "T": T, "g": g, "y": y})
    return out


# ---- the safe form core/ does not compute (see the module docstring) -----------------------------------------

def SAFE_mse_grad(S: np.ndarray, y: int, T: float) -> np.ndarray:
    """2 S_j [(S − y)_j − S·(S − y)] / T with r = Σ_{k≠y} S_k for 1 − S_y: the bracket is −(r² + Σ_{i≠y} S_i²) for
    j = y and 2 S_j S_y + Σ_{i∉{y,j}} S_i (S_j + S_y − S_i) otherwise, that last sum started with the smaller of
    S_j − S_i and S_y − S_i (exactly 0 at a tie)."""
    n = S.size
    rest = np.delete(S, y)

    def three(j, i):  # S_j + S_y − S_i
        dj, dy = S[j] - S[i], S[y] - S[i]
        return dj + S[y] if abs(dj) <= abs(dy) else dy + S[j]

    bracket = np.array([2 * S[j] * S[y] + sum(S[i] * three(j, i) for i in range(n) if i not in (y, j))
                        for j in range(n)])
    bracket[y] = -(np.sum(rest) ** 2 + np.sum(rest**2))
    return 2 * S * bracket / T


def references(c: dict) -> dict[str, np.ndarray]:
    z, T, g, y = np.array(c["z"]), c["T"], np.array(c["g"]), c["y"]
    return {"softmax": softmax(z, T), "log_softmax": log_softmax(z, T), "logsumexp": np.atleast_1d(logsumexp(z, T)),
            "jacobian": jacobian(z, T), "vjp": vjp(z, g, T), "ce_grad": ce_lse_grad(z, y, T),
            "mse_grad": SAFE_mse_grad(softmax(z, T), y, T)}


def figure_references(c: dict) -> dict[str, np.ndarray]:
    """What the pages draw (core.chain.chain_paths for both losses, the temperature sweep on the grid that holds T, the
    soft max sweep over Log-sum-exp's temperatures), from core/."""
    z, T, y = np.array(c["z"]), c["T"], c["y"]
    ce, mse = chain_paths(z, y, "cross_entropy", T), chain_paths(z, y, "mse", T)
    sw = soft_max_sweep(z, SOFT_MAX_TS)
    return {"paths_ce": ce.P, "path_sum_ce": ce.total, "paths_mse": mse.P, "path_sum_mse": mse.total,
            "temperature_sweep": explore.temperature_sweep(z, explore.temperature_grid(including=T)),
            "soft_max": sw["smax"], "soft_argmax": sw["S"], "soft_max_upper": sw["upper"]}


def core_mse(c: dict) -> np.ndarray:
    """What core/ computes for the MSE gradient (the VJP of g = 2(S − y)), for the printed comparison."""
    z, T, y = np.array(c["z"]), c["T"], c["y"]
    S = softmax(z, T)
    return vjp(z, 2.0 * (S - np.eye(S.size)[y]), T)


EVALUATE = """(cases) => JSON.stringify(JSON.parse(cases).map((c) => {
    const M = window.SoftmaxLive;
    return {softmax: M.softmax(c.z, c.T), log_softmax: M.logSoftmax(c.z, c.T), logsumexp: [M.logSumExp(c.z, c.T)],
            jacobian: M.jacobian(c.z, c.T), vjp: M.vjp(c.z, c.g, c.T), ce_grad: M.ceGrad(c.z, c.y, c.T),
            mse_grad: M.lossGrad(c.z, c.y, "mse", c.T)};
}))"""

# the chart kinds' maths: the grids come from Python, as the pages pass them in layout.meta.live
EVALUATE_FIGURES = """([cases, grid, softTs]) => JSON.stringify(JSON.parse(cases).map((c) => {
    const M = window.SoftmaxLive;
    const ce = M.chainPaths(c.z, c.y, "cross_entropy", c.T), mse = M.chainPaths(c.z, c.y, "mse", c.T);
    const sw = M.softMaxSweep(c.z, softTs);
    return {paths_ce: ce.P, path_sum_ce: ce.total, paths_mse: mse.P, path_sum_mse: mse.total,
            temperature_sweep: M.temperatureSweep(c.z, M.temperatureGrid(grid, c.T)), soft_max: sw.smax,
            soft_argmax: sw.S, soft_max_upper: sw.upper};
}))"""


def run_module(browser, source: str, cases: list[dict], script: str = EVALUATE, *extra) -> list[dict]:
    """Load ``source`` into a blank page and evaluate every quantity on every case, in one call."""
    ctx = browser.new_context()
    try:
        page = ctx.new_page()
        page.set_content("<!doctype html><html><head><meta charset='utf-8'></head><body></body></html>")
        page.add_script_tag(content=source)
        arg = [json.dumps(cases), *extra] if extra else json.dumps(cases)
        return json.loads(page.evaluate(script, arg))
    finally:
        ctx.close()


def relative_error(got, ref) -> float:
    """max over entries of |got − ref| / max(|ref|, TINY); inf for a NaN or a missing value (JSON's null)."""
    got, ref = np.array(got, dtype=np.float64), np.asarray(ref)
    assert got.shape == ref.shape, (got.shape, ref.shape)
    with np.errstate(invalid="ignore", over="ignore"):
        err = np.abs(got - ref) / np.maximum(np.abs(ref), TINY)
    return float(np.max(np.where(np.isfinite(err), err, np.inf)))


def worst_errors(cases: list[dict], results: list[dict], refs=None) -> dict[str, tuple[float, int]]:
    """Per quantity: (the worst relative error over every entry of every case, that case's index)."""
    refs = refs or references
    worst = {}
    for i, (c, out) in enumerate(zip(cases, results, strict=True)):
        for q, ref in refs(c).items():
            worst.setdefault(q, (0.0, -1))
            e = relative_error(out[q], ref)
            if e > worst[q][0]:
                worst[q] = (e, i)
    return worst


ALL_CASES = random_cases() + special_cases()


def test_live_math_equals_core_entry_by_entry(browser):
    results = run_module(browser, MODULE.read_text(encoding="utf-8"), ALL_CASES)
    worst = worst_errors(ALL_CASES, results)
    naive = max(relative_error(core_mse(c), references(c)["mse_grad"]) for c in ALL_CASES)
    print(f"\nover {len(ALL_CASES)} rows, the worst relative error per quantity of live_math.js against core/ (MSE:"
          " against the safe form):")
    for q, (e, _) in worst.items():
        print(f"  {q:12s} {e:9.2g}")
    print(f"  (core/'s MSE gradient, the VJP of 2(S − y), is {naive:.2g} from the safe form: what the safe form is for)")
    bad = {q: (e, ALL_CASES[i]) for q, (e, i) in worst.items() if e > RTOL}
    assert not bad, f"live_math.js differs from the reference by more than {RTOL:g} relative: {bad}"


def test_the_live_figures_maths_equals_core(browser):
    """The chart kinds' maths (chain-rule paths and their sums for both losses, the temperature sweep on the grid
    with T in its place, the soft max, soft argmax and upper bound over Log-sum-exp's temperatures) equals the core/
    functions the pages call, entry by entry, on the same rows."""
    grid = explore.temperature_grid().tolist()
    results = run_module(browser, MODULE.read_text(encoding="utf-8"), ALL_CASES, EVALUATE_FIGURES, grid,
                         SOFT_MAX_TS.tolist())
    worst = worst_errors(ALL_CASES, results, figure_references)
    print(f"\nover {len(ALL_CASES)} rows, the worst relative error of the live figures' maths against core/:")
    for q, (e, _) in worst.items():
        print(f"  {q:18s} {e:9.2g}")
    assert set(worst) == set(FIGURE_QUANTITIES)
    bad = {q: (e, ALL_CASES[i]) for q, (e, i) in worst.items() if e > RTOL}
    assert not bad, f"live_math.js differs from core/ by more than {RTOL:g} relative: {bad}"


def high_precision(c: dict) -> dict[str, np.ndarray]:
    """Every quantity in decimal arithmetic from the float64 inputs exactly as given: z and T as their exact binary
    values (Decimal(float) is exact) and x = z/T divided in high precision, rounded once to float64 at the end. The
    oracle that core/ and SAFE_mse_grad are held to. The precision is 60 digits plus the span of z/T in decades, so
    that 1 − S_i and log(1 + tiny) keep their digits however saturated the row."""
    with localcontext() as ctx:
        ctx.prec = 60 + int(np.ptp(np.array(c["z"]) / c["T"]) / np.log(10))
        T, n, y = Decimal(c["T"]), len(c["z"]), c["y"]
        x = [Decimal(v) / T for v in c["z"]]
        e = [v.exp() for v in x]
        total = sum(e)
        S = [v / total for v in e]
        lse = total.ln()
        g = [Decimal(v) for v in c["g"]]
        Y = [Decimal(int(k == y)) for k in range(n)]

        def vjp_of(g):
            dot = sum(g[i] * S[i] for i in range(n))
            return [S[j] * (g[j] - dot) / T for j in range(n)]

        out = {"softmax": S, "log_softmax": [v - lse for v in x], "logsumexp": [lse],
               "jacobian": [[S[i] * (Decimal(int(i == j)) - S[j]) / T for j in range(n)] for i in range(n)],
               "vjp": vjp_of(g), "ce_grad": [(S[k] - Y[k]) / T for k in range(n)],
               "mse_grad": vjp_of([2 * (S[k] - Y[k]) for k in range(n)])}
        return {q: np.array(v, dtype=np.float64) for q, v in out.items()}


def test_the_references_equal_high_precision_arithmetic():
    """The references are right, not only alike: every entry equals high-precision arithmetic from the same float64
    inputs to 1e-12 relative (below float64's normal range, relative to the smallest normal number: there float64
    keeps fewer digits), on the saturated rows, the ties and the first 200 random rows whose z/T spans at most 2000
    (the precision grows with the span: wider rows would take minutes, and the algebra is the same). A value of
    about 10³ at |z|/T ≈ 10³ passes because core/ shifts before it divides: e^{(z_k − max z)/T} carries the roundings
    of one difference and one division, each relative to the exponent, at most 709 · 2⁻⁵² for a normal result.
    (No browser needed.)"""
    cases = [c for c in special_cases() + random_cases()[:200] if np.ptp(np.array(c["z"]) / c["T"]) <= 2000]
    worst = dict.fromkeys(QUANTITIES, 0.0)
    for c in cases:
        oracle = high_precision(c)
        for q, ref in references(c).items():
            worst[q] = max(worst[q], relative_error(ref, oracle[q]))
    print(f"\nover {len(cases)} rows, the worst relative error of the references against high precision:")
    for q, e in worst.items():
        print(f"  {q:12s} {e:9.2g}")
    assert max(worst.values()) <= RTOL, worst


# A planted bug must be caught: each (quantity, what the module says, the bug) swaps one safe form for the naive one.
PLANTED = [
    ("jacobian", "(i === j ? Si * r[i] : -Si * Sj)", "(i === j ? Si - Si * Si : -Si * Sj)"),
    ("ce_grad", "(j === k ? -r : Sj)", "(j === k ? Sj - 1 : Sj)"),
    ("log_softmax", "const l = Math.log1p(rest(e, x));", "const l = Math.log(1 + rest(e, x));"),
]


@pytest.mark.parametrize(("quantity", "safe", "bug"), PLANTED, ids=[p[0] for p in PLANTED])
def test_a_planted_naive_form_is_caught(browser, quantity, safe, bug):
    source = MODULE.read_text(encoding="utf-8")
    assert source.count(safe) == 1, f"the module no longer says {safe!r}: update PLANTED"
    cases = special_cases()
    worst = worst_errors(cases, run_module(browser, source.replace(safe, bug), cases))
    assert worst[quantity][0] > RTOL, worst


# ---- printing: SoftmaxLive.fmt is core.fmt, character for character -------------------------------------------------

# what the live charts print (live_charts.js): num at the digits the figures pass, signed for cells and bars, fixedSci
# for the logits beside the dependency arrows; a few more digits than they use, so a rule that only bites at 1 or 8
# figures is seen too
NUM_DIGITS, SIGNED_DIGITS = (1, 2, 3, 4, 5, 6, 8), (1, 2, 3, 4)


def printed_by_core(v: float) -> list[str]:
    return ([fmt.num(v, d) for d in NUM_DIGITS] + [fmt.signed(v, d) for d in SIGNED_DIGITS]
            + [fmt.fixed(v, 2, sci=True, unicode=True)])


PRINT = """(values) => JSON.stringify(JSON.parse(values).map(Number).map((v) => {
    const F = window.SoftmaxLive.fmt;
    return [...NUM.map((d) => F.num(v, d)), ...SIGNED.map((d) => F.signed(v, d)), F.fixedSci(v)];
}))""".replace("NUM", json.dumps(NUM_DIGITS)).replace("SIGNED", json.dumps(SIGNED_DIGITS))


def hard_values() -> list[float]:
    """Where a printer goes wrong: whole numbers a few ulps off (core.fmt.num's whole-number rule: 4.9999999999998
    is "5.000"), values just below a rounding that reads 1 or 0, exact decimal ties at the rounding digit (0.125,
    2.5, 1234.5: Python rounds them to even, JavaScript away from zero), the thresholds where a printer changes form
    (10⁻⁴ for {:g}, 10⁻ᵈ for signed, 10⁻³ and 10⁵ for fixed), 10²¹ (where JavaScript's toFixed gives up), the ends
    of float64 (1e300, subnormals, the smallest normal), signed zeros, infinities and NaN."""
    out = [0.0, -0.0, math.inf, -math.inf, math.nan, 5e-324, -5e-324, 1e-310, 2.2250738585072014e-308,
           math.nextafter(2.2250738585072014e-308, 0), 1.7976931348623157e308, 1e300, -1e300, 1e21, 1e22, -1e21,
           0.99995, 0.9999999999999999, 1 - 1e-12, 1e-13, -1e-13, 0.99966, -0.9996, 99.96, 99.995, 9.9995, 999.95]
    for w in [*range(-12, 13), 100, 1000, 1e4, 1e5, 1e6, -100, -1000]:
        for k in (1, 2, 3, 50, 1000, 10**6):
            out += [w + k * math.ulp(w or 1.0), w - k * math.ulp(w or 1.0)]
    for den in (2, 4, 8, 16, 32, 64, 1024):  # dyadic, so exact: every k/den with a 5 at its last digit is a tie
        out += [s * k / den for k in range(1, 4 * den, 2) for s in (1, -1)]
    out += [s * (k + 0.5) * 10.0**e for k in (0, 1, 2, 12, 123, 1234, 99) for e in (0, 1, 2, 3) for s in (1, -1)]
    for edge in (1e-4, 1e-3, 1e-2, 1e-1, 1e5, 1e3, 10.0, 1.0):
        out += [edge, -edge, math.nextafter(edge, 0), math.nextafter(edge, math.inf), edge * (1 - 5e-7), edge * 0.99995]
    return out


def random_values(count: int = 3000, seed: int = 25) -> list[float]:
    """``count`` values: a third uniform in ±10, a third log-uniform in magnitude over the whole float64 range, a third
    any bit pattern that is a number."""
    rng = np.random.default_rng(seed)
    k = count // 3
    wide = rng.choice([-1.0, 1.0], k) * 10.0 ** rng.uniform(-323, 308, k)
    raw = rng.integers(0, 2**64, 2 * k, dtype=np.uint64).view(np.float64)
    return [*rng.uniform(-10, 10, k).tolist(), *wide.tolist(), *[v for v in raw.tolist() if not math.isnan(v)][:k]]


def as_js(values) -> list[str]:
    """Each value as text JavaScript's Number() reads back to the same float (repr, exact; infinities by name)."""
    return [("-" if v < 0 else "") + "Infinity" if math.isinf(v) else repr(v) for v in values]


def test_live_printing_equals_core_fmt(browser):
    """The text a drag shows is the text the rerun shows on release: SoftmaxLive.fmt's num, signed and fixedSci print
    3,000 random values and every hard one exactly as core.fmt.num, core.fmt.signed and core.fmt.fixed(·, 2, sci=True)
    do, at every number of digits the live charts use (and a few more)."""
    values = hard_values() + random_values()
    got = run_module(browser, MODULE.read_text(encoding="utf-8"), as_js(values), PRINT)
    differ = [(v, g, w) for v, g in zip(values, got, strict=True) if g != (w := printed_by_core(v))]
    print(f"\n{len(values)} values × {len(got[0])} printers: {len(differ)} differ from core.fmt")
    assert not differ, differ[:10]


def test_a_planted_javascript_rounding_is_caught(browser):
    """The check can fail: the printer with JavaScript's own rounding of a tie (away from zero: 0.125 → 0.13, 2.5 → 3)
    in place of Python's (to even) differs from core.fmt on the ties."""
    source = MODULE.read_text(encoding="utf-8")
    safe = 'if (a.toExponential(p + 4).split("e")[0].endsWith("5000")) return sign + exactE(a, p);'
    assert source.count(safe) == 1, "the module no longer says what this plants into: update the test"
    values = hard_values()
    got = run_module(browser, source.replace(safe, ""), as_js(values), PRINT)
    assert sum(g != printed_by_core(v) for v, g in zip(values, got, strict=True)) > 0
