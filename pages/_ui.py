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

import inspect
from dataclasses import dataclass, field

import streamlit as st

from core import state
from figures.palette import plotly_config, template

SHARED = ("n", "z", "T")  # kept across pages so one example walks a class through all of them


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
    PageInfo("pages/dependencies.py", "dependencies", "Dependencies", ":material/hub:", "Nudge one z_j: every S_i moves, through the shared sum."),
    PageInfo("pages/derivation.py", "derivation", "Derivation", ":material/edit_note:", "Four rules give S_i(1 − S_i) on the diagonal and −S_i S_j off it."),
    PageInfo("pages/jacobian.py", "jacobian", "Jacobian", ":material/grid_on:", "J is symmetric, its rows sum to 0, and it vanishes as softmax saturates."),
    PageInfo("pages/chain_rule.py", "chain-rule", "Chain rule", ":material/account_tree:", "Multiply along each path, add across paths: for cross-entropy it is S − y."),
    PageInfo("pages/training.py", "training", "Training", ":material/model_training:", "The S − y gradient trains a network: the loss falls and the regions settle."),
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


# ---- 1. start: URL -> canonical params --------------------------------------------------------


def _normalize(params: dict) -> dict:
    n = int(params["n"])
    params["z"] = state.fit_z(params["z"], n)
    for k in ("i", "j", "y"):
        params[k] = min(int(params[k]), n)
    return params


def start() -> None:
    """Run by :func:`begin` before anything is drawn: merge a changed URL into this user's params.

    (Called from the page, not from app.py: AppTest reruns a page's script
    without re-running the router, and the frame must behave the same in both.)"""
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
        for k in given:
            params[k] = decoded[k]
        ss["_params"] = _normalize(params)
        ss["_problems"] = problems
        # force every widget to re-read the params (a pasted link must win over stale widgets)
        for k in [k for k in ss if isinstance(k, str) and k.startswith("w_")]:
            del ss[k]
        ss["_last_query"] = query
    if ss.get("_params", {}).get("present"):
        _present_css()


def _present_css() -> None:
    # Static CSS only (no user text): hide the sidebar and chrome, enlarge type for a projector.
    st.html(
        """<style>
        [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
        [data-testid="stToolbar"], footer {display: none !important;}
        .block-container {padding-top: 1rem !important; max-width: 100% !important;}
        html, .stMarkdown, .stMarkdown p, label {font-size: 1.25rem !important;}
        .katex {font-size: 1.35em !important;}
        </style>"""
    )


# ---- 2. begin + controls ------------------------------------------------------------------------


def begin(page: str, keys: tuple[str, ...], title: str, intro: str = "") -> Ctx:
    """Start a page: read the URL, title, the one warning for a bad link, and the Ctx with this user's params."""
    start()
    ss = st.session_state
    params = ss["_params"]
    ss["_keys"] = tuple(dict.fromkeys(SHARED + tuple(keys) + ("present", "lock")))
    dark = getattr(st.context.theme, "type", None) == "dark"
    ctx = Ctx(page, params, ss["_keys"], dark, bool(params["present"]), frozenset(params["lock"]))
    st.title(title)
    if intro:
        st.markdown(intro)
    problems = ss.pop("_problems", None)
    if problems:
        # problem strings are sanitised by core.state: no markdown or HTML can get through
        st.warning("Some settings in this link were ignored or adjusted:\n\n" + "\n".join(f"- {p}" for p in problems[:8]) + (f"\n- …and {len(problems) - 8} more" if len(problems) > 8 else ""), icon=":material/info:")
    return ctx


def panel(ctx: Ctx):
    """Where controls go: the sidebar, or (presentation mode hides it) an expander on the page."""
    return st.expander("Controls", expanded=False) if ctx.present else st.sidebar


def _seed(key: str, value) -> None:
    if key not in st.session_state:
        st.session_state[key] = value


def _locked(ctx: Ctx, name: str) -> bool:
    return name in ctx.locked


def control(ctx: Ctx, name: str, widget, where=None, **kwargs):
    """A widget bound to param ``name``: seeded from the params, value written back.

    ``widget`` is a Streamlit widget function (``st.slider``...), called on
    ``where`` (a container) if given. Locked params (``lock=`` in the URL) are disabled.
    """
    key = f"w_{name}"
    _seed(key, ctx.params[name])
    p = state.TABLE[name]
    label = kwargs.pop("label", p.label[:1].upper() + p.label[1:])
    if _locked(ctx, name):
        kwargs["disabled"] = True
        kwargs["help"] = "Locked by the lecturer's link."
    fn = getattr(where, widget.__name__) if where is not None else widget
    value = fn(label, key=key, **kwargs)
    ctx.params[name] = value
    return value


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
                     disabled=locked_z, help="Type e.g. 2, 1, 0.1 and press Enter.")
    if ss.get("_text_error"):
        where.error(f"Not applied: {ss['_text_error']}.", icon=":material/error:")
    lo, hi = min(-10.0, float(min(z))), max(10.0, float(max(z)))
    values = []
    for k in range(n):
        _seed(f"w_z{k}", z[k])
        values.append(where.slider(f"z{_sub(k)}", min_value=lo, max_value=hi, step=0.1, key=f"w_z{k}",
                                   on_change=_clear_text_error, disabled=locked_z))
    ctx.params["z"] = tuple(float(v) for v in values)
    T = ctx.params["T"]
    if temperature:
        T = control(ctx, "T", st.slider, where, label="Temperature T", min_value=0.1, max_value=10.0, step=0.1)
    return ctx.params["z"], float(T)


def _sub(k: int) -> str:
    return str(k + 1).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


# ---- output helpers --------------------------------------------------------------------------------


def chart(ctx: Ctx, fig, name: str, alt: str, data=None, key: str | None = None) -> None:
    """A plotly chart with the app's template, a slide-ready download, alt text and a data table.

    ``data`` (dict of columns or a DataFrame) is the chart's text equivalent, shown in an expander.
    """
    fig.update_layout(template=template(ctx.dark, ctx.present))
    p = ctx.params
    filename = f"softmax-explorer_{ctx.page}_{name}_n{p['n']}_T{p['T']:g}"
    st.plotly_chart(fig, theme=None, config=plotly_config(filename), alt=alt, key=key, width="stretch")
    if data is not None:
        with st.expander(f"Data: {name.replace('-', ' ')}", expanded=False):
            st.dataframe(data, hide_index=True)


def latex(source: str, colored: str | None = None, copy: bool = True) -> None:
    """Show LaTeX (optionally a colourised version) with its plain source for copying onto slides."""
    st.latex(colored or source)
    if copy:
        with st.expander("Copy LaTeX", expanded=False):
            st.code(source, language="latex")


def show_code(*objects) -> None:
    """'Show the code': the exact core functions that computed what is on screen."""
    with st.expander("Show the code", expanded=False):
        for obj in objects:
            st.code(inspect.getsource(obj), language="python")


# ---- 3. end: params -> URL ---------------------------------------------------------------------


def end() -> None:
    """The last line of every page: write this page's params into the URL (a link to this view)."""
    ss = st.session_state
    keys = ss.get("_keys")
    if not keys:
        return
    params = ss["_params"]
    encoded = state.encode(params, keys=[k for k in keys if not (k in ("present", "lock") and not params[k])])
    if encoded != st.query_params.to_dict():
        st.query_params.from_dict(encoded)
    ss["_last_query"] = encoded
