"""The store and the query layer: the one place a page's data comes from.

Every page asks `query(name, view, **extra)`; the cached store, the query cache keyed by the
data version, the default as-of date and the filter options live here and nowhere else.

Scope (issue 12): `store()` is the store as the signed-in person sees it (`pilotdash.scope.Limited`:
every read through it is limited to their pilots, whoever reads), and the query cache, the filter
options and the default as-of date are kept per scope, so a provincial person can never be
handed a frame cached for a wider scope. The person comes from `sign_in.current` (the sign-in
provider), never from the URL: a share link carries filters only.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import named_queries
from .. import scope as scope_mod
from ..domain import ENUMS
from ..filters import Options, ViewState
from ..i18n import t
from ..store import Store, open_store
from . import sign_in


@st.cache_resource(show_spinner=False)
def base_store() -> Store:
    """The whole store (every pilot): for writes and the people and audit tables only."""
    return open_store()


def person():
    """The signed-in, enabled person (`sign_in.current`), looked up once per page run (roles are checked
    against the store at every action); None when signed out, unknown or disabled."""
    return sign_in.current(base_store())


# The scope is looked up once per page run (a page runs a dozen queries; on the hosted store each
# lookup is a round trip): `ui.load_state`, at the top of every run, forgets it, and a change of
# the provider's identity (sign-out, another sign-in) is never served the previous one.
_SCOPE = "_scope_of_run"


def forget_scope() -> None:
    st.session_state.pop(_SCOPE, None)


def current_scope() -> scope_mod.Scope:
    """The person's scope. Signed out, unknown or disabled: nothing is read; the page says to sign
    in (in both languages, the language being part of what is not shown) and stops."""
    identity = sign_in.signed_in_email()
    kept = st.session_state.get(_SCOPE)
    if kept is not None and kept[0] == identity:
        return kept[1]
    who = person()
    if who is None:
        st.warning(f"{t('scope.sign_in', 'zh')}\n\n{t('scope.sign_in', 'en')}", icon=":material/login:")
        st.stop()
    st.session_state[_SCOPE] = (identity, who.scope)
    return who.scope


def store() -> Store:
    """The store as the current person sees it: every read through it is limited to their scope."""
    return scope_mod.limited(base_store(), current_scope())


def _scope_key() -> tuple:
    return current_scope().key()


# Held once per server process and handed out as shallow copies: pandas' copy-on-write makes
# each page's copy its own (a change to it copies what it changes, never the cached frame), and
# nothing is pickled and unpickled on every view (st.cache_data does that: a quarter of a
# second per view at 100× scale). Keyed by the data version, so an upload never shows old rows.
@st.cache_resource(show_spinner=False, max_entries=512)
def _cached_query(name: str, args: tuple, version: str, scope_key: tuple) -> pd.DataFrame:
    scope = scope_mod.Scope(scope_key[0], scope_key[1])
    return named_queries.run(scope_mod.limited(base_store(), scope), name, dict(args))


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
    return _cached_query(name, frozen, base_store().data_version(), _scope_key()).copy(deep=False)


def clear_caches() -> None:
    """After the data changed: every page shows the new numbers (the measure snapshots were
    rebuilt by the change itself: pilotdash.events)."""
    _cached_query.clear()
    _options.clear()


def default_as_of() -> dt.date:
    """The latest period of the person's pilots (the national one for the national office)."""
    return _default_as_of(base_store().data_version(), _scope_key())


@st.cache_data(show_spinner=False)
def _default_as_of(version: str, scope_key: tuple) -> dt.date:
    return named_queries.default_as_of(scope_mod.limited(base_store(), scope_mod.Scope(*scope_key)))


def as_of(state: ViewState | None) -> dt.date:
    return state.as_of if state and state.as_of else default_as_of()


@st.cache_data(show_spinner=False)
def _options(version: str, scope_key: tuple) -> Options:
    """What the person's pilots offer for each filter (a province outside the scope is no option)."""
    frame = named_queries.run(scope_mod.limited(base_store(), scope_mod.Scope(*scope_key)), "filter_options")
    by_field: dict[str, list[str]] = {}
    for field, code in zip(frame["field"], frame["code"]):
        by_field.setdefault(field, []).append(code)
    provinces = frame[frame["field"] == "province"]
    cities = frame[frame["field"] == "city"]
    status_order = ENUMS["project_status"]
    return Options(
        belt=tuple(c for c in ENUMS["belt"] if c in by_field.get("belt", [])),
        province=tuple(provinces["code"]),
        province_belt=dict(zip(provinces["code"], provinces["belt"])),
        city=tuple(cities["code"]),
        city_belt=dict(zip(cities["code"], cities["belt"])),
        domain=tuple(c for c in ENUMS["domain"] if c in by_field.get("domain", [])),
        pilot_type=tuple(c for c in ENUMS["pilot_type"] if c in by_field.get("pilot_type", [])),
        status=tuple(c for c in status_order if c in by_field.get("status", [])),
        fiscal_year=tuple(sorted(by_field.get("fiscal_year", []))),
    )


def options() -> Options:
    return _options(base_store().data_version(), _scope_key())
