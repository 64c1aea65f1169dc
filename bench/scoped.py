"""The scoped run (issue 12): every named query as the national office asks it (no scope) against the
same query as one provincial office sees it (`Scope("provinces", (code,))`, the province with the
most pilots, so the worst case), through the query layer, interleaved. Budget: the scoped time is
at most the unscoped time, per query and in all (a provincial page never computes the whole
country first: the scope filters the base tables). Also the national path's own cost of the scope
hook: the same query read with scope None against a plain read (no hook at all).

    python -m bench.scoped --scale N --repeat R --out FILE
"""

from __future__ import annotations


from bench.common import median, timed, write_json
from bench.params import query_params, query_run
from pilotdash import named_queries, snapshots
from pilotdash.scope import Scope, limited
from pilotdash.store import Store

MAX_ROUNDS = 25
ROUND_SECONDS = 1.0


def busiest_province(store: Store) -> tuple[str, int]:
    code, n = store.rows("SELECT province_code, count(*) AS n FROM projects GROUP BY ALL "
                         "ORDER BY n DESC, province_code LIMIT 1")[0]
    return code, int(n)


def main() -> None:
    args, store, as_of, project = query_run()
    province, pilots = busiest_province(store)
    scope = Scope("provinces", (province,))
    total = store.rows("SELECT count(*) FROM projects")[0][0]
    snapshots.ensure(store, as_of)
    # the scoped default date is the same here (every province reports every quarter); if it were
    # not, its snapshot would be built on first use, as on a page
    scoped_as_of = named_queries.default_as_of(limited(store, scope))
    # the sample pilot of the province, for the one-pilot queries
    own = store.rows("SELECT project_id FROM readings WHERE project_id IN (SELECT project_id FROM projects "
                     "WHERE province_code = ?) GROUP BY project_id ORDER BY count(*) DESC, project_id LIMIT 1",
                     [province])[0][0]
    results = {}
    names = [n for n in named_queries.catalogue() if not args.only or n in args.only.split(",")]
    for name in names:
        national_params = query_params(store, name, as_of, project)
        scoped_params = query_params(store, name, as_of, own)

        def national() -> None:
            named_queries.run(store, name, national_params)

        def scoped() -> None:
            named_queries.run(store, name, scoped_params, scope=scope)

        rows = (len(named_queries.run(store, name, national_params)),
                len(named_queries.run(store, name, scoped_params, scope=scope)))  # warm-up
        runs = {"national": national, "scoped": scoped}
        times: dict[str, list[float]] = {k: [] for k in runs}
        order = list(runs)
        i = 0
        while i < args.repeat or (i < MAX_ROUNDS and sum(times["national"]) < ROUND_SECONDS):
            for k in order[i % 2:] + order[:i % 2]:
                times[k].append(timed(runs[k]))
            i += 1
        nt, sc = times["national"], times["scoped"]
        results[name] = {"rows_national": rows[0], "rows_scoped": rows[1],
                         "national_s": median(nt), "scoped_s": median(sc),
                         "ratio": median([a / b for a, b in zip(sc, nt)]), "rounds": len(nt),
                         "national_all": nt, "scoped_all": sc}
        r = results[name]
        print(f"    {name:28s} national {r['national_s'] * 1000:8.1f} ms  {province} {r['scoped_s'] * 1000:8.1f} ms  "
              f"x{r['ratio']:.2f}  rows {rows[0]} / {rows[1]}", flush=True)

    # The national path's cost of the hook: a read with scope None against a read without it.
    plain_times, hooked_times = [], []
    for _ in range(200):
        plain_times.append(timed(lambda: _plain_read(store)))
        hooked_times.append(timed(lambda: store.rows("SELECT 1", scope=None)))
    hook = {"plain_read_ms": median(plain_times) * 1000, "read_with_hook_ms": median(hooked_times) * 1000,
            "scoped_read_ms": median([timed(lambda: store.rows("SELECT 1", scope=scope)) for _ in range(50)]) * 1000}
    national_total = sum(r["national_s"] for r in results.values())
    scoped_total = sum(r["scoped_s"] for r in results.values())
    over = sorted(n for n, r in results.items() if r["scoped_s"] > r["national_s"] * 1.05 and r["scoped_s"] > 0.005)
    store.close()
    summary = {"province": province, "province_pilots": pilots, "pilots": total, "as_of": as_of,
               "scoped_as_of": scoped_as_of, "national_total_s": national_total, "scoped_total_s": scoped_total,
               "budget_met": scoped_total <= national_total, "slower_queries": over, "hook": hook}
    print(f"    total: national {national_total:.3f} s, province {province} ({pilots} of {total} pilots) "
          f"{scoped_total:.3f} s; budget (scoped <= unscoped) {'met' if summary['budget_met'] else 'NOT met'}",
          flush=True)
    print(f"    hook: plain read {hook['plain_read_ms']:.3f} ms, national read through the hook "
          f"{hook['read_with_hook_ms']:.3f} ms, scoped read (views made) {hook['scoped_read_ms']:.3f} ms", flush=True)
    write_json(args.out, {"scale": args.scale, "repeat": args.repeat, "summary": summary, "queries": results})


def _plain_read(store: Store) -> None:
    """A read without the scope hook: the engine's cursor and the transaction, as Store.read does."""
    with store.engine.read() as cur:
        cur.execute("BEGIN TRANSACTION")
        cur.execute("SELECT 1").fetchall()
        cur.execute("ROLLBACK")


if __name__ == "__main__":
    main()
