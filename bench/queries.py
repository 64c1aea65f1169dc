"""Each named query through the query layer (`named_queries.run`) against the same SQL with the
same bound parameters run directly on a DuckDB cursor (`cursor.execute(sql, params).df()`).

    python -m bench.queries --scale N --repeat R --out FILE
"""

from __future__ import annotations

import contextlib

from bench.common import median, timed, write_json
from bench.params import query_params, query_run
from pilotdash import named_queries


MAX_ROUNDS = 41
ROUND_SECONDS = 1.0


def main() -> None:
    args, store, as_of, project = query_run()
    try:
        from pilotdash import snapshots
    except ImportError:  # before snapshots existed
        snapshots = None
    if snapshots:
        snapshots.ensure(store, as_of)  # built before the raw reads below hold the store open
    reads = contextlib.ExitStack()
    live_cur = reads.enter_context(store.read())  # plain: the SQL as DuckDB runs it
    snap_cur = reads.enter_context(store.read())  # the snapshot variable set
    snap = False
    results = {}
    names = [n for n in named_queries.catalogue() if not args.only or n in args.only.split(",")]
    for name in names:
        params = query_params(store, name, as_of, project)
        q = named_queries.get(name)
        bound = named_queries.bind(store, q, params)

        def layer() -> None:
            named_queries.run(store, name, params)

        def raw() -> None:  # the same SQL on a plain cursor: DuckDB computes every measure
            live_cur.execute(q.sql, bound).df()

        def raw_snapshot() -> None:  # the same SQL with the snapshot in place, as the layer reads it
            snap_cur.execute(q.sql, bound).df()

        rows = len(named_queries.run(store, name, params))  # warm-up; builds the snapshot if need be
        uses = bool(snapshots and snapshots.uses_snapshots(q.sql))
        if uses and not snap:
            snap = snapshots.is_current(snap_cur, as_of)
            snap_cur.execute(f"SET VARIABLE snapshot_as_of = DATE '{as_of.isoformat()}'")
        runs = {"layer": layer, "raw": raw, **({"raw_snapshot": raw_snapshot} if uses else {})}
        for f in runs.values():
            f()
        times: dict[str, list[float]] = {k: [] for k in runs}
        order = list(runs)
        # Interleaved, rotating which goes first. At least --repeat rounds, and more for quick
        # queries (up to MAX_ROUNDS, until the layer has run ROUND_SECONDS in all): the median
        # of 9 pairs of 10 ms runs moves by ±20% with the machine's load, of 40 pairs it does not.
        i = 0
        while i < args.repeat or (i < MAX_ROUNDS and sum(times["layer"]) < ROUND_SECONDS):
            for k in order[i % len(order):] + order[:i % len(order)]:
                times[k].append(timed(runs[k]))
            i += 1
        lt, rt = times["layer"], times["raw"]
        st_ = times.get("raw_snapshot")
        results[name] = {
            "uses_snapshot": uses, "rows": rows, "params": {k: str(v) for k, v in params.items()},
            "layer_s": median(lt), "raw_s": median(rt),
            # Each layer run is paired with the raw run beside it (same moment, same load): the
            # median of the pairs' ratios, robust to a busy machine.
            "ratio": median([a / b for a, b in zip(lt, rt)]),
            "raw_snapshot_s": median(st_) if st_ else None,
            # The layer's own bookkeeping: against the same SQL with the snapshot already in place.
            "overhead_ratio": median([a / b for a, b in zip(lt, st_ or rt)]),
            "overhead_ms": median([(a - b) * 1000 for a, b in zip(lt, st_ or rt)]),
            "rounds": len(lt), "layer_all": lt, "raw_all": rt, "raw_snapshot_all": st_,
        }
        r = results[name]
        print(f"    {name:28s} layer {median(lt) * 1000:9.1f} ms  raw {median(rt) * 1000:9.1f} ms  "
              f"x{r['ratio']:.2f}  rows {rows}"
              + (f"  (raw with snapshot {r['raw_snapshot_s'] * 1000:.1f} ms: x{r['overhead_ratio']:.2f})" if uses else ""),
              flush=True)
    reads.close()
    store.close()
    write_json(args.out, {"scale": args.scale, "as_of": as_of, "project": project, "repeat": args.repeat,
                          "queries": results})


if __name__ == "__main__":
    main()
