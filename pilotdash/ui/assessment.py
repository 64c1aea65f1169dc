"""The Assessment page's parts 考核评价 (pages/assessment.py) and the Project page's grades over
rounds: the round chooser, the league table, grades by belt and province, a pilot's scorecard
as its tree, self against independent scores, and the report downloads. They shape and draw
the rows of the evaluation_* named queries; every rule is in SQL (sql/assessment.sql)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import charts
from ..assessment import report as assessment_report
from ..assessment.report import flag as _yes
from ..domain import ENUMS, THRESHOLDS
from ..i18n import DASH, fmt_date, fmt_pct, label, t
from .data import current_scope, store
from .report import audited, chart, download, metric
from .state import link, links, tr
from .tables import paged_table, pilot_columns, table
from .text import local_names, words
from .widgets import bound

GRADES = ENUMS["grade"]
INDENT = "\u3000"  # an ideographic space per level below the first, in the item's column


def _word(field: str, lang: str):
    return lambda v: DASH if v is None or pd.isna(v) else label(field, v, lang)


def _number(v) -> float | None:
    return None if v is None or pd.isna(v) else float(v)


def choose_round(rounds: pd.DataFrame, lang: str) -> str:
    """The round shown: the URL's `round` when it is one of these, else the latest."""
    ids = rounds["round_id"].tolist()
    names = {r.round_id: f"{r.name} · {label('round_kind', r.kind, lang)} · {fmt_date(r.period_end, lang)}"
             for r in rounds.itertuples()}
    return bound(st.selectbox, "round", ids, key="w_assess_round", label_text=tr("assess.choose_round"),
                 initial=ids[0], format_func=names.get, clears=("project", "evaluator"))


def grade_counts(league: pd.DataFrame) -> None:
    """How many pilots the round evaluates, how many have a final score, and of each grade."""
    cols = st.columns(2 + len(GRADES))
    metric(cols[0], tr("assess.evaluated"), f"{len(league):,}")
    metric(cols[1], tr("assess.graded"), f"{int(league['final_total'].notna().sum()):,}",
           help=tr("assess.graded_help"))
    counts = league["final_grade"].value_counts()
    for col, grade in zip(cols[2:], GRADES):
        metric(col, tr(f"grade.{grade}"), f"{int(counts.get(grade, 0)):,}")


def _league_rows(league: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame({
        "rank": league["rank"].astype("Int64"),
        "link": links("project", "project", league["project_id"].tolist()),
        "name": local_names(league, lang).tolist(),
        "belt": words(league["belt"], _word("belt", lang)),
        "province": league["province_code"].tolist(),
        "final_total": [_number(v) for v in league["final_total"]],
        "grade": words(league["final_grade"], _word("grade", lang)),
        "final_evaluator": words(league["final_evaluator"], _word("evaluator", lang)),
        "change": [_number(v) for v in league["change"]],
        "inflated": [t("assess.inflated_by", lang, n=f"{v:.2f}") if _yes(f) else ""
                     for f, v in zip(league["inflated"], league["inflation"])],
        "veto": words(league["veto_item"],
                      lambda v: "" if v is None or pd.isna(v) else t("assess.vetoed_by", lang, item=v)),
    })


def league_table(league: pd.DataFrame, lang: str, round_name: str) -> None:
    shared = pilot_columns()
    config = {
        "rank": st.column_config.NumberColumn(tr("assess.col.rank"), format="%d", width=60),
        "link": shared["link"], "name": shared["name"], "belt": shared["belt"], "province": shared["province"],
        "final_total": st.column_config.NumberColumn(tr("assess.col.final_total"), format="%.2f"),
        "grade": st.column_config.TextColumn(tr("assess.col.grade"), width="small"),
        "final_evaluator": st.column_config.TextColumn(tr("assess.col.final_evaluator"), width="small"),
        "change": st.column_config.NumberColumn(tr("assess.col.change"), format="%+.2f",
                                                help=tr("assess.change_help")),
        "inflated": st.column_config.TextColumn(tr("assess.col.inflated")),
        "veto": st.column_config.TextColumn(tr("assess.col.veto")),
    }
    # One page at a time: a national round ranks every pilot (16,000 at 100x); words for the
    # page shown, every row only when downloaded.
    paged_table(league, "assessment_league", config, "assess_league", title=f"{tr('assess.league')} · {round_name}",
                shape=lambda rows: _league_rows(rows, lang), phone=("rank", "link", "final_total", "grade"))


def _grade_frame(summary: pd.DataFrame, category: pd.Series, lang: str) -> pd.DataFrame:
    parts = []
    for grade in GRADES:
        parts.append(pd.DataFrame({"category": category.tolist(), "grade": label("grade", grade, lang),
                                   "count": summary[grade].astype(int).tolist()}))
    return pd.concat(parts, ignore_index=True)


def grade_charts(summary: pd.DataFrame, lang: str, round_id: str) -> None:
    """Final grades stacked per belt and per province (each bar carries its numbers)."""
    labels = {g: label("grade", g, lang) for g in GRADES}
    belts = summary[summary["level"] == "belt"]
    provinces = summary[summary["level"] == "province"]
    left, right = st.columns(2)
    with left:
        frame = _grade_frame(belts, belts["belt"].map(lambda b: label("belt", b, lang)), lang)
        chart(charts.stacked_bar(frame, "category", "count", "grade", colours=charts.GRADE_COLOURS,
                                 series_labels=labels, category_title=tr("filter.belt"),
                                 value_title=tr("assess.pilots"), series_title=tr("assess.col.grade")),
              f"assessment_grades_belt_{round_id}", tr("assess.by_belt"))
    with right:
        names = local_names(provinces, lang, zh="province_zh", en="province_en")
        frame = _grade_frame(provinces, names, lang)
        chart(charts.stacked_bar(frame, "category", "count", "grade", colours=charts.GRADE_COLOURS,
                                 series_labels=labels, category_title=tr("filter.province"),
                                 value_title=tr("assess.pilots"), series_title=tr("assess.col.grade"),
                                 category_order=names.tolist()),
              f"assessment_grades_province_{round_id}", tr("assess.by_province"))


PICK_MAX = 300


def choose_pilot(league: pd.DataFrame, lang: str) -> str | None:
    """The pilot whose scorecard is shown: the URL's `project` when the round evaluates it, else
    the first ranked one."""
    if league.empty:
        return None
    ids = league["project_id"].tolist()
    names = dict(zip(ids, (f"{i} {n}" for i, n in zip(ids, local_names(league, lang)))))
    # The first PICK_MAX ranked pilots are listed and any other pilot's number can be typed: a
    # national round evaluates about 15,000 pilots at 100×, which listed whole were 1.8 MB a visit.
    chosen = bound(st.selectbox, "project", ids, key="w_assess_pilot", label_text=tr("assess.choose_pilot"),
                   initial=ids[0], format_func=lambda p: names.get(p, str(p)), clears=("evaluator",),
                   listed=PICK_MAX)
    if len(ids) > PICK_MAX:
        st.caption(tr("assess.choose_more", shown=PICK_MAX, total=len(ids)))
    return chosen


def choose_evaluator(final_evaluator: str | None, lang: str) -> str:
    shown = bound(st.segmented_control, "evaluator", list(ENUMS["evaluator"]), key="w_assess_evaluator",
                  label_text=tr("assess.choose_evaluator"), initial=final_evaluator or "self",
                  format_func=lambda e: label("evaluator", e, lang))
    return shown or final_evaluator or "self"


def standing_line(standing, lang: str) -> None:
    """The pilot's final score, grade and whose it is, the veto and the inflated self total, in words."""
    if pd.isna(standing.final_total):
        st.info(tr("assess.no_final"), icon=":material/hourglass_empty:")
        return
    st.markdown(tr("assess.standing", total=f"{standing.final_total:.2f}", grade=label("grade", standing.final_grade, lang),
                   evaluator=label("evaluator", standing.final_evaluator, lang)))
    if isinstance(standing.veto_item, str):
        st.warning(tr("assess.veto_note", item=standing.veto_item, share=fmt_pct(THRESHOLDS["veto_share"], lang, 0)),
                   icon=":material/block:")
    if _yes(standing.inflated):
        st.warning(tr("assess.inflated_note", n=f"{standing.inflation:.2f}"), icon=":material/trending_up:")


def _value_text(row, lang: str) -> str:
    if row.value is None or pd.isna(row.value) or not row.is_leaf:
        return ""
    return f"{row.value:g}" if row.method == "manual" else fmt_pct(row.value, lang)


def _method_text(row, lang: str) -> str:
    if row.method is None or pd.isna(row.method):
        return ""
    arg = {"measure": lambda a: label("eval_measure", a, lang), "survey": lambda a: label("respondent", a, lang),
           "indicator": lambda a: a}.get(row.method)
    return label("eval_method", row.method, lang) + (f" · {arg(row.method_arg)}" if arg else "")


def scorecard(items: pd.DataFrame, lang: str, title: str) -> None:
    """The scheme's tree for one pilot and evaluator: level 1 to 3 (indented), marks, method, the
    value on the period end, score and state (no data, not applicable, not scored, veto)."""
    names = local_names(items, lang).tolist()
    rows = pd.DataFrame({
        "item": [f"{INDENT * (lvl - 1)}{code} {name}" for lvl, code, name in
                 zip(items["level"], items["item_code"], names)],
        "marks": [_number(v) for v in items["marks"]],
        "method": [_method_text(r, lang) for r in items.itertuples()],
        "value": [_value_text(r, lang) for r in items.itertuples()],
        "score": [_number(v) for v in items["score"]],
        "state": [("" if s is None or pd.isna(s) else label("leaf_state", s, lang))
                  + (f" · {tr('assess.veto')}" if v else "") for s, v in zip(items["state"], items["veto"])],
        "evidence": [e if isinstance(e, str) else "" for e in items["evidence"]],
    })
    config = {c: st.column_config.TextColumn(tr(f"assess.item.{c}")) for c in ("item", "method", "value", "state", "evidence")}
    config["item"] = st.column_config.TextColumn(tr("assess.item.item"), width="large")
    config["marks"] = st.column_config.NumberColumn(tr("assess.item.marks"), format="%.2f", width="small")
    config["score"] = st.column_config.NumberColumn(tr("assess.item.score"), format="%.2f", width="small")
    table(rows, "assessment_scorecard", config, key="assess_scorecard", title=title,
          height=min(38 * (len(rows) + 1), 900), phone=("item", "marks", "score", "state"))


def self_against_independent(league: pd.DataFrame, lang: str) -> None:
    """Pilots whose final score is an independent one (department or third party) beside their
    self-assessment, the inflated ones first, then by how far the self total is above."""
    points = f"{THRESHOLDS['inflated_points']:g}"
    st.caption(tr("assess.self_vs_note", points=points))
    rows = league[league["final_evaluator"].isin(["department", "third_party"]) & league["self_total"].notna()]
    if rows.empty:
        st.caption(tr("assess.no_comparison"))
        return
    rows = rows.sort_values(["inflated", "inflation"], ascending=[False, False], kind="stable")
    shared = pilot_columns()

    def shape(part: pd.DataFrame) -> pd.DataFrame:  # the page shown; every row only when downloaded
        return pd.DataFrame({
            "link": links("project", "project", part["project_id"].tolist()),
            "name": local_names(part, lang).tolist(),
            "self_total": [_number(v) for v in part["self_total"]],
            "final_total": [_number(v) for v in part["final_total"]],
            "final_evaluator": words(part["final_evaluator"], _word("evaluator", lang)),
            "inflation": [_number(v) for v in part["inflation"]],
            "inflated": [tr("assess.inflated") if _yes(f) else "" for f in part["inflated"]],
        })

    config = {
        "link": shared["link"], "name": shared["name"],
        "self_total": st.column_config.NumberColumn(tr("assess.col.self_total"), format="%.2f"),
        "final_total": st.column_config.NumberColumn(tr("assess.col.final_total"), format="%.2f"),
        "final_evaluator": st.column_config.TextColumn(tr("assess.col.final_evaluator")),
        "inflation": st.column_config.NumberColumn(tr("assess.col.inflation"), format="%+.2f",
                                                   help=tr("assess.inflation_help", points=points)),
        "inflated": st.column_config.TextColumn(tr("assess.col.inflated")),
    }
    # One page at a time, inflated first: a national round compares about 15,000 pilots at 100×,
    # which sent whole were most of the page's 1.8 MB.
    paged_table(rows, "assessment_self_vs_independent", config, "assess_self", title=tr("assess.self_vs"),
                shape=shape, phone=("link", "self_total", "final_total", "inflated"))


def report_downloads(round_id: str, project_id: str | None, lang: str, evaluator: str | None = None) -> None:
    """The assessment report of the pilot (or, without one, of the round) as Word and as printable
    HTML: made when downloaded, from the person's own store (their scope), audited as a report."""
    limited, scope = store(), current_scope()
    scope_text = scope.describe(lang)

    def build():
        if project_id:
            return assessment_report.pilot_report(limited, round_id, project_id, lang, scope_text, evaluator)
        return assessment_report.round_report(limited, round_id, lang, scope_text)

    stem = assessment_report.file_stem(round_id, project_id)
    left, right = st.columns(2)
    download(left, tr("assess.download_docx"),
             audited("report", f"{stem}.docx", lambda: assessment_report.to_docx(build())),
             file_name=f"{stem}.docx", icon=":material/description:", key=f"assess_docx_{bool(project_id)}",
             mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    download(right, tr("assess.download_html"),
             audited("report", f"{stem}.html", lambda: assessment_report.to_html(build(), lang)),
             file_name=f"{stem}.html", mime="text/html", icon=":material/print:",
             key=f"assess_html_{bool(project_id)}")


def grades_over_rounds(frame: pd.DataFrame, lang: str) -> None:
    """The Project page: the pilot's final score and grade in every round, latest first."""
    if frame.empty:
        st.caption(tr("assess.no_rounds_for_pilot"))
        return
    rows = pd.DataFrame({
        "round": [f"{n} · {fmt_date(d, lang)}" for n, d in zip(frame["round_name"], frame["period_end"])],
        "final_total": [_number(v) for v in frame["final_total"]],
        "grade": words(frame["final_grade"], _word("grade", lang)),
        "final_evaluator": words(frame["final_evaluator"], _word("evaluator", lang)),
        "change": [_number(v) for v in frame["change"]],
        "inflated": [tr("assess.inflated_by", n=f"{v:.2f}") if _yes(f) else ""
                     for f, v in zip(frame["inflated"], frame["inflation"])],
        "scorecard": [link("assessment", round=r, project=p) for r, p in zip(frame["round_id"], frame["project_id"])],
    })
    config = {
        "round": st.column_config.TextColumn(tr("assess.report.round"), width="medium"),
        "final_total": st.column_config.NumberColumn(tr("assess.col.final_total"), format="%.2f"),
        "grade": st.column_config.TextColumn(tr("assess.col.grade"), width="small"),
        "final_evaluator": st.column_config.TextColumn(tr("assess.col.final_evaluator"), width="small"),
        "change": st.column_config.NumberColumn(tr("assess.col.change"), format="%+.2f"),
        "inflated": st.column_config.TextColumn(tr("assess.col.inflated")),
        "scorecard": st.column_config.LinkColumn(tr("assess.scorecard"), display_text=tr("assess.open_scorecard")),
    }
    table(rows, "project_grades", config, key="project_grades", title=tr("assess.grades_over_rounds"),
          phone=("round", "final_total", "grade"))
