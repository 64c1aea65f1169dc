"""Snapshots of the costly measures, so pages read them rather than recompute them.

Nearly every page asks `indicator_status_all(D)` and `project_health_all(D)`; at a national
programme's size (16,000 pilots, three million readings) each costs about a second, and a page
asks several queries built on them. So their rows are kept per as-of date in the tables
`snapshot_indicator_status` and `snapshot_project_health` (see measures.sql), with one line per
date in `snapshot_state` saying for which data version and which measure definitions
(a digest of measures.sql and the thresholds) they were computed.

The query layer (`named_queries.run`) reads through `run(store, sql, params, as_of)`: in one
read (one transaction) it checks which dates are current (a scan of two tiny tables) and, only
when `as_of` is one, sets the connection's variable `snapshot_as_of`, which makes the two macros
read the snapshot. Nothing is remembered between reads: another process may have written, and
the check is what sees it. A snapshot that is not current is built first (once, as a store write
that keeps the data version, then shared by every session and process). Anything else that calls
the macros (another date, a read-only store) computes them live. Either way the rows are the
same: the snapshot is the live macro's output, stored.

Refreshed on upload: a data change makes every snapshot stale (its data version no longer
matches), and `refresh(store)` rebuilds the default date right away; any other date is rebuilt
the first time it is asked for. Stale dates are dropped when a snapshot is built, and at most
`MAX_DATES` dates are kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import logging
import re
import time
from collections.abc import Iterator
from functools import cache

import duckdb
import pandas as pd

from . import events, schema
from .errors import Problem
from .scope import Scope
from .domain import previous_fiscal_year_end, previous_period_end

log = logging.getLogger(__name__)

MAX_DATES = 12
# The snapshot tables and the live macros they store, in build order: project health reads
# indicator status, so it is built over the indicator status snapshot just written.
KINDS = (
    ("snapshot_indicator_status", "indicator_status_live"),
    ("snapshot_project_health", "project_health_live"),
)
SNAPSHOT_MACROS = ("indicator_status_all", "project_health_all")


@cache
def fingerprint() -> str:
    """The measure definitions the snapshots were computed with."""
    text = schema.sql_text("measures.sql") + schema.threshold_macros()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@cache
def _macro_calls() -> dict[str, frozenset[str]]:
    """For each table macro in measures.sql, the names it calls."""
    text = schema.sql_text("measures.sql")
    heads = list(re.finditer(r"CREATE OR REPLACE MACRO (\w+)\(", text))
    calls = {}
    for i, m in enumerate(heads):
        body = text[m.end(): heads[i + 1].start() if i + 1 < len(heads) else len(text)]
        calls[m[1]] = frozenset(re.findall(r"\b(\w+)\s*\(", body))
    return calls


@cache
def uses_snapshots(sql: str) -> bool:
    """Whether this SQL reaches a snapshot-backed macro, directly or through other macros."""
    calls = _macro_calls()
    seen: set[str] = set()
    todo = set(re.findall(r"\b(\w+)\s*\(", sql)) & set(calls)
    while todo:
        name = todo.pop()
        if name in SNAPSHOT_MACROS:
            return True
        seen.add(name)
        todo |= (calls.get(name, frozenset()) & set(calls)) - seen
    return False


_CURRENT = ("SELECT as_of, data_version, measures FROM snapshot_state "
            "UNION ALL SELECT NULL, value, NULL FROM store_meta WHERE key = 'data_version'")


def _current(rows: list[tuple]) -> set[dt.date]:
    version = next((v for d, v, m in rows if d is None and m is None), None) or "0"
    return {d for d, v, m in rows if d is not None and v == version and m == fingerprint()}


def current_dates(cur) -> set[dt.date]:
    """The dates whose snapshot is current: built for this data version and these definitions.
    (One small statement, no parameters, no subquery: it runs before every query that reads a
    snapshot, so it is kept to a plain scan of two tiny tables.)"""
    return _current(cur.execute(_CURRENT).fetchall())


def is_current(cur, as_of: dt.date) -> bool:
    return as_of in current_dates(cur)


def _set(cur, as_of: dt.date) -> None:
    # A date object, so its text is a plain ISO date: no user text reaches the SQL.
    cur.execute(f"SET VARIABLE snapshot_as_of = DATE '{dt.date.fromordinal(as_of.toordinal()).isoformat()}'")


def build(cur, as_of: dt.date) -> float:
    """Compute and store the snapshot for `as_of` on `cur`, inside the caller's write
    transaction; drops stale dates and all but the newest MAX_DATES - 1 others."""
    t0 = time.perf_counter()
    version = cur.execute(
        "SELECT coalesce((SELECT value FROM store_meta WHERE key = 'data_version'), '0')").fetchone()[0]
    cur.execute("DELETE FROM snapshot_state WHERE data_version <> ? OR measures <> ? OR as_of = ?",
                [version, fingerprint(), as_of])
    cur.execute("DELETE FROM snapshot_state WHERE as_of NOT IN "
                "(SELECT as_of FROM snapshot_state ORDER BY built_at DESC LIMIT ?)", [MAX_DATES - 1])
    for table, macro in KINDS:
        cur.execute(f"DELETE FROM {table} WHERE snapshot_as_of NOT IN (SELECT as_of FROM snapshot_state)")
        cur.execute(f"INSERT INTO {table} BY NAME SELECT $d AS snapshot_as_of, * FROM {macro}($d)", {"d": as_of})
        _set(cur, as_of)  # the next kind reads this one
    cur.execute("RESET VARIABLE snapshot_as_of")
    seconds = time.perf_counter() - t0
    cur.execute("INSERT INTO snapshot_state VALUES (?, ?, ?, ?, ?)",
                [as_of, version, fingerprint(), dt.datetime.now(dt.timezone.utc).replace(tzinfo=None), seconds])
    return seconds


def ensure(store, as_of: dt.date, wait: float = 2.0) -> bool:
    """True when the snapshot for `as_of` is current, building it if need be (a write that
    changes no data version: result caches stay). False (compute live) when it cannot be built
    now: a read-only store, or another write holding the store longer than `wait` seconds."""
    with store.read() as r:
        if is_current(r, as_of):
            return True
    if store.read_only:
        return False

    def build_if_stale(w) -> None:
        if not is_current(w, as_of):
            seconds = build(w, as_of)
            log.info("snapshot for %s built in %.2f s", as_of, seconds)

    try:
        store.write(build_if_stale, data_change=False, wait=wait)
        return True
    except (Problem, duckdb.Error) as exc:  # busy, conflicting: the live path is right too
        log.info("snapshot for %s not built: %s", as_of, exc)
        return False


def run(store, sql: str, params: dict, as_of: dt.date | None,
        scope: Scope | None = None) -> pd.DataFrame:
    """The rows of `sql`, whose snapshot-backed macros read the snapshot for `as_of` when it is
    current (see `reading`)."""
    with reading(store, as_of, scope) as r:
        return r.execute(sql, params).df()


@contextlib.contextmanager
def reading(store, as_of: dt.date | None, scope: Scope | None = None) -> Iterator:
    """A read (`Store.read`) whose snapshot-backed macros read the snapshot for `as_of` when it is
    current, checked in the same transaction as the work done in it, so a write committing
    meanwhile (in any process) cannot pair old snapshots with new data. A stale or missing
    snapshot is built first (outside the read); when that cannot be done now, the macros compute
    live."""
    if not isinstance(as_of, dt.date):
        with store.read(scope) as r:
            yield r
        return
    for attempt in range(2):
        with store.read(scope) as r:
            current = as_of in current_dates(r)
            if current or attempt == 1:
                if current:
                    _set(r, as_of)  # a fresh connection per read: the variable is unset otherwise
                yield r
                return
        ensure(store, as_of)


def default_as_of(store, scope: Scope | None = None) -> dt.date:
    """The as-of date a view without one shows (the `default_as_of()` macro, read in `scope`)."""
    return store.rows("SELECT default_as_of()", None, scope)[0][0]


@events.on_data_change(order=events.SNAPSHOTS)
def _after_data_change(store, deliver: bool = True, tables: tuple[str, ...] = ()) -> None:
    refresh_after_change(store)


def refresh_after_change(store) -> None:
    """`refresh` after a change made outside the dashboard (the CLI's load, rollback, approve), as
    the Data page does after its own: the first page anyone opens then reads the snapshots instead
    of building them. The change itself is already stored, so a failure here (another upload
    holding the writer) only leaves the builds to that first page."""
    try:
        refresh(store)
    except Problem as exc:
        log.info("snapshots not refreshed after the change (the first page view builds them): %s", exc)


def first_dates(as_of: dt.date) -> list[dt.date]:
    """The dates the first page views ask for at the default as-of date: that date, the quarter
    end before it (Overview's "since the last period") and the fiscal year end before it (money's
    change)."""
    return list(dict.fromkeys([as_of, previous_period_end(as_of), previous_fiscal_year_end(as_of)]))


def refresh(store, dates: list[dt.date] | None = None) -> None:
    """After a data change: build the snapshots the first page views will want (`first_dates` of
    the default as-of date unless told), so nobody waits for them. Without the comparison dates
    the first Overview after an upload built two snapshots itself (1.3 s on the lake at 1x
    against 0.23 s warm)."""
    for as_of in dates or first_dates(default_as_of(store)):
        ensure(store, as_of)
