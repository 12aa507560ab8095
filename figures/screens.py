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

import itertools
import math
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


def width_class(user_agent: str | None, mobile_hint: str | None = None, present: bool = False,
                narrow: bool = False) -> str:
    """``"slide"`` in presentation mode, ``"phone"`` for a browser that says it is a phone or a window narrower than a
    phone's 640 px (``narrow``: the page script's cookie, pages/_ui/client.js), else ``"laptop"``.

    ``user_agent`` and ``mobile_hint`` are the request's ``User-Agent`` and ``Sec-CH-UA-Mobile`` headers."""
    if present:
        return SLIDE
    if narrow or (mobile_hint or "").strip() == "?1" or _MOBILE.search(user_agent or ""):
        return PHONE
    return LAPTOP


def wrap(text: str, chars: int) -> str:
    """``text`` broken into lines of at most ``chars`` characters at spaces (plotly's ``<br>``), never cut; a line
    break the builder put in stays, and each of its lines is wrapped on its own."""
    return "<br>".join(part if len(part) <= chars else
                       "<br>".join(textwrap.wrap(part, chars, break_long_words=False, break_on_hyphens=False))
                       for part in text.split("<br>"))


def fit(spec: dict, screen: str) -> dict:
    """``spec`` adjusted for ``screen`` (a shallow copy; the input is not mutated):

    - phone: side-by-side subplots are stacked (one per row, each subplot title above its row); Play/Pause, the
      scrub slider and the legend each get their own line under the plot (unless the builder already laid them out for
      a phone: a full-width slider, a legend under the plot); the title wraps to the chart's width and starts under
      plotly's toolbar, the top margin grows to hold it;
    - slide: the chart is at most :data:`SLIDE_MAX_HEIGHT` tall;
    - every screen: a numeric y axis' tick labels stand off the axis, so its lowest label clears the x axis' first
      one in the corner; a legend under a plot without controls sits a fixed number of pixels under it, below the x
      axis title (a fraction of the plot's height put it on the title when the plot is short or the fonts large).
    """
    lay = _every_screen(dict(spec.get("layout", {})), spec.get("data", []), screen)
    if screen == PHONE:
        lay = _phone(lay, spec, ROW_PX)
    elif screen == SLIDE and isinstance(lay.get("height"), int | float):
        lay["height"] = min(lay["height"], SLIDE_MAX_HEIGHT)
    out = {**spec, "layout": lay}
    if screen == PHONE:
        out["data"] = [_phone_trace(t, lay) for t in spec.get("data", [])]
    if screen == PHONE and spec.get("frames"):  # frames that retitle would undo the wrap
        out["frames"] = [_wrap_frame(f) for f in spec["frames"]]
    return out


def _phone(every: dict, spec: dict, row_px: int) -> dict:
    """:func:`fit`'s phone layout of ``every`` (the layout after :func:`_every_screen`; not mutated), its stacked
    subplots ``row_px`` tall; stacked subplots taller than :data:`PHONE_MAX_HEIGHT` in all are drawn again with shorter
    rows (never shorter than :data:`ROW_MIN_PX`), so that a chart fits a phone's screen whole."""
    lay, rows, plot_h = _phone_body(every, spec.get("data", []), row_px)
    title = lay.get("title")
    if isinstance(title, dict) and title.get("text"):
        text = wrap(title["text"], PHONE_TITLE_CHARS)
        lines = text.count("<br>") + 1
        lay["title"] = {**title, "text": text, "x": 0.0, "xref": "container", "xanchor": "left", "y": 1.0,
                        "yref": "container", "yanchor": "top",
                        "pad": {"t": TOOLBAR_PX + 15, "l": 8}, "font": {**title.get("font", {}), "size": 15}}
        margin = dict(lay.get("margin", {}))
        need = TOOLBAR_PX + lines * TITLE_LINE_PX + 22
        extra = max(margin.get("t", 60) - 60, 0)  # room a builder kept between its title and the plot
        margin["t"] = need + extra
        lay["margin"] = margin
        if rows:
            lay["height"] = plot_h + margin["t"] + margin["b"]
        elif isinstance(lay.get("height"), int | float):
            lay["height"] = lay["height"] + max(0, margin["t"] - spec.get("layout", {}).get("margin", {}).get("t", 60))
    over = lay.get("height", 0) - PHONE_MAX_HEIGHT
    if rows and over > 0 and row_px > ROW_MIN_PX:
        return _phone(every, spec, max(ROW_MIN_PX, row_px - math.ceil(over / rows)))
    return lay


def _wrap_frame(frame: dict) -> dict:
    lay = frame.get("layout")
    if not isinstance(lay, dict):
        return frame
    lay = dict(lay)
    title = lay.get("title")
    if isinstance(title, dict) and title.get("text"):
        lay["title"] = {**title, "text": wrap(title["text"], PHONE_TITLE_CHARS)}
    _wrap_notes(lay)
    return {**frame, "layout": lay}


_AXIS = re.compile(r"([xy])axis(\d*)$")
# A stacked subplot's height, and the gap under it: its x axis' tick labels and title and the next row's title (the
# title's px less without an axis title). Stacked subplots shrink to fit PHONE_MAX_HEIGHT, down to ROW_MIN_PX: a
# phone's screen (844 px at 390 px wide) under Streamlit's header, and a plot short enough to stay legible.
ROW_PX, ROW_GAP_PX, AXIS_TITLE_PX, ROW_MIN_PX = 260, 96, 36, 150
TICKS_PX = 26  # a row's x tick labels: what a shared x axis (``layout.meta.shared_x``) leaves out of the gaps
FIRST_TITLE_PX = 22  # over a stacked plot's first row only its subplot title, clear of the chart's title
PHONE_MAX_HEIGHT = 780
BUTTONS_PX, SLIDER_PX, LEGEND_ROW_PX = 46, 74, 22
NOTE_LINE_PX = 18  # a subplot title's or caption's extra line


def frame_of(lay: dict) -> tuple[dict, float]:
    """``(margin, height)`` of a layout: a copy of its margins, with plotly's defaults where it sets none (top 60,
    bottom 50 px; a height of 450 px), so the plot's own height is ``height - margin["t"] - margin["b"]``."""
    return {"t": 60, "b": 50, **lay.get("margin", {})}, lay.get("height", 450)


def _phone_body(every: dict, data: list, row_px: int = ROW_PX) -> tuple[dict, int | None, float]:
    """A phone's plot area: :func:`_stack` a row of subplots (``row_px`` tall each), then :func:`_below` for controls
    and the legend. Returns the new layout (``every`` is not mutated), the number of stacked rows (None if not stacked)
    and the plot's height in px."""
    lay = {k: (dict(v) if isinstance(v, dict) else list(v) if isinstance(v, list) else v) for k, v in every.items()}
    margin, height = frame_of(lay)
    plot_h = max(height - margin["t"] - margin["b"], 120)
    stacked = _stack(lay, row_px)
    if stacked:
        plot_h = stacked[1]
        margin["b"] = 60
        # over the first row only its title: the room a builder kept over a row of side-by-side panels (their titles,
        # a legend or controls that move under the plot here) is not needed
        margin["t"] = 60 + FIRST_TITLE_PX
    margin["r"] = min(margin.get("r", 30), 30)  # a right-hand legend moves under the plot
    lay["margin"] = margin
    bottom = _below(lay, data, plot_h, force=bool(stacked))
    extra = _wrap_notes(lay)
    margin["t"] += extra
    height += extra
    if bottom is not None:
        margin["b"] = bottom
    if stacked or bottom is not None:
        lay["height"] = plot_h + margin["t"] + margin["b"]
    elif extra:
        lay["height"] = height
    return lay, stacked[0] if stacked else None, plot_h


NOTE_CHARS = 34  # a 13-16 px caption or subplot title across a phone's plot


def _wrap_notes(lay: dict) -> int:
    """Wrap long captions placed on the paper (in place); returns the pixels the top margin needs for the extra lines
    of those sitting over the plot."""
    extra, notes = 0, []
    for a in lay.get("annotations", []):
        on_paper = isinstance(a, dict) and a.get("yref") == "paper" and a.get("xref") == "paper"
        if on_paper and len(str(a.get("text", ""))) > NOTE_CHARS:
            text = wrap(str(a["text"]), NOTE_CHARS)
            if float(a.get("y", 0)) >= 1 and a.get("yanchor") == "bottom":
                extra = max(extra, 18 * text.count("<br>"))
            a = {**a, "text": text}
        notes.append(a)
    if notes:
        lay["annotations"] = notes
    return extra


def _stack(lay: dict, row_px: int = ROW_PX) -> tuple[int, float] | None:
    """A one-row layout of side-by-side subplots (the domains of :func:`figures.spec.row_layout`) turned into one
    subplot per row, ``row_px`` tall, in place; returns the number of rows and the plot's height in px, or None if
    ``lay`` is not such a row, or is one a builder laid out for a phone itself (``layout.meta.keep_row``: columns whose
    rows line up, as Dependencies' arrows and readout)."""
    if isinstance(lay.get("meta"), dict) and lay["meta"].get("keep_row"):
        return None
    xdom = {k: tuple(v["domain"]) for k, v in lay.items()
            if _AXIS.match(k) and k[0] == "x" and isinstance(v, dict) and "domain" in v}
    doms = sorted(set(xdom.values()))
    if len(doms) < 2 or any(a[1] > b[0] + 1e-9 for a, b in itertools.pairwise(doms)):
        return None
    if any(tuple(v.get("domain", (0.0, 1.0))) != (0.0, 1.0) for k, v in lay.items()
           if _AXIS.match(k) and k[0] == "y" and isinstance(v, dict)):
        return None
    rows = len(doms)
    if isinstance(lay.get("meta"), dict) and lay["meta"].get("shared_x"):
        # panels over the same x (the builder says so): one range, and its tick labels and title under the last row only
        for name, dom in xdom.items():
            lay[name] = {**lay[name], **({"matches": "x"} if name != "xaxis" else {})}
            if dom != doms[-1]:
                lay[name] = {**lay[name], "showticklabels": False, "title": {"text": ""}}
    titles = {}  # row -> its subplot title's text
    for a in lay.get("annotations", []):
        if _subplot_title(a):
            r = next((i for i, d in enumerate(doms) if d[0] - 1e-9 <= a["x"] <= d[1] + 1e-9), None)
            if r is not None:
                titles[r] = str(a.get("text", ""))
    gaps = []
    for r in range(rows - 1):
        x = next((v for k, v in lay.items() if k in xdom and xdom[k] == doms[r]), {})
        title = x.get("title")
        tall = (isinstance(title, dict) and str(title.get("text", "")).strip()) or x.get("tickangle") == -90 \
            or any("<br>" in str(t) for t in x.get("ticktext") or ())
        lines = wrap(titles.get(r + 1, ""), NOTE_CHARS).count("<br>")
        gap = ROW_GAP_PX if tall else ROW_GAP_PX - AXIS_TITLE_PX - (TICKS_PX if x.get("showticklabels") is False else 0)
        gaps.append(gap + NOTE_LINE_PX * lines)
    total = rows * row_px + sum(gaps)
    ydom, top = [], 0.0
    for r in range(rows):
        ydom.append([1 - (top + row_px) / total, 1 - top / total])
        top += row_px + (gaps[r] if r < rows - 1 else 0)
    ydom[-1][0] = 0.0
    for name, dom in xdom.items():
        r = doms.index(dom)
        lay[name] = {**lay[name], "domain": [0.0, 1.0]}
        yname = "yaxis" + str(lay[name].get("anchor", "y"))[1:]
        if yname in lay or yname == "yaxis":
            y = dict(lay.get(yname, {}))
            y["domain"] = ydom[r]
            if y.pop("showticklabels", True) is False or "matches" in y:  # a shared y axis shows its ticks in every row
                y.pop("matches", None)
            lay[yname] = y
    notes = []
    for a in lay.get("annotations", []):
        if _subplot_title(a):
            r = next((i for i, d in enumerate(doms) if d[0] - 1e-9 <= a["x"] <= d[1] + 1e-9), None)
            if r is not None:  # a subplot title: over its own row
                a = {**a, "x": 0.5, "xanchor": "center", "y": ydom[r][1]}
        notes.append(a)
    if notes:
        lay["annotations"] = notes
    return rows, total


def _subplot_title(a) -> bool:
    """A subplot title of :func:`figures.spec.row_layout`: a caption on the paper, at its top edge, over one panel."""
    return (isinstance(a, dict) and a.get("xref") == "paper" and a.get("yref") == "paper"
            and abs(float(a.get("y", 0)) - 1.0) < 1e-9 and isinstance(a.get("x"), int | float))


def _legend_rows(data: list, legend: dict | None = None, screen: str = PHONE) -> int:
    """Lines a horizontal legend takes: on a laptop or a slide, as many entries a line as the builder's ``entrywidth``
    (a fraction of the plot's width) gives; else, as on a phone, two short entries a line, one long one."""
    shown = [str(t["name"]) for t in data if isinstance(t, dict) and t.get("showlegend", True) is not False and t.get("name")]
    if not shown:
        return 0
    if screen != PHONE and isinstance(legend, dict) and legend.get("entrywidthmode") == "fraction" \
            and legend.get("entrywidth"):
        return math.ceil(len(shown) / max(int(1 / float(legend["entrywidth"]) + 1e-9), 1))
    return math.ceil(len(shown) / (2 if max(len(x) for x in shown) <= 14 else 1))


def _below(lay: dict, data: list, plot_h: float, force: bool = False) -> int | None:
    """Play/Pause, then the slider, then the legend, each on its own line under the plot (in place). Returns the bottom
    margin that holds them, or None when the builder already placed them for a phone (or there are none)."""
    menus, sliders = lay.get("updatemenus") or [], lay.get("sliders") or []
    legend = lay.get("legend") if isinstance(lay.get("legend"), dict) else {}
    placed = all(s.get("x", 0) == 0 and s.get("len", 1) == 1 for s in sliders)
    legend_right = legend.get("orientation", "v") == "v" and float(legend.get("x", 1.02)) > 1
    legend_on = lay.get("showlegend", True) is not False and _legend_rows(data) > 0
    if placed and not (legend_on and legend_right) and not force:
        return None
    cursor = 62  # under the bottom x axis' tick labels and title
    if placed and not force:  # the builder's own controls stay: the legend goes under the lowest of them
        cursor = max([cursor, *(-float(m.get("y", 0)) * plot_h + BUTTONS_PX for m in menus),
                      *(-float(sl.get("y", 0)) * plot_h + SLIDER_PX for sl in sliders)])
    else:
        from .animation import controls  # figures.animation imports this module, so not at the top

        slider = {**sliders[0], "currentvalue": {**sliders[0].get("currentvalue", {}), "xanchor": "left"}} if sliders else None
        cursor = -controls(lay, menus[0] if menus else None, slider, -cursor / plot_h, plot_h=plot_h) * plot_h
    if legend_on:
        lay["legend"] = {**legend, "orientation": "h", "x": 0, "xanchor": "left", "y": -cursor / plot_h, "yanchor": "top"}
        cursor += LEGEND_ROW_PX * _legend_rows(data) + 8
    return cursor + 10


CELL_TEXT_PX = 46  # a heatmap value like "−0.123" at 11-13 px, with its margins
PHONE_PLOT_PX = 290


def _columns(trace: dict) -> int:
    x = trace.get("x")
    if isinstance(x, list | tuple):
        return len(x)
    z = trace.get("z")
    if isinstance(z, dict) and "shape" in z:  # a typed 2-D array: "rows, cols"
        return int(str(z["shape"]).split(",")[-1])
    if isinstance(z, list | tuple) and z and isinstance(z[0], list | tuple):
        return len(z[0])
    return 0


def _phone_trace(trace: dict, lay: dict) -> dict:
    """A heatmap's cell values only where they fit a phone's cells (else the hover and the data table hold them)."""
    if not isinstance(trace, dict) or trace.get("type") != "heatmap" or not trace.get("texttemplate"):
        return trace
    xname = "xaxis" + str(trace.get("xaxis", "x"))[1:]
    dom = lay.get(xname, {}).get("domain", [0.0, 1.0]) if isinstance(lay.get(xname), dict) else [0.0, 1.0]
    width = PHONE_PLOT_PX * (dom[1] - dom[0])
    if _columns(trace) * CELL_TEXT_PX <= width:
        return trace
    return {**trace, "texttemplate": ""}


CORNER_PX = 16  # half of a slide's widest first x label ("−2", "10" at 20 px), and a little more
LEGEND_GAP_PX = {PHONE: 70, LAPTOP: 72, SLIDE: 96}  # x tick labels + x axis title, at the screen's font sizes


AXIS_TITLE_CHARS = 38  # a 14 px axis title across a phone's plot


def _labels_on(name: str, axis: dict, data: list) -> int:
    """How many tick labels a category axis ``name`` carries: its tick texts, or its traces' categories."""
    if axis.get("ticktext") or axis.get("tickvals"):
        return len(axis.get("ticktext") or axis.get("tickvals"))
    if axis.get("type") != "category":
        return 0
    ref = "x" + name[len("xaxis"):]
    return max((_columns(t) for t in data if isinstance(t, dict) and t.get("xaxis", "x") == ref), default=0)


def _every_screen(lay: dict, data: list, screen: str) -> dict:
    legend = lay.get("legend")
    if screen == PHONE and isinstance(legend, dict) and "entrywidth" in legend:
        # a phone's legend lines are its own (_legend_rows): a fraction of its narrow plot is narrower than a long name
        lay["legend"] = {k: v for k, v in legend.items() if k not in ("entrywidth", "entrywidthmode")}
    for k, v in list(lay.items()):
        if not (_AXIS.match(k) and isinstance(v, dict)):
            continue
        if v.get("type") == "log" and screen in (PHONE, SLIDE) and not {"dtick", "tickvals", "nticks"} & set(v):
            # at most 4 labels: plotly then skips decades on a long axis and the 2…9 of each decade on a short one
            # (they collided on a phone and at a slide's font size)
            v = lay[k] = {**v, "nticks": 4}
        if screen == PHONE:
            title = v.get("title")
            if isinstance(title, dict) and len(str(title.get("text", ""))) > AXIS_TITLE_CHARS:
                v = lay[k] = {**v, "title": {**title, "text": wrap(str(title["text"]), AXIS_TITLE_CHARS)}}
            if k[0] == "x" and v.get("tickangle") != -90 and _labels_on(k, v, data) > 8:
                v = lay[k] = {**v, "tickangle": -90, "automargin": True}  # many labels: upright, one per column
    for k, v in list(lay.items()):
        if _AXIS.match(k) and k[0] == "y" and isinstance(v, dict) and v.get("type") != "category" \
                and v.get("visible", True) is not False and "ticklabelstandoff" not in v:
            lay[k] = {**v, "ticklabelstandoff": CORNER_PX}
    legend = lay.get("legend")
    below = isinstance(legend, dict) and legend.get("orientation") == "h" and float(legend.get("y", 1)) < 0
    if below and not lay.get("updatemenus") and not lay.get("sliders") and isinstance(lay.get("height"), int | float):
        margin, _ = frame_of(lay)  # the height is set (checked above)
        gap = LEGEND_GAP_PX[screen]
        need = gap + LEGEND_ROW_PX * max(_legend_rows(data, legend, screen), 1) + 12
        grow = max(need - margin["b"], 0)
        plot_h = lay["height"] - margin["t"] - margin["b"]
        if plot_h > 60:
            lay["legend"] = {**legend, "y": -gap / plot_h, "yanchor": "top"}
            lay["margin"] = {**margin, "b": margin["b"] + grow}
            lay["height"] = lay["height"] + grow
    return lay
