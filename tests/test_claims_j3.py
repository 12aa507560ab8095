"""The claims grid (issue #12's bar) for issue #17's sections: the Jacobian's covariance and Hessian readings, the
Softmax page's Gumbel section, At scale and Attention. Same machinery as tests/test_claims.py: each page is rendered
with AppTest at a grid of settings, every number shown is compared with an independent computation (tests/oracles.py,
or numpy written here from the definitions, never core's helpers), every parameter-dependent sentence with the numbers.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from apptest_util import arr
from oracles import implausible_classes, mp_eigenvalues
from test_claims import BASE, EPS, GRID, N10, NUM, J_of, S_of, Setting, Shown, agrees, fnum, run_claims, sub, with_extra

CHECKS: dict[str, tuple] = {}


def claims(path: str, grid: list[Setting]):
    def register(fn):
        CHECKS[fn.__name__] = (path, fn, grid)
        return fn
    return register


def cov_se(S: np.ndarray, N: int) -> np.ndarray:
    """SE of each entry of the sample covariance of N one-hot draws, by enumerating the n outcomes of one draw."""
    n = S.size
    C = np.diag(S) - np.outer(S, S)
    m4 = sum(S[y] * np.outer((np.eye(n)[y] - S) ** 2, (np.eye(n)[y] - S) ** 2) for y in range(n))
    return np.sqrt(np.maximum(m4 - C**2, 0) / N)


# ---- the Jacobian page: covariance and Hessian readings ----------------------------------------------------------

JAC = GRID + with_extra([Setting(BASE, 0.5), Setting((1.0, 1.0, 0.0)), Setting(N10, 2.0)], mc="100000", mcseed="3") \
    + with_extra([Setting(BASE), Setting((8.0, 0.0, -8.0))], mc="10")


@claims("pages/jacobian.py", JAC)
def check_readings(p: Shown) -> None:
    S, J, T, n = S_of(p.z, p.T), J_of(p.z, p.T), p.T, p.n
    fig = p.figure("Ĵ = Cov(e<sub>Y</sub>)/T")
    N = int(re.search(r"N = ([\d,]+)", fig["layout"]["title"]["text"])[1].replace(",", ""))
    p.check("readings: N in the title is the URL's", N == int(dict(p.setting.extra).get("mc", 1000)), str(N))
    Jhat = np.reshape(arr(fig["data"][0]["z"]), (n, n))
    se = cov_se(S, N) / T
    p.check("readings: Ĵ within 5 standard errors of J (+ a second-order 10/(NT))",
            np.all(np.abs(Jhat - J) <= 5 * se + 10 / (N * T)),
            f"{np.abs(Jhat - J).max()} vs SE {se.max()}")
    p.check("readings: Ĵ is a covariance of one-hots (symmetric, rows sum to 0)",
            np.allclose(Jhat, Jhat.T, atol=1e-15) and np.allclose(Jhat.sum(axis=1), 0, atol=1e-12))
    text = p.text()
    p.check("readings: the formula shows its T", ("(here $T = " in text) == (T != 1) and "J = \\mathrm{Cov}(e_Y)/T" in text)
    cap = p.one("caption", "Class counts")
    drawn = np.array([int(c.replace(",", "")) for c in re.findall(r"Y = \d+: ([\d,]+)", cap)])
    p.check("readings: the class counts add up to N", drawn.size == n and drawn.sum() == N, cap[:200])
    unseen = drawn == 0
    rare = unseen[:, None] | unseen[None, :]  # the row and column of a class never drawn: Ĵ is 0 there
    v = S * (1 - S) / N
    se2 = np.sqrt(np.outer(v, v)) / T  # second order: (p̂ᵢ − Sᵢ)(p̂ⱼ − Sⱼ)/T; a first-order SE below it is not counted
    pos = (se > se2) & ~rare
    if pos.any():
        m = re.search(r"Of the (\d+) entries with a first-order standard error, (all|both|none|\d+) lies? within 2", cap)
        m1 = re.search(r"The 1 entry with a first-order standard error (lies|does not lie) within 2", cap)
        inside = int(np.sum(np.abs(Jhat - J)[pos] <= 2 * se[pos] * (1 + 1e-9)))
        k = int(pos.sum())
        said = None if not (m or m1) else (({"lies": 1, "does not lie": 0}[m1[1]]) if m1 else
                                           {"all": k, "both": 2, "none": 0}.get(m[2]) if m[2] in ("all", "both", "none")
                                           else int(m[2]))
        p.check("readings: the count within 2 SE is computed", said == inside and (m1 is not None) == (k == 1)
                and (m1 is not None or int(m[1]) == k), f"{cap[:200]} vs {inside}")
    p.check("readings: a class never drawn is named, with its entries",
            (f"never drawn in {N:,} samples, so the {int(rare.sum())} entries" in cap) == bool(rare.any()), cap)
    if rare.any():
        p.check("readings: Ĵ is 0 in a never-drawn class's row and column", np.all(Jhat[rare] == 0), str(Jhat))
    p.check("readings: entries with SE 0 are named as such",
            ("standard error 0 to first order" in cap) == bool((~pos & ~rare).any()), cap)
    conv = p.figure("Monte Carlo error")
    counts, rms = np.asarray(arr(conv["data"][2]["x"]), float), np.asarray(arr(conv["data"][2]["y"]), float)
    if "close to −½" in cap:
        keep = counts >= 10 / (1 - S.max())
        slope = np.polyfit(np.log10(counts[keep]), np.log10(rms[keep]), 1)[0]
        p.check("readings: a slope called close to −½ is", -0.6 <= slope <= -0.4 and f"{slope:.2f}".replace("-", "−") in cap,
                f"{slope} / {cap[-160:]}")
    elif "not −½" in cap:
        keep = counts >= 10 / (1 - S.max())
        slope = np.polyfit(np.log10(counts[keep]), np.log10(rms[keep]), 1)[0]
        p.check("readings: a slope called not −½ is not", abs(slope + 0.5) > 0.1 and ("second order" in cap) == (slope < -0.6),
                f"{slope} / {cap[-160:]}")
    elif "equals J exactly" in cap:
        p.check("readings: 'equals J exactly' only when every error is 0", np.all(rms == 0) and np.all(Jhat == J), cap)
    else:
        p.check("readings: 'stalls' only when the rarer classes are hardly drawn", "stalls" in cap
                and 10 / max(1 - S.max(), 1e-300) * 10 > counts.max(), cap)
    hess = next(t for t in p.tables() if "computed" in t.columns and "claim" in t.columns)
    saturated = S.min() < 1e-12
    p.check("readings: every Hessian row holds (⚠ only at saturation)", all(mk == "✓" or (mk == "⚠" and saturated)
            for mk in hess.iloc[:, 0]), str(list(hess.iloc[:, 0])))
    lam = mp_eigenvalues(p.z, T)  # exact (mpmath), ascending
    row = hess["computed"].iloc[2]
    m = re.search(r"smallest eigenvalue (" + NUM + r").*largest (" + NUM + ")", row)
    # the smallest is a true 0 (J𝟙 = 0): float64's eigvalsh gives it only to n·ε·‖J‖₂, the resolution the row names
    # ("0 up to rounding: |λ| ≤ n·ε·‖J‖"), so that floor stays; the largest is held to its printed digits
    resolution = 1.01 * n * EPS * lam[-1]
    p.check("readings: the eigenvalues shown are J's", m and abs(fnum(m[1])) <= resolution and agrees(m[2], lam[-1]),
            f"{row} vs {lam}")
    m = re.search(r"in \[(" + NUM + r"), (" + NUM + r")\]", hess["computed"].iloc[3])
    p.check("readings: CE's Hessian eigenvalues are J's over T (the smallest a true 0, to the same resolution over T)",
            m and abs(fnum(m[1])) <= resolution / T and agrees(m[2], lam[-1] / T), hess["computed"].iloc[3])


# ---- the Softmax page: Gumbel-max and the relaxation --------------------------------------------------------------

GUMBEL = GRID + with_extra([Setting((1.0, 1.0, 0.0), 0.5), Setting(N10, 10.0)], gdraws="3000", gseed="9")


@claims("pages/softmax.py", GUMBEL)
def check_gumbel(p: Shown) -> None:
    S, T, n = S_of(p.z, p.T), p.T, p.n
    extra = dict(p.setting.extra)
    N, seed = int(extra.get("gdraws", 1000)), int(extra.get("gseed", 0))
    fig = p.figure("Gumbel-max")
    freq = np.asarray(arr(fig["data"][0]["y"]), float)
    se = np.sqrt(S * (1 - S) / N)
    # exact binomial tails, not 5 standard errors: a rare class (N·S_k ≲ 10) makes those fail on one draw, or never
    p.check("gumbel: every class's count is plausible under Binomial(N, S(z/T))", implausible_classes(freq, S, N) == [],
            f"{freq} vs {S}")
    # the draws, again, from the definition: G = −log(−log U) on the tempered logits
    U = np.random.default_rng(seed).random((N, n))
    G = -np.log(-np.log(np.where(U > 0, U, np.finfo(float).tiny)))
    x = np.asarray(p.z, float) / T + G
    want = np.bincount(np.argmax(x, axis=1), minlength=n) / N
    p.check("gumbel: the frequencies are argmax(z/T + G) of the seeded draws", np.allclose(freq, want, atol=1e-15))
    cap = p.one("caption", "the largest gap between a frequency")
    m = re.search(r"is (" + NUM + r"), for S([₀-₉]+), (" + NUM + r") binomial standard errors", cap)
    gaps = np.abs(want - S)
    zs = gaps / np.maximum(se, 1e-300)
    k = int(np.argmax(gaps))  # the gap and its z-score are one class's (a rare class can have the largest z-score)
    p.check("gumbel: the caption's gap, its class and its z-score",
            m and agrees(m[1], gaps[k]) and m[2] == sub(k) and agrees(m[3], zs[k], floor=0.051), cap)
    # the relaxation at τ = 0.01 over the first 500 draws: full Jacobians (diag y − yyᵀ)/(Tτ), not core's shortcut
    tau = 0.01
    xs = x[:500] / tau
    y = np.exp(xs - xs.max(axis=1, keepdims=True))
    y /= y.sum(axis=1, keepdims=True)
    size = np.array([np.abs((np.diag(v) - np.outer(v, v)) / (T * tau)).max() for v in y])
    med, p99 = np.median(size), np.quantile(size, 0.99)
    text = p.one("markdown", "**The relaxation**")
    spikes = "rare, large spikes" in text
    # and reach a visible share of the bound 1/(4Tτ): at (8, 0, −8) the median is 0 and the top 1 % are 2e-155
    p.check("gumbel: 'spikes' is said exactly when the top 1 % dwarf the median and reach 1e-4 of the bound",
            spikes == (p99 > 100 * med and p99 >= 1e-4 / (4 * T * tau)), f"{med}, {p99}")
    m = re.search(r"median draw's max \|∂y/∂z\| from (" + NUM + r") to (" + NUM + ")", text)
    p.check("gumbel: the median at τ = 0.01 is shown", m and agrees(m[2], med, slack=1.5, floor=1e-300), f"{m and m[2]} vs {med}")
    p.check("gumbel: the bound names T", f"1/(4Tτ) = {1 / (4 * T * 0.01):.3g}" in text or not spikes, text[-300:])


# ---- Attention ----------------------------------------------------------------------------------------------------

ATT = [Setting(z, 1.0, (("d", d), ("aseed", s)), f"d{d}") for z in (BASE, N10, (1.0, -1.0))
       for d in ("1", "16", "256", "1024") for s in ("0", "5")]


def stable_J(s, T: float) -> np.ndarray:
    """∂a/∂s for a = softmax(s/T) from the definition, the diagonal as a_j Σ_{i≠j} a_i (no 1 − a_j to round to 0)."""
    a = S_of(s, T)
    J = -np.outer(a, a)
    for j in range(a.size):
        J[j, j] = a[j] * np.sum(np.delete(a, j))
    return J / T


def attention_draw(seed: int, n: int, d: int):
    """q, the n keys and g from the seed, in the page's documented order (pairs first, then q, 10 keys, 10 g's)."""
    rng = np.random.default_rng(seed)
    Qp, Kp = rng.standard_normal((256, 1024)), rng.standard_normal((256, 1024))
    q, K = rng.standard_normal(1024), rng.standard_normal((10, 1024))[:n]
    g = rng.uniform(-1, 1, 10)[:n]
    return Qp, Kp, q[:d], K[:, :d], g


@claims("pages/attention.py", ATT)
def check_attention(p: Shown) -> None:
    extra = dict(p.setting.extra)
    d, seed, n = int(extra["d"]), int(extra["aseed"]), p.n
    Qp, Kp, q, K, g = attention_draw(seed, n, d)
    spread = p.figure("The spread")
    ds = np.asarray(arr(spread["data"][1]["x"]), float)
    stds = np.asarray(arr(spread["data"][1]["y"]), float)
    want = np.array([(Qp[:, :int(k)] * Kp[:, :int(k)]).sum(axis=1).std(ddof=1) for k in ds])
    p.check("attention: the spread is the sample std of the seeded q·k", np.allclose(stds, want, rtol=1e-9))
    se = np.sqrt((2 * ds**2 + 6 * ds) / 256) / (2 * np.sqrt(ds))
    p.check("attention: the spread is √d within 4.5 SE", np.all(np.abs(stds - np.sqrt(ds)) <= 4.5 * se), str(stds / np.sqrt(ds)))
    s = K @ q
    w = p.figure("Attention weights")
    raw, scl = np.asarray(arr(w["data"][0]["y"]), float), np.asarray(arr(w["data"][1]["y"]), float)
    p.check("attention: weights are softmax(q·k) and softmax(q·k/√d)", np.allclose(raw, S_of(s, 1.0), atol=1e-14)
            and np.allclose(scl, S_of(s, np.sqrt(d)), atol=1e-14))
    sat = next(m for m in p.values("markdown") if "aturated" in m)
    p.check("attention: ✓ Saturated exactly when the largest unscaled weight > 0.99",
            sat.startswith("✓") == (raw.max() > 0.99), sat)
    Jraw = stable_J(s, 1.0)
    if raw.max() > 0.99:
        m = re.search(r"max \|∂aᵢ/∂sⱼ\| = (" + NUM + ")", sat)
        p.check("attention: the saturated J's size", m and agrees(m[1], np.abs(Jraw).max(), floor=1e-300), sat)
    table = next(t for t in p.tables() if "‖J‖₂ without" in t.columns)
    for r, dd in enumerate(table["d"]):
        dd = int(dd)
        _, _, qd, Kd, _ = attention_draw(seed, n, dd)
        sd = Kd @ qd
        for label, T in (("without", 1.0), ("with 1/√d", np.sqrt(dd))):
            Jd = stable_J(sd, T)
            p.check(f"attention: table d = {dd} max |J| {label}", agrees(table[f"max |J| {label}"].iloc[r], np.abs(Jd).max(),
                                                                          floor=1e-300), f"{table[f'max |J| {label}'].iloc[r]}")
            p.check(f"attention: table d = {dd} ‖J‖₂ {label}", agrees(table[f"‖J‖₂ {label}"].iloc[r], np.linalg.norm(Jd, 2),
                                                                       floor=1e-300))
            p.check(f"attention: table d = {dd} ‖∂L/∂q‖ {label}",
                    agrees(table[f"‖∂L/∂q‖ {label}"].iloc[r], np.linalg.norm(Kd.T @ (Jd.T @ g)), floor=1e-300))


# ---- At scale -----------------------------------------------------------------------------------------------------

SCALE = [Setting(BASE, 1.0, tuple(e.items()), "scale") for e in (
    {"vocab": "50000"}, {"vocab": "2", "bm": "1", "data": "spirals"}, {"vocab": "1000000", "bm": "8", "D": "10", "m": "200"},
    {"vocab": "12345", "data": "overlap", "D": "5", "m": "7", "dseed": "3", "iseed": "4", "wscale": "10"})]


def gb(nbytes: float) -> str:
    for unit, k in (("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if nbytes >= k:
            return f"{nbytes / k:.3g} {unit}"
    return f"{int(nbytes)} B"


@claims("pages/at_scale.py", SCALE)
def check_at_scale(p: Shown) -> None:
    import core  # the data set and the initial weights only (the maths below is written from the definitions)

    e = dict(p.setting.extra)
    data, D, mc = e.get("data", "blobs"), int(e.get("D", 2)), int(e.get("m", 50))
    X, y = core.make_dataset(data, mc, D, int(e.get("dseed", 0)))
    W, b = core.init_params(D, 3, int(e.get("iseed", 0)), scale=float(e.get("wscale", 0.1)))
    m = X.shape[0]
    Z = X @ W.T + b
    S = np.array([S_of(r, 1.0) for r in Z])
    delta = (S - np.eye(3)[y]) / m
    strip = next(t for t in p.tables() if "shape" in t.columns)
    p.check("at scale: shapes", list(strip["shape"]) == [f"{m} × {D}", f"3 × {D}", "3", f"{m} × 3", f"{m} × 3", f"{m} × 3",
                                                         f"{m} × 3", f"3 × {D}", "3"], str(list(strip["shape"])))
    for k, a in enumerate((X, W, b, Z, S, np.eye(3)[y], delta, delta.T @ X, delta.sum(axis=0))):
        p.check(f"at scale: largest |entry| of {strip['array'].iloc[k]}", agrees(strip["largest |entry|"].iloc[k],
                np.abs(a).max(), floor=1e-300), f"{strip['largest |entry|'].iloc[k]} vs {np.abs(a).max()}")
    bm = int(e.get("bm", 3))
    fig = p.figure(f"J of a batch of m = {bm}")
    Jb = np.reshape(arr(fig["data"][0]["z"]), (3 * bm, 3 * bm))
    want = np.zeros_like(Jb)
    for r in range(bm):
        want[3 * r:3 * r + 3, 3 * r:3 * r + 3] = J_of(Z[r], 1.0)
    p.check("at scale: the batch J is block-diagonal with J(z_r) blocks", np.allclose(Jb, want, atol=1e-15))
    cap = p.one("caption", "every entry off the blocks is exactly 0")
    picture = (f"Of the {(3 * bm) ** 2} entries only {9 * bm} can be non-zero" if bm > 1 else
               "a single 3×3 block, and all 9 entries can be non-zero")
    p.check("at scale: the caption's counts", picture in cap and f"{9 * m:,} of {(3 * m) ** 2:,}" in cap, cap)
    title = fig["layout"]["title"]["text"]
    p.check("at scale: no '1 blocks'", "1 blocks" not in title + cap and "one 3×3 block per sample" in title, title)
    n = int(e["vocab"])
    text = p.one("markdown", f"**At n = {n:,}**")
    p.check("at scale: entries and bytes of one token's J", f"{n * n:,} entries" in text
            and f"{gb(4 * n * n)} in float32" in text and f"{gb(8 * n * n)} in float64" in text
            and f"{4 * n - 1:,} operations" in text and f"{8 * n:,} bytes" in text, text)
    if n == 50_000:
        p.check("at scale: 50,000 classes is 10 GB / 20 GB", "10 GB in float32" in text and "20 GB in float64" in text, text)


# ---- the grid ----------------------------------------------------------------------------------------------------

CASES = [(name, s) for name, (_, _, grid) in CHECKS.items() for s in grid]


@pytest.mark.parametrize("name,setting", CASES, ids=[f"{n}-{s.id}" for n, s in CASES])
def test_every_claim_is_true(name, setting):
    path, fn, _ = CHECKS[name]
    run_claims(path, setting, fn, name)
