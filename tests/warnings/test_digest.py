"""The digest 周报/月报 and the CLI around it (exit codes say whether sending worked)."""

import datetime as dt

from aiosmtpd.controller import Controller

from pilotdash.cli import main
from pilotdash.warnings import digest, ledger, subscriptions
from pilotdash.people import Person
from pilotdash.scope import Scope
from tests.warnings.test_notify import Inbox, free_port

ME = Person("local:ana", "ana", Scope.national(), frozenset(), single_user=True)
NOW = dt.datetime(2026, 7, 1, 9, 0)


def test_periods():
    # the last complete calendar week (Monday–Sunday) or month on or before the day
    sunday, tuesday = dt.date(2026, 12, 6), dt.date(2026, 6, 30)
    assert digest.period_bounds("week", sunday) == (dt.date(2026, 11, 30), sunday)  # a Sunday names its week
    assert digest.period_bounds("week", dt.date(2026, 12, 5)) == (dt.date(2026, 11, 23), dt.date(2026, 11, 29))
    assert digest.period_bounds("week", tuesday) == (dt.date(2026, 6, 22), dt.date(2026, 6, 28))
    assert digest.period_bounds("month", tuesday) == (dt.date(2026, 6, 1), tuesday)  # a month end names its month
    assert digest.period_bounds("month", sunday) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert digest.period_bounds("month", dt.date(2026, 3, 1)) == (dt.date(2026, 2, 1), dt.date(2026, 2, 28))


def test_the_period_is_in_the_programme_time_zone():
    # Asia/Shanghai: the week's first moment is 16:00 UTC the day before
    assert digest.utc_bounds(dt.date(2026, 11, 30), dt.date(2026, 12, 6)) == (
        "2026-11-29 16:00:00", "2026-12-06 16:00:00")


def test_new_means_raised_in_the_period(store):
    # Raised on Wednesday 2026-07-01 (UTC 09:00, 17:00 in Beijing): new in the week 06-29..07-05,
    # not in the week before it, whatever the data's as-of date (06-30).
    ledger.recompute(store, dt.date(2026, 6, 30), now=NOW)
    assert digest.build(store, "week", dt.date(2026, 7, 5), "en").counts["raised"] > 0
    assert digest.build(store, "week", dt.date(2026, 6, 28), "en").counts["raised"] == 0
    # Raised at 20:00 UTC on Sunday 07-05 is Monday 04:00 in Beijing: the next week's.
    late = dt.datetime(2026, 7, 5, 20, 0)
    with store.writing() as cur:
        cur.execute("UPDATE warning_events SET event_at = ? WHERE event = 'raised'", [late])
    assert digest.build(store, "week", dt.date(2026, 7, 5), "en").counts["raised"] == 0
    assert digest.build(store, "week", dt.date(2026, 7, 12), "en").counts["raised"] > 0


def test_printed_short_columns_do_not_wrap(store):
    ledger.recompute(store, dt.date(2026, 6, 30), now=NOW)
    page = digest.build(store, "week", dt.date(2026, 7, 5)).html
    assert "td.n{white-space:nowrap" in page.replace("th.n,", "")
    assert "<td class='n'>▲ " in page or "<td class='n'>✖ " in page  # the level column
    assert "<td class='n'>2026年6月30日</td>" in page or "<td class='n'>2026年7月1日</td>" in page


def test_week_counts_new_escalated_resolved_and_worse(make):
    # D: a milestone 29 days overdue on 06-30 (orange, new), 31 on 07-02 (escalated); A's m3 is
    # done on 07-01 in a second store state below.
    store = make(milestones=[("d1", "D", "launch", "方案", "progress", "2026-06-01", None)])
    # The recomputes run in the week of Monday 06-29 (their moments, NOW and after, are what
    # the digest's week is about; their as-of dates are the data's).
    ledger.recompute(store, dt.date(2026, 6, 20), now=NOW)
    ledger.recompute(store, dt.date(2026, 6, 30), now=NOW)
    with store.writing() as cur:
        cur.execute("UPDATE milestones SET done_date = '2026-07-01' WHERE milestone_id = 'm3'")
    ledger.recompute(store, dt.date(2026, 7, 2), now=NOW + dt.timedelta(days=1))
    made = digest.build(store, "week", dt.date(2026, 7, 5), "en")
    assert (made.since, made.as_of) == (dt.date(2026, 6, 29), dt.date(2026, 7, 5))
    assert made.counts["escalated"] == 1  # d1 orange -> red on 07-02
    assert made.counts["resolved"] >= 1  # A's m3
    assert made.counts["raised"] >= 1  # d1 raised on 07-01
    assert "Weekly warning digest" in made.html and "Escalated warnings (1)" in made.html
    assert made.worse >= 1 and "Pilots that got worse" in made.html  # D green -> red
    zh = digest.build(store, "week", dt.date(2026, 7, 5))
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

    # The SMTP server gone: exit code 1, each address named in the operator's language.
    config.write_text(f'[pilotdash.smtp]\nhost = "127.0.0.1"\nport = {free_port()}\n')
    monkeypatch.setenv("PILOTDASH_LANG", "zh")
    assert main(["--store", str(path), "digest", "--period", "week", "--as-of", "2026-06-30", "--send"]) == 1
    said = capsys.readouterr().err
    assert "未能发送给 office@example.cn" in said and "已发送 0 份，失败 2 份" in said

    # Each send is the office's act (report_send): asked of the policy and audited with its counts.
    from pilotdash import audit
    from pilotdash.store import open_store

    again = open_store(path)
    try:
        sent = audit.entries(again, action="report_send")
    finally:
        again.close()
    # the week digest is as of the last whole week's end, Sunday 28 June
    assert list(sent["what"]) == ["digest week 2026-06-28 sent", "digest month 2026-06-30 sent"]
    assert not sent["refused"].any()


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
