"""Submissions and review 填报与审核 (issue 12, shared/domain.md "Submissions and review").

A provincial or unit upload is a **submission**: prepared and previewed as today
(`ingest.plan.prepare`, with the submitter's scope, so that every row outside it is rejected with
its row number and the reason), then stored as *submitted* without changing any number: the
file's bytes (to prepare it again exactly) and its valid rows as checked (`submission_rows`: key,
action, the stored row then and the row it writes, as JSON like `upload_changes`; never pickled).

    submit(store, person, plan, mode)   -> Outcome   (applied at once when the person needs no review)
    changes(store, id, person)          -> Changes   (before -> after against the current data)
    approve(store, person, id)          -> Submission  (applied like an upload: logged, reversible)
    reject(store, person, id, reason)   -> Submission  (nothing changes; the submitter sees why)
    withdraw(store, person, id)         -> Submission  (own, while submitted)
    recheck(store, person, id)          -> Submission  (a stale one, against the current data)
    rollback(store, person, upload_id)  -> uploads rolled back (an applied submission: rolled_back)

**Stale 已过期**: a submitted one whose rows are no longer what they were when it was checked
(another applied upload, or a rollback, changed them). It is computed, never stored: a stored row
that differs from the submission's before image. It must be re-checked before approval (the
reviewer sees what changed), and approval also prepares the file again and refuses unless it gives
exactly the rows that were submitted.

**Who may**, asked of the access policy (pilotdash/policy.py) on every call, before the write it
guards, so a refusal is audited (the page and the CLI only call these): a submitter submits (each
row checked against their scope) and withdraws their own; a reviewer approves, rejects and rolls
back within theirs, never their own submission; a reviewer's scope must cover every row's pilot
(reference rows: national reviewers only): the submission's rows as a scope (`rows_scope`), with
the provinces and the cities of its pilots, answered by `Scope.contains` (a prefecture office
reviews the submissions whose every pilot lies in its cities, never a province-wide one). Single-user mode's national admin, and national submitters when
`[pilotdash] national_submit_without_review = true` (secrets) or
PILOTDASH_NATIONAL_SUBMIT_WITHOUT_REVIEW=1, apply directly, as an upload today.

Every state change writes its one audit entry (`audit.record`) in the same transaction. Ids are
max + 1 inside the write (DuckLake has no sequences); the states are checked here, not by
constraints. Submissions are read from the whole store (`store.base` of a person's limited store):
which ones a person sees is `visible`, here.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
from dataclasses import dataclass

import pandas as pd

from . import audit, config, policy
from . import scope as scope_mod
from .assessment import permissions as assessment_permissions
from .errors import Problem
from .ingest.apply import (
    Applied,
    _key_json,
    _row_json,
    _structure,
    check,
    to_roll_back,
    undo,
    write_plan,
)
from .ingest.contract import contract
from .ingest.plan import PREVIEW_ROWS, Plan, prepare
from .ingest.validate import arrow, key_match, scope_rules, stage
from .people import Person
from .scope import Scope
from .events import data_changed

STATES = ("submitted", "approved", "rejected", "withdrawn", "rolled_back")
SHOWN_STATES = (*STATES, "stale")  # what the Data page shows: a stale one is still submitted
_SKIP_ENV = "PILOTDASH_NATIONAL_SUBMIT_WITHOUT_REVIEW"


@dataclass(frozen=True)
class Submission:
    submission_id: int
    table: str
    file_name: str
    sha256: str
    mode: str
    submitted_by: str
    submitted_at: dt.datetime
    scope: Scope  # the submitter's, when submitted
    level: str  # the narrowest scope kind covering every row: national, provinces, projects
    provinces: tuple[str, ...]
    projects: tuple[str, ...]
    inserted: int
    updated: int
    unchanged: int
    rejected: int
    warnings: int
    data_version: str
    checked_at: dt.datetime
    state: str
    reviewed_by: str | None
    reviewed_at: dt.datetime | None
    reason: str | None
    upload_id: int | None
    rolled_back_by: str | None
    rolled_back_at: dt.datetime | None
    stale: bool = False
    # the cities of its pilots (old and new, for a pilot moved); None when a pilot has no city or
    # the rows are not a pilot's (a cities scope then does not cover it)
    cities: tuple[str, ...] | None = None

    @property
    def shown_state(self) -> str:
        """The state the Data page shows: `stale` for a submitted one whose rows changed since."""
        return "stale" if self.state == "submitted" and self.stale else self.state


@dataclass
class Outcome:
    """What `submit` did: stored a submission for review, or (no review needed) applied it."""

    submission: Submission | None
    applied: Applied | None = None


@dataclass
class Changes:
    """A submission's rows against the current data: the file prepared again with the submitter's
    scope (`plan`: inserts, updates before -> after, rejected rows with reasons, as the Data page's
    preview shows them), and for a stale one the rows changed since it was checked."""

    submission: Submission
    plan: Plan
    changed_since: pd.DataFrame  # row, key, column, then (when checked), now

    def inserted(self, lang: str) -> pd.DataFrame:
        return self.plan.preview("insert", lang)

    def updated(self, lang: str) -> pd.DataFrame:
        return self.plan.updates(lang)

    def rejected(self, lang: str) -> pd.DataFrame:
        return self.plan.row_report(lang)


# Who ---------------------------------------------------------------------------------------------


def _truthy(value: object) -> bool:
    return str(value).strip().lower() in ("1", "true", "yes", "on")


def national_without_review() -> bool:
    """Whether national submitters' uploads apply without review (configuration)."""
    if _truthy(os.environ.get(_SKIP_ENV, "")):
        return True

    return _truthy(config.value("national_submit_without_review", default=False))


def needs_review(person: Person) -> bool:
    """Whether this person's uploads wait for a reviewer (everyone's but the single user's, and
    national submitters' when configured so)."""
    if person.single_user:
        return False
    return not (person.scope.is_national and national_without_review())


def rows_scope(sub: Submission) -> Scope:
    """The narrowest scope holding every row of `sub`: its pilots, its provinces (province
    targets), or national (reference rows)."""
    if sub.level == "projects":
        return policy.scope_of("projects", sub.projects)
    if sub.level == "provinces":
        return policy.scope_of("provinces", sub.provinces)
    return Scope.national()


def resource(sub: Submission) -> policy.Resource:
    """A submission as the access policy sees it: its rows' scope (with the provinces and the
    cities of its pilots) and its submitter."""
    return policy.Resource(scope=rows_scope(sub), provinces=sub.provinces, cities=sub.cities,
                           owner=sub.submitted_by)


def covers(scope: Scope, sub: Submission) -> bool:
    """Whether `scope` covers every row of `sub` (the scope's own answer)."""
    return scope.contains(rows_scope(sub), sub.provinces, sub.cities)


def _own(person: Person | None, sub: Submission) -> bool:
    return person is not None and not person.disabled and sub.submitted_by == person.email


def reviews(person: Person | None) -> bool:
    """Whether `person` reviews at all (approves within their own scope): their queue is shown."""
    return person is not None and policy.allowed(person, "approve", policy.Resource(scope=person.scope))


def visible(person: Person | None, sub: Submission) -> bool:
    """A person sees their own submissions, and those they may review."""
    return _own(person, sub) or policy.allowed(person, "approve", resource(sub))


def _base(store):
    """The whole store: submissions are checked against every row, not a person's view of them."""
    return getattr(store, "base", store)


def _what(sub_or_id) -> str:
    return f"submission #{getattr(sub_or_id, 'submission_id', sub_or_id)}"


class _Unseen(Exception):
    """A submission or upload that is not there, or not the person's to see (`because`:
    "not_found" or "outside_scope"): raised anywhere in an action, inside its write too, and
    answered once by `_not_there` after the write has rolled back, so that its refused audit
    entry is not rolled back with it."""

    def __init__(self, because: str):
        super().__init__(because)
        self.because = because


@contextlib.contextmanager
def _not_there(base, person: Person | None, action: str, what: str, code: str, **values: object):
    """One answer for "not yours" and "not there" (the code and words of "there is no such ..."),
    audited as refused with which it was (policy.refuse_unseen)."""
    try:
        yield
    except _Unseen as exc:
        raise policy.refuse_unseen(base, person, action, what, exc.because, code, **values) from None


def _no_submission(base, person: Person | None, action: str, submission_id: int):
    return _not_there(base, person, action, _what(submission_id), "submissions.err.no_such",
                      submission_id=submission_id)


def _seen(base, person: Person | None, submission_id: int) -> Submission:
    """The submission, when `person` may see it (`visible`); else _Unseen, the same whether it is
    someone else's or none at all."""
    try:
        sub = get(base, submission_id)
    except Problem as exc:
        if exc.code != "submissions.err.no_such":
            raise
        raise _Unseen("not_found") from None
    if not visible(person, sub):
        raise _Unseen("outside_scope")
    return sub


def _may_review(base, person: Person | None, action: str, sub: Submission) -> Person:
    """The access policy's answer for a review action (audited when refused), then the rule it
    cannot see: nobody reviews their own submission (refused and audited too). A reviewer whose
    scope does not cover it (another city's, another province's) hears what they would of a
    submission that does not exist, as `changes` answers: an id asked for by hand (the CLI, a
    replayed request) tells nothing of another office's work; the refusal is audited all the same."""
    if reviews(person) and not visible(person, sub):
        raise policy.refuse(base, person, action, _what(sub), "submissions.err.no_such",
                            submission_id=sub.submission_id)
    policy.require(base, person, action, resource(sub), what=_what(sub))
    if sub.state == "submitted" and _own(person, sub):
        raise policy.refuse(base, person, action, _what(sub), "submissions.err.own_submission",
                            submission_id=sub.submission_id)
    return person  # type: ignore[return-value]


# Reading ------------------------------------------------------------------------------------------

_COLUMNS = (
    "submission_id, table_name, file_name, sha256, mode, submitted_by, submitted_at, scope_kind, scope_codes, "
    "level, provinces, projects, inserted, updated, unchanged, rejected, warnings, data_version, checked_at, "
    "state, reviewed_by, reviewed_at, reason, upload_id, rolled_back_by, rolled_back_at, cities"
)


def _checked(level: str, provinces: list, projects: list, counts, data_version: str) -> list:
    """What a check of the file found, in _COLUMNS' order (level .. data_version): written when
    it is submitted and again when it is re-checked."""
    return [level, provinces, projects, counts.inserts, counts.updates, counts.unchanged, counts.rejected,
            counts.warnings, data_version]


def _submission(row: tuple, stale: bool = False) -> Submission:
    """A row of _COLUMNS as a Submission: the scope's two columns become one Scope, the lists tuples."""
    head, (kind, codes, level, provinces, projects), tail, cities = row[:7], row[7:12], row[12:-1], row[-1]
    return Submission(*head, Scope(kind, tuple(codes or ())), level, tuple(provinces or ()),
                      tuple(projects or ()), *tail, stale=stale,
                      cities=None if cities is None else tuple(cities))


def _fetch(r, submission_id: int) -> Submission:
    rows = r.execute(
        f"SELECT {_COLUMNS} FROM submissions WHERE submission_id = ?", [submission_id]
    ).fetchall()
    if not rows:
        raise Problem("submissions.err.no_such", submission_id=submission_id)
    sub = _submission(rows[0])
    if sub.state == "submitted":
        sub = _submission(rows[0], _changed_rows(r, sub) > 0)
    return sub


def get(store, submission_id: int) -> Submission:
    """One submission (with `stale` computed), or Problem submissions.err.no_such."""
    with _base(store).read() as r:
        return _fetch(r, int(submission_id))


def listing(store, person: Person | None, states: tuple[str, ...] = STATES) -> list[Submission]:
    """The submissions `person` may see, newest first: their own, and those in their scope when
    they review (`visible`)."""
    with _base(store).read() as r:
        rows = r.execute(
            f"SELECT {_COLUMNS} FROM submissions WHERE list_contains(?::VARCHAR[], state) ORDER BY submission_id DESC",
            [list(states)],
        ).fetchall()
        found = []
        for row in rows:
            sub = _submission(row)
            if not visible(person, sub):
                continue
            if sub.state == "submitted":
                sub = _submission(row, _changed_rows(r, sub) > 0)
            found.append(sub)
    return found


def queue(store, person: Person | None) -> list[Submission]:
    """What waits for this reviewer: submitted ones in their scope, not their own, oldest first."""
    if not reviews(person):
        return []
    waiting = [s for s in listing(store, person, ("submitted",)) if s.submitted_by != person.email]
    return sorted(waiting, key=lambda s: s.submission_id)


def _stale_rows_sql(con, limit: bool = False) -> str:
    """The submission's rows whose stored row is no longer its before image (a row inserted since,
    one deleted or changed): seq, row_key, before_row, and the stored row now as JSON."""
    return (
        f"SELECT c.seq, c.row_key, c.before_row, CASE WHEN t._hit THEN {_row_json(con, 't')} END AS now_row "
        f"FROM (SELECT c.seq, c.row_key, c.before_row, k.* FROM submission_rows c, "
        f"LATERAL (SELECT unnest(from_json(c.row_key, '{_structure(con, True)}'))) k WHERE c.submission_id = ?) c "
        f"LEFT JOIN (SELECT *, true AS _hit FROM {con.table}) t ON {key_match(con, 't', 'c')} "
        f"WHERE (CASE WHEN t._hit THEN {_row_json(con, 't')} END) IS DISTINCT FROM c.before_row "
        + ("ORDER BY c.seq LIMIT ?" if limit else "")
    )


def _changed_rows(r, sub: Submission) -> int:
    con = contract(sub.table)
    return r.scalar(f"SELECT count(*) FROM ({_stale_rows_sql(con)})", [sub.submission_id])


def changed_since(store, submission_id: int, limit: int = PREVIEW_ROWS) -> pd.DataFrame:
    """For a stale submission: one line per value that changed since it was checked (file row,
    key, column, then, now); a row added or removed since shows every column."""
    with _base(store).read() as r:
        sub = _fetch(r, int(submission_id))
        con = contract(sub.table)
        rows = r.execute(_stale_rows_sql(con, limit=True), [sub.submission_id, limit]).fetchall()
    lines = []
    for seq, key, before, now in rows:
        then_row, now_row = json.loads(before) if before else {}, json.loads(now) if now else {}
        shown_key = " / ".join("*" if v is None else str(v) for v in json.loads(key).values())
        for column in con.names:
            if column in con.key:
                continue
            a, b = then_row.get(column), now_row.get(column)
            if a != b or not then_row or not now_row:
                lines.append(
                    {
                        "row": seq,
                        "key": shown_key,
                        "column": column,
                        "then": None if a is None else str(a),
                        "now": None if b is None else str(b),
                    }
                )
    return pd.DataFrame(lines, columns=["row", "key", "column", "then", "now"])


def replan(store, sub: Submission) -> Plan:
    """The submitted file prepared again against the current data, with the submitter's scope."""
    data = _base(store).rows(
        "SELECT file_bytes FROM submissions WHERE submission_id = ?", [sub.submission_id]
    )[0][0]
    return prepare(_base(store), sub.file_name, bytes(data), sub.table, scope=sub.scope)


def changes(store, submission_id: int, person: Person | None = None) -> Changes:
    """The row changes of a submission against the current data (before -> after, inserted,
    rejected). With `person`, only one who may see it (`visible`) gets them."""
    sub = get(store, submission_id)
    if person is not None and not visible(person, sub):  # the same answer as for no submission at all
        raise Problem("submissions.err.no_such", submission_id=submission_id)
    frame = (
        changed_since(store, sub.submission_id)
        if sub.stale
        else pd.DataFrame(columns=["row", "key", "column", "then", "now"])
    )
    return Changes(sub, replan(store, sub), frame)


# Writing -------------------------------------------------------------------------------------------


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _rows_for(cur, plan: Plan, scope: Scope, mode: str):
    """The plan's rows checked against `scope` inside this write: the plan's own when it was
    prepared with that scope on the current data, else staged again (like `apply` does) and
    refused if the counts differ from what was previewed."""
    check(plan, mode)
    current = str(cur.scalar("SELECT value FROM store_meta WHERE key = 'data_version'") or "0")
    if scope_mod.of(plan.scope) == scope and current == plan.data_version:
        return plan.rows
    again = stage(cur, plan.grid, contract(plan.table), plan.columns, scope)
    c = plan.counts
    if (again.inserts, again.updates, again.rejected) != (c.inserts, c.updates, c.rejected):
        raise Problem("ingest.err.stale_plan", inserts=again.inserts, updates=again.updates, rejected=again.rejected)
    return arrow(cur, "SELECT * FROM _merged ORDER BY _row")


def _touched(cur, table: str) -> tuple[str, list[str], list[str], list[str] | None]:
    """(level, provinces, projects, cities) of the rows registered as `_sub`: what a reviewer's
    scope must cover (see `covers`)."""
    con = contract(table)
    names = set(con.names)
    pilots = []
    if "project_id" in names:
        pilots.append("SELECT project_id AS p FROM _sub WHERE project_id IS NOT NULL")
        if table in ("milestones", "risks", "tasks", "issues", "cases"):
            pilots.append("SELECT project_id__old FROM _sub WHERE project_id__old IS NOT NULL")
    if table == "risk_reviews":  # a review belongs to its risk's pilot
        pilots.append("SELECT project_id AS p FROM risks WHERE risk_id IN (SELECT risk_id FROM _sub)")
    if table == "adoptions":  # an adoption belongs to its case's pilot
        pilots.append("SELECT project_id AS p FROM cases WHERE case_id IN (SELECT case_id FROM _sub)")
    projects = sorted(r[0] for r in cur.execute(" UNION ".join(pilots)).fetchall()) if pilots else []
    provinces_sql = ["SELECT province_code FROM projects WHERE list_contains(?::VARCHAR[], project_id)"]
    params: list[object] = [projects]
    if table == "projects":
        provinces_sql += ["SELECT province_code FROM _sub", "SELECT province_code__old FROM _sub"]
    if table == "targets":
        provinces_sql.append("SELECT province_code FROM _sub")
    provinces = sorted({r[0] for r in cur.execute(" UNION ".join(provinces_sql), params).fetchall() if r[0]})
    level = "projects"
    if table == "indicators" or (
        table == "targets"
        and cur.scalar("SELECT count(*) FROM _sub WHERE project_id IS NULL AND province_code IS NULL")
    ):
        level = "national"
    elif table == "targets" and cur.scalar("SELECT count(*) FROM _sub WHERE project_id IS NULL"):
        level = "provinces"
    return level, provinces, projects, _cities(cur, table, projects) if level == "projects" else None


def _cities(cur, table: str, projects: list[str]) -> list[str] | None:
    """The cities of the pilots the rows touch: a projects row's new city and, for a stored pilot,
    its city now (so a pilot moved between cities names both); None when one of them has no city
    (no cities scope holds such a pilot) or no pilot is touched."""
    if table == "projects":
        found = [r[0] for r in cur.execute(
            "SELECT city_code FROM _sub UNION ALL SELECT city_code__old FROM _sub WHERE _hit").fetchall()]
    else:
        found = [r[0] for r in cur.execute(
            "SELECT s.city_code FROM (SELECT unnest(?::VARCHAR[]) AS p) t LEFT JOIN projects s ON s.project_id = t.p",
            [projects]).fetchall()]
    if not found or any(c is None for c in found):
        return None
    return sorted(set(found))


def _store_rows(cur, submission_id: int, table: str) -> None:
    con = contract(table)
    cur.execute(
        f"INSERT INTO submission_rows SELECT ?, _row, {_key_json(con, 'u')}, _action, "
        f"CASE WHEN _hit THEN {_row_json(con, 'u', '__old')} END, {_row_json(con, 'u')} FROM _sub u",
        [submission_id],
    )


def submit(store, person: Person | None, plan: Plan, mode: str = "clean_only", progress=None) -> Outcome:
    """Store a previewed plan as submitted (nothing changes), or, for a person who needs no
    review, apply it at once like an upload today. Its rows are checked against the person's
    scope in the write (a plan prepared for another scope is staged again)."""
    base = _base(store)
    policy.require(base, person, "submit", what=plan.file_name)  # each row: against the scope, below
    check(plan, mode)
    if plan.changes == 0:
        raise Problem("submissions.err.nothing_to_submit")
    assessment_permissions.check_plan(base, person, plan)  # who may give these scores, per row
    if not needs_review(person):
        return _apply_directly(base, person, plan, mode, progress)
    with base.writing(data_change=False) as cur:
        rows = _rows_for(cur, plan, person.scope, mode)
        sid = cur.scalar("SELECT coalesce(max(submission_id), 0) + 1 FROM submissions")
        cur.register("_sub", rows)
        level, provinces, projects, cities = _touched(cur, plan.table)
        _store_rows(cur, sid, plan.table)
        c = plan.counts
        now = _now()
        cur.execute(
            f"INSERT INTO submissions ({_COLUMNS}, file_bytes) VALUES "
            f"({', '.join('?' for _ in _COLUMNS.split(','))}, ?)",
            [
                sid,
                plan.table,
                plan.file_name,
                plan.sha256,
                mode,
                person.email,
                now,
                person.scope.kind,
                list(person.scope.codes),
                *_checked(level, provinces, projects, c, plan.data_version),
                now,
                "submitted",
                None,
                None,
                None,
                None,
                None,
                None,
                cities,
                plan.data,
            ],
        )
        cur.unregister("_sub")
        assessment_permissions.record(cur, person, plan, f"submission #{sid}")
        audit.record(
            cur,
            person.email,
            "submit",
            f"submission #{sid}",
            person.scope,
            {
                "submission_id": sid,
                "table": plan.table,
                "file": plan.file_name,
                "inserted": c.inserts,
                "updated": c.updates,
                "rejected": c.rejected,
            },
        )
        sub = _fetch(cur, sid)
    return Outcome(sub)


def _apply_directly(base, person: Person, plan: Plan, mode: str, progress=None) -> Outcome:
    if scope_mod.of(plan.scope) != person.scope:  # checked for another scope: staged again in the write
        plan = dataclasses.replace(plan, scope=person.scope, data_version="")
    with base.writing() as cur:
        result = write_plan(cur, plan, person.email, mode, progress)
        assessment_permissions.record(cur, person, plan, f"upload #{result.upload_id}")
        audit.record(
            cur,
            person.email,
            "apply",
            f"upload #{result.upload_id}",
            person.scope,
            {
                "upload_id": result.upload_id,
                "table": plan.table,
                "file": plan.file_name,
                "inserted": result.inserted,
                "updated": result.updated,
                "review": False,
            },
        )
    data_changed(base)  # snapshots and warnings, after the commit, as after any upload
    return Outcome(None, result)


def _reviewable(person: Person, action: str, sub: Submission) -> None:
    """Inside the write: the state, and the policy again on the submission as it is now (refused
    here only when it changed since the audited check before the write)."""
    if sub.state != "submitted":
        raise Problem("submissions.err.not_submitted", submission_id=sub.submission_id, state=sub.state)
    if _own(person, sub):
        raise Problem("submissions.err.own_submission", submission_id=sub.submission_id)
    if not policy.allowed(person, action, resource(sub)):  # no longer theirs: as if not there
        raise _Unseen("outside_scope")


def approve(store, person: Person | None, submission_id: int) -> Submission:
    """Apply a submitted, current submission in one transaction, exactly like an upload (in the
    upload log, reversible by rollback; the warnings are recomputed after), and mark it approved."""
    base = _base(store)
    with _no_submission(base, person, "approve", int(submission_id)):
        return _approve(base, person, int(submission_id))


def _approve(base, person: Person | None, submission_id: int) -> Submission:
    sub = _seen(base, person, submission_id)
    person = _may_review(base, person, "approve", sub)
    _reviewable(person, "approve", sub)
    if sub.stale:
        raise Problem("submissions.err.stale", submission_id=sub.submission_id)
    plan = replan(base, sub)
    if not plan.readable or plan.rows is None:
        raise Problem("submissions.err.stale", submission_id=sub.submission_id)
    with base.writing() as cur:
        sub = _fetch(cur, sub.submission_id)  # again, inside the write: the state and rows now
        _reviewable(person, "approve", sub)
        if sub.stale:
            raise Problem("submissions.err.stale", submission_id=sub.submission_id)
        cur.register("_re", plan.rows)
        if _differs(cur, sub):
            raise Problem("submissions.err.stale", submission_id=sub.submission_id)
        for rule in scope_rules(contract(sub.table), person.scope):  # every row's pilot, as it is now
            if rule.giver:  # who gave the row was the submitter's check (an evaluator's scores)
                continue
            if cur.scalar(f"SELECT count(*) FROM _re WHERE {rule.outside}", list(rule.params)):
                raise _Unseen("outside_scope")  # a row's pilot is no longer theirs
        cur.unregister("_re")
        result = write_plan(cur, plan, person.email, sub.mode)
        now = _now()
        cur.execute(
            "UPDATE submissions SET state = 'approved', reviewed_by = ?, reviewed_at = ?, upload_id = ? "
            "WHERE submission_id = ?",
            [person.email, now, result.upload_id, sub.submission_id],
        )
        audit.record(
            cur,
            person.email,
            "approve",
            f"submission #{sub.submission_id}",
            person.scope,
            {
                "submission_id": sub.submission_id,
                "upload_id": result.upload_id,
                "submitted_by": sub.submitted_by,
                "inserted": result.inserted,
                "updated": result.updated,
            },
        )
        done = _fetch(cur, sub.submission_id)
    data_changed(base)  # snapshots and warnings, after the commit, as after any upload
    return done


def _differs(cur, sub: Submission) -> bool:
    """Whether the file prepared again (`_re`) gives other rows than were submitted."""
    con = contract(sub.table)
    return bool(
        cur.scalar(
            f"SELECT count(*) FROM (SELECT _row AS seq, _action AS action, {_key_json(con, 'u')} AS row_key, "
            f"{_row_json(con, 'u')} AS after_row FROM _re u) a FULL OUTER JOIN "
            "(SELECT seq, action, row_key, after_row FROM submission_rows WHERE submission_id = ?) b "
            "ON a.seq = b.seq AND a.action = b.action AND a.row_key = b.row_key AND a.after_row = b.after_row "
            "WHERE a.seq IS NULL OR b.seq IS NULL",
            [sub.submission_id],
        )
    )


def reject(store, person: Person | None, submission_id: int, reason: str) -> Submission:
    """Reject a submitted submission with a reason the submitter sees; nothing else changes."""
    base = _base(store)
    with _no_submission(base, person, "reject", int(submission_id)):
        return _reject(base, person, int(submission_id), reason)


def _reject(base, person: Person | None, submission_id: int, reason: str) -> Submission:
    person = _may_review(base, person, "reject", _seen(base, person, submission_id))
    reason = (reason or "").strip()
    if not reason:
        raise Problem("submissions.err.reason_required")
    with base.writing(data_change=False) as cur:
        sub = _fetch(cur, int(submission_id))
        _reviewable(person, "reject", sub)
        cur.execute(
            "UPDATE submissions SET state = 'rejected', reviewed_by = ?, reviewed_at = ?, reason = ? "
            "WHERE submission_id = ?",
            [person.email, _now(), reason, sub.submission_id],
        )
        audit.record(
            cur,
            person.email,
            "reject",
            f"submission #{sub.submission_id}",
            person.scope,
            {"submission_id": sub.submission_id, "submitted_by": sub.submitted_by, "reason": reason},
        )
        return _fetch(cur, sub.submission_id)


def withdraw(store, person: Person | None, submission_id: int) -> Submission:
    """The submitter takes back their own submission while it waits for review."""
    base = _base(store)
    with _no_submission(base, person, "withdraw", int(submission_id)):
        return _withdraw(base, person, int(submission_id))


def _withdraw(base, person: Person | None, submission_id: int) -> Submission:
    sub = _seen(base, person, submission_id)
    policy.require(base, person, "withdraw", policy.Resource(owner=sub.submitted_by), what=_what(sub))
    with base.writing(data_change=False) as cur:
        sub = _fetch(cur, int(submission_id))
        if sub.state != "submitted":
            raise Problem("submissions.err.not_submitted", submission_id=sub.submission_id, state=sub.state)
        cur.execute("UPDATE submissions SET state = 'withdrawn' WHERE submission_id = ?", [sub.submission_id])
        audit.record(
            cur,
            person.email,
            "withdraw",
            f"submission #{sub.submission_id}",
            person.scope,
            {"submission_id": sub.submission_id},
        )
        return _fetch(cur, sub.submission_id)


def recheck(store, person: Person | None, submission_id: int) -> Submission:
    """Check a stale submission again against the current data (with the submitter's scope): its
    rows, counts and before images are replaced, so the reviewer then sees (and approves) what it
    would change now. Its submitter, or a reviewer whose scope covers it. Audited as a submit
    (the same file submitted again) with `recheck` in the detail."""
    base = _base(store)
    with _no_submission(base, person, "recheck", int(submission_id)):
        return _recheck(base, person, int(submission_id))


def _recheck(base, person: Person | None, submission_id: int) -> Submission:
    sub = _seen(base, person, submission_id)
    policy.require(base, person, "recheck", resource(sub), what=_what(sub))
    if sub.state != "submitted":
        raise Problem("submissions.err.not_submitted", submission_id=sub.submission_id, state=sub.state)
    plan = replan(base, sub)
    if not plan.readable or plan.rows is None:
        raise Problem("submissions.err.unreadable_now", submission_id=sub.submission_id)
    with base.writing(data_change=False) as cur:
        if _fetch(cur, sub.submission_id).state != "submitted":
            raise Problem("submissions.err.not_submitted", submission_id=sub.submission_id, state=sub.state)
        rows = _rows_for(cur, plan, sub.scope, "valid_rows")
        cur.register("_sub", rows)
        level, provinces, projects, cities = _touched(cur, sub.table)
        cur.execute("DELETE FROM submission_rows WHERE submission_id = ?", [sub.submission_id])
        _store_rows(cur, sub.submission_id, sub.table)
        cur.unregister("_sub")
        c = plan.counts
        cur.execute(
            "UPDATE submissions SET level = ?, provinces = ?, projects = ?, inserted = ?, updated = ?, "
            "unchanged = ?, rejected = ?, warnings = ?, data_version = ?, checked_at = ?, cities = ? "
            "WHERE submission_id = ?",
            [*_checked(level, provinces, projects, c, plan.data_version), _now(), cities, sub.submission_id],
        )
        audit.record(
            cur,
            person.email,
            "submit",  # the same file submitted again (asked of the policy as "recheck")
            f"submission #{sub.submission_id}",
            person.scope,
            {
                "submission_id": sub.submission_id,
                "recheck": True,
                "inserted": c.inserts,
                "updated": c.updates,
                "rejected": c.rejected,
            },
        )
        return _fetch(cur, sub.submission_id)


def rollback(store, person: Person | None, upload_id: int, cascade: bool = False) -> list[int]:
    """Roll back an applied upload (and with `cascade` the later ones on the same rows) exactly, as
    `ingest.apply.rollback`; a reviewer whose scope covers each upload's submission (an upload
    applied without one: national reviewers). An applied submission becomes rolled_back. One audit
    entry per upload rolled back."""
    base = _base(store)
    upload_id = int(upload_id)
    with _not_there(base, person, "rollback", f"upload #{upload_id}", "ingest.err.no_such_upload",
                    upload_id=upload_id):
        return _rollback(base, person, upload_id, cascade)


def _upload_seen(base, person: Person | None, upload_id: int) -> None:
    """_Unseen unless `person` may see the upload: one they may roll back, or one listed in their
    upload history (a changed row in their scope); the same whether it is outside or not there."""
    with base.read() as r:
        if not r.scalar("SELECT count(*) FROM upload_log WHERE upload_id = ?", [upload_id]):
            raise _Unseen("not_found")
        res = _upload_resource(r, upload_id)
    if policy.allowed(person, "rollback", res):
        return
    if person is None or person.disabled or not base.rows(
        "SELECT count(*) FROM upload_log WHERE upload_id = ?", [upload_id], scope=person.scope
    )[0][0]:
        raise _Unseen("outside_scope")


def _rollback(base, person: Person | None, upload_id: int, cascade: bool) -> list[int]:
    _upload_seen(base, person, upload_id)
    with base.read() as r:
        asked = [(uid, _upload_resource(r, uid)) for uid in to_roll_back(r, upload_id, cascade)]
    for uid, res in asked:  # before the write, so that a refusal is audited
        policy.require(base, person, "rollback", res, what=f"upload #{uid}")
    try:
        return _roll_back_checked(base, person, upload_id, cascade)
    except _LaterRefused as exc:  # answered after the write rolled back, so its audit entry stays
        raise policy.refuse(base, person, "rollback", f"upload #{exc.upload_id}") from None


class _LaterRefused(Exception):
    """A later upload to be rolled back with the asked one that is no longer the person's, found
    inside the write (it changed since the check before it)."""

    def __init__(self, upload_id: int):
        super().__init__(upload_id)
        self.upload_id = upload_id


def _roll_back_checked(base, person: Person | None, upload_id: int, cascade: bool) -> list[int]:
    with base.writing() as cur:
        for uid in to_roll_back(cur, upload_id, cascade):  # again: what it is now
            if not policy.allowed(person, "rollback", _upload_resource(cur, uid)):
                if uid == upload_id:  # no longer theirs: as if not there
                    raise _Unseen("outside_scope")
                raise _LaterRefused(uid)  # a later one, already named to them
        subs = dict(
            cur.execute(
                "SELECT upload_id, submission_id FROM submissions WHERE state = 'approved'"
            ).fetchall()
        )
        done = undo(cur, int(upload_id), person.email, cascade)
        for uid in done:
            audit.record(
                cur,
                person.email,
                "rollback",
                f"upload #{uid}",
                person.scope,
                {"upload_id": uid, "submission_id": subs.get(uid), "cascade": cascade},
            )
    data_changed(base)  # snapshots and warnings, after the commit, as after any rollback
    return done


def _upload_resource(r, upload_id: int) -> policy.Resource:
    """An applied upload as a resource: its submission's rows, or (applied without one) national.
    Its pilots' provinces and cities are those recorded when it was submitted and those they have
    now: a pilot moved since to another city (or province) is no longer the old office's alone to
    roll back, and not yet the new one's (its provincial or the national office does)."""
    rows = r.execute(f"SELECT {_COLUMNS} FROM submissions WHERE upload_id = ?", [upload_id]).fetchall()
    if not rows:
        return policy.Resource(scope=Scope.national())
    sub = _submission(rows[0])
    now = r.execute("SELECT province_code, city_code FROM projects WHERE list_contains(?::VARCHAR[], project_id)",
                    [list(sub.projects)]).fetchall()
    provinces = tuple(sorted(set(sub.provinces) | {p for p, _ in now if p}))
    cities = None if sub.cities is None or any(c is None for _, c in now) else tuple(sorted(set(sub.cities) | {c for _, c in now}))
    return resource(dataclasses.replace(sub, provinces=provinces, cities=cities))


def state_label(state: str, lang: str) -> str:
    """The state in words (待审核 submitted, 已通过 approved, ..., 已过期 stale)."""
    from .i18n import t

    return t(f"submissions.state.{state}", lang)
