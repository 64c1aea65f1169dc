"""Every CSS rule the dashboard adds to Streamlit's own, in one place (st.html blocks)."""

from __future__ import annotations


UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{button}"; font-size: 14px; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{hint}"; font-size: 14px; }}
</style>"""


# The screen (ui.layout): what CSS can do for every width. Grey words as dark as read at 4.5:1 on
# white (Streamlit's captions are 3.9:1); headline numbers that shrink with their column instead
# of being cut ("1.73 bn C…"), the column being a size container; on a phone (Streamlit stacks
# columns below 640 px) smaller headings and nothing wider than the screen. The width reporter
# (a component of no height) takes no room.
SCREEN_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stWidgetLabel"] [data-testid="stCaptionContainer"] { color: #505050; }
[data-testid="stColumn"] { container-type: inline-size; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] > div {
  font-size: clamp(1.1rem, 15cqi, 2.25rem); }
.st-key-pd_screen { display: none; }
@media (max-width: 640px) {
  [data-testid="stMain"] h1 { font-size: 1.75rem; }
  [data-testid="stMain"] h2 { font-size: 1.4rem; }
  [data-testid="stMain"] h3 { font-size: 1.2rem; }
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem; padding-right: 0.75rem; }
  [data-testid="stMain"] .vega-embed, [data-testid="stMain"] [data-testid="stElementContainer"] {
    max-width: 100%; }
  /* Headline numbers two to a row, not twelve screens of one each. */
  [data-testid="stHorizontalBlock"] > [data-testid="stColumn"]:has(> [data-testid="stVerticalBlock"]
      > [data-testid="stElementContainer"] > [data-testid="stMetric"]) {
    min-width: calc(50% - 0.5rem) !important; max-width: calc(50% - 0.5rem) !important;
    flex: 1 1 calc(50% - 0.5rem) !important; }
}
</style>"""


# The Tasks page's wall view (?wall=1, ui.tasks.wall) on a big screen (1920 × 1080) read from across
# a room: the whole width, large headings and headline numbers.
WALL_CSS = """<style>
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 1rem 3rem; }
[data-testid="stMain"] h2 { font-size: 2.6rem; }
[data-testid="stMain"] h3 { font-size: 1.9rem; }
[data-testid="stMetricLabel"] p { font-size: 1.4rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] > div { font-size: clamp(2rem, 22cqi, 4rem); }
</style>"""
