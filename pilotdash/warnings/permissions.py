"""Who may acknowledge or close a warning, or subscribe: the one function the access rules bind to.

Bound to the people's roles and scopes (issue 12, domain "Organisation and access"):
- acknowledge: a reviewer, or a submitter (the pilot's own unit or office), of a scope that holds
  the pilot;
- close: a reviewer of a scope that holds the pilot;
- subscribe: anyone signed in (an enabled person).
In single-user mode (no sign-in configured) the one user, a national admin, may do everything.
"""

from __future__ import annotations

from dataclasses import dataclass

from .. import scope

ACTIONS = ("acknowledge", "close", "subscribe")


class NotAllowed(Exception):
    code = "not_allowed"


@dataclass(frozen=True)
class Actor:
    name: str
    allowed: bool  # signed in and enabled
    single_user: bool
    person: object | None = None  # the pilotdash.people.Person acting
    visible: frozenset[str] | None = None  # the pilots of a narrower scope than national


def for_person(store, person) -> Actor:
    """The actor for `person` (None: signed out, unknown or disabled: may do nothing); the
    signed-in one's is `pilotdash.ui.sign_in.actor`."""
    if person is None:
        return Actor("", allowed=False, single_user=False)
    visible = None if person.scope.is_national else frozenset(scope.visible_projects(store, person.scope))
    return Actor(person.email, not person.disabled, person.single_user, person, visible)


def _holds(actor: Actor, project_id: str | None) -> bool:
    if actor.person is None:
        return False
    if actor.person.scope.is_national:
        return True
    return project_id is not None and actor.visible is not None and project_id in actor.visible


def allowed(actor: Actor, action: str, project_id: str | None = None) -> bool:
    if action not in ACTIONS:
        raise ValueError(action)
    if actor.single_user:
        return True
    if not (actor.name and actor.allowed and actor.person is not None):
        return False
    person = actor.person
    if action == "subscribe":
        return True
    if action == "acknowledge":
        return (person.may("reviewer") or person.may("submitter")) and _holds(actor, project_id)
    return person.may("reviewer") and _holds(actor, project_id)


def require(actor: Actor, action: str, project_id: str | None = None) -> str:
    """The actor's name for the history, or NotAllowed."""
    if not allowed(actor, action, project_id):
        raise NotAllowed(action)
    return actor.name
