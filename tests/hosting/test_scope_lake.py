"""Scope on the hosted store (DuckLake on PostgreSQL, issue 12 item 2): the per-read views that limit
a read to a scope work on the lake exactly as on the embedded file."""

from __future__ import annotations

import pandas as pd

from pilotdash import store as store_mod
from pilotdash.scope import visible_projects
from tests import fixtures
from tests.test_scope import BEIJING, TWO_PILOTS, _params


def test_the_lake_is_limited_the_same_way(new_lake, tmp_path):
    from pilotdash.hosting import lake

    target, data = new_lake()
    hosted = store_mod.open_lake(target, data, build_if_empty=False)
    try:
        fixtures.fill(hosted)
        embedded = fixtures.make_store(tmp_path / "embedded.duckdb")
        for name in ("project_list", "overview_totals", "province_summary", "target_gaps", "project_facts"):
            for limit in (BEIJING, TWO_PILOTS):
                params = _params(name, project="B")
                pd.testing.assert_frame_equal(hosted.query(name, params, scope=limit),
                                              embedded.query(name, params, scope=limit), check_dtype=False)
        assert visible_projects(hosted, BEIJING) == {"A", "D"}
        with hosted.read(TWO_PILOTS) as r:
            assert {row[0] for row in r.execute("SELECT project_id FROM main.readings").fetchall()} <= {"B", "C"}
        assert len(hosted.rows("SELECT * FROM projects")) == 4  # national reads untouched afterwards
        embedded.close()
    finally:
        hosted.close()
