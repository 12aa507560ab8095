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
# The link to this view (output.link_box): a code box like st.code's, its text wrapped, a copy button at its right whose
# icon (Material's "content_copy") is a CSS mask in the text colour: no markup in the page's markdown.
_COPY_SVG = ("%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 24 24'%3E%3Cpath d='"
             "M16 1H4c-1.1 0-2 .9-2 2v14h2V3h12V1zm3 4H8c-1.1 0-2 .9-2 2v1"
             "4c0 1.1.9 2 2 2h11c1.1 0 2-.9 2-2V7c0-1.1-.9-2-2-2zm0 16H8V7h11v14z'/%3E%3C/svg%3E")
LINKBOX_CSS = """
.linkbox {display: flex; align-items: flex-start; gap: 0.25rem; border-radius: 0.5rem; padding: 0.5rem 0.5rem 0.5rem 0.9rem;
  background: rgba(128, 128, 128, 0.12); margin-bottom: 0.5rem;}
.linkbox code {flex: 1; min-width: 0; background: none !important; padding: 0 !important; font-size: 0.8rem;
  white-space: pre-wrap; overflow-wrap: anywhere; color: inherit;}
.linkbox-copy {flex: none; border: none; background: none; color: inherit; opacity: 0.7; cursor: pointer;
  padding: 0.15rem; border-radius: 0.25rem; line-height: 0;}
.linkbox-copy::before {content: ""; display: inline-block; width: 18px; height: 18px; background: currentColor;
  -webkit-mask: url("data:image/svg+xml,ICON") center / contain no-repeat;
  mask: url("data:image/svg+xml,ICON") center / contain no-repeat;}
.linkbox-copy:hover {opacity: 1;}
.linkbox-copy:focus-visible {outline: 2px solid #1C83E1; outline-offset: 1px; opacity: 1;}
""".replace("ICON", _COPY_SVG)
