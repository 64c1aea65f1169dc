"""The Regions and Funds queries against numbers worked out by hand from tests/fixtures.py
(D = 2026-06-30; A, D in Beijing 11 east; B in Sichuan 51 west; C in Shanxi 14 central)."""

import math

import pytest

from pilotdash import named_queries


def rows(frame, key):
    return {r[key]: r for r in frame.to_dict("records")}


def is_dash(value):
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value) == "<NA>"


# Regions ---------------------------------------------------------------------------------------


def test_region_by_category(run):
    got = {(r["belt"], r["category"]): r for r in run("region_by_category").to_dict("records")}
    # East, industry breakthrough: A I1 65/60 met and A I3 met against a 0 target (no rate).
    east_ib = got[("east", "industry_breakthrough")]
    assert (east_ib["pairs_with_data"], east_ib["met"], east_ib["share_met"]) == (2, 2, 1.0)
    assert east_ib["median_achievement"] == pytest.approx(65 / 60)  # the only pair with a rate
    # East, policy innovation: A P1 66/80 behind.
    assert got[("east", "policy_innovation")]["share_met"] == 0
    assert got[("east", "policy_innovation")]["median_achievement"] == pytest.approx(0.825)
    # Central: C I1 70/60 met, C P1 50/80.
    assert got[("central", "industry_breakthrough")]["mean_achievement"] == pytest.approx(70 / 60)
    assert got[("central", "policy_innovation")]["mean_achievement"] == pytest.approx(0.625)
    # West, service efficiency: B E1 actual 0 on lower-is-better: met, no rate.
    west_se = got[("west", "service_efficiency")]
    assert west_se["share_met"] == 1.0 and is_dash(west_se["median_achievement"])
    assert got[("west", "industry_breakthrough")]["median_achievement"] == pytest.approx(0.2)  # B I3 1/5
    assert len(got) == 8
    assert set(run("region_by_category", belt=["west"])["belt"]) == {"west"}


def test_province_summary(run):
    got = rows(run("province_summary"), "province_code")
    assert list(got) == ["11", "14", "51"]  # east, central, west; provinces without pilots left out
    bj = got["11"]
    assert (bj["projects"], bj["red"], bj["amber"], bj["green"]) == (2, 0, 1, 1)
    assert bj["share_red"] == 0 and bj["utilisation"] == pytest.approx(0.5)
    assert (bj["allocated"], bj["disbursed"], bj["spent"]) == (200, 150, 100)
    assert bj["share_met"] == pytest.approx(0.5) and bj["pairs_with_data"] == 4
    # C (province 14) is withdrawn: not judged, so no share red of the running (none); allocated 0
    assert is_dash(got["14"]["share_red"]) and got["14"]["red"] == 0 and is_dash(got["14"]["utilisation"])
    assert got["51"]["utilisation"] == pytest.approx(0.6) and got["51"]["share_met"] == pytest.approx(1 / 3)
    # The belt filter keeps that belt's provinces; the fiscal year narrows money only.
    assert list(run("province_summary", belt=["west"])["province_code"]) == ["51"]
    fy = rows(run("province_summary", fiscal_year=[2025]), "province_code")
    assert fy["11"]["allocated"] == 100 and fy["11"]["projects"] == 2 and fy["51"]["allocated"] == 0


def test_provinces_map(run):
    tiles = run("provinces_map", belt=["east"])
    assert len(tiles) == 31 and tiles["tile_row"].notna().all() and tiles["tile_col"].notna().all()
    got = rows(tiles, "province_code")
    assert int(tiles["in_view"].sum()) == 11  # the eleven eastern provinces
    assert got["11"]["in_view"] and got["11"]["projects"] == 2
    assert not got["51"]["in_view"] and got["51"]["projects"] == 0  # B is outside the filter
    assert not tiles.duplicated(["tile_row", "tile_col"]).any()


def test_differentiated_targets(store):
    def run(name, **params):  # not as of a date: targets are what is set
        return named_queries.run(store, name, params)

    got = run("differentiated_targets")
    # The east E1 target 0.25 beside the catalogue 0.3; the west P1 target 75 beside 80; the
    # project target on A I3 is not a differentiated target.
    assert list(zip(got["indicator_code"], got["scope"], got["belt"])) == [("E1", "belt", "east"), ("P1", "belt", "west")]
    e1 = got.iloc[0]
    assert (e1["target"], e1["national_target"]) == (0.25, 0.3) and e1["difference"] == pytest.approx(-0.05)
    assert got.iloc[1]["difference"] == pytest.approx(-5)
    assert list(run("differentiated_targets", belt=["west"])["indicator_code"]) == ["P1"]


def test_differentiated_targets_by_phase(store):
    # A national deepening target is compared with the national all-phase one; a west deepening
    # target with the national deepening one.
    with store.writing() as cur:
        cur.executemany("INSERT INTO targets VALUES (?, ?, ?, ?, ?, ?)", [
            ("I1", 50, None, None, None, "deepening"), ("I1", 45, None, None, "west", "deepening")])
    got = {(r["scope"], r["phase"]): r for r in named_queries.run(store, "differentiated_targets").to_dict("records")
           if r["indicator_code"] == "I1"}
    assert got[("national", "deepening")]["national_target"] == 60
    assert got[("belt", "deepening")]["national_target"] == 50
    assert got[("belt", "deepening")]["difference"] == -5


# Funds -------------------------------------------------------------------------------------------


def test_fund_total(run):
    t = run("fund_by_dimension", dimension="total").iloc[0]
    # Counted lines (fiscal year <= 2026): A 100+100, B 200+0, C 0 allocated; 100+50+100 disbursed;
    # 80+20+120 spent. B's software line spent 120 of 100 disbursed: overspent by 20.
    assert t["key"] == "all" and t["lines"] == 5 and t["projects"] == 3
    assert (t["allocated"], t["disbursed"], t["spent"]) == (400, 250, 220)
    assert (t["unspent_allocated"], t["unspent_disbursed"]) == (180, 30)
    assert t["arrival_rate"] == pytest.approx(0.625) and t["execution_rate"] == pytest.approx(0.88)
    assert t["utilisation"] == pytest.approx(0.55)
    assert (t["overspent_lines"], t["overspent_projects"], t["overspent_excess"]) == (1, 1, 20)


def test_fund_by_source_year_belt(run):
    source = rows(run("fund_by_dimension", dimension="source"), "key")
    assert (source["central"]["allocated"], source["central"]["spent"]) == (300, 200)
    assert source["local"]["utilisation"] == pytest.approx(0.2)
    assert is_dash(source["social"]["utilisation"])  # nothing allocated: "—"
    years = rows(run("fund_by_dimension", dimension="fiscal_year"), "key")
    assert list(years) == ["2024", "2025", "2026"]  # 2027 is after D's year
    assert years["2026"]["overspent_lines"] == 1
    belts = rows(run("fund_by_dimension", dimension="belt"), "key")
    assert belts["east"]["utilisation"] == pytest.approx(0.5) and belts["west"]["utilisation"] == pytest.approx(0.6)
    assert is_dash(belts["central"]["utilisation"])
    category = rows(run("fund_by_dimension", dimension="category", fiscal_year=[2025]), "key")
    assert list(category) == ["hardware"] and category["hardware"]["allocated"] == 100


def test_matching_ratio_by_region(run):
    belts = rows(run("matching_ratio_by_region"), "key")
    # East: 100 local / 100 central = 1.0 against the expected 1.5: below.
    assert belts["east"]["matching_ratio"] == 1.0 and belts["east"]["expected_ratio"] == 1.5
    assert belts["east"]["meets"] == False  # noqa: E712 (a numpy bool)
    # West: no local money against 200 central: 0, below 1.
    assert belts["west"]["matching_ratio"] == 0 and belts["west"]["expected_ratio"] == 1.0
    # Central: no central money: no ratio, no verdict.
    assert is_dash(belts["central"]["matching_ratio"]) and is_dash(belts["central"]["meets"])
    provinces = rows(run("matching_ratio_by_region", dimension="province"), "key")
    assert set(provinces) == {"11", "14", "51"} and provinces["11"]["local_allocated"] == 100


def test_fund_projects(run):
    got = run("fund_projects")
    assert list(got["project_id"]) == ["B", "A", "C"]  # overspent first, then lowest utilisation
    p = rows(got, "project_id")
    assert p["B"]["overspend"] and p["B"]["unspent_disbursed"] == -20
    assert p["A"]["matching_ratio"] == 1.0 and p["A"]["expected_ratio"] == 1.5
    assert p["A"]["unspent_allocated"] == 100
    assert is_dash(p["C"]["matching_ratio"])


def test_overspent_lines(run):
    got = run("overspent_lines")
    assert len(got) == 1
    line = got.iloc[0]
    assert (line["project_id"], line["fiscal_year"], line["source"], line["category"]) == ("B", 2026, "central", "software")
    assert line["excess"] == 20
    assert run("overspent_lines", fiscal_year=[2025]).empty


def test_earned_value_projects(run):
    got = run("earned_value_projects")
    assert list(got["project_id"][:2]) == ["B", "A"]  # the lowest index first
    p = rows(got, "project_id")
    assert p["A"]["spi"] == pytest.approx(125 / 187.5) and p["A"]["cpi"] == pytest.approx(1.25)
    assert (p["A"]["spi_level"], p["A"]["cpi_level"], p["A"]["level"]) == ("red", "green", "red")
    assert (p["B"]["spi_level"], p["B"]["cpi_level"]) == ("red", "red")
    assert is_dash(p["C"]["level"]) and is_dash(p["D"]["spi_level"])
    assert list(run("earned_value_projects", limit=1)["project_id"]) == ["B"]


def test_ev_levels_at_the_thresholds(store):
    got = dict(store.rows(
        "SELECT x, ev_level(x) FROM unnest([0.79, 0.8, 0.89, 0.9, 1.2]::DOUBLE[]) t(x)"))
    assert got == {0.79: "red", 0.8: "amber", 0.89: "amber", 0.9: "green", 1.2: "green"}
