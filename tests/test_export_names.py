"""Export file names: at most 80 characters, and only the parameters the chart depends on (pages/_ui/output.py,
export_filename); the temperature still names its T (figures.softmax_figs, layout.meta.still)."""

from __future__ import annotations

import numpy as np
import pytest
from apptest_util import chart_elements, open_page

from figures.softmax_figs import STILL_TITLE, temperature_animation
from pages._ui.output import NAME_MAX

WIDE = {"n": "10", "z": "1000000,-1000000,0.123456,5.5,-5.5,3.25,-3.25,7.75,-7.75,0.001", "T": "0.1"}


def names(at) -> list[str]:
    return [c.config["toImageButtonOptions"]["filename"] for c in chart_elements(at)]


@pytest.mark.parametrize(("path", "step", "query", "has", "lacks"), [
    ("pages/training.py", "1", {}, ["_datablobs", "_losscross_entropy", "_lr0.5"], ["_n3", "_z2", "_T1", "_step"]),
    ("pages/training.py", "2", WIDE, ["_datablobs", "_lr0.5", "_epochs200"], ["_n10", "_z1000000", "_T0.1", "_loss"]),
    ("pages/layer.py", "2", {}, ["_dseed0", "_iseed0", "_wscale0.1", "_datablobs"], ["_n3", "_z2", "_T1"]),
    ("pages/jacobian.py", "1", {}, ["_n3_z2_1_0.1_T1"], ["_sweep", "_mc", "_step"]),
    ("pages/softmax.py", "1", WIDE, ["softmax-explorer_softmax_bars_n10_"], []),
    ("pages/at_scale.py", "3", {}, ["_vocab50000"], ["_n3", "_z2", "_bm"]),
])
def test_names_are_short_and_carry_what_the_chart_uses(path, step, query, has, lacks):
    at = open_page(path, {"step": step, **query})
    assert not at.exception
    got = names(at)
    assert got
    for name in got:
        assert len(name) <= NAME_MAX, (len(name), name)
    first = got[0]
    for part in has:
        assert part in first, (part, first)
    for part in lacks:
        assert part not in first, (part, first)


def test_a_long_name_ends_with_a_digest_of_every_parameter():
    a = names(open_page("pages/softmax.py", {"step": "1", **WIDE}))[0]
    b = names(open_page("pages/softmax.py", {"step": "1", **WIDE, "T": "0.2"}))[0]
    assert a != b and len(a) <= NAME_MAX and len(b) <= NAME_MAX


def test_the_temperature_still_names_its_T():
    fig = temperature_animation(np.geomspace(0.1, 10, 5), np.full((5, 3), 1 / 3), 1.0, [1 / 3] * 3)
    titles = [a["text"] for a in fig["layout"]["annotations"]]
    assert STILL_TITLE in titles  # on screen, beside the slider
    assert fig["layout"]["meta"]["still"] == {STILL_TITLE: "S at T = {}"}  # the still: the slider's label of its frame
