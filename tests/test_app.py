"""AppTest: the app starts, every registered page renders, and widgets drive the figures."""

from pathlib import Path

import pytest
from apptest_util import figures, open_page, ztext

ROOT = Path(__file__).resolve().parents[1]


def app(query=None):
    return open_page(None, query)


def test_home_renders_without_exception():
    at = app()
    assert not at.exception
    assert "Softmax Derivative Explorer" in at.title[0].value
    assert figures(at), "the network diagram is missing"
    assert at.query_params["z"] == "2,1,0.1"


def test_slider_changes_the_url_and_the_numbers():
    at = app()
    before = [m.value for m in at.latex]
    at.slider(key="w_z0").set_value(5.0).run()
    assert not at.exception
    assert at.query_params["z"] == "5,1,0.1"
    assert [m.value for m in at.latex] != before


def test_vector_field_sets_n_and_reports_bad_text():
    at = app()
    ztext(at).input("1, 2, 3, 4").run()
    assert at.query_params["n"] == "4" and at.slider(key="w_z3").value == 4.0
    ztext(at).input("1, <b>x</b>").run()
    assert not at.exception and "not a number" in at.error[0].value
    assert at.query_params["z"] == "1,2,3,4"  # the bad text changed nothing


@pytest.mark.parametrize("query", [{"z": "abc"}, {"n": "9999"}, {"T": "-1"}, {"z": "nan,inf"}, {"zzz": "1"},
                                   {"z": "1e6,-1e6,0"}, {"z": "1" * 5000}])
def test_bad_links_warn_once_and_render(query):
    at = app(query)
    assert not at.exception
    assert (len(at.warning) == 1 and "ignored" in at.warning[0].value) or query == {"z": "1e6,-1e6,0"}
    assert figures(at)


def test_link_restores_the_view():
    at = app({"z": "0.5,-1,3,2", "T": "2.5"})
    assert [s.value for s in at.slider if s.key and s.key.startswith("w_z")] == [0.5, -1.0, 3.0, 2.0]
    assert at.slider(key="w_T").value == 2.5 and not at.warning
