"""Overview 总览: how many pilots, where, in which phase; how healthy; how much money moved;
how many targets are met; what changed since the last period; who needs attention."""

import streamlit as st

from pilotdash import charts, ui
from pilotdash.domain import ENUMS, previous_fiscal_year_end, previous_period_end
from pilotdash.i18n import fmt_money, label
from pilotdash.warnings import view as warnings_view

view = ui.header("page.overview")
lang = view.lang
if ui.require_pilots(view):
    as_of = ui.as_of(view)
    previous = previous_period_end(as_of)
    now = ui.query("overview_totals", view).iloc[0]
    before = ui.query("overview_totals", view, as_of=previous).iloc[0]
    # Money counts per fiscal year, so its change is against the previous fiscal year's end.
    fiscal = previous_fiscal_year_end(as_of)
    money_before = ui.query("overview_totals", view, as_of=fiscal).iloc[0]
    st.caption(ui.tr("overview.changes_note", date=ui.date_text(previous), fy=fiscal.year))

    # Headline numbers (pilotdash.measures), each with its change since the previous quarter end;
    # money counts per fiscal year, so its changes are against the previous fiscal year's end.
    money_note = ui.tr("overview.money_change_help", fy=fiscal.year, year=as_of.year)
    health_help = ui.tr("overview.health_count_help", running=int(now.running), closed=int(now.closed),
                        date=ui.date_text(previous))
    helps = {"projects": ui.tr("overview.projects_running_help", active=int(now.active), running=int(now.running),
                               closed=int(now.closed)),
             "red": health_help, "amber": health_help, "green": health_help,
             "spent": f"{ui.tr('overview.disbursed_help', disbursed=fmt_money(now.disbursed, lang))}  \n{money_note}",
             "share_met": ui.tr("overview.share_met_help", n=int(now.pairs_with_data or 0))}
    ui.headlines("overview", now, before, fiscal_before=money_before, helps=helps, fiscal_help=money_note)
    # Open and overdue warnings by level (pilotdash/warnings): after the headline numbers, which
    # come first on every screen and should not wait for the warnings' queries.
    warnings_view.overview_section(view)

    # Where the pilots are and in which phase; how healthy each belt is.
    left, right = st.columns(2)
    counts = ui.query("projects_by_belt_phase", view)
    with left:
        st.subheader(ui.tr("overview.by_belt_phase"))
        ui.belt_bars(counts, "projects", "phase", "phase", charts.PHASE_COLOURS, name="pilots_by_belt_phase",
                     title=ui.tr("overview.by_belt_phase"), value_title=ui.tr("overview.projects"),
                     series_title=ui.tr("filter.phase"), category_title=ui.tr("filter.belt"))
    health = ui.query("region_summary", view).melt(id_vars=["belt"], value_vars=list(ENUMS["health"]),
                                                   var_name="health", value_name="count")
    with right:
        st.subheader(ui.tr("overview.health_by_belt"))
        ui.belt_bars(health, "count", "health", "health", charts.HEALTH_COLOURS, name="health_by_belt",
                     title=ui.tr("overview.health_by_belt"), value_title=ui.tr("overview.projects"),
                     series_title=ui.tr("overview.health"), category_title=ui.tr("filter.belt"))

    status = counts.groupby("status", as_index=False)["projects"].sum()
    st.caption(" · ".join(f"{label('project_status', s, lang)} {n}" for s, n in zip(status["status"], status["projects"])))

    # Which running pilots got worse since the previous quarter end, and how many got better.
    since = ui.date_text(previous)
    st.subheader(ui.tr("overview.worse", date=since))
    changes = ui.query("health_changes", view, since=previous)
    worse = changes[changes["change"] == "worse"]
    if worse.empty:
        st.success(ui.tr("overview.none_worse", date=since))
    else:
        st.caption(ui.tr("overview.worse_note", date=since))
        ui.project_table(worse, "worse", extra_columns=["reasons"], paged=True, before=since,
                         title=ui.tr("overview.worse", date=since))
    st.caption(ui.tr("overview.better", n=len(changes) - len(worse), date=since))
    st.caption(ui.tr("overview.changes_add_up", date=since))

    # The ten pilots that need attention most, with their reasons, each a link to its page.
    st.subheader(ui.tr("overview.attention"))
    attention = ui.query("attention_projects", view, limit=10)
    if attention.empty:
        st.success(ui.tr("overview.all_green"))
    else:
        ui.project_table(attention, "attention", extra_columns=["reasons"], title=ui.tr("overview.attention"))

    # The projects behind each red / amber / green count.
    st.subheader(ui.tr("overview.behind_counts"))
    st.caption(ui.tr("overview.closed_apart", running=int(now.running), closed=int(now.closed)))
    tabs = st.tabs([ui.health_badge(h) + f" ({int(now[h])})" for h in ENUMS["health"]], key="overview_health_tabs")
    for tab, health_code in zip(tabs, ENUMS["health"]):
        with tab:
            listed = ui.query("project_list", view, health=[health_code])
            if listed.empty:
                st.caption(ui.tr("overview.none_in_health"))
            else:
                ui.project_table(listed, f"projects_{health_code}", extra_columns=["reasons"], paged=True,
                                 title=f"{ui.tr('overview.behind_counts')} · {ui.health_badge(health_code)}")
