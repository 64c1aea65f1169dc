"""A table's columns from their names: the pilot columns (`ui.pilot_columns`), the registered
columns (`pilotdash.columns.COLUMNS`) and the measures (`pilotdash.measures.MEASURES`), each
declared once and shown the same on every page."""

from __future__ import annotations

import streamlit as st

from ..columns import COLUMNS, Column
from ..measures import MEASURES
from .measures import measure_column
from .state import tr
from .tables import money_column, percent_column, pilot_columns


def registered_column(column: Column) -> st.column_config.Column:
    """The Streamlit column for a registry entry: its header (with its shape), format and help."""
    header = f"{column.mark} {tr(column.label)}" if column.mark else tr(column.label)
    help = tr(column.help) if column.help else None
    if column.kind == "money":
        return money_column(column.label)
    if column.kind in ("pct", "pct_plain"):
        return percent_column(header, bar=column.kind == "pct", help=help, width=column.width)
    if column.kind == "link":
        return st.column_config.LinkColumn(header, display_text=column.format, width=column.width, help=help)
    if column.kind == "number":
        return st.column_config.NumberColumn(header, format=column.format, width=column.width, help=help)
    return st.column_config.TextColumn(header, width=column.width, help=help)


def table_columns(*names: str, **overrides: str | Column | dict) -> dict[str, st.column_config.Column]:
    """A table's column_config for the frame columns `names`, in order: each a pilot column, a
    registered column or a measure. `overrides` give a column another registry entry (by its
    name: `status="indicator_status"`), a `Column`, or a Streamlit column config of its own."""
    shared = pilot_columns()
    config: dict[str, st.column_config.Column] = {}
    for name in (*names, *(n for n in overrides if n not in names)):
        entry = overrides.get(name, name)
        if isinstance(entry, Column):
            config[name] = registered_column(entry)
        elif not isinstance(entry, str):
            config[name] = entry
        elif entry in shared:
            config[name] = shared[entry]
        elif entry in COLUMNS:
            config[name] = registered_column(COLUMNS[entry])
        elif entry in MEASURES:
            config[name] = measure_column(entry)
        else:
            raise KeyError(f"no column {entry!r}: not a pilot column, not in pilotdash.columns, not a measure")
    return config
