"""What the pages draw of the warnings: the Warnings page's parts and the one-call sections on
Overview and Project. The ledger changes without the data changing (a response, a recompute), so
its named queries run uncached, for the view's filters, like `ui.query` otherwise."""

from __future__ import annotations


import pandas as pd
import streamlit as st

from .. import named_queries, ui
from ..filters import ViewState
from ..i18n import fmt_date, fmt_datetime, label
from .notify import error_words

SYMBOL = {"red": "✖", "orange": "▲", "yellow": "●"}


def query(name: str, view: ViewState | None = None, **extra: object) -> pd.DataFrame:
    declared = {p.name for p in named_queries.get(name).params}
    args = {k: v for k, v in (view.query_args() if view else {}).items() if k in declared}
    args.update({k: v for k, v in extra.items() if k in declared})
    if "as_of" in declared and args.get("as_of") is None:
        args["as_of"] = ui.as_of(view)
    return named_queries.run(ui.store(), name, args)


def level_badge(code: str, language: str | None = None) -> str:
    """A level in words with a shape, never colour alone."""
    return f"{SYMBOL.get(code, '·')} {label('warning_level', code, language or ui.lang())}"


def state_word(state: str, overdue: bool, language: str | None = None) -> str:
    language = language or ui.lang()
    word = label("warning_state", state, language)
    return f"{word} · {ui.tr('warn.overdue')}" if overdue else word


def trigger_text(row, language: str | None = None) -> str:
    """What triggered a warning, in words: the milestone, indicator, budget line, risk or year."""
    language = language or ui.lang()
    kind, tid = row["trigger_kind"], row["trigger_id"]
    if kind == "project" or not tid:
        return ui.tr("warn.trigger.project")
    if kind == "budget_line":
        year, source, category = (tid.split("/") + ["", "", ""])[:3]
        return ui.tr(
            "warn.trigger.budget_line",
            year=year,
            source=label("source", source, language),
            category=label("budget_category", category, language),
        )
    return ui.tr(f"warn.trigger.{kind}", id=tid)


def trigger_link(row) -> str:
    """Where the trigger is shown: an indicator on Targets, everything else on the pilot's page."""
    if row["trigger_kind"] == "indicator":
        return ui.link("targets", indicator=row["trigger_id"])
    if row["trigger_kind"] == "round":  # assessment: the pilot's scorecard in that round
        return ui.link("assessment", round=row["trigger_id"], project=row["project_id"])
    return ui.link("project", project=row["project_id"])


def detail_text(row, language: str | None = None) -> str:
    value = row["detail"]
    if pd.isna(value):
        return "—"
    cond = row["condition"]
    if cond in ("milestone_overdue", "reading_missing", "task_overdue", "issue_overdue", "risk_review_overdue"):
        return ui.tr("warn.detail.days", n=int(value))
    if cond == "open_risk":
        return ui.tr("warn.detail.score", n=int(value))
    if cond == "overspend":
        return ui.tr("warn.detail.overspend", n=f"{value:,.1f}")
    if cond in ("spi_low", "cpi_low"):
        return ui.tr("warn.detail.index", n=f"{value:.2f}")
    if cond in ("grade_poor", "grade_fair"):  # assessment: the final score of the round
        return ui.tr("warn.detail.total", n=f"{value:.2f}")
    return ui.tr("warn.detail.rate", n=f"{value * 100:.1f}")


def shaped(frame: pd.DataFrame) -> pd.DataFrame:
    """The shown columns of warning rows: words and links, for the rows shown only."""
    language = ui.lang()
    out = pd.DataFrame(
        {
            "warning": ["#" + str(int(w)) for w in frame["warning_id"]],
            "level": [level_badge(lv, language) for lv in frame["level"]],
            "state": [state_word(s, bool(o), language) for s, o in zip(frame["state"], frame["overdue"])],
            "link": ui.links("project", "project", frame["project_id"].tolist()),
            "pilot": ui.project_names(frame, language),
            "condition": [label("warning_condition", c, language) for c in frame["condition"]],
            "trigger_link": [trigger_link(r) for _, r in frame.iterrows()],
            "trigger": [trigger_text(r, language) for _, r in frame.iterrows()],
            "detail": [detail_text(r, language) for _, r in frame.iterrows()],
            "raised_on": ui.date_texts(frame["raised_on"]),
            "respond_by": [
                fmt_datetime(t, language) for t in frame["respond_by"]
            ],
            "owner": frame["owner"].fillna("—").tolist(),
            "response": frame["response_note"].fillna("").tolist(),
            "plan_date": ui.date_texts(frame["plan_date"]),
            "pending": frame["pending_notices"].astype(int).tolist(),
        }
    )
    return out


# A warning on a phone (ui.layout): how bad, which pilot, what happened; the rest in the download.
PHONE_COLUMNS = ("level", "link", "condition")


def columns() -> dict:
    return {
        "warning": st.column_config.TextColumn(ui.tr("warn.col.warning"), width=70),
        "level": st.column_config.TextColumn(ui.tr("warn.col.level"), width=100),
        "state": st.column_config.TextColumn(ui.tr("warn.col.state"), width=120),
        "link": ui.project_link_column(),
        "pilot": st.column_config.TextColumn(ui.tr("warn.col.pilot")),
        "condition": st.column_config.TextColumn(ui.tr("warn.col.condition")),
        "trigger_link": st.column_config.LinkColumn(
            ui.tr("warn.col.trigger_link"), display_text=ui.tr("warn.open_trigger"), width=80
        ),
        "trigger": st.column_config.TextColumn(ui.tr("warn.col.trigger")),
        "detail": st.column_config.TextColumn(ui.tr("warn.col.detail")),
        "raised_on": st.column_config.TextColumn(ui.tr("warn.col.raised_on")),
        "respond_by": st.column_config.TextColumn(ui.tr("warn.col.respond_by")),
        "owner": st.column_config.TextColumn(ui.tr("warn.col.owner")),
        "response": st.column_config.TextColumn(ui.tr("warn.col.response")),
        "plan_date": st.column_config.TextColumn(ui.tr("warn.col.plan_date")),
        "pending": st.column_config.NumberColumn(ui.tr("warn.col.pending"), width=70),
    }


def level_metrics(view: ViewState, group: str) -> pd.DataFrame:
    """Live and overdue warnings per level as headline numbers; returns the counts."""
    counts = query("warnings_by_level", view)
    cols = st.columns(len(counts) + 2)
    for col, row in zip(cols, counts.itertuples()):
        ui.metric(
            col,
            ui.tr("warn.open_level", level=level_badge(row.level)),
            ui.count(row.open),
            ui.tr("warn.overdue_n", n=int(row.overdue)) if row.overdue else None,
            delta_color="inverse" if row.overdue else "off",
            delta_arrow="off",
            group=group,
            help=ui.tr("warn.open_help", n=int(row.acknowledged)),
        )
    ui.metric(cols[-2], ui.tr("warn.overdue_total"), ui.count(counts["overdue"].sum()), group=group)
    ui.metric(
        cols[-1],
        ui.tr("warn.pending_total"),
        ui.count(counts["pending_notices"].sum()),
        group=group,
        help=ui.tr("warn.pending_help"),
    )
    return counts


def overview_section(view: ViewState) -> None:
    """Overview: open and overdue warnings by level, at the top, linking to the Warnings page."""
    with st.container(border=True):
        level_metrics(view, ui.tr("warn.overview_title"))
        st.page_link(
            "pages/warnings.py",
            label=ui.tr("warn.overview_link"),
            icon=":material/notifications:",
            query_params=ui.nav_params(),
        )


def project_section(project_id: str) -> None:
    """Project: the pilot's warnings (every state) and their responses."""
    st.subheader(ui.tr("warn.project_title"))
    rows = query("warnings_list", None, project=project_id, wstate="all")
    if rows.empty:
        st.caption(ui.tr("warn.project_none"))
        return
    shown = shaped(rows).drop(columns=["link", "pilot", "pending"])
    ui.table(
        shown,
        f"warnings_{project_id}",
        columns(),
        key=f"warn_project_{project_id}",
        title=ui.tr("warn.project_title"),
        phone=("level", "condition", "state"),  # the pilot is the page's own
    )
    events = query("warnings_events", None, project=project_id)
    with st.expander(ui.tr("warn.history", n=len(events))):
        ui.table(
            history_frame(events),
            f"warning_history_{project_id}",
            history_columns(),
            key=f"warn_history_{project_id}",
        )


def history_frame(events: pd.DataFrame) -> pd.DataFrame:
    language = ui.lang()
    return pd.DataFrame(
        {
            "warning": ["#" + str(int(w)) for w in events["warning_id"]],
            "when": [fmt_datetime(t, language) for t in events["event_at"]],
            "event": [ui.tr(f"warn.event.{e}") for e in events["event"]],
            "level": [level_badge(lv, language) if isinstance(lv, str) else "—" for lv in events["level"]],
            "by": events["by_user"].tolist(),
            "note": events["note"].fillna("").tolist(),
            "plan_date": ui.date_texts(events["plan_date"]),
        }
    )


def history_columns() -> dict:
    return {
        k: st.column_config.TextColumn(ui.tr(f"warn.hist.{k}"))
        for k in ("warning", "when", "event", "level", "by", "note", "plan_date")
    }


def day(value: object) -> str:
    """A date column's value (pandas gives it as a Timestamp) as a date."""
    if value is None or pd.isna(value):
        return "—"
    return fmt_date(pd.Timestamp(value).date(), ui.lang())


def when(value: object) -> str:
    if value is None or pd.isna(value):
        return "—"
    return fmt_datetime(value, ui.lang())


def pending_frame(pending: pd.DataFrame) -> pd.DataFrame:
    language = ui.lang()
    return pd.DataFrame(
        {
            "warning": ["#" + str(int(w)) for w in pending["warning_id"]],
            "level": [level_badge(lv, language) for lv in pending["notice_level"]],
            "pilot": pending["project_id"].tolist(),
            "to": [
                f"{s} · {ui.tr(f'warn.channel.{c}')}" for s, c in zip(pending["sub_name"], pending["channel"])
            ],
            "attempts": pending["attempts"].astype(int).tolist(),
            "next": [fmt_datetime(t, language) for t in pending["next_attempt_at"]],
            "error": [error_words(e, language) for e in pending["last_error"].fillna("")],
        }
    )


def pending_columns() -> dict:
    return {
        k: st.column_config.TextColumn(ui.tr(f"warn.pend.{k}"))
        for k in ("warning", "level", "pilot", "to", "attempts", "next", "error")
    }
