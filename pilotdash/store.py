"""The store: the one boundary to the data. Nothing else talks to the database.

    store = open_store()                          # the DuckDB file (default data/pilots.duckdb)
    store.query("region_summary", {"belt": ["east"]}, scope=None)   # a named query -> DataFrame
    store.rows(sql, params) / store.frame(sql, params)   # ad-hoc reads (tests, CLI, ingest)
    with store.read(scope=None) as r: ...         # several statements in one consistent read
    store.write(fn) / with store.writing() as w:  # one write: one transaction, all or nothing
    store.data_version()                          # changes whenever the data changes, any process

No raw DuckDB cursor leaves this module: reads get a `Reader`, writes a `Writer`, narrow
objects (execute / fetch / df / arrow / register) that stop working when their block ends.

**Scope** (who sees which pilots, issue 12): every read takes `scope` (None = national, no
filter) and `_apply_scope` is the one place it is applied to the connection before any SQL runs;
it calls `pilotdash.scope.bind(cursor, scope)` when that module exists.

**Many processes on one file.** DuckDB lets one process hold a file read-write, and read-only
openers conflict with it. So no process keeps the file open between uses: a use (a read or a
write) opens it, or joins this process's open handle, and the handle closes when its last use
ends (after a linger, `PILOTDASH_STORE_LINGER` seconds, default 5, so that a page's queries share
one open, and DuckDB's buffers stay warm; an idle handle closes within 50 ms when a writer
waits). Beside the file, two lock files (`flock`, released by the OS if a process dies):
`<store>.write.lock` is held by the one writer (across processes), `<store>.open.lock` shared
while the file is open read-only and exclusive while it is open read-write. A writer takes the
write lock (waiting at most `PILOTDASH_WRITE_WAIT` seconds, then `WriterBusy`: "another upload is
being applied"), stops new readers from opening, waits for the current uses to end, opens the file
read-write, runs its function in one transaction, closes (DuckDB checkpoints) and lets readers
back. Readers wait while a write is applied (at most `PILOTDASH_READ_WAIT` seconds, then
`WriterBusy` too). In the writing process its own readers go on reading (DuckDB's MVCC). A
process killed mid-write holds nothing afterwards (the OS drops its locks) and its transaction
never committed, so the file is as before.

**Currency.** `data_version()` is the store's own `store_meta.data_version`, bumped by every
data write in its transaction. It is read from the file, so a write by any process is seen by the
next call in every other. To keep that cheap, the version is kept with a stat signature of the
file and its write-ahead log (inode, size, mtime, ctime), taken before it was read: when neither
has changed since, no write can have committed, and the kept version is returned without opening
the file. A signature from within a second of a modification is never trusted (file times are
coarse), so two writes cannot hide behind one timestamp; then (and for engines without a cheap
token) a version read is kept for a quarter of a second, so a page run's queries share it.

**Engines.** The file is the default engine (`FileEngine`); the hosted mode (DuckLake on
PostgreSQL, `pilotdash.hosting`) plugs in another with the same four methods: `read()` and
`write(wait)` context managers yielding a DuckDB cursor, `change_token()` (a cheap hint, or
None: always read the version) and `close()`.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import errno
import fcntl
import hashlib
import os
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Protocol, TypeVar

import duckdb
import pandas as pd
import pyarrow as pa

from . import events, named_queries, scope as scope_mod
from .config import ROOT
from .domain import TABLES
from .errors import Problem, WriterBusy
from .hosting import lake
from .ingest.bulk import load_folder
from .schema import init_schema, macro_sql, schema_digest, set_meta, transaction
from .scope import Scope
DEFAULT_STORE = ROOT / "data" / "pilots.duckdb"
DEMO_DIR = ROOT / "data" / "demo"
T = TypeVar("T")

DEFAULT_WRITE_WAIT = 15.0
DEFAULT_READ_WAIT = 60.0
DEFAULT_LINGER = 5.0
_POLL = 0.01
_LINGER_POLL = 0.05
# Without a change token (another engine, or a file modified within the last second) the version
# read is kept this long, so that one page run's queries share one read; a write through this
# Store forgets it at once.
_VERSION_TTL = 0.25


# The store's problems are Problems (pilotdash.errors): a code its words come from, and values.
# `StoreError` names them for those who catch a store's problem; `WriterBusy` (another write
# holds the store) is told apart where a caller simply tries again.
StoreError = Problem
__all__ = ["ROOT", "DEMO_DIR", "Problem", "Reader", "Store", "StoreError", "Writer", "WriterBusy",
           "build", "default_path", "open_lake", "open_store", "set_meta", "transaction"]


def _seconds(name: str, default: float) -> float:
    try:
        return float(os.environ.get(name, default))
    except ValueError:
        return default


def default_path() -> Path:
    return Path(os.environ.get("PILOTDASH_STORE", DEFAULT_STORE))


# The narrow handles a use gets ------------------------------------------------------------------


class Reader:
    """One connection for the length of one `Store.read()` block (one transaction). Only what
    reading needs; it refuses to work once its block has ended."""

    def __init__(self, cur):
        self._cur = cur

    def _c(self):
        if self._cur is None:
            raise Problem("store.handle_ended")
        return self._cur

    def execute(self, sql: str, params: Any = None) -> "Reader":
        self._c().execute(sql, params if params is not None else [])
        return self

    def fetchall(self) -> list[tuple]:
        return self._c().fetchall()

    def fetchone(self) -> tuple | None:
        return self._c().fetchone()

    def df(self) -> pd.DataFrame:
        return self._c().df()

    def scalar(self, sql: str, params: Any = None) -> Any:
        rows = self.execute(sql, params).fetchall()
        return rows[0][0] if rows else None

    def arrow(self, sql: str, params: Any = None) -> pa.Table:
        return self._c().sql(sql, params=params).to_arrow_table()

    def executemany(self, sql: str, rows: list) -> "Reader":
        """For the reader's own temporary tables (a read never changes the store)."""
        self._c().executemany(sql, rows)
        return self

    def register(self, name: str, table: Any) -> None:
        self._c().register(name, table)

    def unregister(self, name: str) -> None:
        self._c().unregister(name)

    def _end(self) -> None:
        self._cur = None


class Writer(Reader):
    """A `Reader` whose changes are kept: the one transaction of `Store.write`."""


# Cross-process locks ------------------------------------------------------------------------------


class _Flock:
    """A flock on a lock file beside the store: per open file, released by the OS when the
    process dies (SIGKILL included)."""

    def __init__(self, path: Path):
        self.path = path
        self.fd: int | None = None

    def try_take(self, exclusive: bool) -> bool:
        if self.fd is None:
            self.fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o666)
        try:
            fcntl.flock(self.fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
            return True
        except OSError as exc:
            if exc.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                return False
            raise

    def take(self, exclusive: bool, wait: float) -> bool:
        """True once held; False after `wait` seconds."""
        deadline = time.monotonic() + wait
        while not self.try_take(exclusive):
            if time.monotonic() >= deadline:
                self.release()
                return False
            time.sleep(_POLL)
        return True

    def release(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing the file drops its flock
            self.fd = None


def _writer_waiting(write_lock: Path) -> bool:
    """Whether some process holds (or is about to use) the write lock: readers then keep away
    so that a writer is not starved."""
    probe = _Flock(write_lock)
    try:
        free = probe.try_take(exclusive=False)
    except FileNotFoundError:
        # The store's folder is gone (a temporary store removed while a handle lingered): there is
        # nothing left to keep warm, so the lingering handle closes rather than its thread dying.
        return True
    finally:
        probe.release()
    return not free


# The file engine --------------------------------------------------------------------------------


class Engine(Protocol):
    def read(self) -> contextlib.AbstractContextManager: ...
    def write(self, wait: float) -> contextlib.AbstractContextManager: ...
    def change_token(self) -> object | None: ...
    def close(self) -> None: ...


class _Handle:
    """This process's connection to one store file: opened by the first use, shared by the
    uses of every thread (each its own cursor), closed when the last ends. Read-only unless a
    write is under way in this process."""

    def __init__(self, path: Path):
        self.path = path
        self.write_lock_path = Path(str(path) + ".write.lock")
        self.cond = threading.Condition()
        self.con = None
        self.mode: str | None = None  # "r" or "w"
        self.users = 0
        self.writer_active = False
        self.opening = False
        self.lingerer: threading.Thread | None = None
        self.open_lock = _Flock(Path(str(path) + ".open.lock"))
        self.generation = 0
        self.local = threading.local()
        self.opened = 0  # how many times this process opened the file (measured by tests, bench)
        self.file_id: tuple[int, int] | None = None  # (device, inode) of the file when opened

    # opening and closing, with self.cond held -------------------------------------------------
    def _open(self, mode: str, deadline: float, started: float) -> None:
        """Open the file (self.cond held; released while waiting, with `opening` set so that
        no other thread of this process opens it too)."""
        self.opening = True
        try:
            while not self.open_lock.try_take(exclusive=mode == "w"):
                if time.monotonic() >= deadline:
                    self.open_lock.release()
                    raise Problem("store.busy", retry=True)
                self.cond.wait(_POLL)
            try:
                while True:
                    try:
                        self.con = duckdb.connect(str(self.path), read_only=mode == "r")
                        break
                    except duckdb.IOException as exc:
                        # Held by a process outside these rules (a DuckDB shell): wait, bounded.
                        if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                            raise Problem("store.cannot_open", path=str(self.path), reason=str(exc)) from exc
                        self.cond.wait(_POLL * 5)
            except BaseException:
                self.open_lock.release()
                raise
            self.mode = mode
            self.file_id = _file_id(self.path)
            self.generation += 1
            self.opened += 1
        finally:
            self.opening = False
            self.cond.notify_all()

    def _close(self) -> None:
        con, self.con, self.mode = self.con, None, None
        try:
            if con is not None:
                con.close()
        finally:
            self.open_lock.release()
            self.cond.notify_all()

    def _linger(self) -> None:
        """While the handle is open and unused: close it when a writer (any process) waits, or
        after the linger time. A page's queries, and the next page run soon after, keep DuckDB's
        buffers warm (a reopened file reads every block again: ~5x a warm query at 100x)."""
        limit = _seconds("PILOTDASH_STORE_LINGER", DEFAULT_LINGER)
        with self.cond:
            idle_since = time.monotonic()
            while self.con is not None and self.mode == "r":
                if self.users:
                    idle_since = time.monotonic()
                elif time.monotonic() - idle_since >= limit or _writer_waiting(self.write_lock_path):
                    self._close()
                    break
                self.cond.wait(_LINGER_POLL)
            self.lingerer = None

    def _leave(self) -> None:
        self.users -= 1
        if self.users:
            return
        if self.mode == "w" or self.writer_active or not _seconds("PILOTDASH_STORE_LINGER", DEFAULT_LINGER):
            self._close()
        elif self.lingerer is None:
            self.lingerer = threading.Thread(target=self._linger, name="pilotdash-store-linger", daemon=True)
            self.lingerer.start()

    def depth(self) -> int:
        return getattr(self.local, "depth", 0)

    def _may_join(self) -> bool:
        if self.con is None or self.opening:
            return False
        if self.mode == "w":
            return self.writer_active  # a finished write's handle closes; readers reopen read-only
        if not self.users and _file_id(self.path) != self.file_id:
            # The file was replaced (a store restored or copied in place) while the handle lingered:
            # joining it would read the old file's rows. Closed; the caller opens the new one.
            self._close()
            return False
        return not self.writer_active and not _writer_waiting(self.write_lock_path)

    def close_idle(self) -> None:
        """Close a lingering read handle nobody uses (a Store closed by its owner): the next use
        opens the file afresh."""
        with self.cond:
            if self.con is not None and self.mode == "r" and not self.users and not self.opening:
                self._close()

    @contextlib.contextmanager
    def _cursor(self) -> Iterator[Any]:
        """A cursor on the handle for this thread's use, given back (and the handle maybe
        closed) when the use ends."""
        con = self.con
        self.users += 1
        self.local.depth = self.depth() + 1
        self.cond.release()
        try:
            cur = con.cursor()
            try:
                yield cur
            finally:
                cur.close()
        finally:
            self.cond.acquire()
            self.local.depth -= 1
            self._leave()

    @contextlib.contextmanager
    def use_read(self) -> Iterator[Any]:
        started = time.monotonic()
        deadline = started + _seconds("PILOTDASH_READ_WAIT", DEFAULT_READ_WAIT)
        with self.cond:
            if not (self.depth() > 0 and self.con is not None):  # nested: the outer use holds it
                while not self._may_join():
                    if self.con is None and not self.opening and not self.writer_active \
                            and not _writer_waiting(self.write_lock_path):
                        self._open("r", deadline, started)
                        break
                    if time.monotonic() >= deadline:  # readers only ever wait for a write
                        # a page says so and runs again by itself
                        raise WriterBusy("store.writer_busy", retry=True, waited=round(time.monotonic() - started))
                    if self.con is not None and self.users == 0 and self.mode == "r":
                        self._close()  # lingering while a writer waits: let it in
                    self.cond.wait(_POLL)
            with self._cursor() as cur:
                yield cur

    @contextlib.contextmanager
    def exclusive(self, wait: float, open_db: bool = True) -> Iterator[Any]:
        """The one writer across processes: the write lock, no reader of the file elsewhere, and
        the file open read-write (`open_db`; else only the open lock held, to replace the file)."""
        if self.depth():
            raise Problem("store.write_in_read")
        started = time.monotonic()
        deadline = started + wait
        write_lock = _Flock(self.write_lock_path)
        with self.cond:
            while self.writer_active:  # one writer per process at a time
                if time.monotonic() >= deadline:
                    raise WriterBusy("store.writer_busy", waited=round(time.monotonic() - started))
                self.cond.wait(_POLL)
            self.writer_active = True  # claimed: new local reads of a read-only handle wait
            try:
                while not write_lock.try_take(exclusive=True):
                    if time.monotonic() >= deadline:
                        raise WriterBusy("store.writer_busy", waited=round(time.monotonic() - started))
                    self.cond.wait(_POLL)
                while self.opening or (self.mode == "r" and self.users):  # reads in flight end
                    if time.monotonic() >= deadline:
                        raise Problem("store.busy", retry=True)
                    self.cond.wait(_POLL)
                if self.mode == "r":
                    self._close()
                if not open_db:
                    while self.con is not None:
                        self.cond.wait(_POLL)
                    if not self.open_lock.take(exclusive=True, wait=max(0.0, deadline - time.monotonic())):
                        raise Problem("store.busy", retry=True)
                    try:
                        self.cond.release()
                        try:
                            yield None
                        finally:
                            self.cond.acquire()
                    finally:
                        self.open_lock.release()
                    return
                if self.con is None:
                    self._open("w", deadline, started)
                with self._cursor() as cur:
                    yield cur
            finally:
                write_lock.release()
                self.writer_active = False
                self.cond.notify_all()


def _file_id(path: Path) -> tuple[int, int] | None:
    try:
        st_ = os.stat(path)
    except FileNotFoundError:
        return None
    return st_.st_dev, st_.st_ino


_handles: dict[str, _Handle] = {}
_handles_lock = threading.Lock()


def _handle(path: Path) -> _Handle:
    key = str(path.resolve())
    with _handles_lock:
        if key not in _handles:
            _handles[key] = _Handle(Path(key))
        return _handles[key]


@atexit.register
def _close_all() -> None:
    """Close lingering handles before the interpreter goes: a DuckDB connection left to a daemon
    thread at exit aborts the process ("terminate called without an active exception")."""
    for handle in list(_handles.values()):
        with handle.cond:
            if handle.con is not None and not handle.users:
                handle._close()


def _file_signature(path: Path) -> tuple | None:
    sig = []
    for p in (path, Path(str(path) + ".wal")):
        try:
            s = os.stat(p)
        except FileNotFoundError:
            sig.append(None)
            continue
        sig.append((s.st_ino, s.st_size, s.st_mtime_ns, s.st_ctime_ns))
    return tuple(sig)


class FileEngine:
    """The embedded store: one DuckDB file, opened per use (see the module docstring)."""

    def __init__(self, path: Path, read_only: bool = False):
        self.path = Path(path)
        self.read_only = read_only
        self.handle = _handle(self.path)

    def read(self):
        return self.handle.use_read()

    def write(self, wait: float):
        if self.read_only:
            raise Problem("store.read_only", path=str(self.path))
        return self.handle.exclusive(wait)

    def change_token(self) -> object | None:
        sig = _file_signature(self.path)
        newest = max((s[2] for s in sig if s), default=0)
        if time.time_ns() - newest < 1_000_000_000:
            return None  # modified within the last second: a later write could share the times
        return sig

    def close(self) -> None:
        self.handle.close_idle()  # nothing else is held between uses


def _apply_scope(cur, scope: Scope | None) -> None:
    """THE one place a read is limited to a scope (a person's pilots): `pilotdash.scope.bind`
    sets temporary views of the scope's rows on the read's connection, inside its transaction,
    before any SQL of the read runs. None: national, no filter."""
    scope_mod.bind(cur, scope)


class Store:
    """The only thing that talks to the database; see the module docstring."""

    def __init__(self, path: Path | str, read_only: bool = False, engine: Engine | None = None):
        self.path = Path(path) if engine is None else path
        self.read_only = read_only
        self.engine: Engine = engine or FileEngine(Path(path), read_only)
        self._version: tuple[object, str, float] | None = None  # (change token, version, read at)
        self._version_lock = threading.Lock()
        if engine is None and not Path(path).exists() and read_only:
            raise Problem("store.no_file", path=str(path))
        if not read_only:
            self._set_up()
        else:
            with self.read():
                pass

    def _set_up(self) -> None:
        """init_schema when the schema, macros or reference rows changed since it last ran (kept
        in store_meta); otherwise only a read, so opening a store never blocks its readers."""
        digest = schema_digest()
        rows: list[tuple] = []
        if not (isinstance(self.engine, FileEngine) and not self.engine.path.exists()):
            try:
                rows = self.rows("SELECT value FROM store_meta WHERE key = 'schema'")
            except duckdb.CatalogException:
                rows = []
            except duckdb.Error as exc:
                raise Problem("store.cannot_open", path=str(self.path), reason=str(exc)) from exc
        if rows and rows[0][0] == digest:
            return

        def set_up(w: Writer) -> None:
            init_schema(w._c())
            set_meta(w, "schema", digest)

        self.write(set_up, data_change=False)

    # reading -------------------------------------------------------------------------------
    @contextlib.contextmanager
    def read(self, scope: Scope | None = None) -> Iterator[Reader]:
        """One consistent read: a Reader on one transaction, limited to `scope`."""
        try:
            with self.engine.read() as cur:
                reader = Reader(cur)
                cur.execute("BEGIN TRANSACTION")
                try:
                    _apply_scope(cur, scope)
                    yield reader
                finally:
                    reader._end()
                    with contextlib.suppress(duckdb.Error):
                        cur.execute("ROLLBACK")  # read only: nothing to keep
        except duckdb.IOException as exc:
            raise Problem("store.cannot_open", path=str(self.path), reason=str(exc)) from exc

    @contextlib.contextmanager
    def _one_statement(self, scope: Scope | None) -> Iterator[Reader]:
        """A read for one statement. National: without BEGIN and ROLLBACK around it, because one
        statement outside a transaction is a transaction of its own in DuckDB (and DuckLake), so
        it sees one committed state as it would inside `read`; the two round trips were most of
        the query layer's fixed cost on a small query (bench/queries.py). A scope binds its views
        with statements of their own first: that stays a `read`."""
        if not (scope is None or isinstance(scope, Scope) and scope.is_national):
            with self.read(scope) as r:
                yield r
            return
        try:
            with self.engine.read() as cur:
                reader = Reader(cur)
                try:
                    yield reader
                finally:
                    reader._end()
        except duckdb.IOException as exc:
            raise Problem("store.cannot_open", path=str(self.path), reason=str(exc)) from exc

    def rows(self, sql: str, params: Any = None, scope: Scope | None = None) -> list[tuple]:
        with self._one_statement(scope) as r:
            return r.execute(sql, params).fetchall()

    def frame(self, sql: str, params: Any = None, scope: Scope | None = None) -> pd.DataFrame:
        with self._one_statement(scope) as r:
            return r.execute(sql, params).df()

    def query(self, name: str, params: dict[str, object] | None = None, scope: Scope | None = None) -> pd.DataFrame:
        """The rows of named query `queries/NAME.sql` for these parameters."""
        return named_queries.run(self, name, params, scope=scope)

    # writing -------------------------------------------------------------------------------
    def write(self, fn: Callable[[Writer], T], data_change: bool = True, wait: float | None = None) -> T:
        """`fn(writer)` in one transaction, one writer at a time across every process: all of its
        changes or none. `data_change=False` for writes that change no measure (saved views,
        snapshots): they keep the data version. WriterBusy after `wait` seconds
        (default PILOTDASH_WRITE_WAIT, 15) of another write."""
        with self.writing(data_change, wait) as w:
            return fn(w)

    @contextlib.contextmanager
    def writing(self, data_change: bool = True, wait: float | None = None) -> Iterator[Writer]:
        """The block form of `write`."""
        wait = _seconds("PILOTDASH_WRITE_WAIT", DEFAULT_WRITE_WAIT) if wait is None else wait
        try:
            with self.engine.write(wait) as cur:
                writer = Writer(cur)
                try:
                    with transaction(cur):
                        yield writer
                        if data_change:
                            bump_version(writer)
                finally:
                    writer._end()
        finally:
            with self._version_lock:
                self._version = None

    # the data version ------------------------------------------------------------------------
    def meta(self, key: str) -> str | None:
        """A value from store_meta (data version, source, ...)."""
        rows = self.rows("SELECT value FROM store_meta WHERE key = ?", [key])
        return rows[0][0] if rows else None

    def data_version(self) -> str:
        """Changes whenever the data changes, in any process; part of every cache key. Cheap:
        no open while the file is unchanged (see the module docstring)."""
        token = self.engine.change_token()
        now = time.monotonic()
        with self._version_lock:
            kept = self._version
        if kept is not None and (kept[0] == token if token is not None else now - kept[2] < _VERSION_TTL):
            return kept[1]
        version = self.meta("data_version") or "0"
        with self._version_lock:
            self._version = (token, version, now)
        return version

    def table_checksum(self, table: str) -> str:
        """A digest of a table's whole content, independent of row order."""
        if table not in TABLES and table not in ("upload_log", "upload_changes", "store_meta"):
            raise ValueError(f"unknown table {table!r}")
        rows = self.rows(f"SELECT * FROM {table}")  # name checked above
        digest = hashlib.sha256()
        for line in sorted(repr(r) for r in rows):
            digest.update(line.encode())
        return digest.hexdigest()

    def close(self) -> None:
        self.engine.close()


def bump_version(w) -> None:
    set_meta(w, "data_version", dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds"))


# What a build never touches (issue 19): who may sign in, the audit log, who is told of warnings,
# the saved views, and the warnings' ledger with its responses and notices (recomputed on the new
# data afterwards, so a response is never forgotten). Everything else is the data the CSVs refill.
KEPT_TABLES = ("people", "audit_log", "warning_subscriptions", "saved_views", "warnings", "warning_events",
               "warning_notices")


def _carry_over(old: Path, new: Path) -> None:
    """Copy KEPT_TABLES from the store file `old` into the freshly built `new` (neither open
    elsewhere: the caller holds the store's locks), by column name, so a store made by an older
    version (fewer columns) carries over too."""
    columns = "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'main' AND table_name = ? ORDER BY column_index"
    src = duckdb.connect(str(old), read_only=True)
    dst = duckdb.connect(str(new))
    try:
        for table in KEPT_TABLES:  # names from the fixed list above
            have = {r[0] for r in src.execute(columns, [table]).fetchall()}
            common = [r[0] for r in dst.execute(columns, [table]).fetchall() if r[0] in have]
            if not common:
                continue
            listed = ", ".join(f'"{c}"' for c in common)
            rows = src.sql(f"SELECT {listed} FROM {table}").to_arrow_table()
            dst.register("_kept", rows)
            dst.execute(f"DELETE FROM {table}; INSERT INTO {table} ({listed}) SELECT {listed} FROM _kept")
            dst.unregister("_kept")
        dst.execute("CHECKPOINT")
    finally:
        src.close()
        dst.close()


def build(path: Path | str | None = None, source: Path | str = DEMO_DIR) -> Path:
    """Create the store's data afresh from the data-contract CSVs in `source`; the people, audit
    log, subscriptions, saved views and warnings' ledger of an existing store are kept
    (KEPT_TABLES), and the warnings recomputed on the new data.

    The new store is written beside the old one and moved into place only when complete, under
    the store's write lock (the kept tables copied over under it, so nothing written meanwhile is
    lost), so a failed build leaves the previous store untouched."""
    if lake_target := _lake_target(path):  # hosted mode: the lake's rows replaced in one write
        store = open_lake(lake_target, build_if_empty=False)
        try:
            build_lake(store, source)
        finally:
            store.close()
        return Path(lake.parse(lake_target).data_path)
    target = Path(path) if path else default_path()
    source = Path(source)
    if not source.is_dir():
        raise Problem("store.no_folder", folder=str(source))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(suffix=".duckdb", dir=target.parent)
    os.close(fd)
    os.unlink(tmp_name)
    tmp = Path(tmp_name)
    try:
        store = Store(tmp)
        try:
            def fill(w: Writer) -> None:
                load_folder(w, source)
                set_meta(w, "source", str(source.resolve()))
                set_meta(w, "is_demo", "1" if source.resolve() == DEMO_DIR.resolve() else "0")
                set_meta(w, "built_at", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

            store.write(fill)
        finally:
            store.close()
        # Replace the file while holding its write and open locks, so that no process has it
        # open. A write-ahead log left beside the old one (a process killed while it had the store
        # open) belongs to that file: DuckDB refuses the new one beside it ("WAL does not match"),
        # so the kept tables are read from it (its log replayed) before it goes.
        with _handle(target).exclusive(_seconds("PILOTDASH_WRITE_WAIT", DEFAULT_WRITE_WAIT), open_db=False):
            if target.exists():
                _carry_over(target, tmp)
            Path(str(target) + ".wal").unlink(missing_ok=True)
            shutil.move(tmp, target)
        store = Store(target)
        try:
            events.data_changed(store, deliver=False)  # its snapshots and warnings, as after any change
        finally:
            store.close()
    finally:
        tmp.unlink(missing_ok=True)
        Path(str(tmp) + ".wal").unlink(missing_ok=True)
        for suffix in (".write.lock", ".open.lock"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
    return target


def _lake_target(path: Path | str | None) -> str | None:
    """The hosted store's 'ducklake:postgres:...' when `path` (or PILOTDASH_STORE) names one."""
    target = str(path) if path else os.environ.get("PILOTDASH_STORE", "")
    return target if target.startswith("ducklake:") else None


def open_store(path: Path | str | None = None, build_if_missing: bool = True) -> Store:
    if lake_target := _lake_target(path):  # hosted mode: pilotdash.hosting.lake
        return open_lake(lake_target, build_if_empty=build_if_missing)
    target = Path(path) if path else default_path()
    if not target.exists():
        if not build_if_missing:
            raise Problem("store.no_store", path=str(target))
        build(target)
    return Store(target)


def open_lake(target: str, data_path: str | None = None, read_only: bool = False, build_if_empty: bool = True) -> Store:
    """The Store on the lake named by `target` ('ducklake:postgres:...', pilotdash.hosting.lake);
    the schema is set up on first use, and an empty lake is filled from the demo CSVs (as the
    embedded store is built)."""
    spec = lake.parse(target, data_path)
    if not read_only:
        lake.setup(spec)
    store = Store(spec.url, read_only=read_only, engine=lake.LakeEngine(spec, read_only))
    if not read_only and build_if_empty and store.meta("built_at") is None:
        build_lake(store)
    return store


def build_lake(store: Store, source: Path | str | None = None) -> None:
    """Replace every data table's rows on a lake with the data-contract CSVs in `source` (default
    the demo data) in one write; the upload history goes with the old data, as a rebuilt file's
    does. Then the snapshots and warnings follow, as after the file build."""
    source = Path(source or DEMO_DIR)
    if not source.is_dir():
        raise Problem("store.no_folder", folder=str(source))

    def fill(w) -> None:
        for table in (*TABLES, "upload_log", "upload_changes", "submissions", "submission_rows"):
            w.execute(f"DELETE FROM {table}")  # names from the fixed list above
        load_folder(w, source)
        set_meta(w, "source", str(source.resolve()))
        set_meta(w, "is_demo", "1" if source.resolve() == DEMO_DIR.resolve() else "0")
        set_meta(w, "built_at", dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"))

    store.write(fill)
    events.data_changed(store, deliver=False)
