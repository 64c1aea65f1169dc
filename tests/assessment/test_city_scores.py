"""A prefecture office 地市 gives its own city's pilots their department scores (issue 25: "a cities
scope sees the pilots of its cities"; the upload's row check lets a cities scope give department
scores, ingest.validate.scope_rules), and no other city's. Fixture: the places of tests/cases/rows.py
(F: province 32, city 3205 苏州)."""

from types import SimpleNamespace

import pyarrow as pa
import pytest

from pilotdash import audit
from pilotdash.assessment import permissions
from pilotdash.errors import Problem
from pilotdash.people import Person
from pilotdash.scope import Scope
from tests.cases import rows


def plan(project_id):
    return SimpleNamespace(table="eval_scores", file_name="s.csv",
                           rows=pa.table({"evaluator": ["department"], "project_id": [project_id]}))


def reviewer(city):
    return Person(f"rev@{city}.cn", "rev", Scope("cities", (city,)), frozenset(("viewer", "reviewer")))


def test_the_city_office_gives_its_own_pilots_department_scores(store):
    rows.add(store)
    permissions.check_plan(store, reviewer("3205"), plan("F"))  # allowed: nothing raised


def test_the_next_city_may_not(store):
    rows.add(store)
    before = len(audit.entries(store))
    with pytest.raises(Problem) as refused:
        permissions.check_plan(store, reviewer("3301"), plan("F"))
    assert refused.value.code == "access.not_allowed" and len(audit.entries(store)) == before + 1
