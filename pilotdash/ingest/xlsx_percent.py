"""Which cells of a workbook's sheet are formatted as percentages (issue 21 item 3).

A cell that shows 93.5% holds 0.935; the analyst typed, and sees, 93.5. python-calamine gives the
value but not the number format, so the format is read here from the workbook's own XML:
`xl/styles.xml` (custom `numFmts` and the `cellXfs` list a cell's `s` attribute indexes) and the
sheet's cells. The workbook is untrusted: every part is size-checked before it is read, streamed
(never loaded whole), a part declaring a DOCTYPE (entity expansion) is refused, and at most
MAX_CELLS styled cells are looked at; on any doubt the answer is "none" (values stay as stored).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
import xml.etree.ElementTree as ET

from .xlsx_cells import shown_number

# Built-in number formats that are percentages (ECMA-376 18.8.30): 9 "0%", 10 "0.00%".
BUILTIN_PERCENT = frozenset({9, 10})
MAX_PART_BYTES = 256 * 1024 * 1024  # uncompressed size of one XML part
MAX_CELLS = 5_000_000
_CHUNK = 64 * 1024
_NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
# A '%' in a format code outside quotes and escapes makes the value shown ×100.
_QUOTED = re.compile(r'"[^"]*"|\\.')


class _Refused(Exception):
    pass


def _stream(book: zipfile.ZipFile, name: str):
    """(event, element) pairs of one part, streamed; refused when too large or with a DOCTYPE."""
    try:
        info = book.getinfo(name)
    except KeyError:
        raise _Refused(name) from None
    if info.file_size > MAX_PART_BYTES:
        raise _Refused(name)
    parser = ET.XMLPullParser(events=("end",))
    with book.open(info) as part:
        first = True
        while chunk := part.read(_CHUNK):
            if first and (b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk):
                raise _Refused(name)
            first = False
            parser.feed(chunk)
            yield from parser.read_events()
    parser.close()
    yield from parser.read_events()


def is_percent_format(code: str) -> bool:
    return "%" in _QUOTED.sub("", code)


def _percent_styles(book: zipfile.ZipFile) -> set[int]:
    """The indexes into cellXfs whose number format is a percentage."""
    custom: set[int] = set()
    styles: list[int] = []
    for _, el in _stream(book, "xl/styles.xml"):
        if el.tag == f"{_NS_MAIN}numFmt":
            if is_percent_format(el.get("formatCode", "")):
                custom.add(int(el.get("numFmtId", "-1")))
        elif el.tag == f"{_NS_MAIN}xf":
            styles.append(int(el.get("numFmtId", "0")))
            el.clear()
        elif el.tag == f"{_NS_MAIN}cellStyleXfs":
            styles.clear()  # those were the named styles' formats, not the cells'
        elif el.tag == f"{_NS_MAIN}cellXfs":
            break  # the xf elements since cellStyleXfs are the cells' (what `s` indexes)
        if len(styles) > MAX_CELLS:
            raise _Refused("styles")
    percent = BUILTIN_PERCENT | custom
    return {i for i, fmt in enumerate(styles) if fmt in percent}


def _sheet_part(book: zipfile.ZipFile, sheet: str) -> str:
    rid = None
    for _, el in _stream(book, "xl/workbook.xml"):
        if el.tag == f"{_NS_MAIN}sheet" and el.get("name") == sheet:
            rid = el.get(f"{_NS_REL}id")
            break
    if rid is None:
        raise _Refused(sheet)
    for _, el in _stream(book, "xl/_rels/workbook.xml.rels"):
        if el.tag == f"{_NS_PKG}Relationship" and el.get("Id") == rid:
            target = el.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
    raise _Refused(sheet)


def _column(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n - 1


def percent_cells(data: bytes, sheet: str) -> set[tuple[int, int]]:
    """(row, column) of the cells of `sheet` formatted as a percentage, both from 0 (row 0 is
    Excel's row 1). Empty when the workbook says nothing usable about formats."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            percent = _percent_styles(book)
            if not percent:
                return set()
            part = _sheet_part(book, sheet)
            found: set[tuple[int, int]] = set()
            seen = 0
            for _, el in _stream(book, part):
                if el.tag != f"{_NS_MAIN}c":
                    if el.tag == f"{_NS_MAIN}row":
                        el.clear()  # streamed: keep no finished row in memory
                    continue
                seen += 1
                if seen > MAX_CELLS:
                    raise _Refused(part)
                style, ref = el.get("s"), el.get("r", "")
                m = _REF.match(ref)
                if style is not None and m and style.isdigit() and int(style) in percent:
                    found.add((int(m.group(2)) - 1, _column(m.group(1))))
            return found
    except (_Refused, zipfile.BadZipFile, ET.ParseError, ValueError, OSError, RuntimeError):
        return set()


def as_shown(values: list[list[object]], cells: set[tuple[int, int]]) -> list[list[object]]:
    """A sheet's values (row 0 = Excel's row 1) with each number in a percent cell replaced by
    the number it shows."""
    if not cells:
        return values
    out = []
    for r, row in enumerate(values):
        out.append([shown_number(v) if (r, c) in cells and isinstance(v, (int, float)) and not isinstance(v, bool)
                    else v for c, v in enumerate(row)])
    return out
