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


# The policy as a table (issue 19): for every action and role, the scope kinds (N national,
# P provinces 11, J pilots A) that may do it to
#   (1) a resource inside the person's scope that is their own,
#   (2) the same resource owned by someone else,
#   (3) a resource outside every non-national scope (pilot B of province 51), someone else's.
# Every enabled person reads (viewer); no other role implies another. Worked out from
# shared/domain.md "Organisation and access", not from the code.
ALL, NONE = ("NPJ", "NPJ", "NPJ"), ("", "", "")
SCOPED = ("NPJ", "NPJ", "N")
OWN = ("NPJ", "", "")
TABLE = {
    "read": {"viewer": ALL, "submitter": ALL, "reviewer": ALL, "admin": ALL},
    "export": {"viewer": ALL, "submitter": ALL, "reviewer": ALL, "admin": ALL},
    "upload": {"viewer": NONE, "submitter": ALL, "reviewer": NONE, "admin": NONE},
    "submit": {"viewer": NONE, "submitter": ALL, "reviewer": NONE, "admin": NONE},
    "withdraw": {"viewer": NONE, "submitter": OWN, "reviewer": NONE, "admin": NONE},
    "recheck": {"viewer": NONE, "submitter": OWN, "reviewer": SCOPED, "admin": NONE},
    "approve": {"viewer": NONE, "submitter": NONE, "reviewer": SCOPED, "admin": NONE},
    "reject": {"viewer": NONE, "submitter": NONE, "reviewer": SCOPED, "admin": NONE},
    "rollback": {"viewer": NONE, "submitter": NONE, "reviewer": SCOPED, "admin": NONE},
    "acknowledge": {"viewer": NONE, "submitter": SCOPED, "reviewer": SCOPED, "admin": NONE},
    "close": {"viewer": NONE, "submitter": NONE, "reviewer": SCOPED, "admin": NONE},
    "subscribe": {"viewer": SCOPED, "submitter": SCOPED, "reviewer": SCOPED, "admin": SCOPED},
    "unsubscribe": {"viewer": OWN, "submitter": OWN, "reviewer": OWN, "admin": ALL},
    "view_read": {"viewer": SCOPED, "submitter": SCOPED, "reviewer": SCOPED, "admin": SCOPED},
    "view_save": {"viewer": ALL, "submitter": ALL, "reviewer": ALL, "admin": ALL},
    "view_rename": {"viewer": OWN, "submitter": OWN, "reviewer": OWN, "admin": ALL},
    "view_delete": {"viewer": OWN, "submitter": OWN, "reviewer": OWN, "admin": ALL},
    "people_manage": {"viewer": NONE, "submitter": NONE, "reviewer": NONE, "admin": ALL},
    "audit_read": {"viewer": NONE, "submitter": NONE, "reviewer": NONE, "admin": ALL},
    "build": {"viewer": NONE, "submitter": NONE, "reviewer": NONE, "admin": ("N", "N", "N")},
    # assessment (domain "Assessment and grading"): a unit its own pilots' self scores, a reviewer the
    # department's and third parties' within the scope, national reviewers the schemes and rounds
    "score_self": {"viewer": NONE, "submitter": SCOPED, "reviewer": NONE, "admin": NONE},
    "score_department": {"viewer": NONE, "submitter": NONE, "reviewer": SCOPED, "admin": NONE},
    "score_third_party": {"viewer": NONE, "submitter": NONE, "reviewer": SCOPED, "admin": NONE},
    "assessment_scheme": {"viewer": NONE, "submitter": NONE, "reviewer": ("N", "N", "N"), "admin": NONE},
    # issues (domain "Tasks, issues and risk reviews"): the owner (a submitter in scope) resolves, a
    # reviewer in scope signs off (not their own resolution: refused in pilotdash/tasks)
    "issue_resolve": {"viewer": NONE, "submitter": SCOPED, "reviewer": NONE, "admin": NONE},
    "issue_sign_off": {"viewer": NONE, "submitter": NONE, "reviewer": SCOPED, "admin": NONE},
    # a report mailed to every subscriber: the national office (its reviewers) only
    "report_send": {"viewer": NONE, "submitter": NONE, "reviewer": ("N", "N", "N"), "admin": NONE},
}
KINDS = {"N": Scope.national(), "P": Scope("provinces", ("11",)), "J": Scope("projects", ("A",))}
ME, OTHER = "me@example.cn", "other@example.cn"
# Pilot A lies in province 11, B in 51: as a pilot, and as the rows of a submission or the scope
# of a subscription or saved view (pilots scope with its pilots' provinces).
PILOT_ACTIONS = {"approve", "reject", "rollback", "acknowledge", "close", "withdraw", "unsubscribe",
                 "view_rename", "view_delete", "read", "export", "upload", "submit", "view_save",
                 "people_manage", "audit_read", "build", "score_self", "score_department", "score_third_party",
                 "assessment_scheme", "issue_resolve", "issue_sign_off", "report_send"}


def resources(action):
    if action in PILOT_ACTIONS:
        inside = dict(project_id="A", province_code="11")
        outside = dict(project_id="B", province_code="51")
    else:
        inside = dict(scope=Scope("projects", ("A",)), provinces=("11",))
        outside = dict(scope=Scope("projects", ("B",)), provinces=("51",))
    return (policy.Resource(owner=ME, **inside), policy.Resource(owner=OTHER, **inside),
            policy.Resource(owner=OTHER, **outside))


def test_the_table_lists_every_action():
    assert set(TABLE) == set(policy.ACTIONS)


@pytest.mark.parametrize("action", sorted(TABLE))
@pytest.mark.parametrize("role", ("viewer", "submitter", "reviewer", "admin"))
@pytest.mark.parametrize("kind", "NPJ")
def test_the_policy_as_a_table(action, role, kind):
    who = Person(ME, "Me", KINDS[kind], frozenset({role}))
    got = tuple(policy.allowed(who, action, r) for r in resources(action))
    assert got == tuple(kind in cell for cell in TABLE[action][role]), (action, role, kind)
    # nobody, and a disabled person, may do nothing at all
    assert not any(policy.allowed(None, action, r) for r in resources(action))
    gone = Person(ME, "Me", KINDS[kind], frozenset({role}), disabled=True)
    assert not any(policy.allowed(gone, action, r) for r in resources(action))


def test_what_lies_within_a_scope_is_the_scopes_answer():
    p11, p51 = Scope("provinces", ("11",)), Scope("provinces", ("51",))
    assert p11.contains(Scope("projects", ("A", "D")), ("11",))  # pilots of province 11
    assert not p11.contains(Scope("projects", ("A", "B")), ("11", "51"))
    assert not p11.contains(Scope("projects", ("A",)), None)  # provinces unknown: not contained
    assert not Scope("projects", ("A",)).contains(p11)  # a province holds pilots it does not name
    assert not p11.contains(Scope.national()) and not p11.contains(Scope("provinces", ("11", "51")))
    assert Scope.national().contains(p51) and p11.contains(p11)
    assert p11.holds("A", "11") and not p11.holds("B", "51") and not p11.holds(None, None)
    assert Scope("projects", ("A",)).holds("A", "51") and not Scope("projects", ("A",)).holds("B", "11")


def test_resources_read_from_the_store(store):
    a = policy.resource_for_project(store, "A")
    assert (a.project_id, a.province_code) == ("A", "11")
    assert policy.resource_for_project(store, "nope").province_code is None  # national only
    assert policy.resource_for_scope(store, Scope("projects", ("A", "D"))).provinces == ("11",)
    assert policy.resource_for_scope(store, Scope("projects", ("A", "nope"))).provinces is None


def test_the_tables_own_download_is_turned_off_for_the_audited_buttons():
    import tomllib

    from pilotdash.store import ROOT

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True


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
    # a viewer holds none of the roles approving needs: the refusal names it
    assert exc.value.code == "access.needs_role" and exc.value.values == {"role": "reviewer"}
    rows = audit.entries(store)
    assert len(rows) == 1 and rows.iloc[0]["action"] == "approve" and bool(rows.iloc[0]["refused"])
