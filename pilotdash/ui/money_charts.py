"""Money by group (source, budget category, fiscal year, belt or province) as the Funds page draws
it: a few groups as bars of the three rates beside bars of the three amounts; many groups (the
provinces) as a grid of rates, each cell its number, since thirty-one groups of bars are a wall."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd
import streamlit as st

from .. import charts
from ..domain import THRESHOLDS
from ..i18n import fmt_pct
from .report import chart
from .row_words import rate_cells
from .state import lang, tr

MANY_GROUPS = 8  # more groups than this are drawn as a grid of rates, not bars


def rates_and_amounts(grouped: pd.DataFrame, order: Sequence[str], rates: dict[str, str],
                      amounts: dict[str, str]) -> None:
    """fund_by_dimension's groups (column `group`, in `order`): their rates (`rates`: column →
    name) against the fund target, and their amounts, with the note that reads them."""
    language, target = lang(), THRESHOLDS["fund_target"]
    if len(grouped) > MANY_GROUPS:
        st.markdown(f"**{tr('funds.rates_title')}**")
        chart(charts.heat_table(
            rate_cells(grouped, rates, language), "rate_label", "group", "value", "text", x_title=None, y_title=None,
            value_title=tr("funds.rate"), x_order=list(rates.values()), y_order=list(order),
            domain=(0.5, 1.0)).properties(height=alt.Step(26)), "funds_rates", tr("funds.rates_title"))
        st.caption(tr("funds.rates_grid_note", value=fmt_pct(target, language, 0)))
        return
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{tr('funds.rates_title')}**")
        chart(charts.grouped_bars(
            grouped, "group", measure_labels=rates, colours=charts.RATE_COLOURS, category_title=None,
            value_title=tr("funds.rate"), category_order=order, value_format=".0%", axis_format="%",
            target=target, target_label=tr("funds.target_label", value=fmt_pct(target, language, 0)),
            cap=THRESHOLDS["chart_cap"]), "funds_rates", tr("funds.rates_title"))
    with right:
        st.markdown(f"**{tr('funds.amounts_title')}**")
        chart(charts.grouped_bars(
            grouped, "group", measure_labels=amounts, colours=charts.MONEY_COLOURS, category_title=None,
            value_title=tr("funds.amount_axis"), category_order=order, value_format=",.0f"),
            "funds_amounts", tr("funds.amounts_title"))
    st.caption(tr("funds.rates_note"))
