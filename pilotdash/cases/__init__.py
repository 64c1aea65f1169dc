"""Promotion and cases 经验推广 (issue 25, shared/domain.md "Promotion and cases").

The rules live in SQL (`pilotdash/sql/measures.sql`: `case_stages`, `promotion_pilots`,
`conversion_rate`, `case_coverage`, `pilots_without_case`; the yellow warning `no_case` in
`warnings.sql`) and the questions in `queries/` (`case_library`, `promotion_summary`,
`case_adoptions_by_province`, `promotion_without_case`). The upload tables `cases` and `adoptions`
are in the data contract like every other. This package shapes their rows for the Cases page
(no Streamlit here: `pilotdash/ui/case_views.py` draws them) and holds the hook for a pilot's
latest assessment grade (`library.latest_grades`).
"""
