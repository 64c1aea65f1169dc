"""The parameters the benchmark asks each named query and page with: the default view (no
filters, as of the store's default date) plus the one page parameter a query needs."""

from __future__ import annotations

import argparse
import datetime as dt

from pilotdash import named_queries
from pilotdash.store import Store

# Page parameters for the queries that need one; everything else is the unfiltered default view.
EXTRA = {"indicator": "S1", "dimension": None, "sort": None, "limit": None, "health": None}


def sample_project(store: Store) -> str:
    """A pilot with a full record (readings, lines, milestones, risks): the busiest of the first batch."""
    row = store.rows(
        "SELECT project_id FROM readings GROUP BY project_id ORDER BY count(*) DESC, project_id LIMIT 1"
    )[0]
    return row[0]


def query_params(store: Store, name: str, as_of: dt.date, project: str) -> dict[str, object]:
    q = named_queries.get(name)
    params: dict[str, object] = {}
    for p in q.params:
        if p.name == "as_of":
            params["as_of"] = as_of
        elif p.name == "project":
            params["project"] = project if p.type == "VARCHAR" else [project]
        elif p.name in EXTRA and EXTRA[p.name] is not None and not p.type.endswith("[]"):
            params[p.name] = EXTRA[p.name]
    return params


def page_params(url_path: str, project: str) -> dict[str, str]:
    return {"project": project} if url_path == "project" else {}


def query_run() -> tuple[argparse.Namespace, Store, dt.date, str]:
    """A query part's arguments (--scale, --repeat, --only, --out), its scale's store, the default
    as-of date and the sample pilot: what bench.queries and bench.scoped both start from."""
    from bench.common import store_path

    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    store = Store(store_path(args.scale))
    return args, store, named_queries.default_as_of(store), sample_project(store)
