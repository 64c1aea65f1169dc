"""People and the audit log on the hosted store (DuckLake on PostgreSQL, issue 12): the tables made
without sequences or constraints, ids made inside the serialised write, the same checks as on the
embedded file."""

from __future__ import annotations

import json

import pytest

from pilotdash import store as store_mod
from pilotdash import audit, people
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
        with pytest.raises(people.InvalidPerson, match="already in the list"):
            people.add(hosted, admin, "li@example.cn", "Li", Scope.national(), ["viewer"])
        with pytest.raises(people.InvalidPerson, match="Unknown project id"):
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
