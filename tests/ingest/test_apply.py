"""Apply, history and rollback: atomic, logged, idempotent, exactly reversible."""

import threading

import pytest

from pilotdash.errors import Problem
from pilotdash.ingest.apply import apply, history, rollback
from pilotdash.ingest.plan import prepare
from pilotdash.ingest.templates import template

ZH_READINGS = "项目编号,指标代码,统计期末,实际值\nA,P1,2026年6月30日,70\nA,I3,2026/12/31,4\nB,E1,2026-05-31,0\n"
# A/P1/2026-06-30 exists (66 → 70: update); A/I3/2026-12-31 is new; B/E1/2026-05-31 is 0 already.


def upload(store, text, name="readings.csv", mode="clean_only", user="ana"):
    plan = prepare(store, name, text.encode() if isinstance(text, str) else text)
    return plan, apply(store, plan, user, mode)


def value(store, project, indicator, period):
    rows = store.rows(
        "SELECT actual_value FROM readings WHERE project_id = ? AND indicator_code = ? AND period_end = ?",
        [project, indicator, period])
    return rows[0][0] if rows else None


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8-sig", "utf-16"])
def test_chinese_csv_in_each_encoding(store, encoding):
    plan, result = upload(store, ZH_READINGS.encode(encoding))
    assert (plan.counts.inserts, plan.counts.updates, plan.counts.unchanged) == (1, 1, 1)
    assert (result.inserted, result.updated) == (1, 1)
    assert value(store, "A", "P1", "2026-06-30") == 70
    assert value(store, "A", "I3", "2026-12-31") == 4


def test_xlsx_with_chinese_headers_and_sheet_named_like_the_table(store):
    import io

    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    book.add_worksheet("说明").write(0, 0, "填表说明")
    ws = book.add_worksheet("资金")
    date = book.add_format({"num_format": "yyyy-mm-dd"})
    for c, h in enumerate(["项目编号", "年度", "资金来源", "支出类别", "计划金额", "到位金额", "支出金额"]):
        ws.write(0, c, h)
    ws.write_row(1, 0, ["A", 2026, "地方配套", "软件", 100, 60, 30.5])
    ws.write_row(2, 0, ["B", 2027, "社会资本", "培训推广", 10, 0, 0])
    book.close()
    plan = prepare(store, "季度更新.xlsx", buf.getvalue())
    assert plan.table == "budget_lines" and plan.grid.sheet == "资金"
    assert (plan.counts.inserts, plan.counts.updates) == (1, 1)
    apply(store, plan, "ana")
    got = store.rows(
        "SELECT disbursed, spent FROM budget_lines WHERE project_id = 'A' AND fiscal_year = 2026 AND source = 'local'")
    assert got == [(60.0, 30.5)]
    assert date  # the workbook also carries a date format; dates are covered by test_dates_from_excel


def test_dates_from_excel(store):
    import datetime as dt
    import io

    import xlsxwriter

    buf = io.BytesIO()
    book = xlsxwriter.Workbook(buf, {"in_memory": True})
    ws = book.add_worksheet()
    ws.write_row(0, 0, ["milestone_id", "done_date"])
    ws.write_string(1, 0, "m3")
    ws.write_datetime(1, 1, dt.datetime(2026, 7, 1), book.add_format({"num_format": "yyyy/m/d"}))
    book.close()
    plan, result = upload(store, buf.getvalue(), name="ms.xlsx")
    assert result.updated == 1
    assert store.rows("SELECT done_date FROM milestones WHERE milestone_id = 'm3'")[0][0] == dt.date(2026, 7, 1)


def test_rollback_restores_byte_identical_tables(store, checksums):
    before = checksums()
    plan, result = upload(store, ZH_READINGS)
    assert checksums()["readings"] != before["readings"]
    assert rollback(store, result.upload_id, "ana") == [result.upload_id]
    after = checksums()
    assert after["readings"] == before["readings"]
    log = history(store)
    assert log.loc[0, "status"] == "rolled_back" and log.loc[0, "rolled_back_by"] == "ana"
    assert log.loc[0, "uploaded_by"] == "ana" and log.loc[0, "sha256"] == plan.sha256


def test_rollback_restores_every_table_kind(store, checksums):
    before = checksums()
    ids = []
    for table in ("indicators", "projects", "phases", "milestones", "targets", "readings", "budget_lines", "risks"):
        data = template(table, "zh", "csv", example=True)
        plan = prepare(store, f"{table}.csv", data)
        ids.append(apply(store, plan, "ana", "valid_rows").upload_id)
    targets = "indicator_code,target_value,belt,phase\nE1,0.2,east,\nP1,70,,launch\n"  # E1/east/any exists: update
    ids.append(upload(store, targets, name="targets.csv")[1].upload_id)
    for uid in reversed(ids):
        if uid is not None:
            rollback(store, uid, "ana")
    after = checksums()
    assert {t: after[t] for t in after if t.startswith(("upload",)) is False} == {
        t: before[t] for t in before if t.startswith(("upload",)) is False}


def test_reupload_changes_nothing_and_says_so(store, checksums):
    plan, first = upload(store, ZH_READINGS)
    snap = checksums()
    again, second = upload(store, ZH_READINGS)
    assert again.already_applied == first.upload_id
    assert (again.counts.inserts, again.counts.updates, again.counts.unchanged) == (0, 0, 3)
    assert second.upload_id is None
    assert checksums() == snap


def test_rollback_refuses_to_destroy_a_later_change(store, checksums):
    _, first = upload(store, "project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,70\n")
    _, second = upload(store, "project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,72\n")
    snap = checksums()
    with pytest.raises(Problem) as err:
        rollback(store, first.upload_id, "ana")
    assert err.value.code == "ingest.err.later_changes" and err.value.values["later"] == f"#{second.upload_id}"
    assert checksums() == snap
    assert rollback(store, first.upload_id, "ana", cascade=True) == [second.upload_id, first.upload_id]
    assert value(store, "A", "P1", "2026-06-30") == 66


def test_rollback_refuses_to_leave_a_later_row_without_the_row_it_names(store, checksums):
    # Upload 1 adds pilot P9, upload 2 a reading of P9: rolled back alone, upload 1 would leave the
    # reading naming no pilot. Refused with the later upload and the key; cascade takes both.
    before = checksums()
    _, first = upload(store, "project_id,name_zh,domain,pilot_type,province_code,status\n"
                             "P9,新试点,education,basic,11,active\n", name="projects.csv")
    _, second = upload(store, "project_id,indicator_code,period_end,actual_value\nP9,P1,2026-06-30,50\n")
    snap = checksums()
    with pytest.raises(Problem) as err:
        rollback(store, first.upload_id, "ana")
    assert (err.value.code, err.value.values["later"], err.value.values["keys"]) == (
        "ingest.err.later_dependents", f"#{second.upload_id}", "P9")
    assert checksums() == snap
    assert rollback(store, first.upload_id, "ana", cascade=True) == [second.upload_id, first.upload_id]
    after = checksums()
    assert {t: after[t] for t in ("projects", "readings")} == {t: before[t] for t in ("projects", "readings")}


def test_unrelated_later_upload_does_not_block(store):
    _, first = upload(store, "project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,70\n")
    upload(store, "project_id,indicator_code,period_end,actual_value\nB,P1,2026-06-30,75\n")
    assert rollback(store, first.upload_id, "ana") == [first.upload_id]
    assert value(store, "B", "P1", "2026-06-30") == 75


def test_rollback_twice_is_refused(store):
    _, first = upload(store, ZH_READINGS)
    rollback(store, first.upload_id, "ana")
    with pytest.raises(Problem) as err:  # the code is now the translation key it always named
        rollback(store, first.upload_id, "ana")
    assert err.value.code == "ingest.err.already_rolled_back"


def test_valid_rows_mode_applies_the_rest(store):
    text = "project_id,indicator_code,period_end,actual_value\nA,P1,2026-12-31,1\nA,P1,2027-03-31,x\n"
    plan = prepare(store, "r.csv", text.encode())
    with pytest.raises(Problem) as err:
        apply(store, plan, "ana")
    assert err.value.code == "ingest.err.not_clean"
    result = apply(store, plan, "ana", "valid_rows")
    assert (result.inserted, result.rejected) == (1, 1)
    assert history(store).loc[0, "rejected"] == 1


def test_a_failure_mid_apply_leaves_the_store_as_before(store, checksums, monkeypatch):
    import pilotdash.ingest.apply as mod

    before = checksums()
    plan = prepare(store, "r.csv", ZH_READINGS.encode())
    real_now = mod._now

    def boom():
        raise RuntimeError("disk full")

    monkeypatch.setattr(mod, "_now", boom)  # fails after the rows and their images were written
    with pytest.raises(RuntimeError):
        apply(store, plan, "ana")
    assert checksums() == before
    monkeypatch.setattr(mod, "_now", real_now)
    assert apply(store, plan, "ana").inserted == 1


def test_stale_preview_is_checked_again(store):
    plan = prepare(store, "r.csv", b"project_id,indicator_code,period_end,actual_value\nA,P1,2026-12-31,1\n")
    upload(store, "project_id,indicator_code,period_end,actual_value\nA,P1,2026-12-31,2\n")
    with pytest.raises(Problem) as err:
        apply(store, plan, "ana")  # previewed as an insert; now it would be an update
    assert err.value.code == "ingest.err.stale_plan"
    other = prepare(store, "r2.csv", b"project_id,indicator_code,period_end,actual_value\nB,P1,2026-12-31,1\n")
    upload(store, "project_id,indicator_code,period_end,actual_value\nC,P1,2026-12-31,2\n")
    assert apply(store, other, "ana").inserted == 1  # the store changed elsewhere: same counts, goes ahead


def test_two_concurrent_uploads_are_serialised(store):
    header = "project_id,indicator_code,period_end,actual_value\n"
    files = [header + "".join(f"{p},I3,{y}-12-31,{y - 2000}\n" for y in range(2001, 2031)) for p in ("A", "B")]
    plans = [prepare(store, f"f{i}.csv", f.encode()) for i, f in enumerate(files)]
    results, errors = [], []
    start = threading.Barrier(2)

    def run(plan):
        start.wait()
        try:
            results.append(apply(store, plan, "ana"))
        except Exception as exc:  # pragma: no cover - the assertion below shows it
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p,)) for p in plans]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.upload_id for r in results) == [1, 2]
    n = store.rows("SELECT count(*) FROM readings WHERE indicator_code = 'I3' AND period_end < '2031-01-01'")[0][0]
    assert n == 60 + 2  # 30 new per file, plus the fixture's A and B readings of 2026-06-30
    log = history(store)
    assert sorted(log["inserted"] + log["updated"]) == [30, 30]
