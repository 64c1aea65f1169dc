"""The CLI's output for each stable query on the fixture store, and its error messages."""

import csv
import io
import json

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
    assert [(r["project_id"], r["health"]) for r in rows] == [("A", "amber"), ("B", "red"), ("C", "red"), ("D", "green")]


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
