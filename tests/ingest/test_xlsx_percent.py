"""Excel percent cells (issue 21 item 3): a cell showing 93.5% (value 0.935) is read as 93.5; a
value that looks like a fraction against the pilot's percent history is a warning in the preview.
Fixture store: A's P1 (%) readings are 60, 66 and 99."""

import io
import zipfile

import xlsxwriter

from pilotdash.ingest.formats import read_grid
from pilotdash.ingest.plan import prepare
from pilotdash.ingest.xlsx_percent import is_percent_format, percent_cells


def workbook(rows, formats) -> bytes:
    """A readings sheet; formats: {(row, col): num_format} for the data cells."""
    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet("readings")
    ws.write_row(0, 0, ["project_id", "indicator_code", "period_end", "actual_value"])
    for r, row in enumerate(rows, start=1):
        for c, v in enumerate(row):
            fmt = formats.get((r, c))
            ws.write(r, c, v, book.add_format({"num_format": fmt}) if fmt is not None else None)
    book.close()
    return buf.getvalue()


def test_percent_formats():
    assert is_percent_format("0.0%") and is_percent_format("0%;[Red]-0%")
    assert not is_percent_format('0.0"%"') and not is_percent_format("0.00\\%") and not is_percent_format("0.00")


def test_percent_cells_are_read_as_shown():
    data = workbook([["A", "P1", "2026-12-31", 0.935], ["A", "I3", "2026-12-31", 4], ["A", "I1", "2026-12-31", 0.5]],
                    {(1, 3): "0.0%", (3, 3): 10})  # 10: the built-in "0.00%"
    assert percent_cells(data, "readings") == {(1, 3), (3, 3)}
    grid = read_grid("r.xlsx", data, ("readings",))
    assert [r["c3"] for r in grid.rows.to_pylist()] == ["93.5", "4", "50"]


def test_a_percent_cell_imports_as_the_number_shown(store):
    data = workbook([["A", "P1", "2026-12-31", 0.935]], {(1, 3): "0.0%"})
    plan = prepare(store, "readings.xlsx", data)
    assert plan.counts.inserts == 1 and plan.counts.warnings == 0


def test_a_fraction_against_a_percent_history_is_a_warning(store):
    # 0.935 typed plainly (no percent format) where A's P1 readings are 60, 66, 99.
    plan = prepare(store, "readings.csv", b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-12-31,0.935\n"
                   b"A,I3,2026-12-31,0.5\n")
    assert plan.counts.warnings == 1  # I3 is a count (unit 个): 0.5 is no fraction of a percent
    row = plan.report("en").iloc[0]
    assert (row["Row"], row["Column"], row["Value"], row["Severity"]) == (2, "actual_value", "0.935", "Warning")
    assert "Did you mean 93.5?" in row["Reason"]
    assert "是否应为 93.5？" in plan.report("zh").iloc[0, 3]


def test_a_hostile_workbook_gives_no_percent_cells():
    # A styles part declaring entities (a billion-laughs attempt) is refused, not expanded.
    data = workbook([["A", "P1", "2026-12-31", 0.935]], {(1, 3): "0.0%"})
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            body = src.read(info)
            if info.filename == "xl/styles.xml":
                body = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]>' + body.split(b"?>", 1)[1]
            dst.writestr(info, body)
    assert percent_cells(out.getvalue(), "readings") == set()
    assert percent_cells(b"not a zip", "readings") == set()
