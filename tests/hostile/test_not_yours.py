"""One answer for "not yours" and "not there": an upload, a URL or the CLI cannot be used to find
out what exists outside one's scope."""

from __future__ import annotations

import pytest

from pilotdash.ui import sign_in

from pilotdash import people
from pilotdash.filters import Options, parse
from pilotdash.ingest.plan import prepare
from pilotdash.scope import Scope

P11 = Scope("provinces", ("11",))  # Beijing: pilot A; pilot B is in 51, pilot ZZZ nowhere


def test_an_upload_answers_the_same_for_another_provinces_pilot_and_for_none(store):
    data = b"project_id,indicator_code,period_end,actual_value\nB,P1,2026-06-30,1\nZZZ,P1,2026-06-30,1\n"
    plan = prepare(store, "r.csv", data, scope=P11)
    said = plan.row_report("en")["Reason"].tolist()
    assert plan.counts.rejected == 2
    assert said == ["Pilot B is outside your scope: only rows of your own pilots may be submitted.",
                    "Pilot ZZZ is outside your scope: only rows of your own pilots may be submitted."]
    # The national office still hears which pilot does not exist.
    national = prepare(store, "r.csv", data)
    assert "No such project" in " ".join(national.row_report("en")["Reason"])


def test_a_milestone_of_another_office_is_refused_without_naming_its_pilot(store):
    moved = b"milestone_id,project_id,phase,name,kind,due_date\nm5,A,launch,x,organisation,2026-03-31\n"
    plan = prepare(store, "m.csv", moved, scope=P11)  # m5 belongs to pilot B (province 51)
    (reason,) = plan.row_report("en")["Reason"].tolist()
    assert "outside your scope" in reason and " B" not in reason
    assert "B" not in plan.row_report("zh").to_string()


def test_a_url_answers_the_same_for_another_province_and_for_none():
    scoped = Options(province=("11",))
    _, other = parse({"province": "51"}, scoped, scoped=True)
    _, none = parse({"province": "99"}, scoped, scoped=True)
    assert [(n.key, n.values["name"]) for n in other] == [(n.key, n.values["name"]) for n in none] \
        == [("scope.filter_outside", "province")]


@pytest.mark.parametrize("claims, signed_in", [
    ({"email": "ana@example.cn", "email_verified": False}, False),
    ({"email": "ana@example.cn", "email_verified": "false"}, False),
    ({"email": "ana@example.cn", "email_verified": True}, True),
    ({"email": "ana@example.cn"}, True),  # a provider that does not say: its e-mail is its word
])
def test_an_unverified_email_is_not_signed_in(monkeypatch, claims, signed_in):
    import streamlit as st

    class User(dict):
        is_logged_in = True

    monkeypatch.setattr(st, "user", User(claims), raising=False)
    assert (sign_in.signed_in_email() is not None) == signed_in
    assert sign_in.email_unverified() == (not signed_in)  # the gate says why, not "sign in" again


def test_the_cli_answers_the_same_for_another_offices_submission_and_for_none(store):
    from pilotdash import submissions
    from pilotdash.errors import Problem

    admin = people.local_admin()
    sub11 = people.add(store, admin, "sub11@example.cn", "省填报", P11, ["submitter"])
    p51 = Scope("provinces", ("51",))
    rev51 = people.add(store, admin, "rev51@example.cn", "川审核", p51, ["reviewer"])
    data = b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,85\n"
    made = submissions.submit(store, sub11, prepare(store, "r.csv", data, scope=P11)).submission
    answers = []
    for submission_id in (made.submission_id, made.submission_id + 100):
        with pytest.raises(Problem) as err:
            submissions.changes(store, submission_id, rev51)
        words = err.value.text("en").replace(str(submission_id), "#")
        answers.append((err.value.code, words))
    assert answers[0] == answers[1] and answers[0][0] == "submissions.err.no_such"
