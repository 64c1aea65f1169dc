"""Saved views 常用视图: the team's named views: open one, rename it, delete it. A view is saved
from any page with Share ▸ Save; each is only a link (page + URL parameters), parsed afresh
when opened. A person sees their own and those within their scope, and who saved one only as an
admin (`pilotdash.saved_views`, asking the access policy)."""

import html

import pandas as pd
import streamlit as st

from pilotdash import policy, saved_views, ui
from pilotdash.errors import Problem
from pilotdash.filters import param_word, parse
from pilotdash.ui import meetings
from pilotdash.i18n import fmt_datetime

view = ui.header("page.views")
lang = view.lang
store = ui.store()
st.caption(ui.tr("views.how_to_save"))


def change(view_id: int, deleting: bool = False) -> None:
    # A button callback (it runs before the page, so the list below already shows the change).
    # saved_views checks again, in the write, that this person may change the view.
    try:
        if deleting:
            saved_views.delete(store, view_id, ui.person())
        else:
            saved_views.rename(store, view_id, st.session_state[f"rename_{view_id}"], ui.person())
    except Problem as err:  # a bad name, refused (audited; the saver's e-mail only to an admin), or the store busy
        shown = err if err.code != "views.not_yours" or policy.allowed(ui.person(), "people_manage") \
            else Problem("access.not_allowed")
        st.session_state[f"change_error_{view_id}"] = shown.text(lang)


me = ui.person()
views = saved_views.list_views(store, me)
admin = policy.allowed(me, "people_manage")
if not views:
    st.info(ui.tr("views.none"), icon=":material/bookmarks:")

by_id = {v.view_id: v for v in views}
scoped = not ui.current_scope().is_national
for view_id in ui.page_of(pd.DataFrame({"view_id": list(by_id)}), "views")["view_id"]:
    saved = by_id[int(view_id)]
    info = meetings.page_info(saved.page)
    # A view saved by someone with a wider scope opens as the viewer's part only (issue 12): the
    # card says which of its filters are outside the viewer's scope.
    saved_state, dropped = parse(saved.params, ui.options(), scoped)
    outside = [f"{param_word(n.values['name'], lang)} = {ui.plain(n.values['value'])}" for n in dropped
               if n.key == "scope.filter_outside"]  # the parameter in words, never its URL name
    with st.container(border=True):
        left, right = st.columns([3, 2], vertical_alignment="center")
        with left:
            # A name is anyone's text: shown escaped, never as markdown (no links, no images).
            st.html(f'<div style="font-weight:600;font-size:1.1rem">{html.escape(saved.name)}</div>')
            page_title = ui.tr(info.title_key) if info else saved.page
            st.caption(f"{page_title} · {saved_state.describe(lang, saved_state.as_of)}")
            if outside:
                st.caption(ui.tr("scope.view_outside", parts="; ".join(outside)))
            when = fmt_datetime(saved.saved_at, lang)
            st.caption(ui.tr("views.saved_by", who=ui.plain(saved.saved_by), when=when) if admin
                       else ui.tr("views.saved_on", when=when))
        with right, st.container(horizontal=True, horizontal_alignment="right", gap="small"):
            if info:
                st.page_link(info.file, label=ui.tr("views.open"), icon=":material/open_in_new:",
                             query_params=saved_state.query_params())
            else:
                st.caption(ui.tr("views.unknown_page", page=ui.plain(saved.page)))
            if saved_views.may_change(saved, me):  # the saver or an admin (checked again on change)
                with st.popover(ui.tr("views.rename"), icon=":material/edit:", key=f"rename_box_{view_id}"):
                    st.text_input(ui.tr("views.new_name"), value=saved.name, key=f"rename_{view_id}",
                                  max_chars=saved_views.NAME_MAX)
                    st.button(ui.tr("views.rename"), key=f"do_rename_{view_id}", type="primary",
                              on_click=change, args=(view_id,))
                with st.popover(ui.tr("views.delete"), icon=":material/delete:", key=f"delete_box_{view_id}"):
                    st.write(ui.tr("views.delete_confirm", name=ui.plain(saved.name)))
                    st.button(ui.tr("views.delete"), key=f"do_delete_{view_id}", type="primary",
                              on_click=change, args=(view_id, True))
        if message := st.session_state.pop(f"change_error_{view_id}", None):
            st.error(message, icon=":material/error:")
