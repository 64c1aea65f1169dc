"""A store made before projects had `status_date` 状态日期 gains it, empty, when opened (issue 21):
its rows and every page keep working, and "empty" means the stored status has always held."""

import duckdb

from pilotdash import named_queries
from pilotdash.store import Store
from tests import fixtures


def test_an_older_store_gains_status_date(tmp_path):
    path = tmp_path / "old.duckdb"
    fixtures.make_store(path).close()
    # make it as an older version left it: no status_date column, an older schema digest
    con = duckdb.connect(str(path))
    con.execute("ALTER TABLE projects DROP COLUMN status_date")
    con.execute("UPDATE store_meta SET value = 'older' WHERE key = 'schema'")
    con.close()
    store = Store(path)
    try:
        columns = [r[0] for r in store.rows("DESCRIBE projects")]
        assert columns[-1] == "status_date"
        assert store.rows("SELECT count(*), count(status_date) FROM projects") == [(4, 0)]
        health = named_queries.run(store, "project_health", {"as_of": fixtures.AS_OF})
        assert dict(zip(health["project_id"], health["health"]))["C"] == "closed"  # withdrawn: always
    finally:
        store.close()


def test_a_status_date_is_uploaded_and_validated(store):
    from pilotdash.ingest.plan import prepare

    good = prepare(store, "projects.csv", "项目编号,状态,状态日期\nC,withdrawn,2025年7月1日\n".encode())
    assert good.counts.updates == 1 and not good.counts.rejected
    early = prepare(store, "projects.csv", b"project_id,status,status_date\nC,withdrawn,2022-12-31\n")
    row = early.report("en").iloc[0]
    assert (row["Column"], row["Severity"]) == ("status_date", "Rejected")
    assert "before the start date" in row["Reason"]
