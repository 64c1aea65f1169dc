"""The performance benchmark (issue 7): one command, every measure at every scale.

    .venv/bin/python -m bench [--scales 1,10,100] [--quick] [--only queries,pages,baseline,upload,warnings,scoped,assessment]

For each scale it makes (once, reused from bench/data/) the demo data at that scale and its store,
then runs each part in a fresh child process: named queries (layer vs raw DuckDB), pages (AppTest
cold and warm, bytes sent, peak memory), the pandas baseline, the 1M-row upload with the warnings
and the assessment scoring after it, one province against the country, and scoring a round. Results go
to bench/results/latest.json and latest.md, with each budget met or not. Not part of the tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import time

from bench.common import RESULTS, child, ensure_scale, machine, write_json
from bench.report import render

PARTS = ("queries", "pages", "baseline", "upload", "warnings", "scoped", "assessment")


def loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    ap.add_argument("--scales", default="1,10,100", help="comma-separated scales (default 1,10,100)")
    ap.add_argument("--quick", action="store_true", help="fewer repeats (for a first look)")
    ap.add_argument("--only", default=",".join(PARTS), help=f"parts to run: {','.join(PARTS)}")
    ap.add_argument("--pages", default="", help="only these pages (url paths)")
    ap.add_argument("--regenerate", action="store_true", help="remake the scale data even if present")
    ap.add_argument("--upload-scale", type=int, default=None,
                    help="run the upload part at this scale only (default: every scale)")
    ap.add_argument("--out", default=str(RESULTS / "latest"), help="results path stem (.json and .md)")
    ap.add_argument("--merge", action="store_true",
                    help="keep the other parts and scales of the existing results file, replacing only what runs now")
    args = ap.parse_args()
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    parts = [p for p in args.only.split(",") if p]
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.time()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    # The results files themselves (rewritten by every run) do not make the code uncommitted.
    dirty = bool(subprocess.run(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                                 ":(exclude)bench/results"], capture_output=True, text=True).stdout.strip())
    result = {"started": dt.datetime.now().isoformat(timespec="seconds"), "commit": commit,
              "worktree_dirty": dirty, "machine": machine(), "loadavg_start": loadavg(),
              "quick": args.quick, "scales": {}}
    previous = {}
    if args.merge and os.path.exists(args.out + ".json"):
        with open(args.out + ".json", encoding="utf-8") as f:
            previous = json.load(f)
        result["scales"] = previous.get("scales", {})
        result["merged"] = previous.get("merged", []) + [
            {"started": previous.get("started"), "commit": previous.get("commit"),
             "kept": sorted(set(PARTS) - set(parts)) if parts else list(PARTS)}]
    for scale in scales:
        big = scale >= 100
        print(f"scale {scale}×", flush=True)
        entry = dict(result["scales"].get(str(scale), {}))
        entry["data"] = ensure_scale(scale, args.regenerate)
        print(f"  data: {entry['data']['rows']}", flush=True)
        if "queries" in parts:
            print("  named queries: layer vs raw DuckDB", flush=True)
            reps = 3 if args.quick else (11 if big else 9)
            entry["queries"] = child("queries", ["--scale", str(scale), "--repeat", str(reps)])
        if "pages" in parts:
            print("  pages: AppTest cold / warm, bytes sent, peak memory", flush=True)
            warm = 3 if args.quick else 5
            cold = 1 if args.quick else (2 if big else 3)
            extra = ["--pages", args.pages] if args.pages else []
            entry["pages"] = child("pages", ["--scale", str(scale), "--warm", str(warm), "--cold", str(cold), "--rebuild", *extra])
        if "baseline" in parts:
            print("  page aggregates: ours vs pandas", flush=True)
            entry["baseline"] = child("baseline", ["--scale", str(scale), "--repeat", "3" if big or args.quick else "5"])
        if "upload" in parts and (args.upload_scale is None or args.upload_scale == scale):
            print("  upload: 1,000,000-row readings CSV vs plain read_csv insert", flush=True)
            entry["upload"] = child("upload", ["--scale", str(scale), "--repeat", "1" if args.quick else "3"])
        if "warnings" in parts and (args.upload_scale is None or args.upload_scale == scale):
            print("  warnings: raised after the 1,000,000-row upload (budget +20%)", flush=True)
            entry["warnings"] = child("warnings", ["--scale", str(scale), "--repeat", "1" if args.quick else "3"])
        if "scoped" in parts and (scale >= 100 or len(scales) == 1):
            print("  scoped: every named query, national vs one province (budget scoped <= unscoped)", flush=True)
            entry["scoped"] = child("scoped", ["--scale", str(scale), "--repeat", "3" if args.quick else "5"])
        if "assessment" in parts:
            print("  assessment: scoring a round vs project_health (budget 3×)", flush=True)
            entry["assessment"] = child("assessment", ["--scale", str(scale), "--repeat", "1" if args.quick else "3"])
        entry["loadavg_after"] = loadavg()
        result["scales"][str(scale)] = entry
    result["seconds"] = round(time.time() - started)
    result["loadavg_end"] = loadavg()
    stem = args.out
    write_json(stem + ".json", result)
    with open(stem + ".md", "w", encoding="utf-8") as f:
        f.write(render(result))
    print(f"wrote {stem}.json and {stem}.md in {result['seconds']} s")
    print(render(result, budgets_only=True))


if __name__ == "__main__":
    main()
