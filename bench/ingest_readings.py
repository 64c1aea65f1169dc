"""Benchmark for issue 7: upload a 1,000,000-row readings CSV through the analyst path.

Compares `prepare` + `apply` (parse, validate, compare, write and log: what the Data page and
`python -m pilotdash load` do) with a plain DuckDB `read_csv` insert of the same file into the
readings table, each on its own fresh copy of a built store. Budget: upload <= 3x the plain
insert and <= 15 s on 2 cores. The file holds new month ends for project/indicator pairs that
already have readings in the store (all inserts), written once next to the store.

    .venv/bin/python -m pilotdash demo --scale 10 --out /tmp/d10
    .venv/bin/python -m pilotdash --store /tmp/s10.duckdb build /tmp/d10
    PYTHONPATH=. .venv/bin/python bench/ingest_readings.py --store /tmp/s10.duckdb [--rows N] [--repeat 3]

Each repeat runs plain then upload on fresh copies; the medians are reported with the machine's
load average (the machine is shared: compare runs taken at similar load). The last repeat also
rolls the upload back and checks the readings table is exactly as before. Process CPU time is
printed too: on a shared machine wall times swing with the neighbours' load, CPU time far less.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import duckdb

from pilotdash.ingest.apply import apply, rollback
from pilotdash.ingest.plan import prepare
from pilotdash.store import Store


def make_csv(store: Path, path: Path, rows: int) -> None:
    """`rows` readings: the months after the store's last period for every pair that has readings."""
    con = duckdb.connect(str(store), read_only=True)
    try:
        con.execute(f"""
            COPY (
                WITH pairs AS (SELECT DISTINCT project_id, indicator_code FROM readings),
                     last AS (SELECT max(period_end) AS d FROM readings),
                     months AS (SELECT range AS k FROM range(1, (SELECT ceil({int(rows)} / count(*)) + 1 FROM pairs)::BIGINT))
                SELECT project_id, indicator_code, last_day((SELECT d FROM last) + to_months(k::INTEGER)) AS period_end,
                       round(50 + 40 * sin(hash(project_id, indicator_code, k) % 1000), 2) AS actual_value
                FROM pairs, months ORDER BY k, project_id, indicator_code LIMIT {int(rows)}
            ) TO '{path}' (HEADER, DELIMITER ',')""")  # numbers and a path of our own, no input
    finally:
        con.close()


def load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--store", type=Path, required=True, help="a built store (see the module docstring)")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--csv", type=Path, help="the upload file (default: made next to the store, once)")
    args = ap.parse_args()
    csv_path = args.csv or args.store.with_name(f"{args.store.stem}_readings_{args.rows}.csv")
    if not csv_path.exists():
        make_csv(args.store, csv_path, args.rows)
    data = csv_path.read_bytes()
    print(f"rows {args.rows:,}  file {len(data) / 1e6:.1f} MB  store {args.store}  load {load()}", flush=True)
    runs = []
    with tempfile.TemporaryDirectory(dir=args.store.parent) as tmp:
        tmp = Path(tmp)
        for i in range(args.repeat):
            path = tmp / "plain.duckdb"
            shutil.copy(args.store, path)
            base = Store(path)
            t0, c0 = time.perf_counter(), time.process_time()
            with base.writing() as cur:
                cur.execute("INSERT INTO readings SELECT * FROM read_csv($p, header = true)", {"p": str(csv_path)})
            plain, plain_cpu = time.perf_counter() - t0, time.process_time() - c0
            base.close()
            path.unlink()

            path = tmp / "upload.duckdb"
            shutil.copy(args.store, path)
            store = Store(path)
            before = store.table_checksum("readings") if i == args.repeat - 1 else None
            t0, c0 = time.perf_counter(), time.process_time()
            plan = prepare(store, csv_path.name, data)
            t1 = time.perf_counter()
            assert plan.clean and plan.table == "readings", (plan.file_issues, plan.counts)
            result = apply(store, plan, "bench")
            t2, cpu = time.perf_counter(), time.process_time() - c0
            line = (f"run {i + 1}: plain {plain:6.2f} s  prepare {t1 - t0:6.2f} s  apply {t2 - t1:6.2f} s  "
                    f"upload {t2 - t0:6.2f} s = {(t2 - t0) / plain:.2f}x  cpu {cpu:5.2f} / {plain_cpu:5.2f} s = {cpu / plain_cpu:.2f}x  "
                    f"(+{result.inserted:,} ~{result.updated:,})")
            if before is not None:
                t3 = time.perf_counter()
                rollback(store, result.upload_id, "bench")
                line += f"  rollback {time.perf_counter() - t3:5.2f} s exact={store.table_checksum('readings') == before}"
            store.close()
            path.unlink()
            runs.append((plain, t1 - t0, t2 - t1, t2 - t0, plain_cpu, cpu))
            print(line + f"  load {load()}", flush=True)
    plain, prep, app, total, plain_cpu, cpu = (statistics.median(r[k] for r in runs) for k in range(6))
    print(f"median of {len(runs)}: plain {plain:.2f} s  prepare {prep:.2f} s  apply {app:.2f} s  "
          f"upload {total:.2f} s = {total / plain:.2f}x plain (budget 3x and 15 s)  load {load()}")
    print(f"CPU time (all threads; steadier than wall time on a busy machine): upload {cpu:.2f} s, "
          f"plain {plain_cpu:.2f} s = {cpu / plain_cpu:.2f}x")


if __name__ == "__main__":
    main()
