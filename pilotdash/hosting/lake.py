"""The hosted store: DuckLake with a PostgreSQL catalog and a data folder.

Chosen by configuration instead of a file path:

    PILOTDASH_STORE='ducklake:postgres:dbname=pilotdash host=db.example port=5432 user=pilotdash'
    PILOTDASH_LAKE_DATA=/srv/pilotdash/lake        # where the lake's Parquet files live (shared path)

`connect(spec)` gives a DuckDB connection with the lake attached and in use, so every named query,
macro and write runs unchanged against it; the extensions are loaded offline from the PyPI wheels
by file path (auto-install and auto-load off). Attaching costs 0.5–1 s: do it once per process.

What DuckLake does not have, and what stands in for it:
- No PRIMARY KEY / UNIQUE / CHECK: `lake_ddl` strips them from schema.sql and measures.sql; the
  upload validation owns the keys and the enumerations (it checks every one before a write), and
  `upsert_meta` replaces a store_meta row by DELETE + INSERT in the writer's transaction.
- Table-level write conflicts abort concurrent writers: every write takes `WriterLock`, a
  PostgreSQL advisory lock on the catalog's database, with a bounded wait and a clear message.
- The schema and the macros are set up once (`setup`, under the writer lock) and only checked on
  open, since every replica opening the store must not rewrite the catalog.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

from .. import schema
from ..errors import Problem, WriterBusy

PREFIX = "ducklake:postgres:"
EXTENSIONS = ("postgres_scanner", "ducklake")
ALIAS = "lake"
# pg_advisory_lock key for "a write to the pilotdash store": any fixed 64-bit number, the same in
# every process (hashed from a name so that it reads as what it is).
LOCK_KEY = int.from_bytes(hashlib.sha256(b"pilotdash.store.writer").digest()[:8], "big", signed=True)
DEFAULT_LOCK_WAIT = 15.0


def lake_error(reason: str) -> Problem:
    """The lake cannot be reached or set up: `reason` says which part and what to do (for the
    operator; the words around it in both languages)."""
    return Problem("hosting.lake_setup", reason=reason)


def unavailable(reason: str) -> Problem:
    """The catalog (PostgreSQL) or the data folder cannot be reached right now; the next use tries
    again (a new attach), so the app recovers by itself when the database is back: `retry`, the
    dashboard shows the notice and runs the page again a moment later."""
    return Problem("hosting.store_unavailable", retry=True, reason=reason)


@dataclass(frozen=True)
class LakeSpec:
    catalog: str          # libpq key=value string of the PostgreSQL catalog
    data_path: str        # the lake's data folder (or object storage URL)

    @property
    def url(self) -> str:
        return PREFIX + self.catalog

    def shown(self) -> str:
        """The catalog connection for messages and logs: any password replaced by ***."""
        return re.sub(r"(password\s*=\s*)\S+", r"\1***", self.catalog)

    def libpq(self) -> dict[str, str]:
        """The catalog's key=value pairs (values without spaces; quoted values are not used here)."""
        pairs = {}
        for part in self.catalog.split():
            if "=" not in part:
                raise lake_error(f"the catalog connection {self.catalog!r} is not key=value pairs")
            key, value = part.split("=", 1)
            pairs[key] = value
        return pairs


def is_lake(target: object) -> bool:
    return isinstance(target, str) and target.startswith(PREFIX)


def parse(target: str, data_path: str | None = None) -> LakeSpec:
    """A LakeSpec from 'ducklake:postgres:<libpq>' and the data path (default $PILOTDASH_LAKE_DATA)."""
    if not is_lake(target):
        raise lake_error(f"not a lake store: {target!r} (expected {PREFIX}dbname=... host=...)")
    catalog = target[len(PREFIX):].strip()
    data = data_path or os.environ.get("PILOTDASH_LAKE_DATA")
    if not catalog:
        raise lake_error(f"{PREFIX} needs the catalog's connection, e.g. {PREFIX}dbname=pilotdash host=127.0.0.1")
    if not data:
        raise lake_error("a lake store needs its data folder: set PILOTDASH_LAKE_DATA")
    return LakeSpec(catalog, str(data))


def extension_file(name: str) -> Path:
    """The extension shipped in the PyPI wheel `duckdb-extension-<name>` for this DuckDB version."""
    package = f"duckdb_extension_{name}"
    version = "v" + duckdb.__version__
    for folder in map(Path, sys.path):
        candidate = folder / package / "extensions" / version / f"{name}.duckdb_extension"
        if candidate.exists():
            return candidate
    raise lake_error(f"the DuckDB extension {name!r} for DuckDB {duckdb.__version__} is not installed "
                    f"(pip package duckdb-extension-{name.replace('_', '-')}=={duckdb.__version__})")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def connect(spec: LakeSpec) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection with the lake attached as `lake` and in use."""
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    try:
        for name in EXTENSIONS:
            con.execute(f"LOAD '{extension_file(name)}'")  # a path we found on disk, not user text
        if spec.data_path.startswith(("s3://", "gs://", "http://", "https://")):
            con.execute(f"LOAD '{extension_file('httpfs')}'")
        else:
            Path(spec.data_path).mkdir(parents=True, exist_ok=True)
        # ATTACH takes no bound parameters; both strings come from the operator's configuration
        # and are quoted as SQL literals.
        con.execute(f"ATTACH {_literal(spec.url)} AS {ALIAS} (DATA_PATH {_literal(spec.data_path)})")
        con.execute(f"USE {ALIAS}")
    except duckdb.Error as exc:
        con.close()  # the catalog not answering (or not there): the next use attaches again
        raise unavailable(f"cannot attach the lake ({spec.shown()}, data {spec.data_path}): "
                          f"{str(exc).replace(spec.catalog, spec.shown())}") from exc
    return con


def use_lake(cur: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    cur.execute(f"USE {ALIAS}")
    return cur


# DDL without the constraints DuckLake lacks -----------------------------------------------------

def _skip_parens(text: str, start: int) -> int:
    """Index just past the parenthesised group that opens at text[start] == '('."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "(":
            depth += 1
        elif text[i] == ")":
            depth -= 1
            if depth == 0:
                return i + 1
    raise ValueError("unbalanced parentheses in DDL")


def lake_ddl(sql: str) -> str:
    """schema.sql / measures.sql for DuckLake: PRIMARY KEY, UNIQUE and CHECK removed (column and
    table constraints alike), comments dropped; everything else, macros included, as written."""
    sql = re.sub(r"--[^\n]*", "", sql)
    out: list[str] = []
    i = 0
    constraint = re.compile(r"\b(PRIMARY\s+KEY|UNIQUE|CHECK)\b\s*", re.IGNORECASE)
    while i < len(sql):
        m = constraint.search(sql, i)
        if m is None:
            out.append(sql[i:])
            break
        head = sql[i:m.start()]
        end = m.end()
        if end < len(sql) and sql[end] == "(":
            end = _skip_parens(sql, end)
        # A table constraint stands alone after a comma: drop that comma too.
        stripped = head.rstrip()
        if stripped.endswith(",") and re.match(r"\s*[,)]", sql[end:]):
            head = stripped[:-1]
        out.append(head)
        i = end
    return re.sub(r",(\s*\))", r"\1", "".join(out))


# The writer lock --------------------------------------------------------------------------------

class WriterLock:
    """A PostgreSQL session advisory lock on the catalog's database: one writer at a time across
    every process and machine that uses this lake. Waits at most `wait` seconds, then WriterBusy."""

    def __init__(self, spec: LakeSpec, wait: float | None = None):
        self.spec = spec
        self.wait = float(os.environ.get("PILOTDASH_WRITE_WAIT", DEFAULT_LOCK_WAIT)) if wait is None else wait
        self._pg = None

    def _connection(self):
        import psycopg2

        if self._pg is None or self._pg.closed:
            try:
                self._pg = psycopg2.connect(self.spec.catalog, connect_timeout=5)
            except psycopg2.OperationalError as exc:
                raise unavailable(f"the store's catalog is unavailable ({self.spec.shown()}): "
                                  f"{str(exc).replace(self.spec.catalog, self.spec.shown())}".strip()) from exc
            self._pg.autocommit = True
        return self._pg

    @contextlib.contextmanager
    def held(self, wait: float | None = None) -> Iterator[None]:
        """Hold the lock for the block; WriterBusy after `wait` (default self.wait) seconds.
        Not for two threads at once: a process keeps one writer at a time in front of it."""
        import psycopg2

        wait = self.wait if wait is None else wait
        started = time.monotonic()
        pg = self._connection()
        try:
            try:
                with pg.cursor() as cur:
                    cur.execute("SELECT 1")
            except psycopg2.OperationalError:  # the session died (PostgreSQL restarted): a new one
                self.close()
                pg = self._connection()
            with pg.cursor() as cur:
                # Polled rather than pg_advisory_lock, so that the wait is bounded and a dead
                # catalog connection is noticed too.
                while True:
                    cur.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
                    if cur.fetchone()[0]:
                        break
                    if time.monotonic() - started >= wait:
                        raise WriterBusy("store.writer_busy", waited=round(time.monotonic() - started))
                    time.sleep(0.05)
        except psycopg2.Error as exc:
            self.close()
            raise unavailable(f"the store's catalog is unavailable: {exc}".strip()) from exc
        try:
            yield
        finally:
            try:
                with pg.cursor() as cur:
                    cur.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
            except psycopg2.Error:
                self.close()  # the session is gone, and its lock with it

    def close(self) -> None:
        if self._pg is not None:
            with contextlib.suppress(Exception):
                self._pg.close()
            self._pg = None


def is_conflict(exc: BaseException) -> bool:
    """A DuckLake commit aborted by a concurrent writer (worth one more try under the lock)."""
    text = str(exc)
    return isinstance(exc, duckdb.Error) and ("conflict" in text.lower() or "Transaction" in text and "retry" in text.lower())


# Schema set-up ----------------------------------------------------------------------------------

def upsert_meta(cur: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    """store_meta[key] = value without a primary key: DELETE + INSERT in the caller's transaction."""
    cur.execute("DELETE FROM store_meta WHERE key = ?", [key])
    cur.execute("INSERT INTO store_meta VALUES (?, ?)", [key, value])


def meta_value(cur: duckdb.DuckDBPyConnection, key: str) -> str | None:
    try:
        row = cur.execute("SELECT value FROM store_meta WHERE key = ?", [key]).fetchone()
    except duckdb.CatalogException:
        return None
    return row[0] if row else None


# The store on the lake --------------------------------------------------------------------------

_connections: dict[LakeSpec, duckdb.DuckDBPyConnection] = {}
_connections_lock = threading.Lock()

# What a lost catalog connection looks like from DuckDB's postgres scanner and DuckLake.
_LOST = ("connection", "server closed", "could not connect", "terminating", "no connection",
         "Connection refused", "the database system is", "SSL SYSCALL", "broken pipe")


def is_lost_connection(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, duckdb.Error) and any(m.lower() in text for m in _LOST)


def process_connection(spec: LakeSpec) -> duckdb.DuckDBPyConnection:
    """This process's one attached lake for `spec` (attaching costs 0.5-1 s: once per process)."""
    with _connections_lock:
        con = _connections.get(spec)
        if con is None:
            con = _connections[spec] = connect(spec)  # unavailable, or a missing extension (setup)
        return con


def forget_connection(spec: LakeSpec) -> None:
    """Drop this process's attached lake (its catalog connection died); the next use re-attaches."""
    with _connections_lock:
        con = _connections.pop(spec, None)
    if con is not None:
        with contextlib.suppress(Exception):
            con.close()


class LakeEngine:
    """The Store engine for DuckLake (see pilotdash.store: `read()`, `write(wait)`,
    `change_token()`, `close()`). Reads are cursors on the process's one attached lake; a write
    also holds the writer lock, so one write at a time runs across every process and machine."""

    def __init__(self, spec: LakeSpec, read_only: bool = False):
        self.spec = spec
        self.read_only = read_only
        self.path = spec.url
        self._lock = WriterLock(spec)
        self._local_writer = threading.Lock()

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        try:
            cur = use_lake(process_connection(self.spec).cursor())
        except duckdb.Error as exc:
            forget_connection(self.spec)
            raise unavailable(self._unavailable(exc)) from exc
        try:
            yield cur
        except duckdb.Error as exc:
            if is_lost_connection(exc):
                forget_connection(self.spec)
                raise unavailable(self._unavailable(exc)) from exc
            raise
        finally:
            with contextlib.suppress(Exception):
                cur.close()

    def _unavailable(self, exc: BaseException) -> str:
        return f"the store's catalog is unavailable: {str(exc).replace(self.spec.catalog, self.spec.shown())}"

    def read(self):
        return self._cursor()

    @contextlib.contextmanager
    def write(self, wait: float):
        if self.read_only:
            raise Problem("store.read_only", path=self.spec.shown())
        started = time.monotonic()
        if not self._local_writer.acquire(timeout=max(wait, 0.0)):
            raise WriterBusy("store.writer_busy", waited=round(time.monotonic() - started))
        try:
            # the lock and the cursor say "unavailable" themselves when the catalog does not
            # answer; a Problem of the write's own (a refusal, a bad field) passes as it is
            with self._lock.held(wait=max(0.0, wait - (time.monotonic() - started))):
                with self._cursor() as cur:
                    yield cur
        finally:
            self._local_writer.release()

    def change_token(self) -> object | None:
        return None  # the version is one catalog round trip; always read it

    def close(self) -> None:
        self._lock.close()


def setup(spec: LakeSpec, force: bool = False) -> bool:
    """Create the tables and (re)create the provinces and macros when the catalog holds another
    schema digest than this code's (or none); True when it did. Under the writer lock, one
    transaction, so replicas starting together set it up once and never see half of it. Records
    the embedded store's digest too (`store_meta.schema`), so Store's own set-up finds it done."""
    ddl = lake_ddl(schema.schema_sql())
    macros = schema.threshold_macros() + "\n" + lake_ddl(schema.macro_sql())
    digest = schema.schema_digest()
    con = process_connection(spec)
    if not force and meta_value(use_lake(con.cursor()), "schema") == digest:
        return False
    lock = WriterLock(spec)
    try:
        with lock.held():
            cur = use_lake(con.cursor())
            try:
                if not force and meta_value(cur, "schema") == digest:
                    return False
                with schema.transaction(cur):
                    cur.execute(ddl)
                    schema.load_provinces(cur)
                    cur.execute(macros)
                    upsert_meta(cur, "schema", digest)
            finally:
                cur.close()
    finally:
        lock.close()
    return True
