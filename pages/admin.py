"""Admin 管理: the people who may sign in (add, change, disable; every change audited) and the
audit log (filter, download). Admins only: checked before anything is drawn and again in every
action (`pilotdash.ui.people_forms.admin`, and `pilotdash.people` itself), so a page opened by
its address or a replayed click by anyone else changes nothing."""

import streamlit as st

from pilotdash import audit, people, ui
from pilotdash.ui import people_forms

people_forms.admin()
view = ui.header("page.admin")
store = ui.base_store()  # the people and the audit log are the programme's, not a scope's

people_tab, audit_tab = st.tabs([ui.tr("admin.tab_people"), ui.tr("admin.tab_audit")], key="admin_tabs")

with people_tab:
    if message := st.session_state.pop(people_forms.DONE, None):
        st.success(message)
    everyone = people.everyone(store)
    if everyone:
        people_forms.people_table(everyone)
    else:
        st.info(ui.tr("admin.no_people"), icon=":material/group_add:")
    people_forms.add_form(store)
    if everyone:
        people_forms.change_form(store, everyone)

with audit_tab:
    st.caption(ui.tr("admin.audit_note"))
    entries = audit.entries(store, **people_forms.audit_filters(store))
    st.caption(ui.tr("admin.audit_count", n=len(entries)))
    people_forms.audit_table(entries)
