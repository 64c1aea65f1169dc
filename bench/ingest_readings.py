"""Benchmark for issue 4: validate and apply a 1,000,000-row readings CSV.

Compares `prepare` + `apply` (the analyst upload path) with a plain DuckDB `read_csv` insert of
the same file into an empty store. Budget: upload <= 3x the plain insert and <= 15 s on 2 cores.

    PYTHONPATH=. .venv/bin/python bench/ingest_readings.py [ROWS]
"""

from __future__ import annotations

import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

from pilotdash.ingest.apply import apply, rollback
from pilotdash.ingest.plan import prepare
from pilotdash.store import Store

INDICATORS = ["P1", "P2", "P3", "I1", "I2", "I3", "S1", "S2", "S3", "G1", "G2", "G3", "R1", "R2", "R3", "E1", "E2", "E3", "E4"]


def month_ends(first_year: int, last_year: int) -> list[str]:
    out = []
    for y in range(first_year, last_year + 1):
        for m in range(1, 13):
            out.append((dt.date(y + (m == 12), m % 12 + 1, 1) - dt.timedelta(days=1)).isoformat())
    return out


def write_readings(path: Path, rows: int) -> int:
    """Unique (project, indicator, month) rows; returns the number of projects used."""
    rng = random.Random(1)
    months = month_ends(2015, 2026)
    n, p = 0, 0
    with path.open("w", encoding="utf-8") as f:
        f.write("project_id,indicator_code,period_end,actual_value\n")
        while n < rows:
            for ind in INDICATORS:
                for mo in months:
                    if n >= rows:
                        break
                    f.write(f"PJ{p:05d},{ind},{mo},{rng.uniform(0, 100):.2f}\n")
                    n += 1
            p += 1
    return p


def fixture_store(path: Path, projects: int) -> Store:
    store = Store(path)
    with store.writing() as cur:
        cur.executemany(
            "INSERT INTO indicators VALUES (?, ?, NULL, 'governance', '%', 'higher', 90)",
            [[c, c] for c in INDICATORS],
        )
        cur.executemany(
            "INSERT INTO projects (project_id, name_zh, domain, pilot_type, province_code, status) "
            "VALUES (?, ?, 'education', 'basic', '11', 'active')",
            [[f"PJ{i:05d}", f"项目{i}"] for i in range(projects)],
        )
    return store


def main() -> None:
    rows = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv_path = tmp / "readings.csv"
        projects = write_readings(csv_path, rows)
        data = csv_path.read_bytes()

        base = fixture_store(tmp / "base.duckdb", projects)
        t0 = time.perf_counter()
        with base.writing() as cur:
            cur.execute(
                "INSERT INTO readings BY NAME SELECT * FROM read_csv($p, header = true, all_varchar = true)",
                {"p": str(csv_path)},
            )
        plain = time.perf_counter() - t0
        base.close()

        store = fixture_store(tmp / "up.duckdb", projects)
        t0 = time.perf_counter()
        plan = prepare(store, "readings.csv", data)
        t1 = time.perf_counter()
        result = apply(store, plan, "bench")
        t2 = time.perf_counter()
        again = prepare(store, "readings.csv", data)
        t3 = time.perf_counter()
        rollback(store, result.upload_id, "bench")
        t4 = time.perf_counter()
        total = t2 - t0
        print(f"rows {rows:,}  file {len(data) / 1e6:.1f} MB")
        print(f"plain read_csv insert   {plain:6.2f} s")
        print(f"prepare (validate)      {t1 - t0:6.2f} s")
        print(f"apply (write + log)     {t2 - t1:6.2f} s")
        print(f"upload total            {total:6.2f} s  = {total / plain:.2f} x plain (budget 3x, 15 s)")
        print(f"re-upload prepare       {t3 - t2:6.2f} s  unchanged={again.counts.unchanged:,}")
        print(f"rollback                {t4 - t3:6.2f} s")
        store.close()


if __name__ == "__main__":
    main()
