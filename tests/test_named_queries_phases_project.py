"""The Phase progress and Project queries against numbers worked out by hand from
tests/fixtures.py (D = 2026-06-30)."""

import datetime as dt
import pandas as pd
import pytest

from pilotdash import named_queries
from tests import fixtures


def is_dash(value):
    """Empty: NULL in the store (None, NaN, NaT or NA in a frame)."""
    return value is None or bool(pd.isna(value))


def by(frame, key):
    return {r[key]: r for r in frame.to_dict("records")}


def test_schedule_by_project(run):
    frame = run("schedule_by_project")
    # Behind first, worst delay first: B (m5 overdue 91 days), A (m3 overdue 15 days); then D
    # (on schedule: no phases, no milestones); C is withdrawn, so closed, last.
    assert list(frame["project_id"]) == ["B", "A", "D", "C"]
    rows = by(frame, "project_id")
    a, b = rows["A"], rows["B"]
    # A: m1, m2, m3 due by D (m4 due 2026-12-31); m1 on time, m2 late, m3 overdue 15 days.
    assert (a["milestones"], a["due"], a["done_on_time"], a["done_late"], a["overdue"], a["upcoming"]) == (4, 3, 1, 1, 1, 1)
    assert a["completion"] == pytest.approx(2 / 3)  # m1, m2 done of 3 due
    assert a["spi"] == pytest.approx(125 / 187.5)  # 0.667: EV 250×2/4 over PV 250×3/4
    # Deepening planned 2025-07-01..2026-12-31: 364 of 548 days elapsed on D.
    assert a["phase"] == "deepening" and a["phase_progress"] == pytest.approx(364 / 548)
    assert a["behind"] and a["schedule_state"] == "behind"
    assert list(a["schedule_reasons"]) == ["milestone_overdue", "spi_low"] and a["slip_days"] == 15
    # B: m5 overdue; m6 is due on D itself and not done: upcoming, not yet due (due counts done +
    # overdue, so the states add up to it); none done; SPI 0.
    assert (b["due"], b["overdue"], b["upcoming"]) == (1, 1, 1)
    assert b["completion"] == 0 and b["spi"] == 0 and b["slip_days"] == 91
    # Launch planned 2025-01-01..2026-12-31: 545 of 729 days.
    assert b["phase_progress"] == pytest.approx(545 / 729)
    # C: withdrawn, every phase done, no milestones: closed, no completion, no SPI.
    assert rows["C"]["schedule_state"] == "closed" and not rows["C"]["behind"]
    assert is_dash(rows["C"]["completion"]) and is_dash(rows["C"]["spi"])
    # D: no phases at all: no progress; nothing due.
    assert rows["D"]["schedule_state"] == "on_schedule" and is_dash(rows["D"]["phase_progress"])


@pytest.mark.parametrize("sort,order", [
    ("id", ["A", "B", "C", "D"]),
    ("start", ["C", "A", "B", "D"]),  # first planned start 2023, 2024, 2025; D has none
    ("end", ["C", "B", "A", "D"]),  # last planned end 2025-12-31, 2027-12-31, 2028-12-31
    ("completion", ["B", "A", "C", "D"]),  # 0, 2/3, then no rate
])
def test_schedule_sorts(run, sort, order):
    assert list(run("schedule_by_project", sort=sort)["project_id"]) == order


def test_schedule_summary(run):
    rows = by(run("schedule_summary"), "belt")
    assert set(rows) == {"east", "central", "west", "all"}
    total = rows["all"]
    # behind is over the running pilots: A, B, D (C is withdrawn)
    assert (total["projects"], total["running"], total["behind"]) == (4, 3, 2)
    # 6 milestones; done: m1 (on time), m2 (late); overdue m3, m5; upcoming m4, m6 (due on D).
    # due = done on time + done late + overdue = 4.
    assert (total["milestones"], total["due"], total["done_on_time"], total["done_late"],
            total["overdue"], total["upcoming"]) == (6, 4, 1, 1, 2, 2)
    assert total["due"] == total["done_on_time"] + total["done_late"] + total["overdue"]
    assert total["completion"] == pytest.approx(2 / 4)
    assert (rows["east"]["overdue"], rows["west"]["overdue"], rows["central"]["milestones"]) == (1, 1, 0)
    assert is_dash(rows["central"]["completion"])


def test_schedule_summary_when_nothing_matches(run):
    frame = run("schedule_summary", belt=["central"], status=["active"])
    assert list(frame["belt"]) == ["all"] and frame.iloc[0]["projects"] == 0


def test_overdue_milestones_worst_first(run):
    frame = run("overdue_milestones")
    assert list(frame["milestone_id"]) == ["m5", "m3"]
    assert list(frame["overdue_days"]) == [91, 15]
    assert list(run("overdue_milestones", belt=["east"])["milestone_id"]) == ["m3"]
    # On 2026-03-31 m5 is due that very day and m3 not yet: nothing is past due.
    assert run("overdue_milestones", as_of="2026-03-31").empty


def test_closed_pilots_milestones_are_not_overdue(store, run):
    # A withdrawn pilot's milestone left undone is closed, not overdue: neither listed nor counted.
    with store.writing() as cur:
        cur.execute("INSERT INTO milestones VALUES ('m9', 'C', 'promotion', '总结验收', 'outcome', "
                    "DATE '2024-12-31', NULL)")
    frame = run("overdue_milestones")
    assert list(zip(frame["milestone_id"], frame["status"], frame["overdue_days"])) == [
        ("m5", "active", 91), ("m3", "active", 15)]
    states = dict(store.rows("SELECT milestone_id, state FROM milestone_states(DATE '2026-06-30')"))
    assert states["m9"] == "closed"
    assert run("overview_totals").iloc[0]["overdue_milestones"] == 2


def test_phase_timeline(run):
    frame = run("phase_timeline", project=["A"])
    rows = by(frame, "phase")
    assert list(frame["phase"]) == ["launch", "deepening", "promotion"]
    # Launch finished 2025-08-31, 62 days after its planned end; deepening started 62 days late
    # and is under way: its actual bar runs to D.
    assert rows["launch"]["phase_state"] == "done" and rows["launch"]["end_slip_days"] == 62
    assert rows["deepening"]["phase_state"] == "in_progress" and rows["deepening"]["start_slip_days"] == 62
    assert rows["deepening"]["actual_to"].date() == fixtures.AS_OF
    assert rows["promotion"]["phase_state"] == "not_started" and is_dash(rows["promotion"]["actual_to"])
    # Before launch ended, its actual end is not known yet.
    early = by(run("phase_timeline", project=["A"], as_of="2025-07-31"), "phase")
    assert early["launch"]["phase_state"] == "in_progress" and is_dash(early["launch"]["actual_end"])
    assert set(run("phase_timeline")["project_id"]) == {"A", "B", "C"}


def test_late_phase_start_and_finish_make_a_pilot_behind(store):
    # D gets a launch phase planned 2025-06-01..2026-05-31 that never started: on D it is 394
    # days late to start and 30 days late to finish, so D is behind by 394 days.
    with store.writing() as cur:
        cur.execute("INSERT INTO phases VALUES ('D', 'launch', '2025-06-01', '2026-05-31', NULL, NULL)")
    rows = by(named_queries.run(store, "schedule_by_project", {"as_of": fixtures.AS_OF}), "project_id")
    d = rows["D"]
    assert d["behind"] and list(d["schedule_reasons"]) == ["phase_start_late", "phase_end_late"]
    assert d["slip_days"] == 394


def test_project_facts(run):
    a = run("project_facts", project="A").iloc[0]
    assert (a["belt"], a["province_en"], a["phase"], a["health"]) == ("east", "Beijing", "deepening", "amber")
    assert list(a["reasons"]) == ["milestone_overdue", "indicator_behind", "low_execution_closed_year", "spi_low",
                                  "open_orange_risk"]
    assert run("project_facts", project="nope").empty


def test_project_milestones(run):
    frame = run("project_milestones", project="B")
    rows = by(frame, "milestone_id")
    assert rows["m5"]["state"] == "overdue" and rows["m5"]["overdue_days"] == 91
    # m6 was done on 2026-07-15, after D: not done yet on D, and due on D: upcoming.
    assert rows["m6"]["state"] == "upcoming" and is_dash(rows["m6"]["done_date"])


def test_project_indicators(run):
    rows = by(run("project_indicators", project="A"), "indicator_code")
    assert rows["E1"]["target"] == 0.25 and rows["E1"]["target_scope"] == "belt"
    assert rows["E1"]["gap"] == pytest.approx(0.05) and rows["E1"]["status"] == "behind"  # lower is better
    assert rows["I3"]["target_scope"] == "project" and is_dash(rows["I3"]["achievement"])
    assert rows["P1"]["target_scope"] == "catalogue" and rows["P1"]["actual"] == 66


def test_project_reading_trend(run):
    frame = run("project_reading_trend", project="A", indicator="P1")
    # The 99 of 2026-09-30 is after D; both readings measured against the catalogue target 80.
    assert list(frame["actual"]) == [60, 66] and set(frame["target"]) == {80}
    assert list(frame["status"]) == ["behind", "behind"]
    b = run("project_reading_trend", project="B", indicator="E1")
    assert list(b["status"]) == ["met"]  # 0 on a lower-is-better indicator is met


def test_project_budget_lines(run):
    a = run("project_budget_lines", project="A")
    assert list(a["fiscal_year"]) == [2025, 2026, 2027]
    assert list(a["counted"]) == [True, True, False]  # 2027 is after D's year: in BAC only
    assert a.iloc[1]["execution_rate"] == pytest.approx(0.4)  # 20 spent of 50 disbursed
    b = run("project_budget_lines", project="B")
    assert list(b["source"]) == ["central", "social"]
    assert list(b["overspend"]) == [True, False]  # central: 120 spent of 100 disbursed
    assert is_dash(b.iloc[1]["arrival_rate"])  # social: 0 allocated gives "—"


def test_project_earned_value(run):
    a = run("project_earned_value", project="A").iloc[0]
    assert (a["bac"], a["pv"], a["ev"], a["ac"]) == (250, 187.5, 125, 100)
    assert a["spi"] == pytest.approx(0.667, abs=1e-3) and a["spi_band"] == "red"  # below 0.8
    assert a["cpi"] == pytest.approx(1.25) and a["cpi_band"] == "green"
    assert (a["milestones"], a["due"], a["done"]) == (4, 3, 2)
    c = run("project_earned_value", project="C").iloc[0]
    assert is_dash(c["spi"]) and c["spi_band"] is None


def test_project_risks(run):
    frame = run("project_risks", project="A")
    # r3 is identified after D; the open r2 (8, orange) comes before the mitigated r1 (15, red).
    assert list(frame["risk_id"]) == ["r2", "r1"]
    assert list(frame["level"]) == ["orange", "red"] and list(frame["score"]) == [8, 15]


def test_ev_level_thresholds(store):
    levels = store.rows(
        "SELECT ev_level(0.79), ev_level(0.8), ev_level(0.89), ev_level(0.9), ev_level(NULL)")[0]
    assert levels == ("red", "amber", "amber", "green", None)


def test_as_of_moves_milestone_states(run):
    # On 2026-08-01 m6 is done (late, 2026-07-15 > 2026-06-30) and m3 is 47 days overdue.
    rows = by(run("project_milestones", project="A", as_of=dt.date(2026, 8, 1)), "milestone_id")
    assert rows["m3"]["overdue_days"] == 47
    b = by(run("project_milestones", project="B", as_of=dt.date(2026, 8, 1)), "milestone_id")
    assert b["m6"]["state"] == "done_late"
