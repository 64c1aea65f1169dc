"""Who may change the data: the server-side check behind the Data page's actions.

Who someone is and what they may do lives in `pilotdash.people` (the `people` table: scope and
roles). This module asks it for the Data page: uploading needs the role submitter, approving and
rolling back reviewer, managing people admin. With sign-in configured (an `[auth]` section in
`.streamlit/secrets.toml`, used by `st.login`) the person is the signed-in one, if enabled in
`people`; without it (the local default) the app runs in single-user mode: the one user is a
national admin, named by PILOTDASH_USER or the OS user. The page calls `require(role)` in every
action, so hiding a button is never the only protection.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st


class AccessDenied(Exception):
    code = "not_allowed"


@dataclass(frozen=True)
class Uploader:
    name: str  # what goes into the upload log: the person's e-mail (local:<user> in single-user mode)
    allowed: bool  # may upload (the role submitter)
    single_user: bool
    signed_in: bool = False
    person: object | None = None  # the pilotdash.people.Person, None when signed out or unknown

    def may(self, role: str) -> bool:
        return self.person is not None and self.person.may(role)


def secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}) or {})
    except Exception:  # noqa: BLE001 (no secrets.toml at all: Streamlit raises rather than returning empty)
        return {}


def auth_configured() -> bool:
    return bool(secrets_section("auth"))


def _store(store):
    if store is not None:
        return store
    from .ui.data import base_store  # the people table: not a scoped read (ui.data.store needs the person)

    return base_store()


def current(store=None) -> Uploader:
    from . import people

    person = people.current(_store(store))
    if person is None:
        signed_in = auth_configured() and bool(getattr(st.user, "is_logged_in", False))
        return Uploader(name="", allowed=False, single_user=False, signed_in=signed_in)
    return Uploader(
        name=person.email,
        allowed=person.may("submitter"),
        single_user=person.single_user,
        signed_in=not person.single_user,
        person=person,
    )


def require(role: str, store=None) -> str:
    """The person's name for the log when they hold `role`, else AccessDenied."""
    who = current(store)
    if not who.may(role):
        raise AccessDenied()
    return who.name
