"""Scoring the rounds: the macros of sql/assessment.sql, written down per round.

`recompute(store)` scores every round from the data (eval_values, then eval_leaf_results, then
eval_results) in one write, after every applied upload and rollback (`warnings.hooks`, before
the warnings: the latest grade is one of their conditions), so pages, health and warnings read
stored rows. Scoring a round asks the measures as of its period end, which a page would
otherwise compute again for every round on every run.

The measures a leaf may name that arrive with later work (`domain.LATER_MEASURES`) are added
from their macros when the store has them (looked up, never assumed): the upload refuses a
scheme naming one until then.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from ..domain import LATER_MEASURES
from ..store import Store, bump_version

# The later measures' rows for a round: `{name}` is one of LATER_MEASURES (a fixed constant,
# never input), each macro taking (project_id, date) as the task work agreed.
_LATER_SQL = ("INSERT INTO eval_values SELECT ?, project_id, '{name}', {name}(project_id, ?::DATE) "
              "FROM eval_round_pilots(?)")


# What the pages read of the scores, as one number: the data version moves only when it changes.
_FINGERPRINT = (
    "SELECT (SELECT coalesce(bit_xor(hash(round_id, project_id, evaluator, complete, total, grade, veto_item)), 0) "
    "FROM eval_results), (SELECT coalesce(bit_xor(hash(round_id, project_id, evaluator, item_code, value, score, "
    "state)), 0) FROM eval_leaf_results)"
)


@dataclass
class Scored:
    rounds: int
    evaluations: int
    seconds: float
    changed: bool = False


def available_later_measures(cur) -> tuple[str, ...]:
    """The later measures whose macro exists in the store now."""
    rows = cur.execute(
        "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type = 'macro' "
        "AND function_name IN (SELECT unnest(?::VARCHAR[]))",
        [list(LATER_MEASURES)],
    ).fetchall()
    found = {r[0] for r in rows}
    return tuple(m for m in LATER_MEASURES if m in found)


def score_round(cur, round_id: str, period_end: dt.date, later: tuple[str, ...]) -> None:
    """Score one round on a Writer: its previous rows replaced by the current data's."""
    for table in ("eval_values", "eval_leaf_results", "eval_results"):
        cur.execute(f"DELETE FROM {table} WHERE round_id = ?", [round_id])  # names fixed above
    cur.execute(
        "INSERT INTO eval_values SELECT ?, v.project_id, v.measure, v.value FROM eval_measure_values(?::DATE) v "
        "WHERE v.project_id IN (SELECT project_id FROM eval_round_pilots(?))",
        [round_id, period_end, round_id],
    )
    for name in later:
        cur.execute(_LATER_SQL.format(name=name), [round_id, period_end, round_id])
    cur.execute("INSERT INTO eval_leaf_results SELECT * FROM eval_auto_leaves(?, ?::DATE)", [round_id, period_end])
    cur.execute("INSERT INTO eval_leaf_results SELECT * FROM eval_manual_leaves(?)", [round_id])
    cur.execute(
        "INSERT INTO eval_results SELECT round_id, project_id, evaluator, complete, scored_marks, total, grade, "
        "veto_item, ? FROM eval_totals(?)",
        [_now(), round_id],
    )


def recompute(store: Store, round_id: str | None = None) -> Scored:
    """Score every round (or one) from the current data, in one write. Rows of rounds that no
    longer exist (a rolled-back round upload) go too."""
    t0 = time.perf_counter()
    store = getattr(store, "base", store)  # every pilot: the results are read through the scope
    # The data version moves when a score does (pages and snapshots then read the new grades),
    # not after every upload: most of them change the scores, some (risks, people) never do.
    with store.writing(data_change=False) as cur:
        before = cur.execute(_FINGERPRINT).fetchall()[0]
        later = available_later_measures(cur)
        rounds = cur.execute(
            "SELECT round_id, period_end FROM eval_rounds WHERE ? IS NULL OR round_id = ? ORDER BY period_end",
            [round_id, round_id],
        ).fetchall()
        if round_id is None:
            for table in ("eval_values", "eval_leaf_results", "eval_results"):
                cur.execute(f"DELETE FROM {table} WHERE round_id NOT IN (SELECT round_id FROM eval_rounds)")
        for rid, end in rounds:
            score_round(cur, rid, end, later)
        evaluations = cur.execute(
            "SELECT count(*) FROM eval_results WHERE ? IS NULL OR round_id = ?", [round_id, round_id]
        ).fetchall()[0][0]
        changed = cur.execute(_FINGERPRINT).fetchall()[0] != before
        if changed:
            bump_version(cur)
    return Scored(len(rounds), evaluations, time.perf_counter() - t0, changed)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
