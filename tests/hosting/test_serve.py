"""`dev.py serve`: nginx in front of the replicas, as shipped in deploy/, and the process set it
starts and stops."""

from __future__ import annotations

import os
import re
import shlex
import socket
import subprocess
import tempfile
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from pilotdash import store as store_mod
from pilotdash.hosting import serve


def test_the_shipped_deploy_files_are_what_serve_runs():
    """deploy/ is generated from the code serve runs (python -m pilotdash.hosting.serve
    --write-deploy); an edit to one without the other fails here."""
    assert (serve.DEPLOY / "nginx" / "pilotdash.conf").read_text(encoding="utf-8") == serve.shipped_nginx()
    assert (serve.DEPLOY / "systemd" / "pilotdash@.service").read_text(encoding="utf-8") == serve.shipped_unit()
    assert (serve.DEPLOY / "systemd" / "pilotdash.env").read_text(encoding="utf-8") == serve.shipped_env()


def test_the_unit_starts_a_replica_like_serve_does():
    unit = serve.shipped_unit("/opt/pilotdash")
    command = shlex.split(re.search(r"^ExecStart=(.*)$", unit, re.M)[1])
    assert command[0] == "/opt/pilotdash/.venv/bin/python"
    assert command[1:] == serve.streamlit_args("%i", "/pilot/", "/opt/pilotdash/app.py", upload_mb=50)
    assert "--server.baseUrlPath" in command and command[command.index("--server.baseUrlPath") + 1] == "pilot"


def test_nginx_accepts_the_shipped_site(tmp_path):
    if not serve.NGINX.exists():
        pytest.skip("nginx is not installed")
    prefix = Path(tempfile.mkdtemp(prefix="pilotdash-nginx-t-"))
    conf = serve.write_nginx_conf(prefix, serve.shipped_nginx())
    done = subprocess.run([str(serve.NGINX), "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_upload_limits_are_stacked_above_the_apps(monkeypatch):
    monkeypatch.setenv("PILOTDASH_MAX_UPLOAD_MB", "120")
    site = serve.nginx_site(["127.0.0.1:1"])
    assert "client_max_body_size 140m;" in site
    args = serve.streamlit_args(1, "/x/")
    assert args[args.index("--server.maxUploadSize") + 1] == "130"


@pytest.mark.parametrize("raw,normal", [("pilot", "/pilot/"), ("/pilot", "/pilot/"), ("/a/b/", "/a/b/"), ("", "/")])
def test_base_path(raw, normal):
    assert serve.normal_base_path(raw) == normal


def test_a_base_path_is_not_nginx_syntax():
    with pytest.raises(ValueError):
        serve.normal_base_path("/pilot/; return 200")


# Through the proxy ----------------------------------------------------------------------------

class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _get(url: str, cookie: str | None = None, method: str = "GET", headers: dict | None = None, data=None):
    request = urllib.request.Request(url, method=method, data=data, headers={**(headers or {})})
    if cookie:
        request.add_header("Cookie", f"{serve.ROUTE_COOKIE}={cookie}")
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=20) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_pages_are_served_under_the_base_path(served):
    status, headers, body = _get(served.url)
    assert status == 200 and b'<div id="root">' in body, body[:300]
    assert re.search(rf"{serve.ROUTE_COOKIE}=\w+; Path=/pilot/", headers["Set-Cookie"])
    status, headers, _ = _get(served.url.rstrip("/"))
    assert status == 301 and headers["Location"].endswith("/pilot/")
    assert _get(served.url.replace("/pilot/", "/") + "_stcore/health")[0] == 404  # nothing outside it


def test_streamlits_metrics_are_not_served_and_downloads_not_cached_through_the_proxy(served):
    assert _get(served.url + "_stcore/health")[0] == 200
    status, _, body = _get(served.url + "_stcore/metrics")
    assert status == 404 and b"session" not in body.lower()
    status, headers, _ = _get(served.url + "media/no-such-file.csv")  # Streamlit's 404, via nginx
    assert headers.get("Cache-Control") == "private, no-store"
    assert "Cache-Control" not in _get(served.url + "_stcore/health")[1]


def test_sessions_stick_to_one_replica_and_browsers_spread_over_both(served):
    seen = {}
    for i in range(40):
        status, headers, _ = _get(served.url + "_stcore/health", cookie=f"browser{i}")
        assert status == 200
        seen.setdefault(headers["X-Pilotdash-Replica"], []).append(f"browser{i}")
        if len(seen) == 2 and i >= 3:
            break
    assert len(seen) == 2, seen
    for replica, cookies in seen.items():
        for _ in range(3):
            assert _get(served.url + "_stcore/health", cookie=cookies[0])[1]["X-Pilotdash-Replica"] == replica


def test_the_websocket_is_upgraded_through_the_proxy(served):
    host, port = re.match(r"http://([\d.]+):(\d+)", served.url).groups()
    with socket.create_connection((host, int(port)), timeout=10) as s:
        s.sendall((f"GET /pilot/_stcore/stream HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                   "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                   f"Sec-WebSocket-Version: 13\r\nOrigin: http://{host}:{port}\r\n"
                   "Sec-WebSocket-Protocol: streamlit\r\n\r\n").encode())
        head = s.recv(4096).decode(errors="replace")
    assert head.startswith("HTTP/1.1 101"), head
    assert "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in head  # RFC 6455's answer to this key: Streamlit's, via nginx


def test_the_load_benchmarks_browserless_session_runs_real_pages_through_the_proxy(served):
    """bench.load's default client (bench/wsclient.py) must be a real session: the page's script
    runs to the end with its charts, an unknown page is an error, and its routing cookie keeps it
    on one replica (the XSRF token travels in the subprotocol, as the frontend sends it)."""
    import asyncio
    import concurrent.futures

    from bench.wsclient import WsSession

    async def visit():
        async with WsSession(served.url) as session:
            pages = [await session.open(p) for p in ("/funds?lang=en&belt=west", "/regions?lang=zh")]
            missing = await session.open("/no-such-page?lang=en")
            return pages, missing, session.http.cookies.get(serve.ROUTE_COOKIE)

    # in a thread of its own: a browser test earlier in this worker leaves Playwright's event loop
    # running in the main thread, where asyncio.run refuses to start another
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pages, missing, route = pool.submit(asyncio.run, visit()).result()
    for timing in pages:
        assert not timing.exception and timing.first_chart_s is not None, timing
        assert timing.first_chart_s <= timing.complete_s and timing.bytes_received > 20_000
    assert missing.exception
    assert route


def test_a_body_over_the_limit_is_refused_by_nginx_and_one_under_it_reaches_streamlit(served):
    limit_mb = serve.max_upload_mb() + 20
    url = served.url + "_stcore/upload_file/session/widget"
    host, port = re.match(r"http://([\d.]+):(\d+)", served.url).groups()
    with socket.create_connection((host, int(port)), timeout=10) as s:  # the header is enough to refuse
        s.sendall((f"PUT /pilot/_stcore/upload_file/session/widget HTTP/1.1\r\nHost: {host}\r\n"
                   f"Content-Length: {(limit_mb + 1) * 1024 * 1024}\r\n\r\n").encode())
        assert s.recv(4096).decode(errors="replace").startswith("HTTP/1.1 413")
    status, _, _ = _get(url, method="PUT", data=b"x" * 1024, headers={"Content-Type": "application/octet-stream"})
    assert status not in (413, 502, 504), status  # Streamlit's own answer (no XSRF token: refused by it)


def test_serve_starts_a_local_postgresql_when_no_catalog_is_configured(tmp_path):
    """A fresh host: PILOTDASH_STORE unset. serve makes and starts its own cluster, sets up the
    lake from the demo data, and stops the cluster by its PID."""
    if serve.NGINX.exists() is False:
        pytest.skip("nginx is not installed")
    from pilotdash.hosting import pgcluster

    if pgcluster.bin_dir() is None:
        pytest.skip("PostgreSQL is not installed")
    folder = Path(tempfile.mkdtemp(prefix="pilotdash-local-"))
    os.chmod(folder, 0o755)
    hosting = serve.Hosting(replicas=1, data=folder, pg_port=0, env={"PILOTDASH_STORE": ""})
    try:
        env = hosting.start_store()
        assert env["PILOTDASH_STORE"].startswith("ducklake:postgres:") and hosting.cluster.pid()
        pid = hosting.cluster.pid()
        from pilotdash.hosting import lake

        store = store_mod.open_lake(env["PILOTDASH_STORE"], env["PILOTDASH_LAKE_DATA"])
        assert store.meta("is_demo") == "1" and store.rows("SELECT count(*) FROM projects")[0][0] > 100
        store.close()
        lake.forget_connection(lake.parse(env["PILOTDASH_STORE"], env["PILOTDASH_LAKE_DATA"]))
    finally:
        hosting.stop()
    assert not pgcluster.alive(pid)
