"""The Streamlit frame around every page: the store, cached named queries, the view state in the
URL, the sidebar (language, navigation, filters), headers, notices and tables.

Pages call these and draw; they hold no SQL and no business rules. The URL is the single
source of the view: each run parses `st.query_params` into a `ViewState` (dropping what is
invalid, with a visible notice), widgets are set from it, and a widget change writes the new
canonical parameters back, so the address bar is always a complete, shareable link.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import logging
import threading
from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from . import charts, exports, named_queries, snapshots
from .domain import ENUMS, STATUS_THRESHOLDS
from .filters import FILTER_ENUM, FILTERS, Notice, Options, ViewState, parse, province_name
from .i18n import LANGS, fmt_date, fmt_money_delta, judged, label, t
from .store import Store, StoreError, open_store

_STATE = "_view_state"
_NOTICES = "_view_notices"
_PAGES = "_pages"


# Store and queries -------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def store() -> Store:
    return open_store()


# Held once per server process and handed out as shallow copies: pandas' copy-on-write makes
# each page's copy its own (a change to it copies what it changes, never the cached frame), and
# nothing is pickled and unpickled on every view (st.cache_data does that: a quarter of a
# second per view at 100× scale). Keyed by the data version, so an upload never shows old rows.
@st.cache_resource(show_spinner=False, max_entries=512)
def _cached_query(name: str, args: tuple, version: str) -> pd.DataFrame:
    return named_queries.run(store(), name, dict(args))


def _freeze(value: object) -> object:
    return tuple(value) if isinstance(value, list) else value


def query(name: str, state: ViewState | None = None, **extra: object) -> pd.DataFrame:
    """Named query `name` for the view's filters (those the query takes) plus `extra`,
    cached per parameters and data version (an upload changes the version)."""
    declared = {p.name for p in named_queries.get(name).params}
    args = {k: v for k, v in (state.query_args() if state else {}).items() if k in declared}
    args.update(extra)
    if "as_of" in declared and args.get("as_of") is None:
        args["as_of"] = as_of(state)
    frozen = tuple(sorted((k, _freeze(v)) for k, v in args.items()))
    return _cached_query(name, frozen, store().data_version()).copy(deep=False)


def clear_caches() -> None:
    """After the data changed: every page shows the new numbers. The measure snapshots for
    the default date are rebuilt now, so the first page viewed after an upload reads them."""
    _cached_query.clear()
    _options.clear()
    snapshots.refresh(store())


def default_as_of() -> dt.date:
    return _default_as_of(store().data_version())


@st.cache_data(show_spinner=False)
def _default_as_of(version: str) -> dt.date:
    return named_queries.default_as_of(store())


def as_of(state: ViewState | None) -> dt.date:
    return state.as_of if state and state.as_of else default_as_of()


@st.cache_data(show_spinner=False)
def _options(version: str) -> Options:
    frame = named_queries.run(store(), "filter_options")
    by_field: dict[str, list[str]] = {}
    for field, code in zip(frame["field"], frame["code"]):
        by_field.setdefault(field, []).append(code)
    provinces = frame[frame["field"] == "province"]
    status_order = ENUMS["project_status"]
    return Options(
        province=tuple(provinces["code"]),
        province_belt=dict(zip(provinces["code"], provinces["belt"])),
        domain=tuple(c for c in ENUMS["domain"] if c in by_field.get("domain", [])),
        pilot_type=tuple(c for c in ENUMS["pilot_type"] if c in by_field.get("pilot_type", [])),
        status=tuple(c for c in status_order if c in by_field.get("status", [])),
        fiscal_year=tuple(sorted(by_field.get("fiscal_year", []))),
    )


def options() -> Options:
    return _options(store().data_version())


# View state and URL ------------------------------------------------------------------------


def _raw_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def load_state() -> ViewState:
    """Parse the URL into this run's view state; invalid parts become notices and are
    dropped from the address bar, so the link that remains is the view shown."""
    try:
        opts = options()
    except StoreError as exc:
        # Another process holds the store (a second server, a CLI build), or the hosted store's
        # database is down: say so, in both languages since the language itself is in the
        # unreadable part. A hosted outage (`retry`) is retried by itself until the store is back.
        if getattr(exc, "retry", None):
            retry_store(exc)
        key = getattr(exc, "key", "common.store_unavailable")  # a long upload elsewhere: say so
        st.error(f"{t(key, 'zh')}\n\n{t(key, 'en')}\n\n{exc}")
        st.stop()
    state, notices = parse(_raw_params(), opts)
    st.session_state[_STATE] = state
    if notices:
        st.session_state[_NOTICES] = notices
        write_url(state)
    return state


def retry_store(exc: Exception) -> None:
    """The hosted store's database is not answering (`exc.retry` set): say so in both languages
    and have the browser load the same address again after `exc.retry` seconds, until the store
    is back. (A reload rather than st.rerun: a rerun asked for before st.navigation has run lands
    on the home page, and this may happen that early.) Never returns."""
    import streamlit.components.v1 as components

    key = getattr(exc, "key", "common.store_unavailable")
    st.warning(f"{t(key, 'zh')}\n\n{t(key, 'en')}", icon=":material/hourglass_top:")
    logging.getLogger(__name__).warning("store unavailable, retrying in %s s: %s", exc.retry, exc)
    delay = int(float(exc.retry) * 1000)  # a number from our own exception class, not user text
    components.html(f"<script>setTimeout(() => window.parent.location.reload(), {delay});</script>", height=0)
    st.stop()


def state() -> ViewState:
    return st.session_state.get(_STATE) or load_state()


def lang() -> str:
    return state().lang


def tr(key: str, **values: object) -> str:
    return t(key, lang(), **values)


def write_url(new: ViewState) -> None:
    st.session_state[_STATE] = new
    params = new.query_params()
    if dict(st.query_params.to_dict()) != params:
        st.query_params.from_dict(params)


def set_view(**changes: object) -> None:
    """Change part of the view (a filter, lang, as_of, a page parameter) and its URL."""
    write_url(state().replace(**changes))


def nav_params(new: ViewState | None = None, **extras: str) -> dict[str, str]:
    """URL parameters for a link to another page: the shared filters, plus `extras`."""
    base = (new or state())
    shared = ViewState(base.lang, base.as_of, base.filters,
                       {k: v for k, v in base.extras.items() if k == "present"})
    params = shared.query_params()
    params.update({k: v for k, v in extras.items() if v is not None})
    return params


def link(url_path: str, **extras: str) -> str:
    """A relative link to a page with the current filters, e.g. for a LinkColumn."""
    from urllib.parse import urlencode

    query = urlencode(nav_params(**extras))
    return f"/{url_path}?{query}" if query else f"/{url_path}"


# Sidebar ---------------------------------------------------------------------------------


def _widget_key(field: str) -> str:
    return f"w_{field}"


def _on_widget(field: str) -> None:
    value = st.session_state[_widget_key(field)]
    current = state()
    if field == "lang":
        write_url(current.replace(lang=value))
    elif field == "as_of":
        write_url(current.replace(as_of=None if value == default_as_of() else value))
    elif field == "belt":
        belts = tuple(value)
        provinces = options().for_field("province", belts)
        kept = tuple(p for p in current.get("province") if p in provinces)
        write_url(current.replace(belt=belts, province=kept))
    else:
        write_url(current.replace(**{field: tuple(value)}))


def _format(field: str) -> Callable[[str], str]:
    language = lang()
    if field in FILTER_ENUM:
        return lambda code: label(FILTER_ENUM[field], code, language)
    if field == "province":
        return lambda code: province_name(code, language)
    return str


def sidebar(pages: Sequence[tuple[st.Page, str]]) -> None:
    """Language, page links carrying the filters, and the filters themselves."""
    current = state()
    language = current.lang
    with st.sidebar:
        st.session_state[_widget_key("lang")] = language
        st.segmented_control(
            t("sidebar.language", language), LANGS, key=_widget_key("lang"),
            format_func=lambda code: {"zh": "中文", "en": "English"}[code],
            on_change=_on_widget, args=("lang",), selection_mode="single",
        )
        for page, icon in pages:
            st.page_link(page, label=page.title, icon=icon, query_params=nav_params())
        st.divider()
        st.subheader(t("sidebar.filters", language))
        opts = options()
        for field in FILTERS:
            choices = opts.for_field(field, current.get("belt"))
            key = _widget_key(field)
            st.session_state[key] = [v for v in current.get(field) if v in choices]
            st.multiselect(
                t(f"filter.{field}", language), choices, key=key, format_func=_format(field),
                on_change=_on_widget, args=(field,), placeholder=t("filter.all", language),
            )
        st.session_state[_widget_key("as_of")] = as_of(current)
        st.date_input(t("filter.as_of", language), key=_widget_key("as_of"),
                      on_change=_on_widget, args=("as_of",), format="YYYY-MM-DD")
        if current.as_of:
            st.caption(t("sidebar.as_of_pinned", language))
            if st.button(t("sidebar.latest", language), key="btn_latest"):
                set_view(as_of=None)
                st.rerun()
        else:
            st.caption(t("sidebar.as_of_latest", language))
        if any(current.filters.values()):
            if st.button(t("sidebar.reset", language), key="btn_reset_sidebar"):
                reset_filters()


def reset_filters() -> None:
    current = state()
    write_url(ViewState(current.lang, current.as_of, {}, {}))
    st.rerun()


# Page furniture --------------------------------------------------------------------------

_frame = threading.local()


def frame_started() -> None:
    """Called first by app.py. A `pages/` folder beside app.py makes Streamlit start every
    fresh server (and every AppTest) in its old multipage mode, which runs app.py — or, for a
    first request to /funds, pages/funds.py alone — under other page ids; widget ids then
    change on the next run and the first click is lost. Streamlit leaves that mode for good
    once st.navigation has run; leave it now and run again, before drawing anything."""
    from streamlit.runtime.pages_manager import PagesManager

    if PagesManager.uses_pages_directory:
        PagesManager.uses_pages_directory = False
        st.rerun()
    _frame.active = True


def frame_finished() -> None:
    _frame.active = False


def _ensure_frame() -> None:
    """A page run without app.py's frame (the old mode's first request) switches as above."""
    if not getattr(_frame, "active", False):
        from streamlit.runtime.pages_manager import PagesManager

        PagesManager.uses_pages_directory = False
        st.rerun()


def header(title_key: str) -> ViewState:
    """Title, the filters in words, the demo-data marker and any notices about the link."""
    _ensure_frame()
    current = state()
    st.title(tr(title_key))
    if not presenting(current):  # the presentation's title line already states the filters
        st.caption(current.describe(current.lang, as_of(current)))
    if store().meta("is_demo") == "1":
        st.info(tr("common.demo_marker"), icon=":material/science:")
    for notice in st.session_state.pop(_NOTICES, []):
        st.warning(notice.text(current.lang) if isinstance(notice, Notice) else str(notice),
                   icon=":material/link_off:")
    return current


def require_pilots(current: ViewState) -> bool:
    """False, with a clear message and a way out, when the filters match no pilot."""
    counts = query("projects_by_belt_phase", current)
    if counts["projects"].sum() > 0:
        return True
    st.warning(tr("common.no_match"), icon=":material/filter_alt_off:")
    if st.button(tr("sidebar.reset"), key="btn_reset_empty", type="primary"):
        reset_filters()
    return False


def label_column(frame: pd.DataFrame, column: str, field: str) -> pd.Series:
    """The words for a column of codes: each distinct code looked up once."""
    language = lang()
    codes = frame[column]
    words = {code: label(field, code, language) for code in codes.dropna().unique()}
    return codes.map(words).where(codes.notna(), label(field, None, language))


def health_badge(code: str, language: str | None = None) -> str:
    """Health in words with a shape, so it never rests on colour alone (in `language`, or the
    view's: a download made after the run has no view)."""
    symbol = {"red": "✖", "amber": "▲", "green": "✔"}.get(code, "·")
    return f"{symbol} {label('health', code, language or lang())}"


def reasons_text(reasons: Sequence[str], language: str | None = None) -> str:
    language = language or lang()
    return "；".join(t(f"reason.{r}", language) for r in reasons) if language == "zh" else \
        "; ".join(t(f"reason.{r}", language) for r in reasons)


def project_name(row: pd.Series) -> str:
    name_en = row.get("name_en")
    if lang() == "en" and isinstance(name_en, str) and name_en:
        return name_en
    return row["name_zh"]


def project_names(frame: pd.DataFrame, language: str | None = None) -> list[str]:
    """`project_name` of every row, in one pass (no per-row lookups: tables may hold 16,000)."""
    if (language or lang()) != "en" or "name_en" not in frame:
        return frame["name_zh"].tolist()
    return [en if isinstance(en, str) and en else zh
            for zh, en in zip(frame["name_zh"].tolist(), frame["name_en"].tolist())]


def links(url_path: str, param: str, values: Sequence[str]) -> list[str]:
    """`link(url_path, param=value)` for each value, the shared filters worked out once."""
    from urllib.parse import quote_plus, urlencode

    base = nav_params()
    if param in base:
        return [link(url_path, **{param: v}) for v in values]
    prefix = f"/{url_path}?" + (urlencode(base) + "&" if base else "") + quote_plus(param) + "="
    plain = pd.Series(values, dtype="string")
    if len(plain) and plain.notna().all() and plain.str.fullmatch(r"[A-Za-z0-9_.~-]+").all():
        return (prefix + plain).tolist()  # nothing to quote: one vectorised concatenation
    return [prefix + quote_plus(str(v)) if v is not None else link(url_path) for v in values]


def words(values: pd.Series | pd.DataFrame | Iterable[object], word: Callable[[object], str]) -> list[str]:
    """`word(v)` for each value, worked out once per distinct value: a table of 160,000 rows
    holds a few dozen codes, and each lookup of the view's language costs a session-state read.
    A DataFrame gives `word` each row's values as a tuple."""
    if isinstance(values, (pd.Series, pd.DataFrame)) and len(values):
        frame = values.to_frame() if isinstance(values, pd.Series) else values
        key, size = np.zeros(len(frame), dtype=np.int64), 1
        for column in range(frame.shape[1]):
            codes, uniques = pd.factorize(frame.iloc[:, column], use_na_sentinel=True)
            size *= len(uniques) + 1
            key = key * (len(uniques) + 1) + (codes + 1)
        if size < 2 ** 62:
            _, first, inverse = np.unique(key, return_index=True, return_inverse=True)
            keys = list(frame.iloc[first].itertuples(index=False, name=None))  # the values themselves
            texts = [word(k[0] if isinstance(values, pd.Series) else k) for k in keys]
            return np.asarray(texts, dtype=object)[inverse.ravel()].tolist()
        values = values.tolist() if isinstance(values, pd.Series) else frame.itertuples(index=False, name=None)
    memo: dict[object, str] = {}
    return [memo[v] if v in memo else memo.setdefault(v, word(v)) for v in values]


def date_texts(values: pd.Series) -> list[str]:
    """`date_text` of every value of a column."""
    language = lang()
    return words(values, lambda d: fmt_date(d, language))


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Chinese text correctly."""
    return exports.csv_bytes(frame)


def table(frame: pd.DataFrame, file_stem: str, column_config: dict | None = None,
          height: int | str = "auto", key: str | None = None, title: str | None = None) -> None:
    """A table and CSV / Excel downloads of exactly the rows and columns it shows; `title`
    (or the file stem) heads it in the view's report."""
    frame = rounded_as_shown(frame, column_config)
    st.dataframe(frame, column_config=column_config, hide_index=True, width="stretch",
                 height=height, key=key)
    shown = frame.rename(columns={
        c: (cfg or {}).get("label") or c for c, cfg in (column_config or {}).items() if c in frame.columns
    })
    table_downloads(shown, file_stem, key or file_stem, title, percent=percent_labels(column_config))


def rounded_as_shown(frame: pd.DataFrame, column_config: dict | None) -> pd.DataFrame:
    """`frame` with each number column that has a step (money, rates) rounded to the step's
    decimals: Streamlit cuts such a cell to its step (363.957 showed as 363.95), so it is
    rounded first, and the downloads carry the numbers as shown."""
    out = None
    for column, cfg in (column_config or {}).items():
        step = ((cfg or {}).get("type_config") or {}).get("step")
        if column in frame.columns and step and pd.api.types.is_float_dtype(frame[column]):
            out = frame.copy() if out is None else out
            out[column] = out[column].round(len(f"{step:f}".rstrip("0").split(".")[1]))
    return frame if out is None else out


def percent_labels(column_config: dict | None) -> frozenset[str]:
    """The shown names of the columns configured as percentages (the report writes them 12.3%;
    downloads keep the ratio itself)."""
    return frozenset((cfg or {}).get("label") or c for c, cfg in (column_config or {}).items()
                     if ((cfg or {}).get("type_config") or {}).get("format") == "percent")


_UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p,
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "{button}"; font-size: 14px; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{ content: "{hint}"; font-size: 14px; }}
</style>"""


def file_uploader(label_text: str, types: Sequence[str], key: str):
    """st.file_uploader with its own words in the page's language: Streamlit writes the button
    ("Upload") and the drop-zone hint in English only, so a style puts ours in their place."""
    def css_text(text: str) -> str:  # our own words from translations.csv, quoted for CSS
        return text.replace("\\", "\\\\").replace('"', '\\"')

    hint = tr("common.upload_hint", types=" · ".join(kind.upper() for kind in types))
    st.html(_UPLOADER_CSS.format(button=css_text(tr("common.upload_button")), hint=css_text(hint)))
    return st.file_uploader(label_text, type=list(types), key=key)


def money_column(key: str) -> st.column_config.NumberColumn:
    # Amounts in 万元 with two decimals always (a step sets the decimals; without one they trim:
    # 2,547.7 beside 83.479).
    return st.column_config.NumberColumn(tr(key) + tr("common.unit_money"), format="localized", step=0.01)


# Streamlit's "percent" format shows as many decimals as the step has, less two: a step of
# 0.001 gives one decimal always (40.0%, 49.2%), as fmt_pct does; without one it trims (40%, 49.16%).
PERCENT_STEP = 0.001


def percent_column(label_text: str, *, bar: bool = True, help: str | None = None,
                   width: str | None = None) -> st.column_config.Column:
    """A ratio column shown as a percentage with one decimal, as a 0-100% bar unless `bar` is
    False (achievement rates, which are not capped in tables)."""
    if bar:
        return st.column_config.ProgressColumn(label_text, format="percent", step=PERCENT_STEP, min_value=0.0,
                                               max_value=1.0, help=help, width=width)
    return st.column_config.NumberColumn(label_text, format="percent", step=PERCENT_STEP, help=help, width=width)


def shown_achievement(values: Iterable[object]) -> np.ndarray:
    """Achievement rates for a percent column beside their status: at the column's one decimal,
    never rounded up onto the met or near threshold they miss (99.96% shows as 99.9% beside
    "near", not 100.0%)."""
    return np.array([np.nan if pd.isna(v) else judged(v, STATUS_THRESHOLDS, 3) for v in values], dtype=float)


def rate_column(key: str) -> st.column_config.ProgressColumn:
    return percent_column(tr(key))


def date_text(value: object) -> str:
    return fmt_date(value, lang())


PAGE_SIZE = 50


def page_of(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    """One page of a long table, with a page chooser; the browser only receives that page."""
    if len(frame) <= PAGE_SIZE:
        return frame
    pages = (len(frame) + PAGE_SIZE - 1) // PAGE_SIZE
    page = st.pagination(pages, key=f"page_{key}", max_visible_pages=7)
    st.caption(tr("common.rows_shown", first=(page - 1) * PAGE_SIZE + 1,
                  last=min(page * PAGE_SIZE, len(frame)), total=len(frame)))
    return frame.iloc[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]


def project_table(frame: pd.DataFrame, key: str, extra_columns: Sequence[str] = (), paged: bool = False,
                  title: str | None = None, before: str | None = None) -> None:
    """Pilots as a table whose first column links to each one's project page; with `before` (a
    date's words), a `health_before` column shows their health on that date beside today's."""
    language = lang()

    def shape(rows: pd.DataFrame, download: bool = False) -> pd.DataFrame:
        """The shown columns of `rows`: made for the page shown, and for every row only when a
        download or the report asks (tables may hold 16,000 pilots), then after the run, so in
        the language captured here and with the project id for the link. Words once per
        distinct code, no per-row lookups."""
        rows = rows.reset_index(drop=True)
        ids = rows["project_id"].tolist()
        shown = pd.DataFrame({
            "link": ids if download else links("project", "project", ids),
            "name": project_names(rows, language),
        })
        if "belt" in rows:
            shown["belt"] = words(rows["belt"], lambda b: label("belt", b, language))
        if "province_code" in rows:
            shown["province"] = words(rows["province_code"], lambda p: province_name(p, language))
        for column, field in (("domain", "domain"), ("phase", "phase"), ("status", "project_status")):
            if column in rows:
                shown[column] = words(rows[column], lambda v, f=field: label(f, v, language))
        if "health_before" in rows:
            shown["health_before"] = words(rows["health_before"], lambda h: health_badge(h, language))
        if "health" in rows:
            shown["health"] = words(rows["health"], lambda h: health_badge(h, language))
        if "reasons" in extra_columns and "reasons" in rows:
            shown["reasons"] = words((tuple(r) for r in rows["reasons"].tolist()),
                                     lambda r: reasons_text(list(r), language))
        return shown

    config = {
        "link": project_link_column(),
        "name": st.column_config.TextColumn(tr("common.project_name"), width="medium"),
        "belt": st.column_config.TextColumn(tr("filter.belt"), width="small"),
        "province": st.column_config.TextColumn(tr("filter.province"), width="small"),
        "domain": st.column_config.TextColumn(tr("filter.domain")),
        "phase": st.column_config.TextColumn(tr("filter.phase"), width="small"),
        "status": st.column_config.TextColumn(tr("filter.status"), width="small"),
        "health_before": st.column_config.TextColumn(tr("overview.health_before"), width="small",
                                                     help=tr("overview.health_before_help", date=before or "")),
        "health": st.column_config.TextColumn(tr("overview.health"), width="small"),
        "reasons": st.column_config.TextColumn(tr("common.reasons"), width="large"),
    }
    page = page_of(frame, key) if paged else frame
    st.dataframe(shape(page), column_config=config, hide_index=True, width="stretch", key=f"tbl_{key}")

    def download() -> pd.DataFrame:  # every row, the link as the project id it links to
        rows = shape(frame, download=True)
        return rows.rename(columns={c: config[c]["label"] for c in rows.columns if c in config})

    table_downloads(download, key, key, title)


def count(value: object) -> str:
    return f"{int(value):,}" if not pd.isna(value) else "—"


def change_metric(column, label_text: str, value: str, now: object, before: object, kind: str,
                  *, worse_when_up: bool = False, help: str | None = None) -> None:
    """A headline number with its change since `before`: `kind` "count", "pct" (in percentage
    points) or "money". No delta when either side is "—"; a change that shows as zero is a grey
    "no change" without an arrow (a green ↑ on +0 reads as good news)."""
    if pd.isna(now) or pd.isna(before):
        metric(column, label_text, value, help=help)
        return
    if kind == "count":
        change = int(now) - int(before)
        text = f"{change:+,}"
    elif kind == "pct":
        change = round((float(now) - float(before)) * 100, 1)
        text = tr("common.pct_points", value=f"{change:+.1f}")
    else:
        change = float(now) - float(before)
        text = fmt_money_delta(now, before, lang())
    if change == 0 or text is None:
        metric(column, label_text, value, tr("common.no_change"), delta_color="off", delta_arrow="off", help=help)
    else:
        metric(column, label_text, value, text, delta_color="inverse" if worse_when_up else "normal", help=help)


def metric(column, label_text: str, value: str, delta: str | None = None, *, group: str = "",
           **metric_kwargs: object) -> None:
    """st.metric in `column`, its label, value and change also in the view's report: headline
    numbers drawn one after another (with the same `group`, a heading such as a belt) make one
    block there."""
    column.metric(label_text, value, delta, **metric_kwargs)
    items = st.session_state.setdefault(_REPORT, {})
    last = next(reversed(items), None)
    shown = (label_text, str(value), delta or "")
    if last is not None and last.startswith("metrics:") and items[last].title == group:
        items[last] = dataclasses.replace(items[last], metrics=items[last].metrics + (shown,))
    else:
        items[f"metrics:{len(items)}"] = exports.Item(group, metrics=(shown,))


# Charts, downloads and the view's report ---------------------------------------------------

_REPORT = "_report_items"

# On a projector (presentation mode) charts are this much taller and their words larger.
PRESENT_SCALE = 1.5


def presenting(current: ViewState | None = None) -> bool:
    """Presentation mode 演示模式 (`?present=1`): no sidebar, larger type, no download buttons."""
    return (current or state()).extra("present") == "1"


def begin_report() -> None:
    """Start this run's list of what the page draws (app.py, before the page runs)."""
    st.session_state[_REPORT] = {}


def report_items() -> list[exports.Item]:
    """The charts and tables the page drew in this run, in order, for the view's report."""
    return list(st.session_state.get(_REPORT, {}).values())


def _record(name: str, item: exports.Item) -> None:
    # Keyed by name: a fragment rerun replaces its own items instead of adding them again.
    st.session_state.setdefault(_REPORT, {})[name] = item


def chart(altair_chart, name: str, title: str | None = None, **altair_kwargs: object) -> object:
    """An Altair chart with PNG and SVG downloads under it (rendered on the server only when
    clicked), recorded for the view's report under `title` (or `name`, the file stem).
    `name` must be unique on its page; `altair_kwargs` go to st.altair_chart (key, on_select,
    selection_mode), whose result is returned."""
    big = presenting()
    drawn = charts.for_projector(altair_chart, PRESENT_SCALE) if big else altair_chart
    shown = st.altair_chart(drawn, width="stretch", **altair_kwargs)
    spec = exports.chart_spec(altair_chart)
    _record(f"chart:{name}", exports.Item(title or name, chart=spec))
    if big:
        return shown
    stem = f"{name}_{as_of(state()).isoformat()}"
    with st.container(horizontal=True, gap="small"):
        st.download_button(tr("common.download_png"), lambda: exports.chart_png(spec), file_name=f"{stem}.png",
                           mime="image/png", key=f"png_{name}", icon=":material/image:",
                           on_click="ignore", type="tertiary")
        st.download_button(tr("common.download_svg"), lambda: exports.chart_svg(spec), file_name=f"{stem}.svg",
                           mime="image/svg+xml", key=f"svg_{name}", icon=":material/draw:",
                           on_click="ignore", type="tertiary")
    return shown


def table_downloads(frame: pd.DataFrame | Callable[[], pd.DataFrame], file_stem: str, key: str,
                    title: str | None = None, percent: frozenset[str] = frozenset()) -> None:
    """CSV (UTF-8 with BOM) and Excel downloads of `frame`, exactly as shown, and its place in
    the view's report. `frame` may be a function making it: then it is made only if a download
    or the report asks for it."""
    get = functools.cache(frame) if callable(frame) else (lambda: frame)
    _record(f"table:{key}", exports.Item(title or file_stem, frame=get, percent=percent))
    if presenting():
        return
    stem = f"{file_stem}_{as_of(state()).isoformat()}"
    with st.container(horizontal=True, gap="small"):
        st.download_button(tr("common.download_csv"), lambda: csv_bytes(get()), file_name=f"{stem}.csv",
                           mime="text/csv", key=f"dl_{key}", icon=":material/download:", on_click="ignore")
        st.download_button(tr("common.download_xlsx"), lambda: exports.xlsx_bytes(get(), file_stem),
                           file_name=f"{stem}.xlsx", key=f"xlsx_{key}", icon=":material/table_view:",
                           mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                           on_click="ignore")


def url_page(total: int, size: int, key: str) -> int:
    """Which page (1-based) of `total` rows, `size` per page, the view shows: held in the URL
    (`page_no`) so a shared link opens the same page. A page number that does not exist gives
    a notice and the first page; a chooser appears when there is more than one page."""
    pages = max(1, -(-total // size))
    raw = state().extra("page_no")
    page = int(raw) if raw and raw.isdigit() else 1
    if raw is not None and not (raw.isdigit() and 1 <= page <= pages):
        st.warning(tr("notice.bad_value", name="page_no", value=raw), icon=":material/link_off:")
        page = 1
        set_view(page_no=None)
    if pages > 1:
        widget = f"page_{key}"
        st.session_state[widget] = page
        st.pagination(pages, key=widget, max_visible_pages=7, on_change=_on_page, args=(widget,))
        st.caption(tr("common.rows_shown", first=(page - 1) * size + 1, last=min(page * size, total), total=total))
    return page


def _on_page(widget: str) -> None:
    page = st.session_state[widget]
    set_view(page_no=None if page == 1 else page)


def paged_table(frame: pd.DataFrame, file_stem: str, column_config: dict, key: str, *,
                rows: slice | None = None, title: str | None = None,
                shape: Callable[[pd.DataFrame], pd.DataFrame] | None = None) -> None:
    """A long table shown one page at a time (`rows`, e.g. from url_page, or a page_of
    chooser), with downloads of every row in the shown columns; a LinkColumn `link` is
    downloaded as the project id it links to. `shape`, when given, makes the shown columns
    (words, links) from rows of `frame`, row by row: it runs on the page shown, and on every
    row only when a download or the report asks."""
    shape = shape or (lambda rows: rows)
    page = frame.iloc[rows] if rows is not None else page_of(frame, key)
    st.dataframe(rounded_as_shown(shape(page), column_config), column_config=column_config, hide_index=True,
                 width="stretch", key=f"tbl_{key}")

    def full() -> pd.DataFrame:  # every row: made only when downloaded or reported
        rows = rounded_as_shown(shape(frame), column_config).copy()
        if "link" in rows:
            rows["link"] = rows["link"].str.extract(r"project=([^&]+)", expand=False)
        return rows.rename(columns={c: (cfg or {}).get("label") or c for c, cfg in column_config.items() if c in rows})

    table_downloads(full, file_stem, key, title, percent=percent_labels(column_config))


def project_link_column() -> st.column_config.LinkColumn:
    """The project id as a link to its page (the `link` column holds ui.link("project", ...)),
    wide enough for a whole id such as PJ-2021-0021."""
    return st.column_config.LinkColumn(tr("common.project_id"), display_text=r"project=([^&]+)", width=120)
