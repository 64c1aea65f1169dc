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
    own_or_scope  the resource's owner (with any of the roles), or one with the rule's LAST role
                  whose scope holds it (a saved view to see; a submission to re-check: its
                  submitter, or a reviewer of its rows)

Whether a resource lies within a scope is the scope's own answer (`Scope.holds`, `Scope.contains`
in pilotdash/scope.py): a pilot by its id, province or city, a scope (a subscription's, a
submission's rows) by its codes and, for a pilots scope, its pilots' provinces and cities. `resource_for_project` and `resource_for_scope` read what that needs from the
whole store.

The actor is always a `people.Person`: a signed-in person, the single user of a dashboard without
sign-in, or the local operator of the CLI (`people.for_cli`: `--as EMAIL` or the OS user, never
free text). A disabled person may do nothing.

A refusal is `errors.Problem("access.not_allowed", action=...)`, and `require` leaves one audit
entry marked refused (its own small write, so it stays when the caller's write is refused: call
`require` before, never inside, the write it guards); what an action did is recorded with
`audit.record` in the same write as the change. Most actions are recorded under their own name;
an upload applied without review is recorded as `apply`, a re-check as `submit` (the file again).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from . import audit
from .errors import Problem
from .scope import Scope


@dataclass(frozen=True)
class Rule:
    roles: tuple[str, ...]
    where: str  # anywhere | in_scope | national | owner | own_or_scope


@dataclass(frozen=True)
class Resource:
    """What an action is done to, as far as the policy needs to know it."""

    project_id: str | None = None
    province_code: str | None = None
    city_code: str | None = None
    owner: str | None = None  # the e-mail of whoever owns it (a subscription, a saved view, ...)
    scope: Scope | None = None  # the scope it covers (a subscription's, a saved view's filters)
    provinces: tuple[str, ...] | None = None  # for a pilots `scope`: the provinces of all its pilots
    cities: tuple[str, ...] | None = None  # for a pilots `scope`: the cities of all its pilots (None: one has none)


_ANY = ("viewer",)
ACTIONS: dict[str, Rule] = {
    "read": Rule(_ANY, "anywhere"),
    "export": Rule(_ANY, "anywhere"),
    # an upload's rows are checked one by one against the scope (ingest.validate.scope_rules)
    "upload": Rule(("submitter",), "anywhere"),
    "submit": Rule(("submitter",), "anywhere"),
    "withdraw": Rule(("submitter",), "owner"),
    "recheck": Rule(("submitter", "reviewer"), "own_or_scope"),  # own: its submitter; else a reviewer
    "approve": Rule(("reviewer",), "in_scope"),
    "reject": Rule(("reviewer",), "in_scope"),
    "rollback": Rule(("reviewer",), "in_scope"),
    "acknowledge": Rule(("submitter", "reviewer"), "in_scope"),
    "close": Rule(("reviewer",), "in_scope"),
    "subscribe": Rule(_ANY, "in_scope"),
    "unsubscribe": Rule(_ANY, "owner"),
    "view_read": Rule(_ANY, "own_or_scope"),
    "view_save": Rule(_ANY, "anywhere"),
    "view_rename": Rule(_ANY, "owner"),
    "view_delete": Rule(_ANY, "owner"),
    "people_manage": Rule(("admin",), "anywhere"),
    "audit_read": Rule(("admin",), "anywhere"),
    "build": Rule(("admin",), "national"),
    # assessment 考核评价 (pilotdash/assessment/permissions.py): who may give which scores, per row
    "score_self": Rule(("submitter",), "in_scope"),
    "score_department": Rule(("reviewer",), "in_scope"),
    "score_third_party": Rule(("reviewer",), "in_scope"),
    "assessment_scheme": Rule(("reviewer",), "national"),
    "issue_resolve": Rule(("submitter",), "in_scope"),
    "issue_sign_off": Rule(("reviewer",), "in_scope"),
    # a report mailed to every subscriber (report deviation --send): the national office's act
    "report_send": Rule(("reviewer",), "national"),
}


def _within(person_scope: Scope, resource: Resource) -> bool:
    """Whether the resource lies within `person_scope` (the scope's own answer)."""
    if resource.scope is not None:
        return person_scope.contains(resource.scope, resource.provinces, resource.cities)
    return person_scope.holds(resource.project_id, resource.province_code, resource.city_code)


def _owns(person, resource: Resource) -> bool:
    owner = (resource.owner or "").strip().lower()
    return bool(owner) and owner == person.email.strip().lower()


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
        return person.may("admin") or _owns(person, resource)
    if rule.where == "own_or_scope":
        return _owns(person, resource) or (person.may(rule.roles[-1]) and _within(person.scope, resource))
    return _within(person.scope, resource)


def sees(person, resource: Resource) -> bool:
    """Whether `resource` lies within what `person` reads (their scope): whether they may be told
    that it exists at all. What they may not see is answered as if it were not there
    (`refuse_unseen`)."""
    if person is None or person.disabled:
        return False
    return person.single_user or _within(person.scope, resource)


def refuse(
    store_or_writer, person, action: str, what: str = "", code: str = "access.not_allowed", **values: object
) -> Problem:
    """One audit entry marked refused, and the Problem to raise (`code`: for a refusal by a rule
    the policy cannot see, e.g. a reviewer's own submission)."""
    who = person.email if person is not None else "anonymous"
    scope = person.scope if person is not None else None
    # `what` may carry a person's input (a file's name, a view's name): bounded, stored as text only
    audit.record(store_or_writer, who, action, str(what or action)[:200], scope, refused=True)
    return Problem(code, **({"action": action} if code == "access.not_allowed" else values))


def refuse_unseen(store_or_writer, person, action: str, what: str, because: str, code: str,
                  **values: object) -> Problem:
    """One audit entry marked refused, and the Problem for something that does not exist (`code`,
    e.g. "no such submission"): the same answer for something there that `person` may not see, so
    that trying ids cannot find out what exists outside one's scope. Only the audit entry says
    which it was (`because`: "not_found" or "outside_scope"): admins alone read the audit log."""
    who = person.email if person is not None else "anonymous"
    scope = person.scope if person is not None else None
    audit.record(store_or_writer, who, action, str(what or action)[:200], scope, {"because": because},
                 refused=True)
    return Problem(code, **values)


def require(store_or_writer, person, action: str, resource: Resource | None = None, what: str = "") -> None:
    """Nothing when `person` may do `action`; otherwise one audit entry marked refused and
    Problem("access.not_allowed"), or "access.needs_role" (naming the role) when the person holds
    none of the action's roles. Call it before the write it guards (see the module's text)."""
    if allowed(person, action, resource):
        return
    roles = ACTIONS[action].roles
    if person is not None and not person.disabled and not any(person.may(r) for r in roles):
        raise refuse(store_or_writer, person, action, what, "access.needs_role", role=" or ".join(roles))
    raise refuse(store_or_writer, person, action, what)


# Resources read from the store --------------------------------------------------------------------


def _base(store):
    """The whole store: where a pilot lies is a fact, not a matter of the asker's scope."""
    return getattr(store, "base", store)


def resource_for_project(store, project_id: str | None, owner: str | None = None) -> Resource:
    """A pilot as a resource: its province and city from the store (none for an unknown pilot,
    which then lies within a national scope only)."""
    if project_id is None:
        return Resource(owner=owner)
    rows = _rows(store, "SELECT province_code, city_code FROM projects WHERE project_id = ?", [str(project_id)])
    province, city = rows[0] if rows else (None, None)
    return Resource(project_id=str(project_id), province_code=province, city_code=city, owner=owner)


def resource_for_scope(store, scope: Scope, owner: str | None = None) -> Resource:
    """A scope as a resource (a subscription's, a submission's rows, a saved view's filters): for a
    pilots scope the provinces and the cities of its pilots, read from the store (an unknown pilot:
    none, so it lies within a national scope only; a pilot with no city: within no cities scope)."""
    provinces: tuple[str, ...] | None = None
    cities: tuple[str, ...] | None = None
    if scope.kind == "projects":
        rows = _rows(store, "SELECT project_id, province_code, city_code FROM projects "
                     "WHERE list_contains(?, project_id)", [list(scope.codes)])
        if {r[0] for r in rows} == set(scope.codes):
            provinces = tuple(sorted({r[1] for r in rows if r[1]}))
            cities = tuple(sorted({r[2] for r in rows})) if all(r[2] for r in rows) else None
    return Resource(scope=scope, provinces=provinces, cities=cities, owner=owner)


def scope_of(kind: str, codes: Iterable[str]) -> Scope:
    """A Scope from a kind and codes that may be empty (a submission touching no pilot: national)."""
    codes = tuple(codes)
    return Scope(kind, codes) if kind != "national" and codes else Scope.national()


def _rows(store, sql: str, params: list) -> list[tuple]:
    if hasattr(store, "rows"):
        return _base(store).rows(sql, params)
    return store.execute(sql, params).fetchall()  # a Reader/Writer inside a block
