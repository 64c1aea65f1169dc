"""The Streamlit view layer: what pages call to read the view and draw. Pages hold no SQL and no
business rules; they read `view = ui.header(...)`, run `ui.query(...)` and draw with these.

One module per responsibility (import them through this package, `from pilotdash import ui`):

| module    | holds |
|-----------|-------|
| `data`    | the store and `query`: the one function every page's data comes through, cached per data version |
| `state`   | the view state and its URL: `state`, `tr`, `set_view`, links carrying the filters |
| `widgets` | the sidebar's filters, `bound` (a page widget tied to its URL parameter), pagers, uploader |
| `text`    | words for codes, names and dates in the view's language |
| `tables`  | column kinds, `table`, `paged_table`, `project_table` (with their downloads) |
| `report`  | `metric`, `chart`, downloads, and the view's report they fill |
| `measures`| measures as the registry (`pilotdash.measures`) shows them: `headline`, `measure_columns` |
| `column_registry` | `table_columns`: a table's columns by name (pilot columns, `pilotdash.columns`, measures) |
| `belt_charts` | the belts side by side: `belt_bars` (counts stacked by an enumeration), `belt_rate`, `belt_cards` |
| `drill_down` | the Regions drill-down (belt → provinces → a province's pilots) as filters in the URL |
| `headlines` | a page's headline numbers as `pilotdash.measures.HEADLINES` lists them |
| `indicator_charts` | Targets' indicators side by side: pairs per status, share met per belt |
| `money_charts` | Funds' money by group: rates and amounts as bars, many groups as a grid of rates |
| `schedule_charts` | phases on a timeline (Phase progress, Project): planned against actual, the as-of line |
| `pilot_chooser` | Project's choice of one pilot: the URL's `project` in the person's scope, the chooser |
| `earned_value` | one pilot's earned value as headline numbers (BAC, PV, EV, SPI and CPI with levels) |
| `upload_forms` | the Data page's upload: check, preview, apply or submit; the templates |
| `people_forms` | the admin page: people (add, change, enable, disable) and the audit log, admins only |
| `review_forms` | the Data page's submissions, review actions, history and rollback |
| `row_words` | the words tables and charts show for named queries' rows (pilots, money groups, targets, schedule) |
| `frame`   | a page's header, and the way out when no pilot matches |
| `layout`  | the screen drawn for (phone or wide, by the browser's width): tables' key columns, charts' form |
| `slides`  | presentation mode as slides: the page's key numbers and one chart per screen, keys |
| `styles`  | every CSS rule added to Streamlit's own |
"""

from . import drill_down, indicator_charts, money_charts, row_words
from .belt_charts import belt_bars, belt_cards, belt_rate
from .column_registry import table_columns
from .data import (as_of, base_store, clear_caches, current_scope, default_as_of, options, person,
                   query, store)
from .frame import end_page, frame, gate, header, require_pilots
from .headlines import headline_codes, headlines
from .layout import phone, watch_screen
from .measures import columns, headline, measure_column, measure_columns, measure_label, measure_text
from .report import (audited, begin_report, change_metric, chart, csv_bytes, download, metric, report_items,
                     table_downloads)
from .state import lang, link, links, load_state, nav_params, presenting, reset_filters, retry_store, set_view, state, \
    tr, write_url
from .tables import (PAGE_SIZE, PERCENT_STEP, money_column, page_of, paged_table, percent_column, percent_labels,
                     pilot_columns, project_link_column, project_table, rate_column, rounded_as_shown, shown_achievement, table)
from .text import (count, date_text, date_texts, health_badge, label_column, local_names, plain, project_name,
                   project_names, reasons_text, words)
from .widgets import bound, file_uploader, sidebar, url_page, valid_param

__all__ = [
    "PAGE_SIZE", "PERCENT_STEP", "as_of", "audited", "base_store", "current_scope",
    "person", "begin_report", "belt_bars", "belt_cards", "belt_rate", "bound", "change_metric", "chart", "columns",
    "clear_caches", "count", "csv_bytes", "date_text", "date_texts", "default_as_of", "drill_down", "end_page", "file_uploader",
    "frame", "gate", "header", "headline", "headline_codes", "headlines", "health_badge", "indicator_charts", "label_column",
    "lang", "link", "links", "load_state", "local_names", "measure_column", "measure_columns", "measure_label",
    "measure_text", "metric", "money_charts", "money_column", "nav_params",
    "options", "page_of", "paged_table", "plain", "phone", "percent_column", "percent_labels", "pilot_columns", "presenting", "project_link_column",
    "project_name", "project_names", "project_table", "query", "rate_column", "reasons_text", "report_items",
    "require_pilots", "reset_filters", "retry_store", "rounded_as_shown", "row_words", "set_view", "shown_achievement", "sidebar", "state",
    "store", "table", "table_columns", "table_downloads", "tr", "url_page", "valid_param", "watch_screen", "words", "write_url",
]
