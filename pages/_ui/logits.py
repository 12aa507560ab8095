"""The logits block every lesson shares: n, T, the vector typed as text, and one slider per z_j."""

from __future__ import annotations

import streamlit as st

from core import fmt, state

from .controls import LOCKED_HELP, Z_COLUMNS, Z_STEP, _seed, control, effective_locks, panel, set_param
from .urlstate import Ctx

# in a step's control column: three to a row, so that n = 3 takes one row and the column with the step's own controls
# fits a 1280×720 projector beside its figure (two to a row took one more row of 78 px there)
STEP_Z_COLUMNS = 3


def _apply_text(key: str, shown: str) -> None:
    """Callback of the vector field: valid text sets n and every z slider; bad text is kept with an error.

    Text equal to what the field was drawn with is not input: it is the browser echoing a field that an earlier run
    drew (a burst of slider moves redraws the field many times), and applying it would roll z back."""
    ss = st.session_state
    if ss.get(key) == shown:
        return
    locked, _ = effective_locks(ss["_params"])
    if "z" in locked:  # the field is disabled: nothing a client sends for it is applied
        return
    values, err = state.parse_vector(ss.get(key, ""))
    if values is not None and "n" in locked and len(values) != ss["_params"]["n"]:
        values, err = None, f"n is locked at {ss['_params']['n']} by your lecturer's link; type {ss['_params']['n']} numbers"
    ss["_text_error"] = err
    if values is not None and set_param("z", tuple(values)):
        set_param("n", len(values))


def _clear_text_error() -> None:
    st.session_state["_text_error"] = None


def grid(where, name: str, columns: int):
    """A container whose widgets the page's CSS sets ``columns`` to a row, row after row, one to a row on a phone
    (frame._BASE_CSS, ``.st-key-grid…``): one block where ``st.columns`` makes one per column and one per row, and
    every block is a message on every move (a step's n = 10 logits took 16 of them)."""
    return where.container(key=f"grid{columns}_{name}", gap="small")


def logit_controls(ctx: Ctx, where=None, temperature: bool = True) -> tuple[tuple[float, ...], float]:
    """n, T, the vector text field and one slider per z_j. Returns ``(z, T)``.

    Sliders span at least [-10, 10] and widen to cover typed values up to |z| = 1e6. In a step's narrow control
    column they stack: n and T side by side, the vector field under them, the z sliders three to a row. Drawn once per
    run: a second call (another step of the whole-lesson view) returns the values."""
    ctx.use("n", "z", *(("T",) if temperature else ()))
    if "z" in ctx.drawn:
        return ctx.params["z"], float(ctx.params["T"])
    if {"n", "z", *(("T",) if temperature else ())} <= ctx.hidden:  # nothing to draw: no columns, no empty block
        ctx.drawn.update(("n", "z", *(("T",) if temperature else ())))
        return ctx.params["z"], float(ctx.params["T"])
    where = where if where is not None else panel(ctx)
    narrow = ctx.stepped
    ss = st.session_state
    if narrow:  # the vector field follows n and T's row: drawn after them, it needs no container to hold its place
        row = grid(where, "nt", 2 if temperature else 1)
        top = [row, row, where]
    else:
        top = where.columns([2, 2, 3] if temperature else [2, 3], vertical_alignment="bottom")
    n = control(ctx, "n", top[0], on_change=_clear_text_error, **({"label": "Outputs n"} if narrow else {}))
    locked_z = "z" in ctx.locked
    z = state.fit_z(list(ctx.params["z"]) if locked_z else [ss.get(f"w_z{k}", v) for k, v in enumerate(ctx.params["z"])], n)
    T = ctx.params["T"]
    if temperature:
        T = control(ctx, "T", top[1])
    ctx.drawn.add("z")
    if "z" in ctx.hidden:
        ctx.params["z"] = z
        return z, float(T)
    # The field is never one whose state the script overwrites: under a burst of slider moves the browser echoes
    # fields that earlier runs drew, and an echo that fired the field's callback rolled z back (held arrow keys lost
    # presses, issue #13; see _apply_text). So when z changes from elsewhere (a slider, n, a link) the field is a new
    # widget (a new key) drawn showing z; while it already holds z (the student typed it) or bad text to fix, it
    # keeps its key, so typing one vector after another never lands in a field that is being replaced.
    text = state.format_vector(z)
    version = ss.get("_ztext_version", 0)
    typed = ss.get(f"w_ztext_{version}")
    if typed is not None and not ss.get("_text_error") and state.parse_vector(typed)[0] != list(z):
        version, typed = version + 1, None
        ss["_ztext_version"] = version
    key, shown = f"w_ztext_{version}", text if typed is None else typed
    ctx.shown += 1
    top[-1].text_input("Logits z, typed" if narrow else f"Logits as a vector ({state.N_MIN}…{state.N_MAX} numbers)",
                       value=shown, key=key, on_change=_apply_text, args=(key, shown), disabled=locked_z,
                       help=LOCKED_HELP if locked_z else f"Type {state.N_MIN} to {state.N_MAX} numbers, e.g. 2, 1, 0.1, "
                       "and press Enter.")
    if ss.get("_text_error"):
        where.error(f"Not applied: {ss['_text_error']}.", icon=":material/error:")
    lo, hi = min(-10.0, float(min(z))), max(10.0, float(max(z)))
    per_row = STEP_Z_COLUMNS if narrow else Z_COLUMNS
    box = grid(where, "z", min(n, per_row)) if narrow else None
    values = []
    for k in range(n):
        # without the grid, one row of columns per per_row sliders: a phone stacks columns, so one set of columns for
        # all of them would read z₁, z₃, z₅, …, z₂, z₄ top to bottom
        if box is None and k % per_row == 0:
            cols = where.columns(min(n, per_row))
        if locked_z:
            ss[f"w_z{k}"] = z[k]
        else:
            _seed(f"w_z{k}", z[k])
        values.append((box if box is not None else cols[k % per_row]).slider(
            fmt.label("z", k), min_value=lo, max_value=hi, step=Z_STEP, key=f"w_z{k}", value=ss[f"w_z{k}"],
            on_change=_clear_text_error, disabled=locked_z, help=LOCKED_HELP if locked_z else None))
    ctx.params["z"] = tuple(float(v) for v in values)
    return ctx.params["z"], float(T)
