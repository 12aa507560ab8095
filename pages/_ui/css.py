"""Static CSS of the frame's parts that live outside pages/_ui/frame.py (never user text)."""

# Keyboard focus on plotly's Play/Pause buttons, scrub slider and toolbar (pages/_ui/client.js puts them in the Tab
# order). The slider's focusable rail is plotly's invisible touch area: its ring is drawn on the visible rail and grip.
# The toolbar, hidden until hovered, shows while one of its buttons has the focus.
FOCUS_CSS = """
.js-plotly-plot .updatemenu-button:focus, .js-plotly-plot [role="slider"]:focus {outline: none;}
.js-plotly-plot .updatemenu-button:focus-visible rect {stroke: #1C83E1 !important; stroke-width: 3px !important;}
.js-plotly-plot [role="slider"]:focus-visible {stroke: #1C83E1 !important; stroke-width: 3px !important;}
.js-plotly-plot .slider-group:has([role="slider"]:focus-visible) .slider-rail-rect,
.js-plotly-plot .slider-group:has([role="slider"]:focus-visible) .slider-grip-rect
  {stroke: #1C83E1 !important; stroke-width: 3px !important; stroke-opacity: 1 !important;}
.js-plotly-plot .plotly .modebar:focus-within .modebar-group {opacity: 1 !important;}
.js-plotly-plot .plotly .modebar-btn:focus-visible {outline: 2px solid #1C83E1; outline-offset: 1px; border-radius: 2px;}
"""
# Compact cards (ui.cards with beside=True, a derivation's lines): the title in smaller type beside its formula, so
# that a step's lines share one screen with its controls; stacked again on a phone.
CARDS_CSS = """
.card-beside {display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 0 1rem; align-items: center;}
.stMarkdown .card-beside p {font-size: 0.85rem !important; line-height: 1.35; margin-bottom: 0.2rem;}
.card-beside .katex-display {margin: 0.3rem 0;}
@media (max-width: 640px) {.card-beside {grid-template-columns: minmax(0, 1fr);}}
"""
# In presentation mode: the body's size for the title and a smaller formula than the projector's 1.35em, half and half.
CARDS_PRESENT_CSS = """
.card-beside {grid-template-columns: minmax(0, 1fr) minmax(0, 1fr);}
.stMarkdown .card-beside p {font-size: 1rem !important;}
.card-beside .katex {font-size: 1.1em !important;}
"""
