"""Everything audited, nothing wiped (issue 19): every write path asks the access policy; a
refused person changes nothing and leaves exactly one audit entry marked refused; every action
done leaves exactly one entry (CLI load and rollback too, as the local operator); `build` refills
the data and keeps people, the audit log, subscriptions, saved views and the warnings' history.

Fixture store (tests/fixtures.py): pilots A and D in province 11, B in 51, C in 14."""

import datetime as dt
import hashlib

import pytest

from pilotdash import audit, people, saved_views, submissions
from pilotdash.cli import main
from pilotdash.errors import Problem
from pilotdash.ingest.plan import prepare
from pilotdash.scope import Scope
from pilotdash.store import Store, build
from pilotdash.warnings import ledger, subscriptions
from tests import fixtures

ADMIN = people.local_admin()
P11, P51 = Scope("provinces", ("11",)), Scope("provinces", ("51",))
READINGS_A = b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,70\n"
# Every table a write path changes (the audit log is counted on its own).
TABLES = ("people", "readings", "upload_log", "submissions", "submission_rows", "warnings", "warning_events",
          "warning_subscriptions", "saved_views")


def contents(store) -> str:
    digest = hashlib.sha256()
    for table in TABLES:
        digest.update(repr(store.rows(f"SELECT * FROM {table} ORDER BY ALL")).encode())
    return digest.hexdigest()


@pytest.fixture
def who(store):
    def add(email, scope, *roles):
        return people.add(store, ADMIN, email, email.split("@")[0], scope, roles)

    return {
        "view11": add("view11@example.cn", P11, "viewer"),
        "sub11": add("sub11@example.cn", P11, "submitter"),
        "sub11b": add("sub11b@example.cn", P11, "submitter"),
        "rev11": add("rev11@example.cn", P11, "reviewer"),
        "rev51": add("rev51@example.cn", P51, "reviewer"),
    }


@pytest.fixture
def world(store, who):
    """A submission waiting, an applied upload, warnings raised, a subscription and a saved view,
    each made by someone allowed."""
    plan = prepare(store, "r.csv", READINGS_A, scope=P11)
    waiting = submissions.submit(store, who["sub11"], plan).submission
    applied = submissions.approve(
        store, who["rev11"], submissions.submit(store, who["sub11b"], prepare(
            store, "r2.csv", b"project_id,indicator_code,period_end,actual_value\nA,I1,2026-06-30,50\n",
            scope=P11)).submission.submission_id)
    ledger.recompute(store, fixtures.AS_OF)
    warning = store.rows("SELECT min(warning_id) FROM warnings WHERE project_id = 'A'")[0][0]
    sub = subscriptions.add(store, who["rev11"], "mine", scope_kind="province", scope_codes=["11"],
                            email="rev11@example.cn")
    view = saved_views.save(store, "Beijing", "overview", {"province": "11"}, who["rev11"])
    return {"waiting": waiting.submission_id, "upload": applied.upload_id, "warning": warning,
            "subscription": sub, "view": view.view_id}


def refused_once(store, action, call):
    """`call` is refused (a Problem), changes none of TABLES, and leaves one entry: refused, `action`."""
    before, logged = contents(store), len(audit.entries(store))
    with pytest.raises(Problem):
        call()
    log = audit.entries(store)
    assert len(log) == logged + 1, action
    assert bool(log.iloc[0]["refused"]) and log.iloc[0]["action"] == action
    assert contents(store) == before, action


def test_every_module_write_path_refused_changes_nothing_and_is_audited_once(store, who, world):
    v, s, s2, r51 = who["view11"], who["sub11"], who["sub11b"], who["rev51"]
    day = dt.date(2026, 7, 31)
    paths = [
        ("people_manage", lambda: people.add(store, v, "x@example.cn", "X", P11, ["viewer"])),
        ("people_manage", lambda: people.set_person(store, v, "sub11@example.cn", roles=["admin"])),
        ("people_manage", lambda: people.disable(store, v, "sub11@example.cn")),
        ("submit", lambda: submissions.submit(store, v, prepare(store, "r.csv", READINGS_A, scope=P11))),
        ("approve", lambda: submissions.approve(store, r51, world["waiting"])),
        ("approve", lambda: submissions.approve(store, s, world["waiting"])),  # own, and no reviewer
        ("reject", lambda: submissions.reject(store, r51, world["waiting"], "no")),
        ("withdraw", lambda: submissions.withdraw(store, s2, world["waiting"])),  # not theirs
        ("recheck", lambda: submissions.recheck(store, r51, world["waiting"])),
        ("rollback", lambda: submissions.rollback(store, r51, world["upload"])),
        ("acknowledge", lambda: ledger.acknowledge(store, world["warning"], v, "ok", day)),
        ("close", lambda: ledger.close(store, world["warning"], s, "done")),
        ("subscribe", lambda: subscriptions.add(store, v, "all", scope_kind="national", email="v@example.cn")),
        ("unsubscribe", lambda: subscriptions.deactivate(store, v, world["subscription"])),
        ("view_save", lambda: saved_views.save(store, "mine", "overview", {}, None)),
        ("view_rename", lambda: saved_views.rename(store, world["view"], "mine now", v)),
        ("view_delete", lambda: saved_views.delete(store, world["view"], v)),
    ]
    for action, call in paths:
        refused_once(store, action, call)


def test_every_action_done_is_audited_once(store, who, world):
    """Acknowledge and close, subscribe and unsubscribe, saving, renaming and deleting a view."""
    rev = who["rev11"]
    start = len(audit.entries(store))
    ledger.acknowledge(store, world["warning"], who["sub11"], "plan", dt.date(2026, 7, 31))
    ledger.close(store, world["warning"], rev, "done")
    subscriptions.deactivate(store, rev, world["subscription"])
    saved_views.rename(store, world["view"], "Beijing, Q3", rev)
    saved_views.delete(store, world["view"], rev)
    new = audit.entries(store).iloc[: len(audit.entries(store)) - start]
    assert new["action"].tolist()[::-1] == ["acknowledge", "close", "unsubscribe", "view_rename", "view_delete"]
    assert not new["refused"].any()
    assert new["who"].tolist()[::-1] == ["sub11@example.cn", *["rev11@example.cn"] * 4]


def test_cli_write_commands_refused_change_nothing_and_are_audited_once(store, who, world, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_bytes(READINGS_A)
    args = ["--store", str(store.path)]
    commands = [
        ("submit", ["load", str(path), "--as", "view11@example.cn"]),
        ("rollback", ["rollback", str(world["upload"]), "--as", "rev51@example.cn"]),
        ("approve", ["submissions", "approve", str(world["waiting"]), "--as", "rev51@example.cn"]),
        ("acknowledge", ["warnings", "ack", str(world["warning"]), "--note", "x", "--plan-date", "2026-07-31",
                         "--as", "view11@example.cn"]),
        ("close", ["warnings", "close", str(world["warning"]), "--reason", "x", "--as", "sub11@example.cn"]),
        ("subscribe", ["warnings", "subscribe", "all", "--scope", "belt", "--codes", "east", "--email",
                       "v@example.cn", "--as", "view11@example.cn"]),
        ("unsubscribe", ["warnings", "unsubscribe", str(world["subscription"]), "--as", "view11@example.cn"]),
        ("people_manage", ["people", "disable", "sub11@example.cn", "--as", "view11@example.cn"]),
    ]
    for action, command in commands:
        refused_once(store, action, lambda: _refused_cli(main, [*args, *command]))
        assert capsys.readouterr().err.startswith("error: ")
    # an admin finds each of them with `audit --refused yes`
    assert main([*args, "audit", "--refused", "yes", "--format", "csv"]) == 0
    listed = capsys.readouterr().out.strip().splitlines()[1:]
    assert [line.split(",")[3] for line in listed][::-1] == [action for action, _ in commands]


def _refused_cli(main, argv):
    code = main(argv)
    if code != 0:  # the CLI's refusal, as the Problem the module raised
        raise Problem("access.not_allowed", action=argv[2])


def test_cli_load_and_rollback_without_as_are_the_local_operators_and_audited_once(store, tmp_path, monkeypatch):
    monkeypatch.setenv("PILOTDASH_USER", "wang")
    path = tmp_path / "r.csv"
    path.write_bytes(READINGS_A)
    args = ["--store", str(store.path)]
    start = len(audit.entries(store))
    assert main([*args, "load", str(path)]) == 0
    upload = store.rows("SELECT max(upload_id), any_value(uploaded_by) FROM upload_log")[0]
    assert upload[1] == "local:wang"  # the operator, never free text
    assert main([*args, "rollback", str(upload[0])]) == 0
    new = audit.entries(store).iloc[: len(audit.entries(store)) - start]
    assert new["action"].tolist()[::-1] == ["apply", "rollback"]
    assert set(new["who"]) == {"local:wang"} and not new["refused"].any()


def test_the_user_flag_is_gone(store, tmp_path):
    path = tmp_path / "r.csv"
    path.write_bytes(READINGS_A)
    with pytest.raises(SystemExit):
        main(["--store", str(store.path), "load", str(path), "--user", "mallory"])


def small_source(folder):
    """One pilot (enough for a build) as data-contract CSVs."""
    folder.mkdir()
    (folder / "projects.csv").write_text(
        "project_id,name_zh,name_en,domain,pilot_type,province_code,city,lead_unit,batch_year,start_date,"
        "end_date,status\nA,北京数字经济试点,Beijing,digital_economy,basic,11,北京,北京市发改委,2024,2024-01-01,"
        "2028-12-31,active\n", encoding="utf-8")
    return folder


def test_build_keeps_people_audit_subscriptions_views_and_warning_history(tmp_path, capsys):
    source = small_source(tmp_path / "csv")
    path = tmp_path / "store.duckdb"
    assert main(["--store", str(path), "build", str(source)]) == 0
    store = fixtures.fill(Store(path), {t: r for t, r in fixtures.ROWS.items() if t != "projects"} | {
        "projects": [p for p in fixtures.PROJECTS if p[0] != "A"]})
    li = people.add(store, ADMIN, "li@example.cn", "Li", P11, ["reviewer"])
    subscriptions.add(store, li, "北京", scope_kind="province", scope_codes=["11"], email="li@example.cn")
    saved_views.save(store, "Beijing", "overview", {"province": "11"}, li)
    ledger.recompute(store, fixtures.AS_OF)
    warning = store.rows("SELECT min(warning_id) FROM warnings WHERE project_id = 'A'")[0][0]
    ledger.acknowledge(store, warning, li, "a plan", dt.date(2026, 7, 31))
    kept = {t: store.rows(f"SELECT * FROM {t} ORDER BY ALL") for t in
            ("people", "warning_subscriptions", "saved_views", "warning_events")}
    log = len(audit.entries(store))
    response = store.rows("SELECT response_note, acknowledged_by FROM warnings WHERE warning_id = ?", [warning])
    store.close()

    assert main(["--store", str(path), "build", str(source)]) == 0  # the data refilled from the CSVs
    store = Store(path)
    try:
        assert store.rows("SELECT project_id FROM projects") == [("A",)]
        for table, rows in kept.items():  # every row kept (the warnings' history may grow: resolved now)
            assert set(map(repr, rows)) <= set(map(repr, store.rows(f"SELECT * FROM {table}"))) and rows, table
        entries = audit.entries(store)
        assert len(entries) == log + 1 and entries.iloc[0]["action"] == "build"  # and audited
        assert store.rows("SELECT response_note, acknowledged_by FROM warnings WHERE warning_id = ?",
                          [warning]) == response == [("a plan", "li@example.cn")]
    finally:
        store.close()


def test_build_of_a_new_store_starts_empty(tmp_path):
    path = build(tmp_path / "new.duckdb", small_source(tmp_path / "csv"))
    store = Store(path)
    try:
        assert store.rows("SELECT count(*) FROM people")[0][0] == 0
        assert store.rows("SELECT count(*) FROM projects")[0][0] == 1
    finally:
        store.close()
