"""The Tasks (任务驾驶舱) and Issues (问题清单) pages' Streamlit parts: a pilot's task tree, the
late and behind tasks of the programme, the wall view for a big screen, the issue list with its
resolve and sign-off forms, and the risk matrix. Pages call these; the numbers come from named
queries (queries/task_*.sql, issue_*.sql, risk_*.sql), the rules from measures.sql."""

from __future__ import annotations

import datetime as dt
import time

import pandas as pd
import streamlit as st

from .. import charts
from ..domain import ENUMS, THRESHOLDS
from ..errors import Problem
from ..i18n import fmt_pct, label
from ..tasks import issue_actions
from .belt_charts import belt_rate
from .data import base_store, person, query
from .report import chart, metric
from .state import lang, link, tr
from .styles import WALL_CSS
from .tables import paged_table, project_link_column, table
from .text import date_text, local_names, plain, words

RAG_MARKS = {"red": "● ", "amber": "▲ ", "green": "■ "}  # shapes beside the words: colour is never alone
WALL_SECONDS = 60


def rag_word(code: str, language: str) -> str:
    return f"{RAG_MARKS.get(code, '')}{label('health', code, language)}"


def _progress_text(progress: float, planned: float) -> str:
    if pd.isna(progress):
        return "—"
    return tr("tasks.progress_of_planned", progress=f"{progress:.0f}", planned=f"{planned:.0f}")


def _dates(row) -> str:
    start = date_text(row.start_date) if not pd.isna(row.start_date) else "—"
    return f"{start} → {date_text(row.due_date)}"


def tree(rows: pd.DataFrame) -> None:
    """One pilot's tree: the goal on top, each sub-project an expander (opened when it is not
    green), its actions a table inside; every node with owner, dates, progress against planned,
    red/amber/green and deliverable."""
    language = lang()
    children = {p: g for p, g in rows.groupby("parent_id")}
    for goal in rows[rows["level"] == 1].itertuples():
        with st.container(border=True):
            st.markdown(f"**{plain(rag_word(goal.rag, language))} · {plain(goal.name)}**")
            st.text(tr("tasks.node_line", owner=goal.owner or "—", dates=_dates(goal),
                          progress=_progress_text(goal.progress, goal.planned),
                          state=label("task_state", goal.state, language), deliverable=goal.deliverable or "—"))
            for sub in children.get(goal.task_id, pd.DataFrame()).itertuples():
                title = (f"{RAG_MARKS.get(sub.rag, '')}{sub.name} · {_progress_text(sub.progress, sub.planned)} · "
                         f"{label('task_state', sub.state, language)}")
                with st.expander(plain(title), expanded=sub.rag != "green"):
                    st.text(tr("tasks.node_line", owner=sub.owner or "—", dates=_dates(sub),
                                  progress=_progress_text(sub.progress, sub.planned),
                                  state=label("task_state", sub.state, language), deliverable=sub.deliverable or "—"))
                    actions = children.get(sub.task_id)
                    if actions is not None:
                        table(node_rows(actions, language), f"tasks_{sub.task_id}", node_columns(),
                              key=f"tree_{sub.task_id}", title=sub.name)


def node_rows(frame: pd.DataFrame, language: str) -> pd.DataFrame:
    return pd.DataFrame({
        "task_id": frame["task_id"], "task_name": frame["name"], "owner": frame["owner"],
        "start_date": frame["start_date"], "due_date": frame["due_date"], "done_date": frame.get("done_date", pd.NaT),
        "progress": frame["progress"].round(0) / 100, "planned": frame["planned"].round(0) / 100,
        "rag": words(frame["rag"], lambda c: rag_word(c, language)),
        "task_state": words(frame["state"], lambda c: label("task_state", c, language)),
        "overdue_days": frame["overdue_days"], "deliverable": frame["deliverable"],
    })


def node_columns() -> dict:
    c = st.column_config
    return {
        "task_id": c.TextColumn(tr("tasks.col.task_id"), width="small"),
        "task_name": c.TextColumn(tr("tasks.col.name"), width="medium"),
        "owner": c.TextColumn(tr("tasks.col.owner"), width="small"),
        "start_date": c.DateColumn(tr("tasks.col.start"), format="YYYY-MM-DD"),
        "due_date": c.DateColumn(tr("tasks.col.due"), format="YYYY-MM-DD"),
        "done_date": c.DateColumn(tr("tasks.col.done"), format="YYYY-MM-DD"),
        "progress": c.ProgressColumn(tr("tasks.col.progress"), format="percent", min_value=0, max_value=1),
        "planned": c.NumberColumn(tr("tasks.col.planned"), format="percent"),
        "rag": c.TextColumn(tr("tasks.col.rag"), width="small"),
        "task_state": c.TextColumn(tr("tasks.col.state"), width="small"),
        "overdue_days": c.NumberColumn(tr("tasks.col.overdue_days"), format="%d"),
        "deliverable": c.TextColumn(tr("tasks.col.deliverable"), width="medium"),
    }


def status_rows(frame: pd.DataFrame) -> pd.DataFrame:
    """The programme's task rows in words: the pilot's link and name, then the node's columns."""
    language = lang()
    out = node_rows(frame, language)
    out.insert(0, "link", [link("project", project=p) for p in frame["project_id"]])
    out.insert(1, "name", local_names(frame, language))
    out.insert(2, "belt", words(frame["belt"], lambda b: label("belt", b, language)))
    out.insert(5, "level", words(frame["level"], lambda n: tr(f"tasks.level.{int(n)}")))
    out["slip_days"] = frame["slip_days"].to_numpy()
    return out.drop(columns=["done_date"])


def owners(frame: pd.DataFrame) -> list[str]:
    """The owners named in task rows, in order, each once (the owner filter's choices)."""
    return sorted(set(frame["owner"].dropna()))


def status_columns() -> dict:
    c = st.column_config
    return {"link": project_link_column(), "name": c.TextColumn(tr("common.project_name"), width="medium"),
            "belt": c.TextColumn(tr("filter.belt"), width="small"),
            "level": c.TextColumn(tr("tasks.col.level"), width="small"), **node_columns(),
            "slip_days": c.NumberColumn(tr("tasks.col.slip_days"), format="%d", help=tr("tasks.slip_help"))}


def delivery_by_belt(frame: pd.DataFrame) -> None:
    belt_rate(frame[frame["belt"] != "all"], "on_time_delivery")


def resolution_by_belt(frame: pd.DataFrame) -> None:
    target = THRESHOLDS["resolution_target"]
    belt_rate(frame[frame["belt"] != "all"], "issue_resolution", target=target,
              target_label=tr("tasks.target", value=fmt_pct(target, lang(), 0)))


# The wall view 大屏: the belts in turn, one a minute, the page refreshing itself ---------------

def wall_belt(now: float | None = None) -> str:
    """The belt on the wall now: the belts in turn, one per refresh period."""
    belts = ENUMS["belt"]
    return belts[int((now if now is not None else time.time()) // WALL_SECONDS) % len(belts)]


@st.fragment(run_every=WALL_SECONDS)
def wall(as_of: dt.date) -> None:
    """A belt's headline numbers and its late and behind tasks, large, for a 1920 × 1080 screen;
    the fragment runs again every minute on its own (st.fragment run_every), showing the next belt."""
    st.html(WALL_CSS)
    language = lang()
    belt = wall_belt()
    st.markdown(f"## {tr('tasks.wall_title', belt=label('belt', belt, language))} · {date_text(as_of)}")
    delivery = query("task_delivery_by_belt", None, as_of=as_of, belt=[belt])
    resolution = query("issue_resolution_by_belt", None, as_of=as_of, belt=[belt])
    late = query("task_status", None, as_of=as_of, belt=[belt], task_state=["overdue", "behind"])
    cols = st.columns(4)
    whole = delivery[delivery["belt"] == "all"]
    metric(cols[0], tr("tasks.on_time_delivery"),
           fmt_pct(whole["on_time_delivery"].iloc[0] if len(whole) else None, language, 1))
    resolved = resolution[resolution["belt"] == "all"]
    metric(cols[1], tr("tasks.issue_resolution"),
           fmt_pct(resolved["issue_resolution"].iloc[0] if len(resolved) else None, language, 1))
    metric(cols[2], tr("tasks.overdue_count"), str(int((late["state"] == "overdue").sum())))
    metric(cols[3], tr("tasks.behind_count"), str(int((late["state"] == "behind").sum())))
    st.markdown(f"### {tr('tasks.late_first')}")
    shown = status_rows(late.head(15))
    table(shown[["name", "task_name", "owner", "due_date", "progress", "rag", "task_state", "slip_days"]],
          f"wall_{belt}", status_columns(), key=f"wall_table_{belt}")
    st.caption(tr("tasks.wall_next", seconds=WALL_SECONDS))


# Issues -----------------------------------------------------------------------------------------

def issue_rows(frame: pd.DataFrame) -> pd.DataFrame:
    language = lang()
    return pd.DataFrame({
        "link": [link("project", project=p) for p in frame["project_id"]],
        "name": local_names(frame, language),
        "issue_id": frame["issue_id"],
        "issue_state": words(frame["state"], lambda c: label("issue_state", c, language)),
        "source": words(frame["source"], lambda c: label("issue_source", c, language)),
        "description": frame["description"], "owner": frame["owner"], "raised_on": frame["raised_on"],
        "due_date": frame["due_date"], "overdue_days": frame["overdue_days"],
        "resolved_on": frame["resolved_on"], "resolve_note": frame["resolve_note"],
        "verified_on": frame["verified_on"], "verified_by": frame["verified_by"],
    })


def issue_columns() -> dict:
    c = st.column_config
    return {"link": project_link_column(), "name": c.TextColumn(tr("common.project_name"), width="medium"),
            "issue_id": c.TextColumn(tr("issues.col.issue_id"), width="small"),
            "issue_state": c.TextColumn(tr("issues.col.state"), width="small"),
            "source": c.TextColumn(tr("issues.col.source"), width="small"),
            "description": c.TextColumn(tr("issues.col.description"), width="large"),
            "owner": c.TextColumn(tr("tasks.col.owner"), width="small"),
            "raised_on": c.DateColumn(tr("issues.col.raised_on"), format="YYYY-MM-DD"),
            "due_date": c.DateColumn(tr("issues.col.due"), format="YYYY-MM-DD"),
            "overdue_days": c.NumberColumn(tr("tasks.col.overdue_days"), format="%d"),
            "resolved_on": c.DateColumn(tr("issues.col.resolved_on"), format="YYYY-MM-DD"),
            "resolve_note": c.TextColumn(tr("issues.col.note"), width="medium"),
            "verified_on": c.DateColumn(tr("issues.col.verified_on"), format="YYYY-MM-DD"),
            "verified_by": c.TextColumn(tr("issues.col.verified_by"), width="small")}


def issue_list(frame: pd.DataFrame, title: str, key: str) -> None:
    paged_table(frame, key, issue_columns(), key, shape=issue_rows, title=title,
                phone=("issue_id", "issue_state", "description"))


def issue_forms(open_: pd.DataFrame, overdue: pd.DataFrame, resolved: pd.DataFrame, as_of: dt.date) -> None:
    """Resolve (open or overdue issues) and sign off (resolved ones) in place. Every action goes
    through the access policy in pilotdash.tasks.issue_actions; the forms only collect input."""
    language = lang()
    who = person()
    # The lists the browser gets are bounded (a national programme holds tens of thousands of
    # issues: all of them were a megabyte on every visit); the first PICK_MAX, overdue first, are
    # listed and any other issue number can be typed. The action checks it like any other.
    open_ids = [*overdue["issue_id"], *open_["issue_id"]]
    resolved_ids = list(resolved["issue_id"])
    left, right = st.columns(2)
    with left.form("issue_resolve_form", clear_on_submit=True, border=True):
        st.markdown(f"**{tr('issues.resolve_title')}**")
        chosen = _pick(open_ids, "issue_resolve_id")
        on = st.date_input(tr("issues.resolved_on"), value=as_of, key="issue_resolve_on")
        note = st.text_area(tr("issues.note"), max_chars=issue_actions.NOTE_MAX, key="issue_resolve_note")
        if st.form_submit_button(tr("issues.resolve"), icon=":material/task_alt:") and chosen:
            _act(lambda: issue_actions.resolve(base_store(), who, chosen, on, note), "issues.resolved_done", chosen,
                 language)
    with right.form("issue_sign_off_form", clear_on_submit=True, border=True):
        st.markdown(f"**{tr('issues.sign_off_title')}**")
        chosen_r = _pick(resolved_ids, "issue_sign_off_id")
        on_r = st.date_input(tr("issues.verified_on"), value=as_of, key="issue_sign_off_on")
        if st.form_submit_button(tr("issues.sign_off"), icon=":material/verified:") and chosen_r:
            _act(lambda: issue_actions.sign_off(base_store(), who, chosen_r, on_r), "issues.signed_off_done", chosen_r,
                 language)


PICK_MAX = 300
ISSUE_ID_MAX = 64  # longer than any issue number the data contract takes


def _pick(ids: list, key: str) -> str | None:
    """An issue chooser: the first PICK_MAX of `ids` listed, any other number typed (bounded)."""
    chosen = st.selectbox(tr("issues.choose"), ids[:PICK_MAX], index=None, key=key, accept_new_options=True,
                          placeholder=tr("issues.choose_hint"))
    if len(ids) > PICK_MAX:
        st.caption(tr("issues.choose_more", shown=PICK_MAX, total=len(ids)))
    if chosen is None:
        return None
    return str(chosen).strip()[:ISSUE_ID_MAX] or None


def _act(action, done_key: str, issue_id: str, language: str) -> None:
    try:
        action()
    except Problem as exc:  # a typed number is the person's own text: shown as text
        st.error(exc.markdown(language), icon=":material/block:")
        return
    st.toast(tr(done_key, issue=plain(issue_id)), icon=":material/check:")
    st.rerun()


# Risks ------------------------------------------------------------------------------------------

def risk_matrix(frame: pd.DataFrame) -> None:
    """The 5 × 5 matrix (probability × impact) of open risks, one grid per belt; each cell carries
    its count and level in words, so its shade is never the only cue."""
    language = lang()
    for belt, col in zip(ENUMS["belt"], st.columns(3)):
        cells = frame[frame["belt"] == belt]
        grid = pd.DataFrame([(p, i) for p in range(5, 0, -1) for i in range(1, 6)], columns=["probability", "impact"])
        grid = grid.merge(cells[["probability", "impact", "risks"]], how="left", on=["probability", "impact"])
        grid["score"] = grid["probability"] * grid["impact"]
        grid["share"] = grid["score"] / 25
        grid["text"] = [f"{int(n)}" if not pd.isna(n) else "" for n in grid["risks"]]
        with col:
            chart(charts.heat_table(grid.astype({"probability": str, "impact": str}), "impact", "probability", "share",
                                    "text", x_title=tr("risks.impact"), y_title=tr("risks.probability"),
                                    value_title=tr("risks.score_share"),
                                    y_order=[str(p) for p in range(5, 0, -1)]),
                  f"risk_matrix_{belt}", tr("risks.matrix_of", belt=label("belt", belt, language)))


def risk_rows(frame: pd.DataFrame) -> pd.DataFrame:
    language = lang()
    return pd.DataFrame({
        "link": [link("project", project=p) for p in frame["project_id"]], "name": local_names(frame, language),
        "risk_id": frame["risk_id"], "description": frame["description"],
        "score": frame["score"], "level": words(frame["level"], lambda c: label("risk_level", c, language)),
        "status": words(frame["status"], lambda c: label("risk_status", c, language)),
        "strategy": words(frame["strategy"], lambda c: label("risk_strategy", c, language) if isinstance(c, str) else "—"),
        "owner": frame["owner"], "reviewed_on": frame["reviewed_on"], "days_since_review": frame["days_since_review"],
        "review_overdue": words(frame["review_overdue"], lambda b: tr("risks.review_overdue") if b else ""),
    })


def risk_columns() -> dict:
    c = st.column_config
    return {"link": project_link_column(), "name": c.TextColumn(tr("common.project_name"), width="medium"),
            "risk_id": c.TextColumn(tr("risks.col.risk_id"), width="small"),
            "description": c.TextColumn(tr("issues.col.description"), width="medium"),
            "score": c.NumberColumn(tr("risks.col.score"), format="%d"),
            "level": c.TextColumn(tr("risks.col.level"), width="small"),
            "status": c.TextColumn(tr("risks.col.status"), width="small"),
            "strategy": c.TextColumn(tr("risks.col.strategy"), width="small"),
            "owner": c.TextColumn(tr("tasks.col.owner"), width="small"),
            "reviewed_on": c.DateColumn(tr("risks.col.reviewed_on"), format="YYYY-MM-DD"),
            "days_since_review": c.NumberColumn(tr("risks.col.days_since_review"), format="%d"),
            "review_overdue": c.TextColumn(tr("risks.col.review_overdue"), width="small")}


def risk_history(frame: pd.DataFrame, risk_id: str) -> None:
    language = lang()
    shown = pd.DataFrame({
        "reviewed_on": frame["reviewed_on"],
        "kind": words(frame["first"], lambda f: tr("risks.identified") if f else tr("risks.review")),
        "score": frame["score"], "level": words(frame["level"], lambda c: label("risk_level", c, language)),
        "status": words(frame["status"], lambda c: label("risk_status", c, language)),
        "strategy": words(frame["strategy"], lambda c: label("risk_strategy", c, language) if isinstance(c, str) else "—"),
        "change": frame["change"], "note": frame["note"],
    })
    c = st.column_config
    table(shown, f"risk_history_{risk_id}", {
        "reviewed_on": c.DateColumn(tr("risks.col.reviewed_on"), format="YYYY-MM-DD"),
        "kind": c.TextColumn(tr("risks.col.kind"), width="small"),
        "score": c.NumberColumn(tr("risks.col.score"), format="%d"),
        "level": c.TextColumn(tr("risks.col.level"), width="small"),
        "status": c.TextColumn(tr("risks.col.status"), width="small"),
        "strategy": c.TextColumn(tr("risks.col.strategy"), width="small"),
        "change": c.NumberColumn(tr("risks.col.change"), format="%+d"),
        "note": c.TextColumn(tr("issues.col.note"), width="large")}, key=f"risk_history_{risk_id}",
        title=tr("risks.history_of", risk=risk_id))
