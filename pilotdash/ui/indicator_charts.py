"""Indicators side by side, as the Targets page draws them: pairs per status for each indicator
(stacked, each status with its shape), and the share met per indicator and belt as a grid."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from .. import charts
from ..domain import ENUMS
from ..i18n import fmt_number, fmt_pct, label, unit_label
from .report import chart
from .row_words import enum_words, status_counts, status_words
from .state import lang, tr


def status_by_indicator(overall: pd.DataFrame, order: Sequence[str]) -> None:
    """indicator_summary's all-belt rows (column `indicator` its title): pairs per status."""
    language = lang()
    statuses = pd.Series(ENUMS["indicator_status"])
    st.markdown(f"**{tr('targets.status_counts')}**")
    chart(charts.stacked_bar(
        status_counts(overall, language), "indicator", "count", "status_label", colours=charts.STATUS_COLOURS,
        series_labels=dict(zip(statuses, status_words(statuses, language))), category_title=None,
        value_title=tr("targets.pairs"), series_title=tr("targets.status"), category_order=list(order)),
        "target_status_by_indicator", tr("targets.status_counts"))


def met_by_belt(belts: pd.DataFrame, order: Sequence[str]) -> None:
    """indicator_summary's per-belt rows: the share met per indicator and belt, each cell its number."""
    language = lang()
    st.markdown(f"**{tr('targets.met_by_belt')}**")
    cells = belts.assign(belt_label=enum_words(belts["belt"], "belt", language),
                         text=[fmt_pct(v, language, 0) for v in belts["share_met"]])
    chart(charts.heat_table(
        cells, "belt_label", "indicator", "share_met", "text", x_title=None, y_title=None,
        value_title=tr("targets.share_met"), y_order=list(order),
        x_order=[label("belt", b, language) for b in ENUMS["belt"]]), "target_share_met_by_belt",
        tr("targets.met_by_belt"))
    st.caption(tr("targets.heat_note"))


def pilot_trend(trend: pd.DataFrame, indicator: pd.Series, title: str) -> None:
    """One pilot's readings of one indicator (project_reading_trend) against the target that
    applies (`indicator`, its project_indicators row); `title` names the indicator on the axis."""
    language = lang()
    unit = unit_label(indicator.unit, language)
    target = indicator.target
    target_label = (tr("project.target_line", value=fmt_number(target, language, 2), unit=unit)
                    if pd.notna(target) else None)
    chart(charts.reading_trend(
        trend, status_labels={s: label("indicator_status", s, language) for s in ENUMS["indicator_status"]},
        date_title=tr("project.period_end"), value_title=f"{title} ({unit})", status_title=tr("phases.state"),
        target_label=target_label, lang=language), "project_trend", tr("project.trend_of"))
    st.caption(tr("project.trend_note", direction=label("direction", indicator.direction, language)))
