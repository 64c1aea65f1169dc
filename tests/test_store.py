"""The store boundary in one process: the data version follows every write through any Store on
the file, no raw cursor leaves the store, a failing write leaves nothing, a scope goes through one
hook. Several processes on one file: tests/test_store_processes.py."""

import time

import pytest

from pilotdash import store as store_module
from pilotdash.store import Store, StoreError


def test_meta_is_read_again_after_every_write(store):
    version = store.data_version()
    assert store.data_version() == version
    with store.writing() as cur:
        cur.execute("UPDATE projects SET name_en = 'x' WHERE project_id = 'A'")
    assert store.data_version() != version
    with store.writing(data_change=False):
        pass
    assert store.meta("data_version") == store.data_version()


def test_a_write_through_another_store_on_the_file_is_seen(store):
    version = store.data_version()
    other = Store(store.path)
    with other.writing() as cur:
        cur.execute("INSERT OR REPLACE INTO store_meta VALUES ('source', 'elsewhere')")
    assert store.meta("source") == "elsewhere"
    # A file modified within the last second gives no change token, and a version read is kept
    # for _VERSION_TTL: the promise is "seen within a second", not at once.
    time.sleep(store_module._VERSION_TTL + 0.05)
    assert store.data_version() != version


def test_no_raw_cursor_leaves_the_store(store):
    assert not hasattr(store, "cursor")
    with store.read() as r:
        assert r.execute("SELECT count(*) FROM projects").fetchone() == (4,)
    with pytest.raises(StoreError):
        r.execute("SELECT 1")
    with store.writing(data_change=False) as w:
        pass
    with pytest.raises(StoreError):
        w.execute("DELETE FROM projects")
    assert store.rows("SELECT count(*) FROM projects") == [(4,)]


def test_a_failing_write_changes_nothing(store):
    before, version = store.table_checksum("projects"), store.data_version()

    def half(w):
        w.execute("UPDATE projects SET name_en = 'half' WHERE project_id = 'A'")
        raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        store.write(half)
    assert store.table_checksum("projects") == before
    assert store.data_version() == version


def test_a_scope_is_applied_in_one_place(store, monkeypatch):
    from pilotdash import store as store_mod

    seen = []
    monkeypatch.setattr(store_mod, "_apply_scope", lambda cur, scope: seen.append(scope))
    store.query("region_summary", {"as_of": "2026-06-30"}, scope="pilots:A")
    store.rows("SELECT 1", scope="pilots:B")
    assert seen and set(seen) == {"pilots:A", "pilots:B"} | ({None} if None in seen else set())
    assert "pilots:A" in seen and "pilots:B" in seen


def test_rebuilding_over_a_store_left_by_a_killed_process_opens(tmp_path):
    # A process killed with the store open leaves its write-ahead log beside the file; the new
    # file moved into place must not be paired with it (DuckDB: "WAL does not match").
    import subprocess
    import sys

    from pilotdash import store as store_mod
    from tests import fixtures

    path = tmp_path / "store.duckdb"
    fixtures.make_store(path).close()
    script = ("import os, duckdb; con = duckdb.connect(%r); "
              "con.execute(\"UPDATE projects SET name_en = 'killed' WHERE project_id = 'A'\"); os._exit(0)" % str(path))
    subprocess.run([sys.executable, "-c", script], check=True)
    assert (tmp_path / "store.duckdb.wal").exists()
    store_mod.build(path, store_mod.DEMO_DIR)
    reopened = Store(path)
    try:
        assert reopened.rows("SELECT count(*) FROM projects")[0][0] == 160
    finally:
        reopened.close()


def test_a_scope_is_never_silently_ignored(store):
    # The store applies every scope through pilotdash.scope (imported, never optional): one it
    # cannot read is refused, not taken for "national".
    assert store.rows("SELECT count(*) FROM projects") == [(4,)]
    with pytest.raises(Exception):
        store.rows("SELECT count(*) FROM projects", scope="pilots:A")


def test_a_lingering_read_handle_closes_quietly_when_its_folder_is_removed(tmp_path, monkeypatch):
    """A temporary store removed while its read handle lingers (the benchmark's upload copies) must
    close the handle, not kill the lingering thread with FileNotFoundError."""
    import shutil
    import threading
    import time

    from tests import fixtures

    monkeypatch.setenv("PILOTDASH_STORE_LINGER", "30")
    died = []
    monkeypatch.setattr(threading, "excepthook", lambda args: died.append(args.exc_value))
    folder = tmp_path / "gone"
    folder.mkdir()
    s = fixtures.make_store(folder / "fixture.duckdb")
    # this store's lingering thread only: earlier tests' stores in this worker may still linger
    # (their own, longer wait), and made this test wait on them under a loaded CI machine
    others = {t for t in threading.enumerate() if t.name == "pilotdash-store-linger"}
    with s.read() as r:
        r.execute("select count(*) from projects").fetchone()
    lingering = [t for t in threading.enumerate() if t.name == "pilotdash-store-linger" and t not in others]
    assert lingering, "the read handle should linger after the read"
    shutil.rmtree(folder)
    deadline = time.monotonic() + 5
    while any(t.is_alive() for t in lingering) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(t.is_alive() for t in lingering)
    assert died == []


def test_a_store_file_replaced_in_place_is_read_afresh(tmp_path, monkeypatch):
    """A store copied over another's path (a restore; the benchmark's fresh copies) must be read
    as it is now, not through a read handle still lingering on the old file."""
    import shutil

    from tests import fixtures

    monkeypatch.setenv("PILOTDASH_STORE_LINGER", "30")
    path, other = tmp_path / "s.duckdb", tmp_path / "other.duckdb"
    fixtures.make_store(other).close()
    s = fixtures.make_store(path)
    with s.writing() as w:
        w.execute("DELETE FROM readings")
    assert s.rows("SELECT count(*) FROM readings")[0][0] == 0  # this read's handle now lingers
    path.unlink()
    shutil.copy(other, path)
    assert s.rows("SELECT count(*) FROM readings")[0][0] > 0  # the same Store object
    s.close()
    again = Store(path)
    try:
        assert again.rows("SELECT count(*) FROM readings")[0][0] > 0
    finally:
        again.close()


def test_closing_a_store_closes_its_idle_read_handle(tmp_path, monkeypatch):
    from tests import fixtures

    monkeypatch.setenv("PILOTDASH_STORE_LINGER", "30")
    s = fixtures.make_store(tmp_path / "s.duckdb")
    s.rows("SELECT 1")
    assert s.engine.handle.con is not None  # lingering after the read
    s.close()
    assert s.engine.handle.con is None
