"""A prefecture office 地市 (scope kind cities): the Hangzhou office (3301) sees only pilot E on every
page, in the CLI with --as, in the store and in an upload; the CLI adds such a person.
(Fixture store + tests/cases/rows.py, D = 2026-06-30.)"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.pages.conftest import sign_in_configured

from pilotdash import cli, people, policy, scope
from pilotdash.ingest.plan import prepare
from pilotdash.scope import Scope
from pilotdash.store import Store
from tests.pages.test_scope_pages import AUTH, PAGES, frames, shown_text

HANGZHOU = "hz@example.cn"
D = "2026-06-30"
MINE = {"E", "杭州政务服务试点", "Hangzhou government services pilot"}
# What of the other pilots (A, B, C, D, F) a page could show: names, lead units, case titles.
OUTSIDE = ("北京数字经济试点", "Beijing digital economy pilot", "成都智慧城市试点", "Chengdu smart city pilot",
           "太原医疗健康试点", "北京教育试点", "Beijing education pilot", "昆山智慧城市试点", "Kunshan smart city pilot",
           "北京市发展和改革委员会", "成都市大数据管理局", "太原市卫生健康委员会", "北京市教育委员会", "昆山市大数据管理局",
           "远程医疗协同平台", "数据要素流通模式", "公共数据开放标准",
           # the work of Beijing's pilot A added by `work` below: its task, its issue, its assessment scorer
           "北京数据平台建设", "北京平台延期问题", "北京评估中心")


@pytest.fixture
def work(store_path):
    """A task, an issue and an assessment score for pilot A (Beijing) and for E (Hangzhou), so that
    the tasks, issues and assessment pages have another city's rows to leak."""
    from pilotdash.assessment import scoring

    store = Store(store_path)
    with store.writing() as w:
        w.executemany("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            ("tA1", "A", None, "北京数据平台建设", "王", "2026-01-01", "2026-03-31", None, 1, 50, "平台上线"),
            ("tE1", "E", None, "杭州一网通办升级", "李", "2025-01-01", "2025-11-30", None, 1, 40, "系统上线")])
        w.executemany("INSERT INTO issues VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
            ("iA1", "A", "tA1", "inspection", "北京平台延期问题", "2026-04-01", "王", "2026-05-01", None, None, None),
            ("iE1", "E", "tE1", "inspection", "杭州系统对接问题", "2025-10-01", "李", "2025-11-01", None, None, None)])
        w.execute("INSERT INTO eval_items VALUES ('S', '1', NULL, '组织保障', NULL, 100, 'manual', NULL, 'false')")
        w.execute("INSERT INTO eval_rounds VALUES ('R1', '一季度考核', 'quarterly', '2026-01-01', '2026-03-31', 'S')")
        w.executemany("INSERT INTO eval_scores VALUES (?, ?, ?, ?, ?, ?, ?)", [
            ("R1", "A", "third_party", "1", 90, "北京评估中心", None),
            ("R1", "E", "third_party", "1", 80, "杭州评估中心", None)])
    scoring.recompute(store)
    from pilotdash.warnings import ledger

    ledger.recompute(store, dt.date.fromisoformat(D), by="test")  # A's overdue task and issue among them
    store.close()


@pytest.fixture
def hangzhou(app, store_path, work):
    store = Store(store_path)
    people.add(store, people.local_admin(), HANGZHOU, "Hangzhou office", Scope("cities", ("3301",)), {"viewer"})
    store.close()  # every pilot's warnings were recomputed by `work`, F's no_case among them

    def make(page: str = "overview", **params: str):
        at = app(page, **params)
        sign_in_configured(AUTH)
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": HANGZHOU, "name": HANGZHOU}
        return at

    return make


def assert_only_hangzhou(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    text = shown_text(at)
    for word in OUTSIDE:
        assert word not in text, word
    for frame in frames(at):
        for column in ("project_id", "id"):
            if column in frame.columns:
                assert set(frame[column].dropna().astype(str)) <= MINE, (column, frame[column])
        flat = frame.astype(str).to_string()
        for word in OUTSIDE:
            assert word not in flat, word


@pytest.mark.parametrize("page", [*PAGES, "cases", "tasks", "issues", "assessment", "data"])
def test_every_page_shows_only_the_citys_pilots_and_says_so(hangzhou, page):
    at = hangzhou(page, lang="en", as_of=D).run()
    assert_only_hangzhou(at)
    assert any("Your scope: cities 3301" in i.value and "1 of 31 provinces" in i.value for i in at.info)


def test_the_cases_page_counts_the_citys_pilots_only(hangzhou):
    at = hangzhou("cases", lang="en", as_of=D).run()
    shown = {m.label: m.value for m in at.metric}
    assert shown["Conversion rate"] == "100.0%" and shown["Cases"] == "1"  # E, completed, cs1 adopted
    assert shown["Coverage"] == "6.5%"  # its case adopted in 32 and 51 by D


def test_the_cli_answers_for_the_city_only(store_path, work, capsys):
    assert cli.main(["--store", str(store_path), "people", "add", HANGZHOU, "--name", "Hangzhou office",
                     "--scope", "cities", "--codes", "3301", "--roles", "viewer"]) == 0
    capsys.readouterr()
    for query in ("project_list", "case_library", "city_summary", "promotion_summary", "task_status", "issue_list",
                  "evaluation_league", "evaluation_scores", "warnings_list"):
        assert cli.main(["--store", str(store_path), "--as", HANGZHOU, "query", query, "--param", f"as_of={D}",
                         "--format", "json"]) == 0
        rows = json.loads(capsys.readouterr().out)
        if query in ("project_list", "case_library"):
            assert {r["project_id"] for r in rows} == {"E"}, query
        if query in ("task_status", "issue_list", "evaluation_league", "evaluation_scores", "warnings_list"):
            # A's rows are there for the national office; the city office gets E's at most (a
            # completed pilot's tasks are not listed)
            assert cli.main(["--store", str(store_path), "query", query, "--param", f"as_of={D}",
                             "--format", "json"]) == 0
            everyone = {r["project_id"] for r in json.loads(capsys.readouterr().out)}
            assert "A" in everyone and {r["project_id"] for r in rows} <= {"E"}, query
        if query == "city_summary":
            assert [(r["place_code"], r["projects"]) for r in rows] == [("3301", 1)]
        if query == "promotion_summary":
            assert rows[-1]["pilots"] == 1 and rows[-1]["cases"] == 1


def test_an_unknown_city_code_is_refused_for_a_scope(store_path, capsys):
    code = cli.main(["--store", str(store_path), "people", "add", "x@example.cn", "--name", "X",
                     "--scope", "cities", "--codes", "9999", "--roles", "viewer"])
    assert code == 2 and "Unknown city code(s): 9999" in capsys.readouterr().err


def test_the_store_and_the_policy_keep_to_the_city(open_store):
    hz = Scope("cities", ("3301",))
    assert scope.visible_projects(open_store, hz) == {"E"}
    assert scope.visible_provinces(open_store, hz) == {"33"}
    assert {r[0] for r in open_store.rows("SELECT case_id FROM cases", scope=hz)} == {"cs1"}
    assert len(open_store.rows("SELECT * FROM adoptions", scope=hz)) == 3
    # a pilot-bound action (uploads are checked row by row against the scope, above)
    person = people.Person(HANGZHOU, "Hangzhou", hz, frozenset({"submitter"}))
    assert policy.allowed(person, "acknowledge", policy.Resource(project_id="E", province_code="33", city_code="3301"))
    assert not policy.allowed(person, "acknowledge", policy.Resource(project_id="X", province_code="32", city_code="3205"))
    assert not policy.allowed(person, "acknowledge", policy.Resource(province_code="33"))


def test_an_upload_of_the_city_office_is_limited_to_its_cities(open_store):
    text = ("project_id,name_zh,domain,pilot_type,province_code,status,city_code\n"
            "E2,余杭试点,education,basic,33,active,杭州\n"
            "N2,宁波试点,education,basic,33,active,宁波\n")
    plan = prepare(open_store, "projects.csv", text.encode(), "projects", scope=Scope("cities", ("3301",)))
    report = [tuple(r[:4]) for r in plan.report("en").itertuples(index=False, name=None)]
    assert report == [(3, "city_code", "3302", "City 3302 is outside your scope: only pilots of your own cities "
                                              "may be submitted (give the city code).")]
    cases = "case_id,project_id,title,kind,maturity\nc9,E,新机制,mechanism,draft\nc8,F,别的,model,draft\n"
    plan = prepare(open_store, "cases.csv", cases.encode(), "cases", scope=Scope("cities", ("3301",)))
    assert [r[0] for r in plan.report("en").itertuples(index=False, name=None)] == [3]


def test_a_link_with_another_city_shows_only_the_citys_part(hangzhou):
    at = hangzhou("overview", lang="en", as_of=D, city="3205,3301").run()
    assert_only_hangzhou(at)
    assert "City = 3205 is not in your scope" in " ".join(w.value for w in at.warning)
    assert at.query_params.get("city") in ("3301", ["3301"])
