"""A provincial person sees the tasks, issues, issue actions and risk reviews of their pilots
only: the scope's views (scope.VIEWS) limit them like every pilot-keyed table."""

from pilotdash.scope import Scope


def test_tasks_issues_and_reviews_follow_the_scope(store):
    with store.writing() as w:
        w.execute("INSERT INTO tasks (task_id, project_id, name, due_date) VALUES ('ta', 'A', 'x', '2026-12-31'), "
                  "('tb', 'B', 'x', '2026-12-31')")
        w.execute("INSERT INTO issues (issue_id, project_id, source, description, raised_on) VALUES "
                  "('ia', 'A', 'meeting', 'x', '2026-01-01'), ('ib', 'B', 'meeting', 'x', '2026-01-01')")
        w.execute("INSERT INTO issue_actions VALUES (1, 'ib', 'resolve', '2026-02-01', 'b@x.cn', now()::TIMESTAMP, 'n')")
        w.execute("INSERT INTO risk_reviews VALUES ('r2', '2026-01-01', 1, 1, 'open', NULL, ''), "
                  "('r4', '2026-02-01', 1, 1, 'open', NULL, '')")
    beijing = Scope("provinces", ("11",))  # pilots A and D
    seen = {t: store.frame(f"SELECT * FROM {t}", scope=beijing) for t in ("tasks", "issues", "issue_actions",
                                                                          "risk_reviews")}
    assert list(seen["tasks"]["task_id"]) == ["ta"] and list(seen["issues"]["issue_id"]) == ["ia"]
    assert seen["issue_actions"].empty and list(seen["risk_reviews"]["risk_id"]) == ["r2"]
    assert store.frame("SELECT * FROM task_nodes(DATE '2026-06-30')", scope=beijing)["task_id"].tolist() == ["ta"]
