"""Phase progress 阶段进度: a timeline of phases per project with the as-of line (planned vs
actual); milestones due, done on time, done late and overdue; projects behind schedule first."""

import streamlit as st

from pilotdash import charts, ui
from pilotdash.domain import ENUMS
from pilotdash.filters import PAGE_PARAMS
from pilotdash.i18n import fmt_pct, label

# How the project list and the Gantt may be ordered (the `sort` URL parameter); the order
# itself is the named query's (schedule_by_project).
SORTS = PAGE_PARAMS["sort"]
GANTT_PAGE_SIZE = 25
STATES = ENUMS["milestone_state"]

view = ui.header("page.phases")
lang = view.lang
if ui.require_pilots(view):
    as_of = ui.as_of(view)
    summary = ui.query("schedule_summary", view)
    total = summary[summary["belt"] == "all"].iloc[0]

    # Headline: how many pilots are behind schedule, and where the milestones stand.
    cols = st.columns(6)
    ui.metric(cols[0], ui.tr("phases.behind_projects"), f"{ui.count(total.behind)} / {ui.count(total.projects)}",
              help=ui.tr("phases.behind_definition"))
    ui.metric(cols[1], ui.tr("phases.due"), ui.count(total.due), help=ui.tr("phases.due_help"))
    ui.metric(cols[2], label("milestone_state", "done_on_time", lang), ui.count(total.done_on_time))
    ui.metric(cols[3], label("milestone_state", "done_late", lang), ui.count(total.done_late))
    ui.metric(cols[4], label("milestone_state", "overdue", lang), ui.count(total.overdue))
    ui.metric(cols[5], ui.tr("phases.completion"), fmt_pct(total.completion, lang), help=ui.tr("phases.completion_help"))
    st.caption(ui.tr("phases.behind_definition"))

    # Milestones by belt and state, and the overdue ones, worst first.
    left, right = st.columns([2, 3])
    by_belt = summary[summary["belt"] != "all"].melt(
        id_vars=["belt"], value_vars=list(STATES), var_name="state", value_name="count")
    by_belt["belt_label"] = ui.label_column(by_belt, "belt", "belt")
    by_belt["state_label"] = ui.label_column(by_belt, "state", "milestone_state")
    with left:
        st.subheader(ui.tr("phases.by_belt"))
        if int(total.milestones) == 0:
            st.caption(ui.tr("phases.no_milestones"))
        else:
            ui.chart(charts.stacked_bar(
                by_belt, "belt_label", "count", "state_label", colours=charts.MILESTONE_COLOURS,
                series_labels={s: label("milestone_state", s, lang) for s in STATES},
                category_title=ui.tr("filter.belt"), value_title=ui.tr("phases.milestones"),
                series_title=ui.tr("phases.state"),
                category_order=[label("belt", b, lang) for b in ENUMS["belt"]]),
                "milestones_by_belt", ui.tr("phases.by_belt"))
    overdue = ui.query("overdue_milestones", view)
    with right:
        st.subheader(ui.tr("phases.overdue_title"))
        if overdue.empty:
            st.success(ui.tr("phases.none_overdue"))
        else:
            shown = overdue.assign(
                link=ui.links("project", "project", overdue["project_id"].tolist()),
                name=ui.project_names(overdue),
                belt=ui.label_column(overdue, "belt", "belt"),
                status=ui.label_column(overdue, "status", "project_status"),
                milestone_phase=ui.label_column(overdue, "milestone_phase", "phase"),
                kind=ui.label_column(overdue, "kind", "milestone_kind"),
                due_date=ui.date_texts(overdue["due_date"]),
            )[["link", "name", "belt", "status", "milestone", "milestone_phase", "kind", "due_date", "overdue_days"]]
            ui.paged_table(shown, "overdue_milestones", {
                **ui.columns("link", "name", "belt", "status"),
                "milestone": st.column_config.TextColumn(ui.tr("phases.milestone")),
                "milestone_phase": st.column_config.TextColumn(ui.tr("filter.phase"), width="small"),
                "kind": st.column_config.TextColumn(ui.tr("phases.kind"), width="small"),
                "due_date": st.column_config.TextColumn(ui.tr("phases.due_date")),  # 2024年3月8日 whole
                "overdue_days": st.column_config.NumberColumn(ui.tr("phases.overdue_days"), format="%d",
                                                              width="small"),
            }, "overdue", title=ui.tr("phases.overdue_title"), phone=("link", "milestone", "overdue_days"))

    # The timeline: one page of pilots at a time, in the chosen order (behind schedule first
    # by default), planned against actual, with the same pilots in the table below it.
    st.subheader(ui.tr("phases.gantt_title"))
    sort = ui.bound(st.segmented_control, "sort", SORTS, key="w_sort", label_text=ui.tr("phases.sort"),
                    default="behind", clears=("page_no",), format_func={s: ui.tr(f"phases.sort.{s}") for s in SORTS}.get)
    schedule = ui.query("schedule_by_project", view, sort=sort)
    page_no = ui.url_page(len(schedule), GANTT_PAGE_SIZE, "gantt")
    rows = slice((page_no - 1) * GANTT_PAGE_SIZE, page_no * GANTT_PAGE_SIZE)
    page = schedule.iloc[rows]
    row_names = {
        r["project_id"]: ("▲ " if r["behind"] else "") + f"{r['project_id']} · {ui.project_name(r)}"
        for _, r in page.iterrows()
    }
    timeline = ui.query("phase_timeline", view, project=list(page["project_id"]))
    timeline["row"] = timeline["project_id"].map(row_names)
    if timeline.empty:
        st.caption(ui.tr("phases.no_phases"))
    else:
        ui.chart(charts.phase_gantt(
            timeline, "row", phase_labels={p: label("phase", p, lang) for p in ENUMS["phase"]},
            planned_label=ui.tr("phases.planned"), actual_label=ui.tr("phases.actual"), row_title=None,
            date_title=ui.tr("phases.date"), phase_title=ui.tr("filter.phase"), as_of=as_of,
            as_of_label=ui.tr("phases.as_of_line", date=ui.date_text(as_of)),
            row_order=[row_names[p] for p in page["project_id"] if p in set(timeline["project_id"])]),
            "phase_timeline", ui.tr("phases.gantt_title"))
        st.caption(ui.tr("phases.gantt_note"))

    shown = schedule.assign(
        link=ui.links("project", "project", schedule["project_id"].tolist()),
        name=ui.project_names(schedule),
        behind=ui.words(schedule["schedule_state"], lambda s: ui.tr(f"phases.schedule_state.{s}")),
        phase=ui.label_column(schedule, "phase", "phase"),
        health=ui.words(schedule["health"], ui.health_badge),
        schedule_reasons=ui.words((tuple(rs) for rs in schedule["schedule_reasons"].tolist()),
                                  lambda rs: ui.tr("phases.list_sep").join(ui.tr(f"phases.reason.{r}") for r in rs)),
    )[["link", "name", "behind", "schedule_reasons", "slip_days", "phase", "phase_progress", "due", "overdue",
       "completion", "spi", "health"]]
    ui.paged_table(shown, "schedule_by_project", {
        **ui.columns("link", "name"),
        "behind": st.column_config.TextColumn(ui.tr("phases.schedule"), width="small"),
        "schedule_reasons": st.column_config.TextColumn(ui.tr("common.reasons")),
        "slip_days": st.column_config.NumberColumn(ui.tr("phases.slip_days"), format="%d", width="small",
                                                   help=ui.tr("phases.slip_days_help")),
        "phase": st.column_config.TextColumn(ui.tr("filter.phase"), width="small"),
        "phase_progress": ui.percent_column(ui.tr("phases.phase_progress"), help=ui.tr("phases.phase_progress_help")),
        "due": st.column_config.NumberColumn(ui.tr("phases.due"), format="%d", width="small"),
        "overdue": st.column_config.NumberColumn(label("milestone_state", "overdue", lang), format="%d",
                                                 width="small"),
        "completion": ui.percent_column(ui.tr("phases.completion"), help=ui.tr("phases.completion_help")),
        "spi": st.column_config.NumberColumn(ui.tr("phases.spi"), format="%.2f", width="small", help=ui.tr("phases.spi_help")),
        **ui.columns("health"),
    }, "schedule", rows=rows, title=ui.tr("phases.table_title"))
