"""The app's configuration of sign-in: whether it is configured, and a section of the secrets.

Who may do what is `pilotdash.policy` (every action declared once, one check); who someone is,
`pilotdash.people`. With sign-in configured (an `[auth]` section in `.streamlit/secrets.toml`, used
by `st.login`) the person is the signed-in one, if enabled in `people`; without it (the local
default) the app runs in single-user mode: the one user is a national admin, named by
PILOTDASH_USER or the OS user.
"""

from __future__ import annotations

import streamlit as st


def secrets_section(name: str) -> dict:
    try:
        return dict(st.secrets.get(name, {}) or {})
    except Exception:  # noqa: BLE001 (no secrets.toml at all: Streamlit raises rather than returning empty)
        return {}


def auth_configured() -> bool:
    return bool(secrets_section("auth"))
