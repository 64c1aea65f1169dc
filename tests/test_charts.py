"""Chart builders, and their copies for a slide (charts.for_slide)."""

import re

import altair as alt
import pandas as pd
import pytest

from pilotdash import charts


def text_marks(spec: dict) -> list[dict]:
    return [layer["mark"] for layer in spec.get("layer", []) if layer["mark"]["type"] == "text"]


def test_for_slide_sets_every_word_to_at_least_18_px_and_leaves_the_chart_alone():
    chart = charts.rate_bars(pd.DataFrame({"belt": ["east", "west"], "rate": [0.5, 0.9]}), "belt", "rate",
                             target=0.85, category_title="Belt", rate_title="Utilisation")
    before = chart.to_dict()
    slide = charts.for_slide(chart, 700).to_dict()
    # The bar labels name no size (Vega-Lite's 11 px) and sit 4 px into a long bar or after a
    # short one; the target's label also sits 6 px above its rule: all grow together to 18 px,
    # so each stays beside its mark.
    grown = 18 / 11
    assert [(m["fontSize"], m["dx"], m.get("dy")) for m in text_marks(slide)] == [
        (18, round(4 * grown, 1), None), (18, round(4 * grown, 1), None),
        (18, round(4 * grown, 1), round(-6 * grown, 1))]
    config = slide["config"]
    assert config["axis"]["labelFontSize"] >= 18 and config["axis"]["titleFontSize"] >= 18
    assert config["legend"]["labelFontSize"] >= 18 and config["header"]["labelFontSize"] >= 18
    # The whole chart, axes and legend in it, is the slide's height; drawn as SVG.
    assert slide["height"] == 700 and slide["autosize"] == {"type": "fit", "contains": "padding"}
    assert slide["usermeta"] == {"embedOptions": {"renderer": "svg"}}
    assert chart.to_dict() == before  # the page's own chart (and its PNG export) keep their size


def test_for_slide_keeps_words_already_larger_and_a_facet_its_own_size():
    frame = pd.DataFrame({"belt": ["east", "east"], "n": [3, 4], "phase": ["launch", "deepening"]})
    chart = charts.stacked_bar(frame, "belt", "n", "phase", colours=charts.PHASE_COLOURS,
                               series_labels={"launch": "launch", "deepening": "deepening"},
                               category_title="Belt", value_title="Pilots", series_title="Phase")
    chart.layer[1].mark = alt.MarkDef(type="text", fontSize=24, dx=-4)
    (mark,) = text_marks(charts.for_slide(chart, 600).to_dict())
    assert (mark["fontSize"], mark["dx"]) == (24, -4)
    money = charts.money_bars(pd.DataFrame({"belt": ["East"], "allocated": [3.0], "spent": [1.0]}), "belt",
                              measure_labels={"allocated": "Allocated", "spent": "Spent"},
                              category_title="Belt", value_title="10k CNY")
    spec = charts.for_slide(money, 600).to_dict()
    assert spec["height"] == 54 and "autosize" not in spec  # a grid of rows keeps its cells' size
    assert spec["config"]["header"]["labelFontSize"] == 18


def test_heat_steps_differ_clearly_and_a_value_on_a_threshold_takes_the_step_above():
    shades = [charts._luminance(c) for c in charts.HEAT_STEPS]
    assert shades == sorted(shades, reverse=True)
    assert all(charts.contrast_ratio(a, b) >= 1.35 for a, b in zip(charts.HEAT_STEPS, charts.HEAT_STEPS[1:]))
    thresholds = charts.heat_thresholds((0.5, 1.0))
    assert thresholds == [0.6, 0.7, 0.8, 0.9]
    assert charts.heat_step(0.6, thresholds) == charts.HEAT_STEPS[1]
    assert charts.heat_step(0.59, thresholds) == charts.HEAT_STEPS[0]
    assert charts.heat_step(1.2, thresholds) == charts.HEAT_STEPS[-1]


def test_a_slide_draws_points_for_a_projector_and_few_ticks():
    frame = pd.DataFrame({"spi": [0.7, 1.1], "cpi": [0.9, 1.2], "level": ["red", "green"], "name": ["A", "B"]})
    scatter = charts.ev_scatter(frame, warn=0.9, red=0.8, level_labels={"red": "R", "amber": "A", "green": "G"},
                                level_title="Level", spi_title="SPI", cpi_title="CPI", name_title="Pilot")
    points = [layer for layer in layers(scatter.to_dict()) if layer["mark"]["type"] == "point"]
    assert points and all(p["mark"]["size"] < charts.SLIDE_POINT_SIZE for p in points)  # 70 on a screen
    slide = charts.for_slide(scatter, 600).to_dict()
    points = [layer for layer in layers(slide) if layer["mark"]["type"] == "point"]
    assert points and all(p["mark"]["size"] == charts.SLIDE_POINT_SIZE for p in points)
    assert slide["config"]["axisQuantitative"]["tickCount"] == charts.SLIDE_TICKS


def test_a_ratio_chart_sizes_its_bars_by_row_and_keeps_the_expected_words_inside():
    frame = pd.DataFrame({"belt": ["East", "West"], "ratio": [1.4973, 0.7948], "expected": [1.5, 1.0]})
    spec = charts.ratio_vs_expected(frame, "belt", "ratio", "expected", category_title=None,
                                    value_title="Matching ratio", expected_label="Expected").to_dict()
    bars = layers(spec)[0]
    assert bars["mark"]["height"] == {"band": 0.5}  # thick as the row allows, on a slide too
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1.7]  # a tenth past 1.5: room for the words
    words = next(layer for layer in layers(spec) if layer["encoding"].get("text", {}).get("field") == "expected_text")
    assert words["mark"]["align"] == "right"  # they end at the mark, never past the axis' end
    assert [r["expected_text"] for r in rows_of(spec)] == ["Expected 1.5", "Expected 1.0"]


def test_a_ratio_bar_never_reads_as_reaching_a_tick_it_misses():
    frame = pd.DataFrame({"belt": ["East", "West"], "ratio": [1.4973, 0.7948], "expected": [1.5, 1.0]})
    spec = charts.ratio_vs_expected(frame, "belt", "ratio", "expected", category_title=None,
                                    value_title="Matching ratio", expected_label="Expected").to_dict()
    rows = next(iter(spec["datasets"].values()))
    assert [r["value_shown"] for r in rows] == [1.49, 0.79]  # not 1.50 beside the 1.5 tick; 0.7948 rounds


# The builders on their Vega-Lite specs: what a reader relies on (words on every mark, the
# given order, the cap, the click selection) is pinned in the spec, not in pixels.

def layers(spec: dict) -> list[dict]:
    return spec.get("layer", [spec])


def rows_of(spec: dict) -> list[dict]:
    return next(iter(spec["datasets"].values()))


TILES = pd.DataFrame({
    "province_code": ["11", "51", "65"], "name": ["Beijing", "Sichuan", "Xinjiang"],
    "belt": ["east", "west", "west"], "tile_row": [0, 2, 1], "tile_col": [5, 3, 0],
    "share_red": [0.25, None, 0.8], "label": ["Beijing\n25%", "Sichuan\n—", "Xinjiang\n80%"],
    "value_text": ["25%", "—", "80%"],
})


def test_tile_map_draws_every_tile_with_its_words_and_a_province_selection():
    spec = charts.tile_map(TILES, "share_red", "label", value_title="Share red", belt_title="Belt",
                           belt_labels={"east": "East", "central": "Central", "west": "West"},
                           value_format=".0%", domain=(0.0, 1.0), selection="province").to_dict()
    cells, words = layers(spec)
    assert cells["mark"]["type"] == "rect" and words["mark"]["type"] == "text"
    # Every tile carries its words, and its belt's first letter: the outline's colour is not alone.
    assert words["encoding"]["text"]["field"] == "tile_text"
    assert [r["tile_text"] for r in rows_of(spec)] == ["Beijing\n25% · E", "Sichuan\n— · W", "Xinjiang\n80% · W"]
    # A province without a value is still drawn (grey, by condition), so it can be clicked.
    rows = rows_of(spec)
    assert [r["province_code"] for r in rows] == ["11", "51", "65"]
    assert [r["has_value"] for r in rows] == [True, False, True]
    assert cells["encoding"]["color"]["condition"]["test"] == "datum.has_value"
    assert cells["encoding"]["color"]["value"] == charts.NO_VALUE
    assert cells["encoding"]["color"]["condition"]["scale"]["domain"] == [0.0, 1.0]
    (param,) = spec["params"]  # Altair lifts it to the top, bound to the tiles' layer
    assert param["name"] == "province" and param["select"] == {"type": "point", "fields": ["province_code"],
                                                               "on": "click"}
    assert param["views"] == [cells["name"]]
    assert spec["height"] == 64 * 3  # rows 0..2


def test_tile_map_without_a_selection_has_no_params():
    spec = charts.tile_map(TILES, "share_red", "label", value_title="Share red", belt_title="Belt",
                           belt_labels={"east": "East", "west": "West"}).to_dict()
    assert "params" not in spec and all("params" not in layer for layer in layers(spec))


def test_rate_bars_cap_the_axis_not_the_words_and_draw_the_target():
    frame = pd.DataFrame({"belt": ["East", "Central", "West"], "rate": [0.5, 1.8, None]})
    spec = charts.rate_bars(frame, "belt", "rate", target=0.85, category_title=None, rate_title="Utilisation",
                            category_order=["East", "Central", "West"], cap=1.5, target_label="Target 85%").to_dict()
    bars, inside, after, rule, rule_words = layers(spec)
    rows = rows_of(spec)
    assert [r["shown"] for r in rows[:2]] == [0.5, 1.5]  # the bar stops at the cap ...
    assert [r["rate"] for r in rows[:2]] == [0.5, 1.8]  # ... its words say 180.0%
    for text in (inside, after):
        assert text["encoding"]["text"] == {"field": "rate", "format": ".1%", "type": "quantitative"}
    # A long bar's number sits inside its start, in the words' colour for the bar's fill, away
    # from the target rule near the bars' ends; a short bar's after its end.
    assert inside["mark"]["color"] == charts.text_on("#0072B2") and inside["encoding"]["x"]["field"] == "zero"
    assert [t["filter"] for t in inside["transform"] if "filter" in t] == ["datum.shown >= 0.45"]
    assert after["encoding"]["x"]["field"] == "shown"
    assert [t["filter"] for t in after["transform"]] == ["!(datum.shown >= 0.45)"]
    assert bars["encoding"]["x"]["scale"]["domain"] == [0, 1.5]
    assert bars["encoding"]["y"]["sort"] == ["East", "Central", "West"]
    assert rule["mark"]["type"] == "rule" and rule["encoding"]["x"]["field"] == "target"
    assert rule_words["encoding"]["text"]["field"] == "label"
    no_target = charts.rate_bars(frame, "belt", "rate", target=None, category_title=None, rate_title="U").to_dict()
    assert len(layers(no_target)) == 3


def test_stacked_bar_keeps_the_given_order_and_names_each_series_in_words():
    frame = pd.DataFrame({"belt": ["West", "East", "East"], "n": [1, 3, 4], "phase": ["launch", "launch", "deepening"]})
    spec = charts.stacked_bar(frame, "belt", "n", "phase", colours=charts.PHASE_COLOURS,
                              series_labels={"launch": "Launch", "deepening": "Deepening"},
                              category_title="Belt", value_title="Pilots", series_title="Phase",
                              category_order=["East", "West"]).to_dict()
    encodings = [layer["encoding"] for layer in layers(spec)]
    assert any(e.get("y", {}).get("sort") == ["East", "West"] or e.get("x", {}).get("sort") == ["East", "West"]
               for e in encodings)
    colour = next(e["color"] for e in encodings if "color" in e)
    assert colour["scale"]["domain"] == ["Launch", "Deepening"]  # the legend in words, in enum order
    assert colour["scale"]["range"] == [charts.PHASE_COLOURS["launch"], charts.PHASE_COLOURS["deepening"]]


def test_heat_table_cells_carry_their_words_and_a_fixed_domain():
    frame = pd.DataFrame({"belt": ["East", "West"], "cat": ["A", "A"], "v": [0.9, 0.1], "cell": ["90%", "10%"]})
    spec = charts.heat_table(frame, "belt", "cat", "v", "cell", x_title=None, y_title=None, value_title="Met",
                             x_order=["East", "West"]).to_dict()
    cells, words = layers(spec)
    # Five steps over the fixed domain 0..1 (issue 22: a continuous ramp's pale blues could not be
    # told apart on a projector), each starting at a fifth of it.
    assert cells["encoding"]["color"]["scale"]["type"] == "threshold"
    assert cells["encoding"]["color"]["scale"]["domain"] == [0.2, 0.4, 0.6, 0.8]
    assert "'0%'" in cells["encoding"]["color"]["legend"]["labelExpr"]  # the first step's start, not ""
    assert words["encoding"]["text"]["field"] == "cell"
    assert cells["encoding"]["x"]["sort"] == ["East", "West"]


# Contrast (issue 15 item 13): every word the charts draw reads at 4.5:1 -------------------------

def test_contrast_ratio_is_wcags():
    assert charts.contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert charts.contrast_ratio("#777777", "#777777") == pytest.approx(1.0)
    assert charts.contrast_ratio("#FFFFFF", "#E69F00") == pytest.approx(2.25, abs=0.01)  # the amber
    assert charts.contrast_ratio("#FFFFFF", "#009E73") == pytest.approx(3.42, abs=0.01)  # and green
    assert charts.contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)


def test_every_text_and_background_pair_the_charts_draw_reads_at_4_5():
    pairs = charts.text_pairs()
    weak = [(text, ground, where, round(charts.contrast_ratio(text, ground), 2)) for text, ground, where in pairs
            if charts.contrast_ratio(text, ground) < charts.MIN_CONTRAST]
    assert not weak
    # Every colour of every palette that carries numbers is in the list.
    fills = {ground for _t, ground, _w in pairs}
    for palette in (charts.HEALTH_COLOURS, charts.STATUS_COLOURS, charts.MILESTONE_COLOURS, charts.PHASE_COLOURS,
                    charts.BELT_COLOURS, charts.RISK_COLOURS):
        assert set(palette.values()) <= fills


def test_the_theme_greys_axis_and_legend_words_readably():
    config = charts._theme()["config"]
    for part in ("axis", "legend"):
        for key in ("labelColor", "titleColor"):
            assert charts.contrast_ratio(config[part][key], charts.BACKGROUND) >= 4.5, (part, key)


def test_numbers_on_stacked_bars_are_dark_or_white_as_their_fill_needs():
    frame = pd.DataFrame({"belt": ["East"] * 3, "n": [3, 4, 5], "health": ["Red", "Amber", "Green"]})
    spec = charts.stacked_bar(frame, "belt", "n", "health", colours=charts.HEALTH_COLOURS,
                              series_labels={"red": "Red", "amber": "Amber", "green": "Green"},
                              category_title="Belt", value_title="Pilots", series_title="Health").to_dict()
    words = next(layer for layer in layers(spec) if layer["mark"]["type"] == "text")
    colour = words["encoding"]["color"]
    light = [w for w, c in zip(("Red", "Amber", "Green"), charts.HEALTH_COLOURS.values())
             if charts.text_on(c) == charts.TEXT_LIGHT]
    assert colour["condition"]["test"] == f"indexof({light!r}, datum['health']) >= 0"
    assert colour["value"] == charts.TEXT_DARK and light == []  # Okabe-Ito's three take dark words
    # A number is only drawn where its segment has room for it.
    assert "scale('x'" in words["encoding"]["opacity"]["condition"]["test"]


def test_shaded_cells_and_tiles_take_dark_words_on_every_shade():
    frame = pd.DataFrame({"belt": ["East", "West"], "cat": ["A", "A"], "v": [0.9, 0.1], "cell": ["90%", "10%"]})
    spec = charts.heat_table(frame, "belt", "cat", "v", "cell", x_title=None, y_title=None,
                             value_title="Met").to_dict()
    cells, words = layers(spec)
    # A heat table's steps (issue 22) are dark enough at the top for white words: each cell's
    # words take `text_on` its step (90% is on the darkest step, 10% on the lightest).
    assert cells["encoding"]["color"]["scale"]["range"] == charts.HEAT_STEPS
    assert words["encoding"]["color"]["condition"]["value"] == charts.TEXT_LIGHT
    assert words["encoding"]["color"]["value"] == charts.TEXT_DARK
    assert [r["light_words"] for r in rows_of(spec)] == [True, False]
    tiles, tile_words = layers(charts.tile_map(TILES, "share_red", "label", value_title="Share red",
                                               belt_title="Belt", belt_labels={"east": "East", "west": "West"},
                                               domain=(0.0, 1.0)).to_dict())
    assert tiles["encoding"]["color"]["condition"]["scale"]["range"] == charts.SEQUENTIAL_RANGE
    assert tile_words["mark"]["color"] == charts.TEXT_DARK


def test_the_page_captions_grey_reads_at_4_5():
    from pilotdash.ui.styles import SCREEN_CSS

    grey = re.search(r'stCaptionContainer"\][^{]*\{\s*color:\s*(#[0-9A-Fa-f]{6})', SCREEN_CSS).group(1)
    assert charts.contrast_ratio(grey, "#FFFFFF") >= 4.5


# On a phone ------------------------------------------------------------------------------------

def test_on_a_phone_legends_go_below_and_words_fit():
    phone = charts.for_phone(charts.tile_map(TILES, "share_red", "label", value_title="Share red",
                                             belt_title="Belt", belt_labels={"east": "East", "west": "West"},
                                             domain=(0.0, 1.0))).to_dict()
    tiles, words = layers(phone)
    assert tiles["encoding"]["color"]["condition"]["legend"]["orient"] == "bottom"  # not beside a 358 px map
    assert words["mark"]["fontSize"] == charts.PHONE_TEXT_SIZE
    assert phone["config"]["axis"]["labelLimit"] == charts.PHONE_LABEL_LIMIT
    # Every legend wraps its entries to its container (all screens): none cut off at the right.
    assert phone["config"]["legend"]["columns"] == {"expr": charts.LEGEND_COLUMNS}


def test_the_gantt_names_its_rows_above_the_bars():
    frame = pd.DataFrame({"row": ["P1", "P1"], "phase": ["launch", "deepening"],
                          "planned_start": pd.to_datetime(["2024-01-01", "2025-01-01"]),
                          "planned_end": pd.to_datetime(["2024-12-31", "2026-12-31"]),
                          "actual_start": pd.to_datetime(["2024-02-01", None]),
                          "actual_to": pd.to_datetime(["2025-01-31", None])})
    spec = charts.phase_gantt(frame, "row", phase_labels={"launch": "Launch", "deepening": "Deepening"},
                              planned_label="Planned", actual_label="Actual", row_title=None, date_title="Date",
                              phase_title="Phase", as_of="2025-06-30", as_of_label="As of 2025-06-30").to_dict()
    bars, names = layers(spec)[:2]
    assert bars["name"] == "phase_bars" and bars["encoding"]["y"]["axis"] is None  # no axis eats the width
    assert names["mark"]["type"] == "text" and names["encoding"]["text"]["field"] == "row"
    assert names["encoding"]["yOffset"]["scale"]["domain"] == ["", "Planned", "Actual"]  # name, then its bars


def test_a_rate_axis_fits_its_data():
    """Issue 22 item 5: rates up to 90% against an 85% target end the axis at 100%, not 160%; a
    rate beyond the cap still stops the axis at the cap."""
    import pandas as pd

    from pilotdash.charts import fitted_cap

    assert fitted_cap(pd.Series([0.9, 0.86, 0.78]), 1.5, 0.85) == 1.0
    assert fitted_cap(pd.Series([0.4]), 1.5, 0.85) == 0.9  # the target stays on the axis
    assert fitted_cap(pd.Series([2.3, None]), 1.5, 0.85) == 1.5


def test_a_count_axis_has_whole_ticks():
    """Issue 22 item 4: counts stacked per belt are ticked in whole numbers (never "0.5 pilots")."""
    import pandas as pd

    from pilotdash.charts import stacked_bar

    frame = pd.DataFrame({"belt": ["东部", "西部"], "projects": [3, 1], "phase": ["启动", "启动"]})
    spec = stacked_bar(frame, "belt", "projects", "phase", colours={"start": "#0072B2"},
                       series_labels={"start": "启动"}, category_title="地带", value_title="项目数",
                       series_title="阶段").to_dict()
    import json

    assert '"axis": {"format": ",d", "tickMinStep": 1}' in json.dumps(spec)
