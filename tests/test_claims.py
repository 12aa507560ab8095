"""The claims grid (issue #12): every page, rendered with AppTest at a grid of settings, says only true things.

For each (page, setting) the page's checker reads what the page shows (text, LaTeX, tables, metrics, figure data)
and compares

- every number with an INDEPENDENT computation: ``tests/oracles.py`` (softmax written from the definition,
  derivatives by the complex step of that softmax or of the loss), never the page's own helpers in ``core``;
- every parameter-dependent sentence with those numbers (ties, saturation, the 1/T factors, counts);
- every header and label with what its column holds ("S − y" holds S − y; at T ≠ 1 it is named (S − y)/T).

Adding a page: write a checker ``def check_x(p: Shown) -> None`` that calls ``p.check(what, ok, detail)`` for each
claim, and register it with its settings, e.g. ``CHECKERS["pages/x.py"] = Checker(check_x, GRID)``.
Settings are :class:`Setting` (logits z, temperature T, and any other URL parameters in ``extra``).
``python -m pytest tests/test_claims.py -q -s`` prints one CLAIMS line per case (page, setting, number of checks).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
import pytest
from apptest_util import arr, chart_elements, figures, open_page
from helpers import unprose
from oracles import complex_step_grad, mp_eigenvalues, mp_jacobian, mp_loss_grads, ref_softmax

from core.checks import fd_floor as fd_floor_of

# ---- settings ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    z: tuple[float, ...]
    T: float = 1.0
    extra: tuple[tuple[str, str], ...] = ()
    note: str = ""

    @property
    def query(self) -> dict[str, str]:
        return {"n": str(len(self.z)), "z": ",".join(f"{v:g}" for v in self.z), "T": f"{self.T:g}", **dict(self.extra)}

    @property
    def id(self) -> str:
        extra = ",".join(f"{k}={v}" for k, v in self.extra)
        return f"{self.note or 'z'}:z=({','.join(f'{v:g}' for v in self.z)}),T={self.T:g}" + (f",{extra}" if extra else "")


def with_extra(settings, **extra) -> list[Setting]:
    return [Setting(s.z, s.T, tuple({**dict(s.extra), **extra}.items()), s.note) for s in settings]


BASE = (2.0, 1.0, 0.1)
N10 = (3.0, 2.5, 2.0, 1.5, 1.0, 0.5, 0.0, -0.5, -1.0, -2.0)
T_SWEEP = [Setting(BASE, T, note="T") for T in (0.1, 0.5, 1.0, 2.0, 10.0)]
SPECIAL = [
    Setting((1.0, 1.0, 0.0), note="tie"),
    Setting((1.0, 0.999, 0.0), note="near-tie"),
    Setting((8.0, 0.0, -8.0), note="saturated"),
    Setting((1000.0, 0.0, -1000.0), note="saturated-hard"),
    Setting((1.0, -1.0), note="n2"),
    Setting((0.5, 0.5), note="n2-tie"),
    Setting((2.0, 1.0, 0.1, -1.0), note="n4"),
    Setting(N10, note="n10"),
]
MIXED = [Setting((1.0, 1.0, 0.0), 0.5, note="tie"), Setting((8.0, 0.0, -8.0), 0.1, note="saturated")]
HARD = [  # issue #25's settings: saturation with a zero in the middle, a sharp T, ties, T ≠ 1 at n = 5 and n = 10
    Setting((40.0, -40.0, 0.0), note="sat40"),
    Setting((-3.0, 0.0, 3.0), 0.2, note="sharp"),
    Setting((1.0, 1.0, 1.0), note="tie3"),
    Setting((2.0, 2.0, 0.0, 0.0), note="toptie4"),  # a top tie and a bottom tie: nothing is "the" least likely
    Setting((2.0, 1.0, 0.1, -1.0, -2.0), 2.5, note="n5T25"),
    Setting(N10, 10.0, note="n10T10"),
]
GRID = T_SWEEP + SPECIAL + MIXED + HARD  # every page x every T at one z, plus every page x the special z's and n

# ---- independent oracles -----------------------------------------------------------------------------------


def S_of(z, T) -> np.ndarray:
    return np.real(ref_softmax(np.asarray(z, float) / T))


def _softmax_each(x) -> np.ndarray:
    """The definition S_i = 1 / Σ_k e^{x_k − x_i}, one i at a time: under the complex step its k = i term is exactly 1,
    so nothing cancels where S_i is near 1 (e/Σe cancels inside the complex division there: ∂S₁/∂z₁ = 0 at
    z = (40, −40, 0) instead of 4.25e-18). Where e^{x_k − x_i} overflows, S_i is tiny and e/Σe is exact."""
    direct = ref_softmax(x)
    out = []
    for i in range(len(x)):
        with np.errstate(all="ignore"):
            w = np.sum(np.exp(x - x[i]))
        out.append(1 / w if np.isfinite(w) else direct[i])
    return np.array(out)


def J_of(z, T) -> np.ndarray:
    """J[i, j] = ∂S_i/∂z_j by the complex step of the definition."""
    return complex_step_grad(lambda x: _softmax_each(x / T), np.asarray(z, float))


def _log_softmax(x):
    m = np.max(x.real)
    return x - m - np.log(np.sum(np.exp(x - m)))


def grad_of(z, T, y: int, loss: str) -> np.ndarray:
    """∂L/∂z for CE (−log S_y, through a complex-safe log-softmax) or MSE (Σ (S − y)²), by the complex step."""
    Y = np.eye(len(z))[y]
    if loss == "cross_entropy" and z[y] == max(z):  # L = log(1 + Σ_{k≠y} e^{(z_k − z_y)/T}): the target entry's
        # derivative is −Σ_{k≠y} S_k/T, where −log_softmax's 1 − S_y cancels to 0 (at z = (40, −40, 0), not −4.25×10⁻¹⁸)
        return complex_step_grad(lambda x: np.log1p(np.sum(np.exp(np.delete(x, y) / T - x[y] / T))), np.asarray(z, float))
    if loss == "cross_entropy":  # S_y ≤ 1/2: 1 − S_y ≥ 1/2 cancels nothing, and e^{(z_k − z_y)/T} may overflow
        return complex_step_grad(lambda x: -_log_softmax(x / T)[y], np.asarray(z, float))
    return complex_step_grad(lambda x: np.sum((ref_softmax(x / T) - Y) ** 2), np.asarray(z, float))


def top_set(z) -> list[int]:
    z = np.asarray(z, float)
    return [k for k in range(z.size) if z[k] == z.max()]


# ---- reading a page ------------------------------------------------------------------------------------------

SUB = str.maketrans("₀₁₂₃₄₅₆₇₈₉", "0123456789")
TO_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")


def sub(k: int) -> str:
    """A 0-based index as the screen's 1-based subscript: 0 → ₁ (S₁, z₁₀)."""
    return str(k + 1).translate(TO_SUB)

NUM = r"[−+-]?(?:\d+\.?\d*|\.\d+)(?:e[+−-]?\d+|×10[⁻⁰¹²³⁴⁵⁶⁷⁸⁹]+)?"  # 4.2e-18 (tables) or 4.25×10⁻¹⁸ (prose)
PROSE = NUM  # core.fmt.prose's form, which NUM reads too (the name kept for the checkers that say "prose")


TEXNUM = NUM + r"(?: ?\\times ?10\^\{-?\d+\})?"  # chain.num's 4.54\times10^{-5}, pow10's 4.54 \times 10^{-5}


def texnum(s: str) -> str:
    """LaTeX's 4.54\\times10^{-5} as plain 4.54e-5 (the digits kept, so the precision is the printed one)."""
    m = re.fullmatch(r"(" + NUM + r") ?\\times ?10\^\{(-?\d+)\}", s)
    return f"{m[1]}e{m[2]}" if m else s


def fnum(s: str) -> float:
    s = unprose(s.strip()).replace("−", "-").replace("∞", "inf").replace("\\infty", "inf").lstrip("+")
    return float(texnum(s))


def agrees(shown: str, value: float, slack: float = 1.01, floor: float = 0.0) -> bool:
    """A printed number agrees with ``value`` to the precision it was printed with (half a unit in its last digit)."""
    s = unprose(shown.strip()).replace("−", "-").lstrip("+")
    if s in ("inf", "-inf", "∞", "-∞"):
        return np.isinf(value) and (value < 0) == s.startswith("-")
    if s.lower() == "nan":
        return bool(np.isnan(value))
    try:
        d = Decimal(s)
    except InvalidOperation:
        return False
    if d == 0 and value != 0 and floor == 0:  # a 0 printed for a non-zero value is wrong at any digits ("0" has none)
        return abs(value) < 1e-300
    return abs(float(d) - value) <= slack * half_unit(shown) + floor + 1e-300


def half_unit(shown: str) -> float:
    """Half a unit in the last digit a number was printed with (0.00222 → 5e-6, 4.2×10⁻¹¹ → 5e-13): how far the value
    it stands for may lie from it."""
    return 0.5 * 10.0 ** Decimal(unprose(shown.strip()).replace("−", "-").lstrip("+")).as_tuple().exponent


EPS = float(np.finfo(np.float64).eps)


def rounded_zero(shown: str, scale: float, ulps: float = 8) -> bool:
    """A printed residual whose exact value is 0 (a row sum, |Σ S − 1|, two routes' difference) is float64 rounding: at
    most ``ulps`` units of ε times the size of the terms it is a sum of (GUIDE §9: relative to its terms, never an
    absolute 1e-12)."""
    try:
        v = fnum(shown)
    except ValueError:
        return False
    return abs(v) <= ulps * EPS * scale


def items(text: str) -> list[str]:
    """The entries of a printed vector "(a, b, c, …)" (core.fmt.vector and its kin), without the "…" and with any
    "(rounded in float64; …)" note removed (core.fmt.simplex: a 1 that float64 rounded, read as the 1 it prints)."""
    body = re.sub(r" \(rounded in float64; [^)]*\)", "", text.strip())
    body = body[1:-1] if body.startswith("(") and body.endswith(")") else body
    return [v for v in body.split(", ") if v != "…"]


@dataclass
class Shown:
    """What one page shows at one setting, with the setting and a tally of the checks made on it."""

    at: object
    setting: Setting
    checks: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def z(self):
        return self.setting.z

    @property
    def T(self):
        return self.setting.T

    @property
    def n(self):
        return len(self.setting.z)

    def check(self, what: str, ok, detail: str = "") -> None:
        self.checks += 1
        if not ok:
            self.failures.append(f"{what}: {detail}"[:600])

    def values(self, kind: str) -> list[str]:
        return [str(e.value) for e in getattr(self.at, kind)]

    def text(self) -> str:
        return "\n".join(self.values("markdown") + self.values("caption") + self.values("latex") + self.values("subheader")
                         + self.values("info") + self.values("warning") + self.values("title"))

    def figures(self) -> list[dict]:
        return figures(self.at)

    def alts(self) -> list[str]:
        return [c.alt for c in chart_elements(self.at)]

    def figure(self, title_start: str) -> dict:
        return next(f for f in self.figures() if f["layout"].get("title", {}).get("text", "").startswith(title_start))

    def one(self, kind: str, needle: str) -> str:
        found = [v for v in self.values(kind) if needle in v]
        self.check(f"{kind} containing {needle!r} is shown", found, "missing")
        return found[0] if found else ""

    def tables(self) -> list:
        return [t.value for t in self.at.table] + [d.value for d in self.at.dataframe]


# ---- checkers, one per page ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Checker:
    fn: Callable[[Shown], None]
    grid: list[Setting]


CHECKERS: dict[str, Checker] = {}


def claims(path: str, grid: list[Setting]):
    def register(fn):
        CHECKERS[path] = Checker(fn, grid)
        return fn
    return register


def per_T(T: float) -> str:
    return "" if T == 1 else f"/{T:g}"


@claims("pages/home.py", GRID)
def check_home(p: Shown) -> None:
    S = S_of(p.z, p.T)
    live = p.one("latex", "= ")
    terms = [x for x in p.values("latex") if "S_{1}}" in x and "frac" not in x and "<" not in x]
    pairs = [(k, texnum(v)) for k, v in re.findall(r"S_\{(\d+)\}\} = (" + TEXNUM + ")", terms[0] if terms else live)]
    p.check("home: the live S_k are softmax(z/T)", len(pairs) == min(p.n, 5)
            and all(agrees(v, S[int(k) - 1]) for k, v in pairs), f"{pairs} vs {S}")
    cap = p.one("caption", "Σ S =")
    m = re.search(r"Σ S = (" + NUM + ")", cap)
    p.check("home: Σ S shown is 1", m and agrees(m[1], S.sum()), cap)
    p.check("home: S is called a distribution, calibration is what is missing",
            "calibrated" in cap and "not* probabilities" not in p.text(), cap)
    printed_edge = any(v in ("1", "1.00") for _, v in pairs)  # the formula prints 3 significant figures
    near_edge = S.max() >= 1 - 5e-3
    p.check("home: an output printed as 1.00 is said to be rounded",
            (printed_edge <= ("is rounded" in cap)) and (("is rounded" in cap) <= near_edge), cap)
    net = p.figure("The network")
    printed = next((t for t in net["data"] if t.get("mode") == "text"), None)
    p.check("home: the diagram has n outputs and prints the formula's S", printed is not None
            and len(printed["text"]) == p.n and all(agrees(s, S[k]) for k, s in enumerate(printed["text"])),
            f"{printed and printed['text']} vs {S}")
    ann = " ".join(a["text"] for a in net["layout"]["annotations"])
    p.check("home: the diagram's softmax label carries T", (f"softmax(z{per_T(p.T)})" in ann), ann)
    p.check("home: the lesson list says (S − y)/T", "(S - y)/T" in p.text())


@claims("pages/softmax.py", GRID)
def check_softmax(p: Shown) -> None:
    S = S_of(p.z, p.T)
    defn = next((x for x in p.values("latex") if "dfrac" in x), "")
    outs = [texnum(v) for v in re.findall(r"\\dfrac\{.*?\} = (" + TEXNUM + ")", defn)]
    p.check("softmax: each S_i in the live definition", len(outs) == p.n and all(agrees(v, S[k]) for k, v in enumerate(outs)),
            f"{outs} vs {S}")
    p.check("softmax: every S_i prints positive (0.0000 is never shown) and no code notation (e+04) in LaTeX",
            not any(re.fullmatch(r"0\.0*", v) for v in outs) and not re.search(r"\de[+-]\d", defn), f"{outs}")
    bars = p.figure("Softmax outputs")
    p.check("softmax: bar heights are S", np.allclose(arr(bars["data"][0]["y"]), S, rtol=1e-12, atol=1e-300))
    metric = next((m for m in p.at.metric if m.label.startswith("Largest output")), None)
    names = [f"S{k + 1}" for k in top_set(p.z)]
    shown = re.findall(r"S(\d+)", (metric.label if metric else "").translate(SUB))
    p.check("softmax: 'Largest output' names exactly the tied maxima", [f"S{k}" for k in shown] == names
            and (("tie" in metric.label) == (len(names) > 1)), f"{metric and metric.label} vs {names}")
    p.check("softmax: the metric's value is max S", metric is not None and agrees(metric.value, S.max()))
    cap = p.one("caption", "The factor")
    p.check("softmax: the shift factor is e^{c/T}", ("e^{c/T}" in cap) == (p.T != 1) and ("e^{c}" in cap) == (p.T == 1), cap)
    temp = p.one("markdown", "Small $T$")
    k = len(top_set(p.z))
    if k == p.n:
        ok = "All your logits are equal" in temp
    elif k > 1:
        ok = f"tied {k} ways" in temp and "not to one-hot" in temp
    else:
        ok = f"one-hot on S{top_set(p.z)[0] + 1}" in temp.translate(SUB) and "tied" not in temp.split("Your")[-1]
    p.check("softmax: the T → 0 limit sentence matches the ties in z", ok, temp)
    fig = p.figure("Temperature")
    Ts = np.asarray(arr(fig["data"][1]["x"]), float)
    curves = np.array([arr(fig["data"][1 + i]["y"]) for i in range(p.n)]).T
    p.check("softmax: every S_i(T) curve is softmax(z/T)",
            np.allclose(curves, np.array([S_of(p.z, t) for t in Ts]), rtol=1e-9, atol=1e-15))
    info = " ".join(p.values("info"))
    p.check("softmax: the info box says S is a distribution", "not a calibrated one" in info
            and "Not probabilities" not in info, info)
    sig = p.one("caption", "Σ S = ")
    m = re.search(r"Σ S = (" + NUM + ")", sig)
    p.check("softmax: Σ S", m and abs(fnum(m[1]) - 1) < 1e-12, sig)
    shifted = p.one("markdown", "Your logits, shifted")
    m = re.search(r"=\$ \((.*?)\)\.", shifted)  # each entry its own formula: ($0$, $-1$, …)
    x = np.asarray(p.z, float) / p.T
    vals = [texnum(v.strip().strip("$")) for v in m[1].split(",")] if m else []
    p.check("softmax: the shifted logits are z/T − max z/T, the largest exactly 0", len(vals) == p.n
            and all(agrees(v, x[k] - x.max(), floor=1e-12) for k, v in enumerate(vals)) and "0" in vals
            and ("z/T" in shifted) == (p.T != 1), shifted)


@claims("pages/dependencies.py", GRID + with_extra([Setting(BASE, 0.5), Setting(N10, 2.0)], j="3"))
def check_dependencies(p: Shown) -> None:
    S, J = S_of(p.z, p.T), J_of(p.z, p.T)
    j = int(dict(p.setting.extra).get("j", "1")) - 1
    md = p.one("markdown", "three operations")
    nums = [texnum(v) for v in re.findall(r"= (" + TEXNUM + r")\$", md)]
    entry = re.search(r"Jacobian's entry: \$(" + TEXNUM + r")\$\)", md)
    entry = entry and [None, texnum(entry[1])]
    p.check("dependencies: no code notation (7.8e-05) in the neuron's text", not re.search(r"\de[+-]\d", md), md[:300])
    p.check("dependencies: a diagonal entry printed as 0 is said to be positive in exact arithmetic",
            (entry is not None and fnum(entry[1]) == 0) == ("positive in exact arithmetic" in md), md[-400:])
    p.check("dependencies: direct path +S_j/T, through Σ −S_j²/T, their sum J_jj", len(nums) == 3
            and agrees(nums[0], S[j] / p.T) and agrees(nums[1], -S[j] ** 2 / p.T) and agrees(nums[2], J[j, j])
            and entry and agrees(entry[1], J[j, j]), f"{nums}, {entry and entry[1]} vs {S[j] / p.T}, {J[j, j]}")
    p.check("dependencies: the exponentials carry /T", ("e^{z_{i}/T}" in md) == (p.T != 1), md[:200])
    intro = p.one("markdown", "share the denominator")
    p.check("dependencies: the shared denominator shows its T", "e^{z_k/T}" in intro)
    alt = next((a for a in p.alts() if a.startswith("Network diagram")), "")
    p.check("dependencies: the diagram's alt text prints no signed zero (+0, -0)", not re.search(r"[+-]0(?![.\d])", alt), alt)
    m = re.search(r"solid, ∂ = (" + NUM + ")", alt)
    p.check("dependencies: arrows alt's ∂S_j/∂z_j", m and agrees(m[1], J[j, j]), alt)
    arrows = p.figure("Every S depends on every z")
    bar = next(t for t in arrows["data"] if t.get("type") == "bar")
    readout = next(t for t in arrows["data"] if any(str(x).startswith("∂S") for x in (t.get("text") or [])))
    p.check("dependencies: the S bars beside the arrows are S", np.allclose(arr(bar["x"]), S, rtol=1e-12, atol=1e-300))
    p.check("dependencies: the readout's ∂S_i/∂z_j", all(agrees(t.split(" = ")[1], J[i, j])
                                                         for i, t in enumerate(readout["text"])), str(readout["text"]))
    deltas = np.linspace(-3.0, 3.0, 25)  # the nudge the page describes: z_j from z_j − 3 to z_j + 3
    e = np.eye(p.n)[j]
    k_bar = next(k for k, t in enumerate(arrows["data"]) if t is bar)
    frames_ok = len(arrows["frames"]) == deltas.size
    for f, d in zip(arrows["frames"], deltas, strict=False):
        fb = f["data"][f["traces"].index(k_bar)]
        frames_ok &= bool(np.allclose(arr(fb["x"]), S_of(np.asarray(p.z) + d * e, p.T), rtol=1e-9, atol=1e-300))
    p.check("dependencies: every nudge frame's S bars are S(z + Δ e_j)", frames_ok)
    neuron = p.figure("The elongated neuron")
    labels = [t for tr in neuron["data"] if tr.get("mode") == "text" for t in (tr.get("text") or []) if t.startswith("e^")]
    if p.n <= 4:
        x = np.asarray(p.z) / p.T
        good = len(labels) == p.n
        for k, lab in enumerate(labels):
            name, val = lab.split(" = ")
            want = f"e^z{k + 1}" if p.T == 1 else f"e^(z{k + 1}/T)"
            good &= name.translate(SUB) == want and (x[k] > 700 or agrees(val, np.exp(x[k]), floor=0))
        p.check("dependencies: neuron labels e^(z_k/T) = value", good, str(labels))
    outs = [t[2:] for tr in neuron["data"] if tr.get("mode") == "text" for t in (tr.get("text") or []) if t.startswith("= ")]
    p.check("dependencies: the neuron's outputs are S, and none positive prints as 0.000", len(outs) == p.n
            and all(agrees(v, S[k], floor=1e-300) and not re.fullmatch(r"0\.0*", v) for k, v in enumerate(outs)), str(outs))
    table = next((t for t in p.tables() if "Δ" in t.columns), None)
    p.check("dependencies: the convergence table is shown", table is not None)
    if table is not None:
        zlab = f"z{j + 1}"
        good = True
        for col in table.columns[1:]:
            i = int(re.match(r"ΔS(\d+)/Δz(\d+)", col.translate(SUB))[1]) - 1
            good &= col.translate(SUB).endswith(zlab)
            for row, d in zip(table[col], table["Δ"], strict=True):
                if d == "exact ∂":
                    good &= agrees(row, J[i, j])
                else:
                    e = np.zeros(p.n)
                    e[j] = fnum(d)
                    q = (S_of(np.asarray(p.z) + e, p.T)[i] - S[i]) / fnum(d)
                    good &= agrees(row, q, slack=1.01, floor=1e-8)  # forward differences, rounding included
        p.check("dependencies: every quotient and the exact ∂ column", good, table.to_string()[:400])
    cap = p.one("caption", "Forward differences")
    e = np.eye(p.n)[j]
    still = not any(np.any(S_of(np.asarray(p.z) + d * e, p.T) - S) for d in 10.0 ** -np.arange(13))
    p.check("dependencies: 'every error is 0' is said only where S does not move at any Δ and ∂S/∂z_j rounds to 0",
            ("every error is 0" in cap) <= (still and np.all(np.abs(J[:, j]) < 1e-300)), cap)
    q = np.array([(S_of(np.asarray(p.z) + d * e, p.T) - S) / d for d in 10.0 ** -np.arange(13)])
    p.check("dependencies: 'every error is below 10⁻¹⁷' is said only where the quotients miss ∂S/∂z_j by that little",
            ("every error is below" in cap) <= bool(np.abs(q - J[:, j]).max() < 1e-15), cap)
    p.check("dependencies: the convergence caption makes exactly one of its three claims",
            sum(k in cap for k in ("every error is 0", "every error is below", "shrinks like Δ")) == 1, cap)


DERIV_GRID = [*SPECIAL, Setting(BASE, 0.5), Setting(BASE, 1.0), Setting(BASE, 2.5), Setting(BASE, 10.0),
              Setting((8.0, 0.0, -8.0), 0.1), *HARD, *with_extra([Setting((2.0, 1.0, 0.1, -1.0))], i="4", j="2"),
              *with_extra([Setting((2.0, 1.0, 0.1, -1.0), 0.5)], i="2", j="2")]


@claims("pages/derivation.py", DERIV_GRID)
def check_derivation(p: Shown) -> None:
    S1, J1 = S_of(p.z, p.T), J_of(p.z, p.T)  # the derivation is at the link's T, as on the pages around it
    cases = [m for m in p.values("markdown") if "#### Case" in m]
    p.check("derivation: both cases shown", len(cases) == 2)
    for md in cases:
        head = re.search(r"Case i (?:=|≠) j: ∂S(\S+)/∂z(\S+?)(?: |\n|$)", md.translate(SUB))
        i, j = int(head[1]) - 1, int(head[2]) - 1
        vals = re.findall(r"`= ([^`]+)`( ✓| ✗| ⚠ underflows float64)?", md)
        p.check(f"derivation: every line of ∂S{i + 1}/∂z{j + 1} equals the complex-step derivative",
                len(vals) >= 7 and all(agrees(v, J1[i, j]) for v, _ in vals), f"{vals} vs {J1[i, j]}")
        low = bool(abs(J1[i, j]) < np.finfo(np.float64).tiny)  # below the normal range: no line can be compared
        p.check("derivation: every line after the first is marked ✓, or ⚠ where the entry underflows float64",
                all(mk == (" ⚠ underflows float64" if low else " ✓") for _, mk in vals[1:])
                and (vals[0][1] == " ⚠ underflows float64") == low, str(vals))
        sign = "positive" if i == j else "negative"
        p.check("derivation: the last line's sign claim is qualified", f"{sign} for every z" in md)
        p.check("derivation: the lines carry /T exactly when T ≠ 1", ("/T}" in md) == (p.T != 1)
                and ("tfrac{1}{T}" in md) == (p.T != 1), md[-200:])
    live = next((x for x in p.values("latex") if "delta_{" in x and "= " in x.split("=")[-1] + "= "), "")
    # an Sᵢ that float64 rounds to 1 is printed as 1 with a brace saying so: read the number under the brace
    live = re.sub(r"\\underbrace\{([^{}]*)\}_\{\\text\{rounded in float64\}\}", r"\1", live)
    # a long saturated line is set on two (aligned): read it as one
    live = live.replace(r"\begin{aligned}", "").replace(r"\end{aligned}", "").replace(r"\\ &", "").replace("&", "")
    q = dict(p.setting.extra)
    i, j = int(q.get("i", 1)) - 1, int(q.get("j", 1)) - 1
    if r"\text{(below float64's normal range)}" in live:
        # Jᵢⱼ below float64's normal range (S₂ = e⁻¹⁰⁰⁰): the line prints the true value, from the log-softmax, and says
        # so; it is compared with 60-digit mpmath to half a unit of its third figure
        import mpmath as mp

        with mp.workdps(60):
            e = [mp.exp(mp.mpf(float(v)) / mp.mpf(p.T)) for v in p.z]
            S = [x / mp.fsum(e) for x in e]
            # the diagonal as Sᵢ Σ_{k≠i} S_k: 1 − Sᵢ cancels even at 60 digits when Sᵢ = 1 − e⁻¹⁰⁰⁰
            true = (S[i] * mp.fsum(S[:i] + S[i + 1:]) if i == j else -S[i] * S[j]) / mp.mpf(p.T)
            g = re.search(r"= (-?)(\d\.\d+) \\times 10\^\{(-?\d+)\}", live)
            printed = g and (-1 if g[1] else 1) * mp.mpf(g[2]) * mp.mpf(10) ** int(g[3])
            p.check("derivation: an entry below float64's range prints its true value and says so",
                    g is not None and abs(printed - true) <= mp.mpf("0.0051") * abs(true), live[-120:])
        p.check("derivation: the general rule names its /T", ("/T" in live) == (p.T != 1), live[-120:])
    else:
        m = [texnum(v) for v in re.findall(r"= (" + TEXNUM + r")\s*\$*$", live.strip().rstrip("$").strip())]
        p.check("derivation: the general rule's live value", m and agrees(m[-1], J1[i, j]), live[-120:])
        # Sᵢ(δᵢⱼ − Sⱼ) with the printed numbers, divided by the printed T when T ≠ 1
        f = re.search(r"= (" + TEXNUM + r")\\,\(([01]) - (" + TEXNUM + r")\)(?:/(" + NUM + r"))? = ", live)
        if f is None:  # saturated diagonal: Sᵢ · (the other outputs' sum, 1 − Sᵢ printed on its own) / T
            g = re.search(r"\\sum_\{k \\ne \d+\} S_k(?:/T)? = (" + NUM + r") \\cdot (" + TEXNUM + r")(?:/(" + NUM + r"))? = ",
                          live)
            f = g and (None, g[1], "1", str(1 - fnum(texnum(g[2]))), g[3])
            rest = g and fnum(texnum(g[2]))
            p.check("derivation: the saturated diagonal prints 1 − Sᵢ as the other outputs' sum",
                    g is not None and i == j
                    and agrees(texnum(g[2]), 1 - S1[i] if S1[i] < 0.5 else float(np.sum(np.delete(S1, i))), floor=1e-300),
                    live[-160:])
        else:
            rest = None
        p.check("derivation: the general rule names its /T", f is not None and (f[4] is not None) == (p.T != 1)
                and (f[4] is None or fnum(f[4]) == p.T), live[-120:])
        # as printed: the printed operands give the printed value to its last digit (0.3786(1 − 0.3786)/2.5 = 0.0941081 did
        # not: they give 0.09410); Decimal, so float64's own rounding of the product is not in the check
        p.check("derivation: the printed Sᵢ(δᵢⱼ − Sⱼ)/T gives the printed value to its last digit", f is not None and m and abs(
            Decimal(texnum(f[1])) * (Decimal(repr(rest)) if rest is not None else int(f[2]) - Decimal(texnum(f[3])))
            / (Decimal(f[4]) if f[4] else 1) - Decimal(m[-1])) <= Decimal(repr(half_unit(m[-1]))) * Decimal("1.0000001"),
            live[-120:])
    cap = p.one("caption", "The derivation is at T = ")
    plain = re.sub(r" \(rounded in float64; [^)]*\)", "", cap)  # "1 (rounded in float64; 1 − S₁ = …)" reads as 1
    shown = re.search(r"S = softmax\(z/T\) = \(([^)]*)\)", plain)[1].split(", ")
    p.check("derivation: S = softmax(z/T) at the link's T", all(agrees(v, S1[k]) for k, v in enumerate(shown)), cap)
    p.check("derivation: the caption names the link's T", f"T = {p.T:g}**" in cap, cap)


def sweep_values(kind: str) -> np.ndarray:
    """The documented sweeps: T from 10 down to 0.1, or the spread s from 0 to 10, in 21 frames."""
    return np.geomspace(10.0, 0.1, 21) if kind == "T" else np.linspace(0.0, 10.0, 21)


JAC_GRID = GRID + with_extra([Setting(BASE), Setting((1.0, 1.0, 0.0)), Setting((1.0, 0.999, 0.0)),
                              Setting((8.0, 0.0, -8.0), 0.5), Setting((0.5, 0.5)), Setting(N10, 10.0),
                              HARD[0], HARD[3], HARD[4]], sweep="spread")  # (40, −40, 0), (2, 2, 0, 0), n = 5 at T = 2.5


@claims("pages/jacobian.py", JAC_GRID)
def check_jacobian(p: Shown) -> None:
    S, J, T, n = S_of(p.z, p.T), J_of(p.z, p.T), p.T, p.n
    hm = p.figure("J = ∂S/∂z")
    p.check("jacobian: heatmap is J", np.allclose(np.reshape(arr(hm["data"][0]["z"]), (n, n)), J, rtol=1e-9, atol=1e-300))
    p.check("jacobian: heatmap title names T", f"T = {T:g}" in hm["layout"]["title"]["text"])
    props = next(t for t in p.tables() if "property" in t.columns)
    saturated = S.min() < 1e-12
    marks = dict(zip(props["property"], props[props.columns[0]], strict=True))
    p.check("jacobian: no property fails on a true J; ⚠ only at saturation",
            all(mk == "✓" or (mk == "⚠" and saturated) for mk in marks.values()), str(marks))
    row = props[props["property"].str.startswith("diagonal")].iloc[0]
    m = re.search(r"min (" + NUM + "), max (" + NUM + ")", row["computed from J"])
    d = np.diag(J)
    p.check("jacobian: diagonal min/max and its 1/(4T) bound", m and agrees(m[1], d.min())
            and agrees(m[2], d.max()) and f"1/(4T) = {1 / (4 * T):.4g}" in row["claim"]
            and "¼" not in row["property"], str(row.to_dict()))
    eig = props[props["property"].str.startswith("eigen")].iloc[0]["computed from J"]
    lam = re.search(r"λ = ([^;]*);", eig)[1].replace(", …", "").replace(" (0 up to rounding)", "").split(", ")
    true_lam = mp_eigenvalues(p.z, T)  # exact (mpmath); one is a true 0 (J𝟙 = 0)
    # float64's eigvalsh finds an eigenvalue only to n·ε·‖J‖₂ (‖J‖₂ = the largest λ: J is PSD); the row itself says
    # '"0" means |λ| ≤ n·ε·‖J‖'. At that resolution the true 0, and any λ below it (2.7×10⁻³⁵ at z = (40, −40, 0),
    # where n·ε·‖J‖ = 5.7×10⁻³³), is 0 up to rounding; every λ above it is held to its printed digits, no other floor
    resolution = 1.01 * n * EPS * true_lam[-1]
    p.check("jacobian: eigenvalues", all(agrees(v, true_lam[k]) or (abs(fnum(v)) <= resolution
                                                                    and abs(true_lam[k]) <= resolution)
                                         for k, v in enumerate(lam)), f"{lam} vs {true_lam}")
    noted = re.findall(r"(" + NUM + r") \(0 up to rounding\)", eig)
    p.check("jacobian: '(0 up to rounding)' marks exactly the non-zero λ shown at or below n·ε·‖J‖",
            all(abs(fnum(v)) <= resolution for v in noted)
            and len(noted) == sum(0 < abs(fnum(v)) <= resolution for v in lam), eig)
    shown_zeros = sum(abs(fnum(v)) <= resolution for v in lam)
    p.check("jacobian: 'one [eigenvalue] is 0' is ✓ only when one shown λ is 0 (all 0: ⚠, as the rank row)",
            (marks["eigenvalues ≥ 0, one is 0, eigenvector 𝟙"] == "✓") == (shown_zeros == 1) and
            marks["eigenvalues ≥ 0, one is 0, eigenvector 𝟙"] == marks["rank n − 1"], f"{lam} {marks}")
    curve = next(f for f in p.figures() if "Sᵢ(1 − Sᵢ)" in f["layout"].get("title", {}).get("text", ""))
    p.check("jacobian: the S(1 − S) curve's title is true at this T (its dots are this T's S)",
            ("T·∂Sᵢ/∂zᵢ" in curve["layout"]["title"]["text"]) == (T != 1), curve["layout"]["title"]["text"])
    p.check("jacobian: no code notation (1e+03) in the captions", not re.search(r"\de\+\d", " ".join(p.values("caption"))))
    checks = next(t for t in p.tables() if "method" in t.columns)
    verdicts = list(checks["check"][1:])
    p.check("jacobian: no numerical derivative fails on an entry it resolves", not any("✗" in v for v in verdicts),
            str(verdicts))
    fd_floor = fd_floor_of(p.z, T)
    hidden = int(np.sum((np.abs(J) < fd_floor) | (np.abs(J) < np.finfo(np.float64).tiny)))
    p.check("jacobian: central differences are ⚠ exactly where entries lie below what they resolve",
            verdicts[0].startswith("⚠") == (hidden > 0), f"{hidden} {verdicts[0]}")
    head = " ".join(p.values("subheader"))
    p.check("jacobian: no heading says the gradient vanishes", "vanishing gradient" not in head, head)
    cap = p.one("caption", "kills a **bounded**")
    under = r"(?: in float64 \(below 10⁻³⁰⁸\))?"  # a value float64 cannot hold says so (core.fmt.prose)
    # (a cross-entropy push that float64 rounds to 1/T says so: "1 (exactly (1 − S₂), which float64 rounds to 1)")
    m = re.search(r"target class y = (\d+) \(S(\d+): (the least likely output|tied with \d+ others? for least likely|"
                  r"every output is tied), S = (" + PROSE + r")(?:, which float64 rounds to 0)?\): max \|∂L/∂z\| is ("
                  + PROSE + ")" + under + r"(?: \(exactly \(1 − S\d+\)(?:/T)?, which float64 rounds to [^)]*\))? for "
                  r"cross-entropy and (" + PROSE + ")" + under + r" for MSE, with max \|J\| = (" + PROSE + ")",
                  cap.translate(SUB))
    if m and m[1] != m[2]:
        m = None  # the class and its output name the same index
    if m:
        m = [None, m[2], *m.groups()[2:]]  # as before: m[1] the output, m[2] who, m[3] S, m[4] CE, m[5] MSE, m[6] J
        k = int(m[1]) - 1
        ce_grad, mse_grad = mp_loss_grads(p.z, T, k)  # exact: MSE's max is 8.5×10⁻¹⁸ at z = (40, −40, 0)
        ce, mse = max(abs(v) for v in ce_grad), max(abs(v) for v in mse_grad)
        j_max = max(abs(float(v)) for row in mp_jacobian(p.z, T) for v in row)
        low = int(np.sum(np.asarray(p.z) == min(p.z)))  # a tie at the bottom is said to be one, never "the least likely"
        said = {1: "the least likely output", len(p.z): "every output is tied"}.get(low, "tied with")
        # the least likely is the smallest z (at (1000, 0, −1000) S₂ and S₃ both round to 0, and S₃ is smaller)
        ok = (p.z[k] == min(p.z) and m[2].startswith(said) and agrees(unprose(m[3]), S[k], floor=1e-300)
              and (("rounds to 0" in cap) == (S[k] == 0)) and agrees(unprose(m[4]), ce)
              and agrees(unprose(m[5]), mse) and agrees(unprose(m[6]), j_max))
    p.check("jacobian: the CE-vs-MSE sentence's numbers", m and ok, cap)
    p.check("jacobian: CE survives saturation as the sentence says", not m or ce >= 0.5 * (1 - S.min()) / T, cap)
    kind = dict(p.setting.extra).get("sweep", "T")
    values = sweep_values(kind)
    sweep = p.figure("J at ")
    # the frames' oracle is exact (mpmath): the complex step's imaginary part underflows where J does (at spread 8.5
    # of z = (40, −40, 0) it gave 0 for 2.19×10⁻¹⁴⁸), which an absolute floor of 10⁻¹³ used to hide
    if kind == "T":
        Js = np.array([np.array(mp_jacobian(p.z, t), dtype=float) for t in values])
    else:
        c = np.mean(p.z)
        Js = np.array([np.array(mp_jacobian(c + s * (np.asarray(p.z) - c), T), dtype=float) for s in values])
    # relative, down to float64's smallest normal number (below it a value has fewer digits than any tolerance)
    frames_ok = all(np.allclose(np.reshape(arr(f["data"][0]["z"]), (n, n)), Js[k], rtol=1e-9,
                                atol=np.finfo(np.float64).tiny) for k, f in enumerate(sweep["frames"]))
    said = [re.match(rf"J at {'T' if kind == 'T' else 'spread'} = ({NUM}): ", f["layout"]["title"]["text"])
            for f in sweep["frames"]]
    titles_ok = all(m and agrees(m[1], values[k]) for k, m in enumerate(said))
    p.check("jacobian: every sweep frame is J at its labelled value", frames_ok and titles_ok and len(sweep["frames"]) == 21)
    peaks = np.abs(Js).max(axis=(1, 2))
    cap = next((c for c in p.values("caption") if "at the start" in c), "")
    m = re.search(r"is (" + NUM + r") at the start, largest \((" + NUM + r")\) at [Ts] = (" + NUM + r"), and (" + NUM
                  + ") at the end", cap)
    p.check("jacobian: the sweep caption's numbers are the frames'", m and agrees(m[1], peaks[0])
            and agrees(m[2], peaks.max()) and agrees(m[4], peaks[-1])
            and peaks[np.argmin(np.abs(values - fnum(m[3])))] >= peaks.max() * (1 - 1e-2), cap)
    ties = len(top_set(p.z))
    if ties == n:
        ok = "All your logits are equal" in cap
    elif ties > 1:
        ok = f"tied ({ties} outputs)" in cap and "J → 0" not in cap and "fades to 0" not in cap and "turns one-hot" not in cap
    else:
        not_faded = kind == "spread" and peaks[-1] > 0.01 * peaks.max()
        ok = "unique" in cap and ("within this sweep J has not faded" in cap) == not_faded
    p.check("jacobian: the sweep's limit sentence matches the ties in z (and what the frames show)", ok, cap)
    if kind == "spread":
        p.check("jacobian: uniform S gives (n − 1)/(n²T)", f"= {(n - 1) / (n * n * T) + 0.0:.3g};" in cap, cap)
    mis = p.one("markdown", "elementwise")
    p.check("jacobian: the misconception's J̃ carries /T", ("(S(1 - S))/T" in mis) == (T != 1), mis)
    fig = p.figure("The true J")
    p.check("jacobian: misconception title says −SᵢSⱼ/T", fig["layout"]["title"]["text"].endswith(f"dropped −SᵢSⱼ{per_T(T)}"))
    g = np.array([fnum(v) for v in re.search(r"= \(([^)]*)\) \(random", p.one("markdown", "(random, seed 0)"))[1].split(", ")])
    rest = np.array([np.sum(np.delete(S, k)) for k in range(n)])  # 1 − S_k summed: exact where S_k is near 1
    true, wrong = g @ J, g @ np.diag(S * rest / T)
    met = next(m for m in p.at.metric if m.label.startswith("max |error|"))
    p.check("jacobian: max |error| metric", agrees(unprose(met.value), np.abs(wrong - true).max()), met.value)
    sent = next((x for x in p.values("markdown") if "Each $\\partial L" in x), "")
    a, b = np.linalg.norm(true), np.linalg.norm(wrong)
    if a == 0 and b == 0:
        ok = "round to 0" in sent
    elif a > 1e-300 and b > 1e-300:
        ang = np.degrees(np.arccos(np.clip(true @ wrong / (a * b), -1, 1)))
        m = re.search(r"(" + NUM + ")° apart", sent)
        ok = (m and agrees(m[1], ang, floor=1e-6)) or ("same way" in sent and ang < 0.11)
    else:
        ok = "is 0 and the other is not" in sent
    p.check("jacobian: the direction sentence matches g·J and g·J̃", ok, sent)


CHAIN_GRID = (GRID + with_extra([*SPECIAL, Setting(BASE, 0.5), Setting(BASE, 10.0)], loss="mse")
              + with_extra([Setting((1000.0, 0.0, -1000.0)), Setting((8.0, 0.0, -8.0), 0.1)], y="3")
              + with_extra([Setting((1000.0, 0.0, -1000.0), 0.5)], y="3", loss="mse"))


@claims("pages/chain_rule.py", CHAIN_GRID)
def check_chain_rule(p: Shown) -> None:
    q = dict(p.setting.extra)
    loss, y, T, n = q.get("loss", "cross_entropy"), int(q.get("y", "1")) - 1, p.T, p.n
    S = S_of(p.z, T)
    grad = grad_of(p.z, T, y, loss)
    alts = " ".join(p.alts())
    p.check("chain rule: no signed zero (−0) in the alt texts", not re.search(r"[−-]0(?![.\d])", alts), alts[-300:])
    Y = np.eye(n)[y]
    scale = max(1.0, 1 / T)
    table = next(t for t in p.tables() if "path sum Σᵢ Pᵢⱼ" in t.columns)
    cols = list(table.columns)
    closed_name = cols[-1]
    want = ("S − y" if T == 1 else f"(S − y)/{T:g}") if loss == "cross_entropy" else f"2S⊙((S−y) − S·(S−y)){per_T(T)}"
    p.check("chain: the closed-form column is named for what it holds", closed_name == want, f"{closed_name!r} vs {want!r}")
    # (S − y)/T is ∂L/∂z for CE: the complex step's exact value, to the printed digits (S_y − 1 cancels to 0 at
    # z = (40, −40, 0), and an absolute floor let a 0 printed for −4.25×10⁻¹⁸ pass)
    closed = grad
    p.check("chain: the closed-form column holds it", all(agrees(v, closed[k])
                                                          for k, v in enumerate(table[closed_name])), table.to_string())
    p.check("chain: the path sum is ∂L/∂z", all(agrees(v, grad[k])
                                                 for k, v in enumerate(table["path sum Σᵢ Pᵢⱼ"])), f"{table} vs {grad}")
    vjp = cols[2]
    p.check("chain: the VJP column names its /T", vjp.endswith(per_T(T)) or T == 1, vjp)
    p.check("chain: the VJP column is ∂L/∂z (or NaN where g overflowed)",
            all(agrees(v, grad[k]) or v.lower() == "nan" for k, v in enumerate(table[vjp])),
            table.to_string())
    sg = re.sub(r" \(rounded in float64; [^)]*\)", "", p.one("markdown", "With target class"))  # "1 (rounded …)" is 1
    m = re.search(r"\$S\$ = \(([^)]*)\) and \$g\$ = \(([^)]*)\)", sg)
    g_true = np.where(Y > 0, -1 / np.where(S > 0, S, 0.0 + 1e-320), 0.0) if loss == "cross_entropy" else 2 * (S - Y)
    if loss == "cross_entropy" and S[y] == 0:
        g_true[y] = -np.inf
    p.check("chain: S and g in the sentence", m and all(agrees(v, S[k], floor=1e-300) for k, v in enumerate(m[1].split(", ")))
            and all(agrees(v, g_true[k], floor=1e-300) for k, v in enumerate(m[2].split(", "))), sg)
    text = p.text()
    if loss == "cross_entropy":
        head = next((h[5:].split("\n")[0] for h in p.values("markdown") if h.startswith("#### Cross-entropy")), "")
        p.check("chain: the collapse heading names (S − y)/T", head.endswith("S − y" if T == 1 else f"(S − y)/{T:g}"), head)
        p.check("chain: 'at most one non-zero path'", "at most **one**" in text)
    else:
        live = int(np.count_nonzero(2 * (S - Y)))
        p.check("chain: the count of non-zero g_i", f"non-zero for **{live} of {n}**" in text, text[:50])
        m = re.search(r"\\le (" + NUM + r")\\,S_j", text)
        p.check("chain: the MSE bound 4S_j/T holds for the gradient shown",
                m and agrees(m[1], 4 / T) and np.all(np.abs(grad) <= 4 * S / T + 1e-12 * scale), text[-300:])
    lines = [x for x in p.values("latex") if "{\\partial \\textcolor" in x]  # one per z_j, coloured by j
    good = len(lines) == n
    for k, line in enumerate(lines):
        flat = line.replace("\n", " ").replace("$$", "").strip()
        # "≈" only where the rounded terms do not give a result printed to many more digits (4.9999999999998)
        m = re.search(r"(?:=|\\approx) (" + TEXNUM + r")(?:\\quad|\s*$|\\end\{aligned\}\s*$)", flat)
        good &= bool(m) and agrees(texnum(m[1]), grad[k])
        # the substituted numbers must themselves give the result: tfrac{1}{T}(a - d) = value
        subst = re.search(r"\\tfrac\{1\}\{[^}]*\}\((" + TEXNUM + r") - ([01])\) (?:=|\\approx) |[^{]\((" + TEXNUM
                        + r") - ([01])\) (?:=|\\approx) ", flat)
        if loss == "cross_entropy" and subst:
            a, d = (subst[1], subst[2]) if subst[1] else (subst[3], subst[4])
            good &= abs((fnum((a)) - int(d)) / T - grad[k]) <= 0.02 * abs(grad[k]) + 0.51e-3 / T
    p.check("chain: each collapse line ends in ∂L/∂z_j, and its substituted numbers give that value", good,
            f"{[ln[-90:] for ln in lines]} vs {grad}")
    p.check("chain: each collapse line ends in ∂L/∂z_j", good, f"{[ln[-80:] for ln in lines]} vs {grad}")
    paths = p.figure("∂L/∂zⱼ = Σᵢ path")
    bars = {t["name"]: np.asarray(arr(t["y"]), float) for t in paths["data"] if t.get("type") == "bar"}
    J = J_of(p.z, T)
    P = np.where(Y[:, None] > 0, -Y[:, None] * (np.eye(n) - S[None, :]) / T, 0.0) if (loss == "cross_entropy" and S[y] == 0) \
        else g_true[:, None] * J  # each path's product g_i ∂S_i/∂z_j (in its cancelled form when g_y overflowed)
    p.check("chain: each 'path via S_i' bar is g_i ∂S_i/∂z_j", len(bars) == n and all(
        np.allclose(bars[f"path via S{sub(i)}"], P[i],
                    atol=1e-300, rtol=1e-9) for i in range(n)), str(list(bars)))
    diamond = next(t for t in paths["data"] if t.get("type") == "scatter")
    p.check("chain: the diamonds are the column sums ∂L/∂z_j",
            np.allclose(arr(diamond["y"]), grad, atol=1e-300, rtol=1e-9))
    cap = p.one("caption", "Cross-entropy pushes")
    p.check("chain: the CE push tends to 1/T", f"\\to {1 / T:g}$" in cap, cap)
    drop = p.figure("Confidently wrong")
    zy = np.asarray(arr(drop["data"][0]["x"]), float)
    Zs = np.repeat(np.asarray(p.z, float)[None, :], zy.size, axis=0)
    Zs[:, y] = zy
    Sy = np.array([S_of(r, T)[y] for r in Zs])
    ce = np.asarray(arr(drop["data"][0]["y"]), float)
    p.check("chain: the CE curve is (1 − S_y)/T", np.allclose(ce, np.maximum((1 - Sy) / T, 1e-300), rtol=1e-9), "")
    mse = np.asarray(arr(drop["data"][1]["y"]), float)
    idx = np.linspace(0, zy.size - 1, 9).astype(int)
    want = [abs(grad_of(Zs[i], T, y, "mse")[y]) for i in idx]
    p.check("chain: the MSE curve is |∂L/∂z_y| for MSE", np.allclose(mse[idx], np.maximum(want, 1e-300), rtol=1e-6, atol=1e-15))
    if S[y] == 0 and loss == "cross_entropy":
        warn = " ".join(p.values("warning"))
        p.check("chain: the underflow warning carries 1/T", (f"\\tfrac{{1}}{{{T:g}}}" in warn) == (T != 1), warn)


TRAIN_GRID = [Setting(BASE, extra=(("loss", "cross_entropy"),)), Setting(BASE, extra=(("loss", "mse"),)),
              Setting(BASE, 0.5, extra=(("loss", "cross_entropy"), ("lr", "1000000"))),
              Setting(BASE, extra=(("loss", "mse"), ("lr", "1000000"), ("s", "7"))),
              Setting(BASE, extra=(("loss", "mse"), ("wscale", "10")), note="wrong-start"),  # the loss falls, 0 % stays
              Setting(BASE, extra=(("loss", "cross_entropy"), ("epochs", "1"), ("D", "10")), note="one-epoch-D10")]


def pmatrix(tex: str, name: str) -> np.ndarray:
    body = re.search(re.escape(name) + r"\\begin\{pmatrix\}(.*?)\\end\{pmatrix\}", tex)[1]
    return np.array([[fnum(c) for c in row.split("&")] for row in body.split("\\\\")], dtype=float)


@claims("pages/training.py", TRAIN_GRID)
def check_training(p: Shown) -> None:
    loss = dict(p.setting.extra)["loss"]
    first = p.one("latex", "\\delta = \\frac")
    S = pmatrix(first, "S = ").ravel()
    Y = pmatrix(first, "y = ").ravel()
    delta = pmatrix(first.split("\\delta = ")[-1], "= ").ravel()
    two = next((x for x in p.values("latex") if x.lstrip("$\n").startswith("J = ")), "")
    Jm, g = pmatrix(two, "J = "), pmatrix(two, "g = ").ravel()
    tol = 2e-3
    p.check("training: J shown = diag(S) − S Sᵀ from the S shown", np.allclose(Jm, np.diag(S) - np.outer(S, S), atol=tol))
    want_g = np.where(Y > 0, -1 / np.maximum(S, 1e-300), 0) if loss == "cross_entropy" else 2 * (S - Y)
    p.check("training: g shown = ∂L/∂S", np.all(np.isinf(g) | np.isclose(g, want_g, rtol=5e-3, atol=tol)), f"{g} vs {want_g}")
    want_delta = S - Y if loss == "cross_entropy" else Jm.T @ (2 * (S - Y))
    p.check("training: δ shown", np.allclose(delta, want_delta, atol=tol), f"{delta} vs {want_delta}")
    dW_tex = p.one("latex", "\\Delta W")
    lr = fnum(re.search(r"= -(" + TEXNUM + r")\\,(?:\\delta|x)", dW_tex)[1])
    x = np.array([fnum(texnum(v.strip(" $"))) for v in re.search(r"x\^\\top\$ = \(([^)]*)\)",
                                                                p.one("markdown", "$x^\\top$ = ("))[1].split(",")])
    dW = pmatrix(dW_tex.split("^\\top = ")[-1], "")
    D = int(dict(p.setting.extra).get("D", 2))
    p.check("training: ΔW shows all D columns (as ΔWᵀ's D rows when D > 4)", dW.shape == ((D, 3) if D > 4 else (3, D))
            and ("\\Delta W^\\top" in dW_tex) == (D > 4), str(dW.shape))
    dW = dW.T if D > 4 else dW
    # every entry printed to 3 significant figures: a step of 1.37e-3 once printed as 0.001
    p.check("training: ΔW shown = −η δ xᵀ from the δ and x shown, to 2 %", np.allclose(dW, -lr * np.outer(delta, x),
            rtol=0.02, atol=1e-300), f"{dW} vs {-lr * np.outer(delta, x)}")
    text = p.text()
    p.check("training: no 'MSE has no shortcut'", "MSE has no shortcut" not in text)
    table = next((x for x in p.values("markdown") if x.startswith("| | explicit")), "")
    p.check("training: the comparison column is named for what it holds",
            ("| S − y |" in table) == (loss == "cross_entropy") and ("| VJP" in table) == (loss == "mse"), table[:80])
    final = next(m for m in p.at.metric if m.label == "Final loss")
    went_up = fnum(final.delta.split(" ")[0]) > 0 if final.delta else False
    acc = next(m for m in p.at.metric if m.label == "Accuracy")
    rose = fnum(acc.delta.split(" ")[0]) > 0 if acc.delta else False
    status = ("error" if p.at.error else "warning" if [w for w in p.at.warning if "loss" in w.value]
              else "success" if p.at.success else "info" if [i for i in p.at.info if "loss" in i.value] else "none")
    want = "warning" if went_up else "success" if rose else "info"
    p.check("training: a success only when the loss fell and the accuracy rose", status == want or status == "error",
            f"{status}, loss {final.delta}, accuracy {acc.delta}")
    boxes = " ".join(p.values("success") + p.values("info") + p.values("warning"))
    p.check("training: a count of 1 is singular", re.search(r"\b1 (epochs|samples)\b", boxes) is None, boxes)
    p.check("training: MSE is defined as a sum over classes, against PyTorch's mean",
            "sum over the 3 classes" in text and "MSELoss" in text)
    p.check("training: the title does not name S − y as the gradient of every loss", "S − y gradient" not in text)
    diff = next((m.label for m in p.at.metric if m.label.startswith("max |∂L/∂W explicit")), "")
    p.check("training: the ΔW metric names what it compares",
            "S − y|" in diff if loss == "cross_entropy" else ("VJP|" in diff and "shortcut" not in diff), diff)
    m_metric = next(m for m in p.at.metric if m.label == "Samples m")
    a, b = re.match(r"(\d+) \(3 × (\d+)\)", m_metric.value).groups()
    p.check("training: m = 3 × points per class", int(a) == 3 * int(b))


# ---- the grid ----------------------------------------------------------------------------------------------------

CASES = [(path, s) for path, c in CHECKERS.items() for s in c.grid]


def run_claims(path: str, setting, checker, name: str = "") -> None:
    """Render ``path`` at ``setting`` and run ``checker`` on what it shows: every check must pass, and there must be
    some (the one runner of this grid and its sibling files, test_claims_lse.py and test_claims_j3.py)."""
    at = open_page(path, setting.query)
    assert not at.exception, at.exception[0].value
    shown = Shown(at, setting)
    checker(shown)
    print(f"CLAIMS {path} {name + ' ' if name else ''}{setting.id} checks={shown.checks} failed={len(shown.failures)}")
    assert shown.checks > 0
    assert not shown.failures, "\n".join(shown.failures)


@pytest.mark.parametrize("path,setting", CASES, ids=[f"{p.split('/')[-1][:-3]}-{s.id}" for p, s in CASES])
def test_every_claim_is_true(path, setting):
    run_claims(path, setting, CHECKERS[path].fn)
