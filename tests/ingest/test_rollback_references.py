"""A rollback alone never leaves a later row naming a row it removes, also where the name is
checked by a rule rather than a column's `ref` (a risk review its risk, a score its round, a task
its parent task, an issue its task): upload 1 adds risk RK9 of pilot A, upload 2 a review of RK9.
Rolled back alone, upload 1 would leave the review of a risk that is not there."""

import pytest

from pilotdash.errors import Problem
from pilotdash.ingest.apply import REFERENCES, apply, rollback
from pilotdash.ingest.plan import prepare


def upload(store, name, text):
    plan = prepare(store, name, text.encode())
    assert plan.clean, plan.errors.to_pylist()
    return apply(store, plan, "ana")


def test_a_risk_review_holds_back_the_rollback_of_its_risk(store):
    first = upload(store, "risks.csv", "risk_id,project_id,category,description,probability,impact,status,owner,"
                   "identified_on\nRK9,A,technical,接口未统一,3,4,open,李强,2026-03-01\n")
    second = upload(store, "risk_reviews.csv", "risk_id,reviewed_on,probability,impact,status\n"
                    "RK9,2026-04-15,2,4,open\n")
    with pytest.raises(Problem) as err:
        rollback(store, first.upload_id, "ana")
    assert (err.value.code, err.value.values["later"], err.value.values["keys"]) == (
        "ingest.err.later_dependents", f"#{second.upload_id}", "RK9")
    assert rollback(store, first.upload_id, "ana", cascade=True) == [second.upload_id, first.upload_id]
    assert store.rows("SELECT count(*) FROM risk_reviews WHERE risk_id = 'RK9'") == [(0,)]


def test_the_names_rules_check_are_references_too():
    named = {(t, c) for t, c, *_ in REFERENCES}
    assert {("risk_reviews", "risk_id"), ("eval_scores", "round_id"), ("tasks", "parent_id"),
            ("issues", "task_id")} <= named


def test_the_refusal_names_a_few_keys_and_says_how_many_more(store):
    # 30 risks, each reviewed by a later upload: the refusal shows ten of the keys, not thirty
    # (a pilots upload named by a million readings would otherwise print every key).
    risks = "".join(f"RK{i:02d},A,technical,风险{i},3,4,open,李强,2026-03-01\n" for i in range(30))
    first = upload(store, "risks.csv", "risk_id,project_id,category,description,probability,impact,status,owner,"
                   "identified_on\n" + risks)
    upload(store, "risk_reviews.csv", "risk_id,reviewed_on,probability,impact,status\n"
           + "".join(f"RK{i:02d},2026-04-15,2,4,open\n" for i in range(30)))
    with pytest.raises(Problem) as err:
        rollback(store, first.upload_id, "ana")
    keys = err.value.values["keys"]
    assert keys == ", ".join(f"RK{i:02d}" for i in range(10)) + ", … +20"


def test_scores_and_sub_items_hold_back_the_rollback_of_the_items_they_name(store):
    # An assessment item is named by scheme and code together: a score through its round's
    # scheme, a sub-item through its parent. Upload 1 adds scheme S's items A and A1; upload 2 a
    # round of S; upload 3 a score of A1; upload 4 a sub-item A2 under A. Rolled back alone,
    # upload 1 would leave the score and the sub-item naming items that are not there.
    items = upload(store, "eval_items.csv", "scheme,item_code,parent_code,name_zh,marks,method,method_arg,veto\n"
                   "S,A,,决策,,,,\nS,A1,A,立项依据,100,manual,,否\n")
    upload(store, "eval_rounds.csv", "round_id,name,kind,period_start,period_end,scheme\n"
           "R1,第一批,annual,2026-01-01,2026-06-30,S\n")
    score = upload(store, "eval_scores.csv", "round_id,project_id,evaluator,item_code,score\nR1,A,self,A1,25\n")
    sub_item = upload(store, "eval_items.csv", "scheme,item_code,parent_code,name_zh,marks,method,method_arg,veto\n"
                      "S,A1,A,立项依据,80,manual,,否\nS,A2,A,绩效目标,20,manual,,否\n")
    with pytest.raises(Problem) as err:
        rollback(store, items.upload_id, "ana")
    assert err.value.code == "ingest.err.later_dependents"
    assert err.value.values["keys"] == "S/A1, S/A"  # S/A1 named by the score only, S/A by A2 only
    assert {f"#{score.upload_id}", f"#{sub_item.upload_id}"} <= set(err.value.values["later"].split(", "))
    assert store.rows("SELECT count(*) FROM eval_items") == [(3,)]  # nothing rolled back
