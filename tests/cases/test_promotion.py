"""Promotion and cases on hand-computed rows (tests/cases/rows.py has the working): case stages,
conversion against 60%, coverage of 31, the funnel, the no_case warning, and cases and adoptions
through validation, submission, review and rollback like every upload table."""

from __future__ import annotations

import datetime as dt

import pytest

from pilotdash import named_queries, people, submissions
from pilotdash.errors import Problem
from pilotdash.ingest.apply import apply, rollback, why_not_alone
from pilotdash.ingest.plan import prepare
from pilotdash.scope import Scope

D = dt.date(2026, 6, 30)
LATER = dt.date(2026, 9, 30)


def run(store, name, as_of=D, **params):
    return named_queries.run(store, name, {"as_of": as_of, **params})


def total(store, as_of=D, **params):
    summary = run(store, "promotion_summary", as_of, **params)
    return summary[summary["belt"].isna()].iloc[0]


def test_stages_on_d_and_later(store):
    stages = lambda d: dict(store.rows("SELECT case_id, stage FROM case_stages(?) ORDER BY 1", [d]))  # noqa: E731
    assert stages(D) == {"cs1": "adopted", "cs2": "evaluated", "cs3": "draft", "cs4": "recommended"}
    assert stages(LATER)["cs2"] == "recommended"  # recommended on 2026-08-01
    assert stages(dt.date(2026, 2, 1))["cs1"] == "recommended"  # its first adoption is on 2026-03-01
    assert stages(dt.date(2025, 9, 1))["cs1"] == "evaluated"  # before its recommendation


def test_conversion_and_coverage_on_d(store):
    row = total(store)
    # eligible: C (promotion phase), E (completed), F (promotion phase); converted: E only
    assert (row.eligible, row.converted) == (3, 1)
    assert row.conversion_rate == pytest.approx(1 / 3)
    assert row.conversion_target == 0.6
    # provinces with an adoption by D: 32 and 51 (44 comes on 2026-09-01)
    assert (row.adopting_provinces, row.coverage) == (2, pytest.approx(2 / 31))
    # funnel: every case drafted; cs1, cs2, cs4 evaluated; cs1, cs4 recommended; cs1 adopted
    assert (row.cases, row.draft, row.evaluated, row.recommended, row.adopted) == (4, 4, 3, 2, 1)


def test_conversion_and_coverage_later(store):
    row = total(store, LATER)
    assert (row.eligible, row.converted, row.adopting_provinces) == (3, 2, 3)
    assert row.conversion_rate == pytest.approx(2 / 3) and row.coverage == pytest.approx(3 / 31)


def test_by_belt_and_filtered(store):
    summary = run(store, "promotion_summary").set_index("belt", drop=False)
    # east: A (deepening), D, E, F → eligible E, F; converted E. central: C → 0 of 1
    assert (summary.loc["east", "eligible"], summary.loc["east", "converted"]) == (2, 1)
    assert summary.loc["central", "conversion_rate"] == 0
    assert summary.loc["west", "conversion_rate"] != summary.loc["west", "conversion_rate"]  # no pilot: "—"
    assert total(store, city=["3205"]).eligible == 1 and total(store, city=["3205"]).converted == 0
    assert total(store, province=["33"]).conversion_rate == 1.0


def test_the_library_and_where_cases_were_adopted(store):
    library = run(store, "case_library")
    assert list(library["case_id"]) == ["cs1", "cs4", "cs2", "cs3"]
    assert list(library.loc[0, "adopting_provinces"]) == ["32", "51"] and library.loc[0, "adoptions"] == 2
    assert list(run(store, "case_library", case_kind=["standard"])["case_id"]) == ["cs4"]
    assert list(run(store, "case_library", maturity=["evaluated"])["case_id"]) == ["cs2"]
    by_province = run(store, "case_adoptions_by_province")
    assert dict(zip(by_province["province_code"], by_province["adoptions"])) == {"32": 1, "51": 1}


def test_a_promotion_phase_pilot_without_a_case_is_a_yellow_warning(store):
    found = store.rows("SELECT project_id, level FROM warning_conditions(?) WHERE condition = 'no_case'", [D])
    assert found == [("F", "yellow")]  # C is withdrawn, E completed: neither is running
    assert list(run(store, "promotion_without_case")["project_id"]) == ["F"]
    # a draft case is a case: F has one → no warning
    with store.writing() as w:
        w.execute("INSERT INTO cases VALUES ('cs5', 'F', '昆山经验', 'model', 'draft', NULL, NULL)")
    assert store.rows("SELECT count(*) FROM warning_conditions(?) WHERE condition = 'no_case'", [D]) == [(0,)]


def report(plan, lang="en"):
    return [tuple(r[:4]) for r in plan.report(lang).itertuples(index=False, name=None)]


def test_validation_of_cases(store):
    text = ("case_id,project_id,title,kind,maturity,recommended_on,standard_level\n"
            "c1,E,好机制,机制,已推荐,,地方\n"  # recommended without its date
            "c2,ZZ,别的,model,draft,,\n"  # no such pilot
            "c3,E,第三个,model,finished,,\n"  # no such maturity
            "c4,E,第四个,标准,已推广,2026-05-01,国家\n")  # fine: Chinese words taken
    plan = prepare(store, "cases.csv", text.encode(), "cases")
    lines = report(plan)
    assert (lines[0][0], lines[0][1], lines[0][3]) == (
        2, "recommended_on", "A recommended or adopted case needs its recommendation date (recommended_on).")
    assert (3, "project_id", "ZZ") == lines[1][:3] and "No such project" in lines[1][3]
    assert lines[2][:3] == (4, "maturity", "finished") and "draft, evaluated, recommended, adopted" in lines[2][3]
    assert report(plan, "zh")[0][3] == "已推荐或已推广的案例须填写推荐日期。"
    apply(store, plan, "tester", mode="valid_rows")
    assert store.rows("SELECT kind, maturity, standard_level FROM cases WHERE case_id = 'c4'") == [
        ("standard", "adopted", "national")]


def test_validation_of_adoptions(store):
    text = ("case_id,province_code,city_code,adopted_on,note\n"
            "cs4,江苏,苏州,2026-07-01,苏州推广\n"  # a name for the province and for the city
            "cs4,33,苏州,2026-07-01,\n"  # 苏州 is not in Zhejiang
            "nope,33,,2026-07-01,\n"  # no such case
            "cs4,99,,2026-07-01,\n"  # no such province
            "cs4,51,,,\n")  # no date
    plan = prepare(store, "adoptions.csv", text.encode(), "adoptions")
    lines = report(plan)
    assert [line[:2] for line in lines] == [(3, "city_code"), (4, "case_id"), (5, "province_code"), (6, "adopted_on")]
    assert lines[0][3] == "This city is not in the row's province; it is 3205 苏州市（江苏省）."
    assert "No such case" in lines[1][3]
    apply(store, plan, "tester", mode="valid_rows")
    assert store.rows("SELECT province_code, city_code FROM adoptions WHERE case_id = 'cs4'") == [("32", "3205")]


def test_cases_and_adoptions_apply_and_roll_back(store):
    before = total(store)
    plan = prepare(store, "cases.csv", ("case_id,project_id,title,kind,maturity,recommended_on\n"
                                        "c7,F,昆山模式,model,recommended,2026-04-01\n").encode(), "cases")
    first = apply(store, plan, "tester")
    plan = prepare(store, "adoptions.csv", b"case_id,province_code,city_code,adopted_on\nc7,44,,2026-05-01\n",
                   "adoptions")
    second = apply(store, plan, "tester")
    after = total(store)
    assert (after.converted, after.adopting_provinces) == (2, 3)  # F converted; 44 adopted by D
    rollback(store, second.upload_id, "tester")
    rollback(store, first.upload_id, "tester")
    again = total(store)
    assert (again.converted, again.adopting_provinces) == (before.converted, before.adopting_provinces)


NEW_CASE = b"case_id,project_id,title,kind,maturity,recommended_on\nc7,F,\xe6\x98\x86\xe5\xb1\xb1\xe6\xa8\xa1\xe5\xbc\x8f,model,recommended,2026-04-01\n"
ADOPT_C7 = b"case_id,province_code,city_code,adopted_on\nc7,44,,2026-05-01\n"


def adoptions_of(store, case_id):
    return store.rows("SELECT province_code FROM adoptions WHERE case_id = ?", [case_id])


def test_rolling_back_a_case_its_later_adoption_names_is_refused_alone(store):
    # Rolled back alone, the cases upload would leave c7's adoption in 44 without its case (hidden
    # from every figure, kept in the store): refused, naming the adoptions upload and the case.
    first = apply(store, prepare(store, "cases.csv", NEW_CASE, "cases"), "tester")
    second = apply(store, prepare(store, "adoptions.csv", ADOPT_C7, "adoptions"), "tester")
    unrelated = apply(store, prepare(store, "adoptions.csv", b"case_id,province_code,adopted_on\ncs1,45,2026-05-02\n",
                                     "adoptions"), "tester")
    with pytest.raises(Problem) as err:
        rollback(store, first.upload_id, "tester")
    assert err.value.code == "ingest.err.later_dependents"
    assert err.value.values == {"upload_id": first.upload_id, "later": f"#{second.upload_id}", "keys": "c7"}
    words = err.value.text("en")
    assert f"later uploads #{second.upload_id} refer to rows it added (c7)" in words
    assert "c7" in err.value.text("zh") and "引用" in err.value.text("zh")
    assert adoptions_of(store, "c7") == [("44",)] and store.rows("SELECT count(*) FROM cases WHERE case_id = 'c7'") == [(1,)]
    assert why_not_alone(store, first.upload_id).code == "ingest.err.later_dependents"
    assert why_not_alone(store, second.upload_id) is None  # an adoption names its case; nothing names it
    # all together, the adoption first; the unrelated adoption stays
    assert rollback(store, first.upload_id, "tester", cascade=True) == [second.upload_id, first.upload_id]
    assert adoptions_of(store, "c7") == [] and store.rows("SELECT count(*) FROM cases WHERE case_id = 'c7'") == [(0,)]
    assert adoptions_of(store, "cs1")[-1] == ("45",) and unrelated.upload_id not in (first.upload_id, second.upload_id)


def test_a_case_updated_not_added_rolls_back_under_its_adoptions(store):
    # cs1 exists before: rolling back a change of its title leaves it in place, its adoptions with it
    changed = b"case_id,project_id,title,kind,maturity,recommended_on,standard_level\ncs1,E,New title,mechanism,adopted,2025-10-01,local\n"
    first = apply(store, prepare(store, "cases.csv", changed, "cases"), "tester")
    apply(store, prepare(store, "adoptions.csv", b"case_id,province_code,adopted_on\ncs1,45,2026-05-02\n", "adoptions"),
          "tester")
    assert rollback(store, first.upload_id, "tester") == [first.upload_id]
    assert ("45",) in adoptions_of(store, "cs1")


def test_the_dependent_adoptions_go_too_only_when_the_policy_allows(store):
    # The national office adopted c7 (F, province 32) and cs4 (A, 11) in one upload, applied without
    # a submission: only a national reviewer rolls it back, so Jiangsu's reviewer cannot take it with
    # the case (refused and audited, nothing changes); the national reviewer can.
    from pilotdash import audit

    admin = people.local_admin()
    rev32 = people.add(store, admin, "rev32@example.cn", "Jiangsu rev", Scope("provinces", ("32",)), ["reviewer"])
    sub32 = people.add(store, admin, "sub32@example.cn", "Jiangsu", Scope("provinces", ("32",)), ["submitter"])
    natrev = people.add(store, admin, "natrev@example.cn", "National rev", Scope.national(), ["reviewer"])
    sub = submissions.submit(store, sub32, prepare(store, "cases.csv", NEW_CASE, "cases", scope=sub32.scope)).submission
    case_upload = submissions.approve(store, rev32, sub.submission_id).upload_id
    both = b"case_id,province_code,adopted_on\nc7,44,2026-05-01\ncs4,44,2026-05-01\n"
    national = apply(store, prepare(store, "adoptions.csv", both, "adoptions"), "national")
    with pytest.raises(Problem) as err:
        submissions.rollback(store, rev32, case_upload)
    assert err.value.code == "ingest.err.later_dependents"
    before = len(audit.entries(store))
    with pytest.raises(Problem) as err:
        submissions.rollback(store, rev32, case_upload, cascade=True)
    assert err.value.code == "access.not_allowed"
    log = audit.entries(store)
    assert len(log) == before + 1 and bool(log.iloc[0]["refused"]) and log.iloc[0]["what"] == f"upload #{national.upload_id}"
    assert adoptions_of(store, "c7") == [("44",)]
    assert submissions.rollback(store, natrev, case_upload, cascade=True) == [national.upload_id, case_upload]
    assert adoptions_of(store, "c7") == [] and ("44",) not in adoptions_of(store, "cs4")
    assert submissions.get(store, sub.submission_id).state == "rolled_back"


def test_an_adoption_is_submitted_and_reviewed_within_its_cases_pilot(store):
    admin = people.local_admin()
    sub33 = people.add(store, admin, "sub33@example.cn", "Zhejiang", Scope("provinces", ("33",)), ["submitter"])
    rev33 = people.add(store, admin, "rev33@example.cn", "Zhejiang rev", Scope("provinces", ("33",)), ["reviewer"])
    rev11 = people.add(store, admin, "rev11@example.cn", "Beijing rev", Scope("provinces", ("11",)), ["reviewer"])
    data = b"case_id,province_code,adopted_on\ncs1,37,2026-06-01\ncs4,37,2026-06-01\n"  # cs1: E (33); cs4: A (11)
    plan = prepare(store, "adoptions.csv", data, "adoptions", scope=sub33.scope)
    assert [(line[0], line[1]) for line in report(plan)] == [(3, "case_id")]  # A's case is another office's
    sub = submissions.submit(store, sub33, plan, "valid_rows").submission
    assert sub.state == "submitted" and sub.projects == ("E",) and sub.provinces == ("33",)
    assert total(store).adopting_provinces == 2  # nothing unapproved reaches a figure
    with pytest.raises(Exception):
        submissions.approve(store, rev11, sub.submission_id)
    done = submissions.approve(store, rev33, sub.submission_id)
    assert done.state == "approved" and total(store).adopting_provinces == 3
    submissions.rollback(store, rev33, done.upload_id)
    assert total(store).adopting_provinces == 2


def test_the_library_names_each_pilots_latest_grade(store):
    # A's final grade of the latest round ended by D is 良 (third party over self); E has none.
    from pilotdash.cases import library

    with store.writing() as w:
        w.execute("INSERT INTO eval_rounds VALUES ('Q1', '一季度', 'quarterly', '2026-01-01', '2026-03-31', 'S'), "
                  "('Q3', '三季度', 'quarterly', '2026-07-01', '2026-09-30', 'S')")
        w.execute("INSERT INTO eval_results VALUES "
                  "('Q1', 'A', 'self', true, 100, 95, 'excellent', NULL, now()), "
                  "('Q1', 'A', 'third_party', true, 100, 85, 'good', NULL, now()), "
                  "('Q3', 'A', 'third_party', true, 100, 55, 'poor', NULL, now())")
    assert library.latest_grades(store, ["A", "E"], D) == {"A": "good", "E": None}
    assert library.latest_grades(store, ["A"], dt.date(2026, 9, 30)) == {"A": "poor"}
