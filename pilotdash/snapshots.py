"""Snapshots of the costly measures, so pages read them rather than recompute them.

Nearly every page asks `indicator_status_all(D)` and `project_health_all(D)`; at a national
programme's size (16,000 pilots, three million readings) each costs about a second, and a page
asks several queries built on them. So their rows are kept per as-of date in the tables
`snapshot_indicator_status` and `snapshot_project_health` (see measures.sql), with one line per
date in `snapshot_state` saying for which data version and which measure definitions
(a digest of measures.sql and the thresholds) they were computed.

The query layer (`named_queries.run`) reads through `run(store, sql, params, as_of)`. It sets
the cursor's variable `snapshot_as_of`, which makes the two macros read the snapshot, only while
the snapshot for that date is current. Which dates are current is remembered until the store's
next write (`Store.remembered`), and a query run with that knowledge counts only when no write
came between the check and the result; otherwise (or the first time after a write) it goes the
careful way, `reading(store, as_of)`: in one transaction, check the snapshot and run the query.
A snapshot that is not current is built first (once, under the store's write lock, then shared
by every session). Anything else that calls the macros (a raw cursor, another date) computes them
live. Either way the rows are the same: the snapshot is the live macro's output, stored.

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
import threading
import time
import weakref
from collections.abc import Iterator
from functools import cache

import duckdb
import pandas as pd

from . import store as store_mod

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
    text = store_mod._sql_text("measures.sql") + store_mod._threshold_macros()
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@cache
def _macro_calls() -> dict[str, frozenset[str]]:
    """For each table macro in measures.sql, the names it calls."""
    text = store_mod._sql_text("measures.sql")
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


def current_dates(cur: duckdb.DuckDBPyConnection) -> set[dt.date]:
    """The dates whose snapshot is current: built for this data version and these definitions.
    (One small statement, no parameters, no subquery: it runs before every query that reads a
    snapshot, so it is kept to a plain scan of two tiny tables.)"""
    return _current(cur.execute(_CURRENT).fetchall())


def is_current(cur: duckdb.DuckDBPyConnection, as_of: dt.date) -> bool:
    return as_of in current_dates(cur)


def _set(cur: duckdb.DuckDBPyConnection, as_of: dt.date) -> None:
    # A date object, so its text is a plain ISO date: no user text reaches the SQL.
    cur.execute(f"SET VARIABLE snapshot_as_of = DATE '{dt.date.fromordinal(as_of.toordinal()).isoformat()}'")


def build(cur: duckdb.DuckDBPyConnection, as_of: dt.date) -> float:
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


def ensure(store: store_mod.Store, as_of: dt.date) -> bool:
    """True when the snapshot for `as_of` is current, building it if need be. False (compute
    live) when it cannot be built now: a read-only store, or another write under way."""
    if is_current(store.cursor(), as_of):
        return True
    lock = getattr(store, "_write_lock", None)
    if lock is None or lock.locked():
        return False
    try:
        with store.writing(data_change=False) as cur:
            if not is_current(cur, as_of):
                seconds = build(cur, as_of)
                log.info("snapshot for %s built in %.2f s", as_of, seconds)
        return True
    except duckdb.Error as exc:  # read-only store, a conflicting writer: the live path is right too
        log.info("snapshot for %s not built: %s", as_of, exc)
        return False


_local = threading.local()


def cursor(store: store_mod.Store, kind: str = "plain") -> duckdb.DuckDBPyConnection:
    """This thread's cursor of `kind` on `store`, made once: a new DuckDB connection per query
    costs about half a millisecond, a tenth of a small query. (Cursors are not shared between
    threads.) The "snapshot" cursor is only used through `run` and `reading`, which keep track of
    its variable."""
    cursors = getattr(_local, "cursors", None)
    if cursors is None:
        cursors = _local.cursors = weakref.WeakKeyDictionary()
    mine = cursors.get(store)
    if mine is None:
        mine = cursors[store] = {}
    if kind not in mine:
        mine[kind] = [store.cursor(), None]  # the cursor, and the date its variable is set to
    return mine[kind]


def _point(slot: list, want: dt.date | None) -> None:
    """Set the slot's cursor variable to `want` (None: compute live), if it is not already."""
    if slot[1] != want:
        slot[1] = None
        if want is None:
            slot[0].execute("RESET VARIABLE snapshot_as_of")
        else:
            _set(slot[0], want)
        slot[1] = want


def run(store: store_mod.Store, sql: str, params: dict, as_of: dt.date | None) -> pd.DataFrame:
    """The rows of `sql`, whose snapshot-backed macros read the snapshot for `as_of` when it is
    current. Without a transaction or a check of its own when no write has happened since the
    dates were last checked (the statement is one consistent read, and the write counts before
    and after prove it saw that state); else through `reading`."""
    if isinstance(as_of, dt.date):
        before = store.writes()
        if before is not None and as_of in store.remembered(
                "current_snapshots", lambda: frozenset(current_dates(cursor(store)[0]))):
            slot = cursor(store, "snapshot")
            _point(slot, as_of)
            rows = slot[0].execute(sql, params).df()
            if store.writes() == before:
                return rows
    with reading(store, as_of) as cur:
        return cur.execute(sql, params).df()


@contextlib.contextmanager
def reading(store: store_mod.Store, as_of: dt.date | None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor whose snapshot-backed macros read the snapshot for `as_of` when it is current,
    checked in the same transaction as the work done with it (so an upload committing meanwhile
    cannot pair old snapshots with new data). A stale or missing snapshot is built first."""
    if not isinstance(as_of, dt.date):
        yield cursor(store)[0]
        return
    slot = cursor(store, "snapshot")
    cur = slot[0]
    try:
        current = as_of in _current(cur.execute("BEGIN TRANSACTION; " + _CURRENT).fetchall())
        if not current:
            cur.execute("ROLLBACK")
            built = ensure(store, as_of)
            cur.execute("BEGIN TRANSACTION")
            current = built and as_of in current_dates(cur)
        _point(slot, as_of if current else None)  # which snapshot this transaction may read
        yield cur
    finally:
        cur.execute("ROLLBACK")  # read only: nothing to keep


def refresh(store: store_mod.Store, dates: list[dt.date] | None = None) -> None:
    """After a data change: build the snapshots the first page views will want (the default
    as-of date unless told), so nobody waits for them."""
    from .named_queries import default_as_of

    for as_of in dates or [default_as_of(store)]:
        ensure(store, as_of)
