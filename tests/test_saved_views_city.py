"""A saved view's filters as a scope (saved_views.view_scope) know the city filter (issue 25): a
view of Hangzhou (city=3301), saved by the Zhejiang office, is seen by the Hangzhou office and by
Zhejiang's, not by the Ningbo office (3302). Fixture: the places of tests/cases/rows.py."""

from pilotdash import saved_views
from pilotdash.people import Person
from pilotdash.scope import Scope
from tests.cases import rows


def person(email, scope):
    return Person(email, email.split("@")[0], scope, frozenset({"viewer"}))


def test_a_view_of_one_city_is_seen_within_that_city(store):
    rows.add(store)
    zj = person("zj@example.cn", Scope("provinces", ("33",)))
    view = saved_views.save(store, "杭州试点", "overview", {"province": "33", "city": "3301"}, zj)
    assert saved_views.view_scope(view.params) == Scope("cities", ("3301",))
    assert saved_views.visible_to(store, person("hz@example.cn", Scope("cities", ("3301",))), view)
    assert not saved_views.visible_to(store, person("nb@example.cn", Scope("cities", ("3302",))), view)
    assert saved_views.visible_to(store, person("zj2@example.cn", Scope("provinces", ("33",))), view)
