"""Tables: column kinds (money, rates, the project link), rounding as shown, long tables one
page at a time, and pilots as a table of links; each with its downloads."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd
import streamlit as st

from ..domain import STATUS_THRESHOLDS
from ..filters import province_name
from ..i18n import judged, label
from . import layout
from .report import table_downloads
from .state import lang, links, tr
from .text import health_badge, project_names, reasons_text, words


# The columns whose words are a row's subject or its explanation (a pilot's name, the reasons
# for its health): they get the width their longest words need, up to a cap, and wrap onto more
# lines past it, so no name or reason is cut at "…" (issue 22 item 6).
WHOLE_TEXT = ("name", "reasons", "schedule_reasons")
# Widths in px (st.dataframe's own: "medium" is 200, "large" 400): the most a whole-text column
# takes before it wraps, on a wide screen and on a phone (three columns in ~358 px).
WHOLE_TEXT_CAP = {"name": 400, "reasons": 480, "schedule_reasons": 480}
PHONE_WHOLE_TEXT_CAP = 190
CELL_PADDING = 20  # px: the grid's padding either side of a cell's words, and a little slack
WIDE_CHAR_PX, NARROW_CHAR_PX = 14.0, 8.0  # at the grid's 14 px font: a CJK character, a Latin one on average
# st.dataframe wraps words in a cell only when its rows are taller than 4rem (64 px); each line
# of 14 px words takes ~20 px. It then wraps every text column, so the short ones (a belt, a
# status) are widened to their words first, up to SHORT_TEXT_CAP: "Suspended" broke as "Suspende/d".
WRAP_MIN_ROW_HEIGHT, LINE_PX, MAX_LINES = 66, 20, 3
SHORT_TEXT_CAP = 180
NOMINAL_WIDTHS = {"small": 75, "medium": 200, "large": 400}


def text_px(text: str) -> float:
    """About how wide `text` is drawn in a table's cell, in px."""
    return sum(WIDE_CHAR_PX if ord(c) >= 0x2E80 else NARROW_CHAR_PX for c in text)


def whole_text(frame: pd.DataFrame, column_config: dict | None,
               order: Sequence[str] | None = None) -> tuple[dict | None, int | None]:
    """`column_config` with each WHOLE_TEXT column of `frame` shown (in `order`, or all) as wide
    as its longest words need, up to its cap; and the row height that wraps them onto as many
    lines as the longest needs past the cap (None: one line is enough)."""
    config, lines = dict(column_config or {}), 1
    # A column configured as None is hidden: it stays hidden.
    visible = [c for c in (order or frame.columns) if c in frame.columns and not (c in config and config[c] is None)]
    shown = [c for c in visible if c in WHOLE_TEXT]
    if not shown or frame.empty:
        return column_config, None

    def needed(column: str, cfg: dict) -> float:
        values = frame[column].dropna().astype(str).unique()[:5000]
        return max([text_px(v) for v in values] + [text_px(cfg.get("label") or "")]) + CELL_PADDING

    for column in shown:
        cfg = dict(config.get(column) or {})
        need = needed(column, cfg)
        cap = PHONE_WHOLE_TEXT_CAP if layout.phone() else WHOLE_TEXT_CAP[column]
        cfg["width"] = int(min(need, cap))
        config[column] = cfg
        lines = max(lines, min(MAX_LINES, int(-(-(need - CELL_PADDING) // (cap - CELL_PADDING)))))
    if lines == 1:
        return config, None
    for column in (c for c in visible if c not in WHOLE_TEXT):
        cfg = dict(config.get(column) or {})
        width = cfg.get("width")
        if (cfg.get("type_config") or {}).get("type", "text") != "text" or not pd.api.types.is_string_dtype(frame[column]):
            continue
        nominal = NOMINAL_WIDTHS.get(width, width) if width is not None else None
        need = needed(column, cfg)
        if nominal is not None and need > nominal:
            cfg["width"] = int(min(need, SHORT_TEXT_CAP))
            config[column] = cfg
    return config, max(WRAP_MIN_ROW_HEIGHT, 8 + LINE_PX * lines)


def table(frame: pd.DataFrame, file_stem: str, column_config: dict | None = None,
          height: int | str = "auto", key: str | None = None, title: str | None = None,
          phone: Sequence[str] | None = None, **selection: object) -> object:
    """A table and CSV / Excel downloads of exactly the rows and columns it shows; `title`
    (or the file stem) heads it in the view's report. On a phone it shows its key columns
    (`phone`, or those `layout.key_columns` picks), the downloads all of them. `selection`
    (on_select, selection_mode) goes to st.dataframe, whose result is returned."""
    frame = rounded_as_shown(frame, column_config)
    order = _phone_columns(frame.columns, column_config, phone)
    fitted, row_height = whole_text(frame, column_config, order)
    shown_table = st.dataframe(frame, column_config=fitted, hide_index=True, width="stretch",
                               height=height, key=key, column_order=order, row_height=row_height, **selection)
    _phone_note(order, frame.columns)
    shown = frame.rename(columns={
        c: (cfg or {}).get("label") or c for c, cfg in (column_config or {}).items() if c in frame.columns
    })
    table_downloads(shown, file_stem, key or file_stem, title, percent=percent_labels(column_config))
    return shown_table


def _phone_columns(columns: Iterable[str], column_config: dict | None,
                   keep: Sequence[str] | None = None) -> list[str] | None:
    """The columns a table shows on this screen (None: all of them)."""
    return layout.key_columns(list(columns), column_config, keep)


def _phone_note(order: list[str] | None, columns: Iterable[str]) -> None:
    """Under a table cut to its key columns: that the downloads hold the others."""
    total = len(list(columns))
    if order is not None and len(order) < total:
        st.caption(tr("common.phone_columns", shown=len(order), total=total))


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
        **pilot_columns(),
        "health_before": st.column_config.TextColumn(tr("overview.health_before"), width="small",
                                                     help=tr("overview.health_before_help", date=before or "")),
    }
    page = page_of(frame, key) if paged else frame
    rows = shape(page)
    order = _phone_columns(rows.columns, config)
    fitted, row_height = whole_text(rows, config, order)
    st.dataframe(rows, column_config=fitted, hide_index=True, width="stretch", key=f"tbl_{key}", column_order=order,
                 row_height=row_height)
    _phone_note(order, rows.columns)

    def download() -> pd.DataFrame:  # every row, the link as the project id it links to
        rows = shape(frame, download=True)
        return rows.rename(columns={c: config[c]["label"] for c in rows.columns if c in config})

    table_downloads(download, key, key, title)


def paged_table(frame: pd.DataFrame, file_stem: str, column_config: dict, key: str, *,
                rows: slice | None = None, title: str | None = None,
                shape: Callable[[pd.DataFrame], pd.DataFrame] | None = None,
                phone: Sequence[str] | None = None) -> None:
    """A long table shown one page at a time (`rows`, e.g. from url_page, or a page_of
    chooser), with downloads of every row in the shown columns; a LinkColumn `link` is
    downloaded as the project id it links to. `shape`, when given, makes the shown columns
    (words, links) from rows of `frame`, row by row: it runs on the page shown, and on every
    row only when a download or the report asks. On a phone: its key columns (`phone`, or
    those `layout.key_columns` picks)."""
    shape = shape or (lambda rows: rows)
    page = rounded_as_shown(shape(frame.iloc[rows] if rows is not None else page_of(frame, key)), column_config)
    order = _phone_columns(page.columns, column_config, phone)
    fitted, row_height = whole_text(page, column_config, order)
    st.dataframe(page, column_config=fitted, hide_index=True, width="stretch", key=f"tbl_{key}",
                 column_order=order, row_height=row_height)
    _phone_note(order, page.columns)

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


def pilot_columns() -> dict[str, st.column_config.Column]:
    """The columns every table of pilots shares, defined once: the project link, its name, belt,
    province, domain, phase, status, health and the reasons for it (in words, made by the page or
    by `project_table`)."""
    return {
        "link": project_link_column(),
        # A pilot's name is the table's subject: the room it needs on a wide screen (names of 18
        # characters were cut at "medium"); a phone keeps room for the columns beside it.
        "name": st.column_config.TextColumn(tr("common.project_name"), width="medium" if layout.phone() else "large"),
        "belt": st.column_config.TextColumn(tr("filter.belt"), width="small"),
        "province": st.column_config.TextColumn(tr("filter.province"), width="small"),
        "domain": st.column_config.TextColumn(tr("filter.domain")),
        "phase": st.column_config.TextColumn(tr("filter.phase"), width="small"),
        "status": st.column_config.TextColumn(tr("filter.status"), width="small"),
        "health": st.column_config.TextColumn(tr("overview.health"), width="small"),
        "reasons": st.column_config.TextColumn(tr("common.reasons"), width="large"),
    }
