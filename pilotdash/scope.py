"""Scope 数据权限: which pilots a person sees (issue 12, shared/domain.md "Organisation and access").

A scope is national (every pilot), a list of province codes, or a list of project ids. It is
applied in ONE place: `bind(cursor, scope)`, called by `store._apply_scope` at the start of every
read, inside the read's transaction and before any of its SQL runs. No query, macro, page or
export knows about scopes, so a new one cannot forget it.

How: DuckDB resolves an unqualified table name (and `main.<table>`) in the connection's
temporary catalog before the store's own, and macros bind their table names when they are
called. So `bind` creates, on the read's own connection, two small temporary tables of what the
scope may see (`_scope_projects`, `_scope_provinces`) and a temporary VIEW with the name of every
pilot-keyed table (projects, phases, milestones, readings, budget lines, risks, targets, the
measure snapshots, the warnings tables, the upload row images, the provinces) that holds only the
scope's rows, read from the store's table by its catalog-qualified name. Every named query,
measure macro, count and total then reads only those rows: the filter is at the base tables, so a
provincial page never computes the whole country first.

Every read runs on a fresh cursor (its own DuckDB connection, its own temporary catalog) inside a
transaction the store rolls back at its end, which drops the views; `bind` also replaces (or, for
a national read, drops) whatever an earlier `bind` left on a reused cursor, so a cursor never
carries one person's scope into another's read.
"""

from __future__ import annotations

import dataclasses
import threading
import weakref

from collections.abc import Iterable

from .errors import Problem
from .i18n import t

KINDS = ("national", "provinces", "projects", "cities")  # cities: a prefecture office (4-digit codes)
# _scope_whole_provinces: the provinces the scope holds whole (a provinces scope's own; none for a
# cities or pilots scope, which sees its provinces' map and reference rows, not all their pilots)
SCOPE_TABLES = ("_scope_projects", "_scope_provinces", "_scope_whole_provinces")


@dataclasses.dataclass(frozen=True)
class Scope:
    kind: str  # "national" | "provinces" | "projects" | "cities"
    codes: tuple[str, ...] = ()  # province codes ("11", "51"), project ids or city codes ("3301")

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"scope kind must be one of {', '.join(KINDS)}, not {self.kind!r}")
        codes = tuple(dict.fromkeys(str(c).strip() for c in (self.codes or ()) if str(c).strip()))
        if self.kind == "national" and codes:
            raise ValueError("a national scope has no codes")
        if self.kind != "national" and not codes:
            raise ValueError(f"a {self.kind} scope needs at least one code")
        object.__setattr__(self, "codes", tuple(sorted(codes)))

    @classmethod
    def national(cls) -> "Scope":
        return cls("national")

    @property
    def is_national(self) -> bool:
        return self.kind == "national"

    def describe(self, lang: str) -> str:
        """'national' / 'provinces 11, 51' / 'pilots P1, P2', in `lang`."""
        if self.is_national:
            return t("scope.national", lang)
        return t(f"scope.{self.kind}", lang, codes=", ".join(self.codes))

    def key(self) -> tuple:
        """For cache keys: two scopes with the same key see the same rows."""
        return (self.kind, self.codes)

    # What a scope holds: the one answer the access policy (pilotdash/policy.py), the review of
    # submissions and the subscriptions ask; the reads are limited by `bind` below.

    def holds(self, project_id: str | None, province_code: str | None, city_code: str | None = None) -> bool:
        """Whether the pilot `project_id` of province `province_code` (and city `city_code`) lies
        within this scope (a provinces scope holds a pilot by its province, a cities scope by its
        city, a pilots scope by its id; a resource that names none lies within a national scope
        only)."""
        if self.is_national:
            return True
        if self.kind == "provinces":
            return province_code is not None and str(province_code) in self.codes
        if self.kind == "cities":
            return city_code is not None and str(city_code) in self.codes
        return project_id is not None and str(project_id) in self.codes

    def contains(self, inner: "Scope", inner_provinces: Iterable[str] | None = None,
                 inner_cities: Iterable[str] | None = None) -> bool:
        """Whether everything `inner` names lies within this scope. For a pilots scope inside a
        provinces one, `inner_provinces` are the provinces of ALL its pilots; inside a cities one,
        `inner_cities` are the cities of ALL its pilots (both read from the store by the caller;
        None: unknown, or a pilot with no city, so not contained). A province is never inside a
        pilots or a cities scope: it holds pilots the scope does not name, and the pilots added to
        it later."""
        if self.is_national:
            return True
        if inner.is_national:
            return False
        if inner.kind == self.kind:
            return set(inner.codes) <= set(self.codes)
        if self.kind == "provinces" and inner.kind == "cities":  # a city's code begins with its province's
            return all(code[:2] in self.codes for code in inner.codes)
        if self.kind == "provinces" and inner.kind == "projects" and inner_provinces is not None:
            provinces = set(inner_provinces)
            return bool(provinces) and provinces <= set(self.codes)
        if self.kind == "cities" and inner.kind == "projects" and inner_cities is not None:
            cities = set(inner_cities)
            return bool(cities) and cities <= set(self.codes)
        return False


def of(scope: "Scope | None") -> Scope:
    return scope if scope is not None else Scope.national()


# The views ---------------------------------------------------------------------------------------

_IN_PROJECTS = "project_id IN (SELECT project_id FROM temp.main._scope_projects)"
_IN_PROVINCES = "province_code IN (SELECT province_code FROM temp.main._scope_provinces)"
_IN_WARNINGS = ("warning_id IN (SELECT warning_id FROM {c}.main.warnings WHERE " + _IN_PROJECTS + ")")

# table -> the condition its rows must meet ({c}: the store's catalog, quoted). Every table of
# the store whose rows belong to a pilot or a province; reference tables (indicators, national and
# belt targets) and the store's own bookkeeping are the same for everyone.
VIEWS: dict[str, str] = {
    "projects": _IN_PROJECTS,
    "phases": _IN_PROJECTS,
    "milestones": _IN_PROJECTS,
    "readings": _IN_PROJECTS,
    "budget_lines": _IN_PROJECTS,
    "risks": _IN_PROJECTS,
    "tasks": _IN_PROJECTS,
    "issues": _IN_PROJECTS,
    "issue_actions": "issue_id IN (SELECT issue_id FROM {c}.main.issues WHERE " + _IN_PROJECTS + ")",
    "risk_reviews": "risk_id IN (SELECT risk_id FROM {c}.main.risks WHERE " + _IN_PROJECTS + ")",
    "snapshot_indicator_status": _IN_PROJECTS,
    "snapshot_project_health": _IN_PROJECTS,
    "warnings": _IN_PROJECTS,
    "warning_events": _IN_WARNINGS,
    "warning_notices": _IN_WARNINGS,
    "provinces": _IN_PROVINCES,
    # assessment 考核评价: scores, surveys and computed results belong to their pilot (schemes and
    # rounds are national reference data, seen by everyone)
    "eval_scores": _IN_PROJECTS,
    "surveys": _IN_PROJECTS,
    "eval_values": _IN_PROJECTS,
    "eval_leaf_results": _IN_PROJECTS,
    "eval_results": _IN_PROJECTS,
    "cases": _IN_PROJECTS,
    "adoptions": "case_id IN (SELECT case_id FROM {c}.main.cases WHERE " + _IN_PROJECTS + ")",
    # a pilot's targets when the pilot is visible, a province's when the province is, a belt's
    # when one of its provinces is; national targets for everyone
    "targets": (f"(project_id IS NULL OR {_IN_PROJECTS}) AND (province_code IS NULL OR {_IN_PROVINCES}) "
                "AND (belt IS NULL OR belt IN (SELECT belt FROM {c}.main.provinces WHERE " + _IN_PROVINCES + "))"),
    # subscriptions of a province or of pilots wholly inside the scope (a province's only within a
    # provinces scope: a city office or a pilot unit does not read its provincial office's)
    "warning_subscriptions": (
        "(scope_kind = 'province' AND len(scope_codes) > 0 AND list_has_all("
        "(SELECT coalesce(list(province_code), []) FROM temp.main._scope_whole_provinces), scope_codes)) OR "
        "(scope_kind = 'pilots' AND len(scope_codes) > 0 AND list_has_all("
        "(SELECT coalesce(list(project_id), []) FROM temp.main._scope_projects), scope_codes))"
    ),
    # an upload's row images: reference rows for everyone, a pilot's rows when it is visible
    "upload_changes": (
        "table_name IN ('indicators', 'provinces', 'eval_items', 'eval_rounds') OR coalesce("
        "json_extract_string(row_key, '$.project_id'), json_extract_string(before_row, '$.project_id'), "
        "json_extract_string(after_row, '$.project_id'), "
        "(SELECT m.project_id FROM {c}.main.milestones m "
        " WHERE table_name = 'milestones' AND m.milestone_id = json_extract_string(row_key, '$.milestone_id')), "
        "(SELECT r.project_id FROM {c}.main.risks r "
        " WHERE table_name = 'risks' AND r.risk_id = json_extract_string(row_key, '$.risk_id')), "
        "(SELECT r.project_id FROM {c}.main.risks r "
        " WHERE table_name = 'risk_reviews' AND r.risk_id = json_extract_string(row_key, '$.risk_id')), "
        "(SELECT t.project_id FROM {c}.main.tasks t "
        " WHERE table_name = 'tasks' AND t.task_id = json_extract_string(row_key, '$.task_id')), "
        "(SELECT i.project_id FROM {c}.main.issues i "
        " WHERE table_name = 'issues' AND i.issue_id = json_extract_string(row_key, '$.issue_id')), "
        "(SELECT a.project_id FROM {c}.main.cases a "
        " WHERE table_name = 'adoptions' AND a.case_id = json_extract_string(row_key, '$.case_id'))"
        ") IN (SELECT project_id FROM temp.main._scope_projects) OR "
        # a targets row of no pilot (a province's, a belt's, the nation's): seen as `targets` is
        "(table_name = 'targets' AND json_extract_string(row_key, '$.project_id') IS NULL "
        " AND coalesce(json_extract_string(row_key, '$.province_code') IN "
        "     (SELECT province_code FROM temp.main._scope_provinces), true) "
        " AND coalesce(json_extract_string(row_key, '$.belt') IN "
        "     (SELECT belt FROM {c}.main.provinces WHERE " + _IN_PROVINCES + "), true))"
    ),
}
# an upload is listed when one of its changed rows is visible
_UPLOAD_LOG = "upload_id IN (SELECT upload_id FROM temp.main.upload_changes)"

# cursor -> the scope key its views were made for (weak: a closed, dropped cursor goes)
_bound: "weakref.WeakKeyDictionary[object, tuple]" = weakref.WeakKeyDictionary()
_bound_lock = threading.Lock()


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


_tables_seen: dict[str, frozenset[str]] = {}  # catalog -> its tables, once every view's table is there


def _store_tables(cur, catalog: str) -> frozenset[str]:
    """The store's tables (a store made before a table existed has no view for it). Kept per
    catalog once all of VIEWS' tables exist: tables are never dropped."""
    if catalog in _tables_seen:
        return _tables_seen[catalog]
    rows = cur.execute(
        "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND NOT temporary").fetchall()
    found = frozenset(r[0] for r in rows)
    if found >= set(VIEWS) | {"upload_log"}:
        _tables_seen[catalog] = found
    return found


def _drop(cur) -> None:
    names = [*VIEWS, "upload_log"]
    cur.execute("; ".join(f"DROP VIEW IF EXISTS temp.main.{n}" for n in names) + "; "
                + "; ".join(f"DROP TABLE IF EXISTS temp.main.{n}" for n in (*SCOPE_TABLES, "_scope_codes")))


def bind(cur, scope: Scope | None) -> None:
    """Limit every later statement on `cur` (a DuckDB connection, inside the read's transaction)
    to `scope`; None or national: no limit (and whatever an earlier bind set on `cur` is gone).
    Two round trips: the scope's codes (the one bound parameter), then the tables of what it
    sees and the views, in one batch."""
    scope = of(scope)
    with _bound_lock:
        before = _bound.pop(cur, None)
    if scope.is_national:
        if before is not None:
            _drop(cur)
        return
    name = cur.execute("SELECT current_database()").fetchone()[0]
    catalog = _quote(name)
    base = f"{catalog}.main"
    cur.execute("CREATE OR REPLACE TEMP TABLE _scope_codes AS SELECT unnest($codes::VARCHAR[]) AS code",
                {"codes": list(scope.codes)})
    codes = "SELECT code FROM temp.main._scope_codes"
    if scope.kind == "provinces":
        statements = [
            f"CREATE OR REPLACE TEMP TABLE _scope_projects AS SELECT project_id FROM {base}.projects "
            f"WHERE province_code IN ({codes})",
            f"CREATE OR REPLACE TEMP TABLE _scope_provinces AS SELECT province_code FROM {base}.provinces "
            f"WHERE province_code IN ({codes})",
        ]
    elif scope.kind == "cities":  # a prefecture office: its cities' pilots, and their provinces
        statements = [
            f"CREATE OR REPLACE TEMP TABLE _scope_projects AS SELECT project_id FROM {base}.projects "
            f"WHERE city_code IN ({codes})",
            f"CREATE OR REPLACE TEMP TABLE _scope_provinces AS SELECT province_code FROM {base}.provinces "
            f"WHERE province_code IN (SELECT left(code, 2) FROM temp.main._scope_codes)",
        ]
    else:
        statements = [
            f"CREATE OR REPLACE TEMP TABLE _scope_projects AS SELECT project_id FROM {base}.projects "
            f"WHERE project_id IN ({codes})",
            f"CREATE OR REPLACE TEMP TABLE _scope_provinces AS SELECT DISTINCT province_code "
            f"FROM {base}.projects WHERE project_id IN (SELECT project_id FROM temp.main._scope_projects)",
        ]
    whole = "temp.main._scope_provinces" if scope.kind == "provinces" else f"{base}.provinces WHERE false"
    statements.append(f"CREATE OR REPLACE TEMP TABLE _scope_whole_provinces AS SELECT province_code FROM {whole}")
    present = _store_tables(cur, name)
    statements += [
        f"CREATE OR REPLACE TEMP VIEW {table} AS SELECT * FROM {base}.{table} WHERE "
        + condition.replace("{c}", catalog)
        for table, condition in VIEWS.items() if table in present
    ]
    if "upload_log" in present and "upload_changes" in present:
        statements.append(f"CREATE OR REPLACE TEMP VIEW upload_log AS SELECT * FROM {base}.upload_log WHERE {_UPLOAD_LOG}")
    cur.execute("; ".join(statements))
    with _bound_lock:
        _bound[cur] = scope.key()


# Questions about a scope ---------------------------------------------------------------------------

def visible_projects(store, scope: Scope | None) -> set[str]:
    """The ids of the pilots `scope` sees."""
    return {r[0] for r in store.rows("SELECT project_id FROM projects", scope=scope)}


def visible_provinces(store, scope: Scope | None) -> set[str]:
    """The province codes `scope` sees (for a pilots scope: its pilots' provinces)."""
    return {r[0] for r in store.rows("SELECT province_code FROM provinces", scope=scope)}


def in_scope(store, scope: Scope | None, project_id: str) -> bool:
    """Whether the pilot `project_id` exists and `scope` sees it."""
    rows = store.rows("SELECT count(*) FROM projects WHERE project_id = ?", [str(project_id)], scope=scope)
    return bool(rows and rows[0][0])


def require(store, scope: Scope | None, project_id: str) -> None:
    """Problem scope.out_of_scope unless `scope` sees the pilot `project_id` (a read: who may
    change what is pilotdash/policy.py's)."""
    if not in_scope(store, scope, project_id):
        raise Problem("scope.out_of_scope", what=str(project_id))


# A store seen through a scope ---------------------------------------------------------------------

class Limited:
    """`store` as `scope` sees it: every read (`read`, `rows`, `frame`, `query`, and so everything
    handed this object: named queries, snapshots, reports, saved views, the warnings digest) is
    limited to `scope`, whatever scope the caller passes, so code given a person's store cannot
    widen it. A caller may narrow it only by passing the same scope. Writes, the data version and
    the rest are the store's own."""

    def __init__(self, store, scope: Scope | None):
        self._store = store.base if isinstance(store, Limited) else store
        self.scope = of(scope)

    @property
    def base(self):
        return self._store

    def _scope(self, asked: Scope | None) -> Scope | None:
        if self.scope.is_national:
            return asked
        if asked is not None and of(asked) != self.scope:
            raise Problem("scope.out_of_scope", what=", ".join(of(asked).codes) or "*")
        return self.scope

    def read(self, scope: Scope | None = None):
        return self._store.read(self._scope(scope))

    def rows(self, sql, params=None, scope: Scope | None = None):
        return self._store.rows(sql, params, self._scope(scope))

    def frame(self, sql, params=None, scope: Scope | None = None):
        return self._store.frame(sql, params, self._scope(scope))

    def query(self, name, params=None, scope: Scope | None = None):
        # Every read of a named query (its default date included) takes the scope it is given.
        return self._store.query(name, params, scope=self._scope(scope))

    def meta(self, key: str):
        return self._store.meta(key)

    def __getattr__(self, name: str):
        return getattr(self._store, name)


def limited(store, scope: Scope | None):
    """`store` limited to `scope` (the store itself for a national scope)."""
    scope = of(scope)
    if scope.is_national:
        return store.base if isinstance(store, Limited) else store
    return Limited(store, scope)
