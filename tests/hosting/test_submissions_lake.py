"""Submissions and review on the hosted store (DuckLake on PostgreSQL: no sequences, no PRIMARY
KEY/UNIQUE/CHECK): submit, go stale, re-check, approve and roll back exactly as on the file."""

from __future__ import annotations

from pilotdash import store as store_mod
from pilotdash import audit, people, submissions
from pilotdash.ingest.plan import prepare
from pilotdash.scope import Scope
from tests import fixtures

READINGS = b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,70\nA,I3,2026-12-31,4\n"
OTHER = b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,72\nB,P1,2026-06-30,1\n"


def p1_a(store):
    return store.rows(
        "SELECT actual_value FROM readings WHERE project_id = 'A' AND indicator_code = 'P1' "
        "AND period_end = DATE '2026-06-30'"
    )[0][0]


def test_the_review_flow_on_the_lake(new_lake):
    from pilotdash.hosting import lake

    target, data = new_lake()
    hosted = store_mod.open_lake(target, data, build_if_empty=False)
    try:
        fixtures.fill(hosted)
        admin, p11 = people.local_admin(), Scope("provinces", ("11",))
        sub = people.add(hosted, admin, "sub@example.cn", "sub", p11, ["submitter"])
        rev = people.add(hosted, admin, "rev@example.cn", "rev", p11, ["reviewer"])
        before = hosted.table_checksum("readings")
        first = submissions.submit(hosted, sub, prepare(hosted, "a.csv", READINGS, scope=p11)).submission
        second = submissions.submit(
            hosted, sub, prepare(hosted, "b.csv", OTHER, scope=p11), "valid_rows"
        ).submission
        assert (first.submission_id, second.submission_id, second.rejected) == (1, 2, 1)
        assert hosted.table_checksum("readings") == before
        submissions.approve(hosted, rev, 1)
        assert p1_a(hosted) == 70 and submissions.get(hosted, 2).stale
        submissions.recheck(hosted, rev, 2)
        done = submissions.approve(hosted, rev, 2)
        assert p1_a(hosted) == 72 and done.upload_id == 2
        assert submissions.rollback(hosted, rev, 1, cascade=True) == [2, 1]
        assert hosted.table_checksum("readings") == before
        assert [s.state for s in submissions.listing(hosted, sub)] == ["rolled_back", "rolled_back"]
        actions = audit.entries(hosted)["action"].tolist()[::-1]
        assert actions[-7:] == ["submit", "submit", "approve", "submit", "approve", "rollback", "rollback"]
    finally:
        hosted.close()
