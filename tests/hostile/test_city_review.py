"""A prefecture office 地市 reviews its own city's submissions and nothing else (issue 25): the
Hangzhou office (cities 3301) approves, rejects and rolls back pilot E's rows; a submission of the
next city, Ningbo (3302, pilot G), is answered as one that does not exist, the refusal is audited
once, and nothing changes; the provincial office of Zhejiang (33) reviews both cities'.

Fixture store with the places of tests/cases/rows.py (E: province 33, city 3301) and pilot G added
here in Ningbo (33, 3302). Readings: E/P1/2025-12-31 is stored as 85; G has none."""

from __future__ import annotations

import pytest

from pilotdash import audit, people, submissions
from pilotdash.cli import main
from pilotdash.errors import Problem
from pilotdash.ingest.plan import prepare
from pilotdash.scope import Scope
from tests.cases import rows

HZ, NB, ZJ = Scope("cities", ("3301",)), Scope("cities", ("3302",)), Scope("provinces", ("33",))
E_READING = b"project_id,indicator_code,period_end,actual_value\nE,P1,2025-12-31,90\n"
G_READING = b"project_id,indicator_code,period_end,actual_value\nG,P1,2025-12-31,40\n"


@pytest.fixture
def city_store(store):
    rows.add(store)
    with store.writing() as w:
        w.execute(
            f"INSERT INTO projects ({rows.PROJECT_COLUMNS}) VALUES ({', '.join(['?'] * 14)})",
            ["G", "宁波港口试点", "Ningbo port pilot", "smart_city", "basic", "33", "宁波", "宁波市大数据局", 2024,
             "2024-01-01", "2027-12-31", "active", "3302", None],
        )
    return store


@pytest.fixture
def who(city_store):
    admin = people.local_admin()

    def add(email, scope, *roles):
        return people.add(city_store, admin, email, email.split("@")[0], scope, roles)

    return {
        "sub_hz": add("sub_hz@example.cn", HZ, "submitter"),
        "rev_hz": add("rev_hz@example.cn", HZ, "reviewer"),
        "sub_nb": add("sub_nb@example.cn", NB, "submitter"),
        "rev_zj": add("rev_zj@example.cn", ZJ, "reviewer"),
    }


def submit(store, person, data):
    return submissions.submit(store, person, prepare(store, "r.csv", data, scope=person.scope)).submission


def reading(store, project):
    found = store.rows("SELECT actual_value FROM readings WHERE project_id = ? AND indicator_code = 'P1' "
                       "AND period_end = '2025-12-31'", [project])
    return found[0][0] if found else None


def test_the_city_office_reviews_its_own_citys_submission(city_store, who):
    sub = submit(city_store, who["sub_hz"], E_READING)
    assert (sub.level, sub.projects, sub.cities) == ("projects", ("E",), ("3301",))
    assert [s.submission_id for s in submissions.queue(city_store, who["rev_hz"])] == [sub.submission_id]
    done = submissions.approve(city_store, who["rev_hz"], sub.submission_id)
    assert done.state == "approved" and reading(city_store, "E") == 90
    assert submissions.rollback(city_store, who["rev_hz"], done.upload_id) == [done.upload_id]
    assert reading(city_store, "E") == 85
    again = submit(city_store, who["sub_hz"], E_READING)
    assert submissions.reject(city_store, who["rev_hz"], again.submission_id, "请补充佐证").state == "rejected"


def test_a_city_reviewer_cannot_approve_the_next_citys_submission(city_store, who):
    sub = submit(city_store, who["sub_nb"], G_READING)
    assert sub.cities == ("3302",)
    assert submissions.queue(city_store, who["rev_hz"]) == [] and submissions.listing(city_store, who["rev_hz"]) == []
    before = len(audit.entries(city_store))
    answers = []
    for action in (lambda i: submissions.approve(city_store, who["rev_hz"], i),
                   lambda i: submissions.reject(city_store, who["rev_hz"], i, "不是我的")):
        for submission_id in (sub.submission_id, sub.submission_id + 100):  # another city's, and none
            with pytest.raises(Problem) as err:
                action(submission_id)
            answers.append((err.value.code, err.value.text("en").replace(str(submission_id), "#")))
    # one answer for "not yours" and "not there"
    assert len(set(answers)) == 1 and answers[0][0] == "submissions.err.no_such"
    # one refused entry for each refusal, of the existing one and of the one not there alike (issue
    # 20: the audit log, read by admins only, keeps which it was)
    log = audit.entries(city_store)
    new = log.iloc[: len(log) - before]
    assert new["action"].tolist()[::-1] == ["approve", "approve", "reject", "reject"]
    assert new["refused"].astype(bool).all() and set(new["who"]) == {"rev_hz@example.cn"}
    assert new["what"].tolist()[::-1] == [f"submission #{sub.submission_id}", f"submission #{sub.submission_id + 100}"] * 2
    # nothing changed: the submission waits, G has no reading
    assert submissions.get(city_store, sub.submission_id).state == "submitted" and reading(city_store, "G") is None
    # the province's reviewer covers both of its cities
    assert submissions.approve(city_store, who["rev_zj"], sub.submission_id).state == "approved"
    assert reading(city_store, "G") == 40


def test_a_city_reviewer_cannot_roll_back_the_next_citys_upload(city_store, who):
    sub = submit(city_store, who["sub_nb"], G_READING)
    done = submissions.approve(city_store, who["rev_zj"], sub.submission_id)
    before = len(audit.entries(city_store))
    with pytest.raises(Problem) as err:
        submissions.rollback(city_store, who["rev_hz"], done.upload_id)
    # one answer for "not yours" and "not there" (issue 20): as for an upload that does not exist
    assert err.value.code == "ingest.err.no_such_upload"
    log = audit.entries(city_store)
    assert len(log) == before + 1 and bool(log.iloc[0]["refused"]) and log.iloc[0]["action"] == "rollback"
    assert reading(city_store, "G") == 40


def test_a_submission_touching_both_cities_is_the_provinces_to_review(city_store, who):
    both = b"project_id,indicator_code,period_end,actual_value\nE,P1,2025-12-31,91\nG,P1,2025-12-31,41\n"
    zj_sub = people.add(city_store, people.local_admin(), "sub_zj@example.cn", "sub_zj", ZJ, ["submitter"])
    sub = submit(city_store, zj_sub, both)
    assert sub.cities == ("3301", "3302")
    with pytest.raises(Problem):
        submissions.approve(city_store, who["rev_hz"], sub.submission_id)
    assert reading(city_store, "E") == 85
    assert [s.submission_id for s in submissions.queue(city_store, who["rev_zj"])] == [sub.submission_id]


def test_the_cli_reviews_as_the_city_office(city_store, who, tmp_path, capsys):
    args = ["--store", str(city_store.path)]
    mine, theirs = tmp_path / "e.csv", tmp_path / "g.csv"
    mine.write_bytes(E_READING)
    theirs.write_bytes(G_READING)
    assert main([*args, "load", str(mine), "--as", "sub_hz@example.cn"]) == 0
    assert main([*args, "load", str(theirs), "--as", "sub_nb@example.cn"]) == 0
    capsys.readouterr()
    assert main([*args, "submissions", "list", "--as", "rev_hz@example.cn"]) == 0
    listed = capsys.readouterr().out.strip().splitlines()
    assert len(listed) == 2 and listed[1].startswith("1,readings")  # the header and its own city's
    assert main([*args, "submissions", "approve", "2", "--as", "rev_hz@example.cn"]) == 2
    not_yours = capsys.readouterr().err
    assert main([*args, "submissions", "approve", "9", "--as", "rev_hz@example.cn"]) == 2
    assert not_yours.replace("#2", "#9") == capsys.readouterr().err and "no submission #2" in not_yours
    assert reading(city_store, "G") is None
    assert main([*args, "submissions", "approve", "1", "--as", "rev_hz@example.cn"]) == 0
    assert reading(city_store, "E") == 90


def test_a_city_office_cannot_claim_a_pilot_that_has_no_city_yet(city_store, who):
    """Pilot H of Zhejiang has no city yet. Hangzhou's submitter giving it Hangzhou's city (or
    moving it into Zhejiang with that city) is refused in the preview like another city's pilot,
    not left for review to catch; a new pilot of its own city is theirs to add."""
    with city_store.writing() as w:
        w.execute(
            f"INSERT INTO projects ({rows.PROJECT_COLUMNS}) VALUES ({', '.join(['?'] * 14)})",
            ["H", "无城市试点", "Pilot without a city", "smart_city", "basic", "33", "浙江", "浙江省某局", 2024,
             "2024-01-01", "2027-12-31", "active", None, None],
        )
    header = b"project_id,name_zh,domain,pilot_type,province_code,city_code,status\n"
    claim = prepare(city_store, "p.csv", header + "H,无城市试点,smart_city,basic,33,3301,active\n".encode(),
                    scope=HZ)
    assert (claim.counts.updates, claim.counts.rejected) == (0, 1)
    assert claim.errors.column("code").to_pylist() == ["out_of_scope_record"]
    own = prepare(city_store, "p.csv", header + "N,杭州新试点,smart_city,basic,33,3301,active\n".encode(), scope=HZ)
    assert (own.counts.inserts, own.counts.rejected) == (1, 0)
