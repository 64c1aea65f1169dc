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

# Reports the width class when it changes. In a session's first run, cut after its headline
# numbers (`plan_first_paint`), it first waits until the browser has drawn everything sent (no
# element still loading its code, the run over), then reports the width class in any case, which
# runs the script again for the whole page; meanwhile <html data-pd-first-paint> tells the
# browser tests' quiet check (tests/browser/conftest.py) that the page is not complete.
_REPORT_WIDTH_JS = """
export default function(component) {
  const { data, setStateValue } = component;
  const root = document.documentElement;
  const now = () => window.innerWidth < data.phone_max ? "phone" : "wide";
  const report = () => {
    const screen = now();
    if (screen !== data.screen) { data.screen = screen; setStateValue("screen", screen); }
  };
  let timer = 0, done = false;
  const started = Date.now();
  const drawn = () => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !document.querySelector('[data-testid="stSkeleton"]')
      && !(app && app.dataset.testScriptState === "running");
  };
  const rest = () => {
    if (done) return;
    if (drawn() || Date.now() - started > data.wait_ms) {
      done = true;
      delete root.dataset.pdFirstPaint;
      data.screen = now();
      setStateValue("screen", data.screen);
    } else {
      timer = setTimeout(rest, 20);
    }
  };
  if (data.first_paint) { root.dataset.pdFirstPaint = "waiting"; rest(); }
  else { delete root.dataset.pdFirstPaint; report(); }
  window.addEventListener("resize", report);
  return () => { done = true; clearTimeout(timer); window.removeEventListener("resize", report); };
}
"""

_reporter = st.components.v2.component("pilotdash_screen", js=_REPORT_WIDTH_JS)


def watch_screen() -> None:
    """Once per run, before the page (app.py): the screen CSS, and the component that tells the
    server the browser's width class when it changes, and in a session's first run cut after its
    headline numbers, once they are drawn (`plan_first_paint`)."""
    st.html(SCREEN_CSS + widget_words_css())
    result = _reporter(key=_KEY, data={"screen": screen(), "phone_max": PHONE_MAX_WIDTH, "first_paint": first_paint(),
                                       "wait_ms": FIRST_PAINT_WAIT_MS},
                       default={"screen": None}, on_screen_change=_on_report, height=0)
    _remember(result)


# The first number first (issue 22 item 9) ------------------------------------------------------
#
# Streamlit's browser side loads each element kind's code on first use and shows a placeholder
# meanwhile; while any placeholder is still waiting for its code, React reveals what has loaded
# no sooner than 0.3 s after the last placeholder it showed. A session's first page load sent
# every kind at once (charts, tables, the sidebar's filters, each a new placeholder) and the
# headline numbers stayed hidden until the last of them had loaded: twice the time of a page of
# numbers alone. So the session's first run of a page with headline numbers stops after them
# (`cut_after_headlines`), its frame's light parts drawn before them (app.py); once the browser
# has drawn that, the width reporter above says so and the second run draws the whole page. Its
# queries are the first's, cached; the first drew only the header and the numbers (a page that
# ends before them, e.g. no pilot matches, is drawn twice: it is short). Only with a browser on
# the other side: AppTest has none (st.context.url is unset there), and its one run draws all.

_FIRST_DONE = "_first_paint_done"  # session: its first run has been planned
_PLAN = "_first_paint_plan"  # this run: a first run that stops after the headline numbers
FIRST_PAINT_WAIT_MS = 3000  # a browser that never clears its placeholders still gets the page


def plan_first_paint(cuttable: bool) -> bool:
    """At the top of every run (app.py): whether this is the session's first run, in a browser, of a
    page that can stop after its headline numbers (`cuttable`). Any later run draws everything."""
    first = not st.session_state.get(_FIRST_DONE)
    st.session_state[_FIRST_DONE] = True
    st.session_state[_PLAN] = plan = first and cuttable and bool(st.context.url)
    return plan


def first_paint() -> bool:
    """This run is a first run planned to stop after the headline numbers."""
    return bool(st.session_state.get(_PLAN))


def cut_after_headlines() -> bool:
    """Called by `headlines` once drawn: True when the page should end here (`frame.end_page`)."""
    return first_paint()


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
