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

from . import places
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
    _load_divisions(con)


def _load_divisions(con) -> None:
    """The cities and counties (reference rows, like provinces), and the projects' columns for
    them in a store made before they existed (ADD COLUMN: the rows keep their values)."""
    for column in ("city_code", "county_code"):
        con.execute(f"ALTER TABLE projects ADD COLUMN IF NOT EXISTS {column} VARCHAR")
    for table, rows in (("cities", places.cities().values()), ("counties", places.counties().values())):
        fields = [[p.code for p in rows], [p.name for p in rows], [p.label for p in rows]]
        fields += [[p.city_code for p in rows]] if table == "counties" else []
        fields += [[p.province_code for p in rows]]
        # one statement of lists (unnested side by side): 3,000 counties without 3,000 round trips
        con.execute(f"DELETE FROM {table}")
        con.execute(f"INSERT INTO {table} SELECT " + ", ".join("unnest(?::VARCHAR[])" for _ in fields), fields)


def _widen_year_checks(con: duckdb.DuckDBPyConnection) -> None:
    """Stores made before years from 1949 were accepted (issue 15) check batch and fiscal years
    from 2000; DuckDB cannot drop a CHECK, so such a table is re-made with today's definition
    and its rows copied over."""
    old = [r[0] for r in con.execute(
        "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'CHECK' "
        "AND table_name IN ('projects', 'budget_lines') AND constraint_text LIKE '%BETWEEN 2000 AND 2100%'").fetchall()]
    _remake(con, old)


def _widen_scope_kinds(con: duckdb.DuckDBPyConnection) -> None:
    """Stores made before the cities scope (a prefecture office) check people's scope kind
    without it: the people table is re-made with today's definition, as _widen_year_checks."""
    old = [r[0] for r in con.execute(
        "SELECT DISTINCT table_name FROM duckdb_constraints() WHERE constraint_type = 'CHECK' "
        "AND table_name = 'people' AND constraint_text LIKE '%scope_kind%' "
        "AND constraint_text NOT LIKE '%cities%'").fetchall()]
    _remake(con, old)


def _remake(con: duckdb.DuckDBPyConnection, tables: list[str]) -> None:
    """Re-make each of `tables` (fixed names) with schema.sql's definition, its rows copied over by
    name; inside the set-up write's one transaction (init_schema runs in `Store.write`, where a
    BEGIN of its own was refused), so a failure leaves the table as it was."""
    schema = schema_sql()
    for table in tables:  # a fixed name from the callers' lists
        create = re.search(rf"CREATE TABLE IF NOT EXISTS {table} \(.*?\n\);", schema, re.S).group(0)
        con.execute(f"ALTER TABLE {table} RENAME TO {table}__before")
        con.execute(create)
        con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {table}__before")
        con.execute(f"DROP TABLE {table}__before")


def init_schema(con) -> None:
    """Create missing tables, refresh the reference provinces, the threshold macros and the
    measure macros. Safe to run on every open: it never touches the uploaded tables' rows."""
    con.execute(schema_sql())  # its ALTER ... ADD COLUMN IF NOT EXISTS lines come before the re-making
    _widen_year_checks(con)
    _widen_scope_kinds(con)
    load_provinces(con)
    con.execute(threshold_macros())
    con.execute(macro_sql())


# The macro files, in the order they build on each other (warnings' conditions use the measures).
MACRO_FILES = ("measures.sql", "assessment.sql", "warnings.sql")


def macro_sql() -> str:
    return "\n".join(sql_text(name) for name in MACRO_FILES)


def schema_digest() -> str:
    """What init_schema would write; kept in store_meta so that it runs only when it changed."""
    text = schema_sql() + threshold_macros() + macro_sql() + repr(sorted(provinces().items())) + repr(len(places.counties()))
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
