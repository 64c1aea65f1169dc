"""An issue signed off in place (not an upload) moves the rounds whose scheme reads the issues,
also when the scoring after it did not run (the store busy: the hook only logs) and the next
scoring follows an upload: the issue actions since the last scoring are read like the uploads.

Fixture store (tests/fixtures.py) with scheme U: U1 measure issue_resolution (50), U2 manual (50);
round R2 ending 2026-06-30. Issue i1 of A raised 2026-05-01: A's issue resolution on 2026-06-30
is 0/1 before the sign-off, 1/1 after."""

from __future__ import annotations

import datetime as dt

from pilotdash import events
from pilotdash.assessment import scoring
from pilotdash.ingest.apply import apply
from pilotdash.ingest.plan import prepare
from pilotdash.people import local_admin
from pilotdash.tasks import issue_actions


def leaf(store):
    return store.rows("SELECT value FROM eval_leaf_results WHERE round_id = 'R2' AND project_id = 'A' "
                      "AND item_code = 'U1'")[0][0]


def test_an_issue_signed_off_while_the_scoring_could_not_run_is_scored_with_the_next_upload(store):
    with store.writing() as w:
        w.execute("INSERT INTO eval_items VALUES ('U', 'U1', NULL, '问题解决', NULL, 50, 'measure', "
                  "'issue_resolution', 'false'), ('U', 'U2', NULL, '组织保障', NULL, 50, 'manual', NULL, 'false')")
        w.execute("INSERT INTO eval_rounds VALUES ('R2', '二季度考核', 'quarterly', '2026-04-01', '2026-06-30', 'U')")
        w.execute("INSERT INTO issues VALUES ('i1', 'A', NULL, 'inspection', '接口未开放', '2026-05-01', '李强', "
                  "'2026-05-31', '2026-06-10', NULL, NULL)")
    scoring.recompute(store)
    assert leaf(store) == 0
    with events.replaced():  # the scoring after the sign-off did not run
        issue_actions.sign_off(store, local_admin(), "i1", dt.date(2026, 6, 20))
    with events.replaced(lambda s, deliver, tables: scoring.rescore(s, tables)):
        plan = prepare(store, "readings.csv", b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-12-31,10\n")
        apply(store, plan, "tester")
    assert leaf(store) == 1
