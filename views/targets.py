"""Targets vs actuals 目标差距: per indicator and pilot, the target that applies and where it comes
from, the current actual, the gap in the indicator's unit, achievement and status; the largest
shortfalls first; a summary per indicator and belt; one indicator's readings over time (medians
and quartiles per quarter and belt, never single readings) against its target lines."""

import pandas as pd
import streamlit as st

from pilotdash import charts, ui
from pilotdash.domain import ENUMS, THRESHOLDS
from pilotdash.filters import province_name
from pilotdash.i18n import fmt_number, fmt_pct, label, unit_label

# Status in words with a shape, so it never rests on colour alone (as on the Project page).
MARKS = {"met": "✔", "near": "▲", "behind": "✖", "no_data": "·"}
ARROWS = {"higher": "↑", "lower": "↓"}

view = ui.header("page.targets")
lang = view.lang
cap = THRESHOLDS["chart_cap"]


def num(value: object) -> str:
    """A value in an indicator's unit: up to two decimals, no trailing zeros."""
    text = fmt_number(value, lang, 2)
    return text.rstrip("0").rstrip(".") if "." in text else text


def status_words(codes: pd.Series) -> pd.Series:
    words = {c: f"{MARKS[c]} {label('indicator_status', c, lang)}" for c in ENUMS["indicator_status"]}
    return codes.map(words)


def source_words(frame: pd.DataFrame) -> list[str]:
    """Where each target comes from: scope (with its belt or province) and phase if phase-specific."""
    def source(key: tuple) -> str:
        scope, phase, belt, province = key
        if not isinstance(scope, str):
            return ui.tr("common.none")
        words = ui.tr(f"project.scope.{scope}")
        if scope == "belt":
            words += f" · {label('belt', belt, lang)}"
        elif scope == "province":
            words += f" · {province_name(province, lang)}"
        if isinstance(phase, str):
            words += " · " + ui.tr("targets.phase_only", phase=label("phase", phase, lang))
        return words

    # Once per distinct source, not once per pair (there may be 160,000 pairs).
    return ui.words(frame[["target_scope", "target_phase", "belt", "province_code"]], source)


def gap_table(frame: pd.DataFrame, key: str, title: str, with_indicator: bool = True) -> None:
    """Pairs as the query sorted them, one page at a time, each linked to its pilot's page."""
    units = {u: unit_label(u, lang) for u in frame["unit"].unique()}

    def shape(frame: pd.DataFrame) -> pd.DataFrame:  # the page shown, or every row for a download
        shown = pd.DataFrame({
            "link": ui.links("project", "project", frame["project_id"].tolist()),
            "name": ui.local_names(frame).to_numpy(),
            "indicator": (frame["indicator_code"] + " " + ui.local_names(frame, zh="indicator_zh", en="indicator_en")
                          + " (" + frame["unit"].map(units) + ") " + frame["direction"].map(ARROWS)).to_numpy(),
            "status": status_words(frame["indicator_status"]).to_numpy(),
            "achievement": ui.shown_achievement(frame["achievement"]),
            "gap": frame["gap"].to_numpy(),
            "actual": frame["actual"].to_numpy(),
            "target": frame["target"].to_numpy(),
            "source": source_words(frame),
            "region": ui.words(frame[["province_code", "belt"]],
                               lambda pb: f"{province_name(pb[0], lang)} · {label('belt', pb[1], lang)}"),
            "period_end": ui.date_texts(frame["period_end"]),
        })
        return shown if with_indicator else shown.drop(columns=["indicator"])

    ui.paged_table(frame, key, key=key, title=title, shape=shape, column_config={
        **ui.columns("link", "name"),
        "indicator": st.column_config.TextColumn(ui.tr("project.indicator"), width="medium",
                                                 help=ui.tr("targets.indicator_help")),
        "region": st.column_config.TextColumn(ui.tr("targets.region"), width="small"),
        "target": st.column_config.NumberColumn(ui.tr("project.target"), format="localized"),
        "source": st.column_config.TextColumn(ui.tr("project.target_source"), help=ui.tr("project.target_source_help")),
        "actual": st.column_config.NumberColumn(ui.tr("project.actual"), format="localized"),
        "period_end": st.column_config.TextColumn(ui.tr("project.period_end"), width="small"),
        "gap": st.column_config.NumberColumn(ui.tr("project.gap"), format="localized", help=ui.tr("targets.gap_help")),
        "achievement": ui.percent_column(ui.tr("project.achievement"), help=ui.tr("targets.achievement_help")),
        "status": st.column_config.TextColumn(ui.tr("targets.status"), width="small"),
    }, phone=("link", "status", "achievement", "indicator"))  # a phone: who, how far, what (cut last)


def summary_table(frame: pd.DataFrame, key: str, by_belt: bool, title: str) -> None:
    shown = pd.DataFrame({
        "link": [ui.link("targets", indicator=c) for c in frame["indicator_code"]],
        "name": (ui.local_names(frame) + " (" + frame["unit"].map(lambda u: unit_label(u, lang))
                 + ") " + frame["direction"].map(ARROWS)).to_numpy(),
    })
    if by_belt:
        shown["belt"] = frame["belt"].map(lambda b: label("belt", b, lang)).to_numpy()
    for column in ("pairs", "with_data", "share_met", "share_near", "share_behind", "no_data", "median_achievement"):
        shown[column] = frame[column].to_numpy()
    ui.table(shown, key, key=key, title=title, height=min(38 * (len(shown) + 1), 560), column_config={
        "link": st.column_config.LinkColumn(ui.tr("project.indicator_code"), display_text=r"indicator=([^&]+)",
                                            width="small", help=ui.tr("targets.choose_help")),
        "name": st.column_config.TextColumn(ui.tr("project.indicator"), width="large",
                                            help=ui.tr("targets.indicator_help")),
        "belt": st.column_config.TextColumn(ui.tr("filter.belt"), width="small"),
        "pairs": st.column_config.NumberColumn(ui.tr("targets.pairs"), help=ui.tr("targets.pairs_help")),
        "with_data": st.column_config.NumberColumn(ui.tr("targets.with_data")),
        "share_met": ui.percent_column(f"{MARKS['met']} {ui.tr('targets.share_met')}"),
        "share_near": ui.percent_column(f"{MARKS['near']} {ui.tr('targets.share_near')}"),
        "share_behind": ui.percent_column(f"{MARKS['behind']} {ui.tr('targets.share_behind')}"),
        "no_data": st.column_config.NumberColumn(f"{MARKS['no_data']} {label('indicator_status', 'no_data', lang)}"),
        "median_achievement": ui.percent_column(ui.tr("targets.median_achievement"), bar=False,
                                                help=ui.tr("targets.median_help")),
    })


if ui.require_pilots(view):
    summary = ui.query("indicator_summary", view)
    if summary.empty:
        st.info(ui.tr("targets.no_pairs"), icon=":material/flag:")
    else:
        # 1. Headline: how many targets are met, near, behind ---------------------------------
        total = summary[(summary["indicator_code"] == "all") & (summary["belt"] == "all")].iloc[0]
        cols = st.columns(5)
        ui.metric(cols[0], ui.tr("targets.with_data"), ui.count(total.with_data),
                  help=ui.tr("targets.with_data_help", pairs=ui.count(total.pairs)))
        for col, code in zip(cols[1:4], ("met", "near", "behind")):
            ui.metric(col, f"{MARKS[code]} {label('indicator_status', code, lang)}", fmt_pct(total[f"share_{code}"], lang),
                      help=ui.tr("targets.share_help", n=ui.count(total[code]), of=ui.count(total.with_data)))
        ui.metric(cols[4], f"{MARKS['no_data']} {label('indicator_status', 'no_data', lang)}", ui.count(total.no_data),
                  help=ui.tr("targets.no_data_help"))
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
            st.markdown(f"**{ui.tr('targets.status_counts')}**")
            counts = overall.melt(id_vars=["indicator"], value_vars=list(ENUMS["indicator_status"]),
                                  var_name="status", value_name="count")
            counts = counts[counts["count"] > 0]
            counts["status_label"] = status_words(counts["status"])
            ui.chart(charts.stacked_bar(
                counts, "indicator", "count", "status_label", colours=charts.STATUS_COLOURS,
                series_labels=dict(zip(ENUMS["indicator_status"], status_words(pd.Series(ENUMS["indicator_status"])))),
                category_title=None, value_title=ui.tr("targets.pairs"), series_title=ui.tr("targets.status"),
                category_order=order), "target_status_by_indicator", ui.tr("targets.status_counts"))
        with right:
            st.markdown(f"**{ui.tr('targets.met_by_belt')}**")
            cells = belts.assign(belt_label=belts["belt"].map(lambda b: label("belt", b, lang)),
                                 text=belts["share_met"].map(lambda v: fmt_pct(v, lang, 0)))
            ui.chart(charts.heat_table(
                cells, "belt_label", "indicator", "share_met", "text", x_title=None, y_title=None,
                value_title=ui.tr("targets.share_met"), y_order=order,
                x_order=[label("belt", b, lang) for b in ENUMS["belt"]]),
                "target_share_met_by_belt", ui.tr("targets.met_by_belt"))
            st.caption(ui.tr("targets.heat_note"))
        tab_all, tab_belt = st.tabs([ui.tr("targets.all_belts"), ui.tr("targets.each_belt")])
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
        ui.metric(cols[0], ui.tr("targets.national_target"), f"{num(row.national_target)} {unit}",
                  help=label("direction", row.direction, lang))
        ui.metric(cols[1], ui.tr("targets.with_data"), ui.count(row.with_data))
        ui.metric(cols[2], f"{MARKS['met']} {ui.tr('targets.share_met')}", fmt_pct(row.share_met, lang))
        ui.metric(cols[3], ui.tr("targets.median_achievement"), fmt_pct(row.median_achievement, lang))

        trend = ui.query("reading_trend", view, indicator=code)
        by_belt = trend[trend["belt"] != "all"]
        direction_note = ui.tr(f"targets.axis_{row.direction}")
        if by_belt.empty:
            st.caption(ui.tr("targets.no_readings"))
        else:
            lines = pd.concat([
                pd.DataFrame({"value": [by_belt["national_target"].iloc[0]], "colour_key": ["national"],
                              "label": [ui.tr("targets.national_line", value=num(
                                  by_belt["national_target"].iloc[0]))]}),
                # A belt line only where the belt's target differs from the national one.
                by_belt.drop_duplicates("belt").query("belt_target != national_target").assign(
                    value=lambda f: f["belt_target"], colour_key=lambda f: f["belt"],
                    label=lambda f: [ui.tr("targets.belt_line", belt=label("belt", b, lang), value=num(v))
                                     for b, v in zip(f["belt"], f["belt_target"])])[["value", "colour_key", "label"]],
            ]).dropna(subset=["value"])
            ui.chart(charts.band_trend(
                by_belt, x="quarter_end", lo="p25", mid="median", hi="p75", series="belt",
                series_labels={b: label("belt", b, lang) for b in ENUMS["belt"]}, targets=lines,
                x_title=ui.tr("targets.quarter"),
                y_title=ui.tr("targets.trend_axis", unit=unit, arrow=ARROWS[row.direction], note=direction_note),
                series_title=ui.tr("filter.belt"), count="projects", count_title=ui.tr("targets.projects_in_quarter")),
                f"target_trend_{code}", ui.tr("targets.trend_title", indicator=titles[code]))
            st.caption(ui.tr("targets.trend_note"))
        set_targets = ui.query("indicator_targets", None, indicator=code)
        described = []
        for t in set_targets.itertuples():
            if t.target_scope == "project":
                described.append(ui.tr("targets.project_targets", n=int(t.projects_with_own_target)))
                continue
            where = ui.tr(f"project.scope.{t.target_scope}")
            if t.target_scope == "belt":
                where = label("belt", t.belt, lang)
            elif t.target_scope == "province":
                where = province_name(t.province_code, lang)
            if isinstance(t.target_phase, str):
                where += " · " + label("phase", t.target_phase, lang)
            described.append(f"{where} {num(t.target)}")
        if described:
            st.caption(ui.tr("targets.set_targets", list=("；" if lang == "zh" else "; ").join(described), unit=unit))

        st.markdown(f"**{ui.tr('targets.pilots_on', indicator=titles[code])}**")
        pairs = ui.query("target_gaps", view, indicator=[code])
        gap_table(pairs, f"target_gaps_{code}", ui.tr("targets.pilots_on", indicator=titles[code]), with_indicator=False)
