"""Delivery against real servers on loopback: an SMTP server (aiosmtpd) gets exactly one mail per
subscriber and warning, in the subscriber's language; a local HTTP receiver gets valid WeCom,
DingTalk (signed) and Feishu payloads; with the receiver down the notice stays pending, is retried
after its back-off, and is never sent twice."""

import base64
import datetime as dt
import email
import email.policy
import hashlib
import hmac
import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from aiosmtpd.controller import Controller

from pilotdash import named_queries
from pilotdash.errors import Problem
from pilotdash.people import Person
from pilotdash.scope import Scope
from pilotdash.warnings import ledger, notify, subscriptions
from tests.warnings.conftest import AS_OF

ME = Person("local:ana", "ana", Scope.national(), frozenset(), single_user=True)
NOW = dt.datetime(2026, 7, 1, 9, 0)
SECRET = "SEC-test-secret"


@pytest.fixture(autouse=True)
def loopback_allowed(tmp_path, monkeypatch):
    """The receivers below listen on loopback: allowed the way an administrator allows an
    internal receiver, in the configuration file."""
    config = tmp_path / "notify.toml"
    config.write_text('[pilotdash.notify]\nwebhook_internal_hosts = ["127.0.0.1"]\n', encoding="utf-8")
    monkeypatch.setenv("PILOTDASH_CONFIG", str(config))


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Inbox:
    def __init__(self):
        self.mails = []

    async def handle_DATA(self, server, session, envelope):
        self.mails.append(
            (
                tuple(envelope.rcpt_tos),
                email.message_from_bytes(envelope.content, policy=email.policy.default),
            )
        )
        return "250 OK"


@pytest.fixture
def smtp():
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    yield (
        inbox,
        notify.Settings(notify.SmtpSettings(host="127.0.0.1", port=controller.port), "http://dash.test"),
    )
    controller.stop()


class Receiver:
    def __init__(self):
        self.got = []
        received = self.got

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                received.append((self.path, json.loads(body.decode("utf-8"))))
                answer = b'{"code":0}' if self.path.startswith("/feishu") else b'{"errcode":0,"errmsg":"ok"}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.port = free_port()
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def subject(mail):
    return str(mail["Subject"]).strip()  # decoded by the default policy; a long one is folded


def test_one_mail_per_subscriber_and_warning_in_their_language(store, smtp):
    inbox, settings = smtp
    subscriptions.add(
        store, ME, "国家办", lang="zh", scope_kind="national", min_level="red", email="office@example.cn"
    )
    subscriptions.add(
        store,
        ME,
        "West desk",
        lang="en",
        scope_kind="belt",
        scope_codes=["west"],
        min_level="orange",
        email="west@example.org",
    )
    subscriptions.add(
        store,
        ME,
        "Beijing",
        lang="en",
        scope_kind="province",
        scope_codes=["11"],
        min_level="red",
        email="bj@example.org",
    )  # A (Beijing) has no red warning on D: nothing
    ledger.recompute(store, AS_OF, now=NOW)
    result = notify.deliver_due(store, settings, now=NOW)
    assert not result.failed
    by = {}
    for rcpts, mail in inbox.mails:
        by.setdefault(rcpts[0], []).append(subject(mail))
    # Red on D: B's milestone m5 and overspend. Orange or worse in the west (B): those two and
    # B's SPI and CPI.
    assert sorted(by) == ["office@example.cn", "west@example.org"]
    assert len(by["office@example.cn"]) == 2 and all(
        s.startswith("【红色预警】B 成都智慧城市试点") for s in by["office@example.cn"]
    )
    assert len(by["west@example.org"]) == 4
    assert all("Chengdu smart city pilot" in s for s in by["west@example.org"])
    assert {s.split("]")[0] for s in by["west@example.org"]} == {"[Red warning", "[Orange warning"}
    mail = inbox.mails[0][1]
    text = mail.get_body(preferencelist=("plain",)).get_content()
    assert "http://dash.test/warnings?warning=" in text

    # Recomputing and delivering again sends nothing more.
    ledger.recompute(store, AS_OF, now=NOW + dt.timedelta(hours=1))
    again = notify.deliver_due(store, settings, now=NOW + dt.timedelta(hours=1))
    assert again.sent == [] and len(inbox.mails) == 6


def test_an_escalation_is_sent_once_more(make, smtp):
    inbox, settings = smtp
    store = make(milestones=[("d1", "D", "launch", "方案", "progress", "2026-06-01", None)])
    subscriptions.add(
        store,
        ME,
        "D",
        lang="en",
        scope_kind="pilots",
        scope_codes=["D"],
        min_level="yellow",
        email="d@example.org",
    )
    ledger.recompute(store, dt.date(2026, 6, 30), now=NOW)  # 29 days: orange
    notify.deliver_due(store, settings, now=NOW)
    ledger.recompute(store, dt.date(2026, 7, 2), now=NOW)  # 31 days: red
    notify.deliver_due(store, settings, now=NOW)
    ledger.recompute(store, dt.date(2026, 7, 3), now=NOW)
    notify.deliver_due(store, settings, now=NOW)
    assert [subject(m) for _, m in inbox.mails] == [
        "[Orange warning] D Beijing education pilot: Milestone overdue",
        "[Escalated to Red warning] D Beijing education pilot: Milestone overdue",
    ]


def test_webhook_payloads_wecom_dingtalk_signed_feishu(store):
    receiver = Receiver()
    receiver.start()
    base = f"http://127.0.0.1:{receiver.port}"
    try:
        for kind, path in (
            ("wecom", "/wecom?key=abc"),
            ("dingtalk", "/dingtalk?access_token=xyz"),
            ("feishu", "/feishu/hook"),
        ):
            subscriptions.add(
                store,
                ME,
                kind,
                lang="zh",
                scope_kind="pilots",
                scope_codes=["B"],
                min_level="red",
                webhook_kind=kind,
                webhook_url=base + path,
                webhook_secret=SECRET if kind == "dingtalk" else None,
            )
        ledger.recompute(store, AS_OF, now=NOW)
        result = notify.deliver_due(store, notify.Settings(base_url="http://dash.test"), now=NOW)
    finally:
        receiver.stop()
    assert len(result.sent) == 6 and not result.failed  # 2 red warnings x 3 robots
    by = {}
    for path, body in receiver.got:
        by.setdefault(urlsplit(path).path, []).append((path, body))
    for _, body in by["/wecom"]:
        assert body["msgtype"] == "markdown" and "【红色预警】B" in body["markdown"]["content"]
    for path, body in by["/dingtalk"]:
        q = parse_qs(urlsplit(path).query)
        assert q["access_token"] == ["xyz"]
        stamp, sign = q["timestamp"][0], q["sign"][0]
        expected = base64.b64encode(
            hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest()
        )
        assert sign == expected.decode()
        assert body["msgtype"] == "markdown" and body["markdown"]["title"].startswith("【红色预警】")
        assert "http://dash.test/warnings?warning=" in body["markdown"]["text"]
    for _, body in by["/feishu/hook"]:
        assert body["msg_type"] == "text" and body["content"]["text"].startswith("【红色预警】B")
    assert [len(by[k]) for k in ("/wecom", "/dingtalk", "/feishu/hook")] == [2, 2, 2]


def test_receiver_down_is_retried_later_and_shown_pending(store):
    port = free_port()  # nothing listens here yet
    subscriptions.add(
        store,
        ME,
        "robot",
        lang="en",
        scope_kind="national",
        min_level="red",
        webhook_kind="wecom",
        webhook_url=f"http://127.0.0.1:{port}/wecom?key=k",
    )
    ledger.recompute(store, AS_OF, now=NOW)
    first = notify.deliver_due(store, notify.Settings(), now=NOW)
    assert len(first.failed) == 2 and not first.sent
    levels = named_queries.run(store, "warnings_by_level", {"as_of": AS_OF})
    assert levels.set_index("level").loc["red", "pending_notices"] == 2
    pending = named_queries.run(store, "warnings_notices", {"pending": "yes"})
    assert set(pending["attempts"]) == {1} and set(pending["last_error"]) == {"unreachable"}

    # Not due again before its back-off (1 minute after the first failure).
    soon = notify.deliver_due(store, notify.Settings(), now=NOW + dt.timedelta(seconds=30))
    assert not soon.sent and not soon.failed and soon.waiting == 2

    receiver = Receiver.__new__(Receiver)
    Receiver.__init__(receiver)
    receiver.server.server_close()
    receiver.port = port
    from http.server import ThreadingHTTPServer as Server

    receiver.server = Server(("127.0.0.1", port), receiver.server.RequestHandlerClass)
    receiver.thread = threading.Thread(target=receiver.server.serve_forever, daemon=True)
    receiver.start()
    try:
        later = notify.deliver_due(store, notify.Settings(), now=NOW + dt.timedelta(minutes=2))
    finally:
        receiver.stop()
    assert len(later.sent) == 2 and len(receiver.got) == 2
    assert named_queries.run(store, "warnings_notices", {"pending": "yes"}).empty


def test_backoff_doubles_up_to_six_hours():
    assert [notify.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert notify.backoff(30) == dt.timedelta(hours=6)


@pytest.mark.parametrize(
    "kwargs, code",
    [
        ({"email": "not-an-address"}, "email"),
        ({}, "no_channel"),
        ({"email": "a@b.cn", "scope_kind": "belt", "scope_codes": ["north"]}, "scope_code"),
        ({"email": "a@b.cn", "scope_kind": "province", "scope_codes": ["99"]}, "unknown_codes"),
        ({"webhook_kind": "wecom", "webhook_url": "file:///etc/passwd"}, "webhook_url"),
        ({"email": "a@b.cn", "min_level": "purple"}, "min_level"),
    ],
)
def test_bad_subscriptions_are_refused(store, kwargs, code):
    with pytest.raises(Problem) as err:
        subscriptions.add(store, ME, "x", **kwargs)
    assert err.value.code == f"warn.sub.err.{code}"


def test_an_upload_queues_and_delivers_in_the_background_never_blocking(store, monkeypatch):
    from pilotdash.ingest.apply import apply
    from pilotdash.ingest.plan import prepare
    from pilotdash.warnings import hooks

    port = free_port()  # the robot is down
    subscriptions.add(
        store,
        ME,
        "robot",
        lang="zh",
        scope_kind="pilots",
        scope_codes=["D"],
        min_level="orange",
        webhook_kind="feishu",
        webhook_url=f"http://127.0.0.1:{port}/hook",
    )
    monkeypatch.setattr(notify, "load_settings", lambda: notify.Settings())
    plan = prepare(
        store,
        "milestones.csv",
        "milestone_id,project_id,phase,name,kind,due_date,done_date\n"
        "d1,D,launch,方案,progress,2026-09-01,\n".encode(),
    )
    assert apply(store, plan, "ana").upload_id is not None
    hooks.wait_for_deliveries()
    pending = named_queries.run(store, "warnings_notices", {"pending": "yes"})
    assert list(pending["trigger_id"]) == ["d1"] and list(pending["attempts"]) == [1]
