"""Regions 区域对比: east, central and west side by side on the same measures; achievement by
indicator category in each belt; the provinces on a tile map and in a table, each a drill-down
(belt → its provinces → a province's pilots → a pilot); differentiated targets beside the
national ones."""

import streamlit as st

from pilotdash import charts, ui
from pilotdash.domain import ENUMS, THRESHOLDS
from pilotdash.filters import province_name
from pilotdash.i18n import fmt_pct, label, t
from pilotdash.measures import MAP_MEASURES, MEASURES
from pilotdash.ui import drill_down, place_tables
from pilotdash.ui import row_words as rw

BELT_COLUMNS = ("belt_label", "projects", "red", "amber", "green", "allocated", "spent", "utilisation", "share_met")
PROVINCE_COLUMNS = ("province", "belt_label", "projects", "red", "amber", "green", "share_red", "allocated", "spent",
                    "utilisation", "share_met")
TARGET_COLUMNS = ("indicator", "scope_text", "phase_text", "target", "national_target", "difference", "reads")

view = ui.header("page.regions")
lang = view.lang

if ui.require_pilots(view):
    belt_order = rw.group_order("belt", ENUMS["belt"], lang)

    # 1. The three belts side by side ----------------------------------------------------------
    st.subheader(ui.tr("regions.belts"))
    regions = ui.query("region_summary", view)
    regions["belt_label"] = rw.enum_words(regions["belt"], "belt", lang)
    ui.belt_cards(regions)
    with st.expander(ui.tr("regions.belts_table")):
        ui.table(regions[list(BELT_COLUMNS)], "region_summary", ui.table_columns(*BELT_COLUMNS), key="region_summary",
                 title=ui.tr("regions.belts"))
    st.caption(ui.tr("regions.belts_note"))
    health = regions.melt(id_vars=["belt"], value_vars=list(ENUMS["health"]), var_name="health", value_name="count")
    cols = st.columns(3)
    for col, key in zip(cols, ("overview.health_by_belt", "overview.utilisation", "overview.share_met")):
        col.markdown(f"**{ui.tr(key)}**")
    with cols[0]:
        ui.belt_bars(health, "count", "health", "health", charts.HEALTH_COLOURS, name="health_by_belt",
                     title=ui.tr("overview.health_by_belt"), value_title=ui.tr("overview.projects"),
                     series_title=ui.tr("overview.health"))
    with cols[1]:
        ui.belt_rate(regions, "utilisation", target=THRESHOLDS["fund_target"], cap=THRESHOLDS["chart_cap"],
                     target_label=ui.tr("regions.target_label", value=fmt_pct(THRESHOLDS["fund_target"], lang, 0)))
    with cols[2]:
        ui.belt_rate(regions, "share_met", colour=charts.STATUS_COLOURS["met"])

    # Drill from the belts into one belt.
    belts = view.get("belt")
    st.session_state["regions_belt"] = belts[0] if len(belts) == 1 else None
    st.segmented_control(ui.tr("regions.focus_belt"), list(ENUMS["belt"]), key="regions_belt",
                         format_func=lambda b: label("belt", b, lang), on_change=drill_down.focus_belt,
                         args=("regions_belt",))

    # 2. Achievement by indicator category in each belt -------------------------------------------
    st.subheader(ui.tr("regions.by_category"))
    by_category = ui.query("region_by_category", view)
    if by_category.empty:
        st.caption(ui.tr("regions.no_readings"))
    else:
        ui.chart(charts.heat_table(
            rw.category_cells(by_category, lang), "belt_label", "category_label", "share_met", "cell", x_title=None,
            y_title=None, value_title=ui.tr("overview.share_met"), x_order=belt_order,
            y_order=[label("indicator_category", c, lang) for c in ENUMS["indicator_category"]]),
            "achievement_by_category", ui.tr("regions.by_category"))
        st.caption(ui.tr("regions.by_category_note"))

    # 3. The provinces on a tile map -----------------------------------------------------------
    st.subheader(ui.tr("regions.map"))
    measure = ui.bound(st.selectbox, "measure", list(MAP_MEASURES), key="regions_measure",
                       label_text=ui.tr("regions.map_measure"), default="projects",
                       format_func=lambda m: t(f"regions.measure.{m}", lang))
    kind = MEASURES[measure].kind
    tiles = rw.map_tiles(ui.query("provinces_map", view), measure, kind, lang)
    ui.chart(charts.tile_map(
        tiles, measure, "label", value_title=ui.tr(f"regions.measure.{measure}"),
        belt_labels={b: label("belt", b, lang) for b in ENUMS["belt"]}, belt_title=ui.tr("filter.belt"),
        value_format={"pct": ".0%", "money": ",.0f", "count": ",.0f"}[kind],
        domain=(0.0, 1.0) if kind == "pct" else None, selection="province"),
        "province_map", ui.tr("regions.map"), key="regions_map",
        on_select=lambda: drill_down.on_map_click("regions_map"), selection_mode="province")
    st.caption(ui.tr("regions.map_note"))

    # 4. Province detail, and a province's pilots ---------------------------------------------
    st.subheader(ui.tr("regions.provinces"))
    provinces = rw.province_rows(ui.query("province_summary", view), lang)
    codes = list(provinces["province_code"])
    ui.table(provinces[list(PROVINCE_COLUMNS)], "province_summary",
             ui.table_columns(*PROVINCE_COLUMNS, province="province_label"), key="regions_provinces",
             title=ui.tr("regions.provinces"), on_select=lambda: drill_down.on_table_select("regions_provinces", codes),
             selection_mode="single-row")
    chosen = view.get("province")
    st.session_state["regions_province_pick"] = chosen[0] if len(chosen) == 1 else None
    st.selectbox(ui.tr("regions.pick_province"), codes, key="regions_province_pick", index=None,
                 format_func=lambda c: province_name(c, lang), placeholder=ui.tr("regions.pick_placeholder"),
                 on_change=drill_down.on_province_pick, args=("regions_province_pick",))
    if len(chosen) == 1:
        place_tables.drill(view)  # the province's cities, or one city's counties
        st.markdown(f"#### {ui.tr('regions.province_projects', province=province_name(chosen[0], lang))}")
        if st.button(ui.tr("regions.back_to_provinces"), icon=":material/arrow_back:", key="regions_back"):
            drill_down.focus_province(None)
            st.rerun()
        ui.project_table(ui.query("project_list", view), "province_projects", extra_columns=["reasons"], paged=True)
    else:
        st.caption(ui.tr("regions.drill_hint"))

    # 5. Differentiated targets beside the national ones -----------------------------------------
    st.subheader(ui.tr("regions.targets"))
    targets = ui.query("differentiated_targets", view)
    if targets.empty:
        st.caption(ui.tr("regions.no_differentiated"))
    else:
        ui.table(rw.differentiated_target_rows(targets, lang)[list(TARGET_COLUMNS)], "differentiated_targets",
                 ui.table_columns(*TARGET_COLUMNS, indicator="regions_indicator", target="regions_target"),
                 key="differentiated_targets", title=ui.tr("regions.targets"))
        st.caption(ui.tr("regions.targets_note"))
