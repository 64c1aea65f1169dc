"""Warnings 预警: the early warnings of the filtered pilots, worst and most overdue first, with
counts by level and belt; choose one to see its history, acknowledge it with a response note and
a plan date, or close it with a reason. Filters (level, state, condition, owner, the chosen
warning) live in the URL like every page's."""

import datetime as dt

import streamlit as st

from pilotdash import ui
from pilotdash.domain import ENUMS
from pilotdash.i18n import label, t
from pilotdash.warnings import digest, ledger, permissions, subscriptions
from pilotdash.warnings import view as wv

view = ui.header("page.warnings")
lang = view.lang
store = ui.store()


def word(key: str) -> str:  # for format_func: the view's language, bound now (not looked up later)
    return t(key, lang)


def badge(level: str) -> str:
    return wv.level_badge(level, lang)


wv.level_metrics(view, ui.tr("page.warnings"))

belts = wv.query("warnings_by_belt", view)
with st.expander(ui.tr("warn.by_belt")):
    grid = (
        belts.pivot(index="belt", columns="level", values="live")
        .reindex(index=list(ENUMS["belt"]), columns=list(ENUMS["warning_level"]))
        .fillna(0)
        .astype(int)
    )
    overdue = belts.groupby("belt")["overdue"].sum().reindex(list(ENUMS["belt"])).fillna(0).astype(int)
    shown = grid.rename(columns=lambda lv: wv.level_badge(lv)).assign(
        **{ui.tr("warn.overdue_total"): overdue}
    )
    shown.insert(0, ui.tr("filter.belt"), [label("belt", b, lang) for b in shown.index])
    ui.table(
        shown.reset_index(drop=True), "warnings_by_belt", key="warn_by_belt", title=ui.tr("warn.by_belt")
    )

# The page's own filters, each a URL parameter.
owners = wv.query("warnings_owners")
owner_names = dict(zip(owners["owner_key"], owners["owner"]))
cols = st.columns(4)


def chooser(col, param: str, options: list, words, key: str) -> None:
    current = view.extra(param)
    values = [None, *options]
    index = values.index(current) if current in values else 0
    col.selectbox(
        ui.tr(f"warn.filter.{param}"),
        values,
        index=index,
        key=key,
        format_func=lambda v: word("warn.all") if v is None else words(v),
        on_change=lambda: ui.set_view(**{param: st.session_state[key], "warning": None}),
    )


chooser(cols[0], "level", list(ENUMS["warning_level"]), badge, "warn_f_level")
chooser(
    cols[1],
    "wstate",
    ["overdue", *ENUMS["warning_state"], "all"],
    lambda s: word(f"warn.wstate.{s}"),
    "warn_f_state",
)
chooser(
    cols[2],
    "condition",
    list(ENUMS["warning_condition"]),
    lambda c: label("warning_condition", c, lang),
    "warn_f_condition",
)
chooser(cols[3], "owner", list(owner_names), lambda k: owner_names.get(k, k), "warn_f_owner")
if view.extra("wstate") is None:
    st.caption(ui.tr("warn.live_note"))

rows = wv.query(
    "warnings_list",
    view,
    level=view.extra("level"),
    wstate=view.extra("wstate"),
    condition=view.extra("condition"),
    owner_key=view.extra("owner"),
)
st.subheader(ui.tr("warn.list_title", n=len(rows)))
if rows.empty:
    st.info(ui.tr("warn.none"), icon=":material/notifications_off:")
else:
    ui.paged_table(
        rows,
        "warnings",
        wv.columns(),
        "warnings",
        shape=wv.shaped,
        title=ui.tr("warn.list_title", n=len(rows)),
        phone=wv.PHONE_COLUMNS,
    )

# One warning: its history and the responses.
ids = [int(w) for w in rows["warning_id"]]
chosen = view.extra("warning")
chosen_id = int(chosen) if chosen and chosen.isdigit() else None
if chosen_id is not None and chosen_id not in ids:
    ids.insert(0, chosen_id)
labels = {
    int(r.warning_id): f"#{int(r.warning_id)} · {wv.level_badge(r.level)} · {r.project_id} · "
    f"{label('warning_condition', r.condition, lang)}"
    for r in rows.itertuples()
}
if ids:
    st.selectbox(
        ui.tr("warn.choose"),
        [None, *ids],
        index=([None, *ids].index(chosen_id)),
        format_func=lambda w: word("warn.choose_none") if w is None else labels.get(w, f"#{w}"),
        key="warn_choose",
        on_change=lambda: ui.set_view(warning=st.session_state["warn_choose"]),
    )

if chosen_id is not None:
    one = wv.query("warnings_list", None, warning=chosen_id, wstate="all")
    if one.empty:
        st.warning(ui.tr("warn.no_such", id=chosen_id), icon=":material/link_off:")
    else:
        row = one.iloc[0]
        with st.container(border=True):
            st.markdown(
                f"**#{chosen_id} · {wv.level_badge(row.level)} · "
                f"{label('warning_condition', row.condition, lang)}**"
            )
            st.page_link(
                "views/project.py",
                label=f"{row.project_id} · {ui.project_name(row)}",
                icon=":material/article:",
                query_params=ui.nav_params(project=row.project_id),
            )
            st.caption(
                ui.tr(
                    "warn.facts",
                    trigger=wv.trigger_text(row),
                    detail=wv.detail_text(row),
                    raised=wv.day(row.raised_on),
                    respond=wv.when(row.respond_by),
                    owner=row.owner or "—",
                    state=wv.state_word(row.state, bool(row.overdue)),
                )
            )
            if isinstance(row.response_note, str) and row.response_note:
                st.markdown(
                    ui.tr("warn.response_shown", plan=wv.day(row.plan_date), who=row.acknowledged_by or "—")
                )
                st.text(row.response_note)  # anyone's text: shown as text, never markdown
            if isinstance(row.close_reason, str) and row.close_reason:
                st.markdown(ui.tr("warn.closed_shown", who=row.closed_by or "—"))
                st.text(row.close_reason)
            if int(row.pending_notices):
                st.warning(
                    ui.tr("warn.pending_here", n=int(row.pending_notices)), icon=":material/schedule_send:"
                )
            actor = permissions.current()
            if row.state in ("open", "acknowledged"):
                with st.form(f"ack_{chosen_id}", clear_on_submit=False):
                    note = st.text_area(
                        ui.tr("warn.note"), max_chars=ledger.NOTE_MAX, key=f"ack_note_{chosen_id}"
                    )
                    plan = st.date_input(
                        ui.tr("warn.plan_date"),
                        value=None,
                        key=f"ack_plan_{chosen_id}",
                        min_value=dt.date(2000, 1, 1),
                    )
                    if st.form_submit_button(ui.tr("warn.acknowledge"), type="primary"):
                        try:
                            ledger.acknowledge(store, chosen_id, actor, note, plan)
                            st.session_state["warn_done"] = ui.tr("warn.acknowledged")
                            st.rerun()
                        except ledger.WarningError as err:
                            st.error(ui.tr(f"warn.err.{err.code}", **err.values), icon=":material/error:")
                        except permissions.NotAllowed:
                            st.error(ui.tr("warn.err.not_allowed"), icon=":material/block:")
            if row.state != "closed":
                with st.form(f"close_{chosen_id}"):
                    reason = st.text_input(
                        ui.tr("warn.reason"), max_chars=ledger.NOTE_MAX, key=f"close_reason_{chosen_id}"
                    )
                    if st.form_submit_button(ui.tr("warn.close")):
                        try:
                            ledger.close(store, chosen_id, actor, reason)
                            st.session_state["warn_done"] = ui.tr("warn.closed")
                            st.rerun()
                        except ledger.WarningError as err:
                            st.error(ui.tr(f"warn.err.{err.code}", **err.values), icon=":material/error:")
                        except permissions.NotAllowed:
                            st.error(ui.tr("warn.err.not_allowed"), icon=":material/block:")
            if done := st.session_state.pop("warn_done", None):
                st.success(done, icon=":material/check:")
            events = wv.query("warnings_events", None, warning=chosen_id)
            st.markdown(f"**{ui.tr('warn.history', n=len(events))}**")
            ui.table(
                wv.history_frame(events),
                f"warning_{chosen_id}_history",
                wv.history_columns(),
                key=f"warn_hist_{chosen_id}",
            )

# Notices still waiting to be delivered (retried with back-off; never dropped).
pending = wv.query("warnings_notices", None, pending="yes")
if not pending.empty:
    with st.expander(ui.tr("warn.pending_list", n=len(pending)), icon=":material/schedule_send:"):
        ui.table(
            wv.pending_frame(pending), "warning_notices_pending", wv.pending_columns(), key="warn_pending"
        )

# The digest 周报/月报 of the view's filters, as a printable file.
left, right = st.columns([1, 3], vertical_alignment="bottom")
period = (
    left.segmented_control(
        ui.tr("warn.digest.period_choice"),
        list(digest.PERIODS),
        default="week",
        format_func=lambda p: word(f"warn.digest.{p}"),
        key="warn_digest_period",
    )
    or "week"
)
as_of = ui.as_of(view)
scope = {"belt": list(view.get("belt")) or None, "province": list(view.get("province")) or None}
right.download_button(
    ui.tr("warn.digest.download"),  # made only when downloaded
    ui.audited("report", f"warnings_{period}_{as_of.isoformat()}_{lang}.html",
               lambda: digest.build(store, period, as_of, lang, **scope).html.encode("utf-8")),
    file_name=f"warnings_{period}_{as_of.isoformat()}_{lang}.html",
    mime="text/html",
    icon=":material/download:",
    key="warn_digest_download",
)

# Subscriptions: who is told of new and escalated warnings, by scope and minimum level.
with st.expander(ui.tr("warn.sub.title"), icon=":material/notifications_active:"):
    for sub in subscriptions.list_all(store):
        if not sub.active:
            continue
        line, end = st.columns([5, 1], vertical_alignment="center")
        channel = " · ".join(
            filter(None, [sub.email, sub.webhook_kind and ui.tr(f"warn.sub.kind.{sub.webhook_kind}")])
        )
        line.text(
            f"{sub.name} · {ui.tr(f'warn.sub.scope.{sub.scope_kind}')} {','.join(sub.scope_codes)} · "
            f"≥ {wv.level_badge(sub.min_level)} · {sub.lang} · {channel}"
        )
        if end.button(ui.tr("warn.sub.end"), key=f"warn_sub_end_{sub.subscription_id}"):
            try:
                subscriptions.deactivate(store, permissions.current(), sub.subscription_id)
                st.rerun()
            except permissions.NotAllowed:
                st.error(ui.tr("warn.err.not_allowed"), icon=":material/block:")
    with st.form("warn_subscribe"):
        a, b, c = st.columns(3)
        name = a.text_input(ui.tr("warn.sub.name"), max_chars=80)
        sub_lang = b.selectbox(
            ui.tr("warn.sub.lang"), ["zh", "en"], format_func=lambda x: {"zh": "中文", "en": "English"}[x]
        )
        min_level = c.selectbox(
            ui.tr("warn.sub.min_level"), list(ENUMS["warning_level"]), index=1, format_func=badge
        )
        a, b = st.columns([1, 2])
        scope_kind = a.selectbox(
            ui.tr("warn.sub.scope"),
            list(subscriptions.SCOPES),
            format_func=lambda k: word(f"warn.sub.scope.{k}"),
        )
        codes = b.text_input(ui.tr("warn.sub.codes"), help=ui.tr("warn.sub.codes_help"))
        a, b, c, d = st.columns(4)
        address = a.text_input(ui.tr("warn.sub.email"))
        kind = b.selectbox(
            ui.tr("warn.sub.webhook_kind"),
            [None, *subscriptions.WEBHOOKS],
            format_func=lambda k: word("warn.sub.no_robot") if k is None else word(f"warn.sub.kind.{k}"),
        )
        url = c.text_input(ui.tr("warn.sub.webhook_url"))
        secret = d.text_input(ui.tr("warn.sub.secret"), type="password", help=ui.tr("warn.sub.secret_help"))
        if st.form_submit_button(ui.tr("warn.sub.add"), type="primary"):
            try:
                subscriptions.add(
                    store,
                    permissions.current(),
                    name,
                    lang=sub_lang,
                    scope_kind=scope_kind,
                    scope_codes=codes.replace("，", ",").split(","),
                    min_level=min_level,
                    email=address,
                    webhook_kind=kind,
                    webhook_url=url,
                    webhook_secret=secret,
                )
                st.success(ui.tr("warn.sub.added"), icon=":material/check:")
            except subscriptions.SubscriptionError as err:
                st.error(ui.tr(f"warn.sub.err.{err.code}", **err.values), icon=":material/error:")
            except permissions.NotAllowed:
                st.error(ui.tr("warn.err.not_allowed"), icon=":material/block:")
