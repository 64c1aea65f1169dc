"""A workbook's cells, read in a process of its own: `python xlsx_cells.py IN OUT LIMITS`.

A 5 KB workbook can ask for half a terabyte: calamine makes one dense grid from the first to the
last cell of a sheet, and a Rust allocation failure aborts the whole process, which no `except`
catches. So `formats.read_grid` runs this file as a child process and nothing here can take the
dashboard down. The child first lowers its own address-space and CPU limits, then reads only what
was bounded before: the zip directory's declared sizes (a zip bomb is refused unread), each part
streamed with a cap (a directory that lies is caught while inflating), the sheet's declared
`<dimension>` and the real extent and count of its cells (counted with expat, nothing kept) against
the row and column limits the parent passes. Only then does calamine read the sheet, from its
first real cell (never `skip_empty_area=False`).

Standard library and python-calamine only (no numpy, pyarrow or duckdb: the address-space limit
counts every library's mappings). Run with `-I`, so nothing from the dashboard's environment or
working directory is imported.

Output, one JSON value per line in OUT:
- `{"problem": code, "params": {...}}` alone: the file is refused (code as in `ingest.err.<code>`);
- otherwise `{"sheet": name}`, then `[row, [text or null, ...]]` for each row holding a value
  (row numbered as Excel does, first cell in column A), then `{"percent": [[row, column], ...]}`:
  the cells whose number format shows a percentage (column 0-based), so a reader of the cells can
  tell 85% typed in Excel (stored 0.85) from 0.85.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import resource
import sys
import zipfile
from xml.parsers import expat

_CHUNK = 1 << 20
_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_REF = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d{1,7})$")
_BUILTIN_PERCENT = {9, 10}  # "0%" and "0.00%" (ECMA-376 18.8.30)
_QUOTED = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


class Refused(Exception):
    def __init__(self, code: str, **params: object):
        super().__init__(code, params)
        self.code = code
        self.params = params


def column_number(letters: str) -> int:
    """1 for A, 16384 for XFD."""
    n = 0
    for ch in letters.upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, rem = divmod(n - 1, 26)
        out = chr(65 + rem) + out
    return out or "A"


def _cell(ref: str) -> tuple[int, int] | None:
    m = _REF.match(ref.strip())
    return (int(m.group(2)), column_number(m.group(1))) if m else None


# The package -------------------------------------------------------------------------------------

def check_package(book: zipfile.ZipFile, max_unpacked: int) -> None:
    """Refuse a package whose parts declare more than `max_unpacked` bytes in all."""
    declared = sum(info.file_size for info in book.infolist())
    if declared > max_unpacked:
        raise Refused("xlsx_unpacked_too_large", unpacked_mb=f"{declared / 1048576:.0f}",
                      limit_mb=f"{max_unpacked / 1048576:.0f}")


def stream(book: zipfile.ZipFile, name: str, max_unpacked: int):
    """A part's bytes in chunks, never more than it declared nor more than `max_unpacked`."""
    info = book.getinfo(name)
    cap = min(info.file_size, max_unpacked)
    seen = 0
    with book.open(info) as part:
        while True:
            chunk = part.read(_CHUNK)
            if not chunk:
                return
            seen += len(chunk)
            if seen > cap:
                raise Refused("xlsx_unpacked_too_large", unpacked_mb=f"{seen / 1048576:.0f}",
                              limit_mb=f"{cap / 1048576:.0f}")
            yield chunk


def _parse(book: zipfile.ZipFile, name: str, max_unpacked: int, start, end=None) -> None:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    for chunk in stream(book, name, max_unpacked):
        parser.Parse(chunk, False)
    parser.Parse(b"", True)


def _local(tag: str) -> str:
    return tag.rsplit(" ", 1)[-1]


def sheets(book: zipfile.ZipFile, max_unpacked: int) -> list[tuple[str, str]]:
    """(name, part path) of each sheet in the workbook's order."""
    names = set(book.namelist())
    workbook = "xl/workbook.xml"
    rels_found: dict[str, str] = {}

    def root_rel(tag, attrs):
        if _local(tag) == "Relationship" and attrs.get("Type", "").endswith("/officeDocument"):
            rels_found["main"] = attrs.get("Target", "").lstrip("/")

    if "_rels/.rels" in names:
        _parse(book, "_rels/.rels", max_unpacked, root_rel)
        workbook = rels_found.get("main", workbook)
    if workbook not in names:
        raise Refused("unreadable_xlsx", detail="no workbook part")
    found: list[tuple[str, str]] = []

    def sheet(tag, attrs):
        if _local(tag) == "sheet":
            found.append((attrs.get("name", ""), attrs.get(f"{_REL_NS} id", "")))

    _parse(book, workbook, max_unpacked, sheet)
    base = posixpath.dirname(workbook)
    rels_name = posixpath.join(base, "_rels", posixpath.basename(workbook) + ".rels")
    targets: dict[str, str] = {}

    def rel(tag, attrs):
        if _local(tag) == "Relationship":
            target = attrs.get("Target", "")
            path = (target.lstrip("/") if target.startswith("/")
                    else posixpath.normpath(posixpath.join(base, target)))
            targets[attrs.get("Id", "")] = path

    if rels_name in names:
        _parse(book, rels_name, max_unpacked, rel)
    return [(name, targets.get(rid, "")) for name, rid in found if targets.get(rid, "") in names]


def percent_styles(book: zipfile.ZipFile, max_unpacked: int) -> set[int]:
    """The cell style indexes (`s` of a cell) whose number format shows a percentage."""
    name = "xl/styles.xml"
    if name not in book.namelist():
        return set()
    custom: dict[int, str] = {}
    formats: list[int] = []
    where: list[str] = []

    def start(tag, attrs):
        local = _local(tag)
        where.append(local)
        if local == "numFmt":
            try:
                custom[int(attrs.get("numFmtId", "-1"))] = attrs.get("formatCode", "")
            except ValueError:
                pass
        elif local == "xf" and len(where) >= 2 and where[-2] == "cellXfs":
            try:
                formats.append(int(attrs.get("numFmtId", "0")))
            except ValueError:
                formats.append(0)

    _parse(book, name, max_unpacked, start, lambda tag: where.pop())
    return {i for i, fmt in enumerate(formats)
            if fmt in _BUILTIN_PERCENT or "%" in _QUOTED.sub("", custom.get(fmt, ""))}


class SheetScan:
    """What a sheet's XML says about its size, counted while streaming: the declared dimension,
    the last row and column holding a cell, the number of cells with a value, and which cells
    are percent-formatted (only those are kept)."""

    def __init__(self, percent: set[int]):
        self.percent_styles = percent
        self.dimension = ""
        self.rows = self.columns = self.cells = 0
        self.percent: list[tuple[int, int]] = []
        self._row = 0
        self._col = 0
        self._value_of: tuple[int, int] | None = None
        self._counted = False

    def start(self, tag: str, attrs: dict) -> None:
        local = _local(tag)
        if local == "c":
            at = _cell(attrs["r"]) if "r" in attrs else None
            self._col = at[1] if at else self._col + 1
            self.rows = max(self.rows, self._row)
            self.columns = max(self.columns, self._col)
            self._value_of, self._counted = (self._row, self._col), False
            style = attrs.get("s")
            if style is not None and style.isdigit() and int(style) in self.percent_styles:
                self.percent.append((self._row, self._col - 1))
        elif local == "row":
            r = attrs.get("r", "")
            self._row = int(r) if r.isdigit() else self._row + 1
            self._col = 0
        elif local in ("v", "is") and self._value_of is not None and not self._counted:
            self.cells += 1
            self._counted = True
        elif local == "dimension":
            self.dimension = attrs.get("ref", "")

    def end(self, tag: str) -> None:
        if _local(tag) == "c":
            self._value_of = None

    def declared(self) -> tuple[int, int]:
        """The rows and columns the `<dimension>` declares (0, 0 when absent)."""
        last = self.dimension.split(":")[-1]
        at = _cell(last) if last else None
        return at if at else (0, 0)


def scan_sheet(book: zipfile.ZipFile, path: str, percent: set[int], max_unpacked: int) -> SheetScan:
    scan = SheetScan(percent)
    _parse(book, path, max_unpacked, scan.start, scan.end)
    return scan


def check_sheet(name: str, scan: SheetScan, max_rows: int, max_columns: int) -> None:
    """Refuse a sheet whose declared or real size is beyond the limits, saying how big it is."""
    declared_rows, declared_columns = scan.declared()
    rows, columns = max(declared_rows, scan.rows), max(declared_columns, scan.columns)
    if rows > max_rows + 1 or columns > max_columns:  # + 1: the header row
        raise Refused("sheet_too_large", sheet=name, size=f"A1:{column_letters(columns)}{rows}",
                      rows=f"{rows:,}", cols=f"{columns:,}", cells=f"{scan.cells:,}",
                      max_rows=f"{max_rows:,}", max_cols=f"{max_columns:,}")


# The cells -----------------------------------------------------------------------------------

def cell_text(value: object) -> str | None:
    """A workbook cell as the text an analyst sees: whole numbers without ".0", dates as ISO."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def read(path: str, out, limits: dict) -> None:
    """Bound, then read, the workbook at `path`; write the lines described above to `out`."""
    max_unpacked = int(limits["max_unpacked"])
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise Refused("unreadable_xlsx", detail=str(exc)[:200]) from exc
    with book:
        check_package(book, max_unpacked)
        try:
            found = sheets(book, max_unpacked)
            if not found:
                raise Refused("empty_file")
            wanted = {h.strip().lower() for h in limits.get("hints", [])}
            name, part = next(((n, p) for n, p in found if n.strip().lower() in wanted), found[0])
            scan = scan_sheet(book, part, percent_styles(book, max_unpacked), max_unpacked)
        except zipfile.BadZipFile as exc:  # a part that fails its checksum or its declared size
            raise Refused("xlsx_damaged") from exc
        check_sheet(name, scan, int(limits["max_rows"]), int(limits["max_columns"]))
    from python_calamine import CalamineWorkbook

    workbook = CalamineWorkbook.from_path(path)
    sheet = workbook.get_sheet_by_name(name)
    out.write(json.dumps({"sheet": name}, ensure_ascii=False) + "\n")
    start = sheet.start  # the first real cell (0-based row, column), None for an empty sheet
    if start is not None:
        first_row, first_col = start
        # Both give rows from the first real cell's column on. `iter_rows` (lazy) numbers rows
        # from the sheet's top; with empty rows above the first cell, `to_python` starts at it.
        rows = sheet.iter_rows() if first_row == 0 else sheet.to_python(skip_empty_area=True)
        percent = {tuple(cell) for cell in scan.percent}
        for offset, values in enumerate(rows):
            row_no = first_row + offset + 1
            # a cell showing 93.5% holds 0.935: read as the number shown (issue 21)
            texts = [cell_text(shown_number(v) if (row_no, first_col + j) in percent and _is_number(v) else v)
                     for j, v in enumerate(values)]
            if any(t is not None for t in texts):
                out.write(json.dumps([row_no, [None] * first_col + texts],
                                     ensure_ascii=False) + "\n")
    out.write(json.dumps({"percent": scan.percent}) + "\n")


def shown_number(value: float) -> float:
    """A percent cell's value as the number it shows (0.935 → 93.5), without float noise."""
    return float(f"{value * 100:.12g}")


def _is_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def main(argv: list[str]) -> int:
    source, target, raw = argv
    limits = json.loads(raw)
    memory = int(limits["memory_bytes"])
    seconds = int(limits["seconds"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 1))
    with open(target, "w", encoding="utf-8") as out:
        try:
            read(source, out, limits)
        except Refused as exc:
            out.seek(0)
            out.truncate()
            out.write(json.dumps({"problem": exc.code, "params": exc.params}, ensure_ascii=False) + "\n")
        except MemoryError:
            raise  # the parent tells it apart by the exit status
        except Exception as exc:  # a broken part: zipfile's, expat's or calamine's own error types
            out.seek(0)
            out.truncate()
            out.write(json.dumps({"problem": "unreadable_xlsx", "params": {"detail": str(exc)[:200]}}) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
