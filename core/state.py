"""Every URL / query parameter of the app, in one typed table, with pure encode / decode.

Like TensorFlow Playground's ``state.ts``: name, type, default and bounds live in
one place (:data:`TABLE`), and :func:`encode` / :func:`decode` are a symmetric
pair. :func:`decode` never raises: unknown keys, malformed numbers, NaN/inf,
wrong vector lengths and out-of-range values fall back to the default or are
clamped, and every fallback is reported in ``problems`` (already sanitised, so
a page may show it without escaping).

Index parameters (``i``, ``j``, ``y``, ``s``) are **1-based**, as on screen and
in links; pages subtract 1 before calling core. An ``index`` parameter (``i``, ``j``, ``y``) counts the outputs: its
range is 1…n (:func:`bounds`), which a link is clamped to and its widget offers.

A row is the whole control: besides the URL's type, default and bounds it names the widget that draws the parameter,
its label, step, choices and how they are shown, so a page draws it with ``ui.control(ctx, name)`` alone
(pages/_ui/controls.py).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from . import fmt
from .data import DATASETS
from .losses import LOSSES

__all__ = [
    "DEFAULT_TEACHER",
    "DEFAULT_Z",
    "INDEX",
    "MAX_TEXT",
    "N_MAX",
    "N_MIN",
    "TABLE",
    "Z_LIMIT",
    "Param",
    "bounds",
    "clamp",
    "decode",
    "defaults",
    "encode",
    "fit_z",
    "format_vector",
    "parse_vector",
    "sanitize",
]

N_MIN, N_MAX = 2, 10
STEP_MAX = 12  # the most steps a lesson may have
Z_LIMIT = 1e6  # |z| beyond this is clamped: float64 softmax is exact far past it, but nobody needs more
MAX_TEXT = 400  # longest query value we even look at; longer ones are ignored whole
# Log-step choices (select_sliders): Monte Carlo sample counts, attention dimensions (powers of 2), Gumbel draws.
MC_STEPS = (10, 30, 100, 300, 1000, 3000, 10_000, 30_000, 100_000, 300_000, 1_000_000)
D_STEPS = tuple(2**k for k in range(11))  # 1 … 1024
GDRAW_STEPS = (10, 30, 100, 300, 1000, 3000)
TAU_STEPS = (0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0, 10.0)
# Training's learning rate η (1e-4, 3e-4, …, 0.5, …, 1e6) and initial weight scale σ: a link may carry any value in
# range, which the page adds to these choices.
LR_STEPS = tuple(sorted({float(f"{a}e{k}") for k in range(-4, 6) for a in (1, 3)} | {0.5, 1e6}))
WSCALE_STEPS = (0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0, 30.0, 100.0)
# The gradient check's finite-difference step h (10⁻¹ … 10⁻¹²) and the layer lesson's class draws.
FDH_STEPS = tuple(float(f"1e-{k}") for k in range(1, 13))
DRAW_STEPS = (10, 30, 100, 300, 1000, 3000, 10_000)
# The default logits: the seed's (2.0, 1.0, 0.1), extended for n up to 10.
DEFAULT_Z: tuple[float, ...] = (2.0, 1.0, 0.1, -1.0, 0.5, -0.5, 1.5, -1.5, 0.8, -0.2)
# The distillation teacher's default logits: confident in class 1, with a ranking of the others ("dark knowledge").
DEFAULT_TEACHER: tuple[float, ...] = (4.0, 1.5, -1.0, 0.5, -0.5, 1.0, -1.5, 0.0, -2.0, 2.0)


@dataclass(frozen=True)
class Param:
    """One URL parameter and the control that draws it.

    ``kind`` is one of int, index (an int from 1 to n: :func:`bounds`), float, floats, choice, bool, keys. ``widget``
    is the Streamlit widget that draws it (slider, select_slider, selectbox, radio, number_input, text, toggle), or ""
    for a parameter drawn by its own code (the logits, the step picker, the lecturer's lists)."""

    name: str
    kind: str
    default: object
    lo: float | None = None
    hi: float | None = None
    choices: tuple[str, ...] = ()
    label: str = ""  # the widget's label (its first letter capitalised on screen) and the lecturers' table's
    steps: tuple[float, ...] = ()  # a numeric param that only takes these values (a log-step select_slider)
    widget: str = ""
    step: float | None = None  # a slider's or number field's step
    names: tuple[str, ...] = ()  # how each of ``choices`` is shown
    show: Callable[[object], str] | None = None  # how a numeric value is shown by a select_slider, selectbox or radio
    marks: tuple[float, ...] = ()  # a select_slider's choices when the value may lie between them (the held one is added)
    fill: tuple[float, ...] = ()  # a vector's entries when n grows past its length

    def shown(self, value) -> str:
        """``value`` as its widget shows it."""
        if self.names:
            return dict(zip(self.choices, self.names, strict=True)).get(value, str(value))
        return self.show(value) if self.show is not None else str(value)


_P = Param
_SEED = {"widget": "number_input", "step": 1}  # a seed: a whole number typed in a field
TABLE: dict[str, Param] = {
    p.name: p
    for p in (
        # shared by every page: one example walks the class through all pages
        _P("n", "int", 3, N_MIN, N_MAX, label="number of outputs n", widget="slider", step=1),
        _P("z", "floats", DEFAULT_Z[:3], -Z_LIMIT, Z_LIMIT, label="logits z", fill=DEFAULT_Z),
        _P("T", "float", 1.0, 0.1, 10.0, label="temperature T", widget="slider", step=0.1),
        # every lesson: which step is open (0 = the whole lesson on one page, for reading or printing); a page clamps it
        # to its own number of steps (pages/_ui/registry.py)
        _P("step", "int", 1, 0, STEP_MAX, label="lesson step (0 = the whole lesson on one page)"),
        # Softmax page
        _P("c", "float", 2.0, -10.0, 10.0, label="add c to every z", widget="slider", step=0.1),  # ≠ 0: a shift step shows one
        # Dependencies / Derivation / Chain rule: 1-based indices, clamped to n
        _P("i", "index", 1, 1, N_MAX, label="output Sᵢ", widget="slider", show=lambda k: fmt.label("S", k - 1)),
        _P("j", "index", 1, 1, N_MAX, label="input zⱼ", widget="slider", show=lambda k: fmt.label("z", k - 1)),
        _P("y", "index", 1, 1, N_MAX, label="target class y", widget="slider", show=lambda k: fmt.label("e", k - 1)),
        _P("loss", "choice", "cross_entropy", choices=tuple(LOSSES), names=tuple(v.long for v in LOSSES.values()),
           label="loss", widget="radio"),
        # Chain rule page: the reader's row of J against a nudge of size h along a direction
        _P("h", "float", 0.1, -2.0, 2.0, label="nudge size h (Δz = h·u)", widget="slider", step=0.05),
        _P("nudge", "choice", "mixed", choices=("mixed", "uniform"), names=("u = (1, −½, ¼, …)", "u = (1, 1, …, 1)"),
           label="nudge direction u", widget="radio"),
        # Log-sum-exp page: the target q of the cross-entropy, and the teacher of distillation
        _P("target", "choice", "smooth", choices=("onehot", "smooth", "teacher"),
           names=("one-hot y", "label smoothing ε", "a teacher's softmax (distillation)"), label="soft target q",
           widget="radio"),
        _P("eps", "float", 0.1, 0.0, 1.0, label="label smoothing ε", widget="slider", step=0.01),
        _P("zt", "floats", DEFAULT_TEACHER[:3], -Z_LIMIT, Z_LIMIT, label="teacher's logits (distillation)", widget="text",
           fill=DEFAULT_TEACHER),
        # Jacobian page: what the saturation animation sweeps
        _P("sweep", "choice", "T", choices=("T", "spread"),
           names=("temperature T falls 10 → 0.1", "logit spread grows 0 → 10×"), label="sweep into saturation",
           widget="radio"),
        # Jacobian page: the covariance reading's Monte Carlo estimate
        _P("mc", "int", 1000, 10, 1_000_000, steps=MC_STEPS, label="samples N (log steps)", widget="select_slider",
           show=fmt.whole),
        _P("mcseed", "int", 0, 0, 999_999, label="Monte Carlo seed", **_SEED),
        # Softmax page: Gumbel-max sampling and the Gumbel-softmax relaxation
        _P("gdraws", "int", 1000, 10, 3000, steps=GDRAW_STEPS, label="draws (log steps)", widget="select_slider",
           show=fmt.whole),
        _P("gseed", "int", 0, 0, 999_999, label="Gumbel seed", **_SEED),
        _P("tau", "float", 0.5, 0.05, 10.0, steps=TAU_STEPS, label="relaxation temperature τ", widget="select_slider"),
        # At scale page (the data set and seeds are the Training page's)
        _P("bm", "int", 3, 1, 8, label="samples m in the picture", widget="slider", step=1),
        _P("vocab", "int", 50_000, 2, 1_000_000, label="vocabulary size n (classes per row)", widget="number_input",
           step=1000),
        # Attention page
        _P("d", "int", 64, 1, 1024, steps=D_STEPS, label="dimension d (powers of 2)", widget="select_slider"),
        _P("aseed", "int", 0, 0, 999_999, label="seed of q and the keys", **_SEED),
        # Training page
        _P("data", "choice", "blobs", choices=tuple(DATASETS), names=tuple(v[0] for v in DATASETS.values()),
           label="data set", widget="selectbox"),
        _P("D", "int", 2, 2, 10, label="input dimension D", widget="slider", step=1),
        _P("m", "int", 50, 5, 200, label="points per class", widget="slider", step=1),
        _P("dseed", "int", 0, 0, 999_999, label="data seed", **_SEED),
        _P("iseed", "int", 0, 0, 999_999, label="init seed", **_SEED),
        _P("wscale", "float", 0.1, 0.01, 100.0, marks=WSCALE_STEPS, label="initial weight scale σ (W ~ N(0, σ²))",
           widget="select_slider", show=fmt.num),
        _P("lr", "float", 0.5, 1e-4, 1e6, marks=LR_STEPS, label="learning rate η (log steps)", widget="select_slider",
           show=fmt.num),
        _P("epochs", "int", 200, 1, 1000, label="epochs", widget="slider", step=1),
        # the inspector's snapshot and sample: their choices come from the trained run (the page passes them)
        _P("at", "int", -1, -1, 1000, label="inspected epoch (−1 = last)"),  # a select_slider of the snapshots
        _P("s", "int", 1, 1, 2000, label="inspected sample", widget="number_input", step=1),
        # Softmax on the triangle: the grid of logits, and the nudge the arrows of J's columns are drawn for
        _P("radius", "float", 4.0, 0.5, 10.0, label="grid radius (logits up to ± this)", widget="slider", step=0.5),
        _P("dz", "float", 1.0, 0.1, 3.0, label="nudge Δz (the arrows' scale)", widget="slider", step=0.1),
        # Gradient check: what is checked, and the finite-difference step
        _P("subj", "choice", "softmax", choices=("softmax", "log_softmax", "ce"),
           names=("Check softmax's J", "Check log-softmax's J", "Check CE's (S − y)/T"),
           label="check the derivative of", widget="selectbox"),
        _P("fdh", "float", 1e-6, 1e-12, 0.1, steps=FDH_STEPS, label="step h of the check below", widget="select_slider",
           show=fmt.num),
        # The layer: "expected minus observed", by drawing classes from S
        _P("draws", "int", 1000, 10, 10_000, steps=DRAW_STEPS, label="class draws k ~ S", widget="select_slider",
           show=fmt.whole),
        _P("eseed", "int", 0, 0, 999_999, label="seed of the class draws", **_SEED),
        # classroom (drawn by the frame: pages/_ui/frame.py)
        _P("present", "bool", False, label="presentation mode", widget="toggle"),
        _P("lock", "keys", (), label="locked controls"),
        _P("hide", "keys", (), label="hidden controls"),
        _P("fmt", "choice", "png", choices=("png", "svg"), names=("PNG, 3×", "SVG"),
           label="slide export (camera icon on each chart)", widget="radio"),
        _P("bg", "choice", "white", choices=("white", "transparent", "shown"), names=("White", "Transparent", "As shown"),
           label="background of the exported picture", widget="radio"),
    )
}
# The 1-based indices of an output (i, j, y): each ranges over 1…n (:func:`bounds`).
INDEX = tuple(name for name, p in TABLE.items() if p.kind == "index")


def bounds(name: str, params: Mapping[str, object]) -> tuple[float, float]:
    """The range param ``name`` lies in, given the other ``params``: an index is 1…n, the rest their row's lo…hi."""
    p = TABLE[name]
    if p.kind == "index":
        return 1, int(params["n"])
    return p.lo, p.hi


def clamp(name: str, value, params: Mapping[str, object]):
    """``value`` moved into :func:`bounds` (an index past n becomes n)."""
    lo, hi = bounds(name, params)
    return min(max(value, lo), hi)


def defaults() -> dict[str, object]:
    """A fresh dict of every parameter's default (a new dict each call: safe to mutate)."""
    return {name: p.default for name, p in TABLE.items()}


# Settings of the frame itself, never lockable or hideable (a student must always be able to leave presentation mode).
FRAME_ONLY = ("present", "lock", "hide")

_SAFE = re.compile(r"[^A-Za-z0-9 .,+\-_]")


def sanitize(value: object, limit: int = 30) -> str:
    """Make user text safe to show anywhere (markdown, HTML): keep only plain
    characters, replace the rest with '?', and truncate. Used in every problem message."""
    text = str(value)
    short = text[:limit] + ("…" if len(text) > limit else "")
    return _SAFE.sub("?", short.replace("…", "...")) if short else "(empty)"


def _said(v: float) -> str:
    """A value or bound in a problem message, with every digit it has (15 significant, a power of ten as ×10ⁿ): the
    message names the value used, so 999,999 reads "999999", never {:g}'s "1e+06"."""
    return fmt.prose(v, 15)


def parse_vector(text: str) -> tuple[list[float] | None, str | None]:
    """Parse ``"2, 1, 0.1"`` (commas, spaces or semicolons) into floats.

    Returns ``(values, None)`` or ``(None, error)``. Requires N_MIN..N_MAX finite
    numbers with |z| <= Z_LIMIT; the error says exactly what is wrong.
    """
    if not isinstance(text, str):
        return None, "the logits must be text such as 2, 1, 0.1"
    if len(text) > MAX_TEXT:
        return None, f"that text is too long ({len(text)} characters); type at most {N_MAX} numbers"
    parts = [p for p in re.split(r"[,;\s]+", text.strip().strip("[]()")) if p]
    if not parts:
        return None, "type some logits, e.g. 2, 1, 0.1"
    values = []
    for k, part in enumerate(parts, 1):
        try:
            v = float(part)
        except ValueError:
            return None, f"entry {k} ({sanitize(part, 12)}) is not a number"
        if not math.isfinite(v):
            return None, f"entry {k} is {sanitize(part, 12)}; every logit must be a finite number"
        if abs(v) > Z_LIMIT:
            return None, f"entry {k} is {_said(v)}; keep every logit between {_said(-Z_LIMIT)} and {_said(Z_LIMIT)}"
        values.append(v)
    if not N_MIN <= len(values) <= N_MAX:
        return None, f"got {len(values)} numbers; softmax here takes {N_MIN} to {N_MAX} logits"
    return values, None


def format_vector(values) -> str:
    """``[2.0, 1.0, 0.1] -> "2, 1, 0.1"``: shortest exact repr, so parse(format(v)) == v."""
    return ", ".join(fmt.exact(v) for v in values)


def fit_z(z, n: int, fill: tuple[float, ...] = DEFAULT_Z) -> tuple[float, ...]:
    """Truncate or extend ``z`` to length n, extending with ``fill``'s entries (:data:`DEFAULT_Z`; a vector param's
    own are its row's ``fill``)."""
    z = tuple(float(v) for v in z)[:n]
    return z + fill[len(z) : n]


def encode(params: Mapping[str, object], keys=None) -> dict[str, str]:
    """Params -> query strings, for the ``keys`` given (default: every known key in ``params``)."""
    out: dict[str, str] = {}
    for name in keys if keys is not None else params:
        p = TABLE.get(name)
        if p is None or name not in params:
            continue
        v = params[name]
        if p.kind in ("int", "index"):
            out[name] = str(int(v))
        elif p.kind == "float":
            out[name] = fmt.exact(v)
        elif p.kind == "floats":
            out[name] = ",".join(fmt.exact(x) for x in v)
        elif p.kind == "bool":
            out[name] = "1" if v else "0"
        elif p.kind == "keys":
            out[name] = ",".join(v)
        else:
            out[name] = str(v)
    return out


def _number(p: Param, raw: str, problems: list[str], integer: bool):
    try:
        v = float(raw.strip())
    except ValueError:
        problems.append(f"{p.name}={sanitize(raw)} is not a number; using the default {p.default}")
        return p.default
    if not math.isfinite(v):
        problems.append(f"{p.name}={sanitize(raw)} is not finite; using the default {p.default}")
        return p.default
    if integer and not v.is_integer():
        problems.append(f"{p.name}={sanitize(raw)} is not a whole number; rounded to {round(v)}")
        v = float(round(v))
    clamped = min(max(v, p.lo), p.hi)
    if clamped != v:
        problems.append(f"{p.name}={sanitize(raw)} is outside {_said(p.lo)}..{_said(p.hi)}; using {_said(clamped)}")
    if p.steps and clamped not in p.steps:
        snapped = min(p.steps, key=lambda s: abs(math.log(s) - math.log(clamped)))
        shown = ", ".join(_said(s) for s in p.steps)
        problems.append(f"{p.name}={sanitize(raw)} is not one of the steps {shown}; using {_said(snapped)}")
        clamped = snapped
    return int(clamped) if integer else clamped


def _one(p: Param, raw: str, problems: list[str]):
    """Decode one raw string for ``p``; appends to problems and returns a valid value."""
    if p.kind in ("int", "index"):
        return _number(p, raw, problems, integer=True)
    if p.kind == "float":
        return _number(p, raw, problems, integer=False)
    if p.kind == "bool":
        low = raw.strip().lower()
        if low in ("1", "true", "yes", "on"):
            return True
        if low in ("0", "false", "no", "off", ""):
            return False
        problems.append(f"{p.name}={sanitize(raw)} is not 0 or 1; using {int(bool(p.default))}")
        return p.default
    if p.kind == "choice":
        if raw in p.choices:
            return raw
        problems.append(f"{p.name}={sanitize(raw)} is not one of {', '.join(p.choices)}; using {p.default}")
        return p.default
    if p.kind == "keys":
        names = [k for k in (x.strip() for x in raw.split(",")) if k]
        bad = [k for k in names if k not in TABLE or k in FRAME_ONLY]
        if bad:
            problems.append(f"{p.name}: ignored unknown control(s) {sanitize(','.join(bad))}")
        return tuple(dict.fromkeys(k for k in names if k not in bad))
    if p.kind == "floats":
        values, err = parse_vector(raw.replace(",", " "))
        if err:
            problems.append(f"{p.name}={sanitize(raw)}: {err}; using the default {p.label}")
            return None
        return tuple(values)
    raise AssertionError(f"unknown kind {p.kind}")  # a bug in TABLE, not user input


def decode(query: Mapping[str, object]) -> tuple[dict[str, object], list[str]]:
    """Query strings -> ``(params, problems)``; never raises.

    ``params`` holds a valid value for *every* key of :data:`TABLE` (defaults
    where the query is silent). ``problems`` lists what was ignored or changed,
    in words a student understands, with user text sanitised.
    """
    params = defaults()
    problems: list[str] = []
    given: dict[str, str] = {}
    try:
        items = list(query.items())
    except Exception:
        return params, ["the link's parameters could not be read; using the defaults"]
    for key, raw in items:
        if isinstance(raw, (list, tuple)):
            raw = raw[-1] if raw else ""
        key, raw = str(key), str(raw)
        if key not in TABLE:
            problems.append(f"unknown parameter {sanitize(key, 20)} ignored")
            continue
        if len(raw) > MAX_TEXT:
            problems.append(f"{key} is {len(raw)} characters long; ignored")
            continue
        given[key] = raw

    for key, raw in given.items():
        if key != "z":
            value = _one(TABLE[key], raw, problems)
            params[key] = TABLE[key].default if value is None else value  # None: a vector that did not parse

    n = params["n"]
    if "z" in given:
        z = _one(TABLE["z"], given["z"], problems)
        if z is not None:
            if "n" not in given:
                n = params["n"] = len(z)
            elif len(z) != n:
                problems.append(f"z has {len(z)} values but n={n}; z was fitted to n")
            params["z"] = fit_z(z, n)
        else:
            params["z"] = fit_z(DEFAULT_Z, n)
    else:
        params["z"] = fit_z(DEFAULT_Z, n)

    for key in INDEX:
        fitted = clamp(key, params[key], params)
        if fitted != params[key] and key in given:
            problems.append(f"{key}={params[key]} is larger than n={n}; using {fitted}")
        params[key] = fitted
    if params["at"] > params["epochs"]:
        problems.append(f"at={params['at']} is past the last epoch; showing the last")
        params["at"] = -1
    return params, problems
