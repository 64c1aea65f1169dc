"""Admin page: only for admins (in the navigation, when the page is opened directly, and in each
action), people added / changed / disabled by the form with every change audited, the audit log
filtered and downloaded; the sign-in audited once per session."""

import pytest

from pilotdash.errors import Problem
from streamlit.testing.v1 import AppTest

from pilotdash import audit, people
from pilotdash.scope import Scope
from pilotdash.store import ROOT, open_store
from tests.pages.conftest import sign_in_configured

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "id",
    "client_secret": "secret",
    "server_metadata_url": "https://login.example.cn/.well-known/openid-configuration",
}
BOSS = {"is_logged_in": True, "email": "boss@example.cn", "name": "Boss"}
LI = {"is_logged_in": True, "email": "li@example.cn", "name": "Li"}


@pytest.fixture
def store(fixture_store_path):
    s = open_store(fixture_store_path)
    people.add(s, people.local_admin(), "boss@example.cn", "Boss", Scope.national(), ["admin"])
    people.add(
        s, people.local_admin(), "li@example.cn", "Li", Scope("provinces", ("11",)), ["viewer", "reviewer"]
    )
    yield s
    s.close()


def signed_in(at, user):
    sign_in_configured(AUTH)
    at.secrets["auth"] = AUTH
    at.user = user
    return at


def texts(at):
    return " ".join(e.value for kind in (at.info, at.warning, at.error, at.success, at.caption) for e in kind)


def admin_link_shown(at) -> bool:
    return any("admin" in str(link.proto.page) for link in at.get("page_link"))


def test_single_user_mode_is_admin_and_says_so(app, store):
    at = app("admin", lang="en").run()
    assert not at.exception
    assert "Single-user mode" in texts(at)
    assert admin_link_shown(at)
    assert len(at.dataframe) == 2  # people, audit log (the fixture has two people)


def test_the_admin_link_is_for_admins_only(app, store):
    at = signed_in(app("overview", lang="en"), LI).run()
    assert not at.exception and not admin_link_shown(at)
    at = signed_in(app("overview", lang="en"), BOSS).run()
    assert not at.exception and admin_link_shown(at)


@pytest.mark.parametrize("lang,words", [("en", "You may not open the page “Admin”"), ("zh", "您无权打开“系统管理”页面")])
def test_a_non_admin_at_the_admin_address_is_told_so_in_their_language_and_audited(app, store, lang, words):
    """Not the Overview in its place (issue 19): the refusal, in the view's language, and one
    audit entry marked refused, recorded by the policy."""
    at = signed_in(app("admin", lang=lang), LI).run()
    assert not at.exception
    assert words in " ".join(e.value for e in at.error)
    assert len(at.metric) == 0 and len(at.dataframe) == 0 and len(at.get("form")) == 0  # no page drawn
    assert not admin_link_shown(at)
    refused = audit.entries(store, refused=True)
    assert refused[["who", "action", "what"]].values.tolist() == [["li@example.cn", "people_manage", "page /admin"]]


@pytest.mark.parametrize(
    "user", [LI, {"is_logged_in": False}, {"is_logged_in": True, "email": "x@example.cn"}]
)
def test_the_page_run_directly_refuses_anyone_but_an_admin(store, user, monkeypatch, fixture_store_path):
    at = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=60)
    signed_in(at, user).run()
    assert not at.exception
    assert len(at.dataframe) == 0 and len(at.get("form")) == 0 and len(at.text_input) == 0
    assert "只有管理员可以打开此页面。" in texts(at) or "请登录" in texts(at)


def test_people_add_change_disable_by_the_form(app, store):
    at = signed_in(app("admin", lang="en"), BOSS).run()
    assert r"Signed in as Boss (boss\@example\.cn)" in texts(at)  # the e-mail as Markdown-escaped text
    at.text_input(key="admin_add_email").input("Wang@Example.cn")
    at.text_input(key="admin_add_name").input("王五")
    at.selectbox(key="admin_add_kind_en").select("projects")
    at.text_input(key="admin_add_codes").input("A, B")
    at.multiselect(key="admin_add_roles_en").select("submitter")
    next(b for b in at.get("form_submit_button") if b.label == "Add").click().run()
    assert not at.exception
    assert "wang@example.cn is added." in texts(at)
    wang = people.find(store, "wang@example.cn")
    assert wang.scope == Scope("projects", ("A", "B")) and wang.roles == {"submitter"}

    # A bad code says which, and changes nothing.
    at.text_input(key="admin_add_email").input("zhao@example.cn")
    at.text_input(key="admin_add_name").input("赵")
    at.selectbox(key="admin_add_kind_en").select("provinces")
    at.text_input(key="admin_add_codes").input("11, 99")
    at.multiselect(key="admin_add_roles_en").select("viewer")
    next(b for b in at.get("form_submit_button") if b.label == "Add").click().run()
    assert "Unknown province code(s): 99" in texts(at) and people.find(store, "zhao@example.cn") is None

    at.selectbox(key="admin_pick").select("wang@example.cn").run()
    at.multiselect(key="admin_set_wang@example.cn_roles_en").select("reviewer")
    next(b for b in at.get("form_submit_button") if b.label == "Save").click().run()
    assert not at.exception and "wang@example.cn is changed." in texts(at)
    assert people.find(store, "wang@example.cn").roles == {"submitter", "reviewer"}

    at.selectbox(key="admin_pick").select("wang@example.cn").run()
    at.button(key="admin_disable").click().run()
    assert not at.exception and people.find(store, "wang@example.cn").disabled
    actions = audit.entries(store, who="boss@example.cn")["action"].tolist()
    assert actions == ["people_disable", "people_set", "people_add", "sign_in"]


def test_an_admin_who_lost_the_role_cannot_act_with_the_open_page(app, store):
    at = signed_in(app("admin", lang="en"), BOSS).run()
    people.add(store, people.local_admin(), "deputy@example.cn", "Deputy", Scope.national(), ["admin"])
    people.set_person(store, people.local_admin(), "boss@example.cn", roles=["viewer"])
    at.text_input(key="admin_add_email").input("wang@example.cn")
    at.text_input(key="admin_add_name").input("王五")
    at.multiselect(key="admin_add_roles_en").select("viewer")
    next(b for b in at.get("form_submit_button") if b.label == "Add").click().run()
    assert not at.exception
    assert people.find(store, "wang@example.cn") is None  # the click replayed after the change: refused
    assert not admin_link_shown(at) and not [t for t in at.text_input if t.key == "admin_add_email"]


def test_the_page_itself_refuses_a_replayed_click_of_a_former_admin(store, monkeypatch):
    # The page run directly (no navigation in front of it): its own check, read afresh, refuses.
    at = AppTest.from_file(str(ROOT / "pages" / "admin.py"), default_timeout=60)
    signed_in(at, BOSS).run()
    assert [t for t in at.text_input if t.key == "admin_add_email"]
    people.add(store, people.local_admin(), "deputy@example.cn", "Deputy", Scope.national(), ["admin"])
    people.set_person(store, people.local_admin(), "boss@example.cn", roles=["viewer"])
    at.text_input(key="admin_add_email").input("wang@example.cn")
    at.text_input(key="admin_add_name").input("王五")
    at.multiselect(key="admin_add_roles_zh").select("viewer")
    next(b for b in at.get("form_submit_button")).click().run()
    assert not at.exception
    assert people.find(store, "wang@example.cn") is None
    assert "只有管理员可以打开此页面。" in texts(at)


def test_the_audit_log_is_filtered_and_downloaded_and_the_sign_in_counted_once(app, store, downloads):
    audit.record(store, "li@example.cn", "download", "funds_2026-06-30.csv", Scope("provinces", ("11",)))
    at = signed_in(app("admin", lang="zh"), BOSS).run()
    at.run()  # a second run of the same session: no second sign-in entry
    assert audit.entries(store, action="sign_in")["who"].tolist() == ["boss@example.cn"]
    at.selectbox(key="audit_who_zh").select("li@example.cn").run()
    assert not at.exception
    log = at.dataframe[1].value
    assert log["对象"].tolist() == ["funds_2026-06-30.csv"] and log["操作"].tolist() == ["下载"]
    assert log["范围代码"].tolist() == ["11"]
    csv = downloads(at, "audit_download").decode("utf-8-sig")
    assert "funds_2026-06-30.csv" in csv and "people_add" not in csv
    # Downloading the log is itself audited.
    assert (
        audit.entries(store, action="download", who="boss@example.cn")["what"]
        .str.startswith("audit_log_")
        .all()
    )


def test_every_download_export_and_report_leaves_one_entry_in_the_scope(app, store, downloads):
    # Li (province 11) downloads the attention table (CSV, Excel), a chart (SVG) and the report.
    at = signed_in(app("overview", lang="en", as_of="2026-06-30"), LI).run()
    assert not at.exception
    before = len(audit.entries(store))
    svg = next(b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button") if "-svg_" in b.proto.id)
    for key in ("dl_attention", "xlsx_attention", svg, "dl_report"):
        downloads(at, key)
    entries = audit.entries(store).head(len(audit.entries(store)) - before)
    assert sorted(entries["action"]) == ["download", "download", "export", "report"]
    assert set(entries["who"]) == {"li@example.cn"} and set(entries["scope_kind"]) == {"provinces"}
    assert {tuple(c) for c in entries["scope_codes"]} == {("11",)}
    whats = set(entries["what"])
    assert {"attention_2026-06-30.csv", "attention_2026-06-30.xlsx", "report_overview_2026-06-30.html"} <= whats
    # Drawing the page (the buttons) records nothing: only a fetched file does.
    at.run()
    assert len(audit.entries(store)) == before + 4


def test_a_refused_change_is_in_the_log_marked_and_found_by_the_refused_filter(app, store):
    """A former admin's replayed click changes nothing and is one refused entry (issue 19); the
    admin who remains finds it with the log's refused filter."""
    at = signed_in(app("admin", lang="en"), BOSS).run()
    people.add(store, people.local_admin(), "deputy@example.cn", "Deputy", Scope.national(), ["admin"])
    people.set_person(store, people.local_admin(), "boss@example.cn", roles=["viewer"])
    # The change itself, asked of the policy, is refused and audited.
    with pytest.raises(Problem):
        people.add(store, people.find(store, "boss@example.cn"), "wang@example.cn", "王五", Scope.national(), ["viewer"])
    assert people.find(store, "wang@example.cn") is None
    refused = audit.entries(store, refused=True)
    assert refused[["who", "action"]].values.tolist() == [["boss@example.cn", "people_manage"]]
    deputy = signed_in(app("admin", lang="en"), {"is_logged_in": True, "email": "deputy@example.cn"}).run()
    deputy.selectbox(key="audit_refused_en").select(True).run()
    assert not deputy.exception
    log = deputy.dataframe[1].value
    assert log["Action"].tolist() == ["people managed"] and log["Refused"].tolist() == ["refused"]
