"""Indicators side by side, as the Targets page draws them: pairs per status for each indicator
(stacked, each status with its shape), and the share met per indicator and belt as a grid."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from .. import charts
from ..domain import ENUMS
from ..i18n import fmt_pct, label
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
