"""Funds 资金: arrival, execution and utilisation by source, budget category, fiscal year, belt,
province and pilot against the 85% target; unspent balances and overspends; local matching
ratios against 1:1 (1:1.5 in the east); schedule and cost performance (SPI, CPI)."""

import altair as alt
import pandas as pd
import streamlit as st

from pilotdash import charts, ui
from pilotdash.domain import ENUMS, EV_THRESHOLDS, THRESHOLDS
from pilotdash.filters import province_name
from pilotdash.i18n import fmt_judged, fmt_matching_ratio, fmt_money, fmt_number, fmt_pct, label, t

# The dimensions money can be grouped by, and the enumeration that names each one's codes.
DIMENSIONS = {"source": "source", "category": "budget_category", "fiscal_year": None, "belt": "belt",
              "province": None}
MANY_GROUPS = 8  # more groups than this are drawn as a grid of rates, not bars
EV_CHART_LIMIT = 500  # the scatter draws the worst pilots only; the table below pages all of them

view = ui.header("page.funds")
lang = view.lang
target = THRESHOLDS["fund_target"]
target_label = ui.tr("funds.target_label", value=fmt_pct(target, lang, 0))
rates = {"arrival_rate": ui.tr("overview.arrival_rate"), "execution_rate": ui.tr("overview.execution_rate"),
         "utilisation": ui.tr("overview.utilisation")}
amounts = {"allocated": ui.tr("overview.allocated"), "disbursed": ui.tr("funds.disbursed"),
           "spent": ui.tr("overview.spent")}


def key_words(dimension: str, code: str) -> str:
    if dimension == "province":
        return province_name(code, lang)
    if dimension == "fiscal_year":
        return ui.tr("funds.fiscal_year_value", year=code)
    return label(DIMENSIONS[dimension], code, lang)


def dimension_order(dimension: str, codes) -> list[str]:
    enum = DIMENSIONS[dimension]
    ordered = [c for c in ENUMS[enum] if c in set(codes)] if enum else list(codes)
    return [key_words(dimension, c) for c in ordered]


def project_links(frame):
    """The first two columns of a per-pilot table: a link to its page and its name (and its
    belt and province in words), on a copy of `frame`."""
    frame = frame.copy(deep=False)
    frame.insert(0, "link", ui.links("project", "project", frame["project_id"].tolist()))
    frame.insert(1, "name", ui.project_names(frame, lang))
    frame["belt_label"] = ui.words(frame["belt"], lambda b: label("belt", b, lang))
    frame["province"] = ui.words(frame["province_code"], lambda p: province_name(p, lang))
    return frame


LINK_COLUMNS = ui.columns("link", "name", belt_label=ui.pilot_columns()["belt"], province=ui.pilot_columns()["province"])

# The amounts and rates every funds table shows (pilotdash.measures).
MONEY_COLUMNS = ui.measure_columns("allocated", "disbursed", "spent", "unspent_allocated", "unspent_disbursed",
                                   "arrival_rate", "execution_rate", "utilisation")

if ui.require_pilots(view):
    # 1. Headline: how much money moved, how much is unspent, how much is overspent ------------
    total = ui.query("fund_by_dimension", view, dimension="total")
    if total.empty:
        st.info(ui.tr("funds.no_lines"), icon=":material/savings:")
    else:
        now = total.iloc[0]
        helps = {"arrival_rate": ui.tr("funds.arrival_help"), "execution_rate": ui.tr("funds.execution_help"),
                 "utilisation": ui.tr("funds.utilisation_help")}
        for codes in (("allocated", "disbursed", "spent"), ("arrival_rate", "execution_rate", "utilisation"),
                      ("unspent_allocated", "unspent_disbursed", "overspent_lines")):
            for column, code in zip(st.columns(3), codes):
                ui.headline(column, code, now, help=helps.get(code))
        st.caption(ui.tr("funds.target_note", value=fmt_pct(target, lang, 0)))

        # 2. By source, category, year, belt or province ---------------------------------------
        st.subheader(ui.tr("funds.by_dimension"))
        by = ui.bound(st.segmented_control, "by", list(DIMENSIONS), key="funds_by", label_text=ui.tr("funds.group_by"),
                      default="source", selection_mode="single", format_func=lambda d: t(f"funds.dimension.{d}", lang))
        grouped = ui.query("fund_by_dimension", view, dimension=by)
        grouped["group"] = [key_words(by, k) for k in grouped["key"]]
        order = dimension_order(by, grouped["key"])
        if len(grouped) > MANY_GROUPS:
            # Thirty-one provinces as bars would be a wall: a grid of rates, each cell its number.
            cells = grouped.melt(id_vars=["group"], value_vars=list(rates), var_name="rate", value_name="value")
            cells["rate_label"] = cells["rate"].map(rates)
            cells["text"] = [fmt_pct(v, lang, 0) for v in cells["value"]]
            st.markdown(f"**{ui.tr('funds.rates_title')}**")
            ui.chart(charts.heat_table(
                cells, "rate_label", "group", "value", "text", x_title=None, y_title=None,
                value_title=ui.tr("funds.rate"), x_order=list(rates.values()), y_order=order,
                domain=(0.5, 1.0)).properties(
                height=alt.Step(26)), "funds_rates", ui.tr("funds.rates_title"))
            st.caption(ui.tr("funds.rates_grid_note", value=fmt_pct(target, lang, 0)))
        else:
            left, right = st.columns(2)
            with left:
                st.markdown(f"**{ui.tr('funds.rates_title')}**")
                ui.chart(charts.grouped_bars(
                    grouped, "group", measure_labels=rates, colours=charts.RATE_COLOURS, category_title=None,
                    value_title=ui.tr("funds.rate"), category_order=order, value_format=".0%", axis_format="%",
                    target=target, target_label=target_label, cap=THRESHOLDS["chart_cap"]),
                    "funds_rates", ui.tr("funds.rates_title"))
            with right:
                st.markdown(f"**{ui.tr('funds.amounts_title')}**")
                ui.chart(charts.grouped_bars(
                    grouped, "group", measure_labels=amounts, colours=charts.MONEY_COLOURS, category_title=None,
                    value_title=ui.tr("funds.amount_axis"), category_order=order, value_format=",.0f"),
                    "funds_amounts", ui.tr("funds.amounts_title"))
            st.caption(ui.tr("funds.rates_note"))
        ui.table(grouped[["group", "allocated", "disbursed", "spent", "unspent_allocated", "unspent_disbursed",
                          "arrival_rate", "execution_rate", "utilisation", "overspent_lines", "projects"]],
                 f"funds_by_{by}", key="funds_by_dimension", title=ui.tr("funds.by_dimension"), column_config={
            "group": st.column_config.TextColumn(ui.tr(f"funds.dimension.{by}")),
            **MONEY_COLUMNS,
            "overspent_lines": st.column_config.NumberColumn(ui.tr("funds.overspent_lines")),
            "projects": st.column_config.NumberColumn(ui.tr("overview.projects")),
        })

        # 3. Overspends: every budget line that spent more than was disbursed --------------------
        st.subheader(ui.tr("funds.overspends"))
        overspent = ui.query("overspent_lines", view)
        if overspent.empty:
            st.success(ui.tr("funds.no_overspend"), icon=":material/check_circle:")
        else:
            st.error(ui.tr("funds.overspend_count", lines=ui.count(now.overspent_lines),
                           projects=ui.count(now.overspent_projects),
                           excess=fmt_money(now.overspent_excess, lang)), icon=":material/warning:")
            overspent = project_links(overspent)
            overspent["source_label"] = ui.label_column(overspent, "source", "source")
            overspent["category_label"] = ui.label_column(overspent, "category", "budget_category")
            ui.paged_table(overspent[
                ["link", "name", "belt_label", "province", "fiscal_year", "source_label", "category_label",
                 "allocated", "disbursed", "spent", "excess"]], "overspent_lines", key="overspent_lines",
                title=ui.tr("funds.overspends"), column_config=LINK_COLUMNS | {
                    "fiscal_year": st.column_config.NumberColumn(ui.tr("filter.fiscal_year"), format="%d"),
                    "source_label": st.column_config.TextColumn(ui.tr("funds.dimension.source")),
                    "category_label": st.column_config.TextColumn(ui.tr("funds.dimension.category")),
                    **ui.measure_columns("allocated", "disbursed", "spent"),
                    "excess": ui.money_column("funds.excess"),
                })

        # 4. Local matching ratio against 1:1 (1:1.5 in the east) ---------------------------------
        st.subheader(ui.tr("funds.matching"))
        st.caption(ui.tr("funds.matching_note", expected=fmt_number(THRESHOLDS["matching"], lang, 1),
                         east=fmt_number(THRESHOLDS["matching_east"], lang, 1)))
        left, right = st.columns([2, 3])
        belts = ui.query("matching_ratio_by_region", view, dimension="belt")
        belts["group"] = ui.label_column(belts, "belt", "belt")
        with left:
            ui.chart(charts.ratio_vs_expected(
                belts.dropna(subset=["matching_ratio"]), "group", "matching_ratio", "expected_ratio",
                category_title=None, value_title=ui.tr("funds.matching_ratio"),
                expected_label=ui.tr("funds.expected_ratio"),
                category_order=[label("belt", b, lang) for b in ENUMS["belt"]]), "matching_by_belt", ui.tr("funds.matching"))
        with right:
            by_province = ui.query("matching_ratio_by_region", view, dimension="province")
            by_province["group"] = [province_name(p, lang) for p in by_province["key"]]
            by_province["belt_label"] = ui.label_column(by_province, "belt", "belt")
            by_province["verdict"] = [ui.tr(f"funds.meets.{'none' if pd.isna(m) else str(bool(m)).lower()}")
                                      for m in by_province["meets"]]
            by_province["ratio_text"] = [fmt_matching_ratio(r, e, lang) for r, e in
                                         zip(by_province["matching_ratio"], by_province["expected_ratio"])]
            ui.table(by_province[["group", "belt_label", "central_allocated", "local_allocated", "ratio_text",
                                  "expected_ratio", "verdict"]], "matching_by_province", key="matching_by_province",
                     height=320, title=f"{ui.tr('funds.matching')} · {ui.tr('filter.province')}", column_config={
                "group": st.column_config.TextColumn(ui.tr("filter.province")),
                "belt_label": st.column_config.TextColumn(ui.tr("filter.belt")),
                "central_allocated": ui.money_column("funds.central_allocated"),
                "local_allocated": ui.money_column("funds.local_allocated"),
                "ratio_text": st.column_config.TextColumn(ui.tr("funds.matching_ratio")),
                "expected_ratio": st.column_config.NumberColumn(ui.tr("funds.expected_ratio"), format="1:%.1f"),
                "verdict": st.column_config.TextColumn(ui.tr("funds.verdict")),
            })

        # 5. Schedule and cost performance ------------------------------------------------------
        st.subheader(ui.tr("funds.earned_value"))
        st.caption(ui.tr("funds.ev_note", warn=fmt_number(THRESHOLDS["ev_warn"], lang, 1),
                         red=fmt_number(THRESHOLDS["ev_red"], lang, 1)))
        levels = {k: ui.tr(f"funds.ev_level.{k}", warn=fmt_number(THRESHOLDS["ev_warn"], lang, 1),
                           red=fmt_number(THRESHOLDS["ev_red"], lang, 1)) for k in ("red", "amber", "green")}
        worst = ui.query("earned_value_projects", view, limit=EV_CHART_LIMIT).dropna(subset=["spi", "cpi"])
        if worst.empty:
            st.caption(ui.tr("funds.no_ev"))
        else:
            worst["name"] = [ui.project_name(row) for _, row in worst.iterrows()]
            ui.chart(charts.ev_scatter(
                worst, warn=THRESHOLDS["ev_warn"], red=THRESHOLDS["ev_red"], level_labels=levels,
                level_title=ui.tr("funds.ev_level"), spi_title=ui.tr("funds.spi"), cpi_title=ui.tr("funds.cpi"),
                name_title=ui.tr("common.project_name")), "spi_cpi", ui.tr("funds.earned_value"))
            if len(worst) >= EV_CHART_LIMIT:
                st.caption(ui.tr("funds.ev_chart_limit", n=EV_CHART_LIMIT))
        marks = {lv: t(f"funds.ev_mark.{lv}", lang) for lv in ("red", "amber", "green")}

        def ev_rows(rows: pd.DataFrame) -> pd.DataFrame:  # the page shown, or every row for a download
            ev = project_links(rows)
            ev["spi_text"] = [f"{fmt_judged(v, lang, EV_THRESHOLDS)} {marks.get(lv, '')}".strip()
                              for v, lv in zip(ev["spi"].tolist(), ev["spi_level"].tolist())]
            ev["cpi_text"] = [f"{fmt_judged(v, lang, EV_THRESHOLDS)} {marks.get(lv, '')}".strip()
                              for v, lv in zip(ev["cpi"].tolist(), ev["cpi_level"].tolist())]
            return ev[["link", "name", "belt_label", "province", "bac", "pv", "ev", "ac", "spi_text", "cpi_text"]]

        ui.paged_table(ui.query("earned_value_projects", view), "earned_value", key="earned_value",
                       title=ui.tr("funds.earned_value"), shape=ev_rows, column_config=LINK_COLUMNS | {
            "bac": ui.money_column("funds.bac"),
            "pv": ui.money_column("funds.pv"),
            "ev": ui.money_column("funds.ev"),
            "ac": ui.money_column("funds.ac"),
            "spi_text": st.column_config.TextColumn(ui.tr("funds.spi")),
            "cpi_text": st.column_config.TextColumn(ui.tr("funds.cpi")),
        })

        # 6. Every pilot's money ----------------------------------------------------------------
        st.subheader(ui.tr("funds.by_project"))
        st.caption(ui.tr("funds.by_project_note"))
        flag = ui.tr("funds.overspend_flag")

        def project_rows(rows: pd.DataFrame) -> pd.DataFrame:  # the page shown, or every row for a download
            projects = project_links(rows)
            projects["overspend_text"] = [flag if o else "" for o in projects["overspend"].tolist()]
            projects["ratio_text"] = [fmt_matching_ratio(r, e, lang) for r, e in
                                      zip(projects["matching_ratio"].tolist(), projects["expected_ratio"].tolist())]
            return projects[
                ["link", "name", "belt_label", "province", "allocated", "disbursed", "spent", "unspent_allocated",
                 "unspent_disbursed", "arrival_rate", "execution_rate", "utilisation", "overspend_text", "ratio_text"]]

        ui.paged_table(ui.query("fund_projects", view), "fund_projects", key="fund_projects",
                       title=ui.tr("funds.by_project"), shape=project_rows, column_config=LINK_COLUMNS | {
                **MONEY_COLUMNS,
                "overspend_text": st.column_config.TextColumn(ui.tr("funds.overspend")),
                "ratio_text": st.column_config.TextColumn(ui.tr("funds.matching_ratio")),
            })
