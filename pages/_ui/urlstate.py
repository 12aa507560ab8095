"""URL state: the link <-> this user's params, and the widget-key convention.

The params (``st.session_state["_params"]``, one dict per user, every key of ``core.state.TABLE``) are the truth of
what is on screen. The URL is written from them at the end of every run (:func:`sync_url`), and read into them
(:func:`start`) only when a link arrives from *outside*: a new session, a page switch, or a query this session has
neither written nor read before.

Why not on every run: a rerun triggered by a widget carries the address bar as the browser last knew it. Under
fast input (an arrow key held on a slider) that is often a URL an *earlier* run wrote, and decoding it rolled the
params, and every widget, back: the lost key presses of issue #13. A query this session wrote or read before is
never news.

Widgets are keyed ``w_<param>`` (``w_z0`` … for the logit sliders); ``controls.set_param`` writes a param (unless
the lecturer's link locks it) and forgets its widget's state, so the widget is redrawn from the param.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

import streamlit as st

from core import state
from figures.screens import LAPTOP

from .registry import PageInfo

SHARED = ("n", "z", "T")  # kept across pages so one example walks a class through all of them
CLASSROOM = ("present", "lock", "hide", "fmt", "bg")  # frame settings: in the URL only when not at their default
SEEN_MAX = 64  # how many queries this session wrote or read are remembered as "not news"


@dataclass
class Ctx:
    """What a page gets from ``ui.begin``."""

    page: str  # the page's slug
    params: dict
    keys: tuple[str, ...]
    dark: bool
    present: bool
    locked: frozenset = field(default_factory=frozenset)
    hidden: frozenset = field(default_factory=frozenset)
    info: PageInfo | None = None
    screen: str = LAPTOP  # the width class figures are drawn for (figures.screens: phone, laptop or slide)
    controls: object = field(default=None, repr=False, compare=False)  # this run's controls container
    step: int = 0  # the open step, 1-based; 0 for a page without steps or the whole-lesson view
    drawn: set = field(default_factory=set, repr=False, compare=False)  # params whose widget this run has drawn
    shown: int = 0  # widgets drawn so far this run (a controls block that got none is taken away)
    used: list = field(default_factory=list, repr=False, compare=False)  # params the open step's controls set (export names)
    outro: str = ""  # text the open step draws after its content (a presented first step's introduction)
    footer_drawn: tuple = ()  # the parts of the footer the open step's fragment drew (``end`` draws the others)

    def use(self, *names: str) -> None:
        """Record that the figures drawn from here on depend on params ``names`` (their controls were drawn or read)."""
        self.used.extend(k for k in names if k not in self.used)

    @property
    def stepped(self) -> bool:
        """True when one step of a lesson is open (its controls beside its figure), not the whole lesson."""
        return self.step > 0


def widget_key(name: str) -> str:
    return f"w_{name}"


def _normalize(params: dict) -> dict:
    n = int(params["n"])
    params["z"] = state.fit_z(params["z"], n)
    for k in state.INDEX:
        params[k] = int(state.clamp(k, int(params[k]), params))
    return params


def _forget_widgets() -> None:
    ss = st.session_state
    for k in [k for k in ss if isinstance(k, str) and k.startswith("w_")]:
        del ss[k]


def start(page: str) -> None:
    """Merge a link that arrived from outside into this user's params (before anything is drawn)."""
    ss = st.session_state
    query = st.query_params.to_dict()
    first = "_params" not in ss
    if first:
        ss["_params"] = state.defaults()
    seen = ss.setdefault("_seen", [])
    switched = ss.get("_page") != page
    news = first or (switched and bool(query)) or bool(query and query not in seen)
    if news:
        _remember(query)
        decoded, problems = state.decode(query)
        params = ss["_params"]
        given = set(query) & set(state.TABLE)
        if given & {"n", "z"}:
            given |= {"n", "z"}
        for k in given:
            params[k] = decoded[k]
        ss["_params"] = _normalize(params)
        ss["_problems"] = problems
    if switched and "step" not in query:
        ss["_params"]["step"] = state.TABLE["step"].default  # another lesson opens at its first step
    if news or switched:
        # a link must win over stale widgets, and another page's widgets are new widgets
        _forget_widgets()
    ss["_page"] = page


def url_params(params: dict, keys) -> dict[str, str]:
    """The query of a link to this view: the page's keys, classroom settings only when not at their default."""
    keep = [k for k in keys if not (k in CLASSROOM and params[k] == state.TABLE[k].default)]
    return state.encode(params, keys=keep)


def sync_url(params: dict, keys) -> dict[str, str]:
    """This view's params into the address bar (only when they changed), remembered as this session's own
    query (never news to :func:`start`). Returns the query."""
    encoded = url_params(params, keys)
    if encoded != st.query_params.to_dict():
        st.query_params.from_dict(encoded)
    _remember(encoded)
    return encoded


def _remember(query: dict[str, str]) -> None:
    seen = st.session_state.setdefault("_seen", [])
    if query in seen:
        seen.remove(query)
    seen.append(query)
    del seen[:-SEEN_MAX]


def link(query: dict[str, str]) -> str:
    """A full link (``st.context.url`` is this page's address without its query) to ``query``."""
    base = st.context.url or ""
    if base.count("/") == 2:  # the home page's address has no path: http://host:port -> http://host:port/
        base += "/"
    return f"{base}?{urlencode(query, safe=',')}" if query else base
