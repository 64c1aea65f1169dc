"""The admin page's forms: the people who may sign in (add, change, enable, disable; every change
audited in `pilotdash.people`) and the audit log (filtered, downloaded). Admins only: `admin()`
is checked before the page draws anything and again in every action (`pilotdash.people` checks
once more), so a page opened by its address or a replayed click by anyone else changes nothing."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from .. import audit, people, policy
from ..errors import Problem
from ..i18n import fmt_datetime, t
from ..scope import KINDS
from .data import base_store
from .frame import end_page, in_frame
from . import sign_in
from .report import audited, download
from .state import lang, tr

DONE = "admin_done"  # session key: the message of the change just written


def admin() -> people.Person:
    """The signed-in admin, or the run ends with a refusal (nothing else is drawn). Read from the
    people table in this run (not the page's short-lived copy): a role taken away holds at once."""
    in_frame()  # before the check: the admin page opens with it, not with the header
    who = sign_in.lookup(base_store())
    if not policy.allowed(who, "people_manage"):
        if who is not None:  # a signed-in person at the page (its address, a replayed click): audited
            policy.refuse(base_store(), who, "people_manage", "admin page")
        st.error(tr("admin.refused"), icon=":material/lock:")
        end_page()
    return who


def role_words(roles) -> str:
    return ", ".join(tr(f"role.{r}") for r in people.ROLES if r in roles)


def person_form(key: str, before: people.Person | None) -> dict | None:
    """The fields of a person (filled from `before` when changing one); their values when sent.
    The choices' keys carry the language: a widget keeps the words it was drawn with, so after a
    change of language it is drawn afresh."""
    language = lang()
    with st.form(key, clear_on_submit=before is None):
        email = st.text_input(tr("admin.col.email"), key=f"{key}_email") if before is None else before.email
        name = st.text_input(tr("admin.col.name"), value=before.name if before else "", key=f"{key}_name")
        kind = st.selectbox(tr("admin.scope_kind"), KINDS,
                            index=KINDS.index(before.scope.kind) if before else 0,
                            format_func=lambda k: t(f"admin.kind.{k}", language),
                            key=f"{key}_kind_{language}")
        codes = st.text_input(tr("admin.scope_codes"), value=", ".join(before.scope.codes) if before else "",
                              help=tr("admin.scope_codes_help"), key=f"{key}_codes")
        roles = st.multiselect(tr("admin.col.roles"), people.ROLES,
                               default=[r for r in people.ROLES if before and r in before.roles],
                               format_func=lambda r: t(f"role.{r}", language), key=f"{key}_roles_{language}",
                               placeholder=tr("admin.roles_placeholder"))
        sent = st.form_submit_button(tr("admin.add" if before is None else "admin.save"), type="primary")
    if not sent:
        return None
    return {"email": email, "name": name, "kind": kind, "codes": codes, "roles": roles}


def change(write, message) -> None:
    """One change of people (`write(admin)`, the admin checked afresh): when written, the page
    is drawn again with it and says so (`message(written)`); a refusal or a bad field is said
    where the form is."""
    try:
        written = write(admin())
    except Problem as exc:  # a bad field, or refused by the access policy (and audited there)
        st.error(exc.markdown(lang()))
        return
    st.session_state[DONE] = message(written)
    st.rerun()


def people_table(everyone: list[people.Person]) -> None:
    language = lang()
    st.dataframe(pd.DataFrame({
        tr("admin.col.email"): [p.email for p in everyone],
        tr("admin.col.name"): [p.name for p in everyone],
        tr("admin.col.scope"): [p.scope.describe(language) for p in everyone],
        tr("admin.col.roles"): [role_words(p.roles) for p in everyone],
        tr("admin.col.state"): [tr("admin.disabled" if p.disabled else "admin.enabled") for p in everyone],
    }), hide_index=True, width="stretch")


def add_form(store) -> None:
    st.subheader(tr("admin.add_title"))
    if (sent := person_form("admin_add", None)) is not None:
        change(lambda by: people.add(store, by, sent["email"], sent["name"],
                                     people.parse_scope(sent["kind"], sent["codes"]), sent["roles"]),
               lambda added: tr("admin.added", email=added.email))


def change_form(store, everyone: list[people.Person]) -> None:
    """One person's name, scope and roles, and enabling or disabling them."""
    st.subheader(tr("admin.change_title"))
    chosen = st.selectbox(tr("admin.pick"), [p.email for p in everyone], key="admin_pick")
    before = next(p for p in everyone if p.email == chosen)
    if (sent := person_form(f"admin_set_{chosen}", before)) is not None:
        change(lambda by: people.set_person(store, by, chosen, name=sent["name"], roles=sent["roles"],
                                            scope=people.parse_scope(sent["kind"], sent["codes"])),
               lambda _: tr("admin.saved", email=chosen))
    if before.disabled:
        if st.button(tr("admin.enable", email=chosen), key="admin_enable", icon=":material/person_check:"):
            change(lambda by: people.set_person(store, by, chosen, disabled=False),
                   lambda _: tr("admin.enabled_done", email=chosen))
    elif st.button(tr("admin.disable", email=chosen), key="admin_disable", icon=":material/person_off:"):
        change(lambda by: people.disable(store, by, chosen),
               lambda _: tr("admin.disabled_done", email=chosen))


def audit_filters(store) -> dict:
    """Whose, which action, refused or done, from and until: the audit log's filters, as
    `audit.entries` takes them."""
    language = lang()
    by, action, done, since, until = st.columns(5)
    who = by.selectbox(tr("admin.col.who"), ["", *audit.writers(store)], key=f"audit_who_{language}",
                       format_func=lambda w: w or t("filter.all", language))
    act = action.selectbox(tr("admin.col.action"), ["", *audit.ACTIONS], key=f"audit_action_{language}",
                           format_func=lambda a: t(f"audit.action.{a}", language) if a
                           else t("filter.all", language))
    refused = done.selectbox(tr("admin.col.refused"), [None, True, False], key=f"audit_refused_{language}",
                             format_func=lambda r: t("filter.all" if r is None else
                                                     "admin.refused_only" if r else "admin.done_only", language))
    start = since.date_input(tr("admin.since"), value=None, key="audit_since", format="YYYY-MM-DD")
    end = until.date_input(tr("admin.until"), value=None, key="audit_until", format="YYYY-MM-DD")
    return {"who": who or None, "action": act or None, "refused": refused, "since": start, "until": end}


def audit_table(entries: pd.DataFrame) -> None:
    """The entries in words, and their download (itself audited)."""
    shown = entries.assign(
        action=[tr(f"audit.action.{a}") for a in entries["action"]],
        scope_kind=[tr(f"admin.kind.{k}") for k in entries["scope_kind"]],
        scope_codes=[", ".join(c) for c in entries["scope_codes"]],
        refused=[tr("admin.refused_yes") if r else "" for r in entries["refused"]],
        at=[fmt_datetime(v, lang()) for v in entries["at"]],  # stored UTC, shown in the programme's zone
    )
    st.dataframe(shown.rename(columns={c: tr(f"admin.col.{c}") for c in shown.columns}), hide_index=True,
                 width="stretch")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%d_%H%M")
    download(st, tr("common.download_csv"),
             audited("download", f"audit_log_{stamp}.csv", lambda: audit.as_csv(entries)),
             file_name=f"audit_log_{stamp}.csv", mime="text/csv", key="audit_download",
             icon=":material/download:", on_click="ignore")
