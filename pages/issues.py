"""Issues 问题清单: issue resolution against 80% by belt; the issues of the filtered pilots by state
(overdue, open, awaiting sign-off, signed off); resolve (the owner's side) and sign off (a
reviewer) in place; and the risks 风险: a 5 × 5 matrix per belt, the register with the reviews
overdue first, and one risk's review history."""

import streamlit as st

from pilotdash import ui
from pilotdash.ui import tasks as tu

view = ui.header("page.issues")
as_of = ui.as_of(view)

resolution = ui.query("issue_resolution_by_belt", view)
st.subheader(ui.tr("issues.resolution_title"))
tu.resolution_by_belt(resolution)

STATES = ("overdue", "open", "resolved", "verified")
by_state = {code: ui.query("issue_list", view, issue_state=[code]) for code in STATES}
for col, code in zip(st.columns(4), STATES):
    ui.metric(col, ui.tr(f"issue_state.{code}"), str(len(by_state[code])))
for tab, code in zip(st.tabs([ui.tr(f"issue_state.{c}") for c in STATES], key="issues_tabs"), STATES):
    with tab:
        if by_state[code].empty:
            st.caption(ui.tr("issues.none"))
        else:
            tu.issue_list(by_state[code], ui.tr(f"issue_state.{code}"), f"issues_{code}")
tu.issue_forms(by_state["open"], by_state["overdue"], by_state["resolved"], as_of)

# Risks: reviewed every quarter; each risk as of its latest review on or before the as-of date.
st.header(ui.tr("risks.title"))
tu.risk_matrix(ui.query("risk_matrix", view))
register = ui.query("risk_register", view)
overdue = ui.query("risk_register", view, overdue=1)
st.subheader(ui.tr("risks.overdue_title", n=len(overdue)))
if not overdue.empty:
    ui.paged_table(overdue, "risk_reviews_overdue", tu.risk_columns(), "risk_overdue", shape=tu.risk_rows,
                   title=ui.tr("risks.overdue_title", n=len(overdue)))
st.subheader(ui.tr("risks.register_title"))
ui.paged_table(register, "risk_register", tu.risk_columns(), "risk_register", shape=tu.risk_rows,
               title=ui.tr("risks.register_title"))
# The chooser lists the highest risks first, bounded (a national register holds tens of thousands);
# any other risk number can be typed, and is checked like a link's.
risk = ui.bound(st.selectbox, "risk", list(register["risk_id"]), key="issues_risk", label_text=ui.tr("risks.choose"),
                index=None, placeholder=ui.tr("risks.choose_hint"), listed=tu.PICK_MAX)
if len(register) > tu.PICK_MAX:
    st.caption(ui.tr("risks.choose_more", shown=tu.PICK_MAX, total=len(register)))
if risk:
    tu.risk_history(ui.query("risk_review_history", None, as_of=as_of, risk=risk), risk)
