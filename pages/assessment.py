"""Assessment 考核评价: a round's league table (rank, final score, grade, whose score, the change
since the previous round of the same kind, inflated self-assessments), grades by belt and by
province, a pilot's scorecard as its tree of items, self against independent scores (inflated
first), and the assessment report of the pilot or the round (Word, printable HTML)."""

import streamlit as st

from pilotdash import ui
from pilotdash.i18n import label
from pilotdash.ui import assessment as assess

view = ui.header("page.assessment")
lang = view.lang

if ui.require_pilots(view):
    rounds = ui.query("evaluation_rounds", view)
    if rounds.empty:
        st.info(ui.tr("assess.no_rounds"), icon=":material/fact_check:")
    else:
        # 1. The round, its grade counts and its league table ---------------------------------
        round_id = assess.choose_round(rounds, lang)
        chosen = rounds[rounds["round_id"] == round_id].iloc[0]
        st.caption(ui.tr("assess.round_note", start=ui.date_text(chosen.period_start),
                         end=ui.date_text(chosen.period_end), scheme=chosen.scheme))
        league = ui.query("evaluation_league", view, round=round_id)
        assess.grade_counts(league)
        st.subheader(ui.tr("assess.league"))
        st.caption(ui.tr("assess.league_note"))
        assess.league_table(league, lang, chosen["name"])
        assess.report_downloads(round_id, None, lang)

        # 2. Grades by belt and by province ----------------------------------------------------
        st.subheader(ui.tr("assess.grades"))
        assess.grade_charts(ui.query("evaluation_summary", view, round=round_id), lang, round_id)

        # 3. One pilot's scorecard as its tree ---------------------------------------------------
        st.subheader(ui.tr("assess.scorecard"))
        project_id = assess.choose_pilot(league, lang)
        if project_id is not None:
            standing = league[league["project_id"] == project_id].iloc[0]
            evaluator = assess.choose_evaluator(standing.final_evaluator if isinstance(standing.final_evaluator, str)
                                                else None, lang)
            items = ui.query("evaluation_items", None, round=round_id, project=project_id, evaluator=evaluator)
            assess.standing_line(standing, lang)
            assess.scorecard(items, lang, ui.tr("assess.scorecard_of", evaluator=label("evaluator", evaluator, lang)))
            assess.report_downloads(round_id, project_id, lang, evaluator)

        # 4. Self against independent scores, the inflated first -------------------------------
        st.subheader(ui.tr("assess.self_vs"))
        assess.self_against_independent(league, lang)
