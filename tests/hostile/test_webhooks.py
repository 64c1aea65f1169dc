"""Hostile webhook addresses and receivers: refused when subscribing and again at delivery, never
followed elsewhere, their answers never stored; a receiver that hangs delays no one else."""

from __future__ import annotations

import datetime as dt
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from pilotdash.errors import Problem

from pilotdash import named_queries
from pilotdash.i18n import t
from pilotdash.warnings import ledger, notify, receivers, subscriptions
from pilotdash.people import Person
from pilotdash.scope import Scope
from tests.warnings.conftest import AS_OF

ME = Person("local:ana", "ana", Scope.national(), frozenset(), single_user=True)
NOW = dt.datetime(2026, 7, 1, 9, 0)


@pytest.fixture
def config(tmp_path, monkeypatch):
    """Write `[pilotdash.notify]` lists into the configuration file the dashboard reads."""

    def write(hosts=(), internal=()):
        path = tmp_path / "pilotdash.toml"
        path.write_text("[pilotdash.notify]\n"
                        f"webhook_hosts = {json.dumps(list(hosts))}\n"
                        f"webhook_internal_hosts = {json.dumps(list(internal))}\n", encoding="utf-8")
        monkeypatch.setenv("PILOTDASH_CONFIG", str(path))

    write()
    return write


class Receiver:
    """A loopback HTTP receiver answering with `answer(handler)`; what it got in `got`."""

    def __init__(self, answer):
        self.got: list[tuple[float, str, str]] = []
        self.release = threading.Event()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers["Content-Length"]))
                owner.got.append((time.monotonic(), self.path, self.headers["Host"]))
                answer(self, owner)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        self.release.set()
        self.server.shutdown()
        self.server.server_close()


def reply(status: int, body: bytes = b'{"errcode":0}', headers=()):
    def answer(handler, _owner):
        handler.send_response(status)
        for name, value in headers:
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return answer


def hang(handler, owner):
    owner.release.wait(30)


@pytest.fixture
def receiver_of():
    made: list[Receiver] = []

    def make(answer):
        made.append(Receiver(answer))
        return made[-1]

    yield make
    for r in made:
        r.stop()


def subscribe(store, url, kind="wecom", name="robot"):
    return subscriptions.add(store, ME, name, lang="en", scope_kind="national", min_level="red",
                             webhook_kind=kind, webhook_url=url)


def pending(store):
    return named_queries.run(store, "warnings_notices", {"pending": "yes"})


@pytest.mark.parametrize("url, kind, code", [
    ("http://127.0.0.1:8080/hook", "wecom", "webhook_host"),  # not a robot service's host
    ("https://10.0.0.5/hook", "wecom", "webhook_host"),
    ("http://169.254.169.254/latest/meta-data/", "feishu", "webhook_host"),
    ("https://qyapi.weixin.qq.com.evil.example/cgi-bin/webhook/send", "wecom", "webhook_host"),
    ("https://oapi.dingtalk.com/robot/send?access_token=x", "wecom", "webhook_host"),  # another robot's
    ("http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "wecom", "webhook_https"),
    ("https://qyapi.weixin.qq.com@127.0.0.1/cgi-bin/webhook/send", "wecom", "webhook_url"),
    ("gopher://qyapi.weixin.qq.com/", "wecom", "webhook_url"),
])
def test_addresses_outside_the_robot_services_are_refused(store, config, url, kind, code):
    with pytest.raises(Problem) as err:
        subscribe(store, url, kind)
    assert err.value.code == f"warn.sub.err.{code}"
    assert t(f"warn.sub.err.{code}", "zh") != t(f"warn.sub.err.{code}", "en")


@pytest.mark.parametrize("host", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "100.64.0.1", "localhost",
                                  "0.0.0.0", "224.0.0.1", "[::1]", "[::ffff:127.0.0.1]"])
def test_a_listed_host_on_a_private_address_is_refused(store, config, host):
    config(hosts=[host.strip("[]")])
    with pytest.raises(Problem) as err:
        subscribe(store, f"https://{host}/hook")
    assert err.value.code == "warn.sub.err.webhook_private"


def test_the_metadata_address_is_refused_even_as_an_internal_host(store, config):
    config(internal=["169.254.169.254"])
    with pytest.raises(Problem) as err:
        subscribe(store, "http://169.254.169.254/latest/meta-data/", "feishu")
    assert err.value.code == "warn.sub.err.webhook_private"


def test_the_robot_services_hosts_are_allowed(store, config, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", lambda *a, **k: [(2, 1, 6, "", ("203.119.0.1", 443))])
    for url, kind in (("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "wecom"),
                      ("https://oapi.dingtalk.com/robot/send?access_token=x", "dingtalk"),
                      ("https://open.feishu.cn/open-apis/bot/v2/hook/x", "feishu"),
                      ("https://open.larksuite.com/open-apis/bot/v2/hook/x", "feishu")):
        assert subscribe(store, url, kind, name=kind) > 0


def test_a_name_that_moves_to_loopback_after_subscribing_is_refused_at_delivery(store, config, receiver_of,
                                                                               monkeypatch):
    robot = receiver_of(reply(200))
    config(hosts=["robot.example.test"])
    real = socket.getaddrinfo
    answers = {"robot.example.test": "93.184.216.34"}  # public when subscribing ...

    def fake(host, port, *args, **kwargs):
        if host in answers:
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers[host], port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    subscribe(store, f"https://robot.example.test:{robot.port}/hook")
    answers["robot.example.test"] = "127.0.0.1"  # ... loopback by the time a notice goes out
    ledger.recompute(store, AS_OF, now=NOW)
    result = notify.deliver_due(store, notify.Settings(), now=NOW)
    assert len(result.failed) == 2 and not result.sent and robot.got == []
    assert set(pending(store)["last_error"]) == {"webhook_private"}


def test_delivery_connects_to_the_checked_address_keeping_the_name(store, config, receiver_of, monkeypatch):
    robot = receiver_of(reply(200))
    config(internal=["robot.internal.test"])
    real = socket.getaddrinfo
    looked_up: list[str] = []

    def fake(host, port, *args, **kwargs):
        if host == "robot.internal.test":
            looked_up.append(host)
            return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("127.0.0.1", port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", fake)
    subscribe(store, f"http://robot.internal.test:{robot.port}/hook?key=k")
    ledger.recompute(store, AS_OF, now=NOW)
    looked_up.clear()
    result = notify.deliver_due(store, notify.Settings(), now=NOW)
    assert len(result.sent) == 2
    # One look-up per notice (the check), none by the connection: it goes to the checked address.
    assert len(looked_up) == 2
    assert {host for _, _, host in robot.got} == {f"robot.internal.test:{robot.port}"}


def test_a_redirect_is_not_followed_and_the_answer_is_not_stored(store, config, receiver_of):
    inside = receiver_of(reply(200))
    robot = receiver_of(reply(302, b"secret: see the other side",
                              [("Location", f"http://127.0.0.1:{inside.port}/admin")]))
    config(internal=["127.0.0.1"])
    subscribe(store, f"http://127.0.0.1:{robot.port}/hook")
    ledger.recompute(store, AS_OF, now=NOW)
    result = notify.deliver_due(store, notify.Settings(), now=NOW)
    assert len(result.failed) == 2 and len(robot.got) == 2 and inside.got == []
    assert set(pending(store)["last_error"]) == {"redirect:302"}
    assert notify.error_words("redirect:302", "en") == t("warn.deliv.redirect", "en", status="302")


def test_a_receivers_answer_is_never_stored_or_shown(store, config, receiver_of):
    leak = b'{"errcode": 93000, "errmsg": "[link](http://evil.example) root:x:0:0"}'
    robot = receiver_of(reply(200, leak))
    config(internal=["127.0.0.1"])
    subscribe(store, f"http://127.0.0.1:{robot.port}/hook")
    ledger.recompute(store, AS_OF, now=NOW)
    notify.deliver_due(store, notify.Settings(), now=NOW)
    errors = set(pending(store)["last_error"])
    assert errors == {"refused:200"}
    for lang in ("en", "zh"):
        words = notify.error_words("refused:200", lang)
        assert "200" in words and "evil" not in words and "root" not in words


def test_a_hanging_receiver_delays_no_one_else_and_each_notice_goes_once(store, config, receiver_of,
                                                                        monkeypatch):
    monkeypatch.setattr(notify, "TIMEOUT", 2)
    dead = receiver_of(hang)
    alive = receiver_of(reply(200))
    config(internal=["127.0.0.1"])
    subscribe(store, f"http://127.0.0.1:{dead.port}/hook", name="dead")
    subscribe(store, f"http://127.0.0.1:{alive.port}/hook", name="alive")
    ledger.recompute(store, AS_OF, now=NOW)
    started = time.monotonic()
    result = notify.deliver_due(store, notify.Settings(), now=NOW)
    took = time.monotonic() - started
    assert len(result.sent) == 2 and len(result.failed) == 2
    assert all(at - started < 1.5 for at, _, _ in alive.got)  # not after the dead one's timeout
    assert took < 2 * notify.TIMEOUT + 2  # one timeout for the dead receiver, not one per notice
    assert len(dead.got) == 1  # its second notice waits for the next attempt, untried
    assert set(pending(store)["last_error"]) == {"timeout"}
    again = notify.deliver_due(store, notify.Settings(), now=NOW)  # nothing due: nothing sent twice
    assert not again.sent and not again.failed and len(alive.got) == 2


def trickle(handler, owner):
    """Answers a byte at a time, each well within the timeout, never finishing."""
    handler.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
    while not owner.release.wait(0.3):
        try:
            handler.wfile.write(b"a")
            handler.wfile.flush()
        except OSError:
            return


def test_a_trickling_receiver_is_cut_at_the_deadline(store, config, receiver_of, monkeypatch):
    monkeypatch.setattr(notify, "TIMEOUT", 1)
    monkeypatch.setattr(notify, "DEADLINE", 2)
    slow = receiver_of(trickle)
    config(internal=["127.0.0.1"])
    subscribe(store, f"http://127.0.0.1:{slow.port}/hook")
    ledger.recompute(store, AS_OF, now=NOW)
    started = time.monotonic()
    result = notify.deliver_due(store, notify.Settings(), now=NOW)
    assert time.monotonic() - started < 6 and len(result.failed) == 2
    assert set(pending(store)["last_error"]) == {"timeout"}


def test_receivers_configuration_is_read_from_the_notify_section(config):
    config(hosts=["Robot.Example.cn "], internal=["10.2.3.4"])
    got = receivers.configured()
    assert got.hosts == {"robot.example.cn"} and got.internal_hosts == {"10.2.3.4"}
