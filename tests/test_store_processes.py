"""Several processes on one store file (issue 11): the CLI loads and rolls back while a dashboard
process has the store in use, every process sees another's write on its next read, writers are
serialised across processes (a second one waits, then is told another upload is being applied),
and a writer killed mid-apply leaves the store as it was."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pilotdash import named_queries
from pilotdash.ingest.apply import history
from pilotdash.store import ROOT, Store, WriterBusy
from tests import fixtures

D = fixtures.AS_OF
READING = "project_id,indicator_code,period_end,actual_value\nA,P1,{date},{value}\n"


def cli(store: Path, *args: str, env: dict | None = None, wait: bool = True):
    cmd = [sys.executable, "-m", "pilotdash", "--store", str(store), *args]
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    if wait:
        return subprocess.run(cmd, capture_output=True, text=True, env=full_env, cwd=ROOT, timeout=120)
    return subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=full_env, cwd=ROOT)


def python(code: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", code], env={**os.environ, "PYTHONPATH": str(ROOT)},
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def reading_file(tmp_path: Path, name: str, date: str, value: float) -> Path:
    path = tmp_path / name
    path.write_text(READING.format(date=date, value=value), encoding="utf-8")
    return path


def p1(store: Store, date: str):
    rows = store.rows("SELECT actual_value FROM readings WHERE project_id = 'A' AND indicator_code = 'P1' "
                      "AND period_end = ?", [date])
    return rows[0][0] if rows else None


def test_a_cli_load_while_the_store_is_in_use_is_seen_by_the_next_query(store, tmp_path):
    before = named_queries.run(store, "project_reading_trend", {"project": "A", "indicator": "P1"})
    version = store.data_version()
    upload = reading_file(tmp_path, "r.csv", "2026-09-30", 77)
    done = cli(store.path, "load", str(upload), env={"PILOTDASH_USER": "other-process"})
    assert done.returncode == 0, done.stderr
    assert store.data_version() != version  # at once: no wait, no in-process counter
    assert p1(store, "2026-09-30") == 77
    after = named_queries.run(store, "project_reading_trend", {"project": "A", "indicator": "P1"})
    assert list(before["actual"])[-1] == 99 and list(after["actual"])[-1] == 77
    rolled = cli(store.path, "rollback", "1")
    assert rolled.returncode == 0, rolled.stderr
    assert p1(store, "2026-09-30") == 99
    assert list(history(store)["status"]) == ["rolled_back"]


def test_another_process_sees_this_ones_write_on_its_next_read(store):
    """A second 'dashboard' process keeps its Store and reads in a loop; a write here shows there
    within a second."""
    reader = python(
        "import sys, time\n"
        "from pilotdash.store import Store\n"
        f"s = Store({str(store.path)!r})\n"
        "print(s.data_version(), flush=True)\n"
        "first = s.data_version(); t0 = time.monotonic()\n"
        "while s.data_version() == first and time.monotonic() - t0 < 20: time.sleep(0.02)\n"
        "print(s.data_version(), s.rows(\"SELECT name_en FROM projects WHERE project_id = 'A'\")[0][0], flush=True)\n")
    try:
        first = reader.stdout.readline().strip()
        assert first == store.data_version()
        t0 = time.monotonic()
        with store.writing() as w:
            w.execute("UPDATE projects SET name_en = 'Seen elsewhere' WHERE project_id = 'A'")
        seen = reader.stdout.readline().split(" ", 1)
        assert time.monotonic() - t0 < 1.5
        assert seen[0] == store.data_version() and seen[1].strip() == "Seen elsewhere"
    finally:
        reader.kill()
        reader.wait()


def test_two_processes_loading_at_once_both_land_in_order(store, tmp_path):
    files = [reading_file(tmp_path, f"r{i}.csv", f"2027-0{i + 1}-28", 50 + i) for i in range(4)]
    runs = [cli(store.path, "load", str(f), env={"PILOTDASH_USER": f"p{i}"}, wait=False) for i, f in enumerate(files)]
    outs = [(p.wait(120), p.stderr.read()) for p in runs]
    assert all(code == 0 for code, _ in outs), outs
    log = history(store)
    assert sorted(log["file_name"]) == [f.name for f in files]
    assert sorted(log["upload_id"]) == [1, 2, 3, 4]  # in order, none lost, none twice
    for i in range(4):
        assert p1(store, f"2027-0{i + 1}-28") == 50 + i
    assert store.rows("SELECT count(*) FROM upload_changes") == [(4,)]


HOLD = (
    "import sys, time\n"
    "from pilotdash.store import Store\n"
    "s = Store(sys.argv[1])\n"
    "def hold(w):\n"
    "    w.execute(\"UPDATE projects SET name_en = 'half-applied' WHERE project_id = 'A'\")\n"
    "    w.execute(\"INSERT INTO readings SELECT project_id, indicator_code, period_end + INTERVAL 5 YEAR, actual_value"
    " FROM readings\")\n"
    "    print('inside', flush=True)\n"
    "    time.sleep(30)\n"
    "s.write(hold)\n"
)


def holder(path: Path) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-c", HOLD, str(path)], env={**os.environ, "PYTHONPATH": str(ROOT)},
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    assert line.strip() == "inside", proc.stderr.read()
    return proc


def test_a_second_writer_waits_then_is_told_another_upload_is_being_applied(store, tmp_path):
    proc = holder(store.path)
    try:
        t0 = time.monotonic()
        with pytest.raises(WriterBusy, match="Another upload is being applied"):
            store.write(lambda w: w.execute("DELETE FROM projects"), wait=0.5)
        assert 0.4 < time.monotonic() - t0 < 5
        upload = reading_file(tmp_path, "r.csv", "2026-09-30", 77)
        for lang, words in (("en", "Another upload is being applied"), ("zh", "另一份上传正在写入数据库")):
            done = cli(store.path, "load", str(upload), env={"PILOTDASH_WRITE_WAIT": "0.5", "PILOTDASH_READ_WAIT": "0.5",
                                                          "PILOTDASH_LANG": lang})
            assert done.returncode == 2
            assert words in done.stderr and "lock" not in done.stderr.lower(), done.stderr
    finally:
        proc.kill()
        proc.wait()
    assert store.rows("SELECT count(*) FROM projects") == [(4,)]


def test_a_read_waiting_on_another_process_write_is_told_to_retry(store, monkeypatch):
    monkeypatch.setenv("PILOTDASH_READ_WAIT", "0.5")
    proc = holder(store.path)
    try:
        with pytest.raises(WriterBusy) as busy:
            store.rows("SELECT count(*) FROM projects")
        assert busy.value.retry and busy.value.code == "store.writer_busy"  # pages run again by themselves
    finally:
        proc.kill()
        proc.wait()
    assert store.rows("SELECT count(*) FROM projects") == [(4,)]


APPLY_AND_HANG = (
    "import sys, time\n"
    "from pilotdash.store import Store\n"
    "from pilotdash.ingest.plan import prepare\n"
    "from pilotdash.ingest.apply import apply\n"
    "s = Store(sys.argv[1])\n"
    "plan = prepare(s, 'big.csv', open(sys.argv[2], 'rb').read())\n"
    "assert plan.clean, plan.report('en')\n"
    "def progress(share, step):\n"
    "    if step == 'write':  # the changes are logged in the transaction, the rows not yet written\n"
    "        print('inside', flush=True)\n"
    "        time.sleep(30)\n"
    "apply(s, plan, 'killed', progress=progress)\n"
)


def test_a_writer_killed_mid_apply_leaves_the_store_as_before(store, tmp_path):
    tables = ("projects", "readings", "store_meta", "upload_log", "upload_changes")
    before = {t: store.table_checksum(t) for t in tables}
    big = tmp_path / "big.csv"  # 6,720 new readings (monthly, 2030-2099)
    big.write_text("project_id,indicator_code,period_end,actual_value\n" + "".join(
        f"{p},{ind},{2030 + i // 12:04d}-{i % 12 + 1:02d}-28,50\n"
        for p in "ABCD" for ind in ("P1", "I1") for i in range(840)), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-c", APPLY_AND_HANG, str(store.path), str(big)],
                            env={**os.environ, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "inside", proc.stderr.read()
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert {t: store.table_checksum(t) for t in tables} == before
    upload = reading_file(tmp_path, "r.csv", "2026-09-30", 77)
    done = cli(store.path, "load", str(upload))
    assert done.returncode == 0, done.stderr
    assert p1(store, "2026-09-30") == 77
    assert list(history(store)["upload_id"]) == [1]
