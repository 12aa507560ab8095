"""The frame every page shares: begin / end of a page, the guided tour, the link, lecturer tools, the sidebar, CSS.

How a run flows (app.py calls :func:`run` with the page ``st.navigation`` chose):

1. :func:`run` (full runs only: a page switch, a first load, the sidebar) merges a link from outside into this
   user's params (``urlstate.start``), draws the sidebar's frame settings, and runs the page inside an
   ``st.fragment``.
2. The page calls :func:`begin` (title, notices, the controls block), then its controls, core and figures.
3. The page's last line calls :func:`end`: the params into the URL, the tour footer, the link, lecturer tools
   (footer.py). In a lesson the open step draws that footer itself, inside its own fragment (steps._open_step).

Why a fragment: a widget inside a fragment reruns only that fragment, so a student's slider move reruns the
page (its maths and figures, the tour and the link, which all depend on the params) but not the router and the
sidebar. Everything that must stay true after a move lives inside it; the sidebar holds only settings whose
change reruns everything anyway. A lesson's open step is a fragment inside the page's: a move of its controls
reruns the step and the footer, not the lesson's title, step picker and step heading.
Everything per user lives in ``st.session_state``; nothing mutable is global.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

import streamlit as st
from plotly.utils import PlotlyJSONEncoder

from core import state
from figures.palette import DIVERGING, DIVERGING_DARK, EXPORT_BACKGROUNDS, EXPORT_STILL, light_of_dark, template
from figures.screens import width_class
from pages import _compat as compat

from . import steps
from .controls import Panel, effective_locks, row_args, set_param
from .css import CARDS_CSS, CARDS_PRESENT_CSS, FOCUS_CSS, LINKBOX_CSS
from .footer import MOVED, REST, TOUR, footer
from .registry import PAGES, PageInfo, page_info
from .urlstate import CLASSROOM, SHARED, Ctx, start, widget_key

# Static CSS only (never user text). Always: respect prefers-reduced-motion, and print on white without the chrome.
_BASE_CSS = """
[data-testid="stMainBlockContainer"] {padding-top: 2.75rem;}
/* a lesson's step is one screen: a compact title, the step picker under it, and the step's heading */
.stApp h1 {font-size: 1.9rem; padding-bottom: 0.25rem;}
.stApp h3 {font-size: 1.35rem;}
/* a step's control column: tight rows, so the controls and the figure share the first screen */
[data-testid="stColumn"] .st-key-controls {gap: 0.35rem; padding: 0.6rem 0.8rem;}
[data-testid="stColumn"] .st-key-controls [data-testid="stHorizontalBlock"] {gap: 0.6rem;}
/* controls.grid: its widgets 1, 2 or 3 to a row, aligned at their bottom as st.columns(vertical_alignment="bottom")
   aligns them; one to a row on a phone, where st.columns stack */
[class*="st-key-grid"] {display: grid !important; column-gap: 0.6rem; row-gap: 0.35rem; align-items: end;}
[class*="st-key-grid1_"] {grid-template-columns: minmax(0, 1fr);}
[class*="st-key-grid2_"] {grid-template-columns: repeat(2, minmax(0, 1fr));}
[class*="st-key-grid3_"] {grid-template-columns: repeat(3, minmax(0, 1fr));}
@media (max-width: 640px) {[class*="st-key-grid"] {grid-template-columns: minmax(0, 1fr); row-gap: 0.6rem;}}
/* a controls block that a sub-container opened but no control filled (hide= took them all) is not drawn */
.st-key-controls:not(:has([data-testid="stElementContainer"])) {display: none;}
/* a display formula wider than the column (a phone, n = 10) scrolls sideways instead of being cut off at the edge;
   client.js first draws it smaller, and marks one still wider (sdx-cut): a shadow on each edge that hides more (the
   covers, in the page's colour, scroll with the formula and uncover the shadows that stay with the box) */
.katex-display {overflow-x: auto; overflow-y: hidden; padding-bottom: 0.25rem;}
.katex-display.sdx-cut {background:
  linear-gradient(to right, var(--sdx-bg) 40%, transparent) left / 2rem 100% no-repeat local,
  linear-gradient(to left, var(--sdx-bg) 40%, transparent) right / 2rem 100% no-repeat local,
  radial-gradient(farthest-side at 0 50%, rgba(128, 128, 128, 0.6), transparent) left / 0.9rem 100% no-repeat scroll,
  radial-gradient(farthest-side at 100% 50%, rgba(128, 128, 128, 0.6), transparent) right / 0.9rem 100% no-repeat scroll;}
@media (prefers-reduced-motion: reduce) {
  *, *::before, *::after {animation: none !important; transition: none !important; scroll-behavior: auto !important;}
}
@media print {
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
  [data-testid="stToolbar"], [data-testid="stExpander"], [data-testid="stBaseButton-secondary"], footer {display: none !important;}
  .stApp, [data-testid="stAppViewContainer"], [data-testid="stMain"], [data-testid="stMainBlockContainer"]
    {background: #FFFFFF !important; overflow: visible !important; height: auto !important; position: static !important;}
  .stApp h1, .stApp h2, .stApp h3, .stMarkdown p, .stMarkdown li, [data-testid="stCaptionContainer"] {color: #000000 !important;}
  .katex {color: #000000;}  /* no !important: the per-index colours (inline styles) still win */
}
"""
# Presentation mode: no sidebar or chrome, large type, the whole 16:9 screen for the page.
_PRESENT_CSS = """
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
header[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stDecoration"], footer {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {padding: 1.25rem 2.5rem 1rem 2.5rem !important; max-width: 100% !important;}
html {font-size: 18px;}
@media (min-width: 1600px) {html {font-size: 22px;}}
[data-testid="stExpander"] summary p, [data-testid="stPopover"] button p, .stButton button p {font-size: 1rem !important;}
.stMarkdown p, .stMarkdown li, [data-testid="stCaptionContainer"], label, [data-testid="stWidgetLabel"] p {font-size: 1.15rem !important;}
h1 {font-size: 1.6rem !important; padding-top: 0 !important; padding-bottom: 0.2rem !important;}
h3 {font-size: 1.35rem !important; padding-top: 0.2rem !important; padding-bottom: 0.2rem !important;}
/* out of the page's flow: the step's figure starts high enough to fit a 16:9 screen */
.st-key-exit_present {position: fixed; top: 0.4rem; right: 1rem; z-index: 1000; width: auto !important;}
.katex {font-size: 1.35em !important;}
/* a step's control column keeps the body's size: its labels beside the figure need no projector size */
[data-testid="stColumn"] .st-key-controls label, [data-testid="stColumn"] .st-key-controls [data-testid="stWidgetLabel"] p,
[data-testid="stColumn"] .st-key-controls [data-testid="stCaptionContainer"] p {font-size: 1rem !important;}
/* and compact buttons (presets), so that two share a row */
[data-testid="stColumn"] .st-key-controls .stButton button {min-height: 2rem; padding: 0.1rem 0.4rem;}
[data-testid="stColumn"] .st-key-controls .stButton button p {font-size: 0.85rem !important;}
"""
# Phones: the controls block stays in view (sticky, scrollable) while the student scrolls to the figure it moves
# (sticky on the block's wrapper: an element sticks only inside its parent, and the wrapper is exactly its size),
# and slider thumbs are touch targets of at least 24×24 px (WCAG 2.2, 2.5.8): the 12 px thumb keeps its look and gets
# an invisible 6 px margin that takes the touch.
_PHONE_CSS = """
@media (max-width: 640px) {
  [data-testid="stLayoutWrapper"]:has(> .st-key-controls) {position: sticky; top: 0; z-index: 100; background: %(bg)s;}
  /* a step's columns stack on a phone: its control column sticks over the figure column that follows it */
  [data-testid="stColumn"]:has(.st-key-controls) {position: sticky; top: 0; z-index: 100; background: %(bg)s;}
  .st-key-controls {max-height: 33vh; overflow-y: auto;}
  .katex-display > .katex {font-size: 1.1em;}  /* KaTeX's 1.21em: a derivation line of three powers of ten scrolled */
}
[data-testid="stSlider"] div[data-rac]:has(> div > input[type="range"])::before {content: ""; position: absolute; inset: -6px;}
"""


# The page's script, static text read once per process: the live figures (the mirror of core/, the chart kinds, and
# the script that follows the sliders during a drag) and client.js (keyboard animations, export, the link box)
_CLIENT_JS = "\n".join((Path(__file__).with_name(f)).read_text(encoding="utf-8")
                       for f in ("live_math.js", "live_charts.js", "live_paint.js", "live_page.js", "client.js"))


@functools.lru_cache(maxsize=2)
def _client_html(present: bool) -> str:
    """The page's script (keyboard animations, caught Pause rejections, the theme and the slide export) with its
    settings: both themes' templates and the colour maps between them, so the browser can redraw a chart in either
    theme at once (a theme switch in the ⋮ menu or the system's setting reaches no server) and export a light still
    from a dark screen. The same text whatever the screen's theme: a theme switch never leaves a script without its
    maps. Built once per presentation setting (immutable text)."""
    to_light = light_of_dark()
    cfg = {"light_of_dark": to_light, "dark_of_light": {v: k for k, v in to_light.items()},
           "templates": {"light": template(False, present).to_plotly_json(),
                         "dark": template(True, present).to_plotly_json()},
           "diverging": [DIVERGING_DARK, DIVERGING]}
    # DOMPurify (st.html) empties a script whose text holds "<" before a letter, "/" or "!": none in the JS, and
    # the settings' JSON spells it as the escape u003c
    config = json.dumps(cfg, cls=PlotlyJSONEncoder).replace("<", "\\u003c")
    return f"<script>{_CLIENT_JS.replace('__CONFIG__', config)}</script>"


def _screen(present: bool) -> str:
    """The figures' class: the headers, and client.js's cookie for a window narrower than a phone (390-px desktop)."""
    h, narrow = st.context.headers, (st.context.cookies or {}).get("sde_narrow") == "1"
    return width_class(h.get("User-Agent"), h.get("Sec-CH-UA-Mobile"), present, narrow)


def _css(present: bool, dark: bool) -> None:
    phone = _PHONE_CSS % {"bg": "#0E1117" if dark else "#FFFFFF"}
    css = _PRESENT_CSS + CARDS_PRESENT_CSS if present else ""  # --sde-screen: the class drawn (a constant), for client.js
    st.html(f"<style>{_BASE_CSS}{CARDS_CSS}{LINKBOX_CSS}{phone}{FOCUS_CSS}{css}:root {{--sde-screen: {_screen(bool(present))};}}</style>")
    st.html(_client_html(bool(present)), unsafe_allow_javascript=True)  # one flag: no text reaches it


def info_for(page) -> PageInfo | None:
    """The registry entry of the ``st.Page`` that ``st.navigation`` chose."""
    return next((p for p in PAGES if p.slug == page.url_path or (page.url_path == "" and p is PAGES[0])), None)


def nav_pages() -> list:
    """This user's ``st.Page`` objects, made once per session (st.Page resolves its file on the disk) and kept per
    user, never shared (st.navigation marks them as it runs them)."""
    ss = st.session_state
    if "_nav" not in ss:
        ss["_nav"] = {p.path: st.Page(p.path, title=p.title, icon=p.icon, url_path=p.slug, default=k == 0)
                      for k, p in enumerate(PAGES)}
    return list(ss["_nav"].values())


def run(page) -> None:
    """app.py's last line: the frame around the page ``st.navigation`` chose (see the module docstring)."""
    info = info_for(page)
    start(info.slug if info else page.url_path)
    params = st.session_state["_params"]
    # CSS and the page script: outside the fragment, so a slider move does not send them again (a full run does)
    _css(bool(params["present"]), getattr(st.context.theme, "type", None) == "dark")
    st.session_state["_framed"] = True
    if params["present"]:  # outside the page's fragment: leaving reruns the whole app, and the sidebar comes back
        st.button("Exit presentation", key="exit_present", icon=":material/fullscreen_exit:", on_click=_exit_present,
                  help="Back to the normal view with the sidebar.")
    else:
        _sidebar(params)
    _page_fragment(page)


def _exit_present() -> None:
    set_param("present", False)


@st.fragment
def _page_fragment(page) -> None:
    compat.exec_page(page)


def _sync_param(name: str) -> None:
    """on_change of a frame widget: copy its value into the params before the rerun draws anything."""
    st.session_state["_params"][name] = st.session_state[widget_key(name)]


def _seed(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _sidebar(params: dict) -> None:
    """The frame's settings (their change reruns the whole app): presentation mode and the slide export format."""
    with st.sidebar:
        _frame_control(params, "present", help="Hide the sidebar and enlarge everything for a projector (present=1 in "
                                               "the link).")
        _frame_control(params, "fmt", horizontal=True)
        _frame_control(params, "bg", horizontal=True, help=" ".join([*EXPORT_BACKGROUNDS.values(), EXPORT_STILL]))


def _frame_control(params: dict, name: str, **kwargs) -> None:
    """A frame setting's widget, drawn from its row in ``core.state.TABLE`` (no page context: never locked)."""
    key = widget_key(name)
    _seed(key, params[name])
    kw = row_args(name, params) | kwargs
    getattr(st, state.TABLE[name].widget)(kw.pop("label"), key=key, on_change=_sync_param, args=(name,), **kw)


# ---- begin ------------------------------------------------------------------------------------------


def begin(file: str, title: str, intro: str = "", keys: tuple[str, ...] | None = None) -> Ctx:
    """Start a page (``ui.begin(__file__, title=…)``): the params, the title, the one warning for a bad link, and
    the controls block. The page's URL keys come from the registry; ``keys`` is only for a page outside it (tests)."""
    compat.leave_pages_folder_mode(file)
    try:
        info = page_info(file)
    except LookupError:
        if keys is None:
            raise
        info = None
    if info is not None and keys is not None and tuple(keys) != info.keys:
        raise TypeError(f"{file}: a registered page's URL keys live in pages/_ui/registry.py ({info.keys}), not in begin()")
    slug = info.slug if info else Path(file).stem
    start(slug)  # a no-op unless a link arrived from outside (then this page was not reached through run())
    ss = st.session_state
    ss["_latex_seq"] = 0
    params = ss["_params"]
    page_keys = info.keys if info else tuple(keys)
    locked, hidden = effective_locks(params)
    dark = getattr(st.context.theme, "type", None) == "dark"
    screen = _screen(bool(params["present"]))
    stepped = ("step",) if info is not None and info.steps else ()
    ctx = Ctx(slug, params, tuple(dict.fromkeys(SHARED + stepped + page_keys + CLASSROOM)), dark, bool(params["present"]),
              locked, hidden, info, screen)
    ctx.step = steps.open_step(ctx)
    ss.pop(MOVED, None)  # this run draws the step Back / Next opened: no second run for it
    if not ss.get("_framed"):  # a page run on its own (tests), not through run(): it brings its own CSS and script
        _css(ctx.present, dark)
    st.title(title)
    steps.picker(ctx)  # a lesson's steps, under its title
    # The lesson's introduction opens its first step (and the whole-lesson view). Presented, the first step's figure
    # needs the room on a 16:9 screen, and the lecturer speaks the introduction: it follows the step instead.
    if intro and ctx.step <= 1:
        if ctx.present and ctx.stepped:
            ctx.outro = intro
        else:
            st.markdown(intro)
    if info is not None and info.notice and not ctx.stepped:  # an open step carries its own
        st.caption(f":material/visibility: **What to notice:** {info.notice}")
    shown_locked = ctx.locked - ctx.hidden  # a hidden control is locked too, but nothing of it is shown to say so
    if shown_locked:
        st.caption(f":material/lock: Some controls are locked by your lecturer ({', '.join(sorted(shown_locked))}).")
    problems = ss.pop("_problems", None)
    if problems:
        # problem strings are sanitised by core.state: no markdown or HTML can get through
        more = f"\n- …and {len(problems) - 8} more" if len(problems) > 8 else ""
        st.warning("Some settings in this link were ignored or adjusted:\n\n" + "\n".join(f"- {p}" for p in problems[:8])
                   + more, icon=":material/info:")
    # A step puts its controls beside its figure (ui.step). Otherwise they sit above the figures they move (sticky on
    # a phone); in presentation mode they fold away in an expander that pushes the page down instead of covering the
    # figure.
    if not ctx.stepped:
        ctx.controls = (Panel(st.container(), "expander", "Controls", icon=":material/tune:") if ctx.present
                        else Panel(st.container(), "container", border=True, key="controls"))
    return ctx


# ---- end --------------------------------------------------------------------------------------------


def end(ctx: Ctx) -> None:
    """The last line of every page: this page's params into the URL, the tour footer, the link to this view and
    the lecturer tools, inside the page's fragment, so that none of it goes stale after a move. An open step draws
    the parts that show the example inside its own fragment (steps._open_step); the others are drawn here, and a
    move of the step's controls leaves them (nothing in them depends on it; client.js keeps the link box on the
    address bar)."""
    rest = tuple(p for p in (TOUR, REST) if p not in ctx.footer_drawn)
    if rest:
        footer(ctx, rest)
