"""Named queries: one question per `queries/NAME.sql`, run with bound parameters only.

Each file starts with a header comment that is its contract:

    -- NAME: what it answers.
    -- params:
    --   $as_of   DATE       as-of date
    --   $belt    VARCHAR[]  belts
    -- columns: col_a, col_b

The header is parsed here to list the queries (CLI `queries`), to check and convert parameter
values (CLI strings, URL values, Python values alike), and to bind every declared parameter:
one left out is bound as NULL, meaning "no filter". `$as_of` left out is the default as-of
date. User text never becomes SQL text.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from functools import cache
from pathlib import Path

import pandas as pd

from . import snapshots
from .config import ROOT
from .errors import Problem
from .scope import Scope
from .snapshots import default_as_of

QUERY_DIR = ROOT / "queries"

_PARAM_LINE = re.compile(r"^--\s+\$(\w+)\s+(DATE|VARCHAR\[\]|INTEGER\[\]|VARCHAR|INTEGER|DOUBLE)\s+(.*)$")
_SCALAR = {"DATE", "VARCHAR", "INTEGER", "DOUBLE"}


class QueryError(Problem):
    """A named query was asked for wrongly: unknown name, unknown or badly typed parameter. Its
    own name because the CLI answers these as a usage error (exit status 2), unlike a refusal."""


@dataclasses.dataclass(frozen=True)
class Param:
    name: str
    type: str
    doc: str


@dataclasses.dataclass(frozen=True)
class NamedQuery:
    name: str
    summary: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    sql: str

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        known = ", ".join(p.name for p in self.params) or "—"
        raise QueryError("query.unknown_param", query=self.name, name=name, known=known)


def parse(path: Path) -> NamedQuery:
    text = path.read_text(encoding="utf-8")
    summary: list[str] = []
    params: list[Param] = []
    columns: tuple[str, ...] = ()
    in_summary = False
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        if line.startswith(f"-- {path.stem}:"):
            in_summary = True
            summary.append(line.split(":", 1)[1].strip())
        elif line.startswith(("-- params:", "-- columns:")) or _PARAM_LINE.match(line):
            in_summary = False
            if m := _PARAM_LINE.match(line):
                params.append(Param(m[1], m[2], m[3].strip()))
            elif line.startswith("-- columns:"):
                columns = tuple(c.strip() for c in line.split(":", 1)[1].split(","))
        elif in_summary:
            summary.append(line[2:].strip())
    return NamedQuery(path.stem, " ".join(summary), tuple(params), columns, text)


@cache
def catalogue(directory: Path = QUERY_DIR) -> dict[str, NamedQuery]:
    return {p.stem: parse(p) for p in sorted(directory.glob("*.sql"))}


def get(name: str) -> NamedQuery:
    queries = catalogue()
    if name not in queries:
        raise QueryError("query.unknown", name=name, known=", ".join(queries))
    return queries[name]


def convert(param: Param, value: object) -> object:
    """A value for `param` from Python or from text (CLI, URL); lists may be comma-separated
    text. Empty means NULL (no filter)."""
    if value is None or value == "" or value == []:
        return None
    try:
        if param.type.endswith("[]"):
            items = value.split(",") if isinstance(value, str) else list(value)
            items = [str(i).strip() for i in items if str(i).strip()]
            if not items:
                return None
            base = Param(param.name, param.type[:-2], param.doc)
            return [convert(base, i) for i in items]
        if param.type == "DATE":
            if isinstance(value, dt.datetime):
                return value.date()
            if isinstance(value, dt.date):
                return value
            return dt.date.fromisoformat(str(value).strip())
        if param.type == "INTEGER":
            if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                raise ValueError(value)
            return int(str(value).strip()) if isinstance(value, str) else int(value)
        if param.type == "DOUBLE":
            return float(value)
        return str(value)
    except (TypeError, ValueError):
        wanted = {"DATE": "date", "INTEGER": "integer", "DOUBLE": "number", "VARCHAR": "text"}[param.type.removesuffix("[]")]
        raise QueryError(f"query.bad_{wanted}", name=param.name, value=repr(value)[:80]) from None


def bind(store, query: NamedQuery, params: dict[str, object] | None = None,
         scope: Scope | None = None) -> dict[str, object]:
    params = params or {}
    for name in params:
        query.param(name)
    bound = {p.name: convert(p, params.get(p.name)) for p in query.params}
    if "as_of" in bound and bound["as_of"] is None:
        bound["as_of"] = default_as_of(store, scope)
    return bound


def run(store, name: str, params: dict[str, object] | None = None,
        scope: Scope | None = None) -> pd.DataFrame:
    """The rows of named query `name` for these parameters, as a DataFrame, limited to `scope`
    (None: national). `Store.query` is the same."""
    query = get(name)
    bound = bind(store, query, params, scope)
    if not snapshots.uses_snapshots(query.sql):
        return store.frame(query.sql, bound, scope)
    return snapshots.run(store, query.sql, bound, bound.get("as_of"), scope)
