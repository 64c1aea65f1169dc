"""Scope 数据权限 (issue 12 item 2): every named query, read through a provincial or a pilots scope,
returns only that scope's rows, equal to the national answer filtered by hand; a cursor never
carries one scope into another read; the lake answers the same."""

from __future__ import annotations

import concurrent.futures
import datetime as dt

import duckdb
import pandas as pd
import pytest

from pilotdash import named_queries, scope
from pilotdash.errors import Problem
from pilotdash.scope import Scope, bind, in_scope, limited, visible_projects
from pilotdash.warnings import ledger
from tests import fixtures

# fixture pilots: A (11, east), B (51, west), C (14, central), D (11, east)
BEIJING = Scope("provinces", ("11",))
TWO_PILOTS = Scope("projects", ("B", "C"))
SCOPES = {"provinces 11": (BEIJING, {"A", "D"}, {"11"}), "pilots B C": (TWO_PILOTS, {"B", "C"}, {"51", "14"})}
BELT = {"11": "east", "51": "west", "14": "central"}


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    s = fixtures.make_store(tmp_path_factory.mktemp("scope") / "fixture.duckdb")
    ledger.recompute(s, fixtures.AS_OF, by="test")  # warnings, events: pilot rows of their own
    yield s
    s.close()


def _params(name: str, **extra) -> dict:
    declared = {p.name for p in named_queries.get(name).params}
    params = {"as_of": fixtures.AS_OF} if "as_of" in declared else {}
    params.update({k: v for k, v in extra.items() if k in declared})
    return params


def _by_hand(frame: pd.DataFrame, projects: set[str], provinces: set[str]) -> pd.DataFrame:
    """The national rows a scope may see: its pilots', its provinces' (or no province's), its belts'."""
    keep = pd.Series(True, index=frame.index)
    if "project_id" in frame.columns:
        keep &= frame["project_id"].isna() | frame["project_id"].isin(projects)
    if "province_code" in frame.columns:
        keep &= frame["province_code"].isna() | frame["province_code"].isin(provinces)
    if "belt" in frame.columns:
        keep &= frame["belt"].isna() | frame["belt"].isin({BELT[p] for p in provinces} | {"all"})
    return frame[keep].reset_index(drop=True)


def test_describe_and_checks():
    assert Scope.national().describe("en") == "national" and Scope.national().describe("zh") == "全国"
    assert Scope("provinces", ("51", "11")).describe("en") == "provinces 11, 51"
    assert Scope("provinces", ("51", "11")).describe("zh") == "省份 11, 51"
    assert Scope("provinces", ("51", "11")) == Scope("provinces", ("11", "51", "11"))
    for bad in (("country", ()), ("provinces", ()), ("national", ("11",))):
        with pytest.raises(ValueError):
            Scope(*bad)


@pytest.mark.parametrize("which", sorted(SCOPES))
@pytest.mark.parametrize("name", sorted(named_queries.catalogue()))
def test_every_named_query_returns_only_the_scope(store, name, which):
    limit, projects, provinces = SCOPES[which]
    part = store.query(name, _params(name, project="A"), scope=limit)
    if "project_id" in part.columns:
        assert set(part["project_id"].dropna()) <= projects, name
    if "province_code" in part.columns:
        assert set(part["province_code"].dropna()) <= provinces, name
    if "belt" in part.columns:
        assert set(part["belt"].dropna()) - {"all"} <= {BELT[p] for p in provinces}, name  # all: the total row
    # the same through a store limited to the scope (what a page and the CLI --as hold)
    pd.testing.assert_frame_equal(limited(store, limit).query(name, _params(name, project="A")), part)


# Per-pilot rows, and totals whose national answer with the province filter is the scope's.
PER_PILOT = [q for q, nq in sorted(named_queries.catalogue().items())
             if "project_id" in nq.columns and q not in ("attention_projects",)]  # attention: top N


@pytest.mark.parametrize("which", sorted(SCOPES))
@pytest.mark.parametrize("name", PER_PILOT)
def test_per_pilot_rows_equal_the_national_rows_filtered_by_hand(store, name, which):
    limit, projects, provinces = SCOPES[which]
    for project in sorted(projects | {"A"}):
        params = _params(name, project=project)
        part = store.query(name, params, scope=limit).reset_index(drop=True)
        national = _by_hand(store.query(name, params), projects, provinces)
        pd.testing.assert_frame_equal(part, national, check_dtype=False)


TOTALS = ["overview_totals", "province_summary", "region_summary", "region_by_category", "projects_by_belt_phase",
          "schedule_summary", "indicator_summary", "fund_by_dimension", "matching_ratio_by_region",
          "warnings_by_belt", "warnings_by_level", "provinces_map", "differentiated_targets"]


@pytest.mark.parametrize("name", TOTALS)
def test_counts_and_totals_are_over_the_visible_pilots(store, name):
    """A provincial office's totals are the national totals of its province, filtered by hand:
    nothing of another province is in any count, sum or ratio."""
    extra = {"dimension": "province"} if name in ("fund_by_dimension", "matching_ratio_by_region") else {}
    part = store.query(name, _params(name, **extra), scope=BEIJING).reset_index(drop=True)
    national = _by_hand(store.query(name, _params(name, province=["11"], **extra)), {"A", "D"}, {"11"})
    pd.testing.assert_frame_equal(part, national, check_dtype=False)
    assert len(part), name


def test_the_totals_differ_from_the_national_ones(store):
    """(So the tests above could fail: the whole country's numbers are not the province's.)"""
    national = store.query("overview_totals", _params("overview_totals")).iloc[0]
    part = store.query("overview_totals", _params("overview_totals"), scope=BEIJING).iloc[0]
    assert national["projects"] == 4 and part["projects"] == 2


def test_a_pilot_outside_the_scope_is_not_there(store):
    assert store.query("project_facts", _params("project_facts", project="B"), scope=BEIJING).empty
    assert store.query("project_risks", _params("project_risks", project="C"), scope=BEIJING).empty
    assert not store.query("project_risks", _params("project_risks", project="C"), scope=TWO_PILOTS).empty
    assert visible_projects(store, BEIJING) == {"A", "D"} and visible_projects(store, None) == {"A", "B", "C", "D"}
    assert in_scope(store, TWO_PILOTS, "B") and not in_scope(store, TWO_PILOTS, "A")
    assert not in_scope(store, None, "nope")
    with pytest.raises(Problem):
        scope.require(store, BEIJING, "B")


def test_every_pilot_table_is_limited(store):
    """Raw reads of each table (what an ad-hoc read, an export, the CLI does) see only the scope."""
    with store.read(BEIJING) as r:
        for table in ("projects", "phases", "milestones", "readings", "budget_lines", "risks", "warnings",
                      "snapshot_indicator_status", "snapshot_project_health"):
            ids = {row[0] for row in r.execute(f"SELECT DISTINCT project_id FROM {table}").fetchall()}
            assert ids <= {"A", "D"}, table
            assert ids == {row[0] for row in r.execute(f"SELECT DISTINCT project_id FROM main.{table}").fetchall()}
        assert {row[0] for row in r.execute("SELECT province_code FROM provinces").fetchall()} == {"11"}
        events = r.scalar("SELECT count(*) FROM warning_events e JOIN warnings w USING (warning_id)")
        assert events == r.scalar("SELECT count(*) FROM warning_events")
        assert r.scalar("SELECT count(*) FROM indicators") == len(fixtures.INDICATORS)  # reference rows
    with store.read() as r:
        assert r.scalar("SELECT count(*) FROM warnings WHERE project_id NOT IN ('A', 'D')") > 0


def test_macros_read_the_scope(store):
    """Table macros bind their tables when called, so the measures see the scope's rows only."""
    with store.read(BEIJING) as r:
        assert {row[0] for row in r.execute("SELECT project_id FROM project_health_live(?)",
                                            [fixtures.AS_OF]).fetchall()} == {"A", "D"}
        assert r.scalar("SELECT count(*) FROM project_base()") == 2
        assert r.scalar("SELECT count(DISTINCT project_id) FROM indicator_status_all(?)", [fixtures.AS_OF]) == 1


def test_a_reused_cursor_never_carries_a_scope(store):
    con = duckdb.connect(str(store.path), read_only=True)
    try:
        cur = con.cursor()
        count = "SELECT count(*), string_agg(project_id, ',' ORDER BY project_id) FROM projects"
        assert cur.execute(count).fetchone() == (4, "A,B,C,D")
        bind(cur, BEIJING)
        assert cur.execute(count).fetchone() == (2, "A,D")
        bind(cur, TWO_PILOTS)
        assert cur.execute(count).fetchone() == (2, "B,C")
        assert cur.execute("SELECT count(*) FROM readings WHERE project_id IN ('A', 'D')").fetchone() == (0,)
        bind(cur, None)
        assert cur.execute(count).fetchone() == (4, "A,B,C,D")
        bind(cur, Scope.national())
        assert cur.execute(count).fetchone() == (4, "A,B,C,D")
        other = con.cursor()  # a cursor is its own connection: another's scope is not its
        bind(cur, BEIJING)
        assert other.execute(count).fetchone() == (4, "A,B,C,D")
        bind(other, TWO_PILOTS)
        assert cur.execute(count).fetchone() == (2, "A,D")
        cur.execute("BEGIN TRANSACTION")  # a scope bound in a read's transaction ends with it
        bind(cur, TWO_PILOTS)
        cur.execute("ROLLBACK")
        bind(cur, None)
        assert cur.execute(count).fetchone() == (4, "A,B,C,D")
    finally:
        con.close()


def test_concurrent_reads_of_different_scopes_never_leak(store):
    """Many threads on one store (one process's shared handle), each its own scope, at once."""
    scopes = [BEIJING, TWO_PILOTS, None] * 20

    def ids(limit):
        return limit, {r[0] for r in store.rows("SELECT project_id FROM project_health_all(?)",
                                                 [fixtures.AS_OF], scope=limit)}

    with concurrent.futures.ThreadPoolExecutor(6) as pool:
        for limit, seen in pool.map(ids, scopes):
            assert seen == ({"A", "D"} if limit is BEIJING else {"B", "C"} if limit is TWO_PILOTS
                            else {"A", "B", "C", "D"})


def test_a_limited_store_cannot_be_widened(store):
    mine = limited(store, BEIJING)
    assert {r[0] for r in mine.rows("SELECT project_id FROM projects")} == {"A", "D"}
    assert {r[0] for r in mine.rows("SELECT project_id FROM projects", scope=None)} == {"A", "D"}
    with pytest.raises(Problem):
        mine.rows("SELECT 1", scope=Scope.national())
    with pytest.raises(Problem):
        mine.rows("SELECT 1", scope=TWO_PILOTS)
    assert limited(store, None) is store and limited(mine, None) is store
    assert len(named_queries.run(mine, "project_list", {"as_of": fixtures.AS_OF})) == 2
    assert named_queries.default_as_of(mine) <= dt.date.today()


def test_the_snapshot_is_read_through_the_scope(store):
    """The measure snapshots (built nationally) are limited like the live measures."""
    from pilotdash import snapshots

    assert snapshots.ensure(store, fixtures.AS_OF)
    with snapshots.reading(store, fixtures.AS_OF, BEIJING) as r:
        assert r.scalar("SELECT getvariable('snapshot_as_of')") == fixtures.AS_OF
        assert {row[0] for row in r.execute("SELECT project_id FROM project_health_all(?)",
                                            [fixtures.AS_OF]).fetchall()} == {"A", "D"}


def test_upload_history_shows_only_the_scopes_rows(tmp_path):
    """The row images of an upload (what a rollback restores) are data: a province sees its own
    pilots' rows of an upload, and only the uploads that touched its pilots."""
    from pilotdash.ingest.apply import apply, history
    from pilotdash.ingest.plan import prepare

    s = fixtures.make_store(tmp_path / "uploads.duckdb")
    try:
        both = "project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,70\nB,P1,2026-06-30,50\n"
        only_b = "project_id,indicator_code,period_end,actual_value\nB,I1,2026-06-30,40\n"
        first = apply(s, prepare(s, "readings.csv", both.encode()), "ana")
        second = apply(s, prepare(s, "readings.csv", only_b.encode()), "ana")
        assert set(history(s)["upload_id"]) == {first.upload_id, second.upload_id}
        mine = limited(s, BEIJING)
        assert list(history(mine)["upload_id"]) == [first.upload_id]
        rows = mine.rows("SELECT row_key FROM upload_changes")
        assert rows and all('"A"' in r[0] for r in rows)
        assert set(history(limited(s, TWO_PILOTS))["upload_id"]) == {first.upload_id, second.upload_id}
    finally:
        s.close()


# The command line: --as EMAIL answers as that person sees it -----------------------------------

@pytest.fixture
def cli_store(tmp_path):
    from pilotdash import people

    path = tmp_path / "cli.duckdb"
    s = fixtures.make_store(path)
    admin = people.local_admin()
    people.add(s, admin, "bj@example.cn", "Beijing office", BEIJING, {"viewer"})
    people.add(s, admin, "gone@example.cn", "Gone", BEIJING, {"viewer"})
    people.disable(s, admin, "gone@example.cn")
    ledger.recompute(s, fixtures.AS_OF, by="test")
    s.close()
    return path


def _cli(path, capsys, *args):
    import io as _io

    from pilotdash.cli import main

    code = main(["--store", str(path), *args])
    out, err = capsys.readouterr()
    return code, (pd.read_csv(_io.StringIO(out)) if code == 0 and out.strip() else out), err


@pytest.mark.parametrize("params", [[], ["--param", "province=51,14"], ["--param", "belt=west"]])
def test_cli_as_answers_with_the_persons_pilots_whatever_the_filters(cli_store, capsys, params):
    code, frame, err = _cli(cli_store, capsys, "--as", "bj@example.cn", "query", "project_list",
                            "--param", "as_of=2026-06-30", *params)
    assert code == 0, err
    assert set(frame["project_id"]) <= {"A", "D"}
    code, national, _ = _cli(cli_store, capsys, "query", "project_list", "--param", "as_of=2026-06-30")
    assert set(national["project_id"]) == {"A", "B", "C", "D"}


def test_cli_as_totals_and_warnings(cli_store, capsys):
    code, totals, err = _cli(cli_store, capsys, "--as", "BJ@example.cn", "query", "overview_totals",
                             "--param", "as_of=2026-06-30")
    assert code == 0, err
    assert totals["projects"].tolist() == [2]
    code, warnings, err = _cli(cli_store, capsys, "--as", "bj@example.cn", "warnings", "list")
    assert code == 0, err
    assert set(warnings["project_id"]) <= {"A", "D"}
    code, everyone, _ = _cli(cli_store, capsys, "warnings", "list")
    assert set(everyone["project_id"]) - {"A", "D"}


@pytest.mark.parametrize("email, said", [("nobody@example.cn", "nobody@example.cn"),
                                         ("gone@example.cn", "gone@example.cn")])
def test_cli_as_an_unknown_or_disabled_person_is_an_error(cli_store, capsys, email, said):
    code, out, err = _cli(cli_store, capsys, "--as", email, "query", "project_list")
    assert code == 2 and out == "" and said in err and err.startswith("error:") and "Traceback" not in err


def test_cli_as_is_refused_by_commands_that_change_something(cli_store, capsys):
    code, _, err = _cli(cli_store, capsys, "--as", "bj@example.cn", "warnings", "recompute")
    assert code == 2 and "read commands only" in err


def test_a_provinces_own_targets_upload_is_in_its_history(tmp_path):
    """A targets upload of a province (no pilot) is the provincial office's own: listed in its
    history, as the targets are on its pages; a belt's where one of its provinces is seen, the
    nation's for everyone; another province's not."""
    from pilotdash.ingest.apply import apply, history
    from pilotdash.ingest.plan import prepare

    s = fixtures.make_store(tmp_path / "targets.duckdb")
    try:
        def upload(text):
            plan = prepare(s, "targets.csv", text.encode(), table="targets")
            assert plan.clean, plan.errors.to_pylist()
            return apply(s, plan, "ana").upload_id

        head = "indicator_code,target_value,project_id,province_code,belt,phase\n"
        beijing = upload(head + "P1,90,,11,,\n")
        sichuan = upload(head + "P1,80,,51,,\n")
        west = upload(head + "P1,70,,,west,\n")
        nation = upload(head + "P1,75,,,,\n")
        assert set(history(limited(s, BEIJING))["upload_id"]) == {beijing, nation}
        assert set(history(limited(s, Scope("provinces", ("51",))))["upload_id"]) == {sichuan, west, nation}
    finally:
        s.close()
