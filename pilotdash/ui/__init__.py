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
| `frame`   | a page's header, and the way out when no pilot matches |
| `slides`  | presentation mode as slides: the page's key numbers and one chart per screen, keys |
| `styles`  | every CSS rule added to Streamlit's own |
"""

from .data import (as_of, base_store, clear_caches, current_scope, default_as_of, national_options, options, person,
                   query, store)
from .frame import gate, header, require_pilots
from .measures import columns, headline, measure_column, measure_columns, measure_label, measure_text
from .report import (audited, begin_report, change_metric, chart, csv_bytes, metric, report_items,
                     table_downloads)
from .state import lang, link, links, load_state, nav_params, presenting, reset_filters, retry_store, set_view, state, \
    tr, write_url
from .tables import (PAGE_SIZE, PERCENT_STEP, money_column, page_of, paged_table, percent_column, percent_labels,
                     pilot_columns, project_link_column, project_table, rate_column, rounded_as_shown, shown_achievement, table)
from .text import (count, date_text, date_texts, health_badge, label_column, local_names, project_name, project_names,
                   reasons_text, words)
from .widgets import bound, file_uploader, sidebar, url_page, valid_param

__all__ = [
    "PAGE_SIZE", "PERCENT_STEP", "as_of", "audited", "base_store", "current_scope", "national_options",
    "person", "begin_report", "bound", "change_metric", "chart", "columns",
    "clear_caches", "count", "csv_bytes", "date_text", "date_texts", "default_as_of", "file_uploader", "gate", "header",
    "headline", "health_badge", "label_column", "lang", "link", "links", "load_state", "local_names", "measure_column", "measure_columns", "measure_label", "measure_text",
    "metric", "money_column", "nav_params",
    "options", "page_of", "paged_table", "percent_column", "percent_labels", "pilot_columns", "presenting", "project_link_column",
    "project_name", "project_names", "project_table", "query", "rate_column", "reasons_text", "report_items",
    "require_pilots", "reset_filters", "retry_store", "rounded_as_shown", "set_view", "shown_achievement", "sidebar", "state",
    "store", "table", "table_downloads", "tr", "url_page", "valid_param", "words", "write_url",
]
