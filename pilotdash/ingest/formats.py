"""From an uploaded file's bytes to a grid of text cells: size check, encoding, delimiter, sheets.

Nothing here knows what the columns mean. The result is a `Grid`: the header cells, and the data
rows as an Arrow table of strings (`c0`, `c1`, ...) with the file row number of each (`_row`;
the header is row 1, as Excel numbers them). A problem with the file as a whole raises
`FileProblem` (a `Problem` whose code is `ingest.err.<code>`).

CSV is detected, never asked for: a BOM first, then strict UTF-8, then UTF-16 without a BOM,
then the one plausible reading among GB18030 (a superset of GBK, which Chinese Excel's "save as
CSV" writes), Windows-1252/Latin-1 and Shift-JIS; a file that reads plausibly in none or in
several of them is refused (`decode`), so garbled text is never stored. The decoded text is
read by pyarrow's CSV reader in memory when every row is as wide as the header (~0.12 s for a
million readings rows), else by DuckDB's (which pads short rows); anything both refuse, and files
with blank lines (which they skip, shifting row numbers), go through Python's csv module so that
every row keeps its file row number and a malformed row becomes a row error, not a crash. The
three read a well-formed file alike (tests/ingest/test_formats.py).

Workbooks are bounded before they are read and read in a child process (`xlsx_cells`): the sheet's
declared and real size against `max_rows` (what a CSV within the size limit can hold) and
`max_columns` (the widest table's plus a margin), the unpacked size against `UNPACK_RATIO` times
the size limit, the reading under `XLSX_MEMORY_BYTES` and `XLSX_CPU_SECONDS`. A 5 KB workbook
asking for a 500 GB grid is a refusal naming its size, never the end of the server.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv

from ..errors import Problem
from . import xlsx_cells
from .contract import CONTRACTS

MAX_BYTES_DEFAULT = 50 * 1024 * 1024
# The narrowest table's row (a reading: pilot, indicator, period end, value) takes about this many
# bytes in a CSV, so no file within the size limit holds more data rows than limit / this.
MIN_ROW_BYTES = 32
EXCEL_MAX_ROWS = 1_048_576
# Columns a file may carry beyond the widest table's: notes, a blank spacer, an old column.
COLUMN_MARGIN = 16
# A real workbook unpacks to a few times its size (XML compresses about ten-fold); a zip bomb to
# thousands of times. Beyond this multiple of the size limit a workbook is refused unread.
UNPACK_RATIO = 20
# What the process reading one workbook may use: beyond either it is stopped, and the file refused.
XLSX_MEMORY_BYTES = 2 * 1024 ** 3
XLSX_CPU_SECONDS = 120
_XLSX_WORKER = Path(xlsx_cells.__file__)
DELIMITERS = (",", ";", "\t")
_XLSX_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0"
_BLANK_LINE = re.compile(r"\n[ \t\r]*\n")


class FileProblem(Problem):
    """The file cannot be read as a table at all (`ingest.err.*`). Its own name because the plan
    turns exactly these into the file's issues, shown beside the preview, and lets others pass."""


@dataclass
class Grid:
    headers: list[str]
    rows: pa.Table  # `_row` int64, then c0..c{n-1} strings
    encoding: str = ""
    delimiter: str = ""
    sheet: str = ""
    # Rows whose number of cells does not match the header: (file row, cells found).
    ragged: list[tuple[int, int]] = field(default_factory=list)
    # Workbook cells whose number format shows a percentage: (file row, column index as in c{i}).
    # Excel stores 85% as 0.85; this is how a reader of the cells tells the two apart.
    percent: frozenset[tuple[int, int]] = frozenset()


def max_bytes() -> int:
    """The upload size limit: PILOTDASH_MAX_UPLOAD_MB, default 50 MB."""
    raw = os.environ.get("PILOTDASH_MAX_UPLOAD_MB")
    try:
        return int(float(raw) * 1024 * 1024) if raw else MAX_BYTES_DEFAULT
    except ValueError:
        return MAX_BYTES_DEFAULT


def max_rows(limit: int | None = None) -> int:
    """The most data rows a file may have: what a CSV within the size limit can hold, and never
    more than an Excel sheet has."""
    limit = max_bytes() if limit is None else limit
    return max(1, min(EXCEL_MAX_ROWS - 1, limit // MIN_ROW_BYTES))


def max_columns() -> int:
    """The most columns a file may have: the widest table's, plus a margin."""
    return max(len(c.columns) for c in CONTRACTS.values()) + COLUMN_MARGIN


def check_size(size: int, limit: int | None = None) -> None:
    limit = max_bytes() if limit is None else limit
    if size > limit:
        raise FileProblem("ingest.err.too_large", size_mb=f"{size / 1048576:.1f}", limit_mb=f"{limit / 1048576:.0f}")


def read_grid(file_name: str, data: bytes, sheet_hints: tuple[str, ...] = (), limit: int | None = None) -> Grid:
    """The file's cells. `sheet_hints` are sheet names to prefer in a workbook (a table's names)."""
    check_size(len(data), limit)
    if not data or data.isspace():  # (no copy of a 50 MB file to find out)
        raise FileProblem("ingest.err.empty_file")
    lower = file_name.lower()
    if data.startswith(_XLSX_MAGIC) or lower.endswith((".xlsx", ".xlsm")):
        return _read_xlsx(data, sheet_hints, max_bytes() if limit is None else limit)
    if data.startswith(_XLS_MAGIC) or lower.endswith(".xls"):
        raise FileProblem("ingest.err.old_xls")
    text, encoding = decode(data)
    return _read_csv_text(text, encoding)


# Encodings -------------------------------------------------------------------------------------

# Tried in this order for a file without a BOM that is not UTF-8. Each is a guess: bytes of one
# encoding are often valid in another ("£m" in Windows-1252 is a private-use GBK character), so a
# guess is kept only when its text is plausible, and the file is read only when exactly one is.
CANDIDATES = ("gb18030", "cp1252", "shift_jis")
TRIED = ("utf-8", "utf-16", *CANDIDATES)
# Checked on the file's bytes: in every candidate encoding a byte below 0x80 is that ASCII
# character (multi-byte sequences' trail bytes are never control characters).
_CONTROL_BYTES = {*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F}
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL_BYTES)  # bytes.translate deletes these
_CHUNK = 1 << 22  # characters per step when collecting a text's distinct characters


def _distinct_non_ascii(text: str) -> tuple[set[str], int]:
    """The distinct characters above U+007F of `text`, and how many there are in all; in numpy,
    a few million characters at a time, so that a 50 MB file costs a fraction of a second."""
    found: set[int] = set()
    count = 0
    for start in range(0, len(text), _CHUNK):
        points = np.frombuffer(text[start:start + _CHUNK].encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        wide = points[points > 0x7F]
        count += int(wide.size)
        found.update(np.unique(wide).tolist())
    return {chr(p) for p in found}, count


def decode(data: bytes) -> tuple[str, str]:
    """The text and the name of its encoding: a BOM first, then strict UTF-8, then UTF-16 without
    a BOM (NUL bytes in every other place), then the one plausible reading among GB18030/GBK,
    Windows-1252 (Latin-1) and Shift-JIS. Anything else is refused, never guessed."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", "utf-16")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    else:
        if not _maybe_gbk_as_utf8(text, data):
            return text, "utf-8"
        raise FileProblem("ingest.err.ambiguous_encoding", encodings="utf-8, gb18030", tried=", ".join(TRIED))
    wide = _utf16_without_bom(data)
    if wide:
        return _strict(data, wide, wide)
    readings: dict[str, str] = {}
    runs = _byte_runs(np.frombuffer(data, dtype=np.uint8))  # the same bytes for every guess
    for codec in CANDIDATES:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if plausible(text, codec, data, runs):
            readings[codec] = text
    if len(readings) == 1:
        codec, text = next(iter(readings.items()))
        return text, codec
    if readings:
        raise FileProblem("ingest.err.ambiguous_encoding", encodings=", ".join(readings), tried=", ".join(TRIED))
    raise FileProblem("ingest.err.bad_encoding", offset=first_bad, tried=", ".join(TRIED))


def _maybe_gbk_as_utf8(text: str, data: bytes) -> bool:
    """Whether valid UTF-8 may really be GBK: a few GBK characters happen to be valid two-byte
    UTF-8 (值 reads as a Hebrew point). Only when every non-ASCII character is a two-byte one
    outside the Latin letters and the GBK reading is plausible Chinese."""
    if text.isascii():
        return False
    distinct, _ = _distinct_non_ascii(text)
    if not all("\u0080" <= c <= "\u07ff" for c in distinct) or all("\u00a0" <= c <= "\u024f" for c in distinct):
        return False
    try:
        return plausible(data.decode("gb18030"), "gb18030", data)
    except UnicodeDecodeError:
        return False


def _byte_runs(raw: np.ndarray) -> tuple[int, int]:
    """Evidence from the runs of bytes >= 0x80: (Western, Chinese). A run of one byte, or one
    inside a word (an ASCII letter on both sides: "ações"), is how Windows-1252 text looks; a
    longer run between anything else (commas, line ends, other runs) is how GBK text looks."""
    at = np.flatnonzero(raw >= 0x80)  # the positions of high bytes: few, in a mostly ASCII file
    if at.size == 0:
        return 0, 0
    breaks = np.flatnonzero(np.diff(at) > 1)
    starts = at[np.concatenate(([0], breaks + 1))]
    ends = at[np.concatenate((breaks, [at.size - 1]))] + 1  # a run is raw[start:end]
    letter = np.zeros(256, dtype=bool)
    letter[np.frombuffer(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", dtype=np.uint8)] = True
    left = np.where(starts > 0, raw[np.maximum(starts - 1, 0)], 0)
    right = np.where(ends < raw.size, raw[np.minimum(ends, raw.size - 1)], 0)
    inside_word = letter[left] & letter[right]
    single = (ends - starts) == 1
    western = int((single | inside_word).sum())
    return western, int(starts.size - western)


def plausible(text: str, codec: str, data: bytes | None = None, runs: tuple[int, int] | None = None) -> bool:
    """Whether `text`, decoded from the file's bytes `data` as `codec`, reads as text someone
    wrote: no control, private-use, unassigned or replacement characters, and characters of the
    script the encoding is for. A wrong guess gives rare characters (GB18030), runs of accented
    letters and symbols where each Chinese character was two bytes (Windows-1252), or half-width
    katakana (Shift-JIS). Works on arrays of bytes and code points, so that a large file costs
    little more than its decoding."""
    data = text.encode(codec) if data is None else data
    if data.translate(None, _NOT_CONTROL):  # any control byte left
        return False
    distinct, count = _distinct_non_ascii(text)
    if "\ufffd" in distinct or any(unicodedata.category(c) in ("Cn", "Co", "Cs", "Cc") for c in distinct):
        return False
    if codec == "gb18030":
        # Chinese text is mostly GB2312's 6,763 common characters, with the odd rare one in a
        # name; bytes of another encoding read as GBK are almost all outside it, or symbols.
        hanzi = [c for c in distinct if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"]
        common = sum(1 for c in hanzi if _in_gb2312(c))
        western, chinese = runs or _byte_runs(np.frombuffer(data, dtype=np.uint8))
        return common > 0 and common >= len(distinct) - common and chinese > western
    if codec == "cp1252":
        # Western text has an accented letter or a symbol here and there, alone or inside a word.
        western, chinese = runs or _byte_runs(np.frombuffer(data, dtype=np.uint8))
        return count > 0 and western > chinese
    if codec == "shift_jis":
        kana = any("\u3040" <= c <= "\u30ff" for c in distinct)
        return kana and not any("\uff61" <= c <= "\uff9f" for c in distinct)
    return True


def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _utf16_without_bom(data: bytes) -> str | None:
    """utf-16-le or utf-16-be when most ASCII characters show as a NUL byte beside them."""
    sample = data[:4096]
    if len(sample) < 4 or len(data) % 2:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    if odd > 0.3 * half and even == 0:
        return "utf-16-le"
    if even > 0.3 * half and odd == 0:
        return "utf-16-be"
    return None


def _strict(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as exc:
        raise FileProblem("ingest.err.bad_encoding", offset=exc.start, tried=name) from exc


# CSV -------------------------------------------------------------------------------------------

def sniff_delimiter(first_line: str) -> str:
    """The delimiter of the header line: the most frequent of comma, semicolon, tab outside
    quotes (a header like "amount, 万元" stays one cell only when it is quoted)."""
    outside = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: outside.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _read_csv_text(text: str, encoding: str) -> Grid:
    if "\x00" in text:
        raise FileProblem("ingest.err.binary_file")
    text = text.lstrip("\ufeff").rstrip("\r\n \t")
    if not text:
        raise FileProblem("ingest.err.empty_file")
    end = text.find("\n")
    first_line = text if end < 0 else text[:end]
    delimiter = sniff_delimiter(first_line)
    # Without quotes the header row ends with its line, so parse only that line (copying a large
    # file into a StringIO costs more than the whole parse); with quotes it may go on.
    head = text if end < 0 or '"' in first_line else text[: end + 1]
    try:
        header = next(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter, strict=False))
    except (StopIteration, csv.Error) as exc:
        raise FileProblem("ingest.err.unreadable_csv", detail=f"row 1: {exc}") from exc
    if len(header) > max_columns():  # every row becomes that many columns: refuse before
        raise FileProblem("ingest.err.too_many_columns", cols=len(header), max_cols=max_columns())
    if "\n" not in text:
        return Grid(header, _empty_rows(len(header)), encoding, delimiter)
    # DuckDB's `skip` counts lines, not records: a header cell with a line break in it (Excel
    # writes them for wrapped headings) goes the careful way too.
    if not _BLANK_LINE.search(text) and not any("\n" in h or "\r" in h for h in header):
        try:  # every row as wide as the header, no cell across a block: Arrow's reader, in memory
            return _read_csv_arrow(text, header, encoding, delimiter)
        except pa.ArrowInvalid:
            pass  # a short or long row, a stray quote: DuckDB pads short rows
        try:
            return _read_csv_duckdb(text, header, encoding, delimiter)
        except duckdb.Error:
            pass  # Malformed somewhere: the careful reader below says which row.
    return _read_csv_python(text, encoding, delimiter)


def _read_csv_arrow(text: str, header: list[str], encoding: str, delimiter: str) -> Grid:
    """A well-formed file read by pyarrow from memory: every cell as text, an empty cell as
    missing (and only that: no "NA", "NULL" or "nan" read as missing), quotes doubled inside a
    quoted cell as the other readers do. Any row of another width, or a quote left open, raises
    ArrowInvalid and the file goes the slower ways. At 1M readings rows (33 MB) it takes ~0.12 s
    where DuckDB's reader and its Arrow copy took ~0.95 s (issue 19's upload budget)."""
    names = [f"c{i}" for i in range(len(header))]
    table = pa_csv.read_csv(
        pa.BufferReader(text.encode("utf-8")),
        read_options=pa_csv.ReadOptions(skip_rows=1, column_names=names, block_size=8 << 20),
        parse_options=pa_csv.ParseOptions(delimiter=delimiter, quote_char='"', double_quote=True,
                                          escape_char=False, newlines_in_values=True, ignore_empty_lines=False),
        convert_options=pa_csv.ConvertOptions(column_types={n: pa.string() for n in names}, null_values=[""],
                                              strings_can_be_null=True, quoted_strings_can_be_null=False),
    )
    rows = pa.array(np.arange(2, table.num_rows + 2, dtype=np.int64))
    return Grid(header, table.add_column(0, "_row", rows), encoding, delimiter)


def _read_csv_duckdb(text: str, header: list[str], encoding: str, delimiter: str) -> Grid:
    columns = {f"c{i}": "VARCHAR" for i in range(len(header))}
    fd, path = tempfile.mkstemp(suffix=".csv")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(text.encode("utf-8"))
        con = duckdb.connect()
        try:
            table = con.sql(
                "SELECT * FROM read_csv($path, header = false, skip = 1, auto_detect = false, "
                "all_varchar = true, delim = $delim, quote = '\"', escape = '\"', "
                "columns = $columns, null_padding = true, strict_mode = true, encoding = 'utf-8')",
                params={"path": path, "delim": delimiter, "columns": columns},
            ).to_arrow_table()
        finally:
            con.close()
    finally:
        os.unlink(path)
    rows = pa.array(np.arange(2, table.num_rows + 2, dtype=np.int64))
    return Grid(header, table.add_column(0, "_row", rows), encoding, delimiter)


def _read_csv_python(text: str, encoding: str, delimiter: str) -> Grid:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    csv.field_size_limit(16 * 1024 * 1024)
    try:
        header = next(reader)
    except (StopIteration, csv.Error) as exc:
        raise FileProblem("ingest.err.unreadable_csv", detail=str(exc)) from exc
    width = len(header)
    cells = _Cells(width)
    ragged: list[tuple[int, int]] = []
    while True:
        row_no = len(cells.numbers) + len(ragged) + 2
        try:
            row = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            raise FileProblem("ingest.err.unreadable_csv", detail=f"row {row_no}: {exc}") from exc
        if not row or all(not c.strip() for c in row):
            cells.add(row_no, [])
            continue
        if len(row) > width and any(c.strip() for c in row[width:]):
            ragged.append((row_no, len(row)))
            continue
        cells.add(row_no, row)
    return Grid(header, cells.table(), encoding, delimiter, ragged=ragged)


class _Cells:
    """A file's data rows column by column (all text, None for a missing cell), each row with its
    row number in the file: the grid every reader hands to validation."""

    def __init__(self, width: int):
        self.numbers: list[int] = []
        self.columns: list[list[str | None]] = [[] for _ in range(width)]

    def add(self, row_no: int, row: list) -> None:
        self.numbers.append(row_no)
        for i, col in enumerate(self.columns):
            col.append(row[i] if i < len(row) else None)

    def table(self) -> pa.Table:
        return pa.table({"_row": pa.array(self.numbers, pa.int64()),
                         **{f"c{i}": pa.array(c, pa.string()) for i, c in enumerate(self.columns)}})


def _empty_rows(width: int) -> pa.Table:
    return pa.table({"_row": pa.array([], pa.int64()), **{f"c{i}": pa.array([], pa.string()) for i in range(width)}})


# Excel -----------------------------------------------------------------------------------------

def _read_xlsx(data: bytes, sheet_hints: tuple[str, ...], limit: int) -> Grid:
    """The workbook's cells, read by `xlsx_cells` in a child process under memory and time
    limits: whatever the file does to the reader, this process only sees a refusal."""
    limits = {"max_unpacked": UNPACK_RATIO * limit, "max_rows": max_rows(limit),
              "max_columns": max_columns(), "memory_bytes": XLSX_MEMORY_BYTES,
              "seconds": XLSX_CPU_SECONDS, "hints": list(sheet_hints)}
    over = FileProblem("ingest.err.xlsx_over_limits", memory_mb=XLSX_MEMORY_BYTES // 1048576, seconds=XLSX_CPU_SECONDS)
    with tempfile.TemporaryDirectory(prefix="pilotdash-xlsx-") as work:
        source, target = Path(work, "in.xlsx"), Path(work, "cells.jsonl")
        source.write_bytes(data)
        try:
            done = subprocess.run(
                [sys.executable, "-I", str(_XLSX_WORKER), str(source), str(target), json.dumps(limits)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                timeout=XLSX_CPU_SECONDS + 30, check=False)
        except subprocess.TimeoutExpired as exc:  # (run kills the child before raising)
            raise over from exc
        if done.returncode != 0 or not target.exists():
            raise over
        with open(target, encoding="utf-8") as lines:
            return _grid_from_cells(lines)


def _grid_from_cells(lines) -> Grid:
    """The Grid of the worker's lines: its sheet, the rows holding values, the percent cells."""
    first = json.loads(next(lines, "null") or "null")
    if not isinstance(first, dict):
        raise FileProblem("ingest.err.unreadable_xlsx", detail="no answer from the reader")
    if "problem" in first:
        raise FileProblem(f"ingest.err.{first['problem']}", **first.get("params", {}))
    name = first["sheet"]
    header: list[str] | None = None
    cells: _Cells | None = None
    ragged: list[tuple[int, int]] = []
    percent: frozenset[tuple[int, int]] = frozenset()
    last = 1
    for line in lines:
        item = json.loads(line)
        if isinstance(item, dict):
            percent = frozenset(tuple(p) for p in item.get("percent", ()))
            continue
        row_no, row = item
        if header is None:
            header = [c or "" for c in row] if row_no == 1 else []
            while header and not header[-1].strip():
                header.pop()
            cells = _Cells(len(header))
            if row_no == 1:
                continue
        assert cells is not None
        for blank in range(last + 1, row_no):  # blank rows keep their place, as in a CSV
            cells.add(blank, [])
        last = row_no
        if any(c is not None and c.strip() for c in row[len(header):]):
            ragged.append((row_no, len(row)))
            continue
        cells.add(row_no, row)
    if header is None or cells is None:
        raise FileProblem("ingest.err.empty_file")
    return Grid(header, cells.table(), "xlsx", "", sheet=name, ragged=ragged, percent=percent)
