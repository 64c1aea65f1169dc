"""Loading a whole folder of data-contract CSVs into an empty store (the `build` command).

The folder is trusted (the bundled demo data, or a benchmark's scaled copy): rows go straight
through DuckDB's CSV reader, and the schema's CHECK constraints and keys still apply.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from ..domain import TABLES


def load_folder(cur: duckdb.DuckDBPyConnection, folder: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for table in TABLES:
        path = folder / f"{table}.csv"
        if not path.exists():
            continue
        cur.execute(
            f"INSERT INTO {table} BY NAME "  # table name comes from the fixed TABLES list
            "SELECT * FROM read_csv($path, header = true, all_varchar = true, encoding = 'utf-8')",
            {"path": str(path)},
        )
        counts[table] = cur.execute(f"SELECT count(*) FROM {table}").fetchall()[0][0]
    return counts


def unused_files(folder: Path) -> list[str]:
    """The folder's files that are not a table of the data contract (`<table>.csv`): a build
    does not read them, and says so."""
    return sorted(p.name for p in Path(folder).iterdir()
                  if p.is_file() and not (p.suffix.lower() == ".csv" and p.stem in TABLES))
