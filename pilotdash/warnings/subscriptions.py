"""Subscriptions to warnings: a person (or a group robot) by scope and minimum level, to e-mail
and/or a webhook. Stored in `warning_subscriptions`; matched to new and escalated warnings by the
ledger (`ledger._enqueue`), which queues one notice each."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..domain import ENUMS
from ..store import Store
from . import receivers
from .ledger import now_utc
from .permissions import Actor, require

SCOPES = ("national", "belt", "province", "pilots")
WEBHOOKS = ("wecom", "dingtalk", "feishu")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CODE = re.compile(r"^[A-Za-z0-9_\-.]{1,64}$")


class SubscriptionError(ValueError):
    """What is wrong with a subscription; `code` names warn.sub.err.<code>."""

    def __init__(self, code: str, **values: object):
        super().__init__(code, values)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Subscription:
    subscription_id: int
    name: str
    lang: str
    scope_kind: str
    scope_codes: tuple[str, ...]
    min_level: str
    email: str | None
    webhook_kind: str | None
    webhook_url: str | None
    active: bool


def validate(
    name: str,
    lang: str,
    scope_kind: str,
    scope_codes: list[str],
    min_level: str,
    email: str | None,
    webhook_kind: str | None,
    webhook_url: str | None,
) -> list[str]:
    name = (name or "").strip()
    if not 1 <= len(name) <= 80:
        raise SubscriptionError("name")
    if lang not in ("zh", "en"):
        raise SubscriptionError("lang", value=lang)
    if scope_kind not in SCOPES:
        raise SubscriptionError("scope_kind", value=scope_kind)
    codes = [c.strip() for c in scope_codes if c and c.strip()]
    if scope_kind == "national":
        codes = []
    elif not codes:
        raise SubscriptionError("scope_codes", kind=scope_kind)
    for c in codes:
        if not _CODE.match(c) or (scope_kind == "belt" and c not in ENUMS["belt"]):
            raise SubscriptionError("scope_code", value=c[:40])
    if min_level not in ENUMS["warning_level"]:
        raise SubscriptionError("min_level", value=min_level)
    if not email and not webhook_url:
        raise SubscriptionError("no_channel")
    if email and not _EMAIL.match(email):
        raise SubscriptionError("email", value=email[:60])
    if webhook_url:
        if webhook_kind not in WEBHOOKS:
            raise SubscriptionError("webhook_kind", value=str(webhook_kind))
        try:  # the robot services' hosts or an administrator's, on public addresses (receivers.py)
            receivers.check_subscription(webhook_url, webhook_kind)
        except receivers.AddressRefused as exc:
            raise SubscriptionError(exc.code) from exc
    return codes


def add(
    store: Store,
    actor: Actor,
    name: str,
    *,
    lang: str = "zh",
    scope_kind: str = "national",
    scope_codes: list[str] | None = None,
    min_level: str = "orange",
    email: str | None = None,
    webhook_kind: str | None = None,
    webhook_url: str | None = None,
    webhook_secret: str | None = None,
    now: dt.datetime | None = None,
) -> int:
    require(actor, "subscribe")
    email = (email or "").strip() or None
    webhook_url = (webhook_url or "").strip() or None
    codes = validate(name, lang, scope_kind, scope_codes or [], min_level, email, webhook_kind, webhook_url)
    if scope_kind == "province" or scope_kind == "pilots":
        table, column = (
            ("provinces", "province_code") if scope_kind == "province" else ("projects", "project_id")
        )
        known = {
            r[0]
            for r in store.rows(f"SELECT {column} FROM {table} WHERE list_contains(?::VARCHAR[], {column})", [codes])
        }
        missing = [c for c in codes if c not in known]
        if missing:
            raise SubscriptionError("unknown_codes", kind=scope_kind, codes=", ".join(missing[:5]))
    with store.writing(data_change=False) as cur:
        # ids without a sequence or RETURNING (DuckLake has neither); writes are serialised
        new_id = cur.execute("SELECT coalesce(max(subscription_id), 0) + 1 FROM warning_subscriptions").fetchone()[0]
        cur.execute(
            "INSERT INTO warning_subscriptions (subscription_id, name, lang, scope_kind, scope_codes, min_level, "
            "email, webhook_kind, webhook_url, webhook_secret, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                new_id,
                name.strip(),
                lang,
                scope_kind,
                codes,
                min_level,
                email,
                webhook_kind if webhook_url else None,
                webhook_url,
                (webhook_secret or None) if webhook_url else None,
                now or now_utc(),
            ],
        )
    return new_id


def deactivate(store: Store, actor: Actor, subscription_id: int) -> bool:
    require(actor, "subscribe")
    with store.writing(data_change=False) as cur:
        live = cur.execute(
            "SELECT count(*) FROM warning_subscriptions WHERE subscription_id = ? AND active", [subscription_id]
        ).fetchone()[0]
        if live:
            cur.execute("UPDATE warning_subscriptions SET active = false WHERE subscription_id = ?", [subscription_id])
    return bool(live)


def list_all(store: Store) -> list[Subscription]:
    rows = (
        store.rows(
            "SELECT subscription_id, name, lang, scope_kind, scope_codes, min_level, email, webhook_kind, webhook_url, "
            "active FROM warning_subscriptions ORDER BY subscription_id"
        )
    )
    return [Subscription(r[0], r[1], r[2], r[3], tuple(r[4] or ()), *r[5:]) for r in rows]
