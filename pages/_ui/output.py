"""Output: charts (template, presentation fonts, slide export), tables, LaTeX with "Copy LaTeX", lazy expanders,
"Show the code" and cards. Pages draw through these, never with hand-made HTML."""

from __future__ import annotations

import functools
import hashlib
import inspect
import json
import numbers
from typing import NamedTuple

import streamlit as st
from plotly.utils import PlotlyJSONEncoder

from core import fmt, state
from figures.palette import color, ink, label, plotly_config, rgba, template
from figures.screens import fit

from .chart import chart_element
from .urlstate import CLASSROOM, Ctx

NAME_MAX = 80  # characters of an exported file's name, before its extension


def _param_part(p: dict, k: str) -> str:
    """``z2_1_0.1``, ``T1``, ``lossmse``: one parameter in a file name (a vector's entries joined by ``_``)."""
    if state.TABLE[k].kind == "floats":
        return k + "_".join(fmt.exact(v) for v in p[k])
    return f"{k}{state.encode(p, keys=[k])[k]}"


def export_filename(ctx: Ctx, name: str) -> str:
    """``softmax-explorer_jacobian_heatmap_n3_z2_1_0.1_T1``: page, figure and the parameters that shaped it, at most
    :data:`NAME_MAX` characters.

    The parameters are the ones the figure's step drew or read (``ctx.used``: a step's controls are the ones that move
    its figure), in that order (its main controls first); never the step itself. A name that would be longer keeps the
    parameters that fit, in that order, and ends with a 6-character digest of all of them, so two exports that differ
    in a parameter left out still get different names."""
    p = ctx.params
    head = "_".join(("softmax-explorer", ctx.page, name))
    parts = [_param_part(p, k) for k in ctx.used if k in p and k not in CLASSROOM and k != "step"]
    whole = "_".join([head, *parts])
    if len(whole) <= NAME_MAX:
        return whole
    digest = hashlib.sha1("_".join(parts).encode()).hexdigest()[:6]
    out = head[: NAME_MAX - len(digest) - 1]
    for part in parts:
        if len(out) + len(part) + len(digest) + 2 > NAME_MAX:
            break
        out += "_" + part
    return f"{out}_{digest}"


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
    # the readouts and buttons of animations ("epoch: 200", "nudge Δz₁ = …", Play) grow like the rest of the text
    for part in ("sliders", "updatemenus"):
        if lay.get(part):
            lay[part] = [{**scaled(x, ("font",)), **({"currentvalue": scaled(x["currentvalue"], ("font",))}
                                                    if isinstance(x.get("currentvalue"), dict) else {})}
                         for x in lay[part]]
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
    it between sessions is safe (each chart parses its own small copy: cheap, see docs/PERFORMANCE.md)."""
    return json.dumps(template(dark, present).to_plotly_json(), cls=PlotlyJSONEncoder)


def chart(ctx: Ctx, fig, name: str, alt: str, data=None) -> None:
    """A plotly chart with the app's template, a slide-ready download, alt text and a data table.

    ``fig`` is a plotly spec (``{"data": [...], "layout": {...}, "frames": [...]}``, what the builders in
    ``figures/`` return) or a ``go.Figure``. ``data`` (a dict of columns, or a function that returns one) is the
    chart's text equivalent, shown in an expander: printed through core.fmt (:func:`data_shown`), with a CSV download
    that keeps every float exact (:func:`data_csv`). The modebar's camera downloads PNG at 3x or SVG (the sidebar's
    "Slide export" choice, ``fmt=`` in the URL).
    """
    spec = fig if isinstance(fig, dict) else fig.to_dict()
    spec = {**spec, "layout": {**spec.get("layout", {}), "template": json.loads(_template_json(ctx.dark, ctx.present))}}
    if ctx.present:
        spec = _scale_fonts(spec, PRESENT_SCALE)
    spec = fit(spec, ctx.screen)  # figures.screens: what every chart needs on a phone or a slide
    config = plotly_config(export_filename(ctx, name), ctx.params.get("fmt", "png"), ctx.params.get("bg", "white"))
    chart_element(name, json.dumps(spec, cls=PlotlyJSONEncoder), config, alt)
    if data is not None:
        box = lazy_expander(f"Data: {name.replace('-', ' ')}", f"x_data_{name}", icon=":material/table:")
        if box.open:
            with box:
                columns = data() if callable(data) else data
                table(data_shown(columns))
                st.download_button("Download as CSV (every value exact)", data_csv(columns),
                                   file_name=export_filename(ctx, name) + ".csv", mime="text/csv", on_click="ignore",
                                   icon=":material/download:", key=f"csv_{name}")


DATA_DIGITS = 6  # a chart's data table: 6 significant figures, as the pages' own tables print their numbers


def _cells(values) -> list:
    return values.tolist() if hasattr(values, "tolist") else list(values)


def data_shown(columns: dict) -> dict[str, list]:
    """A chart's data as a person reads it: every float through ``core.fmt.num`` (:data:`DATA_DIGITS` figures, ×10ⁿ,
    "−", never 0.30060960535572734 nor -4.2e-18); whole numbers as numbers, or through ``core.fmt.whole`` in a column
    that holds a negative one (its "−"); texts as they are, and a missing value (None) as an empty cell."""
    def shown(col: list) -> list:
        ints = [v for v in col if isinstance(v, numbers.Integral) and not isinstance(v, bool)]
        signed = any(v < 0 for v in ints)

        def cell(v):
            if v is None:  # no value (the inputs of Home's network): an empty cell, not pandas' NaN or "None"
                return ""
            if isinstance(v, bool) or not isinstance(v, numbers.Real):
                return v
            if not isinstance(v, numbers.Integral):
                return fmt.num(float(v), DATA_DIGITS)
            return fmt.whole(v) if signed else v
        return [cell(v) for v in col]

    return {k: shown(_cells(col)) for k, col in columns.items()}


def _exact(v):
    return fmt.exact(float(v)) if isinstance(v, numbers.Real) and not isinstance(v, numbers.Integral) else v


def data_csv(columns: dict) -> str:
    """The same data for a machine: CSV with every float as the shortest text that reads back to it exactly
    (``core.fmt.exact``: 0.30060960535572734, -4.2e-18), so a download loses nothing the chart was drawn from."""
    import csv
    import io

    cols = {k: _cells(col) for k, col in columns.items()}
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(cols)
    writer.writerows([_exact(v) for v in row] for row in zip(*cols.values(), strict=True))
    return out.getvalue()


def table(columns, static: bool = False) -> None:
    """A dict of equal-length columns as ``st.dataframe`` (or, ``static``, as ``st.table``: every column visible,
    headers wrapped), sent as an Arrow table: Streamlit would otherwise build a pandas DataFrame and convert it on
    every rerun (docs/PERFORMANCE.md has the figures). Anything else (a DataFrame, an Arrow table) is passed through."""
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


def latex(source: str, colored: str | None = None, copy: bool = True, key: str | None = None) -> None:
    """Show LaTeX (optionally a colourised version) and, under it, :func:`copy_latex` of its plain source.

    The copy box is keyed by ``key``, by default by its place among this page's formulas (the n-th ``latex`` call
    of the run), so it stays open while the formula's numbers change."""
    st.latex(colored or source)
    if copy:
        if key is None:
            ss = st.session_state
            ss["_latex_seq"] = ss.get("_latex_seq", 0) + 1
            key = f"{ss.get('_page', '')}_{ss['_latex_seq']}"
        copy_latex(source, key)


def copy_latex(source: str, key: str) -> None:
    """A collapsed "Copy LaTeX" box holding ``source`` for slides (built only once opened; none in presentation
    mode: slides show the formula, not the clutter)."""
    if st.session_state.get("_params", {}).get("present"):
        return
    box = lazy_expander("Copy LaTeX", f"x_copy_{key}")
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


class Card(NamedTuple):
    """One card of :func:`cards`: a markdown ``title`` line (badges, values, a short explanation), then an optional
    display formula ``latex``. ``highlight`` draws its border in the text colour instead of the faint one."""

    title: str
    latex: str = ""
    highlight: bool = False


def cards(ctx: Ctx, items, heading: str = "", grid: bool = False, border: bool = True, beside: bool = False) -> None:
    """A heading and a list of :class:`Card` (or ``(title, latex)`` pairs) as ONE markdown element: stacked, or in
    a responsive ``grid`` of columns at least 11rem wide. ``beside``: compact cards, each title in smaller type beside
    its formula (the class ``card-beside`` in pages/_ui/frame.py; stacked again on a phone).

    Why one element: every element a script sends costs server CPU on every rerun, for every student
    (docs/PERFORMANCE.md), and a bordered ``st.container`` per card is several. The border is the one Streamlit
    draws round its own containers: the theme's text colour at 20 % opacity. Titles and formulas are markdown and
    LaTeX inside the card's HTML: pass only the app's own text and formatted numbers, never what a user typed."""
    faint, strong = rgba(ink(ctx.dark), 0.2), rgba(ink(ctx.dark), 0.8)
    blocks = [heading] if heading else []
    if grid:
        blocks.append('<div style="display:grid;grid-template-columns:repeat(auto-fit,minmax(11rem,1fr));gap:0 1rem;'
                     'align-items:start">')
    for card in items:
        card = card if isinstance(card, Card) else Card(*card)
        style = (f"border:1px solid {strong if card.highlight else faint};border-radius:0.5rem;"
                 + ("padding:0.3rem 0.7rem;margin-bottom:0.4rem" if beside else
                    "padding:calc(1em - 1px) calc(1em - 1px) 0.3rem;margin-bottom:1rem")) if border else ""
        math = f"\n\n$$\n{card.latex}\n$$" if card.latex else ""
        if beside:
            blocks.append(f'<div class="card-beside" style="{style}">\n<div>\n\n{card.title}\n\n</div>\n'
                          f"<div>{math}\n\n</div>\n</div>")
            continue
        blocks.append(f'<div style="{style}">\n\n{card.title}{math}\n\n</div>' if style else
                     f"<div>\n\n{card.title}{math}\n\n</div>")
    if grid:
        blocks.append("</div>")
    st.markdown("\n\n".join(blocks), unsafe_allow_html=True)


def swatches(ctx: Ctx, n: int) -> None:
    """One coloured "■ z_k" per index k < n (at most 10), in the palette's colour for k: the legend of "one colour
    per index". Markdown's own colours are a fixed named set, so the frame writes the span; the markup is built from
    the palette and indices only, never from user text."""
    st.markdown(" ".join(f"<span style='color:{color(k, ctx.dark)}; font-weight:700'>■ {label('z', k)}</span>"
                         for k in range(min(n, 10))), unsafe_allow_html=True)


def page_link(path: str, **kwargs) -> None:
    """``st.page_link`` to the page file ``path`` through this session's ``st.Page`` (given a path, Streamlit
    resolves it on the disk on every call)."""
    target = st.session_state.get("_nav", {}).get(path, path)  # a path still works (AppTest of a lone page)
    st.page_link(target, **kwargs)


def link_box(escaped_url: str) -> str:
    """The link to this view (HTML-escaped at the call) in a code box, with a copy button that client.js drives. Not
    st.code: its highlighter cost each page load 0.3-0.5 s of main thread (docs/PERFORMANCE.md, round 12)."""
    return (f'<div class="linkbox"><code>{escaped_url}</code><button type="button" class="linkbox-copy" '
            'title="Copy link to this view" aria-label="Copy link to this view"></button></div>')
