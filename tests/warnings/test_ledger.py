"""The ledger: raised after every applied upload and rollback, idempotent, responses kept."""

import datetime as dt

import pytest

from pilotdash.ingest.apply import apply, rollback
from pilotdash.ingest.plan import prepare
from pilotdash.warnings import ledger as wl
from pilotdash.errors import Problem
from pilotdash.people import Person
from pilotdash.scope import Scope
from tests.warnings.conftest import AS_OF, conditions, events, ledger

ME = Person("local:ana", "ana", Scope.national(), frozenset(), single_user=True)
NOW = dt.datetime(2026, 7, 1, 9, 0)
# The uploads' default as-of date: the newest reading (A/P1 2026-09-30), before today.
UPLOAD_AS_OF = dt.date(2026, 9, 30)
HEADER = "milestone_id,project_id,phase,name,kind,due_date,done_date\n"


def upload(store, text, name="milestones.csv"):
    plan = prepare(store, name, text.encode())
    return apply(store, plan, "ana")


def d1_ids(store, ids):
    return [i for i in ids if i in set(ledger(store).query("trigger_id == 'd1'").warning_id)]


def live(store):
    return ledger(store).query("state in ('open', 'acknowledged')")


def test_recompute_raises_one_row_per_condition_and_again_nothing(store):
    first = wl.recompute(store, AS_OF, now=NOW)
    rows = ledger(store)
    assert len(first.raised) == len(conditions(store)) == len(rows) == 14
    again = wl.recompute(store, AS_OF, now=NOW + dt.timedelta(hours=1))
    assert not again.changed
    assert ledger(store).drop(columns=["detail"]).equals(rows.drop(columns=["detail"]))
    assert all(events(store, w) == ["raised"] for w in rows.warning_id)


def test_respond_by_is_24_72_48_hours_by_level(store):
    wl.recompute(store, AS_OF, now=NOW)
    rows = ledger(store)
    hours = {
        lv: {(r.respond_by - r.raised_at) / dt.timedelta(hours=1) for r in rows.itertuples() if r.level == lv}
        for lv in ("red", "orange", "yellow")
    }
    assert hours == {"red": {24}, "orange": {72}, "yellow": {48}}
    assert set(rows.raised_on) == {pd_date(AS_OF)}


def pd_date(d):
    import pandas as pd

    return pd.Timestamp(d)


def test_upload_raises_reapply_adds_nothing_fix_resolves_rollback_raises_anew(store):
    assert ledger(store).empty
    overdue = HEADER + "d1,D,launch,方案,progress,2026-09-01,\n"  # 29 days overdue on 2026-09-30
    upload(store, overdue)
    rows = ledger(store)
    assert len(rows) == len(conditions(store, UPLOAD_AS_OF))
    d1 = rows.query("trigger_id == 'd1'")
    assert list(d1.level) == ["orange"] and list(d1.state) == ["open"]
    first_id = int(d1.warning_id.iloc[0])

    # The same file again changes nothing: no upload, no new warning.
    again = upload(store, overdue)
    assert again.upload_id is None
    assert len(ledger(store)) == len(rows)

    wl.acknowledge(store, first_id, ME, "已安排专人跟进", dt.date(2026, 10, 15))
    fix = upload(store, HEADER + "d1,D,launch,方案,progress,2026-09-01,2026-09-20\n")
    after = ledger(store).set_index("warning_id")
    assert after.loc[first_id, "state"] == "resolved"
    assert after.loc[first_id, "response_note"] == "已安排专人跟进"
    assert events(store, first_id) == ["raised", "acknowledged", "resolved"]

    rollback(store, fix.upload_id, "ana")
    back = ledger(store).query("trigger_id == 'd1'").set_index("warning_id")
    assert len(back) == 2
    new_id = max(back.index)
    assert back.loc[new_id, "state"] == "open" and back.loc[new_id, "previous_id"] == first_id
    assert back.loc[first_id, "state"] == "resolved"
    assert events(store, first_id) == ["raised", "acknowledged", "resolved"]
    assert events(store, new_id) == ["raised"]


def test_escalation_keeps_the_response_and_reopens(make):
    store = make(milestones=[("d1", "D", "launch", "方案", "progress", "2026-06-01", None)])
    wl.recompute(store, dt.date(2026, 6, 30), now=NOW)  # 29 days: orange
    wid = int(ledger(store).query("trigger_id == 'd1'").warning_id.iloc[0])
    wl.acknowledge(store, wid, ME, "本周内完成", dt.date(2026, 7, 10), now=NOW)
    later = NOW + dt.timedelta(days=2)
    result = wl.recompute(store, dt.date(2026, 7, 2), now=later)  # 31 days: red
    assert result.escalated == [wid] and not d1_ids(store, result.raised)
    row = ledger(store).set_index("warning_id").loc[wid]
    assert (row.level, row.state, row.response_note) == ("red", "open", "本周内完成")
    assert row.respond_by == later + dt.timedelta(hours=24)
    assert events(store, wid) == ["raised", "acknowledged", "escalated"]
    # Recomputing the same date again changes nothing.
    assert not wl.recompute(store, dt.date(2026, 7, 2), now=later).changed


def test_closed_stays_closed_while_it_holds_and_a_return_raises_anew(make):
    store = make(milestones=[("d1", "D", "launch", "方案", "progress", "2026-06-01", "2026-07-05")])
    wl.recompute(store, dt.date(2026, 6, 30), now=NOW)
    wid = int(ledger(store).query("trigger_id == 'd1'").warning_id.iloc[0])
    wl.close(store, wid, ME, "已由领导小组决定延期")
    assert not d1_ids(store, wl.recompute(store, dt.date(2026, 7, 1), now=NOW).raised)  # still closed
    wl.recompute(store, dt.date(2026, 7, 10), now=NOW)  # done: cleared
    assert d1_ids(store, wl.recompute(store, dt.date(2026, 6, 30), now=NOW).raised)  # earlier date: back
    rows = ledger(store).query("trigger_id == 'd1'")
    assert list(rows.state) == ["closed", "open"]
    assert events(store, wid) == ["raised", "closed"]


def test_responses_need_words_a_date_and_a_live_warning(store):
    wl.recompute(store, AS_OF, now=NOW)
    wid = int(ledger(store).warning_id.iloc[0])
    with pytest.raises(Problem) as err:
        wl.acknowledge(store, wid, ME, "  ", dt.date(2026, 7, 1))
    assert err.value.code == "warn.err.note_required"
    with pytest.raises(Problem) as err:
        wl.acknowledge(store, wid, ME, "ok", None)
    assert err.value.code == "warn.err.plan_date_required"
    # Issue 20 changed this answer: a warning that is not there is told exactly like one outside the
    # person's scope, a refusal (audited) in the words of warn.err.no_such_warning.
    with pytest.raises(Problem) as err:
        wl.acknowledge(store, 9999, ME, "ok", dt.date(2026, 7, 1))
    assert err.value.code == "warn.err.no_such_warning"
    with pytest.raises(Problem):
        wl.acknowledge(store, wid, None, "ok", dt.date(2026, 7, 1))
    wl.close(store, wid, ME, "重复")
    with pytest.raises(Problem) as err:
        wl.acknowledge(store, wid, ME, "ok", dt.date(2026, 7, 1))
    assert err.value.code == "warn.err.not_live"
    assert events(store, wid) == ["raised", "closed"]


def test_a_failing_recompute_never_fails_the_upload(store, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(wl, "recompute", broken)
    result = upload(store, HEADER + "d1,D,launch,方案,progress,2026-09-01,\n")
    assert result.upload_id is not None
    assert (
        store.rows("SELECT count(*) FROM milestones WHERE milestone_id = 'd1'")[0][0] == 1
    )
