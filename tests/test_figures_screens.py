"""figures/screens.py: the width class from what the browser says, titles that wrap and clear the toolbar on a phone,
and charts that fit a 1280x720 projector."""

import pytest

from figures.screens import LAPTOP, PHONE, SLIDE, SLIDE_MAX_HEIGHT, TOOLBAR_PX, fit, width_class, wrap

ANDROID = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Mobile Safari/537.36"
IPHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148"
DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"
TABLET = "Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36"


@pytest.mark.parametrize("ua, hint, present, want", [
    (ANDROID, None, False, PHONE), (IPHONE, None, False, PHONE), (DESKTOP, "?1", False, PHONE),
    (DESKTOP, "?0", False, LAPTOP), (TABLET, "?0", False, LAPTOP), (None, None, False, LAPTOP), ("", "", False, LAPTOP),
    (ANDROID, "?1", True, SLIDE), (DESKTOP, None, True, SLIDE),
])
def test_width_class(ua, hint, present, want):
    assert width_class(ua, hint, present) == want


def test_a_narrow_desktop_window_is_drawn_as_a_phone_but_a_presentation_stays_a_slide():
    """client.js sets the cookie sde_narrow for a window under 640 px, which the frame passes as ``narrow``: a 390-px
    desktop window got the laptop's figures, and 34 of 60 views overlapped or ran out of their charts."""
    assert width_class(DESKTOP, "?0", False, narrow=True) == PHONE
    assert width_class(DESKTOP, "?0", True, narrow=True) == SLIDE
    assert width_class(DESKTOP, "?0", False, narrow=False) == LAPTOP


def test_wrap_breaks_at_spaces_and_never_cuts():
    text = "Temperature: small T sharpens S towards the largest z, large T flattens it towards 1/n"
    out = wrap(text, 34)
    assert out.replace("<br>", " ") == text
    assert all(len(line) <= 34 for line in out.split("<br>"))
    assert wrap("short", 34) == "short" and wrap("x" * 50, 34) == "x" * 50  # one long word stays whole
    kept = wrap("Confidently wrong: cross-entropy keeps pushing,<br>MSE through softmax goes quiet", 34)
    assert kept.split("<br>")[1:] == ["keeps pushing,", "MSE through softmax goes quiet"]  # the builder's break stays
    assert all(len(line) <= 34 for line in kept.split("<br>"))  # and its lines are wrapped too


def test_fit_phone_title_goes_under_the_toolbar_and_the_margin_holds_it():
    spec = {"data": [], "layout": {"title": {"text": "The true J = the elementwise diagonal + the off-diagonal −SᵢSⱼ it drops"},
                                   "height": 400, "margin": {"t": 60}}}
    out = fit(spec, PHONE)
    title = out["layout"]["title"]
    lines = title["text"].count("<br>") + 1
    assert lines >= 2 and title["yref"] == "container" and title["pad"]["t"] > TOOLBAR_PX
    assert out["layout"]["margin"]["t"] >= TOOLBAR_PX + lines * 20
    assert out["layout"]["height"] - 400 == out["layout"]["margin"]["t"] - 60  # the plot keeps its own height
    assert spec["layout"]["title"]["text"].count("<br>") == 0 and spec["layout"]["height"] == 400  # input untouched


def test_fit_phone_wraps_frame_titles_too():
    spec = {"data": [], "layout": {"title": {"text": "a"}},
            "frames": [{"name": "0", "data": [], "layout": {"title": {"text": "J at T = 10: max |∂Sᵢ/∂zⱼ| = 0.023 and more"}}}]}
    assert "<br>" in fit(spec, PHONE)["frames"][0]["layout"]["title"]["text"]


def test_fit_slide_caps_the_height_and_laptop_changes_nothing():
    spec = {"data": [], "layout": {"height": 770, "title": {"text": "J"}}}
    assert fit(spec, SLIDE)["layout"]["height"] == SLIDE_MAX_HEIGHT
    assert fit({"data": [], "layout": {"height": 300}}, SLIDE)["layout"]["height"] == 300
    assert fit(spec, LAPTOP) == spec


def test_a_legend_under_the_plot_gets_the_lines_its_entry_width_gives_and_a_phone_its_own():
    data = [{"type": "scatter", "name": f"a long legend entry {k}"} for k in range(6)]
    lay = {"height": 400, "margin": {"t": 60, "b": 50},
           "legend": {"orientation": "h", "y": -0.3, "entrywidth": 0.5, "entrywidthmode": "fraction"}}
    for screen, rows, gap in ((LAPTOP, 3, 72), (SLIDE, 3, 96)):  # two entries a line
        out = fit({"data": data, "layout": lay}, screen)["layout"]
        assert out["margin"]["b"] == gap + 22 * rows + 12 and out["legend"]["entrywidth"] == 0.5
    out = fit({"data": data, "layout": lay}, PHONE)["layout"]
    assert "entrywidth" not in out["legend"] and "entrywidthmode" not in out["legend"]  # one long entry a line
    assert "entrywidth" in lay["legend"]  # the input is not mutated


def test_fit_phone_stacks_a_row_of_subplots_and_moves_controls_and_legend_below():
    from figures.animation import animated
    from figures.spec import figure, on, row_layout

    lay = row_layout(2, titles=("left panel", "right panel"), shared_y=True)
    lay.update(height=400, legend={"orientation": "v", "x": 1.02, "y": 1}, margin={"t": 60, "b": 120, "r": 200})
    data = [on(1, {"type": "scatter", "x": [0, 1], "y": [0, 1], "name": "first curve"}),
            on(2, {"type": "scatter", "x": [0, 1], "y": [1, 0], "name": "second curve"})]
    spec = animated(figure(data, lay), [{"name": "0", "data": []}, {"name": "1", "data": []}], 100, "step: ", False)
    out = fit(spec, PHONE)["layout"]
    assert out["xaxis"]["domain"] == out["xaxis2"]["domain"] == [0.0, 1.0]
    assert out["yaxis"]["domain"][0] > out["yaxis2"]["domain"][1]  # first panel above the second
    assert "matches" not in out["yaxis2"]  # a shared y axis shows its ticks in every row
    titles = {a["text"]: a for a in out["annotations"]}
    assert titles["left panel"]["y"] == out["yaxis"]["domain"][1] and titles["right panel"]["y"] == out["yaxis2"]["domain"][1]
    menu, slider, legend = out["updatemenus"][0], out["sliders"][0], out["legend"]
    assert 0 > menu["y"] > slider["y"] > legend["y"] and slider["x"] == 0 and slider["len"] == 1
    assert legend["orientation"] == "h" and out["margin"]["r"] <= 30
    assert out["height"] > 400 and spec["layout"]["xaxis"]["domain"] != [0.0, 1.0]  # the input is untouched


def test_fit_phone_hides_heatmap_values_that_do_not_fit():
    def heat(n):
        return {"data": [{"type": "heatmap", "x": list(range(n)), "z": [[0] * n] * n, "text": [["1"] * n] * n,
                          "texttemplate": "%{text}"}], "layout": {}}
    assert fit(heat(4), PHONE)["data"][0]["texttemplate"] == "%{text}"
    assert fit(heat(10), PHONE)["data"][0]["texttemplate"] == ""
    assert fit(heat(10), LAPTOP)["data"][0]["texttemplate"] == "%{text}"


def test_fit_phone_and_slide_axes():
    spec = {"data": [{"type": "heatmap", "x": [f"c{k}" for k in range(12)], "z": [[0] * 12]}],
            "layout": {"xaxis": {"type": "category", "title": {"text": "input z of sample s, a long axis title here"}},
                       "yaxis": {"type": "log"}, "yaxis2": {"type": "log", "tickvals": [1, 10]}, "height": 300}}
    phone = fit(spec, PHONE)["layout"]
    assert phone["xaxis"]["tickangle"] == -90 and "<br>" in phone["xaxis"]["title"]["text"]
    assert phone["yaxis"]["nticks"] == 4 and "nticks" not in phone["yaxis2"]  # few labels, unless the builder chose
    slide = fit(spec, SLIDE)["layout"]
    assert slide["yaxis"]["nticks"] == 4 and "tickangle" not in slide["xaxis"] and "<br>" not in slide["xaxis"]["title"]["text"]
    assert "nticks" not in fit(spec, LAPTOP)["layout"]["yaxis"]
    assert fit(spec, LAPTOP)["layout"]["yaxis"]["ticklabelstandoff"] > 0  # the corner's labels, on every screen


@pytest.mark.parametrize("screen", [PHONE, LAPTOP, SLIDE])
def test_fitted_specs_stay_valid_plotly(screen):
    import numpy as np

    import core
    from core import explore
    from figures.chain_figs import drop_figure
    from figures.spec import strict
    from figures.training_figs import curves_figure

    z = (2.0, 1.0, 0.1)
    zy = np.linspace(5, -10, 40)
    S_y = np.array([core.softmax((v, 1.0, 0.1))[0] for v in zy])
    drop = drop_figure(zy, S_y, 1 - S_y, S_y * (1 - S_y), 2.0, 0)
    curves = curves_figure({"cross_entropy": (np.linspace(1, 0.01, 50), np.linspace(0.3, 1, 50), None)})
    Ts = explore.temperature_grid()
    from figures.softmax_figs import temperature_animation
    temp = temperature_animation(Ts, explore.temperature_sweep(z, Ts), 1.0, core.softmax(z))
    for spec in (drop, curves, temp):
        strict(fit(spec, screen))


def _row_of(cols: int, **kw):
    from figures.spec import figure, on, row_layout

    lay = row_layout(cols, titles=[f"panel {c}" for c in range(1, cols + 1)])
    for c in range(1, cols + 1):
        lay["xaxis" if c == 1 else f"xaxis{c}"]["title"] = {"text": "epoch"}
    lay.update(height=440, title={"text": "A chart whose panels stack on a phone"}, margin={"t": 90, "b": 100},
               legend={"orientation": "h", "y": -0.2}, **kw)
    return figure([on(c, {"type": "scatter", "x": [0, 1], "y": [0, 1], "name": f"curve {c}"}) for c in range(1, cols + 1)],
                  lay)


def test_fit_phone_shrinks_stacked_rows_to_fit_the_screen_but_not_below_a_legible_height():
    from figures.screens import PHONE_MAX_HEIGHT, ROW_MIN_PX, ROW_PX

    two = fit(_row_of(2), PHONE)["layout"]
    assert two["height"] <= PHONE_MAX_HEIGHT
    rows = [d[1] - d[0] for d in (two["yaxis"]["domain"], two["yaxis2"]["domain"])]
    plot_h = two["height"] - two["margin"]["t"] - two["margin"]["b"]
    assert all(ROW_MIN_PX - 1 <= r * plot_h <= ROW_PX + 1 for r in rows)
    four = fit(_row_of(4), PHONE)["layout"]  # too many rows for one screen: each keeps the least legible height
    plot_h = four["height"] - four["margin"]["t"] - four["margin"]["b"]
    assert four["height"] > PHONE_MAX_HEIGHT and abs((four["yaxis"]["domain"][1] - four["yaxis"]["domain"][0]) * plot_h
                                                     - ROW_MIN_PX) < 1


def test_fit_phone_stacks_panels_over_one_x_under_one_axis_when_the_builder_says_so():
    out = fit(_row_of(3, meta={"shared_x": True}), PHONE)["layout"]
    assert out["xaxis2"]["matches"] == out["xaxis3"]["matches"] == "x"
    last = min(("xaxis", "xaxis2", "xaxis3"), key=lambda k: out["y" + k[1:]]["domain"][0])
    assert last == "xaxis3" and out[last].get("showticklabels", True) and out[last]["title"]["text"] == "epoch"
    assert all(out[k]["showticklabels"] is False and out[k]["title"]["text"] == "" for k in ("xaxis", "xaxis2"))
    alone = fit(_row_of(3), PHONE)["layout"]  # without the flag every row keeps its own ticks and title
    assert out["height"] < alone["height"] and "matches" not in alone["xaxis2"]
