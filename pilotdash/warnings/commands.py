"""CLI: `warnings recompute|list|ack|close|subscribe|subscriptions|unsubscribe|deliver` and
`digest --period week|month [--as-of D] [--send] [--lang en] [--out FILE]`.

`ack`, `close`, `subscribe` and `unsubscribe` act as a person (`--as EMAIL`, else the CLI's local
operator: people.for_cli) and are held to the access policy and audited like the Warnings page.

Exit codes: 0 done; 1 a delivery failed (still pending, retried by the next `deliver`) or a
response was refused; 2 a problem with the store or the arguments."""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from .. import audit, i18n, named_queries, people, policy
from .. import scope as scope_mod
from ..cli_args import reading_store
from ..errors import Problem
from ..spreadsheet import neutral_frame
from ..store import open_store
from . import digest as digest_mod
from . import ledger, notify, subscriptions


def _lang(args: argparse.Namespace) -> str:
    lang = getattr(args, "lang", None) or os.environ.get("PILOTDASH_LANG", "en")
    return lang if lang in i18n.LANGS else "en"


def _actor(store, args) -> people.Person:
    """Who the command acts as: `--as EMAIL`, else the local operator (whoever runs the CLI on the
    machine that holds the store: a national admin)."""
    return people.for_cli(store, getattr(args, "as_email", None))


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date like 2026-09-30: {text!r}") from None


def cmd_recompute(args) -> int:
    store = open_store(args.store)
    try:
        result = ledger.recompute(store, args.as_of, by=people.local_admin().email)
        print(i18n.t("cli.recomputed", _lang(args), as_of=i18n.fmt_date(result.as_of, _lang(args)), raised=len(result.raised),
                     escalated=len(result.escalated), lowered=len(result.lowered), resolved=len(result.resolved),
                     notices=result.notices))
        if args.deliver and result.notices:
            return _deliver(store, _lang(args))
    finally:
        store.close()
    return 0


def _reading_store(args):
    return reading_store(args, build_if_missing=True)


def cmd_list(args) -> int:
    store = _reading_store(args)
    try:
        frame = named_queries.run(
            store, "warnings_list", {"level": args.level, "wstate": args.state, "project": args.project}
        )
    finally:
        store.close()
    columns = [
        "warning_id",
        "level",
        "state",
        "overdue",
        "project_id",
        "condition",
        "trigger_id",
        "raised_on",
        "respond_by",
        "owner",
        "response_note",
        "pending_notices",
    ]
    neutral_frame(frame[columns]).to_csv(sys.stdout, index=False)
    return 0


def _respond(args, action) -> int:
    store = open_store(args.store)
    try:
        action(store)
    except Problem as err:  # a bad response, refused (and audited), or --as names nobody
        print(f"error: {err.text(_lang(args))}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(i18n.t("cli.done", _lang(args)))
    return 0


def cmd_ack(args) -> int:
    return _respond(
        args, lambda s: ledger.acknowledge(s, args.warning_id, _actor(s, args), args.note, args.plan_date)
    )


def cmd_close(args) -> int:
    return _respond(args, lambda s: ledger.close(s, args.warning_id, _actor(s, args), args.reason))


def cmd_subscribe(args) -> int:
    store = open_store(args.store)
    try:
        sid = subscriptions.add(
            store,
            _actor(store, args),
            args.name,
            lang=args.lang or "zh",
            scope_kind=args.scope,
            scope_codes=[c for c in (args.codes or "").split(",") if c],
            min_level=args.min_level,
            email=args.email,
            webhook_kind=args.webhook_kind,
            webhook_url=args.webhook_url,
            webhook_secret=os.environ.get("PILOTDASH_WEBHOOK_SECRET")
            if args.webhook_secret_from_env
            else None,
        )
    except Problem as err:  # a bad field, refused (audited), or --as names nobody
        print(f"error: {err.text(_lang(args))}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(i18n.t("cli.subscribed", _lang(args), id=sid))
    return 0


def cmd_subscriptions(args) -> int:
    store = _reading_store(args)
    try:
        # the --as person's own (every one for an admin); without --as the local operator's view
        who = getattr(args, "person", None) or people.local_admin()
        for s in subscriptions.visible(store, who):
            channel = ", ".join(filter(None, [s.email, s.webhook_kind and f"{s.webhook_kind} webhook"]))
            print(
                f"{s.subscription_id}\t{i18n.t('cli.active' if s.active else 'cli.ended', _lang(args))}\t{s.name}\t{s.lang}\t{s.scope_kind}:"
                f"{','.join(s.scope_codes) or '*'}\t>= {s.min_level}\t{channel}\t{s.owner or '-'}"
            )
    finally:
        store.close()
    return 0


def cmd_unsubscribe(args) -> int:
    store = open_store(args.store)
    try:
        subscriptions.deactivate(store, _actor(store, args), args.subscription_id)
    except Problem as err:  # not theirs or not there (one answer, audited), or --as names nobody
        print(f"error: {err.text(_lang(args))}", file=sys.stderr)
        return 2
    finally:
        store.close()
    print(i18n.t("cli.ended", _lang(args)))
    return 0


def _deliver(store, lang: str) -> int:
    result = notify.deliver_due(store)
    print(i18n.t("cli.delivered", lang, sent=len(result.sent), failed=len(result.failed), waiting=result.waiting))
    return 1 if result.failed else 0


def cmd_deliver(args) -> int:
    store = open_store(args.store)
    try:
        return _deliver(store, _lang(args))
    finally:
        store.close()


def cmd_digest(args) -> int:
    """Write the digest (stdout or --out) and with --send mail it to every active e-mail
    subscriber, each for their subscription's scope within its owner's scope as it is now (a
    disabled or unknown owner: none), and in their language. Exit 1 if any mail failed."""
    lang = args.lang or "zh"
    store = _reading_store(args)
    try:
        made = digest_mod.build(store, args.period, args.as_of, lang)
        if args.out:
            Path(args.out).write_text(made.html, encoding="utf-8")
            print(i18n.t("cli.wrote", _lang(args), file=args.out, what=made.subject), file=sys.stderr)
        elif not args.send:
            sys.stdout.write(made.html)
        if not args.send:
            return 0
        # mailing the digest to every subscriber is the office's act (report_send), as the
        # deviation report's is: asked and audited (--as is refused with --send: the local operator)
        base = getattr(store, "base", store)
        actor = people.for_cli(base, None)
        policy.require(base, actor, "report_send", what=f"digest {args.period}")
        settings = notify.load_settings()
        failed = sent = 0
        for sub in subscriptions.list_all(store):
            if not sub.active or not sub.email:
                continue
            owner = subscriptions.owner_person(store, sub.owner)
            if owner is None:
                continue
            scope = (
                {"belt": list(sub.scope_codes)}
                if sub.scope_kind == "belt"
                else {"province": list(sub.scope_codes)}
                if sub.scope_kind == "province"
                else {"project": list(sub.scope_codes)}
                if sub.scope_kind == "pilots"
                else {}
            )
            theirs = digest_mod.build(scope_mod.limited(store, owner.scope), args.period, made.as_of, sub.lang,
                                      **scope)
            try:
                notify.send_email(settings, digest_mod.email(theirs, settings.smtp.sender, sub.email))
                sent += 1
            except Problem as exc:  # no mail server, or it refused: a fixed reason
                failed += 1
                print(i18n.t("cli.send_failed", _lang(args), to=sub.email, reason=exc.text(_lang(args))), file=sys.stderr)
        audit.record(base, actor.email, "report_send", f"digest {args.period} {made.as_of} sent",
                     actor.scope, {"sent": sent, "failed": failed})
        print(i18n.t("cli.sent", _lang(args), sent=sent, failed=failed), file=sys.stderr)
        return 1 if failed else 0
    finally:
        store.close()


def _acting(p: argparse.ArgumentParser) -> None:
    p.add_argument("--as", dest="as_email", metavar="EMAIL", default=None,
                   help="act as this person (their roles and scope); default: the local operator")


def add_warning_commands(sub: argparse._SubParsersAction) -> None:
    w = sub.add_parser("warnings", help="early warnings 预警: recompute, list, respond, subscribe, deliver")
    ws = w.add_subparsers(dest="warnings_command", required=True)
    p = ws.add_parser("recompute", help="raise, escalate and resolve warnings for an as-of date")
    p.add_argument("--as-of", type=_date, default=None, help="default: today or the newest reading")
    p.add_argument("--deliver", action="store_true", help="then send the new notices")
    p.set_defaults(func=cmd_recompute)
    cmd_list.reads_as = cmd_subscriptions.reads_as = cmd_digest.reads_as = True  # --as EMAIL (pilotdash.cli)
    p = ws.add_parser("list", help="warnings as CSV, worst and most overdue first")
    p.add_argument("--level", choices=("red", "orange", "yellow"))
    p.add_argument(
        "--state", choices=("live", "overdue", "open", "acknowledged", "resolved", "closed", "all")
    )
    p.add_argument("--project")
    p.set_defaults(func=cmd_list)
    p = ws.add_parser("ack", help="acknowledge a warning with a response note and a plan date")
    p.add_argument("warning_id", type=int)
    p.add_argument("--note", required=True)
    p.add_argument("--plan-date", type=_date, required=True)
    _acting(p)
    p.set_defaults(func=cmd_ack)
    p = ws.add_parser("close", help="close a warning with a reason")
    p.add_argument("warning_id", type=int)
    p.add_argument("--reason", required=True)
    _acting(p)
    p.set_defaults(func=cmd_close)
    p = ws.add_parser("subscribe", help="subscribe an e-mail address and/or a group robot to warnings")
    p.add_argument("name")
    p.add_argument("--scope", choices=subscriptions.SCOPES, default="national")
    p.add_argument("--codes", help="comma-separated belts, province codes or pilot ids")
    p.add_argument("--min-level", choices=("red", "orange", "yellow"), default="orange")
    p.add_argument("--lang", choices=("zh", "en"), default="zh")
    p.add_argument("--email")
    p.add_argument("--webhook-kind", choices=subscriptions.WEBHOOKS)
    p.add_argument("--webhook-url")
    p.add_argument(
        "--webhook-secret-from-env",
        action="store_true",
        help="the robot's signing secret from PILOTDASH_WEBHOOK_SECRET (never on the command line)",
    )
    _acting(p)
    p.set_defaults(func=cmd_subscribe)
    p = ws.add_parser("subscriptions", help="list the subscriptions")
    p.set_defaults(func=cmd_subscriptions)
    p = ws.add_parser("unsubscribe", help="end a subscription (its owner or an admin)")
    p.add_argument("subscription_id", type=int)
    _acting(p)
    p.set_defaults(func=cmd_unsubscribe)
    p = ws.add_parser("deliver", help="send the notices that are due (cron-able); exit 1 if any failed")
    p.set_defaults(func=cmd_deliver)

    p = sub.add_parser("digest", help="the warnings digest 周报/月报 as printable HTML; --send mails it")
    p.add_argument("--period", choices=digest_mod.PERIODS, default="week")
    p.add_argument("--as-of", type=_date, default=None)
    p.add_argument(
        "--lang", choices=("zh", "en"), default=None, help="default zh (with --send: each subscriber's)"
    )
    p.add_argument("--out", help="write the HTML file here (default: standard output)")
    p.add_argument("--send", action="store_true", help="mail it to every active e-mail subscriber")
    p.set_defaults(func=cmd_digest)
