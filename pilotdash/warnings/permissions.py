"""Who may acknowledge or close a warning: the one function the access rules bind to.

In single-user mode (no sign-in configured) the one user may do everything. With sign-in, the
people allowed to change the data (`access.current().allowed`) may; the organisation issue binds
this to roles and scopes (acknowledge: the owner's unit or a reviewer of the pilot's scope;
close: a reviewer) by replacing `allowed` only.
"""

from __future__ import annotations

from dataclasses import dataclass

ACTIONS = ("acknowledge", "close", "subscribe")


class NotAllowed(Exception):
    code = "not_allowed"


@dataclass(frozen=True)
class Actor:
    name: str
    allowed: bool
    single_user: bool


def current() -> Actor:
    from .. import access

    who = access.current()
    return Actor(who.name, who.allowed, who.single_user)


def allowed(actor: Actor, action: str, project_id: str | None = None) -> bool:
    if action not in ACTIONS:
        raise ValueError(action)
    if actor.single_user:
        return True
    return bool(actor.name) and actor.allowed


def require(actor: Actor, action: str, project_id: str | None = None) -> str:
    """The actor's name for the history, or NotAllowed."""
    if not allowed(actor, action, project_id):
        raise NotAllowed(action)
    return actor.name
