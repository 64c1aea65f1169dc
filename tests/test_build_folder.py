"""`build FOLDER` takes its files as an upload would (issue 21 item 8): each validated as `load`
does (file, row, column, the same messages), nothing built when one has a problem, and the files
it does not use named. The fixture tables, written as contract CSVs."""

from __future__ import annotations

import csv

import pytest

from pilotdash import cli
from tests import fixtures

HEADERS = {
    "projects": ["project_id", "name_zh", "name_en", "domain", "pilot_type", "province_code", "city", "lead_unit",
                 "batch_year", "start_date", "end_date", "status"],
    "readings": ["project_id", "indicator_code", "period_end", "actual_value"],
    "indicators": ["indicator_code", "name_zh", "name_en", "category", "unit", "direction", "national_target"],
}


@pytest.fixture
def folder(tmp_path):
    out = tmp_path / "data"
    out.mkdir()
    for table, header in HEADERS.items():
        with open(out / f"{table}.csv", "w", encoding="utf-8", newline="") as f:
            writer = csv.writer(f)
            writer.writerow(header)
            writer.writerows(getattr(fixtures, table.upper()))
    return out


def build(capsys, folder, store):
    code = cli.main(["--store", str(store), "build", str(folder)])
    return code, capsys.readouterr()


def test_a_clean_folder_builds_and_names_what_it_did_not_use(capsys, folder, tmp_path, monkeypatch):
    monkeypatch.setenv("PILOTDASH_LANG", "zh")
    (folder / "说明.txt").write_text("readme", encoding="utf-8")
    (folder / "readings_old.csv").write_text("x\n", encoding="utf-8")
    code, out = build(capsys, folder, tmp_path / "s.duckdb")
    assert code == 0 and (tmp_path / "s.duckdb").exists()
    assert "未使用：readings_old.csv" in out.err and "未使用：说明.txt" in out.err


def test_an_unknown_column_is_the_load_message_and_nothing_is_built(capsys, folder, tmp_path):
    text = (folder / "projects.csv").read_text(encoding="utf-8").splitlines()
    text[0] += ",status_since"
    (folder / "projects.csv").write_text("\n".join(text) + "\n", encoding="utf-8")
    code, out = build(capsys, folder, tmp_path / "s.duckdb")
    assert code == 1 and not (tmp_path / "s.duckdb").exists()
    assert "projects.csv" in out.err and "Unknown column “status_since” for Projects" in out.err
    assert "Traceback" not in out.err and "Nothing was built" in out.err


def test_a_bad_row_is_named_by_file_row_and_column(capsys, folder, tmp_path):
    # row 3 of readings.csv (the second data row) names a pilot that is in no projects file
    rows = (folder / "readings.csv").read_text(encoding="utf-8").splitlines()
    rows[2] = rows[2].replace("A,", "ZZ,", 1)
    (folder / "readings.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = tmp_path / "s.duckdb"
    fixtures.make_store(before).close()
    stamp = before.stat().st_mtime_ns
    code, out = build(capsys, folder, before)
    assert code == 1 and before.stat().st_mtime_ns == stamp  # the store is left as it was
    report = list(csv.reader(out.err.split("Row,Column,Value,Reason,Severity", 1)[1].strip().splitlines()))
    assert report[0][:3] == ["3", "project_id", "ZZ"]
