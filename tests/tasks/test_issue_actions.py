"""Resolve (a submitter in scope) and sign off (a reviewer in scope, not the resolver), through
the access policy, each audited; a refusal changes nothing and leaves a refused entry."""

import datetime as dt

import pytest

from pilotdash import audit
from pilotdash.errors import Problem
from pilotdash.people import Person
from pilotdash.scope import Scope
from pilotdash.tasks import issue_actions as ia

D = dt.date(2026, 6, 30)


def person(email, roles, codes=("11",)):
    return Person(email, email.split("@")[0], Scope("provinces", codes), frozenset(roles))


@pytest.fixture
def issued(store):
    with store.writing() as w:  # i1 of pilot A (province 11), overdue since 2026-05-31
        w.execute("INSERT INTO issues VALUES ('i1', 'A', NULL, 'inspection', '接口未开放', '2026-05-01', '李强', "
                  "'2026-05-31', NULL, NULL, NULL)")
    return store


def state(store):
    return store.rows("SELECT state FROM issue_states(?) WHERE issue_id = 'i1'", [D])[0][0]


def test_resolve_then_sign_off_by_another(issued):
    sub, rev = person("sub@x.cn", ("viewer", "submitter", "reviewer")), person("rev@x.cn", ("viewer", "reviewer"))
    ia.resolve(issued, sub, "i1", dt.date(2026, 6, 20), "已开放接口")
    assert state(issued) == "resolved"
    with pytest.raises(Problem) as own:  # the resolver, although a reviewer, may not sign off
        ia.sign_off(issued, sub, "i1", D)
    assert own.value.code == "issue.own_resolution" and state(issued) == "resolved"
    ia.sign_off(issued, rev, "i1", D)
    assert state(issued) == "verified"
    assert issued.rows("SELECT verified_by FROM issues WHERE issue_id = 'i1'")[0][0] == "rev"
    log = audit.entries(issued)
    done = log[log.action.isin(["issue_resolve", "issue_sign_off"])]
    assert sorted(zip(done.who, done.action, done.detail.map(lambda d: "refused" in (d or "")))) == [
        ("rev@x.cn", "issue_sign_off", False), ("sub@x.cn", "issue_resolve", False), ("sub@x.cn", "issue_sign_off", True)]
    assert issued.rows("SELECT note FROM issue_actions WHERE action = 'resolve'")[0][0] == "已开放接口"


@pytest.mark.parametrize("who, action", [
    (person("v@x.cn", ("viewer",)), "resolve"),
    (person("v@x.cn", ("viewer",)), "sign_off"),
    (person("s@x.cn", ("viewer", "submitter")), "sign_off"),           # a submitter cannot sign off
    (person("r@x.cn", ("viewer", "reviewer"), codes=("51",)), "sign_off"),  # outside the scope
])
def test_who_may_not(issued, who, action):
    if action == "sign_off":
        with issued.writing() as w:
            w.execute("UPDATE issues SET resolved_on = DATE '2026-06-20' WHERE issue_id = 'i1'")
    before = state(issued)
    with pytest.raises(Problem) as refused:
        if action == "resolve":
            ia.resolve(issued, who, "i1", D, "x")
        else:
            ia.sign_off(issued, who, "i1", D)
    # without the role the refusal names it; outside the scope (issue 20) the issue is not there for them
    outside = who.scope.codes == ("51",)
    assert refused.value.code == ("issue.not_found" if outside else "access.needs_role") and state(issued) == before
    log = audit.entries(issued)
    assert len(log[(log.who == who.email) & log.refused.fillna(False).astype(bool)]) == 1


def test_a_note_is_required_and_an_unresolved_issue_cannot_be_signed_off(issued):
    sub, rev = person("sub@x.cn", ("viewer", "submitter")), person("rev@x.cn", ("viewer", "reviewer"))
    with pytest.raises(Problem) as empty:
        ia.resolve(issued, sub, "i1", D, "  ")
    with pytest.raises(Problem) as unresolved:
        ia.sign_off(issued, rev, "i1", D)
    assert (empty.value.code, unresolved.value.code) == ("issue.note_required", "issue.not_resolved")


def test_resolving_an_overdue_issue_resolves_its_warning(issued):
    from pilotdash.warnings import ledger

    ledger.recompute(issued, D)  # i1: 30 days overdue on D, a yellow warning
    assert issued.rows("SELECT level, state FROM warnings WHERE trigger_id = 'i1'") == [("yellow", "open")]
    ia.resolve(issued, person("sub@x.cn", ("viewer", "submitter")), "i1", dt.date(2026, 6, 20), "已开放接口")
    # recomputed after the write (as after an upload), as of the default date: the fixture's D
    assert issued.rows("SELECT state FROM warnings WHERE trigger_id = 'i1'") == [("resolved",)]
