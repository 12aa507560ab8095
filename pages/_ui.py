"""The shared frame every page uses: URL state <-> widgets, charts, LaTeX, "show the code".

Not a page itself (the router lists pages explicitly). The flow of one run:

1. :func:`begin` (first line of every page) calls :func:`start`: it decodes the URL through ``core.state`` when
   the URL changed (a shared link, a reload, a page switch), merges it into this
   user's canonical params in ``st.session_state`` and shows one polite warning
   listing whatever was ignored.
2. The page calls :func:`begin` with the keys it uses, then the control helpers
   (:func:`logit_controls`, :func:`control`), which seed widgets from the params
   and write the widget values back.
3. The page's last line calls :func:`end`, which encodes the page's keys into the URL, so
   the address bar is always a link to exactly this view.

Everything per user lives in ``st.session_state``; nothing mutable is global.
"""

from __future__ import annotations

import functools
import inspect
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import plotly.graph_objects as go
import streamlit as st
from plotly.utils import PlotlyJSONEncoder
from streamlit.runtime.pages_manager import PagesManager

import pages._warm  # noqa: F401  heavy imports once per process, even if a page runs before app.py
from core import state
from figures.palette import plotly_config, template

SHARED = ("n", "z", "T")  # kept across pages so one example walks a class through all of them
CLASSROOM = ("present", "lock", "fmt")  # frame settings: in the URL only when not at their default
ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class PageInfo:
    path: str
    slug: str
    title: str
    icon: str
    notice: str  # the guided tour's "what to notice", one sentence


# The pages in teaching order (the guided tour follows this list).
PAGES: tuple[PageInfo, ...] = (
    PageInfo("pages/home.py", "home", "Home", ":material/home:", "Softmax turns any logits into positive numbers that sum to 1."),
    PageInfo("pages/softmax.py", "softmax", "Softmax", ":material/functions:", "Add the same constant to every z: S does not move."),
    PageInfo("pages/dependencies.py", "dependencies", "Dependencies", ":material/hub:", "Nudge one zⱼ: every Sᵢ moves, through the shared sum."),
    PageInfo("pages/derivation.py", "derivation", "Derivation", ":material/edit_note:", "Four rules give Sᵢ(1 − Sᵢ) on the diagonal and −Sᵢ Sⱼ off it."),
    PageInfo("pages/jacobian.py", "jacobian", "Jacobian", ":material/grid_on:", "J is symmetric, its rows sum to 0, and it shrinks to 0 as softmax turns one-hot."),
    PageInfo("pages/chain_rule.py", "chain_rule", "Chain rule", ":material/account_tree:", "Multiply along each path, add across paths: for cross-entropy the sum is (S − y)/T."),
    PageInfo("pages/logsumexp.py", "logsumexp", "Log-sum-exp", ":material/function:", "Cross-entropy is log-sum-exp minus the target logit, and ∇LSE is softmax: no Jacobian needed."),
    PageInfo("pages/training.py", "training", "Training", ":material/model_training:", "The S − y gradient trains a network: at a small enough learning rate the loss falls and the regions settle."),
    PageInfo("pages/at_scale.py", "at_scale", "At scale", ":material/stacks:", "Over a batch J is block-diagonal, and one token's J over 50,000 classes would take 10 GB in float32: frameworks compute the VJP instead."),
    PageInfo("pages/attention.py", "attention", "Attention", ":material/center_focus_strong:", "Scores of random d-dimensional vectors spread like √d; dividing them by √d is softmax at temperature T = √d."),
)


@dataclass
class Ctx:
    """What a page gets from :func:`begin`."""

    page: str
    params: dict
    keys: tuple[str, ...]
    dark: bool
    present: bool
    locked: frozenset = field(default_factory=frozenset)
    info: PageInfo | None = None  # this page's entry in PAGES (None for a page outside the tour)
    # presentation mode only: the popovers of the top bar (this run's containers, never stored across runs)
    controls: object = field(default=None, repr=False, compare=False)
    share: object = field(default=None, repr=False, compare=False)


def page_info(page: str) -> PageInfo | None:
    """The PAGES entry for a page name given to :func:`begin` (its slug or its file's stem)."""
    key = page.replace("_", "-")
    return next((p for p in PAGES if key in (p.slug.replace("_", "-"), Path(p.path).stem.replace("_", "-"))), None)


def available() -> list[PageInfo]:
    """The pages whose files exist, in teaching order (pages land one issue at a time)."""
    return list(_available())


@functools.cache
def _available() -> tuple[PageInfo, ...]:  # once per process: no disk lookups on every rerun (immutable result)
    return tuple(p for p in PAGES if (ROOT / p.path).exists())




# ---- 1. start: URL -> canonical params --------------------------------------------------------


def _normalize(params: dict) -> dict:
    n = int(params["n"])
    params["z"] = state.fit_z(params["z"], n)
    for k in ("i", "j", "y"):
        params[k] = min(int(params[k]), n)
    return params


def _leave_pages_folder_mode() -> None:
    """Fix Streamlit's cold-start guess. Our folder must be called ``pages/``, and until the first
    session's app.py reaches ``st.navigation``, Streamlit assumes the legacy "pages folder" app and runs
    ``pages/*.py`` directly, without the router (wrong sidebar, no warm imports). A page that finds
    itself run that way switches the class-wide flag off (what ``st.navigation`` itself does) and reruns,
    now through app.py, onto the same page: v1 and our router derive the same page hash from the same
    url path (slugs equal file names)."""
    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()


def start(page: str | None = None) -> None:
    """Run by :func:`begin` before anything is drawn: merge a changed URL into this user's params.

    (Called from the page, not from app.py: AppTest reruns a page's script
    without re-running the router, and the frame must behave the same in both.)"""
    _leave_pages_folder_mode()
    ss = st.session_state
    query = st.query_params.to_dict()
    if "_params" not in ss:
        ss["_params"] = state.defaults()
    if query != ss.get("_last_query"):
        decoded, problems = state.decode(query)
        params = ss["_params"]
        given = set(query) & set(state.TABLE)
        if given & {"n", "z"}:
            given |= {"n", "z"}
        # (A page switch clears the query: then nothing is "given" and this user's params, locks included, stay.)
        for k in given:
            params[k] = decoded[k]
        ss["_params"] = _normalize(params)
        ss["_problems"] = problems
        ss["_last_query"] = query
        reseed = True
    else:
        # Another page's widgets are new widgets: a leftover "w_z0" would keep them at their defaults, not our params.
        reseed = page is not None and ss.get("_page") != page
    if reseed:
        # force every widget to re-read the params (a pasted link must win over stale widgets)
        for k in [k for k in ss if isinstance(k, str) and k.startswith("w_")]:
            del ss[k]
    _frame_css(bool(ss["_params"].get("present")))


# Static CSS only (never user text). Always: respect prefers-reduced-motion, and print on white without the chrome.
_BASE_CSS = """
[data-testid="stMainBlockContainer"] {padding-top: 3.5rem;}
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
h1 {font-size: 2.2rem !important; padding-top: 0 !important;}
.katex {font-size: 1.35em !important;}
"""


def _frame_css(present: bool) -> None:
    st.html(f"<style>{_BASE_CSS}{_PRESENT_CSS if present else ''}</style>")


# ---- 2. begin + controls ------------------------------------------------------------------------


def begin(page: str, keys: tuple[str, ...], title: str, intro: str = "") -> Ctx:
    """Start a page: read the URL, title, the one warning for a bad link, and the Ctx with this user's params."""
    start(page)
    ss = st.session_state
    params = ss["_params"]
    ss["_keys"] = tuple(dict.fromkeys(SHARED + tuple(keys) + CLASSROOM))
    ss["_page"] = page
    dark = getattr(st.context.theme, "type", None) == "dark"
    info = page_info(page)
    ctx = Ctx(page, params, ss["_keys"], dark, bool(params["present"]), frozenset(params["lock"]), info)
    if ctx.present:
        # The sidebar is hidden: one compact bar on top holds the way out, the page's controls and the link.
        with st.container(horizontal=True, gap="small"):
            st.button("Exit presentation", key="exit_present", icon=":material/fullscreen_exit:",
                      on_click=_set_param, args=("present", False), help="Back to the normal view with the sidebar.")
            ctx.controls = st.popover("Controls", icon=":material/tune:")
            ctx.share = st.popover("Link to this view", icon=":material/link:")
    st.title(title)
    if intro:
        st.markdown(intro)
    if info is not None and info.notice:
        st.caption(f":material/visibility: **What to notice:** {info.notice}")
    if ctx.locked:
        names = ", ".join(sorted(ctx.locked))
        st.caption(f":material/lock: Some controls are locked by your lecturer ({names}).")
    problems = ss.pop("_problems", None)
    if problems:
        # problem strings are sanitised by core.state: no markdown or HTML can get through
        st.warning("Some settings in this link were ignored or adjusted:\n\n" + "\n".join(f"- {p}" for p in problems[:8]) + (f"\n- …and {len(problems) - 8} more" if len(problems) > 8 else ""), icon=":material/info:")
    return ctx


def _set_param(name: str, value) -> None:
    st.session_state["_params"][name] = value


def _sync_param(name: str) -> None:
    """on_change of a frame widget: copy its value into the params *before* the rerun draws anything."""
    st.session_state["_params"][name] = st.session_state[f"w_{name}"]


def panel(ctx: Ctx):
    """Where controls go: the sidebar, or (presentation mode hides it) an expander on the page."""
    if ctx.present:
        return ctx.controls if ctx.controls is not None else st.expander("Controls", icon=":material/tune:")
    return st.sidebar


def _seed(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _locked(ctx: Ctx, name: str) -> bool:
    return name in ctx.locked


LOCKED_HELP = "Locked by your lecturer's link."


def control(ctx: Ctx, name: str, widget, where=None, **kwargs):
    """A widget bound to param ``name``: seeded from the params, value written back.

    ``widget`` is a Streamlit widget function (``st.slider``...), called on
    ``where`` (a container) if given. Locked params (``lock=`` in the URL) are disabled.
    """
    key = f"w_{name}"
    value = ctx.params[name]
    if isinstance(value, tuple):  # multiselect & co. hold lists
        value = list(value)
    _seed(key, value)
    p = state.TABLE[name]
    label = kwargs.pop("label", p.label[:1].upper() + p.label[1:])
    if _locked(ctx, name):
        kwargs["disabled"] = True
        kwargs["help"] = LOCKED_HELP
    fn = getattr(where, widget.__name__) if where is not None else widget
    if widget is st.slider:
        # The value the widget holds anyway (session state wins over a default). Why pass it: a slider given no
        # value copies the whole session state to guess single-or-range, on every rerun (~0.1 ms per slider).
        kwargs.setdefault("value", st.session_state[key])
    value = fn(label, key=key, **kwargs)
    ctx.params[name] = tuple(value) if isinstance(value, list) else value
    return value


def clamp_index(ctx: Ctx, name: str, n: int) -> None:
    """Keep a 1-based index param (i, j, y) and its widget valid after n shrank below it. The widget's stored
    state is checked by type too: a stale or foreign value (e.g. a formatted option string) never reaches a
    comparison with n."""
    ctx.params[name] = min(max(int(ctx.params[name]), 1), n)
    key, ss = f"w_{name}", st.session_state
    value = ss.get(key)
    if key in ss and (not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= n):
        ss[key] = ctx.params[name]


def _apply_text() -> None:
    """Callback of the vector field: valid text sets n and every z slider; bad text is kept with an error."""
    ss = st.session_state
    values, err = state.parse_vector(ss.get("w_ztext", ""))
    ss["_text_error"] = err
    if values is not None:
        ss["_params"]["n"], ss["_params"]["z"] = len(values), tuple(values)
        ss["w_n"] = len(values)
        for k, v in enumerate(values):
            ss[f"w_z{k}"] = v


def _clear_text_error() -> None:
    st.session_state["_text_error"] = None


def logit_controls(ctx: Ctx, where=None, temperature: bool = True) -> tuple[tuple[float, ...], float]:
    """n, the vector text field, one slider per z_j, and T. Returns ``(z, T)``.

    Sliders span at least [-10, 10] and widen to cover typed values up to |z| = 1e6.
    """
    where = where or panel(ctx)
    ss = st.session_state
    n = control(ctx, "n", st.slider, where, label="Number of outputs n", min_value=state.N_MIN,
                max_value=state.N_MAX, step=1, on_change=_clear_text_error)
    z = state.fit_z([ss.get(f"w_z{k}", v) for k, v in enumerate(ctx.params["z"])], n)
    if not ss.get("_text_error"):
        ss["w_ztext"] = state.format_vector(z)
    locked_z = _locked(ctx, "z")
    where.text_input("Logits as a vector (n = 2…10)", key="w_ztext", on_change=_apply_text,
                     disabled=locked_z, help=LOCKED_HELP if locked_z else "Type e.g. 2, 1, 0.1 and press Enter.")
    if ss.get("_text_error"):
        where.error(f"Not applied: {ss['_text_error']}.", icon=":material/error:")
    lo, hi = min(-10.0, float(min(z))), max(10.0, float(max(z)))
    values = []
    for k in range(n):
        _seed(f"w_z{k}", z[k])
        values.append(where.slider(f"z{_sub(k)}", min_value=lo, max_value=hi, step=0.1, key=f"w_z{k}", value=ss[f"w_z{k}"],
                                   on_change=_clear_text_error, disabled=locked_z,
                                   help=LOCKED_HELP if locked_z else None))
    ctx.params["z"] = tuple(float(v) for v in values)
    T = ctx.params["T"]
    if temperature:
        T = control(ctx, "T", st.slider, where, label="Temperature T", min_value=0.1, max_value=10.0, step=0.1)
    return ctx.params["z"], float(T)


def _sub(k: int) -> str:
    return str(k + 1).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


# ---- output helpers --------------------------------------------------------------------------------


def export_filename(ctx: Ctx, name: str) -> str:
    """``softmax-explorer_jacobian_heatmap_n3_z2_1_0.1_T1_i1``: page, figure and the parameters that shaped it."""
    p = ctx.params
    parts = ["softmax-explorer", ctx.page, name, f"n{p['n']}", "z" + "_".join(f"{float(v):g}" for v in p["z"]), f"T{float(p['T']):g}"]
    own = [k for k in ctx.keys if k not in SHARED and k not in CLASSROOM and k in p]
    parts += [f"{k}{state.encode(p, keys=[k])[k]}" for k in own]
    return "_".join(parts)


PRESENT_SCALE = 1.4  # presentation mode: fonts a builder fixed explicitly grow by this much (the template does the rest)


def _grow(font, k: float) -> None:
    if isinstance(font, dict) and isinstance(font.get("size"), int | float):
        font["size"] = round(font["size"] * k)


def _scale_fonts(spec: dict, k: float) -> dict:
    """A copy of plotly spec ``spec`` whose explicitly sized fonts (ticks, cell text, annotations, legend, title) are
    ``k`` times larger. Only the touched branches are copied: the input (maybe a cached spec) is never mutated."""
    def scaled(obj: dict, keys) -> dict:
        out = dict(obj)
        for attr in keys:
            if isinstance(out.get(attr), dict):
                out[attr] = dict(out[attr])
                _grow(out[attr], k)
        return out

    lay = dict(spec.get("layout", {}))
    for a in [a for a in lay if a.startswith(("xaxis", "yaxis"))]:
        ax = scaled(lay[a], ("tickfont",))
        if isinstance(ax.get("title"), dict):
            ax["title"] = scaled(ax["title"], ("font",))
        lay[a] = ax
    lay["annotations"] = [scaled(an, ("font",)) for an in lay.get("annotations", [])]
    for part in ("legend", "title"):
        if isinstance(lay.get(part), dict):
            lay[part] = scaled(lay[part], ("font",))
    traces = ("textfont", "insidetextfont", "outsidetextfont")
    out = {**spec, "data": [scaled(t, traces) for t in spec.get("data", [])], "layout": lay}
    if spec.get("frames"):  # a frame's traces replace the shown ones while it plays: scale them the same
        out["frames"] = [{**f, "data": [scaled(t, traces) for t in f.get("data", [])]} for f in spec["frames"]]
    return out


@functools.lru_cache(maxsize=8)
def _template_json(dark: bool, present: bool) -> str:
    """The app's template, built once per (theme, presentation mode) and kept as JSON text: immutable, so sharing
    it between sessions is safe (each chart parses its own small copy, about 40 µs)."""
    return json.dumps(template(dark, present).to_plotly_json(), cls=PlotlyJSONEncoder)


class _Spec(go.Figure):
    """A finished plotly spec (a dict) handed to ``st.plotly_chart`` as a Figure.

    Why: given a dict, ``st.plotly_chart`` validates it by building a full ``go.Figure`` (plotly's validators: most
    of a chart's CPU, see docs/PERFORMANCE.md), but it takes a Figure's ``to_dict()`` as already valid. Our specs
    are valid by construction (every builder's test validates its output strictly), so this skips the second
    build. Nothing of BaseFigure is initialised: only ``to_dict`` is ever called (tests/test_ui_frame.py checks
    that the chart Streamlit sends equals the spec)."""

    def __init__(self, spec: dict):  # deliberately not calling BaseFigure.__init__
        object.__setattr__(self, "_spec", spec)

    def to_dict(self) -> dict:
        return self._spec


def chart(ctx: Ctx, fig, name: str, alt: str, data=None, key: str | None = None) -> None:
    """A plotly chart with the app's template, a slide-ready download, alt text and a data table.

    ``fig`` is a plotly spec (``{"data": [...], "layout": {...}, "frames": [...]}``, what the builders in
    ``figures/`` return) or a ``go.Figure``. ``data`` (dict of columns or a DataFrame) is the chart's text
    equivalent, shown in an expander. The modebar's camera downloads PNG at 3x or SVG (the sidebar's "Slide
    export" choice, ``fmt=`` in the URL).
    """
    spec = fig if isinstance(fig, dict) else fig.to_dict()
    spec = {**spec, "layout": {**spec.get("layout", {}), "template": json.loads(_template_json(ctx.dark, ctx.present))}}
    if ctx.present:
        spec = _scale_fonts(spec, PRESENT_SCALE)
    config = plotly_config(export_filename(ctx, name), ctx.params.get("fmt", "png"))
    st.plotly_chart(_Spec(spec), theme=None, config=config, alt=alt, key=key, width="stretch")
    if data is not None:
        box = lazy_expander(f"Data: {name.replace('-', ' ')}", f"x_data_{name}", icon=":material/table:")
        if box.open:
            with box:
                table(data() if callable(data) else data)


def table(columns, static: bool = False) -> None:
    """A dict of equal-length columns as ``st.dataframe`` (or, ``static``, as ``st.table``: every column visible,
    headers wrapped), sent as an Arrow table: Streamlit would otherwise build a pandas DataFrame and convert it on
    every rerun (0.7 ms against 0.05 ms per table). Anything else (a DataFrame, an Arrow table) is passed through."""
    import pyarrow as pa  # Streamlit's own dependency (it speaks Arrow to the browser)

    if isinstance(columns, dict):
        try:
            columns = pa.table({k: v.tolist() if hasattr(v, "tolist") else list(v) for k, v in columns.items()})
        except (pa.ArrowException, TypeError, ValueError):  # mixed types in a column: let Streamlit (pandas) cope
            pass
    (st.table if static else st.dataframe)(columns, hide_index=True)


def lazy_expander(label: str, key: str, icon: str | None = None):
    """A collapsed expander whose content the page builds only while it is open (``if box.open: with box: ...``).

    Why: every element a script sends costs server CPU on every rerun, for every student (docs/PERFORMANCE.md),
    and a closed expander's table or code is sent all the same. Most students never open the data tables or
    the code, so a closed one costs one element; opening it reruns the page once, with the content."""
    return st.expander(label, expanded=False, key=key, on_change="rerun", icon=icon)


def latex(source: str, colored: str | None = None, copy: bool = True, copy_key: str | None = None) -> None:
    """Show LaTeX (optionally a colourised version) with its plain source for copying onto slides.

    The "Copy LaTeX" box is a :func:`lazy_expander` (the source is sent only once it is opened); its key is
    ``copy_key``, by default the calling file and line, so it stays open while the formula's numbers change (a call
    inside a loop must pass its own ``copy_key``: one line, one key)."""
    st.latex(colored or source)
    if copy and not st.session_state.get("_params", {}).get("present"):  # slides: the formula, not the clutter
        if copy_key is None:
            caller = sys._getframe(1)
            copy_key = f"{Path(caller.f_code.co_filename).stem}_{caller.f_lineno}"
        box = lazy_expander("Copy LaTeX", f"x_copy_{copy_key}")
        if box.open:
            with box:
                st.code(source, language="latex")


@functools.lru_cache(maxsize=64)
def _source(obj) -> str:
    """A function's source text (immutable; reading and tokenising the file is the slow part)."""
    return inspect.getsource(obj)


def show_code(*objects) -> None:
    """'Show the code': the exact core functions that computed what is on screen (built only while open)."""
    box = lazy_expander("Show the code", "x_show_code")
    if box.open:
        with box:
            for obj in objects:
                st.code(_source(obj), language="python")


# ---- 3. end: params -> URL ---------------------------------------------------------------------


def url_params(params: dict, keys) -> dict[str, str]:
    """The query of a link to this view: the page's keys, classroom settings only when not at their default."""
    keep = [k for k in keys if not (k in CLASSROOM and params[k] == state.TABLE[k].default)]
    return state.encode(params, keys=keep)


def link(query: dict[str, str]) -> str:
    """A full link (``st.context.url`` is this page's address without its query) to ``query``."""
    base = st.context.url or ""
    if base.count("/") == 2:  # the home page's address has no path: http://host:port -> http://host:port/
        base += "/"
    return f"{base}?{urlencode(query, safe=',')}" if query else base


def page_link(path: str, **kwargs) -> None:
    """``st.page_link`` to the page file ``path``, through this session's ``st.Page`` (app.py keeps them in
    ``st.session_state["_nav"]``): given a path, Streamlit resolves it on the disk on every call."""
    target = st.session_state.get("_nav", {}).get(path, path)  # a path still works (AppTest of a lone page)
    st.page_link(target, **kwargs)


def _tour(ctx: Ctx | None, params: dict) -> None:
    """The guided tour's footer: previous / next page in teaching order, carrying the shared example."""
    if ctx is None or ctx.info is None:
        return
    pages = available()
    if ctx.info not in pages:
        return
    k = pages.index(ctx.info)
    carry = state.encode(params, keys=[*SHARED, *(c for c in CLASSROOM if params[c] != state.TABLE[c].default)])
    st.divider()
    # One row (one block, not columns of blocks: every element costs CPU on every rerun); "what to notice" on the
    # next page is its link's tooltip, and that page opens with it.
    with st.container(horizontal=True, horizontal_alignment="distribute" if k > 0 else "right"):
        if k > 0:
            prev = pages[k - 1]
            page_link(prev.path, label=f"Back: {prev.title}", icon=":material/arrow_back:", query_params=carry,
                      help=prev.notice)
        if k + 1 < len(pages):
            nxt = pages[k + 1]
            page_link(nxt.path, label=f"Next: {nxt.title}", icon=":material/arrow_forward:", icon_position="right",
                      query_params=carry, help=f"What to notice there: {nxt.notice}")


def _lecturer_tools(ctx: Ctx, params: dict, keys) -> None:
    box = lazy_expander("Lecturer tools", "x_lecturer", icon=":material/school:")  # only the lecturer opens it
    if not box.open:
        return
    with box:
        lockable = [k for k in keys if k not in CLASSROOM and k in state.TABLE]
        chosen = st.multiselect("Lock these controls", lockable, default=[k for k in ctx.locked if k in lockable],
                                format_func=lambda k: f"{k}: {state.TABLE[k].label}", key="lt_lock")
        present = st.checkbox("Open in presentation mode", key="lt_present")
        q = dict(params)
        q["lock"], q["present"] = tuple(chosen), present
        st.caption("Share this link with your class:")
        st.code(link(url_params(q, keys)), language=None, wrap_lines=True)


def _frame_sidebar(ctx: Ctx | None, params: dict, keys, query: dict) -> None:
    """The frame's own controls, after the page's: presentation mode, export format, the link, lecturer tools."""
    where = st.sidebar
    if params["present"]:
        where = ctx.share if ctx is not None and ctx.share is not None else st.expander("Link to this view")
    with where:
        if not params["present"]:
            st.divider()
            _seed("w_present", bool(params["present"]))
            st.toggle("Presentation mode", key="w_present", on_change=_sync_param, args=("present",),
                      help="Hide the sidebar and enlarge everything for a projector (present=1 in the link).")
            _seed("w_fmt", params["fmt"])
            st.radio("Slide export (camera icon on each chart)", ("png", "svg"), key="w_fmt", horizontal=True,
                     on_change=_sync_param, args=("fmt",), format_func=lambda f: {"png": "PNG, 3×", "svg": "SVG"}[f])
        st.caption(":material/link: Copy link to this view")
        st.code(link(query), language=None, wrap_lines=True)
        if ctx is not None and not params["present"]:
            _lecturer_tools(ctx, params, keys)


def end(ctx: Ctx | None = None) -> None:
    """The last line of every page, ``ui.end(ctx)``: the tour footer, the share/lecturer sidebar, and this page's
    params into the URL (so the address bar is always a link to exactly this view). The Ctx is passed, never kept:
    it holds this run's containers, so it must not outlive the run (no session_state, no globals)."""
    ss = st.session_state
    keys = ss.get("_keys")
    if not keys:
        return
    params = ss["_params"]
    encoded = sync_url(params, keys)
    _tour(ctx, params)
    _frame_sidebar(ctx, params, keys, encoded)


def sync_url(params: dict, keys) -> dict[str, str]:
    """This view's params into the address bar (only when they changed), remembered as the query :func:`start`
    compares against. :func:`end` calls it; so does the end of an ``st.fragment`` whose widgets change params,
    since a fragment rerun skips :func:`end`. Returns the query."""
    encoded = url_params(params, keys)
    if encoded != st.query_params.to_dict():
        st.query_params.from_dict(encoded)
    st.session_state["_last_query"] = encoded
    return encoded
