"""`python -m pilotdash report deviation --month 2026-11 [--as EMAIL] [--send] [--lang en]
[--format docx|html] [--out FILE]`: the deviation report 偏差分析报告 of a month for the person's
scope (national without --as), written to a file (default deviation_<month>_<lang>.<format>), or
with --send mailed (HTML body, the Word file attached) to every active e-mail subscriber of the
warnings, each for their subscription's scope within its owner's scope as it is now (as the digest
is) and in their language. Mailing the office's report to everyone is the policy's `report_send`
(national reviewers; the local operator): a refusal is audited and sends nothing. Every report
made is audited."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .. import audit, people, policy
from ..errors import Problem
from ..config import cli_lang
from ..i18n import t
from .. import scope as scope_mod
from ..store import open_store
from ..warnings import notify, subscriptions
from . import deviation

DOCX_MIME = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")


def _store(args):
    store = open_store(args.store, build_if_missing=args.store is None)
    person = getattr(args, "person", None)
    return store, (scope_mod.limited(store, person.scope) if person is not None else store), person


def _subscriber_scope(sub) -> dict:
    return ({"belt": list(sub.scope_codes)} if sub.scope_kind == "belt"
            else {"province": list(sub.scope_codes)} if sub.scope_kind == "province"
            else {"project": list(sub.scope_codes)} if sub.scope_kind == "pilots" else {})


def email(made: deviation.Deviation, sender: str, to: str):
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = made.title, sender, to
    msg["Content-Language"] = "zh-CN" if made.lang == "zh" else "en"
    msg.set_content(f"{made.title}\n{made.summary()}\n")
    msg.add_alternative(made.html, subtype="html")
    msg.add_attachment(made.docx, maintype=DOCX_MIME[0], subtype=DOCX_MIME[1], filename=made.file_name("docx"))
    return msg


def cmd_deviation(args) -> int:
    try:
        since, until = deviation.month_period(args.month)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    lang = args.lang or "zh"
    out_lang = cli_lang()  # the operator's lines; the report is in `lang`
    base, store, person = _store(args)
    actor = person or people.for_cli(base, None)
    try:
        made = deviation.build(store, since, until, lang)
        if not args.send:
            out = Path(args.out or made.file_name(args.format))
            out.write_bytes(made.docx if args.format == "docx" else made.html.encode("utf-8"))
            audit.record(base, actor.email, "report", out.name, actor.scope, {"month": args.month})
            print(t("cli.wrote", out_lang, file=str(out), what=made.summary()), file=sys.stderr)
            return 0
        policy.require(base, actor, "report_send", what=f"deviation {args.month}")
        settings = notify.load_settings()
        sent = failed = 0
        for sub in subscriptions.list_all(base):
            if not sub.active or not sub.email:
                continue
            owner = subscriptions.owner_person(base, sub.owner)
            if owner is None:  # a disabled or unknown owner: nothing is sent for them
                continue
            theirs = deviation.build(scope_mod.limited(base, owner.scope), since, until, sub.lang,
                                     **_subscriber_scope(sub))
            try:
                notify.send_email(settings, email(theirs, settings.smtp.sender, sub.email))
                sent += 1
            except Problem as exc:  # no mail server, or it refused: a fixed reason
                failed += 1
                print(t("cli.send_failed", out_lang, to=sub.email, reason=exc.text(out_lang)), file=sys.stderr)
        # the act the policy allowed (report_send), audited under that name as its refusal is
        audit.record(base, actor.email, "report_send", f"deviation {args.month} sent", actor.scope,
                     {"sent": sent, "failed": failed})
        print(t("cli.sent", out_lang, sent=sent, failed=failed), file=sys.stderr)
        return 1 if failed else 0
    finally:
        base.close()


cmd_deviation.reads_as = True  # --as EMAIL (pilotdash.cli): the report of their scope
cmd_deviation.sends_as = True  # and with --send: sent as them, if the policy lets them (report_send)


def add_report_commands(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("report", help="reports: deviation (偏差分析报告)")
    rs = r.add_subparsers(dest="report_command", required=True)
    p = rs.add_parser("deviation", help="the deviation report of a month: tasks late or behind, overdue issues, "
                                        "risks that rose")
    p.add_argument("--month", required=True, help="YYYY-MM")
    p.add_argument("--lang", choices=("zh", "en"), default=None, help="default zh")
    p.add_argument("--format", choices=("docx", "html"), default="docx")
    p.add_argument("--out", default=None, help="the file (default deviation_<from>_<to>_<lang>.<format>)")
    p.add_argument("--send", action="store_true", help="mail it to every active e-mail subscriber instead")
    p.set_defaults(func=cmd_deviation)
