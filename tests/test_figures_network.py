"""The home page's network diagram and the shared palette helpers."""

import plotly.graph_objects as go
import pytest
from helpers import plain_spec

from figures.network import network_diagram
from figures.palette import OKABE_ITO, PALETTE, color, colorize_latex, label, plotly_config, subscript, template
from figures.spec import strict


@pytest.mark.parametrize("D, K", [(2, 3), (5, 3), (10, 4)])
def test_network_has_every_node_and_all_softmax_edges(D, K):
    fig = strict(network_diagram(D, K, S=[1 / K] * K))
    texts = [t for tr in fig.data if tr.mode and "markers" in tr.mode for t in tr.text]
    assert texts == [label("x", a) for a in range(D)] + [label("z", k) for k in range(K)] * 2 + [label("S", k) for k in range(K)]
    softmax_traces = [tr for tr in fig.data if (tr.name or "").startswith("from z")]
    assert len(softmax_traces) == K
    for j, tr in enumerate(softmax_traces):
        assert tr.line.color == color(j) and sum(v is None for v in tr.x) == K  # K edges leave z_j
    assert not fig.layout.xaxis.visible






@pytest.mark.parametrize("K", [2, 10])
@pytest.mark.parametrize("dark", [False, True])
def test_network_diagram_is_a_plain_spec(K, dark):
    for spec in (network_diagram(2, K, S=[1 / K] * K, dark=dark), network_diagram(5, K, dark=dark)):
        plain_spec(spec)


def test_palette_and_labels():
    assert OKABE_ITO == ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
    assert len(set(PALETTE)) == 10 and color(7, dark=True) != "#000000"
    assert subscript(0) == "₁" and subscript(9) == "₁₀" and label("S", 2) == "S₃"


def test_colorize_latex_colours_by_one_based_index():
    out = colorize_latex(r"S_{1} + e^{z_{2}} - z_{10}")
    assert rf"\textcolor{{{PALETTE[0]}}}{{S_{{1}}}}" in out
    assert rf"\textcolor{{{PALETTE[1]}}}{{e^{{z_{{2}}}}}}" in out
    assert rf"\textcolor{{{PALETTE[9]}}}{{z_{{10}}}}" in out


def test_export_config_and_templates():
    cfg = plotly_config("softmax page/bars n=3 <x>")
    assert cfg["toImageButtonOptions"]["scale"] >= 2 and cfg["displaylogo"] is False
    assert "/" not in cfg["toImageButtonOptions"]["filename"] and "<" not in cfg["toImageButtonOptions"]["filename"]
    assert plotly_config("x", "svg")["toImageButtonOptions"]["format"] == "svg"
    # every parameter kept, never cut (a name used to be truncated at 120 characters)
    long = "softmax-explorer_training_regions_n10_z" + "_".join(["-123456.7"] * 10) + "_T10_lr1000000_epochs1000_dseed999999"
    assert plotly_config(long)["toImageButtonOptions"]["filename"] == long and len(long) > 120
    assert plotly_config("x")["toImageButtonOptions"]["background"] == "white"
    assert plotly_config("x", background="transparent")["toImageButtonOptions"]["background"] == "transparent"
    light, dark = template(False), template(True, present=True)
    assert isinstance(light, go.layout.Template) and light.layout.paper_bgcolor == "#FFFFFF"
    assert dark.layout.font.size > light.layout.font.size
