"""Hosted-mode fixtures: ONE PostgreSQL cluster per test session (initdb in a temp folder, a free
loopback port, stopped by its PID at the end), and a fresh lake (its own catalog database and
data folder) per test module or test that asks for one."""

from __future__ import annotations

import atexit
import itertools
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from pilotdash.hosting import pgcluster
from pilotdash.store import ROOT

_names = itertools.count(1)


def _hosting_available() -> str | None:
    if pgcluster.bin_dir() is None:
        return "PostgreSQL is not installed (python3 dev.py test installs Debian's postgresql)"
    try:
        import psycopg2  # noqa: F401

        from pilotdash.hosting import lake

        for name in lake.EXTENSIONS:
            lake.extension_file(name)
    except Exception as exc:  # noqa: BLE001 - any missing piece means: skip, saying which
        return f"hosted mode is not installed here: {exc}"
    return None


@pytest.fixture(scope="session")
def pg(tmp_path_factory):
    why = _hosting_available()
    if why:
        pytest.skip(why)
    # Not under pytest's temp folder: that is private to root, and the cluster runs as `postgres`.
    folder = Path(tempfile.mkdtemp(prefix="pilotdash-pg-"))
    cluster = pgcluster.Cluster(folder, pgcluster.free_port(), durable=False)
    cluster.init()
    cluster.start()
    atexit.register(cluster.stop)
    try:
        yield cluster
    finally:
        cluster.stop()
        atexit.unregister(cluster.stop)
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def new_lake(pg, tmp_path_factory):
    """make() -> (PILOTDASH_STORE value, data folder) of a lake no one has used yet."""

    def make() -> tuple[str, str]:
        from pilotdash.hosting import lake

        name = f"lake{next(_names)}_{os.getpid()}"
        dsn = pg.create_database(name)
        data = tmp_path_factory.mktemp(name)
        return lake.PREFIX + dsn, str(data)

    return make


@dataclass
class Served:
    """`python -m pilotdash.hosting.serve` (what `dev.py serve` runs) on free ports."""

    url: str                    # through nginx, with the base path, e.g. http://127.0.0.1:P/pilot/
    replicas: list[str]         # each replica directly (for checks only; users go through nginx)
    folder: Path
    store_env: dict[str, str]
    popen: subprocess.Popen
    log: Path

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")

    def replica_logs(self) -> str:
        return "\n".join(p.read_text(encoding="utf-8", errors="replace")
                         for p in sorted((self.folder / "logs").glob("replica*.log")))

    def pids(self) -> list[int]:
        """The PIDs serve started: nginx's master and the replicas (their process groups)."""
        found = []
        pidfile = self.folder / "nginx" / "nginx.pid"
        if pidfile.exists():
            found.append(int(pidfile.read_text().split()[0]))
        return found


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie waiting for its parent counts as gone
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


@pytest.fixture(scope="session")
def served(pg, new_lake):
    """Two replicas and nginx for the whole session (one nginx per session), over a lake on the
    session's PostgreSQL, built from the demo data. Stopped by SIGTERM at the end, as an operator
    would; the teardown fails if anything it started is still running or listening."""
    from pilotdash.hosting import serve

    if not serve.NGINX.exists():
        pytest.skip(f"{serve.NGINX} is missing (python3 dev.py test installs Debian's nginx)")
    target, data = new_lake()
    folder = Path(tempfile.mkdtemp(prefix="pilotdash-serve-"))
    log = folder / "serve.log"
    env = {**os.environ, "PILOTDASH_STORE": target, "PILOTDASH_LAKE_DATA": data, "PYTHONUNBUFFERED": "1"}
    out = open(log, "w", encoding="utf-8")
    popen = subprocess.Popen([sys.executable, "-m", "pilotdash.hosting.serve", "--replicas", "2", "--port", "0",
                              "--data", str(folder), "--show-replica"],
                             cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                             start_new_session=True)
    out.close()

    def kill() -> None:
        if popen.poll() is None:
            os.killpg(popen.pid, signal.SIGKILL)

    atexit.register(kill)
    deadline = time.monotonic() + 180
    url = None
    while url is None:
        text = log.read_text(encoding="utf-8", errors="replace")
        if m := re.search(r"The dashboard: (\S+)", text):
            url = m[1]
        elif popen.poll() is not None or time.monotonic() > deadline:
            kill()
            pytest.fail(f"serve did not start (exit {popen.poll()}):\n{text[-3000:]}")
        time.sleep(0.2)
    replicas = re.findall(r"replica \d ready: (\S+)", log.read_text(encoding="utf-8"))
    ports = [int(re.search(r":(\d+)/", u)[1]) for u in [url, *replicas]]
    served = Served(url, replicas, folder, {"PILOTDASH_STORE": target, "PILOTDASH_LAKE_DATA": data}, popen, log)
    nginx_pid = served.pids()
    try:
        yield served
    finally:
        # SIGTERM, as systemd or an operator's Ctrl-C would (Ctrl-C is SIGINT: the same handler).
        started = time.monotonic()
        if popen.poll() is None:
            os.kill(popen.pid, signal.SIGTERM)
        try:
            popen.wait(60)
        except subprocess.TimeoutExpired:
            kill()
            pytest.fail(f"serve did not stop within 60 s of SIGTERM:\n{served.log_text()[-2000:]}")
        atexit.unregister(kill)
        took = time.monotonic() - started
        left = [p for p in nginx_pid if _alive(p)]
        listening = [p for p in ports if _listening(p)]
        text = served.log_text()
        shutil.rmtree(folder, ignore_errors=True)
        assert popen.returncode == 0, text[-2000:]
        assert not left and not listening, f"still running after SIGTERM: pids {left}, ports {listening}"
        assert took < 45, f"stopping took {took:.0f} s"


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0
