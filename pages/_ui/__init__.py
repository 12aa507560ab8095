"""The shared frame, one import for every page: ``from pages import _ui as ui``.

One module per job: :mod:`.registry` (the pages), :mod:`.urlstate` (link <-> params), :mod:`.controls`
(widgets, locks), :mod:`.logits` (the shared logits block), :mod:`.output` (charts, tables, LaTeX, expanders),
:mod:`.frame` (begin/end, sidebar, CSS), :mod:`.steps` (a lesson's steps), :mod:`.footer` (the URL, tour, link box,
lecturer tools), :mod:`.section` (a part of a page that reruns on its own). Library internals are reached from
one module only, pages/_compat.py (outside this package, so that pages/_warm.py can use it without importing the frame:
a circular import there handed a crowd half-imported modules).
"""

import pages._warm  # noqa: F401  heavy imports once per process, even if a page runs before app.py
from pages import _compat as compat  # noqa: F401  (first, with the frame: its version check and guards)

from .controls import (
    LOCKED_HELP,
    clamp_index,
    control,
    effective_locks,
    keep_valid,
    panel,
    preset,
    set_param,
)
from .frame import begin, end, nav_pages, run
from .live import live
from .logits import logit_controls
from .output import (
    Card,
    cards,
    chart,
    copy_latex,
    data_shown,
    export_filename,
    latex,
    lazy_expander,
    page_link,
    show_code,
    swatches,
    table,
)
from .registry import PAGES, PageInfo, Step, page_info
from .section import section
from .steps import code as step_code
from .steps import step
from .urlstate import CLASSROOM, SHARED, Ctx, link, start, sync_url, url_params

__all__ = [
    "CLASSROOM",
    "LOCKED_HELP",
    "PAGES",
    "SHARED",
    "Card",
    "Ctx",
    "PageInfo",
    "Step",
    "begin",
    "cards",
    "chart",
    "clamp_index",
    "control",
    "copy_latex",
    "data_shown",
    "effective_locks",
    "end",
    "export_filename",
    "keep_valid",
    "latex",
    "lazy_expander",
    "link",
    "live",
    "logit_controls",
    "nav_pages",
    "page_info",
    "page_link",
    "panel",
    "preset",
    "run",
    "section",
    "set_param",
    "show_code",
    "start",
    "step",
    "step_code",
    "swatches",
    "sync_url",
    "table",
    "url_params",
]
