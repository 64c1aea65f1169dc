"""The digest 周报/月报 and the CLI around it (exit codes say whether sending worked)."""

import datetime as dt

from aiosmtpd.controller import Controller

from pilotdash.cli import main
from pilotdash.warnings import digest, ledger, subscriptions
from pilotdash.warnings.permissions import Actor
from tests.warnings.test_notify import Inbox, free_port

ME = Actor("local:ana", allowed=True, single_user=True)
NOW = dt.datetime(2026, 7, 1, 9, 0)


def test_periods():
    assert digest.period_start("week", dt.date(2026, 6, 30)) == dt.date(2026, 6, 24)
    assert digest.period_start("month", dt.date(2026, 6, 30)) == dt.date(2026, 6, 1)


def test_week_counts_new_escalated_resolved_and_worse(make):
    # D: a milestone 29 days overdue on 06-30 (orange, new), 31 on 07-02 (escalated); A's m3 is
    # done on 07-01 in a second store state below.
    store = make(milestones=[("d1", "D", "launch", "方案", "progress", "2026-06-01", None)])
    ledger.recompute(store, dt.date(2026, 6, 20), now=NOW)
    ledger.recompute(store, dt.date(2026, 6, 30), now=NOW)
    with store.writing() as cur:
        cur.execute("UPDATE milestones SET done_date = '2026-07-01' WHERE milestone_id = 'm3'")
    ledger.recompute(store, dt.date(2026, 7, 2), now=NOW)
    made = digest.build(store, "week", dt.date(2026, 7, 2), "en")
    assert made.counts["escalated"] == 1  # d1 orange -> red on 07-02
    assert made.counts["resolved"] >= 1  # A's m3
    assert made.counts["raised"] >= 1  # d1 raised on 06-30, within 06-26..07-02
    assert "Weekly warning digest" in made.html and "Escalated warnings (1)" in made.html
    assert made.worse >= 1 and "Pilots that got worse" in made.html  # D green -> red
    zh = digest.build(store, "week", dt.date(2026, 7, 2))
    assert "预警周报" in zh.html and "升级预警 (1)" in zh.html and zh.html.startswith("<!DOCTYPE html>")
    assert "<script" not in zh.html and "http" not in zh.html  # self-contained, nothing to load


def test_cli_digest_writes_a_file_and_sends_with_exit_codes(store, tmp_path, monkeypatch, capsys):
    ledger.recompute(store, dt.date(2026, 6, 30), now=NOW)
    subscriptions.add(
        store,
        ME,
        "West",
        lang="en",
        scope_kind="belt",
        scope_codes=["west"],
        min_level="red",
        email="west@example.org",
    )
    subscriptions.add(
        store, ME, "国家", lang="zh", scope_kind="national", min_level="red", email="office@example.cn"
    )
    path = store.path
    store.close()
    out = tmp_path / "digest.html"
    assert (
        main(
            ["--store", str(path), "digest", "--period", "month", "--as-of", "2026-06-30", "--out", str(out)]
        )
        == 0
    )
    assert "预警月报" in out.read_text(encoding="utf-8")

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    config = tmp_path / "secrets.toml"
    config.write_text(
        f'[pilotdash.smtp]\nhost = "127.0.0.1"\nport = {controller.port}\nsender = "dash@example.cn"\n'
    )
    monkeypatch.setenv("PILOTDASH_CONFIG", str(config))
    try:
        code = main(["--store", str(path), "digest", "--period", "month", "--as-of", "2026-06-30", "--send"])
    finally:
        controller.stop()
    assert code == 0
    subjects = {rcpts[0]: mail for rcpts, mail in inbox.mails}
    assert sorted(subjects) == ["office@example.cn", "west@example.org"]
    assert "Monthly warning digest" in str(subjects["west@example.org"]["Subject"])
    assert "预警月报" in str(subjects["office@example.cn"]["Subject"])

    # The SMTP server gone: exit code 1.
    config.write_text(f'[pilotdash.smtp]\nhost = "127.0.0.1"\nport = {free_port()}\n')
    assert main(["--store", str(path), "digest", "--period", "week", "--as-of", "2026-06-30", "--send"]) == 1


def test_cli_recompute_list_ack(store, capsys):
    path = store.path
    store.close()
    assert main(["--store", str(path), "warnings", "recompute", "--as-of", "2026-06-30"]) == 0
    assert "raised 14" in capsys.readouterr().out
    assert main(["--store", str(path), "warnings", "list", "--level", "red"]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 3 and lines[0].startswith("warning_id,level,state")
    wid = lines[1].split(",")[0]
    assert (
        main(["--store", str(path), "warnings", "ack", wid, "--note", "专题会", "--plan-date", "2026-07-31"])
        == 0
    )
    assert (
        main(["--store", str(path), "warnings", "ack", wid, "--note", " ", "--plan-date", "2026-07-31"]) == 1
    )
    assert main(["--store", str(path), "warnings", "list", "--state", "acknowledged"]) == 0
    assert "专题会" in capsys.readouterr().out
