"""Command line: `python -m pilotdash [--as EMAIL] build | query | queries | demo | people | audit | ...`.

`--as EMAIL` (issue 12): a read command (`query`, `warnings list`, `warnings subscriptions`,
`digest` without --send, `uploads`) answers exactly as that person sees it: every read goes
through their scope (`pilotdash.scope.limited`), whatever --param asks for. An unknown or disabled
person is an error (exit 2); a command that changes something refuses --as.

Analysts script against the named queries, so `query` prints exactly their columns, as CSV or
JSON, and every mistake (unknown query, unknown or badly typed parameter, missing store) is one
line on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd

from . import config, i18n, named_queries
from . import scope as scope_mod
from .cli_args import reading_store, reads_as
from .errors import Problem
from .spreadsheet import neutral_frame
from .store import DEMO_DIR, build, default_path, open_store
from .warnings import hooks  # noqa: F401  start-up: the warnings follow every data change the CLI makes


def _resolve_as(args: argparse.Namespace) -> None:
    """Set args.person from --as EMAIL (people.for_cli), refusing it where it cannot apply."""
    email = getattr(args, "as_user", None)
    if email is None:
        return
    if hasattr(args, "as_email"):  # people ..., audit: they act as that person themselves (an admin)
        if args.as_email is None:
            args.as_email = email
        return
    # a send mails others what the sender's rights allow: only a command that asks the policy
    # for it as that person (`sends_as`) takes --as with --send
    if not getattr(args.func, "reads_as", False) or (getattr(args, "send", False)
                                                     and not getattr(args.func, "sends_as", False)):
        raise Problem("cli.as_read_only", command=args.command)
    from . import people

    store = open_store(args.store, build_if_missing=args.store is None)
    try:  # unknown or disabled: for_cli's Problem names the e-mail, main prints it
        args.person = people.for_cli(store, email)
    finally:
        store.close()


def _json_value(value: object) -> object:
    """A cell as JSON has it: every missing value (None, NaN, NaT, pandas' NA) is null, numbers
    plain numbers (an infinity, which JSON has not, null too), dates and times ISO text, lists
    and structs element by element."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, np.generic):
        value = value.item()
    try:
        if value is None or pd.isna(value):
            return None
    except (TypeError, ValueError):  # not a scalar pandas can judge
        pass
    if isinstance(value, float) and math.isinf(value):
        return None
    if isinstance(value, Decimal):
        return float(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _with_dates(frame: pd.DataFrame, date_columns: set[str]) -> pd.DataFrame:
    """DATE columns as days (2024-12-31), not midnight timestamps: pandas holds both as
    datetime64, so the query's own column types say which is which. Timestamps stay as they are."""
    frame = frame.copy()
    for column in frame.columns:
        if column in date_columns and pd.api.types.is_datetime64_any_dtype(frame[column]):
            frame[column] = [None if pd.isna(v) else v.date() for v in frame[column]]
    return frame


def _print_frame(frame: pd.DataFrame, fmt: str, out, date_columns: set[str] = frozenset()) -> None:
    frame = _with_dates(frame, set(date_columns))
    if fmt == "json":
        records = [
            {col: _json_value(val) for col, val in zip(frame.columns, row)}
            for row in frame.itertuples(index=False, name=None)
        ]
        json.dump(records, out, ensure_ascii=False, indent=2, allow_nan=False)
        out.write("\n")
    else:
        # a list cell (reasons, codes) as JSON text, not numpy's repr
        for column in frame.columns:
            if frame[column].dtype == object:
                frame[column] = [json.dumps(_json_value(v), ensure_ascii=False)
                                 if isinstance(v, (list, tuple, np.ndarray, dict)) else v for v in frame[column]]
        # often redirected into a file a spreadsheet opens: no text cell runs as a formula
        neutral_frame(frame).to_csv(out, index=False)


def _date_columns(store, name: str, params: dict[str, str]) -> set[str]:
    """The named query's DATE columns, from its result types (the query is bound, not fetched)."""
    query = named_queries.get(name)
    bound = named_queries.bind(store, query, params)
    described = store.rows(f"DESCRIBE {query.sql.strip().rstrip(';')}", bound)
    return {row[0] for row in described if row[1] == "DATE"}


def _parse_params(pairs: Sequence[str]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise named_queries.QueryError("query.bad_pair", pair=pair)
        params[key.strip()] = value
    return params


def cmd_build(args: argparse.Namespace) -> int:
    """Build from a folder as an upload would take its files: each validated as `load` does (file,
    row, column, the same messages); with any problem nothing is built (exit 1). Files that are
    no table of the contract are named, not silently skipped. The people, audit log,
    subscriptions, saved views and warnings' history are kept (store.KEPT_TABLES); the build is
    the local operator's, audited."""
    from . import audit, people, policy
    from .ingest.bulk import unused_files
    from .ingest.commands import check_folder

    operator = people.local_admin()
    if not policy.allowed(operator, "build"):  # the local operator is a national admin: never refused
        raise Problem("access.not_allowed", action="build")
    source = Path(args.source)
    if not source.is_dir():
        print(f"error: no such folder: {source}", file=sys.stderr)
        return 2
    lang = _lang()
    for name in unused_files(source):
        print(i18n.t("build.unused_file", lang, name=name), file=sys.stderr)
    if not check_folder(source, lang, sys.stderr):
        print(i18n.t("build.not_built", lang, folder=str(source)), file=sys.stderr)
        return 1
    target = build(args.store, source)
    store = open_store(args.store, build_if_missing=False)
    try:
        audit.record(store, operator.email, "build", str(source), operator.scope, {"store": str(target)})
    finally:
        store.close()
    print(f"built {target} from {source}")
    return 0


@reads_as
def cmd_query(args: argparse.Namespace) -> int:
    query = named_queries.get(args.name)  # unknown names fail before the store is opened
    params = _parse_params(args.param)
    for name, value in params.items():
        named_queries.convert(query.param(name), value)
    # The default store is built from the demo data on first use, as the dashboard does; a
    # store named with --store must exist.
    store = reading_store(args, build_if_missing=args.store is None)
    try:
        frame = named_queries.run(store, args.name, params)
        dates = _date_columns(store, args.name, params)
        _audit_export(store, args, f"query {args.name}", {"params": params, "rows": len(frame)})
    finally:
        store.close()
    _print_frame(frame, args.format, sys.stdout, dates)
    return 0


def _audit_export(store, args: argparse.Namespace, what: str, detail: dict) -> None:
    """An export from the command line is audited like a download: by whoever runs it, in the
    scope it answered for (the --as person's)."""
    from . import audit, people

    person = getattr(args, "person", None)
    runner = people.local_admin()
    if person is not None:
        detail = {**detail, "as": person.email}
    audit.record(store, runner.email, "export", what, person.scope if person else None, detail)


def cmd_queries(args: argparse.Namespace) -> int:
    for q in named_queries.catalogue().values():
        print(f"{q.name}: {q.summary}")
        for p in q.params:
            print(f"    {p.name:<12} {p.type:<10} {p.doc}")
        print(f"    columns: {', '.join(q.columns)}")
    return 0


def cmd_definitions(args: argparse.Namespace) -> int:
    from .definitions_doc import markdown

    sys.stdout.write(markdown(args.lang))
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from .demo import generate

    counts = generate(Path(args.out), scale=args.scale, seed=args.seed)
    for table, n in counts.items():
        print(f"{table}: {n} rows")
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="python -m pilotdash", description="Pilot-programme dashboard tools.")
    root.add_argument("--store", type=Path, default=None, help=f"the DuckDB store (default {default_path()})")
    root.add_argument("--as", dest="as_user", metavar="EMAIL", default=None,
                      help="answer as this person sees it (their scope); read commands only")
    sub = root.add_subparsers(dest="command", required=True)

    p = sub.add_parser("build", help="create or refresh the store from data-contract CSVs")
    p.add_argument("source", nargs="?", type=Path, default=DEMO_DIR, help="folder of CSVs (default data/demo)")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("query", help="run a named query")
    p.add_argument("name")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="a parameter; lists are comma-separated (belt=east,west)")
    p.add_argument("--format", choices=("csv", "json"), default="csv")
    p.set_defaults(func=cmd_query)

    p = sub.add_parser("queries", help="list the named queries with their parameters and columns")
    p.set_defaults(func=cmd_queries)

    p = sub.add_parser("definitions", help="every measure's definition and threshold (the Definitions page) as a document")
    p.add_argument("--format", choices=("md",), default="md")
    p.add_argument("--lang", choices=i18n.LANGS, default="en")
    p.set_defaults(func=cmd_definitions)

    p = sub.add_parser("demo", help="write the demo dataset (data-contract CSVs)")
    p.add_argument("--out", default=str(DEMO_DIR))
    p.add_argument("--scale", type=int, default=1)
    p.add_argument("--seed", type=int, default=20260930)
    p.set_defaults(func=cmd_demo)

    try:
        from .ingest.commands import add_ingest_commands
    except ImportError:
        pass
    else:
        add_ingest_commands(sub)
    from .warnings.commands import add_warning_commands

    add_warning_commands(sub)  # warnings ..., digest (pilotdash/warnings)
    from .people_commands import add_people_commands

    add_people_commands(sub)  # people list|add|set|disable, audit (pilotdash/people_commands.py)
    from .submission_commands import add_submission_commands

    add_submission_commands(sub)  # submissions list|show|approve|reject|withdraw|recheck
    from .assessment.commands import add_assessment_commands

    add_assessment_commands(sub)  # evaluate --round R (pilotdash/assessment)
    from .tasks.commands import add_report_commands

    add_report_commands(sub)  # report deviation (pilotdash/tasks/commands.py)
    return root


def _lang() -> str:
    return config.cli_lang()


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        _resolve_as(args)
        return args.func(args)
    except named_queries.QueryError as exc:  # asked wrongly: a usage error, in PILOTDASH_LANG
        print(f"error: {exc.text(_lang())}", file=sys.stderr)
        return 2
    except BrokenPipeError:
        # the reader went away (`query ... | head`): stop quietly, and keep Python's own flush at
        # exit from raising it again on the closed pipe
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except Problem as exc:  # a busy store too: its message in PILOTDASH_LANG, never a lock error
        print(f"error: {exc.text(_lang())}", file=sys.stderr)
        return 2
