"""Closing issues one by one (问题清单销号制): the owner's side resolves an issue with a note (整改
完成), a reviewer signs it off (销号). Each is one write: the policy's check, the change to the
issue's own columns (so the figures move), a line in `issue_actions` with who and the note, and
one audit entry. Whoever resolved an issue may not sign it off: closing one's own issue is what
the sign-off is there to prevent.
"""

from __future__ import annotations

import datetime as dt

from .. import audit, policy
from ..events import data_changed
from ..errors import Problem

NOTE_MAX = 1000  # characters: a note is a sentence or a paragraph, never a file


def _clean(note: str | None) -> str:
    text = (note or "").strip()
    if not text:
        raise Problem("issue.note_required")
    if len(text) > NOTE_MAX:
        raise Problem("issue.note_too_long", n=NOTE_MAX)
    return text


def _issue(w, issue_id: str) -> dict:
    rows = w.execute(
        "SELECT i.issue_id, i.project_id, p.province_code, p.city_code, i.raised_on, i.resolved_on, i.verified_on "
        "FROM issues i JOIN projects p ON p.project_id = i.project_id WHERE i.issue_id = ?", [issue_id]
    ).fetchall()
    if not rows:
        raise Problem("issue.not_found", issue=issue_id)
    keys = ("issue_id", "project_id", "province_code", "city_code", "raised_on", "resolved_on", "verified_on")
    return dict(zip(keys, rows[0]))


def _resource(issue: dict) -> policy.Resource:
    # the city too: a prefecture office's scope holds a pilot by its city alone
    return policy.Resource(project_id=issue["project_id"], province_code=issue["province_code"],
                           city_code=issue["city_code"])


def _add_action(w, issue_id: str, action: str, on: dt.date, who: str, note: str | None) -> None:
    w.execute(
        "INSERT INTO issue_actions (action_id, issue_id, action, on_date, by_user, acted_at, note) "
        "SELECT coalesce(max(action_id), 0) + 1, ?, ?, ?, ?, ?, ? FROM issue_actions",
        [issue_id, action, on, who, dt.datetime.now(dt.UTC).replace(tzinfo=None), note],
    )


def _allowed(store, person, action: str, issue_id: str) -> dict:
    """The issue, once the policy allows `action` on it. Asked before the write, with the store,
    so that a refusal's audit entry is its own write and is kept (a refused write rolls back)."""
    what = f"issue {issue_id}"
    try:
        with getattr(store, "base", store).read() as r:  # the whole store: whether it is there at all
            issue = _issue(r, issue_id)
    except Problem as exc:  # not there: the same answer as for one outside the person's scope, below
        if exc.code != "issue.not_found":  # a store that cannot answer now: said so, to try again
            raise
        raise policy.refuse_unseen(store, person, action, what, "not_found", "issue.not_found",
                                   issue=issue_id) from None
    if not policy.sees(person, _resource(issue)):
        raise policy.refuse_unseen(store, person, action, what, "outside_scope", "issue.not_found", issue=issue_id)
    policy.require(store, person, action, _resource(issue), what=what)
    return issue


def resolve(store, person, issue_id: str, on: dt.date, note: str) -> None:
    """Mark an open or overdue issue resolved on `on` with the note of what was done."""
    note = _clean(note)
    _allowed(store, person, "issue_resolve", issue_id)
    with store.writing() as w:
        issue = _issue(w, issue_id)  # again inside the write: its state then is what counts
        if issue["resolved_on"] is not None:
            raise Problem("issue.already_resolved", issue=issue_id)
        if on < issue["raised_on"]:
            raise Problem("issue.before_raised", issue=issue_id)
        w.execute("UPDATE issues SET resolved_on = ? WHERE issue_id = ?", [on, issue_id])
        _add_action(w, issue_id, "resolve", on, person.email, note)
        audit.record(w, person.email, "issue_resolve", f"issue {issue_id}", person.scope,
                     {"project_id": issue["project_id"], "resolved_on": on.isoformat(), "note": note})
    # The one data-changed event, as after an upload: health's snapshot and an overdue issue's
    # warning follow (the scoring reads only the issues table's rounds again).
    data_changed(store, tables=("issues",))


def resolved_by(store, issue_id: str) -> str | None:
    """Who resolved the issue in place (None: resolved by an upload, or not resolved)."""
    with store.read() as r:
        return _resolver(r, issue_id)


def _resolver(r, issue_id: str) -> str | None:
    rows = r.execute("SELECT arg_max(by_user, action_id) FROM issue_actions WHERE issue_id = ? AND action = 'resolve'",
                     [issue_id]).fetchall()
    return rows[0][0] if rows else None


def _same(a: str | None, b: str) -> bool:
    return a is not None and a.strip().lower() == b.strip().lower()


def sign_off(store, person, issue_id: str, on: dt.date) -> None:
    """Sign off (销号) a resolved issue on `on`: a reviewer in scope who did not resolve it."""
    _allowed(store, person, "issue_sign_off", issue_id)
    if not person.single_user and _same(resolved_by(store, issue_id), person.email):
        audit.record(store, person.email, "issue_sign_off", f"issue {issue_id}", person.scope,
                     {"refused": True, "reason": "own_resolution"}, refused=True)
        raise Problem("issue.own_resolution", issue=issue_id)
    with store.writing() as w:
        issue = _issue(w, issue_id)
        if issue["resolved_on"] is None:
            raise Problem("issue.not_resolved", issue=issue_id)
        if issue["verified_on"] is not None:
            raise Problem("issue.already_signed_off", issue=issue_id)
        if on < issue["resolved_on"]:
            raise Problem("issue.before_resolved", issue=issue_id)
        if not person.single_user and _same(_resolver(w, issue_id), person.email):
            raise Problem("issue.own_resolution", issue=issue_id)  # resolved by them meanwhile
        w.execute("UPDATE issues SET verified_on = ?, verified_by = ? WHERE issue_id = ?",
                  [on, person.name or person.email, issue_id])
        _add_action(w, issue_id, "sign_off", on, person.email, None)
        audit.record(w, person.email, "issue_sign_off", f"issue {issue_id}", person.scope,
                     {"project_id": issue["project_id"], "verified_on": on.isoformat()})
    data_changed(store, tables=("issues",))
