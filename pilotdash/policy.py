"""Who may do what: every action declared once, every check one call (issue 19).

    policy.allowed(person, "approve", policy.Resource(project_id="P001", province_code="11"))
    policy.require(store, person, "approve", resource, what="submission 7")   # Problem or nothing

An action is one line of `ACTIONS`: the roles that may do it (any one of them) and where it
applies. A new action is one more line; nothing else asks who may do what.

Where an action applies:
    anywhere      the person's roles decide alone (reading, subscribing: what is read or sent is
                  limited by the scope elsewhere: the store boundary, the subscription's scope)
    in_scope      the resource (a pilot, a province, a scope) must lie within the person's scope
    national      only a national scope (reference data, schemes, the whole store)
    owner         the resource's owner, or an admin

The actor is always a `people.Person`: a signed-in person, the single user of a dashboard without
sign-in, or the local operator of the CLI (`people.for_cli`: `--as EMAIL` or the OS user, never
free text). A disabled person may do nothing.

A refusal is `errors.Problem("access.not_allowed", action=...)`, and `require` leaves one audit
entry marked refused; what an action did is recorded with `audit.record` in the same write.
"""

from __future__ import annotations

from dataclasses import dataclass

from . import audit
from .errors import Problem
from .scope import Scope


@dataclass(frozen=True)
class Rule:
    roles: tuple[str, ...]
    where: str  # anywhere | in_scope | national | owner


@dataclass(frozen=True)
class Resource:
    """What an action is done to, as far as the policy needs to know it."""

    project_id: str | None = None
    province_code: str | None = None
    city_code: str | None = None
    owner: str | None = None  # the e-mail of whoever owns it (a subscription, a saved view, ...)
    scope: Scope | None = None  # the scope it covers (a subscription's, a saved view's filters)


_ANY = ("viewer",)
ACTIONS: dict[str, Rule] = {
    "read": Rule(_ANY, "anywhere"),
    "export": Rule(_ANY, "anywhere"),
    "upload": Rule(("submitter",), "in_scope"),
    "submit": Rule(("submitter",), "in_scope"),
    "withdraw": Rule(("submitter",), "owner"),
    "approve": Rule(("reviewer",), "in_scope"),
    "reject": Rule(("reviewer",), "in_scope"),
    "rollback": Rule(("reviewer",), "in_scope"),
    "acknowledge": Rule(("submitter", "reviewer"), "in_scope"),
    "close": Rule(("reviewer",), "in_scope"),
    "subscribe": Rule(_ANY, "in_scope"),
    "unsubscribe": Rule(_ANY, "owner"),
    "view_rename": Rule(_ANY, "owner"),
    "view_delete": Rule(_ANY, "owner"),
    "people_manage": Rule(("admin",), "anywhere"),
    "audit_read": Rule(("admin",), "anywhere"),
    "build": Rule(("admin",), "national"),
}


def _within(person_scope: Scope, resource: Resource) -> bool:
    """Whether the resource lies within `person_scope`. A resource that names no place lies within
    a national scope only."""
    if person_scope.is_national:
        return True
    if resource.scope is not None:
        inner = resource.scope
        if inner.is_national or inner.kind != person_scope.kind:
            # a narrower kind inside a wider one is resolved by the caller into a project or
            # province resource; different kinds are never assumed to nest here
            return False
        return set(inner.codes) <= set(person_scope.codes)
    if person_scope.kind == "provinces":
        return resource.province_code is not None and resource.province_code in person_scope.codes
    if person_scope.kind == "projects":
        return resource.project_id is not None and resource.project_id in person_scope.codes
    if person_scope.kind == "cities":
        return resource.city_code is not None and resource.city_code in person_scope.codes
    return False


def allowed(person, action: str, resource: Resource | None = None) -> bool:
    """Whether `person` (a people.Person, or None for nobody) may do `action` to `resource`."""
    rule = ACTIONS.get(action)
    if rule is None:
        raise ValueError(f"unknown action {action!r}; actions are {', '.join(ACTIONS)}")
    if person is None or person.disabled:
        return False
    if person.single_user:
        return True
    if not any(person.may(role) for role in rule.roles):
        return False
    resource = resource or Resource()
    if rule.where == "anywhere":
        return True
    if rule.where == "national":
        return person.scope.is_national
    if rule.where == "owner":
        owner = (resource.owner or "").strip().lower()
        return person.may("admin") or (bool(owner) and owner == person.email.strip().lower())
    return _within(person.scope, resource)


def require(store_or_writer, person, action: str, resource: Resource | None = None, what: str = "") -> None:
    """Nothing when `person` may do `action`; otherwise one audit entry marked refused and
    Problem("access.not_allowed"). Pass the Writer when inside a write."""
    if allowed(person, action, resource):
        return
    who = person.email if person is not None else "anonymous"
    scope = person.scope if person is not None else None
    audit.record(store_or_writer, who, action, what or action, scope, {"refused": True})
    raise Problem("access.not_allowed", action=action)
