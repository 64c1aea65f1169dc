"""The store and the query layer: the one place a page's data comes from.

Every page asks `query(name, view, **extra)`; the cached store, the query cache keyed by the
data version, the default as-of date and the filter options live here and nowhere else.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import named_queries, snapshots
from ..domain import ENUMS
from ..filters import Options, ViewState
from ..store import Store, open_store


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
