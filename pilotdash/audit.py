"""The audit log 审计: who did what, when, in which scope (issue 12).

Every sign-in, export, download and report, every submission, approval, rejection, withdrawal,
apply and rollback, and every change of people is one row of `audit_log`. The app only appends:
`record` is the one writer, and nothing edits or deletes a row. Admins read it with `entries`
(the admin page, `python -m pilotdash audit`).

    record(store, who, "download", "overview_totals.csv", person.scope, {"rows": 12})
    with store.writing() as w:       # inside a write: the same transaction as the change
        ...
        record(w, who, "apply", "upload 7", scope)
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pandas as pd

from .scope import Scope
from .spreadsheet import neutral_frame

ACTIONS = (
    "sign_in",
    "export",
    "download",
    "report",
    "submit",
    "approve",
    "reject",
    "withdraw",
    "apply",
    "rollback",
    "people_add",
    "people_set",
    "people_disable",
    # the access policy's actions (pilotdash/policy.py ACTIONS): each done or refused is one entry
    "read",
    "upload",
    "acknowledge",
    "close",
    "subscribe",
    "unsubscribe",
    "view_rename",
    "view_delete",
    "people_manage",
    "audit_read",
    "build",
    "recheck",
    "view_read",
    "view_save",
    # assessment 考核评价: the scores and schemes an upload gives, and the policy's scoring actions
    "score",
    "score_self",
    "score_department",
    "score_third_party",
    "assessment_scheme",
    "issue_resolve",
    "issue_sign_off",
    "report_send",
)
COLUMNS = ("audit_id", "at", "who", "action", "what", "scope_kind", "scope_codes", "refused", "detail")


def record(
    store_or_writer: Any,
    who: str,
    action: str,
    what: str,
    scope: Scope | None,
    detail: dict | None = None,
    refused: bool = False,
) -> None:
    """Append one entry. Pass the Writer inside `with store.writing() as w:` (the entry commits or
    rolls back with the change), else the Store (its own small write, which changes no figure).
    `scope` None is the national scope (what the store reads without one). `refused`: the action
    was asked for and not allowed (pilotdash/policy.py); nothing else was written."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; actions are {', '.join(ACTIONS)}")
    if not who:
        raise ValueError("an audit entry needs who did it")
    scope = scope or Scope.national()
    params = [
        dt.datetime.now(dt.UTC).replace(tzinfo=None),
        who,
        action,
        str(what),
        scope.kind,
        list(scope.codes),
        bool(refused),
        None if detail is None else json.dumps(detail, ensure_ascii=False, default=str),
    ]
    sql = (
        'INSERT INTO audit_log (audit_id, "at", who, action, what, scope_kind, scope_codes, refused, detail) '
        "SELECT coalesce(max(audit_id), 0) + 1, ?, ?, ?, ?, ?, ?, ?, ? FROM audit_log"
    )
    if hasattr(store_or_writer, "writing"):
        with store_or_writer.writing(data_change=False) as w:
            w.execute(sql, params)
    else:
        store_or_writer.execute(sql, params)


def entries(
    store,
    who: str | None = None,
    action: str | None = None,
    since: dt.date | dt.datetime | None = None,
    until: dt.date | dt.datetime | None = None,
    limit: int | None = None,
    refused: bool | None = None,
) -> pd.DataFrame:
    """Audit entries, newest first, filtered by who (an e-mail, any case), action, time (from
    `since` and up to `until`; a date includes its whole day) and whether refused. Columns
    COLUMNS; detail as JSON text; `refused` false for entries written before it was recorded."""
    if action is not None and action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}; actions are {', '.join(ACTIONS)}")
    if isinstance(until, dt.date) and not isinstance(until, dt.datetime):
        until = dt.datetime.combine(until + dt.timedelta(days=1), dt.time())
        until_op = "<"
    else:
        until_op = "<="
    if isinstance(since, dt.date) and not isinstance(since, dt.datetime):
        since = dt.datetime.combine(since, dt.time())
    sql = (
        'SELECT audit_id, "at", who, action, what, scope_kind, scope_codes, coalesce(refused, false) AS refused, '
        "CAST(detail AS VARCHAR) AS detail "
        "FROM audit_log WHERE ($who IS NULL OR lower(who) = lower($who)) AND ($action IS NULL OR action = $action) "
        "AND ($refused IS NULL OR coalesce(refused, false) = $refused) "
        f'AND ($since IS NULL OR "at" >= $since) AND ($until IS NULL OR "at" {until_op} $until) '
        "ORDER BY audit_id DESC"
    )
    params: dict[str, Any] = {
        "who": who.strip() if who else None,
        "action": action,
        "since": since,
        "until": until,
        "refused": refused,
    }
    if limit is not None:
        sql += " LIMIT $limit"
        params["limit"] = int(limit)
    return store.frame(sql, params)


def writers(store) -> list[str]:
    """Everyone the log names (its `who`), in order: the admin page's choice of whose entries."""
    return [r[0] for r in store.rows("SELECT DISTINCT who FROM audit_log ORDER BY who")]


def as_csv(frame: pd.DataFrame) -> bytes:
    """The entries as CSV (UTF-8 with BOM, so Excel opens the Chinese text), codes joined by ','."""
    out = frame.copy()
    out["scope_codes"] = [",".join(c) if c is not None else "" for c in out["scope_codes"]]
    return neutral_frame(out).to_csv(index=False, lineterminator="\r\n").encode("utf-8-sig")
