"""Admin 管理: the people who may sign in (add, change, disable; every change audited) and the
audit log (filter, download). Admins only: checked before anything is drawn and again in every
action, so a page opened by its address or a replayed click by anyone else changes nothing."""

import datetime as dt

import pandas as pd
import streamlit as st

from pilotdash import audit, people, ui
from pilotdash.i18n import t
from pilotdash.scope import KINDS


def admin() -> people.Person:
    """The signed-in admin, or the run ends with a refusal (nothing else is drawn). Read from the
    people table in this run (not the page's short-lived copy): a role taken away holds at once."""
    who = people.current(ui.base_store())
    if who is None or not who.may("admin"):
        st.error(ui.tr("admin.refused"), icon=":material/lock:")
        st.stop()
    return who


admin()
view = ui.header("page.admin")
lang = view.lang
store = ui.base_store()  # the people and the audit log are the programme's, not a scope's


def role_words(roles) -> str:
    return ", ".join(ui.tr(f"role.{r}") for r in people.ROLES if r in roles)


def error_text(exc: Exception) -> str:
    if isinstance(exc, people.InvalidPerson):
        return ui.tr(exc.key, **exc.values)
    return ui.tr("people.not_allowed")


def person_form(key: str, before: people.Person | None) -> dict | None:
    """The fields of a person (filled from `before` when changing one); their values when sent.
    The choices' keys carry the language: a widget keeps the words it was drawn with, so after a
    change of language it is drawn afresh."""
    with st.form(key, clear_on_submit=before is None):
        email = (
            st.text_input(ui.tr("admin.col.email"), key=f"{key}_email") if before is None else before.email
        )
        name = st.text_input(ui.tr("admin.col.name"), value=before.name if before else "", key=f"{key}_name")
        kind = st.selectbox(
            ui.tr("admin.scope_kind"),
            KINDS,
            index=KINDS.index(before.scope.kind) if before else 0,
            format_func=lambda k: t(f"admin.kind.{k}", lang),
            key=f"{key}_kind_{lang}",
        )
        codes = st.text_input(
            ui.tr("admin.scope_codes"),
            value=", ".join(before.scope.codes) if before else "",
            help=ui.tr("admin.scope_codes_help"),
            key=f"{key}_codes",
        )
        roles = st.multiselect(
            ui.tr("admin.col.roles"),
            people.ROLES,
            default=[r for r in people.ROLES if before and r in before.roles],
            format_func=lambda r: t(f"role.{r}", lang),
            key=f"{key}_roles_{lang}",
            placeholder=ui.tr("admin.roles_placeholder"),
        )
        sent = st.form_submit_button(ui.tr("admin.add" if before is None else "admin.save"), type="primary")
    if not sent:
        return None
    return {"email": email, "name": name, "kind": kind, "codes": codes, "roles": roles}


def done(message: str) -> None:
    """The change is written: draw the page again with it, and say so."""
    st.session_state[_DONE] = message
    st.rerun()


_DONE = "admin_done"
people_tab, audit_tab = st.tabs([ui.tr("admin.tab_people"), ui.tr("admin.tab_audit")])

with people_tab:
    if message := st.session_state.pop(_DONE, None):
        st.success(message)
    everyone = people.everyone(store)
    table = pd.DataFrame(
        {
            ui.tr("admin.col.email"): [p.email for p in everyone],
            ui.tr("admin.col.name"): [p.name for p in everyone],
            ui.tr("admin.col.scope"): [p.scope.describe(lang) for p in everyone],
            ui.tr("admin.col.roles"): [role_words(p.roles) for p in everyone],
            ui.tr("admin.col.state"): [
                ui.tr("admin.disabled" if p.disabled else "admin.enabled") for p in everyone
            ],
        }
    )
    if everyone:
        st.dataframe(table, hide_index=True, width="stretch")
    else:
        st.info(ui.tr("admin.no_people"), icon=":material/group_add:")

    st.subheader(ui.tr("admin.add_title"))
    sent = person_form("admin_add", None)
    if sent is not None:
        try:
            added = people.add(
                store,
                admin(),
                sent["email"],
                sent["name"],
                people.parse_scope(sent["kind"], sent["codes"]),
                sent["roles"],
            )
            done(ui.tr("admin.added", email=added.email))
        except (people.InvalidPerson, people.NotAllowed) as exc:
            st.error(error_text(exc))

    if everyone:
        st.subheader(ui.tr("admin.change_title"))
        emails = [p.email for p in everyone]
        chosen = st.selectbox(ui.tr("admin.pick"), emails, key="admin_pick")
        before = next(p for p in everyone if p.email == chosen)
        sent = person_form(f"admin_set_{chosen}", before)
        if sent is not None:
            try:
                people.set_person(
                    store,
                    admin(),
                    chosen,
                    name=sent["name"],
                    scope=people.parse_scope(sent["kind"], sent["codes"]),
                    roles=sent["roles"],
                )
                done(ui.tr("admin.saved", email=chosen))
            except (people.InvalidPerson, people.NotAllowed) as exc:
                st.error(error_text(exc))
        if before.disabled:
            if st.button(
                ui.tr("admin.enable", email=chosen), key="admin_enable", icon=":material/person_check:"
            ):
                try:
                    people.set_person(store, admin(), chosen, disabled=False)
                    done(ui.tr("admin.enabled_done", email=chosen))
                except (people.InvalidPerson, people.NotAllowed) as exc:
                    st.error(error_text(exc))
        elif st.button(
            ui.tr("admin.disable", email=chosen), key="admin_disable", icon=":material/person_off:"
        ):
            try:
                people.disable(store, admin(), chosen)
                done(ui.tr("admin.disabled_done", email=chosen))
            except (people.InvalidPerson, people.NotAllowed) as exc:
                st.error(error_text(exc))

with audit_tab:
    st.caption(ui.tr("admin.audit_note"))
    by, action, since, until = st.columns(4)
    who_list = [r[0] for r in store.rows("SELECT DISTINCT who FROM audit_log ORDER BY who")]
    who = by.selectbox(
        ui.tr("admin.col.who"),
        ["", *who_list],
        key=f"audit_who_{lang}",
        format_func=lambda w: w or t("filter.all", lang),
    )
    act = action.selectbox(
        ui.tr("admin.col.action"),
        ["", *audit.ACTIONS],
        key=f"audit_action_{lang}",
        format_func=lambda a: t(f"audit.action.{a}", lang) if a else t("filter.all", lang),
    )
    start = since.date_input(ui.tr("admin.since"), value=None, key="audit_since", format="YYYY-MM-DD")
    end = until.date_input(ui.tr("admin.until"), value=None, key="audit_until", format="YYYY-MM-DD")
    entries = audit.entries(store, who=who or None, action=act or None, since=start, until=end)
    st.caption(ui.tr("admin.audit_count", n=len(entries)))
    shown = entries.assign(
        action=[ui.tr(f"audit.action.{a}") for a in entries["action"]],
        scope_kind=[ui.tr(f"admin.kind.{k}") for k in entries["scope_kind"]],
        scope_codes=[", ".join(c) for c in entries["scope_codes"]],
    )
    st.dataframe(
        shown.rename(columns={c: ui.tr(f"admin.col.{c}") for c in shown.columns}),
        hide_index=True,
        width="stretch",
    )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d_%H%M")
    st.download_button(
        ui.tr("common.download_csv"),
        ui.audited("download", f"audit_log_{stamp}.csv", lambda: audit.as_csv(entries)),
        file_name=f"audit_log_{stamp}.csv",
        mime="text/csv",
        key="audit_download",
        icon=":material/download:",
        on_click="ignore",
    )
