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
