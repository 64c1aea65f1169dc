"""Subscriptions to warnings: a person's (or a group robot's) by scope and minimum level, to e-mail
and/or a webhook. Stored in `warning_subscriptions`; matched to new and escalated warnings by the
ledger (`ledger._enqueue`), which queues one notice each.

Each subscription belongs to the person who made it (`owner`, their e-mail; `local:<user>` for the
CLI's local operator):
- its scope must lie within the owner's (a provincial person cannot subscribe to national, belt or
  another province's warnings): `policy.require(..., "subscribe", ...)`, answered by the scope;
- only the owner or an admin sees it (its address) and can end it (`visible`, `deactivate`);
- at EVERY delivery what is sent is limited to the owner's scope as it is then (`within_owners`
  for the notices, `owner_person` for the digest): a narrowed scope narrows the next delivery, a
  disabled owner gets nothing. A subscription made before owners were kept has none and sends
  nothing (an admin sees it and may end it; its person subscribes again).
Making and ending one are audited (`subscribe`, `unsubscribe`), refusals too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from .. import audit, people, policy
from ..domain import ENUMS
from ..errors import Problem
from ..reference import provinces
from ..scope import Scope, visible_projects
from ..store import Store
from . import receivers
from .ledger import now_utc

SCOPES = ("national", "belt", "province", "pilots")
WEBHOOKS = ("wecom", "dingtalk", "feishu")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CODE = re.compile(r"^[A-Za-z0-9_\-.]{1,64}$")
_LOCAL = "local:"  # the CLI's local operator (people.local_admin): whoever holds the store


def _error(code: str, **values: object) -> Problem:
    return Problem(f"warn.sub.err.{code}", **values)


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
    owner: str | None = None

    @property
    def scope(self) -> Scope:
        return as_scope(self.scope_kind, self.scope_codes)


def as_scope(kind: str, codes: Iterable[str]) -> Scope:
    """A subscription's scope as a person's scope: a belt is its provinces."""
    codes = tuple(codes)
    if kind == "belt":
        codes = tuple(c for c, row in provinces().items() if row["belt"] in codes)
    return policy.scope_of({"province": "provinces", "belt": "provinces", "pilots": "projects"}.get(kind, kind),
                           codes)


def own_scope(person, store: Store | None = None) -> tuple[str, tuple[str, ...]]:
    """A person's own scope as a subscription's (kind, codes): what the form offers first. A
    prefecture office's is the pilots of its cities, read from `store` (a subscription names
    provinces or pilots, not cities)."""
    if person is None or person.scope.is_national:
        return "national", ()
    if person.scope.kind == "cities":
        return "pilots", tuple(sorted(visible_projects(_base(store), person.scope))) if store is not None else ()
    return ("province" if person.scope.kind == "provinces" else "pilots"), person.scope.codes


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
        raise _error("name")
    if lang not in ("zh", "en"):
        raise _error("lang", value=lang)
    if scope_kind not in SCOPES:
        raise _error("scope_kind", value=scope_kind)
    codes = [c.strip() for c in scope_codes if c and c.strip()]
    if scope_kind == "national":
        codes = []
    elif not codes:
        raise _error("scope_codes", kind=scope_kind)
    for c in codes:
        if not _CODE.match(c) or (scope_kind == "belt" and c not in ENUMS["belt"]):
            raise _error("scope_code", value=c[:40])
    if min_level not in ENUMS["warning_level"]:
        raise _error("min_level", value=min_level)
    if not email and not webhook_url:
        raise _error("no_channel")
    if email and not _EMAIL.match(email):
        raise _error("email", value=email[:60])
    if webhook_url:
        if webhook_kind not in WEBHOOKS:
            raise _error("webhook_kind", value=str(webhook_kind))
        # the robot services' hosts or an administrator's, on public addresses (receivers.py)
        receivers.check_subscription(webhook_url, webhook_kind)
    return codes


def _base(store):
    return getattr(store, "base", store)


def add(
    store: Store,
    person,
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
    """A new subscription owned by `person` (a people.Person), whose scope must hold its scope."""
    store = _base(store)
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
            raise _error("unknown_codes", kind=scope_kind, codes=", ".join(missing[:5]))
    wanted = as_scope(scope_kind, codes)
    policy.require(store, person, "subscribe", policy.resource_for_scope(store, wanted),
                   what=f"{scope_kind}:{','.join(codes) or '*'}")
    with store.writing(data_change=False) as cur:
        # ids without a sequence or RETURNING (DuckLake has neither); writes are serialised
        new_id = cur.execute("SELECT coalesce(max(subscription_id), 0) + 1 FROM warning_subscriptions").fetchone()[0]
        cur.execute(
            "INSERT INTO warning_subscriptions (subscription_id, name, lang, scope_kind, scope_codes, min_level, "
            "email, webhook_kind, webhook_url, webhook_secret, created_at, active, owner) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true, ?)",
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
                person.email,
            ],
        )
        audit.record(cur, person.email, "subscribe", f"subscription #{new_id}", person.scope,
                     {"subscription_id": new_id, "scope_kind": scope_kind, "scope_codes": codes,
                      "min_level": min_level, "email": email, "webhook_kind": webhook_kind if webhook_url else None})
    return new_id


def deactivate(store: Store, person, subscription_id: int) -> bool:
    """End a subscription: its owner or an admin. True when ended; Problem warn.sub.no_such (audited
    as refused) when there is no such active one, and the same for one the person may not see (an
    address and an owner are shown to the owner and admins only)."""
    store = _base(store)
    what = f"subscription #{subscription_id}"
    found = store.rows("SELECT owner FROM warning_subscriptions WHERE subscription_id = ? AND active",
                       [subscription_id])
    if not found or not policy.allowed(person, "unsubscribe", policy.Resource(owner=found[0][0])):
        raise policy.refuse_unseen(store, person, "unsubscribe", what, "outside_scope" if found else "not_found",
                                   "warn.sub.no_such", subscription_id=subscription_id)
    with store.writing(data_change=False) as cur:
        live = cur.execute(
            "SELECT count(*) FROM warning_subscriptions WHERE subscription_id = ? AND active", [subscription_id]
        ).fetchone()[0]
        if live:
            cur.execute("UPDATE warning_subscriptions SET active = false WHERE subscription_id = ?", [subscription_id])
            audit.record(cur, person.email, "unsubscribe", what, person.scope,
                         {"subscription_id": subscription_id, "owner": found[0][0]})
    if not live:  # ended by someone else meanwhile
        raise policy.refuse_unseen(store, person, "unsubscribe", what, "not_found", "warn.sub.no_such",
                                   subscription_id=subscription_id)
    return True


def list_all(store: Store) -> list[Subscription]:
    """Every subscription (for delivery; a person sees `visible`)."""
    rows = _base(store).rows(
        "SELECT subscription_id, name, lang, scope_kind, scope_codes, min_level, email, webhook_kind, webhook_url, "
        "active, owner FROM warning_subscriptions ORDER BY subscription_id"
    )
    return [Subscription(r[0], r[1], r[2], r[3], tuple(r[4] or ()), *r[5:]) for r in rows]


def visible(store: Store, person) -> list[Subscription]:
    """The subscriptions `person` may see (with their addresses) and end: their own; an admin's,
    every one."""
    return [s for s in list_all(store) if policy.allowed(person, "unsubscribe", policy.Resource(owner=s.owner))]


# Delivery: the owner's scope as it is now ----------------------------------------------------------


def owner_person(store: Store, owner: str | None):
    """Who a subscription delivers for, as they are now: the enabled person of that e-mail, the
    local operator (national) for a `local:` owner, else None (nothing is sent)."""
    if not owner:
        return None
    if owner.startswith(_LOCAL):
        return people.Person(owner, owner[len(_LOCAL):], Scope.national(), frozenset(people.ROLES), single_user=True)
    person = people.find(_base(store), owner)
    return person if person is not None and not person.disabled else None


def within_owners(store: Store, notices: pd.DataFrame) -> pd.Series:
    """For each notice (`warnings_notices` rows: subscription_id, project_id), whether its pilot lies
    within its subscription's owner's scope now."""
    if notices.empty:
        return pd.Series([], dtype=bool, index=notices.index)
    base = _base(store)
    ids = [int(i) for i in notices["subscription_id"].unique()]
    owners = dict(base.rows("SELECT subscription_id, owner FROM warning_subscriptions "
                            "WHERE list_contains(?::INTEGER[], subscription_id)", [ids]))
    reach: dict[int, set[str] | None] = {}  # None: national
    for sid in ids:
        person = owner_person(base, owners.get(sid))
        if person is None:
            reach[sid] = set()
        else:
            reach[sid] = None if person.scope.is_national else visible_projects(base, person.scope)
    return pd.Series(
        [reach[int(s)] is None or str(p) in reach[int(s)] for s, p in zip(notices["subscription_id"], notices["project_id"])],
        index=notices.index, dtype=bool,
    )


def withhold(store: Store, notice_ids: list[int], retry_at: dt.datetime) -> None:
    """Notices outside their owner's scope now: not sent; looked at again at `retry_at` (the scope
    may be widened back), never dropped."""
    if not notice_ids:
        return
    with _base(store).writing(data_change=False) as cur:
        cur.execute(
            "UPDATE warning_notices SET next_attempt_at = ?, last_error = ? "
            "WHERE list_contains(?::INTEGER[], notice_id)",
            [retry_at, "withheld: the pilot is outside the subscription owner's scope", [int(i) for i in notice_ids]],
        )
