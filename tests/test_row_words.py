"""The words pages show for their queries' rows (pilotdash.ui.row_words), each in the language it
is given (a download is made after the run), on rows small enough to check by eye."""

import pandas as pd
import pytest

from pilotdash.ui import row_words as rw


def test_money_groups_named_and_ordered_by_their_enumeration():
    assert rw.group_words("belt", "west", "en") == "West"
    assert rw.group_words("fiscal_year", 2025, "en") == "FY 2025"
    assert rw.group_words("fiscal_year", 2025, "zh") == "2025年度"
    assert rw.group_words("province", "51", "en") == "Sichuan"
    # Belts east to west whatever order the query gave; years as given.
    assert rw.group_order("belt", ["west", "east"], "en") == ["East", "West"]
    assert rw.group_order("fiscal_year", [2026, 2025], "en") == ["FY 2026", "FY 2025"]
    with pytest.raises(KeyError):
        rw.group_words("colour", "red", "en")


def test_spi_cpi_beside_their_level_never_rounded_onto_a_threshold():
    # 0.899 is below the 0.9 warning line: "0.89", not "0.90"; no ratio: "—" and no mark.
    assert rw.ev_texts([0.667, 0.899, None], ["red", "amber", None], "en") == ["0.67 ✖", "0.89 ▲", "—"]


def test_matching_verdicts_and_ratios():
    assert rw.meets_words(pd.Series([True, False, None]), "en") == ["✔ Meets", "✖ Below", "— No central money"]
    assert rw.matching_texts([1.0, None], [1.5, 1.0], "en") == ["1:1.00", "—"]


def test_indicator_status_titles_and_numbers():
    assert list(rw.status_words(pd.Series(["met", "behind", "no_data"]), "en")) == ["✔ Met", "✖ Behind", "· No data"]
    frame = pd.DataFrame({"indicator_code": ["E1"], "name_zh": ["群众平均跑动次数"], "name_en": ["In-person trips per case"],
                          "unit": ["trips"], "direction": ["lower"]})
    assert list(rw.indicator_titles(frame, "en")) == ["E1 In-person trips per case (trips) ↓"]
    assert list(rw.indicator_titles(frame, "zh", code=False)) == ["群众平均跑动次数 (次) ↓"]
    assert [rw.unit_number(v, "en") for v in (75.0, 0.25, 1234.5)] == ["75", "0.25", "1,234.5"]


def test_where_a_target_comes_from():
    frame = pd.DataFrame({"target_scope": ["belt", "province", "project", None],
                          "target_phase": [None, "deepening", None, None],
                          "belt": ["west", "west", "east", "east"], "province_code": ["51", "51", "11", "11"]})
    assert rw.target_source_words(frame, "en") == ["Belt · West", "Province · Sichuan · Deepening only",
                                                   "This project", "—"]


def test_the_targets_set_for_an_indicator_in_one_line():
    set_targets = pd.DataFrame({"target_scope": ["belt", "province", "project"], "target_phase": [None, "launch", None],
                                "belt": ["west", None, None], "province_code": [None, "51", None],
                                "target": [75.0, 60.5, None], "projects_with_own_target": [0, 0, 2]})
    assert rw.set_targets_text(set_targets, "%", "en") == \
        "Targets set (%): West 75; Sichuan · Launch 60.5; 2 pilots with their own target."
    assert rw.set_targets_text(set_targets.iloc[:0], "%", "en") is None


def test_target_lines_only_where_a_belt_differs_from_the_national_target():
    by_belt = pd.DataFrame({"belt": ["east", "east", "west"], "national_target": [80.0] * 3,
                            "belt_target": [80.0, 80.0, 75.0]})
    lines = rw.target_lines(by_belt, "en")
    assert list(lines["colour_key"]) == ["national", "west"]
    assert list(lines["label"]) == ["National target 80", "West target 75"]


def test_differentiated_targets_read_as_sentences():
    targets = pd.DataFrame({"indicator_code": ["S1"], "name_zh": ["覆盖率"], "name_en": ["Coverage"],
                            "direction": ["higher"], "scope": ["belt"], "belt": ["west"], "province_code": [None],
                            "phase": [None], "target": [75.0], "national_target": [80.0], "unit": ["%"]})
    shown = rw.differentiated_target_rows(targets, "en").iloc[0]
    assert (shown.indicator, shown.scope_text, shown.phase_text) == ("S1 Coverage ↑", "West", "All phases")
    assert shown.reads == "West, All phases: target 75% vs national 80%"


def test_cells_and_tiles():
    cells = rw.category_cells(pd.DataFrame({"belt": ["east"], "category": ["governance"], "share_met": [0.5],
                                            "median_achievement": [0.954], "pairs_with_data": [4]}), "en")
    assert (cells.belt_label[0], cells.cell[0]) == ("East", "50% met · median 95% · 4 pairs")
    assert [rw.value_text(v, k, "en") for v, k in ((0.555, "pct"), (3, "count"))] == ["56%", "3"]
    grid = rw.rate_cells(pd.DataFrame({"group": ["East"], "utilisation": [0.5], "arrival_rate": [None]}),
                         {"utilisation": "Use", "arrival_rate": "Arrival"}, "en")
    assert list(grid["text"]) == ["50%", "—"] and list(grid["rate_label"]) == ["Use", "Arrival"]


def test_map_tiles_show_only_the_provinces_in_view():
    tiles = pd.DataFrame({"name_zh": ["北京", "四川"], "name_en": ["Beijing", "Sichuan"], "share_met": [0.5, 0.25],
                          "in_view": [True, False]})
    shown = rw.map_tiles(tiles, "share_met", "pct", "en")
    assert list(shown["label"]) == ["Beijing\n50%", "Sichuan\n—"]
    assert shown["share_met"][0] == 0.5 and pd.isna(shown["share_met"][1])
    assert tiles["share_met"][1] == 0.25  # the query's frame is left as it was
