"""Hostile files, made by the tests (nothing binary is committed): workbooks written part by part
with zipfile, so a sheet can declare or hold any extent in a few kilobytes."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/></Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


def _inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def sheet_xml(header: list[str], far: list[tuple[str, int, str]], dimension: str = "") -> str:
    """A sheet with a header row and cells at (column letters, row, text) far away."""
    head = "".join(_inline(f"{chr(65 + i)}1", h) for i, h in enumerate(header))
    rows = [f'<row r="1">{head}</row>']
    for letters, row, text in far:
        rows.append(f'<row r="{row}">{_inline(f"{letters}{row}", text)}</row>')
    dim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f'{dim}<sheetData>{"".join(rows)}</sheetData></worksheet>')


def workbook(sheet: str | bytes, name: str = "readings") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name=name))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        book.writestr("xl/worksheets/sheet1.xml", sheet)
    return buffer.getvalue()


READINGS = ["project_id", "indicator_code", "period_end", "actual_value"]


def far_cell_bomb() -> bytes:
    """The issue's first bomb: a header row and one cell at XFD1048576 (calamine asked for 512 GB)."""
    return workbook(sheet_xml(READINGS, [("XFD", 1048576, "x")]))


def wide_span_bomb() -> bytes:
    """The issue's second: a few KB whose cells span A1:GS100001 (862 MB read densely)."""
    return workbook(sheet_xml(READINGS, [("GS", 100001, "x")], dimension="A1:GS100001"))


def declared_only_bomb() -> bytes:
    """A sheet declaring A1:XFD1048576 whose cells are all in the header."""
    return workbook(sheet_xml(READINGS, [], dimension="A1:XFD1048576"))


def zip_bomb(unpacked_mb: int) -> bytes:
    """A sheet part of `unpacked_mb` MB of blanks inside the sheet: deflates about a thousand-fold."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK.format(name="readings"))
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            part.write(b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                       b'spreadsheetml/2006/main"><sheetData>')
            blank = b" " * (1 << 20)
            for _ in range(unpacked_mb):
                part.write(blank)
            part.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def lying_zip_bomb(unpacked_mb: int) -> bytes:
    """A zip bomb whose directory claims each part is tiny: only inflating it shows its size."""
    data = bytearray(zip_bomb(unpacked_mb))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as book:
        info = book.getinfo("xl/worksheets/sheet1.xml")
    # Every place the real size is written (local header or data descriptor, central directory).
    for width in (8, 4):
        real, small = info.file_size.to_bytes(width, "little"), (1000).to_bytes(width, "little")
        data = bytearray(bytes(data).replace(real, small))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as book:
        assert book.getinfo("xl/worksheets/sheet1.xml").file_size == 1000
    return bytes(data)

def big_csv(path: Path, megabytes: int) -> Path:
    """A readings CSV of `megabytes` MB, written a megabyte at a time (never held in memory)."""
    line = b"P-0001,IND-01,2026-09-30,12.5\n"
    block = line * ((1 << 20) // len(line))
    with open(path, "wb") as f:
        f.write(b"project_id,indicator_code,period_end,actual_value\n")
        written = 0
        while written < megabytes << 20:
            f.write(block)
            written += len(block)
    return path
