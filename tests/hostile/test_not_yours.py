"""One answer for "not yours" and "not there": an upload, a URL or the CLI cannot be used to find
out what exists outside one's scope."""

from __future__ import annotations

import pytest

from pilotdash.ui import sign_in

from pilotdash import people
from pilotdash.filters import Options, parse
from pilotdash.ingest.plan import prepare
from pilotdash.scope import Scope
from tests.pages.conftest import config  # noqa: F401  (fixture: the configuration file, written by signed_in)
from tests.pages.test_scope_pages import signed_in  # noqa: F401  (fixture: Beijing's viewer through the app)

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


# One answer in every action on a thing by its id (issue 20): for each, the person may not see the
# existing one (another province's, or someone else's), and the other id is not there at all. The
# answer (code, English and Chinese words, with the id itself put aside) is the same; each attempt
# is one refused audit entry that says, for admins only, which it was.

P51 = Scope("provinces", ("51",))
READINGS_A = b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,85\n"
MISSING = 9999


@pytest.fixture
def office(store):
    """Beijing's submitter, reviewer and viewer; Sichuan's reviewer (pilot B, province 51)."""
    admin = people.local_admin()

    def add(email, scope, *roles):
        return people.add(store, admin, email, email.split("@")[0], scope, roles)

    return {"sub11": add("sub11@example.cn", P11, "submitter"), "rev11": add("rev11@example.cn", P11, "reviewer"),
            "view11": add("view11@example.cn", P11, "viewer"), "sub51": add("sub51@example.cn", P51, "submitter"),
            "rev51": add("rev51@example.cn", P51, "reviewer")}


def answer(call, ident) -> tuple:
    """What a refused `call` tells: its code and words in both languages, the id put aside."""
    from pilotdash.errors import Problem

    with pytest.raises(Problem) as err:
        call()
    words = [err.value.text(lang).replace(f"#{ident}", "#?").replace(str(ident), "?") for lang in ("en", "zh")]
    return (err.value.code, *words)


def refusals(store, action) -> list[str]:
    """The refused entries of `action`, oldest first, with which it was (`because` in the detail)."""
    import json

    from pilotdash import audit

    log = audit.entries(store, action=action, refused=True)
    return [json.loads(d)["because"] for d in log["detail"][::-1]]


def same_answer(store, action, there, there_id, none, none_id=MISSING) -> tuple:
    first, second = answer(there, there_id), answer(none, none_id)
    assert first == second, (first, second)
    assert refusals(store, action)[-2:] == ["outside_scope", "not_found"]
    return first


@pytest.mark.parametrize("action", ["approve", "reject", "withdraw", "recheck"])
def test_a_review_action_answers_the_same_for_another_offices_submission_and_for_none(store, office, action):
    from pilotdash import submissions

    made = submissions.submit(store, office["sub11"], prepare(store, "r.csv", READINGS_A, scope=P11)).submission
    # a Sichuan reviewer (approve, reject, re-check) and a Sichuan submitter (withdraw) see nothing of it
    who = office["sub51"] if action == "withdraw" else office["rev51"]
    extra = ("no",) if action == "reject" else ()
    act = getattr(submissions, action)
    said = same_answer(store, action, lambda: act(store, who, made.submission_id, *extra), made.submission_id,
                       lambda: act(store, who, MISSING, *extra))
    assert said[0] == "submissions.err.no_such"
    assert submissions.get(store, made.submission_id).state == "submitted"  # nothing changed


def test_one_who_sees_a_submission_is_still_told_why_not(store, office):
    """The one answer is for those who may not see it: Beijing's viewer does not see it either,
    its submitter is told that a reviewer is needed, Beijing's reviewer approves it."""
    from pilotdash import submissions

    made = submissions.submit(store, office["sub11"], prepare(store, "r.csv", READINGS_A, scope=P11)).submission
    assert answer(lambda: submissions.approve(store, office["view11"], made.submission_id), made.submission_id)[0] \
        == "submissions.err.no_such"
    assert answer(lambda: submissions.approve(store, office["sub11"], made.submission_id), made.submission_id)[0] \
        == "access.needs_role"
    assert submissions.approve(store, office["rev11"], made.submission_id).state == "approved"


def test_a_rollback_answers_the_same_for_another_offices_upload_and_for_none(store, office):
    from pilotdash import submissions

    made = submissions.submit(store, office["sub11"], prepare(store, "r.csv", READINGS_A, scope=P11)).submission
    upload = submissions.approve(store, office["rev11"], made.submission_id).upload_id
    said = same_answer(store, "rollback", lambda: submissions.rollback(store, office["rev51"], upload), upload,
                       lambda: submissions.rollback(store, office["rev51"], MISSING))
    assert said[0] == "ingest.err.no_such_upload"
    # Beijing's viewer sees the upload in their history: they are told a reviewer is needed
    assert answer(lambda: submissions.rollback(store, office["view11"], upload), upload)[0] == "access.needs_role"
    assert submissions.rollback(store, office["rev11"], upload) == [upload]


def _cli(main, capsys, argv) -> tuple[int, str, str]:
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_cli_review_commands_answer_the_same_with_the_same_exit_status(store, office, capsys, monkeypatch,
                                                                             lang):
    from pilotdash import submissions
    from pilotdash.cli import main

    monkeypatch.setenv("PILOTDASH_LANG", lang)
    waiting = submissions.submit(store, office["sub11"], prepare(store, "r.csv", READINGS_A, scope=P11)).submission
    applied = submissions.submit(store, office["sub11"], prepare(
        store, "d.csv", READINGS_A.replace(b"A,", b"D,"), scope=P11)).submission
    upload = submissions.approve(store, office["rev11"], applied.submission_id).upload_id
    args = ["--store", str(store.path)]
    commands = [
        (["submissions", "approve"], waiting.submission_id, ["--as", "rev51@example.cn"]),
        (["submissions", "reject"], waiting.submission_id, ["--reason", "x", "--as", "rev51@example.cn"]),
        (["submissions", "withdraw"], waiting.submission_id, ["--as", "sub51@example.cn"]),
        (["submissions", "recheck"], waiting.submission_id, ["--as", "rev51@example.cn"]),
        (["submissions", "show"], waiting.submission_id, ["--as", "rev51@example.cn"]),
        (["rollback"], upload, ["--as", "rev51@example.cn"]),
    ]
    for verb, there, rest in commands:
        results = []
        for ident in (there, MISSING):
            code, out, err = _cli(main, capsys, [*args, *verb, str(ident), *rest])
            results.append((code, out, err.replace(str(ident), "?")))
        assert results[0] == results[1] and results[0][0] == 2 and results[0][1] == "", (verb, results)
    assert submissions.get(store, waiting.submission_id).state == "submitted"


def test_warnings_acknowledge_and_close_answer_the_same_for_another_provinces_warning_and_for_none(
        store, office, capsys):
    import datetime as dt

    from pilotdash.cli import main
    from pilotdash.warnings import ledger
    from tests import fixtures

    ledger.recompute(store, fixtures.AS_OF)
    theirs = store.rows("SELECT min(warning_id) FROM warnings WHERE project_id = 'B'")[0][0]
    missing = store.rows("SELECT max(warning_id) + 100 FROM warnings")[0][0]
    day = dt.date(2026, 7, 31)
    for action, who, call in [
        ("acknowledge", office["sub11"], lambda w: ledger.acknowledge(store, w, office["sub11"], "ok", day)),
        ("close", office["rev11"], lambda w: ledger.close(store, w, office["rev11"], "done")),
    ]:
        said = same_answer(store, action, lambda: call(theirs), theirs, lambda: call(missing), missing)
        assert said[0] == "warn.err.no_such_warning"
    args = ["--store", str(store.path)]
    results = []
    for ident in (theirs, missing):
        code, out, err = _cli(main, capsys, [*args, "warnings", "close", str(ident), "--reason", "x",
                                              "--as", "rev11@example.cn"])
        results.append((code, out, err.replace(str(ident), "?")))
    assert results[0] == results[1] and results[0][0] != 0 and results[0][1] == ""
    assert store.rows("SELECT state FROM warnings WHERE warning_id = ?", [theirs])[0][0] != "closed"


def test_ending_a_subscription_answers_the_same_for_anothers_and_for_none(store, office, capsys):
    from pilotdash.cli import main
    from pilotdash.warnings import subscriptions

    theirs = subscriptions.add(store, office["rev11"], "mine", scope_kind="province", scope_codes=["11"],
                               email="rev11@example.cn")
    said = same_answer(store, "unsubscribe", lambda: subscriptions.deactivate(store, office["view11"], theirs), theirs,
                       lambda: subscriptions.deactivate(store, office["view11"], MISSING))
    assert said[0] == "warn.sub.no_such"
    args = ["--store", str(store.path)]
    results = []
    for ident in (theirs, MISSING):
        code, out, err = _cli(main, capsys, [*args, "warnings", "unsubscribe", str(ident), "--as", "view11@example.cn"])
        results.append((code, out, err.replace(str(ident), "?")))
    assert results[0] == results[1] and results[0][0] == 2 and results[0][1] == ""
    assert subscriptions.deactivate(store, office["rev11"], theirs) is True  # its owner still may
    assert answer(lambda: subscriptions.deactivate(store, office["rev11"], theirs), theirs)[0] == "warn.sub.no_such"


def test_a_saved_view_answers_the_same_outside_the_scope_and_when_gone(store, office):
    from pilotdash import saved_views

    sichuan = saved_views.save(store, "Sichuan", "overview", {"province": "51"}, people.local_admin())
    for action, call in [("view_rename", lambda v: saved_views.rename(store, v, "mine", office["view11"])),
                         ("view_delete", lambda v: saved_views.delete(store, v, office["view11"]))]:
        said = same_answer(store, action, lambda: call(sichuan.view_id), sichuan.view_id, lambda: call(MISSING))
        assert said[0] == "views.gone"
    assert saved_views.get(store, sichuan.view_id).name == "Sichuan"


@pytest.mark.parametrize("action", ["resolve", "sign_off"])
def test_an_issue_answers_the_same_outside_the_scope_and_when_not_there(store, office, action):
    import datetime as dt

    from pilotdash.tasks import issue_actions

    with store.writing() as w:  # an issue of pilot B (province 51), resolved, so that either action applies
        w.execute("INSERT INTO issues VALUES ('iB', 'B', NULL, 'inspection', '接口未开放', '2026-05-01', '李强', "
                  "'2026-05-31', DATE '2026-06-20', NULL, NULL)")
    who = office["sub11"] if action == "resolve" else office["rev11"]
    act = getattr(issue_actions, action)
    extra = ("done",) if action == "resolve" else ()
    on = dt.date(2026, 6, 30)
    said = same_answer(store, f"issue_{action}", lambda: act(store, who, "iB", on, *extra), "iB",
                       lambda: act(store, who, "iZZ", on, *extra), "iZZ")
    assert said[0] == "issue.not_found"


def test_the_project_link_answers_the_same_for_another_provinces_pilot_and_for_none(signed_in):
    """`/project?project=B` (Chengdu, 51) and `?project=ZZZ` (no such pilot) for Beijing's viewer:
    the same notice, nothing of either shown."""
    said = []
    for pilot in ("B", "ZZZ"):
        at = signed_in("project", lang="en", as_of="2026-06-30", project=pilot).run()
        assert not at.exception
        said.append([w.value.replace(pilot, "?") for w in at.warning])
    assert said[0] == said[1] and said[0]
