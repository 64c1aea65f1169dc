"""The Markdown table of a benchmark run, with every budget met or not."""

from __future__ import annotations

MB = 1_000_000
BUDGETS = {
    "warm_scaling": "at 100×, every page's warm server run ≤ 3× its 1× time",
    "bytes": "≤ 1 MB sent to the browser per page, at every scale",
    "layer": "query layer ≤ 1.2× raw DuckDB (the same SQL on a plain cursor), every named query",
    "layer_overhead": "stricter: query layer ≤ 1.2× the same SQL with the measure snapshot already in place",
    "pandas": "page aggregates ≥ 5× faster than the pandas baseline at 100×",
    "upload": "1M-row upload ≤ 3× a plain DuckDB load and ≤ 15 s",
    "scoped": "at 100×, one province's named queries (scoped, issue 12) ≤ the same queries unscoped, in all",
    "scoring": "at 100×, scoring an assessment round ≤ 3× the project_health query's time (issue 23)",
    "assessment_page": "at 100×, the assessment page's warm run ≤ 3× its 1× time (issue 23)",
    "tasks_page": "at 100×, the Tasks page's warm run ≤ 3× its 1× time (issue 24)",
    "warnings": "raising warnings after a 1M-row upload adds ≤ 20% to it (issues 13 and 24)",
}


def _ms(s: float) -> str:
    return f"{s * 1000:,.0f} ms" if s < 10 else f"{s:,.1f} s"


def _kb(b: float) -> str:
    return f"{b / 1024:,.1f} KB"


def budgets(result: dict) -> dict[str, dict]:
    sc = result["scales"]
    out: dict[str, dict] = {}
    # Warm page scaling, 100× against 1×.
    if "1" in sc and "100" in sc and "pages" in sc["1"] and "pages" in sc["100"]:
        rows, ok = [], True
        p1 = sc["1"]["pages"].get("pages", {})
        for page, r in sc["100"]["pages"].get("pages", {}).items():
            if page not in p1:
                continue
            ratio = r["warm_s"] / p1[page]["warm_s"]
            ok &= ratio <= 3 and not r["errors"]
            rows.append(f"{page} ×{ratio:.2f}")
        out["warm_scaling"] = {"met": ok and bool(rows), "detail": ", ".join(rows)}
    else:
        out["warm_scaling"] = {"met": None, "detail": "needs the 1× and 100× page runs"}
    # Bytes sent.
    worst, ok, seen = (0, ""), True, False
    for scale, e in sc.items():
        for page, r in e.get("pages", {}).get("pages", {}).items():
            seen = True
            if r["bytes"]["total"] > worst[0]:
                worst = (r["bytes"]["total"], f"{page} at {scale}×")
            ok &= r["bytes"]["total"] <= MB
    out["bytes"] = {"met": ok if seen else None, "detail": f"largest {_kb(worst[0])} ({worst[1]})" if seen else ""}
    # Query layer.
    for key, field in (("layer", "ratio"), ("layer_overhead", "overhead_ratio")):
        worst, ok, seen, over = (0, ""), True, False, []
        for scale, e in sc.items():
            for name, r in e.get("queries", {}).get("queries", {}).items():
                ratio = r.get(field, r["ratio"])
                seen = True
                if ratio > worst[0]:
                    worst = (ratio, f"{name} at {scale}×")
                if ratio > 1.2:
                    over.append(f"{name} {scale}× ×{ratio:.2f} (+{r.get('overhead_ms', 0):.1f} ms)"
                                if key == "layer_overhead" else f"{name} {scale}× ×{ratio:.2f}")
                ok &= ratio <= 1.2
        detail = f"worst ×{worst[0]:.2f} ({worst[1]})" + (f"; over: {', '.join(over)}" if over else "")
        out[key] = {"met": ok if seen else None, "detail": detail if seen else ""}
    # Pandas baseline at 100×.
    agg = sc.get("100", {}).get("baseline", {}).get("aggregates")
    if agg:
        out["pandas"] = {"met": all(r["speedup"] >= 5 for r in agg.values()),
                         "detail": ", ".join(f"{n} ×{r['speedup']:.1f}" for n, r in agg.items())}
    else:
        out["pandas"] = {"met": None, "detail": "needs the 100× baseline run"}
    # Upload.
    ups = [(s, e["upload"]) for s, e in sc.items() if "upload" in e and "upload_s" in e["upload"]]
    if ups:
        out["upload"] = {"met": all(u["ratio"] <= 3 and u["upload_s"] <= 15 for _, u in ups),
                         "detail": ", ".join(f"{s}×: {u['upload_s']:.1f} s = ×{u['ratio']:.1f} plain" for s, u in ups)}
    else:
        out["upload"] = {"met": None, "detail": "not run"}
    # Scoped run.
    scoped = sc.get("100", {}).get("scoped", {}).get("summary")
    if scoped:
        out["scoped"] = {"met": scoped["budget_met"],
                         "detail": f"province {scoped['province']} ({scoped['province_pilots']:,} of "
                                   f"{scoped['pilots']:,} pilots): {_ms(scoped['scoped_total_s'])} vs national "
                                   f"{_ms(scoped['national_total_s'])}"
                                   + (f"; slower: {', '.join(scoped['slower_queries'])}" if scoped["slower_queries"] else "")}
    else:
        out["scoped"] = {"met": None, "detail": "needs the 100× scoped run"}
    # Scoring a round against project health as of its period end, computed live (the named
    # query reads the measure snapshot when one is current, which scoring never has).
    scoring = sc.get("100", {}).get("assessment")
    if scoring and "ratio" in scoring:
        out["scoring"] = {"met": scoring["within_budget"],
                          "detail": f"round {scoring['round']} ({scoring['pilots']:,} pilots, {scoring['leaves']} leaves): "
                                    f"{_ms(scoring['scoring_s'])} = ×{scoring['ratio']:.2f} project_health computed "
                                    f"live ({_ms(scoring['project_health_live_s'])}); the named query "
                                    f"{_ms(scoring['project_health_query_s'])}"}
    else:
        out["scoring"] = {"met": None, "detail": "needs the 100× assessment run"}
    # One page's warm run at 100× against 1× (the issues name these two).
    for key, page in (("assessment_page", "assessment"), ("tasks_page", "tasks")):
        p1 = sc.get("1", {}).get("pages", {}).get("pages", {}).get(page)
        p100 = sc.get("100", {}).get("pages", {}).get("pages", {}).get(page)
        if p1 and p100:
            ratio = p100["warm_s"] / p1["warm_s"]
            out[key] = {"met": ratio <= 3 and not p100["errors"],
                        "detail": f"{_ms(p100['warm_s'])} at 100× vs {_ms(p1['warm_s'])} at 1×: ×{ratio:.2f}"}
        else:
            out[key] = {"met": None, "detail": f"needs the 1× and 100× runs of the {page} page"}
    # Warnings after the upload (the assessment rounds' scoring, which the same hook runs first,
    # beside them).
    warns = [(s, e["warnings"]) for s, e in sc.items() if "share" in e.get("warnings", {})]
    if warns:
        out["warnings"] = {"met": all(w["ok"] for _, w in warns),
                           "detail": "; ".join(
                               f"{s}×: +{w['share']:.1%} ({_ms(w['warnings_s'])} on {_ms(w['upload_s'])})"
                               + (f", with the rounds' scoring +{w['share_with_scoring']:.1%} ({_ms(w['scoring_s'])}, "
                                  f"{w['scoring_rounds']} of {w['scoring_rounds'] + w['scoring_skipped']} rounds; "
                                  f"every round {_ms(w['scoring_full_s'])})" if "scoring_s" in w else "")
                               for s, w in warns)}
    else:
        out["warnings"] = {"met": None, "detail": "not run"}
    return out


def _by_scale(sc: dict, scales: list[str], part: str, group: str, first: str, heads: tuple[str, ...],
              cells) -> list[str]:
    """A table with a row per item of sc[scale][part][group] (in the order first seen) and, for
    each scale, the columns `heads` filled by `cells(item's result)`."""
    lines = [f"| {first} | " + " | ".join(f"{s}× {h}" for s in scales for h in heads) + " |",
             "|---|" + "---|" * (len(heads) * len(scales))]
    names = dict.fromkeys(n for s in scales for n in sc[s].get(part, {}).get(group, {}))
    for n in names:
        row = []
        for s in scales:
            r = sc[s].get(part, {}).get(group, {}).get(n)
            row += cells(r) if r else [""] * len(heads)
        lines.append(f"| {n} | " + " | ".join(row) + " |")
    return lines


def _page_cells(r: dict) -> list[str]:
    err = " ⚠" if r["errors"] else ""
    rebuild = f" ({_ms(r['cold_rebuild_s'])})" if r.get("cold_rebuild_s") is not None else ""
    return [_ms(r["cold_s"]) + rebuild + err, _ms(r["warm_s"]), f"{_kb(r['bytes']['total'])} ({_kb(r['bytes']['data'])})"]


def _query_cells(r: dict) -> list[str]:
    snap = r.get("raw_snapshot_s") is not None
    return [_ms(r["layer_s"]), _ms(r["raw_s"]) + (f" ({_ms(r['raw_snapshot_s'])})" if snap else ""),
            f"×{r['ratio']:.2f}" + (f" (×{r['overhead_ratio']:.2f})" if snap else "")]


def _baseline_cells(r: dict) -> list[str]:
    return [_ms(r["ours_s"]), f"{_ms(r['pandas_s'])} ({_ms(r['pandas_compute_s'])})",
            f"×{r['speedup']:.1f} (×{r['speedup_compute_only']:.1f})"]


def _mark(met: bool | None) -> str:
    return {True: "**met**", False: "**not met**", None: "n/a"}[met]


def render(result: dict, budgets_only: bool = False) -> str:
    b = budgets(result)
    lines = ["| budget | result | detail |", "|---|---|---|"]
    lines += [f"| {BUDGETS[k]} | {_mark(v['met'])} | {v['detail']} |" for k, v in b.items()]
    if budgets_only:
        return "\n".join(lines) + "\n"
    m = result["machine"]
    sc = result["scales"]
    scales = list(sc)
    doc = [
        "# Benchmark results",
        "",
        f"Run {result['started']} on commit `{result['commit']}`"
        + (" (with uncommitted changes in the shared work tree)" if result.get("worktree_dirty") else "")
        + f"; {result['seconds']} s in all{' (quick)' if result.get('quick') else ''}."
        + "".join(f" The {' and '.join(m['kept'])} results are kept from the run of {m['started']} on `{m['commit']}`."
                  for m in result.get("merged", [])),
        f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']}; {m['os']}; Python {m['python']}, "
        f"DuckDB {m['duckdb']}, Streamlit {m['streamlit']}, pandas {m['pandas']}. "
        f"Load average (1, 5, 15 min) before the run {result['loadavg_start']}, at its end "
        f"{result['loadavg_end']} (its own work included); medians and paired ratios damp the machine's noise.",
        "",
        "## Budgets",
        "",
        *lines,
        "",
        "## Data",
        "",
        "| scale | " + " | ".join(["projects", "readings", "budget_lines", "milestones", "risks", "targets"]) + " |",
        "|---|" + "---|" * 6,
    ]
    for s in scales:
        rows = sc[s]["data"]["rows"]
        doc.append(f"| {s}× | " + " | ".join(f"{rows.get(t, 0):,}" for t in
                                            ("projects", "readings", "budget_lines", "milestones", "risks", "targets")) + " |")
    # Pages.
    if any("pages" in sc[s] for s in scales):
        doc += ["", "## Pages (AppTest server run; bytes sent to the browser; peak memory)", "",
                "Cold: Streamlit's query cache cleared (the first view after an upload, once its measure "
                "snapshots are refreshed), server already up; in brackets one cold run with the snapshots "
                "dropped too (a new as-of date: the page's queries rebuild them). Warm: the same view again. "
                "Median of the runs after a warm-up. Bytes: protobuf size of every ForwardMsg the run sends "
                "(whole page; in brackets its dataframes and charts).", ""]
        doc += _by_scale(sc, scales, "pages", "pages", "page", ("cold", "warm", "sent"), _page_cells)
        doc.append("| peak memory | " + " | ".join(
            f"{sc[s].get('pages', {}).get('peak_rss_mb', float('nan')):,.0f} MB | | " for s in scales) + " |")
        errs = [(s, p, r["errors"]) for s in scales for p, r in sc[s].get("pages", {}).get("pages", {}).items() if r["errors"]]
        if errs:
            doc += ["", "⚠ pages that raised: " + "; ".join(f"{p} at {s}×: {e[0][:200]}" for s, p, e in errs)]
    # Queries.
    if any("queries" in sc[s] for s in scales):
        doc += ["", "## Named queries: query layer vs raw DuckDB", "",
                "Layer: `named_queries.run(store, name, params)`. Raw: the same SQL text and bound parameters on "
                "a plain DuckDB cursor, `.df()` (DuckDB computes every measure). Same explicit as_of for both. "
                "Ratio: median of paired runs. For the queries built on the snapshot-backed measures, in brackets: "
                "the same SQL on a cursor with the snapshot already in place (`snapshot_as_of` set) and the "
                "layer's ratio to that, i.e. its own bookkeeping (parameters checked and bound; the snapshot's "
                "currency known from the store's write count, checked again in a transaction only after a write). "
                "At least the set number of paired runs, more for quick queries (until the layer has run about "
                "a second, at most 41 pairs).", ""]
        doc += _by_scale(sc, scales, "queries", "queries", "query", ("layer", "raw", "ratio"), _query_cells)
    # Scoped.
    for s in scales:
        sr = sc[s].get("scoped", {})
        if "summary" not in sr:
            continue
        sm, hook = sr["summary"], sr["summary"]["hook"]
        doc += ["", f"## Scoped run at {s}×: one province against the whole country (issue 12)", "",
                f"Every named query through the query layer, unscoped (the national office) and limited to "
                f"province {sm['province']} ({sm['province_pilots']:,} of {sm['pilots']:,} pilots, the busiest), "
                f"interleaved; median of paired runs. The one-pilot queries ask a pilot of the province. "
                f"A read's scope hook: plain read {hook['plain_read_ms']:.2f} ms, national read through it "
                f"{hook['read_with_hook_ms']:.2f} ms, scoped read (its views made) {hook['scoped_read_ms']:.2f} ms.", "",
                "| query | national | province | ratio | rows |", "|---|---|---|---|---|"]
        for name, r in sr["queries"].items():
            doc.append(f"| {name} | {_ms(r['national_s'])} | {_ms(r['scoped_s'])} | ×{r['ratio']:.2f} | "
                       f"{r['rows_national']:,} / {r['rows_scoped']:,} |")
        doc.append(f"| **all** | {_ms(sm['national_total_s'])} | {_ms(sm['scoped_total_s'])} | "
                   f"×{sm['scoped_total_s'] / sm['national_total_s']:.2f} | |")
    # Baseline.
    if any("baseline" in sc[s] for s in scales):
        doc += ["", "## Page aggregates: ours vs pandas", "",
                "Ours: the named query through the query layer. Pandas: the tables read into DataFrames "
                "(`SELECT * FROM t`) and the same aggregate computed there (results checked equal to ours); "
                "in brackets the pandas compute alone, as if the tables were already in memory.", ""]
        doc += _by_scale(sc, scales, "baseline", "aggregates", "aggregate", ("ours", "pandas", "speed-up"),
                         _baseline_cells)
    # Upload.
    ups = [(s, sc[s]["upload"]) for s in scales if "upload_s" in sc[s].get("upload", {})]
    if ups:
        doc += ["", "## Upload of a 1,000,000-row readings CSV", "",
                "Upload: `ingest.prepare` (parse, recognise, validate, compare) + `ingest.apply` (write and "
                "log, one transaction), into a fresh copy of the scale store. Plain: `INSERT INTO readings "
                "SELECT * FROM read_csv(...)` of the same rows into another fresh copy. After the upload's "
                "commit the data-changed event runs, each timed apart in its order: the assessment rounds "
                "whose inputs changed, the measure snapshots for the new default date (pages compute live "
                "until they are built), the warnings. The Data page answers after the upload and runs them in "
                "the background; the CLI runs them before it exits. Wait: the upload with them, until every "
                "score, snapshot and warning is current again.", "",
                "| scale | file | plain | prepare | apply | upload | ratio | inserted / updated | "
                "scoring (rounds) | snapshots | warnings | wait |",
                "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for s, u in ups:
            doc.append(f"| {s}× | {u['file_mb']:.1f} MB | {u['plain_s']:.2f} s | {u['prepare_s']:.2f} s | "
                       f"{u['apply_s']:.2f} s | {u['upload_s']:.2f} s | ×{u['ratio']:.1f} | "
                       f"{u['inserted']:,} / {u['updated']:,} | "
                       + (f"{u['scoring_s']:.2f} s ({u['scoring_rounds']}) | " if "wait_s" in u else "— | ")
                       + (f"{u['snapshot_refresh_s']:.2f} s | " if u.get("snapshot_refresh_s") is not None else "— | ")
                       + (f"{u['warnings_s']:.2f} s | {u['wait_s']:.2f} s |" if "wait_s" in u else "— | — |"))
    # Warnings and scoring after the upload.
    warns = [(s, sc[s]["warnings"]) for s in scales if "share" in sc[s].get("warnings", {})]
    if warns:
        doc += ["", "## After the 1,000,000-row upload: warnings and the assessment rounds", "",
                "The hook that follows every applied upload: the rounds whose inputs the upload changed are "
                "scored again (`scoring.rescore`), then the warnings are raised (`ledger.recompute`; its "
                "measure snapshot build reported apart). Every round: all of them scored again on the same "
                "data, what the hook did before it looked at what changed.", "",
                "| scale | upload | warnings | share | scoring (rounds) | every round | warnings + scoring |",
                "|---|---|---|---|---|---|---|"]
        for s, w in warns:
            scored = (f"{_ms(w['scoring_s'])} ({w['scoring_rounds']} of {w['scoring_rounds'] + w['scoring_skipped']}) | "
                      f"{_ms(w['scoring_full_s'])} | +{w['share_with_scoring']:.1%}" if "scoring_s" in w else "— | — | —")
            doc.append(f"| {s}× | {_ms(w['upload_s'])} | {_ms(w['warnings_s'])} | +{w['share']:.1%} | {scored} |")
    # Scoring a round.
    rounds = [(s, sc[s]["assessment"]) for s in scales if "ratio" in sc[s].get("assessment", {})]
    if rounds:
        doc += ["", "## Scoring an assessment round against project health", "",
                "`scoring.recompute(store, round)` of the latest round, against `project_health_live` as of "
                "its period end (the measures computed, the work scoring does too) and the `project_health` "
                "named query (which reads the measure snapshot when one is current). Median of the runs.", "",
                "| scale | round | pilots | leaves | scoring | project_health live | named query | ratio |",
                "|---|---|---|---|---|---|---|---|"]
        for s, a in rounds:
            doc.append(f"| {s}× | {a['round']} | {a['pilots']:,} | {a['leaves']} | {_ms(a['scoring_s'])} | "
                       f"{_ms(a['project_health_live_s'])} | {_ms(a['project_health_query_s'])} | ×{a['ratio']:.2f} |")
    return "\n".join(doc) + "\n"
