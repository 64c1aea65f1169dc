"""Upload of a 1,000,000-row readings CSV through the analyst path (`ingest.prepare`: parse,
recognise, validate, compare; `ingest.apply`: write and log in one transaction) against a plain
DuckDB `INSERT INTO readings SELECT * FROM read_csv(...)` of the same file, each into its own
fresh copy of the scale store.

The file: readings for pilots that exist in the store, 95% new (the next month ends after the
data's last period, for the pilots' tracked indicators) and 5% corrections of existing readings
(a changed value), which the upload reports as updates; the plain insert of the corrections
would violate the primary key, so it gets the same file with the corrections as new rows (the
next period) instead: the same bytes to parse, all inserts.

The upload is what `ingest.apply` does before it returns the analyst's answer, with nothing
following it. What the data-changed event runs after the commit (the assessment rounds whose
inputs changed, the measure snapshots for the new default date, the warnings) is timed apart,
each on its own, in the order the event runs them; the Data page runs them after its answer, in
the background (pilotdash.events.deferred), the CLI before it exits. `wait_s` is the upload with
them: when every score, snapshot and warning is current again (and how long a CLI upload takes).

    python -m bench.upload --scale N --rows 1000000 --repeat R --out FILE
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

import duckdb

from bench.common import ensure_scale, median, scale_dir, store_path, write_json

UPDATE_SHARE = 0.05


def make_csv(src: Path, path: Path, rows: int, plain: bool) -> None:
    con = duckdb.connect(str(src), read_only=True)
    existing = con.execute("SELECT count(*) FROM readings").fetchone()[0]
    updates = 0 if plain else min(int(rows * UPDATE_SHARE), existing // 2)
    inserts = rows - updates
    con.execute(f"""
        COPY (
            WITH pairs AS (
                SELECT project_id, indicator_code, max(period_end) AS last
                FROM readings GROUP BY ALL ORDER BY project_id, indicator_code
            ),
            n AS (SELECT count(*) AS n FROM pairs),
            months AS (SELECT range AS k FROM range(1, (SELECT ceil({inserts} / n) + 1 FROM n)::BIGINT))
            SELECT project_id, indicator_code,
                   last_day((SELECT max(period_end) FROM readings) + to_months(k::INTEGER)) AS period_end,
                   round(50 + 40 * sin(hash(project_id, indicator_code, k) % 1000), 2) AS actual_value
            FROM pairs, months
            ORDER BY k, project_id, indicator_code
            LIMIT {inserts}
        ) TO '{path}' (HEADER, DELIMITER ',')""")
    if updates:
        con.execute(f"""
            COPY (
                SELECT project_id, indicator_code, period_end, round(CASE WHEN actual_value >= 1.5 THEN actual_value - 1 ELSE actual_value + 1 END, 2) AS actual_value
                FROM readings ORDER BY hash(project_id, indicator_code, period_end) LIMIT {updates}
            ) TO '{path}.upd' (HEADER false, DELIMITER ',')""")
        with open(path, "ab") as out, open(f"{path}.upd", "rb") as upd:
            shutil.copyfileobj(upd, out)
        Path(f"{path}.upd").unlink()
    con.close()


def fresh_copy(src: Path, tmp: Path, name: str) -> Path:
    dst = tmp / name
    shutil.copy(src, dst)
    return dst


def upload_args() -> argparse.Namespace:
    """The arguments of an upload run (this part and bench.warnings)."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, required=True)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--out", required=True)
    return ap.parse_args()


def upload_file(scale: int, rows: int, plain: bool = False) -> Path:
    """The scale's readings upload of `rows` rows (made once): in the template's words, or
    `plain` (the table's own columns, for a bare INSERT)."""
    path = scale_dir(scale) / f"upload_{rows}{'_plain' if plain else ''}.csv"
    if not path.exists():
        make_csv(store_path(scale), path, rows, plain=plain)
    return path


def main() -> None:
    args = upload_args()
    ensure_scale(args.scale)
    from pilotdash import events, snapshots
    from pilotdash.assessment import scoring
    from pilotdash.ingest.apply import apply
    from pilotdash.ingest.plan import prepare
    from pilotdash.warnings import ledger
    from pilotdash.store import Store

    src = store_path(args.scale)
    upload_csv = upload_file(args.scale, args.rows)
    plain_csv = upload_file(args.scale, args.rows, plain=True)
    data = upload_csv.read_bytes()
    runs = []
    with tempfile.TemporaryDirectory(dir=scale_dir(args.scale)) as tmp:
        tmp = Path(tmp)
        for i in range(args.repeat + 1):  # the first is the warm-up
            path = fresh_copy(src, tmp, f"plain{i}.duckdb")  # a new name each run: a path DuckDB still holds open (a lingering read) would be reused, not the fresh copy
            store = Store(path)
            t0 = time.perf_counter()
            with store.writing() as cur:
                cur.execute("INSERT INTO readings SELECT * FROM read_csv($p, header = true)", {"p": str(plain_csv)})
            plain = time.perf_counter() - t0
            store.close()
            path.unlink()

            path = fresh_copy(src, tmp, f"upload{i}.duckdb")
            store = Store(path)
            t0 = time.perf_counter()
            plan = prepare(store, upload_csv.name, data, table="readings")
            t1 = time.perf_counter()
            assert plan.clean, (plan.file_issues, plan.counts)
            with events.replaced():  # nothing follows inside: the follow-ups are timed below
                result = apply(store, plan, "bench")
            t2 = time.perf_counter()
            # The data-changed event's subscribers, in its order (pilotdash.events).
            scored = scoring.rescore(store)
            t3 = time.perf_counter()
            snapshots.refresh(store)
            t4 = time.perf_counter()
            refresh_s = t4 - t3
            ledger.recompute(store)  # its snapshot is the one just refreshed
            t5 = time.perf_counter()
            count = store.rows("SELECT count(*) FROM readings")[0][0]
            store.close()
            path.unlink()
            run = {"plain_s": plain, "prepare_s": t1 - t0, "apply_s": t2 - t1, "upload_s": t2 - t0,
                   "snapshot_refresh_s": refresh_s, "scoring_s": t3 - t2, "scoring_rounds": scored.rounds,
                   "warnings_s": t5 - t4, "wait_s": t5 - t0,
                   "inserted": result.inserted, "updated": result.updated, "readings_after": count}
            print(f"    run {i}: plain {plain:6.2f} s  prepare {t1 - t0:6.2f} s  apply {t2 - t1:6.2f} s  "
                  f"upload {t2 - t0:6.2f} s  (+{result.inserted:,} ~{result.updated:,})"
                  + f"  then scoring {t3 - t2:5.2f} s ({scored.rounds} rounds), snapshots {refresh_s:5.2f} s, "
                    f"warnings {t5 - t4:5.2f} s: wait {t5 - t0:6.2f} s"
                  + ("  [warm-up]" if i == 0 else ""), flush=True)
            if i:
                runs.append(run)
    out = {k: median([r[k] for r in runs]) for k in ("plain_s", "prepare_s", "apply_s", "upload_s",
                                                      "snapshot_refresh_s", "scoring_s", "warnings_s", "wait_s")}
    out["scoring_rounds"] = runs[-1]["scoring_rounds"]
    out["ratio"] = out["upload_s"] / out["plain_s"]
    out.update(scale=args.scale, rows=args.rows, file_mb=len(data) / 1e6, repeat=args.repeat, runs=runs,
               inserted=runs[-1]["inserted"], updated=runs[-1]["updated"])
    write_json(args.out, out)


if __name__ == "__main__":
    main()
