"""`prepare`: from an uploaded file to a `Plan` the analyst can preview. Writes nothing.

A Plan says which table the file is for, what is wrong with it (file problems, and row errors
with file row, column, value and reason), what would be inserted, updated (before → after) or
left unchanged, and holds the normalised rows so that `apply` can write exactly what was shown.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field

import duckdb
import pandas as pd
import pyarrow as pa

from .. import i18n
from ..markdown import escape_values
from ..spreadsheet import neutral_row
from ..store import Store
from . import headers as hdr
from .contract import CONTRACTS, contract
from .formats import FileProblem, Grid, read_grid
from .validate import Staged, arrow, scalar, stage
from ..scope import Scope

PREVIEW_ROWS = 500
Progress = Callable[[float, str], None]

_EMPTY_ISSUES = pa.table(
    {n: pa.array([], t) for n, t in (("_row", pa.int64()), ("col", pa.string()), ("value", pa.string()), ("code", pa.string()), ("arg", pa.string()))}
)


@dataclass
class FileIssue:
    code: str  # ingest.err.<code>
    params: dict[str, object] = field(default_factory=dict)
    column: str = ""  # the header it is about, as written in the file


@dataclass
class Plan:
    file_name: str
    sha256: str
    size: int
    table: str | None = None
    candidates: list[str] = field(default_factory=list)
    file_issues: list[FileIssue] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    counts: Staged | None = None
    errors: pa.Table = field(default_factory=lambda: _EMPTY_ISSUES)
    warnings: pa.Table = field(default_factory=lambda: _EMPTY_ISSUES)
    rows: pa.Table | None = None  # the valid rows as stored, `_action`, and `<col>__old`
    grid: Grid | None = None
    data_version: str = ""
    already_applied: int | None = None  # an earlier applied upload of the same bytes
    scope: Scope | None = None  # the scope its rows were checked against (None: national)
    data: bytes = field(default=b"", repr=False)  # the file's bytes: a submission keeps them to re-check

    @property
    def readable(self) -> bool:
        return self.counts is not None and not self.file_issues

    @property
    def clean(self) -> bool:
        return self.readable and self.counts.rejected == 0

    @property
    def all_rejected(self) -> bool:
        """Every row of a readable file was rejected: there is nothing to apply."""
        return self.readable and self.counts.rows > 0 and self.counts.rejected == self.counts.rows

    @property
    def portal_export(self) -> bool:
        return any(i.code == "portal_export" for i in self.file_issues)

    def encoding_label(self, lang: str) -> str:
        """How the file was read, in words: the sheet of a workbook, or the text encoding."""
        if self.grid is None:
            return ""
        if self.grid.sheet:
            return i18n.t("ingest.read_sheet", lang, sheet=self.grid.sheet)
        return i18n.t("ingest.read_encoding", lang, encoding=i18n.t(f"ingest.encoding.{self.grid.encoding}", lang))

    def file_messages(self, lang: str, markdown: bool = False) -> list[str]:
        """The problems with the file as a whole, each as a whole sentence (shown, not tabled);
        `markdown`: for a Markdown element, the file's own words in them (sheet names, headers)
        escaped."""
        shown = escape_values if markdown else dict
        return [i18n.t(f"ingest.err.{i.code}", lang, **shown(_fmt(i.params, lang))) for i in self.file_issues]

    def row_report(self, lang: str) -> pd.DataFrame:
        """The report of row problems only (file problems are `file_messages`)."""
        frame = self.report(lang)
        return frame.iloc[len(self.file_issues):].reset_index(drop=True)

    def rejected_file(self, lang: str) -> bytes:
        """The rejected rows as the file had them, headers and cells unchanged, with the reasons in
        a last column that uploads ignore: fix the cells and upload this file as it is."""
        if self.grid is None or self.errors.num_rows == 0:
            return b""
        reasons: dict[int, list[str]] = {}
        report = self.report(lang)
        row_col, reason_col = (i18n.t(f"ingest.report.{c}", lang) for c in ("row", "reason"))
        column_col = i18n.t("ingest.report.column", lang)
        errors = report.iloc[len(self.file_issues):]
        errors = errors[errors[i18n.t("ingest.report.severity", lang)] == i18n.t("ingest.severity.error", lang)]
        for row, column, reason in zip(errors[row_col], errors[column_col], errors[reason_col]):
            reasons.setdefault(int(row), []).append(f"{column}: {reason}" if column else reason)
        with duckdb.connect() as db:
            db.register("_grid", self.grid.rows)
            db.register("_err", self.errors)
            rows = db.execute("SELECT * FROM _grid WHERE _row IN (SELECT _row FROM _err) ORDER BY _row").fetchall()
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerow(neutral_row([*self.grid.headers, i18n.t("ingest.rejected_reason", lang)]))
        for row in rows:  # the file's own cells: an uploaded "=HYPERLINK(…)" must not run here
            writer.writerow(neutral_row([*("" if c is None else c for c in row[1:]),
                                         " · ".join(reasons.get(row[0], []))]))
        return buf.getvalue().encode("utf-8-sig")

    def rejected_file_name(self) -> str:
        return f"{self.file_name.rsplit('.', 1)[0]}_rejected.csv"

    @property
    def changes(self) -> int:
        return self.counts.inserts + self.counts.updates if self.counts else 0

    # Presentation, in the interface language -------------------------------------------------
    def header(self, column: str | None, lang: str) -> str:
        if not column or not self.table:
            return column or ""
        names = [c.strip() for c in column.split(",")]
        con = contract(self.table)
        shown = [(con.column(n).zh if lang == "zh" else n) if n in con.names else n for n in names]
        return ", ".join(shown)

    def report(self, lang: str) -> pd.DataFrame:
        """Every problem: file row, column, value, reason, severity; the downloadable error file."""
        lines = []
        for issue in self.file_issues:
            lines.append({"row": 1 if issue.column else None, "column": issue.column, "value": None,
                          "reason": i18n.t(f"ingest.err.{issue.code}", lang, **_fmt(issue.params, lang)), "severity": "error"})
        for kind, table in (("error", self.errors), ("warning", self.warnings)):
            for r in table.sort_by("_row").to_pylist():
                lines.append({
                    "row": r["_row"], "column": self.header(r["col"], lang), "value": r["value"],
                    "reason": i18n.t(f"ingest.{'err' if kind == 'error' else 'warn'}.{r['code']}", lang,
                                     arg=self.header(r["arg"], lang) if r["code"] in _COLUMN_ARGS else (r["arg"] or "")),
                    "severity": kind,
                })
        frame = pd.DataFrame(lines, columns=["row", "column", "value", "reason", "severity"])
        frame["row"] = frame["row"].astype("Int64")
        frame["severity"] = frame["severity"].map(lambda s: i18n.t(f"ingest.severity.{s}", lang))
        return frame.rename(columns={c: i18n.t(f"ingest.report.{c}", lang) for c in frame.columns})

    def preview(self, action: str, lang: str, limit: int = PREVIEW_ROWS) -> pd.DataFrame:
        """Rows of one action (insert, unchanged), in the file's order, headed in `lang`."""
        if self.rows is None:
            return pd.DataFrame()
        con = contract(self.table)
        cols = ["_row", *con.names]
        with duckdb.connect() as db:
            db.register("_rows", self.rows)
            frame = db.execute(
                f"SELECT {', '.join(_q(c) for c in cols)} FROM _rows WHERE _action = ? ORDER BY _row LIMIT ?",
                [action, limit],
            ).df()
        return self._headed(frame, lang)

    def updates(self, lang: str, limit: int = PREVIEW_ROWS) -> pd.DataFrame:
        """One line per changed value: row, key, column, before, after."""
        if self.rows is None:
            return pd.DataFrame()
        con = contract(self.table)
        key = " || ' / ' || ".join(f"coalesce(CAST({_q(k)} AS VARCHAR), '*')" for k in con.key)
        parts = [
            f"SELECT _row, {key} AS key, ? AS col, CAST({_q(c.name + '__old')} AS VARCHAR) AS before, "
            f"CAST({_q(c.name)} AS VARCHAR) AS after FROM _rows WHERE _action = 'update' "
            f"AND {_q(c.name)} IS DISTINCT FROM {_q(c.name + '__old')}"
            for c in con.columns if not c.key and c.name in self.columns
        ]
        if not parts:
            return pd.DataFrame()
        with duckdb.connect() as db:
            db.register("_rows", self.rows)
            frame = db.execute(
                f"SELECT * FROM ({' UNION ALL '.join(parts)}) ORDER BY _row, col LIMIT ?",
                [*[c.name for c in con.columns if not c.key and c.name in self.columns], limit],
            ).df()
        frame["col"] = frame["col"].map(lambda c: self.header(c, lang))
        return frame.rename(columns={c: i18n.t(f"ingest.report.{c}", lang) for c in frame.columns})

    def rejected(self, lang: str, limit: int = PREVIEW_ROWS) -> pd.DataFrame:
        """The rejected rows as the file had them, with the first reason for each."""
        if self.grid is None or self.errors.num_rows == 0:
            return pd.DataFrame()
        with duckdb.connect() as db:
            db.register("_grid", self.grid.rows)
            db.register("_err", self.errors)
            frame = db.execute(
                "SELECT g.* FROM _grid g WHERE g._row IN (SELECT _row FROM _err) ORDER BY g._row LIMIT ?", [limit]
            ).df()
        names = {f"c{i}": h for i, h in enumerate(self.grid.headers)}
        return frame.rename(columns={"_row": i18n.t("ingest.report._row", lang), **names})

    def _headed(self, frame: pd.DataFrame, lang: str) -> pd.DataFrame:
        for column in frame.columns:
            # Dates arrive as timestamps; an analyst wrote a day, so show a day.
            if pd.api.types.is_datetime64_any_dtype(frame[column]):
                frame[column] = frame[column].dt.date
        return frame.rename(columns={c: self.header(c, lang) if c != "_row" else i18n.t("ingest.report._row", lang) for c in frame.columns})


_COLUMN_ARGS = {"end_before_start", "status_before_start", "duplicate_key"}


def _fmt(params: dict[str, object], lang: str) -> dict[str, object]:
    out = dict(params)
    if "tables" in out:
        out["tables"] = ", ".join(i18n.t(f"ingest.table.{t}", lang) for t in out["tables"])  # type: ignore[union-attr]
    if "table" in out:
        out["table"] = i18n.t(f"ingest.table.{out['table']}", lang)
    if "columns" in out:
        tbl = out.get("_table")
        cols = out["columns"]
        if tbl:
            con = contract(str(tbl))
            cols = [con.column(c).zh if lang == "zh" else c for c in cols]  # type: ignore[union-attr]
        out["columns"] = ", ".join(cols)  # type: ignore[arg-type]
    out.pop("_table", None)
    return out


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def prepare(store: Store, file_name: str, data: bytes, table: str | None = None,
            progress: Progress | None = None, limit: int | None = None, scope: Scope | None = None) -> Plan:
    """Read, recognise and validate an uploaded file against the store; writes nothing. With a
    `scope` (the submitter's), every row outside it is rejected with the reason."""
    report = progress or (lambda share, step: None)
    # Against every stored row, whoever asks: through a person's limited store another office's rows
    # would be hidden, and a row of theirs would look new (the scope check is `stage`'s, below).
    store = getattr(store, "base", store)
    plan = Plan(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), scope=scope,
                data=data)
    if table is not None and table not in CONTRACTS:
        plan.file_issues.append(FileIssue("unknown_table_name", {"name": table}))
        return plan
    report(0.05, "read")
    named = [table] if table else list(CONTRACTS)
    hints = tuple(n for t in named for n in (t, contract(t).zh))
    try:
        grid = read_grid(file_name, data, hints, limit)
    except FileProblem as exc:
        plan.file_issues.append(FileIssue(exc.code.removeprefix("ingest.err."), dict(exc.values)))
        return plan
    plan.grid = grid
    portal = portal_export(grid)
    if portal is not None:
        plan.file_issues.append(FileIssue("portal_export", portal))
        return plan
    if not any(h.strip() for h in grid.headers):
        plan.file_issues.append(FileIssue("no_header"))
        return plan
    if table is None:
        fits, partial = hdr.recognise(grid.headers, (file_name, grid.sheet))
        if len(fits) == 1:
            table = fits[0]
        elif len(fits) > 1:
            plan.candidates = fits
            plan.file_issues.append(FileIssue("ambiguous_table", {"tables": fits}))
            return plan
        elif len(partial) == 1:
            table = partial[0]  # the only near fit: say what is missing or unknown for it
        else:
            plan.candidates = partial
            plan.file_issues.append(FileIssue("unknown_table", {"tables": partial or list(CONTRACTS)}))
            return plan
    plan.table = table
    match = hdr.match(contract(table), grid.headers)
    for index, header in match.unknown:
        if header.strip() or any(v is not None for v in grid.rows.column(f"c{index}").to_pylist()[:1000]):
            plan.file_issues.append(FileIssue("unknown_column", {"header": header or f"#{index + 1}", "table": table}, header))
    for _index, header in match.repeated:
        plan.file_issues.append(FileIssue("repeated_column", {"header": header}, header))
    if match.missing_key:
        plan.file_issues.append(FileIssue("missing_key_column", {"columns": match.missing_key, "_table": table, "table": table}))
    plan.columns = match.columns
    if plan.file_issues:
        return plan
    report(0.2, "validate")
    with store.read() as cur:  # one consistent read; its temp tables end with it
        plan.data_version = _version(cur)
        plan.counts = stage(cur, grid, contract(table), match.columns, scope)
        if plan.counts.rows == 0:
            plan.file_issues.append(FileIssue("no_data_rows"))
            return plan
        report(0.8, "compare")
        plan.errors = arrow(cur, "SELECT * FROM _err ORDER BY _row")
        plan.warnings = arrow(cur, "SELECT * FROM _warn ORDER BY _row")
        plan.rows = arrow(cur, "SELECT * FROM _merged ORDER BY _row")  # file order: the write is faster than in join order
        plan.already_applied = scalar(
            cur,
            "SELECT max(upload_id) FROM upload_log WHERE sha256 = ? AND table_name = ? AND status = 'applied'",
            [plan.sha256, table],
        )
    report(1.0, "done")
    return plan


# The statistics portal's export (国家统计局 data.stats.gov.cn, and provincial portals like it):
# metadata lines "数据库：…", "指标：…", "时间：…", a wide table of regions × years, and footnotes
# "注：…", "数据来源：…". Recognised so that the analyst is told what it is and what to do.
_PORTAL_META = re.compile(r"^\s*(数据库|指标|时间|地区|数据来源|注)\s*[：:]\s*(.*)$")
_YEAR_HEADER = re.compile(r"^\s*\d{4}\s*年?\s*$")


def portal_export(grid: Grid) -> dict[str, str] | None:
    """The portal export's database and indicator when the grid is one, else None."""
    first_cells = [grid.headers[0] if grid.headers else ""]
    if grid.rows.num_rows and "c0" in grid.rows.column_names:
        first_cells += [c or "" for c in grid.rows.column("c0").slice(0, 8).to_pylist()]
    meta: dict[str, str] = {}
    for cell in first_cells:
        found = _PORTAL_META.match(cell)
        if found:
            meta.setdefault(found.group(1), found.group(2).strip())
    wide = (bool(grid.headers) and grid.headers[0].strip() in ("地区", "地区名称", "省份")
            and sum(bool(_YEAR_HEADER.match(h)) for h in grid.headers[1:]) >= 2)
    if not wide and not ("数据库" in meta or ("指标" in meta and "时间" in meta)):
        return None
    return {"database": meta.get("数据库", "—"), "indicator": meta.get("指标", "—")}


def _version(cur: duckdb.DuckDBPyConnection) -> str:
    return str(scalar(cur, "SELECT value FROM store_meta WHERE key = 'data_version'") or "0")
