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
