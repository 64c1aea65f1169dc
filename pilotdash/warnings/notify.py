"""Delivering the notices of new and escalated warnings: e-mail by SMTP, and the group-robot
webhooks of 企业微信 (WeCom), 钉钉 (DingTalk, signed with its secret) and 飞书 (Feishu/Lark).

Each notice (one per subscription, channel, warning and event; see `ledger._enqueue`) is sent
once. A failed attempt stays pending with the error, and is tried again after a back-off (1 min,
doubling, at most 6 h); nothing is dropped. Sending happens outside every transaction: each
result is written in its own short one afterwards, so a slow or dead receiver never holds a lock
an upload needs.

Settings come from configuration: `[pilotdash.smtp]` (host, port, security = "starttls" | "ssl" |
"none", user, password, sender), `[pilotdash] base_url` (for the links) and `[pilotdash.notify]`
(the webhook hosts an administrator allows, `receivers.configured`) in `.streamlit/secrets.toml`,
or the file named by PILOTDASH_CONFIG (read by `pilotdash.config`).

Webhooks go only to allowed hosts on public addresses, checked again before every request and
connected to as checked (`receivers.py`); a redirect is not followed; what a receiver answers is
read only for its error code and never stored: a failure is a fixed reason and the HTTP status.
Receivers are sent to side by side (`MAX_PARALLEL`), each notice once, so one that hangs delays
only its own notices, by one `TIMEOUT`.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import json
import smtplib
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from .. import config, named_queries
from ..errors import Problem
from ..filters import page_url
from ..markdown import robot_text
from ..i18n import fmt_date, fmt_datetime, label, t
from ..store import Store
from . import receivers, subscriptions
from .ledger import now_utc

BACKOFF_FIRST = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=6)
TIMEOUT = 10  # seconds per attempt (connecting, and each wait for the receiver)
MAX_PARALLEL = 8  # receivers sent to at the same time
ANSWER_LIMIT = 4096  # bytes of a robot's answer read, only to see its error code
DEADLINE = 30  # seconds for one whole webhook exchange (TIMEOUT bounds each wait within it)


@dataclass(frozen=True)
class SmtpSettings:
    host: str = ""
    port: int = 25
    security: str = "none"  # starttls, ssl or none
    user: str = ""
    password: str = ""
    sender: str = "pilotdash@localhost"


@dataclass(frozen=True)
class Settings:
    smtp: SmtpSettings = field(default_factory=SmtpSettings)
    base_url: str = "http://localhost:8501"


def load_settings(path: Path | str | None = None) -> Settings:
    section = config.section("pilotdash", path)
    smtp = section.get("smtp", {}) or {}
    known = {k: smtp[k] for k in ("host", "port", "security", "user", "password", "sender") if k in smtp}
    if "port" in known:
        known["port"] = int(known["port"])
    return Settings(SmtpSettings(**known), str(section.get("base_url", Settings.base_url)).rstrip("/"))


def backoff(attempts: int) -> dt.timedelta:
    """How long after the `attempts`-th failure the next attempt is made."""
    return min(BACKOFF_FIRST * (2 ** max(attempts - 1, 0)), BACKOFF_MAX)


# Messages ---------------------------------------------------------------------------------------


def link(settings: Settings, warning_id: int, lang: str) -> str:
    query = {"warning": str(warning_id), "wstate": "all"}
    if lang != "zh":
        query["lang"] = lang
    return page_url("warnings", query, settings.base_url)


def trigger_words(n: dict, lang: str) -> str:
    kind, tid = n["trigger_kind"], n["trigger_id"]
    if kind == "project" or not tid:
        return t("warn.trigger.project", lang)
    if kind == "budget_line":
        year, source, category = (tid.split("/") + ["", "", ""])[:3]
        return t(
            "warn.trigger.budget_line",
            lang,
            year=year,
            source=label("source", source, lang),
            category=label("budget_category", category, lang),
        )
    return t(f"warn.trigger.{kind}", lang, id=tid)


def message(n: dict, settings: Settings, shown: Callable[[object], str] = str) -> tuple[str, str, str]:
    """(subject, plain text, link) of a notice, in the subscriber's language; the pilot's words
    (anyone's text) through `shown` (`markdown.robot_text` for a robot's Markdown)."""
    lang = n["lang"]
    name = shown(
        n["name_en"] if lang == "en" and isinstance(n.get("name_en"), str) and n["name_en"] else n["name_zh"]
    )
    level = label("warning_level", n["notice_level"], lang)
    condition = label("warning_condition", n["condition"], lang)
    subject = t(
        f"warn.msg.subject.{n['event']}",
        lang,
        level=level,
        project=shown(n["project_id"]),
        name=name,
        condition=condition,
    )
    url = link(settings, int(n["warning_id"]), lang)
    respond_by = fmt_datetime(n["respond_by"], lang) if n.get("respond_by") is not None else "—"
    values = dict(
        level=level,
        project=shown(n["project_id"]),
        name=name,
        condition=condition,
        trigger=shown(trigger_words(n, lang)),
        raised=fmt_date(str(n["raised_on"])[:10], lang),
        respond=respond_by,
        owner=shown(n.get("owner") or "—"),
        link=url,
    )
    body = "\n".join(
        t(f"warn.msg.{line}", lang, **values) for line in ("pilot", "condition", "raised", "owner", "link")
    )
    return subject, body, url


def email_message(n: dict, settings: Settings) -> EmailMessage:
    subject, body, url = message(n, settings)
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = settings.smtp.sender
    msg["To"] = n["email"]
    msg["Content-Language"] = "zh-CN" if n["lang"] == "zh" else "en"
    msg.set_content(body)
    import html

    lines = "".join(f"<p>{html.escape(line)}</p>" for line in body.splitlines() if line.strip())
    msg.add_alternative(
        f'<html><body>{lines}<p><a href="{html.escape(url)}">{html.escape(url)}</a></p></body></html>',
        subtype="html",
    )
    return msg


def webhook_payload(
    kind: str, n: dict, settings: Settings, secret: str | None = None, now_ms: int | None = None
) -> tuple[str, dict]:
    """(query string to add to the robot's address, JSON body) in the robot's message format.
    In the Markdown of 企业微信 and 钉钉 the pilot's words are text (`markdown.robot_text`)."""
    subject, body, url = message(n, settings, robot_text if kind in ("wecom", "dingtalk") else str)
    text = f"### {subject}\n\n" + "\n\n".join(line for line in body.splitlines() if line.strip())
    if kind == "wecom":
        return "", {"msgtype": "markdown", "markdown": {"content": text}}
    if kind == "dingtalk":
        query = ""
        if secret:
            stamp = str(now_ms if now_ms is not None else int(time.time() * 1000))
            sign = base64.b64encode(
                hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
            )
            query = urllib.parse.urlencode({"timestamp": stamp, "sign": sign.decode()})
        return query, {"msgtype": "markdown", "markdown": {"title": subject, "text": text}}
    if kind == "feishu":
        payload: dict = {"msg_type": "text", "content": {"text": f"{subject}\n{body}"}}
        if secret:
            stamp = str(int((now_ms if now_ms is not None else time.time() * 1000) // 1000))
            sign = base64.b64encode(hmac.new(f"{stamp}\n{secret}".encode(), b"", hashlib.sha256).digest())
            payload = {"timestamp": stamp, "sign": sign.decode(), **payload}
        return "", payload
    raise ValueError(kind)


# Sending ----------------------------------------------------------------------------------------


# Why a notice was not delivered is a Problem with a fixed reason (warn.deliv.<reason>) and the
# HTTP status when there was one. Never the receiver's own words: whoever runs the receiver writes
# them, and they would be stored and shown on the Warnings page.


def _failed(reason: str, status: int | None = None) -> Problem:
    return Problem(f"{receivers.DELIVERING}.{reason}", **({} if status is None else {"status": status}))


def stored_error(error: Problem) -> str:
    """A failure as `last_error` keeps it: "reason" or "reason:status" (the form rows already
    stored have), read back by `error_words`."""
    reason = error.code.removeprefix(f"{receivers.DELIVERING}.")
    return reason if "status" not in error.values else f"{reason}:{error.values['status']}"


def error_words(stored: str | None, lang: str) -> str:
    """A stored `last_error` ("code" or "code:status") in words."""
    if not stored:
        return ""
    code, _, status = stored.partition(":")
    key = f"warn.deliv.{code}" if code in DELIVERY_ERRORS else "warn.deliv.failed"
    return t(key, lang, status=status)


DELIVERY_ERRORS = ("no_smtp", "smtp_failed", "webhook_url", "webhook_host", "webhook_https",
                   "webhook_private", "unresolved", "unreachable", "timeout", "redirect", "http_status",
                   "refused", "failed")


def send_email(settings: Settings, msg: EmailMessage) -> None:
    s = settings.smtp
    if not s.host:
        raise _failed("no_smtp")
    try:
        if s.security == "ssl":
            server = smtplib.SMTP_SSL(s.host, s.port, timeout=TIMEOUT, context=ssl.create_default_context())
        else:
            server = smtplib.SMTP(s.host, s.port, timeout=TIMEOUT)
        with server:
            if s.security == "starttls":
                server.starttls(context=ssl.create_default_context())
            if s.user:
                server.login(s.user, s.password)
            server.send_message(msg)
    except TimeoutError as exc:
        raise _failed("timeout") from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise _failed("smtp_failed") from exc


def _shut(conn: http.client.HTTPConnection) -> None:
    """End a connection another thread is waiting on (its wait then fails at once)."""
    sock = conn.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def send_webhook(url: str, query: str, payload: dict, kind: str | None = None,
                 allowed: receivers.Receivers | None = None) -> None:
    """POST the payload to a checked address: its host allowed, every address it resolves to now
    public, the connection made to the address checked; a redirect is a failure, not followed."""
    allowed = receivers.configured() if allowed is None else allowed
    if query:
        url = url + ("&" if urllib.parse.urlsplit(url).query else "?") + query
    try:
        address = receivers.check_url(url, kind, allowed, receivers.DELIVERING)
        ips = receivers.resolve(address, allowed, receivers.DELIVERING)
    except OSError as exc:
        raise _failed("unresolved") from exc
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    conn = receivers.connection(address, ips[0], TIMEOUT)
    # TIMEOUT bounds each wait; a receiver trickling a byte at a time never waits that long, so
    # the whole exchange also has a deadline, after which its connection is cut.
    cut = threading.Event()
    deadline = threading.Timer(DEADLINE, lambda: (cut.set(), _shut(conn)))
    deadline.start()
    try:
        conn.request("POST", address.path, body=body,
                     headers={"Content-Type": "application/json; charset=utf-8"})
        response = conn.getresponse()
        status = response.status
        answer = response.read(ANSWER_LIMIT).decode("utf-8", errors="replace")
    except TimeoutError as exc:
        raise _failed("timeout") from exc
    except (OSError, http.client.HTTPException) as exc:
        raise _failed("timeout" if cut.is_set() else "unreachable") from exc
    finally:
        deadline.cancel()
        conn.close()
    if cut.is_set():  # a cut answer may still parse (to its end of file): it is not an answer
        raise _failed("timeout")
    if 300 <= status < 400:
        raise _failed("redirect", status)
    if not 200 <= status < 300:
        raise _failed("http_status", status)
    try:
        reply = json.loads(answer) if answer.strip() else {}
    except ValueError:
        reply = {}
    code = (
        reply.get("errcode", reply.get("code", reply.get("StatusCode", 0))) if isinstance(reply, dict) else 0
    )
    if code not in (0, None):
        raise _failed("refused", status)


@dataclass
class Delivered:
    sent: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    waiting: int = 0  # pending, not yet due


def _addresses(store: Store, subscription_ids: list[int]) -> dict[int, tuple]:
    rows = (
        store.rows(
            "SELECT subscription_id, webhook_url, webhook_secret FROM warning_subscriptions "
            "WHERE list_contains(?::INTEGER[], subscription_id)",
            [subscription_ids],
        )
    )
    return {r[0]: (r[1], r[2]) for r in rows}


_one_delivery = threading.Lock()


def deliver_due(store: Store, settings: Settings | None = None, now: dt.datetime | None = None) -> Delivered:
    """Try every pending notice whose next attempt is due; record each result. One delivery run at
    a time in a process (the store has one writing process), so no notice is sent twice."""
    with _one_delivery:
        return _deliver_due(store, settings, now)


def _receiver(n: dict, addresses: dict[int, tuple]) -> str:
    """Who receives a notice: the mail server, or the webhook's host and port."""
    if n["channel"] == "email":
        return "smtp"
    url = (addresses.get(int(n["subscription_id"])) or ("",))[0] or ""
    try:
        parts = urllib.parse.urlsplit(url)
        return f"{parts.hostname}:{parts.port}"
    except ValueError:
        return url


def _send(n: dict, settings: Settings, addresses: dict[int, tuple], allowed: receivers.Receivers) -> None:
    if n["channel"] == "email":
        send_email(settings, email_message(n, settings))
        return
    url, secret = addresses[int(n["subscription_id"])]
    query, payload = webhook_payload(n["webhook_kind"], n, settings, secret)
    send_webhook(url, query, payload, n["webhook_kind"], allowed)


def _send_to_one_receiver(notices: list[dict], settings: Settings, addresses: dict[int, tuple],
                          allowed: receivers.Receivers) -> list[tuple[int, Problem | None]]:
    """One receiver's notices in order. After a timeout or an unreachable receiver the rest wait
    for their next attempt untried: a dead receiver costs one timeout, not one per notice."""
    results: list[tuple[int, Problem | None]] = []
    down: Problem | None = None
    for n in notices:
        nid = int(n["notice_id"])
        if down is not None:
            results.append((nid, down))
            continue
        try:
            _send(n, settings, addresses, allowed)
            results.append((nid, None))
        except Problem as exc:  # every failure of sending is one, with its fixed reason
            results.append((nid, exc))
            if stored_error(exc) in ("timeout", "unreachable", "unresolved"):
                down = exc
        except (KeyError, ValueError):
            results.append((nid, _failed("failed")))
    return results


def _deliver_due(store: Store, settings: Settings | None, now: dt.datetime | None) -> Delivered:
    settings = settings or load_settings()
    allowed = receivers.configured()
    now = now or now_utc()
    pending = named_queries.run(store, "warnings_notices", {"pending": "yes"})
    due = pending[pending["next_attempt_at"] <= now]
    # only what the subscription's owner may see now (issue 19); the rest waits, never sent
    reach = subscriptions.within_owners(store, due)
    subscriptions.withhold(store, [int(i) for i in due.loc[~reach, "notice_id"]], now + BACKOFF_MAX)
    due = due[reach]
    result = Delivered(waiting=len(pending) - len(due))
    addresses = _addresses(store, [int(s) for s in due["subscription_id"].unique()])
    by_receiver: dict[str, list[dict]] = {}
    for n in due.to_dict("records"):
        by_receiver.setdefault(_receiver(n, addresses), []).append(n)
    # Receivers are sent to side by side, so a receiver that hangs holds up only its own notices;
    # each notice is in exactly one receiver's list, so it is still sent once. Each receiver's
    # results are written as soon as it is done (a crash later does not send them again).
    attempts = {int(n["notice_id"]): int(n["attempts"]) for n in due.to_dict("records")}
    if not by_receiver:
        return result
    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(by_receiver)),
                            thread_name_prefix="pilotdash-deliver") as pool:
        running = [pool.submit(_send_to_one_receiver, group, settings, addresses, allowed)
                   for group in by_receiver.values()]
        for finished in as_completed(running):
            for nid, error in finished.result():
                _record(store, nid, error, attempts[nid], now)
                (result.failed if error else result.sent).append(nid)
    return result


def _record(store: Store, nid: int, error: Problem | None, attempts: int, now: dt.datetime) -> None:
    with store.writing(data_change=False) as cur:
        if error is None:
            cur.execute(
                "UPDATE warning_notices SET status = 'sent', attempts = attempts + 1, sent_at = ?, "
                "last_error = NULL WHERE notice_id = ?",
                [now_utc(), nid],
            )
        else:
            cur.execute(
                "UPDATE warning_notices SET attempts = ?, next_attempt_at = ?, last_error = ? "
                "WHERE notice_id = ?",
                [attempts + 1, now + backoff(attempts + 1), stored_error(error), nid],
            )
