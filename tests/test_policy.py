"""The access policy: every action declared once, answered by one call (pilotdash/policy.py)."""

import pytest

from pilotdash import audit, policy
from pilotdash.errors import Problem
from pilotdash.people import Person
from pilotdash.scope import Scope


def person(kind="provinces", codes=("11",), roles=("viewer",), email="p@example.cn", **kw):
    return Person(email, "P", Scope(kind, codes) if kind != "national" else Scope.national(), frozenset(roles), **kw)


def test_every_action_is_an_audit_action():
    assert set(policy.ACTIONS) <= set(audit.ACTIONS)


@pytest.mark.parametrize(
    "who, action, resource, expected",
    [
        (person(roles=("reviewer",)), "approve", policy.Resource(project_id="P1", province_code="11"), True),
        (person(roles=("reviewer",)), "approve", policy.Resource(project_id="P2", province_code="51"), False),
        (person(roles=("submitter",)), "approve", policy.Resource(project_id="P1", province_code="11"), False),
        (person(roles=("viewer",)), "subscribe", policy.Resource(scope=Scope.national()), False),
        (person(roles=("viewer",)), "subscribe", policy.Resource(scope=Scope("provinces", ("11",))), True),
        (person(roles=("viewer",)), "subscribe", policy.Resource(scope=Scope("provinces", ("11", "51"))), False),
        (person(kind="national", codes=(), roles=("viewer",)), "subscribe", policy.Resource(scope=Scope.national()), True),
        (person(roles=("viewer",)), "unsubscribe", policy.Resource(owner="other@example.cn"), False),
        (person(roles=("viewer",)), "unsubscribe", policy.Resource(owner="P@example.cn"), True),
        (person(roles=("admin",)), "unsubscribe", policy.Resource(owner="other@example.cn"), True),
        (person(roles=("admin",)), "build", None, False),
        (person(kind="national", codes=(), roles=("admin",)), "build", None, True),
        (person(roles=("reviewer",), disabled=True), "approve", policy.Resource(province_code="11"), False),
        (None, "read", None, False),
    ],
)
def test_allowed(who, action, resource, expected):
    assert policy.allowed(who, action, resource) is expected


def test_the_single_user_may_do_everything():
    local = Person("local:me", "me", Scope.national(), frozenset(), single_user=True)
    assert all(policy.allowed(local, action) for action in policy.ACTIONS)


def test_unknown_action_is_a_programming_error():
    with pytest.raises(ValueError):
        policy.allowed(person(), "fly")


def test_a_refusal_is_one_audit_entry_and_a_problem(store):
    who = person(roles=("viewer",))
    with pytest.raises(Problem) as exc:
        policy.require(store, who, "approve", policy.Resource(province_code="11"), what="submission 1")
    assert exc.value.code == "access.not_allowed"
    rows = audit.entries(store)
    assert len(rows) == 1 and rows.iloc[0]["action"] == "approve" and bool(rows.iloc[0]["refused"])
