"""Data page, submissions and review 填报与审核: a provincial submitter submits by clicks and no number
changes; a reviewer of the province sees the row changes before → after and approves or rejects
with a reason the submitter then reads; a stale submission must be re-checked first; a reviewer of
another province sees nothing of it. The person is set through the one test seam, `ui.sign_in.lookup`
(as the sign-in provider would); nothing on the page can choose who it is."""

import pytest

from pilotdash import people, submissions
from pilotdash.ui import sign_in
from pilotdash.ingest.plan import prepare
from pilotdash.markdown import escape as plain
from pilotdash.scope import Scope
from pilotdash.store import open_store
from tests.pages.test_data import checksums, choose_file, readings_value, texts

# A/P1/2026-06-30 is stored as 66; A/I3/2026-12-31 is new. Pilot B is in province 51.
READINGS = b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,85\nA,I3,2026-12-31,4\n"
OTHER = b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,90\n"
MIXED = b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,85\nB,P1,2026-06-30,80\n"
P11, P51 = Scope("provinces", ("11",)), Scope("provinces", ("51",))


@pytest.fixture
def staff(fixture_store_path):
    store = open_store(fixture_store_path)
    admin = people.local_admin()
    try:
        found = {
            "sub": people.add(store, admin, "sub11@example.cn", "省填报", P11, ["submitter"]),
            "sub2": people.add(store, admin, "sub11b@example.cn", "省填报二", P11, ["submitter"]),
            "rev": people.add(store, admin, "rev11@example.cn", "省审核", P11, ["reviewer"]),
            "rev51": people.add(store, admin, "rev51@example.cn", "川审核", P51, ["reviewer"]),
        }
    finally:
        store.close()
    return found


@pytest.fixture
def signed_in(monkeypatch):
    """Who `ui.sign_in.lookup` says is signed in (the seam a real sign-in fills)."""

    def as_(person):
        monkeypatch.setattr(sign_in, "lookup", lambda store: person)

    return as_


def submit_by_clicks(app, data=READINGS, name="readings.csv"):
    at = choose_file(app("data", lang="en").run(), name, data)
    assert "Apply to the store" not in [b.label for b in at.button]
    at.button(key="data_apply").click().run()
    assert not at.exception
    return at


def state_cells(at):
    return [
        v
        for frame in at.dataframe
        for col in ("State", "状态")
        if col in frame.value
        for v in frame.value[col]
    ]


def test_a_submitter_submits_and_no_number_changes(app, fixture_store_path, staff, signed_in):
    signed_in(staff["sub"])
    before = checksums(fixture_store_path)
    at = choose_file(app("data", lang="en").run(), "readings.csv", READINGS)
    assert at.button(key="data_apply").label == "Submit for review"
    assert "wait for a reviewer" in texts(at)
    at.button(key="data_apply").click().run()
    assert not at.exception
    assert "Submission #1 is stored and waits for review; no number has changed." in [
        s.value for s in at.success
    ]
    assert checksums(fixture_store_path) == before and readings_value(fixture_store_path) == 66
    at = app("data", lang="zh").run()
    assert "待审核" in state_cells(at)
    assert at.button(key="data_sub_withdraw")  # their own, while it waits
    assert not [b for b in at.button if b.key == "data_sub_approve"]


def test_rows_outside_the_scope_are_rejected_on_the_page(app, staff, signed_in):
    signed_in(staff["sub"])
    at = choose_file(app("data", lang="en").run(), "mixed.csv", MIXED)
    assert "Pilot B is outside your scope" in " ".join(
        str(v) for f in at.dataframe for v in f.value.values.ravel()
    )
    assert at.button(key="data_apply_valid").label.startswith("Submit the 1 valid rows for review")


def test_a_reviewer_sees_before_and_after_and_approves(app, fixture_store_path, staff, signed_in):
    signed_in(staff["sub"])
    submit_by_clicks(app)
    signed_in(staff["rev"])
    at = app("data", lang="en").run()
    assert not at.exception
    assert "Waiting for your review (1)" in [h.value for h in at.subheader]
    updates = next(f.value for f in at.dataframe if "Before" in f.value)
    assert updates[["Before", "After"]].values.tolist() == [["66.0", "85.0"]]
    inserted = next(f.value for f in at.dataframe if "Period end" in f.value or "period_end" in f.value)
    assert len(inserted) == 1
    at.button(key="data_sub_approve").click().run()
    assert not at.exception
    assert "Submission #1 approved and applied as upload #1." in [s.value for s in at.success]
    assert readings_value(fixture_store_path) == 85
    assert "Approved" in state_cells(app("data", lang="en").run())


def test_reject_needs_a_reason_and_the_submitter_reads_it(app, fixture_store_path, staff, signed_in):
    signed_in(staff["sub"])
    submit_by_clicks(app)
    before = checksums(fixture_store_path)
    signed_in(staff["rev"])
    at = app("data", lang="en").run()
    at.button(key="data_sub_reject").click().run()
    assert "Give a reason for the rejection" in " ".join(e.value for e in at.error)
    at.text_area(key="data_sub_reason").input("6 月数据与报表不符")
    at.button(key="data_sub_reject").click().run()
    assert not at.exception
    assert checksums(fixture_store_path) == before
    signed_in(staff["sub"])
    at = app("data", lang="zh").run()
    assert "已驳回" in state_cells(at)
    # Who and why are anyone's words: shown as text (escaped Markdown, issue 20).
    assert f"已被 {plain('rev11@example.cn')} 驳回：6 月数据与报表不符" in [w.value for w in at.warning]


def test_a_stale_submission_is_rechecked_before_approval(app, fixture_store_path, staff, signed_in):
    signed_in(staff["sub"])
    submit_by_clicks(app)
    signed_in(staff["sub2"])
    submit_by_clicks(app, OTHER, "other.csv")
    store = open_store(fixture_store_path)
    try:
        submissions.approve(store, staff["rev"], 1)
    finally:
        store.close()
    signed_in(staff["rev"])
    at = app("data", lang="zh").run()
    assert not at.exception
    assert "已过期" in state_cells(at)
    assert at.button(key="data_sub_approve").disabled
    changed = next(f.value for f in at.dataframe if "校验时" in f.value)
    assert changed[["校验时", "当前"]].values.tolist() == [["66.0", "85.0"]]
    at.button(key="data_sub_recheck").click().run()
    assert not at.exception
    at = app("data", lang="en").run()
    assert not at.button(key="data_sub_approve").disabled
    updates = next(f.value for f in at.dataframe if "Before" in f.value)
    assert updates[["Before", "After"]].values.tolist() == [["85.0", "90.0"]]
    at.button(key="data_sub_approve").click().run()
    assert readings_value(fixture_store_path) == 90


def test_a_reviewer_of_another_province_sees_nothing_of_it(app, fixture_store_path, staff, signed_in):
    store = open_store(fixture_store_path)
    try:
        plan = prepare(store, "readings.csv", READINGS, scope=P11)
        submissions.submit(store, staff["sub"], plan)
    finally:
        store.close()
    signed_in(staff["rev51"])
    at = app("data", lang="en").run()
    assert not at.exception
    assert "Waiting for your review (0)" in [h.value for h in at.subheader]
    assert state_cells(at) == []
    assert not [b for b in at.button if b.key in ("data_sub_approve", "data_sub_reject")]
