"""The claims grid (issue #25) for the four lessons that had none: Geometry, Log-softmax, Gradient check and The layer.

Same machinery as tests/test_claims.py (``Setting``, ``Shown``, ``agrees``, ``run_claims``) at its ``HARD`` settings and
the defaults. Every number is compared with an independent computation in mpmath (tests/oracles.py: softmax from the
definition, 1 − Sᵢ as the other outputs' sum), by relative error or to the digits it is printed with (core.fmt); a
residual whose exact value is 0 (a row sum, |Σ S − 1|) is held to float64 rounding relative to its terms
(``rounded_zero``), never to an absolute floor. Every parameter-dependent sentence is compared with those numbers.

Each case renders the whole lesson (``step=0``, every step at once), except The layer at the hard settings: only its
last step reads z and T (the first four draw the Training page's network, whatever the logits), so there the case
opens that step alone and the four others are seen at the layer's own settings.
"""

from __future__ import annotations

import math
import re

import mpmath as mp
import numpy as np
import pytest
from apptest_util import arr
from oracles import implausible_classes, mp_jacobian, mp_rest, mp_softmax, ref_softmax
from test_claims import (
    BASE,
    EPS,
    HARD,
    NUM,
    SUB,
    Setting,
    Shown,
    agrees,
    fnum,
    half_unit,
    items,
    rounded_zero,
    run_claims,
    sub,
    top_set,
    with_extra,
)

from pages._ui.registry import PAGES

DEFAULTS = Setting(BASE, note="defaults")  # core/state.py's n = 3, z = (2, 1, 0.1), T = 1, and every page key's default


def steps_seen(p: Shown, path: str) -> set[str]:
    """The slugs of the lesson's steps on screen (their titles are the subheaders: "k. title", or "title" alone)."""
    info = next(i for i in PAGES if i.path == path)
    heads = p.values("subheader")
    return {s.slug for s in info.steps if any(h == s.title or h.endswith(f". {s.title}") for h in heads)}


def want_steps(p: Shown, path: str) -> None:
    """Every step the setting opens is on screen: all of them, or the one ``step=k`` names."""
    info = next(i for i in PAGES if i.path == path)
    k = int(dict(p.setting.extra).get("step", "0"))
    want = {s.slug for s in info.steps} if k == 0 else {info.steps[k - 1].slug}
    p.check(f"{info.slug}: the steps opened are shown", steps_seen(p, path) == want, f"{steps_seen(p, path)} vs {want}")


def f64(values) -> np.ndarray:
    return np.array([float(v) for v in values])


def claims_rows(p: Shown) -> dict[str, tuple[str, str]]:
    """Every computed-claims table on screen (pages/_ui/claims.py) as {claim: (mark, computed)}."""
    rows = {}
    for t in p.tables():
        if "holds if" in t.columns:
            for _, r in t.iterrows():
                rows[r["claim"]] = (r.iloc[0], r["computed"])
    return rows


def trace(fig: dict, name: str) -> dict:
    return next(t for t in fig["data"] if t.get("name") == name)


def signed_ok(cells, exact) -> bool:
    """A column of core.fmt.signed cells (+0.341, −4.2×10⁻¹⁸; a heatmap's cell as "−4.2<br>×10⁻¹⁸", its power of ten
    on a second line) against exact values, to the printed digits."""
    return len(cells) == len(exact) and all(agrees(str(c).replace("<br>", ""), float(v))
                                            for c, v in zip(cells, exact, strict=True))


def pts(t: dict) -> list[float]:
    """A scatter trace's x's, then its y's (plotly's typed arrays decoded)."""
    return list(np.ravel(arr(t["x"]))) + list(np.ravel(arr(t["y"])))


def same(shown, exact, rel: float = 1e-12) -> bool:
    """Numbers a figure carries at full float64 precision against the exact ones, by relative error alone."""
    a, b = np.asarray(shown, float).ravel(), np.asarray(exact, float).ravel()
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= rel * np.abs(b)))


# ---- Geometry: softmax on the triangle ----------------------------------------------------------------------------


def drawn(shown, exact) -> bool:
    """A point drawn on the triangle is where float64 puts it in the drawing's own unit, the side (1): its coordinates
    are read against the axes, not printed, so they are held to 10⁻¹² of the side. (An arrow 4·10⁻¹⁸ long at
    z = (40, −40, 0) ends 10⁻³⁵ from its vertex, which float64 draws at the vertex; the numbers the lesson prints
    about that arrow are held relatively, in the claims rows and sentences.)"""
    a, b = np.asarray(shown, float).ravel(), np.asarray(exact, float).ravel()
    return a.shape == b.shape and bool(np.all(np.abs(a - b) <= 1e-12))


def xy(P) -> list:
    """Barycentric coordinates to the drawing plane (e₁ = (0, 0), e₂ = (1, 0), e₃ = (½, √3/2)), in mpmath."""
    with mp.workdps(50):
        return [P[1] + P[2] / 2, P[2] * mp.sqrt(3) / 2]


def dist(d) -> float:
    """The length in the drawing plane of a difference d = P − Q of two points' barycentric coordinates (mpf)."""
    with mp.workdps(50):
        d = xy(d)
        return float(mp.sqrt(d[0] ** 2 + d[1] ** 2))


GEO_GRID = [DEFAULTS, *HARD, Setting((2.0, 2.0, 0.0), note="toptie3"), Setting(BASE, 2.5, note="n3T25"),
            *with_extra([Setting((1.0, 1.0, 0.0), 0.5, note="tie")], y="3", c="-7.5", dz="0.5", radius="10"),
            *with_extra([Setting((8.0, 0.0, -8.0), 0.1, note="saturated")], y="2", c="0")]


def check_geometry(p: Shown) -> None:
    path = "pages/geometry.py"
    want_steps(p, path)
    q = dict(p.setting.extra)
    y, c, dz, radius = int(q.get("y", "1")) - 1, float(q.get("c", "2")), float(q.get("dz", "1")), float(q.get("radius", "4"))
    n, T, z = p.n, p.T, p.z
    S = mp_softmax(z, T)
    if n != 3:
        info = " ".join(p.values("info"))
        p.check("geometry: n ≠ 3 says what the simplex is", info.startswith(f"n = {n}: the simplex")
                and (n in (2, 4) or f"n − 1 = {n - 1} dimensions" in info), info)
        later = [c_ for c_ in p.values("caption") if c_.startswith("This step draws the triangle")]
        p.check("geometry: every later step points back to the statement", len(later) == 4
                and all(f"here n = {n}" in c_ for c_ in later), str(later))
        bars = p.figure(f"Your S for n = {n}")
        p.check("geometry: the bars are S", same(arr(bars["data"][0]["y"]), f64(S)), str(bars["data"][0]["y"]))
        return
    rows = claims_rows(p)
    Sf = f64(S)
    # step 1: the grid's image; min Sᵢ over the square [−r, r]² of the plane ⟂ 𝟙 is at a corner (log Sᵢ is concave)
    u1, u2 = np.array([1.0, -1.0, 0.0]) / math.sqrt(2), np.array([1.0, 1.0, -2.0]) / math.sqrt(6)
    corners = [a * u1 + b * u2 for a in (-radius, radius) for b in (-radius, radius)]
    low = float(min(min(mp_softmax(zz, T)) for zz in corners))
    md = p.one("markdown", "in the plane ⟂ 𝟙")
    m = re.search(r"on a 9 × 9 grid spanning ±(" + NUM + r") in the plane ⟂ 𝟙 land strictly inside the triangle: the "
                  r"smallest Sᵢ on the grid is (" + NUM + r") > 0", md)
    p.check("geometry: the grid's radius and its smallest Sᵢ (exact: a corner of the square)", m and fnum(m[1]) == radius
            and agrees(m[2], low), f"{md[:200]} vs {low}")
    grid = p.figure("Every logit vector lands inside")
    # the 9 + 9 grid lines, 61 points each, z = a u₁ + b u₂ (one of a, b fixed per line), drawn as S's position; a gap
    # (None) between lines; softmax from the definition (tests/oracles.py), positions to 10⁻¹² of the side
    fixed, run = np.linspace(-radius, radius, 9), np.linspace(-radius, radius, 61)
    for fam, name in enumerate(("grid lines, u₁ fixed", "grid lines, u₂ fixed")):
        want_x, want_y = [], []
        for f_ in fixed:
            ab = np.stack([np.full_like(run, f_), run], axis=1) if fam == 0 else np.stack([run, np.full_like(run, f_)], axis=1)
            Sg = np.real(ref_softmax((ab[:, :1] * u1 + ab[:, 1:] * u2) / T))
            want_x += [*(Sg[:, 1] + Sg[:, 2] / 2), np.nan]
            want_y += [*(Sg[:, 2] * math.sqrt(3) / 2), np.nan]
        t_ = trace(grid, name)
        got_x, got_y = np.asarray(arr(t_["x"]), float), np.asarray(arr(t_["y"]), float)
        p.check(f"geometry: the {name} are the grid's image under S(z/T)", got_x.shape == (len(want_x),)
                and np.array_equal(np.isnan(got_x), np.isnan(want_x))
                and drawn(np.nan_to_num(np.r_[got_x, got_y]), np.nan_to_num(np.r_[want_x, want_y])), name)
    dot = trace(grid, "your S")
    P = xy(S)
    p.check("geometry: your S is drawn at Σ Sᵢ Vᵢ", drawn(pts(dot), f64(P)), f"{dot['x']}, {dot['y']} vs {P}")
    p.check("geometry: the dot's label prints S", all(agrees(v, Sf[k]) for k, v in enumerate(items(dot["text"][0][4:]))),
            dot["text"][0])
    mark, got = rows["S is a point of the triangle"]
    m = re.fullmatch(r"S = (\(.*\)), \|Σ Sᵢ − 1\| = (" + NUM + ")", got)
    p.check("geometry: S in the claims row, |Σ Sᵢ − 1| float64 rounding", m and mark == "✓"
            and all(agrees(v, Sf[k]) for k, v in enumerate(items(m[1]))) and rounded_zero(m[2], 1, 4), f"{mark} {got}")
    # step 2: J's columns as arrows, and where S really goes
    for name in ("each arrow lies in the triangle's plane", "the three arrows add to 0"):
        mark, got = rows[name]
        m = re.search(r"= (" + NUM + ")$", got)
        p.check(f"geometry: '{name}' is 0 up to rounding, relative to Sⱼ/T", mark == "✓" and m and rounded_zero(m[1], 1),
                f"{mark} {got}")
    cols = p.figure("Nudge one zⱼ")
    with mp.workdps(50):
        for j in range(3):
            col = [S[j] * ((1 if i == j else 0) - S[i]) / mp.mpf(T) for i in range(3)]  # Sⱼ(eⱼ − S)/T
            tip = [a + mp.mpf(dz) * b for a, b in zip(xy(S), xy(col), strict=True)]
            t = trace(cols, f"∂S/∂z{sub(j)} (column {j + 1} of J)")
            p.check(f"geometry: arrow {j + 1}'s tip is S + Δz·(column {j + 1} of J)", drawn(pts(t), f64(tip)),
                    f"{t['x']}, {t['y']} vs {tip}")
        rings = trace(cols, "true S(z + Δz eⱼ)")
        true = [xy(mp_softmax(np.asarray(z) + dz * np.eye(3)[j], T)) for j in range(3)]
        p.check("geometry: the rings are S(z + Δz eⱼ)", drawn(pts(rings),
                                                            f64([t[0] for t in true] + [t[1] for t in true])))
    # step 3: the shift
    mark, got = rows["shift invariance"]
    m = re.fullmatch(r"c = (" + NUM + r"): max \|S\(z \+ c𝟙\) − S\(z\)\| = (" + NUM + r")( \(float64 rounded z \+ c: .*\))?",
                     got)
    ulp = float(np.max(np.spacing(np.abs(np.asarray(z) + c)))) + float(np.max(np.spacing(np.abs(np.asarray(z)))))
    # exact 0; float64 first rounds z + c, which moves S by up to |J|·ulp(z + c) (the ⚠ the row's note names)
    p.check("geometry: the shift row's c and its difference (exact 0: rounding of S, or of z + c)", m and fnum(m[1]) == c
            and ((mark == "✓" and rounded_zero(m[2], 1, 4)) or (mark == "⚠" and m[3] and abs(fnum(m[2])) <= 8 * ulp / T)),
            f"{mark} {got}")
    sh = p.figure("Add c = ")
    ring = next(t for t in sh["data"] if str(t.get("name", "")).startswith("S(z ") and t["name"] != "S(z)")
    p.check("geometry: the shifted ring sits on S", drawn(pts(ring), f64(P)))
    text = p.text()
    p.check("geometry: 'Move c' is asked for exactly when c = 0", ("Move $c$ to shift" in text) == (c == 0))
    # step 4: temperature; the path's ends are the documented g/25 (g: the lead of the largest logit) and 50·spread
    top = top_set(z)
    ties = len(top)
    zs = np.asarray(z)
    spread = float(zs.max() - zs.min()) or 1.0
    below = zs[zs < zs.max()]
    cold_T, hot_T = (float(zs.max() - below.max()) if below.size else spread) / 25, 50 * spread
    cold = [mp.mpf(1) / ties if k in top else mp.mpf(0) for k in range(3)]
    d_cold = dist([a - b for a, b in zip(mp_softmax(z, cold_T), cold, strict=True)])
    d_hot = dist([a - mp.mpf(1) / 3 for a in mp_softmax(z, hot_T)])
    sent = next((x for x in p.values("markdown") if x.startswith(("As T → 0", "All three logits are equal"))), "")
    path_fig = p.figure("Temperature:")
    row = next((r for k_, r in rows.items() if k_.startswith("temperature")), ("", ""))
    if ties == 3:
        p.check("geometry: three equal logits: one point at every T", sent.startswith("All three logits are equal"), sent)
        m = re.fullmatch(r"max distance = (" + NUM + ")", row[1])
        p.check("geometry: the still path's distance is rounding", row[0] == "✓" and m and rounded_zero(m[1], 1), str(row))
    else:
        name = (f"the vertex e{top[0] + 1}" if ties == 1 else f"the midpoint of the edge e{top[0] + 1}e{top[1] + 1}")
        m = re.search(r"As T → 0, S runs to (.*?) \(.*; at T = (" + NUM + r") it is (" + NUM + r") away\); as T → ∞, S runs"
                      r" to the centre \(⅓, ⅓, ⅓\) \(at T = (" + NUM + r"), (" + NUM + r") away\)\.", sent.translate(SUB))
        p.check("geometry: the temperature sentence's limit and distances", m and m[1] == name and agrees(m[2], cold_T)
                and agrees(m[3], d_cold) and agrees(m[4], hot_T) and agrees(m[5], d_hot)
                and (("unique largest" in sent) == (ties == 1)), f"{sent} vs {name}, {cold_T}, {d_cold}, {hot_T}, {d_hot}")
        m = re.fullmatch(r"(" + NUM + r") from it at T = (" + NUM + r"), (" + NUM + r") from the centre at T = (" + NUM + ")",
                         row[1])
        p.check("geometry: the temperature row's numbers", row[0] == "✓" and m and agrees(m[1], d_cold)
                and agrees(m[2], cold_T) and agrees(m[3], d_hot) and agrees(m[4], hot_T), str(row))
        p.check("geometry: the path's title names the cold limit", path_fig["layout"]["title"]["text"].replace(",<br>", ", ")
                == f"Temperature: T → 0 leads to {name}, T → ∞ to the centre".replace("e1", "e₁").replace("e2", "e₂")
                .replace("e3", "e₃"), path_fig["layout"]["title"]["text"])
    line = trace(path_fig, "S(z/T), every T")
    Ts = np.geomspace(cold_T, hot_T, 121)  # the documented sampling: 121 temperatures, geometric between the two ends
    said = [str(v) for v in np.ravel(arr(line["customdata"]))]
    p.check("geometry: the path's hover T's are the documented ones", len(said) == Ts.size
            and all(agrees(v, t) for v, t in zip(said, Ts, strict=True)), f"{said[:3]}…{said[-3:]}")
    exact = [xy(mp_softmax(z, t)) for t in Ts]
    p.check("geometry: every point of the path is S(z/T) at its T", drawn(pts(line), f64([e[0] for e in exact]
                                                                                      + [e[1] for e in exact])))
    mine = trace(path_fig, f"your S, T = {T:g}")
    p.check("geometry: your S on the path", drawn(pts(mine), f64(P)))
    # step 5: the CE arrow and S's first move J(y − S), all from the exact S
    with mp.workdps(50):
        arrow = [mp_rest(S, y) if k == y else -S[k] for k in range(3)]  # y − S, its target entry as Σ_{k≠y} S_k
        J = [[S[i] * ((1 if i == j else 0) - S[j]) / mp.mpf(T) for j in range(3)] for i in range(3)]
        move = [mp.fsum(J[i][j] * arrow[j] for j in range(3)) for i in range(3)]
        progress = float(mp.fsum(arrow[i] * move[i] for i in range(3)))
        a, b = xy(arrow), xy(move)
        na, nb = mp.sqrt(a[0] ** 2 + a[1] ** 2), mp.sqrt(b[0] ** 2 + b[1] ** 2)
        angle = float(mp.degrees(mp.acos((a[0] * b[0] + a[1] * b[1]) / (na * nb)))) if nb > 0 else math.nan
        jmax = float(max(abs(v) for r in J for v in r))
        move_tip = f64([P[0] + b[0], P[1] + b[1]])
    mark, got = rows["the CE arrow points at y's vertex"]
    m = re.fullmatch(r"\|tip − vertex\| = (" + NUM + r"), Σ\(y − S\) = (" + NUM + ")", got)
    p.check("geometry: the arrow ends on y's vertex, its entries sum to 0 (rounding)", mark == "✓" and m
            and rounded_zero(m[1], 1) and rounded_zero(m[2], 1), f"{mark} {got}")
    mark, got = rows["a small step moves S towards y"]
    m = re.fullmatch(r"\(y − S\)ᵀ J \(y − S\) = (" + NUM + r"); (?:S's move is (" + NUM + r")° off the straight line|(S's "
                     r"move is too short for float64 to show its direction))", got)
    sent = next((x for x in p.values("markdown") if x.startswith(("The arrow y − S", "S is exactly the vertex"))), "")
    noise = 3 * EPS / T * float(max(abs(v) for v in arrow))  # core's stated resolution of J(y − S): 3ε/T·max|y − S|
    if m and m[2]:
        ok = mark == "✓" and agrees(m[1], progress) and agrees(m[2], angle)
        said = re.search(r"(" + NUM + r")° off that line", sent)
        ok_sent = (said is not None and agrees(said[1], angle)) if angle >= 10 * math.degrees(math.sqrt(2 * EPS)) else \
            "0° to float64's precision" in sent
        p.check("geometry: the sentence's angle", ok_sent and (("too small to see" in sent) == (angle < 0.5 and bool(said))),
                f"{sent} vs {angle}")
        alt = next(a_ for a_ in p.alts() if a_.startswith("A solid arrow"))
        p.check("geometry: the alt's angle", alt.endswith(" degrees off it.") and agrees(alt.split(", ")[-1].split(" ")[0],
                                                                                         angle), alt)
        p.check("geometry: S's first move J(y − S) is drawn", drawn(pts(trace(
                p.figure("The cross-entropy gradient"), "S's first move, J(y − S) (dashed)"))[1::2], move_tip), "")
    else:  # no angle: the exact move is below core's stated resolution of 10⁴ × its rounding (1 % slack)
        ok = mark == "⚠" and m is not None and agrees(m[1], progress) and float(nb) <= 1.01e4 * noise
        p.check("geometry: the sentence says the move has no direction float64 can show",
                "cannot show which way" in sent or "too much to quote" in sent or "underflowed" in sent, sent)
        big = re.search(r"largest entry (" + NUM + r")\)", sent)
        p.check("geometry: the sentence's largest |J|", big is None or agrees(big[1], jmax), f"{sent} vs {jmax}")
    p.check("geometry: (y − S)ᵀJ(y − S) and the angle in the claims row", ok, f"{mark} {got} vs {progress}, {angle}")
    label = "−∂L/∂z = y − S" if T == 1 else f"−T·∂L/∂z = y − S (T = {T:g})"
    grad = p.figure("The cross-entropy gradient")
    p.check("geometry: the arrow's label says what it is at this T", any(t.get("name") == label for t in grad["data"]),
            str([t.get("name") for t in grad["data"]]))
    p.check("geometry: the sentence names y's vertex", f"vertex e{y + 1}" in sent.translate(SUB), sent)


# ---- Log-softmax ---------------------------------------------------------------------------------------------------

LOG_GRID = [DEFAULTS, *HARD, *with_extra([Setting((40.0, -40.0, 0.0), note="sat40")], i="2", y="2"),
            *with_extra([Setting((2.0, 1.0, 0.1, -1.0, -2.0), 2.5, note="n5T25")], i="5", y="3")]


def check_log_softmax(p: Shown) -> None:
    path = "pages/log_softmax.py"
    want_steps(p, path)
    q = dict(p.setting.extra)
    i, y, n, T, z = int(q.get("i", "1")) - 1, int(q.get("y", "1")) - 1, p.n, p.T, p.z
    S = mp_softmax(z, T)
    t = mp.mpf(T)
    with mp.workdps(50):
        rest = [mp_rest(S, k) for k in range(n)]
        one_minus = lambda k: rest[k]  # 1 − S_k, exact however close S_k is to 1
        Jl = [[(one_minus(a) if a == b else -S[b]) / t for b in range(n)] for a in range(n)]  # (δᵢⱼ − Sⱼ)/T
        J = [[S[a] * Jl[a][b] for b in range(n)] for a in range(n)]
        dz = [0.1 if k % 2 == 0 else -0.05 for k in range(n)]  # core's documented nudge and upstream g
        g = list(np.linspace(-1.0, 0.5, n))
        row, col = Jl[i], [Jl[k][i] for k in range(n)]
        row_terms = [row[k] * mp.mpf(dz[k]) for k in range(n)]
        col_terms = [mp.mpf(g[k]) * col[k] for k in range(n)]
        row_total, col_total = mp.fsum(row_terms), mp.fsum(col_terms)
        Sd = mp_softmax([mp.mpf(float(a)) + mp.mpf(d) for a, d in zip(z, dz, strict=True)], T)  # z + Δz, not rounded
        true = mp.log(Sd[i]) - mp.log(S[i])
        asym = max(abs(Jl[a][b] - Jl[b][a]) for a in range(n) for b in range(n))
        gap = max(abs(row[k] - col[k]) for k in range(n))
    rows = claims_rows(p)
    figs = [f for f in p.figures() if f["layout"].get("title", {}).get("text", "").startswith("Row ≠ column")]
    p.check("log-softmax: every step's figure holds J_log and J", len(figs) == len(steps_seen(p, path)) and all(
        same(arr(f["data"][0]["z"]), f64([v for r in Jl for v in r])) and same(arr(f["data"][1]["z"]), f64([v for r in J
                                                                                                       for v in r]))
        for f in figs), "")
    p.check("log-softmax: the heatmaps' cell texts print their entries", all(
        signed_ok(np.ravel(arr(f["data"][0]["text"])), [v for r in Jl for v in r])
        and signed_ok(np.ravel(arr(f["data"][1]["text"])), [v for r in J for v in r]) for f in figs[:1]), "")
    # step 1: a row and a column
    table = next(t_ for t_ in p.tables() if "nudge Δzⱼ" in t_.columns)
    c = list(table.columns)
    p.check("log-softmax: the row/column table's headers name i", c[1].startswith(f"row {i + 1}:")
            and c[4].startswith(f"column {i + 1}:"), str(c))
    for k_, want in ((1, row), (2, dz), (3, row_terms), (4, col), (5, g), (6, col_terms)):
        p.check(f"log-softmax: the table's '{c[k_]}'", signed_ok(list(table[c[k_]]), want), f"{list(table[c[k_]])} vs "
                f"{[float(v) for v in want]}")
    cap = p.one("caption", "A nudge reads the row")
    m = re.search(r"Σⱼ \(row × Δz\) = (" + NUM + r") \(the true change is (" + NUM + r")\)\. .* = (" + NUM + r"), with g",
                  cap)
    p.check("log-softmax: the nudge's linear and true change and backprop's column sum", m and agrees(m[1], float(row_total))
            and agrees(m[2], float(true)) and agrees(m[3], float(col_total)),
            f"{cap} vs {float(row_total)}, {float(true)}, {float(col_total)}")
    sent = next((x for x in p.values("markdown") if x.startswith(f"Row {i + 1} ")), "")
    uniform = len(top_set(z)) == n
    if uniform:
        p.check("log-softmax: uniform S: the row and the column are the same", "hold the same numbers" in sent, sent)
    else:
        m = re.search(r"the same −S[₀-₉]+/T = (" + NUM + r") in every entry but the diagonal\. They differ by up to ("
                      + NUM + ")", sent)
        p.check("log-softmax: the column's −Sᵢ/T and the largest row-column gap", m and agrees(m[1], float(-S[i] / t))
                and agrees(m[2], float(gap)), f"{sent} vs {float(-S[i] / t)}, {float(gap)}")
        others = [k for k in range(n) if k != i]
        tied = [k for k in others if sum(z[k] == z[k2] for k2 in others) > 1]
        p.check("log-softmax: equal row entries are named exactly where z ties", ("no two of its entries are equal" in sent)
                == (not tied), sent)
    mark, got = next((r for k_, r in rows.items() if "symmetric" in k_), ("", ""))
    m = re.search(r"= (" + NUM + ")", got)
    p.check("log-softmax: max |J_log − J_logᵀ|", mark == "✓" and m and (agrees(m[1], float(asym)) if not uniform else
                                                                       rounded_zero(m[1], 1 / T)), f"{got} vs {float(asym)}")
    mark, got = rows[f"row {i + 1} ≠ column {i + 1}"]
    m = re.search(r"= (" + NUM + ")", got)
    p.check("log-softmax: max |row − column|", mark == "✓" and m and (agrees(m[1], float(gap)) if not uniform else
                                                                     rounded_zero(m[1], 1 / T)), f"{got} vs {float(gap)}")
    # step 2: sums (rows: exact 0, rounding relative to the terms' 2(1 − Sᵢ)/T ≤ 2/T; columns (1 − nSⱼ)/T)
    sums = next(t_ for t_ in p.tables() if "(1 − nSⱼ)/T" in t_.columns)
    with mp.workdps(50):
        colsum = [(1 - n * S[k]) / t for k in range(n)]
    p.check("log-softmax: every row sum is 0 up to rounding", all(rounded_zero(v, 2 / T, 2 * n)
                                                                  for v in sums["row sum Σⱼ ∂log Sᵢ/∂zⱼ"]), str(sums))
    p.check("log-softmax: the column sums and (1 − nSⱼ)/T", signed_ok(list(sums["column sum Σᵢ ∂log Sᵢ/∂zⱼ"]), colsum)
            and signed_ok(list(sums["(1 − nSⱼ)/T"]), colsum), sums.to_string())
    mark, got = rows["rows sum to 0"]
    m = re.search(r"= (" + NUM + ")", got)
    p.check("log-softmax: the rows' row: max |row sum|, rounding", mark == "✓" and m and rounded_zero(m[1], 2 / T, 2 * n), got)
    mark, got = rows["columns need not sum to 0"]
    m = re.search(r"column sums (\(.*\))", got)
    p.check("log-softmax: the column sums in the claims row", mark == "✓" and m
            and all(agrees(v, float(colsum[k])) for k, v in enumerate(items(m[1]))), got)
    # step 3: the short route: diag(S) J_log = J exactly; what is shown is rounding, relative to Sᵢ(δᵢⱼ + Sⱼ)/T
    cap = p.one("caption", "Here, entry by entry")
    m = re.search(r"differ by at most (" + NUM + ") times", cap)
    p.check("log-softmax: the route's difference is rounding", "not one bit apart" in cap or (m and rounded_zero(m[1], 1, 4)),
            cap)
    mark, got = rows["the log-derivative route"]
    m = re.search(r"= (" + NUM + ")$", got)
    p.check("log-softmax: the route's row", mark == "✓" and m and rounded_zero(m[1], 1, 4), got)
    # step 4: fused with NLL; −log S_y from the definition, exact
    loss = float(-mp.log(S[y]))
    fused = next(t_ for t_ in p.tables() if "route" in t_.columns)
    lcol = next(c_ for c_ in fused.columns if c_.startswith("loss −log S"))
    p.check("log-softmax: the loss column names y", lcol == f"loss −log S{sub(y)}",
            lcol)
    unf, fus, ref = list(fused[lcol])
    p.check("log-softmax: the fused and the exact loss are −log S_y", agrees(fus, loss) and agrees(ref, loss),
            f"{fus}, {ref} vs {loss}")
    err = list(fused["relative error"])
    u = fnum(unf) if unf not in ("∞", "inf") else math.inf
    want_err = abs(u - loss) / loss if loss > 0 else (0.0 if u == 0 else math.inf)
    # the unfused route's loss is float64's log of a rounded S_y: exact to its digits, or its relative error says how far
    p.check("log-softmax: the unfused loss, and its relative error", (agrees(unf, loss) and rounded_zero(err[0], 1, 8))
            or (fnum(err[0]) > 1e-6 and agrees(err[0], want_err)), f"{unf}, {err[0]} vs {loss}")
    p.check("log-softmax: the fused route's relative error is rounding, the exact one's 0", rounded_zero(err[1], 1, 8)
            and err[2] == "0", str(err))
    with mp.workdps(50):
        grad = [(-rest[k] if k == y else S[k]) / t for k in range(n)]  # (S − y)/T, its target entry −Σ_{k≠y} S_k/T
    gcol = "gradient ∂L/∂z (first entries)"
    for r_, name in ((0, "unfused"), (1, "fused")):
        shown = items(fused[gcol].iloc[r_])
        p.check(f"log-softmax: the {name} route's gradient is (S − y)/T", len(shown) == min(n, 4)
                and all(agrees(v, float(grad[k])) or (name == "unfused" and v in ("NaN", "nan") and S[y] < 2.5e-324)
                        for k, v in
                        enumerate(shown)), f"{fused[gcol].iloc[r_]} vs {[float(v) for v in grad[:4]]}")
    why = next((x for x in p.values("markdown") if "that is why frameworks fuse" in x), "")
    m = re.search(r"relative error (" + NUM + r")\): S[₀-₉]+ = (" + NUM + ")", why)
    m2 = re.search(r"the loss is (" + NUM + r") instead of (" + NUM + r") \(relative error (" + NUM + r"); fused: (" + NUM
                   + r")\)", why)
    p.check("log-softmax: the fused sentence's numbers", (m and agrees(m[1], fnum(err[0])) and agrees(m[2], float(S[y])))
            or (m2 and agrees(m2[1], u) and agrees(m2[2], loss) and agrees(m2[3], want_err) and m2[4] == err[1]), why)
    mark, got = rows["does not vanish at saturation"]
    m = re.search(r"= (" + NUM + r") against max \|J\| = (" + NUM + ")", got)
    jl_max = float(max(abs(v) for r in Jl for v in r))
    j_max = float(max(abs(v) for r in J for v in r))
    p.check("log-softmax: max |J_log| and max |J|", mark == "✓" and m and agrees(m[1], jl_max) and agrees(m[2], j_max)
            and jl_max >= 0.5 / T, f"{got} vs {jl_max}, {j_max}")
    hint = p.one("caption", "Left panel")
    m = re.search(r"At T = (" + NUM + r"), try z = \((" + NUM + r"), −(" + NUM + r"), 0\): softmax's J fades \(max \|J\| = ("
                  + NUM + r")\) while max \|\$J_\{\\log\}\$\| = (" + NUM + r")", hint)
    ok = m is not None and agrees(m[1], T)
    if ok:
        a = fnum(m[2])
        Sh = mp_softmax((a, -a, 0.0), T)
        jh = max(abs(float(v)) for r in mp_jacobian((a, -a, 0.0), T) for v in r)
        ok = agrees(m[4], jh) and agrees(m[5], float(max(mp_rest(Sh, k) for k in range(3)) / t)) and jh * T < 1e-12
        # the second logits: S₂ below half float64's smallest subnormal (4.9×10⁻³²⁴), so it rounds to 0
        under = re.search(r"\(S₂ = (" + NUM + r") is still positive\); then z = \((" + NUM + r"), −", hint)
        b = fnum(under[2]) if under else a
        ok = ok and (under is None or agrees(under[1], float(Sh[1]))) and mp_softmax((b, -b, 0.0), T)[1] < 2.5e-324
    p.check("log-softmax: the saturation hint's numbers", ok, hint)


# ---- The layer -----------------------------------------------------------------------------------------------------

LAYER_OWN = [DEFAULTS, Setting(BASE, extra=(("data", "spirals"), ("D", "3"), ("m", "20"), ("dseed", "3"), ("iseed", "4"),
                                            ("wscale", "10"), ("lr", "0.01"), ("s", "7"), ("y", "2"), ("draws", "100"),
                                            ("eseed", "5")), note="own")]
# steps 1-4 draw the Training page's network whatever z and T are: the hard settings open step 5, the one that reads them
LAYER_GRID = LAYER_OWN + with_extra(HARD, step="5") + with_extra([Setting((40.0, -40.0, 0.0), note="sat40")], step="5", y="2")
LAYER_H = 1e-4  # the documented step of the live check (its caption prints it)


def mean_ce(X, y, W, b) -> float:
    """The mean cross-entropy from the definition, in float64: mean over samples of LSE(z) − z_y (max subtracted)."""
    Z = X @ W.T + b
    top = Z.max(axis=1, keepdims=True)
    return float(np.mean(np.log(np.exp(Z - top).sum(axis=1)) + top[:, 0] - Z[np.arange(len(y)), y]))


def fd_max_abs(f, a: np.ndarray, x: np.ndarray) -> float:
    """max |a − f| over x's entries, f the central difference of ``f`` at ``LAYER_H`` (float64, from the definition)."""
    worst = 0.0
    for idx in np.ndindex(x.shape):
        old = x[idx]
        x[idx] = old + LAYER_H
        up = f()
        x[idx] = old - LAYER_H
        down = f()
        x[idx] = old
        worst = max(worst, abs(a[idx] - (up - down) / (2 * LAYER_H)))
    return worst


def check_layer(p: Shown) -> None:
    import core  # the data set and the initial weights only, as tests/test_claims_j3.py's At scale check

    path = "pages/layer.py"
    want_steps(p, path)
    q = dict(p.setting.extra)
    seen = steps_seen(p, path)
    data, D, mc = q.get("data", "blobs"), int(q.get("D", "2")), int(q.get("m", "50"))
    X, yv = core.make_dataset(data, mc, D, int(q.get("dseed", "0")))
    W, b = core.init_params(D, 3, int(q.get("iseed", "0")), scale=float(q.get("wscale", "0.1")))
    M = len(yv)
    with mp.workdps(50):
        Ss = [mp_softmax(list(X[r] @ W.T + b), 1.0) for r in range(M)]
        E = [[(-mp_rest(Ss[r], k) if k == yv[r] else Ss[r][k]) for k in range(3)] for r in range(M)]  # S − y per sample
        dW = np.array([[float(mp.fsum(E[r][k] * mp.mpf(float(X[r, d])) for r in range(M)) / M) for d in range(D)]
                       for k in range(3)])
        terms = np.array([[float(mp.fsum(abs(E[r][k] * mp.mpf(float(X[r, d]))) for r in range(M)) / M) for d in range(D)]
                          for k in range(3)])
        db = np.array([float(mp.fsum(E[r][k] for r in range(M)) / M) for k in range(3)])
        dX = np.array([[float(mp.fsum(E[r][k] * mp.mpf(float(W[k, d])) for k in range(3)) / M) for d in range(D)]
                       for r in range(M)])
    # float64's sum of M products of size |terms| rounds by up to about M·ε·Σ|terms| (no absolute floor)
    near = lambda shown, exact, scale: np.all(np.abs(np.asarray(shown, float) - exact) <= 2 * M * EPS * scale)
    if "shapes" in seen:
        cap = p.one("caption", "The batch: m = ")
        p.check("layer: the batch's sizes", f"m = {M} samples (3 classes × {mc}), D = {D} inputs, n = 3 classes" in cap, cap)
        t = next(t_ for t_ in p.tables() if "shape" in t_.columns)
        want = [f"({M}, {D})", f"(3, {D})", "(3,)", f"({M}, {D})·({D}, 3) = ({M}, 3)", f"({M}, 3)", f"({M}, 3)",
                f"({M}, 3)", f"(3, {M})·({M}, {D}) = (3, {D})", "(3,)", f"({M}, 3)·(3, {D}) = ({M}, {D})"]
        p.check("layer: every shape in the table", list(t["shape"]) == want, str(list(t["shape"])))
        p.check("layer: the shapes figure's m", f"m = {M} is summed away" in p.figure("Shapes")["layout"]["title"]["text"])
    if "check" in seen:
        hm = p.figure("∂L/∂W = (S − Y)ᵀX / m")
        p.check("layer: the ∂L/∂W heatmap is (S − Y)ᵀX/m", near(np.reshape(arr(hm["data"][0]["z"]), (3, D)), dW, terms),
                f"{hm['data'][0]['z']} vs {dW}")
        p.check("layer: its cell texts print it", signed_ok(np.ravel(arr(hm["data"][0]["text"])), dW.ravel()),
                str(hm["data"][0]["text"]))
        rows = claims_rows(p)
        Xc, Wc, bc = X.copy(), W.copy(), b.copy()
        loss = mean_ce(X, yv, W, b)
        fd_err = 8 * EPS * abs(loss) / LAYER_H  # FD's rounding at h: a few ε·|L|/h, the caption's "rounding ε·|L|/h"
        mine = {"W": fd_max_abs(lambda: mean_ce(X, yv, Wc, b), dW, Wc), "b": fd_max_abs(lambda: mean_ce(X, yv, W, bc), db, bc),
                "X": fd_max_abs(lambda: mean_ce(Xc, yv, W, b), dX, Xc)}
        for key, name in (("W", "∂L/∂W = (S − Y)ᵀX/m"), ("b", "∂L/∂b = Σᵣ (Sᵣ − Yᵣ)/m"), ("X", "∂L/∂X = (S − Y)W/m")):
            mark, got = rows[name]
            m = re.search(r"max relative error = (" + NUM + r")(?: \(above 10⁻⁷ only on (\d+) entries where .* up to (" + NUM
                          + r"), .*\))?, max \|a − f\| = (" + NUM + ")$", got)
            ok = m is not None and abs(fnum(m[4]) - mine[key]) <= fd_err + 1.01 * half_unit(m[4])
            ok = ok and ((mark == "✓") == (fnum(m[1]) < 1e-7)) and (mark != "⚠" or (m[2] is not None
                                                                                   and fnum(m[4]) <= fnum(m[3])))
            p.check(f"layer: the live check of ∂L/∂{key}: FD's max |a − f|, and the mark", ok,
                    f"{mark} {got} vs {mine[key]} ± {fd_err}")
        cap = p.one("caption", "Checked on")
        p.check("layer: the check's batch and h", cap.startswith("Checked on the whole batch" if 3 * mc <= 320 // D else
                                                                 "Checked on ") and "h = 0.0001," in cap, cap)
    if "sample" in seen:
        r = int(q.get("s", "1")) - 1
        sent = p.one("markdown", f"Sample {r + 1} (class {int(yv[r]) + 1}): S − y = ")
        m = re.search(r"S − y = (\(.*?\)), x = (\(.*?\))\. Its ∂L/∂x = Wᵀ\(S − y\)/m = (\(.*?\)):", sent)
        p.check("layer: sample r's S − y, x and ∂L/∂x", m and all(agrees(v, float(E[r][k])) for k, v in enumerate(items(m[1])))
                and all(agrees(v, X[r, d]) for d, v in enumerate(items(m[2])))
                and all(agrees(v, dX[r, d]) for d, v in enumerate(items(m[3]))),
                f"{sent} vs S − y = {[float(v) for v in E[r]]}, x = {list(X[r])}, ∂L/∂x = {list(dX[r])}")
        hm = p.figure(f"Sample {r + 1}'s share")
        share = np.array([[float(E[r][k] * mp.mpf(float(X[r, d])) / M) for d in range(D)] for k in range(3)])
        p.check("layer: sample r's share (S − y)xᵀ/m", same(np.reshape(arr(hm["data"][0]["z"]), (3, D)), share),
                f"{hm['data'][0]['z']} vs {share}")
        cap = p.one("caption", "of their shares − ∂L/∂W")
        m = re.search(r"Σ over the (\d+) samples of their shares − ∂L/∂W: at most (" + NUM + r") \(float64 rounding\)", cap)
        p.check("layer: the shares add to ∂L/∂W up to rounding", m and int(m[1]) == M
                and rounded_zero(m[2], float(terms.max()), 2 * M), cap)
    if "training" in seen:
        lr = float(q.get("lr", "0.5"))
        sent = p.one("markdown", "is the Training page's first step")
        m = re.search(r"with η = (" + NUM + r") is the Training page's first step for these weights: the two agree to a "
                      r"relative (" + NUM + r") \(float64", sent)
        # W − ηΔ rounds at ε·|W|, which is what "relative" (to ηΔ) sees: large W and a small η magnify it
        p.check("layer: η and the two routes' relative difference (rounding of W − ηΔ)", m and agrees(m[1], lr)
                and rounded_zero(m[2], max(1.0, float(np.abs(W).max() / np.abs(lr * dW).max())), 8), sent)
        hm = p.figure("ΔW = −η·∂L/∂W")
        p.check("layer: ΔW = −η·∂L/∂W", near(np.reshape(arr(hm["data"][0]["z"]), (3, D)), -lr * dW, lr * terms),
                f"{hm['data'][0]['z']} vs {-lr * dW}")
    if "expected" in seen:
        z, T, n = p.z, p.T, p.n
        y = int(q.get("y", "1")) - 1
        S = mp_softmax(z, T)
        with mp.workdps(50):
            grad = [(-mp_rest(S, k) if k == y else S[k]) / mp.mpf(T) for k in range(n)]
        t = next(t_ for t_ in p.tables() if "expected Sₖ" in t_.columns)
        gcol = next(c_ for c_ in t.columns if c_.startswith("∂L/∂zₖ"))
        p.check("layer: the gradient column names its /T", gcol == "∂L/∂zₖ = (expected − observed)" + ("" if T == 1 else "/T"),
                gcol)
        p.check("layer: expected Sₖ, observed e_y, and (S − e_y)/T", all(agrees(v, float(S[k]))
                                                                        for k, v in enumerate(t["expected Sₖ"]))
                and list(t[f"observed (e{sub(y)})ₖ"]) == ["1" if k == y else "0" for k in range(n)]
                and signed_ok(list(t[gcol]), grad), f"{t.to_string()} vs {[float(v) for v in grad]}")
        sent = p.one("markdown", "Draw a class k with probability")
        per = "" if T == 1 else "/T"
        m = re.search(r"the mean is S = (\(.*\)), the model's expectation\. .* pushes up z[₀-₉]+ by \(1 − S[₀-₉]+\)"
                      + re.escape(per) + r" = (" + NUM + r")\.", sent)
        first = items(m[1]) if m else []
        p.check("layer: the sentence's S and (1 − S_y)/T", m and len(first) == min(n, 4) and all(
            agrees(v, float(S[k])) for k, v in enumerate(first)) and agrees(m[2], float(mp_rest(S, y) / mp.mpf(T)))
            and f"by what the model expects of it, Sₖ{per}," in sent, sent)
        best = top_set(z)
        m = re.search(r"Right now it expects class (\d+) most \(S[₀-₉]+ = (" + NUM + r")\)", sent)
        p.check("layer: 'already expects the target most' exactly when y holds the largest logit, else the class it does",
                ("already expects the target most" in sent) == (y in best and len(best) == 1)
                and (m is None or (int(m[1]) - 1 in best and agrees(m[2], float(S[int(m[1]) - 1])))), sent[-200:])
        fig = p.figure("The mean of the one-hot draws")
        draws = int(q.get("draws", "1000"))
        means = np.array([np.asarray(arr(fig["data"][k]["y"]), float) for k in range(n)]).T
        # the chart draws every draw up to 100, then a thinned log axis, and always the last (figures.layer_figs)
        at = np.asarray(arr(fig["data"][0]["x"]), float).astype(int)
        p.check("layer: the chart draws every draw to 100 and the last, in order, the same x for every class",
                at[0] == 1 and at[-1] == draws and np.all(np.diff(at) > 0) and set(range(1, min(draws, 100) + 1)) <= set(at)
                and all(np.array_equal(np.asarray(arr(fig["data"][k]["x"]), float).astype(int), at) for k in range(n)),
                f"{at[:5]} … {at[-3:]}")
        counts = at[:, None] * means
        p.check("layer: each running share is a count over the draws so far", means.shape == (len(at), n)
                and np.allclose(counts, np.round(counts), rtol=0, atol=1e-9 * draws) and np.allclose(means.sum(axis=1), 1))
        # the draws again, from numpy's own sampler on the exact S with the link's seed (the page documents
        # np.random.default_rng(eseed)), and their counts plausible under Binomial(draws, Sₖ) (tests/oracles.py)
        k_ = np.random.default_rng(int(q.get("eseed", "0"))).choice(n, size=draws, p=f64(S) / f64(S).sum())
        redrawn = (np.cumsum(np.eye(n)[k_], axis=0) / np.arange(1, draws + 1)[:, None])[at - 1]
        p.check("layer: the running shares are the seeded draws k ~ S", means.shape == redrawn.shape
                and np.array_equal(np.round(counts), np.round(redrawn * at[:, None])), "")
        p.check("layer: every class's count is plausible under Binomial(draws, Sₖ)",
                implausible_classes(means[-1], f64(S), draws) == [], str(means[-1]))
        gap = max(abs(means[-1, k] - float(S[k])) if means[-1, k] != 1 else float(mp_rest(S, k)) for k in range(n))
        alt = next(a_ for a_ in p.alts() if a_.startswith("Running share"))
        m = re.search(r"largest gap at the end (" + NUM + r")\.", alt)
        p.check("layer: the alt's final gap max |mean − S|", m and agrees(m[1], gap), f"{alt} vs {gap}")


# ---- Gradient check ------------------------------------------------------------------------------------------------

GC_GRID = [DEFAULTS, *HARD, *with_extra([Setting((40.0, -40.0, 0.0), note="sat40"), Setting((8.0, 0.0, -8.0), 0.1)],
                                        subj="ce"),
           *with_extra([Setting((40.0, -40.0, 0.0), note="sat40"), Setting(BASE, 2.5)], subj="log_softmax", fdh="0.001"),
           *with_extra([Setting((1.0, 1.0, 1.0)), Setting((2.0, 1.0, 0.1, -1.0, -2.0), 2.5)], subj="ce", y="3", fdh="1e-10")]
HS = [10.0 ** -k for k in range(1, 13)]  # the documented sweep: h = 10⁻¹ … 10⁻¹²
CS231N = ((1e-7, "good"), (1e-4, "suspicious"), (1e-2, "uncomfortable"), (math.inf, "wrong"))  # CS231n's bands
FD_ULPS = 4  # F is rounded by a few ulps of max(|F|, 1) on each side of a central difference: the page's "resolution"


def band(rel: float) -> str:
    return next(word for bound, word in CS231N if rel < bound)


def gc_exact(z, subj: str, y: int, T: float):
    """F (as a function of mpf z) and its exact derivative a, entries flattened: S and J, log S and J_log, or −log S_y and
    (S − y)/T (1 − Sᵢ always as the other outputs' sum)."""
    n = len(z)
    t = mp.mpf(T)

    def F(x):
        S = mp_softmax(x, T)
        if subj == "softmax":
            return S
        logs = [mp.log(v) for v in S]
        return logs if subj == "log_softmax" else [-logs[y]]

    S = mp_softmax(z, T)
    with mp.workdps(50):
        if subj == "softmax":
            a = [(S[i] * mp_rest(S, i) if i == j else -S[i] * S[j]) / t for i in range(n) for j in range(n)]
        elif subj == "log_softmax":
            a = [(mp_rest(S, i) if i == j else -S[j]) / t for i in range(n) for j in range(n)]
        else:
            a = [(-mp_rest(S, k) if k == y else S[k]) / t for k in range(n)]
    return F, a


def fd_interval(F, a, z, h: float, n: int):
    """The max relative error |a − f|/max(|a|, |f|) a float64 central difference can read at h: f is the exact quotient
    (F(z + h) − F(z − h))/2h at the float64 points z ± h, moved by at most its rounding R = FD_ULPS·ε·max(|F|, 1)/h.
    Returns (low, high, exact per-entry quotient, R)."""
    with mp.workdps(50):
        cols = []
        for j in range(n):
            up, down = list(z), list(z)
            up[j], down[j] = float(z[j] + h), float(z[j] - h)  # the points float64 differences (z ± h rounded)
            Fu, Fd = F(up), F(down)
            cols.append([(u - d) / (2 * mp.mpf(h)) for u, d in zip(Fu, Fd, strict=True)])
        m = len(cols[0])
        f = [float(cols[j][i]) for i in range(m) for j in range(n)]  # row i (output), column j (input), as a
        Fz = F(list(z))
        R = FD_ULPS * EPS * max(float(max(abs(v) for v in Fz)), 1.0) / h
    A = np.array([float(v) for v in a])
    fx = np.array(f)
    diff = np.abs(A - fx)
    big = np.maximum(np.abs(A), np.abs(fx))
    low = np.max(np.maximum(diff - R, 0) / np.maximum(big + R, 1e-300))
    high = np.max(np.minimum(np.where(big - R > 0, (diff + R) / np.maximum(big - R, 1e-300), 2.0), 2.0))
    return float(low), float(high), fx, R


def check_gradcheck(p: Shown) -> None:
    path = "pages/gradcheck.py"
    want_steps(p, path)
    q = dict(p.setting.extra)
    subj, y, fdh, n, T, z = q.get("subj", "softmax"), int(q.get("y", "1")) - 1, float(q.get("fdh", "1e-6")), p.n, p.T, p.z
    F, a = gc_exact(z, subj, y, T)
    A = np.array([float(v) for v in a])
    Fz = F(list(z))
    resolution = lambda h: EPS * max(float(max(abs(v) for v in Fz)), 1.0) / h  # the page's ε·max(|F|, 1)/h
    figs = [f for f in p.figures() if f["layout"].get("title", {}).get("text", "").startswith("Gradient check of")]
    fig = figs[0]
    fd = np.nan_to_num(np.asarray(arr(trace(fig, "central differences")["y"]), float), nan=0.0)
    # a reading of exactly 0 has no place on the log axis: the figure leaves a gap (None, read here as NaN) and the
    # sentences print it as 0
    cs = np.nan_to_num(np.asarray(arr(trace(fig, "complex step")["y"]), float), nan=0.0)
    hs = np.asarray(arr(trace(fig, "central differences")["x"]), float)
    p.check("gradcheck: the sweep's h's are 10⁻¹ … 10⁻¹²", same(hs, HS, 1e-15), str(hs))
    bad = []
    for k, h in enumerate(HS):
        low, high, _, _ = fd_interval(F, a, z, h, n)
        if not low * (1 - 1e-9) <= fd[k] <= high * (1 + 1e-9):
            bad.append(f"h = {h:g}: {fd[k]} outside [{low}, {high}]")
    p.check("gradcheck: every central-difference error on the curve is what FD can read at its h (exact quotient ± "
            "rounding)", not bad, "; ".join(bad))
    p.check("gradcheck: the complex step's errors are relative errors (0 to 2)", np.all((cs >= 0) & (cs <= 2)), str(cs))
    # where the complex step's truncation h²|F‴|/6 is far above rounding (its relative error ≥ 10⁻⁸) and no entry is
    # near 0 against the largest, the curve is held to the exact quotient Im F(z + ih)/h (mpmath, complex) to 10⁻³
    with mp.workdps(50):
        def cs_rel(h):
            got = []
            for j in range(n):
                x = [mp.mpc(float(v)) for v in z]
                x[j] += mp.mpc(0, h)
                w = [v / mp.mpf(T) for v in x]
                top = max(v.real for v in w)
                e = [mp.exp(v - top) for v in w]
                logsum = mp.log(mp.fsum(e))
                logs = [v - top - logsum for v in w]
                vals = [mp.exp(v) for v in logs] if subj == "softmax" else logs if subj == "log_softmax" else [-logs[y]]
                got.append([v.imag / h for v in vals])
            f = np.array([float(got[j][i]) for i in range(len(got[0])) for j in range(n)])
            return float(np.max(np.abs(A - f) / np.maximum(np.abs(A), np.abs(f))))
        resolved = bool(np.all(np.abs(A) >= 1e-6 * np.abs(A).max()))
        far = [(k, cs_rel(h)) for k, h in enumerate(HS[:6])] if resolved else []
    far = [(k, r) for k, r in far if r >= 1e-8]
    p.check("gradcheck: the complex step's truncation arm is the exact quotient's", all(abs(cs[k] - r) <= 1e-3 * r
                                                                                       for k, r in far),
            f"{[(HS[k], cs[k], r) for k, r in far]}")
    k = int(np.argmin(fd))
    best_h, best = HS[k], fd[k]
    # step 1: the sweep's sentence, read against the curve it describes
    sent = next((x for x in p.values("markdown") if x.startswith(("Central differences:", "Every entry is exactly 0"))), "")
    m = re.search(r"(?:bottoms out at|smallest,) (" + NUM + r"),? at h = (" + NUM + r")", sent)
    p.check("gradcheck: the sweep sentence's best FD reading is the curve's minimum", m and agrees(m[1], best)
            and agrees(m[2], best_h), f"{sent[:200]} vs {best} at {best_h}")
    m = re.search(r"The complex step has no subtraction: (" + NUM + r") at the same h and (" + NUM + r") at h = 1×10⁻¹²", sent)
    p.check("gradcheck: the sentence's complex-step readings are the curve's", m and agrees(m[1], cs[k])
            and agrees(m[2], cs[-1]), sent)
    m = re.search(r"CS231n's verdict on the best FD value: (\w+)", sent)
    p.check("gradcheck: the verdict is the band of the best reading", m and m[1] == band(best), sent)
    # step 2: where it misleads
    rows = claims_rows(p)
    res = resolution(fdh)
    read = p.one("markdown", "central differences resolve about")
    m = re.search(r"At h = (" + NUM + r"), central differences resolve about ε·max\(\|F\|, 1\)/h = (" + NUM + r"), so an "
                  r"entry counts as near 0 below 10⁷ times that, (" + NUM + ")", read)
    p.check("gradcheck: the resolution ε·max(|F|, 1)/h at the chosen h", m and agrees(m[1], fdh) and agrees(m[2], res)
            and agrees(m[3], 1e7 * res), f"{read[:200]} vs {res}")
    low, high, fx, R = fd_interval(F, a, z, fdh, n)
    mark, got = rows["max relative error (CS231n)"]
    m = re.fullmatch(r"(" + NUM + r") at h = (" + NUM + r"): (\w+).*", got)
    p.check("gradcheck: the first row's reading at h, its band and its mark", m and agrees(m[2], fdh)
            and low * (1 - 1e-9) - 1.01 * half_unit(m[1]) <= fnum(m[1]) <= high * (1 + 1e-9) + 1.01 * half_unit(m[1])
            and m[3] == band(fnum(m[1])) and (mark == "✓") == (fnum(m[1]) < 1e-7), f"{mark} {got} vs [{low}, {high}]")
    mark, got = rows["error relative to the scale"]
    top = float(np.abs(A).max())
    worst = float(np.abs(A - fx).max())
    p.check("gradcheck: the second row, max |a − f| / max |a| (FD's rounding R allowed)", top > 0 and
            (max(worst - R, 0) / top) * (1 - 1e-3) <= fnum(got) <= ((worst + R) / top) * (1 + 1e-2)
            and (mark == "✓") == (fnum(got) < 1e-7), f"{mark} {got} vs {worst / top if top else None} ± {R / top if top else R}")
    mark, got = rows["entries near 0"]
    m = re.search(r"FD resolves about ε·max\(\|F\|, 1\)/h = (" + NUM + ")", got)
    w = re.search(r"worst a = (" + NUM + r"), f = (" + NUM + ")", got)
    p.check("gradcheck: the near-0 row's resolution, and its worst entry's exact a", m and agrees(m[1], res) and (
        w is None or any(agrees(w[1], v) and abs(fnum(w[2]) - fx[e]) <= R + abs(fnum(w[2])) * 1e-2
                         for e, v in enumerate(A))), f"{got} vs {A}")
    mark, got = rows["zeros check nothing"]
    m = re.search(r"(\d+) of (\d+) entries are 0 in both", got)
    tiny = int(np.sum(np.abs(A) < np.finfo(np.float64).tiny))  # an exact a float64 cannot hold (it underflows)
    p.check("gradcheck: entries '0 in both' are only those whose exact a float64 cannot hold", m and int(m[2]) == A.size
            and int(m[1]) <= tiny, f"{got} vs {tiny} underflowing of {A}")
    mark, got = rows["complex step"]
    m = re.fullmatch(r"(" + NUM + r") at h = 10⁻²⁰", got)
    p.check("gradcheck: the complex-step row is a relative error, ⚠ (never ✗) where it is not ε", m and 0 <= fnum(m[1]) <= 2
            and mark in ("✓", "⚠"), f"{mark} {got}")
    # step 3: what good is
    good = p.one("markdown", "Your check's best central difference reads")
    m = re.search(r"reads \*\*(" + NUM + r")\*\* \(at h = (" + NUM + r")\); CS231n's reading of it: \*(\w+)", good)
    p.check("gradcheck: the best reading, its h and its band", m and agrees(m[1], best) and agrees(m[2], best_h)
            and m[3] == band(best), good[:200])
    m = re.search(r"The complex step reads (" + NUM + r") at h = 1×10⁻¹²\.", good)
    p.check("gradcheck: the complex step's last reading", m and agrees(m[1], cs[-1]), good[-120:])
    t = next(t_ for t_ in p.tables() if "max relative error" in t_.columns)
    bounds = [b_ for b_, _ in CS231N[:-1]]
    want = [f"below {bounds[0]}", f"{bounds[0]} to {bounds[1]}", f"{bounds[1]} to {bounds[2]}", f"above {bounds[2]}"]
    said = [re.sub(r"(" + NUM + ")", lambda g: repr(fnum(g[1])), v) for v in t["max relative error"]]
    p.check("gradcheck: the table's bands are CS231n's", said == [re.sub(r"(" + NUM + ")", lambda g: repr(float(g[1])), v)
                                                                 for v in want]
            and [r.split()[0].rstrip(":") for r in t.iloc[:, 1]] == [w_ for _, w_ in CS231N], f"{said} vs {want}")
    cap = p.one("caption", "In float64, ε = ")
    with mp.workdps(30):
        e = mp.mpf(2) ** -52
        m = re.search(r"ε = (" + NUM + r")\. Central differences reach about ε\^\(2/3\) ≈ (" + NUM + r") at h ≈ ε\^\(1/3\) ≈ ("
                      + NUM + ")", cap)
        p.check("gradcheck: ε, ε^(2/3) and ε^(1/3)", m and agrees(m[1], float(e)) and agrees(m[2], float(e ** (mp.mpf(2) / 3)))
                and agrees(m[3], float(e ** (mp.mpf(1) / 3))), cap)
    p.check("gradcheck: every step draws the same sweep", len(figs) == 3 and all(
        np.array_equal(np.nan_to_num(np.asarray(arr(trace(f, "central differences")["y"]), float), nan=0.0), fd)
        for f in figs))


# ---- the grid ----------------------------------------------------------------------------------------------------

CASES = ([("pages/geometry.py", s, check_geometry) for s in GEO_GRID]
         + [("pages/log_softmax.py", s, check_log_softmax) for s in LOG_GRID]
         + [("pages/gradcheck.py", s, check_gradcheck) for s in GC_GRID]
         + [("pages/layer.py", s, check_layer) for s in LAYER_GRID])


@pytest.mark.parametrize("path,setting,checker", CASES, ids=[f"{p.split('/')[-1][:-3]}-{s.id}" for p, s, _ in CASES])
def test_every_claim_is_true(path, setting, checker):
    run_claims(path, setting, checker)
