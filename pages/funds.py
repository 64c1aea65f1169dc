"""Funds 资金: arrival, execution and utilisation by source, budget category, fiscal year, belt,
province and pilot against the 85% target; unspent balances and overspends; local matching
ratios against 1:1 (1:1.5 in the east); schedule and cost performance (SPI, CPI)."""

import streamlit as st

from pilotdash import charts, ui
from pilotdash.domain import ENUMS, THRESHOLDS
from pilotdash.i18n import fmt_money, fmt_number, fmt_pct, t
from pilotdash.ui import money_charts
from pilotdash.ui import row_words as rw

EV_CHART_LIMIT = 500  # the scatter draws the worst pilots only; the table below pages all of them
RATES = ("arrival_rate", "execution_rate", "utilisation")
AMOUNTS = ("allocated", "disbursed", "spent", "unspent_allocated", "unspent_disbursed")
HELPS = {"arrival_rate": "funds.arrival_help", "execution_rate": "funds.execution_help",
         "utilisation": "funds.utilisation_help"}  # the headline rates' help on this page

view = ui.header("page.funds")
lang = view.lang
target, ev_warn, ev_red = THRESHOLDS["fund_target"], THRESHOLDS["ev_warn"], THRESHOLDS["ev_red"]
rates = {code: ui.measure_label(code) for code in RATES}
amounts = {code: ui.measure_label(code) for code in AMOUNTS[:3]}

if ui.require_pilots(view):
    # 1. Headline: how much money moved, how much is unspent, how much is overspent ------------
    total = ui.query("fund_by_dimension", view, dimension="total")
    if total.empty:
        st.info(ui.tr("funds.no_lines"), icon=":material/savings:")
    else:
        now = total.iloc[0]
        ui.headlines("funds", now, helps={code: ui.tr(key) for code, key in HELPS.items()})
        st.caption(ui.tr("funds.target_note", value=fmt_pct(target, lang, 0)))

        # 2. By source, category, year, belt or province ---------------------------------------
        st.subheader(ui.tr("funds.by_dimension"))
        by = ui.bound(st.segmented_control, "by", list(rw.MONEY_DIMENSIONS), key="funds_by",
                      label_text=ui.tr("funds.group_by"), default="source", selection_mode="single",
                      format_func=lambda d: t(f"funds.dimension.{d}", lang))
        grouped = ui.query("fund_by_dimension", view, dimension=by).assign(group=lambda f: rw.group_column(by, f, lang))
        order = rw.group_order(by, grouped["key"], lang)
        money_charts.rates_and_amounts(grouped, order, rates, amounts)
        by_columns = ui.table_columns("group", *AMOUNTS, *RATES, "overspent_lines", "projects",
                                      group=st.column_config.TextColumn(ui.tr(f"funds.dimension.{by}")))
        ui.table(grouped[list(by_columns)], f"funds_by_{by}", by_columns, key="funds_by_dimension",
                 title=ui.tr("funds.by_dimension"))

        # 3. Overspends: every budget line that spent more than was disbursed --------------------
        st.subheader(ui.tr("funds.overspends"))
        overspent = ui.query("overspent_lines", view)
        if overspent.empty:
            st.success(ui.tr("funds.no_overspend"), icon=":material/check_circle:")
        else:
            st.error(ui.tr("funds.overspend_count", lines=ui.count(now.overspent_lines),
                           projects=ui.count(now.overspent_projects),
                           excess=fmt_money(now.overspent_excess, lang)), icon=":material/warning:")
            overspent = rw.overspent_rows(overspent, lang)
            columns = ui.table_columns("link", "name", "belt", "province", "fiscal_year", "source_label",
                                       "category_label", "allocated", "disbursed", "spent", "excess")
            ui.paged_table(overspent[list(columns)], "overspent_lines", columns, key="overspent_lines",
                           title=ui.tr("funds.overspends"), phone=("name", "excess", "spent"))

        # 4. Local matching ratio against 1:1 (1:1.5 in the east) ---------------------------------
        st.subheader(ui.tr("funds.matching"))
        st.caption(ui.tr("funds.matching_note", expected=fmt_number(THRESHOLDS["matching"], lang, 1),
                         east=fmt_number(THRESHOLDS["matching_east"], lang, 1)))
        left, right = st.columns([2, 3])
        belts = ui.query("matching_ratio_by_region", view, dimension="belt")
        belts["group"] = rw.enum_words(belts["belt"], "belt", lang)
        with left:
            ui.chart(charts.ratio_vs_expected(
                belts.dropna(subset=["matching_ratio"]), "group", "matching_ratio", "expected_ratio",
                category_title=None, value_title=ui.tr("funds.matching_ratio"),
                expected_label=ui.tr("funds.expected_ratio"), category_order=rw.group_order("belt", ENUMS["belt"], lang)),
                "matching_by_belt", ui.tr("funds.matching"))
        by_province = rw.matching_rows(ui.query("matching_ratio_by_region", view, dimension="province"), lang)
        columns = ui.table_columns("group", "belt_label", "central_allocated", "local_allocated", "ratio_text",
                                   "expected_ratio", "verdict", group="province_label")
        with right:
            ui.table(by_province[list(columns)], "matching_by_province", columns,
                     key="matching_by_province", height=320, phone=("group", "ratio_text", "verdict"),
                     title=f"{ui.tr('funds.matching')} · {ui.tr('filter.province')}")

        # 5. Schedule and cost performance ------------------------------------------------------
        st.subheader(ui.tr("funds.earned_value"))
        st.caption(ui.tr("funds.ev_note", warn=fmt_number(ev_warn, lang, 1), red=fmt_number(ev_red, lang, 1)))
        worst = ui.query("earned_value_projects", view, limit=EV_CHART_LIMIT).dropna(subset=["spi", "cpi"])
        if worst.empty:
            st.caption(ui.tr("funds.no_ev"))
        else:
            ui.chart(charts.ev_scatter(
                worst.assign(name=ui.project_names(worst, lang)), warn=ev_warn, red=ev_red,
                level_labels={k: ui.tr(f"funds.ev_level.{k}", warn=fmt_number(ev_warn, lang, 1),
                                       red=fmt_number(ev_red, lang, 1)) for k in ("red", "amber", "green")},
                level_title=ui.tr("funds.ev_level"), spi_title=ui.tr("funds.spi"), cpi_title=ui.tr("funds.cpi"),
                name_title=ui.tr("common.project_name")), "spi_cpi", ui.tr("funds.earned_value"))
            if len(worst) >= EV_CHART_LIMIT:
                st.caption(ui.tr("funds.ev_chart_limit", n=EV_CHART_LIMIT))
        ev_columns = ui.table_columns("link", "name", "belt", "province", "bac", "pv", "ev", "ac", "spi_text",
                                      "cpi_text")
        ui.paged_table(ui.query("earned_value_projects", view), "earned_value", ev_columns, key="earned_value",
                       title=ui.tr("funds.earned_value"), shape=lambda rows: rw.ev_rows(rows, lang)[list(ev_columns)],
                       phone=("name", "spi_text", "cpi_text"))

        # 6. Every pilot's money ----------------------------------------------------------------
        st.subheader(ui.tr("funds.by_project"))
        st.caption(ui.tr("funds.by_project_note"))
        pilot_columns = ui.table_columns("link", "name", "belt", "province", *AMOUNTS, *RATES, "overspend_text",
                                         "ratio_text")
        ui.paged_table(ui.query("fund_projects", view), "fund_projects", pilot_columns, key="fund_projects",
                       title=ui.tr("funds.by_project"), phone=("name", "utilisation", "overspend_text"),
                       shape=lambda rows: rw.fund_project_rows(rows, lang)[list(pilot_columns)])
