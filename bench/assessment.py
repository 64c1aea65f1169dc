"""Scoring an assessment round (issue 23) against the project_health query: scoring one round
(`pilotdash.assessment.scoring.recompute(store, round_id)`, what every applied upload runs for
each round) should take at most 3× the time of project health as of the same date computed live
(`project_health_live`: the measures as of a date, the work scoring does too). The named query
`project_health` is timed as well: for a date whose snapshot is current it reads the snapshot
(pilotdash/snapshots.py), which scoring does not use. The latest quarter's round is timed, on a
copy of the scale store (scoring writes).

    python -m bench.assessment --scale N --repeat R [--out FILE]
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import ensure_scale, median, scale_dir, store_path, write_json

BUDGET = 3.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", default=None)
    args = parser.parse_args()
    ensure_scale(args.scale)
    from pilotdash import named_queries
    from pilotdash.assessment import scoring
    from pilotdash.store import Store

    with tempfile.TemporaryDirectory(dir=scale_dir(args.scale)) as tmp:
        path = Path(tmp) / "assessment.duckdb"
        shutil.copy(store_path(args.scale), path)
        store = Store(path)
        try:
            round_id, period_end = store.rows(
                "SELECT round_id, period_end FROM eval_rounds ORDER BY period_end DESC, round_id LIMIT 1")[0]
            pilots, leaves = store.rows(
                "SELECT (SELECT count(*) FROM eval_round_pilots(?)), "
                "(SELECT count(*) FROM eval_tree() t JOIN eval_rounds r ON r.scheme = t.scheme "
                " WHERE r.round_id = ? AND t.is_leaf)", [round_id, round_id])[0]
            health, named, scored = [], [], []
            for i in range(args.repeat):
                t0 = time.perf_counter()
                rows = store.rows("SELECT * FROM project_health_live(?::DATE)", [period_end])
                health.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                named_queries.run(store, "project_health", {"as_of": period_end})
                named.append(time.perf_counter() - t0)
                t0 = time.perf_counter()
                result = scoring.recompute(store, round_id)
                scored.append(time.perf_counter() - t0)
                print(f"    run {i}: project_health live {health[-1]:6.2f} s ({len(rows)} pilots), "
                      f"named query {named[-1]:6.2f} s  "
                      f"scoring {round_id} {scored[-1]:6.2f} s ({result.evaluations} evaluations)", flush=True)
        finally:
            store.close()
    ratio = median(scored) / median(health)
    out = {"scale": args.scale, "round": round_id, "pilots": pilots, "leaves": leaves,
           "project_health_live_s": median(health), "project_health_query_s": median(named),
           "scoring_s": median(scored), "ratio": ratio, "budget": BUDGET,
           "within_budget": ratio <= BUDGET}
    print(f"  scoring / project_health live = {ratio:.2f} (budget {BUDGET:g}×): "
          f"{'within' if ratio <= BUDGET else 'OVER'}", flush=True)
    if args.out:
        write_json(args.out, out)


if __name__ == "__main__":
    main()
