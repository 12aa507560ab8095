"""The screen a figure is drawn for: a phone, a laptop or a slide (presentation mode on a projector).

Builders take ``screen`` (one of :data:`SCREENS`) instead of assuming one fixed size; :func:`fit` applies what every
chart needs on a screen whatever its builder (titles that wrap and stay clear of plotly's toolbar on a phone, a height
that fits a 1280x720 projector). :func:`width_class` picks the class from what the server knows about the browser.

Why not the viewport: Streamlit 1.67's ``st.context`` reports no viewport (headers, cookies, theme, locale, url...),
and a figure is built on the server. The class comes from presentation mode (a slide), else the browser's own
"I am a phone" (the ``Sec-CH-UA-Mobile: ?1`` client hint, or "Mobi" in the User-Agent, MDN's recommended test),
else a laptop. Layouts are then made so that each class is safe at every width it covers: a phone layout from 320 px
up, a laptop layout down to the narrowest main column Streamlit gives beside its sidebar.
"""

from __future__ import annotations

import re
import textwrap

PHONE, LAPTOP, SLIDE = "phone", "laptop", "slide"
SCREENS = (PHONE, LAPTOP, SLIDE)

_MOBILE = re.compile(r"Mobi|Android.+Mobile|iPhone|iPod|Windows Phone", re.IGNORECASE)

# A chart in presentation mode fits a 1280x720 projector whole (the frame's own top bar scrolls away above it).
SLIDE_MAX_HEIGHT = 640
# Plotly's toolbar is always shown on a touch screen, over the top right of the chart (Streamlit's modebar, 2-28 px
# from the top): a phone's title goes under it. Plotly's title pad counts to the first line's baseline, hence + a line.
TOOLBAR_PX = 32
PHONE_TITLE_CHARS = 34  # characters of a 17 px title that fit across a 360 px chart
TITLE_LINE_PX = 22


def cap_height(height: float, screen: str) -> int:
    """A builder's chart height on ``screen``: at most :data:`SLIDE_MAX_HEIGHT` on a slide (builders that place controls
    in pixels under the plot call this before placing them, so :func:`fit` has nothing left to cut)."""
    return int(min(height, SLIDE_MAX_HEIGHT) if screen == SLIDE else height)


def width_class(user_agent: str | None, mobile_hint: str | None = None, present: bool = False) -> str:
    """``"slide"`` in presentation mode, ``"phone"`` for a browser that says it is a phone, else ``"laptop"``.

    ``user_agent`` and ``mobile_hint`` are the request's ``User-Agent`` and ``Sec-CH-UA-Mobile`` headers."""
    if present:
        return SLIDE
    if (mobile_hint or "").strip() == "?1" or _MOBILE.search(user_agent or ""):
        return PHONE
    return LAPTOP


def wrap(text: str, chars: int) -> str:
    """``text`` broken into lines of at most ``chars`` characters at spaces (plotly's ``<br>``), never cut."""
    if len(text) <= chars or "<br>" in text:
        return text
    return "<br>".join(textwrap.wrap(text, chars, break_long_words=False, break_on_hyphens=False))


def fit(spec: dict, screen: str) -> dict:
    """``spec`` adjusted for ``screen`` (a shallow copy; the input is not mutated):

    - phone: the title wraps to the chart's width and starts under plotly's toolbar, the top margin grows to hold it;
    - slide: the chart is at most :data:`SLIDE_MAX_HEIGHT` tall.
    """
    lay = dict(spec.get("layout", {}))
    if screen == PHONE:
        title = lay.get("title")
        if isinstance(title, dict) and title.get("text"):
            text = wrap(title["text"], PHONE_TITLE_CHARS)
            lines = text.count("<br>") + 1
            lay["title"] = {**title, "text": text, "x": 0.0, "xref": "container", "xanchor": "left", "y": 1.0,
                            "yref": "container", "yanchor": "top",
                            "pad": {"t": TOOLBAR_PX + 15, "l": 8}, "font": {**title.get("font", {}), "size": 15}}
            margin = dict(lay.get("margin", {}))
            need = TOOLBAR_PX + lines * TITLE_LINE_PX + 12
            extra = max(margin.get("t", 60) - 60, 0)  # room a builder kept between its title and the plot
            margin["t"] = need + extra
            lay["margin"] = margin
            if isinstance(lay.get("height"), int | float):
                lay["height"] = lay["height"] + max(0, margin["t"] - spec.get("layout", {}).get("margin", {}).get("t", 60))
    elif screen == SLIDE and isinstance(lay.get("height"), int | float):
        lay["height"] = min(lay["height"], SLIDE_MAX_HEIGHT)
    out = {**spec, "layout": lay}
    if screen == PHONE and spec.get("frames"):  # frames that retitle would undo the wrap
        out["frames"] = [_wrap_frame(f) for f in spec["frames"]]
    return out


def _wrap_frame(frame: dict) -> dict:
    title = frame.get("layout", {}).get("title")
    if not isinstance(title, dict) or not title.get("text"):
        return frame
    return {**frame, "layout": {**frame["layout"], "title": {**title, "text": wrap(title["text"], PHONE_TITLE_CHARS)}}}
