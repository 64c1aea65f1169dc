"""Hostile uploads: each is refused with its reason (en and zh), and reading it cannot take the
process down (workbooks are read by a child process under memory and time limits)."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest

from pilotdash.ingest import formats
from pilotdash.ingest.formats import FileProblem, read_grid
from pilotdash.ingest.plan import prepare
from tests.hostile import bombs


@pytest.mark.parametrize("make, size", [
    (bombs.far_cell_bomb, "A1:XFD1048576"),
    (bombs.wide_span_bomb, "A1:GS100001"),
    (bombs.declared_only_bomb, "A1:XFD1048576"),
])
def test_a_sheet_beyond_the_limits_is_refused_with_its_size(store, make, size):
    data = make()
    assert len(data) < 5 * 1024
    started = time.monotonic()
    plan = prepare(store, "bomb.xlsx", data)
    assert time.monotonic() - started < 20  # counted, not read
    assert [i.code for i in plan.file_issues] == ["sheet_too_large"]
    en, zh = plan.file_messages("en")[0], plan.file_messages("zh")[0]
    assert size in en and size in zh
    assert f"at most {formats.max_rows():,} data rows and {formats.max_columns()} columns" in en
    assert "工作表“readings”的范围为" in zh


def test_the_limits_follow_from_the_upload_limits(monkeypatch):
    # A tenth of the size limit allows a tenth of the rows; the columns are the widest table's + margin.
    assert formats.max_rows(5 * 1024 * 1024) == 5 * 1024 * 1024 // formats.MIN_ROW_BYTES
    assert formats.max_rows() == formats.EXCEL_MAX_ROWS - 1
    widest = max(len(c.columns) for c in formats.CONTRACTS.values())
    assert formats.max_columns() == widest + formats.COLUMN_MARGIN
    monkeypatch.setenv("PILOTDASH_MAX_UPLOAD_MB", "1")
    # 40,000 rows are more than a 1 MB file can hold: refused before calamine reads anything.
    data = bombs.workbook(bombs.sheet_xml(bombs.READINGS, [("D", 40_000, "7")]))
    with pytest.raises(FileProblem) as err:
        read_grid("tall.xlsx", data)
    assert err.value.code == "ingest.err.sheet_too_large" and err.value.values["rows"] == "40,000"


def test_far_rows_within_the_limits_keep_their_row_numbers():
    data = bombs.workbook(bombs.sheet_xml(bombs.READINGS, [("D", 5000, "7"), ("A", 3, "P-1")]))
    grid = read_grid("sparse.xlsx", data)
    assert grid.headers == bombs.READINGS
    rows = grid.rows.to_pylist()
    assert len(rows) == 4999 and rows[-1] == {"_row": 5000, "c0": None, "c1": None, "c2": None, "c3": "7"}
    assert rows[1]["c0"] == "P-1" and rows[1]["_row"] == 3


def test_a_zip_bomb_is_refused_from_its_directory():
    data = bombs.zip_bomb(30)
    assert len(data) < 64 * 1024
    with pytest.raises(FileProblem) as err:
        read_grid("bomb.xlsx", data, limit=1 << 20)  # unpacked limit: 20 MB
    assert err.value.code == "ingest.err.xlsx_unpacked_too_large"
    assert err.value.values == {"unpacked_mb": "30", "limit_mb": "20"}


def test_a_zip_bomb_that_lies_about_its_size_is_refused_while_inflating():
    with pytest.raises(FileProblem) as err:
        read_grid("bomb.xlsx", bombs.lying_zip_bomb(30), limit=1 << 20)
    # Inflating stops at the declared size; the part then fails its checksum, unread by calamine.
    assert err.value.code == "ingest.err.xlsx_damaged"


def test_a_reader_beyond_its_memory_is_a_refusal_and_this_process_goes_on(monkeypatch):
    # 200,000 rows of four columns fit the row limit; in 40 MB of address space they cannot be read.
    monkeypatch.setattr(formats, "XLSX_MEMORY_BYTES", 40 * 1024 * 1024)
    data = bombs.workbook(bombs.sheet_xml(bombs.READINGS, [("D", 200_000, "7")]))
    with pytest.raises(FileProblem) as err:
        read_grid("tall.xlsx", data)
    assert err.value.code == "ingest.err.xlsx_over_limits"
    assert err.value.values == {"memory_mb": 40, "seconds": formats.XLSX_CPU_SECONDS}
    monkeypatch.undo()
    small = bombs.workbook(bombs.sheet_xml(bombs.READINGS, [("A", 2, "P-1")]))
    assert read_grid("small.xlsx", small).rows.num_rows == 1


def test_a_reader_out_of_time_is_a_refusal(monkeypatch):
    monkeypatch.setattr(formats, "XLSX_CPU_SECONDS", 0)  # the child's CPU limit: stopped at once
    with pytest.raises(FileProblem) as err:
        read_grid("x.xlsx", bombs.workbook(bombs.sheet_xml(bombs.READINGS, [("A", 2, "P-1")])))
    assert err.value.code == "ingest.err.xlsx_over_limits"


def test_a_csv_wider_than_any_table_is_refused_before_its_rows_are_read():
    header = ",".join(f"c{i}" for i in range(5000))
    with pytest.raises(FileProblem) as err:
        read_grid("wide.csv", (header + "\n" + "1," * 4999 + "1\n").encode())
    assert err.value.code == "ingest.err.too_many_columns"
    assert err.value.values == {"cols": 5000, "max_cols": formats.max_columns()}


def test_a_200_mb_csv_is_refused_by_its_size_before_it_is_read(tmp_path, monkeypatch, store):
    path = bombs.big_csv(tmp_path / "readings.csv", 200)
    assert path.stat().st_size > 200 << 20

    def never(*_a, **_k):
        raise AssertionError("a file over the size limit was parsed")

    monkeypatch.setattr(formats, "decode", never)
    monkeypatch.setattr(formats, "_read_csv_text", never)
    with pytest.raises(FileProblem) as err:
        read_grid(path.name, path.read_bytes())
    assert err.value.code == "ingest.err.too_large" and float(err.value.values["size_mb"]) >= 200
    # The CLI refuses it from its size on disk, without reading the bytes.
    done = subprocess.run([sys.executable, "-m", "pilotdash", "load", str(path)],
                          capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PILOTDASH_LANG": "en"})
    assert done.returncode == 2, done.stderr
    assert "limit is 50 MB" in done.stderr


def test_the_worker_tells_which_cells_are_percent_formatted():
    import io

    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet("readings")
    sheet.write_row(0, 0, bombs.READINGS)
    sheet.write_row(1, 0, ["A", "P1", "2026-06-30"])
    sheet.write_number(1, 3, 0.85, book.add_format({"num_format": "0%"}))
    sheet.write_row(2, 0, ["A", "P2", "2026-06-30"])
    sheet.write_number(2, 3, 0.85, book.add_format({"num_format": "0.00"}))
    sheet.write_number(3, 3, 0.5, book.add_format({"num_format": '0.0" pts"%'}))  # custom, with %
    book.close()
    grid = read_grid("r.xlsx", buffer.getvalue())
    # a percent cell is read as the number it shows (issue 21): 85% → 85; a plain 0.85 stays
    assert grid.rows.column("c3").to_pylist() == ["85", "0.85", "50"]
    assert grid.percent == {(2, 3), (4, 3)}  # (file row, column): 85% as typed, not 0.85
