"""`python -m pilotdash evaluate --round R`: scores the rounds again and prints the league table,
limited by --as like every read (fixture store: A in province 11, B in 51)."""

from pilotdash import people
from pilotdash.cli import main
from pilotdash.scope import Scope

ITEMS = [("M", None, 100, "manual", None, "false")]


def test_evaluate_prints_the_league_table_and_as_limits_it(store, assess, capsys, monkeypatch):
    assess(items=ITEMS, rounds=[("Q2", "quarterly", "2026-04-01", "2026-06-30")],
           scores=[("Q2", "A", "department", "M", 85), ("Q2", "B", "self", "M", 55)])
    people.add(store, people.local_admin(), "v51@example.cn", "v51", Scope("provinces", ("51",)), ("viewer",))
    path = str(store.path)
    store.close()
    monkeypatch.setenv("PILOTDASH_LANG", "en")
    assert main(["--store", path, "evaluate", "--round", "Q2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split()[:2] == ["Rank", "Pilot"]
    assert lines[1].startswith("1 ") and "A Beijing digital economy pilot" in lines[1] and "85.00" in lines[1]
    assert "Good" in lines[1] and "Department" in lines[1]
    assert lines[2].startswith("2 ") and "55.00" in lines[2] and "Poor" in lines[2]
    assert lines[3].startswith("—") and " D " in f" {lines[3]} "  # D: evaluated, not scored
    assert main(["--store", path, "--as", "v51@example.cn", "evaluate", "--round", "Q2"]) == 0
    limited = capsys.readouterr().out.splitlines()
    assert len(limited) == 2 and "B " in limited[1]
    assert main(["--store", path, "evaluate", "--round", "Q9"]) == 2
    assert "No assessment round Q9" in capsys.readouterr().err


def test_evaluate_that_moves_a_grade_is_followed_like_any_change(store, assess, capsys):
    # A write path like any other: when the scoring moves a grade (it had not run, or the
    # measures' definitions changed), the snapshots and the warnings follow; a grade of 差 was
    # left unwarned until some later change.
    from pilotdash.store import Store

    assess(items=ITEMS, rounds=[("Q2", "quarterly", "2026-04-01", "2026-06-30")],
           scores=[("Q2", "A", "department", "M", 85), ("Q2", "B", "self", "M", 55)])
    with store.writing(data_change=False) as w:  # as a scoring that did not run leaves them
        for table in ("eval_results", "eval_leaf_results", "eval_values"):
            w.execute(f"DELETE FROM {table}")
    path = str(store.path)
    store.close()
    assert main(["--store", path, "evaluate", "--round", "Q2"]) == 0
    capsys.readouterr()
    after = Store(path)
    try:
        assert after.rows("SELECT project_id, level, state FROM warnings WHERE condition = 'grade_poor'") == [
            ("B", "red", "open")]
    finally:
        after.close()
