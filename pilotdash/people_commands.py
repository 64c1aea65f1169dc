"""`python -m pilotdash people list|add|set|disable` and `python -m pilotdash audit`.

The command line acts as the local national admin (whoever runs it holds the store), or with
`--as EMAIL` as that person, who must then be an enabled admin, as on the admin page. Every
change is audited like the page's. Mistakes (a bad e-mail, an unknown role, province or pilot, a
person who is not an admin) are one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys

import pandas as pd

from . import audit, people, policy
from .errors import Problem
from .scope import KINDS
from .spreadsheet import neutral_frame
from .store import open_store


def _store(args):
    return open_store(args.store, build_if_missing=args.store is None)


def _admin(store, args, action: str = "people_manage", what: str = "people") -> people.Person:
    """The person the command acts as (`--as`, else the local operator), who must be allowed
    `action` (a refusal is audited); the change itself is checked again where it is written."""
    person = people.for_cli(store, args.as_email)
    policy.require(store, person, action, what=what)
    return person


def _print(frame: pd.DataFrame, fmt: str) -> None:
    if fmt == "json":
        records = json.loads(frame.to_json(orient="records", date_format="iso", force_ascii=False))
        json.dump(records, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif fmt == "csv":
        neutral_frame(frame).to_csv(sys.stdout, index=False)
    elif frame.empty:
        print("(none)")
    else:
        print(frame.to_string(index=False))


def _people_frame(everyone: list[people.Person]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "email": [p.email for p in everyone],
            "name": [p.name for p in everyone],
            "scope_kind": [p.scope.kind for p in everyone],
            "scope_codes": [",".join(p.scope.codes) for p in everyone],
            "roles": [",".join(r for r in people.ROLES if r in p.roles) for p in everyone],
            "disabled": [p.disabled for p in everyone],
        }
    )


def _run(args, action) -> int:
    store = _store(args)
    try:
        return action(store)
    except (Problem, ValueError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        store.close()


def cmd_people_list(args) -> int:
    def run(store) -> int:
        _admin(store, args)
        _print(_people_frame(people.everyone(store)), args.format)
        return 0

    return _run(args, run)


def cmd_people_add(args) -> int:
    def run(store) -> int:
        person = people.add(
            store,
            people.for_cli(store, args.as_email),
            args.email,
            args.name,
            people.parse_scope(args.scope, args.codes or ""),
            people.parse_roles(args.roles),
        )
        print(f"added {person.email}: {person.scope.describe('en')}, roles {', '.join(sorted(person.roles))}")
        return 0

    return _run(args, run)


def cmd_people_set(args) -> int:
    def run(store) -> int:
        by = people.for_cli(store, args.as_email)
        scope = None
        if args.scope is not None or args.codes is not None:
            before = people.find(store, args.email)
            if before is None:
                raise Problem("people.error.unknown_person", email=args.email)
            kind = args.scope if args.scope is not None else before.scope.kind
            codes = (
                args.codes if args.codes is not None else ("" if args.scope else ",".join(before.scope.codes))
            )
            scope = people.parse_scope(kind, codes)
        roles = people.parse_roles(args.roles) if args.roles is not None else None
        person = people.set_person(
            store,
            by,
            args.email,
            name=args.name,
            scope=scope,
            roles=roles,
            disabled=False if args.enable else None,
        )
        state = "disabled" if person.disabled else "enabled"
        print(
            f"{person.email}: {person.scope.describe('en')}, roles {', '.join(sorted(person.roles))}, {state}"
        )
        return 0

    return _run(args, run)


def cmd_people_disable(args) -> int:
    def run(store) -> int:
        person = people.disable(store, people.for_cli(store, args.as_email), args.email)
        print(f"disabled {person.email}")
        return 0

    return _run(args, run)


def _moment(text: str) -> dt.date | dt.datetime:
    try:
        return dt.date.fromisoformat(text) if len(text) == 10 else dt.datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date or time like 2026-09-30 or 2026-09-30T14:00: {text!r}"
        ) from None


def cmd_audit(args) -> int:
    def run(store) -> int:
        by = _admin(store, args, "audit_read", "audit log")
        refused = {"yes": True, "no": False}.get(args.refused)
        frame = audit.entries(store, who=args.who, action=args.action, since=args.since, until=args.until,
                              refused=refused)
        # reading the log is itself in it (after the read: the entry is not among those printed)
        audit.record(store, by.email, "audit_read", "audit log", by.scope,
                     {"who": args.who, "action": args.action, "rows": len(frame)})
        frame["scope_codes"] = [",".join(c) for c in frame["scope_codes"]]
        if args.format == "json":  # the detail as the object it is, not as text
            frame["detail"] = [json.loads(d) if isinstance(d, str) else None for d in frame["detail"]]
        _print(frame, args.format)
        return 0

    return _run(args, run)


def add_people_commands(sub) -> None:
    def acting(p) -> None:
        p.add_argument(
            "--as",
            dest="as_email",
            metavar="EMAIL",
            default=None,
            help="act as this person (an enabled admin); default: the local national admin",
        )

    p = sub.add_parser("people", help="list, add, change or disable the people who may sign in")
    verbs = p.add_subparsers(dest="verb", required=True)

    q = verbs.add_parser("list", help="everyone, with scope and roles")
    q.add_argument("--format", choices=("table", "csv", "json"), default="table")
    acting(q)
    q.set_defaults(func=cmd_people_list)

    def fields(q, required: bool) -> None:
        q.add_argument("--name", required=required)
        q.add_argument("--scope", choices=KINDS, required=required, help="national, provinces, projects or cities (a prefecture office: 4-digit city codes)")
        q.add_argument("--codes", help="province codes (11,51) or project ids, comma-separated")
        q.add_argument("--roles", required=required, help=f"comma-separated: {','.join(people.ROLES)}")

    q = verbs.add_parser("add", help="add a person")
    q.add_argument("email")
    fields(q, required=True)
    acting(q)
    q.set_defaults(func=cmd_people_add)

    q = verbs.add_parser("set", help="change a person's name, scope, roles (what is given), or enable them")
    q.add_argument("email")
    fields(q, required=False)
    q.add_argument("--enable", action="store_true", help="enable a disabled person")
    acting(q)
    q.set_defaults(func=cmd_people_set)

    q = verbs.add_parser("disable", help="disable a person (they can no longer sign in)")
    q.add_argument("email")
    acting(q)
    q.set_defaults(func=cmd_people_disable)

    p = sub.add_parser("audit", help="the audit log (admins), newest first")
    p.add_argument("--who", help="an e-mail")
    p.add_argument("--action", choices=audit.ACTIONS)
    p.add_argument("--since", type=_moment, help="from this date or time (UTC)")
    p.add_argument("--until", type=_moment, help="up to this date (the whole day) or time (UTC)")
    p.add_argument("--refused", choices=("yes", "no"), help="only the refused (or only the done) actions")
    p.add_argument("--format", choices=("table", "csv", "json"), default="table")
    acting(p)
    p.set_defaults(func=cmd_audit)
