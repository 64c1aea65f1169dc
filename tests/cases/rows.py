"""The places and the promotion rows added to the fixture store (tests/fixtures.py) for these tests.
As of D = 2026-06-30, worked out by hand:

    project  province  city           county         phase on D  status     counts for conversion
    A        11        1101 北京市     110105 朝阳区   deepening   active     no (deepening)
    B        51        5101 成都市     —              launch      active     no
    C        14        —              —              promotion   withdrawn  yes (promotion phase)
    D        11        1101 北京市     —              launch      suspended  no
    E        33        3301 杭州市     330106 西湖区   promotion   completed  yes (completed)
    F        32        3205 苏州市     320583 昆山市   promotion   active     yes; no case: warning no_case

    case  pilot  kind        maturity     recommended_on  standard  stage on D   on 2026-09-30
    cs1   E      mechanism   adopted      2025-10-01      local     adopted      adopted
    cs2   C      technology  recommended  2026-08-01      —         evaluated    recommended
    cs3   A      model       draft        —               —         draft        draft
    cs4   A      standard    recommended  2026-01-15      national  recommended  recommended

    adoption  case  province  city       adopted_on
              cs1   32        3205 苏州  2026-03-01
              cs1   51        —          2026-05-01
              cs1   44        —          2026-09-01  (after D)

On D: conversion = converted {E} ÷ eligible {C, E, F} = 1/3; coverage = {32, 51} ÷ 31 = 2/31;
funnel (cases reaching each stage) draft 4, evaluated 3, recommended 2, adopted 1.
On 2026-09-30: conversion 2/3 (C's cs2 recommended), coverage 3/31.
"""

PLACES = [("A", "1101", "110105"), ("B", "5101", None), ("D", "1101", None)]

PROJECTS = [
    # id, name_zh, name_en, domain, pilot_type, province, city, lead_unit, batch, start, end, status, city_code, county_code
    ("E", "杭州政务服务试点", "Hangzhou government services pilot", "government_services", "demonstration", "33", "杭州",
     "杭州市数据资源管理局", 2021, "2021-01-01", "2025-12-31", "completed", "3301", "330106"),
    ("F", "昆山智慧城市试点", "Kunshan smart city pilot", "smart_city", "exploratory", "32", "昆山",
     "昆山市大数据管理局", 2023, "2023-01-01", "2026-12-31", "active", "3205", "320583"),
]
PHASES = [
    ("E", "launch", "2021-01-01", "2022-06-30", "2021-01-01", "2022-06-30"),
    ("E", "deepening", "2022-07-01", "2024-06-30", "2022-07-01", "2024-06-30"),
    ("E", "promotion", "2024-07-01", "2025-12-31", "2024-07-01", "2025-12-31"),
    ("F", "launch", "2023-01-01", "2024-06-30", "2023-01-01", "2024-06-30"),
    ("F", "deepening", "2024-07-01", "2025-12-31", "2024-07-01", "2025-12-31"),
    ("F", "promotion", "2026-01-01", "2026-12-31", "2026-01-01", None),
]
CASES = [
    ("cs1", "E", "“一网通办”跨部门协同机制", "mechanism", "adopted", "2025-10-01", "local"),
    ("cs2", "C", "远程医疗协同平台", "technology", "recommended", "2026-08-01", None),
    ("cs3", "A", "数据要素流通模式", "model", "draft", None, None),
    ("cs4", "A", "公共数据开放标准", "standard", "recommended", "2026-01-15", "national"),
]
ADOPTIONS = [
    ("cs1", "32", "3205", "2026-03-01", "苏州市推广"),
    ("cs1", "51", None, "2026-05-01", "全省推广"),
    ("cs1", "44", None, "2026-09-01", "全省推广"),
]

# E reports too (pages of a scope whose pilots have no reading at all are not what this tests)
READINGS = [("E", "P1", "2025-12-31", 85.0)]
BUDGET_LINES = [("E", 2025, "central", "software", 300.0, 300.0, 280.0)]

PROJECT_COLUMNS = ("project_id, name_zh, name_en, domain, pilot_type, province_code, city, lead_unit, batch_year, "
                   "start_date, end_date, status, city_code, county_code")


def add(store):
    with store.writing() as w:
        for project, city, county in PLACES:
            w.execute("UPDATE projects SET city_code = ?, county_code = ? WHERE project_id = ?", [city, county, project])
        w.executemany(f"INSERT INTO projects ({PROJECT_COLUMNS}) VALUES ({', '.join(['?'] * 14)})", PROJECTS)
        w.executemany("INSERT INTO phases VALUES (?, ?, ?, ?, ?, ?)", PHASES)
        w.executemany("INSERT INTO cases VALUES (?, ?, ?, ?, ?, ?, ?)", CASES)
        w.executemany("INSERT INTO adoptions VALUES (?, ?, ?, ?, ?)", ADOPTIONS)
        w.executemany("INSERT INTO readings VALUES (?, ?, ?, ?)", READINGS)
        w.executemany("INSERT INTO budget_lines VALUES (?, ?, ?, ?, ?, ?, ?)", BUDGET_LINES)
    return store
