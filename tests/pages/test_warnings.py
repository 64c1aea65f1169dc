"""The Warnings page 预警 (AppTest) on the fixture store with its warnings raised as of D, and the
one-call sections on Overview and Project."""

import datetime as dt

import pytest

from tests.pages.conftest import sign_in_configured

from pilotdash.markdown import escape
from pilotdash.store import Store
from pilotdash.warnings import ledger
from tests import fixtures


@pytest.fixture
def raised(fixture_store_path):
    store = Store(fixture_store_path)
    try:
        ledger.recompute(store, fixtures.AS_OF, now=dt.datetime(2026, 7, 1, 9, 0))
        ids = dict(
            store.rows("SELECT trigger_id, warning_id FROM warnings WHERE trigger_id IN ('m3', 'm5')")
        )
    finally:
        store.close()
    return ids


def listed(at):
    return [d.value for d in at.dataframe if "condition" in d.value.columns][0]


def submit(at, label):
    next(b for b in at.button if b.label == label).click()


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_counts_by_level_and_overdue(app, raised):
    at = app("warnings", lang="en").run()
    assert not at.exception
    shown = metrics(at)
    # Fixture on D: red B/m5, B/overspend; orange A m3, r2, SPI, 2025 execution, B SPI, CPI; yellow
    # A P1, E1, B I3, B I1 missing, and two risk reviews overdue (issue 24). Raised on 2026-07-01,
    # so every deadline has passed: all overdue.
    assert shown["✖ Red warning · open"] == "2"
    assert shown["▲ Orange warning · open"] == "6"
    assert shown["● Yellow warning · open"] == "6"
    assert shown["Overdue responses"] == "14"


def test_level_filter_from_the_url_and_red_first(app, raised):
    at = app("warnings", lang="en", level="red").run()
    table = listed(at)
    assert list(table["level"]) == ["✖ Red warning", "✖ Red warning"]
    assert set(table["condition"]) == {"Milestone overdue", "Overspend on a budget line"}
    every = listed(app("warnings", lang="en").run())
    assert (
        list(every["level"])[:2] == ["✖ Red warning"] * 2 and list(every["level"])[-1] == "● Yellow warning"
    )
    assert len(every) == 14  # with the two risk reviews overdue (issue 24)


def test_acknowledge_records_the_note_and_date(app, raised, fixture_store_path):
    wid = raised["m3"]
    at = app("warnings", lang="zh", warning=str(wid)).run()
    assert not at.exception
    at.text_area(key=f"ack_note_{wid}").input("已召开专题会，本月底前完成中期评估")
    at.date_input(key=f"ack_plan_{wid}").set_value(dt.date(2026, 7, 31))
    submit(at, "确认响应")
    at.run()
    assert not at.exception
    assert [s.value for s in at.success] == ["响应已记录。"]
    store = Store(fixture_store_path)
    try:
        row = (
            store.rows("SELECT state, response_note, plan_date FROM warnings WHERE warning_id = ?", [wid])[0]
        )
    finally:
        store.close()
    assert row == ("acknowledged", "已召开专题会，本月底前完成中期评估", dt.date(2026, 7, 31))
    assert "已召开专题会，本月底前完成中期评估" in [t.value for t in at.text]
    assert metrics(at)["▲ 橙色预警 · 待响应"] == "5"  # one of the six orange ones is answered


def test_acknowledge_without_a_note_says_what_is_missing(app, raised):
    wid = raised["m3"]
    at = app("warnings", lang="en", warning=str(wid)).run()
    at.date_input(key=f"ack_plan_{wid}").set_value(dt.date(2026, 7, 31))
    submit(at, "Acknowledge")
    at.run()
    assert [e.value for e in at.error] == ["Write a response note."]


def test_a_bad_url_value_is_refused_with_a_notice(app, raised):
    at = app("warnings", lang="en", level="purple").run()
    assert not at.exception
    assert any("purple" in w.value for w in at.warning)


def test_overview_shows_warnings_by_level_at_the_top(app, raised):
    at = app("overview", lang="en").run()
    assert not at.exception
    # after the page's own headline numbers (issue 22: the key numbers first)
    assert metrics(at)["✖ Red warning · open"] == "2"
    assert metrics(at)["Overdue responses"] == "14"


def test_project_shows_its_warnings(app, raised):
    at = app("project", lang="en", project="B").run()
    assert not at.exception
    assert "Warnings and responses" in [s.value for s in at.subheader]
    table = listed(at)
    assert len(table) == 7 and set(table["condition"]) >= {"Overspend on a budget line", "SPI below 0.9"}


def test_pending_notices_are_listed_and_the_digest_is_offered(app, fixture_store_path, tmp_path, monkeypatch):
    from pilotdash.warnings import notify, subscriptions
    from pilotdash.people import local_admin

    config = tmp_path / "notify.toml"  # the receiver is on loopback: an internal one, allowed here
    config.write_text('[pilotdash.notify]\nwebhook_internal_hosts = ["127.0.0.1"]\n', encoding="utf-8")
    monkeypatch.setenv("PILOTDASH_CONFIG", str(config))
    store = Store(fixture_store_path)
    try:
        subscriptions.add(
            store,
            local_admin(),
            "Robot",
            scope_kind="national",
            min_level="red",
            webhook_kind="wecom",
            webhook_url="http://127.0.0.1:9/down",
        )
        ledger.recompute(store, fixtures.AS_OF, now=dt.datetime(2026, 7, 1, 9, 0))
        notify.deliver_due(store, notify.Settings(), now=dt.datetime(2026, 7, 1, 9, 0))  # port 9: refused
    finally:
        store.close()
    at = app("warnings", lang="en").run()
    assert not at.exception
    assert metrics(at)["Notices waiting"] == "2"
    assert "Notices waiting to be delivered (2)" in [e.label for e in at.expander]
    assert [b.label for b in at.get("download_button") if "digest" in b.label] == [
        "Download the digest (printable HTML)"
    ]


def test_subscribe_on_the_page_and_a_bad_address_is_refused(app, raised, fixture_store_path):
    at = app("warnings", lang="en").run()
    form = [t for t in at.text_input if t.label == "Name"][0]
    form.input("West desk")
    [t for t in at.text_input if t.label == "E-mail"][0].input("not-an-address")
    submit(at, "Subscribe")
    at.run()
    # the typed address shown as written: escaped in the alert's Markdown source (pilotdash.markdown)
    assert [e.value for e in at.error] == [f"{escape('not-an-address')} is not an e-mail address."]
    [t for t in at.text_input if t.label == "E-mail"][0].input("west@example.org")
    submit(at, "Subscribe")
    at.run()
    assert "The subscription is saved." in [s.value for s in at.success]
    store = Store(fixture_store_path)
    try:
        rows = (
            store.rows("SELECT name, email, min_level, scope_kind FROM warning_subscriptions")
        )
    finally:
        store.close()
    assert rows == [("West desk", "west@example.org", "orange", "national")]


def test_a_provincial_viewer_on_the_page_neither_sees_others_subscriptions_nor_subscribes_beyond_their_scope(
    app, fixture_store_path
):
    """The page's own handlers, signed in as Beijing's viewer (issue 19): the national office's
    subscription (and its address) is not listed; subscribing to national warnings is refused by
    the access policy, writes nothing and is in the audit log once, marked refused."""
    from pilotdash import audit, people
    from pilotdash.scope import Scope
    from pilotdash.warnings import subscriptions
    from tests.pages.test_scope_pages import AUTH

    store = Store(fixture_store_path)
    try:
        people.add(store, people.local_admin(), "bj@example.cn", "BJ", Scope("provinces", ("11",)), ["viewer"])
        subscriptions.add(store, people.local_admin(), "国家", scope_kind="national", email="office@example.cn")
    finally:
        store.close()
    at = app("warnings", lang="en")
    sign_in_configured(AUTH)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": True, "email": "bj@example.cn", "name": "BJ"}
    at.run()
    assert not at.exception
    assert not any("office@example.cn" in t.value for t in at.text)
    [t for t in at.text_input if t.label == "Name"][0].input("Everything")
    [t for t in at.text_input if t.label == "E-mail"][0].input("bj@example.cn")
    scope = [s for s in at.selectbox if s.label == "Scope"][0]
    assert scope.value == "province"  # offered at the person's own scope
    scope.set_value("national")
    submit(at, "Subscribe")
    at.run()
    assert [e.value for e in at.error] == ["You may not do this here: your roles or your scope do not include it."]
    store = Store(fixture_store_path)
    try:
        assert store.rows("SELECT count(*) FROM warning_subscriptions")[0][0] == 1
        refused = audit.entries(store, action="subscribe", refused=True)
        assert refused["who"].tolist() == ["bj@example.cn"]
    finally:
        store.close()
