"""The scoring rules of shared/domain.md "Assessment and grading", worked out by hand on the
fixture store (tests/fixtures.py) as of the round's period end 2026-06-30.

Pilot A on 2026-06-30: P1 66 against the national 80 (0.825); E1 0.3 against the east's 0.25
(lower is better: 0.25 / 0.3 = 0.8333); I3 against its own target 0 (no rate); I1 65 / 60.
Counted money (2025, 2026 lines): allocated 200, disbursed 150, spent 100. Milestones due by D:
m1, m2, m3, done m1, m2 (2 / 3). Earned value: BAC 250, PV 250 x 3/4, EV 250 x 2/4, AC 100, so
SPI 0.6667, CPI 1.25. Indicators with a current actual: P1 behind, E1 behind, I3 met, I1 met:
share met 0.5. Pilot B: P1 74 against the west's 75; E1 0 (lower: met); I3 1 against 5; I1 read
only after D; money 2026: allocated 200, disbursed 100, spent 120; milestones m5 and m6 due, none
done by D. Pilot D has no money, milestones or readings. C is withdrawn.
"""

from __future__ import annotations

import datetime as dt

import pytest

from pilotdash.warnings import ledger

Q2 = ("Q2", "quarterly", "2026-04-01", "2026-06-30")

METHODS = [
    ("X", None, None, None, None, None),
    ("X1", "X", 10, "indicator", "P1", "false"),
    ("X2", "X", 10, "indicator", "E1", "false"),
    ("X3", "X", 10, "indicator", "I3", "false"),
    ("X4", "X", 10, "indicator", "I1", "false"),
    ("Y", None, 40, None, None, None),
    ("Y1", "Y", 10, "measure", "execution_rate", "false"),
    ("Y2", "Y", 5, "measure", "arrival_rate", "false"),
    ("Y3", "Y", 5, "measure", "utilisation", "false"),
    ("Y4", "Y", 5, "measure", "milestone_completion", "false"),
    ("Y5", "Y", 5, "measure", "spi", "false"),
    ("Y6", "Y", 5, "measure", "cpi", "false"),
    ("Y7", "Y", 5, "measure", "share_met", "false"),
    ("Z", None, None, None, None, None),
    ("Z1", "Z", 10, "survey", "public", "false"),
    ("Z2", "Z", 10, "manual", None, "false"),
]
SURVEYS = [
    ("A", "2026-03-31", "public", 100, 81),  # 0.81 of the 0.90 target: 0.9
    ("A", "2026-09-30", "public", 100, 50),  # after the period end: not counted
    ("D", "2026-06-30", "public", 0, 0),  # a sample of 0: not applicable
]


@pytest.fixture
def methods(assess):
    return assess(items=METHODS, rounds=[Q2], scores=[("Q2", "A", "self", "Z2", 7.5)], surveys=SURVEYS)


def test_indicator_leaves(methods, leaf):
    assert leaf("Q2", "A", "X1") == (pytest.approx(0.825), 8.25, "scored")
    assert leaf("Q2", "A", "X2") == (pytest.approx(0.25 / 0.3), 8.33, "scored")
    assert leaf("Q2", "A", "X3") == (None, None, "not_applicable")  # higher-is-better target 0: no rate
    assert leaf("Q2", "A", "X4") == (pytest.approx(65 / 60), 10.0, "scored")  # capped at the marks
    assert leaf("Q2", "B", "X1") == (pytest.approx(74 / 75), 9.87, "scored")
    assert leaf("Q2", "B", "X2") == (1.0, 10.0, "scored")  # lower-is-better actual of 0: met
    assert leaf("Q2", "B", "X3") == (pytest.approx(0.2), 2.0, "scored")
    assert leaf("Q2", "B", "X4") == (None, 0.0, "no_data")  # no reading by the period end: 0


def test_measure_leaves(methods, leaf):
    assert leaf("Q2", "A", "Y1") == (pytest.approx(100 / 150), 6.67, "scored")
    assert leaf("Q2", "A", "Y2") == (0.75, 3.75, "scored")
    assert leaf("Q2", "A", "Y3") == (0.5, 2.5, "scored")
    assert leaf("Q2", "A", "Y4") == (pytest.approx(2 / 3), 3.33, "scored")
    assert leaf("Q2", "A", "Y5") == (pytest.approx(2 / 3), 3.33, "scored")
    assert leaf("Q2", "A", "Y6") == (1.25, 5.0, "scored")
    assert leaf("Q2", "A", "Y7") == (0.5, 2.5, "scored")
    assert leaf("Q2", "B", "Y1") == (1.2, 10.0, "scored")
    assert leaf("Q2", "B", "Y4") == (0.0, 0.0, "scored")  # due, none done: 0, not "no data"
    for item in ("Y1", "Y2", "Y3", "Y4", "Y5", "Y6", "Y7"):  # D: every denominator empty
        assert leaf("Q2", "D", item) == (None, None, "not_applicable")


def test_survey_and_manual_leaves(methods, leaf):
    assert leaf("Q2", "A", "Z1") == (0.81, 9.0, "scored")  # the latest survey on or before the end
    assert leaf("Q2", "B", "Z1") == (None, 0.0, "no_data")
    assert leaf("Q2", "D", "Z1") == (None, None, "not_applicable")
    assert leaf("Q2", "A", "Z2", "self") == (7.5, 7.5, "scored")


def test_total_is_rescaled_over_the_applicable_leaves(methods, result):
    # A: 8.25 + 8.33 + 10 + 6.67 + 3.75 + 2.5 + 3.33 + 3.33 + 5 + 2.5 + 9 + 7.5 = 70.16 over the
    # 90 applicable marks (X3 not applicable): round(100 x 70.16 / 90, 2) = 77.96, fair.
    assert result("Q2", "A", "self") == (True, 77.96, "fair", None)
    assert result("Q2", "B", "self") is None  # nobody scored B: no evaluation


def test_rounding_half_up_at_89_995(store, assess, result):
    # D's utilisation 79.99 / 100 on 50 marks is 39.995 (39.99499… in binary): half-up 40.00, so the
    # total is 90.00 and the grade excellent, not 89.99 and good.
    assess(items=[("U1", None, 50, "measure", "utilisation", "false"), ("U2", None, 50, "manual", None, "false")],
           rounds=[Q2], scores=[("Q2", "D", "self", "U2", 50)],
           budget=[("D", 2026, "central", "hardware", 100, 100, 79.99)])
    assert store.rows("SELECT score FROM eval_leaf_results WHERE item_code = 'U1' AND project_id = 'D'") == [(40.0,)]
    assert result("Q2", "D", "self") == (True, 90.0, "excellent", None)
    assert store.rows("SELECT half_up(89.995), half_up(89.99499), half_up(100 * 71.99 / 80)") == [(90.0, 89.99, 89.99)]


VETO = [("M1", None, 50, "manual", None, "true"), ("M2", None, 50, "manual", None, "false")]


@pytest.fixture
def evaluations(assess):
    return assess(items=VETO, rounds=[Q2], scores=[
        ("Q2", "A", "self", "M1", 50), ("Q2", "A", "self", "M2", 50),
        ("Q2", "A", "department", "M1", 45), ("Q2", "A", "department", "M2", 45),
        ("Q2", "A", "third_party", "M1", 29.5), ("Q2", "A", "third_party", "M2", 50),  # veto: 29.5 < 30
        ("Q2", "B", "self", "M1", 45), ("Q2", "B", "self", "M2", 45),
        ("Q2", "B", "department", "M1", 40), ("Q2", "B", "department", "M2", 40),
        ("Q2", "D", "self", "M1", 45), ("Q2", "D", "self", "M2", 45),
        ("Q2", "D", "department", "M1", 40), ("Q2", "D", "department", "M2", 40.01),
        ("Q2", "D", "third_party", "M1", 48),  # incomplete: no total, not final
    ])


def test_veto_makes_the_grade_poor_whatever_the_total(evaluations, result):
    assert result("Q2", "A", "third_party") == (True, 79.5, "poor", "M1")
    assert result("Q2", "A", "department") == (True, 90.0, "excellent", None)
    assert result("Q2", "D", "third_party") == (False, None, None, None)


def test_final_score_precedence_and_inflation(evaluations, store):
    rows = store.frame("SELECT project_id, final_evaluator, final_total, final_grade, self_total, inflated, inflation "
                       "FROM eval_standing('Q2') ORDER BY project_id")
    got = {r.project_id: r for r in rows.itertuples()}
    # A: third party complete (79.5, vetoed) over the department; self 100 is 20.5 above: inflated.
    assert (got["A"].final_evaluator, got["A"].final_total, got["A"].final_grade) == ("third_party", 79.5, "poor")
    assert got["A"].inflated and got["A"].inflation == 20.5
    # B: the department's 80 is final; self 90 is exactly 10 above: inflated.
    assert (got["B"].final_evaluator, got["B"].final_total, got["B"].inflated, got["B"].inflation) == (
        "department", 80.0, True, 10.0)
    # D: the third party is incomplete, so the department's 80.01 is final; 9.99 above: not inflated.
    assert (got["D"].final_evaluator, got["D"].final_total, got["D"].inflated) == ("department", 80.01, False)
    assert "C" not in got  # withdrawn: not evaluated


def test_a_pilot_not_started_by_the_period_end_is_not_evaluated(assess, store):
    # D starts 2025-06-01; the round ends 2025-03-31. C is withdrawn.
    assess(items=[("M", None, 100, "manual", None, "false")], rounds=[("Q0", "quarterly", "2025-01-01", "2025-03-31")],
           scores=[("Q0", p, "self", "M", 80) for p in ("A", "B", "C", "D")])
    assert sorted(r[0] for r in store.rows("SELECT project_id FROM eval_round_pilots('Q0')")) == ["A", "B"]
    assert sorted(r[0] for r in store.rows("SELECT project_id FROM eval_results")) == ["A", "B"]


TWO_ROUNDS = [("Q1", "quarterly", "2026-01-01", "2026-03-31"), Q2]


@pytest.fixture
def graded(assess):
    return assess(items=[("M", None, 100, "manual", None, "false")], rounds=TWO_ROUNDS, scores=[
        ("Q1", "A", "department", "M", 50),  # 差
        ("Q2", "A", "department", "M", 85),  # 良
        ("Q2", "B", "department", "M", 70),  # 中
    ])


def test_latest_grade_is_of_the_latest_round_ended_by_the_date(graded, store):
    def latest(day):
        return dict(store.rows("SELECT project_id, grade FROM latest_grades(?::DATE)", [day]))

    assert latest("2025-12-31") == {}
    assert latest("2026-05-15") == {"A": "poor"}
    assert latest("2026-06-30") == {"A": "good", "B": "fair"}


def test_a_poor_grade_is_red_and_a_later_good_one_resolves_it(graded, store):
    def health(day):
        return {r[0]: (r[1], list(r[2])) for r in store.rows("SELECT project_id, health, reasons FROM project_health_live(?::DATE)", [day])}

    def conditions(day):
        return {(r[0], r[1], r[2]) for r in store.rows(
            "SELECT project_id, condition, level FROM warning_conditions(?::DATE) WHERE condition LIKE 'grade_%'", [day])}

    may = health("2026-05-15")
    assert may["A"][0] == "red" and "grade_poor" in may["A"][1]
    assert conditions("2026-05-15") == {("A", "grade_poor", "red")}
    june = health("2026-06-30")
    assert "grade_poor" not in june["A"][1] and "grade_fair" in june["B"][1]
    assert conditions("2026-06-30") == {("B", "grade_fair", "orange")}
    raised = ledger.recompute(store, dt.date(2026, 5, 15))
    poor = store.rows("SELECT warning_id, level, state FROM warnings WHERE condition = 'grade_poor'")
    assert len(poor) == 1 and poor[0][0] in raised.raised and poor[0][1:] == ("red", "open")
    later = ledger.recompute(store, dt.date(2026, 6, 30))
    assert poor[0][0] in later.resolved
    assert store.rows("SELECT state FROM warnings WHERE condition = 'grade_poor'") == [("resolved",)]


def test_scoring_again_on_the_same_data_keeps_the_data_version(graded, store):
    from pilotdash.assessment import scoring

    version = store.data_version()
    again = scoring.recompute(store)
    assert not again.changed and store.data_version() == version
    with store.writing() as w:
        w.execute("UPDATE eval_scores SET score = 90 WHERE round_id = 'Q2' AND project_id = 'B'")
    version = store.data_version()
    assert scoring.recompute(store).changed and store.data_version() != version
    assert store.rows("SELECT grade FROM eval_results WHERE round_id = 'Q2' AND project_id = 'B'") == [("excellent",)]
