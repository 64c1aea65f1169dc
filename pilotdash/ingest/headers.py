"""Which table a file is for, and which of its columns is which contract column.

A header may be the English name (`period_end`), the Chinese name (`统计期末`) or both
(`period_end (统计期末)`, `统计期末（period_end）`, or the two on two lines of a wrapped heading), in any
order, with spaces around it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .contract import CONTRACTS, Contract

# The reasons column of a rejected-rows file (`Plan.rejected_file`): skipped on upload, so that
# the file re-uploads as it is once its cells are fixed.
# Its header is written in the file's reader's language (`ingest.rejected_reason`: "拒绝原因", no
# internal name on a Chinese office's file); every spelling it ever had is skipped.
REJECTED_REASON = "rejected_reason (拒绝原因)"  # files made before the header was translated
IGNORED = {"rejected_reason", "拒绝原因", "why rejected"}

_BRACKETS = re.compile(r"[()（）\[\]【】\r\n]")
_WS = " \t\r\n\u3000\u00a0\ufeff"


def _spellings(header: str) -> list[str]:
    text = header.strip(_WS)
    parts = [p.strip(_WS) for p in _BRACKETS.split(text)]
    out = [text.lower()] + [p.lower() for p in parts if p]
    return out


@dataclass
class HeaderMatch:
    contract: Contract
    columns: dict[str, int] = field(default_factory=dict)  # contract column -> file column index
    unknown: list[tuple[int, str]] = field(default_factory=list)  # (index, header)
    repeated: list[tuple[int, str]] = field(default_factory=list)

    @property
    def missing_key(self) -> list[str]:
        return [c for c in self.contract.key if c not in self.columns and self.contract.column(c).required]

    @property
    def ok(self) -> bool:
        return not self.unknown and not self.repeated and not self.missing_key


def match(contract: Contract, headers: list[str]) -> HeaderMatch:
    lookup: dict[str, str] = {}
    for col in contract.columns:
        lookup[col.name.lower()] = col.name
        lookup[col.zh.lower()] = col.name
    result = HeaderMatch(contract)
    for index, header in enumerate(headers):
        if not header.strip(_WS):
            result.unknown.append((index, header))
            continue
        spellings = _spellings(header)
        if IGNORED.intersection(spellings):
            continue
        name = next((lookup[s] for s in spellings if s in lookup), None)
        if name is None:
            result.unknown.append((index, header))
        elif name in result.columns:
            result.repeated.append((index, header))
        else:
            result.columns[name] = index
    return result


def _strip_blank_trailing(headers: list[str]) -> list[str]:
    out = list(headers)
    while out and not out[-1].strip(_WS):
        out.pop()
    return out


def recognise(headers: list[str], hints: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """The tables the headers fit: (exact fits, best partial fits). A fit has every header known
    and every key column. Among several exact fits, the one whose name is in `hints` (file or
    sheet name) wins; otherwise the analyst is asked."""
    headers = _strip_blank_trailing(headers)
    matches = {t: match(c, headers) for t, c in CONTRACTS.items()}
    fits = [t for t, m in matches.items() if m.ok]
    hinted = [t for t in fits if any(_hinted(t, h) for h in hints)]
    if len(hinted) == 1:
        return hinted, []
    if fits:
        return fits, []
    known = {t: len(m.columns) for t, m in matches.items()}
    best = max(known.values())
    return [], [t for t, n in known.items() if n == best and n > 0]


def _hinted(table: str, hint: str) -> bool:
    stem = hint.replace("\\", "/").rsplit("/", 1)[-1].lower()
    c = CONTRACTS[table]
    return any(n in stem for n in (table, table.replace("_", " "), table.replace("_", "-"), c.zh))
