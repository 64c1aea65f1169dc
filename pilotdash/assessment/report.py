"""The assessment report 考核评价报告 of a pilot or of a round, as offices exchange it: a Word file
(.docx, python-docx) and a printable HTML page, Chinese by default.

A pilot's report: its final score, grade and whose score it is (the organisation too), the veto
item that made it 差, the inflated flag with the difference, and its scorecard as the tree of
items (marks, method, the value on the period end, score, state, evidence). A round's report:
the grade counts and the league table. Both say the as-of date and the scope they were made
for: they read through the store they are given (a person's limited store on a page), so they
hold exactly what that person may see. Every text is escaped in HTML; nothing here writes.
"""

from __future__ import annotations

import html
import io
from dataclasses import dataclass

import pandas as pd

from .. import i18n, named_queries
from ..domain import THRESHOLDS

GRADES = ("excellent", "good", "fair", "poor")

def flag(value) -> bool:
    """A flag of a query's row (inflated, ...): NULL or NA is no; numpy's bool is yes."""
    return value is not None and not pd.isna(value) and bool(value)



@dataclass
class Report:
    title: str
    facts: list[tuple[str, str]]  # (label, value) lines under the title
    sections: list[tuple[str, list[str], list[list[str]], list[int]]]  # (heading, header, rows, levels)
    notes: list[str]
    lang: str = "zh"

    @property
    def colon(self) -> str:
        return "：" if self.lang == "zh" else ": "


def _t(key: str, lang: str, **values: object) -> str:
    return i18n.t(key, lang, **values)


def _num(value: object, lang: str) -> str:
    return i18n.DASH if value is None or pd.isna(value) else f"{float(value):.2f}"


def _word(field: str, value: object, lang: str) -> str:
    return i18n.DASH if value is None or pd.isna(value) else i18n.label(field, value, lang)


def _paren(text: str, lang: str) -> str:
    return f"（{text}）" if lang == "zh" else f" ({text})"


def _name(row, lang: str) -> str:
    en = getattr(row, "name_en", None)
    return row.name_zh if lang == "zh" or en is None or pd.isna(en) else en


def _round(store, round_id: str) -> dict:
    rows = store.frame("SELECT round_id, name, kind, period_start, period_end, scheme FROM eval_rounds "
                       "WHERE round_id = ?", [round_id])
    if rows.empty:
        raise named_queries.QueryError("assess.no_round", round=round_id)
    return rows.iloc[0].to_dict()


def _value_text(row, lang: str) -> str:
    """A leaf's value on the period end as shown: a rate as a percentage, a manual score as is."""
    if row.value is None or pd.isna(row.value):
        return i18n.DASH
    if row.method == "manual":
        return f"{row.value:g}"
    return i18n.fmt_pct(row.value, lang)


def _method_text(row, lang: str) -> str:
    if row.method is None or pd.isna(row.method):
        return ""
    words = i18n.label("eval_method", row.method, lang)
    if row.method == "measure":
        return f"{words} · {i18n.label('eval_measure', row.method_arg, lang)}"
    if row.method == "survey":
        return f"{words} · {i18n.label('respondent', row.method_arg, lang)}"
    if row.method == "indicator":
        return f"{words} · {row.method_arg}"
    return words


def pilot_report(store, round_id: str, project_id: str, lang: str = "zh", scope_text: str = "",
                 evaluator: str | None = None) -> Report:
    """A pilot's report in a round: its standing and its scorecard (the final evaluator's, or
    `evaluator`'s), read through `store` (so within its scope)."""
    rnd = _round(store, round_id)
    league = named_queries.run(store, "evaluation_league", {"round": round_id, "project": [project_id]})
    if league.empty:
        raise named_queries.QueryError("assess.not_evaluated", project=project_id, round=round_id)
    row = league.iloc[0]
    items = named_queries.run(store, "evaluation_items", {"round": round_id, "project": project_id,
                                                           "evaluator": evaluator})
    scores = named_queries.run(store, "evaluation_scores", {"round": round_id, "project": [project_id]})
    final_org = scores[scores["is_final"]]["evaluator_org"]
    facts = _round_facts(rnd, lang, scope_text) + [
        (_t("assess.report.pilot", lang), f"{row.project_id} {_name(row, lang)}"),
        (_t("assess.col.final_total", lang), _num(row.final_total, lang)),
        (_t("assess.col.grade", lang), _word("grade", row.final_grade, lang)),
        (_t("assess.col.final_evaluator", lang),
         _word("evaluator", row.final_evaluator, lang)
         + (_paren(final_org.iloc[0], lang) if len(final_org) and isinstance(final_org.iloc[0], str) else "")),
    ]
    notes = []
    if isinstance(row.veto_item, str):
        share = i18n.fmt_pct(THRESHOLDS["veto_share"], lang, 0)
        notes.append(_t("assess.veto_note", lang, item=row.veto_item, share=share))
    if flag(row.inflated):
        notes.append(_t("assess.inflated_note", lang, n=_num(row.inflation, lang)))
    if pd.isna(row.final_total):
        notes.append(_t("assess.no_final", lang))
    shown_evaluator = items["evaluator"].iloc[0] if not items.empty else evaluator
    header = [_t(f"assess.item.{c}", lang) for c in ("item", "marks", "method", "value", "score", "state", "evidence")]
    rows, levels = [], []
    for it in items.itertuples():
        rows.append([
            f"{it.item_code} {it.name_zh if lang == 'zh' or pd.isna(it.name_en) else it.name_en}"
            + (_paren(_t("assess.veto", lang), lang) if it.veto else ""),
            _num(it.marks, lang), _method_text(it, lang), _value_text(it, lang) if it.is_leaf else "",
            _num(it.score, lang), _word("leaf_state", it.state, lang) if it.is_leaf else "",
            it.evidence if isinstance(it.evidence, str) else "",
        ])
        levels.append(int(it.level))
    heading = _t("assess.scorecard_of", lang, evaluator=_word("evaluator", shown_evaluator, lang))
    return Report(_t("assess.report.title_pilot", lang, round=rnd["name"], pilot=_name(row, lang)), facts,
                  [(heading, header, rows, levels)], notes, lang)


def round_report(store, round_id: str, lang: str = "zh", scope_text: str = "") -> Report:
    """A round's report: its grade counts and league table over the pilots `store` shows."""
    rnd = _round(store, round_id)
    league = named_queries.run(store, "evaluation_league", {"round": round_id})
    counts = league["final_grade"].value_counts()
    facts = _round_facts(rnd, lang, scope_text) + [
        (_t("assess.evaluated", lang), str(len(league))),
        (_t("assess.graded", lang), str(int(league["final_total"].notna().sum()))),
    ] + [(_word("grade", g, lang), str(int(counts.get(g, 0)))) for g in GRADES]
    header = [_t(f"assess.col.{c}", lang) for c in
              ("rank", "pilot", "belt", "province", "final_total", "grade", "final_evaluator", "change", "inflated")]
    rows = []
    for r in league.itertuples():
        rows.append([
            i18n.DASH if pd.isna(r.rank) else str(int(r.rank)), f"{r.project_id} {_name(r, lang)}",
            _word("belt", r.belt, lang), r.province_code, _num(r.final_total, lang), _word("grade", r.final_grade, lang),
            _word("evaluator", r.final_evaluator, lang), _num(r.change, lang),
            _t("assess.inflated_by", lang, n=_num(r.inflation, lang)) if flag(r.inflated) else "",
        ])
    return Report(_t("assess.report.title_round", lang, round=rnd["name"]), facts,
                  [(_t("assess.league", lang), header, rows, [1] * len(rows))], [], lang)


def _round_facts(rnd, lang: str, scope_text: str) -> list[tuple[str, str]]:
    return [
        (_t("assess.report.round", lang), f"{rnd['round_id']} {rnd['name']}" + _paren(_word("round_kind", rnd["kind"], lang), lang)),
        (_t("assess.report.period", lang),
         f"{i18n.fmt_date(rnd['period_start'], lang)} – {i18n.fmt_date(rnd['period_end'], lang)}"),
        (_t("assess.report.as_of", lang), i18n.fmt_date(rnd["period_end"], lang)),
        (_t("assess.report.scheme", lang), str(rnd["scheme"])),
        (_t("assess.report.scope", lang), scope_text),
    ]


def to_docx(report: Report) -> bytes:
    """The report as a Word document: title, facts, notes, and each section's table (an item's
    level shown by its indent)."""
    from docx import Document
    from docx.shared import Pt

    doc = Document()
    doc.add_heading(report.title, level=1)
    for label_text, value in report.facts:
        para = doc.add_paragraph()
        para.add_run(f"{label_text}{report.colon}").bold = True
        para.add_run(value)
    for note in report.notes:
        doc.add_paragraph(note).runs[0].bold = True
    for heading, header, rows, levels in report.sections:
        doc.add_heading(heading, level=2)
        table = doc.add_table(rows=1, cols=len(header))
        table.style = "Table Grid"
        for cell, text in zip(table.rows[0].cells, header):
            cell.text = text
            cell.paragraphs[0].runs[0].bold = True
        for row, level in zip(rows, levels):
            cells = table.add_row().cells
            for i, text in enumerate(row):
                cells[i].text = text
            cells[0].paragraphs[0].paragraph_format.left_indent = Pt(12 * (level - 1))
            if level == 1 and len(levels) and max(levels) > 1:
                for cell in cells:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


_CSS = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 1.5em; }
dl { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1em; }
dt { font-weight: bold; } dd { margin: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
th, td { border: 1px solid #888; padding: 0.3em 0.5em; text-align: left; vertical-align: top; }
tr.level1 td { font-weight: bold; background: #f2f2f2; }
.note { font-weight: bold; }
@media print { body { margin: 0; } tr { page-break-inside: avoid; } }
"""


def to_html(report: Report, lang: str = "zh") -> bytes:
    """The report as one printable HTML page; every value escaped."""
    e = html.escape
    parts = [f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">',
             f"<title>{e(report.title)}</title><style>{_CSS}</style></head><body>", f"<h1>{e(report.title)}</h1><dl>"]
    parts += [f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in report.facts]
    parts.append("</dl>")
    parts += [f'<p class="note">{e(n)}</p>' for n in report.notes]
    for heading, header, rows, levels in report.sections:
        parts.append(f"<h2>{e(heading)}</h2><table><thead><tr>")
        parts += [f"<th>{e(h)}</th>" for h in header]
        parts.append("</tr></thead><tbody>")
        tree = len(levels) > 0 and max(levels) > 1
        for row, level in zip(rows, levels):
            parts.append(f'<tr class="level{level if tree else 0}">')
            for i, text in enumerate(row):
                pad = f' style="padding-left:{0.5 + 1.2 * (level - 1):.1f}em"' if i == 0 and tree else ""
                parts.append(f"<td{pad}>{e(text)}</td>")
            parts.append("</tr>")
        parts.append("</tbody></table>")
    parts.append("</body></html>")
    return "".join(parts).encode("utf-8")


def file_stem(round_id: str, project_id: str | None = None) -> str:
    """A file name for the report: the ids, anything but letters, digits, - and _ replaced."""
    text = round_id if project_id is None else f"{round_id}_{project_id}"
    return "assessment_" + "".join(c if c.isalnum() or c in "-_" else "_" for c in text)
