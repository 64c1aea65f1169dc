"""Who may change the data: the server-side check behind the Data page's actions.

Who someone is and what they may do lives in `pilotdash.people` (the `people` table: scope and
roles). This module asks it for the Data page: uploading needs the role submitter, approving and
rolling back reviewer, managing people admin. With sign-in configured (an `[auth]` section in
`.streamlit/secrets.toml`, used by `st.login`) the person is the signed-in one, if enabled in
`people`; without it (the local default) the app runs in single-user mode: the one user is a
national admin, named by PILOTDASH_USER or the OS user. The page calls `require(role, store)`
(`pilotdash.ui.sign_in`, which reads the sign-in) in every action, so hiding a button is never
the only protection.
"""

from __future__ import annotations

from dataclasses import dataclass


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
