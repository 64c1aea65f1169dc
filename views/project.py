"""Project 项目详情: one pilot's whole record on one page, chosen by `?project=<id>` or the
chooser: facts, health and its reasons, phases and milestones, indicators against their
targets with a trend, budget lines and earned value, risks."""

import pandas as pd
import streamlit as st

from pilotdash import charts, ui
from pilotdash.domain import ENUMS, EV_THRESHOLDS
from pilotdash.i18n import fmt_judged, fmt_money, fmt_number, label, unit_label
from pilotdash.warnings import view as warnings_view

# Words with a shape, so no state rests on colour alone.
MARKS = {"met": "✔", "near": "▲", "behind": "✖", "no_data": "·",
         "done_on_time": "✔", "done_late": "◐", "overdue": "✖", "upcoming": "○",
         "red": "✖", "orange": "▲", "yellow": "△", "low": "·", "green": "✔", "amber": "▲",
         "done": "✔", "in_progress": "▶", "not_started": "○"}


def marked(code: object, words: str) -> str:
    return f"{MARKS.get(code, '')} {words}".strip()


view = ui.header("page.project")
lang = view.lang
as_of = ui.as_of(view)
chosen = view.extra("project")

facts = ui.query("project_facts", None, as_of=as_of, project=chosen) if chosen else None
if chosen and facts.empty:
    # Outside a person's scope a pilot is treated as not there (whether it exists elsewhere is
    # not said): only the notice, no row of it.
    key = "project.unknown" if ui.current_scope().is_national else "scope.project_outside"
    st.warning(ui.tr(key, id=chosen), icon=":material/search_off:")
    chosen = None
    ui.set_view(project=None, indicator=None)

# The chooser: the pilots the filters match (plus the one shown), searchable by id and name.
# A national programme has tens of thousands: the list sent to the browser holds at most
# CHOOSER_LIMIT of them, those matching a search when there are more.
CHOOSER_LIMIT = 500
listed = ui.query("project_list", view)
names = {p: f"{p} · {n}" for p, n in zip(listed["project_id"].tolist(), ui.project_names(listed))}
if len(names) > CHOOSER_LIMIT:
    search = st.text_input(ui.tr("project.search"), key="w_project_search",
                           placeholder=ui.tr("project.search_placeholder")).strip().casefold()
    matching = [p for p, n in names.items() if search in n.casefold()] if search else list(names)
    st.caption(ui.tr("project.chooser_limited", shown=min(len(matching), CHOOSER_LIMIT), total=len(matching)))
    names = {p: names[p] for p in matching[:CHOOSER_LIMIT]}
if chosen and chosen not in names:
    names = {chosen: f"{chosen} · {ui.project_name(facts.iloc[0])}", **names}
st.session_state["w_project"] = chosen
st.selectbox(ui.tr("project.choose"), list(names), key="w_project", format_func=names.get,
             placeholder=ui.tr("project.choose_placeholder"),
             on_change=lambda: ui.set_view(project=st.session_state["w_project"], indicator=None))

if not chosen:
    if ui.require_pilots(view):
        # Every pilot the filters match, worst health first, each a link to its page.
        st.info(ui.tr("project.choose_hint"), icon=":material/arrow_upward:")
        ui.project_table(listed, "project_list", extra_columns=["reasons"], paged=True,
                         title=ui.tr("project.all_pilots"))
else:
    f = facts.iloc[0]
    if chosen not in set(listed["project_id"]):
        st.caption(ui.tr("project.outside_filters"))

    # Who and what: the facts, and health with its reasons in words.
    st.header(f"{f.project_id} · {ui.project_name(f)}")
    with st.container(border=True):
        reasons = list(f.reasons)
        st.markdown(f"**{ui.tr('overview.health')}: {ui.health_badge(f.health)}**  \n"
                    + (ui.reasons_text(reasons) if reasons else ui.tr("project.all_clear")))
    place = (f.province_en if lang == "en" else f.province_zh) + (f" · {f['city']}" if isinstance(f["city"], str) and f["city"] else "")
    fields = [
        ("project.name_zh", f.name_zh), ("project.name_en", f.name_en if isinstance(f.name_en, str) else None),
        ("filter.domain", label("domain", f.domain, lang)), ("filter.pilot_type", label("pilot_type", f.pilot_type, lang)),
        ("project.place", place), ("filter.belt", label("belt", f.belt, lang)),
        ("project.lead_unit", f.lead_unit if isinstance(f.lead_unit, str) else None),
        ("project.batch", str(int(f.batch_year)) if f.batch_year == f.batch_year else None),
        ("project.start", ui.date_text(f.start_date)), ("project.end", ui.date_text(f.end_date)),
        ("filter.status", label("project_status", f.status, lang)),
        ("project.phase_now", label("phase", f.phase, lang)),
    ]
    cols = st.columns(4)
    for i, (key, value) in enumerate(fields):
        with cols[i % 4]:
            st.caption(ui.tr(key))
            st.text(value if value else ui.tr("common.none"))

    warnings_view.project_section(chosen)  # early warnings and responses (pilotdash/warnings)

    # Phases: planned against actual, with today's line, and the milestones.
    st.subheader(ui.tr("project.phases"))
    phases = ui.query("phase_timeline", None, as_of=as_of, project=[chosen])
    if phases.empty:
        st.caption(ui.tr("project.no_phases"))
    else:
        phases["row"] = ui.label_column(phases, "phase", "phase")
        ui.chart(charts.phase_gantt(
            phases, "row", phase_labels={p: label("phase", p, lang) for p in ENUMS["phase"]},
            planned_label=ui.tr("phases.planned"), actual_label=ui.tr("phases.actual"), row_title=None,
            date_title=ui.tr("phases.date"), phase_title=ui.tr("filter.phase"), as_of=as_of,
            as_of_label=ui.tr("phases.as_of_line", date=ui.date_text(as_of)), row_order=list(phases["row"])),
            "project_phases", ui.tr("project.phases"))
        ui.table(phases.assign(
            planned_start=[ui.date_text(d) for d in phases["planned_start"]],
            planned_end=[ui.date_text(d) for d in phases["planned_end"]],
            actual_start=[ui.date_text(d) for d in phases["actual_start"]],
            actual_end=[ui.date_text(d) for d in phases["actual_end"]],
            phase_state=[marked(s, ui.tr(f"project.phase_state.{s}")) for s in phases["phase_state"]],
        )[["row", "phase_state", "progress", "planned_start", "planned_end", "actual_start", "actual_end",
           "start_slip_days", "end_slip_days"]], f"project_{chosen}_phases", {
            "row": st.column_config.TextColumn(ui.tr("filter.phase")),
            "phase_state": st.column_config.TextColumn(ui.tr("phases.state")),
            "progress": ui.percent_column(ui.tr("phases.phase_progress"), help=ui.tr("phases.phase_progress_help")),
            "planned_start": st.column_config.TextColumn(ui.tr("project.planned_start")),
            "planned_end": st.column_config.TextColumn(ui.tr("project.planned_end")),
            "actual_start": st.column_config.TextColumn(ui.tr("project.actual_start")),
            "actual_end": st.column_config.TextColumn(ui.tr("project.actual_end")),
            "start_slip_days": st.column_config.NumberColumn(ui.tr("project.start_slip"), format="%d"),
            "end_slip_days": st.column_config.NumberColumn(ui.tr("project.end_slip"), format="%d"),
        }, key="phases", title=ui.tr("project.phases"))

    st.subheader(ui.tr("project.milestones"))
    milestones = ui.query("project_milestones", None, as_of=as_of, project=chosen)
    if milestones.empty:
        st.caption(ui.tr("project.no_milestones"))
    else:
        ui.table(milestones.assign(
            phase=ui.label_column(milestones, "phase", "phase"),
            kind=ui.label_column(milestones, "kind", "milestone_kind"),
            due_date=[ui.date_text(d) for d in milestones["due_date"]],
            done_date=[ui.date_text(d) for d in milestones["done_date"]],
            state=[marked(s, label("milestone_state", s, lang)) for s in milestones["state"]],
            overdue_days=[ui.count(d) for d in milestones["overdue_days"]],
        ), f"project_{chosen}_milestones", {
            "milestone_id": st.column_config.TextColumn(ui.tr("project.milestone_id")),
            "phase": st.column_config.TextColumn(ui.tr("filter.phase"), width="small"),
            "name": st.column_config.TextColumn(ui.tr("phases.milestone")),
            "kind": st.column_config.TextColumn(ui.tr("phases.kind"), width="small"),
            "due_date": st.column_config.TextColumn(ui.tr("phases.due_date")),
            "done_date": st.column_config.TextColumn(ui.tr("phases.done_date")),
            "state": st.column_config.TextColumn(ui.tr("phases.state")),
            "overdue_days": st.column_config.TextColumn(ui.tr("phases.overdue_days")),
        }, key="milestones", title=ui.tr("project.milestones"))

    # Indicators: current actual against the target that applies, and one indicator's trend.
    st.subheader(ui.tr("project.indicators"))
    indicators = ui.query("project_indicators", None, as_of=as_of, project=chosen)
    codes = list(indicators["indicator_code"])
    ui.valid_param("indicator", codes)  # checked even when the pilot has no indicators
    if indicators.empty:
        st.caption(ui.tr("project.no_indicators"))
    else:
        ind_names = dict(zip(indicators["indicator_code"], ui.local_names(indicators)))
        ui.table(indicators.assign(
            name=indicators["indicator_code"].map(ind_names),
            unit=indicators["unit"].map(lambda u: unit_label(u, lang)),
            direction=ui.label_column(indicators, "direction", "direction"),
            source=[ui.tr(f"project.scope.{s}") + (f" · {label('phase', p, lang)}" if isinstance(p, str) else "")
                    if isinstance(s, str) else ui.tr("common.none")
                    for s, p in zip(indicators["target_scope"], indicators["target_phase"])],
            achievement=ui.shown_achievement(indicators["achievement"]),
            status=[marked(s, label("indicator_status", s, lang)) for s in indicators["status"]],
            period_end=[ui.date_text(d) for d in indicators["period_end"]],
        )[["indicator_code", "name", "unit", "direction", "actual", "target", "source", "gap", "achievement", "status",
           "period_end"]], f"project_{chosen}_indicators", {
            "indicator_code": st.column_config.TextColumn(ui.tr("project.indicator_code"), width="small"),
            "name": st.column_config.TextColumn(ui.tr("project.indicator")),
            "unit": st.column_config.TextColumn(ui.tr("project.unit"), width="small"),
            "direction": st.column_config.TextColumn(ui.tr("project.direction")),
            "actual": st.column_config.NumberColumn(ui.tr("project.actual"), format="%.2f"),
            "target": st.column_config.NumberColumn(ui.tr("project.target"), format="%.2f"),
            "source": st.column_config.TextColumn(ui.tr("project.target_source"), help=ui.tr("project.target_source_help")),
            "gap": st.column_config.NumberColumn(ui.tr("project.gap"), format="%.2f", help=ui.tr("project.gap_help")),
            "achievement": ui.percent_column(ui.tr("project.achievement"), bar=False),
            "status": st.column_config.TextColumn(ui.tr("phases.state"), width="small"),
            "period_end": st.column_config.TextColumn(ui.tr("project.period_end")),
        }, key="indicators", title=ui.tr("project.indicators"))

        with_data = [c for c, a in zip(codes, indicators["actual"]) if not pd.isna(a)]
        code = ui.bound(st.selectbox, "indicator", codes, key="w_indicator", label_text=ui.tr("project.trend_of"),
                        initial=(with_data or codes)[0], format_func=lambda c: f"{c} · {ind_names[c]}")
        row = indicators[indicators["indicator_code"] == code].iloc[0]
        trend = ui.query("project_reading_trend", None, as_of=as_of, project=chosen, indicator=code)
        if trend.empty:
            st.caption(ui.tr("project.no_readings"))
        else:
            unit = unit_label(row.unit, lang)
            target_label = (ui.tr("project.target_line", value=fmt_number(row.target, lang, 2), unit=unit)
                            if row.target == row.target and row.target is not None else None)
            ui.chart(charts.reading_trend(
                trend, status_labels={s: label("indicator_status", s, lang) for s in ENUMS["indicator_status"]},
                date_title=ui.tr("project.period_end"), value_title=f"{ind_names[code]} ({unit})",
                status_title=ui.tr("phases.state"), target_label=target_label),
                "project_trend", ui.tr("project.trend_of"))
            st.caption(ui.tr("project.trend_note", direction=label("direction", row.direction, lang)))

    # Money: budget lines and earned value.
    st.subheader(ui.tr("project.budget"))
    lines = ui.query("project_budget_lines", None, as_of=as_of, project=chosen)
    if lines.empty:
        st.caption(ui.tr("project.no_budget"))
    else:
        ui.table(lines.assign(
            source=ui.label_column(lines, "source", "source"),
            category=ui.label_column(lines, "category", "budget_category"),
            overspend=[ui.tr("project.overspend_mark") if o else "" for o in lines["overspend"]],
            counted=[ui.tr("project.counted_yes") if c else ui.tr("project.counted_no") for c in lines["counted"]],
        ), f"project_{chosen}_budget", {
            "fiscal_year": st.column_config.NumberColumn(ui.tr("filter.fiscal_year"), format="%d", width="small"),
            "source": st.column_config.TextColumn(ui.tr("project.source"), width="small"),
            "category": st.column_config.TextColumn(ui.tr("project.category"), width="small"),
            **ui.measure_columns("allocated", "disbursed", "spent", "arrival_rate", "execution_rate", "utilisation"),
            "overspend": st.column_config.TextColumn(ui.tr("project.overspend"), width="small"),
            "counted": st.column_config.TextColumn(ui.tr("project.counted"), help=ui.tr("project.counted_help")),
        }, key="budget", title=ui.tr("project.budget"))

    st.subheader(ui.tr("project.earned_value"))
    ev = ui.query("project_earned_value", None, as_of=as_of, project=chosen).iloc[0]
    cols = st.columns(4)
    ui.metric(cols[0], ui.tr("project.bac"), fmt_money(ev.bac, lang), help=ui.tr("project.bac_help"))
    ui.metric(cols[1], ui.tr("project.pv"), fmt_money(ev.pv, lang),
              help=ui.tr("project.pv_help", due=int(ev.due), n=int(ev.milestones)))
    ui.metric(cols[2], ui.tr("project.ev"), fmt_money(ev.ev, lang),
              help=ui.tr("project.ev_help", done=int(ev.done), n=int(ev.milestones)))
    ui.metric(cols[3], ui.tr("project.ac"), fmt_money(ev.ac, lang), help=ui.tr("project.ac_help"))
    cols = st.columns(4)
    for col, index, band in ((cols[0], "spi", ev.spi_band), (cols[1], "cpi", ev.cpi_band)):
        ui.metric(col, ui.tr(f"project.{index}"), fmt_judged(ev[index], lang, EV_THRESHOLDS),
                  help=ui.tr(f"project.{index}_help"))
        col.caption(marked(band, ui.tr(f"project.ev_band.{band}")) if isinstance(band, str)
                    else ui.tr("project.ev_band.none"))

    # Risks identified by the as-of date, open and highest first.
    st.subheader(ui.tr("project.risks"))
    risks = ui.query("project_risks", None, as_of=as_of, project=chosen)
    if risks.empty:
        st.caption(ui.tr("project.no_risks"))
    else:
        ui.table(risks.assign(
            category=ui.label_column(risks, "category", "risk_category"),
            level=[marked(v, label("risk_level", v, lang)) for v in risks["level"]],
            status=ui.label_column(risks, "status", "risk_status"),
            identified_on=[ui.date_text(d) for d in risks["identified_on"]],
        ), f"project_{chosen}_risks", {
            "risk_id": st.column_config.TextColumn(ui.tr("project.risk_id")),
            "category": st.column_config.TextColumn(ui.tr("project.category"), width="small"),
            "description": st.column_config.TextColumn(ui.tr("project.description")),
            "probability": st.column_config.NumberColumn(ui.tr("project.probability"), format="%d", width="small"),
            "impact": st.column_config.NumberColumn(ui.tr("project.impact"), format="%d", width="small"),
            "score": st.column_config.NumberColumn(ui.tr("project.score"), format="%d", width="small"),
            "level": st.column_config.TextColumn(ui.tr("project.level"), width="small"),
            "status": st.column_config.TextColumn(ui.tr("filter.status"), width="small"),
            "owner": st.column_config.TextColumn(ui.tr("project.owner"), width="small"),
            "identified_on": st.column_config.TextColumn(ui.tr("project.identified_on")),
        }, key="risks", title=ui.tr("project.risks"))
