"""Every measure of domain.md against numbers worked out by hand from tests/fixtures.py (D = 2026-06-30)."""

import datetime as dt
import math

import pytest

from tests import fixtures

D = fixtures.AS_OF


def rows(frame, key):
    return {r[key]: r for r in frame.to_dict("records")}


def is_dash(value):
    """An empty ratio: NULL in the store, shown as "—"."""
    return value is None or (isinstance(value, float) and math.isnan(value))


# Indicators -----------------------------------------------------------------------------------


def test_indicator_status_by_hand(run):
    status = {(r["project_id"], r["indicator_code"]): r for r in run("indicator_status").to_dict("records")}

    # A P1: latest reading on or before D is 66 (the 99 of 2026-09-30 is after D); catalogue target 80.
    a_p1 = status[("A", "P1")]
    assert a_p1["period_end"].date() == dt.date(2026, 6, 30)
    assert a_p1["actual"] == 66 and a_p1["target"] == 80
    assert a_p1["achievement"] == pytest.approx(66 / 80)  # 82.5%: behind
    assert a_p1["gap"] == pytest.approx(14)
    assert a_p1["status"] == "behind"

    # A E1, lower is better: east belt target 0.25; achievement 0.25 / 0.3; gap 0.3 - 0.25.
    a_e1 = status[("A", "E1")]
    assert a_e1["target"] == 0.25
    assert a_e1["achievement"] == pytest.approx(0.25 / 0.3)
    assert a_e1["gap"] == pytest.approx(0.05)
    assert a_e1["status"] == "behind"

    # B E1: an actual of 0 on a lower-is-better indicator counts as met; no rate; gap 0 - 0.3.
    b_e1 = status[("B", "E1")]
    assert b_e1["status"] == "met" and is_dash(b_e1["achievement"])
    assert b_e1["gap"] == pytest.approx(-0.3)

    # B P1: west target 75, actual 74: 98.7%, near, gap 1.
    assert status[("B", "P1")]["achievement"] == pytest.approx(74 / 75)
    assert status[("B", "P1")]["status"] == "near"

    # A I3: a project target of 0 on a higher-is-better indicator gives no rate; 3 >= 0 is met.
    a_i3 = status[("A", "I3")]
    assert a_i3["target"] == 0 and is_dash(a_i3["achievement"]) and a_i3["status"] == "met"
    assert a_i3["gap"] == pytest.approx(-3)

    # B I1: its only reading is after D: no data, no actual, no rate.
    b_i1 = status[("B", "I1")]
    assert b_i1["status"] == "no_data" and is_dash(b_i1["actual"]) and is_dash(b_i1["achievement"])

    # C I1: 70 against 60: met, 116.7%, not capped; gap -10.
    assert status[("C", "I1")]["achievement"] == pytest.approx(70 / 60)
    assert status[("C", "I1")]["status"] == "met"
    assert status[("C", "I1")]["gap"] == pytest.approx(-10)


def test_as_of_before_any_reading_is_no_data(run):
    # 2024-03-31: only A (started 2024-01-01) and C (2023) exist; no reading is that old.
    frame = run("indicator_status", as_of="2024-03-31")
    assert set(frame["project_id"]) == {"A", "C"}
    assert set(frame["status"]) == {"no_data"}
    assert frame["actual"].isna().all() and frame["achievement"].isna().all()


def test_indicator_filter(run):
    frame = run("indicator_status", indicator=["E1"])
    assert set(frame["indicator_code"]) == {"E1"}
    assert set(frame["project_id"]) == {"A", "B"}


# Target precedence ------------------------------------------------------------------------------

PRECEDENCE = [
    # (value, project, province, belt, phase) from most to least specific, for project A
    # (province 11, east, deepening on D).
    (1, "A", None, None, "deepening"),
    (2, "A", None, None, None),
    (3, None, "11", None, "deepening"),
    (4, None, "11", None, None),
    (5, None, None, "east", "deepening"),
    (6, None, None, "east", None),
    (7, None, None, None, "deepening"),
    (8, None, None, None, None),
]


def test_target_precedence_most_specific_wins(store, run):
    with store.writing() as cur:
        cur.execute("DELETE FROM targets WHERE indicator_code = 'P1'")
        cur.executemany("INSERT INTO targets VALUES ('P1', ?, ?, ?, ?, ?)", PRECEDENCE)
        # Rows that must never apply to A: another project, province, belt and phase.
        cur.executemany(
            "INSERT INTO targets VALUES ('P1', ?, ?, ?, ?, ?)",
            [(90, "B", None, None, None), (91, None, "51", None, None),
             (92, None, None, "west", None), (93, None, None, None, "launch")],
        )
    expected_scope = ["project", "project", "province", "province", "belt", "belt", "national", "national"]
    for value, scope, row in zip(range(1, 9), expected_scope, PRECEDENCE):
        got = store.rows(
            "SELECT target, target_scope, target_phase FROM applicable_targets(?) "
            "WHERE project_id = 'A' AND indicator_code = 'P1'", [D]
        )[0]
        assert got == (value, scope, row[4]), f"expected the {scope}/{row[4]} target {value}"
        with store.writing() as cur:
            cur.execute("DELETE FROM targets WHERE indicator_code = 'P1' AND target_value = ?", [value])
    # Nothing scoped left that matches A: the indicator's national_target from the catalogue.
    got = store.rows(
        "SELECT target, target_scope FROM applicable_targets(?) WHERE project_id = 'A' AND indicator_code = 'P1'",
        [D],
    )[0]
    assert got == (80, "catalogue")


# Phases and milestones ----------------------------------------------------------------------------


def test_phase_on_date(store):
    phase = dict(store.rows("SELECT project_id, phase FROM project_phase(?)", [D]))
    # A: deepening started 2025-09-01; B: in launch; C: after its last phase ended; D: no phases.
    assert phase == {"A": "deepening", "B": "launch", "C": "promotion", "D": "launch"}
    # Before a pilot starts it has no phase at all: it does not exist on the date.
    assert store.rows("SELECT project_id FROM project_phase(?)", [dt.date(2020, 1, 1)]) == []
    # A has started (2024-01-01) although its launch window opens only later here.
    with store.writing() as cur:
        cur.execute("UPDATE phases SET planned_start = DATE '2024-02-01', actual_start = NULL "
                    "WHERE project_id = 'A' AND phase = 'launch'")
    early = dict(store.rows("SELECT project_id, phase FROM project_phase(?)", [dt.date(2024, 1, 15)]))
    assert early["A"] == "launch"  # before the first phase starts
    # 2025-07-15: A's planned deepening has begun but its actual start (2025-09-01) has not.
    gap = dict(store.rows("SELECT project_id, phase FROM project_phase(?)", [dt.date(2025, 7, 15)]))
    assert gap["A"] == "launch"


def test_phase_progress(store):
    got = dict(store.rows(
        "SELECT phase, progress FROM phase_windows(?) WHERE project_id = 'A'", [D]))
    # Launch window over; deepening 2025-07-01..2026-12-31: 364 of 548 days elapsed; promotion not begun.
    assert got["launch"] == 1.0
    assert got["deepening"] == pytest.approx(364 / 548)
    assert got["promotion"] == 0.0


def test_milestone_states(store):
    got = dict(store.rows("SELECT milestone_id, state FROM milestone_states(?)", [D]))
    assert got == {
        "m1": "done_on_time",
        "m2": "done_late",
        "m3": "overdue",
        "m4": "upcoming",
        "m5": "overdue",
        "m6": "upcoming",  # due on D itself and done only after D
    }
    days = dict(store.rows(
        "SELECT milestone_id, overdue_days FROM milestone_states(?) WHERE state = 'overdue'", [D]))
    assert days == {"m3": 15, "m5": 91}


# Money ---------------------------------------------------------------------------------------------


def test_fund_by_project(run):
    funds = rows(run("fund_by_project"), "project_id")
    # A counts 2025 and 2026 lines only: 200 allocated, 150 disbursed, 100 spent.
    a = funds["A"]
    assert (a["allocated"], a["disbursed"], a["spent"]) == (200, 150, 100)
    assert a["arrival_rate"] == pytest.approx(0.75)
    assert a["execution_rate"] == pytest.approx(100 / 150)
    assert a["utilisation"] == pytest.approx(0.5)
    assert not a["overspend"]
    # B spent 120 of 100 disbursed: an overspend.
    b = funds["B"]
    assert b["execution_rate"] == pytest.approx(1.2) and b["overspend"]
    # C's only line is all zeros: every ratio is "—", not 0, not an error.
    c = funds["C"]
    assert is_dash(c["arrival_rate"]) and is_dash(c["execution_rate"]) and is_dash(c["utilisation"])
    # D has no budget lines.
    assert "D" not in funds


def test_fund_fiscal_year_filter(run):
    funds = rows(run("fund_by_project", fiscal_year=[2025]), "project_id")
    assert set(funds) == {"A"}
    assert funds["A"]["allocated"] == 100


def test_matching_ratio(store):
    got = store.rows(
        "SELECT matching_ratio(sum(allocated) FILTER (WHERE source = 'local'), "
        "sum(allocated) FILTER (WHERE source = 'central')) FROM counted_budget_lines(?) WHERE project_id = ?",
        [D, "A"])[0][0]
    assert got == pytest.approx(1.0)  # 100 local against 100 central in 2025-2026
    none = store.rows(
        "SELECT matching_ratio(sum(allocated) FILTER (WHERE source = 'local'), "
        "sum(allocated) FILTER (WHERE source = 'central')) FROM counted_budget_lines(?) WHERE project_id = ?",
        [D, "C"])[0][0]
    assert none is None


def test_earned_value(run):
    ev = rows(run("earned_value"), "project_id")
    # A: BAC 250 (all years); 3 of 4 milestones due by D, 2 done; AC 100.
    a = ev["A"]
    assert a["bac"] == 250 and a["pv"] == pytest.approx(187.5) and a["ev"] == pytest.approx(125)
    assert a["ac"] == 100
    assert a["spi"] == pytest.approx(125 / 187.5) and a["cpi"] == pytest.approx(1.25)
    # B: both milestones due by D, none done: EV 0, SPI 0, CPI 0.
    assert ev["B"]["pv"] == 200 and ev["B"]["ev"] == 0 and ev["B"]["spi"] == 0 and ev["B"]["cpi"] == 0
    # C and D: no milestones: no PV, EV or ratios.
    for p in ("C", "D"):
        assert is_dash(ev[p]["pv"]) and is_dash(ev[p]["spi"]) and is_dash(ev[p]["cpi"])


# Risks and health ----------------------------------------------------------------------------------


def test_risk_levels(store):
    got = dict(store.rows("SELECT s, risk_level(s) FROM unnest([1, 3, 4, 7, 8, 14, 15, 25]) t(s)"))
    assert got == {1: "low", 3: "low", 4: "yellow", 7: "yellow", 8: "orange", 14: "orange", 15: "red", 25: "red"}
    counted = {r[0] for r in store.rows("SELECT risk_id FROM counted_risks(?)", [D])}
    assert counted == {"r1", "r2", "r4", "r5"}  # r3 is identified after D


def test_project_health(run):
    health = rows(run("project_health"), "project_id")
    assert health["A"]["health"] == "amber"
    assert list(health["A"]["reasons"]) == [
        "milestone_overdue", "indicator_behind", "low_execution_closed_year", "spi_low", "open_orange_risk"]
    assert health["B"]["health"] == "red"
    assert list(health["B"]["reasons"]) == [
        "milestone_overdue_30d", "overspend", "indicator_behind", "spi_low", "cpi_low"]
    # C is withdrawn: health is judged for running pilots only, so it is closed, with no reasons
    # (its open red risk would make it red).
    assert health["C"]["health"] == "closed" and list(health["C"]["reasons"]) == []

    assert health["D"]["health"] == "green" and list(health["D"]["reasons"]) == []


def test_status_on_date(store, run):
    # C withdrawn from 2026-01-01: on 2025-12-31 it was active, so judged: its open red risk r5
    # (4 x 4 = 16, identified 2025-06-01) makes it red; from the status date on it is closed.
    with store.writing() as cur:
        cur.execute("UPDATE projects SET status_date = DATE '2026-01-01' WHERE project_id = 'C'")
    before = rows(run("project_health", as_of="2025-12-31"), "project_id")["C"]
    assert before["health"] == "red" and "open_red_risk" in list(before["reasons"])
    assert rows(run("project_health", as_of="2026-01-01"), "project_id")["C"]["health"] == "closed"
    status = dict(store.rows("SELECT project_id, status FROM pilots_on(DATE '2025-12-31')"))
    # D has no status date: suspended has always held
    assert status == {"A": "active", "B": "active", "C": "active", "D": "suspended"}

    # Make A (deepening) have 1 of 4 indicators on track: red. The same on a launch project is not.
    with store.writing() as cur:
        cur.execute("UPDATE readings SET actual_value = 10 WHERE project_id = 'A' AND indicator_code = 'I1'")
    assert "indicators_off_track" in list(rows(run("project_health"), "project_id")["A"]["reasons"])
    assert rows(run("project_health"), "project_id")["A"]["health"] == "red"
    launch = rows(run("project_health", as_of="2025-08-01"), "project_id")
    assert "indicators_off_track" not in list(launch["A"]["reasons"])


def test_region_summary(run):
    regions = rows(run("region_summary"), "belt")
    assert list(regions) == ["east", "central", "west"]
    east, central, west = regions["east"], regions["central"], regions["west"]
    assert (east["projects"], east["red"], east["amber"], east["green"]) == (2, 0, 1, 1)
    assert (east["allocated"], east["disbursed"], east["spent"]) == (200, 150, 100)
    assert east["utilisation"] == pytest.approx(0.5)
    assert east["share_met"] == pytest.approx(2 / 4)  # A: I1 and I3 met of P1, E1, I1, I3
    # C (withdrawn) is counted as a project but its health is not judged (domain.md).
    assert (central["projects"], central["red"], central["amber"], central["green"]) == (1, 0, 0, 0)
    assert is_dash(central["utilisation"])  # allocated 0
    assert central["share_met"] == pytest.approx(1 / 2)
    assert west["share_met"] == pytest.approx(1 / 3)  # B: E1 met, P1 near, I3 behind
    assert west["utilisation"] == pytest.approx(0.6)


def test_health_changes_since_the_previous_quarter_end(run):
    # Health on the quarter ends (project_health): 2025-12-31 A amber, B green, C red, D green;
    # 2026-03-31 A, B, C red (A: fewer than half its indicators met or near after launch);
    # 2026-06-30 A amber again. So as of 2026-03-31 B fell two levels and A one, B first.
    changes = run("health_changes", as_of="2026-03-31")
    assert list(zip(changes["project_id"], changes["health_before"], changes["health"], changes["change"])) == [
        ("B", "green", "red", "worse"), ("A", "amber", "red", "worse")]
    assert list(changes.loc[changes["project_id"] == "B", "reasons"].iloc[0])[0] == "overspend"
    # As of D, against 2026-03-31 by default: A got better, nobody worse; an explicit date too.
    assert list(zip(run("health_changes")["project_id"], run("health_changes")["change"])) == [("A", "better")]
    assert run("health_changes", since="2026-03-31").equals(run("health_changes"))
    # Running pilots only, whatever the status filter (the same pilots as the red/amber/green
    # counts): C (withdrawn) went green to red by the rule in 2025 Q2 but is not judged.
    assert run("health_changes", as_of="2025-06-30").empty
    assert run("health_changes", as_of="2025-06-30", status=["withdrawn"]).empty


def test_previous_period_end_is_the_same_in_sql_and_python(store):
    from pilotdash.domain import previous_period_end

    for day in ("2026-01-01", "2026-03-31", "2026-04-01", "2026-06-30", "2026-12-31", "2024-02-29"):
        date = dt.date.fromisoformat(day)
        sql = store.rows("SELECT previous_period_end(?::DATE)", [date])[0][0]
        assert sql == previous_period_end(date), day


def test_filters_narrow_every_query(run):
    assert set(run("project_health", belt=["east"])["project_id"]) == {"A", "D"}
    assert set(run("project_health", status=["withdrawn"])["project_id"]) == {"C"}
    assert set(run("project_health", phase=["launch"])["project_id"]) == {"B", "D"}
    assert set(run("project_health", province=["51"])["project_id"]) == {"B"}
    assert set(run("project_health", domain=["education"], pilot_type=["basic"])["project_id"]) == {"D"}
    assert list(run("region_summary", belt=["west"])["belt"]) == ["west"]
    assert run("project_health", belt=["east"], status=["withdrawn"]).empty


def test_default_as_of_is_newest_reading_or_today(store):
    from pilotdash.named_queries import default_as_of

    # The newest reading is 2026-09-30; today is later than that in these tests' world only if
    # the clock says so, hence the min.
    assert default_as_of(store) == min(dt.date.today(), dt.date(2026, 9, 30))
