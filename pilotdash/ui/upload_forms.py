"""The Data page's upload: a file checked and previewed (how it was read, what is wrong with it,
what would change), then applied, or stored as a submission for a person who needs review; and
the templates to fill in. The actions go through `pilotdash.submissions` and `pilotdash.policy`,
which check the person's roles and scope on the server (the person from the sign-in, never
from the page). Also the pieces the review forms share: words for a table and an error, tabs of
rows per kind, and what happens after the data changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from .. import events, policy, submissions
from ..domain import TABLES
from ..i18n import t
from ..ingest import templates
from ..ingest.formats import max_bytes
from ..ingest.plan import prepare
from ..errors import Problem
from .data import base_store, clear_caches, person as current_person
from .report import csv_bytes, download
from .state import lang
from .text import plain
from .widgets import file_uploader

PLAN = "data_plan"  # session key: the checked file's plan, until it is applied or replaced
# session key: what applying (or submitting) did, said on the run after it, when the preview and
# its button are gone
DONE = "data_plan_done"
CHANGES = "data_submission_changes"  # session key: a submission's rows against the current data


def table_name(table: str, language: str | None = None) -> str:
    """A table's words; a widget's format_func passes the language it was drawn in (it is called
    again outside the page run, where the view's language cannot be read)."""
    return t(f"ingest.table.{table}", language or lang())


def error_text(exc: Problem) -> str:
    """A Problem for st.error / st.warning, which read Markdown: its values (a later upload's row
    keys, a file's name: someone else's text) escaped, its translation's own words as they are."""
    return exc.markdown(lang())


def data_changed() -> None:
    """After an apply, approval or rollback every page shows the new numbers."""
    st.cache_data.clear()
    clear_caches()
    st.session_state.pop(PLAN, None)
    st.session_state.pop(CHANGES, None)


def _forget_results() -> None:
    st.cache_data.clear()
    clear_caches()


def answer_first(change: Callable[[], object]) -> object:
    """Run a change (an apply, an approval, a rollback) and return its answer as soon as it is
    stored: what follows it (the rounds scored again, the measure snapshots, the warnings;
    pilotdash.events) runs afterwards in the background, and the pages' results are forgotten
    again when it is done, so the grades and warnings they show are the new ones. At 100x a
    1M-row upload is stored in ~6 s and followed in ~15 s more, which the analyst no longer
    waits for. A change that fails is still followed for whatever it had committed."""
    with events.deferred() as kept:
        try:
            return change()
        finally:
            kept.in_background(on_done=_forget_results)


def following_notice() -> None:
    """While a change is being followed in this server: say so, looking again every two seconds
    until it is done. Only the notice is drawn again, never the page: a whole run would put the
    analyst back on the first tab in the middle of a rollback (the Data page shows no grade or
    warning; the other pages read them afresh when next drawn). The notice has its own keyed
    slot, there or not: what follows it keeps its place in the page whether a change is being
    followed or not (its tabs are keyed too; an unkeyed tab set that moved was drawn afresh on
    its first tab, and the rollback form in the History tab vanished under the analyst)."""
    with st.container(key="pd_following"):
        if not events.following():
            return

        @st.fragment(run_every=2.0)
        def watch() -> None:
            if events.following():
                st.caption(t("data.following", lang()))

        watch()


def row_tabs(kinds: Sequence[tuple[str, int, Callable]]) -> None:
    """One tab per kind of row (kind, count, rows), each with its count; the first with rows open."""
    language = lang()
    labels = [f"{t(f'data.{k}', language)} ({n})" for k, n, _ in kinds]
    opened = next((label for label, (_, n, _) in zip(labels, kinds) if n), labels[0])
    for tab, (_, n, rows_of) in zip(st.tabs(labels, default=opened), kinds):
        with tab:
            if n:
                st.dataframe(rows_of(), hide_index=True, width="stretch")
            else:
                st.caption(t("data.tab_empty", language))


def progress_bar():
    language = lang()
    bar = st.progress(0.0)
    return bar, lambda share, step: bar.progress(
        share, text=t("data.progress", language, step=t(f"data.step.{step}", language)))


def upload_form(person) -> None:
    """The file and its table; checking it (a submitter's right, checked here) makes the plan."""
    language = lang()
    if done := st.session_state.pop(DONE, None):
        st.success(done)
    limit = max_bytes()
    uploaded = file_uploader(t("data.file", language, limit=f"{limit / 1048576:.0f}"),
                             ["csv", "txt", "tsv", "xlsx"], key="data_file")
    chosen = st.selectbox(t("data.table", language), ["", *TABLES], key="data_table",
                          format_func=lambda x: table_name(x, language) if x
                          else t("data.table_auto", language))
    if uploaded is not None and st.button(t("data.preview", language), key="data_preview"):
        try:
            # checking a file reads the whole store's rows: a submitter's right (a refusal is audited)
            policy.require(base_store(), current_person(), "submit", what=uploaded.name)
            bar, report = progress_bar()
            st.session_state[PLAN] = prepare(base_store(), uploaded.name, uploaded.getvalue(), chosen or None,
                                             progress=report, limit=limit, scope=person.scope)
            bar.empty()
        except Problem as exc:
            st.error(error_text(exc))


def apply_plan(plan, mode: str) -> None:
    """Apply the plan, or for a person who needs review store it as a submission (no number
    changes); `submissions.submit` checks the role and the rows' scope."""
    language = lang()
    try:
        bar, report_progress = progress_bar()
        outcome = answer_first(lambda: submissions.submit(base_store(), current_person(), plan, mode,
                                                          progress=report_progress))
        bar.empty()
        if outcome.submission is not None:
            st.session_state.pop(PLAN, None)
            st.session_state[DONE] = t("submissions.submitted", language,
                                       submission_id=outcome.submission.submission_id)
        else:
            result = outcome.applied
            data_changed()  # forgets the plan: the preview and its button go
            st.session_state[DONE] = t("data.applied", language, upload_id=result.upload_id,
                                       inserted=result.inserted, updated=result.updated)
    except Problem as exc:
        st.error(error_text(exc))
        return
    st.rerun()  # the page again without the preview, with the message above


def rejected_download(plan, primary: bool = False) -> None:
    language = lang()
    download(st, t("ingest.rejected_file", language, rejected=plan.counts.rejected),
             plan.rejected_file(language),
             file_name=plan.rejected_file_name(), key="data_rejected_file", mime="text/csv",
             type="primary" if primary else "secondary", icon=":material/download:",
             on_click="ignore")  # taking the file away changes nothing on the page: no rerun


def how_read(plan) -> None:
    """How the file was read, its problems as whole sentences, and the portal's template."""
    language = lang()
    if plan.grid is not None:
        if plan.table and plan.counts:
            st.caption(t("data.recognised", language, table=table_name(plan.table), rows=plan.counts.rows,
                         encoding=plan.encoding_label(language)))
        else:
            st.caption(t("data.file_read", language, name=plain(plan.file_name),
                         encoding=plan.encoding_label(language)))
    for message in plan.file_messages(language, markdown=True):  # sheet names, headers: the file's text
        st.error(message, icon=":material/block:")
    if plan.portal_export:
        download(st, t("ingest.portal_template", language),
                 templates.template("readings", language, "csv", True),
                 file_name=templates.file_name("readings", "csv", True), key="data_portal_template",
                 type="primary", icon=":material/download:")


def show_plan(plan, review: bool) -> None:
    """The preview of a checked file: how it was read, what is wrong with it (row problems as a
    table), what would change, and what can be applied (`review`: submitted for review)."""
    language = lang()
    how_read(plan)
    if not plan.readable:
        return
    c = plan.counts
    for col, key, n in zip(st.columns(5), ("inserts", "updates", "unchanged", "rejected", "warnings"),
                           (c.inserts, c.updates, c.unchanged, c.rejected, c.warnings)):
        col.metric(t(f"data.{key}", language), n)
    if plan.already_applied:
        st.info(t("data.already_applied", language, upload_id=plan.already_applied))
    report = plan.row_report(language)
    if len(report):
        st.subheader(t("data.problems", language))
        st.dataframe(report.fillna(""), hide_index=True, width="stretch")
        download(st, t("data.error_file", language), csv_bytes(plan.report(language)),
                 file_name=f"{plan.file_name.rsplit('.', 1)[0]}_errors.csv", key="data_errors",
                 on_click="ignore")  # no rerun: the preview stays as it is while the file downloads
    row_tabs([("inserts", c.inserts, lambda: plan.preview("insert", language)),
              ("updates", c.updates, lambda: plan.updates(language)),
              ("unchanged", c.unchanged, lambda: plan.preview("unchanged", language)),
              ("rejected", c.rejected, lambda: plan.rejected(language))])
    if plan.all_rejected:
        st.error(t("ingest.all_rejected", language, rejected=c.rejected), icon=":material/block:")
        rejected_download(plan, primary=True)
    elif c.rejected:
        valid = c.rows - c.rejected
        st.warning(t("ingest.partly_rejected", language, rejected=c.rejected, rows=c.rows, valid=valid),
                   icon=":material/rule:")
        with st.container(horizontal=True, gap="small"):
            clicked = bool(plan.changes) and st.button(
                t("ingest.submit_valid" if review else "ingest.apply_valid", language, valid=valid,
                  rejected=c.rejected), type="primary", key="data_apply_valid", icon=":material/check:")
            rejected_download(plan)
        if clicked:
            apply_plan(plan, "valid_rows")
    elif plan.changes == 0:
        st.info(t("data.nothing_changed", language))
    elif st.button(t("data.submit" if review else "data.confirm", language), type="primary",
                   key="data_apply"):
        apply_plan(plan, "clean_only")
    if review:
        st.caption(t("data.review_note", language))


def template_downloads() -> None:
    """The templates of a table: blank and with an example row, in every format."""
    language = lang()
    st.caption(t("data.template_note", language))
    which = st.selectbox(t("data.template_table", language), TABLES,
                         format_func=lambda x: table_name(x, language), key="data_template_table")
    with st.container(horizontal=True, gap="small"):
        for example in (False, True):
            for fmt in templates.FORMATS:
                kind = t("data.template_example" if example else "data.template_blank", language)
                download(st, f"{kind} · {fmt.upper()}",
                         templates.template(which, language, fmt, example),
                         file_name=templates.file_name(which, fmt, example),
                         key=f"data_tpl_{fmt}_{example}")
