"""The audit log: one entry per record, in the writer's transaction or its own; filters by who,
action and time; the CLI `audit` and `people` commands (admins only, clear errors, exit 2)."""

import datetime as dt
import io
import json

import pandas as pd
import pytest

from pilotdash import audit, cli, people
from pilotdash.scope import Scope
from tests import fixtures


def test_record_with_the_store_and_inside_a_write(store):
    audit.record(
        store,
        "li@example.cn",
        "download",
        "overview_2026-06-30.csv",
        Scope("provinces", ("11",)),
        {"filters": {"lang": "zh"}},
    )
    with pytest.raises(RuntimeError), store.writing() as w:
        audit.record(w, "li@example.cn", "apply", "upload 7", None)
        raise RuntimeError("the change failed: its entry goes with it")
    with store.writing() as w:
        audit.record(w, "li@example.cn", "apply", "upload 8", None)
    rows = audit.entries(store)
    assert rows["audit_id"].tolist() == [2, 1]  # newest first; the rolled back id is used again
    assert rows["what"].tolist() == ["upload 8", "overview_2026-06-30.csv"]
    first = rows.iloc[1]
    assert first["scope_kind"] == "provinces" and first["scope_codes"].tolist() == ["11"]
    assert json.loads(first["detail"]) == {"filters": {"lang": "zh"}}
    assert rows.iloc[0]["scope_kind"] == "national" and pd.isna(rows.iloc[0]["detail"])


def test_an_audit_entry_changes_no_figure(store):
    version = store.meta("data_version")
    audit.record(store, "li@example.cn", "report", "report_overview.html", None)
    assert store.meta("data_version") == version


def test_unknown_actions_and_nobody_are_refused(store):
    with pytest.raises(ValueError, match="unknown audit action 'delete'"):
        audit.record(store, "li@example.cn", "delete", "x", None)
    with pytest.raises(ValueError, match="who did it"):
        audit.record(store, "", "download", "x", None)
    with pytest.raises(ValueError, match="unknown audit action"):
        audit.entries(store, action="delete")
    assert audit.entries(store).empty


def test_filters(store):
    for who, action in (
        ("a@example.cn", "sign_in"),
        ("b@example.cn", "download"),
        ("a@example.cn", "download"),
    ):
        audit.record(store, who, action, "x", None)
    store.write(
        lambda w: w.execute("UPDATE audit_log SET \"at\" = TIMESTAMP '2026-06-01 09:00' WHERE audit_id = 1"),
        data_change=False,
    )
    assert audit.entries(store, who="A@example.cn")["audit_id"].tolist() == [3, 1]
    assert audit.entries(store, action="download")["audit_id"].tolist() == [3, 2]
    assert audit.entries(store, who="a@example.cn", action="download")["audit_id"].tolist() == [3]
    assert audit.entries(store, until=dt.date(2026, 6, 1))["audit_id"].tolist() == [1]  # the whole day
    assert audit.entries(store, until=dt.datetime(2026, 6, 1, 8, 59))["audit_id"].tolist() == []
    assert audit.entries(store, since=dt.date(2026, 6, 2))["audit_id"].tolist() == [3, 2]
    csv = audit.as_csv(audit.entries(store, action="sign_in")).decode("utf-8-sig")
    # refused (issue 19): whether the access policy refused the action
    assert csv.splitlines()[0] == "audit_id,at,who,action,what,scope_kind,scope_codes,refused,detail"


def test_nothing_in_the_app_changes_or_deletes_audit_rows():
    from pilotdash.store import ROOT

    sources = [*ROOT.glob("pilotdash/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    for path in sources:
        text = path.read_text(encoding="utf-8").lower()
        for verb in (
            "update audit_log",
            "delete from audit_log",
            "drop table audit_log",
            "truncate audit_log",
        ):
            assert verb not in text, f"{path}: {verb}"


# The command line ---------------------------------------------------------------------------------


@pytest.fixture
def cli_store(tmp_path):
    path = tmp_path / "cli.duckdb"
    fixtures.make_store(path).close()
    return path


def run(capsys, path, *args):
    code = cli.main(["--store", str(path), *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_people_add_set_disable_list_and_audit(cli_store, capsys):
    assert (
        run(
            capsys,
            cli_store,
            "people",
            "add",
            "Li@Example.cn",
            "--name",
            "李明",
            "--scope",
            "provinces",
            "--codes",
            "11,51",
            "--roles",
            "viewer,submitter",
        )[0]
        == 0
    )
    code, out, _ = run(capsys, cli_store, "people", "set", "li@example.cn", "--codes", "51")
    assert code == 0 and "provinces 51" in out
    assert (
        run(
            capsys,
            cli_store,
            "people",
            "add",
            "boss@example.cn",
            "--name",
            "Boss",
            "--scope",
            "national",
            "--roles",
            "admin",
        )[0]
        == 0
    )
    assert run(capsys, cli_store, "people", "disable", "li@example.cn", "--as", "boss@example.cn")[0] == 0
    code, out, _ = run(capsys, cli_store, "people", "list", "--format", "json")
    listed = {p["email"]: p for p in json.loads(out)}
    assert listed["li@example.cn"] == {
        "email": "li@example.cn",
        "name": "李明",
        "scope_kind": "provinces",
        "scope_codes": "51",
        "roles": "viewer,submitter",
        "disabled": True,
    }
    code, out, _ = run(capsys, cli_store, "audit", "--format", "json")
    entries = json.loads(out)
    assert [(e["action"], e["what"]) for e in entries] == [
        ("people_disable", "li@example.cn"),
        ("people_add", "boss@example.cn"),
        ("people_set", "li@example.cn"),
        ("people_add", "li@example.cn"),
    ]
    assert entries[0]["who"] == "boss@example.cn" and entries[0]["detail"] == {"disabled": [False, True]}
    code, out, _ = run(
        capsys,
        cli_store,
        "audit",
        "--who",
        "boss@example.cn",
        "--action",
        "people_disable",
        "--format",
        "csv",
    )
    assert code == 0 and len(out.strip().splitlines()) == 2
    code, out, _ = run(capsys, cli_store, "audit", "--since", "2999-01-01")
    assert code == 0 and out.strip() == "(none)"


def test_cli_mistakes_are_one_line_and_exit_2(cli_store, capsys):
    people_store = fixtures.Store(cli_store)
    people.add(
        people_store, people.local_admin(), "li@example.cn", "Li", Scope("provinces", ("11",)), ["viewer"]
    )
    people_store.close()
    for args, message in (
        (
            ("people", "add", "bad", "--name", "X", "--scope", "national", "--roles", "viewer"),
            "Not an e-mail",
        ),
        (
            ("people", "add", "x@example.cn", "--name", "X", "--scope", "national", "--roles", "chief"),
            "Unknown role",
        ),
        (
            (
                "people",
                "add",
                "x@example.cn",
                "--name",
                "X",
                "--scope",
                "provinces",
                "--codes",
                "99",
                "--roles",
                "viewer",
            ),
            "Unknown province code(s): 99",
        ),
        (
            (
                "people",
                "add",
                "x@example.cn",
                "--name",
                "X",
                "--scope",
                "projects",
                "--codes",
                "ZZ",
                "--roles",
                "viewer",
            ),
            "Unknown project id(s): ZZ",
        ),
        (
            (
                "people",
                "add",
                "x@example.cn",
                "--name",
                "X",
                "--scope",
                "national",
                "--codes",
                "11",
                "--roles",
                "viewer",
            ),
            "national scope takes no codes",
        ),
        (("people", "set", "li@example.cn", "--scope", "provinces"), "at least one province code"),
        (("people", "list", "--as", "li@example.cn"), "needs the role admin"),
        (("audit", "--as", "li@example.cn"), "needs the role admin"),
        (("audit", "--as", "nobody@example.cn"), "not in the list of people"),
    ):
        code, out, err = run(capsys, cli_store, *args)
        assert (
            code == 2 and message in err and err.startswith("error: ") and len(err.strip().splitlines()) == 1
        ), args
    code, out, _ = run(capsys, cli_store, "audit", "--format", "csv")
    log = pd.read_csv(io.StringIO(out))
    # the one add above, and each refusal by the access policy once, marked so (issue 19); the
    # mistakes in the input were not actions: nothing was recorded for them
    assert log.loc[~log["refused"], "action"].tolist() == ["people_add"]
    assert log.loc[log["refused"], "action"].tolist() == ["audit_read", "people_manage"]


def test_a_cli_query_is_audited_as_an_export_in_the_scope_it_answered_for(cli_store, capsys):
    store = fixtures.Store(cli_store)
    people.add(store, people.local_admin(), "li@example.cn", "Li", Scope("provinces", ("11",)), ["viewer"])
    store.close()
    assert run(capsys, cli_store, "--as", "li@example.cn", "query", "project_list", "--param", "province=51")[0] == 0
    assert run(capsys, cli_store, "query", "project_list")[0] == 0
    _code, out, _ = run(capsys, cli_store, "audit", "--action", "export", "--format", "json")
    entries = json.loads(out)
    assert [(e["what"], e["scope_kind"], e["scope_codes"]) for e in entries] == [
        ("query project_list", "national", ""), ("query project_list", "provinces", "11")]
    assert entries[1]["detail"]["as"] == "li@example.cn" and entries[1]["detail"]["params"] == {"province": "51"}
    assert entries[1]["who"] == people.local_admin().email
