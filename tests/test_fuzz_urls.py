"""URL fuzzing: thousands of hand-edited, hostile links, on every page that exists.

A hypothesis strategy builds query strings the way students and attackers do: random keys, known keys
with malformed numbers, NaN and inf, huge and negative values, vectors of the wrong length, very long
strings, unicode, duplicated keys, and HTML / script / markdown / LaTeX snippets. One AppTest per page
is reused (as one student editing the address bar again and again), and every run must:

- end without an exception element;
- show the frame's one polite warning exactly when ``core.state.decode`` reports a problem
  (and not show it when the link was clean);
- render the page: a title, and a chart on every page that has charts;
- restore what the link asked for (n, z and T as decoded), and write a clean link back: decoding the
  URL the app wrote reports no problem.

The number of cases is split over the pages that exist (at least ``TOTAL_CASES`` in all); the last test
prints how many ran.
"""

from __future__ import annotations

import math
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.util import patch_config_options

from core import state
from pages._ui import PAGES

ROOT = Path(__file__).resolve().parents[1]
TOTAL_CASES = 1100  # generated links across all pages; the issue asks for >= 1,000
MIN_PER_PAGE = 60  # every page gets at least this many generated links, however slow it is
CPU_BUDGET_S = 100.0  # cases are shared out so each page costs about the same CPU (CI: 2 cores, ~3 min)
WARNING_TEXT = "Some settings in this link were ignored or adjusted"
HIDDEN = {"embed", "embed_options"}  # Streamlit keeps these (any case) out of st.query_params, but in the URL
SHOW_ERRORS = {"client.showErrorDetails": "full"}  # the hosted config redacts errors; a failing test should not

RAN: dict[str, int] = {}  # links tried per page (generated + explicit)
GENERATED: dict[str, int] = {}
_APPS: dict[str, AppTest] = {}
_HAS_CHARTS: dict[str, bool] = {}
_COST: dict[str, float] = {}


def page_app(path: str) -> AppTest:
    """One AppTest per page, reused by every example (a student editing the link again and again)."""
    if path not in _APPS:
        with patch_config_options(SHOW_ERRORS):
            at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
            if path != PAGES[0].path:
                at.switch_page(path).run()
            assert not at.exception, f"{path} raises with no query at all: {at.exception[0].value}"
            t = time.process_time()
            for q in ({"z": "0.37,-0.71,1.93,0.2", "T": "1.7"}, {"z": "-2.3,4.1,0.6", "T": "0.4"}):  # uncached views
                at.query_params = q
                at.run()
            _COST[path] = max((time.process_time() - t) / 2, 0.005)
        _HAS_CHARTS[path] = bool(at.get("plotly_chart"))
        _APPS[path] = at
    return _APPS[path]


def cases_for(path: str) -> int:
    """Share TOTAL_CASES out so each page costs about CPU_BUDGET_S / pages, at least MIN_PER_PAGE each."""
    for p in PAGES:
        page_app(p.path)
    share = {p: max(MIN_PER_PAGE, round(CPU_BUDGET_S / len(_COST) / c)) for p, c in _COST.items()}
    total = sum(share.values())
    if total < TOTAL_CASES:  # fast machine or few pages: scale everything up to the total
        share = {p: math.ceil(k * TOTAL_CASES / total) for p, k in share.items()}
    return share[path]


# ---- the strategy ------------------------------------------------------------------------------

PAYLOADS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", '"><svg onload=alert(1)>', "javascript:alert(1)",
    "[click](javascript:alert(1))", "**bold** _it_ `code`", "$\\href{javascript:alert(1)}{x}$", "\\(x\\)",
    "{{7*7}}", "${7*7}", "__import__('os').system('id')", "'; DROP TABLE students; --", "../../etc/passwd",
    "%3Cscript%3E", "&lt;b&gt;", "\u202eevil", "\x00", "\r\nSet-Cookie: x=1", "🙂" * 50, "ｚ", "１２",
]
NUMBERS = [
    "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e309", "-1e309", "1e308", "5e-324", "-0", "0", "1", "2", "10",
    "11", "-1", "-999999999", "999999999999999999999", "0x10", "1_000", " 3 ", "3.", ".5", "1e6", "-1e6", "1000001",
    "2.5", "0.1", "0.09", "1e-5", "100", "1000", "1001", "", " ", "+", "-", "e", "1e", "١٢", "３", "½", "True", "None",
]
known_keys = st.sampled_from(sorted(state.TABLE))
odd_keys = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["N", "Z", "t", "z[]", "z ", " n", "page", "embed", "embed_options", "__proto__", "<b>", "", "ü", "🙂"]),
)
number_text = st.one_of(
    st.sampled_from(NUMBERS),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
)
vector_text = st.lists(number_text, min_size=0, max_size=14).flatmap(
    lambda xs: st.sampled_from([",", ", ", ";", " ", ",,", "|"]).map(lambda sep: sep.join(xs))
)
long_text = st.one_of(
    st.integers(min_value=390, max_value=420).map(lambda k: "1," * (k // 2)),
    st.integers(min_value=300, max_value=6000).map(lambda k: "a" * k),
    st.just("<script>" * 200),
)
value_text = st.one_of(
    number_text,
    vector_text,
    st.sampled_from(PAYLOADS),
    st.text(max_size=40),
    long_text,
    st.sampled_from([c for p in state.TABLE.values() for c in p.choices] + ["1", "0", "yes", "z,T", "z,lock", "n,rm -rf"]),
)
values = st.one_of(value_text, st.lists(value_text, min_size=1, max_size=3))  # a list = a repeated key
queries = st.dictionaries(st.one_of(known_keys, known_keys, odd_keys), values, min_size=0, max_size=7)


def effective(query: dict) -> dict[str, str]:
    """What the script sees in st.query_params.to_dict(): the last value of a repeated key."""
    out = {}
    for k, v in query.items():
        if k.lower() in HIDDEN:
            continue
        out[k] = v[-1] if isinstance(v, list) else v
    return out


def frame_warnings(at) -> list[str]:
    return [w.value for w in at.warning if WARNING_TEXT in w.value]


def check_run(path: str, at: AppTest, query: dict) -> None:
    seen = effective(query)
    known = list(at.session_state["_seen"]) if "_seen" in at.session_state else []
    news = bool(seen) and seen not in known  # the frame re-reads only a link it has neither written nor read before
    at.query_params = {k: (list(v) if isinstance(v, list) else v) for k, v in query.items()}
    with patch_config_options(SHOW_ERRORS):
        at.run()
    RAN[path] = RAN.get(path, 0) + 1
    assert not at.exception, f"{path}?{query!r} raised: {at.exception[0].value}"
    decoded, problems = state.decode(seen)
    warned = frame_warnings(at)
    if news:
        if problems:
            assert len(warned) == 1, f"{path}?{query!r}: expected one warning for {problems}, got {warned}"
        else:
            assert not warned, f"{path}?{query!r}: a clean link warned: {warned}"
    # the page rendered
    assert at.title and at.title[0].value, f"{path}?{query!r}: no title"
    if _HAS_CHARTS[path]:
        assert at.get("plotly_chart"), f"{path}?{query!r}: the charts are gone"
    # the view the link asked for, and a clean link written back
    written, again = state.decode(effective(at.query_params))
    assert not again, f"{path}?{query!r}: the app wrote a link that does not decode cleanly: {again}"
    if news:
        for k in ("n", "z", "T"):
            if k in seen or (k == "n" and "z" in seen) or (k == "z" and "n" in seen):
                assert written[k] == decoded[k], f"{path}?{query!r}: {k} is {written[k]}, the link asked {decoded[k]}"
    sliders = sorted((s for s in at.slider if s.key and s.key[:3] == "w_z" and s.key[3:].isdigit()), key=lambda s: int(s.key[3:]))
    if sliders:
        assert len(sliders) == written["n"], f"{path}?{query!r}: {len(sliders)} z sliders for n={written['n']}"
        assert tuple(s.value for s in sliders) == written["z"]


CI = bool(os.environ.get("CI"))


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_hostile_links_never_raise_and_warn_politely(path):
    at = page_app(path)

    @settings(max_examples=cases_for(path), deadline=None, derandomize=CI, database=None,
              suppress_health_check=list(HealthCheck))
    @given(queries)
    def run(query):
        GENERATED[path] = GENERATED.get(path, 0) + 1
        check_run(path, at, query)

    run()


# Hand-picked links every page must survive, whatever hypothesis happens to draw.
EXPLICIT = [
    {},
    {"z": "1e6,-1e6,0"},
    {"z": "1e6,1e6,1e6,1e6,1e6,1e6,1e6,1e6,1e6,1e6"},
    {"n": "10", "i": "10", "j": "10", "y": "10", "s": "2000"},
    {"n": "2", "i": "10", "j": "10", "y": "10"},
    {"z": "nan,inf,-inf"},
    {"T": "0"},
    {"T": "1e-300"},
    {"T": "1e300", "z": "1,2"},
    {"z": "1," * 300},
    {"lr": "1e6", "epochs": "1000", "m": "200", "D": "10"},
    {"lr": "0", "epochs": "0", "m": "0", "D": "0", "at": "-5"},
    {"at": "999", "epochs": "3"},
    {"present": "1", "lock": "n,z,T,i,j,y,c,loss,sweep,data,lr,epochs"},
    {"lock": "lock,present,<b>"},
    {"loss": "mse", "sweep": "spread", "data": "spirals"},
    {"z": "<script>alert(1)</script>", "T": "<img src=x onerror=alert(1)>", "<b>": "<i>"},
    {"z": ["1,2,3", "4,5"], "n": ["3", "2"]},
]


@pytest.mark.parametrize("path", [p.path for p in PAGES])
def test_explicit_links(path):
    at = page_app(path)
    for query in EXPLICIT:
        check_run(path, at, query)


def test_zz_count_cases(capsys):
    """Runs last in this file: report how many links were tried (the issue asks for >= 1,000)."""
    total, generated = sum(RAN.values()), sum(GENERATED.values())
    with capsys.disabled():
        print(f"\nURL fuzzing: {total} links ({generated} generated by hypothesis) on {len(RAN)} page(s): "
              + ", ".join(f"{k}={v}" for k, v in RAN.items()))
    if len(GENERATED) == len(PAGES):  # the whole file ran (not a -k selection)
        assert generated >= 1000
        assert all(RAN[p.path] >= MIN_PER_PAGE for p in PAGES)
