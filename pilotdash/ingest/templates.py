"""Templates analysts fill in: a blank and an example file per table, as CSV or xlsx.

CSV is written as UTF-8 with a BOM, so that Excel opens the Chinese headers correctly. Headers
are in the interface language (English names, or the Chinese names of the contract); either is
accepted on upload.
"""

from __future__ import annotations

import csv
import io

from ..spreadsheet import XLSX_OPTIONS, neutral_row
from .contract import Contract, contract

FORMATS = ("csv", "xlsx")


def headers(con: Contract, lang: str) -> list[str]:
    return [c.zh if lang == "zh" else c.name for c in con.columns]


def example_rows(con: Contract) -> list[list[str]]:
    first = [c.example for c in con.columns]
    if not con.example2:
        return [first]
    return [first, [con.example2.get(c.name, c.example) for c in con.columns]]


def template(table: str, lang: str, fmt: str = "csv", example: bool = False) -> bytes:
    """The file's bytes: headers only, or headers and example rows."""
    con = contract(table)
    rows = [headers(con, lang), *(example_rows(con) if example else [])]
    if fmt == "csv":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(neutral_row(r) for r in rows)
        return buf.getvalue().encode("utf-8-sig")
    if fmt == "xlsx":
        return _xlsx(table, rows)
    raise ValueError(fmt)


def file_name(table: str, fmt: str, example: bool) -> str:
    return f"{table}_{'example' if example else 'template'}.{fmt}"


def _xlsx(sheet: str, rows: list[list[str]]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True, **XLSX_OPTIONS})
    text = book.add_format({"num_format": "@"})
    bold = book.add_format({"bold": True, "num_format": "@"})
    ws = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            ws.write_string(r, c, value, bold if r == 0 else text)
    ws.set_column(0, max(len(rows[0]) - 1, 0), 18, text)
    ws.freeze_panes(1, 0)
    book.close()
    return buf.getvalue()
