"""The store's write count (Store.writes) and what is remembered by it: store_meta values are
read once per count, and any write through any Store on the same file is seen."""

import threading

from pilotdash.store import Store


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
    assert store.data_version() != version


def test_no_count_while_a_write_is_under_way(store):
    inside, release = threading.Event(), threading.Event()

    def writer():
        with store.writing():
            inside.set()
            release.wait(10)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        assert inside.wait(10)
        assert store.writes() is None
    finally:
        release.set()
        thread.join()
    assert store.writes() is not None


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
        assert reopened.cursor().execute("SELECT count(*) FROM projects").fetchone()[0] == 160
    finally:
        reopened.close()
