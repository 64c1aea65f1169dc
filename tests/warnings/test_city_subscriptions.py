"""A prefecture office 地市 reads the subscriptions wholly inside its scope, as every scope does
(pilotdash/scope.py VIEWS): those of its own cities' pilots, never its province's (the provincial
office's address and robot, and the notices sent to them). Fixture: the places of
tests/cases/rows.py (E: province 33, city 3301 杭州)."""

from pilotdash import people
from pilotdash.scope import Scope
from pilotdash.warnings import subscriptions
from tests.cases import rows


def test_a_city_reads_no_subscription_of_its_province(store):
    rows.add(store)
    admin = people.local_admin()
    subscriptions.add(store, admin, "浙江省办", scope_kind="province", scope_codes=["33"], email="zj@example.cn")
    subscriptions.add(store, admin, "杭州试点", scope_kind="pilots", scope_codes=["E"], email="hz@example.cn")
    seen = store.rows("SELECT email FROM warning_subscriptions ORDER BY email", scope=Scope("cities", ("3301",)))
    assert seen == [("hz@example.cn",)]
    assert store.rows("SELECT email FROM warning_subscriptions ORDER BY email",
                      scope=Scope("provinces", ("33",))) == [("hz@example.cn",), ("zj@example.cn",)]
    # nor a pilot unit its province's
    assert store.rows("SELECT email FROM warning_subscriptions ORDER BY email",
                      scope=Scope("projects", ("E",))) == [("hz@example.cn",)]


def test_a_city_office_is_offered_its_own_pilots_to_subscribe_to(store):
    # the form's first offer is the person's own scope: for a prefecture office, its cities' pilots
    # (a subscription names provinces or pilots, and no pilot is numbered 3301)
    rows.add(store)
    city = people.Person("hz@example.cn", "hz", Scope("cities", ("3301",)), frozenset(("viewer",)))
    kind, codes = subscriptions.own_scope(city, store)
    assert (kind, codes) == ("pilots", ("E",))
    subscriptions.add(store, city, "本市试点", scope_kind=kind, scope_codes=list(codes), email="hz@example.cn")
