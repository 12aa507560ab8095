"""A lesson's computed claims (``core.jacobian_props.Check`` rows) as a table: mark, claim, test, computed value, why."""

from __future__ import annotations

from .output import table

LEGEND = "✓ holds · ✗ fails · ⚠ true in exact arithmetic, but float64 cannot show it here"


def claims(checks, caption: bool = True) -> None:
    """``checks`` (a list of Check) as one static table, with the marks' legend."""
    checks = list(checks)
    if not checks:
        return
    table({"": [c.mark for c in checks], "claim": [c.name for c in checks], "holds if": [c.claim for c in checks],
           "computed": [c.value for c in checks], "why": [c.why for c in checks]}, static=True)
    if caption:
        import streamlit as st

        st.caption(LEGEND)
