"""A real OIDC sign-in: `st.login` against an OpenID provider on loopback (oidc-provider-mock),
the dashboard served with sign-in configured over the fixture store. A national viewer, a
provincial viewer (province 11: pilots A and D), a provincial submitter (51: pilot B) and a
national reviewer each sign in through the provider's own page, land signed in with their name
shown, leave exactly one sign_in entry in the audit log, and see the Overview's counts of exactly
their pilots (the named query, filtered by hand to their province). The provincial viewer then
opens every page, and another province's pilot, and never sees one outside the province."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest

from pilotdash import audit, people
from pilotdash.scope import Scope
from pilotdash.store import open_store
from tests import fixtures
from tests.browser.conftest import ROOT, SERVER_START_TIMEOUT, Server, _free_port, _healthy, make_dash
from tests.browser.pages import app_pages, page_path

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]

# The provider's own login page styles itself from a CDN; blocked like everything outside
# loopback, that page still works unstyled. Nothing else may be asked for from outside.
PROVIDER_ASSETS = "https://cdn.jsdelivr.net/npm/@picocss/"
NATIONAL = ("wang@example.cn", "王国家")
PROVINCIAL = ("li@example.cn", "李北京")
SUBMITTER = ("zhao@example.cn", "赵成都")  # province 51: pilot B
REVIEWER = ("qian@example.cn", "钱审核")  # national


@pytest.fixture(scope="module")
def provider():
    """oidc-provider-mock on 127.0.0.1, in a thread of this process; the two people as its users."""
    oidc = pytest.importorskip(
        "oidc_provider_mock", reason="oidc-provider-mock is not installed (requirements-dev)"
    )
    import werkzeug.serving

    users = [
        oidc.User(sub=email, claims={"email": email, "name": name})
        for email, name in (NATIONAL, PROVINCIAL, SUBMITTER, REVIEWER)
    ]
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc.app(user_claims=users), threaded=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(10)
        server.server_close()


@pytest.fixture(scope="module")
def signed_server(provider, browser, tmp_path_factory):
    """`streamlit run app.py` with [auth] in a secrets file of its own (never the repository's),
    over the fixture store with the two people in it; stopped by its process group."""
    folder = tmp_path_factory.mktemp("sign_in")
    store_path = folder / "signin.duckdb"
    store = fixtures.make_store(store_path)
    try:
        admin = people.local_admin()
        people.add(store, admin, NATIONAL[0], NATIONAL[1], Scope.national(), ["viewer"])
        people.add(store, admin, PROVINCIAL[0], PROVINCIAL[1], Scope("provinces", ("11",)), ["viewer"])
        people.add(
            store, admin, SUBMITTER[0], SUBMITTER[1], Scope("provinces", ("51",)), ["viewer", "submitter"]
        )
        people.add(store, admin, REVIEWER[0], REVIEWER[1], Scope.national(), ["reviewer"])
    finally:
        store.close()
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{os.urandom(16).hex()}"\n'
        'client_id = "pilotdash"\n'
        'client_secret = "pilotdash-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    log_path = folder / "streamlit.log"
    with open(log_path, "w", encoding="utf-8") as log:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.port",
                str(port),
                "--server.address",
                "127.0.0.1",
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
                "--server.fileWatcherType",
                "none",
                "--server.runOnSave",
                "false",
                "--secrets.files",
                str(secrets),
            ],
            cwd=ROOT,
            env={**os.environ, "PILOTDASH_STORE": str(store_path), "PILOTDASH_CONFIG": str(secrets),
                 "PYTHONUNBUFFERED": "1"},
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + SERVER_START_TIMEOUT
            while not _healthy(url):
                if proc.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail(f"streamlit did not start: {log_path.read_text(encoding='utf-8')[-3000:]}")
                time.sleep(0.25)
            yield Server(url, store_path, log_path, demo=False)
        finally:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                if proc.poll() is not None:
                    break
                os.killpg(proc.pid, sig)
                try:
                    proc.wait(wait)
                except subprocess.TimeoutExpired:
                    continue


def sign_in(browser, server: Server, provider: str, email: str, name: str):
    """Open the dashboard signed out, press Sign in, choose `email` on the provider's page."""
    dash = make_dash(browser, server, f"sign-in-{email.split('@')[0]}")
    page = dash.open("/?lang=en")
    main = dash.main_text()
    assert "Sign in" in main and "Pilots" not in main, "signed out: the sign-in page and nothing else"
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{provider}/oauth2/authorize*")
    page.get_by_role("button", name=email, exact=True).click()
    page.wait_for_url(f"{server.url}/**")
    dash.wait_ready()
    return dash


def sign_ins(server: Server, email: str) -> int:
    store = open_store(server.store_path)
    try:
        return len(audit.entries(store, who=email, action="sign_in"))
    finally:
        store.close()


def overview_counts(dash) -> dict[str, str]:
    dash.page.goto(dash.server.url + f"/?lang=en&as_of={fixtures.AS_OF.isoformat()}")
    dash.wait_ready()
    shown = dash.metrics()
    return {
        key: shown[label]
        for key, label in (("projects", "Pilots"), ("red", "Red"), ("amber", "Amber"), ("green", "Green"))
    }


def by_hand(server: Server, province: list[str] | None) -> dict[str, str]:
    """overview_totals over the whole store, filtered by hand to `province` (None: every pilot)."""
    store = open_store(server.store_path)
    try:
        row = store.query("overview_totals", {"as_of": fixtures.AS_OF, "province": province}).iloc[0]
    finally:
        store.close()
    return {key: f"{int(row[key]):,}" for key in ("projects", "red", "amber", "green")}


def assert_only_provider_noise(dash, provider: str) -> None:
    """No console error and no request to the internet from the dashboard itself (the provider's
    login page is not ours)."""
    ours = [e for e in dash.console_errors if provider not in e and PROVIDER_ASSETS not in e]
    assert not ours, ours
    assert not [url for url in dash.blocked if not url.startswith(PROVIDER_ASSETS)], dash.blocked


@pytest.mark.parametrize(
    "who, province",
    [(NATIONAL, None), (PROVINCIAL, ["11"]), (SUBMITTER, ["51"]), (REVIEWER, None)],
    ids=["national-viewer", "provincial-viewer", "provincial-submitter", "national-reviewer"],
)
def test_sign_in_lands_signed_in_named_audited_once_and_sees_its_pilots(
    browser, signed_server, provider, who, province
):
    email, name = who
    dash = sign_in(browser, signed_server, provider, email, name)
    try:
        dash.assert_no_exception()
        main = dash.main_text()
        assert name in main and email in main, "the person's name is shown once signed in"
        assert sign_ins(signed_server, email) == 1
        counts = overview_counts(dash)  # another page run of the same session: no second entry
        assert sign_ins(signed_server, email) == 1
        expected = by_hand(signed_server, province)
        assert counts == expected
        if province:
            # by hand from tests/fixtures.py: A and D in 11, B in 51
            assert expected["projects"] == {"11": "2", "51": "1"}[province[0]]
            assert "1 of 31 provinces" in dash.main_text()
        links = dash.page.locator(
            '[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]'
        ).all_inner_texts()
        assert not any("Admin" in text for text in links), "a viewer has no admin page"
        dash.shot(f"sign-in-{email.split('@')[0]}")
        assert_only_provider_noise(dash, provider)
    finally:
        dash.context.close()


def test_a_viewer_at_the_admin_address_is_refused_in_words_and_audited(browser, signed_server, provider):
    """Typed by hand, /admin is not the Overview in disguise (issue 19): the address stays, the
    page says in the view's language that it is not theirs, and the policy records one refusal."""
    dash = sign_in(browser, signed_server, provider, *PROVINCIAL)
    try:
        dash.page.goto(dash.server.url + "/admin?lang=zh")
        dash.wait_ready()
        dash.assert_no_exception()
        assert "您无权打开“系统管理”页面" in dash.main_text()
        assert dash.page.url.split("?")[0].endswith("/admin")
        store = open_store(signed_server.store_path)
        try:
            refused = audit.entries(store, who=PROVINCIAL[0], refused=True)
        finally:
            store.close()
        assert refused[["action", "what"]].values.tolist() == [["people_manage", "page /admin"]]
    finally:
        dash.context.close()


def test_a_provincial_viewer_sees_only_the_province_on_every_page(browser, signed_server, provider):
    """Province 11 holds A and D (tests/fixtures.py); B (51) and C (14) must never be shown, on any
    page, and asking for B by its link says it is not in the scope."""
    outside = [name for pid, zh, en, *rest in fixtures.PROJECTS if rest[2] != "11" for name in (zh, en) if name]
    dash = sign_in(browser, signed_server, provider, *PROVINCIAL)
    try:
        # The words of every page (tables are drawn on a canvas: their rows and downloads are
        # checked per page in tests/pages/test_scope_pages.py).
        for url, _title in app_pages():
            if url == "admin":
                continue  # not in a viewer's navigation (and refused when opened: tests/pages)
            dash.page.goto(dash.server.url + page_path(url) + f"?lang=en&as_of={fixtures.AS_OF.isoformat()}")
            dash.wait_ready()
            dash.assert_no_exception()
            text = dash.main_text()
            assert "1 of 31 provinces" in text, url
            assert not [name for name in outside if name in text], url
        dash.page.goto(dash.server.url + "/project?lang=en&project=A")
        dash.wait_ready()
        assert "Beijing digital economy pilot" in dash.main_text()  # a pilot's name is in the words
        dash.page.goto(dash.server.url + "/project?lang=en&project=B")
        dash.wait_ready()
        text = dash.main_text()
        assert "not in your scope" in text.lower() and "Chengdu" not in text
        assert_only_provider_noise(dash, provider)
    finally:
        dash.context.close()
