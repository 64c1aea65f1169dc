"""The CLI's output for each stable query on the fixture store, and its error messages."""

import csv
import io
import json
import re

import pytest

from pilotdash.cli import main


@pytest.fixture
def cli(store, capsys):
    path = str(store.path)
    store.close()  # the CLI opens the store itself

    def run(*args):
        code = main(["--store", path, *args])
        out, err = capsys.readouterr()
        return code, out, err

    return run


def test_region_summary_json_prints_the_three_belts(cli):
    code, out, err = cli("query", "region_summary", "--param", "as_of=2026-06-30", "--format", "json")
    assert code == 0, err
    rows = json.loads(out)
    assert [r["belt"] for r in rows] == ["east", "central", "west"]
    east = rows[0]
    assert east == {"belt": "east", "projects": 2, "red": 0, "amber": 1, "green": 1, "allocated": 200.0,
                    "disbursed": 150.0, "spent": 100.0, "utilisation": 0.5, "share_met": 0.5}
    assert rows[1]["utilisation"] is None  # empty denominator: null, not 0


def test_project_health_csv(cli):
    code, out, _ = cli("query", "project_health", "--param", "as_of=2026-06-30")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    # C is withdrawn: not judged (health is for running pilots), as on the dashboard
    assert [(r["project_id"], r["health"]) for r in rows] == [("A", "amber"), ("B", "red"), ("C", "closed"), ("D", "green")]


def test_indicator_status_json(cli):
    code, out, _ = cli("query", "indicator_status", "--param", "as_of=2026-06-30", "--param", "indicator=E1",
                       "--format", "json")
    assert code == 0
    rows = {r["project_id"]: r for r in json.loads(out)}
    assert rows["B"]["status"] == "met" and rows["B"]["achievement"] is None
    assert rows["A"]["period_end"].startswith("2026-06-30")


def test_fund_by_project_and_earned_value(cli):
    _, out, _ = cli("query", "fund_by_project", "--param", "as_of=2026-06-30", "--format", "json")
    funds = {r["project_id"]: r for r in json.loads(out)}
    assert funds["B"]["overspend"] is True and funds["C"]["arrival_rate"] is None
    _, out, _ = cli("query", "earned_value", "--param", "as_of=2026-06-30", "--format", "json")
    ev = {r["project_id"]: r for r in json.loads(out)}
    assert ev["A"]["cpi"] == 1.25 and ev["D"]["spi"] is None


def test_queries_lists_parameters_and_columns(cli):
    code, out, _ = cli("queries")
    assert code == 0
    assert "region_summary:" in out and "fiscal_year" in out and "columns: belt, projects" in out


@pytest.mark.parametrize("args,message", [
    (("query", "nope"), "no query named 'nope'"),
    (("query", "project_health", "--param", "colour=red"), "has no parameter 'colour'"),
    (("query", "project_health", "--param", "as_of=last week"), "must be a date like 2026-09-30"),
    (("query", "project_health", "--param", "as_of"), "--param takes key=value"),
])
def test_errors_are_one_clear_line(cli, args, message):
    code, out, err = cli(*args)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_missing_store(tmp_path, capsys):
    code = main(["--store", str(tmp_path / "none.duckdb"), "query", "region_summary"])
    assert code == 2
    assert "no store at" in capsys.readouterr().err


def test_default_store_is_built_on_first_use(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PILOTDASH_STORE", str(tmp_path / "first.duckdb"))
    assert main(["query", "region_summary", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["belt"] for r in rows] == ["east", "central", "west"]
    assert sum(r["projects"] for r in rows) >= 150  # the bundled demo data


# Dates are dates, timestamps only where the column is one (issue 15) -----------------------------

def test_json_and_csv_give_dates_as_days(cli):
    code, out, _ = cli("query", "indicator_status", "--param", "as_of=2026-06-30", "--param", "indicator=E1",
                       "--format", "json")
    assert code == 0
    assert {r["period_end"] for r in json.loads(out)} == {"2026-06-30", "2026-05-31"}
    code, out, _ = cli("query", "indicator_status", "--param", "as_of=2026-06-30", "--param", "indicator=E1")
    assert code == 0
    assert {r["period_end"] for r in csv.DictReader(io.StringIO(out))} == {"2026-06-30", "2026-05-31"}


def test_a_timestamp_column_keeps_its_time():
    import pandas as pd

    from pilotdash.cli import _print_frame

    frame = pd.DataFrame({"day": pd.to_datetime(["2024-12-31", None]),
                          "at": pd.to_datetime(["2024-12-31 00:00:00", "2025-01-02 08:30:00"])})
    out = io.StringIO()
    _print_frame(frame, "json", out, {"day"})
    assert json.loads(out.getvalue()) == [{"day": "2024-12-31", "at": "2024-12-31T00:00:00"},
                                          {"day": None, "at": "2025-01-02T08:30:00"}]
    out = io.StringIO()
    _print_frame(frame, "csv", out, {"day"})
    assert out.getvalue().splitlines() == ["day,at", "2024-12-31,2024-12-31 00:00:00", ",2025-01-02 08:30:00"]


# `load`: what the analyst reads (issue 15) ------------------------------------------------------

@pytest.fixture
def load(cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PILOTDASH_LANG", "en")

    def run(name, data, *args):
        path = tmp_path / name
        path.write_bytes(data)
        return cli("load", str(path), *args)

    return run


def test_load_says_the_encoding_it_read(load):
    code, out, err = load("readings.csv", "项目编号,指标代码,统计期末,实际值\nA,P1,2026-06-30,70\n".encode("gbk"),
                          "--dry-run")
    assert code == 0, err
    assert "read as GB18030/GBK (Chinese Excel)" in out.splitlines()[0]


def test_load_refuses_a_header_only_file(load):
    code, out, err = load("readings.csv", b"project_id,indicator_code,period_end,actual_value\r\n")
    assert code == 1
    assert "error: The file has a header row but no data rows" in out
    assert "Nothing to change" not in out + err


@pytest.mark.parametrize("extra", [(), ("--apply-valid-rows",)])
def test_load_of_a_file_whose_every_row_is_rejected(load, extra):
    code, out, err = load("readings.csv", b"project_id,indicator_code,period_end,actual_value\nZ,P1,2026-06-30,1\n"
                          b"A,P1,2026-13-01,2\n", *extra)
    assert code == 1
    assert "Nothing applied: all 2 rows were rejected." in err
    assert "Nothing to change" not in out + err


def test_load_of_a_file_fitting_no_table_says_why_in_full(load):
    code, out, err = load("notes.csv", b"colour,size\nred,3\n")
    assert code == 1
    line = next(x for x in out.splitlines() if x.startswith("error:"))
    assert line.endswith("Choose the table, or compare the headers with the template.")
    assert "None" not in out


def test_load_of_a_cp1252_file_reads_the_pound_sign(load):
    data = ("risk_id,project_id,category,description,probability,impact,status\n"
            "R9,A,market,Budget (WLC £m),2,3,open\n").encode("cp1252")
    code, out, err = load("risks.csv", data)
    assert code == 0, out + err
    assert "Windows-1252" in out.splitlines()[0]


def test_a_cli_load_and_rollback_leave_the_first_pages_snapshots_ready(load, cli, store):
    """As the Data page does after its own upload: the snapshots of the default date and of the
    dates its first pages compare against are rebuilt by the command, so the first page anyone
    opens reads them instead of building them (1.3 s on the lake against 0.23 s warm)."""
    from pilotdash import named_queries, snapshots
    from pilotdash.store import Store

    s = Store(store.path)
    dates = snapshots.first_dates(named_queries.default_as_of(s))
    s.close()
    assert len(dates) == 3

    def ready() -> list[bool]:  # looked at without any query that would build them
        s = Store(store.path)
        try:
            with s.read() as r:
                return [snapshots.is_current(r, d) for d in dates]
        finally:
            s.close()

    code, out, err = load("readings.csv", b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,71\n")
    assert code == 0, out + err
    assert ready() == [True, True, True]
    upload_id = re.search(r"#(\d+)", out)[1]
    s = Store(store.path)
    with s.writing() as cur:  # any later change makes them stale again ...
        cur.execute("UPDATE readings SET actual_value = actual_value + 1 WHERE project_id = 'B'")
    s.close()
    assert ready() == [False, False, False]
    code, out, err = cli("rollback", upload_id)
    assert code == 0, out + err
    assert ready() == [True, True, True]  # ... and a rollback through the CLI rebuilds them too
