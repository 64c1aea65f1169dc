"""The schema and the macros: their SQL text (`pilotdash/sql/`), its digest, and setting them up
on a connection; the two small helpers every write path shares (`transaction`, `set_meta`).
Below the store and the lake alike: both engines set up the same schema."""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Iterator
from importlib import resources

import duckdb

from .domain import ENUMS, THRESHOLDS
from .reference import provinces


def sql_text(name: str) -> str:
    return resources.files("pilotdash").joinpath("sql", name).read_text(encoding="utf-8")


def schema_sql() -> str:
    text = sql_text("schema.sql")
    for field, codes in ENUMS.items():
        text = text.replace("{enum:" + field + "}", "(" + ", ".join(f"'{c}'" for c in codes) + ")")
    return text


def threshold_macros() -> str:
    return "\n".join(
        f"CREATE OR REPLACE MACRO th_{name}() AS {float(value)!r};" for name, value in THRESHOLDS.items()
    )


def load_provinces(con) -> None:
    rows = [tuple(r.values()) for r in provinces().values()]
    con.execute("DELETE FROM provinces")
    con.executemany("INSERT INTO provinces VALUES (?, ?, ?, ?, ?, ?)", rows)


def _widen_year_checks(con: duckdb.DuckDBPyConnection) -> None:
    """Stores made before years from 1949 were accepted (issue 15) check batch and fiscal years
    from 2000; DuckDB cannot drop a CHECK, so such a table is re-made with today's definition
    and its rows copied over, in one transaction."""
    old = [r[0] for r in con.execute(
        "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'CHECK' "
        "AND table_name IN ('projects', 'budget_lines') AND constraint_text LIKE '%BETWEEN 2000 AND 2100%'").fetchall()]
    schema = schema_sql()
    for table in old:  # a fixed name from the list above
        create = re.search(rf"CREATE TABLE IF NOT EXISTS {table} \(.*?\n\);", schema, re.S).group(0)
        con.execute("BEGIN TRANSACTION")
        try:
            con.execute(f"ALTER TABLE {table} RENAME TO {table}__before_1949")
            con.execute(create)
            con.execute(f"INSERT INTO {table} SELECT * FROM {table}__before_1949")
            con.execute(f"DROP TABLE {table}__before_1949")
            con.execute("COMMIT")
        except Exception:
            con.execute("ROLLBACK")
            raise


def init_schema(con) -> None:
    """Create missing tables, refresh the reference provinces, the threshold macros and the
    measure macros. Safe to run on every open: it never touches the uploaded tables' rows."""
    con.execute(schema_sql())  # its ALTER ... ADD COLUMN IF NOT EXISTS lines come before the re-making
    _widen_year_checks(con)
    load_provinces(con)
    con.execute(threshold_macros())
    con.execute(macro_sql())


# The macro files, in the order they build on each other (warnings' conditions use the measures).
MACRO_FILES = ("measures.sql", "assessment.sql", "warnings.sql")


def macro_sql() -> str:
    return "\n".join(sql_text(name) for name in MACRO_FILES)


def schema_digest() -> str:
    """What init_schema would write; kept in store_meta so that it runs only when it changed."""
    text = schema_sql() + threshold_macros() + macro_sql() + repr(sorted(provinces().items()))
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@contextlib.contextmanager
def transaction(cur) -> Iterator[None]:
    """BEGIN ... COMMIT on `cur`; on any error ROLLBACK, and the error goes on."""
    cur.execute("BEGIN TRANSACTION")
    try:
        yield
        cur.execute("COMMIT")
    except BaseException:
        with contextlib.suppress(duckdb.Error):
            cur.execute("ROLLBACK")
        raise


def set_meta(w, key: str, value: str) -> None:
    """store_meta[key] = value, by DELETE + INSERT (DuckLake has no primary key to replace on)."""
    w.execute("DELETE FROM store_meta WHERE key = ?", [key])
    w.execute("INSERT INTO store_meta VALUES (?, ?)", [key, value])
