"""Assessment tests on the hand-checkable fixture store (tests/fixtures.py), as of periods
around D = 2026-06-30. Each test writes the scheme, rounds, scores and surveys it needs and
scores them with `scoring.recompute` (what every applied upload runs)."""

from __future__ import annotations

import pytest

from pilotdash.assessment import scoring


def _insert(cur, table: str, rows: list[tuple]) -> None:
    if rows:
        cur.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' for _ in rows[0])})", rows)


@pytest.fixture
def assess(store):
    """assess(items=[...], rounds=[...], scores=[...], surveys=[...], budget=[...]) writes the rows
    (items: code, parent, marks, method, arg, veto; scheme 'T'; rounds: id, kind, start, end)
    and scores every round."""

    def _assess(items=(), rounds=(), scores=(), surveys=(), budget=()):
        with store.writing() as cur:
            _insert(cur, "eval_items", [("T", c, p, f"指标{c}", None, m, meth, arg, veto)
                                        for c, p, m, meth, arg, veto in items])
            _insert(cur, "eval_rounds", [(rid, f"批次{rid}", kind, start, end, "T") for rid, kind, start, end in rounds])
            _insert(cur, "eval_scores", [(*s, None, None) if len(s) == 5 else s for s in scores])
            _insert(cur, "surveys", list(surveys))
            _insert(cur, "budget_lines", list(budget))
        return scoring.recompute(store)

    return _assess


@pytest.fixture
def leaf(store):
    def _leaf(rid, project, item, evaluator=""):
        rows = store.rows("SELECT value, score, state FROM eval_leaf_results WHERE round_id = ? AND project_id = ? "
                          "AND item_code = ? AND evaluator = ?", [rid, project, item, evaluator])
        assert len(rows) == 1, rows
        return rows[0]

    return _leaf


@pytest.fixture
def result(store):
    def _result(rid, project, evaluator):
        rows = store.rows("SELECT complete, total, grade, veto_item FROM eval_results WHERE round_id = ? "
                          "AND project_id = ? AND evaluator = ?", [rid, project, evaluator])
        return rows[0] if rows else None

    return _result


# The page tests use the AppTest fixtures of tests/pages (the app over the fixture store).
from tests.pages.conftest import app, downloads, fixture_store_path  # noqa: E402,F401
