"""Play / pause / scrub controls for a plotly animation: the one builder every animated figure uses.

All of it runs in the browser (plotly's ``animate``), so playing costs the server nothing. ``pages/_ui/client.js``
finds these controls in the DOM (``.updatemenu-button``, ``.slider-group``) to put them in the Tab order and to drop
them from a slide export, and :func:`figures.screens.fit` stacks them one per line on a phone: keep their shape
(one ``updatemenus`` entry of buttons, one slider) when changing anything here.
"""

from __future__ import annotations

from .palette import ink as palette_ink

__all__ = ["BUTTONS_PX", "PAUSE", "PLAY", "animated", "buttons", "scrubber", "step"]

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


# The width of a row of :func:`buttons` with one Play and a Pause at the template's 14 px (about 215 px drawn), so a
# slider beside them starts after them (``indent``) at any chart width; a paper fraction would not (0.2 of a 600 px
# chart put the rail, and its readout, under Pause).
BUTTONS_PX = 235


def scrubber(steps: list[dict], prefix: str, dark: bool, *, active: int = 0, x: float = 0.0, y: float = -0.2,
             ticks: bool = True, gap: int = 0, readout: str = "left", size: int = 14, indent: int = 0) -> dict:
    """A ``sliders`` entry over ``steps`` (:func:`step`), from paper ``x`` (and ``indent`` px further) to the right
    edge, its top at paper height ``y`` (``gap`` px lower). The readout (``prefix`` + the step's label) sits above the
    rail at the ``readout`` end. Without ``ticks`` the step labels are hidden (dozens would collide): only the
    readout names the frame."""
    return {"active": active, "steps": steps, "x": x, "len": 1 - x, "y": y, "yanchor": "top",
            "pad": {"t": gap, "l": indent},
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
    slider = scrubber([step(nm) for nm in names], prefix, dark, active=len(names) - 1, y=y + 0.02, ticks=ticks,
                      readout="right", size=13, indent=BUTTONS_PX)
    if not ticks:  # no tick marks either, and the hidden labels take no height
        slider.update(ticklen=0, font={"color": HIDDEN, "size": 1})
    else:
        slider["ticklen"] = 4
    spec["layout"].update(updatemenus=[buttons(((PLAY, ms),), y=y)], sliders=[slider])
    return spec
