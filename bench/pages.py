"""Each page of app.py's PAGES, run server-side with Streamlit's AppTest over a scale store:
cold (query cache cleared: the first visit after an upload) and warm (the same view again), the
bytes of what the run sends to the browser, and this process's peak memory.

Bytes: every ForwardMsg the script run enqueues for the browser is captured (AppTest builds its
element tree from the same messages) and its protobuf `ByteSize()` summed: the whole page, and
its data elements (dataframes, charts with their datasets, tables). That is the payload of the
websocket frames before compression. Download buttons carry only a URL; their files are fetched
on a click, so they are not counted.

    python -m bench.pages --scale N --warm W --cold C [--pages a,b] --out FILE
"""

from __future__ import annotations

import argparse
import ast
import gc
import os
import sys
import time

from bench.common import ROOT, median, peak_rss_mb, store_path, write_json

APP = str(ROOT / "app.py")
DATA_TYPES = ("dataframe", "arrow_data_frame", "table", "arrow_table", "vega_lite_chart",
              "arrow_vega_lite_chart", "plotly_chart", "deck_gl_json_chart", "graphviz_chart", "json")


def registered_pages() -> list[tuple[str, str]]:
    """(file, url path) of every page in app.py's PAGES, read without running app.py."""
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "PAGES" for t in node.targets):
            return [(p[0], p[1]) for p in ast.literal_eval(node.value)]
    raise SystemExit("no PAGES in app.py")


_captured: list = []


def _install_capture() -> None:
    import streamlit.testing.v1.local_script_runner as lsr

    original = lsr.parse_tree_from_messages

    def capture(messages):
        _captured[:] = list(messages)
        return original(messages)

    lsr.parse_tree_from_messages = capture


def _bytes() -> dict:
    total = data = 0
    by_type: dict[str, int] = {}
    largest = []
    for msg in _captured:
        size = msg.ByteSize()
        total += size
        if msg.HasField("delta") and msg.delta.WhichOneof("type") == "new_element":
            ty = msg.delta.new_element.WhichOneof("type")
            by_type[ty] = by_type.get(ty, 0) + size
            if ty in DATA_TYPES:
                data += size
            largest.append((size, ty, list(msg.metadata.delta_path)))
    largest.sort(reverse=True)
    return {"total": total, "data": data, "by_type": by_type,
            "largest": [{"bytes": s, "type": t, "path": p} for s, t, p in largest[:3]]}


def _drop_snapshots() -> bool:
    """Forget every measure snapshot (the next query rebuilds the one it needs)."""
    import duckdb

    from pilotdash import ui

    try:  # through the store: the only thing that talks to the database
        ui.store().write(lambda w: w.execute("DELETE FROM snapshot_state"), data_change=False)
        return True
    except duckdb.Error:  # no snapshots in this version
        return False


def _clear_query_cache() -> None:
    """Streamlit's data caches and the query layer's cache of named-query results (a resource
    cache since it hands out copy-on-write copies), as after an upload; the store stays open."""
    import streamlit as st

    from pilotdash import ui

    st.cache_data.clear()
    ui.data._cached_query.clear()


def run_page(file: str, params: dict[str, str], first: bool, timeout: float):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=timeout)
    if not first:
        at.switch_page(file)
    for k, v in params.items():
        at.query_params[k] = v
    t0 = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - t0
    errors = [str(e.value)[:300] for e in at.exception] if len(at.exception) else []
    return elapsed, errors, at


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--scale", type=int, required=True)
    ap.add_argument("--warm", type=int, default=5)
    ap.add_argument("--cold", type=int, default=3)
    ap.add_argument("--pages", default="")
    ap.add_argument("--timeout", type=float, default=1800)
    ap.add_argument("--rebuild", action="store_true",
                    help="also one cold run with the measure snapshots dropped (a new as-of date, or an upload not yet refreshed)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.environ["PILOTDASH_STORE"] = str(store_path(args.scale))
    _install_capture()
    import streamlit as st

    from bench.params import page_params, sample_project
    from pilotdash.store import Store

    probe = Store(store_path(args.scale))
    project = sample_project(probe)
    probe.close()

    pages = registered_pages()
    first_file = pages[0][0]
    chosen = [p for p in pages if not args.pages or p[1] in args.pages.split(",")]
    # Process warm-up: imports, the store resource, the first script run.
    run_page(first_file, {}, True, args.timeout)
    results = {}
    for file, url in chosen:
        params = page_params(url, project)
        first = file == first_file
        cold, warm, errors = [], [], []
        for _ in range(args.cold):
            _clear_query_cache()
            gc.collect()
            t, errs, _at = run_page(file, params, first, args.timeout)
            cold.append(t)
            errors += errs
        rebuild = None
        if args.rebuild and _drop_snapshots():
            _clear_query_cache()
            rebuild, errs, _at = run_page(file, params, first, args.timeout)
            errors += errs
        run_page(file, params, first, args.timeout)  # warm-up of the warm runs
        for _ in range(args.warm):
            t, errs, _at = run_page(file, params, first, args.timeout)
            warm.append(t)
            errors += errs
        sent = _bytes()
        results[url] = {"file": file, "params": params, "cold_s": median(cold), "warm_s": median(warm),
                        "cold_rebuild_s": rebuild,
                        "cold_all": cold, "warm_all": warm, "bytes": sent, "errors": sorted(set(errors))}
        print(f"    {url:12s} cold {median(cold):7.2f} s"
              + (f" (rebuild {rebuild:6.2f} s)" if rebuild is not None else "") + f"  warm {median(warm):7.3f} s  "
              f"sent {sent['total'] / 1024:8.1f} KB (data {sent['data'] / 1024:8.1f} KB)"
              + (f"  ERRORS {errors[:1]}" if errors else ""), flush=True)
    write_json(args.out, {"scale": args.scale, "project": project, "warm_runs": args.warm,
                          "cold_runs": args.cold, "pages": results, "peak_rss_mb": peak_rss_mb()})


if __name__ == "__main__":
    sys.exit(main())
