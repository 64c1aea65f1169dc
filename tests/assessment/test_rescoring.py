"""Scoring again after a change (pilotdash/assessment/scoring.py `rescore`): only the rounds
whose inputs changed are scored, and what is left stands exactly as a full scoring would leave it.

The fixture store (tests/fixtures.py, D = 2026-06-30) with one scheme T of five 20-mark leaves:
K1 indicator P1, K2 measure execution_rate, K3 measure milestone_completion, K4 survey public,
K5 manual; rounds Q1 (period end 2026-03-31) and Q2 (2026-06-30); self scores K5 = 15 for A and
B in both rounds; one public survey of A on 2026-03-31. Pilots evaluated: A, B, D (C withdrawn).
Each case applies an upload (or rolls one back) with only the scoring following the change, then
checks which rounds were scored, which leaves moved, and that a full scoring changes nothing more.
"""

from __future__ import annotations

import re

import pytest

from pilotdash import events
from pilotdash.assessment import scoring
from pilotdash.domain import TABLES
from pilotdash.ingest.apply import apply, rollback
from pilotdash.ingest.plan import prepare

ITEMS = [
    ("K1", None, 20, "indicator", "P1", "false"),
    ("K2", None, 20, "measure", "execution_rate", "false"),
    ("K3", None, 20, "measure", "milestone_completion", "false"),
    ("K4", None, 20, "survey", "public", "false"),
    ("K5", None, 20, "manual", None, "false"),
]
ROUNDS = [("Q1", "quarterly", "2026-01-01", "2026-03-31"), ("Q2", "quarterly", "2026-04-01", "2026-06-30")]
SCORES = [(r, p, "self", "K5", 15) for r in ("Q1", "Q2") for p in ("A", "B")]
SURVEYS = [("A", "2026-03-31", "public", 100, 80)]

PROJECT_HEAD = "project_id,name_zh,name_en,domain,pilot_type,province_code,city,lead_unit,batch_year,start_date,end_date,status,status_date\n"

# name, file, the rounds scored again, the leaves (round, pilot, item) that move
CASES = [
    # risks feed no round: nothing is scored
    ("risks", "risks.csv",
     "risk_id,project_id,category,description,probability,impact,status,owner,identified_on\n"
     "r9,A,policy,新风险,2,2,open,张三,2026-05-01\n", (), set()),
    # a reading after every period end: no round reads it
    ("reading_later", "readings.csv", "project_id,indicator_code,period_end,actual_value\nA,P1,2026-12-31,10\n",
     (), set()),
    # A's P1 of 2026-03-31, 60 -> 30: Q1's current actual; Q2 reads the one of 2026-06-30 instead
    ("reading_superseded", "readings.csv",
     "project_id,indicator_code,period_end,actual_value\nA,P1,2026-03-31,30\n", ("Q1",), {("Q1", "A", "K1")}),
    # an I1 reading of A dated 2026-01-31: Q1 reads it (which indicator a leaf names is not asked),
    # Q2 reads A's I1 of 2026-06-30 instead; no leaf of T reads I1, so nothing moves
    ("reading_other_indicator", "readings.csv",
     "project_id,indicator_code,period_end,actual_value\nA,I1,2026-01-31,50\n", ("Q1",), set()),
    # A's P1 of 2026-06-30, 66 -> 33 (national target 80): K1 of Q2 only, 16.5 -> 8.25; Q1 ends before it
    ("reading_q2", "readings.csv", "project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,33\n",
     ("Q2",), {("Q2", "A", "K1")}),
    # A's 2026 local software line spent 20 -> 40: execution rate (80 + 40) / 150 in both rounds of 2026
    ("budget", "budget_lines.csv",
     "project_id,fiscal_year,source,category,allocated,disbursed,spent\nA,2026,local,software,100,50,40\n",
     ("Q1", "Q2"), {("Q1", "A", "K2"), ("Q2", "A", "K2")}),
    # m3 (A, due 2026-06-15) done: A's completion by Q2 2/3 -> 3/3; Q1 (m1, m2 due) is scored but stays
    ("milestone", "milestones.csv",
     "milestone_id,project_id,phase,name,kind,due_date,done_date\nm3,A,deepening,中期评估,outcome,2026-06-15,2026-06-20\n",
     ("Q1", "Q2"), {("Q2", "A", "K3")}),
    # B's first public survey, dated Q2's end: K4 of Q2 only (no data -> scored)
    ("survey", "surveys.csv", "project_id,period_end,respondent,sample_size,satisfied\nB,2026-06-30,public,100,95\n",
     ("Q2",), {("Q2", "B", "K4")}),
    # B's self score of Q2, 15 -> 5: Q2 only, and only its manual leaves and totals
    ("score", "eval_scores.csv", "round_id,project_id,evaluator,item_code,score\nQ2,B,self,K5,5\n",
     ("Q2",), {("Q2", "B", "K5")}),
    # a leaf of scheme T renamed: T's rounds are scored again, no score moves
    ("scheme", "eval_items.csv", "scheme,item_code,parent_code,name_zh,marks,method,method_arg,veto\n"
     "T,K1,,指标一,20,indicator,P1,false\nT,K2,,指标二,20,measure,execution_rate,false\n"
     "T,K3,,指标三,20,measure,milestone_completion,false\nT,K4,,指标四,20,survey,public,false\n"
     "T,K5,,指标五,20,manual,,false\n", ("Q1", "Q2"), set()),
    # D withdrawn from 2026-04-15: Q2 no longer evaluates it, Q1 still does
    ("project", "projects.csv",
     PROJECT_HEAD + "D,北京教育试点,Beijing education pilot,education,basic,11,北京,北京市教育委员会,2025,2025-06-01,"
     "2029-12-31,withdrawn,2026-04-15\n",
     ("Q1", "Q2"), {("Q2", "D", k) for k in ("K1", "K2", "K3", "K4")}),
    # a task: no leaf of T names on_time_delivery
    ("task", "tasks.csv",
     "task_id,project_id,parent_id,name,owner,start_date,due_date,done_date,weight,progress,deliverable\n"
     "t1,A,,总目标,张三,2026-01-01,2026-12-31,,1,10,方案\n", (), set()),
]


def _insert(cur, table: str, rows: list[tuple]) -> None:
    if rows:
        cur.executemany(f"INSERT INTO {table} VALUES ({', '.join('?' for _ in rows[0])})", rows)


@pytest.fixture
def scored(store):
    with store.writing() as cur:
        _insert(cur, "eval_items", [("T", c, p, f"指标{c}", None, m, meth, arg, veto) for c, p, m, meth, arg, veto in ITEMS])
        _insert(cur, "eval_rounds", [(rid, f"批次{rid}", kind, start, end, "T") for rid, kind, start, end in ROUNDS])
        _insert(cur, "eval_scores", [(*s, None, None) for s in SCORES])
        _insert(cur, "surveys", SURVEYS)
    scoring.recompute(store)
    return store


def leaves(store) -> dict[tuple, tuple]:
    return {(r, p, i, e): (v, s, st) for r, p, e, i, v, s, st in store.rows(
        "SELECT round_id, project_id, evaluator, item_code, value, score, state FROM eval_leaf_results")}


def results(store) -> set[tuple]:
    return set(store.rows("SELECT round_id, project_id, evaluator, complete, scored_marks, total, grade, veto_item "
                          "FROM eval_results"))


def moved(before: dict, after: dict) -> set[tuple]:
    return {k[:3] for k in before.keys() | after.keys() if before.get(k) != after.get(k)}


def upload(store, name: str, text: str):
    plan = prepare(store, name, text.encode())
    assert plan.clean, plan.row_report("en")
    return apply(store, plan, "tester")


def follow(store, change) -> scoring.Scored:
    """Run `change` with only the scoring after it (as warnings.hooks runs it); what it did."""
    done: list[scoring.Scored] = []
    with events.replaced(lambda s, deliver, tables: done.append(scoring.rescore(s, tables))):
        change()
    assert len(done) == 1
    return done[0]


def same_as_full(store) -> None:
    """Scoring everything again changes nothing: what rescore left is what the data says."""
    kept = (leaves(store), results(store))
    scoring.recompute(store)
    assert (leaves(store), results(store)) == kept


@pytest.mark.parametrize("name, file, text, rounds, expected", CASES, ids=[c[0] for c in CASES])
def test_an_upload_scores_again_exactly_the_rounds_it_can_move(scored, name, file, text, rounds, expected):
    before = leaves(scored)
    done = follow(scored, lambda: upload(scored, file, text))
    assert done.scored == rounds
    assert done.skipped == len(ROUNDS) - len(rounds)
    assert done.manual == (rounds if name == "score" else ())
    assert moved(before, leaves(scored)) == expected
    same_as_full(scored)


def test_beyond_the_rows_looked_up_a_reading_moves_every_round_ending_after_it(scored, monkeypatch):
    monkeypatch.setattr(scoring, "WINDOW_ROWS", 0)
    done = follow(scored, lambda: upload(scored, "readings.csv",
                                         "project_id,indicator_code,period_end,actual_value\nA,P1,2026-03-31,30\n"))
    assert done.scored == ("Q1", "Q2")  # Q2 too, though the reading of 2026-06-30 hides it there
    later = follow(scored, lambda: upload(scored, "readings.csv",
                                          "project_id,indicator_code,period_end,actual_value\nA,P1,2026-12-31,1\n"))
    assert later.scored == ()
    same_as_full(scored)


def test_a_reading_moves_the_indicator_leaf_by_hand(scored, leaf):
    assert leaf("Q2", "A", "K1") == (pytest.approx(66 / 80), 16.5, "scored")
    follow(scored, lambda: upload(scored, "readings.csv",
                                  "project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,33\n"))
    assert leaf("Q2", "A", "K1") == (pytest.approx(33 / 80), 8.25, "scored")
    assert leaf("Q1", "A", "K1") == (pytest.approx(60 / 80), 15.0, "scored")


def test_a_rollback_scores_the_rounds_again_and_the_scores_come_back(scored):
    before = (leaves(scored), results(scored))
    applied = follow(scored, lambda: upload(scored, "readings.csv",
                                            "project_id,indicator_code,period_end,actual_value\nA,P1,2026-06-30,33\n"
                                            "B,P1,2026-03-31,10\n"))
    assert applied.scored == ("Q1", "Q2") and applied.changed
    upload_id = scored.rows("SELECT max(upload_id) FROM upload_log")[0][0]
    undone = follow(scored, lambda: rollback(scored, upload_id, "tester"))
    assert undone.scored == ("Q1", "Q2") and undone.changed
    assert (leaves(scored), results(scored)) == before
    same_as_full(scored)


def test_nothing_new_scores_nothing_and_a_write_outside_the_uploads_scores_everything(scored):
    assert scoring.rescore(scored).scored == ()
    version = scored.data_version()
    with scored.writing() as w:  # no upload names it: anything may have changed
        w.execute("UPDATE surveys SET satisfied = 40 WHERE project_id = 'A'")
    done = scoring.rescore(scored)
    assert done.scored == ("Q1", "Q2") and done.changed and scored.data_version() != version
    same_as_full(scored)


def test_a_write_that_names_its_table_scores_the_rounds_that_read_it(scored):
    with scored.writing() as w:
        w.execute("INSERT INTO risks VALUES ('r9', 'A', 'policy', '新风险', 2, 2, 'open', '张三', '2026-05-01')")
    assert scoring.rescore(scored, ("risks",)).scored == ()
    with scored.writing() as w:
        w.execute("UPDATE eval_scores SET score = 5 WHERE round_id = 'Q1' AND project_id = 'A'")
    assert scoring.rescore(scored, ("eval_scores",)).scored == ("Q1", "Q2")
    same_as_full(scored)


def test_a_round_added_is_scored_and_a_round_rolled_back_leaves_no_rows(scored):
    added = follow(scored, lambda: upload(scored, "eval_rounds.csv",
                                          "round_id,name,kind,period_start,period_end,scheme\n"
                                          "Q3,三季度,quarterly,2026-07-01,2026-09-30,T\n"))
    assert added.scored == ("Q3",)  # Q1 and Q2 read nothing of Q3 (the change since the last is read live)
    assert scored.rows("SELECT count(*) FROM eval_leaf_results WHERE round_id = 'Q3'")[0][0] > 0
    upload_id = scored.rows("SELECT max(upload_id) FROM upload_log")[0][0]
    gone = follow(scored, lambda: rollback(scored, upload_id, "tester"))
    assert gone.changed and gone.scored == ()  # only Q3's rows go
    assert scored.rows("SELECT count(*) FROM eval_leaf_results WHERE round_id = 'Q3'")[0][0] == 0
    same_as_full(scored)


def test_tasks_and_issues_feed_a_round_whose_scheme_names_them(scored):
    with scored.writing() as w:
        w.execute("UPDATE eval_items SET method_arg = 'on_time_delivery' WHERE item_code = 'K3'")
    scoring.recompute(scored)
    done = follow(scored, lambda: upload(scored, CASES[-1][1], CASES[-1][2]))
    assert done.scored == ("Q1", "Q2")
    same_as_full(scored)


def _macro_tables(store, name: str, macros: dict[str, str], tables: set[str], seen: set[str]) -> set[str]:
    """The tables a macro's text names, through the macros it calls (a word that is a table's
    name counts, so this can only say too much)."""
    if name in seen:
        return set()
    seen.add(name)
    words = set(re.findall(r"[a-z_][a-z0-9_]*", macros.get(name, "").lower()))
    found = words & tables
    for called in words & macros.keys():
        found |= _macro_tables(store, called, macros, tables, seen)
    return found


def test_the_tables_each_method_reads_cover_what_its_macros_read(store):
    macros: dict[str, str] = {}
    for name, text in store.rows("SELECT function_name, macro_definition FROM duckdb_functions() "
                                 "WHERE function_type IN ('macro', 'table_macro') AND schema_name = 'main'"):
        macros[name] = macros.get(name, "") + " " + (text or "")
    uploads = set(TABLES)

    def reads(*names: str) -> set[str]:
        out: set[str] = set()
        for n in names:
            out |= _macro_tables(store, n, macros, uploads, set())
        return out

    # every round: who is evaluated, the tree, the manual scores, the totals
    assert reads("eval_round_pilots", "eval_manual_leaves", "eval_totals", "eval_tree") <= scoring.ROUND_TABLES
    # the automatic leaves: eval_measure_values holds every measure and indicator a leaf may name
    every = set(scoring.ROUND_TABLES).union(*scoring.METHOD_TABLES.values(), *scoring.MEASURE_TABLES.values())
    assert reads("eval_measure_values", "eval_auto_leaves") <= every
    assert reads("indicator_status_all") <= scoring.METHOD_TABLES["indicator"]
    assert reads("counted_budget_lines") <= scoring.MEASURE_TABLES["execution_rate"]
    assert reads("earned_value_all") <= scoring.MEASURE_TABLES["spi"] == scoring.MEASURE_TABLES["cpi"]
    for later in ("on_time_delivery", "issue_resolution"):
        assert reads(later) <= scoring.MEASURE_TABLES[later] | scoring.ROUND_TABLES
    assert scoring.DATED_TABLES.keys() <= {"readings", "surveys"}
    # the latest row on a date, per series: current_readings by (project, indicator), the surveys by
    # (project, respondent)
    assert "GROUP BY project_id, indicator_code" in macros["current_readings"].replace("\n", " ")
    assert "GROUP BY project_id, respondent" in macros["eval_auto_leaves"].replace("\n", " ")
