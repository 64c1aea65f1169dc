"""`python3 dev.py serve`: the hosted dashboard on one machine, as a department would run it.

    python3 dev.py serve --replicas 2 [--port 8080] [--base-path /pilot/] [--embedded]

Starts, in order, and stops in the reverse order on Ctrl-C or SIGTERM (each by its PID):

1. PostgreSQL, when the configuration says the catalog is local: PILOTDASH_STORE unset (or not a
   `ducklake:` URL) makes a cluster in `<data>/pg` (initdb on first use) on PILOTDASH_PG_PORT
   (default 54329, loopback only). With `PILOTDASH_STORE=ducklake:postgres:...` the catalog is
   someone else's server and nothing is started.
2. The lake (`<data>/lake` unless PILOTDASH_LAKE_DATA says): attached once here to set up the
   schema and fill an empty lake from the demo CSVs, so the replicas start on a ready store.
   `--embedded` serves the DuckDB file instead (several processes on one file, one machine).
3. N Streamlit processes on 127.0.0.1, ports after --port, all under the base path, with the same
   cookie secret, XSRF protection on and the upload limit of PILOTDASH_MAX_UPLOAD_MB.
4. nginx in front (Debian's, own config, own pid file), listening on 127.0.0.1:--port (or
   --listen): sticky sessions by a routing cookie, the websocket upgrade on /_stcore/stream, a
   request body limit above the upload limit. The site part of its config is exactly the shipped
   `deploy/nginx/pilotdash.conf` but for the ports (`nginx_site`).
"""

from __future__ import annotations

import argparse
import os
import pwd
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from .. import store as store_mod
from ..store import ROOT
from . import media

NGINX = Path("/usr/sbin/nginx")
DEFAULT_DATA = ROOT / "data" / "hosting"
DEFAULT_PG_PORT = 54329
ROUTE_COOKIE = media.ROUTE_COOKIE


def max_upload_mb() -> int:
    from ..ingest.formats import max_bytes

    return max(1, -(-max_bytes() // (1024 * 1024)))


def normal_base_path(base: str) -> str:
    """'/pilot/' for 'pilot', '/pilot', '/pilot/'; '/' for '' or '/'."""
    parts = [p for p in base.strip().split("/") if p]
    if any(not p.replace("-", "").replace("_", "").isalnum() for p in parts):
        raise ValueError(f"a base path is letters, digits, '-' and '_' between slashes, not {base!r}")
    return "/" + "/".join(parts) + ("/" if parts else "")


_ELSEWHERE = """
    # Nothing else is served under this host name.
    location / {
        return 404;
    }
"""


def nginx_site(upstreams: list[str], listen: str = "80", base_path: str = "/pilot/",
               body_mb: int | None = None, server_name: str = "_", show_replica: bool = False) -> str:
    """The nginx `upstream` + `server` blocks for the dashboard (what goes in conf.d/)."""
    base = normal_base_path(base_path)
    body = body_mb if body_mb is not None else max_upload_mb() + 20
    servers = "\n".join(f"    server {u} max_fails=1 fail_timeout=5s;" for u in upstreams)
    replica = '        add_header X-Pilotdash-Replica $upstream_addr always;\n' if show_replica else ""
    return f"""# Pilot-programme dashboard behind nginx: {len(upstreams)} Streamlit processes, one base path.
# Sticky sessions: a Streamlit session lives in one process (its websocket, its uploads), so each
# browser keeps to one replica by a routing cookie (hashed; a new browser gets a random one). The
# cookie only routes: it carries no sign-in state. ip_hash would also do, but sends every user
# behind one office proxy (NAT) to the same replica.
map $cookie_{ROUTE_COOKIE} $pilotdash_route {{
    ""      $request_id;
    default $cookie_{ROUTE_COOKIE};
}}

# Downloads (/media/...): Streamlit serves them to whoever holds the link (it has no per-session
# check), so a file is handed out only to the browser that made it. The app tags each download's
# media type with its browser's routing cookie (pilotdash/hosting/media.py); nginx first asks
# Streamlit for the file's headers (auth_request, HEAD), then serves the file only when the tag is
# the one of the asking browser's cookie (secure_link_md5). Anyone else, or a file that is not
# there, gets Streamlit's own "not found". No cache along the way keeps a copy of one.
map $uri $pilotdash_media_cache {{
    default    "";
    "~/media/" "private, no-store";
}}

map $pilotdash_media_type $pilotdash_media_tag {{
    "~{media.TAG}=(?<tag>[A-Za-z0-9_-]{{22}})" $tag;
    default "";
}}

# A tagged file: only with its browser's tag. An untagged image (the page icon Streamlit serves from
# /media) is no export and goes to everyone; anything else untagged is refused like a stranger.
map "$secure_link:$pilotdash_media_tag:$pilotdash_media_type" $pilotdash_media_path {{
    "~^1:"        $request_uri;
    "~^::image/"  $request_uri;
    default       {base}media/not-yours;
}}

# The routing cookie is also the key to the browser's downloads: over https it is never sent in clear.
map $scheme $pilotdash_cookie_secure {{
    https   "; Secure";
    default "";
}}

map $http_upgrade $pilotdash_connection {{
    default upgrade;
    ""      close;
}}

upstream pilotdash {{
    hash $pilotdash_route consistent;
{servers}
}}

server {{
    listen {listen};
    server_name {server_name};

    # Uploads: above PILOTDASH_MAX_UPLOAD_MB and Streamlit's server.maxUploadSize (that + 10), so
    # the app itself tells a user their file is too large; it checks the size before parsing.
    client_max_body_size {body}m;

    location = {base.rstrip('/') or '/'} {{
        return 301 {base};
    }}

    # Streamlit's own counters (sessions, caches, memory) are for whoever runs the machine, not
    # for the internet; Streamlit has no setting to turn them off, so the proxy does.
    location = {base}_stcore/metrics {{
        return 404;
    }}

    # A download, only to the browser whose routing cookie its media type names (see the maps).
    location {base}media/ {{
        auth_request {base}_pilotdash_media_headers;
        auth_request_set $pilotdash_media_type $upstream_http_content_type;
        secure_link $pilotdash_media_tag;
        secure_link_md5 "{media.PREFIX}$cookie_{ROUTE_COOKIE}";
        proxy_pass http://pilotdash$pilotdash_media_path;
        proxy_http_version 1.1;
        proxy_set_header Host $http_host;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        add_header Cache-Control $pilotdash_media_cache always;
    }}

    # The file's headers from the replica that holds it (the same routing), never its bytes; a file
    # that is not there is allowed here and then not found, like one that is not yours.
    location = {base}_pilotdash_media_headers {{
        internal;
        proxy_pass http://pilotdash$request_uri;
        proxy_method HEAD;
        proxy_pass_request_body off;
        proxy_set_header Content-Length "";
        proxy_set_header Host $http_host;
        proxy_intercept_errors on;
        error_page 404 416 = @pilotdash_no_media;
    }}

    location @pilotdash_no_media {{
        return 204;
    }}
{_ELSEWHERE if base != "/" else ""}
    location {base} {{
        proxy_pass http://pilotdash;
        proxy_http_version 1.1;
        # The websocket ({base}_stcore/stream) and every other request alike.
        proxy_set_header Upgrade $http_upgrade;
        proxy_set_header Connection $pilotdash_connection;
        proxy_set_header Host $http_host;
        proxy_set_header X-Real-IP $remote_addr;
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto $scheme;
        # A session's websocket stays open for as long as the page is.
        proxy_read_timeout 1d;
        proxy_send_timeout 1d;
        proxy_buffering off;
        # A replica that is down: the next one takes the request (the browser reconnects).
        proxy_next_upstream error timeout http_502 http_503;
        add_header Set-Cookie "{ROUTE_COOKIE}=$pilotdash_route; Path={base}; HttpOnly; SameSite=Lax$pilotdash_cookie_secure" always;
        add_header Cache-Control $pilotdash_media_cache always;
{replica}    }}
}}
"""


def nginx_main(site: str, prefix: Path) -> str:
    """A whole nginx.conf for a private nginx under `prefix` (pid, logs, temp files), in the
    foreground, so that `serve` and the tests run it next to anything else on the machine."""
    user = "user nobody nogroup;\n" if os.geteuid() == 0 else ""
    temp = "\n".join(f"    {kind}_temp_path {prefix / 'tmp' / kind};" for kind in
                     ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    indented = "\n".join(("    " + line) if line else "" for line in site.splitlines())
    return f"""{user}daemon off;
worker_processes 1;
pid {prefix / 'nginx.pid'};
error_log {prefix / 'error.log'} warn;

events {{
    worker_connections 1024;
}}

http {{
    access_log {prefix / 'access.log'};
{temp}
    default_type application/octet-stream;
    types {{
        text/html html;
        application/javascript js;
        text/css css;
    }}
{indented}
}}
"""


def write_nginx_conf(prefix: Path, site: str) -> Path:
    prefix.mkdir(parents=True, exist_ok=True)
    for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        folder = prefix / "tmp" / kind
        folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            nobody = pwd.getpwnam("nobody")
            os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    conf = prefix / "nginx.conf"
    conf.write_text(nginx_main(site, prefix), encoding="utf-8")
    return conf


def streamlit_args(port: int | str, base_path: str, app: str = "app.py", upload_mb: int | None = None) -> list[str]:
    """One replica's command after the Python interpreter (serve and the systemd unit alike)."""
    upload_mb = max_upload_mb() if upload_mb is None else upload_mb
    return ["-m", "streamlit", "run", app,
            "--server.port", str(port), "--server.address", "127.0.0.1",
            "--server.baseUrlPath", normal_base_path(base_path).strip("/"), "--server.headless", "true",
            # Above the app's own limit, so the app's clear "too large" message is what a user
            # sees for a file over PILOTDASH_MAX_UPLOAD_MB, not Streamlit's.
            "--server.maxUploadSize", str(upload_mb + 10),
            "--server.enableXsrfProtection", "true",
            "--server.fileWatcherType", "none", "--server.runOnSave", "false",
            "--browser.gatherUsageStats", "false"]


# What a department's IT deploys (deploy/): generated here so that it cannot drift from serve.
DEPLOY = ROOT / "deploy"
SHIPPED_REPLICAS = (8501, 8502)


def shipped_nginx() -> str:
    return nginx_site([f"127.0.0.1:{p}" for p in SHIPPED_REPLICAS], "80", "/pilot/", body_mb=70,
                      server_name="pilotdash.example.gov.cn")


def shipped_unit(install: str = "/opt/pilotdash") -> str:
    command = " ".join([f"{install}/.venv/bin/python", *streamlit_args("%i", "/pilot/", f"{install}/app.py", upload_mb=50)])
    return f"""# One dashboard replica per port: systemctl enable --now pilotdash@8501 pilotdash@8502
# (the ports in /etc/nginx/conf.d/pilotdash.conf's upstream). Installed from deploy/systemd/.
[Unit]
Description=Pilot-programme dashboard, Streamlit replica on 127.0.0.1:%i
After=network-online.target postgresql.service
Wants=network-online.target

[Service]
Type=simple
User=pilotdash
Group=pilotdash
WorkingDirectory={install}
EnvironmentFile=/etc/pilotdash/pilotdash.env
Environment=PYTHONUNBUFFERED=1
ExecStart={command}
# Streamlit ends its sessions on SIGTERM; a replica that dies is started again.
KillSignal=SIGTERM
TimeoutStopSec=20
Restart=on-failure
RestartSec=2
NoNewPrivileges=true
PrivateTmp=true
ProtectHome=true
ProtectSystem=strict
# The lake's data folder (a shared mount on every app server), or the DuckDB file's folder.
ReadWritePaths=/srv/pilotdash

[Install]
WantedBy=multi-user.target
"""


def shipped_env() -> str:
    return """# /etc/pilotdash/pilotdash.env: read by every pilotdash@PORT replica (deploy/systemd/).
# The hosted store: DuckLake with its catalog in PostgreSQL and its data in a folder every app
# server mounts. No password here: libpq reads it from PGPASSFILE (a 0600 file, see `man pgpass`).
PILOTDASH_STORE=ducklake:postgres:dbname=pilotdash host=127.0.0.1 port=5432 user=pilotdash
PILOTDASH_LAKE_DATA=/srv/pilotdash/lake
PGPASSFILE=/etc/pilotdash/pgpass
# Uploads: the app's limit. nginx's client_max_body_size (70m) stays above it plus 20.
PILOTDASH_MAX_UPLOAD_MB=50
# How long a second upload waits for the one being applied before it is told to retry.
PILOTDASH_WRITE_WAIT=15
"""


def write_deploy(folder: Path = DEPLOY) -> list[Path]:
    """(Re)write deploy/ from the functions above: `python -m pilotdash.hosting.serve --write-deploy`."""
    files = {folder / "nginx" / "pilotdash.conf": shipped_nginx(),
             folder / "systemd" / "pilotdash@.service": shipped_unit(),
             folder / "systemd" / "pilotdash.env": shipped_env()}
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return list(files)


def healthy(url: str, timeout: float = 2) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def free_port() -> int:
    from .pgcluster import free_port as free

    return free()


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    stop_signal: int = signal.SIGTERM

    def stop(self, wait: float = 15) -> None:
        if self.popen.poll() is not None:
            return
        for sig, grace in ((self.stop_signal, wait), (signal.SIGKILL, 5)):
            try:
                os.killpg(self.popen.pid, sig)
            except ProcessLookupError:
                return
            try:
                self.popen.wait(grace)
                return
            except subprocess.TimeoutExpired:
                continue


@dataclass
class Hosting:
    """The process set of one `serve`: PostgreSQL (maybe), N replicas, nginx."""

    replicas: int = 2
    port: int = 8080
    base_path: str = "/pilot/"
    data: Path = DEFAULT_DATA
    embedded: bool = False
    pg_port: int | None = None
    show_replica: bool = False
    log_dir: Path | None = None
    env: dict[str, str] = field(default_factory=dict)
    cluster: object | None = None
    procs: list[Proc] = field(default_factory=list)
    replica_ports: list[int] = field(default_factory=list)
    store_env: dict[str, str] = field(default_factory=dict)
    free_ports: bool = False
    source: Path | None = None  # data-contract CSVs an empty lake is filled from (default: the demo's)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}{normal_base_path(self.base_path)}"

    def replica_url(self, i: int) -> str:
        return f"http://127.0.0.1:{self.replica_ports[i]}{normal_base_path(self.base_path)}"

    def _logs(self) -> Path:
        folder = self.log_dir or (self.data / "logs")
        folder.mkdir(parents=True, exist_ok=True)
        return folder

    # 1 + 2: the store ----------------------------------------------------------------------
    def start_store(self) -> dict[str, str]:
        base = {**os.environ, **self.env}
        if self.embedded:
            self.store_env = {"PILOTDASH_STORE": base.get("PILOTDASH_STORE") or str(ROOT / "data" / "pilots.duckdb")}
            from ..store import open_store

            open_store(self.store_env["PILOTDASH_STORE"]).close()  # built once here, not by N replicas at once
            return self.store_env
        from . import lake

        target = base.get("PILOTDASH_STORE", "")
        if not lake.is_lake(target):
            from .pgcluster import Cluster

            port = self.pg_port if self.pg_port is not None else int(base.get("PILOTDASH_PG_PORT", DEFAULT_PG_PORT))
            self.cluster = Cluster(self.data / "pg", port or free_port())
            self.cluster.init()
            print(f"PostgreSQL: starting on 127.0.0.1:{self.cluster.port} ({self.cluster.data})", flush=True)
            self.cluster.start()
            target = lake.PREFIX + self.cluster.dsn()
        data_path = base.get("PILOTDASH_LAKE_DATA") or str(self.data / "lake")
        print("lake: attaching and checking the schema", flush=True)
        started = time.monotonic()
        store = store_mod.open_lake(target, data_path, build_if_empty=self.source is None)
        if self.source is not None and store.meta("source") != str(self.source.resolve()):
            store_mod.build_lake(store, self.source)
        store.close()
        print(f"lake: ready in {time.monotonic() - started:.1f} s ({data_path})", flush=True)
        self.store_env = {"PILOTDASH_STORE": target, "PILOTDASH_LAKE_DATA": data_path}
        return self.store_env

    # 3: the replicas -----------------------------------------------------------------------
    def start_replicas(self) -> None:
        base = normal_base_path(self.base_path).strip("/")
        secret = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
        env = {**os.environ, **self.env, **self.store_env, "PYTHONUNBUFFERED": "1",
               "STREAMLIT_SERVER_COOKIE_SECRET": secret}
        for i in range(self.replicas):
            port = free_port() if self.free_ports else self.port + 1 + i
            self.replica_ports.append(port)
            log = open(self._logs() / f"replica{i + 1}.log", "w", encoding="utf-8")
            popen = subprocess.Popen(
                [sys.executable, *streamlit_args(port, self.base_path, str(ROOT / "app.py"))],
                cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                start_new_session=True)
            log.close()
            self.procs.append(Proc(f"replica {i + 1} (:{port})", popen))
            print(f"replica {i + 1}: streamlit on 127.0.0.1:{port}{normal_base_path(self.base_path)}", flush=True)

    # 4: nginx ------------------------------------------------------------------------------
    def start_nginx(self) -> None:
        if not NGINX.exists():
            raise SystemExit(f"{NGINX} is missing: python3 dev.py serve installs Debian's nginx (apt-get, as root)")
        site = nginx_site([f"127.0.0.1:{p}" for p in self.replica_ports], f"127.0.0.1:{self.port}",
                          self.base_path, show_replica=self.show_replica)
        prefix = self.data / "nginx"
        conf = write_nginx_conf(prefix, site)
        check = subprocess.run([str(NGINX), "-t", "-q", "-p", str(prefix), "-c", str(conf)],
                               capture_output=True, text=True)
        if check.returncode:
            raise SystemExit(f"nginx refused its configuration {conf}:\n{check.stderr}")
        log = open(self._logs() / "nginx.log", "w", encoding="utf-8")
        popen = subprocess.Popen([str(NGINX), "-p", str(prefix), "-c", str(conf)], stdout=log,
                                 stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        log.close()
        # SIGQUIT: graceful (open websockets are closed after the requests in flight).
        self.procs.append(Proc(f"nginx (:{self.port})", popen, signal.SIGQUIT))
        print(f"nginx: {self.url} -> {len(self.replica_ports)} replicas", flush=True)

    def wait_healthy(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        pending = {i: self.replica_url(i) + "_stcore/health" for i in range(len(self.replica_ports))}
        while pending:
            for i, url in list(pending.items()):
                if healthy(url):
                    del pending[i]
            for proc in self.procs:
                if proc.popen.poll() is not None:
                    raise RuntimeError(f"{proc.name} exited with {proc.popen.returncode}; see {self._logs()}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"replicas {sorted(pending)} did not become healthy; see {self._logs()}")
            time.sleep(0.25)
        while not healthy(self.url + "_stcore/health"):
            if time.monotonic() > deadline:
                raise RuntimeError(f"nginx does not answer at {self.url}; see {self.data / 'nginx'}")
            time.sleep(0.1)

    def start(self) -> "Hosting":
        if self.port == 0:  # tests: every port free
            self.free_ports = True
            self.port = free_port()
        try:
            self.start_store()
            self.start_replicas()
            self.start_nginx()
            self.wait_healthy()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """nginx first (no new requests), then the replicas, then PostgreSQL; each by its PID."""
        for proc in reversed(self.procs):
            proc.stop()
        self.procs.clear()
        if self.cluster is not None:
            self.cluster.stop()
            self.cluster = None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="dev.py serve", description=__doc__.split("\n\n")[0])
    parser.add_argument("--replicas", type=int, default=2, help="Streamlit processes (default 2)")
    parser.add_argument("--port", type=int, default=8080, help="nginx's port on 127.0.0.1 (default 8080; replicas use the next ones)")
    parser.add_argument("--base-path", default="/pilot/", help="the URL path the dashboard lives under (default /pilot/)")
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA, help=f"PostgreSQL, lake, nginx and log folders (default {DEFAULT_DATA})")
    parser.add_argument("--embedded", action="store_true", help="serve the DuckDB file instead of the lake")
    parser.add_argument("--pg-port", type=int, default=None, help=f"a local PostgreSQL's port (default $PILOTDASH_PG_PORT or {DEFAULT_PG_PORT}; 0: any free one)")
    parser.add_argument("--show-replica", action="store_true", help="nginx adds X-Pilotdash-Replica (which replica answered) to responses; for tests")
    parser.add_argument("--write-deploy", action="store_true", help="rewrite deploy/ (nginx site, systemd unit) and exit")
    args = parser.parse_args(argv)
    if args.write_deploy:
        for path in write_deploy():
            print(path.relative_to(ROOT))
        return 0
    if args.replicas < 1:
        parser.error("--replicas must be at least 1")
    hosting = Hosting(replicas=args.replicas, port=args.port, base_path=args.base_path, data=args.data.resolve(),
                      embedded=args.embedded, pg_port=args.pg_port, show_replica=args.show_replica)
    stopping = threading.Event()

    def on_signal(signum, frame):
        stopping.set()

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    try:
        hosting.start()
        for i, port in enumerate(hosting.replica_ports):
            print(f"replica {i + 1} ready: {hosting.replica_url(i)}", flush=True)
        print(f"\nThe dashboard: {hosting.url}   (Ctrl-C stops everything)", flush=True)
        while not stopping.wait(1):
            for proc in hosting.procs:
                if proc.popen.poll() is not None:
                    print(f"{proc.name} exited with {proc.popen.returncode}; stopping", flush=True)
                    stopping.set()
    finally:
        print("stopping: nginx, replicas, PostgreSQL", flush=True)
        hosting.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
