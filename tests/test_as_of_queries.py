"""Every stable query at three as-of dates, against a hand computation (domain.md "A pilot exists
on D", "Its status on D").

The fixture store (tests/fixtures.py) with C's withdrawal dated: C withdrawn from 2025-07-01.
Pilots start in different years: C 2023-01-01, A 2024-01-01, B 2025-01-01, D 2025-06-01.

    BEFORE = 2022-12-31  no pilot has started: every list empty, every count 0, every rate "—".
    MID    = 2025-03-31  A, B, C exist (D starts 2025-06-01); C is still active (its status date
                         is later), so it is judged like the others.
    TODAY  = 2026-06-30  all four; C withdrawn (closed: not judged), D suspended (running).
"""

from __future__ import annotations

import datetime as dt
import math

import pytest

from pilotdash import named_queries
from tests import fixtures

BEFORE, MID, TODAY = dt.date(2022, 12, 31), dt.date(2025, 3, 31), dt.date(2026, 6, 30)
STABLE = ("indicator_status", "fund_by_project", "earned_value", "project_health", "region_summary",
          "overview_totals")


@pytest.fixture
def dated(store):
    with store.writing() as cur:
        cur.execute("UPDATE projects SET status_date = DATE '2025-07-01' WHERE project_id = 'C'")
    return lambda name, on: named_queries.run(store, name, {"as_of": on})


def dash(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def by(frame, key: str) -> dict:
    return {r[key]: r for r in frame.to_dict("records")}


# BEFORE: no pilot yet -------------------------------------------------------------------------

@pytest.mark.parametrize("name", STABLE[:4])
def test_before_any_pilot_lists_are_empty(dated, name):
    assert dated(name, BEFORE).empty


def test_before_any_pilot_totals_are_zero(dated):
    t = dated("overview_totals", BEFORE).iloc[0]
    assert (t.projects, t.running, t.closed, t.red, t.amber, t.green) == (0, 0, 0, 0, 0, 0)
    assert (t.allocated, t.spent, t.overdue_milestones, t.pairs_with_data) == (0, 0, 0, 0)
    assert dash(t.utilisation) and dash(t.share_met)
    regions = dated("region_summary", BEFORE)
    assert list(regions["belt"]) == ["east", "central", "west"]  # every belt, each empty
    assert regions["projects"].sum() == 0 and regions["allocated"].sum() == 0
    assert regions["utilisation"].isna().all() and regions["share_met"].isna().all()


# MID = 2025-03-31: A, B, C ----------------------------------------------------------------------

def test_mid_indicator_status(dated):
    # No reading is on or before 2025-03-31 (the first is C's 2025-12-31): every pair no data.
    # Targets: A (east) E1 belt 0.25, P1 catalogue 80, I3 its own 0, I1 catalogue 60; B (west)
    # E1 catalogue 0.3, P1 west 75, I3 catalogue 5, I1 60; C (central) I1 60, P1 80. No D (not started).
    got = {(r["project_id"], r["indicator_code"]): (r["target"], r["status"])
           for r in dated("indicator_status", MID).to_dict("records")}
    assert got == {
        ("A", "E1"): (0.25, "no_data"), ("A", "I1"): (60, "no_data"), ("A", "I3"): (0, "no_data"),
        ("A", "P1"): (80, "no_data"), ("B", "E1"): (0.3, "no_data"), ("B", "I1"): (60, "no_data"),
        ("B", "I3"): (5, "no_data"), ("B", "P1"): (75, "no_data"), ("C", "I1"): (60, "no_data"),
        ("C", "P1"): (80, "no_data"),
    }


def test_mid_fund_by_project(dated):
    # Lines of fiscal years <= 2025: A's 2025 line (100, 100, 80), C's 2024 line (0, 0, 0); B's
    # lines are all 2026: no row.
    rows = by(dated("fund_by_project", MID), "project_id")
    assert list(rows) == ["A", "C"]
    a, c = rows["A"], rows["C"]
    assert (a["allocated"], a["disbursed"], a["spent"]) == (100, 100, 80)
    assert a["arrival_rate"] == 1.0 and a["execution_rate"] == pytest.approx(0.8)
    assert a["utilisation"] == pytest.approx(0.8) and not a["overspend"]
    assert (c["allocated"], c["spent"]) == (0, 0) and dash(c["utilisation"]) and not c["overspend"]


def test_mid_earned_value(dated):
    # A: BAC 100 + 100 + 50 = 250; none of its 4 milestones due (m1 2025-06-30) or done (m1
    # 2025-06-15) by then: PV 0, EV 0; AC = 80 (2025 line): SPI "—" (PV 0), CPI 0 / 80 = 0.
    # B: BAC 200, nothing due or done, AC 0 (no line <= 2025): both "—". C: BAC 0, no milestones.
    rows = by(dated("earned_value", MID), "project_id")
    assert list(rows) == ["A", "B", "C"]
    a, b, c = rows["A"], rows["B"], rows["C"]
    assert (a["bac"], a["pv"], a["ev"], a["ac"]) == (250, 0, 0, 80)
    assert dash(a["spi"]) and a["cpi"] == 0
    assert (b["bac"], b["pv"], b["ev"], b["ac"]) == (200, 0, 0, 0) and dash(b["spi"]) and dash(b["cpi"])
    assert c["bac"] == 0 and dash(c["pv"]) and dash(c["spi"]) and dash(c["cpi"])


def test_mid_project_health(dated):
    # A: nothing overdue, no overspend, r1 not open, r2 identified later, no indicator data; CPI 0
    # < 0.9: amber. B: nothing at all yet: green. C: active then; r5 (red) identified 2025-06-01,
    # later; its 2024 line has no execution rate (0 / 0): green.
    rows = by(dated("project_health", MID), "project_id")
    assert {p: (r["health"], list(r["reasons"])) for p, r in rows.items()} == {
        "A": ("amber", ["cpi_low"]), "B": ("green", []), "C": ("green", [])}


def test_mid_region_summary(dated):
    rows = by(dated("region_summary", MID), "belt")
    east, central, west = rows["east"], rows["central"], rows["west"]
    assert (east["projects"], east["red"], east["amber"], east["green"]) == (1, 0, 1, 0)  # A
    assert (east["allocated"], east["disbursed"], east["spent"]) == (100, 100, 80)
    assert east["utilisation"] == pytest.approx(0.8) and dash(east["share_met"])  # no pair with data
    assert (central["projects"], central["green"], central["allocated"]) == (1, 1, 0)  # C
    assert dash(central["utilisation"])
    assert (west["projects"], west["green"], west["allocated"]) == (1, 1, 0)  # B: no line <= 2025


def test_mid_overview_totals(dated):
    t = dated("overview_totals", MID).iloc[0]
    # A, B, C, all active on the date; A amber, B and C green; money of A's and C's counted lines.
    assert (t.projects, t.active, t.running, t.closed) == (3, 3, 3, 0)
    assert (t.red, t.amber, t.green) == (0, 1, 2)
    assert (t.allocated, t.disbursed, t.spent, t.overspent_projects) == (100, 100, 80, 0)
    assert t.utilisation == pytest.approx(0.8) and t.arrival_rate == 1.0
    assert t.pairs_with_data == 0 and dash(t.share_met) and t.overdue_milestones == 0


# TODAY = 2026-06-30: all four, C withdrawn ------------------------------------------------------

def test_today_indicator_status(dated):
    # A: P1 66/80 = 0.825 behind; E1 lower 0.25/0.3 = 0.833 behind; I3 target 0 met; I1 65/60 met.
    # B: E1 actual 0 (lower) met; P1 74/75 = 0.987 near; I3 1/5 behind; I1 only read after D.
    # C (withdrawn, still measured): I1 70/60 met; P1 50/80 behind. D reports nothing.
    got = {(r["project_id"], r["indicator_code"]): r["status"]
           for r in dated("indicator_status", TODAY).to_dict("records")}
    assert got == {
        ("A", "E1"): "behind", ("A", "I1"): "met", ("A", "I3"): "met", ("A", "P1"): "behind",
        ("B", "E1"): "met", ("B", "I1"): "no_data", ("B", "I3"): "behind", ("B", "P1"): "near",
        ("C", "I1"): "met", ("C", "P1"): "behind",
    }


def test_today_fund_by_project(dated):
    rows = by(dated("fund_by_project", TODAY), "project_id")
    assert list(rows) == ["A", "B", "C"]  # D has no budget line
    a, b = rows["A"], rows["B"]
    # A: 2025 + 2026 lines: 200, 150, 100 (2027 is later). B: 200, 100, 120: overspent.
    assert (a["allocated"], a["disbursed"], a["spent"]) == (200, 150, 100) and a["utilisation"] == 0.5
    assert (b["allocated"], b["disbursed"], b["spent"]) == (200, 100, 120) and b["overspend"]
    assert b["execution_rate"] == pytest.approx(1.2)


def test_today_earned_value(dated):
    rows = by(dated("earned_value", TODAY), "project_id")
    assert list(rows) == ["A", "B", "C", "D"]
    a, b = rows["A"], rows["B"]
    # A: PV 250 x 3/4 = 187.5, EV 250 x 2/4 = 125, AC 80 + 20 = 100.
    assert (a["pv"], a["ev"], a["ac"]) == (187.5, 125, 100) and a["cpi"] == 1.25
    # B: m5 and m6 due by D, none done: PV 200, EV 0; AC 120: SPI 0, CPI 0.
    assert (b["pv"], b["ev"], b["ac"], b["spi"], b["cpi"]) == (200, 0, 120, 0, 0)


def test_today_project_health(dated):
    # C is withdrawn on the date: closed, not judged (its red risk would make it red).
    health = {p: r["health"] for p, r in by(dated("project_health", TODAY), "project_id").items()}
    assert health == {"A": "amber", "B": "red", "C": "closed", "D": "green"}


def test_today_region_summary(dated):
    rows = by(dated("region_summary", TODAY), "belt")
    # east: A amber, D green; A's 4 pairs with data, 2 met. central: C closed; I1 met, P1 behind.
    # west: B red; 3 pairs with data (E1 met, P1 near, I3 behind).
    e, c, w = rows["east"], rows["central"], rows["west"]
    assert (e["projects"], e["red"], e["amber"], e["green"], e["share_met"]) == (2, 0, 1, 1, 0.5)
    assert (c["projects"], c["red"], c["amber"], c["green"], c["share_met"]) == (1, 0, 0, 0, 0.5)
    assert (w["projects"], w["red"], w["amber"], w["green"]) == (1, 1, 0, 0)
    assert w["share_met"] == pytest.approx(1 / 3) and w["utilisation"] == pytest.approx(0.6)


def test_today_overview_totals(dated):
    t = dated("overview_totals", TODAY).iloc[0]
    # running: A, B (active), D (suspended); C withdrawn counted apart.
    assert (t.projects, t.active, t.running, t.closed) == (4, 2, 3, 1)
    assert (t.red, t.amber, t.green) == (1, 1, 1)
    assert (t.allocated, t.disbursed, t.spent, t.overspent_projects) == (400, 250, 220, 1)
    assert t.pairs_with_data == 9 and t.share_met == pytest.approx(4 / 9)
    assert t.overdue_milestones == 2  # m3 (A), m5 (B)


def test_a_status_date_moves_the_status(dated):
    # On 2025-06-30 C is active (withdrawn only from 2025-07-01), on 2025-07-01 closed.
    assert by(dated("project_health", dt.date(2025, 6, 30)), "project_id")["C"]["health"] != "closed"
    assert by(dated("project_health", dt.date(2025, 7, 1)), "project_id")["C"]["health"] == "closed"
