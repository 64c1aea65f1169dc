"""Validating and normalising a file's rows, in SQL, against the contract and the store.

Vectorised so that a million-row readings file validates in seconds: the grid of text cells is
scanned by DuckDB (registered Arrow), each column is normalised once (numbers and dates in the
forms analysts type, enumeration words to codes), and every check is one INSERT ... SELECT into
the error table `_err(_row, col, value, code, arg)`. Rows are then merged with the stored row of
the same natural key (`_merged`: the file's value where the file has the column, the stored
value where it does not), so that row rules and the preview see the row as it would be stored.

All SQL names come from the contract (fixed constants); values are bound parameters. Everything
lives in temporary tables of the cursor it runs on, so nothing is written to the store.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from .. import i18n, places
from ..domain import ENUMS
from .contract import YEAR_MAX, YEAR_MIN, Column, Contract
from .formats import Grid
from ..scope import Scope

WS = " \t\r\n\u3000\u00a0\ufeff"
_FULL = "０１２３４５６７８９．，－＋％／"
_HALF = "0123456789.,-+%/"
_DATE_FORMS = r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]0{1,2}:00(?::00(?:\.0+)?)?)?$"
_NUMBER = r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?"
_THOUSANDS = r"[+-]?\d{1,3}(,\d{3})+(\.\d*)?%?"
DATE_YEARS = (YEAR_MIN, YEAR_MAX)

_MACROS = f"""
CREATE OR REPLACE TEMP MACRO _ing_ascii(v) AS
    CASE WHEN strlen(v) = length(v) THEN v ELSE translate(v, '{_FULL}', '{_HALF}') END;
CREATE OR REPLACE TEMP MACRO _ing_trim(v) AS
    CASE WHEN regexp_matches(v, '^[\\s{WS[4:]}]|[\\s{WS[4:]}]$') THEN trim(v, '{WS}') ELSE v END;
CREATE OR REPLACE TEMP MACRO _ing_unsep(s) AS
    CASE WHEN regexp_full_match(s, '{_THOUSANDS}') THEN replace(s, ',', '') ELSE s END;
CREATE OR REPLACE TEMP MACRO _ing_num_text(s) AS
    CASE WHEN regexp_full_match(s, '{_NUMBER}') THEN TRY_CAST(s AS DOUBLE) END;
CREATE OR REPLACE TEMP MACRO _ing_num(v) AS _ing_num_text(_ing_unsep(_ing_ascii(v)));
CREATE OR REPLACE TEMP MACRO _ing_pct(v) AS
    _ing_num_text(regexp_replace(_ing_unsep(_ing_ascii(v)), '%$', ''));
CREATE OR REPLACE TEMP MACRO _ing_int(v) AS
    CASE WHEN _ing_num(v) = round(_ing_num(v)) AND abs(_ing_num(v)) < 2e9
         THEN CAST(_ing_num(v) AS INTEGER) END;
CREATE OR REPLACE TEMP MACRO _ing_date(v) AS
    CASE WHEN regexp_full_match(v, '\\d{{4}}-\\d{{2}}-\\d{{2}}') THEN TRY_CAST(v AS DATE)
         WHEN regexp_matches(_ing_ascii(v), '{_DATE_FORMS}')
         THEN TRY_CAST(regexp_replace(_ing_ascii(v), '{_DATE_FORMS}', '\\1-\\2-\\3') AS DATE) END;
"""


def scalar(cur: duckdb.DuckDBPyConnection, sql: str, params: list[object] | None = None) -> object:
    """The first value of a query, fetched to the end (DuckDB 2 keeps an unfinished result open)."""
    rows = cur.execute(sql, params or []).fetchall()
    return rows[0][0] if rows else None


def arrow(cur, sql: str, params: list[object] | None = None) -> pa.Table:
    """The rows as Arrow, on a store Reader/Writer (`Store.read`, `Store.write`)."""
    return cur.arrow(sql, params)


def q(name: str) -> str:
    """A quoted SQL identifier; names come from the contract only."""
    return '"' + name.replace('"', '""') + '"'


def key_match(contract: Contract, left: str, right: str) -> str:
    op = "IS NOT DISTINCT FROM" if contract.nullable_key else "="
    return " AND ".join(f"{left}.{q(k)} {op} {right}.{q(k)}" for k in contract.key)


@dataclass
class Staged:
    """Counts of a staged file; the rows are in the cursor's temp tables `_merged` and `_err`."""

    rows: int
    inserts: int
    updates: int
    unchanged: int
    rejected: int
    warnings: int


def stage(cur: duckdb.DuckDBPyConnection, grid: Grid, contract: Contract, columns: dict[str, int],
          scope: Scope | None = None) -> Staged:
    """Normalise and check the grid's rows; leaves `_stage`, `_merged`, `_err`, `_warn` behind.
    With a `scope` (a `pilotdash.scope.Scope`; None or national: every row may be changed), each
    row outside it is rejected with the reason (`scope_rules`)."""
    cur.execute(_MACROS)
    cur.register("_grid", grid.rows)
    _stage_rows(cur, grid, contract, columns)
    cur.execute("CREATE OR REPLACE TEMP TABLE _err (_row BIGINT, col VARCHAR, value VARCHAR, code VARCHAR, arg VARCHAR)")
    cur.execute("CREATE OR REPLACE TEMP TABLE _warn (_row BIGINT, col VARCHAR, value VARCHAR, code VARCHAR, arg VARCHAR)")
    if grid.ragged:
        cur.executemany(
            "INSERT INTO _err VALUES (?, NULL, NULL, 'wrong_cell_count', ?)",
            [[row, f"{found}/{len(grid.headers)}"] for row, found in grid.ragged],
        )
    present = [c for c in contract.columns if c.name in columns]
    for col in present:
        _check_column(cur, contract, col)
    columns = _resolve_places(cur, contract, columns)
    _check_duplicates(cur, contract)
    _merge(cur, contract, columns)
    _check_scope(cur, contract, scope)
    _check_rows(cur, contract, columns)
    cur.unregister("_grid")
    return _count(cur, grid)


def _stage_rows(cur: duckdb.DuckDBPyConnection, grid: Grid, contract: Contract, columns: dict[str, int]) -> None:
    """`_stage`: one row per non-blank file row, each contract column normalised, and for a
    column that must be parsed, `<col>__bad` holding the cell when it could not be."""
    params: list[object] = []
    cells = ", ".join(f"c{i} AS r{i}, NULLIF(_ing_trim(c{i}), '') AS v{i}" for i in range(len(grid.headers)))
    inner, outer = [], []
    for col in contract.columns:
        if col.name not in columns:
            if col.key:  # an absent scope column of targets: "any", for every row
                outer.append(f"CAST(NULL AS {col.sql_type}) AS {q(col.name)}")
            continue
        v = f"v{columns[col.name]}"
        expr, more = _normalise(col, v, f"r{columns[col.name]}")
        params += more
        inner.append(f"{expr} AS {q(col.name)}")
        outer.append(q(col.name))
        if _parsed(col):
            inner.append(f"{v} AS {q(col.name + '__cell')}")
            outer.append(f"CASE WHEN {q(col.name)} IS NULL THEN {q(col.name + '__cell')} END AS {q(col.name + '__bad')}")
    not_blank = " OR ".join(f"v{i} IS NOT NULL" for i in range(len(grid.headers))) or "true"
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE _stage AS SELECT _row, {', '.join(outer)} FROM ("
        f"SELECT _row, {', '.join(inner)} FROM (SELECT _row, {cells} FROM _grid) WHERE {not_blank})",
        params,
    )


def _parsed(col: Column) -> bool:
    return col.kind != "text"


def _normalise(col: Column, v: str, raw: str | None = None) -> tuple[str, list[object]]:
    """The SQL for a column's value from its trimmed cell `v`. Numbers and dates first try the
    plain forms on the raw cell `raw` (one regex or cast round trip instead of several), and only
    cells that are not plain go through the normalisation: the same result, a fraction of the work
    for the usual file."""
    expr, params = _normalise_any(col, v)
    if raw is None:
        return expr, params
    if col.kind == "number":  # a plain decimal is taken as it is by _ing_num and _ing_pct alike
        return f"CASE WHEN regexp_full_match({raw}, '{_NUMBER}') THEN TRY_CAST({raw} AS DOUBLE) ELSE {expr} END", params
    if col.kind == "int":  # up to 9 digits: always a whole number within _ing_int's range
        return f"CASE WHEN regexp_full_match({raw}, '[+-]?\\d{{1,9}}') THEN CAST({raw} AS INTEGER) ELSE {expr} END", params
    if col.kind == "date":  # canonical YYYY-MM-DD (prints back the same): what _ing_date gives it
        return f"CASE WHEN strlen({raw}) = 10 AND CAST(TRY_CAST({raw} AS DATE) AS VARCHAR) = {raw} THEN TRY_CAST({raw} AS DATE) ELSE {expr} END", params
    return expr, params


def _normalise_any(col: Column, v: str) -> tuple[str, list[object]]:
    if col.kind == "enum":
        words = i18n.words_to_codes(col.enum)
        cases = " ".join("WHEN ? THEN ?" for _ in words)
        return f"CASE lower({v}) {cases} END", [x for pair in words.items() for x in pair]
    if col.ref == "provinces":
        return f"COALESCE((SELECT province_code FROM provinces p WHERE p.province_code = {v} OR p.name_zh = {v} OR p.name_zh || '省' = {v} OR p.name_zh || '市' = {v} OR lower(p.name_en) = lower({v}) LIMIT 1), {v})", []
    if col.kind == "number":
        return (f"_ing_pct({v})" if col.pct else f"_ing_num({v})"), []
    if col.kind == "int":
        return f"_ing_int({v})", []
    if col.kind == "date":
        return f"_ing_date({v})", []
    return v, []


def _err(cur: duckdb.DuckDBPyConnection, col: str, value_sql: str, code: str, where: str, arg: object = None, source: str = "_stage") -> None:
    cur.execute(
        f"INSERT INTO _err SELECT _row, ?, CAST({value_sql} AS VARCHAR), ?, ? FROM {source} WHERE {where}",
        [col, code, None if arg is None else str(arg)],
    )


def _check_column(cur: duckdb.DuckDBPyConnection, contract: Contract, col: Column) -> None:
    name, bad = q(col.name), q(col.name + "__bad")
    raw = name
    if _parsed(col):
        arg = ", ".join(ENUMS[col.enum]) if col.kind == "enum" else None
        _err(cur, col.name, bad, f"bad_{col.kind}", f"{bad} IS NOT NULL", arg)
    if col.required and col.default is None:
        empty = f"{name} IS NULL AND {bad} IS NULL" if _parsed(col) else f"{name} IS NULL"
        _err(cur, col.name, "NULL", "required_empty", empty)
    if col.kind in ("number", "int"):
        if col.min is not None and col.max is not None:
            _err(cur, col.name, raw, "out_of_range", f"{name} NOT BETWEEN {float(col.min)} AND {float(col.max)}", f"{col.min:g}–{col.max:g}")
        elif col.min is not None:
            _err(cur, col.name, raw, "below_min", f"{name} < {float(col.min)}", f"{col.min:g}")
    if col.kind == "date":
        lo, hi = DATE_YEARS
        _err(cur, col.name, raw, "date_out_of_range", f"year({name}) NOT BETWEEN {lo} AND {hi}", f"{lo}–{hi}")
    if col.ref and col.ref not in PLACE_REFS:  # places are matched by _resolve_places
        ref_table, ref_key = {"projects": ("projects", "project_id"), "indicators": ("indicators", "indicator_code"), "provinces": ("provinces", "province_code"), "cases": ("cases", "case_id")}[col.ref]
        shown = name
        within = f" OR {name} IN (SELECT {q(ref_key)} FROM _stage)" if ref_table == contract.table else ""
        _err(cur, col.name, shown, f"unknown_{col.ref}", f"{name} IS NOT NULL AND NOT ({name} IN (SELECT {q(ref_key)} FROM {ref_table}){within})")
    if col.pct and "indicator_code" in contract.names and col.name != "indicator_code":
        cur.execute(
            f"INSERT INTO _err SELECT s._row, ?, CAST(s.{name} AS VARCHAR), 'pct_out_of_range', '0–100' "
            f"FROM _stage s JOIN indicators i ON i.indicator_code = s.indicator_code "
            f"WHERE i.unit = '%' AND s.{name} NOT BETWEEN 0 AND 100",
            [col.name],
        )


PLACE_REFS = ("cities", "counties")


def _resolve_places(cur: duckdb.DuckDBPyConnection, contract: Contract, columns: dict[str, int]) -> dict[str, int]:
    """A city or county column's code or name made the code it names within the row's province
    (the file's, or the stored pilot's for a projects file without one), or the row rejected with
    the reason and the candidates (`places.resolve`). Each distinct (province, city, county) is
    matched once. A county given without a city column gives the row its city too: the returned
    columns then include the city's."""
    city = next((c.name for c in contract.columns if c.ref == "cities"), None)
    county = next((c.name for c in contract.columns if c.ref == "counties"), None)
    if not ((city and city in columns) or (county and county in columns)):
        return columns
    if city and city not in columns:
        cur.execute(f"ALTER TABLE _stage ADD COLUMN {q(city)} VARCHAR")
        columns = {**columns, city: -1}  # membership only: _merge takes the stage's value
    if county and county not in columns:
        county = None
    if "province_code" in columns:
        province = "s.province_code"
    elif contract.table == "projects":
        province = "(SELECT p.province_code FROM projects p WHERE p.project_id = s.project_id)"
    else:
        province = "CAST(NULL AS VARCHAR)"
    county_sql = f"s.{q(county)}" if county else "CAST(NULL AS VARCHAR)"
    found = cur.execute(
        f"SELECT DISTINCT {province}, s.{q(city)}, {county_sql} FROM _stage s "
        f"WHERE s.{q(city)} IS NOT NULL OR {county_sql} IS NOT NULL").fetchall()
    if not found:
        return columns
    mapping, problems = [], []
    for prov, city_text, county_text in found:
        done = places.resolve(prov, city_text, county_text, city, county or "county_code")
        mapping.append((prov, city_text, county_text, done.city_code, done.county_code))
        problems += [(prov, city_text, county_text, p.column, p.value, p.code, p.arg) for p in done.problems]
    same = (f"{province} IS NOT DISTINCT FROM m.prov AND s.{q(city)} IS NOT DISTINCT FROM m.city_in "
            f"AND {county_sql} IS NOT DISTINCT FROM m.county_in")
    if problems:
        cur.register("_place_err", _texts(problems, ("prov", "city_in", "county_in", "col", "value", "code", "arg")))
        cur.execute(f"INSERT INTO _err SELECT s._row, m.col, m.value, m.code, m.arg FROM _stage s, _place_err m "
                    f"WHERE {same}")
        cur.unregister("_place_err")
    cur.register("_place_map", _texts(mapping, ("prov", "city_in", "county_in", "city_code", "county_code")))
    sets = [f"{q(city)} = m.city_code"] + ([f"{q(county)} = m.county_code"] if county else [])
    cur.execute(f"UPDATE _stage s SET {', '.join(sets)} FROM _place_map m WHERE {same}")
    cur.unregister("_place_map")
    return columns


def _texts(rows: list[tuple], names: tuple[str, ...]) -> pa.Table:
    return pa.table({n: pa.array([r[i] for r in rows], pa.string()) for i, n in enumerate(names)})


def _check_duplicates(cur: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    keys = list(contract.key)
    cols = ", ".join(q(k) for k in keys)
    required = " AND ".join(f"{q(k)} IS NOT NULL" for k in keys if contract.column(k).required) or "true"
    cur.execute(f"CREATE OR REPLACE TEMP TABLE _dup AS SELECT {cols} FROM _stage WHERE {required} GROUP BY ALL HAVING count(*) > 1")
    if scalar(cur, "SELECT count(*) FROM _dup"):
        cur.execute(
            f"INSERT INTO _err SELECT unnest(rows), ?, NULL, 'duplicate_key', array_to_string(rows, ', ') FROM ("
            f"SELECT list(s._row ORDER BY s._row) AS rows FROM _stage s JOIN _dup d ON {key_match(contract, 's', 'd')} "
            f"GROUP BY {', '.join('s.' + q(k) for k in keys)})",
            [", ".join(keys)],
        )


def _merge(cur: duckdb.DuckDBPyConnection, contract: Contract, columns: dict[str, int]) -> None:
    """`_merged`: each file row as it would be stored, with the stored row's values as `<col>__old`
    and `_hit` true when the key already exists. Rows with errors are left out."""
    exprs, changes = [], []
    for col in contract.columns:
        if col.name in columns or col.key:
            value = f"s.{q(col.name)}"
            if col.default is not None:
                value = f"COALESCE({value}, {float(col.default)})"
        elif col.default is not None:
            value = f"COALESCE(t.{q(col.name)}, {float(col.default)})"
        else:
            value = f"t.{q(col.name)}"
        exprs.append(f"CAST({value} AS {col.sql_type}) AS {q(col.name)}")
        if not col.key and col.name in columns:
            changes.append(f"CAST({value} AS {col.sql_type}) IS DISTINCT FROM t.{q(col.name)}")
        if not col.key:
            exprs.append(f"t.{q(col.name)} AS {q(col.name + '__old')}")
    changed = " OR ".join(changes) or "false"
    cur.execute(
        f"CREATE OR REPLACE TEMP TABLE _merged AS SELECT CASE WHEN t._hit IS NULL THEN 'insert' WHEN {changed} THEN 'update' "
        f"ELSE 'unchanged' END AS _action, s._row, t._hit IS NOT NULL AS _hit, {', '.join(exprs)} "
        f"FROM (SELECT * FROM _stage WHERE _row NOT IN (SELECT DISTINCT _row FROM _err)) s "
        f"LEFT JOIN (SELECT *, true AS _hit FROM {contract.table}) t ON {key_match(contract, 's', 't')}"
    )


def _in_scope_project(column: str, scope) -> tuple[str, list[object]]:
    """SQL true when the pilot named by `column` is within the scope (provinces: by the stored
    pilot's province), with its bound parameters."""
    if scope.kind in ("provinces", "cities"):
        place = "province_code" if scope.kind == "provinces" else "city_code"
        return (f"{column} IN (SELECT project_id FROM projects WHERE {place} IN (SELECT unnest(?::VARCHAR[])))",
                [list(scope.codes)])
    return f"{column} IN (SELECT unnest(?::VARCHAR[]))", [list(scope.codes)]


def _in_codes(column: str, scope) -> tuple[str, list[object]]:
    return f"{column} IN (SELECT unnest(?::VARCHAR[]))", [list(scope.codes)]


@dataclass(frozen=True)
class ScopeRule:
    """One reason a merged row is outside a scope: `outside` is SQL true for such a row, `arg`
    SQL for the message's value; each with its bound parameters."""

    code: str  # ingest.err.<code>
    column: str
    outside: str
    params: tuple[object, ...]
    arg: str
    arg_params: tuple[object, ...] = ()
    # A rule about who may give the row (an evaluator's scores), not about where it belongs: it is
    # the submitter's to meet; a reviewer approving the row checks only where it belongs.
    giver: bool = False


def scope_rules(contract: Contract, scope: Scope | None) -> list[ScopeRule]:
    """Why a merged row (`_merged`'s columns, with `<col>__old` the stored values) is outside
    `scope`; empty for the national scope (or none).

    A row belongs to its pilot: a pilot of another province (or another pilot, for a pilot unit)
    is outside, and so is moving a stored row to or from one (a project's province, a milestone's
    or risk's pilot). Province targets belong to that province; indicators and belt or national
    targets are reference rows only the national office may change (shared/domain.md)."""
    kind = getattr(scope, "kind", "national")
    if scope is None or kind == "national":
        return []
    if kind not in ("provinces", "projects", "cities"):
        raise ValueError(f"unknown scope kind {kind!r}")
    table = contract.table
    if table == "indicators":
        return [ScopeRule("reference_national_only", "indicator_code", "true", (), "indicator_code")]
    if table in ("eval_items", "eval_rounds"):  # assessment schemes and rounds: national reference data
        column = "item_code" if table == "eval_items" else "round_id"
        return [ScopeRule("scheme_national_only", column, "true", (), column)]
    if table == "eval_scores":
        # Who scores a pilot, per row (shared/domain.md "Assessment and grading"): a pilot unit its
        # own self scores, a provincial office the department scores of its province's pilots;
        # third-party scores come from a reviewer whose scope covers the pilot (the role is asked
        # by policy when the file is submitted, pilotdash/assessment/permissions.py).
        new, p1 = _in_scope_project("project_id", scope)
        refused = "department" if kind == "projects" else "self"
        return [ScopeRule("out_of_scope_project", "project_id", f"NOT coalesce({new}, false)", tuple(p1), "project_id"),
                ScopeRule(f"evaluator_not_yours_{refused}", "evaluator", f"evaluator = '{refused}'", (), "evaluator",
                          giver=True)]
    if table == "projects" and kind == "provinces":
        new, p1 = _in_codes("province_code", scope)
        old, p2 = _in_codes("province_code__old", scope)
        # A pilot moved in from another province: its id is taken, and where it is is not said.
        return [ScopeRule("out_of_scope_province", "province_code", f"NOT coalesce({new}, false)", tuple(p1),
                          "province_code"),
                ScopeRule("out_of_scope_record", "project_id",
                          f"province_code__old IS NOT NULL AND NOT coalesce({old}, false)", tuple(p2), "NULL")]
    if table == "projects" and kind == "cities":  # a prefecture office: pilots of its cities, staying there
        new, p1 = _in_codes("city_code", scope)
        old, p2 = _in_codes("city_code__old", scope)
        # A stored pilot not in its cities (another city's, or one with no city yet, which a city
        # office must not claim by giving it its own city): its id is taken, where it is not said.
        return [ScopeRule("out_of_scope_city", "city_code", f"NOT coalesce({new}, false)", tuple(p1), "city_code"),
                ScopeRule("out_of_scope_record", "project_id",
                          f"_hit AND NOT coalesce({old}, false)", tuple(p2), "NULL")]
    if table == "targets":
        project, p1 = _in_scope_project("project_id", scope)
        province, p2 = _in_codes("province_code", scope) if kind == "provinces" else ("false", [])
        return [
            ScopeRule("out_of_scope_project", "project_id",
                      f"project_id IS NOT NULL AND NOT coalesce({project}, false)", tuple(p1), "project_id"),
            ScopeRule("out_of_scope_province", "province_code",
                      f"project_id IS NULL AND province_code IS NOT NULL AND NOT coalesce({province}, false)",
                      tuple(p2), "province_code"),
            ScopeRule("reference_national_only", "indicator_code", "project_id IS NULL AND province_code IS NULL", (),
                      "indicator_code"),
        ]
    if table == "risk_reviews":  # a review belongs to its risk's pilot
        pilot, p1 = _in_scope_project("project_id", scope)
        return [ScopeRule("out_of_scope_project", "risk_id",
                          f"NOT coalesce(risk_id IN (SELECT risk_id FROM risks WHERE {pilot}), false)", tuple(p1),
                          "risk_id")]
    if table == "adoptions":  # an adoption belongs to its case's pilot
        pilot, p1 = _in_scope_project("c.project_id", scope)
        return [ScopeRule("out_of_scope_case", "case_id",
                          f"NOT coalesce(case_id IN (SELECT c.case_id FROM cases c WHERE {pilot}), false)", tuple(p1),
                          "case_id")]
    new, p1 = _in_scope_project("project_id", scope)
    if table not in ("milestones", "risks", "tasks", "issues", "cases"):  # the pilot is part of the row's key
        return [ScopeRule("out_of_scope_project", "project_id", f"NOT coalesce({new}, false)", tuple(p1), "project_id")]
    old, p2 = _in_scope_project("project_id__old", scope)  # milestones, risks, tasks, issues, cases: a row moved between pilots
    key = next(c.name for c in contract.columns if c.key)
    # Its id taken by another office's row: said so, without naming that row's pilot.
    return [ScopeRule("out_of_scope_project", "project_id", f"NOT coalesce({new}, false)", tuple(p1), "project_id"),
            ScopeRule("out_of_scope_record", key, f"project_id__old IS NOT NULL AND NOT coalesce({old}, false)",
                      tuple(p2), "NULL")]


def _check_scope(cur: duckdb.DuckDBPyConnection, contract: Contract, scope: Scope | None) -> None:
    """Reject the merged rows outside the scope, before the row rules, so that nothing more is
    said about another office's rows; a row is rejected once, for the first reason."""
    rules = scope_rules(contract, scope)
    for rule in rules:
        cur.execute(
            f"INSERT INTO _err SELECT _row, ?, CAST({q(rule.column)} AS VARCHAR), ?, CAST({rule.arg} AS VARCHAR) "
            f"FROM _merged WHERE ({rule.outside}) AND _row NOT IN (SELECT _row FROM _err)",
            [rule.column, rule.code, *rule.arg_params, *rule.params],
        )
    if rules:
        # One answer for "not yours" and "not there": a pilot this person cannot see is outside
        # their scope, whether it exists elsewhere or nowhere (the reference check said which).
        cur.execute("UPDATE _err SET code = 'out_of_scope_project', arg = value "
                    "WHERE code = 'unknown_projects'")
        cur.execute("DELETE FROM _merged WHERE _row IN (SELECT _row FROM _err)")


def _candidates(rule) -> str:
    """The merged rows a rule looks at, still named `_merged` (its condition refers to them so)."""
    return "_merged" if rule.only == "true" else f"(SELECT * FROM _merged WHERE {rule.only}) AS _merged"


def _check_rows(cur: duckdb.DuckDBPyConnection, contract: Contract, columns: dict[str, int]) -> None:
    for rule in contract.rules:
        if rule.arg:  # the message's value read from the row (as a warning's): fixed SQL of the contract
            cur.execute(
                f"INSERT INTO _err SELECT _row, ?, CAST({q(rule.columns[0])} AS VARCHAR), ?, CAST({rule.arg} AS VARCHAR) "
                f"FROM {_candidates(rule)} WHERE NOT coalesce({rule.condition}, true)",
                [rule.columns[0], rule.code],
            )
            continue
        _err(cur, rule.columns[0], q(rule.columns[0]), rule.code, f"NOT coalesce({rule.condition}, true)",
             ", ".join(rule.columns[1:]) or None, _candidates(rule))
    for col in contract.columns:
        if col.required and col.default is None and col.name not in columns:
            _err(cur, col.name, "NULL", "missing_for_new_row", "NOT _hit", None, "_merged")
    for rule in contract.warnings:
        cur.execute(
            f"INSERT INTO _warn SELECT _row, ?, CAST({q(rule.columns[0])} AS VARCHAR), ?, "
            f"CAST({rule.arg or q(rule.columns[1])} AS VARCHAR) "
            f"FROM {_candidates(rule)} WHERE NOT coalesce({rule.condition}, true) AND _row NOT IN (SELECT _row FROM _err)",
            [rule.columns[0], rule.code],
        )
    if scalar(cur, "SELECT count(*) FROM _err"):
        cur.execute("DELETE FROM _merged WHERE _row IN (SELECT _row FROM _err)")


def _count(cur: duckdb.DuckDBPyConnection, grid: Grid) -> Staged:
    total = scalar(cur, "SELECT count(*) FROM _stage") + len(grid.ragged)
    actions = dict(cur.execute("SELECT _action, count(*) FROM _merged GROUP BY ALL").fetchall())
    rejected = scalar(cur, "SELECT count(DISTINCT _row) FROM _err")
    warnings = scalar(cur, "SELECT count(DISTINCT _row) FROM _warn")
    return Staged(total, actions.get("insert", 0), actions.get("update", 0), actions.get("unchanged", 0), rejected, warnings)
