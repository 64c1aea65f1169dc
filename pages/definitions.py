"""Definitions 指标说明: every measure's formula and threshold in words (thresholds read from
pilotdash.domain.THRESHOLDS, so the page cannot drift from the numbers), the choices made where
the programme's rules are silent, the indicator catalogue, and where the data came from."""

import pandas as pd
import streamlit as st

from pilotdash import definitions, ui
from pilotdash.domain import THRESHOLDS
from pilotdash.i18n import fmt_number, unit_label
from pilotdash.measures import shown_as

view = ui.header("page.definitions")
lang = view.lang
words = definitions.threshold_words(lang)

st.markdown(ui.tr("definitions.intro"))

# 1. The measures, group by group --------------------------------------------------------------
for group, measures in definitions.MEASURES:
    st.subheader(ui.tr(f"definitions.group.{group}"))
    columns = st.columns(2)
    for i, measure in enumerate(measures):
        with columns[i % 2].container(border=True):
            st.markdown(f"**{ui.tr(f'definitions.{measure}.name')}**")
            st.markdown(ui.tr(definitions.rule_key(measure), **words))
            if shown := shown_as(measure):  # the numbers the pages show under this entry
                st.caption(ui.tr("view.shown_as", names=ui.tr("phases.list_sep").join(ui.tr(k) for k in shown)))
            if measure in definitions.CHOICES:
                st.caption(f"{ui.tr('definitions.choice_label')}: {ui.tr(f'definitions.{measure}.choice', **words)}")

# 2. The thresholds themselves, as the code holds them -----------------------------------------
st.subheader(ui.tr("definitions.thresholds"))
st.caption(ui.tr("definitions.thresholds_note"))
ui.table(pd.DataFrame({
    "name": [ui.tr(f"definitions.th.{name}") for name in definitions.THRESHOLD_ORDER],
    "value": [THRESHOLDS[name] for name in definitions.THRESHOLD_ORDER],
}), "thresholds", key="thresholds", height=36 * (len(THRESHOLDS) + 1) + 3,
    title=ui.tr("definitions.thresholds"), column_config={
    "name": st.column_config.TextColumn(ui.tr("definitions.threshold"), width="large"),
    "value": st.column_config.NumberColumn(ui.tr("definitions.value"), format="%g"),
})

# 3. The indicator catalogue from the store ----------------------------------------------------
st.subheader(ui.tr("definitions.catalogue"))
catalogue = ui.query("indicator_catalogue")
if catalogue.empty:
    st.caption(ui.tr("targets.no_pairs"))
else:
    ui.table(pd.DataFrame({
        "code": catalogue["indicator_code"],
        "name": ui.local_names(catalogue),
        # The other language's name, for a reader writing to the other office: on an English
        # page only (a Chinese page shows no English, issue 22 item 7).
        **({"other": catalogue["name_zh"]} if lang == "en" else {}),
        "category": ui.label_column(catalogue, "category", "indicator_category"),
        "unit": catalogue["unit"].map(lambda u: unit_label(u, lang)),
        "direction": ui.label_column(catalogue, "direction", "direction"),
        "national_target": catalogue["national_target"].map(
            lambda v: fmt_number(v, lang, 2).rstrip("0").rstrip(".") if not pd.isna(v) else ui.tr("common.none")),
    }), "indicator_catalogue", key="indicator_catalogue", height=36 * (len(catalogue) + 1) + 3,
        title=ui.tr("definitions.catalogue"), column_config={
        "code": st.column_config.TextColumn(ui.tr("project.indicator_code"), width="small"),
        "name": st.column_config.TextColumn(ui.tr("project.indicator"), width="medium"),
        "other": st.column_config.TextColumn(ui.tr("definitions.other_name"), width="medium"),
        "category": st.column_config.TextColumn(ui.tr("definitions.category")),
        "unit": st.column_config.TextColumn(ui.tr("project.unit"), width="small"),
        "direction": st.column_config.TextColumn(ui.tr("project.direction"), width="small"),
        "national_target": st.column_config.TextColumn(ui.tr("targets.national_target"), width="small"),
    })

# 4. Where the data came from and how current it is ------------------------------------------------
st.subheader(ui.tr("definitions.source"))
freshness = ui.query("data_freshness")
fresh = {item: value for item, value in zip(freshness["item"], freshness["value"]) if not pd.isna(value)}
if fresh.get("is_demo") == "1":
    st.info(ui.tr("definitions.demo_yes"), icon=":material/science:")
else:
    st.caption(ui.tr("definitions.demo_no"))
cols = st.columns(4)
ui.metric(cols[0], ui.tr("definitions.newest_reading"), ui.date_text(fresh.get("newest_reading")))
ui.metric(cols[1], ui.tr("definitions.view_as_of"), ui.date_text(ui.as_of(view)),
          help=ui.tr("definitions.default_as_of") + ": " + ui.date_text(fresh.get("default_as_of")))
ui.metric(cols[2], ui.tr("definitions.last_upload"),
          ui.date_text(fresh.get("last_upload")) if fresh.get("last_upload") else ui.tr("definitions.no_upload"))
ui.metric(cols[3], ui.tr("definitions.built_at"), ui.date_text(fresh.get("built_at")))
source = fresh.get("source")
if source:
    st.caption(f"{ui.tr('definitions.source_name')}: "
               + (ui.tr("definitions.source_demo") if fresh.get("is_demo") == "1" else str(source)))
tables = ("projects", "readings", "budget_lines", "milestones", "risks")
ui.table(pd.DataFrame({
    "table": [ui.tr(f"definitions.table.{name}") for name in tables],
    "rows": [int(fresh.get(name) or 0) for name in tables],
}), "data_tables", key="data_tables", title=ui.tr("definitions.source"), column_config={
    "table": st.column_config.TextColumn(ui.tr("definitions.table")),
    "rows": st.column_config.NumberColumn(ui.tr("definitions.rows"), format="localized"),
})
