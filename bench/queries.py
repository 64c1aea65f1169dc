"""Each named query through the query layer (`named_queries.run`) against the same SQL with the
same bound parameters run directly on a DuckDB cursor (`cursor.execute(sql, params).df()`).

    python -m bench.queries --scale N --repeat R --out FILE
"""

from __future__ import annotations

import argparse

from bench.common import median, store_path, timed, write_json
from bench.params import query_params, sample_project
from pilotdash import named_queries
from pilotdash.store import Store


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, required=True)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--only", default="")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    store = Store(store_path(args.scale))
    as_of = named_queries.default_as_of(store)
    project = sample_project(store)
    raw_cur = store.cursor()  # the same SQL with the snapshot in place, as the layer reads it
    live_cur = store.cursor()  # the same SQL computing every measure live (no snapshot)
    try:
        from pilotdash import snapshots
    except ImportError:  # before snapshots existed
        snapshots = None
    snap = False
    results = {}
    names = [n for n in named_queries.catalogue() if not args.only or n in args.only.split(",")]
    for name in names:
        params = query_params(store, name, as_of, project)
        q = named_queries.get(name)
        bound = named_queries.bind(store, q, params)

        def layer() -> None:
            named_queries.run(store, name, params)

        def raw() -> None:
            raw_cur.execute(q.sql, bound).df()

        rows = len(named_queries.run(store, name, params))  # warm-up; builds the snapshot if need be
        uses = bool(snapshots and snapshots.uses_snapshots(q.sql))
        if uses and not snap:
            snap = snapshots.is_current(raw_cur, as_of)
            raw_cur.execute(f"SET VARIABLE snapshot_as_of = DATE '{as_of.isoformat()}'")
        raw()
        lt, rt = [], []
        for i in range(args.repeat):  # interleaved, alternating which goes first
            if i % 2:
                rt.append(timed(raw))
                lt.append(timed(layer))
            else:
                lt.append(timed(layer))
                rt.append(timed(raw))
        live_s = None
        if uses:
            live_cur.execute(q.sql, bound).df()
            live_s = median([timed(lambda: live_cur.execute(q.sql, bound).df()) for _ in range(max(1, args.repeat // 3))])
        results[name] = {
            "uses_snapshot": uses, "live_s": live_s,
            "rows": rows, "params": {k: str(v) for k, v in params.items()},
            "layer_s": median(lt), "raw_s": median(rt),
            # Each layer run is paired with the raw run beside it (same moment, same load): the
            # median of the pairs' ratios, robust to a busy machine.
            "ratio": median([a / b for a, b in zip(lt, rt)]),
            "overhead_ms": median([(a - b) * 1000 for a, b in zip(lt, rt)]),
            "layer_all": lt, "raw_all": rt,
        }
        print(f"    {name:28s} layer {median(lt) * 1000:9.1f} ms  raw {median(rt) * 1000:9.1f} ms  "
              f"x{results[name]['ratio']:.2f}  rows {rows}"
              + (f"  (live {live_s * 1000:.1f} ms)" if live_s is not None else ""), flush=True)
    store.close()
    write_json(args.out, {"scale": args.scale, "as_of": as_of, "project": project, "repeat": args.repeat,
                          "queries": results})


if __name__ == "__main__":
    main()
