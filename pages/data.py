"""Data 数据管理: upload an analyst's file (check, preview, then apply or submit for review), the
submissions and the reviewer's queue 填报与审核, the history of uploads with rollback, and the
templates to fill in. Every action goes through `pilotdash.submissions`, which asks the access
policy (`pilotdash.policy`) on the server; the person comes from the sign-in (`ui.person` →
`ui.sign_in.current`), never from the page. Nothing is written before the analyst
confirms, and a submission changes no number until a reviewer approves it. The forms are in
`pilotdash.ui.upload_forms` (upload, preview, apply, templates) and `pilotdash.ui.review_forms`
(submissions, review, history, rollback)."""

import streamlit as st

from pilotdash import policy, submissions, ui
from pilotdash.i18n import t
from pilotdash.ui import review_forms, upload_forms

view = ui.header("page.data", following=False)  # its own notice says so (below)
lang = view.lang
person = ui.person()
may_submit = policy.allowed(person, "submit")
review = person is not None and submissions.needs_review(person)

# Who is here ---------------------------------------------------------------------------------
if person is not None and person.single_user:
    st.info(t("data.single_user", lang, user=ui.plain(person.email)), icon=":material/person:")
elif person is not None:
    st.caption(t("data.signed_in_as", lang, user=ui.plain(person.email)))
    st.button(t("data.sign_out", lang), on_click=st.logout)
    if not may_submit and not submissions.reviews(person):
        st.warning(t("data.read_only", lang), icon=":material/lock:")
st.caption(t("data.intro", lang))
upload_forms.following_notice()  # the last change's scores and warnings still being updated

upload_tab, submissions_tab, history_tab, templates_tab = st.tabs(
    [t("data.tab_upload", lang), t("data.tab_submissions", lang), t("data.tab_history", lang),
     t("data.tab_templates", lang)],
    key="data_tabs",
)

# Upload: check and preview, then confirm ------------------------------------------------------
with upload_tab:
    if may_submit:
        upload_forms.upload_form(person)
        if (plan := st.session_state.get(upload_forms.PLAN)) is not None:
            upload_forms.show_plan(plan, review)
    else:
        st.info(t("ingest.err.not_allowed", lang))

# Submissions and review 填报与审核 ------------------------------------------------------------------
with submissions_tab:
    if person is None:
        st.info(t("data.sub_sign_in", lang))
    else:
        review_forms.submissions_section(person)

# History and rollback --------------------------------------------------------------------------
with history_tab:
    review_forms.history_section(submissions.reviews(person))

# Templates -----------------------------------------------------------------------------------
with templates_tab:
    upload_forms.template_downloads()
