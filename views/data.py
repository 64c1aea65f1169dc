"""Data 数据管理: upload an analyst's file (check, preview, then apply or submit for review), the
submissions and the reviewer's queue 填报与审核, the history of uploads with rollback, and the
templates to fill in. Every action goes through `pilotdash.submissions` (or `access.require`),
which checks the person's roles and scope on the server; the person comes from the sign-in
(`access.current` → `people.current`), never from the page. Nothing is written before the analyst
confirms, and a submission changes no number until a reviewer approves it."""

import pandas as pd
import streamlit as st

from pilotdash import access, submissions, ui
from pilotdash.domain import TABLES
from pilotdash.i18n import t
from pilotdash.ingest import templates
from pilotdash.ingest.apply import UploadError, history, later_uploads
from pilotdash.ingest.formats import max_bytes
from pilotdash.ingest.plan import prepare
from pilotdash.people import NotAllowed
from pilotdash.scope import OutOfScope
from pilotdash.store import StoreError
from pilotdash.submissions import SubmissionError

view = ui.header("page.data")
lang = view.lang
store = ui.store()  # the person's view: the history lists the uploads of their pilots
base = ui.base_store()  # uploads and submissions are checked against every row (pilotdash.submissions)
who = access.current()
person = who.person
review = person is not None and submissions.needs_review(person)
_PLAN = "data_plan"
_CHANGES = "data_submission_changes"
REFUSED = (access.AccessDenied, NotAllowed, OutOfScope, SubmissionError, UploadError, StoreError)


def table_name(table: str) -> str:
    return t(f"ingest.table.{table}", lang)


def error_text(exc: Exception) -> str:
    if isinstance(exc, access.AccessDenied):
        return t("ingest.err.not_allowed", lang)
    if isinstance(exc, StoreError) and not hasattr(exc, "key"):
        return t("common.store_unavailable", lang)
    return submissions.message(exc, lang)


def progress_bar():
    bar = st.progress(0.0)
    return bar, lambda share, step: bar.progress(share, text=t("data.progress", lang, step=t(f"data.step.{step}", lang)))


def data_changed() -> None:
    """After an apply or rollback every page shows the new numbers."""
    st.cache_data.clear()
    ui.clear_caches()
    st.session_state.pop(_PLAN, None)
    st.session_state.pop(_CHANGES, None)


def apply_plan(plan, mode: str) -> None:
    """Apply the plan, or for a person who needs review store it as a submission (no number
    changes); `submissions.submit` checks the role and the rows' scope."""
    try:
        bar, report_progress = progress_bar()
        outcome = submissions.submit(base, access.current().person, plan, mode, progress=report_progress)
        bar.empty()
        if outcome.submission is not None:
            st.session_state.pop(_PLAN, None)
            st.success(t("submissions.submitted", lang, submission_id=outcome.submission.submission_id))
            return
        result = outcome.applied
        data_changed()
        st.success(t("data.applied", lang, upload_id=result.upload_id,
                     inserted=result.inserted, updated=result.updated))
    except REFUSED as exc:
        st.error(error_text(exc))


def rejected_download(plan, primary: bool = False) -> None:
    st.download_button(t("ingest.rejected_file", lang, rejected=plan.counts.rejected), plan.rejected_file(lang),
                       file_name=plan.rejected_file_name(), key="data_rejected_file", mime="text/csv",
                       type="primary" if primary else "secondary", icon=":material/download:")


def show_plan(plan) -> None:
    """The preview of a checked file: how it was read, what is wrong with it (file problems as
    whole sentences, row problems as a table), what would change, and what can be applied."""
    if plan.grid is not None:
        if plan.table and plan.counts:
            st.caption(t("data.recognised", lang, table=table_name(plan.table), rows=plan.counts.rows,
                         encoding=plan.encoding_label(lang)))
        else:
            st.caption(t("data.file_read", lang, name=plan.file_name, encoding=plan.encoding_label(lang)))
    for message in plan.file_messages(lang):
        st.error(message, icon=":material/block:")
    if plan.portal_export:
        st.download_button(t("ingest.portal_template", lang), templates.template("readings", lang, "csv", True),
                           file_name=templates.file_name("readings", "csv", True), key="data_portal_template",
                           type="primary", icon=":material/download:")
    if not plan.readable:
        return
    c = plan.counts
    cols = st.columns(5)
    cols[0].metric(t("data.inserts", lang), c.inserts)
    cols[1].metric(t("data.updates", lang), c.updates)
    cols[2].metric(t("data.unchanged", lang), c.unchanged)
    cols[3].metric(t("data.rejected", lang), c.rejected)
    cols[4].metric(t("data.warnings", lang), c.warnings)
    if plan.already_applied:
        st.info(t("data.already_applied", lang, upload_id=plan.already_applied))
    report = plan.row_report(lang)
    if len(report):
        st.subheader(t("data.problems", lang))
        st.dataframe(report.fillna(""), hide_index=True, width="stretch")
        st.download_button(t("data.error_file", lang), ui.csv_bytes(plan.report(lang)),
                           file_name=f"{plan.file_name.rsplit('.', 1)[0]}_errors.csv", key="data_errors")
    # One tab per kind of row, each with its count; the first with rows is the one open.
    kinds = [("inserts", c.inserts, lambda: plan.preview("insert", lang)),
             ("updates", c.updates, lambda: plan.updates(lang)),
             ("unchanged", c.unchanged, lambda: plan.preview("unchanged", lang)),
             ("rejected", c.rejected, lambda: plan.rejected(lang))]
    labels = [f"{t(f'data.{k}', lang)} ({n})" for k, n, _ in kinds]
    opened = next((label for label, (_, n, _) in zip(labels, kinds) if n), labels[0])
    for tab, (_, n, rows_of) in zip(st.tabs(labels, default=opened), kinds):
        with tab:
            if n:
                tab.dataframe(rows_of(), hide_index=True, width="stretch")
            else:
                st.caption(t("data.tab_empty", lang))
    if plan.all_rejected:
        st.error(t("ingest.all_rejected", lang, rejected=c.rejected), icon=":material/block:")
        rejected_download(plan, primary=True)
    elif c.rejected:
        valid = c.rows - c.rejected
        st.warning(t("ingest.partly_rejected", lang, rejected=c.rejected, rows=c.rows, valid=valid),
                   icon=":material/rule:")
        with st.container(horizontal=True, gap="small"):
            if plan.changes:
                clicked = st.button(t("ingest.submit_valid" if review else "ingest.apply_valid", lang, valid=valid,
                                      rejected=c.rejected), type="primary", key="data_apply_valid",
                                    icon=":material/check:")
            else:
                clicked = False
            rejected_download(plan)
        if clicked:
            apply_plan(plan, "valid_rows")
    elif plan.changes == 0:
        st.info(t("data.nothing_changed", lang))
    elif st.button(t("data.submit" if review else "data.confirm", lang), type="primary", key="data_apply"):
        apply_plan(plan, "clean_only")
    if review:
        st.caption(t("data.review_note", lang))


# Who is here ---------------------------------------------------------------------------------
if who.single_user:
    st.info(t("data.single_user", lang, user=who.name), icon=":material/person:")
elif person is not None:
    st.caption(t("data.signed_in_as", lang, user=who.name))
    st.button(t("data.sign_out", lang), on_click=st.logout)
    if not who.allowed and not person.may("reviewer"):
        st.warning(t("data.read_only", lang), icon=":material/lock:")
st.caption(t("data.intro", lang))

upload_tab, submissions_tab, history_tab, templates_tab = st.tabs(
    [t("data.tab_upload", lang), t("data.tab_submissions", lang), t("data.tab_history", lang),
     t("data.tab_templates", lang)]
)

# Upload: check and preview, then confirm ------------------------------------------------------
with upload_tab:
    if who.allowed:
        limit = max_bytes()
        uploaded = ui.file_uploader(t("data.file", lang, limit=f"{limit / 1048576:.0f}"),
                                    ["csv", "txt", "tsv", "xlsx"], key="data_file")
        chosen = st.selectbox(t("data.table", lang), ["", *TABLES], key="data_table",
                              format_func=lambda x: table_name(x) if x else t("data.table_auto", lang))
        if uploaded is not None and st.button(t("data.preview", lang), key="data_preview"):
            try:
                access.require("submitter")
                bar, report = progress_bar()
                st.session_state[_PLAN] = prepare(base, uploaded.name, uploaded.getvalue(), chosen or None,
                                                  progress=report, limit=limit, scope=person.scope)
                bar.empty()
            except (access.AccessDenied, StoreError) as exc:
                st.error(error_text(exc))

        plan = st.session_state.get(_PLAN)
        if plan is not None:
            show_plan(plan)
    else:
        st.info(t("ingest.err.not_allowed", lang))

# Submissions and review 填报与审核 ------------------------------------------------------------------
SUB_COLUMNS = ("submission_id", "table", "file_name", "submitted_by", "submitted_at", "state", "inserted", "updated",
               "rejected", "reviewed_by", "reason", "upload_id")


def submissions_table(subs) -> None:
    rows = [{"submission_id": s.submission_id, "table": table_name(s.table), "file_name": s.file_name,
             "submitted_by": s.submitted_by, "submitted_at": s.submitted_at,
             "state": submissions.state_label(s.shown_state, lang), "inserted": s.inserted, "updated": s.updated,
             "rejected": s.rejected, "reviewed_by": s.reviewed_by or "", "reason": s.reason or "",
             "upload_id": s.upload_id} for s in subs]
    frame = pd.DataFrame(rows, columns=SUB_COLUMNS)
    st.dataframe(frame.rename(columns={c: t(f"data.sub.{c}", lang) for c in SUB_COLUMNS}), hide_index=True,
                 width="stretch")


def submission_changes(sub):
    """Its rows against the current data, kept while neither the data nor the submission changed."""
    key = (sub.submission_id, base.data_version(), sub.checked_at)
    kept = st.session_state.get(_CHANGES)
    if kept is None or kept[0] != key:
        kept = (key, submissions.changes(base, sub.submission_id, access.current().person))
        st.session_state[_CHANGES] = kept
    return kept[1]


def act(action, *args) -> None:
    """One review action (approve, reject, withdraw, re-check), checked in pilotdash.submissions."""
    try:
        done = action(base, access.current().person, *args)
    except REFUSED as exc:
        st.error(error_text(exc))
        return
    st.session_state.pop(_CHANGES, None)
    if done.state == "approved":
        data_changed()
        st.success(t("data.sub_approved", lang, submission_id=done.submission_id, upload_id=done.upload_id))
    else:
        st.success(t("submissions.now", lang, submission_id=done.submission_id,
                     state=submissions.state_label(done.shown_state, lang)))


def show_submission(sub) -> None:
    """One submission: its state and who decided it, and while it waits its row changes against
    the current data (before → after), with the actions this person may take."""
    st.markdown(f"**#{sub.submission_id} · {submissions.state_label(sub.shown_state, lang)}** · "
                + t("data.sub_summary", lang, table=table_name(sub.table), file=sub.file_name, who=sub.submitted_by,
                    at=f"{sub.submitted_at:%Y-%m-%d %H:%M}"))
    if sub.state == "rejected":
        st.warning(t("data.sub_rejected", lang, who=sub.reviewed_by, reason=sub.reason), icon=":material/block:")
    elif sub.state == "approved":
        st.success(t("data.sub_approved_by", lang, who=sub.reviewed_by, upload_id=sub.upload_id))
    elif sub.state == "rolled_back":
        st.info(t("data.sub_rolled_back", lang, who=sub.rolled_back_by, upload_id=sub.upload_id))
    if sub.state != "submitted":
        return
    found = submission_changes(sub)
    me = access.current().person
    own = me is not None and sub.submitted_by == me.email
    if sub.stale:
        st.warning(t("data.sub_stale", lang), icon=":material/history:")
        changed = found.changed_since.copy()
        changed["column"] = changed["column"].map(lambda c: found.plan.header(c, lang))
        st.dataframe(changed.rename(columns={c: t(f"data.sub.changed.{c}", lang) for c in changed.columns}),
                     hide_index=True, width="stretch")
        if st.button(t("data.recheck", lang), key="data_sub_recheck", icon=":material/refresh:"):
            act(submissions.recheck, sub.submission_id)
    plan = found.plan
    kinds = [("inserts", plan.counts.inserts if plan.counts else 0, lambda: found.inserted(lang)),
             ("updates", plan.counts.updates if plan.counts else 0, lambda: found.updated(lang)),
             ("rejected", plan.counts.rejected if plan.counts else 0, lambda: found.rejected(lang))]
    labels = [f"{t(f'data.{k}', lang)} ({n})" for k, n, _ in kinds]
    opened = next((label for label, (_, n, _) in zip(labels, kinds) if n), labels[0])
    for tab, (_, n, rows_of) in zip(st.tabs(labels, default=opened), kinds):
        with tab:
            if n:
                st.dataframe(rows_of(), hide_index=True, width="stretch")
            else:
                st.caption(t("data.tab_empty", lang))
    if own:
        st.caption(t("data.sub_own", lang))
        if st.button(t("data.withdraw", lang), key="data_sub_withdraw", icon=":material/undo:"):
            act(submissions.withdraw, sub.submission_id)
    elif me is not None and me.may("reviewer"):
        if st.button(t("data.approve", lang), type="primary", key="data_sub_approve", disabled=sub.stale,
                     icon=":material/check:"):
            act(submissions.approve, sub.submission_id)
        reason = st.text_area(t("data.reject_reason", lang), key="data_sub_reason", max_chars=500)
        if st.button(t("data.reject", lang), key="data_sub_reject", icon=":material/block:"):
            act(submissions.reject, sub.submission_id, reason)


with submissions_tab:
    if person is None:
        st.info(t("data.sub_sign_in", lang))
    else:
        try:
            waiting = submissions.queue(base, person)
            seen = submissions.listing(base, person)
        except StoreError as exc:
            st.warning(error_text(exc))
            seen, waiting = [], []
        if person.may("reviewer"):
            st.subheader(t("data.queue", lang, n=len(waiting)))
            if waiting:
                submissions_table(waiting)
            else:
                st.caption(t("data.queue_empty", lang))
        st.subheader(t("data.sub_all", lang))
        if not seen:
            st.caption(t("data.submissions_empty", lang))
        else:
            submissions_table(seen)
            by_id = {s.submission_id: s for s in seen}
            first = waiting[0].submission_id if waiting else seen[0].submission_id
            chosen_id = st.selectbox(t("data.sub_pick", lang), list(by_id), index=list(by_id).index(first),
                                     key="data_sub_pick",
                                     format_func=lambda i: f"#{i} · {by_id[i].file_name} · "
                                                           f"{submissions.state_label(by_id[i].shown_state, lang)}")
            show_submission(by_id[chosen_id])

# History and rollback --------------------------------------------------------------------------
with history_tab:
    try:
        log = history(store)
    except StoreError as exc:  # an upload elsewhere holds the store longer than a read waits
        st.warning(error_text(exc))
        st.stop()
    if log.empty:
        st.info(t("data.history_empty", lang))
    else:
        shown = log[["upload_id", "table_name", "file_name", "uploaded_by", "uploaded_at", "inserted", "updated",
                     "unchanged", "rejected", "status", "sha256"]].copy()
        shown["table_name"] = shown["table_name"].map(table_name)
        shown["status"] = shown["status"].map(lambda s: t(f"data.status.{s}", lang))
        st.dataframe(shown.rename(columns={c: t(f"data.col.{c}", lang) for c in shown.columns}),
                     hide_index=True, width="stretch")
        applied = log.loc[log["status"] == "applied", "upload_id"].tolist()
        if who.may("reviewer") and applied:
            st.subheader(t("data.rollback", lang))
            target = st.selectbox(t("data.rollback_pick", lang), applied, key="data_rollback_id",
                                  format_func=lambda u: f"#{u} · {log.set_index('upload_id').loc[u, 'file_name']}")
            later = later_uploads(store, int(target))
            cascade = False
            if later:
                st.warning(t("ingest.err.later_changes", lang, upload_id=target, later=", ".join(f"#{u}" for u in later)))
                cascade = st.checkbox(t("data.rollback_cascade", lang, later=", ".join(f"#{u}" for u in later)),
                                      key="data_cascade")
            sure = st.checkbox(t("data.rollback_confirm", lang), key="data_rollback_sure")
            if st.button(t("data.rollback", lang), key="data_rollback", disabled=not sure or (bool(later) and not cascade)):
                try:
                    done = submissions.rollback(base, access.current().person, int(target), cascade=cascade)
                    data_changed()
                    st.success(t("data.rolled_back", lang, uploads=", ".join(f"#{u}" for u in done)))
                except REFUSED as exc:
                    st.error(error_text(exc))

# Templates -----------------------------------------------------------------------------------
with templates_tab:
    st.caption(t("data.template_note", lang))
    which = st.selectbox(t("data.template_table", lang), TABLES, format_func=table_name, key="data_template_table")
    with st.container(horizontal=True, gap="small"):
        for example in (False, True):
            for fmt in templates.FORMATS:
                kind = t("data.template_example" if example else "data.template_blank", lang)
                st.download_button(f"{kind} · {fmt.upper()}", templates.template(which, lang, fmt, example),
                                   file_name=templates.file_name(which, fmt, example),
                                   key=f"data_tpl_{fmt}_{example}")
