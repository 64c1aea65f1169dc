"""The Cases page's parts (经验推广): the headline numbers, the funnel and conversion by belt, the
province tiles shaded by adoptions and the case library's table, drawn from the named queries'
rows as `pilotdash.cases.library` shapes them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import charts
from ..cases import library
from ..columns import Column
from ..domain import ENUMS, THRESHOLDS
from ..filters import city_name, province_name
from ..i18n import fmt_pct, label
from .data import as_of, store
from .column_registry import table_columns
from .report import chart, metric
from .state import lang, links, state, tr
from .tables import paged_table, table
from .text import count, date_texts, local_names, words

LIBRARY_COLUMNS = ("case_id", "title", "stage_text", "kind_text", "standard_text", "adoptions", "adopted_in",
                   "recommended_text", "link", "name", "province", "city_text")


def headlines(total: pd.Series) -> None:
    """Conversion against its target, coverage of the provinces, the cases and the adopted ones."""
    language = lang()
    target = fmt_pct(THRESHOLDS["conversion_target"], language, 0)
    cols = st.columns(4)
    metric(cols[0], tr("cases.conversion"), fmt_pct(total.conversion_rate, language),
           help=tr("cases.conversion_help", target=target, converted=count(total.converted),
                   eligible=count(total.eligible)))
    metric(cols[1], tr("cases.coverage"), fmt_pct(total.coverage, language),
           help=tr("cases.coverage_help", provinces=count(total.adopting_provinces),
                   total=count(THRESHOLDS["coverage_provinces"])))
    metric(cols[2], tr("cases.cases"), count(total.cases))
    metric(cols[3], label("case_maturity", "adopted", language), count(total.adopted))
    if pd.notna(total.conversion_rate):
        met = total.conversion_rate >= THRESHOLDS["conversion_target"]
        st.caption(tr("cases.conversion_met" if met else "cases.conversion_short", target=target))


def funnel_and_conversion(summary: pd.DataFrame) -> None:
    """The funnel draft → adopted stacked by belt, beside conversion by belt against its target."""
    language = lang()
    belt_order = [label("belt", b, language) for b in ENUMS["belt"]]
    stage_order = [label("case_maturity", s, language) for s in library.STAGES]
    left, right = st.columns(2)
    with left:
        rows = library.funnel(summary)
        rows["stage_label"] = words(rows["stage"], lambda s: label("case_maturity", s, language))
        rows["belt_label"] = words(rows["belt"], lambda b: label("belt", b, language))
        chart(charts.stacked_bar(
            rows, "stage_label", "cases", "belt_label", colours=charts.BELT_COLOURS,
            series_labels={b: label("belt", b, language) for b in ENUMS["belt"]},
            category_title=tr("cases.stage"), value_title=tr("cases.cases"), series_title=tr("filter.belt"),
            category_order=stage_order), "case_funnel", tr("cases.funnel"))
        st.caption(tr("cases.funnel_note"))
    with right:
        belts = summary[summary["belt"].notna()].dropna(subset=["conversion_rate"])
        belts = belts.assign(belt_label=words(belts["belt"], lambda b: label("belt", b, language)))
        target = THRESHOLDS["conversion_target"]
        chart(charts.rate_bars(
            belts, "belt_label", "conversion_rate", target=target, category_title=None,
            rate_title=tr("cases.conversion"), category_order=belt_order, cap=1.0,
            target_label=tr("regions.target_label", value=fmt_pct(target, language, 0)),
        ).properties(height=170),
            "conversion_by_belt", tr("cases.conversion_by_belt"))
        st.caption(tr("cases.conversion_note"))


def coverage_map(adoptions: pd.DataFrame) -> None:
    """The provinces as tiles shaded by the adoptions made in each by the as-of date."""
    language = lang()
    tiles = library.coverage_tiles(adoptions)
    tiles["name"] = local_names(tiles, language)
    tiles["value_text"] = [count(v) for v in tiles["adoptions"]]
    tiles["label"] = tiles["name"] + "\n" + tiles["value_text"]
    chart(charts.tile_map(
        tiles, "adoptions", "label", value_title=tr("cases.adoptions"),
        belt_labels={b: label("belt", b, language) for b in ENUMS["belt"]}, belt_title=tr("filter.belt")),
        "case_coverage_map", tr("cases.coverage_map"))
    st.caption(tr("cases.coverage_map_note"))


def library_table(cases: pd.DataFrame) -> None:
    """The case library: each case with its pilot, kind, stage, standard level and adoptions, and
    its pilot's latest grade once assessment provides it (library.latest_grades). One page of
    cases at a time (a national library at 100× holds about 15,000: sent whole it was 4 MB);
    the words and grades are made for the page shown, and for every row only when downloaded."""
    language = lang()
    if cases.empty:
        st.caption(tr("cases.none_match"))
        return
    when, theirs = as_of(state()), store()  # taken in the run: a download shapes its rows after it

    def rows(part: pd.DataFrame) -> pd.DataFrame:
        grades = library.latest_grades(theirs, part["project_id"].tolist(), when)
        shown = part.assign(
            link=links("project", "project", part["project_id"].tolist()),
            name=local_names(part, language),
            latest_grade=[label("grade", grades[p], language) if grades.get(p) else "—" for p in part["project_id"]],
            kind_text=words(part["kind"], lambda k: label("case_kind", k, language)),
            stage_text=words(part["stage"], lambda s: label("case_maturity", s, language)),
            standard_text=words(part["standard_level"], lambda s: label("standard_level", s, language)),
            recommended_text=date_texts(part["recommended_on"]),
            adopted_in=[("、" if language == "zh" else ", ").join(province_name(p, language) for p in codes)
                        for codes in part["adopting_provinces"]],
            province=words(part["province_code"], lambda p: province_name(p, language)),
            city_text=[city_name(c, language) if isinstance(c, str) else "" for c in part["city_code"]],
        )
        return shown[columns]

    columns = list(LIBRARY_COLUMNS)
    columns.insert(columns.index("name") + 1, "latest_grade")
    overrides = {
        "case_id": Column("cases.case_id"), "title": Column("cases.title"), "kind_text": Column("cases.kind"),
        "stage_text": Column("cases.stage"), "standard_text": Column("cases.standard_level"),
        "recommended_text": Column("cases.recommended_on"),
        "adoptions": Column("cases.adoptions", "number", "%d"), "adopted_in": Column("cases.adopted_in"),
        "city_text": Column("filter.city"), "latest_grade": Column("cases.latest_grade"),
    }
    paged_table(cases, "case_library", table_columns(*columns, **overrides), "case_library",
                title=tr("cases.library"), shape=rows, phone=("title", "stage_text", "adoptions"))
