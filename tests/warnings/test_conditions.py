"""Each condition raises exactly the level shared/domain.md gives, on hand-made rows added to the
fixture's pilot D (suspended, launch phase, no data: nothing raised on its own), and health never
disagrees with the live warnings."""

import datetime as dt

import pytest

from pilotdash.warnings import ledger as wl
from tests import fixtures
from tests.warnings.conftest import AS_OF, conditions

# AS_OF = 2026-06-30


def milestone(mid, due, done=None):
    return (mid, "D", "launch", "节点", "progress", due.isoformat(), done)


def test_pilot_d_raises_nothing_on_its_own(make):
    assert conditions(make(), project="D") == {}


@pytest.mark.parametrize("days, level", [(1, "orange"), (29, "orange"), (30, "orange"), (31, "red")])
def test_milestone_overdue_is_orange_up_to_30_days_red_after(make, days, level):
    store = make(milestones=[milestone("d1", AS_OF - dt.timedelta(days=days))])
    assert conditions(store, project="D") == {("D", "milestone_overdue", "d1"): level}


def test_a_milestone_done_raises_nothing(make):
    store = make(milestones=[milestone("d1", dt.date(2026, 5, 1), "2026-06-01")])
    assert conditions(store, project="D") == {}


@pytest.mark.parametrize(
    "score, level",
    [(3, "low"), (4, "yellow"), (7, "yellow"), (8, "orange"), (14, "orange"), (15, "red"), (25, "red")],
)
def test_risk_levels_by_score(store, score, level):
    # 7 and 14 are no product of two numbers 1-5; the level is the one macro's either way.
    assert store.rows("SELECT risk_level(?)", [score])[0][0] == level


@pytest.mark.parametrize(
    "p, i, level",
    [
        (1, 3, None),
        (2, 2, "yellow"),
        (2, 3, "yellow"),
        (2, 4, "orange"),
        (3, 4, "orange"),
        (3, 5, "red"),
        (5, 5, "red"),
    ],
)
def test_open_risk_raises_its_level(make, p, i, level):
    # identified within the quarter before D: its review is not yet overdue (tests/tasks covers that)
    store = make(risks=[("d_r", "D", "policy", "x", p, i, "open", "孙八", "2026-05-01")])
    expected = {("D", "open_risk", "d_r"): level} if level else {}
    assert conditions(store, project="D") == expected


def test_a_mitigated_or_later_risk_raises_nothing(make):
    store = make(
        risks=[
            ("d_r", "D", "policy", "x", 5, 5, "mitigated", "孙八", "2026-01-01"),
            ("d_s", "D", "policy", "x", 5, 5, "open", "孙八", "2026-07-01"),
        ]
    )
    assert conditions(store, project="D") == {}


def test_a_risk_warning_is_owned_by_the_risk_owner_others_by_the_lead_unit(make):
    store = make(
        risks=[("d_r", "D", "policy", "x", 5, 5, "open", "孙八", "2026-05-01")],
        milestones=[milestone("d1", dt.date(2026, 6, 1))],
    )
    owners = dict(
        store.rows("SELECT condition, owner FROM warning_conditions(?::DATE) WHERE project_id = 'D'", [AS_OF])
    )
    assert owners == {"open_risk": "孙八", "milestone_overdue": "北京市教育委员会"}


@pytest.mark.parametrize("done, raised", [(89, True), (90, False)])
def test_spi_below_0_9_is_orange(make, done, raised):
    # 100 milestones, all due by D, `done` of them done: SPI = done / 100. Spent = EV, so CPI = 1.
    ms = [milestone(f"s{n}", dt.date(2026, 6, 29), "2026-06-01" if n < done else None) for n in range(100)]
    store = make(milestones=ms, budget_lines=[("D", 2026, "central", "software", 100, 100, done)])
    found = conditions(store, project="D")
    spi = (
        store.rows("SELECT spi, cpi FROM earned_value_all(?::DATE) WHERE project_id = 'D'", [AS_OF])[0]
    )
    assert spi == pytest.approx((done / 100, 1.0))
    assert found.get(("D", "spi_low", "")) == ("orange" if raised else None)
    assert ("D", "cpi_low", "") not in found


@pytest.mark.parametrize("last, raised", [("2025-12-31", False), ("2025-09-30", True)])
def test_no_reading_for_more_than_two_quarters_is_yellow(make, last, raised):
    # Two quarters before D: not yet missing; three quarters: missing. P1 80 meets its target.
    store = make(readings=[("D", "P1", last, 80)])
    expected = {("D", "reading_missing", "P1"): "yellow"} if raised else {}
    assert conditions(store, project="D") == expected


def test_the_fixture_raises_what_its_notes_say(store):
    found = conditions(store)
    assert found == {
        ("A", "indicator_behind", "E1"): "yellow",  # 0.25 / 0.3 = 83%
        ("A", "indicator_behind", "P1"): "yellow",  # 66 / 80
        ("A", "low_execution", "2025"): "orange",  # 80 / 100 in closed 2025
        ("A", "milestone_overdue", "m3"): "orange",  # 15 days
        ("A", "open_risk", "r2"): "orange",  # 8
        ("A", "spi_low", ""): "orange",
        ("B", "cpi_low", ""): "orange",
        ("B", "indicator_behind", "I3"): "yellow",
        ("B", "milestone_overdue", "m5"): "red",  # 91 days
        ("B", "overspend", "2026/central/software"): "red",
        ("B", "reading_missing", "I1"): "yellow",  # no reading on D since the 2025-01-01 start
        ("B", "spi_low", ""): "orange",
        ("A", "risk_review_overdue", "r2"): "yellow",  # open, identified 2025-09-01, never reviewed
        ("B", "risk_review_overdue", "r4"): "yellow",  # open, identified 2026-01-10: 171 days
    }  # C is withdrawn: its red risk raises no warning; D has no data


def fixture_dates():
    dates = {fixtures.AS_OF}
    for year in (2024, 2025, 2026, 2027):
        for month in (1, 3, 4, 6, 7, 9, 10, 12):
            dates.add(dt.date(year, month, 28 if month in (1, 4, 7, 10) else 30))
    return sorted(dates)


def test_health_never_disagrees_with_live_warnings(make):
    store = make(
        milestones=[milestone("d1", dt.date(2026, 5, 20))],
        risks=[("d_r", "D", "policy", "x", 2, 3, "open", "孙八", "2026-01-01")],
        readings=[("D", "P1", "2025-09-30", 80)],
    )
    checked = 0
    for as_of in fixture_dates():
        wl.recompute(store, as_of)
        live = (
            store.rows(
                "SELECT project_id, condition, level FROM warnings WHERE state IN ('open', 'acknowledged')"
            )
        )
        health = dict(
            store.rows(
                "SELECT h.project_id, h.health FROM project_health_all(?::DATE) h JOIN pilots_on(?::DATE) p "
                "USING (project_id) WHERE p.status IN ('active', 'suspended')",
                [as_of, as_of],
            )
        )
        for project, verdict in health.items():
            mine = [(c, lv) for p, c, lv in live if p == project]
            if any(lv == "red" for _, lv in mine):
                expected = "red"
            elif any(lv == "orange" or c == "indicator_behind" for c, lv in mine):
                expected = "amber"
            else:
                expected = "green"
            assert verdict == expected, (as_of, project, mine)
            checked += 1
    # the running pilots A, B, D on every date each has started (A 2024-01-01, B 2025-01-01,
    # D 2025-06-01; C is withdrawn)
    starts = (dt.date(2024, 1, 1), dt.date(2025, 1, 1), dt.date(2025, 6, 1))
    assert checked == sum(start <= d for d in fixture_dates() for start in starts)
