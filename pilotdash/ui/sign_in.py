"""Who is signed in, for a page run: the Streamlit side of `pilotdash.people`.

The person comes only from the sign-in provider (`st.user`, OIDC, configured by an `[auth]`
section in the configuration file: `pilotdash.config`), never from a URL or a form. Without
sign-in configured the app is single-user: the one user is `people.local_admin()`. A known,
enabled person is looked up in the `people` table; the configured first admin is added on their
first sign-in while there is no enabled admin; each sign-in at the provider is audited once.

`current` is read once per page run (the gate at the top of app.py forgets the last run's), so a
page's many questions cost one lookup; `lookup` reads afresh. What the person may do is
`pilotdash.policy`'s to answer.
"""

from __future__ import annotations

import streamlit as st

from .. import config, people

_SIGNED_IN_KEY = "_people_signed_in"  # session state: the e-mail whose sign-in was audited
_RUN_KEY = "_people_current"  # session state: the person read in this page run


def forget() -> None:
    """A new page run: the next `current` reads the person afresh."""
    st.session_state.pop(_RUN_KEY, None)


def current(store) -> people.Person | None:
    """The signed-in, enabled person; the single-user national admin when no sign-in is
    configured; None when signed out, unknown or disabled. Once per page run (see `forget`)."""
    if not st.runtime.exists():  # outside a Streamlit server (a script, a test): read afresh
        return lookup(store)
    if _RUN_KEY in st.session_state:
        return st.session_state[_RUN_KEY]
    person = lookup(store)
    st.session_state[_RUN_KEY] = person
    return person


def lookup(store) -> people.Person | None:
    """`current`, read from the store now."""
    if not config.auth_configured():
        return people.local_admin()
    user = st.user
    if not getattr(user, "is_logged_in", False):
        return None
    email = _provider_email(user)
    if not email:
        return None
    person = people.find(store, email)
    if person is None and email == people.first_admin():
        person = people.bootstrap_admin(store, email, str(user.get("name") or email))
    if person is None or person.disabled:
        return None
    if st.session_state.get(_SIGNED_IN_KEY) != email:
        people.record_sign_in(store, person, user.get("iat"))
        st.session_state[_SIGNED_IN_KEY] = email
    return person


def signed_in_email() -> str | None:
    """The provider's e-mail of whoever is signed in (known to `people` or not), for the notice
    an unknown or disabled person sees."""
    user = st.user
    if not getattr(user, "is_logged_in", False):
        return None
    return _provider_email(user) or None


def email_unverified() -> bool:
    """Whether someone is signed in with the provider under an e-mail it says is not verified."""
    user = st.user
    return bool(getattr(user, "is_logged_in", False) and user.get("email") and not _provider_email(user))


def _provider_email(user) -> str:
    """The provider's `email` claim, unless the provider says it is not verified: some let anyone
    register an address they do not own, which would sign them in as its owner."""
    if str(user.get("email_verified", True)).strip().lower() in ("false", "0", "no"):
        return ""
    return people.norm_email(str(user.get("email") or ""))
