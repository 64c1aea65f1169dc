"""One pilot's earned value as Project shows it: BAC, PV and EV with the milestone counts behind
them, SPI and CPI each beside its level. AC is the pilot's spent, a headline number above it
(HEADLINES["project"]), so it is not shown twice."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..domain import EV_THRESHOLDS
from ..i18n import fmt_judged, fmt_money
from .report import metric
from .row_words import ev_band_words
from .state import lang, tr


def earned_value(ev: pd.Series) -> None:
    """A project_earned_value row as headline numbers."""
    language = lang()
    cols = st.columns(5)
    metric(cols[0], tr("project.bac"), fmt_money(ev.bac, language), help=tr("project.bac_help"))
    metric(cols[1], tr("project.pv"), fmt_money(ev.pv, language),
           help=tr("project.pv_help", due=int(ev.due), n=int(ev.milestones)))
    metric(cols[2], tr("project.ev"), fmt_money(ev.ev, language),
           help=tr("project.ev_help", done=int(ev.done), n=int(ev.milestones)))
    for col, index in ((cols[3], "spi"), (cols[4], "cpi")):
        metric(col, tr(f"project.{index}"), fmt_judged(ev[index], language, EV_THRESHOLDS),
               help=tr(f"project.{index}_help"))
        col.caption(ev_band_words(ev[f"{index}_band"], language))
