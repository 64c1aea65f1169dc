"""The hosted store (DuckLake on a PostgreSQL catalog) answers exactly as the embedded file does,
takes uploads and rollbacks the same way, and lets one writer at a time through."""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import threading
import time

import pandas as pd
import pytest

from pilotdash import store as store_mod
from pilotdash import named_queries
from pilotdash.hosting import lake
from pilotdash.ingest.apply import apply, history, rollback
from pilotdash.ingest.plan import prepare
from pilotdash.store import ROOT, WriterBusy
from tests import fixtures


def test_lake_ddl_drops_only_what_ducklake_lacks():
    ddl = lake_ddl = lake.lake_ddl(textwrap.dedent("""\
        -- a comment that says PRIMARY KEY
        CREATE TABLE t (
            a VARCHAR PRIMARY KEY,
            b INTEGER NOT NULL DEFAULT 0 CHECK (b BETWEEN 1 AND (2 + 3)),
            c VARCHAR UNIQUE CHECK (length(trim(c)) > 0),
            PRIMARY KEY (a, b),
            CHECK (b IS NULL OR b > 0)
        );
        CREATE OR REPLACE MACRO list_unique_x(x) AS x + 1;"""))
    assert not re.search(r"\b(PRIMARY|UNIQUE|CHECK)\b", ddl)
    assert "b INTEGER NOT NULL DEFAULT 0" in ddl and "list_unique_x(x) AS x + 1" in lake_ddl
    assert re.search(r"c VARCHAR\s*\)", ddl), ddl  # no comma left before the closing parenthesis


@pytest.fixture(scope="module")
def stores(new_lake, tmp_path_factory):
    """The test fixture data in an embedded file and in a lake."""
    embedded = fixtures.make_store(tmp_path_factory.mktemp("embedded") / "fixture.duckdb")
    target, data = new_lake()
    hosted = store_mod.open_lake(target, data, build_if_empty=False)
    fixtures.fill(hosted)
    yield embedded, hosted
    embedded.close()
    hosted.close()


FILTERS = [{}, {"belt": "east,west"}, {"status": "in_progress", "domain": "digital_gov"}]


@pytest.mark.parametrize("name", sorted(named_queries.catalogue()))
def test_every_named_query_answers_the_same_on_the_lake(stores, name):
    embedded, hosted = stores
    query = named_queries.get(name)
    declared = {p.name for p in query.params}
    for filters in FILTERS:
        params = {k: v for k, v in {"as_of": fixtures.AS_OF, **filters}.items() if k in declared}
        want = named_queries.run(embedded, name, params)
        got = named_queries.run(hosted, name, params)
        assert list(got.columns) == list(want.columns)
        pd.testing.assert_frame_equal(got.reset_index(drop=True), want.reset_index(drop=True),
                                      check_dtype=False, obj=f"{name} {params}")
    # and as of the default date (the newest reading or today)
    pd.testing.assert_frame_equal(named_queries.run(hosted, name), named_queries.run(embedded, name),
                                  check_dtype=False)


def test_the_fixture_data_is_not_trivial(stores):
    """The comparison above means something only if the queries return rows."""
    _, hosted = stores
    assert len(named_queries.run(hosted, "project_health", {"as_of": fixtures.AS_OF})) == len(fixtures.PROJECTS)
    # ...and only if the rows are in the lake, not in the process's own in-memory database
    fresh = lake.connect(hosted.engine.spec)
    try:
        assert fresh.execute("SELECT count(*) FROM lake.main.projects").fetchone()[0] == len(fixtures.PROJECTS)
        assert fresh.execute("SELECT count(*) FROM duckdb_tables() WHERE database_name = 'memory'").fetchone()[0] == 0
    finally:
        fresh.close()


def test_warnings_are_raised_notified_once_and_answered_on_the_lake(stores):
    """The ledger makes its ids without sequences and never notifies twice without UNIQUE, so it
    runs on DuckLake exactly as on the file."""
    from pilotdash.warnings import ledger, subscriptions
    from pilotdash.people import local_admin

    admin = local_admin()
    ledgers = []
    for store in stores:
        subscriptions.add(store, admin, "office", min_level="yellow", email="office@example.org")
        first = ledger.recompute(store, fixtures.AS_OF)
        again = ledger.recompute(store, fixtures.AS_OF)
        assert first.raised and first.notices and not again.raised and again.notices == 0
        ledger.acknowledge(store, first.raised[0], admin, "plan agreed", fixtures.AS_OF)
        ledgers.append(store.rows(
            "SELECT warning_id, project_id, condition, trigger_id, level, state FROM warnings ORDER BY warning_id"))
        assert store.rows("SELECT count(*), count(DISTINCT notice_id) FROM warning_notices") == [(first.notices,) * 2]
        assert store.meta("warnings_as_of") == fixtures.AS_OF.isoformat()
    assert ledgers[0] == ledgers[1]


READINGS = "project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,70\nA,I3,2026-12-31,4\n"


@pytest.fixture
def hosted(stores):
    """The module's lake (set up once: a lake costs seconds); each test leaves its rows as they were
    except the last, which only adds."""
    return stores[1]


def test_upload_and_rollback_on_the_lake(hosted):
    before = hosted.table_checksum("readings")
    version = hosted.data_version()
    plan = prepare(hosted, "readings.csv", READINGS.encode())
    assert (plan.counts.inserts, plan.counts.updates) == (1, 1)
    done = apply(hosted, plan, "ana")
    got = hosted.rows(
        "SELECT actual_value FROM readings WHERE project_id = 'A' AND indicator_code = 'P1' "
        "AND period_end = DATE '2026-06-30'")
    assert got == [(70.0,)]
    assert hosted.data_version() != version
    assert history(hosted).iloc[0]["upload_id"] == done.upload_id
    assert rollback(hosted, done.upload_id, "ana") == [done.upload_id]
    assert hosted.table_checksum("readings") == before
    assert history(hosted).iloc[0]["status"] == "rolled_back"


def test_an_error_mid_write_leaves_the_exact_rows(hosted):
    tables = ("readings", "projects", "upload_log", "upload_changes", "store_meta")
    before = {t: hosted.table_checksum(t) for t in tables}

    def half_then_fail(w):
        w.execute("DELETE FROM readings")
        w.execute("UPDATE projects SET status = 'completed'")
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        hosted.write(half_then_fail)
    assert {t: hosted.table_checksum(t) for t in tables} == before
    # and the next upload works
    done = apply(hosted, prepare(hosted, "readings.csv", READINGS.encode()), "ana")
    assert done.upload_id is not None and done.inserted == 1
    rollback(hosted, done.upload_id, "ana")
    assert hosted.table_checksum("readings") == before["readings"]


def test_a_second_writer_waits_a_bounded_time_then_is_told(hosted):
    """Another process (here: another catalog session) holds the writer lock: a write waits
    `wait` seconds, then gets the clear message, never a lock or conflict error."""
    holder = lake.WriterLock(hosted.engine.spec)
    try:
        with holder.held():
            started = time.monotonic()
            with pytest.raises(WriterBusy, match="Another upload is being applied"):
                hosted.write(lambda w: w.execute("DELETE FROM readings"), wait=0.6)
            assert 0.5 <= time.monotonic() - started < 3
        assert len(hosted.rows("SELECT * FROM readings")) == len(fixtures.READINGS)
        hosted.write(lambda w: None, wait=0.6)  # free again: it gets through at once
    finally:
        holder.close()


def test_the_store_writes_one_at_a_time(hosted):
    """A write waits for the one under way (same lock, any process) instead of failing."""
    holder = lake.WriterLock(hosted.engine.spec)
    order = []
    taken = threading.Event()

    def hold():
        with holder.held():
            order.append("first")
            taken.set()
            time.sleep(0.8)
            order.append("first done")

    thread = threading.Thread(target=hold)
    thread.start()
    assert taken.wait(30)
    hosted.write(lambda w: order.append("second"))
    thread.join()
    holder.close()
    assert order == ["first", "first done", "second"]


WATCHER = """
import sys, time
from pilotdash.store import open_lake
store = open_lake(sys.argv[1], sys.argv[2], build_if_empty=False)
first = store.data_version()
print("ready", flush=True)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    if store.data_version() != first:
        print("seen", time.time(), flush=True)
        break
    time.sleep(0.05)
"""


def test_another_process_sees_a_write_within_a_second(hosted):
    """The data version is the lake's own: a process that did not write sees a write by another at
    its next read, not by any counter of its own."""
    spec = hosted.engine.spec
    proc = subprocess.Popen([sys.executable, "-c", WATCHER, spec.url, spec.data_path], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()[-2000:]
        hosted.write(lambda w: w.execute("UPDATE readings SET actual_value = actual_value WHERE false"))
        written = time.time()
        line = proc.stdout.readline().split()
        assert line and line[0] == "seen", proc.stderr.read()[-2000:]
        assert float(line[1]) - written < 1.0, f"seen {float(line[1]) - written:.2f} s after the write"
    finally:
        proc.kill()
        proc.wait(10)


KILLED = """
import sys, time
from pilotdash.store import open_lake
store = open_lake(sys.argv[1], sys.argv[2], build_if_empty=False)

def half_done(w):
    w.execute("DELETE FROM readings")
    w.execute("INSERT INTO upload_log (upload_id, table_name, file_name, sha256, uploaded_by, uploaded_at) "
              "VALUES (999, 'readings', 'killed.csv', 'x', 'ana', now())")
    print("inside", flush=True)
    time.sleep(120)

store.write(half_done)
"""


def test_a_writer_killed_mid_write_leaves_the_store_as_before_and_frees_the_lock(hosted):
    tables = ("readings", "upload_log", "upload_changes", "store_meta")
    before = {t: hosted.table_checksum(t) for t in tables}
    spec = hosted.engine.spec
    proc = subprocess.Popen([sys.executable, "-c", KILLED, spec.url, spec.data_path], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "inside", proc.stderr.read()[-2000:]
        proc.kill()  # SIGKILL: no rollback, no unlock from the writer itself
        proc.wait(30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert {t: hosted.table_checksum(t) for t in tables} == before
    # PostgreSQL ends the dead writer's session, and its advisory lock with it: the next write
    # gets through well within the bounded wait.
    started = time.monotonic()
    done = apply(hosted, prepare(hosted, "readings.csv", READINGS.encode()), "ana")
    assert time.monotonic() - started < 10 and done.inserted == 1
    rollback(hosted, done.upload_id, "ana")
    assert hosted.table_checksum("readings") == before["readings"]


WRITER = """
import sys
from pilotdash.store import open_lake
from pilotdash.ingest.apply import apply
from pilotdash.ingest.plan import prepare
store = open_lake(sys.argv[1], sys.argv[2], build_if_empty=False)
for i in range(int(sys.argv[4])):
    text = "project_id,indicator_code,period_end,actual_value\\n" + f"{sys.argv[3]},P1,2024-0{2 * i + 1}-{(31, 31, 31)[i]},{i}\\n"
    apply(store, prepare(store, f"{sys.argv[3]}{i}.csv", text.encode()), sys.argv[3])
store.close()
"""


def test_two_processes_upload_at_once_and_none_is_lost(hosted):
    """Two CLI-like writers on one lake at the same time: every upload lands, each in one piece."""
    target, data = hosted.engine.spec.url, hosted.engine.spec.data_path
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, target, data, who, "3"], cwd=ROOT,
                              stderr=subprocess.PIPE, text=True) for who in ("A", "B")]
    for p in procs:
        assert p.wait(120) == 0, p.stderr.read()[-2000:]
    log = history(hosted)
    log = log[log["file_name"].str.match(r"^[AB]\d\.csv$")]
    assert sorted(log["file_name"]) == ["A0.csv", "A1.csv", "A2.csv", "B0.csv", "B1.csv", "B2.csv"]
    assert log["upload_id"].is_unique and (log["status"] == "applied").all()
    rows = hosted.rows(
        "SELECT count(*) FROM readings WHERE period_end IN ('2024-01-31', '2024-03-31', '2024-05-31')")
    assert rows == [(6,)]



def test_assessment_rounds_are_scored_alike_on_the_lake(stores):
    """Scoring writes its rows by DELETE and INSERT only (no keys, no sequences), so a round scores
    the same on DuckLake as on the file (pilotdash/assessment)."""
    from pilotdash.assessment import scoring

    results = []
    for store in stores:
        with store.writing() as w:
            w.execute("INSERT INTO eval_items VALUES ('T', 'K1', NULL, '执行率', NULL, 50, 'measure', "
                      "'execution_rate', 'false'), ('T', 'K2', NULL, '打分', NULL, 50, 'manual', NULL, 'true')")
            w.execute("INSERT INTO eval_rounds VALUES ('Q2', '二季度', 'quarterly', '2026-04-01', '2026-06-30', 'T')")
            w.execute("INSERT INTO eval_scores VALUES ('Q2', 'A', 'self', 'K2', 40, NULL, NULL)")
        scoring.recompute(store)
        scoring.recompute(store)  # again: the same rows, not twice as many
        results.append(store.rows("SELECT round_id, project_id, evaluator, complete, total, grade FROM eval_results"))
        results.append(store.rows("SELECT project_id, grade FROM latest_grades(DATE '2026-06-30')"))
        with store.writing() as w:  # leave the module's stores as they were
            for table in ("eval_items", "eval_rounds", "eval_scores", "eval_values", "eval_leaf_results",
                          "eval_results"):
                w.execute(f"DELETE FROM {table}")
    assert results[0] == results[2] == [("Q2", "A", "self", True, 73.33, "fair")]
    assert results[1] == results[3] == [("A", "fair")]
def test_rescoring_after_an_upload_and_its_rollback_is_alike_on_the_lake(new_lake, tmp_path):
    """Scoring again after a change reads the upload log and keeps its mark in store_meta: on
    DuckLake as on the file, a risk or reading upload scores nothing, a budget upload scores the round
    again, and its rollback brings the scores back (pilotdash/assessment/scoring.py `rescore`)."""
    from pilotdash import events
    from pilotdash.assessment import scoring

    target, data = new_lake()
    hosted = store_mod.open_lake(target, data, build_if_empty=False)
    fixtures.fill(hosted)
    embedded = fixtures.make_store(tmp_path / "fixture.duckdb")
    seen = []
    try:
        for store in (embedded, hosted):
            with store.writing() as w:
                w.execute("INSERT INTO eval_items VALUES ('T', 'K1', NULL, '执行率', NULL, 50, 'measure', "
                          "'execution_rate', 'false'), ('T', 'K2', NULL, '打分', NULL, 50, 'manual', NULL, 'false')")
                w.execute("INSERT INTO eval_rounds VALUES ('Q2', '二季度', 'quarterly', '2026-04-01', '2026-06-30', 'T')")
                w.execute("INSERT INTO eval_scores VALUES ('Q2', 'A', 'self', 'K2', 40, NULL, NULL)")
            scoring.recompute(store)
            done = []

            def total():
                return store.rows("SELECT total FROM eval_results WHERE round_id = 'Q2' AND project_id = 'A'")[0][0]

            with events.replaced(lambda s, deliver, tables: done.append(scoring.rescore(s, tables))):
                before = total()
                apply(store, prepare(store, "risks.csv", (
                    "risk_id,project_id,category,description,probability,impact,status,owner,identified_on\n"
                    "lk_r,A,policy,新风险,2,2,open,张三,2026-05-01\n").encode()), "ana")
                apply(store, prepare(store, "readings.csv", (  # the round reads no indicator: nothing
                    "project_id,indicator_code,period_end,actual_value\nA,P1,2026-05-31,61\n").encode()), "ana")
                apply(store, prepare(store, "budget_lines.csv", (
                    "project_id,fiscal_year,source,category,allocated,disbursed,spent\n"
                    "A,2026,local,software,100,50,40\n").encode()), "ana")
                moved = total()
                rollback(store, store.rows("SELECT max(upload_id) FROM upload_log")[0][0], "ana")
            seen.append(([d.scored for d in done], before, moved, total()))
    finally:
        embedded.close()
        hosted.close()
    # A's execution rate (80 + 20) / 150 -> (80 + 40) / 150: K1 33.33 -> 40, with K2's 40
    assert seen[0] == seen[1] == ([(), (), ("Q2",), ("Q2",)], 73.33, 80.0, 73.33)


def test_tasks_issues_and_their_sign_off_on_the_lake(hosted):
    """Issue 24's tables on the lake: a task tree and an issue uploaded, the issue resolved and
    signed off in place (ids made in the write, no RETURNING), the upload rolled back after."""
    import datetime as dt

    from pilotdash.people import Person
    from pilotdash.scope import Scope
    from pilotdash.tasks import issue_actions

    tasks = ("task_id,project_id,parent_id,name,due_date\nlk_g,A,,总目标,2026-12-31\nlk_a,A,lk_g,行动,2026-05-31\n")
    done = apply(hosted, prepare(hosted, "tasks.csv", tasks.encode()), "ana")
    issue = "issue_id,project_id,task_id,source,description,raised_on,due_date\nlk_i,A,lk_a,督查,接口,2026-05-01,2026-05-31\n"
    apply(hosted, prepare(hosted, "issues.csv", issue.encode()), "ana")
    sub = Person("s@x.cn", "s", Scope("provinces", ("11",)), frozenset({"viewer", "submitter"}))
    rev = Person("r@x.cn", "r", Scope("provinces", ("11",)), frozenset({"viewer", "reviewer"}))
    issue_actions.resolve(hosted, sub, "lk_i", dt.date(2026, 6, 1), "已整改")
    issue_actions.sign_off(hosted, rev, "lk_i", dt.date(2026, 6, 2))
    assert hosted.rows("SELECT state FROM issue_states(DATE '2026-06-30') WHERE issue_id = 'lk_i'") == [("verified",)]
    assert hosted.rows("SELECT count(*) FROM issue_actions WHERE issue_id = 'lk_i'") == [(2,)]
    assert hosted.rows("SELECT rag FROM task_rag(DATE '2026-06-30') WHERE task_id = 'lk_g'") == [("amber",)]
    assert rollback(hosted, done.upload_id, "ana", cascade=True)
    assert hosted.rows("SELECT count(*) FROM tasks WHERE task_id LIKE 'lk_%'") == [(0,)]
