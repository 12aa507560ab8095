r"""Numbers as text: the one place that decides how a number is printed (stdlib only).

Core (computed sentences), figures (labels) and pages (captions, tables) all print numbers; each function here
says what it is for, so two places that mean the same thing print the same text:

============  ==========================================================  =====================
function      for                                                         example
============  ==========================================================  =====================
:func:`num`   a number in a sentence or label, ``digits`` significant      ``0.659``, ``−∞``
:func:`prose` a number in running text: ×10ⁿ, the Unicode minus           ``0.659``, ``−4.25×10⁻¹⁸``
:func:`fixed` a column of numbers with the same decimals                  ``0.0123``, ``1.23×10⁻⁵``
``unicode=False`` (num, fixed) code notation, for a machine: -, inf, e-05  ``-1.23e-05``
:func:`signed` a matrix cell whose sign must be readable without colour   ``+0.223``, ``−0.050``, ``+2.5×10⁻⁵``
:func:`tex`   a number inside LaTeX (never the code notation ``e-05``)    ``1.2\times10^{-5}``
:func:`pow10` 10^x from its log₁₀ x, so e^{1000} prints although it overflows ``3.03\times10^{434}``
:func:`exact` the shortest text that parses back to the same float (URLs)  ``0.1``, ``2``
:func:`vector` the first entries of a vector, 3 significant digits         ``(1, 2.5, …)``
:func:`nums`  every entry of an array, nested as it is (hovers, bar texts) ``[["0.5", "−2.2×10⁻⁵"]]``
:func:`simplex` a probability vector: an entry rounded to 1 says so         ``(1 (rounded in float64; …), …)``
:func:`prose_vector` a vector in running text, every entry through prose   ``(−4.25×10⁻¹⁸, −3)``
:func:`prose_simplex` a probability vector in running text              ``(1 (rounded …), 1.8×10⁻³⁵)``
:func:`nbytes` a size in decimal units                                    ``8 GB``
:func:`plural` a count with its noun, singular for exactly 1              ``1 epoch``, ``2 epochs``
:func:`percent` a share as a percentage, never "100 %" unless it is 1         ``46 %``, ``99.996 %``
:func:`given` a value a caller passed, cut short for an error message      ``'abc'``, ``[1.0, 2.0, 3.0, 4.0, 5.0, …``
============  ==========================================================  =====================

Shared rules: a zero never prints as "-0" (``-0.0 + 0.0`` is ``+0.0``; a value that *rounds* to zero prints
unsigned), and a non-zero value never prints as 0.000 (it switches to a power of ten); a value that is not a whole
number never prints as one (0.99966 is "0.9997", never "1": :func:`num`, :func:`prose`, :func:`tex` add digits until it
shows; near a whole number other than 0 and ±1, two more figures at most, then its trailing zeros: 4.9999999999998
at 4 figures is "5.000", never float64's noise); NaN and infinities print as text (``NaN``, ``inf`` / ``∞``), never raise.
"""

from __future__ import annotations

import math

__all__ = [
    "MARK",
    "MINUS",
    "SIGN_GLYPH",
    "exact",
    "fixed",
    "given",
    "label",
    "nbytes",
    "num",
    "nums",
    "percent",
    "plural",
    "pow10",
    "prose",
    "prose_simplex",
    "prose_vector",
    "shown",
    "signed",
    "simplex",
    "tex",
    "vector",
    "whole",
]

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def label(symbol: str, j: int) -> str:
    """A 0-based index j shown 1-based as a Unicode subscript: ``label('S', 0) -> 'S₁'``, ``label('z', 9) -> 'z₁₀'``."""
    return symbol + str(j + 1).translate(_SUB)


MARK = {True: "✓", False: "✗", None: "⚠"}  # a computed check: holds, fails, true in exact arithmetic only
MINUS = "−"  # U+2212: the typographic minus, as wide as the plus
SIGN_GLYPH = {+1: "+", -1: MINUS, 0: "0"}  # sign never relies on colour alone


def _special(v: float, unicode: bool) -> str | None:
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return ((MINUS if unicode else "-") if v < 0 else "") + ("∞" if unicode else "inf")
    return None


def _unsigned_zero(s: str) -> str:
    """``-0``, ``-0.00``, ``-0e+00`` -> without the sign: a value that rounds to zero has no sign to show."""
    return s[1:] if s.startswith("-") and not s.strip("-0.e+") else s


def _whole_text(s: str) -> bool:
    """The text reads as a whole number: digits and a sign only, or a whole mantissa times a power of ten that is not
    negative ("1e+02", which {:.2g} prints for 99.96: it reads 100)."""
    mant, _, exp = s.lstrip("-" + MINUS).partition("e")
    return mant.isdigit() and (not exp or not exp.startswith(("-", MINUS)))


def _typographic(s: str) -> str:
    """Code notation as type: ``-4.25e-18`` -> ``−4.25×10⁻¹⁸``, the form of plotly's axes and of :func:`prose`."""
    if "e" in s:
        mant, exp = s.split("e")
        s = f"{mant}×10{str(int(exp)).translate(_SUP)}"
    return s.replace("-", MINUS)


EXTRA = 2  # at most this many more figures show that a value near a whole number other than 0 and ±1 is not it


def _extra_limit(v: float, digits: int) -> int:
    """How far :func:`_digits_for` may go: to 17 figures where the whole number it would read is 0 or ±1 (a probability
    read as 1 says certainty, a share read as 0 says never: 1 − 10⁻¹² prints "0.999999999999"); elsewhere ``EXTRA`` more,
    since 4.9999999999998 beside 4-figure numbers is float64's noise, not a finding."""
    return 17 if abs(round(v)) <= 1 else digits + EXTRA


def _zeros(v: float, digits: int) -> str:
    """v with ``digits`` significant figures, trailing zeros kept (at least one decimal): "5.000", "10.0", "100.0".
    A rounding to the figures printed, as a scientist writes it, not the claim "exactly 5" that a bare "5" makes."""
    whole_digits = len(str(round(abs(v))))
    return f"{v:.{max(digits - whole_digits, 1)}f}"


def _digits_for(v: float, digits: int, render) -> str:
    """``render(d)`` at ``digits``, or with more digits while it reads as a whole number that v is not: 0.99966 at 3
    significant figures is "1", which says certainty; it prints "0.9997". Only where the rounding is at or below the
    units (|v| < 10^digits): 1234.5 at 3 figures is already shown as rounded (1.23e+03).

    Near 0 and ±1 up to 17 figures; near any other whole number :data:`EXTRA` more at most, and then the whole number
    with its trailing zeros ("5.000" for 4.9999999999998 at 4 figures: equal to 5 at the figures printed, and said so)."""
    text = render(digits)
    if math.isfinite(v) and v != math.floor(v) and abs(v) < 10.0**digits and _whole_text(text):
        d, limit = digits, _extra_limit(v, digits)
        while _whole_text(text) and d < limit:
            d += 1
            text = render(d)
        if _whole_text(text):
            text = _zeros(v, digits)
    return text


def num(v: float, digits: int = 3, *, unicode: bool = True, plain: bool = False) -> str:
    """A number in a sentence or a label, ``digits`` significant figures (``{:.3g}``).

    ``unicode`` (the default): typographic text, for whatever a person reads (sentences, tables, figures): the minus
    "−" ("−" and "-" differ in width), ∞, and a power of ten as ×10ⁿ like plotly's axes, never the code notation e−18.
    ``unicode=False`` gives the code notation (``2.5e-07``, ``-1.5``, ``inf``) for a machine or a test.
    ``plain``: no exponent below 10¹⁵, so a gap of 1000 reads "1000", not "1e+03" (rounded to ``digits`` first).

    >>> num(0.65903), num(-0.0), num(2.5e-7), num(-1.5), num(float("inf")), num(2.5e-7, unicode=False)
    ('0.659', '0', '2.5×10⁻⁷', '−1.5', '∞', '2.5e-07')
    >>> num(1234.5), num(1234.5, plain=True), num(float("-inf")), num(float("nan")), num(-1.5, unicode=False)
    ('1.23×10³', '1230', '−∞', 'NaN', '-1.5')
    >>> num(0.99966), num(0.99966, 2), num(1.0), num(2.9999), num(-0.9996), num(99.96, 2)
    ('0.9997', '0.9997', '1', '2.9999', '−0.9996', '99.96')
    >>> num(4.9999999999998, 4), num(9.9999999999995), num(1 - 1e-12), num(-4.000000000000001)
    ('5.000', '10.0', '0.999999999999', '−4.00')
    """
    v = float(v)
    special = _special(v, unicode)
    if special is not None:
        return special
    s = _unsigned_zero(_digits_for(v, digits, lambda d: f"{v + 0.0:.{d}g}"))
    if plain and "e+" in s and abs(v) < 1e15:
        s = f"{float(s):.0f}"
    return _typographic(s) if unicode else s


def fixed(v: float, places: int = 3, *, sci: bool = False, unicode: bool = True, probability: bool = False) -> str:
    """A number with ``places`` decimals, so a column of them lines up (``{:.4f}``).

    ``sci``: outside [10⁻³, 10⁵) the scientific form with ``places`` decimals instead, so a tiny value is not
    printed as 0.000 nor a huge one as twelve digits (an exact 0 stays fixed). Without ``sci`` a non-zero value that
    would round to 0.000 takes the scientific form too: a column may lose its alignment, never its truth.
    ``unicode``: as for :func:`num` (the scientific form as ×10ⁿ).
    ``probability``: v is a probability, so a value below 1 never reads "1.0000", which says certainty: it gets more
    decimals until it shows (0.99996 at 4 is "0.99996"), up to 17 figures as :func:`num`. Without it a value that
    rounds to 1 prints as 1 with its decimals, as a sum whose exact value is 1 (Σ S) should.

    >>> fixed(0.5), fixed(-0.00001), fixed(-0.00001, 2, sci=True), fixed(123456.0, 2, sci=True), fixed(float("nan"))
    ('0.500', '−1.000×10⁻⁵', '−1.00×10⁻⁵', '1.23×10⁵', 'NaN')
    >>> fixed(-0.4987, 2), fixed(-0.001, 2), fixed(0.0), fixed(-0.0), fixed(-0.00001, unicode=False)
    ('−0.50', '−1.00×10⁻³', '0.000', '0.000', '-1.000e-05')
    >>> fixed(0.99996, 4), fixed(0.99996, 4, probability=True), fixed(1.0, 4, probability=True)
    ('1.0000', '0.99996', '1.0000')
    """
    v = float(v)
    special = _special(v, unicode)
    if special is not None:
        return special
    if probability and v != 1:
        while float(f"{v:.{places}f}") == 1 and places < 16:  # 16 decimals: 1 − 2⁻⁵³ prints 0.9999999999999999
            places += 1
    rounds_to_zero = v != 0 and float(f"{v:.{places}f}") == 0
    s = (f"{v:.{places}e}" if v != 0 and ((sci and not 1e-3 <= abs(v) < 1e5) or rounds_to_zero)
         else _unsigned_zero(f"{v + 0.0:.{places}f}"))
    return _typographic(s) if unicode else s


def prose(v: float, digits: int = 3, *, nonzero: bool = False) -> str:
    """A number in running text: ``digits`` significant figures, a power of ten as ×10ⁿ (never the code notation
    ``e-18``), the Unicode minus, and a whole number from 1000 on up to 10⁶ ("2500", not "2.5×10³").

    ``nonzero``: the true value is known not to be 0 (a softmax output, a Jacobian entry), so a float64 value below
    the normal range (2.2×10⁻³⁰⁸) is said to be one: "0 in float64 (below 10⁻³⁰⁸)", never a bare 0.

    >>> prose(0.65903), prose(-4.248e-18), prose(2.5e9), prose(-0.0), prose(1234.5), prose(float("-inf"))
    ('0.659', '−4.25×10⁻¹⁸', '2.5×10⁹', '0', '1230', '−∞')
    >>> prose(0.000468), prose(5e-324, 2), prose(0.0, nonzero=True), prose(1e-310, nonzero=True)
    ('0.000468', '4.9×10⁻³²⁴', '0 in float64 (below 10⁻³⁰⁸)', '1×10⁻³¹⁰ (subnormal in float64: few digits)')
    >>> prose(0.99966), prose(1 - 1e-12), prose(1.0), prose(99.96, 2)
    ('0.9997', '0.999999999999', '1', '99.96')
    """
    v = float(v)
    special = _special(v, True)
    if special is not None:
        return special
    if nonzero and abs(v) < 2.2250738585072014e-308:
        return "0 in float64 (below 10⁻³⁰⁸)" if v == 0 else prose(v, digits) + " (subnormal in float64: few digits)"
    if v == 0:
        return "0"
    s = _digits_for(v, digits, lambda d: f"{v:.{d}g}")
    if "e" in s and 1e-4 <= abs(float(s)) < 1e6:  # {:g} gives 1.23e+03 for 1234.5: a whole number reads better
        s = f"{float(s):.0f}" if abs(float(s)) >= 1 else f"{float(s):.{digits + 3}f}".rstrip("0")
    return _typographic(s)


def whole(count: int) -> str:
    """A whole number with thousands separators, for counts shown as such (``1,000`` draws, ``50,000`` classes).

    >>> whole(1000), whole(7), whole(-50000)
    ('1,000', '7', '−50,000')
    """
    return f"{int(count):,}".replace("-", MINUS)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """A count with its noun, singular for exactly 1: ``1 epoch``, ``2 epochs``, ``1 block``, ``0 entries``.

    ``many`` is the plural when English does not add "s": "class" → "classes" and "entry" → "entries" are guessed;
    anything else is given. Counts from 10 000 on get a thousands separator.

    >>> plural(1, "epoch"), plural(2, "epoch"), plural(1, "block"), plural(9, "entry"), plural(3, "class")
    ('1 epoch', '2 epochs', '1 block', '9 entries', '3 classes')
    >>> plural(1, "matrix", "matrices"), plural(12000, "draw"), plural(2, "batch")
    ('1 matrix', '12,000 draws', '2 batches')
    """
    n = int(count)
    if n != 1:
        if many is None:
            if noun.endswith(("s", "x", "sh", "tch")):  # batch → batches, but epoch → epochs
                many = noun + "es"
            elif noun.endswith("y") and noun[-2:-1] not in tuple("aeiou"):
                many = noun[:-1] + "ies"
            else:
                many = noun + "s"
        noun = many
    return f"{n:,} {noun}" if abs(n) >= 10_000 else f"{n} {noun}"


def percent(share: float, places: int = 0) -> str:
    """A share (0.4567) as a percentage with ``places`` decimals and a space before "%", as the pages print "100.0 %".
    A share that is not exactly 0 or 1 never reads "0 %" or "100 %": near 1 it gets more decimals, near 0 it prints
    as :func:`prose` (×10ⁿ). A negative share (a difference) gets the Unicode minus.

    >>> percent(0.4567), percent(0.95, 1), percent(1.0, 1), percent(0.99996), percent(2e-9), percent(0.0)
    ('46 %', '95.0 %', '100.0 %', '99.996 %', '2×10⁻⁷ %', '0 %')
    """
    v = 100 * float(share)
    special = _special(v, True)
    if special is not None:
        return special + " %"
    if v != 0 and float(f"{v:.{places}f}") == 0:
        return prose(v, 2) + " %"
    while abs(v) != 100 and abs(float(f"{v:.{places}f}")) == 100 and places < 15:
        places += 1
    return _unsigned_zero(f"{v + 0.0:.{places}f}").replace("-", MINUS) + " %"


def given(value, limit: int = 40) -> str:
    """A value a caller passed, for an error message: its repr, cut to ``limit`` characters and "…" (a huge array or a
    long text does not flood the message).

    >>> given("abc"), given(list(range(30)), 20), given(0.1)
    ("'abc'", '[0, 1, 2, 3, 4, 5, 6…', '0.1')
    """
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "…"


def signed(v: float, digits: int = 3) -> str:
    """A matrix cell with its sign glyph: ``+0.223``, ``−0.050``; below 10^-digits in short scientific form
    (``+2.5×10⁻⁵``), so a tiny non-zero entry never reads as "+0.000"; an exact 0 is ``0``, never "+0" or "−0".
    At ``digits`` ≥ 3, a value whose ``digits`` decimals would keep one significant figure (10⁻³ ≤ |v| < 10⁻² at 3) gets
    one decimal more: 0.0018 is "+0.0018", as a title's 2 significant figures print it, never "+0.002". One or two
    decimals are a narrow cell's choice (the batch Jacobian's 9 columns on a phone), kept as asked.
    The usual cell is tested first: a sweep prints 21 matrices on a slider move.

    >>> signed(0.2227), signed(-0.05), signed(2.5e-5), signed(-0.0), signed(float("-inf")), signed(-4.2e-18, 2)
    ('+0.223', '−0.050', '+2.5×10⁻⁵', '0', '−∞', '−4.2×10⁻¹⁸')
    >>> signed(0.0018), signed(-0.0095), signed(0.018, 2), signed(0.00018, 4)
    ('+0.0018', '−0.0095', '+0.02', '+0.00018')
    """
    v = float(v)
    a = abs(v)
    if 10.0**-digits <= a < math.inf:
        places = digits + 1 if digits >= 3 and a < 10.0 ** (1 - digits) else digits
        return f"{SIGN_GLYPH[1] if v > 0 else MINUS}{a:.{places}f}"
    if math.isnan(v):
        return "NaN"
    if v == 0:
        return SIGN_GLYPH[0]
    glyph = SIGN_GLYPH[1 if v > 0 else -1]
    if math.isinf(a):
        return f"{glyph}∞"
    return glyph + _typographic(f"{a:.1e}")


def tex(v: float, digits: int = 3) -> str:
    r"""A number for LaTeX: ``0.659``, ``-1.2\times10^{-5}``, ``-\infty``, ``\text{NaN}``.

    Between 10⁻³ and 10⁴: ``digits`` decimals, trailing zeros dropped, and more decimals below 0.1 so that a small
    number keeps ``digits`` significant figures (0.00137, not 0.001). Outside: a power of ten.

    >>> tex(0.659), tex(-1.2e-5), tex(0.00137), tex(2.0), tex(float("-inf")), tex(0.99966)
    ('0.659', '-1.2\\times10^{-5}', '0.00137', '2', '-\\infty', '0.9997')
    """
    v = float(v)
    if math.isnan(v):
        return r"\text{NaN}"
    if math.isinf(v):
        return r"-\infty" if v < 0 else r"\infty"
    if v == 0:
        return "0"
    if 1e-3 <= abs(v) < 1e4:
        s = _tex_plain(v, digits)[0]
        return s if s not in ("-0", "0") else f"{v:.{digits}g}"
    mant, exp = f"{v:.{digits - 1}e}".split("e")
    return rf"{mant.rstrip('0').rstrip('.')}\times10^{{{int(exp)}}}"


def _decimals(v: float, digits: int) -> int:
    """``digits`` decimals, or more below 0.1 so that a small number keeps ``digits`` significant figures
    (0.00137 prints as 0.00137, not 0.001: a step of 1.37e-3 must not read as 1e-3); more again while a value that is
    not whole would print as a whole number (0.99966 as 0.9997, not 1), as far as :func:`_digits_for` goes."""
    return _tex_plain(v, digits)[1]


def _tex_plain(v: float, digits: int) -> tuple[str, int]:
    """v in [10⁻³, 10⁴) for LaTeX and the decimals it was printed with: :func:`_decimals`' rule, trailing zeros
    dropped, except for a whole number that v is not beyond :func:`_digits_for`'s reach ("5.000")."""
    d = max(digits, digits - 1 - math.floor(math.log10(abs(v))))
    text = f"{v:.{d}f}".rstrip("0").rstrip(".")
    if v != math.floor(v) and _whole_text(text):
        limit = d + _extra_limit(v, digits) - digits
        while _whole_text(text) and d < limit:
            d += 1
            text = f"{v:.{d}f}".rstrip("0").rstrip(".")
        if _whole_text(text):
            text = _zeros(v, digits)
            d = len(text.partition(".")[2])
    return text, d


def shown(v: float, digits: int = 3) -> float:
    """The value :func:`tex` prints for v (its rounding), to check that printed numbers still give the result.

    >>> shown(0.65903), shown(1.2345e-5)
    (0.659, 1.23e-05)
    """
    v = float(v)
    if not math.isfinite(v) or v == 0:
        return v
    return round(v, _decimals(v, digits)) if 1e-3 <= abs(v) < 1e4 else float(f"{v:.{digits - 1}e}")


def pow10(log10_value: float, digits: int = 4, *, latex: bool = True, mant_places: int = 2,
          mant_digits: int | None = None) -> str:
    r"""10^x given x = log₁₀ of the value, so a value far beyond float64 (e^{1000}) still prints.

    ``latex=True`` (formulas): plain ``{:.{digits}g}`` in [10⁻³, 10⁴), else ``3.03 \times 10^{434}`` (3 significant).
    ``latex=False`` (plotly labels and sentences): plain in [10⁻³, 10⁵) (``{:.3g}``, a whole number from 1000), else
    ``3.03×10⁴³⁴`` with ``mant_places`` decimals, as plotly's axes print a power of ten. Either way a mantissa that
    rounds up to 10 carries into the exponent. ``mant_digits`` (LaTeX): the mantissa to that many significant figures,
    its trailing zeros kept, for the operands of an equation that must hold as printed (2.2026 / 2.2484 = 0.9796).

    >>> pow10(math.log10(7.389)), pow10(434.48), pow10(-4.5, latex=False), pow10(2.0, latex=False)
    ('7.389', '3.02 \\times 10^{434}', '3.16×10⁻⁵', '100')
    >>> pow10(math.log10(1572.3), latex=False), pow10(math.log10(12345.0), latex=False)
    ('1572', '12345')
    >>> pow10(math.log10(22026.47), 5, mant_digits=5), pow10(math.log10(9.7e8), 5, mant_digits=5)
    ('2.2026 \\times 10^{4}', '9.7000 \\times 10^{8}')
    """
    top = 4 if latex else 5
    if -3 <= log10_value < top:
        if latex:
            return f"{10**log10_value:.{digits}g}"
        v = 10**log10_value  # from 1000 on, the whole number (2981), not {:.3g}'s "2.98e+03" or a rounded "2980"
        return f"{v:.0f}" if v >= 1000 else f"{v:.3g}"
    k = math.floor(log10_value)
    mant = 10 ** (log10_value - k)
    if latex and mant_digits:  # the figures of an equation's operands, trailing zeros kept: 2.2026, 9.7000
        text = lambda m: f"{m:#.{mant_digits}g}"
    else:
        text = (lambda m: f"{m:.3g}") if latex else (lambda m: f"{m:.{mant_places}f}")
    if float(text(mant)) >= 10:  # 9.996 rounds to 10.0: carry into the exponent
        mant, k = 1.0, k + 1
    return rf"{text(mant)} \times 10^{{{k}}}" if latex else f"{text(mant)}×10{str(k).translate(_SUP)}"


def exact(v: float) -> str:
    """The shortest text that parses back to the same float, without a trailing ".0" (for URLs and text boxes).

    >>> exact(2.0), exact(0.1), exact(-1e-300), float(exact(1 / 3)) == 1 / 3
    ('2', '0.1', '-1e-300', True)
    """
    s = repr(float(v))
    return s[:-2] if s.endswith(".0") else s


def nums(values, digits: int = 3, each=None) -> list:
    """Every entry of an array of any shape as text, nested as the array is: ``each(x)`` (by default :func:`num` at
    ``digits``). A chart's hover and bar texts are printed here, not by plotly's d3 formats (``%{y:.3g}`` prints
    2.21e-05 and the hyphen-minus): the figure passes them as ``customdata`` or ``text``.

    >>> nums([0.5, -2.2e-5]), nums([[1.0, 4.9999999999998]], 4), nums([1e-6], each=lambda h: num(h, 1))
    (['0.5', '−2.2×10⁻⁵'], [['1', '5.000']], ['1×10⁻⁶'])
    """
    each = each or (lambda x: _num_fast(x, digits))
    values = values.tolist() if hasattr(values, "tolist") else values
    return [nums(x, digits, each) if isinstance(x, (list, tuple)) else each(x) for x in values]


_PLAIN = frozenset("0123456789.-")


def _num_fast(v, digits: int) -> str:
    """:func:`num` (typographic) for a chart's many hover values: the usual value (finite, no power of ten, not a whole
    number that v is not, not a signed zero) is one format and one replace; anything else goes through num itself.
    The same text as num, at a sixth of the time (a swept heatmap prints 21 × n² of them on a slider move)."""
    s = f"{v + 0.0:.{digits}g}"
    if _PLAIN.issuperset(s) and (("." in s) or v == int(v)) and s.strip("-0.") and v == v:
        return s.replace("-", MINUS)
    return num(v, digits)


def vector(values, digits: int = 3, head: int | None = 4) -> str:
    """The first ``head`` entries of a vector with ``digits`` significant figures, "…" when there are more; ``head=None``
    prints every entry.

    >>> vector([1.0, 2.5]), vector(range(6)), vector(range(6), head=None)
    ('(1, 2.5)', '(0, 1, 2, 3, …)', '(0, 1, 2, 3, 4, 5)')
    """
    return _tuple(lambda x: num(x, digits), values, head)


def prose_vector(values, digits: int = 3, head: int | None = 4) -> str:
    """:func:`vector` for running text, every entry through :func:`prose`: a vector inside a sentence reads like the
    sentence's other numbers (−4.25×10⁻¹⁸, never -4.25e-18 beside them).

    >>> prose_vector([-4.248e-18, 1.8e-35, -3.0]), prose_vector(range(6))
    ('(−4.25×10⁻¹⁸, 1.8×10⁻³⁵, −3)', '(0, 1, 2, 3, …)')
    """
    return _tuple(lambda x: prose(x, digits), values, head)


def _tuple(each, values, head: int | None) -> str:
    values = list(values)
    return _parens([each(x) for x in values[:head]], head is not None and len(values) > head)


def _parens(texts: list[str], more: bool) -> str:
    """Printed entries as a tuple, "…" when some were left out."""
    return "(" + ", ".join(texts) + (", …" if more else "") + ")"


def simplex(values, digits: int = 3, head: int | None = 4, symbol: str = "S", *, unicode: bool = True) -> str:
    """A probability vector as :func:`vector` (or in :func:`num`'s ``unicode``), except that an entry that is exactly 1
    in float64 while the others are not all 0 says so: it is a rounding (true 1 − Sₖ is their sum), and a bare "1" beside
    "4.25e−18" reads as a contradiction.

    >>> simplex([1.0, 1.8e-35, 4.248e-18]), simplex([0.5, 0.5]), simplex([1.0, 0.0])
    ('(1 (rounded in float64; 1 − S₁ = 4.25×10⁻¹⁸), 1.8×10⁻³⁵, 4.25×10⁻¹⁸)', '(0.5, 0.5)', '(1, 0)')
    """
    return _simplex(lambda x: num(x, digits, unicode=unicode), values, head, symbol)


def prose_simplex(values, digits: int = 3, head: int | None = 4, symbol: str = "S") -> str:
    """:func:`simplex` for running text, every entry through :func:`prose`, so the note on a rounded 1 and the
    entries beside it print their powers of ten the same way.

    >>> prose_simplex([1.0, 1.8e-35, 4.248e-18]), prose_simplex([9.358e-14, 3.059e-7, 0.9999997], 4)
    ('(1 (rounded in float64; 1 − S₁ = 4.25×10⁻¹⁸), 1.8×10⁻³⁵, 4.25×10⁻¹⁸)', '(9.358×10⁻¹⁴, 3.059×10⁻⁷, 0.9999997)')
    """
    return _simplex(lambda x: prose(x, digits), values, head, symbol)


def _rest(others: list[float]) -> float:
    """The exact sum of the other entries (fsum: their tiny values must not vanish in the running sum); a vector that is
    no probability vector may overflow it, and then its sum is ∞."""
    try:
        return math.fsum(others)
    except OverflowError:
        return math.inf


def _simplex(each, values, head: int | None, symbol: str) -> str:
    values = [float(v) for v in values]
    out = []
    for k, v in enumerate(values[:head]):
        text = each(v)
        rest = _rest(values[:k] + values[k + 1:]) if v == 1.0 else 0.0
        if rest > 0:  # the note at the entries' own digits: "1 − S₁ = 4.25×10⁻¹⁸" beside "4.248×10⁻¹⁸" read as two values
            text += f" (rounded in float64; 1 − {label(symbol, k)} = {each(rest)})"
        out.append(text)
    return _parens(out, head is not None and len(values) > head)


def nbytes(b: int) -> str:
    """A size in decimal units (1 kB = 10³ bytes, 1 GB = 10⁹, 1 TB = 10¹²), 3 significant figures.

    >>> nbytes(512), nbytes(8_000_000_000), nbytes(1_234_567)
    ('512 B', '8 GB', '1.23 MB')
    """
    for unit, k in (("B", 1), ("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if float(f"{b / k:.3g}") < 1000:  # 999,500 B would read "1e+03 kB": it is "1 MB"
            return f"{b} B" if k == 1 else f"{b / k:.3g} {unit}"
    return f"{b / 1e12:.3g} TB"


def pmatrix(M, digits: int = 3) -> str:
    r"""A vector (as a column) or a matrix for LaTeX, every entry through :func:`tex`.

    >>> pmatrix([1.0, -0.5]), pmatrix([[1, 2], [3, 4]])
    ('\\begin{pmatrix}1\\\\-0.5\\end{pmatrix}', '\\begin{pmatrix}1&2\\\\3&4\\end{pmatrix}')
    """
    rows = [[x] if not hasattr(x, "__len__") else list(x) for x in M]
    return r"\begin{pmatrix}" + r"\\".join("&".join(tex(v, digits) for v in row) for row in rows) + r"\end{pmatrix}"
