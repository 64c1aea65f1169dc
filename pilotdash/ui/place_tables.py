"""The Regions drill-down below a province (地市、县): a province's cities, then a city's counties, on
the measures the provinces are compared on (table and bars), each row a step of the drill-down
(the `city` filter, so every step is a URL). Pilots without a city (county) code are one row of
their own, "not given", so a level's rows add up to the level above."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import charts
from ..columns import Column
from ..domain import ENUMS, THRESHOLDS
from ..i18n import fmt_pct, label
from ..filters import province_name
from ..places import city_label
from .column_registry import table_columns
from .drill_down import focus_city
from .data import query
from .report import chart
from .state import lang, tr
from .tables import table

PLACE_COLUMNS = ("place", "projects", "red", "amber", "green", "share_red", "allocated", "spent", "utilisation",
                 "share_met")
_QUERY = {"city": "city_summary", "county": "county_summary"}


def place_rows(frame: pd.DataFrame, level: str) -> pd.DataFrame:
    """city_summary / county_summary rows with the place in words (`place`): its name, or "not
    given"."""
    missing = tr(f"places.{level}_not_given")
    return frame.assign(place=[missing if pd.isna(code) else name for code, name in
                               zip(frame["place_code"], frame["name_zh"])])


def place_level(view, level: str, on_pick=None) -> pd.DataFrame:
    """The cities (`level` "city") or counties ("county") in view as a table and bars; a row chosen
    calls `on_pick(code)` (None for "not given"). Returns the rows shown."""
    language = lang()
    rows = place_rows(query(_QUERY[level], view), level)
    codes = [None if pd.isna(c) else c for c in rows["place_code"]]
    key = f"regions_{level}_table"
    selection = {}
    if on_pick is not None:
        def picked() -> None:
            chosen = st.session_state[key].selection.rows
            if chosen and codes[chosen[0]] is not None:
                on_pick(codes[chosen[0]])
        selection = {"on_select": picked, "selection_mode": "single-row"}
    title = tr(f"places.{level}_table")
    columns = table_columns(*PLACE_COLUMNS, place=Column(f"places.{level}"))
    table(rows[list(PLACE_COLUMNS)], _QUERY[level], columns, key=key, title=title, **selection)
    if rows.empty:
        return rows
    health = rows.melt(id_vars=["place"], value_vars=list(ENUMS["health"]), var_name="health",
                       value_name="count")
    health["health_label"] = [label("health", h, language) for h in health["health"]]
    order = list(rows["place"])
    left, right = st.columns(2)
    with left:
        chart(charts.stacked_bar(
            health, "place", "count", "health_label", colours=charts.HEALTH_COLOURS,
            series_labels={h: label("health", h, language) for h in ENUMS["health"]},
            category_title=tr(f"places.{level}"), value_title=tr("overview.projects"),
            series_title=tr("overview.health"), category_order=order),
            f"{level}_health", tr(f"places.{level}_health"))
    with right:
        rated = rows.dropna(subset=["utilisation"])
        target = THRESHOLDS["fund_target"]
        if not rated.empty:
            chart(charts.rate_bars(
                rated, "place", "utilisation", target=target, category_title=None,
                rate_title=tr("overview.utilisation"), category_order=order, cap=THRESHOLDS["chart_cap"],
                target_label=tr("regions.target_label", value=fmt_pct(target, language, 0))),
                f"{level}_utilisation", tr(f"places.{level}_utilisation"))
    return rows


def drill(view) -> None:
    """Below a chosen province: its cities (a row drills into one), or, with one city chosen, that
    city's counties and a way back to the cities."""
    cities = view.get("city")
    if len(cities) == 1:
        st.markdown(f"#### {tr('places.city_counties', city=city_label(cities[0]))}")
        if st.button(tr("places.back_to_cities"), icon=":material/arrow_back:", key="regions_back_city"):
            focus_city(None)
            st.rerun()
        place_level(view, "county")
    else:
        province = province_name(view.get("province")[0], lang())
        st.markdown(f"#### {tr('places.province_cities', province=province)}")
        place_level(view, "city", on_pick=focus_city)
        st.caption(tr("places.city_hint"))
