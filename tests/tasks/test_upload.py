"""The three new upload tables: every refusal names the row, the column and the reason; a good
file applies and rolls back exactly; a risk upload no longer rewrites what the risk was."""

import pytest

from pilotdash.ingest.apply import apply, rollback
from pilotdash.ingest.plan import prepare

TASK_HEADER = "task_id,project_id,parent_id,name,owner,start_date,due_date,done_date,weight,progress,deliverable\n"


def errors(plan):
    """(file row, column, reason code) of every row error."""
    return sorted((r["_row"], r["col"], r["code"]) for r in plan.errors.to_pylist())


def tasks_file(*rows):
    return (TASK_HEADER + "".join(",".join(r) + "\n" for r in rows)).encode()


def row(tid, pid="A", parent="", due="2026-12-31", start="2026-01-01", weight="1", progress=""):
    return (tid, pid, parent, "名称", "王芳", start, due, "", weight, progress, "")


def test_a_three_level_tree_applies_and_rolls_back(store):
    plan = prepare(store, "tasks.csv", tasks_file(row("g"), row("s", parent="g"), row("a", parent="s")))
    assert plan.table == "tasks" and errors(plan) == []
    done = apply(store, plan, "tester")
    assert store.rows("SELECT count(*) FROM tasks")[0][0] == 3
    rollback(store, done.upload_id, "tester")
    assert store.rows("SELECT count(*) FROM tasks")[0][0] == 0


def test_tree_rules_name_the_row_and_column(store):
    plan = prepare(store, "tasks.csv", tasks_file(
        row("g"),                                   # row 2: fine
        row("s", parent="g"), row("a", parent="s"),  # rows 3, 4: fine (three levels)
        row("x", parent="a"),                        # row 5: a fourth level
        row("o", parent="nope"),                     # row 6: no such parent
        row("b", pid="B", parent="g"),               # row 7: parent of another pilot
        row("c1", parent="c2"), row("c2", parent="c1"),  # rows 8, 9: a cycle
        row("d", due="2025-12-31"),                  # row 10: due before start
        row("w", weight="0"),                        # row 11: weight not > 0
        row("p", progress="120"),                    # row 12: progress outside 0–100
    ))
    assert errors(plan) == [
        (5, "parent_id", "task_too_deep"),
        (6, "parent_id", "parent_unknown"),
        (7, "parent_id", "parent_other_pilot"),
        (8, "parent_id", "task_cycle"),
        (9, "parent_id", "task_cycle"),
        (10, "due_date", "end_before_start"),
        (11, "weight", "weight_not_positive"),
        (12, "progress", "out_of_range"),
    ]
    zh = plan.report("zh")
    assert "任务树将超过三级" in " ".join(zh.iloc[:, 3])


def test_moving_a_subtree_under_a_leaf_is_refused_for_its_depth(store):
    apply(store, prepare(store, "tasks.csv", tasks_file(row("g"), row("s", parent="g"), row("a", parent="s"),
                                                        row("h"), row("t", parent="h"))), "tester")
    # s (with its child a) under t: s would be level 3 and a level 4
    plan = prepare(store, "tasks.csv", tasks_file(row("s", parent="t")))
    assert errors(plan) == [(2, "parent_id", "task_too_deep")]


ISSUE_HEADER = "issue_id,project_id,task_id,source,description,raised_on,owner,due_date,resolved_on,verified_on,verified_by\n"


def test_issue_rules(store):
    apply(store, prepare(store, "tasks.csv", tasks_file(row("g"), row("bg", pid="B"))), "tester")
    text = ISSUE_HEADER + (
        "i1,A,g,督查,接口未开放,2026-05-01,李强,2026-06-30,,,\n"          # fine: source in Chinese
        "i2,A,bg,meeting,x,2026-05-01,李强,2026-06-30,,,\n"               # task of another pilot
        "i3,A,,rumour,x,2026-05-01,李强,2026-06-30,,,\n"                  # unknown source
        "i4,A,,public,x,2026-05-01,李强,2026-06-30,,2026-06-01,赵敏\n"     # signed off, never resolved
        "i5,A,,public,x,2026-05-01,李强,2026-06-30,2026-06-10,2026-06-01,赵敏\n"  # signed off before resolved
    )
    plan = prepare(store, "issues.csv", text.encode())
    assert plan.table == "issues"
    assert errors(plan) == [
        (3, "task_id", "task_not_of_pilot"),
        (4, "source", "bad_enum"),
        (5, "verified_on", "verified_before_resolved"),
        (6, "verified_on", "verified_before_resolved"),
    ]


REVIEW_HEADER = "risk_id,reviewed_on,probability,impact,status,strategy,note\n"


def test_review_rules(store):
    text = REVIEW_HEADER + (
        "r2,2026-01-15,2,4,open,缓解,ok\n"        # fine (r2 identified 2025-09-01)
        "r2,2025-08-01,2,4,open,mitigate,x\n"    # before identification
        "zz,2026-01-15,2,4,open,mitigate,x\n"    # no such risk
        "r4,2026-02-01,2,4,open,hope,x\n"        # unknown strategy
    )
    plan = prepare(store, "risk_reviews.csv", text.encode())
    assert plan.table == "risk_reviews"
    assert errors(plan) == [
        (3, "reviewed_on", "review_before_identified"),
        (4, "risk_id", "unknown_risk"),
        (5, "strategy", "bad_enum"),
    ]


def test_a_risk_upload_keeps_what_the_risk_was(store):
    header = "risk_id,project_id,category,description,probability,impact,status,owner,identified_on\n"
    plan = prepare(store, "risks.csv", (header + "r2,A,technical,新描述,5,5,open,李四,2025-09-01\n").encode())
    assert errors(plan) == [(2, "status", "risk_history_fixed")]
    described = prepare(store, "risks.csv", (header + "r2,A,technical,新描述,2,4,open,李四,2025-09-01\n").encode())
    assert errors(described) == [] and described.counts.updates == 1  # the words may change


@pytest.mark.parametrize("table", ["tasks", "issues", "risk_reviews"])
def test_the_example_template_is_a_clean_upload(store, table):
    """The example file of each template (zh headers) validates with no error against the fixture
    once its references exist: a task for the issue example, risk RK-001 for the review."""
    from pilotdash.ingest import templates

    with store.writing() as w:
        w.execute("INSERT INTO projects (project_id, name_zh, domain, pilot_type, province_code, status) "
                  "VALUES ('PJ-2024-001', '示例', 'education', 'basic', '11', 'active')")
        w.execute("INSERT INTO risks VALUES ('RK-001', 'PJ-2024-001', 'technical', 'x', 3, 4, 'open', '张伟', '2026-01-15')")
        w.execute("INSERT INTO tasks (task_id, project_id, name, due_date) VALUES ('TK-001', 'PJ-2024-001', 'x', '2026-12-31'),"
                  " ('TK-002', 'PJ-2024-001', 'x', '2026-12-31')")
    data = templates.template(table, "zh", "csv", example=True)
    plan = prepare(store, templates.file_name(table, "csv", True), data, table)
    assert plan.readable and errors(plan) == [], plan.report("en")
