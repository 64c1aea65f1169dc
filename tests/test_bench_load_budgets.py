"""The load benchmark's per-core budget (issue 19): pages per second at 4R sessions against R × one
replica's, with the cores the replicas really had beside it."""
from bench.load import budgets


def _round(store, replicas, sessions, pages, wall_s, cores):
    return {"store": store, "client": "ws", "scale": 1, "replicas": replicas, "sessions": sessions,
            "pages": pages, "wall_s": wall_s, "server_cpu_share": cores, "p50_s": 0.2, "p95_s": 0.4,
            "errors": 0}


def _line(rows):
    return next(line for line in budgets(rows) if line.startswith("With R replicas"))


def test_two_replicas_at_twice_the_rate_meet_the_budget():
    line = _line([_round("embedded", 1, 4, 40, 10.0, 1.0), _round("embedded", 2, 8, 70, 10.0, 1.8)])
    assert line.startswith("With R replicas, pages per second at 4R sessions ≥ 0.8 × R × one replica's: met")
    assert "7.00 pages/s at 8 sessions = 0.88 × 2 × 4.00" in line
    assert "per replica core 4.00 → 3.89 pages/s (replicas had 1.80 of 2 cores)" in line


def test_fewer_cores_for_the_replicas_show_in_the_per_core_rate():
    line = _line([_round("lake", 1, 4, 30, 10.0, 1.0), _round("lake", 2, 8, 45, 10.0, 1.5)])
    assert ": NOT met — lake/ws/1×: 4.50 pages/s at 8 sessions = 0.75 × 2 × 3.00" in line
    assert "per replica core 3.00 → 3.00 pages/s (replicas had 1.50 of 2 cores)" in line


def test_without_both_rounds_it_is_not_measured():
    assert _line([_round("lake", 1, 4, 30, 10.0, 1.0)]).endswith("not measured")
