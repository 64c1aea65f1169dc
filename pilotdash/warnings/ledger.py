"""The warnings ledger: raise, escalate, lower and resolve warnings for an as-of date, and the
responses people give (acknowledge with a note and a plan date, close with a reason).

`recompute(store, as_of)` compares the conditions that hold on the date (`warning_conditions`,
pilotdash/sql/warnings.sql) with the live warnings (open or acknowledged) by pilot, condition and
trigger, in one transaction:

- a condition with no live warning raises a new one (raised on the date, respond by raised +
  24/48/72 h by level), unless the last warning of that key was closed by a reviewer and its
  condition has held ever since;
- a live warning whose condition rose a level is escalated: its history is kept, it is open again
  and must be answered within the new level's hours;
- one whose condition fell a level is lowered (its state and response stay);
- one whose condition no longer holds is resolved (automatic).

Running it again with the same data changes nothing, and never touches a response. New and
escalated warnings get one notice per matching subscription (`warning_notices`), in the same
transaction, so each is sent once however often the ledger is recomputed.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from .. import audit, policy, snapshots
from ..errors import Problem
from ..store import Store, set_meta

SYSTEM = "system"
LIVE = ("open", "acknowledged")
NOTE_MAX = 2000


@dataclass
class Recomputed:
    as_of: dt.date
    raised: list[int] = field(default_factory=list)
    escalated: list[int] = field(default_factory=list)
    lowered: list[int] = field(default_factory=list)
    resolved: list[int] = field(default_factory=list)
    notices: int = 0
    snapshot_s: float = 0.0  # building the measure snapshot for the date (shared with the pages)

    @property
    def changed(self) -> bool:
        return bool(self.raised or self.escalated or self.lowered or self.resolved)


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


_KEY = "w.project_id = c.project_id AND w.condition = c.condition AND w.trigger_id = c.trigger_id"

# The latest warning per key, and whether it still blocks a new one (live, or closed and not
# cleared since).
_LATEST = """
    SELECT project_id, condition, trigger_id, max(warning_id) AS warning_id
    FROM warnings GROUP BY project_id, condition, trigger_id
"""


def _ids(cur, sql: str, params: list) -> list[int]:
    return [r[0] for r in cur.execute(sql, params).fetchall()]


def recompute(
    store: Store, as_of: dt.date | None = None, now: dt.datetime | None = None, by: str = SYSTEM
) -> Recomputed:
    """Bring the ledger to the conditions that hold on `as_of` (default: the default as-of date)."""
    now = now or now_utc()
    if as_of is None:
        as_of = store.rows("SELECT default_as_of()")[0][0]
    # The indicator statuses for the date from their snapshot, built now if need be: after an
    # upload the pages want it for the same (default) date anyway (snapshots.refresh).
    t0 = time.perf_counter()
    snapshots.ensure(store, as_of)
    snapshot_s = time.perf_counter() - t0
    with store.writing(data_change=False) as cur:
        result = Recomputed(as_of, snapshot_s=snapshot_s)
        if snapshots.is_current(cur, as_of):  # checked inside this transaction
            cur.execute(
                f"SET VARIABLE snapshot_as_of = DATE '{dt.date.fromordinal(as_of.toordinal()).isoformat()}'"
            )
        cur.execute("CREATE OR REPLACE TEMP TABLE _wc AS SELECT * FROM warning_conditions(?::DATE)", [as_of])
        cur.execute("RESET VARIABLE snapshot_as_of")
        live = f"w.state IN {LIVE}"
        # Every live warning whose condition moved, in one pass over the ledger (three reads and
        # four updates before: ~0.15 s at 100x after a 1M-row upload):
        # - escalated (the same condition at a higher level): open again, a new respond-by;
        # - lowered: the new level, the acknowledgement stands;
        # - the same level: only the measured detail (days overdue, score) and the owner move on;
        # - resolved: the condition no longer holds.
        # Each takes the condition's level, detail and owner (a resolved one keeps its own).
        cur.execute(f"""
            CREATE OR REPLACE TEMP TABLE _moved AS
            SELECT w.warning_id,
                   CASE WHEN c.project_id IS NULL THEN 'resolved'
                        WHEN warning_rank(c.level) > warning_rank(w.level) THEN 'escalated'
                        WHEN warning_rank(c.level) < warning_rank(w.level) THEN 'lowered'
                        ELSE 'same' END AS kind,
                   c.level, c.detail, c.owner
            FROM warnings w LEFT JOIN _wc c ON {_KEY}
            WHERE {live} AND (c.project_id IS NULL OR c.level <> w.level
                              OR w.detail IS DISTINCT FROM c.detail OR w.owner IS DISTINCT FROM c.owner)""")
        moved: dict[str, list[int]] = {"escalated": [], "lowered": [], "resolved": []}
        for warning_id, kind in cur.execute(
                "SELECT warning_id, kind FROM _moved WHERE kind <> 'same' ORDER BY warning_id").fetchall():
            moved[kind].append(warning_id)
        result.escalated, result.lowered, result.resolved = moved["escalated"], moved["lowered"], moved["resolved"]
        cur.execute(
            """
            UPDATE warnings w SET
                level = CASE WHEN m.kind = 'resolved' THEN w.level ELSE m.level END,
                detail = CASE WHEN m.kind = 'resolved' THEN w.detail ELSE m.detail END,
                owner = CASE WHEN m.kind = 'resolved' THEN w.owner ELSE m.owner END,
                state = CASE m.kind WHEN 'resolved' THEN 'resolved' WHEN 'escalated' THEN 'open' ELSE w.state END,
                escalated_at = CASE WHEN m.kind = 'escalated' THEN ?::TIMESTAMP ELSE w.escalated_at END,
                respond_by = CASE WHEN m.kind = 'escalated' THEN respond_by_of(?::TIMESTAMP, m.level)
                                  ELSE w.respond_by END,
                resolved_on = CASE WHEN m.kind = 'resolved' THEN ?::DATE ELSE w.resolved_on END,
                resolved_at = CASE WHEN m.kind = 'resolved' THEN ?::TIMESTAMP ELSE w.resolved_at END
            FROM _moved m WHERE w.warning_id = m.warning_id""",
            [now, now, as_of, now],
        )
        cur.execute("DROP TABLE _moved")
        cur.execute(
            f"""
            UPDATE warnings w SET cleared_on = ?
            WHERE w.state = 'closed' AND w.cleared_on IS NULL
              AND NOT EXISTS (SELECT 1 FROM _wc c WHERE {_KEY})""",
            [as_of],
        )
        # Raised: written straight into the ledger after its highest id (no temp table: at 100x
        # after a 1M-row upload the 61k new rows were written twice, and their ids sent back in
        # as a list for the events and notices: ~0.2 s of the ledger's ~0.9 s).
        highest = cur.execute("SELECT coalesce(max(warning_id), 0) FROM warnings").fetchone()[0]
        cols = ("warning_id, project_id, condition, trigger_kind, trigger_id, level, detail, raised_on, raised_at, "
                "respond_by, owner, state, previous_id")
        cur.execute(
            f"""
            INSERT INTO warnings ({cols})
            SELECT ? + row_number() OVER (ORDER BY c.project_id, c.condition, c.trigger_id),
                   c.project_id, c.condition, c.trigger_kind, c.trigger_id, c.level, c.detail,
                   ?::DATE, ?::TIMESTAMP, respond_by_of(?::TIMESTAMP, c.level),
                   c.owner, 'open', last.warning_id
            FROM _wc c
            LEFT JOIN ({_LATEST}) last
              ON last.project_id = c.project_id AND last.condition = c.condition AND last.trigger_id = c.trigger_id
            LEFT JOIN warnings w ON w.warning_id = last.warning_id
            WHERE w.warning_id IS NULL
               OR w.state = 'resolved'
               OR (w.state = 'closed' AND w.cleared_on IS NOT NULL)""",
            [highest, as_of, now, now],
        )
        result.raised = _ids(cur, "SELECT warning_id FROM warnings WHERE warning_id > ? ORDER BY 1", [highest])
        cur.execute(
            "INSERT INTO warning_events (event_id, warning_id, event_at, event, by_user, level, as_of) "
            "SELECT (SELECT coalesce(max(event_id), 0) FROM warning_events) + row_number() OVER (ORDER BY warning_id), "
            "warning_id, ?, 'raised', ?, level, ? FROM warnings WHERE warning_id > ? ORDER BY warning_id",
            [now, by, as_of, highest],
        )
        for event, ids in (
            ("escalated", result.escalated),
            ("lowered", result.lowered),
            ("resolved", result.resolved),
        ):
            if ids:
                cur.execute(
                    "INSERT INTO warning_events (event_id, warning_id, event_at, event, by_user, level, as_of) "
                    "SELECT (SELECT coalesce(max(event_id), 0) FROM warning_events) + row_number() OVER (ORDER BY warning_id), "
                    "warning_id, ?, ?, ?, level, ? FROM warnings "
                    # a semi-join, not list_contains: 60k ids against 90k rows was 11 s at 100x
                    "WHERE warning_id IN (SELECT unnest(?::INTEGER[])) ORDER BY warning_id",
                    [now, event, by, as_of, ids],
                )
        result.notices = (_enqueue(cur, result.raised, "raised", now, after=highest)
                          + _enqueue(cur, result.escalated, "escalated", now))
        cur.execute("DROP TABLE _wc")
        set_meta(cur, "warnings_as_of", as_of.isoformat())
    return result


def _enqueue(cur, ids: list[int], event: str, now: dt.datetime, after: int | None = None) -> int:
    """One pending notice per matching subscription and channel; a notice already made for the
    same warning, event and level is never made again. `after`: the warnings are exactly those
    with a higher id (the ones just raised), found without sending `ids` back in."""
    if not ids:
        return 0
    which, chosen = ("w.warning_id > ?", after) if after is not None else ("w.warning_id IN (SELECT unnest(?::INTEGER[]))", ids)
    before = cur.execute("SELECT count(*) FROM warning_notices").fetchone()[0]
    cur.execute(
        f"""
        INSERT INTO warning_notices (notice_id, warning_id, subscription_id, channel, event, level, status,
                                     attempts, next_attempt_at, created_at)
        SELECT (SELECT coalesce(max(notice_id), 0) FROM warning_notices)
               + row_number() OVER (ORDER BY m.warning_id, m.subscription_id, m.channel),
               m.warning_id, m.subscription_id, m.channel, ?, m.level, 'pending', 0, ?, ?
        FROM (
            SELECT w.warning_id, s.subscription_id, ch.channel, w.level
            FROM warnings w
            JOIN project_base() p ON p.project_id = w.project_id
            JOIN warning_subscriptions s
              ON s.active AND warning_rank(w.level) >= warning_rank(s.min_level)
             AND (s.scope_kind = 'national'
                  OR (s.scope_kind = 'belt' AND list_contains(s.scope_codes, p.belt))
                  OR (s.scope_kind = 'province' AND list_contains(s.scope_codes, p.province_code))
                  OR (s.scope_kind = 'pilots' AND list_contains(s.scope_codes, p.project_id)))
            JOIN (SELECT 'email' AS channel UNION ALL SELECT 'webhook') ch
              ON (ch.channel = 'email' AND s.email IS NOT NULL)
              OR (ch.channel = 'webhook' AND s.webhook_url IS NOT NULL)
            WHERE {which}
        ) m
        -- the same warning, event and level is never notified twice (DuckLake has no UNIQUE)
        WHERE NOT EXISTS (
            SELECT 1 FROM warning_notices n
            WHERE n.warning_id = m.warning_id AND n.subscription_id = m.subscription_id
              AND n.channel = m.channel AND n.event = ? AND n.level = m.level)""",
        [event, now, now, chosen, event],
    )
    return cur.execute("SELECT count(*) FROM warning_notices").fetchone()[0] - before


# Responses ---------------------------------------------------------------------------------------


def _state(cur, warning_id: int) -> tuple[str, str]:
    row = cur.execute("SELECT state, project_id FROM warnings WHERE warning_id = ?", [warning_id]).fetchone()
    if row is None:
        raise Problem("warn.err.no_such_warning", warning_id=warning_id)
    return row


def _clean_text(text: str | None, code: str) -> str:
    text = (text or "").strip()
    if not text:
        raise Problem(code)
    if len(text) > NOTE_MAX:
        raise Problem("warn.err.too_long", n=NOTE_MAX)
    return text


def _may(store: Store, person, action: str, warning_id: int) -> str:
    """The access policy's answer for `action` on the warning's pilot, asked before the write (a
    refusal is audited); the person's e-mail for the history."""
    what = f"warning #{warning_id}"
    with getattr(store, "base", store).read() as r:  # the whole store: whether it is there at all
        found = r.execute("SELECT project_id FROM warnings WHERE warning_id = ?", [warning_id]).fetchall()
    resource = policy.resource_for_project(store, found[0][0]) if found else None
    if resource is None or not policy.sees(person, resource):  # one answer for "not yours" and "not there"
        raise policy.refuse_unseen(store, person, action, what, "outside_scope" if found else "not_found",
                                   "warn.err.no_such_warning", warning_id=warning_id)
    policy.require(store, person, action, resource, what=what)
    return person.email


def acknowledge(
    store: Store,
    warning_id: int,
    person,
    note: str,
    plan_date: dt.date | None,
    now: dt.datetime | None = None,
) -> None:
    """Record a response to an open (or already acknowledged) warning: a note and a plan date;
    `person` (a people.Person) as the access policy allows."""
    now = now or now_utc()
    note = _clean_text(note, "warn.err.note_required")
    if plan_date is None:
        raise Problem("warn.err.plan_date_required")
    who = _may(store, person, "acknowledge", warning_id)
    with store.writing(data_change=False) as cur:
        state, project = _state(cur, warning_id)
        if state not in LIVE:
            raise Problem("warn.err.not_live", warning_id=warning_id, state=state)
        cur.execute(
            "UPDATE warnings SET state = 'acknowledged', response_note = ?, plan_date = ?, acknowledged_by = ?, "
            "acknowledged_at = ? WHERE warning_id = ?",
            [note, plan_date, who, now, warning_id],
        )
        cur.execute(
            "INSERT INTO warning_events (event_id, warning_id, event_at, event, by_user, level, note, plan_date) "
            "SELECT (SELECT coalesce(max(event_id), 0) + 1 FROM warning_events), warning_id, ?, 'acknowledged', ?, level, ?, ? "
            "FROM warnings "
            "WHERE warning_id = ?",
            [now, who, note, plan_date, warning_id],
        )
        audit.record(cur, who, "acknowledge", f"warning #{warning_id}", person.scope,
                     {"warning_id": warning_id, "project_id": project, "plan_date": plan_date})


def close(store: Store, warning_id: int, person, reason: str, now: dt.datetime | None = None) -> None:
    """Close a warning with a reason (a reviewer's decision): it stays closed while its condition
    holds; if the condition clears and returns, a new warning is raised."""
    now = now or now_utc()
    reason = _clean_text(reason, "warn.err.reason_required")
    who = _may(store, person, "close", warning_id)
    with store.writing(data_change=False) as cur:
        state, project = _state(cur, warning_id)
        if state == "closed":
            raise Problem("warn.err.not_live", warning_id=warning_id, state=state)
        cur.execute(
            "UPDATE warnings SET state = 'closed', close_reason = ?, closed_by = ?, closed_at = ?, "
            "cleared_on = CASE WHEN state = 'resolved' THEN resolved_on END WHERE warning_id = ?",
            [reason, who, now, warning_id],
        )
        cur.execute(
            "INSERT INTO warning_events (event_id, warning_id, event_at, event, by_user, level, note) "
            "SELECT (SELECT coalesce(max(event_id), 0) + 1 FROM warning_events), warning_id, ?, 'closed', ?, level, ? "
            "FROM warnings "
            "WHERE warning_id = ?",
            [now, who, reason, warning_id],
        )
        audit.record(cur, who, "close", f"warning #{warning_id}", person.scope,
                     {"warning_id": warning_id, "project_id": project})
