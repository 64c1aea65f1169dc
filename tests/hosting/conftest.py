"""Hosted-mode fixtures: ONE PostgreSQL cluster per test session (initdb in a temp folder, a free
loopback port, stopped by its PID at the end), and a fresh lake (its own catalog database and
data folder) per test module or test that asks for one."""

from __future__ import annotations

import atexit
import itertools
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from pilotdash.hosting import pgcluster

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
    cluster = pgcluster.Cluster(folder, pgcluster.free_port())
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
