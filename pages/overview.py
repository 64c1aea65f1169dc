"""Overview 总览: how many pilots, where, in which phase; how healthy; how much money moved;
how many targets are met; what changed since the last period; who needs attention."""

import streamlit as st

from pilotdash import charts, ui
from pilotdash.domain import ENUMS, previous_period_end
from pilotdash.i18n import fmt_money, fmt_pct, label
from pilotdash.warnings import view as warnings_view

view = ui.header("page.overview")
lang = view.lang
if ui.require_pilots(view):
    warnings_view.overview_section(view)  # open and overdue warnings by level (pilotdash/warnings)
    as_of = ui.as_of(view)
    previous = previous_period_end(as_of)
    now = ui.query("overview_totals", view).iloc[0]
    before = ui.query("overview_totals", view, as_of=previous).iloc[0]
    st.caption(ui.tr("overview.delta_note", date=previous.isoformat()))

    # Headline numbers, each with its change since the previous quarter end.
    def headline(column, key, value, field, kind, worse_when_up=False, help=None):
        ui.change_metric(column, ui.tr(key), value, now[field], before[field], kind,
                         worse_when_up=worse_when_up, help=help)

    cols = st.columns(4)
    headline(cols[0], "overview.projects", ui.count(now.projects), "projects", "count",
             help=ui.tr("overview.projects_help", active=int(now.active)))
    headline(cols[1], "overview.red", ui.count(now.red), "red", "count", worse_when_up=True)
    headline(cols[2], "overview.amber", ui.count(now.amber), "amber", "count", worse_when_up=True)
    headline(cols[3], "overview.green", ui.count(now.green), "green", "count")
    cols = st.columns(4)
    headline(cols[0], "overview.allocated", fmt_money(now.allocated, lang), "allocated", "money")
    headline(cols[1], "overview.spent", fmt_money(now.spent, lang), "spent", "money",
             help=ui.tr("overview.disbursed_help", disbursed=fmt_money(now.disbursed, lang)))
    headline(cols[2], "overview.utilisation", fmt_pct(now.utilisation, lang), "utilisation", "pct")
    headline(cols[3], "overview.share_met", fmt_pct(now.share_met, lang), "share_met", "pct",
             help=ui.tr("overview.share_met_help", n=int(now.pairs_with_data or 0)))
    cols = st.columns(4)
    headline(cols[0], "overview.overdue_milestones", ui.count(now.overdue_milestones), "overdue_milestones", "count",
             worse_when_up=True)
    headline(cols[1], "overview.overspent_projects", ui.count(now.overspent_projects), "overspent_projects", "count",
             worse_when_up=True)
    headline(cols[2], "overview.arrival_rate", fmt_pct(now.arrival_rate, lang), "arrival_rate", "pct")
    headline(cols[3], "overview.execution_rate", fmt_pct(now.execution_rate, lang), "execution_rate", "pct")

    # Where the pilots are and in which phase; how healthy each belt is.
    left, right = st.columns(2)
    counts = ui.query("projects_by_belt_phase", view)
    counts["belt_label"] = ui.label_column(counts, "belt", "belt")
    counts["phase_label"] = ui.label_column(counts, "phase", "phase")
    belt_order = [label("belt", b, lang) for b in ENUMS["belt"]]
    with left:
        st.subheader(ui.tr("overview.by_belt_phase"))
        ui.chart(charts.stacked_bar(
            counts, "belt_label", "projects", "phase_label", colours=charts.PHASE_COLOURS,
            series_labels={p: label("phase", p, lang) for p in ENUMS["phase"]},
            category_title=ui.tr("filter.belt"), value_title=ui.tr("overview.projects"),
            series_title=ui.tr("filter.phase"), category_order=belt_order),
            "pilots_by_belt_phase", ui.tr("overview.by_belt_phase"))
    regions = ui.query("region_summary", view)
    health = regions.melt(id_vars=["belt"], value_vars=["red", "amber", "green"], var_name="health",
                          value_name="count")
    health["belt_label"] = ui.label_column(health, "belt", "belt")
    health["health_label"] = ui.label_column(health, "health", "health")
    with right:
        st.subheader(ui.tr("overview.health_by_belt"))
        ui.chart(charts.stacked_bar(
            health, "belt_label", "count", "health_label", colours=charts.HEALTH_COLOURS,
            series_labels={h: label("health", h, lang) for h in ENUMS["health"]},
            category_title=ui.tr("filter.belt"), value_title=ui.tr("overview.projects"),
            series_title=ui.tr("overview.health"), category_order=belt_order),
            "health_by_belt", ui.tr("overview.health_by_belt"))

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

    # The ten pilots that need attention most, with their reasons, each a link to its page.
    st.subheader(ui.tr("overview.attention"))
    attention = ui.query("attention_projects", view, limit=10)
    if attention.empty:
        st.success(ui.tr("overview.all_green"))
    else:
        ui.project_table(attention, "attention", extra_columns=["reasons"], title=ui.tr("overview.attention"))

    # The projects behind each red / amber / green count.
    st.subheader(ui.tr("overview.behind_counts"))
    tabs = st.tabs([ui.health_badge(h) + f" ({int(now[h])})" for h in ENUMS["health"]])
    for tab, health_code in zip(tabs, ENUMS["health"]):
        with tab:
            listed = ui.query("project_list", view, health=[health_code])
            if listed.empty:
                st.caption(ui.tr("overview.none_in_health"))
            else:
                ui.project_table(listed, f"projects_{health_code}", extra_columns=["reasons"], paged=True,
                                 title=f"{ui.tr('overview.behind_counts')} · {ui.health_badge(health_code)}")
