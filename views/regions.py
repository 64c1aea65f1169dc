"""Regions 区域对比: east, central and west side by side on the same measures; achievement by
indicator category in each belt; the provinces on a tile map and in a table, each a drill-down
(belt → its provinces → a province's pilots → a pilot); differentiated targets beside the
national ones."""

import streamlit as st

from pilotdash import charts, ui
from pilotdash.domain import ENUMS, THRESHOLDS
from pilotdash.filters import province_name
from pilotdash.i18n import fmt_money, fmt_number, fmt_pct, label, t, unit_label
from pilotdash.measures import MAP_MEASURES, MEASURES

view = ui.header("page.regions")
lang = view.lang


def focus_belt() -> None:
    """Drill from the belts into one belt's provinces (the belt filter, in the URL)."""
    chosen = st.session_state["regions_belt"]
    ui.set_view(belt=(chosen,) if chosen else (), province=())


def focus_province(code: str | None) -> None:
    """Drill into one province's pilots (the province filter, in the URL)."""
    current = ui.state()
    if code:
        belt = ui.options().province_belt.get(code)
        belts = current.get("belt")
        ui.set_view(province=(code,), belt=belts if (not belts or belt in belts) else (belt,))
    else:
        ui.set_view(province=())


def on_province_pick() -> None:
    focus_province(st.session_state["regions_province_pick"])


def on_map_click() -> None:
    picked = st.session_state["regions_map"].selection.get("province", [])
    if picked:
        focus_province(picked[0].get("province_code"))


def on_table_select(codes: list[str]) -> None:
    rows = st.session_state["regions_provinces"].selection.rows
    if rows:
        focus_province(codes[rows[0]])


def value_text(value: object, kind: str) -> str:  # a map tile's words: rates in whole percent
    if kind == "pct":
        return fmt_pct(value, lang, digits=0)
    if kind == "money":
        return fmt_money(value, lang)
    return ui.count(value)


if ui.require_pilots(view):
    belt_order = [label("belt", b, lang) for b in ENUMS["belt"]]

    # 1. The three belts side by side ----------------------------------------------------------
    st.subheader(ui.tr("regions.belts"))
    regions = ui.query("region_summary", view)
    regions["belt_label"] = ui.label_column(regions, "belt", "belt")
    cards = st.columns(len(regions))
    for card, (_, row) in zip(cards, regions.iterrows()):
        with card.container(border=True):
            st.markdown(f"**{row.belt_label}**")
            top = st.columns(3)
            ui.headline(top[0], "projects", row, group=row.belt_label)
            ui.headline(top[1], "utilisation", row, group=row.belt_label,
                        help=ui.tr("regions.utilisation_help", spent=fmt_money(row.spent, lang),
                                   allocated=fmt_money(row.allocated, lang)))
            ui.headline(top[2], "share_met", row, group=row.belt_label)
            st.markdown(" · ".join(f"{ui.health_badge(h)} **{getattr(row, h)}**" for h in ENUMS["health"]))
    with st.expander(ui.tr("regions.belts_table")):
        belt_columns = ("projects", "red", "amber", "green", "allocated", "spent", "utilisation", "share_met")
        ui.table(regions[["belt_label", *belt_columns]], "region_summary", key="region_summary",
                 title=ui.tr("regions.belts"), column_config={
                     "belt_label": st.column_config.TextColumn(ui.tr("filter.belt")), **ui.measure_columns(*belt_columns)})
    st.caption(ui.tr("regions.belts_note"))
    health = regions.melt(id_vars=["belt_label"], value_vars=["red", "amber", "green"], var_name="health",
                          value_name="count")
    health["health_label"] = ui.label_column(health, "health", "health")
    cols = st.columns(3)
    with cols[0]:
        st.markdown(f"**{ui.tr('overview.health_by_belt')}**")
        ui.chart(charts.stacked_bar(
            health, "belt_label", "count", "health_label", colours=charts.HEALTH_COLOURS,
            series_labels={h: label("health", h, lang) for h in ENUMS["health"]},
            category_title=None, value_title=ui.tr("overview.projects"),
            series_title=ui.tr("overview.health"), category_order=belt_order), "health_by_belt", ui.tr("overview.health_by_belt"))
    with cols[1]:
        st.markdown(f"**{ui.tr('overview.utilisation')}**")
        ui.chart(charts.rate_bars(
            regions.dropna(subset=["utilisation"]), "belt_label", "utilisation",
            target=THRESHOLDS["fund_target"], category_title=None, rate_title=ui.tr("overview.utilisation"),
            category_order=belt_order, cap=THRESHOLDS["chart_cap"],
            target_label=ui.tr("regions.target_label", value=fmt_pct(THRESHOLDS["fund_target"], lang, 0))
        ).properties(height=170), "utilisation_by_belt", ui.tr("overview.utilisation"))
    with cols[2]:
        st.markdown(f"**{ui.tr('overview.share_met')}**")
        ui.chart(charts.rate_bars(
            regions.dropna(subset=["share_met"]), "belt_label", "share_met", target=None,
            category_title=None, rate_title=ui.tr("overview.share_met"), category_order=belt_order,
            cap=1.0, colour=charts.STATUS_COLOURS["met"]).properties(height=170), "share_met_by_belt", ui.tr("overview.share_met"))

    # Drill from the belts into one belt.
    belts = view.get("belt")
    st.session_state["regions_belt"] = belts[0] if len(belts) == 1 else None
    st.segmented_control(ui.tr("regions.focus_belt"), list(ENUMS["belt"]), key="regions_belt",
                         format_func=lambda b: label("belt", b, lang), on_change=focus_belt)

    # 2. Achievement by indicator category in each belt -------------------------------------------
    st.subheader(ui.tr("regions.by_category"))
    by_category = ui.query("region_by_category", view)
    if by_category.empty:
        st.caption(ui.tr("regions.no_readings"))
    else:
        by_category["belt_label"] = ui.label_column(by_category, "belt", "belt")
        by_category["category_label"] = ui.label_column(by_category, "category", "indicator_category")
        by_category["cell"] = [
            ui.tr("regions.cell", met=fmt_pct(s, lang, 0), median=fmt_pct(m, lang, 0), n=int(n))
            for s, m, n in zip(by_category["share_met"], by_category["median_achievement"],
                               by_category["pairs_with_data"])]
        ui.chart(charts.heat_table(
            by_category, "belt_label", "category_label", "share_met", "cell", x_title=None, y_title=None,
            value_title=ui.tr("overview.share_met"), x_order=belt_order,
            y_order=[label("indicator_category", c, lang) for c in ENUMS["indicator_category"]]), "achievement_by_category", ui.tr("regions.by_category"))
        st.caption(ui.tr("regions.by_category_note"))

    # 3. The provinces on a tile map -----------------------------------------------------------
    st.subheader(ui.tr("regions.map"))
    measure = ui.bound(st.selectbox, "measure", list(MAP_MEASURES), key="regions_measure",
                       label_text=ui.tr("regions.map_measure"), default="projects",
                       format_func=lambda m: t(f"regions.measure.{m}", lang))
    kind = MEASURES[measure].kind
    domain = (0.0, 1.0) if kind == "pct" else None
    tiles = ui.query("provinces_map", view)
    tiles["name"] = ui.local_names(tiles)
    tiles["value_text"] = [value_text(v, kind) if shown else "—" for v, shown in zip(tiles[measure], tiles["in_view"])]
    tiles.loc[~tiles["in_view"], measure] = None
    tiles["label"] = tiles["name"] + "\n" + tiles["value_text"]
    ui.chart(charts.tile_map(
        tiles, measure, "label", value_title=ui.tr(f"regions.measure.{measure}"),
        belt_labels={b: label("belt", b, lang) for b in ENUMS["belt"]}, belt_title=ui.tr("filter.belt"),
        value_format={"pct": ".0%", "money": ",.0f", "count": ",.0f"}[kind], domain=domain, selection="province"),
        "province_map", ui.tr("regions.map"), key="regions_map", on_select=on_map_click, selection_mode="province")
    st.caption(ui.tr("regions.map_note"))

    # 4. Province detail, and a province's pilots ---------------------------------------------
    st.subheader(ui.tr("regions.provinces"))
    provinces = ui.query("province_summary", view)
    provinces["province"] = [province_name(p, lang) for p in provinces["province_code"]]
    provinces["belt_label"] = ui.label_column(provinces, "belt", "belt")
    shown = provinces[["province", "belt_label", "projects", "red", "amber", "green", "share_red", "allocated",
                       "spent", "utilisation", "share_met"]]
    codes = list(provinces["province_code"])
    province_columns = {
        "province": st.column_config.TextColumn(ui.tr("filter.province")),
        "belt_label": st.column_config.TextColumn(ui.tr("filter.belt")),
        **ui.measure_columns("projects", "red", "amber", "green", "share_red", "allocated", "spent", "utilisation",
                             "share_met"),
    }
    ui.table(shown, "province_summary", province_columns, key="regions_provinces", title=ui.tr("regions.provinces"),
             on_select=lambda: on_table_select(codes), selection_mode="single-row")

    chosen = view.get("province")
    st.session_state["regions_province_pick"] = chosen[0] if len(chosen) == 1 else None
    st.selectbox(ui.tr("regions.pick_province"), codes, key="regions_province_pick", index=None,
                 format_func=lambda c: province_name(c, lang), placeholder=ui.tr("regions.pick_placeholder"),
                 on_change=on_province_pick)
    if len(chosen) == 1:
        st.markdown(f"#### {ui.tr('regions.province_projects', province=province_name(chosen[0], lang))}")
        if st.button(ui.tr("regions.back_to_provinces"), icon=":material/arrow_back:", key="regions_back"):
            focus_province(None)
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
        targets["indicator"] = [
            f"{c} {n} {'↑' if d == 'higher' else '↓'}" for c, n, d in zip(
                targets["indicator_code"], ui.local_names(targets),
                targets["direction"])]
        targets["scope_text"] = [
            province_name(p, lang) if s == "province" else label("belt", b, lang) if s == "belt"
            else ui.tr("regions.national")
            for s, b, p in zip(targets["scope"], targets["belt"], targets["province_code"])]
        targets["phase_text"] = [label("phase", p, lang) if isinstance(p, str) else ui.tr("regions.all_phases")
                                 for p in targets["phase"]]
        targets["reads"] = [
            ui.tr("regions.target_reads", scope=s, phase=ph, target=fmt_number(t, lang, 2).rstrip("0").rstrip("."),
                  national=fmt_number(n, lang, 2).rstrip("0").rstrip("."),
                  unit=u if u == "%" else f" {unit_label(u, lang)}")
            for s, ph, t, n, u in zip(targets["scope_text"], targets["phase_text"], targets["target"],
                                      targets["national_target"], targets["unit"])]
        ui.table(targets[["indicator", "scope_text", "phase_text", "target", "national_target", "difference",
                          "reads"]], "differentiated_targets", key="differentiated_targets",
                 title=ui.tr("regions.targets"),
                 column_config={
            "indicator": st.column_config.TextColumn(ui.tr("regions.indicator"), width="medium"),
            "scope_text": st.column_config.TextColumn(ui.tr("regions.scope"), width="small"),
            "phase_text": st.column_config.TextColumn(ui.tr("filter.phase"), width="small"),
            "target": st.column_config.NumberColumn(ui.tr("regions.target"), format="%g"),
            "national_target": st.column_config.NumberColumn(ui.tr("regions.national_target"), format="%g"),
            "difference": st.column_config.NumberColumn(ui.tr("regions.difference"), format="%+g"),
            "reads": st.column_config.TextColumn(ui.tr("regions.reads"), width="large"),
        })
        st.caption(ui.tr("regions.targets_note"))
