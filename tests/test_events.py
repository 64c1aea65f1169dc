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


def test_the_scores_then_the_snapshots_then_the_warnings_follow_every_change():
    # Subscribed when imported, run in this order whatever the import order: a new score moves
    # the data version (snapshots built before it are stale), the warnings read both.
    names = [f"{fn.__module__}.{fn.__qualname__}" for fn in events._subscribers]
    assert names.index("pilotdash.warnings.hooks.rescore_after_data_change") < names.index(
        "pilotdash.snapshots._after_data_change") < names.index("pilotdash.warnings.hooks.after_data_change")
    assert hooks.after_data_change in events._subscribers


def test_a_subscriber_runs_by_its_order_not_when_it_subscribed():
    seen = []
    kept = list(events._subscribers)
    try:
        @events.on_data_change(order=90)
        def late(store, deliver, tables):
            seen.append("late")

        @events.on_data_change(order=1)
        def early(store, deliver, tables):
            seen.append("early")

        assert events._subscribers.index(early) < events._subscribers.index(late)
        with events.replaced(*[s for s in events._subscribers if s in (early, late)]):
            events.data_changed("the store")
        assert seen == ["early", "late"]
    finally:
        events._subscribers[:] = kept


def test_after_a_change_that_moves_a_score_every_first_snapshot_is_current(tmp_path):
    # The rounds are scored before the snapshots are built: a new grade moves the data version,
    # and snapshots built before it were stale at once (the warnings rebuilt the default date's,
    # the first pages the other two).
    store = store_mod.open_store(tmp_path / "s.duckdb")
    try:
        with store.writing() as w:  # a change no upload names: every round is scored again
            w.execute("UPDATE readings SET actual_value = actual_value / 2")
        grades = store.rows("SELECT count(*), sum(total) FROM eval_results")
        events.data_changed(store, deliver=False)
        assert store.rows("SELECT count(*), sum(total) FROM eval_results") != grades  # the scores moved
        with store.read() as r:
            assert all(snapshots.is_current(r, d)
                       for d in snapshots.first_dates(snapshots.default_as_of(store)))
    finally:
        store.close()


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


def test_a_deferred_change_is_followed_later_in_the_background_then_told():
    import threading
    gate, seen, done = threading.Event(), [], []

    def slow(store, deliver, tables):
        gate.wait(30)
        seen.append((store, deliver, tables))

    with events.replaced(slow):
        with events.deferred() as kept:
            events.data_changed("the store", tables=("issues",))
            events.data_changed("the store", deliver=False, tables=("tasks", "issues"))
            assert seen == []  # kept, not run, inside the block
        assert kept.merged() == ("the store", True, ("issues", "tasks"))
        thread = kept.in_background(on_done=lambda: done.append(True))
        assert events.following() and seen == [] and done == []
        gate.set()
        events.settle()
        assert not thread.is_alive() and not events.following()
    assert seen == [("the store", True, ("issues", "tasks"))] and done == [True]


def test_a_deferred_change_naming_no_table_is_followed_for_every_table():
    with events.deferred() as kept:
        events.data_changed("the store", tables=("issues",))
        events.data_changed("the store")
    assert kept.merged() == ("the store", True, ())
    with events.deferred() as nothing:
        pass
    assert nothing.merged() is None and nothing.in_background() is None


def test_outside_a_deferred_block_a_change_is_followed_at_once():
    seen = []
    with events.replaced(lambda store, deliver, tables: seen.append(store)):
        with events.deferred():
            pass
        events.data_changed("the store")
        assert seen == ["the store"]


EXITS_WHILE_FOLLOWING = """
import sys, time
from pathlib import Path
from pilotdash import events
from pilotdash.store import Store

store = Store(Path(sys.argv[1]))

def slow(store, deliver, tables):
    time.sleep(1.0)  # the process is told to end meanwhile (a server stopped after an upload)
    with store.read() as r:  # the store in use as the interpreter goes
        n = r.execute("SELECT count(*) FROM projects").fetchall()[0][0]
    Path(sys.argv[2]).write_text(str(n))

events._subscribers[:] = [slow]
with events.deferred() as kept:
    events.data_changed(store)
kept.in_background()
"""


def test_a_process_that_ends_while_a_change_is_followed_finishes_the_follow_up_first(store, tmp_path):
    # A daemon thread is cut off at exit: the change's scores, snapshots and warnings were lost
    # (until some later change), and a DuckDB connection in use by it aborted the process
    # ("terminate called without an active exception", exit 134).
    import os
    import subprocess
    import sys

    from pilotdash.store import ROOT

    marker = tmp_path / "followed"
    store.close()
    done = subprocess.run([sys.executable, "-c", EXITS_WHILE_FOLLOWING, str(store.path), str(marker)],
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert marker.exists() and int(marker.read_text()) > 0


def test_the_pages_are_told_until_their_results_are_forgotten():
    # `following()` goes back to False only once `on_done` has forgotten the pages' results: a
    # page drawn in between read the old warnings and grades, without the notice that says so.
    seen = []
    with events.replaced(lambda store, deliver, tables: None):
        with events.deferred() as kept:
            events.data_changed("the store")
        kept.in_background(on_done=lambda: seen.append(events.following()))
        events.settle()
    assert seen == [True] and not events.following()


def test_changes_waiting_behind_a_follow_up_are_followed_together_once():
    # Two analysts (or three) apply while an earlier change is still being followed: each change
    # is followed after it was stored, but those waiting are followed together, once (at 100x a
    # follow-up is ~15 s: three uploads at month's end kept the pages' notice up for 45 s).
    import threading

    gate, begun, seen, done = threading.Event(), threading.Event(), [], []

    def slow(store, deliver, tables):
        begun.set()
        gate.wait(30)
        seen.append((store, deliver, tables))

    with events.replaced(slow):
        threads = []
        for deliver, tables in ((True, ("readings",)), (False, ("issues",)), (True, ("tasks",))):
            with events.deferred() as kept:
                events.data_changed("the store", deliver=deliver, tables=tables)
            threads.append(kept.in_background(on_done=lambda t=tables: done.append(t)))
            assert begun.wait(30)  # the first is under way before the others are stored
        gate.set()
        events.settle()
        assert not any(t.is_alive() for t in threads) and not events.following()
    assert seen == [("the store", True, ("readings",)), ("the store", True, ("issues", "tasks"))]
    assert sorted(done) == [("issues",), ("readings",), ("tasks",)]  # each page told once


def test_a_change_made_through_a_persons_store_is_followed_on_the_whole_store(store):
    # The warnings are raised programme-wide and for the programme's default date: followed
    # through a province office's view of the store, the ledger was recomputed at that office's
    # default date (its own pilots' latest period), for every pilot.
    from pilotdash import scope as scope_mod

    seen = []
    theirs = scope_mod.limited(store, scope_mod.Scope("provinces", ("11",)))
    with events.replaced(lambda s, deliver, tables: seen.append(s)):
        events.data_changed(theirs)
        with events.deferred() as kept:
            events.data_changed(theirs)
        kept.in_background()
        events.settle()
    assert seen == [store, store]
