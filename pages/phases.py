"""Phase progress 阶段进度: a timeline of phases per project with the as-of line (planned vs
actual); milestones due, done on time, done late and overdue; projects behind schedule first."""

import streamlit as st

from pilotdash import charts, ui
from pilotdash.domain import ENUMS
from pilotdash.filters import PAGE_PARAMS
from pilotdash.i18n import fmt_pct, label
from pilotdash.ui.schedule_charts import phase_gantt

# How the project list and the Gantt may be ordered (the `sort` URL parameter); the order
# itself is the named query's (schedule_by_project).
SORTS = PAGE_PARAMS["sort"]
GANTT_PAGE_SIZE = 25
STATES = ENUMS["milestone_state"]
OVERDUE_COLUMNS = ("link", "name", "belt", "status", "milestone", "milestone_phase", "kind", "due_date", "overdue_days")
SCHEDULE_COLUMNS = ("link", "name", "behind", "schedule_reasons", "slip_days", "phase", "phase_progress", "due",
                    "overdue", "completion", "spi", "health")

view = ui.header("page.phases")
lang = view.lang
if ui.require_pilots(view):
    as_of = ui.as_of(view)
    summary = ui.query("schedule_summary", view)
    total = summary[summary["belt"] == "all"].iloc[0]

    # Headline: how many pilots are behind schedule, and where the milestones stand.
    cols = st.columns(6)
    # behind schedule is judged for the running pilots: "behind / running"
    ui.metric(cols[0], ui.tr("phases.behind_projects"), f"{ui.count(total.behind)} / {ui.count(total.running)}",
              help=ui.tr("phases.behind_of_running", running=int(total.running), projects=int(total.projects)))
    ui.metric(cols[1], ui.tr("phases.due"), ui.count(total.due), help=ui.tr("phases.due_help"))
    ui.metric(cols[2], label("milestone_state", "done_on_time", lang), ui.count(total.done_on_time),
              help=ui.tr("phases.state_help"))
    ui.metric(cols[3], label("milestone_state", "done_late", lang), ui.count(total.done_late),
              help=ui.tr("phases.state_help"))
    ui.metric(cols[4], label("milestone_state", "overdue", lang), ui.count(total.overdue),
              help=ui.tr("overview.overdue_milestones_help"))
    ui.metric(cols[5], ui.tr("phases.completion"), fmt_pct(total.completion, lang), help=ui.tr("phases.completion_help"))
    st.caption(ui.tr("phases.behind_definition"))

    # Milestones by belt and state, and the overdue ones, worst first.
    left, right = st.columns([2, 3])
    by_belt = summary[summary["belt"] != "all"].melt(id_vars=["belt"], value_vars=list(STATES), var_name="state",
                                                     value_name="count")
    with left:
        st.subheader(ui.tr("phases.by_belt"))
        if int(total.milestones) == 0:
            st.caption(ui.tr("phases.no_milestones"))
        else:
            ui.belt_bars(by_belt, "count", "state", "milestone_state", charts.MILESTONE_COLOURS,
                         name="milestones_by_belt", title=ui.tr("phases.by_belt"), value_title=ui.tr("phases.milestones"),
                         series_title=ui.tr("phases.state"), category_title=ui.tr("filter.belt"))
    overdue = ui.query("overdue_milestones", view)
    with right:
        st.subheader(ui.tr("phases.overdue_title"))
        if overdue.empty:
            st.success(ui.tr("phases.none_overdue"))
        else:
            columns = ui.table_columns(*OVERDUE_COLUMNS)
            ui.paged_table(ui.row_words.overdue_rows(overdue, lang)[list(columns)], "overdue_milestones", columns,
                           "overdue", title=ui.tr("phases.overdue_title"),
                           phone=("link", "milestone", "overdue_days"))

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
        shown = set(timeline["project_id"])
        phase_gantt(timeline, [row_names[p] for p in page["project_id"] if p in shown], as_of, "phase_timeline",
                    ui.tr("phases.gantt_title"))
        st.caption(ui.tr("phases.gantt_note"))

    columns = ui.table_columns(*SCHEDULE_COLUMNS)
    ui.paged_table(ui.row_words.schedule_rows(schedule, lang)[list(columns)], "schedule_by_project", columns,
                   "schedule", rows=rows, title=ui.tr("phases.table_title"))
