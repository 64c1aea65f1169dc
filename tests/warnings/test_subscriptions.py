"""Subscriptions as an attacker would try them (issue 19): a provincial viewer cannot subscribe
beyond their scope, cannot see or end anyone else's, and what is delivered (notices and the
digest) never names a pilot outside the owner's scope as it is at the delivery.

Fixture pilots: A and D in province 11 (east), B in 51 (west), C in 14 (central). As of
2026-06-30 A and B have warnings (tests/fixtures.py)."""

import datetime as dt

import pytest

from pilotdash import audit, people
from pilotdash.errors import Problem
from pilotdash.scope import Scope
from pilotdash.warnings import ledger, notify, subscriptions
from tests.warnings.conftest import AS_OF

ADMIN = people.local_admin()
NOW = dt.datetime(2026, 7, 1, 9, 0)
P11 = Scope("provinces", ("11",))


@pytest.fixture
def li(store):
    """A provincial viewer of Beijing (11), and a colleague of the same province."""
    people.add(store, ADMIN, "wang@example.cn", "Wang", P11, ["viewer"])
    return people.add(store, ADMIN, "li@example.cn", "Li", P11, ["viewer"])


def refusals(store, action):
    log = audit.entries(store, action=action)
    return log[log["refused"]]


def rows(store):
    return store.rows("SELECT subscription_id, owner, active FROM warning_subscriptions ORDER BY 1")


@pytest.mark.parametrize("kind, codes", [
    ("national", []),
    ("belt", ["east"]),  # province 11's own belt: still ten other provinces
    ("province", ["51"]),
    ("province", ["11", "51"]),
    ("pilots", ["B"]),
    ("pilots", ["A", "B"]),
])
def test_a_provincial_viewer_cannot_subscribe_beyond_their_scope(store, li, kind, codes):
    with pytest.raises(Problem) as refused:
        subscriptions.add(store, li, "mine", scope_kind=kind, scope_codes=codes, email="li@example.cn")
    assert refused.value.code == "access.not_allowed"
    assert rows(store) == []  # nothing written
    assert len(refusals(store, "subscribe")) == 1 and refusals(store, "subscribe")["who"].iloc[0] == "li@example.cn"


def test_within_their_scope_they_may_and_it_is_theirs_and_audited(store, li):
    first = subscriptions.add(store, li, "北京", scope_kind="province", scope_codes=["11"], email="li@example.cn")
    second = subscriptions.add(store, li, "A", scope_kind="pilots", scope_codes=["A", "D"], email="li@example.cn")
    assert rows(store) == [(first, "li@example.cn", True), (second, "li@example.cn", True)]
    done = audit.entries(store, action="subscribe")
    assert len(done) == 2 and not done["refused"].any() and set(done["who"]) == {"li@example.cn"}


def test_nobody_sees_or_ends_anothers_subscription(store, li):
    wang = people.find(store, "wang@example.cn")
    theirs = subscriptions.add(store, wang, "王", scope_kind="province", scope_codes=["11"], email="wang@example.cn")
    national = subscriptions.add(store, ADMIN, "国家", scope_kind="national", email="office@example.cn")
    assert subscriptions.visible(store, li) == []  # neither address is shown to Li
    for sid in (theirs, national):
        with pytest.raises(Problem):
            subscriptions.deactivate(store, li, sid)
    assert [r[2] for r in rows(store)] == [True, True]  # both still active
    assert refusals(store, "unsubscribe")["what"].tolist() == [f"subscription #{national}", f"subscription #{theirs}"]
    # the owner ends their own; an admin anyone's; each once in the log
    assert [s.subscription_id for s in subscriptions.visible(store, wang)] == [theirs]
    assert {s.subscription_id for s in subscriptions.visible(store, ADMIN)} == {theirs, national}
    assert subscriptions.deactivate(store, wang, theirs)
    assert subscriptions.deactivate(store, ADMIN, national)
    done = audit.entries(store, action="unsubscribe", refused=False)
    assert done["who"].tolist() == [ADMIN.email, "wang@example.cn"]


def test_notices_follow_the_owners_scope_at_every_delivery(store, monkeypatch):
    """Subscribed while national; the scope narrowed to 11 before the delivery: only A and D's
    notices go, the rest wait (never sent); the owner disabled: nothing at all."""
    chief = people.add(store, ADMIN, "chief@example.cn", "Chief", Scope.national(), ["viewer"])
    sid = subscriptions.add(store, chief, "all", scope_kind="national", min_level="yellow", email="chief@example.cn")
    sent = []
    monkeypatch.setattr(notify, "send_email", lambda settings, msg: sent.append(str(msg["Subject"])))
    ledger.recompute(store, AS_OF, now=NOW)
    queued = store.rows("SELECT DISTINCT w.project_id FROM warning_notices n JOIN warnings w USING (warning_id) "
                        "WHERE n.subscription_id = ?", [sid])
    assert {r[0] for r in queued} >= {"A", "B"}  # queued while the owner was national (C is withdrawn)
    people.set_person(store, ADMIN, "chief@example.cn", scope=P11)
    result = notify.deliver_due(store, notify.Settings(), now=NOW)
    assert sent
    shown = store.rows("SELECT DISTINCT w.project_id FROM warning_notices n JOIN warnings w USING (warning_id) "
                       "WHERE n.status = 'sent'")
    assert {r[0] for r in shown} <= {"A", "D"}
    withheld = store.rows("SELECT count(*) FROM warning_notices n JOIN warnings w USING (warning_id) "
                          "WHERE n.status = 'pending' AND w.project_id IN ('B', 'C')")[0][0]
    assert withheld > 0 and len(result.sent) == len(sent)
    # the owner disabled: nothing goes at the withheld notices' next look either
    people.disable(store, ADMIN, "chief@example.cn")
    later = notify.deliver_due(store, notify.Settings(), now=NOW + notify.BACKOFF_MAX + dt.timedelta(minutes=1))
    assert later.sent == [] and len(sent) == len(result.sent)


def test_the_digest_holds_only_the_owners_scope_as_it_is_then(store, monkeypatch, tmp_path):
    from pilotdash.cli import main

    chief = people.add(store, ADMIN, "chief@example.cn", "Chief", Scope.national(), ["viewer"])
    subscriptions.add(store, chief, "全国", scope_kind="national", min_level="red", email="chief@example.cn")
    ledger.recompute(store, AS_OF, now=NOW)
    people.set_person(store, ADMIN, "chief@example.cn", scope=P11)  # narrowed after subscribing
    path = store.path
    store.close()
    mails = []
    monkeypatch.setattr(notify, "send_email", lambda settings, msg: mails.append(msg))
    assert main(["--store", str(path), "digest", "--period", "month", "--as-of", "2026-06-30", "--send"]) == 0
    (mail,) = mails
    page = mail.get_body(("html",)).get_content()
    assert "北京" in page  # A and D
    for outside in ("成都智慧城市试点", "太原医疗健康试点"):  # B (51) and C (14)
        assert outside not in page
    from pilotdash.store import Store

    again = Store(path)  # the owner disabled: the next digest goes to nobody
    people.disable(again, ADMIN, "chief@example.cn")
    again.close()
    mails.clear()
    assert main(["--store", str(path), "digest", "--period", "month", "--as-of", "2026-06-30", "--send"]) == 0
    assert mails == []


def test_a_subscription_made_before_owners_sends_nothing(store, monkeypatch):
    sid = subscriptions.add(store, ADMIN, "old", scope_kind="national", min_level="yellow", email="old@example.cn")
    store.write(lambda w: w.execute("UPDATE warning_subscriptions SET owner = NULL"), data_change=False)
    sent = []
    monkeypatch.setattr(notify, "send_email", lambda settings, msg: sent.append(msg))
    ledger.recompute(store, AS_OF, now=NOW)
    notify.deliver_due(store, notify.Settings(), now=NOW)
    assert sent == []
    # an admin still sees it (to end it); nobody else does
    assert [s.subscription_id for s in subscriptions.visible(store, ADMIN)] == [sid]
