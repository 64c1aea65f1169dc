"""Through nginx, under the base path, on two replicas over one lake, in headless Chromium (as
tests/browser does): every page draws; a share link carries the base path and opens the same view
on the other replica; an upload applied on replica A shows on replica B at its next page run, and
its rollback likewise; PostgreSQL restarted under the running app gives a retrying notice, then the
page comes back by itself."""

from __future__ import annotations

import re
import time
import urllib.request

import pytest

from pilotdash.i18n import t
from tests.browser import conftest as browser_conftest
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, Server, close_dashes, make_dash
from tests.browser.pages import app_pages, page_path
from tests.browser.test_data import HEADERS_EN, _csv, apply_upload, roll_back, upload
from tests.browser.test_meetings import share_link

pytestmark = [pytest.mark.browser, pytest.mark.timeout(600)]

# Under a base path, opening a page's own URL (/pilot/funds) makes Streamlit's frontend probe
# /pilot/funds/_stcore/health first (in case that is the base path), then /pilot/_stcore/health:
# the first probe's 404 is how it finds out (the same as tests/browser's BENIGN_CONSOLE entry, one
# path segment deeper).
_PROBE = (r"Failed to load resource: the server responded with a status of 404 \(Not Found\) "
          r"\(http://127\.0\.0\.1:\d+/pilot/[\w-]+/_stcore/(health|host-config)\)$",
          "Streamlit's base-path probe, under the /pilot/ base path")


@pytest.fixture(scope="module")
def browser(served, pw):
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing")
    browser_conftest.BENIGN_CONSOLE.append(_PROBE)
    chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
    try:
        yield chromium
    finally:
        chromium.close()
        browser_conftest.BENIGN_CONSOLE.remove(_PROBE)


def _replica_of(served, cookie: str) -> str:
    request = urllib.request.Request(served.url + "_stcore/health", headers={"Cookie": f"pilotdash_route={cookie}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["X-Pilotdash-Replica"]


@pytest.fixture(scope="module")
def routes(served) -> dict[str, str]:
    """A routing cookie value for each replica: {'A': value, 'B': value}."""
    found: dict[str, str] = {}
    for i in range(64):
        found.setdefault(_replica_of(served, f"r{i}"), f"r{i}")
        if len(found) == 2:
            break
    assert len(found) == 2, found
    a, b = sorted(found)
    return {"A": found[a], "B": found[b], "A_addr": a, "B_addr": b}


@pytest.fixture
def on(browser, served, routes, request):
    """on('A') / on('B'): a browser context whose requests nginx sends to that replica."""
    made = []
    server = Server(served.url.rstrip("/"), None, served.folder / "logs" / "replica1.log", True)

    def make(replica: str):
        dash = make_dash(browser, server, f"{request.node.name}-{replica}")
        dash.context.add_cookies([{"name": "pilotdash_route", "value": routes[replica], "url": served.url}])
        made.append(dash)
        return dash

    yield make
    errors = close_dashes(made, blocked=True)
    tracebacks = "Traceback (most recent call last)" in served.replica_logs()
    if errors or tracebacks:
        pytest.fail("\n".join(errors) + ("\nserver traceback:\n" + served.replica_logs()[-3000:] if tracebacks else ""))


def _pilots(dash) -> int:
    dash.open("/?lang=en")
    dash.assert_clean()
    return int(dash.metrics()[t("overview.projects", "en")].replace(",", ""))


def test_every_page_draws_through_the_proxy(on):
    a, b = on("A"), on("B")
    for i, (url, title) in enumerate(app_pages()):
        dash = (a, b)[i % 2]  # half the pages on each replica
        dash.open(f"{page_path(url)}?lang=en")
        dash.assert_clean()
        assert dash.title() == t(title, "en"), url
        assert dash.path().startswith("/pilot/"), dash.page.url
    a.shot("proxy-last-page-A")


def test_a_share_link_has_the_base_path_and_opens_the_same_view_on_the_other_replica(on, served):
    a = on("A")
    a.open("/funds?lang=en&belt=west")
    shown = a.metrics()
    link = share_link(a)
    assert link.startswith(served.url + "funds?"), f"the link keeps the host, port and /pilot/: {link}"
    assert "belt=west" in link and "as_of=" in link, link
    b = on("B")
    b.open(link.removeprefix(served.url.rstrip("/")))
    b.assert_clean()
    assert b.title() == a.title() and b.metrics() == shown
    assert b.params()["belt"] == "west"


NEW_PILOT = ["PJ-PROXY-0001", "代理测试试点", "Proxy test pilot", "digital_economy", "basic", "33", "杭州",
             "杭州市数据资源管理局", "2026", "2026-01-01", "2029-12-31", "active"]


def test_an_upload_on_replica_a_shows_on_replica_b_at_its_next_run(on, tmp_path):
    a, b = on("A"), on("B")
    before = _pilots(b)
    file = tmp_path / "proxy_new_pilot.csv"
    file.write_bytes(_csv(HEADERS_EN, [NEW_PILOT]))
    counts = upload(a, file)  # through nginx: the upload request passes XSRF and the body limit
    assert counts[t("data.inserts", "en")] == "1", counts
    apply_upload(a)
    applied = time.monotonic()
    b.act(lambda: b.page.reload())  # B's next page run, in the same browser session
    seen = time.monotonic() - applied
    assert int(b.metrics()[t("overview.projects", "en")].replace(",", "")) == before + 1
    print(f"replica B showed replica A's upload {seen:.2f} s after it was applied (page reload included)")
    roll_back(a, file.name)
    b.act(lambda: b.page.reload())
    assert int(b.metrics()[t("overview.projects", "en")].replace(",", "")) == before


def test_postgresql_restarted_under_the_app_gives_a_notice_then_recovers(on, pg, served):
    """Last in this module: it stops the session's PostgreSQL (and starts it again)."""
    b = on("B")
    b.open("/regions?lang=en")
    title = b.title()
    pg.stop()
    try:
        b.page.reload()
        notice = b.page.locator('[data-testid="stAlertContainer"]').filter(
            has_text=t("hosting.store_unavailable", "en"))
        notice.wait_for(timeout=60_000)
        text = notice.inner_text()
        assert t("hosting.store_unavailable", "zh") in text, "both languages: the language is in the store"
        b.shot("proxy-store-unavailable")
    finally:
        pg.start()
    # No reload, no restart: the page's own retry brings it back.
    try:
        b.page.wait_for_function(
            "(t) => [...document.querySelectorAll('[data-testid=\"stMain\"] h1')].some(h => h.innerText.trim() === t)",
            arg=title, timeout=60_000)
    except Exception:
        b.shot("proxy-store-not-recovered")
        pytest.fail("the page did not come back within 60 s of PostgreSQL's start; replica logs:\n"
                    + served.replica_logs()[-5000:])
    b.wait_ready()
    b.assert_no_exception()
    assert b.metrics(), "the numbers are back"
    assert not b.page.locator('[data-testid="stAlertContainer"]').filter(
        has_text=t("hosting.store_unavailable", "en")).count()
