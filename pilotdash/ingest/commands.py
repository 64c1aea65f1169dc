"""CLI subcommands for uploads: `load FILE [--as EMAIL]`, `uploads`, `rollback UPLOAD_ID [--as EMAIL]`.

`load` and `rollback` act as a person (pilotdash.submissions, held to the access policy and
audited like the Data page): `--as EMAIL`, or without it the local operator (the OS user, a
national admin: whoever runs the CLI holds the store). With `--as` the file is a submission of that
person: checked against their scope and stored for review, or applied at once when they need none.

`load` prints the plan and the validation report in the language of PILOTDASH_LANG (default
en), applies only when asked to (not with --dry-run), and exits 1 when rows are rejected and
nothing was applied, 2 on a file, store or rollback problem.
"""

from __future__ import annotations

import argparse
import tempfile
import sys
from pathlib import Path

from .. import config, i18n, people, submissions
from ..cli_args import reading_store
from ..errors import Problem
from ..spreadsheet import neutral_frame
from ..store import Store, open_store
from .apply import history, write_plan
from ..domain import TABLES
from .contract import CONTRACTS
from .formats import FileProblem, check_size
from .plan import Plan, prepare


def _lang() -> str:
    return config.cli_lang()


def print_plan(plan: Plan, lang: str, out=None) -> None:
    out = out or sys.stdout
    if plan.table:
        print(f"{plan.file_name}: {i18n.t(f'ingest.table.{plan.table}', lang)} ({plan.table}) · "
              f"{plan.encoding_label(lang)}", file=out)
    elif plan.grid is not None:
        print(f"{plan.file_name}: {plan.encoding_label(lang)}", file=out)
    for message in plan.file_messages(lang):  # whole sentences, never a cut cell
        print(f"error: {message}", file=out)
    if plan.counts and not plan.file_issues:
        c = plan.counts
        print(f"rows {c.rows}  insert {c.inserts}  update {c.updates}  unchanged {c.unchanged}  "
              f"rejected {c.rejected}  warnings {c.warnings}", file=out)
    if plan.already_applied:
        print(i18n.t("data.already_applied", lang, upload_id=plan.already_applied), file=out)
    report = plan.row_report(lang)
    if len(report):
        neutral_frame(report).to_csv(out, index=False)  # the file's own cells: never a live formula


def cmd_load(args: argparse.Namespace) -> int:
    lang = _lang()
    path = Path(args.file)
    try:
        check_size(path.stat().st_size)  # before reading the bytes
    except FileProblem as exc:
        print(f"error: {exc.text(lang)}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    store = open_store(args.store, build_if_missing=False)
    try:
        person = _person(store, args)
        plan = prepare(store, path.name, path.read_bytes(), args.table, scope=person.scope)
        print_plan(plan, lang)
        if not plan.readable:
            return 1
        mode = "valid_rows" if args.apply_valid_rows else "clean_only"
        if plan.all_rejected:
            print(f"error: {i18n.t('ingest.cli_nothing_to_apply', lang, rejected=plan.counts.rejected)}", file=sys.stderr)
            return 1
        if args.dry_run:
            return 0 if plan.clean else 1
        if mode == "clean_only" and not plan.clean:
            print(f"error: {i18n.t('ingest.err.not_clean', lang, rejected=plan.counts.rejected)}", file=sys.stderr)
            return 1
        # a submission, applied at once only if the person needs no review (the local operator)
        outcome = submissions.submit(store, person, plan, mode)
        if outcome.submission is not None:
            print(i18n.t("submissions.submitted", lang, submission_id=outcome.submission.submission_id))
            return 0
        result = outcome.applied
        if result.upload_id is None:
            print(i18n.t("data.nothing_changed", lang))
        else:
            print(i18n.t("data.applied", lang, upload_id=result.upload_id, inserted=result.inserted, updated=result.updated))
        return 0
    except Problem as exc:  # refused (and audited), an unknown --as, a busy store: its message
        print(f"error: {exc.text(lang)}", file=sys.stderr)
        return 2
    finally:
        store.close()


def _person(store, args: argparse.Namespace):
    """The person the command acts as: its own --as, else the local operator (people.for_cli)."""
    return people.for_cli(store, getattr(args, "as_email", None))


def cmd_uploads(args: argparse.Namespace) -> int:

    store = reading_store(args, build_if_missing=False)  # --as EMAIL: the uploads of their pilots
    try:
        neutral_frame(history(store)).to_csv(sys.stdout, index=False)
    finally:
        store.close()
    return 0


def cmd_rollback(args: argparse.Namespace) -> int:
    lang = _lang()
    store = open_store(args.store, build_if_missing=False)
    try:
        person = _person(store, args)  # a reviewer within their scope, or the local operator
        done = submissions.rollback(store, person, args.upload_id, cascade=args.cascade)
    except Problem as exc:  # refused (and audited), an unknown --as, a busy store: its message
        print(f"error: {exc.text(lang)}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(i18n.t("data.rolled_back", lang, uploads=", ".join(f"#{u}" for u in done)))
    return 0


def add_ingest_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("load", help="validate an analyst's CSV/xlsx file and apply it (see `uploads`, `rollback`)")
    p.add_argument("file", type=Path)
    p.add_argument("--table", choices=sorted(CONTRACTS), help="the table (default: recognised from the headers)")
    p.add_argument("--apply-valid-rows", action="store_true", help="apply the valid rows even if some are rejected")
    p.add_argument("--dry-run", action="store_true", help="validate and preview only; write nothing")
    p.add_argument("--as", dest="as_email", metavar="EMAIL", default=None,
                   help="submit as this person: rows outside their scope are rejected, and the file waits "
                        "for review unless they need none")
    p.set_defaults(func=cmd_load)

    p = sub.add_parser("uploads", help="the history of applied uploads, newest first")
    p.set_defaults(func=cmd_uploads)
    cmd_uploads.reads_as = True

    p = sub.add_parser("rollback", help="undo an applied upload exactly")
    p.add_argument("upload_id", type=int)
    p.add_argument("--cascade", action="store_true", help="also roll back later uploads that changed the same rows")
    p.add_argument("--as", dest="as_email", metavar="EMAIL", default=None,
                   help="roll back as this person (a reviewer whose scope covers the upload)")
    p.set_defaults(func=cmd_rollback)


def check_folder(folder: Path, lang: str, out) -> bool:
    """Validate the folder's files as `load` does, table by table in the contract's order (so a
    reading's pilot is known), each against the tables before it, in a scratch store that is
    thrown away: the same file, row, column and messages (`print_plan`) for the first file that
    has a problem, and False; True when every file would load whole. The folder is read once
    more by the build itself (DuckDB's CSV reader); nothing is built when this says False."""
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Store(Path(tmp) / "check.duckdb")
        try:
            for table in TABLES:
                path = Path(folder) / f"{table}.csv"
                if not path.exists():
                    continue
                plan = prepare(scratch, path.name, path.read_bytes(), table)
                if plan.file_issues or not plan.counts or plan.counts.rejected:
                    print_plan(plan, lang, out)
                    return False
                if plan.changes:
                    with scratch.writing() as cur:
                        write_plan(cur, plan, "build", "clean_only", lambda share, step: None)
        finally:
            scratch.close()
    return True
