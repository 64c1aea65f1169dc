"""The deviation report 偏差分析报告 read back: a task late with its cause (its issue), its corrective
action (the issue's resolution note and its warning's response) and the new planned date (the
response's plan date); the CLI writes it for a person's scope and audits it."""

import datetime as dt

from docx import Document

from pilotdash import audit
from pilotdash.cli import main
from pilotdash.people import Person
from pilotdash.scope import Scope
from pilotdash.tasks import deviation, issue_actions
from pilotdash.warnings import ledger
from pilotdash import people

D = dt.date(2026, 6, 30)


def late_task(store):
    with store.writing() as w:
        w.execute("INSERT INTO tasks (task_id, project_id, name, owner, start_date, due_date, progress) VALUES "
                  "('t1', 'A', '接口标准发布', '李强', '2026-01-01', '2026-06-10', 50), "
                  "('t2', 'B', '平台上线', '周敏', '2026-01-01', '2026-06-20', 10)")
        w.execute("INSERT INTO issues (issue_id, project_id, task_id, source, description, raised_on, owner, due_date) "
                  "VALUES ('i1', 'A', 't1', 'inspection', '部门接口未开放', '2026-05-01', '李强', '2026-07-31')")
    sub = Person("s@x.cn", "s", Scope("provinces", ("11",)), frozenset({"viewer", "submitter"}))
    # the ledger on D first: resolving an issue recomputes it for the default date (later), which
    # would otherwise be the day the task's warning was first raised
    ledger.recompute(store, D, now=dt.datetime(2026, 7, 1, 9))
    issue_actions.resolve(store, sub, "i1", dt.date(2026, 6, 15), "督办后已开放两个接口")
    wid = store.rows("SELECT warning_id FROM warnings WHERE trigger_id = 't1'")[0][0]
    ledger.acknowledge(store, wid, people.local_admin(), "增派技术力量",
                       dt.date(2026, 7, 20))


def test_a_late_task_with_its_cause_action_and_new_date(store):
    late_task(store)
    made = deviation.build(store, dt.date(2026, 6, 1), D, "zh")
    row = made.tasks.set_index("task").loc["t1 接口标准发布"]
    # due 2026-06-10, D 2026-06-30: 20 days overdue
    assert (row.owner, row.state, row.slip_days) == ("李强", "逾期", "20")
    assert row.causes == "部门接口未开放"
    assert set(row.actions.split("；")) == {"督办后已开放两个接口", "增派技术力量"}
    assert row.new_planned_date == "2026年7月20日"
    belt = deviation.build(store, dt.date(2026, 6, 1), D, "en", belt=["west"])
    assert list(belt.tasks["task"]) == ["t2 平台上线"]  # B is in the west; behind: 10 under a plan of 90


def test_the_cli_writes_it_for_a_scope_and_audits_it(store, tmp_path):
    late_task(store)
    with store.writing() as w:
        w.execute("INSERT INTO people VALUES ('p@x.cn', 'P', 'provinces', ['51'], ['viewer'], false, now()::TIMESTAMP, "
                  "now()::TIMESTAMP)")
    path = store.path
    store.close()
    out = tmp_path / "dev.docx"
    assert main(["--store", str(path), "--as", "p@x.cn", "report", "deviation", "--month", "2026-06",
                 "--out", str(out)]) == 0
    cells = [c.text for t in Document(str(out)).tables for r in t.rows for c in r.cells]
    assert "t2 平台上线" in cells and "t1 接口标准发布" not in cells  # Sichuan sees pilot B only
    assert main(["--store", str(path), "report", "deviation", "--month", "2026-13"]) == 2
    from pilotdash.store import open_store

    again = open_store(path)
    try:
        log = audit.entries(again, who="p@x.cn", action="report")
        assert list(log["what"]) == ["dev.docx"]
    finally:
        again.close()


def test_the_cli_mails_it_to_each_subscriber_in_their_scope_and_refuses_a_person_without_the_right(
        store, tmp_path, monkeypatch):
    import io

    from aiosmtpd.controller import Controller

    from pilotdash.store import open_store
    from pilotdash.warnings import subscriptions
    from tests.warnings.test_notify import Inbox, free_port

    late_task(store)  # t1 of pilot A (province 11) overdue, t2 of pilot B (51) behind
    with store.writing() as w:
        w.execute("INSERT INTO people VALUES "
                  "('n@x.cn', 'N', 'national', [], ['reviewer'], false, now()::TIMESTAMP, now()::TIMESTAMP), "
                  "('v@x.cn', 'V', 'provinces', ['11'], ['viewer'], false, now()::TIMESTAMP, now()::TIMESTAMP), "
                  "('p@x.cn', 'P', 'provinces', ['51'], ['reviewer'], false, now()::TIMESTAMP, now()::TIMESTAMP)")
    beijing = Person("v@x.cn", "V", Scope("provinces", ("11",)), frozenset({"viewer"}))
    subscriptions.add(store, beijing, "北京", lang="zh", scope_kind="province", scope_codes=["11"],
                      min_level="red", email="v@x.cn")
    path = store.path
    store.close()
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    config = tmp_path / "secrets.toml"
    config.write_text(f'[pilotdash.smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nsender = "dash@example.cn"\n')
    monkeypatch.setenv("PILOTDASH_CONFIG", str(config))
    send = ["--store", str(path), "--as", "{}", "report", "deviation", "--month", "2026-06", "--send"]
    try:
        # a provincial reviewer may not mail the office's report to everyone: refused, nothing sent
        assert main([a.format("p@x.cn") for a in send]) == 2
        assert inbox.mails == []
        assert main([a.format("n@x.cn") for a in send]) == 0
    finally:
        controller.stop()

    assert [rcpts for rcpts, _ in inbox.mails] == [("v@x.cn",)]
    mail = inbox.mails[0][1]
    assert str(mail["Subject"]) == "偏差分析报告（2026年6月1日至2026年6月30日）"
    body = mail.get_body(("html",)).get_content()
    assert "接口标准发布" in body and "平台上线" not in body  # pilot A of Beijing only
    (attached,) = list(mail.iter_attachments())
    assert attached.get_filename().endswith(".docx")
    cells = [c.text for t in Document(io.BytesIO(attached.get_content())).tables for r in t.rows for c in r.cells]
    assert "t1 接口标准发布" in cells and "t2 平台上线" not in cells

    again = open_store(path)
    try:
        refused = audit.entries(again, who="p@x.cn")
        assert len(refused) == 1 and list(refused["action"]) == ["report_send"] and bool(refused["refused"].iloc[0])
        # sent: audited under the action the policy allowed, as its refusal is (it was "report")
        sent = audit.entries(again, who="n@x.cn", action="report_send")
        assert list(sent["what"]) == ["deviation 2026-06 sent"] and not sent["refused"].any()
    finally:
        again.close()
