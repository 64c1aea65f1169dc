"""The screen a page is drawn for: a phone or a wider one, chosen by the browser's width.

What CSS can do (captions' grey, headline numbers that shrink with their column, phone spacing)
is in `styles.SCREEN_CSS`, by media and container queries. What must be chosen on the server
(a chart's form, a table's columns) follows `phone()`: the browser's width class, reported by a
tiny local component (inline JavaScript, nothing fetched) whenever it crosses `PHONE_MAX_WIDTH`.
The first run of a session draws for a wide screen; a phone reports itself and the page is
drawn again for it. The table and chart helpers (`ui.table`, `ui.chart`, ...) ask this module,
pages never do.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import streamlit as st

from .. import charts
from .styles import SCREEN_CSS, WIDGET_WORDS_CSS

# Below this width Streamlit stacks columns (its own breakpoint), and so does the dashboard.
PHONE_MAX_WIDTH = 640
# A phone table shows this many columns: the key ones (see `key_columns`); downloads keep all.
PHONE_TABLE_COLUMNS = 3

# Columns that say where a row belongs rather than answer what the table asks.
DESCRIPTIVE = frozenset({"belt", "belt_label", "province", "province_label", "region", "city", "fiscal_year",
                         "domain", "pilot_type", "source", "source_label", "category_label", "period_end",
                         "lead_unit"})

_SCREEN = "_screen"  # "phone" or "wide", as last reported by the browser
_KEY = "pd_screen"

_REPORT_WIDTH_JS = """
export default function(component) {
  const { data, setStateValue } = component;
  const report = () => {
    const screen = window.innerWidth < data.phone_max ? "phone" : "wide";
    if (screen !== data.screen) { data.screen = screen; setStateValue("screen", screen); }
  };
  report();
  window.addEventListener("resize", report);
  return () => window.removeEventListener("resize", report);
}
"""

_reporter = st.components.v2.component("pilotdash_screen", js=_REPORT_WIDTH_JS)


def watch_screen() -> None:
    """Once per run, before the page (app.py): the screen CSS, and the component that tells the
    server the browser's width class when it changes."""
    st.html(SCREEN_CSS + widget_words_css())
    result = _reporter(key=_KEY, data={"screen": screen(), "phone_max": PHONE_MAX_WIDTH},
                       default={"screen": None}, on_screen_change=_on_report, height=0)
    _remember(result)


def widget_words_css() -> str:
    """Our words in place of the English ones Streamlit's widgets write (styles.WIDGET_WORDS_CSS);
    nothing to do on an English page."""
    from .state import lang, tr

    if lang() == "en":
        return ""

    def quoted(key: str) -> str:  # our own words from translations.csv, quoted for CSS
        return tr(key).replace("\\", "\\\\").replace('"', '\\"')

    return WIDGET_WORDS_CSS.format(select_all=quoted("widget.select_all"),
                                   select_matches=quoted("widget.select_matches"),
                                   no_results=quoted("widget.no_results"), skip=quoted("widget.skip_to_content"))


def _on_report() -> None:
    """The browser crossed the breakpoint: known before the page runs again."""
    _remember(st.session_state.get(_KEY))


def _remember(state: object) -> None:
    reported = state.get("screen") if isinstance(state, dict) else getattr(state, "screen", None)
    if reported in ("phone", "wide"):  # nothing else is taken from the browser
        st.session_state[_SCREEN] = reported


def screen() -> str:
    """"phone" or "wide" (also when no browser has reported yet, e.g. in AppTest)."""
    return st.session_state.get(_SCREEN) or "wide"


def phone() -> bool:
    return screen() == "phone"


def key_columns(columns: Sequence[str], column_config: dict | None = None,
                keep: Sequence[str] | None = None) -> list[str] | None:
    """The columns a table shows on this screen, in order, or None for all of them. On a phone:
    `keep` when the page names them, else the pilot's link, its health and its name (the name
    last: it is the one that may be cut at the screen's edge), then the first other columns, up
    to PHONE_TABLE_COLUMNS (the reasons, the widest, last)."""
    if not phone():
        return None
    columns = [c for c in columns if (column_config or {}).get(c, "") is not None]
    if keep:
        return [c for c in keep if c in columns]
    first = [c for c in ("link", "health", "name") if c in columns] or columns[:1]  # else: what the row is
    rest = [c for c in columns if c not in first and c != "reasons"]
    # The columns that answer the table's question (amounts, rates, verdicts) before those that
    # only say where a row belongs (its belt, province, year): a phone showed "ID, name, belt".
    rest = [c for c in rest if c not in DESCRIPTIVE] + [c for c in rest if c in DESCRIPTIVE]
    return (first + rest)[:PHONE_TABLE_COLUMNS]


def for_screen(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """`chart` in the form for this screen (charts.for_phone on a phone)."""
    return charts.for_phone(chart) if phone() else chart
