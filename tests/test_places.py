"""Cities and counties: matching written names to the national division codes (pilotdash/places.py),
and a projects upload taking a code or a name (shared/domain.md "Cities and counties")."""

import pytest

from pilotdash import places
from pilotdash.ingest.apply import apply
from pilotdash.ingest.plan import prepare


def test_the_reference_ships_unchanged_with_its_source():
    assert len(places.division_provinces()) == 31
    assert len(places.cities()) == 342
    assert len(places.counties()) == 2978
    assert places.division_provinces()["33"] == "浙江省"


@pytest.mark.parametrize("text, province, code", [
    ("杭州", None, "3301"), ("杭州市", None, "3301"), ("杭州", "33", "3301"), ("3301", "33", "3301"),
    ("恩施州", None, "4228"), ("恩施土家族苗族自治州", "42", "4228"), ("恩施", None, "4228"),
    # the four municipalities: the name stands for the 市辖区 row
    ("北京", None, "1101"), ("北京市", "11", "1101"), ("天津", "12", "1201"), ("上海市", None, "3101"),
    ("重庆", "50", "5001"),
])
def test_a_city_name_matches_one_code(text, province, code):
    assert places.city(text, province).code == code


def test_kunshan_is_a_county_level_city_under_suzhou():
    found = places.county("昆山")
    assert found.code == "320583"
    assert places.resolve("32", None, "昆山") == places.Resolved("3205", "320583")
    assert places.resolve("32", "苏州", "昆山市") == places.Resolved("3205", "320583")


def test_chaoyang_district_is_ambiguous_without_its_province():
    found = places.county("朝阳区")
    assert found.ambiguous and {p.code for p in found.candidates} == {"110105", "220104"}
    assert places.county("朝阳区", "11").code == "110105"
    assert places.resolve("11", None, "朝阳区") == places.Resolved("1101", "110105")
    refused = places.resolve(None, None, "朝阳区").problems[0]
    assert refused.code == "ambiguous_county" and "110105 北京市朝阳区" in refused.arg and "220104" in refused.arg


def test_a_district_of_a_municipality_has_the_municipality_as_its_city():
    assert places.resolve("11", "北京", "海淀") == places.Resolved("1101", "110108")
    assert places.resolve("12", None, "和平区") == places.Resolved("1201", "120101")
    assert places.resolve("31", "上海", "浦东新区") == places.Resolved("3101", "310115")
    # 重庆's counties sit in its 县 row (5002): 重庆 with one of them takes that row
    assert places.resolve("50", "重庆", "城口县") == places.Resolved("5002", "500229")
    assert places.resolve("50", "重庆", "渝中区") == places.Resolved("5001", "500103")


@pytest.mark.parametrize("province, city, county, code", [
    ("33", "火星", None, "unknown_city"),
    ("32", "杭州", None, "city_outside_province"),
    ("33", "3201", None, "city_outside_province"),
    ("33", "宁波", "西湖区", "county_outside_city"),
    ("33", None, "昆山", "county_outside_province"),
    ("33", None, "不存在县", "unknown_county"),
])
def test_what_cannot_be_matched_is_refused_with_the_reason(province, city, county, code):
    resolved = places.resolve(province, city, county)
    assert resolved.city_code is None and resolved.county_code is None
    assert [p.code for p in resolved.problems] == [code]


def test_labels_read_as_people_write_them():
    assert places.city_label("1101") == "北京市"
    assert places.city_label("5002") == "重庆市（县）"
    assert places.counties()["110105"].label == "北京市朝阳区"


def report(plan, lang):
    return [tuple(r[:4]) for r in plan.report(lang).itertuples(index=False, name=None)]


def test_a_projects_upload_takes_codes_or_names_and_refuses_with_row_column_and_candidates(store):
    text = ("project_id,name_zh,domain,pilot_type,province_code,status,city_code,county_code\n"
            "E,杭州试点,education,basic,33,active,杭州,西湖\n"
            "F,朝阳试点,education,basic,11,active,北京,朝阳区\n"
            "G,昆山试点,education,basic,32,active,,昆山\n"
            "H,宁波试点,education,basic,33,active,宁波,西湖区\n"
            "I,错省试点,education,basic,32,active,杭州,\n"
            "K,恩施试点,education,basic,42,active,恩施州,\n")
    plan = prepare(store, "projects.csv", text.encode(), "projects")
    assert report(plan, "en") == [
        (5, "county_code", "西湖区", "This county or district is not in the row's city; it is 330106 杭州市西湖区（浙江省）."),
        (6, "city_code", "杭州", "This city is not in the row's province; it is 3301 杭州市（浙江省）."),
    ]
    assert report(plan, "zh")[1] == (6, "城市代码", "杭州", "该城市不在本行的省份内，实为 3301 杭州市（浙江省）。")
    apply(store, plan, "tester", mode="valid_rows")
    assert sorted(store.rows("SELECT project_id, city_code, county_code FROM projects WHERE city_code IS NOT NULL")) == [
        ("E", "3301", "330106"), ("F", "1101", "110105"), ("G", "3205", "320583"), ("K", "4228", None)]


def test_an_ambiguous_county_in_an_upload_lists_its_candidates(store):
    # 鼓楼区 is a district of both 南京 and 徐州 (Jiangsu): the province alone does not decide it
    text = "project_id,name_zh,domain,pilot_type,province_code,status,county_code\nE,x,education,basic,32,active,鼓楼区\n"
    plan = prepare(store, "projects.csv", text.encode(), "projects")
    assert report(plan, "en") == [(2, "county_code", "鼓楼区", "This name fits more than one county or district: "
                                   "320106 南京市鼓楼区; 320302 徐州市鼓楼区. Write the code, or give the city.")]
    assert report(plan, "zh")[0][3] == "该名称对应多个区县：320106 南京市鼓楼区; 320302 徐州市鼓楼区。请填写区县代码，或同时填写城市。"
    assert places.resolve("32", "南京", "鼓楼区") == places.Resolved("3201", "320106")


def test_an_older_store_gains_the_place_columns(tmp_path):
    import duckdb

    from pilotdash.store import Store

    path = tmp_path / "old.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE projects (project_id VARCHAR PRIMARY KEY, name_zh VARCHAR NOT NULL, name_en VARCHAR, "
                "domain VARCHAR NOT NULL, pilot_type VARCHAR NOT NULL, province_code VARCHAR NOT NULL, city VARCHAR, "
                "lead_unit VARCHAR, batch_year INTEGER, start_date DATE, end_date DATE, status VARCHAR NOT NULL)")
    con.execute("INSERT INTO projects VALUES ('X', 'x', NULL, 'education', 'basic', '33', '杭州', NULL, 2024, NULL, NULL, 'active')")
    con.close()
    store = Store(path)
    assert store.rows("SELECT project_id, city, city_code, county_code FROM projects") == [("X", "杭州", None, None)]
    assert store.rows("SELECT label_zh FROM cities WHERE city_code = '1101'") == [("北京市",)]
    store.close()
