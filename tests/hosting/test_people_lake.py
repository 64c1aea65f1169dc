"""People and the audit log on the hosted store (DuckLake on PostgreSQL, issue 12): the tables made
without sequences or constraints, ids made inside the serialised write, the same checks as on the
embedded file."""

from __future__ import annotations

import json

import pytest

from pilotdash import store as store_mod
from pilotdash import audit, people
from pilotdash.errors import Problem
from pilotdash.scope import Scope
from tests import fixtures


def test_people_and_audit_on_the_lake(new_lake):
    from pilotdash.hosting import lake

    target, data = new_lake()
    hosted = store_mod.open_lake(target, data, build_if_empty=False)
    try:
        fixtures.fill(hosted)
        admin = people.local_admin()
        li = people.add(hosted, admin, "li@example.cn", "李明", Scope("provinces", ("11",)), ["viewer"])
        assert people.find(hosted, "LI@example.cn") == li
        with pytest.raises(Problem, match="already in the list"):
            people.add(hosted, admin, "li@example.cn", "Li", Scope.national(), ["viewer"])
        with pytest.raises(Problem, match="Unknown project id"):
            people.add(hosted, admin, "x@example.cn", "X", Scope("projects", ("ZZ",)), ["viewer"])
        people.set_person(hosted, admin, "li@example.cn", roles=["viewer", "submitter"])
        people.disable(hosted, admin, "li@example.cn")
        audit.record(hosted, "li@example.cn", "download", "overview.csv", li.scope, {"rows": 2})
        entries = audit.entries(hosted)
        assert entries["audit_id"].tolist() == [4, 3, 2, 1]
        assert entries["action"].tolist() == ["download", "people_disable", "people_set", "people_add"]
        assert entries.iloc[0]["scope_codes"].tolist() == ["11"] and json.loads(
            entries.iloc[0]["detail"]
        ) == {"rows": 2}
        assert len(audit.entries(hosted, who="li@example.cn", action="download")) == 1
        assert people.find(hosted, "li@example.cn").disabled
    finally:
        hosted.close()


def test_owned_subscriptions_refusals_and_a_build_on_the_lake(new_lake):
    """The columns added by issue 19 (audit_log.refused, warning_subscriptions.owner) on DuckLake:
    a refusal is one entry marked refused, a subscription is its owner's, and the lake's build
    refills the data without touching people, the log or the subscriptions."""
    from pilotdash.errors import Problem
    from pilotdash.hosting import lake
    from pilotdash.warnings import subscriptions

    target, data = new_lake()
    hosted = store_mod.open_lake(target, data, build_if_empty=False)
    try:
        fixtures.fill(hosted)
        admin = people.local_admin()
        li = people.add(hosted, admin, "li@example.cn", "李明", Scope("provinces", ("11",)), ["viewer"])
        with pytest.raises(Problem):
            subscriptions.add(hosted, li, "all", scope_kind="national", email="li@example.cn")
        sid = subscriptions.add(hosted, li, "北京", scope_kind="province", scope_codes=["11"], email="li@example.cn")
        assert [(s.subscription_id, s.owner) for s in subscriptions.visible(hosted, li)] == [(sid, "li@example.cn")]
        log = audit.entries(hosted)
        assert log["action"].tolist() == ["subscribe", "subscribe", "people_add"]
        assert log["refused"].tolist() == [False, True, False]
        store_mod.build_lake(hosted)  # the demo data
        assert people.find(hosted, "li@example.cn") == li
        assert len(audit.entries(hosted)) == 3 and len(subscriptions.list_all(hosted)) == 1
    finally:
        hosted.close()
