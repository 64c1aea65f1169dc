"""Who may change the data: the server-side check behind the Data page's actions.

With sign-in configured (an `[auth]` section in `.streamlit/secrets.toml`, used by `st.login`),
only signed-in users whose e-mail is in `[pilotdash] analysts` may preview, apply or roll back an
upload. Without it (the local default) the app runs in single-user mode: anyone at the keyboard
is the analyst, named by PILOTDASH_USER or the OS user. The page calls `require_analyst()` in
every action, so hiding a button is never the only protection.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass

import streamlit as st


class AccessDenied(Exception):
    code = "not_allowed"


@dataclass(frozen=True)
class Uploader:
    name: str  # what goes into the upload log
    allowed: bool
    single_user: bool
    signed_in: bool = False


def _secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}) or {})
    except Exception:  # no secrets.toml at all: Streamlit raises rather than returning empty
        return {}


def auth_configured() -> bool:
    return bool(_secrets_section("auth"))


def analysts() -> set[str]:
    listed = _secrets_section("pilotdash").get("analysts", [])
    return {str(a).strip().lower() for a in listed}


def current() -> Uploader:
    if not auth_configured():
        name = os.environ.get("PILOTDASH_USER") or _os_user()
        return Uploader(name=f"local:{name}", allowed=True, single_user=True)
    user = st.user
    if not getattr(user, "is_logged_in", False):
        return Uploader(name="", allowed=False, single_user=False)
    email = str(user.get("email") or "").strip().lower()
    return Uploader(name=email, allowed=bool(email) and email in analysts(), single_user=False, signed_in=True)


def require_analyst() -> str:
    """The uploader's name for the log, or AccessDenied."""
    who = current()
    if not who.allowed:
        raise AccessDenied()
    return who.name


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "local"
