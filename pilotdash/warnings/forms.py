"""The Warnings page's parts that act: its filters (each a URL parameter), one warning's record
with the forms that acknowledge or close it, and the subscriptions list with its form. Every
action goes through the ledger or subscriptions module, which ask the access policy
(pilotdash/policy.py) for the signed-in person, read afresh for each action."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from .. import ui
from ..domain import ENUMS
from ..errors import Problem
from ..filters import ViewState
from ..i18n import label, t
from . import ledger, subscriptions
from . import view as wv


def belt_grid(belts: pd.DataFrame, language: str) -> pd.DataFrame:
    """warnings_by_belt as a table: a row per belt (east to west), live warnings per level, and
    the overdue ones in all."""
    belt_codes, levels = list(ENUMS["belt"]), list(ENUMS["warning_level"])
    grid = belts.pivot(index="belt", columns="level", values="live").reindex(index=belt_codes, columns=levels)
    overdue = belts.groupby("belt")["overdue"].sum().reindex(belt_codes).fillna(0).astype(int)
    shown = grid.fillna(0).astype(int).rename(columns=lambda lv: wv.level_badge(lv, language))
    shown = shown.assign(**{t("warn.overdue_total", language): overdue})
    shown.insert(0, t("filter.belt", language), [label("belt", b, language) for b in shown.index])
    return shown.reset_index(drop=True)


def chooser(col, view: ViewState, param: str, options: list, words: Callable[[object], str], key: str) -> None:
    """A filter of the warnings list tied to URL parameter `param` (None: every value); a new
    choice forgets the chosen warning."""
    current = view.extra(param)
    values = [None, *options]
    col.selectbox(ui.tr(f"warn.filter.{param}"), values, index=values.index(current) if current in values else 0,
                  key=key, format_func=lambda v: t("warn.all", view.lang) if v is None else words(v),
                  on_change=lambda: ui.set_view(**{param: st.session_state[key], "warning": None}))


def filters(view: ViewState, owner_names: dict[str, str]) -> None:
    """The page's four filters: level, state, condition and owner."""
    language = view.lang
    cols = st.columns(4)
    chooser(cols[0], view, "level", list(ENUMS["warning_level"]), lambda lv: wv.level_badge(lv, language),
            "warn_f_level")
    chooser(cols[1], view, "wstate", ["overdue", *ENUMS["warning_state"], "all"],
            lambda s: t(f"warn.wstate.{s}", language), "warn_f_state")
    chooser(cols[2], view, "condition", list(ENUMS["warning_condition"]),
            lambda c: label("warning_condition", c, language), "warn_f_condition")
    chooser(cols[3], view, "owner", list(owner_names), lambda k: owner_names.get(k, k), "warn_f_owner")


def _act(action: Callable[[], object], done_key: str) -> None:
    """Run a ledger action; on success note `done_key`'s words and rerun, else say what was wrong."""
    try:
        action()
        st.session_state["warn_done"] = ui.tr(done_key)
        st.rerun()
    except Problem as err:  # a missing note or date, a closed warning, or refused or not there (one answer, audited)
        st.error(err.markdown(ui.lang()), icon=":material/error:")


def record(store, row: pd.Series, warning_id: int, language: str) -> None:
    """One warning: what raised it, its state and responses, the forms that acknowledge it (a note
    and a plan date) or close it (a reason), and its history."""
    st.markdown(f"**#{warning_id} · {wv.level_badge(row.level)} · {label('warning_condition', row.condition, language)}**")
    st.page_link("pages/project.py", label=ui.plain(f"{row.project_id} · {ui.project_name(row)}"), icon=":material/article:",
                 query_params=ui.nav_params(project=row.project_id))
    st.caption(ui.tr("warn.facts", trigger=ui.plain(wv.trigger_text(row)), detail=ui.plain(wv.detail_text(row)), raised=wv.day(row.raised_on),
                     respond=wv.when(row.respond_by), owner=ui.plain(row.owner or "—"),
                     state=wv.state_word(row.state, bool(row.overdue))))
    if isinstance(row.response_note, str) and row.response_note:
        st.markdown(ui.tr("warn.response_shown", plan=wv.day(row.plan_date), who=ui.plain(row.acknowledged_by or "—")))
        st.text(row.response_note)  # anyone's text: shown as text, never markdown
    if isinstance(row.close_reason, str) and row.close_reason:
        st.markdown(ui.tr("warn.closed_shown", who=ui.plain(row.closed_by or "—")))
        st.text(row.close_reason)
    if int(row.pending_notices):
        st.warning(ui.tr("warn.pending_here", n=int(row.pending_notices)), icon=":material/schedule_send:")
    actor = ui.person()
    if row.state in ("open", "acknowledged"):
        with st.form(f"ack_{warning_id}", clear_on_submit=False):
            note = st.text_area(ui.tr("warn.note"), max_chars=ledger.NOTE_MAX, key=f"ack_note_{warning_id}")
            plan = st.date_input(ui.tr("warn.plan_date"), value=None, key=f"ack_plan_{warning_id}",
                                 min_value=dt.date(2000, 1, 1))
            if st.form_submit_button(ui.tr("warn.acknowledge"), type="primary"):
                _act(lambda: ledger.acknowledge(store, warning_id, actor, note, plan), "warn.acknowledged")
    if row.state != "closed":
        with st.form(f"close_{warning_id}"):
            reason = st.text_input(ui.tr("warn.reason"), max_chars=ledger.NOTE_MAX, key=f"close_reason_{warning_id}")
            if st.form_submit_button(ui.tr("warn.close")):
                _act(lambda: ledger.close(store, warning_id, actor, reason), "warn.closed")
    if done := st.session_state.pop("warn_done", None):
        st.success(done, icon=":material/check:")
    events = wv.query("warnings_events", None, warning=warning_id)
    st.markdown(f"**{ui.tr('warn.history', n=len(events))}**")
    ui.table(wv.history_frame(events), f"warning_{warning_id}_history", wv.history_columns(),
             key=f"warn_hist_{warning_id}")


def subscriptions_editor(store, language: str) -> None:
    """Who is told of new and escalated warnings: the person's own active subscriptions (an admin's:
    everyone's, with whose), each with a button that ends it, and the form that adds one (scope
    within the person's, minimum level, e-mail and/or a group robot)."""
    me = ui.person()
    for sub in subscriptions.visible(store, me):
        if not sub.active:
            continue
        line, end = st.columns([5, 1], vertical_alignment="center")
        channel = " · ".join(filter(None, [sub.email, sub.webhook_kind and ui.tr(f"warn.sub.kind.{sub.webhook_kind}")]))
        whose = "" if me is not None and sub.owner == me.email else f" · {sub.owner or ui.tr('warn.sub.no_owner')}"
        line.text(f"{sub.name} · {ui.tr(f'warn.sub.scope.{sub.scope_kind}')} {','.join(sub.scope_codes)} · "
                  f"≥ {wv.level_badge(sub.min_level)} · {sub.lang} · {channel}{whose}")
        if end.button(ui.tr("warn.sub.end"), key=f"warn_sub_end_{sub.subscription_id}"):
            try:
                subscriptions.deactivate(store, ui.person(), sub.subscription_id)
                st.rerun()
            except Problem as err:  # not theirs (audited), or ended meanwhile: the same answer
                st.error(ui.tr("warn.err.not_allowed") if err.code.startswith("access.") else ui.tr(err.code, **err.values),
                         icon=":material/block:")
    with st.form("warn_subscribe"):
        a, b, c = st.columns(3)
        name = a.text_input(ui.tr("warn.sub.name"), max_chars=80)
        sub_lang = b.selectbox(ui.tr("warn.sub.lang"), ["zh", "en"], format_func={"zh": "中文", "en": "English"}.get)
        min_level = c.selectbox(ui.tr("warn.sub.min_level"), list(ENUMS["warning_level"]), index=1,
                                format_func=lambda lv: wv.level_badge(lv, language))
        a, b = st.columns([1, 2])
        # offered at the person's own scope (a wider one is refused by the policy when sent)
        own_kind, own_codes = subscriptions.own_scope(me, store)
        scope_kind = a.selectbox(ui.tr("warn.sub.scope"), list(subscriptions.SCOPES),
                                 index=list(subscriptions.SCOPES).index(own_kind),
                                 format_func=lambda k: t(f"warn.sub.scope.{k}", language))
        codes = b.text_input(ui.tr("warn.sub.codes"), value=",".join(own_codes), help=ui.tr("warn.sub.codes_help"))
        a, b, c, d = st.columns(4)
        address = a.text_input(ui.tr("warn.sub.email"))
        kind = b.selectbox(ui.tr("warn.sub.webhook_kind"), [None, *subscriptions.WEBHOOKS],
                           format_func=lambda k: t("warn.sub.no_robot" if k is None else f"warn.sub.kind.{k}", language))
        url = c.text_input(ui.tr("warn.sub.webhook_url"))
        secret = d.text_input(ui.tr("warn.sub.secret"), type="password", help=ui.tr("warn.sub.secret_help"))
        if st.form_submit_button(ui.tr("warn.sub.add"), type="primary"):
            try:
                subscriptions.add(store, ui.person(), name, lang=sub_lang, scope_kind=scope_kind,
                                  scope_codes=codes.replace("，", ",").split(","), min_level=min_level, email=address,
                                  webhook_kind=kind, webhook_url=url, webhook_secret=secret)
                st.success(ui.tr("warn.sub.added"), icon=":material/check:")
            except Problem as err:  # a bad field, or a scope wider than the person's (audited)
                st.error(err.markdown(language), icon=":material/error:")
