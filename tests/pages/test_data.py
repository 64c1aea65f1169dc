"""Data page: single-user mode, the analyst gate with sign-in configured, upload → preview →
apply → rollback on the fixture store."""

from pilotdash.store import open_store

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://login.example.cn/.well-known/openid-configuration"}
READINGS = b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,70\nA,I3,2026-12-31,4\n"


def texts(at):
    return " ".join(e.value for kind in (at.info, at.warning, at.error, at.success, at.caption) for e in kind)


def readings_value(path):
    store = open_store(path)
    try:
        return store.cursor().execute(
            "SELECT actual_value FROM readings WHERE project_id = 'A' AND indicator_code = 'P1' "
            "AND period_end = '2026-06-30'").fetchall()[0][0]
    finally:
        store.close()


def test_single_user_mode_says_so(app):
    at = app("data", lang="en").run()
    assert not at.exception
    assert "Single-user mode" in texts(at)
    assert len(at.get("file_uploader")) == 1


def test_signed_out_user_is_read_only(app):
    at = app("data", lang="en")
    at.secrets["auth"] = AUTH
    at.secrets["pilotdash"] = {"analysts": ["ana@example.cn"]}
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert "only analysts on the configured list" in texts(at)
    assert len(at.get("file_uploader")) == 0
    assert "Sign in" in [b.label for b in at.button]
    assert "Apply to the store" not in [b.label for b in at.button]


def test_signed_in_non_analyst_cannot_upload(app):
    at = app("data", lang="zh")
    at.secrets["auth"] = AUTH
    at.secrets["pilotdash"] = {"analysts": ["ana@example.cn"]}
    at.user = {"is_logged_in": True, "email": "boss@example.cn"}
    at.run()
    assert not at.exception
    assert "只有名单中的数据分析人员" in texts(at)
    assert len(at.get("file_uploader")) == 0


def test_analyst_is_allowed_and_named(app):
    at = app("data", lang="en")
    at.secrets["auth"] = AUTH
    at.secrets["pilotdash"] = {"analysts": ["Ana@Example.cn"]}
    at.user = {"is_logged_in": True, "email": "ana@example.cn"}
    at.run()
    assert not at.exception
    assert "Signed in as ana@example.cn" in texts(at)
    assert len(at.get("file_uploader")) == 1


def test_the_server_side_check_refuses_without_the_page(monkeypatch):
    import pytest
    import streamlit as st

    from pilotdash import access
    from streamlit.runtime.secrets import Secrets

    secrets = Secrets()
    secrets._secrets = {"auth": AUTH, "pilotdash": {"analysts": ["ana@example.cn"]}}
    monkeypatch.setattr(st, "secrets", secrets)
    monkeypatch.setattr(st, "user", type("U", (), {"is_logged_in": False, "get": lambda self, k, d=None: d})())
    with pytest.raises(access.AccessDenied):
        access.require_analyst()


def test_preview_and_history(app, fixture_store_path):
    from pilotdash.ingest.apply import apply
    from pilotdash.ingest.plan import prepare

    # AppTest cannot drive st.file_uploader, and button clicks do not reach this app under
    # AppTest (see the report); the page's plan is put in session state, the apply done directly.
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
