"""The Regions drill-down below a province (AppTest): a province's cities, a city's counties, and
the counts adding up to the level above (fixture store + tests/cases/rows.py, D = 2026-06-30)."""

D = "2026-06-30"


def frames(at):
    return [e.value for e in at.dataframe]


def test_a_province_drills_into_its_cities_and_a_city_into_its_counties(app):
    at = app("regions", province="11", as_of=D).run()
    assert not at.exception
    cities = next(f for f in frames(at) if "place" in f.columns)
    assert list(cities["place"]) == ["北京市"] and list(cities["projects"]) == [2]
    at = app("regions", province="11", city="1101", as_of=D).run()
    assert not at.exception
    counties = next(f for f in frames(at) if "place" in f.columns)
    assert list(counties["place"]) == ["朝阳区", "未填写区县"]
    assert list(counties["projects"]) == [1, 1]
    assert any("北京市：各区县" in m.value for m in at.markdown)


def test_the_cities_add_up_to_their_province_and_the_counties_to_their_city(open_store):
    from pilotdash import named_queries

    run = lambda name, **p: named_queries.run(open_store, name, {"as_of": D, **p})  # noqa: E731
    provinces = run("province_summary").set_index("province_code")
    cities = run("city_summary")
    # C (Shanxi) has no city code: its own "city not given" row keeps the sum
    assert cities[cities["place_code"].isna()]["province_code"].tolist() == ["14"]
    for column in ("projects", "red", "amber", "green", "allocated", "spent", "pairs_with_data"):
        by_province = cities.groupby("province_code")[column].sum()
        assert by_province.to_dict() == provinces[column].to_dict(), column
    counties = run("county_summary", city=["1101"])
    city = cities[cities["place_code"] == "1101"].iloc[0]
    for column in ("projects", "red", "amber", "green", "allocated", "spent"):
        assert counties[column].sum() == city[column], column
