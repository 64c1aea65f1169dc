"""A pilot's city lies in its province (shared/domain.md "Cities and counties": the city code's
first two digits must be the project's province), also when a projects file gives a new province
and no city: the stored city is checked against it. Else a prefecture office could move its own
pilot to any province, out of its provincial office's sight, keeping the city that makes it its own.

Fixture: the places of tests/cases/rows.py (E: province 33, city 3301 杭州, county 330106)."""

import pytest

from pilotdash.ingest.plan import prepare
from pilotdash.scope import Scope
from tests.cases import rows


@pytest.fixture
def placed(store):
    rows.add(store)
    return store


@pytest.mark.parametrize("scope", [Scope("cities", ("3301",)), Scope.national()], ids=["city office", "national"])
def test_a_new_province_without_the_city_is_refused(placed, scope):
    plan = prepare(placed, "p.csv", b"project_id,province_code\nE,11\n", scope=scope)
    assert (plan.counts.updates, plan.counts.rejected) == (0, 1)
    assert set(plan.errors.column("code").to_pylist()) == {"city_outside_province", "county_outside_province"}


def test_the_same_province_without_the_city_is_unchanged(placed):
    plan = prepare(placed, "p.csv", b"project_id,province_code\nE,33\n", scope=Scope("cities", ("3301",)))
    assert (plan.counts.unchanged, plan.counts.rejected) == (1, 0)


def test_a_move_with_its_new_city_and_county_goes_through(placed):
    plan = prepare(placed, "p.csv", b"project_id,province_code,city_code,county_code\nE,32,3205,320583\n")
    assert (plan.counts.updates, plan.counts.rejected) == (1, 0)


def test_another_offices_pilot_is_refused_without_naming_its_place(placed):
    # Beijing's office giving Hangzhou's pilot E its own province: refused as another office's
    # record, and where E is (its city, its county) is never said
    plan = prepare(placed, "p.csv", b"project_id,province_code\nE,11\n", scope=Scope("provinces", ("11",)))
    assert plan.errors.column("code").to_pylist() == ["out_of_scope_record"]
    assert "3301" not in str(plan.errors.to_pylist()) and "杭州" not in plan.report("zh").to_string()
