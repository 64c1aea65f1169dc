"""Warnings 预警: the early warnings of the filtered pilots, worst and most overdue first, with
counts by level and belt; choose one to see its history, acknowledge it with a response note and
a plan date, or close it with a reason. Filters (level, state, condition, owner, the chosen
warning) live in the URL like every page's."""

import streamlit as st

from pilotdash import ui
from pilotdash.i18n import label, t
from pilotdash.warnings import digest, forms
from pilotdash.warnings import view as wv

view = ui.header("page.warnings")
lang = view.lang
store = ui.store()

wv.level_metrics(view, ui.tr("page.warnings"))
with st.expander(ui.tr("warn.by_belt")):
    ui.table(forms.belt_grid(wv.query("warnings_by_belt", view), lang), "warnings_by_belt", key="warn_by_belt",
             title=ui.tr("warn.by_belt"))

# The page's own filters, each a URL parameter, and the warnings they match.
owners = wv.query("warnings_owners")
forms.filters(view, dict(zip(owners["owner_key"], owners["owner"])))
if view.extra("wstate") is None:
    st.caption(ui.tr("warn.live_note"))
rows = wv.query("warnings_list", view, level=view.extra("level"), wstate=view.extra("wstate"),
                condition=view.extra("condition"), owner_key=view.extra("owner"))
st.subheader(ui.tr("warn.list_title", n=len(rows)))
if rows.empty:
    st.info(ui.tr("warn.none"), icon=":material/notifications_off:")
else:
    ui.paged_table(rows, "warnings", wv.columns(), "warnings", shape=wv.shaped,
                   title=ui.tr("warn.list_title", n=len(rows)), phone=wv.PHONE_COLUMNS)

# One warning: its history and the responses. The chooser lists the first PICK_MAX of the list
# (most severe first) and takes any other number typed: a national ledger holds tens of thousands,
# which sent whole were 1.9 MB and a second of labels on every visit at 100×.
PICK_MAX = 300
listed = rows.head(PICK_MAX)
ids = [int(w) for w in listed["warning_id"]]
chosen = view.extra("warning")
chosen_id = int(chosen) if chosen and chosen.isdigit() else None
if chosen_id is not None and chosen_id not in ids:
    ids.insert(0, chosen_id)
labels = {int(r.warning_id): f"#{int(r.warning_id)} · {wv.level_badge(r.level)} · {r.project_id} · "
          f"{label('warning_condition', r.condition, lang)}" for r in listed.itertuples()}


def _choose() -> None:
    picked = st.session_state["warn_choose"]
    typed = str(picked).strip().lstrip("#")[:12] if picked is not None else ""
    ui.set_view(warning=typed if typed.isdigit() else None)  # a typed number is checked like a link's


if ids:
    st.selectbox(ui.tr("warn.choose"), [None, *ids], index=[None, *ids].index(chosen_id), key="warn_choose",
                 format_func=lambda w: t("warn.choose_none", lang) if w is None else labels.get(w, f"#{w}"),
                 accept_new_options=True, on_change=_choose,
                 placeholder=ui.tr("widget.choose"))  # never Streamlit's English "Choose or add an option"
    if len(rows) > PICK_MAX:
        st.caption(ui.tr("warn.choose_more", shown=PICK_MAX, total=len(rows)))
if chosen_id is not None:
    one = wv.query("warnings_list", None, warning=chosen_id, wstate="all")
    if one.empty:
        st.warning(ui.tr("warn.no_such", id=chosen_id), icon=":material/link_off:")
    else:
        with st.container(border=True):
            forms.record(store, one.iloc[0], chosen_id, lang)

# Notices still waiting to be delivered (retried with back-off; never dropped).
pending = wv.query("warnings_notices", None, pending="yes")
if not pending.empty:
    with st.expander(ui.tr("warn.pending_list", n=len(pending)), icon=":material/schedule_send:"):
        ui.table(wv.pending_frame(pending), "warning_notices_pending", wv.pending_columns(), key="warn_pending")

# The digest 周报/月报 of the view's filters, as a printable file.
left, right = st.columns([1, 3], vertical_alignment="bottom")
period = left.segmented_control(ui.tr("warn.digest.period_choice"), list(digest.PERIODS), default="week",
                                format_func=lambda p: t(f"warn.digest.{p}", lang), key="warn_digest_period") or "week"
# the last complete week or month: before today, or before a pinned as-of date
_, as_of = digest.period_bounds(period, view.as_of or digest.today())
scope = {"belt": list(view.get("belt")) or None, "province": list(view.get("province")) or None}
ui.download(
    right,
    ui.tr("warn.digest.download"),  # made only when downloaded
    ui.audited("report", f"warnings_{period}_{as_of.isoformat()}_{lang}.html",
               lambda: digest.build(store, period, as_of, lang, **scope).html.encode("utf-8")),
    file_name=f"warnings_{period}_{as_of.isoformat()}_{lang}.html", mime="text/html", icon=":material/download:",
    key="warn_digest_download")

# Subscriptions: who is told of new and escalated warnings, by scope and minimum level.
with st.expander(ui.tr("warn.sub.title"), icon=":material/notifications_active:", key="warn_subscriptions"):
    forms.subscriptions_editor(store, lang)
