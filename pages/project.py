"""Project 项目详情: one pilot's whole record on one page, chosen by `?project=<id>` or the
chooser: facts, health and its reasons, headline numbers, phases and milestones, indicators
against their targets with a trend, budget lines and earned value, risks."""

import pandas as pd
import streamlit as st

from pilotdash import ui
from pilotdash.ui import assessment, indicator_charts, pilot_chooser
from pilotdash.ui import tasks as tasks_ui
from pilotdash.ui import row_words as rw
from pilotdash.ui.earned_value import earned_value
from pilotdash.ui.schedule_charts import phase_gantt
from pilotdash.warnings import view as warnings_view

PHASE_COLUMNS = ("row", "phase_state", "progress", "planned_start", "planned_end", "actual_start",
                 "actual_end", "start_slip_days", "end_slip_days")
MILESTONE_COLUMNS = ("milestone_id", "milestone_phase", "milestone", "kind", "due_date", "done_date", "state",
                     "overdue_days")
INDICATOR_COLUMNS = ("indicator_code", "indicator", "unit", "direction", "actual", "target", "source", "gap",
                     "achievement", "status", "period_end")
BUDGET_COLUMNS = ("fiscal_year", "source_label", "category_label", "allocated", "disbursed", "spent",
                  "arrival_rate", "execution_rate", "utilisation", "overspend", "counted")
RISK_COLUMNS = ("risk_id", "risk_category", "description", "probability", "impact", "score", "risk_level",
                "risk_status", "owner", "identified_on")

view = ui.header("page.project")
lang = view.lang
as_of = ui.as_of(view)
chosen, facts = pilot_chooser.chosen_pilot(view.extra("project"), as_of)
listed = ui.query("project_list", view)
pilot_chooser.pilot_chooser(listed, chosen, facts)


def section(title_key: str, rows: pd.DataFrame, shape, columns: dict, key: str, empty_key: str,
            chart=None) -> None:
    """A part of the record under its heading: its rows in words (`shape`), a chart when given
    (of the rows as the query gave them, and in words), and the table; or a line saying none."""
    st.subheader(ui.tr(title_key))
    if rows.empty:
        st.caption(ui.tr(empty_key))
        return
    shown = shape(rows, lang)
    if chart:
        chart(rows, shown)
    ui.table(shown[list(columns)], f"project_{chosen}_{key}", columns, key=key, title=ui.tr(title_key))


if not chosen:
    if ui.require_pilots(view):
        # Every pilot the filters match, worst health first, each a link to its page.
        st.info(ui.tr("project.choose_hint"), icon=":material/arrow_upward:")
        ui.project_table(listed, "project_list", extra_columns=["reasons"], paged=True,
                         title=ui.tr("project.all_pilots"))
else:
    f = facts.iloc[0]
    if chosen not in set(listed["project_id"]) and f.started:  # not started: said below instead
        st.caption(ui.tr("project.outside_filters"))

    # Who and what: health with its reasons in words, the facts, the headline numbers.
    st.header(ui.plain(rw.pilot_choice(f)))
    if not f.started:  # not yet a pilot on the as-of date: it has no numbers for that day
        start = ui.date_text(f.start_date) if not pd.isna(f.start_date) else str(int(f.batch_year))
        st.info(ui.tr("project.not_started", date=ui.date_text(as_of), start=start), icon=":material/event_upcoming:")
        ui.end_page()
    with st.container(border=True):
        reasons = list(f.reasons)
        st.markdown(f"**{ui.tr('overview.health')}: {ui.health_badge(f.health)}**  \n"
                    + (ui.reasons_text(reasons) if reasons else ui.tr("project.all_clear")))
    ui.headlines("project", ui.query("overview_totals", None, as_of=as_of, project=[chosen]).iloc[0],
                 helps={"spent": ui.tr("project.ac_help")})
    cols = st.columns(4)
    for i, (key, value) in enumerate(rw.fact_fields(f, lang)):
        with cols[i % 4]:
            st.caption(ui.tr(key))
            st.text(value if value else ui.tr("common.none"))

    warnings_view.project_section(chosen)  # early warnings and responses (pilotdash/warnings)

    st.subheader(ui.tr("assess.grades_over_rounds"))  # assessment 考核评价 (pilotdash/assessment)
    assessment.grades_over_rounds(ui.query("evaluation_league", None, as_of=as_of, project=[chosen]), lang)

    # Phases: planned against actual, with today's line; then the milestones.
    section("project.phases", ui.query("phase_timeline", None, as_of=as_of, project=[chosen]), rw.phase_rows,
            ui.table_columns(*PHASE_COLUMNS, row="phase_text", progress="phase_progress"), "phases",
            "project.no_phases",
            chart=lambda rows, shown: phase_gantt(rows.assign(row=shown["row"]), shown["row"], as_of,
                                                  "project_phases", ui.tr("project.phases")))
    section("project.milestones", ui.query("project_milestones", None, as_of=as_of, project=chosen),
            rw.milestone_rows, ui.table_columns(*MILESTONE_COLUMNS, overdue_days="days_overdue"),
            "milestones", "project.no_milestones")

    # Indicators: current actual against the target that applies, and one indicator's trend.
    indicators = ui.query("project_indicators", None, as_of=as_of, project=chosen)
    codes = list(indicators["indicator_code"])
    ui.valid_param("indicator", codes)  # checked even when the pilot has no indicators
    section("project.indicators", indicators, rw.indicator_rows,
            ui.table_columns(*INDICATOR_COLUMNS, achievement="achievement_plain", status="indicator_status"),
            "indicators", "project.no_indicators")
    if codes:
        names = dict(zip(codes, ui.local_names(indicators)))
        with_data = [c for c, a in zip(codes, indicators["actual"]) if not pd.isna(a)]
        code = ui.bound(st.selectbox, "indicator", codes, key="w_indicator", label_text=ui.tr("project.trend_of"),
                        initial=(with_data or codes)[0], format_func=lambda c: f"{c} · {names[c]}")
        trend = ui.query("project_reading_trend", None, as_of=as_of, project=chosen, indicator=code)
        if trend.empty:
            st.caption(ui.tr("project.no_readings"))
        else:
            row = indicators[indicators["indicator_code"] == code].iloc[0]
            indicator_charts.pilot_trend(trend, row, names[code])

    # Money: budget lines and earned value.
    section("project.budget", ui.query("project_budget_lines", None, as_of=as_of, project=chosen),
            rw.budget_rows, ui.table_columns(*BUDGET_COLUMNS, overspend="overspend_text"), "budget", "project.no_budget")
    st.subheader(ui.tr("project.earned_value"))
    earned_value(ui.query("project_earned_value", None, as_of=as_of, project=chosen).iloc[0])

    # Risks identified by the as-of date, open and highest first.
    section("project.risks", ui.query("project_risks", None, as_of=as_of, project=chosen), rw.risk_rows,
            ui.table_columns(*RISK_COLUMNS), "risks", "project.no_risks")

    # Its task tree and its issues (任务树、问题清单), each risk as of its latest review above.
    st.subheader(ui.tr("tasks.tree_title"))
    tree = ui.query("task_tree", None, as_of=as_of, project=chosen)
    if tree.empty:
        st.caption(ui.tr("tasks.no_tasks"))
    else:
        tasks_ui.tree(tree)
    st.subheader(ui.tr("page.issues"))
    issues = ui.query("issue_list", None, as_of=as_of, project=[chosen])
    if issues.empty:
        st.caption(ui.tr("issues.none"))
    else:
        tasks_ui.issue_list(issues, ui.tr("page.issues"), f"project_{chosen}_issues")
