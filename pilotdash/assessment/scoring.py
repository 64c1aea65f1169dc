"""Scoring the rounds: the macros of sql/assessment.sql, written down per round.

`recompute(store)` scores every round from the data (eval_values, then eval_leaf_results, then
eval_results) in one write, so pages, health and warnings read stored rows. Scoring a round asks
the measures as of its period end, which a page would otherwise compute again for every round on
every run.

After every applied upload and rollback (`warnings.hooks`, before the warnings: the latest grade
is one of their conditions) `rescore(store)` scores again only the rounds whose inputs changed
since the last scoring: the uploads and rollbacks since then (upload_log, read in the same write
that scores, so two processes never miss or double an upload) name their tables, and a round reads
ROUND_TABLES plus the tables of its scheme's leaves' methods (METHOD_TABLES, MEASURE_TABLES;
tests/assessment/test_rescoring.py checks them against the macros' text). A reading or survey
moves a round only when it is, or was, its series' latest on the round's period end (the macros
read no other: `_windows`); a
score, round or scheme row moves only its own round or its scheme's (KEYED_TABLES), and a round
whose only change is evaluators' scores keeps its automatic leaves (the costly part). A
write outside the uploads names its tables (`tables=`, an issue resolved in place) or, when none is
named, every round is scored again: scoring too much is slow, scoring too little is wrong.

The measures a leaf may name that arrive with later work (`domain.LATER_MEASURES`) are added
from their macros when the store has them (looked up, never assumed): the upload refuses a
scheme naming one until then.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Iterable
from dataclasses import dataclass

from ..domain import LATER_MEASURES
from ..schema import set_meta
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


# The tables a round reads whatever its scheme: the rounds and the scheme's tree, the evaluators'
# scores (an evaluation exists once it has one), and the pilots it evaluates (started and not
# withdrawn on the period end).
ROUND_TABLES = frozenset({"eval_rounds", "eval_items", "eval_scores", "projects"})
# indicator_status_all: the readings against the target that applies (by phase, province, belt).
_INDICATOR_TABLES = frozenset({"readings", "targets", "indicators", "phases", "projects", "provinces"})
_MONEY_TABLES = frozenset({"budget_lines", "projects"})
# What a leaf reads besides ROUND_TABLES, by its method ("measure": by the measure it names).
METHOD_TABLES = {
    "indicator": _INDICATOR_TABLES,
    "survey": frozenset({"surveys"}),
    "manual": frozenset(),
}
MEASURE_TABLES = {
    "execution_rate": _MONEY_TABLES,
    "arrival_rate": _MONEY_TABLES,
    "utilisation": _MONEY_TABLES,
    "milestone_completion": frozenset({"milestones"}),
    "spi": _MONEY_TABLES | {"milestones"},  # earned_value_all
    "cpi": _MONEY_TABLES | {"milestones"},
    "share_met": _INDICATOR_TABLES,
    "on_time_delivery": frozenset({"tasks"}),
    "issue_resolution": frozenset({"issues"}),
}
# Tables of dated series of which a round reads only the latest row on or before its period end
# (current_readings: a pilot's indicator; the surveys: a pilot's respondent kind), by their date
# and series columns: a changed row moves a round only when it is (or was) that latest one, i.e.
# dated on or before the period end with no row of its series after it and on or before that end.
DATED_TABLES = {"readings": ("period_end", ("project_id", "indicator_code")),
                "surveys": ("period_end", ("project_id", "respondent"))}
# Tables whose rows belong to one round (round_id) or one scheme's rounds (scheme): a change moves
# only those rounds (how a round ranks against the one before it is read live, eval_standing_all).
KEYED_TABLES = {"eval_scores": "round_id", "eval_rounds": "round_id", "eval_items": "scheme"}
# Up to this many changed rows dated on or before a round's end, each is looked up in its series
# (`_windows`); beyond it, a round ending on or after the earliest is scored again: looking up the
# 50,000 random corrections of the benchmark's 1M-row upload cost more (6 s at 10×) than the
# rounds it could spare (none: some of them were the latest on every round's end).
WINDOW_ROWS = 10_000
# What the last scoring had seen (store_meta): the data version it left, the newest upload, the
# rollbacks (how many, the latest time) and the newest issue action.
SEEN_KEY = "eval_scored_seen"


@dataclass
class Scored:
    rounds: int
    evaluations: int
    seconds: float
    changed: bool = False
    skipped: int = 0  # rounds left as they were: nothing they read had changed
    scored: tuple[str, ...] = ()  # the rounds scored, by id
    manual: tuple[str, ...] = ()  # of those, the ones whose manual leaves and totals only were redone


def available_later_measures(cur) -> tuple[str, ...]:
    """The later measures whose macro exists in the store now."""
    rows = cur.execute(
        "SELECT DISTINCT function_name FROM duckdb_functions() WHERE function_type = 'macro' "
        "AND function_name IN (SELECT unnest(?::VARCHAR[]))",
        [list(LATER_MEASURES)],
    ).fetchall()
    found = {r[0] for r in rows}
    return tuple(m for m in LATER_MEASURES if m in found)


def score_round(cur, round_id: str, period_end: dt.date, later: tuple[str, ...], manual_only: bool = False) -> None:
    """Score one round on a Writer: its previous rows replaced by the current data's.
    `manual_only`: only evaluators' scores changed, so the automatic leaves (the measures as of
    the period end, the costly part) stand and only the manual leaves and the totals are redone."""
    if manual_only:
        cur.execute("DELETE FROM eval_leaf_results WHERE round_id = ? AND evaluator <> ''", [round_id])
        cur.execute("DELETE FROM eval_results WHERE round_id = ?", [round_id])
        _score_evaluations(cur, round_id)
        return
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
    _score_evaluations(cur, round_id)


def _score_evaluations(cur, round_id: str) -> None:
    """The round's manual leaves and every evaluation's total, over its stored automatic leaves."""
    cur.execute("INSERT INTO eval_leaf_results SELECT * FROM eval_manual_leaves(?)", [round_id])
    cur.execute(
        "INSERT INTO eval_results SELECT round_id, project_id, evaluator, complete, scored_marks, total, grade, "
        "veto_item, ? FROM eval_totals(?)",
        [_now(), round_id],
    )


def recompute(store: Store, round_id: str | None = None) -> Scored:
    """Score every round (or one) from the current data, in one write. Rows of rounds that no
    longer exist (a rolled-back round upload) go too."""
    return _score(store, round_id, None)


def rescore(store: Store, tables: Iterable[str] = ()) -> Scored:
    """After a change of the data: score again the rounds that read what changed since the last
    scoring (see the module docstring); `tables` names what a write outside the uploads changed."""
    return _score(store, None, frozenset(tables))


def _score(store: Store, round_id: str | None, named: frozenset[str] | None) -> Scored:
    t0 = time.perf_counter()
    store = getattr(store, "base", store)  # every pilot: the results are read through the scope
    # The data version moves when a score does (pages and snapshots then read the new grades),
    # not after every upload: most of them change the scores, some (risks, people) never do.
    with store.writing(data_change=False) as cur:
        rounds = cur.execute(
            "SELECT round_id, period_end FROM eval_rounds WHERE ? IS NULL OR round_id = ? ORDER BY period_end",
            [round_id, round_id],
        ).fetchall()
        todo = [(rid, end, False) for rid, end in rounds] if named is None else _affected(cur, rounds, named)
        before = cur.execute(_FINGERPRINT).fetchall()[0] if todo else None
        gone = 0
        if round_id is None:
            for table in ("eval_values", "eval_leaf_results", "eval_results"):
                gone += cur.execute(
                    f"DELETE FROM {table} WHERE round_id NOT IN (SELECT round_id FROM eval_rounds)"
                ).fetchall()[0][0]
        later = available_later_measures(cur) if todo else ()
        for rid, end, manual_only in todo:
            score_round(cur, rid, end, later, manual_only)
        changed = gone > 0 or (bool(todo) and cur.execute(_FINGERPRINT).fetchall()[0] != before)
        evaluations = cur.execute(
            "SELECT count(*) FROM eval_results WHERE ? IS NULL OR round_id = ?", [round_id, round_id]
        ).fetchall()[0][0]
        if changed:
            bump_version(cur)
        if round_id is None:  # every round is now scored on the data as it stands
            set_meta(cur, SEEN_KEY, json.dumps(_marks(cur)))
    return Scored(len(todo), evaluations, time.perf_counter() - t0, changed, len(rounds) - len(todo),
                  tuple(rid for rid, *_ in todo), tuple(rid for rid, _, manual in todo if manual))


def _marks(cur) -> dict:
    uploads, rolled, rolled_at = cur.execute(
        "SELECT coalesce(max(upload_id), 0), count(*) FILTER (WHERE status = 'rolled_back'), "
        "CAST(max(rolled_back_at) AS VARCHAR) FROM upload_log"
    ).fetchall()[0]
    version = cur.execute("SELECT value FROM store_meta WHERE key = 'data_version'").fetchall()
    # the issues' own log of what was done to them in place (resolved, signed off): read like the
    # upload log, so such a change is scored even when the scoring right after it did not run
    issue_action = cur.execute("SELECT coalesce(max(action_id), 0) FROM issue_actions").fetchall()[0][0]
    return {"version": version[0][0] if version else None, "upload": uploads, "rolled_back": rolled,
            "rolled_back_at": rolled_at, "issue_action": issue_action}


def round_tables(leaves: Iterable[tuple[str, str | None]]) -> frozenset[str] | None:
    """The tables a round reads, from its scheme's leaves (method, method argument). A measure
    this module does not know reads, for all it can tell, everything: None then."""
    tables = set(ROUND_TABLES)
    for method, arg in leaves:
        known = METHOD_TABLES.get(method) if method != "measure" else MEASURE_TABLES.get(arg)
        if known is None:
            return None
        tables |= known
    return frozenset(tables)


@dataclass(frozen=True)
class _Change:
    """A table changed since the last scoring, as far as the upload log tells which rows."""
    table: str
    # DATED_TABLES: for the changed rows, (their date, the next date of their series now; None:
    # none after it): a round whose period end lies in [date, next) reads a changed row. None: any.
    windows: frozenset[tuple[dt.date, dt.date | None]] | None = None
    keys: frozenset[str] | None = None  # KEYED_TABLES: the round ids or schemes changed (None: any)

    def moves(self, round_id: str, scheme: str, end: dt.date, reads: frozenset[str] | None) -> bool:
        column = KEYED_TABLES.get(self.table)
        return ((reads is None or self.table in reads)
                and (self.windows is None or any(d <= end and (n is None or end < n) for d, n in self.windows))
                and (self.keys is None or (round_id if column == "round_id" else scheme) in self.keys))


def _affected(cur, rounds: list[tuple], named: frozenset[str]) -> list[tuple]:
    """(round, period end, manual only) for each round whose inputs changed since the last scoring
    (all of them when that is unknown); manual only: nothing changed for it but evaluators' scores."""
    changes = _changes_since_seen(cur, named)
    if changes is None:
        return [(rid, end, False) for rid, end in rounds]
    if not changes:
        return []
    leaves: dict[str, list] = {rid: [] for rid, _ in rounds}
    schemes = dict(cur.execute("SELECT round_id, scheme FROM eval_rounds").fetchall())
    for rid, method, arg in cur.execute(
        "SELECT r.round_id, t.method, t.method_arg FROM eval_rounds r JOIN eval_tree() t ON t.scheme = r.scheme "
        "WHERE t.is_leaf"
    ).fetchall():
        leaves.setdefault(rid, []).append((method, arg))
    todo = []
    for rid, end in rounds:
        reads = round_tables(leaves[rid])
        moving = [c.table for c in changes if c.moves(rid, schemes[rid], end, reads)]
        if moving:
            todo.append((rid, end, set(moving) == {"eval_scores"}))
    return todo


def _changes_since_seen(cur, named: frozenset[str]) -> list[_Change] | None:
    """What changed since the last scoring, or None when that is unknown (never scored here, a
    build, a write that named nothing)."""
    rows = cur.execute("SELECT value FROM store_meta WHERE key = ?", [SEEN_KEY]).fetchall()
    if not rows:
        return None
    seen = json.loads(rows[0][0])
    uploads = cur.execute(
        "SELECT upload_id, table_name, status = 'rolled_back' AND rolled_back_at > CAST(? AS TIMESTAMP) "
        "FROM upload_log WHERE upload_id > ? OR (status = 'rolled_back' AND rolled_back_at > CAST(? AS TIMESTAMP))",
        [seen["rolled_back_at"] or "-infinity", seen["upload"], seen["rolled_back_at"] or "-infinity"],
    ).fetchall()
    now = _marks(cur)
    if now["rolled_back"] != seen["rolled_back"] + sum(1 for *_, rolled in uploads if rolled):
        return None  # a rollback whose time is not after the last seen one: which, cannot be told
    if now["issue_action"] != seen.get("issue_action"):  # an issue resolved or signed off in place
        named = named | {"issues"}
    if not uploads and not named:
        return [] if now["version"] == seen["version"] else None
    changes = [_Change(t) for t in named]
    for table in sorted({t for _, t, _ in uploads} - named):
        ids = [u for u, t, _ in uploads if t == table]
        windows = keys = None
        # The table and column names below are constants of DATED_TABLES / KEYED_TABLES, never input.
        if table in DATED_TABLES:
            windows = _windows(cur, table, ids)
        if table in KEYED_TABLES:
            keys = frozenset(r[0] for r in cur.execute(
                f"SELECT DISTINCT json_extract_string(row_key, '$.{KEYED_TABLES[table]}') "
                "FROM upload_changes WHERE upload_id IN (SELECT unnest(?::INTEGER[]))", [ids]).fetchall())
        changes.append(_Change(table, windows, keys))
    return changes


def _windows(cur, table: str, ids: list[int]) -> frozenset[tuple[dt.date, dt.date | None]]:
    """The (date, next date) of every row the uploads `ids` changed in a DATED_TABLES table, the
    next date being the series' first one after it as the table stands (a row no longer there, a
    rolled-back insert: None, as if none followed, which can only score a round too many). A change
    dated after every round's end moves none and is left out first (a month's new readings). Why
    this suffices: if every changed row has a row of its series after it and on or before a
    round's end, that series' latest row on the end is one no upload changed, the same before and
    after. Equality joins only: an inequality join of the changes with the table is a nested loop."""
    date, series = DATED_TABLES[table]
    early, earliest = cur.execute(
        f"SELECT count(*) FILTER (WHERE d <= (SELECT max(period_end) FROM eval_rounds)), min(d) FROM ("
        f"SELECT CAST(json_extract_string(row_key, '$.{date}') AS DATE) AS d FROM upload_changes "
        "WHERE upload_id IN (SELECT unnest(?::INTEGER[])))",
        [ids],
    ).fetchall()[0]
    if not early:
        return frozenset()
    if early > WINDOW_ROWS:  # as if nothing followed the earliest: every round ending on or after it
        return frozenset({(earliest, None)})
    extract = ", ".join(f"json_extract_string(row_key, '$.{c}') AS {c}" for c in series)
    cols = ", ".join(series)
    same = " AND ".join(f"n.{c} = k.{c}" for c in series)
    return frozenset(cur.execute(
        f"WITH k AS (SELECT DISTINCT {extract}, CAST(json_extract_string(row_key, '$.{date}') AS DATE) AS d "
        "FROM upload_changes WHERE upload_id IN (SELECT unnest(?::INTEGER[]))), "
        "early AS (SELECT * FROM k WHERE d <= (SELECT max(period_end) FROM eval_rounds)), "
        f"n AS (SELECT {cols}, {date}, lead({date}) OVER (PARTITION BY {cols} ORDER BY {date}) AS next "
        f"FROM {table} WHERE ({cols}) IN (SELECT ({cols}) FROM early)) "
        f"SELECT DISTINCT k.d, n.next FROM early k LEFT JOIN n ON {same} AND n.{date} = k.d",
        [ids],
    ).fetchall())


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)
