"""Who may roll back an upload is asked of where its pilots are now, as well as where they were
when it was submitted: pilot E's reading, approved by the Hangzhou office (3301), then E moved by
the provincial office to Ningbo (3302). Hangzhou no longer rolls back Ningbo's pilot's data (it
hears "no such upload", as for another city's), the Zhejiang office (33) still does.

Fixtures of tests/hostile/test_city_review.py (E: 33/3301, reading E/P1/2025-12-31 stored as 85)."""

from __future__ import annotations

import pytest

from pilotdash import submissions
from pilotdash.errors import Problem
from tests.hostile.test_city_review import E_READING, city_store, reading, submit, who  # noqa: F401


def test_a_pilot_moved_to_the_next_city_leaves_the_old_citys_rollback(city_store, who):  # noqa: F811
    done = submissions.approve(city_store, who["rev_hz"], submit(city_store, who["sub_hz"], E_READING).submission_id)
    assert reading(city_store, "E") == 90
    with city_store.writing() as w:  # the provincial office moves E to Ningbo
        w.execute("UPDATE projects SET city_code = '3302', county_code = NULL WHERE project_id = 'E'")
    with pytest.raises(Problem) as err:
        submissions.rollback(city_store, who["rev_hz"], done.upload_id)
    assert err.value.code == "ingest.err.no_such_upload" and reading(city_store, "E") == 90
    assert submissions.rollback(city_store, who["rev_zj"], done.upload_id) == [done.upload_id]
    assert reading(city_store, "E") == 85
