"""Data page: single-user mode, the roles with sign-in configured (signed out: the sign-in page;
a viewer reads the history; a submitter uploads), and upload → preview → apply → rollback driven
by clicks (file uploader, buttons, radio, checkboxes) on the fixture store."""

import os

from pilotdash import people
from pilotdash.domain import TABLES
from pilotdash.markdown import escape as plain
from pilotdash.scope import Scope
from pilotdash.store import open_store
from tests.pages.conftest import sign_in_configured

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://login.example.cn/.well-known/openid-configuration"}


# Who is in the people table: ana submits (and reviews), boss only reads; both national.
PEOPLE = {"ana@example.cn": ("Ana", ("viewer", "submitter", "reviewer")), "boss@example.cn": ("Boss", ("viewer",))}


def with_sign_in(at, user: dict):
    """Sign-in configured, PEOPLE in the store (the test's PILOTDASH_STORE), `user` as st.user."""
    store = open_store(os.environ["PILOTDASH_STORE"])
    try:
        for email, (name, roles) in PEOPLE.items():
            if people.find(store, email) is None:
                people.add(store, people.local_admin(), email, name, Scope.national(), roles)
    finally:
        store.close()
    sign_in_configured(AUTH)
    at.secrets["auth"] = AUTH
    at.user = user
    return at


def add_person(path, email, roles, scope=None):
    """A person in the store at `path` (added by the local admin)."""
    store = open_store(path)
    try:
        people.add(store, people.local_admin(), email, email.split("@")[0], scope or Scope.national(), roles)
    finally:
        store.close()


BOSS = {"is_logged_in": True, "email": "boss@example.cn"}
ANA = {"is_logged_in": True, "email": "ana@example.cn"}
READINGS = b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,70\nA,I3,2026-12-31,4\n"


def texts(at):
    return " ".join(e.value for kind in (at.info, at.warning, at.error, at.success, at.caption) for e in kind)


def readings_value(path):
    store = open_store(path)
    try:
        return store.rows(
            "SELECT actual_value FROM readings WHERE project_id = 'A' AND indicator_code = 'P1' "
            "AND period_end = '2026-06-30'")[0][0]
    finally:
        store.close()


def test_single_user_mode_says_so(app):
    at = app("data", lang="en").run()
    assert not at.exception
    assert "Single-user mode" in texts(at)
    assert len(at.get("file_uploader")) == 1


def test_signed_out_user_gets_the_sign_in_page_only(app):
    at = app("data", lang="en")
    with_sign_in(at, {"is_logged_in": False})
    at.run()
    assert not at.exception
    assert [b.label for b in at.button] == ["Sign in"]
    assert len(at.get("file_uploader")) == 0 and len(at.dataframe) == 0 and len(at.tabs) == 0


def test_signed_in_viewer_cannot_upload(app):
    at = app("data", lang="zh")
    with_sign_in(at, BOSS)
    at.run()
    assert not at.exception
    assert "只有填报人员可以上传数据" in texts(at)
    assert len(at.get("file_uploader")) == 0


def test_a_person_not_in_the_people_table_is_told_to_ask_the_admin(app):
    at = app("data", lang="en")
    with_sign_in(at, {"is_logged_in": True, "email": "stranger@example.cn"})
    at.run()
    assert not at.exception
    assert "Ask your admin" in texts(at)
    assert [b.label for b in at.button] == ["Sign out"]
    assert len(at.get("file_uploader")) == 0 and len(at.dataframe) == 0


def test_submitter_is_allowed_and_named(app):
    at = app("data", lang="en")
    with_sign_in(at, {"is_logged_in": True, "email": "Ana@Example.cn"})
    at.run()
    assert not at.exception
    assert f"Signed in as {plain('ana@example.cn')}" in texts(at)  # anyone's words: escaped Markdown
    assert len(at.get("file_uploader")) == 1


def test_the_server_side_check_refuses_without_the_page(monkeypatch, fixture_store_path):
    import pytest
    import streamlit as st
    from pilotdash import policy
    from pilotdash.errors import Problem
    from pilotdash.ui import sign_in

    sign_in_configured(AUTH)
    store = open_store(fixture_store_path)
    people.add(store, people.local_admin(), "boss@example.cn", "Boss", Scope.national(), ["viewer"])
    for user in ({"is_logged_in": False}, {"is_logged_in": True, "email": "boss@example.cn"}):
        monkeypatch.setattr(st, "user", type("U", (), {**user, "get": lambda self, k, d=None: getattr(self, k, d)})())
        with pytest.raises(Problem):
            policy.require(store, sign_in.current(store), "submit")
    store.close()


def test_preview_and_history(app, fixture_store_path):
    from pilotdash.ingest.apply import apply
    from pilotdash.ingest.plan import prepare

    # A plan made outside the page (as the CLI would) shows the same way; an apply made outside
    # the page shows in its history. The clicked path is tested below.
    store = open_store(fixture_store_path)
    plan = prepare(store, "readings.csv", READINGS)
    at = app("data", lang="en")
    at.session_state["data_plan"] = plan
    at.run()
    assert not at.exception
    shown = {m.label: m.value for m in at.metric}
    assert (shown["New rows"], shown["Updated rows"], shown["Rejected rows"]) == ("1", "1", "0")
    assert "Apply to the store" in [b.label for b in at.button]

    apply(store, plan, "ana")
    store.close()
    at = app("data", lang="en").run()
    assert not at.exception
    assert at.selectbox(key="data_rollback_id").value == 1
    assert "Roll back upload" in [b.label for b in at.button]


def test_templates_download(app):
    at = app("data", lang="zh").run()
    assert not at.exception
    assert len([b for b in at.get("download_button")]) >= 4


# Click-through: the page driven like an analyst (file uploader, buttons, radio, checkboxes). -----

UPLOAD = b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,85\nA,I3,2026-12-31,4\n"
BAD = ("项目编号,指标代码,统计期末,实际值\n"
       "A,P1,2026-13-01,70\n"        # row 2: not a date
       "Z,P1,2026-06-30,1\n"          # row 3: no such project
       "B,I3,2026年9月30日,-5\n"       # row 4: below 0
       "B,I3,2026/12/31,\"1,234\"\n"  # row 5: fine (new)
       ).encode("gb18030")


def checksums(path):
    store = open_store(path)
    try:
        return {t: store.table_checksum(t) for t in TABLES}
    finally:
        store.close()


def uploads(path):
    store = open_store(path)
    try:
        return store.rows("SELECT upload_id, status, inserted, updated, rejected, mode FROM upload_log "
                                      "ORDER BY upload_id")
    finally:
        store.close()


def targets_met(app):
    at = app(lang="en", as_of="2026-06-30").run()
    assert not at.exception
    return {m.label: m.value for m in at.metric}["Targets met"]


def choose_file(at, name, data):
    at.file_uploader(key="data_file").set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception
    at.button(key="data_preview").click().run()
    assert not at.exception
    return at


def counts(at):
    return {m.label: m.value for m in at.metric}


def test_upload_apply_and_roll_back_by_clicks(app, fixture_store_path):
    before, met_before = checksums(fixture_store_path), targets_met(app)

    at = choose_file(app("data", lang="en").run(), "readings_2026Q3.csv", UPLOAD)
    shown = counts(at)
    assert (shown["New rows"], shown["Updated rows"], shown["Unchanged rows"], shown["Rejected rows"]) == ("1", "1", "0", "0")
    assert "readings" in texts(at).lower() or "实际值" in texts(at)
    assert not at.button(key="data_apply").disabled
    assert checksums(fixture_store_path) == before  # a preview writes nothing

    at.button(key="data_apply").click().run()
    assert not at.exception
    assert "Upload #1 applied: 1 new, 1 updated." in [s.value for s in at.success]
    # the preview and its primary button are gone once applied
    assert not [b for b in at.button if b.key in ("data_apply", "data_apply_valid")]
    assert not [m for m in at.metric if m.label == "New rows"]
    assert readings_value(fixture_store_path) == 85
    assert uploads(fixture_store_path) == [(1, "applied", 1, 1, 0, "clean_only")]
    assert targets_met(app) != met_before  # the Overview shows the new numbers

    at = app("data", lang="en").run()
    assert at.selectbox(key="data_rollback_id").value == 1
    assert at.button(key="data_rollback").disabled  # until the analyst confirms
    at.checkbox(key="data_rollback_sure").check().run()
    assert not at.button(key="data_rollback").disabled
    at.button(key="data_rollback").click().run()
    assert not at.exception
    assert "Rolled back: #1." in [s.value for s in at.success]
    # the history says so at once, with who rolled back and when (Asia/Shanghai time)
    log = next(d.value for d in at.dataframe if "Rolled back by" in d.value.columns)
    assert log.iloc[0]["Status"] != "Applied" and log.iloc[0]["Rolled back by"]
    assert log.iloc[0]["Rolled back"].startswith("20")
    assert checksums(fixture_store_path) == before
    assert uploads(fixture_store_path)[0][1] == "rolled_back"
    assert targets_met(app) == met_before


def test_the_analyst_is_answered_before_the_scores_and_warnings_follow(app, fixture_store_path):
    # What follows an upload (pilotdash.events) runs after the answer, in the background; the
    # pages say so meanwhile and the follow-up still runs, once, for every table.
    import threading

    from pilotdash import events
    from pilotdash.i18n import t

    gate, ran = threading.Event(), []

    def slow(store, deliver, tables):
        gate.wait(60)
        ran.append(tables)

    kept = list(events._subscribers)
    events._subscribers.append(slow)
    try:
        at = choose_file(app("data", lang="en").run(), "readings_2026Q3.csv", UPLOAD)
        at.button(key="data_apply").click().run()
        assert not at.exception
        assert "Upload #1 applied: 1 new, 1 updated." in [s.value for s in at.success]
        assert readings_value(fixture_store_path) == 85  # stored before the answer
        assert events.following() and ran == []
        at = app("data", lang="en").run()
        assert t("data.following", "en") in texts(at)
        # said once, by the notice that looks again and goes when the follow-up is done: the
        # page frame's copy of it stayed on the Data page (which is not run again) after it was
        assert [c.value for c in at.caption].count(t("data.following", "en")) == 1
        at = app("data", lang="zh").run()
        assert t("data.following", "zh") in texts(at)
        gate.set()
        events.settle()
        assert ran == [()] and not events.following()
        assert t("data.following", "en") not in texts(app("data", lang="en").run())
    finally:
        gate.set()
        events.settle()
        events._subscribers[:] = kept


def test_bad_file_shows_each_row_error_and_cannot_be_applied(app, fixture_store_path):
    before = checksums(fixture_store_path)
    at = choose_file(app("data", lang="en").run(), "实际值.csv", BAD)
    shown = counts(at)
    assert (shown["New rows"], shown["Rejected rows"]) == ("1", "3")
    report = at.dataframe[0].value
    lines = {(int(r["Row"]), r["Column"], r["Value"]): r["Reason"] for _, r in report.iterrows()}
    assert lines[(2, "period_end", "2026-13-01")].startswith("Not a date")
    assert lines[(3, "project_id", "Z")].startswith("No such project")
    assert lines[(4, "actual_value", "-5.0")] == "Must not be below 0."
    assert "3 of 4 rows were rejected. You can apply the 1 valid rows now" in texts(at)
    assert "Apply to the store" not in [b.label for b in at.button]  # only the valid rows, by their own button
    assert at.button(key="data_apply_valid").label == "Apply the 1 valid rows, skip the 3 rejected"
    labels = [b.label for b in at.get("download_button")]
    assert "Download the error report (CSV)" in labels and "Download the 3 rejected rows to fix (CSV)" in labels

    assert checksums(fixture_store_path) == before and uploads(fixture_store_path) == []


def test_apply_valid_rows_skips_the_rejected_ones(app, fixture_store_path):
    at = choose_file(app("data", lang="zh").run(), "实际值.csv", BAD)
    at.button(key="data_apply_valid").click().run()
    assert not at.exception
    assert "上传 #1 已导入：新增 1 行，更新 0 行。" in [s.value for s in at.success]
    assert uploads(fixture_store_path) == [(1, "applied", 1, 0, 3, "valid_rows")]


def test_a_viewer_sees_history_read_only(app, fixture_store_path):
    at = choose_file(app("data", lang="en").run(), "readings.csv", UPLOAD)
    at.button(key="data_apply").click().run()
    assert uploads(fixture_store_path)[0][1] == "applied"
    before = checksums(fixture_store_path)
    add_person(fixture_store_path, "boss@example.cn", ["viewer"])

    at = app("data", lang="en")
    with_sign_in(at, BOSS)
    at.run()
    assert not at.exception
    assert "only submitters may upload" in texts(at)
    assert len(at.get("file_uploader")) == 0
    assert len(at.dataframe) == 1  # the history, read-only
    labels = [b.label for b in at.button]
    assert "Roll back upload" not in labels and "Apply to the store" not in labels
    assert not [s for s in at.selectbox if s.key == "data_rollback_id"]
    assert checksums(fixture_store_path) == before


def test_signing_out_after_a_preview_takes_the_submit_button_away(app, fixture_store_path):
    add_person(fixture_store_path, "ana@example.cn", ["submitter"])
    add_person(fixture_store_path, "boss@example.cn", ["viewer"])
    at = app("data", lang="en")
    with_sign_in(at, ANA)
    at.run()
    choose_file(at, "readings.csv", UPLOAD)
    assert counts(at)["New rows"] == "1" and "Submit for review" in [b.label for b in at.button]
    before = checksums(fixture_store_path)
    at.user = BOSS
    at.run()
    assert not at.exception
    assert not {"Submit for review", "Apply to the store"} & {b.label for b in at.button}
    assert checksums(fixture_store_path) == before and uploads(fixture_store_path) == []


# Issue 15: what the analyst reads after a check ---------------------------------------------------

def test_a_clean_update_opens_on_the_tab_that_has_rows(app):
    at = choose_file(app("data", lang="en").run(), "readings.csv",
                     b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,71\n")
    shown = counts(at)
    assert (shown["New rows"], shown["Updated rows"]) == ("0", "1")
    tabs = [tab for tab in at.tabs if tab.label.startswith(("New rows", "Updated rows", "Unchanged rows", "Rejected"))]
    assert [tab.label for tab in tabs] == ["New rows (0)", "Updated rows (1)", "Unchanged rows (0)", "Rejected rows (0)"]
    preview = [opened for labels, opened in open_tabs(at) if labels[0].startswith("New rows")]
    assert preview == ["Updated rows (1)"]
    assert "Apply to the store" in [b.label for b in at.button]


def open_tabs(at):
    """For each tab bar of the page: its tab labels and the label of the tab it opens on."""
    from streamlit.proto.Block_pb2 import Block

    bars = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if isinstance(proto, Block) and proto.WhichOneof("type") == "tab_container":
            labels = [child.label for child in node.children.values()]
            bars.append((labels, labels[proto.tab_container.default_tab_index]))
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return bars


def test_a_file_whose_every_row_is_rejected_does_not_say_nothing_to_change(app, fixture_store_path):
    at = choose_file(app("data", lang="en").run(), "readings.csv",
                     b"project_id,indicator_code,period_end,actual_value\nZ,P1,2026-06-30,1\nA,P1,2026-13-01,2\n")
    assert "Nothing to change" not in texts(at)
    assert "Every row of this file was rejected (2 rows): nothing can be applied." in texts(at)
    assert "Download the 2 rejected rows to fix (CSV)" in [b.label for b in at.get("download_button")]
    assert not [b for b in at.button if b.key in ("data_apply", "data_apply_valid")]
    assert uploads(fixture_store_path) == []


def test_a_file_fitting_no_table_says_why_in_full_and_no_none(app):
    at = choose_file(app("data", lang="en").run(), "notes.csv", b"colour,size\nred,3\n")
    errors = [e.value for e in at.error]
    assert any(e.startswith("The headers do not fit any table.") and
               e.endswith("Choose the table, or compare the headers with the template.") for e in errors)
    for frame in at.dataframe:
        assert "None" not in frame.value.astype(str).to_numpy().tolist()


def test_a_header_only_file_is_refused_on_the_page(app, fixture_store_path):
    at = choose_file(app("data", lang="zh").run(), "readings.csv", "项目编号,指标代码,统计期末,实际值\n".encode("gbk"))
    assert any("只有标题行，没有数据行" in e.value for e in at.error)
    assert "Apply to the store" not in [b.label for b in at.button] and "确认导入" not in [b.label for b in at.button]
    assert uploads(fixture_store_path) == []


def test_the_preview_says_the_encoding(app):
    at = choose_file(app("data", lang="en").run(), "readings.csv",
                     "项目编号,指标代码,统计期末,实际值\nA,P1,2026-06-30,71\n".encode("gbk"))
    assert "read as GB18030/GBK (Chinese Excel)" in texts(at)


def test_a_portal_export_says_what_it_is_with_the_template_one_click_away(app):
    from tests.ingest.test_field_files import PORTAL

    at = choose_file(app("data", lang="en").run(), "分省年度数据.csv", PORTAL)
    message = " ".join(e.value for e in at.error)
    assert "statistics-portal export" in message and "readings template" in message
    assert "Unknown column" not in message
    assert "Download the readings template (CSV)" in [b.label for b in at.get("download_button")]


def test_renamed_city_apply_the_valid_rows_then_the_fixed_rejected_rows(app, fixture_store_path):
    from tests.ingest.test_field_files import PROJECTS_WITH_PROBLEMS

    at = choose_file(app("data", lang="zh").run(), "projects_2026.csv", PROJECTS_WITH_PROBLEMS)
    assert at.button(key="data_apply_valid").label == "导入 2 行有效数据，跳过 2 行被拒绝的数据"
    plan = at.session_state["data_plan"]
    rejected = plan.rejected_file("zh")
    at.button(key="data_apply_valid").click().run()
    assert not at.exception
    assert "上传 #1 已导入：新增 2 行，更新 0 行。" in [s.value for s in at.success]

    fixed = rejected.decode("utf-8-sig").replace(",襄樊,襄樊,", ",42,襄阳,").replace(",,某市,", ",湖北,某市,")
    at = choose_file(app("data", lang="zh").run(), plan.rejected_file_name(), fixed.encode("utf-8-sig"))
    assert (counts(at)["新增行"], counts(at)["拒绝行"]) == ("2", "0")
    at.button(key="data_apply").click().run()
    assert not at.exception
    assert uploads(fixture_store_path) == [(1, "applied", 2, 0, 2, "valid_rows"), (2, "applied", 2, 0, 0, "clean_only")]
