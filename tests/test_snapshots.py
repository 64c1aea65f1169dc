"""Measure snapshots (pilotdash/snapshots.py): the snapshot-backed macros give exactly the live
rows, a data change makes a snapshot stale, and anything the snapshot cannot serve is computed
live."""

import datetime as dt

import pandas as pd
import pytest

from pilotdash import named_queries, snapshots
from pilotdash.store import Store
from tests import fixtures

D = fixtures.AS_OF
DATES = [D, dt.date(2025, 12, 31), dt.date(2024, 6, 30), dt.date(2030, 1, 1)]


def live(store, sql, params):
    """The rows with no snapshot in play: a plain cursor, no variable set."""
    return store.frame(sql, params)


def live_named(store, name, params):
    """Named query `name` for `params`, computed live."""
    query = named_queries.get(name)
    return live(store, query.sql, named_queries.bind(store, query, params))


def current(store, as_of):
    with store.read() as r:
        return snapshots.is_current(r, as_of)


def test_snapshot_tables_have_the_live_columns(store):
    for table, macro in snapshots.KINDS:
        stored = store.rows(f"DESCRIBE SELECT * EXCLUDE (snapshot_as_of) FROM {table}")
        computed = store.rows(f"DESCRIBE SELECT * FROM {macro}(DATE '2026-06-30')")
        assert [r[:2] for r in stored] == [r[:2] for r in computed], table


@pytest.mark.parametrize("as_of", DATES)
def test_snapshot_rows_equal_live_rows(store, as_of):
    for macro in snapshots.SNAPSHOT_MACROS:
        sql = f"SELECT * FROM {macro}($as_of) ORDER BY project_id" + (", indicator_code" if "indicator" in macro else "")
        want = live(store, sql, {"as_of": as_of})
        with snapshots.reading(store, as_of) as cur:
            assert cur.execute("SELECT getvariable('snapshot_as_of')").fetchone()[0] == as_of
            got = cur.execute(sql, {"as_of": as_of}).df()
        pd.testing.assert_frame_equal(got, want)
        assert len(want) > 0 or as_of < dt.date(2025, 1, 1)


def test_every_named_query_is_the_same_through_the_snapshot(store):
    project = "A"
    for name, query in named_queries.catalogue().items():
        if not snapshots.uses_snapshots(query.sql):
            continue
        for as_of in (D, dt.date(2025, 12, 31)):
            params = {"as_of": as_of}
            if any(p.name == "project" for p in query.params):
                params["project"] = project if query.param("project").type == "VARCHAR" else [project]
            if any(p.name == "indicator" and p.type == "VARCHAR" for p in query.params):
                params["indicator"] = "I1"
            bound = named_queries.bind(store, query, params)
            pd.testing.assert_frame_equal(named_queries.run(store, name, params), live(store, query.sql, bound))


def test_only_queries_built_on_the_measures_use_it():
    assert snapshots.uses_snapshots(named_queries.get("region_summary").sql)
    assert snapshots.uses_snapshots(named_queries.get("province_summary").sql)  # through province_measures
    assert not snapshots.uses_snapshots(named_queries.get("indicator_catalogue").sql)
    assert not snapshots.uses_snapshots(named_queries.get("fund_by_project").sql)


def test_a_data_change_makes_it_stale_and_the_new_numbers_show(store):
    before = named_queries.run(store, "project_health", {"as_of": D})
    assert current(store, D)
    with store.writing() as cur:  # B's overdue milestone done: no longer red for that reason
        cur.execute("UPDATE milestones SET done_date = DATE '2026-03-01' WHERE milestone_id = 'm5'")
    assert not current(store, D)
    after = named_queries.run(store, "project_health", {"as_of": D})
    pd.testing.assert_frame_equal(after, live_named(store, "project_health", {"as_of": D}))
    assert not before.equals(after)
    assert current(store, D)


def test_refresh_builds_the_default_date_and_keeps_a_few_dates(store):
    snapshots.refresh(store)
    assert current(store, named_queries.default_as_of(store))
    for i in range(snapshots.MAX_DATES + 3):
        snapshots.ensure(store, dt.date(2025, 1, 1) + dt.timedelta(days=i))
    kept = store.rows("SELECT count(*) FROM snapshot_state")[0][0]
    stored = store.rows("SELECT count(DISTINCT snapshot_as_of) FROM snapshot_project_health")[0][0]
    assert kept == stored == snapshots.MAX_DATES


def test_a_read_only_store_computes_live(tmp_path):
    path = tmp_path / "ro.duckdb"
    fixtures.make_store(path).close()
    ro = Store(path, read_only=True)
    try:
        assert not snapshots.ensure(ro, D)
        got = named_queries.run(ro, "region_summary", {"as_of": D})
        pd.testing.assert_frame_equal(got, live_named(ro, "region_summary", {"as_of": D}))
    finally:
        ro.close()


def test_a_snapshot_table_of_another_shape_is_remade_on_open(tmp_path):
    """Snapshots are a cache: opening a store remakes their tables, so a store written by an
    older version (other columns) still opens and answers."""
    path = tmp_path / "old.duckdb"
    store = fixtures.make_store(path)
    named_queries.run(store, "project_health", {"as_of": D})
    with store.writing(data_change=False) as cur:
        cur.execute("ALTER TABLE snapshot_project_health DROP COLUMN reasons")
        cur.execute("DELETE FROM store_meta WHERE key = 'schema'")  # as written by an older version
    store.close()
    again = Store(path)
    try:
        assert again.rows("SELECT count(*) FROM snapshot_state")[0][0] == 0
        got = named_queries.run(again, "project_health", {"as_of": D})
        pd.testing.assert_frame_equal(got, live_named(again, "project_health", {"as_of": D}))
    finally:
        again.close()


def test_a_write_through_another_store_on_the_same_file_is_seen(store):
    named_queries.run(store, "project_health", {"as_of": D})
    before = named_queries.run(store, "project_health", {"as_of": D})  # known current by now
    other = Store(store.path)  # the same database in this process; opening it remakes the snapshots
    with other.writing() as cur:
        cur.execute("UPDATE milestones SET done_date = DATE '2026-03-01' WHERE milestone_id = 'm5'")
    after = named_queries.run(store, "project_health", {"as_of": D})
    pd.testing.assert_frame_equal(after, live_named(store, "project_health", {"as_of": D}))
    assert not before.equals(after)


def test_reads_racing_writes_see_the_old_numbers_or_the_new_never_a_mix(store):
    """One thread reads while another flips between two states, each write changing a live
    column (a project's English name) and a snapshot one (its health, through a milestone) in
    one transaction: every answer is the live answer of one state, never the new name beside
    the old health."""
    import threading
    import time

    query = named_queries.get("project_list")
    bound = named_queries.bind(store, query, {"as_of": D})
    flips = [("Old name", "NULL"), ("New name", "DATE '2026-03-01'")]

    def flip(cur, i):
        name, done = flips[i % 2]
        cur.execute(f"UPDATE milestones SET done_date = {done} WHERE milestone_id = 'm5'")
        cur.execute("UPDATE projects SET name_en = ? WHERE project_id = "
                    "(SELECT project_id FROM milestones WHERE milestone_id = 'm5')", [name])

    def words(frame):  # every cell as text, so list cells compare by their items
        return [[str(list(v)) if hasattr(v, "tolist") else str(v) for v in row]
                for row in frame.itertuples(index=False)]

    states = []
    for i in range(2):
        with store.writing() as cur:
            flip(cur, i)
        states.append(live(store, query.sql, bound))
    assert [list(r) for r in states[0]["reasons"]] != [list(r) for r in states[1]["reasons"]]
    for _ in range(2):  # the snapshot built and current
        named_queries.run(store, "project_list", {"as_of": D})
    answers, stop = [], threading.Event()

    def reader():
        while not stop.is_set():
            answers.append(named_queries.run(store, "project_list", {"as_of": D}))

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        for i in range(40):
            with store.writing() as cur:
                flip(cur, i)
            time.sleep(0.01)  # let the reader in between writes as well as during them
    finally:
        stop.set()
        thread.join()
    assert len(answers) > 5
    seen = [words(s) for s in states]
    for got in answers:
        assert words(got) in seen
