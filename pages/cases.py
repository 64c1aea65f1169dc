"""Cases 经验推广: the conversion rate against 60% and coverage of the provinces; the funnel draft →
evaluated → recommended → adopted by belt; the province tiles shaded by adoptions; the case library
(by kind and stage; domain and belt are the sidebar's filters); the promotion-phase pilots with no
case (the yellow warning no_case)."""

import streamlit as st

from pilotdash import ui
from pilotdash.domain import ENUMS
from pilotdash.i18n import label
from pilotdash.ui import case_views

view = ui.header("page.cases")
lang = view.lang

if ui.require_pilots(view):
    # 1. Conversion and coverage ------------------------------------------------------------------
    summary = ui.query("promotion_summary", view)
    case_views.headlines(summary[summary["belt"].isna()].iloc[0])

    # 2. The funnel, and conversion by belt ------------------------------------------------------
    st.subheader(ui.tr("cases.funnel"))
    case_views.funnel_and_conversion(summary)

    # 3. Where the cases were adopted --------------------------------------------------------------
    st.subheader(ui.tr("cases.coverage_map"))
    case_views.coverage_map(ui.query("case_adoptions_by_province", view))

    # 4. The case library ---------------------------------------------------------------------------
    st.subheader(ui.tr("cases.library"))
    left, right = st.columns(2)
    with left:
        kind = ui.bound(st.selectbox, "case_kind", ENUMS["case_kind"], key="cases_kind",
                        label_text=ui.tr("cases.kind"), index=None, placeholder=ui.tr("filter.all"),
                        format_func=lambda k: label("case_kind", k, lang))
    with right:
        stage = ui.bound(st.selectbox, "maturity", ENUMS["case_maturity"], key="cases_stage",
                         label_text=ui.tr("cases.stage"), index=None, placeholder=ui.tr("filter.all"),
                         format_func=lambda s: label("case_maturity", s, lang))
    case_views.library_table(ui.query("case_library", view, case_kind=[kind] if kind else None,
                                      maturity=[stage] if stage else None))
    st.caption(ui.tr("cases.library_note"))

    # 5. Promotion-phase pilots without a case ----------------------------------------------------
    st.subheader(ui.tr("cases.without_case"))
    missing = ui.query("promotion_without_case", view)
    if missing.empty:
        st.caption(ui.tr("cases.without_case_none"))
    else:
        ui.project_table(missing, "promotion_without_case", extra_columns=["reasons"], paged=True)
        st.caption(ui.tr("cases.without_case_note"))
