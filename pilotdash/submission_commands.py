"""CLI subcommands for review 审核: `submissions list|show|approve|reject|withdraw|recheck --as EMAIL`.

Each acts as the person named by `--as` (`people.for_cli`; without it, the local national admin)
and goes through `pilotdash.submissions`, so the CLI is held to the same roles and scope as the
Data page. Messages in PILOTDASH_LANG (default en); a refusal is one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

import pandas as pd

from . import config, i18n, people, submissions
from .errors import Problem
from .spreadsheet import neutral_frame
from .store import open_store


def lang() -> str:
    return config.cli_lang()




def frame(subs: list[submissions.Submission], language: str) -> pd.DataFrame:
    """One line per submission, its state in words (stale shown as such)."""
    return pd.DataFrame(
        {
            "submission_id": [s.submission_id for s in subs],
            "table": [s.table for s in subs],
            "file_name": [s.file_name for s in subs],
            "submitted_by": [s.submitted_by for s in subs],
            "submitted_at": [s.submitted_at for s in subs],
            "state": [s.shown_state for s in subs],
            "state_words": [submissions.state_label(s.shown_state, language) for s in subs],
            "inserted": [s.inserted for s in subs],
            "updated": [s.updated for s in subs],
            "rejected": [s.rejected for s in subs],
            "reviewed_by": [s.reviewed_by for s in subs],
            "reason": [s.reason for s in subs],
            "upload_id": [s.upload_id for s in subs],
        }
    )


def _run(args: argparse.Namespace, action) -> int:
    language = lang()
    store = open_store(args.store, build_if_missing=False)
    try:
        person = people.for_cli(store, args.as_email)
        return action(store, person, language)
    except Problem as exc:  # refused (and audited), an unknown --as, a busy store
        print(f"error: {exc.text(language)}", file=sys.stderr)
        return 2
    finally:
        store.close()


def cmd_list(args: argparse.Namespace) -> int:
    def run(store, person, language) -> int:
        shown = submissions.queue(store, person) if args.queue else submissions.listing(store, person)
        neutral_frame(frame(shown, language)).to_csv(sys.stdout, index=False)
        return 0

    return _run(args, run)


def cmd_show(args: argparse.Namespace) -> int:
    def run(store, person, language) -> int:
        found = submissions.changes(store, args.submission_id, person)
        sub = found.submission
        neutral_frame(frame([sub], language)).to_csv(sys.stdout, index=False)
        for title, rows in (
            ("inserted", found.inserted(language)),
            ("updated", found.updated(language)),
            ("rejected", found.rejected(language)),
        ):
            if len(rows):
                print(f"\n# {title}")
                neutral_frame(rows).to_csv(sys.stdout, index=False)
        if sub.stale:
            print(f"\n# {i18n.t('submissions.changed_since', language)}")
            neutral_frame(found.changed_since).to_csv(sys.stdout, index=False)
        return 0

    return _run(args, run)


def _decided(sub: submissions.Submission, language: str) -> int:
    print(
        i18n.t(
            "submissions.now",
            language,
            submission_id=sub.submission_id,
            state=submissions.state_label(sub.shown_state, language),
        )
    )
    return 0


def _decision(action) -> Callable[[argparse.Namespace], int]:
    """The command for one action on a submission (approve, reject, withdraw, recheck): run as the
    person, print the submission's new state. Reject also takes the reason."""

    def command(args: argparse.Namespace) -> int:
        extra = (args.reason,) if action is submissions.reject else ()

        def act(store, person, language: str) -> int:
            decided = action(store, person, args.submission_id, *extra)
            return _decided(decided, language)

        return _run(args, act)

    return command


cmd_approve = _decision(submissions.approve)
cmd_reject = _decision(submissions.reject)
cmd_withdraw = _decision(submissions.withdraw)
cmd_recheck = _decision(submissions.recheck)


def acting(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--as",
        dest="as_email",
        metavar="EMAIL",
        default=None,
        help="act as this person (their roles and scope); default: the local national admin",
    )


def add_submission_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "submissions", help="submissions waiting for review: list, show, approve, reject, withdraw"
    )
    verbs = p.add_subparsers(dest="verb", required=True)

    q = verbs.add_parser("list", help="the submissions this person sees (own, and in scope as a reviewer)")
    q.add_argument("--queue", action="store_true", help="only those waiting for this reviewer")
    acting(q)
    q.set_defaults(func=cmd_list)

    for verb, func, text in (
        ("show", cmd_show, "one submission: its row changes against the current data"),
        ("approve", cmd_approve, "apply a submission (as an upload: logged, reversible)"),
        ("withdraw", cmd_withdraw, "take back your own submission while it waits"),
        ("recheck", cmd_recheck, "check a stale submission again against the current data"),
    ):
        q = verbs.add_parser(verb, help=text)
        q.add_argument("submission_id", type=int)
        acting(q)
        q.set_defaults(func=func)

    q = verbs.add_parser("reject", help="reject a submission with a reason the submitter sees")
    q.add_argument("submission_id", type=int)
    q.add_argument("--reason", required=True)
    acting(q)
    q.set_defaults(func=cmd_reject)
