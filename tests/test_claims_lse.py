"""The claims grid (issue #12's bar) for issue #16's new prose: the Log-sum-exp page and the Chain rule page's answer to
the reader's A, B, C, at the grid of tests/test_claims.py (T ∈ {0.1, 0.5, 1, 2, 10}, ties, near-ties, saturation,
n ∈ {2, 3, 4, 10}) plus soft-target and nudge settings. Every number is compared with an independent computation
(tests/oracles.py, the complex step), every parameter-dependent sentence with those numbers, every label with what
it holds. (A separate file from test_claims.py so that the two grids can grow without editing each other.)"""

from __future__ import annotations

import math
import re

import mpmath as mp
import numpy as np
import pytest
from apptest_util import arr
from helpers import printed
from oracles import complex_step_grad, mp_softmax, ref_softmax
from test_claims import (
    EPS,
    GRID,
    NUM,
    SPECIAL,
    TEXNUM,
    J_of,
    Setting,
    Shown,
    agrees,
    fnum,
    grad_of,
    run_claims,
    sub,
    texnum,
    with_extra,
)


def S_of(z, T) -> np.ndarray:
    x = np.asarray(z, float) / T
    return ref_softmax(x - x.max())


def log_softmax(x):
    m = np.max(x.real)
    return x - m - np.log(np.sum(np.exp(x - m)))


def ce_grad(z, q, T) -> np.ndarray:
    """∂/∂z of −Σ q log softmax(z/T), by the complex step."""
    return complex_step_grad(lambda x: -np.sum(q * log_softmax(x / T)), np.asarray(z, float))


def floats(cells) -> np.ndarray:
    return np.array([printed(str(c)) for c in cells])  # 4.2e-18 or −4.25×10⁻¹⁸, either minus


def check_logsumexp(p: Shown) -> None:
    q_ = dict(p.setting.extra)
    y, T, n, z = int(q_.get("y", "1")) - 1, p.T, p.n, np.asarray(p.z, float)
    target, eps = q_.get("target", "smooth"), float(q_.get("eps", "0.1"))
    Y = np.eye(n)[y]
    grad = grad_of(z, T, y, "cross_entropy")
    scale = max(1.0, 1 / T)
    tex = " ".join(p.values("latex"))
    p.check("lse: the one-line formula names (S − y)/T exactly when T ≠ 1", ("\\frac{S - y}{T}" in tex) == (T != 1), tex[:200])
    p.check("lse: the soft-target formula names (S − q)/T exactly when T ≠ 1", ("\\frac{S - q}{T}" in tex) == (T != 1))
    p.check("lse: ∇ of the smooth max is S, in the Jacobian page's notation smax_T (LSE at T = 1)",
            ("\\frac{\\partial \\mathrm{smax}_T}{\\partial z_j} = S_j" if T != 1
             else "\\frac{\\partial \\operatorname{LSE}}{\\partial z_j} = S_j") in tex
            and "\\nabla\\mathrm{smax}_T(z) = \\operatorname{softmax}(z/T) = S" in tex)
    one = next(f for f in p.figures() if f["layout"].get("annotations", [{}])[0].get("text") == "student S against target q")
    p.check("lse: the one-line figure's bars are y and (S − y)/T", np.allclose(np.asarray(arr(one["data"][1]["y"]), float), Y)
            and np.allclose(np.asarray(arr(one["data"][2]["y"]), float), grad, rtol=1e-9, atol=1e-300))
    routes = next(t for t in p.tables() if any(c.startswith("n² paths") for c in t.columns))
    cols = list(routes.columns)
    p.check("lse: the one-line column says /T exactly when T ≠ 1", ("/T" in cols[2]) == (T != 1), cols[2])
    for c in cols[1:3]:
        p.check(f"lse: {c} is ∂CE/∂z", all(agrees(v, grad[k]) for k, v in enumerate(routes[c])),
                f"{list(routes[c])} vs {grad}")
    stab = next(t for t in p.tables() if "dtype" in t.columns)
    mine = stab[(stab["dtype"] == "float64") & (stab["y"] == y + 1) & (stab["z"] == ", ".join(f"{v:g}" for v in z))]
    if len(mine):
        r = mine.iloc[0]
        with mp.workdps(50):
            exact = float(mp.log(mp_softmax(z)[y]))  # log S_y at T = 1
        fused = r["$\\log S_y$ via $z_y - \\operatorname{LSE}(z)$"]
        # z_y − LSE(z) in float64 is a difference of two numbers of size |z_y| and |LSE|: it is exact to a few ulps of
        # those terms (GUIDE §9), not of the result (at (40, −40, 0) it is 40 − 40 = 0 for −4.25×10⁻¹⁸)
        lse = float(mp.log(mp.fsum(mp.exp(mp.mpf(float(v))) for v in z)))
        terms = abs(z[y]) + abs(lse)
        p.check("lse: float64 z_y − LSE(z) is log S_y at T = 1, to rounding of its terms", agrees(fused, exact)
                or abs(fnum(fused) - exact) <= 4 * EPS * terms, f"{r.to_dict()} vs {exact}")
        S1 = ref_softmax(z - z.max())
        lo = np.log(S1[y]) if S1[y] > 0 else -np.inf
        # the log of a rounded S_y: its argument's relative rounding (a few ε) is the log's absolute error
        p.check("lse: float64 log(softmax) is what float64 gives", agrees(r["$\\log S_y$ via log(softmax(z))"], exact)
                or abs(fnum(r["$\\log S_y$ via log(softmax(z))"]) - lo) <= 4 * EPS * max(1.0, abs(lo))
                or (np.isinf(lo) and r["$\\log S_y$ via log(softmax(z))"] in ("-inf", "−∞")), r.to_dict())
    bad = sum(1 for _, r in stab.iterrows() if r["$\\log S_y$ via log(softmax(z))"] in ("-inf", "−∞", "nan", "NaN")
              or "nan" in r["∂CE/∂z via log(softmax): Jᵀg"].lower())
    cap = p.one("caption", "rows give −∞ or NaN")
    p.check("lse: the count of broken rows is the table's", cap.startswith(f"{bad} of {len(stab)} rows"), cap)
    text = p.text()
    floor = math.log(math.e + n - 1) - 1
    shown = re.search(r"\\log\(e \+ n - 1\) - 1 = (" + TEXNUM + r")\$", text)
    p.check("lse: the double-softmax floor", shown is not None and agrees(texnum(shown[1]), floor), shown and shown[0])
    p1 = ref_softmax(z - z.max())
    dl = float(np.log(np.sum(np.exp(p1))) - p1[y])
    m = re.search(r"the loss is (" + NUM + ")", text)
    p.check("lse: the double-softmax loss", m and agrees(m[1], dl, slack=1.01, floor=5e-4 * abs(dl)), m and m[1])
    right = p1 - Y  # S − y, its target entry as −Σ_{k≠y} S_k: 1 − S_y cancels to 0 at z = (40, −40, 0), not −4.25×10⁻¹⁸
    right[y] = -np.delete(p1, y).sum() if p1[y] >= 0.5 else p1[y] - 1
    m = re.search(r"instead of \(([^)]*)\)", text)
    p.check("lse: 'instead of' is the T = 1 gradient S − y",
            m and np.allclose(floats(m[1].split(", ")), right, rtol=6e-3, atol=1e-3 * abs(right).max() + 1e-300), m and m[1])
    # soft max / soft argmax at T = 0.01
    top = [k for k in range(n) if z[k] == z.max()]
    S001 = S_of(z, 0.01)
    warn, ok = " ".join(p.values("warning")), " ".join(str(s.value) for s in p.at.success)
    if len(top) > 1:
        p.check("lse: a tie is named, split 1/k", f"Tie: {len(top)} logits share the max" in warn, warn[:120])
    elif S001.max() > 0.999:
        p.check("lse: one-hot at T = 0.01 is ticked", "one-hot on the largest z" in ok and "✓" in ok, ok[:120])
    else:
        p.check("lse: a near-tie is flagged", "near-tie" in warn, warn[:120])
    lim = next(f for f in p.figures() if f["layout"].get("title", {}).get("text", "").startswith("As T → 0"))
    ltitle = lim["layout"]["title"]["text"]
    p.check("lse: the limit title says 'argmax' only without a tie, 'splits' with one",
            ("softmax becomes argmax" in ltitle) == (len(top) == 1) and (f"splits 1/{len(top)}" in ltitle) == (len(top) > 1),
            ltitle)
    Ts, smax = np.asarray(arr(lim["data"][1]["x"]), float), np.asarray(arr(lim["data"][1]["y"]), float)
    want = np.array([z.max() + t * math.log(np.sum(np.exp((z - z.max()) / t))) for t in Ts])
    p.check("lse: T·LSE(z/T) curve", np.allclose(smax, want, rtol=1e-12, atol=0))
    p.check("lse: T·LSE within [max z, max z + T log n]", np.all(smax >= z.max() - 1e-9 * max(1, abs(z).max()))
            and np.all(smax <= z.max() + Ts * math.log(n) + 1e-9 * max(1, abs(z).max())))
    # soft targets: q and the gradient bars
    teacher = np.array(q_.get("zt", "4,1.5,-1,0.5,-0.5,1,-1.5,0,-2,2").split(","), float)[:n]
    if teacher.size < n:
        teacher = np.concatenate([teacher, np.array([4.0, 1.5, -1.0, 0.5, -0.5, 1.0, -1.5, 0.0, -2.0, 2.0])[teacher.size:n]])
    q = {"onehot": Y, "smooth": (1 - eps) * Y + eps / n, "teacher": S_of(teacher, T)}[target]
    tg = [f for f in p.figures() if f["layout"].get("annotations", [{}])[0].get("text") == "student S against target q"][-1]
    p.check("lse: the target bars are q", np.allclose(np.asarray(arr(tg["data"][1]["y"]), float), q, atol=1e-12))
    gq = ce_grad(z, q, T)
    p.check("lse: the gradient bars are ∂CE(z, q)/∂z", np.allclose(np.asarray(arr(tg["data"][2]["y"]), float), gq,
                                                                   atol=1e-12 * scale))
    p.check("lse: the gradient panel says /T when T ≠ 1", tg["layout"]["annotations"][1]["text"]
            == ("gradient (S − q)" if T == 1 else "gradient (S − q)/T"), tg["layout"]["annotations"][1]["text"])
    sm = next(f for f in p.figures()
              if f["layout"].get("title", {}).get("text", "").startswith(("Label smoothing", "No smoothing")))
    stitle = sm["layout"]["title"]["text"]
    p.check("lse: the smoothing title claims a minimum only when ε > 0",
            stitle.startswith("Label smoothing" if eps > 0 else "No smoothing"), stitle)
    if eps > 0:
        d = T * math.log(1 + n * (1 - eps) / eps)
        p.check("lse: d* marked at T log(1 + n(1 − ε)/ε)", abs(sm["data"][2]["x"][0] - d) < 1e-12 * max(1, d))
        qs = (1 - eps) * np.eye(n)[0] + eps / n  # the plot's path: target first, z = (d, 0, ..., 0)
        L = lambda dd: float(np.real(-np.sum(qs * log_softmax(np.r_[dd, np.zeros(n - 1)].astype(complex) / T))))
        p.check("lse: d* is the minimum", L(d) <= min(L(d - 0.05 * T), L(d + 0.05 * T)))
    else:
        p.check("lse: ε = 0 marks no optimum", len(sm["data"]) == 2)
    dist = next(t for t in p.tables() if "T" in t.columns and any("T²" in c for c in t.columns))
    for _, r in dist.iterrows():
        Td = float(r["T"])
        gw = complex_step_grad(lambda x, Td=Td: Td * Td * np.sum(S_of(teacher, Td) * (np.log(S_of(teacher, Td))
                                                                                    - log_softmax(x / Td))), z)
        p.check(f"lse: distillation |T(S − q)| at T = {Td:g}", agrees(r["max |T(S − q)| (with T²)"], np.abs(gw).max()),
                f"{r.to_dict()} vs {np.abs(gw).max()}")
        p.check(f"lse: |(S − q)/T| at T = {Td:g}", agrees(r["max |(S − q)/T| (no T²)"], np.abs(gw).max() / Td**2))


LSE_GRID = (GRID + with_extra([Setting((2.0, 1.0, 0.1), 0.5), *SPECIAL[:3]], target="teacher")
            + with_extra([Setting((2.0, 1.0, 0.1), 2.0), Setting((1.0, 1.0, 0.0), 0.1)], target="onehot", y="3")
            + with_extra([Setting((2.0, 1.0, 0.1)), Setting((2.0, 1.0, 0.1, -1.0), 10.0)], eps="0")
            + with_extra([Setting((1000.0, 0.0, -1000.0))], y="3", eps="0.5"))


def check_reader(p: Shown) -> None:
    q_ = dict(p.setting.extra)
    i, T, n, z = int(q_.get("i", "1")) - 1, p.T, p.n, np.asarray(p.z, float)
    y, loss = int(q_.get("y", "1")) - 1, q_.get("loss", "cross_entropy")
    h, kind = float(q_.get("h", "0.1")), q_.get("nudge", "mixed")
    u = np.ones(n) if kind == "uniform" else (-0.5) ** np.arange(n)
    J = J_of(z, T)  # the complex step of the definition, exact where S_i is near 1
    pred = J[i] @ (h * u)
    # the true change S_i(z + Δz) − S_i(z) in mpmath, with digits enough to resolve it beside S_i ≈ 1: at
    # z = (8, 0, −8), T = 0.1 it is 1.4e-35, which the float64 difference of two softmaxes gives as 0
    gap = float(np.ptp(z) + 2 * abs(h)) / T
    with mp.workdps(60 + int(gap / 2.3)):
        def soft(dz):  # z + Δz added in mpmath: a uniform Δz is then exactly a shift, as the page means it
            x = [(mp.mpf(float(a)) + mp.mpf(float(d))) / mp.mpf(T) for a, d in zip(z, dz, strict=True)]
            e = [mp.exp(a - max(x)) for a in x]
            return e[i] / mp.fsum(e)
        true = float(soft(h * u) - soft(0 * u))
    m = {mm.label: mm.value for mm in p.at.metric}
    for t in p.at.table:  # the linearisation's three numbers are a one-row table
        m.update({str(c): str(t.value[c].iloc[0]) for c in t.value.columns if str(c).startswith(("predicted Δ", "true Δ"))})
    scale = max(1.0, 1 / T)
    shown_pred = fnum(m[f"predicted ΔS{sub(i)} (linear)"])  # printed to 6 significant digits
    p.check("reader: predicted ΔS_i = J_i·Δz", abs(shown_pred - pred) <= 1e-5 * abs(pred) + 1e-15 * scale, f"{m} vs {pred}")
    k = sub(i)
    p.check("reader: true ΔS_i", abs(fnum(m[f"true ΔS{k} = S{k}(z + Δz) − S{k}(z)"]) - true) <= 1e-5 * abs(true) + 1e-15,
            f"{m} vs {true}")
    cap = next((c for c in p.values("caption") if "linear prediction" in c or "the linearisation misses" in c), "")
    err = abs(true - pred)
    if true == 0:  # a uniform nudge: nothing moves, and J's row sums to 0
        p.check("reader: a zero change is compared with 0", cap.startswith("✓") == (abs(pred) <= 1e-15 * scale), cap)
    elif abs(true) < np.finfo(float).tiny:
        p.check("reader: a change below float64's range is said to be one", cap.startswith("⚠") and "cannot" in cap, cap)
    else:  # relative, however small the change (it was "both below 1e-12": 4e-18 passed for 3e-19)
        p.check("reader: ✓ only when the miss is within 5 %", cap.startswith("✓") == (err <= 0.05 * abs(true)), cap)
    text = p.text()
    mm = re.search(r"just add them\*\*: \$\\sum_j \\partial S_\{\d+\}/\\partial z_j = (" + TEXNUM + r")\$ \(([^)]*)\)", text)
    p.check("reader: A + B + C is computed and ~0", mm and abs(fnum(mm[1])) <= 1e-12 / T and "✓" in mm[2], mm and mm[0])
    g = grad_of(z, T, y, loss)
    mm = re.search(r"= (" + TEXNUM + r")\$\. \$J\$ is symmetric", text)
    p.check("reader: the column sum is ∂L/∂z_i", mm and agrees(texnum(mm[1]), g[i]), mm and mm[1])
    mm = re.search(r"add to 0 too: here \$\\sum_j \\partial L/\\partial z_j = (" + TEXNUM + r")\$ \(?(.)", text)  # "(✓ within …)"
    p.check("reader: Σ_j ∂L/∂z_j ≈ 0 and ticked", mm and abs(fnum(mm[1])) < 1e-9 * scale and mm[2] == "✓",
            mm and mm[0])
    fig = next(f for f in p.figures() if f["layout"].get("title", {}).get("text", "").startswith("Same numbers"))
    Jshown = np.asarray(arr(fig["data"][0]["z"]), float).reshape(n, n)
    p.check("reader: the heatmap is J", np.allclose(Jshown, J, rtol=1e-9, atol=1e-300))


READER_GRID = (GRID + with_extra([Setting((2.0, 1.0, 0.1), 0.5), Setting((1.0, 1.0, 0.0))], nudge="uniform", h="0.7")
               + with_extra([Setting((2.0, 1.0, 0.1)), Setting((2.0, 1.0, 0.1, -1.0), 2.0)], h="2", i="2")
               + with_extra([Setting((1000.0, 0.0, -1000.0)), Setting((8.0, 0.0, -8.0), 0.1)], y="3", i="3")
               + with_extra([Setting((3.0, 2.5, 2.0, 1.5, 1.0, 0.5, 0.0, -0.5, -1.0, -2.0), 0.5)], i="10", loss="mse"))

CASES = ([("pages/logsumexp.py", s, check_logsumexp) for s in LSE_GRID]
         + [("pages/chain_rule.py", s, check_reader) for s in READER_GRID])


@pytest.mark.parametrize("path,setting,checker", CASES,
                         ids=[f"{p.split('/')[-1][:-3]}-{s.id}" for p, s, _ in CASES])
def test_every_claim_is_true(path, setting, checker):
    run_claims(path, setting, checker)
