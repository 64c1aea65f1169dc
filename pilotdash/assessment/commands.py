"""`python -m pilotdash evaluate --round R`: score the rounds again from the current data and print
a round's league table; `--as EMAIL` limits the table to that person's scope like every read."""

from __future__ import annotations

import argparse

import pandas as pd

from .. import audit, config, events, i18n, named_queries, people, policy
from .. import scope as scope_mod
from ..store import open_store
from . import scoring
from .report import flag as _yes


def _lang() -> str:
    return config.cli_lang()


def league_text(frame, lang: str) -> str:
    """The league table as plain text, in `lang` (codes as words, "—" for nothing)."""
    if frame.empty:
        return i18n.t("assess.none", lang)
    dash = i18n.DASH

    def num(v):
        return dash if pd.isna(v) else f"{v:.2f}"

    def word(field, v):
        return dash if pd.isna(v) else i18n.label(field, v, lang)

    rows = [[i18n.t(f"assess.col.{c}", lang) for c in
             ("rank", "pilot", "belt", "province", "final_total", "grade", "final_evaluator", "change", "inflated")]]
    for r in frame.itertuples():
        rows.append([
            dash if pd.isna(r.rank) else str(int(r.rank)),
            f"{r.project_id} {r.name_zh if lang == 'zh' or pd.isna(r.name_en) else r.name_en}",
            word("belt", r.belt),
            r.province_code,
            num(r.final_total),
            word("grade", r.final_grade),
            word("evaluator", r.final_evaluator),
            num(r.change),
            i18n.t("assess.inflated_by", lang, n=f"{r.inflation:.2f}") if _yes(r.inflated) else "",
        ])
    widths = [max(len(str(row[i])) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(str(c).ljust(w) for c, w in zip(row, widths)).rstrip() for row in rows)


def cmd_evaluate(args: argparse.Namespace) -> int:
    lang = _lang()
    store = open_store(args.store, build_if_missing=args.store is None)
    try:
        runner = people.local_admin()  # whoever holds the store file scores (a derived write)
        policy.require(store, runner, "build", what=f"evaluate {args.round}")
        scored = scoring.recompute(store)
        audit.record(store, runner.email, "build", f"evaluate {args.round}", None,
                     {"rounds": scored.rounds, "evaluations": scored.evaluations})
        if scored.changed:  # a grade moved: the snapshots and the warnings follow, as after any change
            events.data_changed(store)  # (the scoring it starts with finds nothing left to do)
    finally:
        store.close()
    person = getattr(args, "person", None)  # --as EMAIL, resolved by pilotdash.cli
    reader = open_store(args.store, build_if_missing=False)
    reader = scope_mod.limited(reader, person.scope) if person is not None else reader
    try:
        if not reader.rows("SELECT 1 FROM eval_rounds WHERE round_id = ?", [args.round]):
            raise named_queries.QueryError("assess.no_round", round=args.round)
        frame = named_queries.run(reader, "evaluation_league", {"round": args.round})
    finally:
        reader.close()
    print(league_text(frame, lang))
    return 0


cmd_evaluate.reads_as = True  # --as limits the league table (the scoring itself is the store's)


def add_assessment_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("evaluate", help="score the assessment rounds again and print a round's league table")
    p.add_argument("--round", required=True, help="the round id (eval_rounds.round_id)")
    p.set_defaults(func=cmd_evaluate)
