"""People, their scope and their roles (issue 12, domain "Organisation and access").

The table `people` holds everyone who may sign in: e-mail (as the sign-in provider gives it), name,
one scope (national, a list of province codes or a list of project ids) and one or more roles:

    viewer     reads every page, exports and shares, within the scope
    submitter  uploads updates for rows within the scope (they wait for review)
    reviewer   approves or rejects submissions within the scope; rolls back applied ones
    admin      manages people, scopes and roles; reads the audit log

Every enabled person reads (that is what "viewer" grants, and no other role makes sense without
it); otherwise a role implies no other: an admin is not a reviewer, a reviewer not a submitter.

Who is asking comes only from the sign-in provider (OIDC), never from a URL or a form:
`pilotdash.ui.sign_in.current(store)` in a page run, `for_cli(store, email)` for the command
line's `--as`. Without
sign-in configured (no `[auth]` in secrets: a laptop, the demo) the app is single-user and the one
user is a national admin with every role. The first admin comes from configuration
(`[pilotdash] first_admin = "email"` in secrets, or PILOTDASH_FIRST_ADMIN): on their first sign-in,
while the table has no enabled admin, they are added as a national admin.

Every change (add, set, disable) is checked here by the access policy (`policy.require(...,
"people_manage")`: an admin; a refusal is audited) and written with its audit entry in one
transaction.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass

from . import audit, config, places, policy
from .errors import Problem
from .reference import provinces
from .scope import KINDS as SCOPE_KINDS
from .scope import Scope

ROLES = ("viewer", "submitter", "reviewer", "admin")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


@dataclass(frozen=True)
class Person:
    email: str
    name: str
    scope: Scope
    roles: frozenset[str]
    disabled: bool = False
    single_user: bool = False  # laptop mode: the one national admin

    def may(self, role: str) -> bool:
        """Whether this person holds `role` (see the module docstring: every enabled person
        reads; otherwise no role implies another). The single user may do everything."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
        if self.disabled:
            return False
        if self.single_user or role == "viewer":
            return True
        return role in self.roles


# reading ---------------------------------------------------------------------------------------

_COLUMNS = "email, name, scope_kind, scope_codes, roles, disabled"


def _person(row: tuple) -> Person:
    email, name, kind, codes, roles, disabled = row
    return Person(email, name, Scope(kind, tuple(codes or ())), frozenset(roles or ()), bool(disabled))


def find(store, email: str | None) -> Person | None:
    """The person with this e-mail (disabled ones too), or None."""
    if not email:
        return None
    rows = store.rows(f"SELECT {_COLUMNS} FROM people WHERE email = ?", [norm_email(email)])
    return _person(rows[0]) if rows else None


def everyone(store) -> list[Person]:
    """Every person, by e-mail (the admin page's and `people list`'s table)."""
    return [_person(r) for r in store.rows(f"SELECT {_COLUMNS} FROM people ORDER BY email")]


def local_admin() -> Person:
    """The one user of single-user mode (and of the CLI without --as): a national admin."""
    name = os.environ.get("PILOTDASH_USER") or _os_user()
    return Person(f"local:{name}", name, Scope.national(), frozenset(ROLES), single_user=True)


def for_cli(store, email: str | None) -> Person:
    """The person the command line acts as: `--as EMAIL` (who must exist and be enabled), or the
    local national admin without it (whoever runs the CLI holds the store file)."""
    if email is None:
        return local_admin()
    person = find(store, email)
    if person is None:
        raise Problem("people.error.unknown_person", email=email)
    if person.disabled:
        raise Problem("people.error.disabled", email=person.email)
    return person


def first_admin() -> str | None:
    """The configured first admin's e-mail: [pilotdash] first_admin in secrets, else
    PILOTDASH_FIRST_ADMIN."""
    configured = config.value("first_admin", "PILOTDASH_FIRST_ADMIN")
    return norm_email(str(configured)) if configured else None


def record_sign_in(store, person: Person, issued_at: object) -> None:
    """One audit entry per sign-in at the provider: its ID token's issue time (`iat`) tells a new
    sign-in from a reload or a second tab of the same one (each a new Streamlit session)."""
    token = None if issued_at is None else str(issued_at)
    with store.writing(data_change=False) as w:
        if token is not None and w.scalar(
            "SELECT count(*) FROM audit_log WHERE who = ? AND action = 'sign_in' "
            "AND json_extract_string(detail, '$.iat') = ?",
            [person.email, token],
        ):
            return
        detail = {"name": person.name, **({"iat": token} if token is not None else {})}
        audit.record(w, person.email, "sign_in", person.email, person.scope, detail)


def bootstrap_admin(store, email: str, name: str) -> Person | None:
    """The configured first admin, added as a national admin while no enabled admin exists (checked
    again inside the write, so two first sign-ins cannot both add one)."""
    person = Person(email, name.strip() or email, Scope.national(), frozenset({"admin"}))
    with store.writing(data_change=False) as w:
        if w.scalar("SELECT count(*) FROM people WHERE list_contains(roles, 'admin') AND NOT disabled"):
            return None
        if w.scalar("SELECT count(*) FROM people WHERE email = ?", [email]):
            return None
        _insert(w, person)
        audit.record(w, "config:first_admin", "people_add", email, person.scope, _detail(person))
    return person


# changing --------------------------------------------------------------------------------------


def add(store, by: Person, email: str, name: str, scope: Scope, roles: Iterable[str]) -> Person:
    """Add a person (enabled); `by` must be an admin. a Problem (people.error.*) on bad input."""
    policy.require(store, by, "people_manage", what=str(email))
    person = Person(_valid_email(email), _valid_name(name), scope, _valid_roles(roles))
    with store.writing(data_change=False) as w:
        _check_scope(w, scope)
        if w.scalar("SELECT count(*) FROM people WHERE email = ?", [person.email]):
            raise Problem("people.error.exists", email=person.email)
        _insert(w, person)
        audit.record(w, by.email, "people_add", person.email, by.scope, _detail(person))
    return person


def set_person(
    store,
    by: Person,
    email: str,
    *,
    name: str | None = None,
    scope: Scope | None = None,
    roles: Iterable[str] | None = None,
    disabled: bool | None = None,
) -> Person:
    """Change a person's name, scope, roles or enabled state (what is given); `by` must be an
    admin. The audit entry holds what changed (before and after)."""
    policy.require(store, by, "people_manage", what=str(email))
    with store.writing(data_change=False) as w:
        before = _locked(w, email)
        after = Person(
            before.email,
            before.name if name is None else _valid_name(name),
            before.scope if scope is None else scope,
            before.roles if roles is None else _valid_roles(roles),
            before.disabled if disabled is None else bool(disabled),
        )
        if scope is not None:
            _check_scope(w, scope)
        changes = {k: [v, _detail(after)[k]] for k, v in _detail(before).items() if v != _detail(after)[k]}
        if not changes:
            return before
        _keep_an_admin(w, before, after)
        w.execute(
            "UPDATE people SET name = ?, scope_kind = ?, scope_codes = ?, roles = ?, disabled = ?, updated_at = ? "
            "WHERE email = ?",
            [
                after.name,
                after.scope.kind,
                list(after.scope.codes),
                sorted(after.roles),
                after.disabled,
                _now(),
                after.email,
            ],
        )
        action = "people_disable" if changes.keys() == {"disabled"} and after.disabled else "people_set"
        audit.record(w, by.email, action, after.email, by.scope, changes)
    return after


def disable(store, by: Person, email: str) -> Person:
    """Disable a person (they can no longer sign in; their row and audit entries stay)."""
    return set_person(store, by, email, disabled=True)


def parse_scope(kind: str, codes: str | Iterable[str] = ()) -> Scope:
    """A Scope from a kind and codes (a comma-separated string or a list), checked for shape:
    national takes no codes, provinces and projects at least one. Whether the codes exist is
    checked against the store when the person is written."""
    kind = (kind or "").strip().lower()
    if kind not in SCOPE_KINDS:
        raise Problem("people.error.scope_kind", kind=kind, kinds=", ".join(SCOPE_KINDS))
    if isinstance(codes, str):
        codes = codes.split(",")
    listed = tuple(dict.fromkeys(c.strip() for c in codes if c and c.strip()))
    if kind == "national" and listed:
        raise Problem("people.error.national_codes", codes=", ".join(listed))
    if kind != "national" and not listed:
        raise Problem(f"people.error.{kind}_missing")
    return Scope(kind, listed)


def parse_roles(text: str | Iterable[str]) -> frozenset[str]:
    if isinstance(text, str):
        text = text.split(",")
    return _valid_roles(text)


# helpers ---------------------------------------------------------------------------------------


def _insert(w, person: Person) -> None:
    now = _now()
    w.execute(
        "INSERT INTO people (email, name, scope_kind, scope_codes, roles, disabled, created_at, updated_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [
            person.email,
            person.name,
            person.scope.kind,
            list(person.scope.codes),
            sorted(person.roles),
            person.disabled,
            now,
            now,
        ],
    )


def _locked(w, email: str) -> Person:
    rows = w.execute(f"SELECT {_COLUMNS} FROM people WHERE email = ?", [norm_email(email)]).fetchall()
    if not rows:
        raise Problem("people.error.unknown_person", email=email)
    return _person(rows[0])


def _keep_an_admin(w, before: Person, after: Person) -> None:
    """Refuse a change that leaves no enabled admin (nobody could manage people any more)."""
    was_admin = "admin" in before.roles and not before.disabled
    is_admin = "admin" in after.roles and not after.disabled
    if was_admin and not is_admin:
        others = w.scalar(
            "SELECT count(*) FROM people WHERE list_contains(roles, 'admin') AND NOT disabled AND email <> ?",
            [before.email],
        )
        if not others:
            raise Problem("people.error.last_admin", email=before.email)


def _check_scope(w, scope: Scope) -> None:
    """The scope's shape (as parse_scope) and that its codes exist: province codes in the reference
    list, project ids in the store."""
    checked = parse_scope(scope.kind, scope.codes)
    if checked.kind == "provinces":
        unknown = [c for c in checked.codes if c not in provinces()]
        if unknown:
            raise Problem("people.error.unknown_province", codes=", ".join(unknown))
    elif checked.kind == "projects":
        known = {
            r[0]
            for r in w.execute(
                "SELECT project_id FROM projects WHERE list_contains(?, project_id)", [list(checked.codes)]
            ).fetchall()
        }
        unknown = [c for c in checked.codes if c not in known]
        if unknown:
            raise Problem("people.error.unknown_project", codes=", ".join(unknown))
    elif checked.kind == "cities":  # a prefecture office: 4-digit city codes of the national divisions
        unknown = [c for c in checked.codes if c not in places.cities()]
        if unknown:
            raise Problem("people.error.unknown_city", codes=", ".join(unknown))


def _detail(person: Person) -> dict:
    return {
        "name": person.name,
        "scope_kind": person.scope.kind,
        "scope_codes": list(person.scope.codes),
        "roles": sorted(person.roles),
        "disabled": person.disabled,
    }


def norm_email(email: str) -> str:
    return email.strip().lower()


def _valid_email(email: str) -> str:
    email = norm_email(email or "")
    if not _EMAIL.match(email):
        raise Problem("people.error.email", email=email)
    return email


def _valid_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise Problem("people.error.name")
    return name


def _valid_roles(roles: Iterable[str]) -> frozenset[str]:
    listed = [r.strip().lower() for r in roles if r and r.strip()]
    unknown = [r for r in listed if r not in ROLES]
    if unknown:
        raise Problem("people.error.role", role=", ".join(unknown), roles=", ".join(ROLES))
    if not listed:
        raise Problem("people.error.no_role", roles=", ".join(ROLES))
    return frozenset(listed)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 (no user name in a container: any failure means "unknown")
        return "local"
