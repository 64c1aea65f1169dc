"""Regions on the fixture store (D = 2026-06-30 pinned in the URL; see tests/fixtures.py and
tests/test_named_queries_regions_funds.py for the numbers)."""

from tests import fixtures

D = "2026-06-30"


def param(at, name):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def belt_cards(at):
    """The belt cards' metrics, in order: (pilots, utilisation, targets met) per belt."""
    values = [m.value for m in at.metric]
    return [tuple(values[i:i + 3]) for i in range(0, len(values), 3)]


def test_belts_side_by_side_equal_region_summary(app, fixture_store_path):
    at = app("regions", lang="en", as_of=D).run()
    assert not at.exception
    regions = fixtures.run_named(fixture_store_path, "region_summary", {"as_of": D})
    assert list(regions["belt"]) == ["east", "central", "west"]
    # East: A and D, utilisation 100 of 200 = 50%; central: allocated 0, so "—"; west: 120 of 200.
    assert belt_cards(at) == [("2", "50.0%", "50.0%"), ("1", "—", "50.0%"), ("1", "60.0%", "33.3%")]
    assert "✖ Red **0** · ▲ Amber **1** · ✔ Green **1**" in [m.value for m in at.markdown]
    assert at.title[0].value == "Regions"


def test_province_table_and_differentiated_targets(app):
    at = app("regions", lang="en", as_of=D).run()
    frames = {tuple(df.value.columns[:2]): df.value for df in at.dataframe}
    provinces = frames[("province", "belt_label")]
    assert list(provinces["province"]) == ["Beijing", "Shanxi", "Sichuan"]
    assert list(provinces["projects"]) == [2, 1, 1]
    targets = frames[("indicator", "scope_text")]
    assert list(targets["scope_text"]) == ["East", "West"]
    assert "West, All phases: target 75% vs national 80%" in list(targets["reads"])
    assert "E1 In-person trips per case ↓" in list(targets["indicator"])


def test_drill_down_to_a_province_is_in_the_url(app):
    at = app("regions", lang="en", as_of=D).run()
    at.selectbox(key="regions_province_pick").set_value("11").run()
    assert not at.exception
    assert param(at, "province") == "11"
    listed = [df.value for df in at.dataframe if "link" in df.value.columns][0]
    assert sorted(link.split("project=")[1] for link in listed["link"]) == ["A", "D"]
    # The parameters the page wrote open the same view in a fresh session.
    fresh = app("regions", **{k: param(at, k) for k in at.query_params}).run()
    assert not fresh.exception
    assert any("Pilots in Beijing" in m.value for m in fresh.markdown)
    assert belt_cards(fresh)[0][0] == "2"


def test_belt_focus_sets_the_belt_filter(app):
    at = app("regions", lang="en", as_of=D, belt="west").run()
    assert not at.exception
    assert belt_cards(at) == [("1", "60.0%", "33.3%")]
    provinces = [df.value for df in at.dataframe if "province" in df.value.columns][0]
    assert list(provinces["province"]) == ["Sichuan"]


def test_map_measure_from_the_url_and_bad_measure_notice(app):
    at = app("regions", lang="en", as_of=D, measure="share_red").run()
    assert not at.exception
    assert at.selectbox(key="regions_measure").value == "share_red"
    bad = app("regions", lang="en", as_of=D, measure="colour").run()
    assert not bad.exception
    assert any("colour" in w.value for w in bad.warning)
    assert bad.selectbox(key="regions_measure").value == "projects"


def test_invalid_parameters_give_a_notice(app):
    at = app("regions", lang="en", as_of=D, belt="north", province="99").run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "north" in warnings and "99" in warnings


def test_chinese_labels(app):
    at = app("regions", as_of=D).run()
    assert not at.exception
    assert at.title[0].value == "区域对比"
    assert "东、中、西部对比" in [s.value for s in at.subheader]


def test_no_match_and_empty_store(app, empty_app):
    at = app("regions", lang="en", as_of=D, belt="east", status="withdrawn").run()
    assert not at.exception and any("No pilots match" in w.value for w in at.warning)
    empty = empty_app("regions", lang="en").run()
    assert not empty.exception and any("No pilots match" in w.value for w in empty.warning)


def test_the_province_map_has_its_downloads_and_is_in_the_report(app, downloads):
    # The map goes through ui.chart like every chart: PNG and SVG under it, and in the report.
    at = app("regions", lang="en", as_of=D, measure="share_red").run()
    assert not at.exception
    assert downloads(at, "png_province_map")[:4] == b"\x89PNG"
    svg = downloads(at, "svg_province_map").decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "Sichuan" in svg
    html = downloads(at, "dl_report").decode("utf-8")
    assert "Provinces on the map" in html
