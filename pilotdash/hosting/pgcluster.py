"""A local PostgreSQL cluster for the lake's catalog: made with initdb in a folder, started on a
loopback port with pg_ctl, stopped by the postmaster's PID.

Used by `dev.py serve` when the configuration says the catalog is local, and by the tests (one
cluster per test session, in a temp folder, on a free port). Debian's `postgresql` package
provides the binaries (`/usr/lib/postgresql/<major>/bin`); `ensure_installed()` installs it with
apt-get when they are missing and we are root. PostgreSQL refuses to run as root, so as root the
cluster belongs to the `postgres` system user (which the Debian package creates).
"""

from __future__ import annotations

import contextlib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

PG_ROOT = Path("/usr/lib/postgresql")


class ClusterError(RuntimeError):
    pass


def bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin folder, or None."""
    found = sorted((p for p in PG_ROOT.glob("*/bin") if (p / "initdb").exists()),
                   key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    return found[-1] if found else None


def ensure_installed() -> Path:
    """The bin folder, installing Debian's postgresql first when it is missing (needs root)."""
    found = bin_dir()
    if found:
        return found
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        raise ClusterError("PostgreSQL is not installed and cannot be installed here "
                           "(apt-get install postgresql needs root)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive", "RUNLEVEL": "1"}
    for cmd in (["apt-get", "update", "-qq"],
                ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "postgresql"]):
        print("+", " ".join(cmd), flush=True)
        subprocess.run(cmd, check=True, env=env)
    found = bin_dir()
    if not found:
        raise ClusterError("apt-get installed postgresql but no initdb was found under /usr/lib/postgresql")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def alive(pid: int) -> bool:
    """Running: not gone and not a zombie (a daemon whose parent has not reaped it yet)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _as_owner(cmd: list[str]) -> list[str]:
    """Run as the postgres user when we are root (initdb and postgres refuse root)."""
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *cmd]
    return cmd


@dataclass
class Cluster:
    """A cluster in `folder` (data in folder/data, log in folder/postgres.log) on `port`."""

    folder: Path
    port: int
    user: str = "pilotdash"
    dbname: str = "pilotdash"
    durable: bool = True  # False (tests): fsync off, a crash may lose the last commits

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def log(self) -> Path:
        return self.folder / "postgres.log"

    def dsn(self) -> str:
        """libpq key=value form, as PILOTDASH_STORE takes it."""
        return f"dbname={self.dbname} host=127.0.0.1 port={self.port} user={self.user}"

    def _bin(self, name: str) -> str:
        return str(ensure_installed() / name)

    def init(self) -> None:
        """initdb (trust on loopback only: the cluster listens on 127.0.0.1 and a socket folder of
        its own), unless the folder already holds a cluster."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if (self.data / "PG_VERSION").exists():
            return
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        self._run([self._bin("initdb"), "-D", str(self.data), "-U", self.user,
                   "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8"])

    def _run(self, cmd: list[str]) -> None:
        done = subprocess.run(_as_owner(cmd), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        if done.returncode:
            raise ClusterError(f"{Path(cmd[0]).name} failed ({done.returncode}): {done.stderr.strip()[-1500:]}")

    def pid(self) -> int | None:
        pidfile = self.data / "postmaster.pid"
        try:
            pid = int(pidfile.read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
        return pid if alive(pid) else None

    def start(self, timeout: float = 30) -> None:
        if self.pid():
            return
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.folder} -c max_connections=200"
        if not self.durable:
            options += " -c fsync=off -c synchronous_commit=off"
        self._run([self._bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log),
                   "-o", options, "-w", "-t", str(int(timeout)), "start"])
        self.wait_ready(timeout)
        self._ensure_database()

    def wait_ready(self, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=1):
                    return
            except OSError:
                if time.monotonic() > deadline:
                    raise ClusterError(f"PostgreSQL did not start on port {self.port}; see {self.log}") from None
                time.sleep(0.1)

    def _ensure_database(self) -> None:
        self.create_database(self.dbname)

    def create_database(self, name: str) -> str:
        """CREATE DATABASE name unless it exists; the libpq string for it."""
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
            raise ClusterError(f"not a plain database name: {name!r}")
        psql = [self._bin("psql"), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user, "-d", "postgres",
                "-tA", "-c"]
        have = subprocess.run([*psql, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                              check=True, capture_output=True, text=True).stdout.strip()
        if have != "1":
            subprocess.run([*psql, f'CREATE DATABASE "{name}"'], check=True, capture_output=True, text=True)
        return f"dbname={name} host=127.0.0.1 port={self.port} user={self.user}"

    def stop(self, timeout: float = 20) -> None:
        """Fast shutdown by the postmaster's PID (SIGINT), SIGKILL if it does not go in time."""
        pid = self.pid()
        if pid is None:
            return
        os.kill(pid, signal.SIGINT)
        deadline = time.monotonic() + timeout
        # The postmaster removes its pid file a moment before it exits: wait for the process too.
        while self.pid() is not None or alive(pid):
            if time.monotonic() > deadline:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                time.sleep(0.5)
                break
            time.sleep(0.1)
