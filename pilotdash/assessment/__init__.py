"""Assessment and grading 考核评价 (shared/domain.md "Assessment and grading", issue 23).

The scoring rules are SQL macros (`pilotdash/sql/assessment.sql`; the final score and the latest
grade, which health needs, in `measures.sql`); `scoring` writes a round's scores after every
applied upload; `permissions` asks the access policy who may upload which scores; `report`
makes the assessment report (.docx and printable HTML). No Streamlit here: the page's parts are
in `pilotdash/ui/assessment*.py`.
"""
