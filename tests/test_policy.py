"""The access policy: every action declared once, answered by one call (pilotdash/policy.py)."""

import datetime as dt

import pytest

from pilotdash import audit, policy, submissions
from pilotdash.errors import Problem
from pilotdash.people import Person
from pilotdash.scope import Scope


def person(kind="provinces", codes=("11",), roles=("viewer",), email="p@example.cn", **kw):
    return Person(email, "P", Scope(kind, codes) if kind != "national" else Scope.national(), frozenset(roles), **kw)


def test_every_action_is_an_audit_action():
    assert set(policy.ACTIONS) <= set(audit.ACTIONS)


# The policy as a table (issue 19): for every action and role, the scope kinds (N national,
# P provinces 11, J pilots A, C cities 1101: a prefecture office, issue 25) that may do it to
#   (1) a resource inside the person's scope that is their own,
#   (2) the same resource owned by someone else,
#   (3) a resource outside every non-national scope (pilot B of province 51), someone else's.
# Every enabled person reads (viewer); no other role implies another. Worked out from
# shared/domain.md "Organisation and access", not from the code.
ALL, NONE = ("NPJC", "NPJC", "NPJC"), ("", "", "")
SCOPED = ("NPJC", "NPJC", "N")
OWN = ("NPJC", "", "")
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
KINDS = {"N": Scope.national(), "P": Scope("provinces", ("11",)), "J": Scope("projects", ("A",)),
         "C": Scope("cities", ("1101",))}
ME, OTHER = "me@example.cn", "other@example.cn"
# Pilot A lies in province 11 (city 1101), B in 51 (city 5101): as a pilot, and as the rows of a
# submission or the scope of a subscription or saved view (pilots scope with its pilots' provinces
# and cities).
PILOT_ACTIONS = {"approve", "reject", "rollback", "acknowledge", "close", "withdraw", "unsubscribe",
                 "view_rename", "view_delete", "read", "export", "upload", "submit", "view_save",
                 "people_manage", "audit_read", "build", "score_self", "score_department", "score_third_party",
                 "assessment_scheme", "issue_resolve", "issue_sign_off", "report_send"}


def resources(action):
    if action in PILOT_ACTIONS:
        inside = dict(project_id="A", province_code="11", city_code="1101")
        outside = dict(project_id="B", province_code="51", city_code="5101")
    else:
        inside = dict(scope=Scope("projects", ("A",)), provinces=("11",), cities=("1101",))
        outside = dict(scope=Scope("projects", ("B",)), provinces=("51",), cities=("5101",))
    return (policy.Resource(owner=ME, **inside), policy.Resource(owner=OTHER, **inside),
            policy.Resource(owner=OTHER, **outside))


def test_the_table_lists_every_action():
    assert set(TABLE) == set(policy.ACTIONS)


@pytest.mark.parametrize("action", sorted(TABLE))
@pytest.mark.parametrize("role", ("viewer", "submitter", "reviewer", "admin"))
@pytest.mark.parametrize("kind", "NPJC")
def test_the_policy_as_a_table(action, role, kind):
    who = Person(ME, "Me", KINDS[kind], frozenset({role}))
    got = tuple(policy.allowed(who, action, r) for r in resources(action))
    assert got == tuple(kind in cell for cell in TABLE[action][role]), (action, role, kind)
    # nobody, and a disabled person, may do nothing at all
    assert not any(policy.allowed(None, action, r) for r in resources(action))
    gone = Person(ME, "Me", KINDS[kind], frozenset({role}), disabled=True)
    assert not any(policy.allowed(gone, action, r) for r in resources(action))


# Reviewing a submission (issue 25): who of a reviewer's scope kinds may approve, reject, roll back
# or re-check one, by the rows it touches, as `submissions.resource` hands them to the policy.
# Province 33: pilot E in Hangzhou 3301, G in Ningbo 3302, H with no city. Scopes: N national,
# P province 33, C city 3301 (Hangzhou's office), W city 3302 (Ningbo's), J pilot E. Worked out from
# shared/domain.md "Cities and counties": a city office covers the rows of its cities' pilots only.
REVIEW_SCOPES = {"N": Scope.national(), "P": Scope("provinces", ("33",)), "C": Scope("cities", ("3301",)),
                 "W": Scope("cities", ("3302",)), "J": Scope("projects", ("E",))}
# rows -> (level, provinces, pilots, cities of the pilots), and the scopes covering them
REVIEW_ROWS = {
    "E's readings": (("projects", ("33",), ("E",), ("3301",)), "NPCJ"),
    "G's readings (the next city)": (("projects", ("33",), ("G",), ("3302",)), "NPW"),
    "E's and G's": (("projects", ("33",), ("E", "G"), ("3301", "3302")), "NP"),
    "H's (no city)": (("projects", ("33",), ("H",), None), "NP"),
    "E moved from 3302 to 3301": (("projects", ("33",), ("E",), ("3301", "3302")), "NPJ"),
    "province 33's targets": (("provinces", ("33",), (), None), "NP"),
    "national targets": (("national", (), (), None), "N"),
}


def submission(level, provinces, projects, cities, by=OTHER):
    now = dt.datetime(2026, 6, 30)
    return submissions.Submission(
        1, "readings", "r.csv", "0" * 64, "clean_only", by, now, Scope("cities", ("3301",)), level, provinces,
        projects, 1, 0, 0, 0, 0, "1", now, "submitted", None, None, None, None, None, None, cities=cities)


@pytest.mark.parametrize("action", ("approve", "reject", "rollback", "recheck"))
@pytest.mark.parametrize("rows", sorted(REVIEW_ROWS))
@pytest.mark.parametrize("kind", sorted(REVIEW_SCOPES))
def test_who_reviews_a_submission_by_its_rows(action, rows, kind):
    shape, covered_by = REVIEW_ROWS[rows]
    sub = submission(*shape)
    reviewer = Person(ME, "Me", REVIEW_SCOPES[kind], frozenset({"reviewer"}))
    assert policy.allowed(reviewer, action, submissions.resource(sub)) == (kind in covered_by), (action, rows, kind)
    assert submissions.covers(REVIEW_SCOPES[kind], sub) == (kind in covered_by)
    # the role still decides first: a submitter or a viewer of the same scope reviews nothing of
    # someone else's
    for role in ("submitter", "viewer"):
        other = Person(ME, "Me", REVIEW_SCOPES[kind], frozenset({role}))
        assert not policy.allowed(other, action, submissions.resource(sub))


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
    # a prefecture office (issue 25): its cities' pilots, never a province's or another city's
    hz = Scope("cities", ("3301",))
    assert hz.contains(Scope("projects", ("E", "E2")), ("33",), ("3301",))
    assert not hz.contains(Scope("projects", ("E", "G")), ("33",), ("3301", "3302"))
    assert not hz.contains(Scope("projects", ("E",)), ("33",), None)  # a pilot with no city: not contained
    assert not hz.contains(Scope("projects", ("E",)), ("33",), ())
    assert not hz.contains(Scope("provinces", ("33",))) and not hz.contains(Scope("cities", ("3301", "3302")))
    assert Scope("provinces", ("33",)).contains(hz) and not Scope("provinces", ("32",)).contains(hz)
    assert hz.holds("E", "33", "3301") and not hz.holds("G", "33", "3302") and not hz.holds("H", "33", None)


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
