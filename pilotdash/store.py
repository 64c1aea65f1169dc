"""The DuckDB store: where it lives, how it is built, and how it is read and written.

One `Store` per process holds one DuckDB connection. DuckDB connections are not safe across
threads (Streamlit runs each session in its own thread), so every read takes its own
`.cursor()`, and writes go through `Store.writing()`, which serialises writers with a lock and
wraps the work in one transaction.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import shutil
import tempfile
import threading
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import TypeVar

import duckdb

from .domain import ENUMS, TABLES, THRESHOLDS
from .reference import provinces

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STORE = ROOT / "data" / "pilots.duckdb"
DEMO_DIR = ROOT / "data" / "demo"
T = TypeVar("T")


class StoreError(Exception):
    """A problem with the store a user can act on (missing file, locked file, bad folder)."""


# Per database file, in this process: how many write transactions have started and how many have
# ended. Every write goes through `Store.writing()` (or the schema set-up on open), and DuckDB lets
# no other process write a file this one has open, so two equal readings of these counts with no
# write in flight mean nothing changed between them. Readers use that to skip a round trip
# (see snapshots.run). Keyed by the resolved path: two Stores on one file share one database.
_writes: dict[str, list[int]] = {}
_writes_lock = threading.Lock()


def _count_write(key: str, index: int) -> None:
    with _writes_lock:
        _writes.setdefault(key, [0, 0])[index] += 1


def default_path() -> Path:
    return Path(os.environ.get("PILOTDASH_STORE", DEFAULT_STORE))


def _sql_text(name: str) -> str:
    return resources.files(__package__).joinpath("sql", name).read_text(encoding="utf-8")


def _schema_sql() -> str:
    text = _sql_text("schema.sql")
    for field, codes in ENUMS.items():
        text = text.replace("{enum:" + field + "}", "(" + ", ".join(f"'{c}'" for c in codes) + ")")
    return text


def _threshold_macros() -> str:
    return "\n".join(
        f"CREATE OR REPLACE MACRO th_{name}() AS {float(value)!r};" for name, value in THRESHOLDS.items()
    )


def _load_provinces(con: duckdb.DuckDBPyConnection) -> None:
    rows = [tuple(r.values()) for r in provinces().values()]
    con.execute("DELETE FROM provinces")
    con.executemany("INSERT INTO provinces VALUES (?, ?, ?, ?, ?, ?)", rows)


def init_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create missing tables, refresh the reference provinces, the threshold macros and the
    measure macros. Safe to run on every open: it never touches the uploaded tables' rows."""
    con.execute(_schema_sql())
    _load_provinces(con)
    con.execute(_threshold_macros())
    con.execute(_sql_text("measures.sql"))
    con.execute(_sql_text("warnings.sql"))


class Store:
    def __init__(self, path: Path | str, read_only: bool = False):
        self.path = Path(path)
        try:
            self._con = duckdb.connect(str(self.path), read_only=read_only)
        except duckdb.IOException as exc:
            raise StoreError(f"cannot open the store {self.path}: {exc}") from exc
        self._write_lock = threading.Lock()
        self._key = str(self.path.resolve())
        self._remembered: dict[str, tuple[int, object]] = {}
        if not read_only:
            _count_write(self._key, 0)
            try:
                init_schema(self._con)
            finally:
                _count_write(self._key, 1)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        return self._con.cursor()

    def close(self) -> None:
        self._con.close()

    @contextlib.contextmanager
    def writing(self, data_change: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
        """One writer at a time, one transaction: all of the block's changes or none.
        `data_change=False` for writes that change no measure (saved views), so they keep
        every cached query result."""
        with self._write_lock:
            _count_write(self._key, 0)
            cur = self._con.cursor()
            try:
                cur.execute("BEGIN TRANSACTION")
                try:
                    yield cur
                    if data_change:
                        bump_version(cur)
                    cur.execute("COMMIT")
                except BaseException:
                    cur.execute("ROLLBACK")
                    raise
            finally:
                cur.close()
                _count_write(self._key, 1)

    def writes(self) -> int | None:
        """How many writes to this file have ended in this process, or None while one is under
        way. Equal numbers before and after a read: no write came between."""
        with _writes_lock:
            started, ended = _writes.get(self._key, (0, 0))
        return ended if started == ended else None

    def remembered(self, name: str, compute: Callable[[], T]) -> T:
        """`compute()`, kept until the next write to this file: with no write in between its
        answer cannot change. Kept only when no write came while it ran."""
        before = self.writes()
        seen = self._remembered.get(name)
        if before is not None and seen is not None and seen[0] == before:
            return seen[1]
        value = compute()
        if before is not None and self.writes() == before:
            self._remembered[name] = (before, value)
        return value

    def meta(self, key: str) -> str | None:
        """A value from store_meta (data version, source, ...); pages ask on every query."""
        return self.remembered("meta", lambda: dict(
            self.cursor().execute("SELECT key, value FROM store_meta").fetchall())).get(key)

    def data_version(self) -> str:
        """Changes whenever the data changes; part of every cache key."""
        return self.meta("data_version") or "0"

    def table_checksum(self, table: str) -> str:
        """A digest of a table's whole content, independent of row order."""
        if table not in TABLES and table not in ("upload_log", "upload_changes", "store_meta"):
            raise ValueError(f"unknown table {table!r}")
        rows = self.cursor().execute(f"SELECT * FROM {table}").fetchall()  # name checked above
        digest = hashlib.sha256()
        for line in sorted(repr(r) for r in rows):
            digest.update(line.encode())
        return digest.hexdigest()


def bump_version(cur: duckdb.DuckDBPyConnection) -> None:
    cur.execute(
        "INSERT OR REPLACE INTO store_meta VALUES ('data_version', ?)",
        [dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")],
    )


def set_meta(cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    cur.execute("INSERT OR REPLACE INTO store_meta VALUES (?, ?)", [key, value])


def build(path: Path | str | None = None, source: Path | str = DEMO_DIR) -> Path:
    """Create the store afresh from the data-contract CSVs in `source`.

    The new store is written beside the old one and moved into place only when complete, so a
    failed build leaves the previous store untouched."""
    from .ingest.bulk import load_folder
    from .warnings.hooks import after_data_change

    target = Path(path) if path else default_path()
    source = Path(source)
    if not source.is_dir():
        raise StoreError(f"no such folder: {source}")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(suffix=".duckdb", dir=target.parent)
    os.close(fd)
    os.unlink(tmp_name)
    tmp = Path(tmp_name)
    try:
        store = Store(tmp)
        try:
            with store.writing() as cur:
                load_folder(cur, source)
                set_meta(cur, "source", str(source.resolve()))
                set_meta(cur, "is_demo", "1" if source.resolve() == DEMO_DIR.resolve() else "0")
                set_meta(cur, "built_at", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))
            after_data_change(store, deliver=False)  # the new store's warnings (pilotdash.warnings)
            store.cursor().execute("CHECKPOINT")
        finally:
            store.close()
        # The new file is complete and checkpointed; a write-ahead log left beside the old one (a
        # process killed while it had the store open) belongs to that file, and DuckDB refuses to
        # open the new one beside it ("WAL does not match database file").
        Path(str(target) + ".wal").unlink(missing_ok=True)
        shutil.move(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
    return target


def open_store(path: Path | str | None = None, build_if_missing: bool = True) -> Store:
    target = Path(path) if path else default_path()
    if not target.exists():
        if not build_if_missing:
            raise StoreError(
                f"no store at {target}; create it with `python -m pilotdash build` "
                "or set PILOTDASH_STORE to an existing store"
            )
        build(target)
    return Store(target)
