"""Warnings tests run on the fixture store (tests/fixtures.py) or on variants of its rows."""

import datetime as dt

import pytest

from tests import fixtures

AS_OF = fixtures.AS_OF


@pytest.fixture
def make(tmp_path):
    """A store filled with the fixture rows plus `extra` rows, closed after the test."""
    made = []

    def _make(**extra):
        # the fixture store (a copy, see fixtures.make_store), then the extra rows after its own
        s = fixtures.fill(fixtures.make_store(tmp_path / f"w{len(made)}.duckdb"), extra)
        made.append(s)
        return s

    yield _make
    for s in made:
        s.close()


def conditions(store, as_of=AS_OF, project=None):
    """{(project, condition, trigger): level} that hold on the date."""
    rows = (
        store.rows("SELECT project_id, condition, trigger_id, level FROM warning_conditions(?::DATE)", [as_of])
    )
    return {(p, c, t): lv for p, c, t, lv in rows if project is None or p == project}


def ledger(store):
    return store.frame("SELECT * FROM warnings ORDER BY warning_id")


def events(store, warning_id):
    return [
        r[0]
        for r in store.rows("SELECT event FROM warning_events WHERE warning_id = ? ORDER BY event_id", [warning_id])
    ]


def day(text):
    return dt.date.fromisoformat(text)
