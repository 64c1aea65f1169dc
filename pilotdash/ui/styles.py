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
/* A headline number's label wraps rather than being cut ("资金使…" in a belt's card at 1440 px). */
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] * {
  white-space: normal !important; overflow: visible !important; text-overflow: clip !important; }
@media (max-width: 640px) {
  [data-testid="stMain"] h1 { font-size: 1.75rem; }
  [data-testid="stMain"] h2 { font-size: 1.4rem; }
  [data-testid="stMain"] h3 { font-size: 1.2rem; }
  [data-testid="stMainBlockContainer"] { padding-left: 0.75rem; padding-right: 0.75rem; }
  [data-testid="stMain"] .vega-embed, [data-testid="stMain"] [data-testid="stElementContainer"] {
    max-width: 100%; }
  /* The first screen is the page's numbers: who is signed in, the demo marker and the share
     button go to the end of the page; presenting and the report are for desktops. */
  /* (the keyed block sits in a layout wrapper: the wrapper is the main column's flex item) */
  .st-key-pd_page_notes, [data-testid="stLayoutWrapper"]:has(> .st-key-pd_page_notes) { order: 1; }
  .st-key-pd_toolbar, [data-testid="stLayoutWrapper"]:has(> .st-key-pd_toolbar) { order: 2; }
  .st-key-present_on, .st-key-dl_report { display: none; }
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


# Words Streamlit's own widgets write in English whatever the page's language (streamlit 1.67
# hard-codes them in its frontend, with no locale or argument to change them): a multiselect's
# "Select all" / "Select 9 matches" options, its and a selectbox's "No results", the keyboard
# users' "Skip to main content" link, and the default
# placeholder "Choose an option" of a selectbox whose value is momentarily unset. Ours are put in
# their place (the placeholder, which CSS cannot rewrite, is left blank rather than English;
# selectboxes the dashboard draws pass their own). Filled from translations.csv (ui.layout).
WIDGET_WORDS_CSS = """<style>
[role="option"][data-key="__select_all__"] [data-item-hl],
[role="option"][data-key="__select_matches__"] [data-item-hl],
[role="listbox"][data-empty] [role="option"] > span {{ font-size: 0; }}
[role="option"][data-key="__select_all__"] [data-item-hl]::after {{ content: "{select_all}"; font-size: 0.875rem; }}
[role="option"][data-key="__select_matches__"] [data-item-hl]::after {{ content: "{select_matches}"; font-size: 0.875rem; }}
[role="listbox"][data-empty] [role="option"] > span::after {{ content: "{no_results}"; font-size: 0.875rem; }}
[data-testid="stSkipToContent"] {{ font-size: 0 !important; }}
[data-testid="stSkipToContent"]::after {{ content: "{skip}"; font-size: 1rem; }}
input[placeholder="Choose an option"]::placeholder, input[placeholder="Choose options"]::placeholder,
input[placeholder="Choose or add an option"]::placeholder,
input[placeholder="No options to select"]::placeholder {{ color: transparent; }}
</style>"""
