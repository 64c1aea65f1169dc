"""A prefecture office 地市 acts on the issues of its own city's pilots (issue 25: "a cities scope
sees the pilots of its cities"), and on no other city's. Fixture: the places of tests/cases/rows.py
(F: province 32, city 3205 苏州, active); issue i9 of F raised 2026-05-01, due 2026-05-31."""

import datetime as dt

import pytest

from pilotdash import audit
from pilotdash.errors import Problem
from pilotdash.people import Person
from pilotdash.scope import Scope
from pilotdash.tasks import issue_actions as ia
from tests.cases import rows

D = dt.date(2026, 6, 30)


def person(email, roles, scope):
    return Person(email, email.split("@")[0], scope, frozenset(roles))


@pytest.fixture
def issued(store):
    rows.add(store)
    with store.writing() as w:
        w.execute("INSERT INTO issues VALUES ('i9', 'F', NULL, 'inspection', '数据未共享', '2026-05-01', '王敏', "
                  "'2026-05-31', NULL, NULL, NULL)")
    return store


def dates(store):
    return store.rows("SELECT resolved_on, verified_on FROM issues WHERE issue_id = 'i9'")[0]


def test_the_city_office_resolves_and_signs_off_its_own_citys_issue(issued):
    city = Scope("cities", ("3205",))
    ia.resolve(issued, person("sub@sz.cn", ("viewer", "submitter"), city), "i9", dt.date(2026, 6, 10), "已共享")
    ia.sign_off(issued, person("rev@sz.cn", ("viewer", "reviewer"), city), "i9", D)
    assert dates(issued) == (dt.date(2026, 6, 10), D)


def test_the_next_city_hears_that_there_is_no_such_issue(issued):
    other = person("sub@hz.cn", ("viewer", "submitter"), Scope("cities", ("3301",)))
    before = len(audit.entries(issued))
    with pytest.raises(Problem) as refused:
        ia.resolve(issued, other, "i9", dt.date(2026, 6, 10), "已共享")
    assert refused.value.code == "issue.not_found" and dates(issued) == (None, None)
    assert len(audit.entries(issued)) == before + 1


def test_signing_off_ones_own_resolution_is_logged_as_refused(issued):
    # the admin's audit filter "refused only" reads the entry's refused mark, not its detail
    both = person("both@sz.cn", ("viewer", "submitter", "reviewer"), Scope("cities", ("3205",)))
    ia.resolve(issued, both, "i9", dt.date(2026, 6, 10), "已共享")
    with pytest.raises(Problem) as own:
        ia.sign_off(issued, both, "i9", D)
    assert own.value.code == "issue.own_resolution"
    refused = audit.entries(issued, refused=True)
    assert list(zip(refused.who, refused.action)) == [("both@sz.cn", "issue_sign_off")]


def test_a_store_that_cannot_answer_is_said_so_not_no_such_issue(issued, monkeypatch):
    # a busy or unreachable store is no answer about the issue: it is not "no such issue" (nor an
    # audited refusal), and the person can try again
    def busy(_reader, _issue_id):
        raise Problem("store.busy", retry=True)

    monkeypatch.setattr(ia, "_issue", busy)
    before = len(audit.entries(issued))
    with pytest.raises(Problem) as err:
        ia.resolve(issued, person("sub@sz.cn", ("viewer", "submitter"), Scope("cities", ("3205",))), "i9",
                   dt.date(2026, 6, 10), "已共享")
    assert err.value.code == "store.busy" and len(audit.entries(issued)) == before
