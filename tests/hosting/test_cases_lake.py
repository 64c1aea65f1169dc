"""Places, cases and adoptions on the hosted store (DuckLake on PostgreSQL): the reference cities and
counties are set up, a name is matched on upload, cases and adoptions are written and rolled back,
and the promotion figures and a cities scope answer as on the embedded file."""

from __future__ import annotations

import pandas as pd

from pilotdash import store as store_mod
from pilotdash.ingest.apply import apply, rollback
from pilotdash.ingest.plan import prepare
from pilotdash.scope import Scope
from tests import fixtures
from tests.cases import rows


def test_places_and_cases_on_the_lake(new_lake, tmp_path):
    from pilotdash.hosting import lake

    target, data = new_lake()
    hosted = store_mod.open_lake(target, data, build_if_empty=False)
    try:
        rows.add(fixtures.fill(hosted))
        embedded = rows.add(fixtures.make_store(tmp_path / "embedded.duckdb"))
        assert hosted.rows("SELECT count(*) FROM counties") == [(2978,)]
        hangzhou = Scope("cities", ("3301",))
        for name in ("promotion_summary", "case_library", "city_summary", "case_adoptions_by_province"):
            for limit in (None, hangzhou):
                pd.testing.assert_frame_equal(hosted.query(name, {"as_of": fixtures.AS_OF}, scope=limit),
                                              embedded.query(name, {"as_of": fixtures.AS_OF}, scope=limit),
                                              check_dtype=False)
        before = hosted.table_checksum("adoptions")
        plan = prepare(hosted, "projects.csv", "project_id,county_code\nB,武侯\n".encode(), "projects")
        places = apply(hosted, plan, "ana")
        assert hosted.rows("SELECT city_code, county_code FROM projects WHERE project_id = 'B'") == [("5101", "510107")]
        plan = prepare(hosted, "adoptions.csv", "case_id,province_code,city_code,adopted_on\ncs4,江苏,苏州,2026-05-01\n"
                       .encode(), "adoptions")
        done = apply(hosted, plan, "ana")
        assert hosted.rows("SELECT province_code, city_code FROM adoptions WHERE case_id = 'cs4'") == [("32", "3205")]
        rollback(hosted, done.upload_id, "ana")
        rollback(hosted, places.upload_id, "ana")
        assert hosted.table_checksum("adoptions") == before
        assert hosted.rows("SELECT city_code, county_code FROM projects WHERE project_id = 'B'") == [("5101", None)]
        embedded.close()
    finally:
        hosted.close()
