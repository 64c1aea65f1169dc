"""Raising warnings after a 1,000,000-row readings upload (issue 13): the recompute that runs
after every applied upload (`pilotdash.warnings.hooks.after_data_change`, run by the data-changed
event `ingest.apply` fires after its commit) may add at most 20% to the upload's time.

The same file and store as bench/upload.py. Each run takes a fresh copy of the scale store
(whose warnings were raised when it was built), prepares and applies the upload, and times the
hook inside the apply. The hook first builds the measure snapshot for the new default as-of date
(`snapshot_s`): the work the app does after every upload anyway (`snapshots.refresh`, timed
apart as `snapshot_refresh_s` by bench/upload.py), so it is reported, not counted; then it
compares the conditions with the ledger and writes the changes: `warnings_s`. `upload_s` is
prepare + apply without the hook; the budget is warnings_s / upload_s <= 20%.

Before the warnings the hook scores the assessment rounds whose inputs the upload changed
(`pilotdash.assessment.scoring.rescore`, issue 23): `scoring_s`, reported beside the warnings
(`share_with_scoring`), with `scoring_full_s`, every round scored again on the same data (what
the hook did before it looked at what changed).

    python -m bench.warnings --scale N --rows 1000000 --repeat R --out FILE
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import ensure_scale, median, scale_dir, store_path, write_json
from bench.upload import fresh_copy, upload_args, upload_file

BUDGET = 0.20


def main() -> None:
    args = upload_args()
    ensure_scale(args.scale)
    from pilotdash import events
    from pilotdash.ingest import apply as apply_mod
    from pilotdash.ingest.plan import prepare
    from pilotdash.store import Store

    src = store_path(args.scale)
    upload_csv = upload_file(args.scale, args.rows)
    data = upload_csv.read_bytes()
    timings: list[float] = []

    from pilotdash.assessment import scoring
    from pilotdash.warnings import ledger

    snapshot_times: list[float] = []
    scorings: list = []

    def timed_hook(store, deliver=True, tables=()):
        scorings.append(scoring.rescore(store))  # as warnings.hooks: the rounds first
        t0 = time.perf_counter()
        result = ledger.recompute(store)
        timings.append(time.perf_counter() - t0)
        snapshot_times.append(result.snapshot_s)

    runs = []
    # Only the warnings follow the upload here: the snapshots' refresh is bench/upload.py's.
    with tempfile.TemporaryDirectory(dir=scale_dir(args.scale)) as tmp, events.replaced(timed_hook):
        for i in range(args.repeat):
            path = fresh_copy(src, Path(tmp), f"warnings{i}.duckdb")  # a new name each run (see bench.upload)
            store = Store(path)
            before = store.rows("SELECT count(*) FROM warnings")[0][0]
            t0 = time.perf_counter()
            plan = prepare(store, upload_csv.name, data, table="readings")
            result = apply_mod.apply(store, plan, "bench")
            total = time.perf_counter() - t0
            hook_s, snapshot_s, scored = timings[-1], snapshot_times[-1], scorings[-1]
            warnings_s = hook_s - snapshot_s
            counts = (
                store.rows("SELECT count(*), count(*) FILTER (WHERE state = 'resolved') FROM warnings")[0]
            )
            full = scoring.recompute(store)
            store.close()
            path.unlink()
            upload_s = total - hook_s - scored.seconds
            run = {
                "upload_s": upload_s,
                "warnings_s": warnings_s,
                "snapshot_s": snapshot_s,
                "share": warnings_s / upload_s,
                "scoring_s": scored.seconds,
                "scoring_rounds": scored.rounds,
                "scoring_skipped": scored.skipped,
                "scoring_full_s": full.seconds,
                "share_with_scoring": (warnings_s + scored.seconds) / upload_s,
                "inserted": result.inserted,
                "updated": result.updated,
                "warnings_before": before,
                "warnings_after": counts[0],
                "resolved": counts[1],
            }
            print(
                f"    run {i}: upload {upload_s:6.2f} s  snapshot {snapshot_s:5.2f} s  warnings {warnings_s:5.2f} s "
                f"(+{run['share']:.1%})  ledger {before:,} -> {counts[0]:,} rows, {counts[1]:,} resolved; "
                f"scoring {scored.seconds:5.2f} s ({scored.rounds} of {scored.rounds + scored.skipped} rounds; "
                f"every round {full.seconds:5.2f} s), warnings and scoring +{run['share_with_scoring']:.1%}",
                flush=True,
            )
            runs.append(run)
    out = {k: median([r[k] for r in runs]) for k in ("upload_s", "warnings_s", "snapshot_s", "scoring_s",
                                                      "scoring_full_s")}
    out["share"] = out["warnings_s"] / out["upload_s"]
    out["share_with_scoring"] = (out["warnings_s"] + out["scoring_s"]) / out["upload_s"]
    out["scoring_rounds"], out["scoring_skipped"] = runs[-1]["scoring_rounds"], runs[-1]["scoring_skipped"]
    out.update(
        budget=BUDGET,
        ok=out["share"] <= BUDGET,
        scale=args.scale,
        rows=args.rows,
        repeat=args.repeat,
        runs=runs,
    )
    print(
        f"  warnings add {out['share']:.1%} to the upload (budget {BUDGET:.0%}): {'ok' if out['ok'] else 'OVER'}"
    )
    write_json(args.out, out)


if __name__ == "__main__":
    main()
