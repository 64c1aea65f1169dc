"""The Data page's submissions and review 填报与审核 and its history of uploads with rollback: the
reviewer's queue, one submission's row changes (before → after) with the actions this person may
take (approve, reject, withdraw, re-check), and rolling an applied upload back. Every action goes
through `pilotdash.submissions`, which checks the person's roles and scope on the server; the
person is read afresh from the sign-in for each action (`ui.person`), never from the page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import policy, submissions
from ..i18n import fmt_datetime, t
from ..ingest.apply import history, why_not_alone
from ..errors import Problem
from .frame import end_page
from .data import base_store, person, store
from .state import lang
from .text import plain
from .upload_forms import CHANGES, answer_first, data_changed, error_text, row_tabs, table_name

SUB_COLUMNS = ("submission_id", "table", "file_name", "submitted_by", "submitted_at", "state", "inserted",
               "updated", "rejected", "reviewed_by", "reason", "upload_id")
HISTORY_COLUMNS = ("upload_id", "table_name", "file_name", "uploaded_by", "uploaded_at", "inserted",
                   "updated", "unchanged", "rejected", "status", "rolled_back_by", "rolled_back_at", "sha256")
# A rollback's outcome, said on the run after it, once the history above the form shows it.
ROLLED_BACK = "_data_rolled_back"


def submissions_table(subs) -> None:
    language = lang()
    rows = [{"submission_id": s.submission_id, "table": table_name(s.table), "file_name": s.file_name,
             "submitted_by": s.submitted_by, "submitted_at": s.submitted_at,
             "state": submissions.state_label(s.shown_state, language), "inserted": s.inserted,
             "updated": s.updated, "rejected": s.rejected, "reviewed_by": s.reviewed_by or "",
             "reason": s.reason or "",
             "upload_id": s.upload_id} for s in subs]
    frame = pd.DataFrame(rows, columns=SUB_COLUMNS)
    st.dataframe(frame.rename(columns={c: t(f"data.sub.{c}", language) for c in SUB_COLUMNS}),
                 hide_index=True, width="stretch")


def submission_changes(sub):
    """Its rows against the current data, kept while neither the data nor the submission changed."""
    base = base_store()
    key = (sub.submission_id, base.data_version(), sub.checked_at)
    kept = st.session_state.get(CHANGES)
    if kept is None or kept[0] != key:
        kept = (key, submissions.changes(base, sub.submission_id, person()))
        st.session_state[CHANGES] = kept
    return kept[1]


def act(action, *args) -> None:
    """One review action (approve, reject, withdraw, re-check), checked in pilotdash.submissions."""
    language = lang()
    try:
        done = answer_first(lambda: action(base_store(), person(), *args))
    except Problem as exc:
        st.error(error_text(exc))
        return
    st.session_state.pop(CHANGES, None)
    if done.state == "approved":
        data_changed()
        st.success(t("data.sub_approved", language, submission_id=done.submission_id,
                     upload_id=done.upload_id))
    else:
        st.success(t("submissions.now", language, submission_id=done.submission_id,
                     state=submissions.state_label(done.shown_state, language)))


def decision(sub) -> None:
    """Who decided a submission and how (rejected with the reason, approved, rolled back)."""
    language = lang()
    if sub.state == "rejected":
        st.warning(t("data.sub_rejected", language, who=plain(sub.reviewed_by), reason=plain(sub.reason)),
                   icon=":material/block:")
    elif sub.state == "approved":
        st.success(t("data.sub_approved_by", language, who=plain(sub.reviewed_by), upload_id=sub.upload_id))
    elif sub.state == "rolled_back":
        st.info(t("data.sub_rolled_back", language, who=plain(sub.rolled_back_by), upload_id=sub.upload_id))


def show_submission(sub) -> None:
    """One submission: its state and who decided it, and while it waits its row changes against
    the current data (before → after), with the actions this person may take."""
    language = lang()
    st.markdown(f"**#{sub.submission_id} · {submissions.state_label(sub.shown_state, language)}** · "
                + t("data.sub_summary", language, table=table_name(sub.table), file=plain(sub.file_name),
                    who=plain(sub.submitted_by), at=fmt_datetime(sub.submitted_at, language)))
    decision(sub)
    if sub.state != "submitted":
        return
    found = submission_changes(sub)
    me = person()
    own = me is not None and sub.submitted_by == me.email
    if sub.stale:
        st.warning(t("data.sub_stale", language), icon=":material/history:")
        changed = found.changed_since.copy()
        changed["column"] = changed["column"].map(lambda c: found.plan.header(c, language))
        headers = {c: t(f"data.sub.changed.{c}", language) for c in changed.columns}
        st.dataframe(changed.rename(columns=headers),
                     hide_index=True, width="stretch")
        if st.button(t("data.recheck", language), key="data_sub_recheck", icon=":material/refresh:"):
            act(submissions.recheck, sub.submission_id)
    counts = found.plan.counts
    row_tabs([("inserts", counts.inserts if counts else 0, lambda: found.inserted(language)),
              ("updates", counts.updates if counts else 0, lambda: found.updated(language)),
              ("rejected", counts.rejected if counts else 0, lambda: found.rejected(language))])
    if own:
        st.caption(t("data.sub_own", language))
        if st.button(t("data.withdraw", language), key="data_sub_withdraw", icon=":material/undo:"):
            act(submissions.withdraw, sub.submission_id)
    elif policy.allowed(me, "approve", submissions.resource(sub)):  # asked again when clicked
        if st.button(t("data.approve", language), type="primary", key="data_sub_approve", disabled=sub.stale,
                     icon=":material/check:"):
            act(submissions.approve, sub.submission_id)
        reason = st.text_area(t("data.reject_reason", language), key="data_sub_reason", max_chars=500)
        if st.button(t("data.reject", language), key="data_sub_reject", icon=":material/block:"):
            act(submissions.reject, sub.submission_id, reason)


def submissions_section(person) -> None:
    """A reviewer's queue, then every submission this person may see, and the one chosen."""
    language = lang()
    try:
        waiting = submissions.queue(base_store(), person)
        seen = submissions.listing(base_store(), person)
    except Problem as exc:
        st.warning(error_text(exc))
        seen, waiting = [], []
    if submissions.reviews(person):
        st.subheader(t("data.queue", language, n=len(waiting)))
        if waiting:
            submissions_table(waiting)
        else:
            st.caption(t("data.queue_empty", language))
    st.subheader(t("data.sub_all", language))
    if not seen:
        st.caption(t("data.submissions_empty", language))
        return
    submissions_table(seen)
    by_id = {s.submission_id: s for s in seen}
    first = waiting[0].submission_id if waiting else seen[0].submission_id
    chosen_id = st.selectbox(
        t("data.sub_pick", language), list(by_id), index=list(by_id).index(first), key="data_sub_pick",
        format_func=lambda i: f"#{i} · {by_id[i].file_name} · "
                              f"{submissions.state_label(by_id[i].shown_state, language)}")
    show_submission(by_id[chosen_id])


def history_section(may_roll_back: bool) -> None:
    """The uploads of the person's pilots; a reviewer may roll an applied one back (with the
    later uploads it needs undone first), checked again in `submissions.rollback`."""
    language = lang()
    if done := st.session_state.pop(ROLLED_BACK, None):
        st.success(t("data.rolled_back", language, uploads=done))
    try:
        log = history(store())
    except Problem as exc:  # an upload elsewhere holds the store longer than a read waits
        st.warning(error_text(exc))
        end_page()
    if log.empty:
        st.info(t("data.history_empty", language))
        return
    shown = log[list(HISTORY_COLUMNS)].copy()
    shown["table_name"] = shown["table_name"].map(table_name)
    shown["status"] = shown["status"].map(lambda s: t(f"data.status.{s}", language))
    # times stored UTC, shown in the programme's zone; who rolled back and when ("" while applied)
    for column in ("uploaded_at", "rolled_back_at"):
        shown[column] = [fmt_datetime(v, language) if not pd.isna(v) else "" for v in shown[column]]
    shown["rolled_back_by"] = shown["rolled_back_by"].fillna("")
    st.dataframe(shown.rename(columns={c: t(f"data.col.{c}", language) for c in shown.columns}),
                 hide_index=True, width="stretch")
    applied = log.loc[log["status"] == "applied", "upload_id"].tolist()
    if may_roll_back and applied:
        rollback_form(log, applied)


def rollback_form(log: pd.DataFrame, applied: list) -> None:
    language = lang()
    st.subheader(t("data.rollback", language))
    target = st.selectbox(t("data.rollback_pick", language), applied, key="data_rollback_id",
                          format_func=lambda u: f"#{u} · {log.set_index('upload_id').loc[u, 'file_name']}")
    blocked = why_not_alone(store(), int(target))  # later uploads on its rows, or naming rows it added
    cascade = False
    if blocked is not None:
        st.warning(error_text(blocked))
        cascade_key = "data.rollback_cascade_dependents" if blocked.code == "ingest.err.later_dependents" else "data.rollback_cascade"
        cascade = st.checkbox(t(cascade_key, language, later=blocked.values["later"]), key="data_cascade")
    sure = st.checkbox(t("data.rollback_confirm", language), key="data_rollback_sure")
    if st.button(t("data.rollback", language), key="data_rollback",
                 disabled=not sure or (blocked is not None and not cascade)):
        try:
            done = answer_first(lambda: submissions.rollback(base_store(), person(), int(target), cascade=cascade))
        except Problem as exc:
            st.error(error_text(exc))
        else:
            data_changed()
            # run again so the history (drawn above) says rolled back at once, then the message
            st.session_state[ROLLED_BACK] = ", ".join(f"#{u}" for u in done)
            for key in ("data_rollback_sure", "data_cascade"):
                st.session_state.pop(key, None)
            st.rerun()
