"""core.fmt: every printed number parses back to the value within the printed precision, no "-0" anywhere,
NaN and infinities come out as text (never an exception), and the docstring examples hold."""

import doctest
import math
import re

from helpers import printed, unprose
from hypothesis import example, given
from hypothesis import strategies as st

from core import fmt

finite = st.floats(-1e300, 1e300)  # rounding 1.5e308 to "2e+308" would parse as inf
anything = st.floats(allow_nan=True, allow_infinity=True)
digits = st.integers(1, 8)


def parse(s: str) -> float:
    return printed(s)  # either minus, e-18 or ×10⁻¹⁸ (unicode=True and signed print the power of ten as type)


def test_docstring_examples():
    failed, tried = doctest.testmod(fmt)
    assert tried >= 9 and failed == 0


@given(finite, digits)
def test_num_round_trips_to_its_significant_figures(v, d):
    s = fmt.num(v, d)
    more = s != f"{v + 0.0:.{d}g}".lstrip("-" if v == 0 else "")  # a value that is not whole got the digits it needs
    assert parse(s) == float(f"{v:.{d}g}") or (v == 0 and parse(s) == 0) or (more and v != math.floor(v))
    # within half a unit in the last printed significant place
    if v != 0:
        assert abs(parse(s) - v) <= 0.5 * 10 ** (math.floor(math.log10(abs(v))) - d + 1) * (1 + 1e-9)


@given(finite, digits, st.booleans())
def test_num_plain_has_no_exponent_below_1e15_and_same_value(v, d, unicode):
    s = fmt.num(v, d, plain=True, unicode=unicode)
    if abs(v) < 1e15:
        assert "e+" not in s and not re.search("×10[⁰¹²³⁴⁵⁶⁷⁸⁹]", s)  # no positive power, in either form
    assert parse(s) == parse(fmt.num(v, d, unicode=unicode))


@given(anything, digits, st.booleans(), st.booleans())
def test_no_negative_zero_and_specials_are_text(v, d, unicode, plain):
    outs = [fmt.num(v, d, unicode=unicode, plain=plain), fmt.fixed(v, d), fmt.fixed(v, d, sci=True),
            fmt.fixed(v, d, unicode=True), fmt.signed(v, d)]
    for s in outs:
        assert isinstance(s, str) and s
        assert not re.fullmatch(r"[-−+][0.]+(e.*)?", s), s  # no signed zero: "-0", "+0.000", "−0e+00"
    if math.isnan(v):
        assert all(s == "NaN" for s in outs)
    elif math.isinf(v):
        assert fmt.num(v, d, unicode=False) == ("-inf" if v < 0 else "inf")
        assert fmt.num(v, d, unicode=True) == ("−∞" if v < 0 else "∞")
        assert fmt.tex(v) == (r"-\infty" if v < 0 else r"\infty")


@given(finite, st.integers(0, 8))
def test_fixed_round_trips_within_half_a_decimal(v, places):
    s = fmt.fixed(v, places)
    assert abs(parse(s) - v) <= 0.5 * 10**-places * (1 + 1e-9) + abs(v) * 1e-15
    if v != 0 and float(f"{v:.{places}f}") == 0:  # never 0.000 for a non-zero value: the scientific form instead
        assert "×10" in s and math.isclose(parse(s), v, rel_tol=10**-places) and parse(s) != 0
    elif places:
        assert len(s.split(".")[1]) == places


@given(finite, st.integers(1, 6))
def test_fixed_sci_keeps_tiny_and_huge_values_readable(v, places):
    s = fmt.fixed(v, places, sci=True)
    if v != 0 and not 1e-3 <= abs(v) < 1e5:
        assert "×10" in s and math.isclose(parse(s), v, rel_tol=10**-places)
    else:
        assert s == fmt.fixed(v, places)


@given(finite, st.integers(1, 6))
def test_signed_glyph_matches_the_sign_and_value_round_trips(v, d):
    s = fmt.signed(v, d)
    if v == 0:
        assert s == "0"
        return
    assert s[0] == ("+" if v > 0 else fmt.MINUS)
    x = parse(s)
    if abs(v) >= 10**-d:
        assert abs(x - v) <= 0.5 * 10**-d * (1 + 1e-9) + abs(v) * 1e-15
    else:  # two significant figures as a power of ten (never "+0.000", never the code notation e−5)
        assert math.isclose(x, v, rel_tol=0.051) and "×10" in s and "e" not in s


@given(finite, st.integers(2, 6))
@example(5e-324, 2)  # the smallest subnormal: 10**-324 alone underflows to 0, so read the printed number as one literal
def test_tex_prints_what_shown_says_it_prints(v, d):
    s = fmt.tex(v, d)
    if "times10" in s:
        mant, exp = s.split(r"\times10^")
        x = float(f"{mant}e{int(exp.strip('{}'))}")
        assert math.isclose(x, fmt.shown(v, d), rel_tol=1e-12)
    else:
        assert "e" not in s  # never code notation inside a formula
        assert math.isclose(float(s), fmt.shown(v, d), rel_tol=1e-12, abs_tol=1e-300)


@given(st.floats(-400, 400), st.booleans())
def test_pow10_is_the_value_and_the_mantissa_never_reads_10(x, latex):
    s = fmt.pow10(x, latex=latex)
    if latex and r"\times" in s:
        mant, exp = s.split(r" \times 10^")
        m, k = float(mant), int(exp.strip("{}"))
    elif not latex and "×10" in s and abs(x) >= 3:
        assert "e" not in s  # a plotly label: the power of ten as the axes print it, never 3.16e-5
        mant, exp = unprose(s).split("e")
        m, k = float(mant), int(exp)
    else:
        assert math.isclose(float(s), 10**x, rel_tol=5e-3)
        return
    assert 1 <= m < 10
    assert math.isclose(math.log10(m) + k, x, abs_tol=5e-3)


@given(finite)
def test_exact_parses_back_to_the_same_float(v):
    assert float(fmt.exact(v)) == v
    assert not fmt.exact(v).endswith(".0")


@given(st.integers(0, 10**16))
def test_nbytes_value_within_three_significant_figures(b):
    value, unit = fmt.nbytes(b).split(" ")
    scale = {"B": 1, "kB": 1e3, "MB": 1e6, "GB": 1e9, "TB": 1e12}[unit]
    assert math.isclose(float(value) * scale, b, rel_tol=5e-3)
    assert unit == "TB" or float(value) < 1000


def test_vector_shortens_past_head():
    assert fmt.vector([0.123456, -2.0, 3.0, 4.0, 5.0]) == "(0.123, −2, 3, 4, …)"
    assert fmt.vector([[1.0]][0]) == "(1)"


parse_prose = printed  # the tests' one reader of ×10ⁿ (tests/helpers.py)


@given(anything, st.integers(1, 6))
@example(5e-324, 2)
@example(0.96875, 1)  # prints "0.97": the digit a whole-number rounding would lose is added
@example(-4.248354255291589e-18, 3)
def test_prose_has_no_code_notation_and_no_ascii_minus_and_round_trips(v, d):
    s = fmt.prose(v, d)
    assert "e" not in s.replace("NaN", "") and "-" not in s  # ×10ⁿ and the Unicode minus, never e-18 or "-"
    if math.isnan(v) or math.isinf(v):
        return
    if v == 0:
        assert s == "0"
        return
    assert not re.fullmatch(r"[−+]?[0.]+", s), s  # never ±0.000 for a non-zero value
    # v rounded to the digits printed: d of them, or more where d would print a value that is not whole as a whole
    # number (0.96875 to 1 digit is "0.97", never "1")
    k = max(d, len(s.lstrip("−+").split("×")[0].replace(".", "").replace(",", "").lstrip("0")))
    assert math.isclose(parse_prose(s), float(f"{v:.{k}g}"), rel_tol=1e-9) or (
        abs(v) >= 1 and math.isclose(parse_prose(s), v, rel_tol=10 ** (1 - d)))
    assert s.startswith(fmt.MINUS) == (v < 0)


def test_prose_and_tex_print_saturation_values_the_same_way():
    assert fmt.prose(-4.248354255291589e-18) == "−4.25×10⁻¹⁸" and fmt.tex(-4.248354255291589e-18) == r"-4.25\times10^{-18}"
    assert fmt.prose(2.5e9) == "2.5×10⁹" and fmt.prose(4.68e-13) == "4.68×10⁻¹³"


def test_plural_is_singular_only_for_exactly_one():
    assert fmt.plural(1, "epoch") == "1 epoch" and fmt.plural(2, "epoch") == "2 epochs"
    assert fmt.plural(1, "block") == "1 block" and fmt.plural(0, "block") == "0 blocks"
    assert fmt.plural(9, "entry") == "9 entries" and fmt.plural(1, "entry") == "1 entry"
    assert fmt.plural(2, "class") == "2 classes" and fmt.plural(3, "matrix", "matrices") == "3 matrices"
    assert fmt.plural(10_000, "draw") == "10,000 draws" and fmt.plural(9999, "draw") == "9999 draws"


def test_core_sentences_use_the_plural():
    """"Trained 1 epochs" was core.network's message; a one-epoch run now reads "1 epoch"."""
    import numpy as np

    import core

    X, y = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]), np.array([0, 1, 2])
    W, b = np.zeros((3, 2)), np.zeros(3)
    h = core.train(X, y, W, b, 0.1, 1)
    assert "1 epoch" in h.message and "1 epochs" not in h.message
    assert "2 epochs" in core.train(X, y, W, b, 0.1, 2).message


@example(0.99966, 3)
@example(99.96, 2)  # {:.2g} prints "1e+02": a whole number too, and prose printed it as "100"
@example(0.99966, 1)
@example(1.9996, 3)
@example(-0.9999, 2)
@given(st.floats(-1e3, 1e3).filter(lambda v: v != math.floor(v)), digits)
def test_a_value_that_is_not_whole_never_prints_as_a_whole_number(v, d):
    """S₁ = 0.99966 at z = (8, 0, −8) printed as "1" says the model is certain; it is not. num, prose, tex and vector
    add digits until the text is not a whole number (only where the rounding reaches the units: |v| < 10^d)."""
    if abs(v) >= 10.0**d:
        return
    for s in (fmt.num(v, d), fmt.num(v, d, unicode=True), fmt.prose(v, d), fmt.tex(v, d), fmt.vector([v], d)[1:-1]):
        assert not s.lstrip("-" + fmt.MINUS).isdigit(), (v, d, s)
    assert fmt.num(0.99966) == fmt.prose(0.99966) == fmt.tex(0.99966) == "0.9997"
    assert fmt.shown(0.99966) == 0.9997 and fmt.vector([0.99966, 0.5]) == "(0.9997, 0.5)"


@given(st.lists(anything, min_size=1, max_size=6), st.integers(1, 5))
@example([1.0, 1.8e-35, 4.248e-18], 3)
def test_prose_vectors_have_no_code_notation_and_read_back_entry_by_entry(values, d):
    """prose_vector and prose_simplex print every entry as prose does (the note on a rounded 1 aside)."""
    for text in (fmt.prose_vector(values, d, head=6), fmt.prose_simplex(values, d, head=6)):
        assert "e" not in text.replace("NaN", "").replace("rounded", "") and "-" not in text
    entries = fmt.prose_vector(values, d, head=6)[1:-1].split(", ")
    assert entries == [fmt.prose(v, d) for v in values]


@given(anything, digits, st.booleans())
@example(-4.248e-18, 3, False)
@example(1234.5, 3, False)
def test_unicode_text_has_no_code_notation_and_reads_back(v, d, sci):
    """unicode=True is what figures print: "−", "∞" and a power of ten as ×10ⁿ (as plotly's axes do), never e−18
    beside an axis tick that reads ×10⁻¹⁸; the value reads back as the ASCII form's."""
    for s, ascii_form in ((fmt.num(v, d, unicode=True), fmt.num(v, d)),
                          (fmt.fixed(v, d, sci=sci, unicode=True), fmt.fixed(v, d, sci=sci)), (fmt.signed(v, d), None)):
        assert "e" not in s.replace("NaN", "") and "-" not in s, s
        if ascii_form is not None and math.isfinite(v):
            assert parse(s) == parse(ascii_form)


@given(st.floats(-2, 2), st.integers(0, 3))
@example(0.99996, 0)
@example(2e-9, 0)
@example(-0.00001, 1)
def test_percent_reads_back_and_never_says_0_or_100_unless_it_is(share, places):
    s = fmt.percent(share, places)
    assert s.endswith(" %") and "-" not in s and "e" not in s
    x = parse(s[:-2]) / 100
    assert math.isclose(x, share, rel_tol=0.05, abs_tol=0.5 * 10**-places / 100 * (1 + 1e-9))
    if share not in (0.0, 1.0, -1.0):
        assert abs(x) not in (0.0, 1.0), (share, s)
    assert fmt.percent(0.4567) == "46 %" and fmt.percent(1.0, 1) == "100.0 %" and fmt.percent(0.0, 1) == "0.0 %"


def test_given_cuts_a_long_repr_and_says_so():
    assert fmt.given("abc") == "'abc'" and fmt.given(2.5) == "2.5"
    long = fmt.given(list(range(100)), 40)
    assert long.endswith("…") and len(long) == 41 and long.startswith("[0, 1, 2")


def test_a_head_of_none_prints_every_entry():
    v = [0.5, 1e-20, 2.0, 3.0, 4.0, 5.0]
    assert fmt.vector(v, head=None) == "(0.5, 1×10⁻²⁰, 2, 3, 4, 5)"
    assert fmt.prose_vector(v, head=None) == "(0.5, 1×10⁻²⁰, 2, 3, 4, 5)"
    assert fmt.simplex([1.0, 0.0, 0.0, 0.0, 1e-20], head=None).endswith(", 0, 1×10⁻²⁰)")
    assert fmt.prose_simplex([0.2] * 5, head=None) == "(0.2, 0.2, 0.2, 0.2, 0.2)"
    assert fmt.vector(v) == "(0.5, 1×10⁻²⁰, 2, 3, …)"


@given(st.floats(-1e4, 1e4), st.integers(2, 6))
def test_a_value_near_a_whole_number_other_than_0_or_1_gets_two_more_figures_then_its_zeros(v, d):
    """Issue #25: 4.9999999999998 beside 4-figure numbers is float64's noise. Near a whole number other than 0 and ±1
    a value that is not whole gets at most two more significant figures than asked, and then prints as the whole number
    with its trailing zeros (5.000): never 14 digits, never a bare "5" that claims exactness. Near 0 and ±1 (a
    probability read as 1 says certainty) the figures it takes are still given."""
    for s in (fmt.num(v, d), fmt.prose(v, d)):
        mant = unprose(s).replace("−", "-").lstrip("-").split("e")[0]
        figures = len(mant.replace(".", "").lstrip("0"))
        if abs(round(v)) > 1 and "e" not in unprose(s) and v != math.floor(v) and abs(v) < 10**d:
            assert figures <= d + 2, (v, d, s)
        if v != math.floor(v) and abs(v) < 10**d:
            assert not re.fullmatch(r"-?\d+(e\+?\d+)?", unprose(s).replace("−", "-")), (v, d, s)  # never a bare whole


def test_the_noise_of_float64_near_a_whole_number_prints_as_its_zeros():
    assert [fmt.num(4.9999999999998, 4), fmt.num(9.9999999999995), fmt.prose(49.999999999998)] == ["5.000", "10.0", "50.0"]
    assert fmt.tex(10 * (0.5 - 2.34e-14), 4) == "5.000" and fmt.shown(10 * (0.5 - 2.34e-14), 4) == 5.0
    assert fmt.num(-4.000000000000001) == "−4.00"
    assert fmt.num(1 - 1e-12) == "0.999999999999" and fmt.num(0.99966) == "0.9997"  # near 1: as many as it takes
    assert fmt.num(2.9999) == "2.9999" and fmt.num(99.96, 2) == "99.96"  # two more figures show it: shown


@given(anything, st.integers(1, 8))
@example(-0.0, 3)
@example(4.9999999999998, 4)
@example(-4.000000000000001, 3)
def test_the_hovers_fast_path_prints_what_num_prints(v, d):
    """fmt.nums' fast path for a chart's many values gives num's text exactly (a hover and a sentence agree)."""
    assert fmt.nums([v], d) == [fmt.num(v, d)]
