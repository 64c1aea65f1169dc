"""Targets vs actuals 目标差距: per indicator and pilot, the target that applies and where it comes
from, the current actual, the gap in the indicator's unit, achievement and status; the largest
shortfalls first; a summary per indicator and belt; one indicator's readings over time (medians
and quartiles per quarter and belt, never single readings) against its target lines."""

import pandas as pd
import streamlit as st

from pilotdash import charts, ui
from pilotdash.columns import STATUS_MARKS as MARKS
from pilotdash.domain import ENUMS, THRESHOLDS
from pilotdash.i18n import fmt_pct, label, unit_label
from pilotdash.ui import indicator_charts
from pilotdash.ui import row_words as rw

STATUSES = ENUMS["indicator_status"]
GAP_COLUMNS = ("link", "name", "indicator", "status", "achievement", "gap", "actual", "target", "source", "region",
               "period_end")
SUMMARY_COLUMNS = ("link", "name", "belt", "pairs", "with_data", "share_met", "share_near", "share_behind", "no_data",
                   "median_achievement")

view = ui.header("page.targets")
lang = view.lang


def gap_table(frame: pd.DataFrame, key: str, title: str, with_indicator: bool = True) -> None:
    """Pairs as the query sorted them, one page at a time, each linked to its pilot's page."""
    shown = [c for c in GAP_COLUMNS if with_indicator or c != "indicator"]
    ui.paged_table(frame, key, ui.table_columns(*shown, status="indicator_status"), key=key, title=title,
                   shape=lambda rows: rw.gap_rows(rows, lang, with_indicator),
                   # a phone: which pilot, on what, how far (the indicator is this table's question)
                   phone=("name", "indicator", "achievement") if with_indicator else ("name", "achievement", "gap"))


def summary_table(frame: pd.DataFrame, key: str, by_belt: bool, title: str) -> None:
    shown = frame.assign(link=[ui.link("targets", indicator=c) for c in frame["indicator_code"]],
                         name=rw.indicator_titles(frame, lang, code=False).to_numpy())
    if by_belt:
        shown["belt"] = rw.enum_words(frame["belt"], "belt", lang)
    columns = ui.table_columns(*(c for c in SUMMARY_COLUMNS if by_belt or c != "belt"), link="indicator_link",
                               name="indicator_name", share_met="share_met_of_pairs")
    ui.table(shown[list(columns)].reset_index(drop=True), key, columns, key=key, title=title,
             height=min(38 * (len(shown) + 1), 560))


if ui.require_pilots(view):
    summary = ui.query("indicator_summary", view)
    if summary.empty:
        st.info(ui.tr("targets.no_pairs"), icon=":material/flag:")
    else:
        # 1. Headline: how many targets are met, near, behind ---------------------------------
        total = summary[(summary["indicator_code"] == "all") & (summary["belt"] == "all")].iloc[0]
        status_names = dict(zip(STATUSES, rw.status_words(pd.Series(STATUSES), lang)))
        cols = st.columns(5)
        ui.metric(cols[0], ui.tr("targets.with_data"), ui.count(total.with_data),
                  help=ui.tr("targets.with_data_help", pairs=ui.count(total.pairs)))
        for col, code in zip(cols[1:4], ("met", "near", "behind")):
            ui.metric(col, status_names[code], fmt_pct(total[f"share_{code}"], lang),
                      help=ui.tr("targets.share_help", n=ui.count(total[code]), of=ui.count(total.with_data)))
        ui.metric(cols[4], status_names["no_data"], ui.count(total.no_data), help=ui.tr("targets.no_data_help"))
        st.caption(ui.tr("targets.status_rule", met=fmt_pct(THRESHOLDS["met"], lang, 0),
                         near=fmt_pct(THRESHOLDS["near"], lang, 0)))

        # 2. The largest shortfalls first -----------------------------------------------------
        st.subheader(ui.tr("targets.shortfalls"))
        st.caption(ui.tr("targets.shortfalls_note"))
        shortfalls = ui.query("target_gaps", view, indicator_status=["behind", "near"])
        if shortfalls.empty:
            st.success(ui.tr("targets.no_shortfalls"), icon=":material/check_circle:")
        else:
            gap_table(shortfalls, "target_shortfalls", ui.tr("targets.shortfalls"))

        # 3. Per indicator: status shares and median achievement, overall and by belt ---------
        st.subheader(ui.tr("targets.by_indicator"))
        per_indicator = summary[summary["indicator_code"] != "all"].copy()
        per_indicator["indicator"] = per_indicator["indicator_code"] + " " + ui.local_names(per_indicator)
        order = list(dict.fromkeys(per_indicator["indicator"]))
        overall = per_indicator[per_indicator["belt"] == "all"]
        belts = per_indicator[per_indicator["belt"] != "all"]
        left, right = st.columns(2)
        with left:
            indicator_charts.status_by_indicator(overall, order)
        with right:
            indicator_charts.met_by_belt(belts, order)
        tab_all, tab_belt = st.tabs([ui.tr("targets.all_belts"), ui.tr("targets.each_belt")], key="targets_tabs")
        with tab_all:
            summary_table(overall, "indicator_summary", by_belt=False,
                          title=f"{ui.tr('targets.by_indicator')} · {ui.tr('targets.all_belts')}")
        with tab_belt:
            summary_table(belts, "indicator_summary_by_belt", by_belt=True,
                          title=f"{ui.tr('targets.by_indicator')} · {ui.tr('targets.each_belt')}")

        # 4. One indicator: its readings over time against the target lines, and its pilots ---
        st.subheader(ui.tr("targets.one_indicator"))
        codes = list(overall["indicator_code"])
        titles = dict(zip(overall["indicator_code"], overall["indicator"]))
        code = ui.bound(st.selectbox, "indicator", codes, key="w_target_indicator", label_text=ui.tr("targets.choose"),
                        initial=codes[0], format_func=titles.get)
        row = overall[overall["indicator_code"] == code].iloc[0]
        unit = unit_label(row.unit, lang)
        cols = st.columns(4)
        ui.metric(cols[0], ui.tr("targets.national_target"), f"{rw.unit_number(row.national_target, lang)} {unit}",
                  help=label("direction", row.direction, lang))
        ui.metric(cols[1], ui.tr("targets.with_data"), ui.count(row.with_data))
        ui.metric(cols[2], f"{MARKS['met']} {ui.tr('targets.share_met')}", fmt_pct(row.share_met, lang))
        ui.metric(cols[3], ui.tr("targets.median_achievement"), fmt_pct(row.median_achievement, lang))

        by_belt = ui.query("reading_trend", view, indicator=code).query("belt != 'all'")
        if by_belt.empty:
            st.caption(ui.tr("targets.no_readings"))
        else:
            ui.chart(charts.band_trend(
                by_belt, x="quarter_end", lo="p25", mid="median", hi="p75", series="belt",
                series_labels={b: label("belt", b, lang) for b in ENUMS["belt"]},
                targets=rw.target_lines(by_belt, lang), x_title=ui.tr("targets.quarter"),
                y_title=ui.tr("targets.trend_axis", unit=unit, arrow=rw.ARROWS[row.direction],
                              note=ui.tr(f"targets.axis_{row.direction}")),
                series_title=ui.tr("filter.belt"), count="projects", count_title=ui.tr("targets.projects_in_quarter"),
                lang=lang),
                f"target_trend_{code}", ui.tr("targets.trend_title", indicator=titles[code]))
            st.caption(ui.tr("targets.trend_note"))
        if set_targets := rw.set_targets_text(ui.query("indicator_targets", view, indicator=code), unit, lang):
            st.caption(set_targets)

        st.markdown(f"**{ui.tr('targets.pilots_on', indicator=ui.plain(titles[code]))}**")
        pairs = ui.query("target_gaps", view, indicator=[code])
        gap_table(pairs, f"target_gaps_{code}", ui.tr("targets.pilots_on", indicator=titles[code]), with_indicator=False)
