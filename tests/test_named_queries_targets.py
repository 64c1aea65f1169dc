"""The Targets vs actuals and Definitions queries against numbers worked out by hand from
tests/fixtures.py (D = 2026-06-30)."""

import datetime as dt
import math

import pytest


def nan(value):
    return value is None or (isinstance(value, float) and math.isnan(value))


def test_target_gaps_order_source_and_measures(run):
    gaps = run("target_gaps")
    pairs = list(zip(gaps["project_id"], gaps["indicator_code"]))
    # Rated pairs by achievement ascending, then met-without-rate (A/I3 gap -3 before B/E1 gap -0.3), no data last.
    assert pairs == [("B", "I3"), ("C", "P1"), ("A", "P1"), ("A", "E1"), ("B", "P1"), ("A", "I1"), ("C", "I1"),
                     ("B", "E1"), ("A", "I3"), ("B", "I1")]
    row = {p: r for p, r in zip(pairs, gaps.to_dict("records"))}
    assert (row[("A", "E1")]["target_scope"], row[("A", "E1")]["target"]) == ("belt", 0.25)
    assert row[("A", "E1")]["gap"] == pytest.approx(0.05) and row[("A", "E1")]["achievement"] == pytest.approx(0.25 / 0.3)
    assert (row[("A", "I3")]["target_scope"], row[("A", "I3")]["indicator_status"]) == ("project", "met")
    assert row[("A", "P1")]["target_scope"] == "catalogue" and row[("A", "P1")]["gap"] == pytest.approx(14)
    assert row[("B", "P1")]["target_scope"] == "belt" and row[("B", "P1")]["indicator_status"] == "near"
    assert nan(row[("B", "E1")]["achievement"]) and row[("B", "E1")]["indicator_status"] == "met"
    assert row[("A", "E1")]["indicator_en"] == "In-person trips per case" and row[("A", "E1")]["unit"] == "次"


def test_target_gaps_filters(run):
    assert len(run("target_gaps", indicator_status=["behind", "near"])) == 5
    west = run("target_gaps", belt=["west"], indicator=["P1", "E1"])
    assert list(zip(west["project_id"], west["indicator_code"])) == [("B", "P1"), ("B", "E1")]


def test_indicator_summary_by_hand(run):
    s = {(r["indicator_code"], r["belt"]): r for r in run("indicator_summary").to_dict("records")}
    total = s[("all", "all")]
    # 10 pairs, 9 with a current actual: 4 met, 1 near, 4 behind; B/I1 no data.
    assert (total["pairs"], total["with_data"], total["met"], total["near"], total["behind"], total["no_data"]) == \
        (10, 9, 4, 1, 4, 1)
    assert total["share_met"] == pytest.approx(4 / 9) and nan(total["name_zh"])
    p1 = s[("P1", "all")]
    # A 82.5%, B 98.7%, C 62.5%: median 82.5%, quartiles between.
    assert (p1["met"], p1["near"], p1["behind"]) == (0, 1, 2)
    assert p1["median_achievement"] == pytest.approx(0.825)
    assert p1["p25_achievement"] == pytest.approx((0.625 + 0.825) / 2)
    # I3 east: A met by a target of 0, no rate, so no median; share met 100%.
    assert s[("I3", "east")]["share_met"] == 1.0 and nan(s[("I3", "east")]["median_achievement"])
    # I1 west: B has no data: no share, not 0.
    assert s[("I1", "west")]["no_data"] == 1 and nan(s[("I1", "west")]["share_met"])
    assert ("I3", "central") not in s  # no central pilot reports I3


def test_reading_trend_quarters_and_lines(run):
    trend = run("reading_trend", indicator="P1")
    rows = {(r["quarter_end"], r["belt"]): r for r in trend.to_dict("records")}
    q2 = dt.date(2026, 6, 30)
    # Q2 2026: A 66 (east), B 74 (west); the 99 of 2026-09-30 is after D. All belts: median 70.
    assert rows[(pd_date(q2), "all")]["projects"] == 2 and rows[(pd_date(q2), "all")]["median"] == 70
    assert rows[(pd_date(q2), "west")]["belt_target"] == 75 and rows[(pd_date(q2), "east")]["belt_target"] == 80
    assert set(trend["national_target"]) == {80}
    assert rows[(pd_date(dt.date(2025, 12, 31)), "central")]["median"] == 50  # C's reading
    e1 = run("reading_trend", indicator="E1")
    assert set(e1.loc[e1.belt == "east", "belt_target"]) == {0.25}


def pd_date(d):
    import pandas as pd

    return pd.Timestamp(d)


def test_indicator_targets_and_catalogue(store):
    from pilotdash import named_queries

    def run(name, **params):
        return named_queries.run(store, name, params)

    e1 = run("indicator_targets", indicator="E1")
    assert list(zip(e1["target_scope"], e1["target"])) == [("catalogue", 0.3), ("belt", 0.25)]
    i3 = run("indicator_targets", indicator="I3")
    assert list(i3["target_scope"]) == ["catalogue", "project"] and i3["projects_with_own_target"].iloc[1] == 1
    catalogue = run("indicator_catalogue")
    assert list(catalogue["indicator_code"]) == ["P1", "I1", "I3", "E1"]
    assert catalogue.set_index("indicator_code").loc["E1", "direction"] == "lower"
