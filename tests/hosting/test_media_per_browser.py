"""A download is served only to the browser that made it (issue 20), through nginx as `serve`
configures it (pilotdash/hosting/serve.py `nginx_site`, pilotdash/hosting/media.py).

One Streamlit process over the fixture store (single-user) behind nginx on loopback. Browser A
downloads a table as CSV. Its /media URL is then asked for by: a client without cookies, a client
with another routing cookie, browser B (its own session and cookie), and, last, a client holding
A's cookie. Only the last gets the file; every other gets Streamlit's own "not found", the same
bytes as for a file that does not exist.

B opens the page at a desktop's width, in one script run. Streamlit 1.67 keeps a made (deferred)
download through one sweep of its media files only, and every finished run of any session sweeps:
a page open of two runs (a phone's width report, session 9's first-run cut) deletes A's file before
the last request, whoever asks (bench/results/first_number.md).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pilotdash.hosting import media, serve
from pilotdash.i18n import t
from pilotdash.store import ROOT
from tests import fixtures
from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS, _free_port

BASE = "/pilot/"


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(5)


def _get(url: str, cookie: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    try:
        with urllib.request.urlopen(request, timeout=20) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as err:
        return err.code, err.read()
    except OSError:  # not listening yet
        return 0, b""


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    """http://127.0.0.1:P/pilot/ : nginx (serve's site) in front of one `streamlit run app.py`."""
    if not serve.NGINX.exists() or not CHROMIUM.exists():
        pytest.skip("nginx or chromium is missing (python3 dev.py test installs them)")
    folder = tmp_path_factory.mktemp("media")
    store_path = folder / "fixture.duckdb"
    fixtures.make_store(store_path).close()
    app_port, port = _free_port(), _free_port()
    env = {**os.environ, "PILOTDASH_STORE": str(store_path), "PYTHONUNBUFFERED": "1",
           "PILOTDASH_CONFIG": str(folder / "none.toml")}
    log = open(folder / "streamlit.log", "w", encoding="utf-8")
    app = subprocess.Popen([sys.executable, *serve.streamlit_args(app_port, BASE)], cwd=ROOT, env=env,
                           stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    prefix = folder / "nginx"
    conf = serve.write_nginx_conf(prefix, serve.nginx_site([f"127.0.0.1:{app_port}"], f"127.0.0.1:{port}", BASE))
    nginx = subprocess.Popen([str(serve.NGINX), "-p", str(prefix), "-c", str(conf)], stdout=subprocess.DEVNULL,
                             stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}{BASE}"
    try:
        deadline = time.monotonic() + 90
        while _get(url + "_stcore/health")[0] != 200:
            if app.poll() is not None or nginx.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the app or nginx did not start:\n"
                            + (folder / "streamlit.log").read_text(errors="replace")[-2000:])
            time.sleep(0.3)
        yield url
    finally:
        _stop(nginx)
        _stop(app)
        log.close()


def _open(browser, url: str):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(url + "funds?lang=en&as_of=2026-06-30")
    page.get_by_role("button", name=t("common.download_csv", "en")).first.wait_for(timeout=90_000)
    return context, page


def test_a_download_is_served_only_to_the_browser_that_made_it(proxied, pw):
    browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
    try:
        a, page = _open(browser, proxied)
        fetched: list[str] = []
        page.on("request", lambda r: fetched.append(r.url) if "/media/" in r.url else None)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=t("common.download_csv", "en")).first.click()
        made = Path(download.value.path()).read_bytes()
        assert b"," in made  # A has its file: a CSV
        (link,) = set(fetched)
        cookies = {c["name"]: c["value"] for c in a.cookies()}
        route = cookies[media.ROUTE_COOKIE]
        mine = "; ".join(f"{k}={v}" for k, v in cookies.items())

        status, missing = _get(proxied + "media/0123456789abcdef.csv")  # no such file, for comparison
        assert status == 404
        # Without A's cookie, the link is a file that is not there: the same status, the same bytes.
        assert _get(link) == (404, missing)
        assert _get(link, f"{media.ROUTE_COOKIE}=0123456789abcdef0123456789abcdef") == (404, missing)
        b, other = _open(browser, proxied)  # another browser, signed in the same way, its own session
        assert media.ROUTE_COOKIE in {c["name"] for c in b.cookies()}
        seen = other.evaluate("async (u) => { const r = await fetch(u); return [r.status, await r.text()]; }", link)
        assert seen == [404, missing.decode()]
        # A's browser still may (its cookie is the whole key): the file is the one it downloaded.
        assert _get(link, f"{media.ROUTE_COOKIE}={route}") == (200, made)
        assert _get(link, mine)[0] == 200
        b.close()
        a.close()
    finally:
        browser.close()
