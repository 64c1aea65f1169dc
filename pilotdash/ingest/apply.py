"""Applying a previewed plan, rolling an upload back, and the history of uploads.

An apply is one store write (`Store.writing`: one transaction, one writer at a time across every
process; it receives a `Writer`, never a raw cursor): it logs every row it inserts (its key) or updates
(its key, and the whole row before and after, as JSON) in `upload_changes`, in bulk by one
INSERT ... SELECT, writes the rows, and adds one `upload_log` line; any failure leaves the store
as it was. If the store changed since the preview, the file is validated again inside the
transaction, and the apply goes ahead only if the analyst would have seen the same counts.

A rollback deletes the rows the upload touched and puts back their before images, so the table is
exactly as before. It refuses when a later applied upload changed one of the same rows, or names a
row this upload added (an adoption its case, a reading its pilot: rolled back alone, the upload
would leave those rows pointing at nothing, hidden from every figure but kept), unless `cascade`,
which rolls those back first, newest first, each asked of the access policy by the caller
(`submissions.rollback`); and it refuses when a row was changed otherwise.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..errors import Problem
from ..store import Store
from ..events import data_changed
from .contract import CONTRACTS, Contract, contract
from .plan import Plan, _version
from .validate import arrow, key_match, q, scalar, stage

MODES = ("clean_only", "valid_rows")


@dataclass
class Applied:
    upload_id: int | None  # None: nothing to change, nothing logged
    inserted: int
    updated: int
    unchanged: int
    rejected: int


def _row_json(con: Contract, alias: str, suffix: str = "") -> str:
    fields = ", ".join(f"{q(c.name)} := {alias}.{q(c.name + (suffix if not c.key else ''))}" for c in con.columns)
    return f"to_json(struct_pack({fields}))"


def _key_json(con: Contract, alias: str) -> str:
    return f"to_json(struct_pack({', '.join(f'{q(k)} := {alias}.{q(k)}' for k in con.key)}))"


def _structure(con: Contract, key_only: bool = False) -> str:
    cols = [c for c in con.columns if c.key or not key_only]
    return "{" + ", ".join(f'"{c.name}": "{c.sql_type}"' for c in cols) + "}"


def apply(store: Store, plan: Plan, user: str, mode: str = "clean_only",
          progress: Callable[[float, str], None] | None = None) -> Applied:
    """Write the plan's valid rows in one transaction and log them; see the module docstring."""
    report = progress or (lambda share, step: None)
    check(plan, mode)
    if plan.changes == 0:
        return Applied(None, 0, 0, plan.counts.unchanged, plan.counts.rejected)
    report(0.1, "lock")
    with store.writing() as cur:
        result = write_plan(cur, plan, user, mode, report)
    data_changed(store)  # snapshots and warnings, after the commit; never fails the upload
    report(1.0, "done")
    return result


def check(plan: Plan, mode: str) -> None:
    """A Problem (ingest.err.*; nothing written) when the plan cannot be applied in this mode (before any lock is taken)."""
    if mode not in MODES:
        raise ValueError(mode)
    if not plan.readable or plan.rows is None:
        raise Problem("ingest.err.not_readable")
    if mode == "clean_only" and plan.counts.rejected:
        raise Problem("ingest.err.not_clean", rejected=plan.counts.rejected)


def write_plan(cur, plan: Plan, user: str, mode: str = "clean_only",
               progress: Callable[[float, str], None] | None = None) -> Applied:
    """`apply`'s write on the `Writer` of a transaction the caller holds (an approved submission
    is applied and marked in one transaction); the caller runs `data_changed` after it."""
    report = progress or (lambda share, step: None)
    check(plan, mode)
    counts = plan.counts
    if plan.changes == 0:
        return Applied(None, 0, 0, counts.unchanged, counts.rejected)
    con = contract(plan.table)
    rows = plan.rows
    if _version(cur) != plan.data_version:
        report(0.2, "revalidate")
        again = stage(cur, plan.grid, con, plan.columns, plan.scope)
        if (again.inserts, again.updates, again.rejected) != (counts.inserts, counts.updates, counts.rejected):
            raise Problem("ingest.err.stale_plan", inserts=again.inserts, updates=again.updates, rejected=again.rejected)
        rows = arrow(cur, "SELECT * FROM _merged ORDER BY _row")
    cur.register("_up", rows)
    upload_id = scalar(cur, "SELECT coalesce(max(upload_id), 0) + 1 FROM upload_log")
    report(0.4, "log")
    cur.execute(
        f"INSERT INTO upload_changes SELECT ?, _row, ?, {_key_json(con, 'u')}, _action, "
        f"CASE WHEN _action = 'update' THEN {_row_json(con, 'u', '__old')} END, "
        f"CASE WHEN _action = 'update' THEN {_row_json(con, 'u')} END "
        "FROM _up u WHERE _action IN ('insert', 'update')",
        [upload_id, con.table],
    )
    report(0.6, "write")
    values = [c for c in con.columns if not c.key]
    if values and counts.updates:
        sets = ", ".join(f"{q(c.name)} = u.{q(c.name)}" for c in values)
        cur.execute(
            f"UPDATE {con.table} AS t SET {sets} FROM (SELECT * FROM _up WHERE _action = 'update') u "
            f"WHERE {key_match(con, 't', 'u')}"
        )
    names = ", ".join(q(c) for c in con.names)
    cur.execute(f"INSERT INTO {con.table} ({names}) SELECT {names} FROM _up WHERE _action = 'insert'")
    cur.execute(
        "INSERT INTO upload_log (upload_id, table_name, file_name, sha256, uploaded_by, uploaded_at, "
        "inserted, updated, unchanged, rejected, warnings, mode) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [upload_id, con.table, plan.file_name, plan.sha256, user, _now(), counts.inserts, counts.updates,
         counts.unchanged, counts.rejected, counts.warnings, mode],
    )
    cur.unregister("_up")
    return Applied(upload_id, counts.inserts, counts.updates, counts.unchanged, counts.rejected)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


# Rollback ----------------------------------------------------------------------------------------

def why_not_alone(store: Store, upload_id: int) -> Problem | None:
    """`not_alone` in one read of the store (the Data page asks before offering a rollback)."""
    with store.read() as r:
        return not_alone(r, upload_id)


def blockers(cur, upload_id: int) -> list[int]:
    """Later applied uploads that changed a row this upload changed, or name a row it added
    (`dependents`), directly or through another such upload, newest first."""
    found: set[int] = set()
    frontier = [upload_id]
    while frontier:
        rows = cur.execute(
            "SELECT DISTINCT l.upload_id FROM upload_changes c "
            "JOIN upload_changes l ON l.table_name = c.table_name AND l.row_key = c.row_key AND l.upload_id > c.upload_id "
            "JOIN upload_log g ON g.upload_id = l.upload_id AND g.status = 'applied' "
            "WHERE c.upload_id IN (SELECT unnest(?::INTEGER[]))",
            [frontier],
        ).fetchall()
        named = {uid for uid, _ in _naming(cur, frontier)}
        frontier = sorted(({r[0] for r in rows} | named) - found)
        found.update(frontier)
    return sorted(found, reverse=True)


# (table, column, the table it names, that table's key): a row of `table` names a row of the other
# by `column` (the contract's `ref` to another upload table with a one-column key: an adoption's
# case_id its case, a reading's project_id its pilot, a target's indicator_code its indicator),
# and the names a contract's rules check instead of a `ref` (a review its risk, a score its round,
# a task its parent, an issue its task)
_RULE_REFERENCES = (("risk_reviews", "risk_id", "risks"), ("eval_scores", "round_id", "eval_rounds"),
                    ("tasks", "parent_id", "tasks"), ("issues", "task_id", "tasks"))
REFERENCES: tuple[tuple[str, str, str, str], ...] = tuple(
    (table, column.name, column.ref, CONTRACTS[column.ref].key[0])
    for table, con in CONTRACTS.items() for column in con.columns
    if column.ref in CONTRACTS and len(CONTRACTS[column.ref].key) == 1
) + tuple((table, column, parent, CONTRACTS[parent].key[0]) for table, column, parent in _RULE_REFERENCES)


def _naming(cur, upload_ids: list[int]) -> list[tuple[int, str]]:
    """(later applied upload, the key it names) for the rows stored now that name a row one of
    `upload_ids` inserted (an update leaves the named row in place when rolled back), by the later
    uploads that wrote them. Table and column names come from the contracts, never from a file."""
    found: list[tuple[int, str]] = []
    tables = {r[0] for r in cur.execute("SELECT DISTINCT table_name FROM upload_log "
                                        "WHERE upload_id IN (SELECT unnest(?::INTEGER[]))", [list(upload_ids)]).fetchall()}
    for table, parent, shown, joined in _NAMINGS:
        if parent not in tables:  # only an upload of the named table can have added the named row
            continue
        found += cur.execute(
            f"SELECT DISTINCT l.upload_id, {shown} FROM upload_changes p {joined} "
            f"JOIN upload_changes l ON l.table_name = ? AND l.upload_id > p.upload_id "
            f"AND l.row_key = {_key_json(contract(table), 'c')} "
            "JOIN upload_log g ON g.upload_id = l.upload_id AND g.status = 'applied' "
            "WHERE p.upload_id IN (SELECT unnest(?::INTEGER[])) AND p.table_name = ? AND p.before_row IS NULL",
            [table, list(upload_ids), parent],
        ).fetchall()
    return sorted(set(found))


# An assessment item is named by its scheme and code together (a two-column key): a score names
# it through its round's scheme, a sub-item through its parent's code in the same scheme. Shown
# as "scheme/item".
_ITEM = "json_extract_string(p.row_key, '$.{}')"
# (table whose rows `c` name, the named table, the name shown, the join from the named row `p`)
_NAMINGS: tuple[tuple[str, str, str, str], ...] = tuple(
    (table, parent, _ITEM.format(key), f"JOIN {q(table)} c ON c.{q(column)} = {_ITEM.format(key)}")
    for table, column, parent, key in REFERENCES
) + (
    ("eval_scores", "eval_items", f"{_ITEM.format('scheme')} || '/' || {_ITEM.format('item_code')}",
     f"JOIN eval_scores c ON c.item_code = {_ITEM.format('item_code')} "
     f"JOIN eval_rounds r ON r.round_id = c.round_id AND r.scheme = {_ITEM.format('scheme')}"),
    ("eval_items", "eval_items", f"{_ITEM.format('scheme')} || '/' || {_ITEM.format('item_code')}",
     f"JOIN eval_items c ON c.scheme = {_ITEM.format('scheme')} AND c.parent_code = {_ITEM.format('item_code')}"),
)


def dependents(cur, upload_id: int) -> dict[int, list[str]]:
    """The later applied uploads whose rows name a row `upload_id` added, with the keys they name
    (an adoptions upload and the cases it adopts): what its rollback alone would leave orphaned."""
    named: dict[int, list[str]] = {}
    for uid, key in _naming(cur, [upload_id]):
        named.setdefault(uid, []).append(key)
    return named


def not_alone(cur, upload_id: int) -> Problem | None:
    """Why `upload_id` cannot be rolled back alone (later uploads that depend on it), or None: the
    words the rollback's refusal and the Data page's warning both say."""
    later = blockers(cur, upload_id)
    if not later:
        return None
    listed = _some([f"#{u}" for u in later], 20)
    named = dependents(cur, upload_id)
    if named:
        keys = _some(list(dict.fromkeys(k for uid in sorted(named) for k in named[uid])), 10)
        return Problem("ingest.err.later_dependents", upload_id=upload_id, later=listed, keys=keys)
    return Problem("ingest.err.later_changes", upload_id=upload_id, later=listed)


def _some(items: list[str], most: int) -> str:
    """The first `most` of a list for a message, and how many more: a rollback of the upload that
    added a thousand pilots named by later readings must not print a thousand keys."""
    shown = ", ".join(items[:most])
    return shown if len(items) <= most else f"{shown}, … +{len(items) - most}"


def rollback(store: Store, upload_id: int, user: str, cascade: bool = False) -> list[int]:
    """Undo an applied upload exactly; returns the uploads rolled back, newest first."""
    with store.writing() as cur:
        done = undo(cur, upload_id, user, cascade)
    data_changed(store)  # snapshots and warnings, after the commit; never fails the rollback
    return done


def to_roll_back(cur, upload_id: int, cascade: bool = False) -> list[int]:
    """The uploads a rollback of `upload_id` undoes, newest first, or a Problem (ingest.err.*) why it cannot."""
    entry = next(iter(cur.execute("SELECT table_name, status FROM upload_log WHERE upload_id = ?", [upload_id]).fetchall()), None)
    if entry is None:
        raise Problem("ingest.err.no_such_upload", upload_id=upload_id)
    if entry[1] != "applied":
        raise Problem("ingest.err.already_rolled_back", upload_id=upload_id)
    later = blockers(cur, upload_id)
    if later and not cascade:
        raise not_alone(cur, upload_id)
    return [*later, upload_id]


def undo(cur, upload_id: int, user: str, cascade: bool = False) -> list[int]:
    """`rollback`'s write on the `Writer` of a transaction the caller holds."""
    done = []
    for uid in to_roll_back(cur, upload_id, cascade):
        _undo(cur, uid, user)
        done.append(uid)
    return done


def _undo(cur, upload_id: int, user: str) -> None:
    table = scalar(cur, "SELECT table_name FROM upload_log WHERE upload_id = ?", [upload_id])
    con = contract(table)
    keys = f"SELECT unnest(from_json(row_key, '{_structure(con, True)}')) FROM upload_changes WHERE upload_id = ?"
    current = (
        f"SELECT count(*) FROM (SELECT c.after_row, k.* FROM upload_changes c, "
        f"LATERAL (SELECT unnest(from_json(c.row_key, '{_structure(con, True)}'))) k WHERE c.upload_id = ?) c "
        f"LEFT JOIN (SELECT *, true AS _hit FROM {table}) t ON {key_match(con, 't', 'c')} "
        f"WHERE t._hit IS NULL OR (c.after_row IS NOT NULL AND {_row_json(con, 't')} IS DISTINCT FROM c.after_row)"
    )
    changed = scalar(cur, current, [upload_id])
    if changed:
        raise Problem("ingest.err.changed_elsewhere", upload_id=upload_id, rows=changed)
    cur.execute(f"DELETE FROM {table} AS t USING ({keys}) AS k WHERE {key_match(con, 't', 'k')}", [upload_id])
    cur.execute(
        f"INSERT INTO {table} SELECT unnest(from_json(before_row, '{_structure(con)}')) "
        "FROM upload_changes WHERE upload_id = ? AND before_row IS NOT NULL",
        [upload_id],
    )
    now = _now()
    cur.execute(
        "UPDATE upload_log SET status = 'rolled_back', rolled_back_at = ?, rolled_back_by = ? WHERE upload_id = ?",
        [now, user, upload_id],
    )
    # The submission it applied, if any, is rolled back with it (pilotdash.submissions).
    cur.execute(
        "UPDATE submissions SET state = 'rolled_back', rolled_back_at = ?, rolled_back_by = ? "
        "WHERE upload_id = ? AND state = 'approved'",
        [now, user, upload_id],
    )


def history(store: Store) -> pd.DataFrame:
    """Every applied or rolled-back upload, newest first."""
    return store.frame("SELECT * FROM upload_log ORDER BY upload_id DESC")
