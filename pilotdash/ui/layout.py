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

import time
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
_RUNS = "_runs"  # how many runs this session has started (counted by `watch_screen`)

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
    st.session_state[_RUNS] = st.session_state.get(_RUNS, 0) + 1
    st.html(SCREEN_CSS + widget_words_css())
    result = _reporter(key=_KEY, data={"screen": screen(), "phone_max": PHONE_MAX_WIDTH},
                       default={"screen": None}, on_screen_change=_on_report, height=0)
    _remember(result)


# The first number first (issue 22 item 9) ------------------------------------------------------
#
# Streamlit's browser side loads each element kind's code on first use and shows a placeholder
# meanwhile, and React reveals what has loaded no sooner than 0.3 s after the last placeholder it
# showed. A fresh browser's first page arrived in one burst (headline numbers, then charts, tables,
# the sidebar's filters, each kind a new placeholder), and the numbers stayed hidden until the last
# kind's code had loaded: the first number took twice a bare page's time. So in a session's first
# run in a browser, the page holds its rest back for a moment once the headline numbers are sent:
# the browser loads the numbers' code alone and shows them, and what follows no longer holds them
# back. One run, as before: a second run for the rest (tried in session 9, ecd3507) doubled the
# runs of every fresh page, and each finished run, in any session, sweeps Streamlit's media files,
# which keeps a made download through one sweep only (a download's link then died as soon as
# another browser opened a page). Only for a browser ("Mozilla/..." in its user agent): AppTest
# and the load benchmark's websocket client show nothing, and their runs never wait.

# 0.3 s of React's reveal throttle and the ~0.15 s the numbers' code takes to arrive and run (the
# network log of a fresh Overview: Metric's code fetched at 1.16 s, run at 1.30 s). Measured at 1x,
# load 4-9: 0.25 s 1.28 / 1.19 of the bare page (Overview / Funds), 0.4 s 1.27 / 1.19, 0.7 s
# 1.20 / 1.03; with 0.5 s 1.15 / 1.19 at 1x and 1.13 / 1.24 at 100x, against 1.96 / 2.03 without
# (bench/results/first_number.md). The rest of a first view comes this much later.
NUMBERS_ALONE_S = 0.5


def let_numbers_show() -> None:
    """Called by `headlines` once the numbers are drawn: in a session's first run in a browser,
    wait `NUMBERS_ALONE_S` before the rest of the page (see above). Any later run goes on at once."""
    from .state import presenting

    first = st.session_state.get(_RUNS, 0) == 1
    browser = (st.context.headers.get("User-Agent") or "").startswith("Mozilla/")
    if first and browser and not presenting():
        time.sleep(NUMBERS_ALONE_S)


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
