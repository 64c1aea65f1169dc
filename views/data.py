"""Data 数据管理: upload an analyst's file (check, preview, confirm), the history of uploads with
rollback, and the templates to fill in. Every action checks `access.require(role)` on the
server; nothing is written before the analyst confirms."""

import streamlit as st

from pilotdash import access, ui
from pilotdash.domain import TABLES
from pilotdash.i18n import t
from pilotdash.ingest import templates
from pilotdash.ingest.apply import UploadError, apply, history, later_uploads, rollback
from pilotdash.ingest.formats import max_bytes
from pilotdash.ingest.plan import prepare
from pilotdash.store import StoreError

view = ui.header("page.data")
lang = view.lang
store = ui.store()
who = access.current()
_PLAN = "data_plan"


def table_name(table: str) -> str:
    return t(f"ingest.table.{table}", lang)


def error_text(exc: Exception) -> str:
    if isinstance(exc, access.AccessDenied):
        return t("ingest.err.not_allowed", lang)
    if isinstance(exc, StoreError):  # another upload being applied (any process), a busy store
        return t(getattr(exc, "key", "common.store_unavailable"), lang)
    return t(f"ingest.err.{exc.code}", lang, **exc.params)


def progress_bar():
    bar = st.progress(0.0)
    return bar, lambda share, step: bar.progress(share, text=t("data.progress", lang, step=t(f"data.step.{step}", lang)))


def data_changed() -> None:
    """After an apply or rollback every page shows the new numbers."""
    st.cache_data.clear()
    ui.clear_caches()
    st.session_state.pop(_PLAN, None)


def apply_plan(plan, mode: str) -> None:
    try:
        user = access.require("submitter")
        bar, report_progress = progress_bar()
        result = apply(store, plan, user, mode, progress=report_progress)
        bar.empty()
        data_changed()
        st.success(t("data.applied", lang, upload_id=result.upload_id,
                     inserted=result.inserted, updated=result.updated))
    except (access.AccessDenied, UploadError, StoreError) as exc:
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
                clicked = st.button(t("ingest.apply_valid", lang, valid=valid, rejected=c.rejected), type="primary",
                                    key="data_apply_valid", icon=":material/check:")
            else:
                clicked = False
            rejected_download(plan)
        if clicked:
            apply_plan(plan, "valid_rows")
    elif plan.changes == 0:
        st.info(t("data.nothing_changed", lang))
    elif st.button(t("data.confirm", lang), type="primary", key="data_apply"):
        apply_plan(plan, "clean_only")


# Who is here ---------------------------------------------------------------------------------
if who.single_user:
    st.info(t("data.single_user", lang, user=who.name), icon=":material/person:")
elif who.allowed:
    st.caption(t("data.signed_in_as", lang, user=who.name))
    st.button(t("data.sign_out", lang), on_click=st.logout)
else:
    st.warning(t("data.read_only", lang), icon=":material/lock:")
    if not who.signed_in:
        st.button(t("data.sign_in", lang), on_click=st.login)
st.caption(t("data.intro", lang))

upload_tab, history_tab, templates_tab = st.tabs(
    [t("data.tab_upload", lang), t("data.tab_history", lang), t("data.tab_templates", lang)]
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
                st.session_state[_PLAN] = prepare(store, uploaded.name, uploaded.getvalue(), chosen or None,
                                                  progress=report, limit=limit)
                bar.empty()
            except (access.AccessDenied, StoreError) as exc:
                st.error(error_text(exc))

        plan = st.session_state.get(_PLAN)
        if plan is not None:
            show_plan(plan)
    else:
        st.info(t("ingest.err.not_allowed", lang))

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
                    user = access.require("reviewer")
                    done = rollback(store, int(target), user, cascade=cascade)
                    data_changed()
                    st.success(t("data.rolled_back", lang, uploads=", ".join(f"#{u}" for u in done)))
                except (access.AccessDenied, UploadError, StoreError) as exc:
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
