"""Every rule of domain.md "Tasks, issues and risk reviews" on rows small enough to check by hand.
The fixture's D is 2026-06-30; pilot A is active, C withdrawn, D suspended (tests/fixtures.py)."""

import datetime as dt

import pytest

D = dt.date(2026, 6, 30)


def add(store, table, rows):
    with store.writing() as w:
        marks = ", ".join("?" for _ in rows[0])
        w.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)


def task(tid, parent=None, start="2026-01-01", due="2026-12-31", done=None, weight=1, progress=None, pid="A"):
    return (tid, pid, parent, "任务", "王芳", start, due, done, weight, progress, "")


def nodes(store, as_of=D):
    return {r[0]: r[1:] for r in store.rows(
        "SELECT task_id, round(progress, 2), round(planned, 2), state, overdue_days, level FROM task_nodes(?)", [as_of])}


@pytest.mark.parametrize("as_of, planned", [
    ("2026-06-29", 0.0),   # start = due, before it: 0
    ("2026-06-30", 1.0),   # start = due, on it: 1 ...
    ("2026-07-01", 1.0),   # ... and after
])
def test_planned_when_start_equals_due(store, as_of, planned):
    assert store.rows("SELECT task_planned(DATE '2026-06-30', DATE '2026-06-30', ?::DATE)", [as_of])[0][0] == planned


def test_planned_is_the_elapsed_share_clamped(store):
    # 2026-01-01 .. 2026-12-31 is 364 days; 2026-06-30 is day 180: 180 / 364 = 0.4945
    q = "SELECT task_planned(DATE '2026-01-01', DATE '2026-12-31', ?::DATE)"
    assert store.rows(q, [D])[0][0] == pytest.approx(180 / 364)
    assert store.rows(q, [dt.date(2025, 6, 1)])[0][0] == 0.0
    assert store.rows(q, [dt.date(2027, 6, 1)])[0][0] == 1.0


def test_roll_up_by_weights_and_the_99_cap(store):
    # g ─ s1 (w 3) ─ a1 (w 1, 40%), a2 (w 3, done = 100): s1 = (40 + 300) / 4 = 85
    #   └ s2 (w 1) ─ a3 (w 1, reported 100 but not done: shows 99)              s2 = 99
    # g = (3 × 85 + 1 × 99) / 4 = 88.5; its own reported 10 is ignored.
    add(store, "tasks", [
        task("g", progress=10), task("s1", "g", weight=3), task("s2", "g"),
        task("a1", "s1", progress=40), task("a2", "s1", weight=3, done="2026-03-01", due="2026-03-31"),
        task("a3", "s2", progress=100),
    ])
    n = nodes(store)
    assert n["a3"][0] == 99 and n["a2"][0] == 100 and n["a1"][0] == 40
    assert n["s1"][0] == 85 and n["s2"][0] == 99 and n["g"][0] == 88.5
    assert (n["g"][4], n["s1"][4], n["a1"][4]) == (1, 2, 3)


def test_weights_may_be_decimals(store):
    add(store, "tasks", [task("g"), task("a", "g", weight=0.5, progress=20), task("b", "g", weight=1.5, progress=60)])
    assert nodes(store)["g"][0] == 50  # (0.5 × 20 + 1.5 × 60) / 2


@pytest.mark.parametrize("progress, state", [
    (40, "on_track"),  # planned 49.45: 40 is 9.45 under, not more than 10
    (39, "behind"),    # 10.45 under
])
def test_the_ten_point_behind_rule(store, progress, state):
    add(store, "tasks", [task("a", progress=progress)])
    assert nodes(store)["a"][2] == state


def test_a_parent_is_behind_on_its_rolled_up_progress(store):
    # children 20 and 30 (planned 49.45 each, behind); the parent reports 90 but rolls up to 25
    add(store, "tasks", [task("p", progress=90), task("x", "p", progress=20), task("y", "p", progress=30)])
    assert nodes(store)["p"][0] == 25 and nodes(store)["p"][2] == "behind"


@pytest.mark.parametrize("due, days, rag, health", [
    ("2026-05-31", 30, "amber", None),                 # overdue 30 days: not 30+
    ("2026-05-30", 31, "red", "task_overdue_30d"),     # overdue 31 days: red node, health amber
])
def test_overdue_at_30_and_31_days(store, due, days, rag, health):
    add(store, "tasks", [task("g", pid="D", due="2027-12-31"), task("a", "g", pid="D", due=due, start="2026-01-01")])
    assert nodes(store)["a"][2:4] == ("overdue", days)
    rags = dict(store.rows("SELECT task_id, rag FROM task_rag(?)", [D]))
    assert rags == {"a": rag, "g": rag}  # a parent takes its worst descendant's colour
    reasons = store.rows("SELECT reasons FROM project_health_live(?) WHERE project_id = 'D'", [D])[0][0]
    assert (health in reasons) if health else reasons == []
    levels = dict(((c, t), lv) for _, c, _, t, lv, *_ in store.rows("SELECT * FROM warning_conditions(?)", [D]) if c == "task_overdue")
    assert levels == {("task_overdue", "a"): "orange" if days > 30 else "yellow"}


def test_a_withdrawn_pilots_tasks_are_closed(store):
    add(store, "tasks", [task("c", pid="C", due="2026-01-31")])
    assert nodes(store)["c"][2] == "closed"
    assert not store.rows("SELECT * FROM warning_conditions(?) WHERE trigger_id = 'c'", [D])


def test_on_time_delivery(store):
    # leaves due by D: a (done on time), b (done late), c (not done): 1 / 3; d is due after D;
    # the parent p is not a leaf. Pilot B has no task due: "—" (NULL).
    add(store, "tasks", [
        task("p", due="2026-06-30"), task("a", "p", due="2026-03-31", done="2026-03-31"),
        task("b", "p", due="2026-03-31", done="2026-04-02"), task("c", "p", due="2026-06-29"),
        task("d", "p", due="2026-07-31", done="2026-06-01"),
    ])
    assert store.rows("SELECT on_time_delivery('A', ?::DATE)", [D])[0][0] == pytest.approx(1 / 3)
    assert store.rows("SELECT on_time_delivery('B', ?::DATE)", [D])[0][0] is None
    # before a was done it was not done on time as of that date: 0 of 2 due by 2026-03-31
    assert store.rows("SELECT on_time_delivery('A', DATE '2026-03-30')")[0][0] is None
    assert store.rows("SELECT on_time_delivery('A', DATE '2026-03-31')")[0][0] == 0.5


def issue(iid, raised="2026-05-01", due="2026-05-31", resolved=None, verified=None, pid="A"):
    return (iid, pid, None, "inspection", "x", raised, "李强", due, resolved, verified, "赵敏" if verified else None)


def test_issue_states_on_a_date(store):
    add(store, "issues", [
        issue("v", resolved="2026-05-20", verified="2026-06-10"),
        issue("r", resolved="2026-06-01", verified="2026-07-10"),   # signed off after D: awaiting on D
        issue("o", due="2026-06-10"),                                # overdue 20 days
        issue("n", due="2026-07-31"),                                # open
        issue("later", raised="2026-07-01"),                         # raised after D: does not exist
    ])
    states = dict(store.rows("SELECT issue_id, state FROM issue_states(?)", [D]))
    assert states == {"v": "verified", "r": "resolved", "o": "overdue", "n": "open"}
    on_june_1 = dict(store.rows("SELECT issue_id, state FROM issue_states(DATE '2026-06-01')"))
    assert on_june_1["v"] == "resolved" and on_june_1["r"] == "resolved" and on_june_1["o"] == "open"
    # resolution rate: 1 verified of 4 raised by D
    assert store.rows("SELECT issue_resolution('A', ?::DATE)", [D])[0][0] == 0.25
    assert store.rows("SELECT issue_resolution('B', ?::DATE)", [D])[0][0] is None


@pytest.mark.parametrize("due, level, health", [("2026-05-31", "yellow", False), ("2026-05-30", "orange", True)])
def test_issue_overdue_30_vs_31_days(store, due, level, health):
    add(store, "issues", [issue("o", pid="D", raised="2026-05-01", due=due)])
    found = store.rows("SELECT level FROM warning_conditions(?) WHERE condition = 'issue_overdue'", [D])
    assert found == [(level,)]
    reasons = store.rows("SELECT reasons FROM project_health_live(?) WHERE project_id = 'D'", [D])[0][0]
    assert ("issue_overdue_30d" in reasons) == health


def test_a_risk_on_a_date_is_its_latest_review(store):
    # r2 (A): identified 2025-09-01 as 2 × 4 = 8 orange, open. Reviewed 2026-03-01: 4 × 4 = 16 red;
    # reviewed 2026-06-01: mitigated. A review on the identification day wins over the row.
    add(store, "risk_reviews", [
        ("r2", "2026-03-01", 4, 4, "open", "mitigate", "升级"),
        ("r2", "2026-06-01", 4, 4, "mitigated", "mitigate", "缓解"),
        ("r4", "2026-01-10", 2, 3, "open", "accept", "同日复盘"),
    ])
    at = lambda d: store.rows("SELECT probability * impact, status FROM risks_on(?::DATE) WHERE risk_id = 'r2'", [d])[0]
    assert at("2026-02-28") == (8, "open")
    assert at("2026-03-01") == (16, "open")
    assert at("2026-06-30") == (16, "mitigated")
    assert store.rows("SELECT probability * impact FROM risks_on(DATE '2026-01-10') WHERE risk_id = 'r4'")[0][0] == 6
    # health on 2026-04-30: r2 open red → red; on D mitigated: not an open red or orange risk
    april = store.rows("SELECT reasons FROM project_health_live(DATE '2026-04-30') WHERE project_id = 'A'")[0][0]
    june = store.rows("SELECT reasons FROM project_health_live(?) WHERE project_id = 'A'", [D])[0][0]
    assert "open_red_risk" in april and "open_red_risk" not in june and "open_orange_risk" not in june


@pytest.mark.parametrize("days, overdue", [(92, False), (93, True)])
def test_review_overdue_at_92_vs_93_days(store, days, overdue):
    add(store, "risk_reviews", [("r4", (D - dt.timedelta(days=days)).isoformat(), 1, 3, "open", "accept", "")])
    assert store.rows("SELECT review_overdue FROM risks_on(?) WHERE risk_id = 'r4'", [D])[0][0] is overdue
    found = store.rows("SELECT level FROM warning_conditions(?) WHERE condition = 'risk_review_overdue' "
                       "AND trigger_id = 'r4'", [D])
    assert found == ([("yellow",)] if overdue else [])
