"""Play / pause / scrub controls for a plotly animation: the one builder every animated figure uses.

All of it runs in the browser (plotly's ``animate``), so playing costs the server nothing. ``pages/_ui/client.js``
finds these controls in the DOM (``.updatemenu-button``, ``.slider-group``) to put them in the Tab order and to drop
them from a slide export, and :func:`figures.screens.fit` stacks them one per line on a phone: keep their shape
(one ``updatemenus`` entry of buttons, one slider) when changing anything here. :func:`controls` is the one place
that puts them on a figure, for every builder and screen (and for :func:`figures.screens.fit`).
"""

from __future__ import annotations

from .palette import ink as palette_ink
from .screens import BUTTONS_PX, SLIDER_PX, frame_of

__all__ = ["PAUSE", "PLAY", "animated", "buttons", "controls", "scrubber", "step"]

PLAY = "▶ Play"
PAUSE = "❚❚ Pause"
HIDDEN = "rgba(0,0,0,0)"


def _animate(ms: int, redraw: bool = True) -> dict:
    return {"frame": {"duration": ms, "redraw": redraw}, "transition": {"duration": 0}, "mode": "immediate"}


def step(name: str, label: str | None = None) -> dict:
    """One scrub-slider step: show frame ``name`` at once; ``label`` (default the name) is its tick and readout."""
    return {"method": "animate", "label": name if label is None else label, "args": [[name], _animate(0)]}


def buttons(speeds=((PLAY, 350),), y: float = -0.2, pause: str = PAUSE) -> dict:
    """An ``updatemenus`` entry: one play button per ``(label, ms per frame)`` in ``speeds``, then Pause, in a row
    whose top-left corner is at paper height ``y``. Play continues from the frame shown."""
    play = [{"label": lab, "method": "animate", "args": [None, {**_animate(ms), "fromcurrent": True}]} for lab, ms in speeds]
    stop = {"label": pause, "method": "animate", "args": [[None], _animate(0, redraw=False)]}
    return {"type": "buttons", "direction": "left", "showactive": False, "x": 0, "xanchor": "left", "y": y,
            "yanchor": "top", "pad": {"r": 10, "t": 0}, "buttons": [*play, stop]}


def scrubber(steps: list[dict], prefix: str, dark: bool, *, active: int = 0, x: float = 0.0, y: float = -0.2,
             ticks: bool = True, gap: int = 0, readout: str = "left", size: int = 14) -> dict:
    """A ``sliders`` entry over ``steps`` (:func:`step`), from paper ``x`` to the right edge, its top at paper height
    ``y`` (``gap`` px lower). The readout (``prefix`` + the step's label) sits above the rail at the ``readout`` end.
    Without ``ticks`` the step labels are hidden (dozens would collide): only the readout names the frame."""
    return {"active": active, "steps": steps, "x": x, "len": 1 - x, "y": y, "yanchor": "top", "pad": {"t": gap},
            "currentvalue": {"prefix": prefix, "visible": True, "xanchor": readout,
                             "font": {"size": size, "color": palette_ink(dark)}},
            **({} if ticks else {"font": {"color": HIDDEN}})}


def animated(spec: dict, frames: list[dict], ms: int, prefix: str, dark: bool, y: float = -0.3,
             ticks: bool = True) -> dict:
    """``spec`` plus ``frames`` (plain dicts: name, data, optional traces and layout), Play / Pause and a scrub
    slider beside them at paper height ``y``, starting on the last frame (the whole picture), in place.

    Frames carry only what moves (plotly keeps every other attribute of each trace), which keeps the JSON sent
    to the browser small."""
    names = [f["name"] for f in frames]
    spec["frames"] = frames
    slider = scrubber([step(nm) for nm in names], prefix, dark, active=len(names) - 1, ticks=ticks, readout="right",
                      size=13)
    if not ticks:  # no tick marks either, and the hidden labels take no height
        slider.update(ticklen=0, font={"color": HIDDEN, "size": 1})
    else:
        slider["ticklen"] = 4
    controls(spec["layout"], buttons(((PLAY, ms),)), slider, y, grow=True)
    return spec


def controls(layout: dict, play: dict | None, slider: dict | None, y: float, *, plot_h: float | None = None,
             grow: bool = False) -> float:
    """Put an animation's controls on ``layout`` (in place): the row of buttons ``play`` (:func:`buttons`) with its
    top at paper height ``y``, left-aligned, and the scrub ``slider`` (:func:`scrubber`) on its own line under it, full
    width (either may be None). ``plot_h``: the plot area's height in px (default: the layout's). ``grow``: add the
    slider's line to the bottom margin and the height, so the plot keeps its size (a legend under the controls moves
    down with them). Returns the paper height under the controls, where a legend may start.

    Why a line of its own: beside the buttons, a slider had to start at a paper fraction (0.2) that is narrower than
    Play + Pause (about 215 px) in a 600 px column, and no fixed pixel indent fits a 390 px window (the rail's width
    goes negative there). Under them it fits every width: a phone's, a laptop's and a slide's."""
    margin, height = frame_of(layout)
    plot_h = plot_h or max(height - margin["t"] - margin["b"], 1)
    below = y
    if play is not None:
        layout["updatemenus"] = [{**play, "x": 0, "xanchor": "left", "y": below, "yanchor": "top"}]
        below -= BUTTONS_PX / plot_h
    if slider is not None:
        layout["sliders"] = [{**slider, "x": 0, "len": 1, "y": below, "yanchor": "top"}]
        below -= SLIDER_PX / plot_h
    if grow and play is not None and slider is not None:
        legend = layout.get("legend")
        if isinstance(legend, dict) and float(legend.get("y", 1)) < y:  # a legend under the controls moves down too
            layout["legend"] = {**legend, "y": float(legend["y"]) - BUTTONS_PX / plot_h}
        layout["margin"] = {**margin, "b": margin["b"] + BUTTONS_PX}
        layout["height"] = height + BUTTONS_PX
    return below
