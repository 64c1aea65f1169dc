"""The one "data changed" event: every way of changing the data refreshes the same things."""

from __future__ import annotations

import pytest

from pilotdash import events, snapshots
from pilotdash import store as store_mod
from pilotdash.warnings import hooks


def test_subscribers_run_in_order_and_one_failing_stops_none():
    seen = []

    def first(store, deliver, tables):
        seen.append(("first", store, deliver))

    def broken(store, deliver, tables):
        raise RuntimeError("a subscriber's fault")

    def last(store, deliver, tables):
        seen.append(("last", store, deliver))

    with events.replaced(first, broken, last):
        events.data_changed("the store", deliver=False)
    assert seen == [("first", "the store", False), ("last", "the store", False)]


def test_the_snapshots_then_the_warnings_follow_every_change():
    # Subscribed when imported, in this order (the warnings read the measures).
    names = [f"{fn.__module__}.{fn.__qualname__}" for fn in events._subscribers]
    assert names.index("pilotdash.snapshots._after_data_change") < names.index(
        "pilotdash.warnings.hooks.after_data_change")
    assert hooks.after_data_change in events._subscribers


def test_the_lake_build_fires_the_event_as_the_file_build_does(tmp_path):
    fired = []
    with events.replaced(lambda store, deliver, tables: fired.append(deliver)):
        built = store_mod.build(tmp_path / "built.duckdb")
        assert fired == [False]  # no notices mailed for a store built afresh
        store = store_mod.Store(built)
        try:
            store_mod.build_lake(store)  # the lake's build, on any engine: rows replaced in one write
        finally:
            store.close()
    assert fired == [False, False]


def test_a_built_store_has_its_snapshots_and_warnings(tmp_path):
    store = store_mod.open_store(tmp_path / "new.duckdb")
    try:
        with store.read() as r:
            assert snapshots.is_current(r, snapshots.default_as_of(store))
        assert store.rows("SELECT count(*) FROM warnings")[0][0] > 0
    finally:
        store.close()


@pytest.mark.parametrize("module", ["pilotdash.store", "pilotdash.ingest.apply", "pilotdash.submissions"])
def test_the_writers_import_no_subscriber(module):
    # They fire the event; what follows a change is registered, never imported by them.
    import ast
    import importlib

    source = importlib.import_module(module).__file__
    names = {n.module or "" for n in ast.walk(ast.parse(open(source, encoding="utf-8").read()))
             if isinstance(n, ast.ImportFrom)}
    assert not any("warnings" in name for name in names)


def test_an_issue_resolved_in_place_fires_the_one_event_naming_its_table(tmp_path):
    """Resolving or signing off an issue is a change of the data like an upload: the snapshots
    (health reads the issues) and the warnings follow, told that only the issues changed."""
    import datetime as dt

    from pilotdash.people import local_admin
    from pilotdash.tasks import issue_actions

    built = store_mod.Store(store_mod.build(tmp_path / "built.duckdb"))
    issue_id, raised = built.rows("SELECT issue_id, raised_on FROM issues WHERE resolved_on IS NULL "
                                  "ORDER BY issue_id LIMIT 1")[0]
    fired = []
    with events.replaced(lambda store, deliver, tables: fired.append(tables)):
        issue_actions.resolve(built, local_admin(), issue_id, raised + dt.timedelta(days=1), "done")
    assert fired == [("issues",)]
