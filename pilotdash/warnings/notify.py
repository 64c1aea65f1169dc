"""Delivering the notices of new and escalated warnings: e-mail by SMTP, and the group-robot
webhooks of 企业微信 (WeCom), 钉钉 (DingTalk, signed with its secret) and 飞书 (Feishu/Lark).

Each notice (one per subscription, channel, warning and event; see `ledger._enqueue`) is sent
once. A failed attempt stays pending with the error, and is tried again after a back-off (1 min,
doubling, at most 6 h); nothing is dropped. Sending happens outside every transaction: each
result is written in its own short one afterwards, so a slow or dead receiver never holds a lock
an upload needs.

Settings come from configuration: `[pilotdash.smtp]` (host, port, security = "starttls" | "ssl" |
"none", user, password, sender) and `[pilotdash] base_url` (for the links) in
`.streamlit/secrets.toml`, or the file named by PILOTDASH_CONFIG (read by `pilotdash.config`).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import os
import smtplib
import ssl
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path

from .. import config, named_queries
from ..filters import page_url
from ..i18n import fmt_date, fmt_datetime, label, t
from ..store import Store
from . import subscriptions
from .ledger import now_utc

BACKOFF_FIRST = dt.timedelta(minutes=1)
BACKOFF_MAX = dt.timedelta(hours=6)
TIMEOUT = 10  # seconds per attempt


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


def message(n: dict, settings: Settings) -> tuple[str, str, str]:
    """(subject, plain text, link) of a notice, in the subscriber's language."""
    lang = n["lang"]
    name = (
        n["name_en"] if lang == "en" and isinstance(n.get("name_en"), str) and n["name_en"] else n["name_zh"]
    )
    level = label("warning_level", n["notice_level"], lang)
    condition = label("warning_condition", n["condition"], lang)
    subject = t(
        f"warn.msg.subject.{n['event']}",
        lang,
        level=level,
        project=n["project_id"],
        name=name,
        condition=condition,
    )
    url = link(settings, int(n["warning_id"]), lang)
    respond_by = fmt_datetime(n["respond_by"], lang) if n.get("respond_by") is not None else "—"
    values = dict(
        level=level,
        project=n["project_id"],
        name=name,
        condition=condition,
        trigger=trigger_words(n, lang),
        raised=fmt_date(str(n["raised_on"])[:10], lang),
        respond=respond_by,
        owner=n.get("owner") or "—",
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
    """(query string to add to the robot's address, JSON body) in the robot's message format."""
    subject, body, url = message(n, settings)
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


class DeliveryError(Exception):
    pass


def send_email(settings: Settings, msg: EmailMessage) -> None:
    s = settings.smtp
    if not s.host:
        raise DeliveryError("no SMTP host configured ([pilotdash.smtp] host)")
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
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(f"SMTP {s.host}:{s.port}: {exc}") from exc


def send_webhook(url: str, query: str, payload: dict) -> None:
    if query:
        url = url + ("&" if urllib.parse.urlsplit(url).query else "?") + query
    request = urllib.request.Request(
        url,
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
            answer = response.read().decode("utf-8", errors="replace")
    except (OSError, urllib.error.URLError) as exc:
        raise DeliveryError(f"webhook {urllib.parse.urlsplit(url).netloc}: {exc}") from exc
    try:
        reply = json.loads(answer) if answer.strip() else {}
    except ValueError:
        reply = {}
    code = (
        reply.get("errcode", reply.get("code", reply.get("StatusCode", 0))) if isinstance(reply, dict) else 0
    )
    if code not in (0, None):
        raise DeliveryError(f"webhook refused: {answer[:200]}")


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
    """Try every pending notice whose next attempt is due; record each result. One delivery at a
    time in a process (the store has one writing process), so no notice is sent twice."""
    with _one_delivery:
        return _deliver_due(store, settings, now)


def _deliver_due(store: Store, settings: Settings | None, now: dt.datetime | None) -> Delivered:
    settings = settings or load_settings()
    now = now or now_utc()
    pending = named_queries.run(store, "warnings_notices", {"pending": "yes"})
    due = pending[pending["next_attempt_at"] <= now]
    # only what the subscription's owner may see now (issue 19); the rest waits, never sent
    reach = subscriptions.within_owners(store, due)
    subscriptions.withhold(store, [int(i) for i in due.loc[~reach, "notice_id"]], now + BACKOFF_MAX)
    due = due[reach]
    result = Delivered(waiting=len(pending) - len(due))
    addresses = _addresses(store, [int(s) for s in due["subscription_id"].unique()])
    for n in due.to_dict("records"):
        nid = int(n["notice_id"])
        try:
            if n["channel"] == "email":
                send_email(settings, email_message(n, settings))
            else:
                url, secret = addresses[int(n["subscription_id"])]
                query, payload = webhook_payload(n["webhook_kind"], n, settings, secret)
                send_webhook(url, query, payload)
        except (DeliveryError, KeyError, ValueError) as exc:
            attempts = int(n["attempts"]) + 1
            with store.writing(data_change=False) as cur:
                cur.execute(
                    "UPDATE warning_notices SET attempts = ?, next_attempt_at = ?, last_error = ? "
                    "WHERE notice_id = ?",
                    [attempts, now + backoff(attempts), str(exc)[:500], nid],
                )
            result.failed.append(nid)
            continue
        with store.writing(data_change=False) as cur:
            cur.execute(
                "UPDATE warning_notices SET status = 'sent', attempts = attempts + 1, sent_at = ?, "
                "last_error = NULL WHERE notice_id = ?",
                [now_utc(), nid],
            )
        result.sent.append(nid)
    return result
