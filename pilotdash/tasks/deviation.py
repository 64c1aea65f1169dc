"""The deviation report 偏差分析报告 of a period (a month by default) for a scope: every task behind or
overdue at the period end with its slip in days, owner, the cause and corrective action from its
issues' notes and its warnings' responses, and the new planned date; the overdue issues; the risks
that rose during the period. Made as printable HTML and as a Word file (.docx, python-docx),
Chinese by default. The rows come from named queries (queries/task_status.sql, issue_list.sql,
task_deviation_causes.sql, task_risks_rose.sql), run on the store the caller hands in, so a
person's scope limits the report like every page.
"""

from __future__ import annotations

import calendar
import datetime as dt
import html
import io
from dataclasses import dataclass

import pandas as pd

from .. import named_queries
from ..i18n import fmt_date, label, t

TASK_COLUMNS = ("project", "task", "owner", "state", "due_date", "slip_days", "causes", "actions", "new_planned_date")
ISSUE_COLUMNS = ("project", "issue", "owner", "due_date", "overdue_days", "source")
RISK_COLUMNS = ("project", "risk", "owner", "score_before", "score", "level", "note")


def month_period(month: str) -> tuple[dt.date, dt.date]:
    """'2026-11' → (2026-11-01, 2026-11-30); anything else is a ValueError with the reason."""
    try:
        year, mon = (int(x) for x in month.split("-"))
        last = calendar.monthrange(year, mon)[1]
    except (ValueError, calendar.IllegalMonthError) as exc:
        raise ValueError(f"month must be YYYY-MM, not {month!r}") from exc
    return dt.date(year, mon, 1), dt.date(year, mon, last)


@dataclass
class Deviation:
    since: dt.date
    until: dt.date
    lang: str
    tasks: pd.DataFrame
    issues: pd.DataFrame
    risks: pd.DataFrame

    @property
    def title(self) -> str:
        return t("report.deviation_title_of", self.lang, since=fmt_date(self.since, self.lang),
                 until=fmt_date(self.until, self.lang))

    def file_name(self, ext: str) -> str:
        return f"deviation_{self.since.isoformat()}_{self.until.isoformat()}_{self.lang}.{ext}"

    def sections(self) -> list[tuple[str, tuple[str, ...], pd.DataFrame]]:
        return [("report.deviation_tasks", TASK_COLUMNS, self.tasks),
                ("report.deviation_issues", ISSUE_COLUMNS, self.issues),
                ("report.deviation_risks", RISK_COLUMNS, self.risks)]

    @property
    def html(self) -> str:
        """A printable page: every value escaped (names and notes are analysts' text)."""
        lang = self.lang
        parts = [f"<!doctype html><html lang=\"{'zh-CN' if lang == 'zh' else 'en'}\"><head><meta charset=\"utf-8\">"
                 f"<title>{html.escape(self.title)}</title><style>body{{font-family:sans-serif;margin:2em}}"
                 "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}td,th{border:1px solid #999;"
                 "padding:4px 6px;font-size:10pt;text-align:left;vertical-align:top}th{background:#eee}"
                 "@media print{body{margin:0}}</style></head><body>",
                 f"<h1>{html.escape(self.title)}</h1>",
                 f"<p>{html.escape(self.summary())}</p>"]
        for key, columns, frame in self.sections():
            parts.append(f"<h2>{html.escape(t(key, lang, n=len(frame)))}</h2>")
            if frame.empty:
                parts.append(f"<p>{html.escape(t('report.deviation_none', lang))}</p>")
                continue
            head = "".join(f"<th>{html.escape(t(f'report.col.{c}', lang))}</th>" for c in columns)
            body = "".join("<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
                           for row in frame[list(columns)].itertuples(index=False))
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        parts.append("</body></html>")
        return "".join(parts)

    def summary(self) -> str:
        return t("report.deviation_summary", self.lang, tasks=len(self.tasks), issues=len(self.issues),
                 risks=len(self.risks), until=fmt_date(self.until, self.lang))

    @property
    def docx(self) -> bytes:
        from docx import Document
        from docx.shared import Pt

        doc = Document()
        doc.styles["Normal"].font.size = Pt(9)
        doc.add_heading(self.title, level=1)
        doc.add_paragraph(self.summary())
        for key, columns, frame in self.sections():
            doc.add_heading(t(key, self.lang, n=len(frame)), level=2)
            if frame.empty:
                doc.add_paragraph(t("report.deviation_none", self.lang))
                continue
            grid = doc.add_table(rows=1, cols=len(columns))
            grid.style = "Table Grid"
            for cell, c in zip(grid.rows[0].cells, columns):
                cell.text = t(f"report.col.{c}", self.lang)
            for row in frame[list(columns)].itertuples(index=False):
                for cell, v in zip(grid.add_row().cells, row):
                    cell.text = str(v)
        out = io.BytesIO()
        doc.save(out)
        return out.getvalue()


def _text(v: object) -> str:
    return "—" if v is None or (not isinstance(v, str) and pd.isna(v)) or v == "" else str(v)


def _date(v: object, lang: str) -> str:
    return "—" if v is None or pd.isna(v) else fmt_date(pd.Timestamp(v).date(), lang)


def _pilot(row, lang: str) -> str:
    name = row.name_en if lang == "en" and isinstance(row.name_en, str) and row.name_en else row.name_zh
    return f"{row.project_id} {name}"


def build(store, since: dt.date, until: dt.date, lang: str = "zh", belt: list[str] | None = None,
          province: list[str] | None = None, project: list[str] | None = None) -> Deviation:
    """The report of the period since..until (inclusive), as of its last day."""
    if until < since:
        raise ValueError("the period ends before it starts")
    scope = {"belt": belt or None, "province": province or None}
    late = named_queries.run(store, "task_status", {"as_of": until, **scope, "task_state": ["overdue", "behind"],
                                                    "project": project or None})
    causes = named_queries.run(store, "task_deviation_causes", {"as_of": until, **scope}).set_index("task_id")
    tasks = pd.DataFrame([{
        "project": _pilot(r, lang), "task": f"{r.task_id} {r.name}", "owner": _text(r.owner),
        "state": label("task_state", r.state, lang), "due_date": _date(r.due_date, lang),
        "slip_days": _text(None if pd.isna(r.slip_days) else int(r.slip_days)),
        "causes": _text(causes["causes"].get(r.task_id) if r.task_id in causes.index else None),
        "actions": _text(causes["actions"].get(r.task_id) if r.task_id in causes.index else None),
        "new_planned_date": _date(causes["new_planned_date"].get(r.task_id) if r.task_id in causes.index else None,
                                  lang),
    } for r in late.itertuples()], columns=list(TASK_COLUMNS))
    overdue = named_queries.run(store, "issue_list", {"as_of": until, **scope, "issue_state": ["overdue"],
                                                      "project": project or None})
    issues = pd.DataFrame([{
        "project": _pilot(r, lang), "issue": f"{r.issue_id} {r.description}", "owner": _text(r.owner),
        "due_date": _date(r.due_date, lang), "overdue_days": _text(int(r.overdue_days)),
        "source": label("issue_source", r.source, lang),
    } for r in overdue.itertuples()], columns=list(ISSUE_COLUMNS))
    rose = named_queries.run(store, "task_risks_rose", {"as_of": until, "since": since, **scope})
    if project:
        rose = rose[rose["project_id"].isin(project)]
    risks = pd.DataFrame([{
        "project": _pilot(r, lang), "risk": f"{r.risk_id} {_text(r.description)}", "owner": _text(r.owner),
        "score_before": int(r.score_before), "score": int(r.score), "level": label("risk_level", r.level, lang),
        "note": _text(r.review_note),
    } for r in rose.itertuples()], columns=list(RISK_COLUMNS))
    return Deviation(since, until, lang, tasks, issues, risks)
