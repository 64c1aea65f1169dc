"""The places (and, below, the cases and adoptions) added to the fixture store for these tests.

    project  province  city            county
    A        11        1101 北京市      110105 朝阳区
    B        51        5101 成都市      (none)
    C        14        (none)          (none)
    D        11        1101 北京市      (none)
"""

PLACES = [("A", "1101", "110105"), ("B", "5101", None), ("D", "1101", None)]


def add(store):
    with store.writing() as w:
        for project, city, county in PLACES:
            w.execute("UPDATE projects SET city_code = ?, county_code = ? WHERE project_id = ?", [city, county, project])
    return store
