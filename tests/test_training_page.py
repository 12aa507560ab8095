"""AppTest of the Training page: falling loss, ~100 % on blobs, the region animation, the inspector, two-way
gradients, CE vs MSE, and a diverging learning rate reported without a traceback."""

import pytest
from apptest_util import figures, open_page
from helpers import printed

from core import state

PAGE = "pages/training.py"


def app(query=None):
    return open_page(PAGE, query, timeout=90, home_first=True)


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def latex(at) -> str:
    return "\n".join(m.value for m in at.latex)


def test_defaults_learn_the_blobs_with_a_falling_loss_and_an_animation():
    at = app()
    assert not at.exception and not at.error
    assert "Trained 200 epochs" in at.success[0].value
    m = metrics(at)
    assert m["Accuracy"] == "100.0 %" and float(m["Final loss"]) < 0.05
    anim, curves = figures(at)
    assert len(anim["frames"]) >= 20 and anim["layout"]["sliders"][0]["steps"]
    assert [b["label"] for b in anim["layout"]["updatemenus"][0]["buttons"]] == ["▶ Play", "❚❚ Pause"]
    assert sum(t.get("fill") == "toself" for t in anim["data"]) == 3
    assert anim["frames"][0]["data"][0]["x"] != anim["frames"][-1]["data"][0]["x"]  # the regions move
    assert {t["name"] for t in curves["data"]} >= {"Cross-entropy loss", "MSE loss"}
    for label, value in m.items():  # the gradient two ways agrees to ~1e-15
        if label.startswith("max |"):
            assert printed(value) < 1e-14, (label, value)
    for k in ("data", "D", "m", "dseed", "iseed", "lr", "epochs", "loss", "at", "s"):
        assert k in at.query_params


def test_controls_change_the_figures():
    at = app()
    before = figures(at)
    at.select_slider(key="w_lr").set_value(0.01).run()
    assert not at.exception and at.query_params["lr"] == "0.01"
    after = figures(at)
    assert after[0]["frames"] != before[0]["frames"]
    at.selectbox(key="w_data").set_value("spirals").run()
    assert not at.exception and figures(at)[0]["data"] != after[0]["data"]
    at.radio(key="w_loss").set_value("mse").run()
    assert not at.exception and "MSE" in " ".join(t["name"] for t in figures(at)[0]["data"] if t.get("name"))


@pytest.mark.parametrize("lr, epoch", [("1e5", 1), ("1000", 22)])
def test_a_diverging_learning_rate_is_reported_not_raised(lr, epoch):
    at = app({"data": "overlap", "lr": lr})
    assert not at.exception
    assert len(at.error) == 1 and f"at epoch {epoch}: lower the learning rate" in at.error[0].value
    anim = figures(at)[0]
    assert any(t.get("name") == "diverged" for t in anim["data"])
    assert metrics(at)["Epochs trained"] == f"{epoch - 1} / 200"  # the last sane epoch


def test_inspector_shows_s_y_and_the_update_and_follows_its_controls():
    at = app()
    text = latex(at)
    assert r"\Delta W &= -\eta\,\delta\,x^\top" in text and "S - y" in text
    assert any(md.value.startswith("| | explicit Jᵀg | S − y |") for md in at.markdown)  # the two-way table
    at.number_input(key="w_s").set_value(120).run()
    assert not at.exception and at.query_params["s"] == "120" and latex(at) != text
    assert "class **3**" in " ".join(md.value for md in at.markdown)
    at.select_slider(key="w_at").set_value(0).run()
    assert not at.exception and at.query_params["at"] == "0"
    assert "at epoch 0" in " ".join(md.value for md in at.markdown)


def test_bad_or_stale_inspector_values_are_fitted():
    at = app({"at": "37", "s": "2000"})
    assert not at.exception
    assert at.query_params["s"] == "150" and at.query_params["at"] == "35"


def test_higher_dimension_uses_a_projection():
    at = app({"D": "6", "m": "20"})
    assert not at.exception
    anim = figures(at)[0]
    assert anim["layout"]["xaxis"]["title"]["text"] == "PC 1"
    assert metrics(at)["Samples m"].startswith("60")


def test_link_round_trip_of_training_params():
    query = {"data": "overlap", "D": "3", "m": "40", "dseed": "7", "iseed": "9", "lr": "0.3", "epochs": "50",
             "loss": "mse", "at": "-1", "s": "5"}
    params, problems = state.decode(query)
    assert not problems and state.decode(state.encode(params))[0] == params
    at = app(query)
    assert not at.exception and not at.warning
    assert {k: at.query_params[k] for k in query} == query


def test_the_same_link_trains_the_same_network_in_two_sessions():
    query = {"data": "overlap", "dseed": "3", "iseed": "4", "lr": "0.3", "epochs": "80"}
    a, b = app(query), app(query)
    assert not a.exception and figures(a) == figures(b)
    c = app(query | {"iseed": "5"})
    assert figures(c)[0]["frames"] != figures(a)[0]["frames"]  # the init seed matters


def test_show_the_code_shows_the_readable_step_not_the_fast_trainer():
    """The step a student reads (core.gradient_step: Z = X Wᵀ + b, δ, ∇W = δᵀX, W −= η∇W), not the private,
    in-place, transposed _Batch.step; tests/test_network.py checks the two train alike."""
    at = app()
    at.session_state["x_show_code"] = True
    at.run()
    assert not at.exception
    code = "\n".join(c.value for e in at.expander if e.label == "Show the code" for c in e.code)
    assert "def gradient_step(" in code and "delta.T @ X" in code and "W - lr * dL_dW" in code
    assert "_Batch" not in code and "def step(" not in code


def titles(at) -> list[str]:
    return [f["layout"]["title"]["text"] for f in figures(at)]


def test_a_step_draws_its_own_figure_beside_its_controls_and_no_other():
    at = app({"step": "1"})
    assert not at.exception
    assert [t.split(":")[0] for t in titles(at)] == ["epoch 200"]  # the regions only, not the CE-vs-MSE curves
    assert {"w_data", "w_loss", "w_lr", "w_epochs"} <= {w.key for w in [*at.selectbox, *at.radio, *at.select_slider,
                                                                       *at.slider]}
    at = app({"step": "2"})
    assert titles(at) == ["Cross-entropy against MSE from one start"]
    assert not [w for w in at.radio if w.key == "w_loss"], "the comparison trains both losses: no loss control"
    at = app({"step": "4", "loss": "mse"})
    assert not figures(at) and any(md.value.startswith("| | explicit Jᵀg | VJP") for md in at.markdown)


def test_a_success_only_when_the_loss_fell_and_the_accuracy_rose():
    at = app({"step": "1", "loss": "mse", "wscale": "10"})  # the confidently wrong start: MSE stays at 0 %
    assert not at.success and "but the accuracy stayed at 0.0 %" in at.info[0].value
    at = app({"step": "1", "epochs": "1"})
    assert at.success[0].value.startswith("Trained 1 epoch:")


def test_delta_w_at_d_10_shows_all_ten_columns_as_rows():
    at = app({"step": "3", "D": "10"})
    tex = next(m.value for m in at.latex if "\\Delta W" in m.value)
    assert "\\Delta W^\\top" in tex and tex.split("\\begin{pmatrix}")[1].count("\\\\") == 9  # 10 rows of 3


def test_the_comparison_sentence_does_not_place_the_chart_below_it():
    at = app({"step": "2"})
    text = next(md.value for md in at.markdown if md.value.startswith("**Both losses, same start**"))
    assert "own axis:" in text and "below" not in text


def test_the_final_losss_fall_prints_the_typographic_minus_and_still_points_down_in_green():
    """Issue #25, reader 9 finding 15: "(-1.24 since epoch 0)" used the hyphen-minus beside the page's "−". st.metric
    reads a fall from a leading "-" only, so the page gives the arrow and the colour itself."""
    from streamlit.proto.Metric_pb2 import Metric as MetricProto

    at = app()
    loss = next(m for m in at.metric if m.label == "Final loss")
    assert loss.delta.startswith("−") and "-" not in loss.delta, loss.delta
    assert loss.proto.direction == MetricProto.MetricDirection.DOWN and loss.proto.color == MetricProto.MetricColor.GREEN
    acc = next(m for m in at.metric if m.label == "Accuracy")
    assert acc.delta.startswith("+") and acc.proto.direction == MetricProto.MetricDirection.UP
    assert acc.proto.color == MetricProto.MetricColor.GREEN
