"""Time to first chart, per page, in a real browser at 1× and 100× (issue 15 item 14, issue 11
part 6; a bench part, not a timed test).

    .venv/bin/python -m bench.first_chart [--scales 1,100] [--repeat 3]

For each scale: the scale's store (bench/data, made once, as `python -m bench` makes it), one
`streamlit run app.py` over it, and Debian's headless Chromium at 1280×900. Every page of app.py's
PAGES (the Project page on the busiest pilot) is opened once to warm the server (query cache,
measure snapshots), then `--repeat` times, each a fresh navigation and so a fresh Streamlit
session. Both times come from `bench.browser.page_timing`, the one browser timing `bench.load`
uses too: navigation → first chart drawn, and navigation → page complete. Medians go to
bench/results/first_chart.{json,md}, with the load average before and after each scale, since
the machine is shared. Budget: every page's first chart at 100× ≤ 1.5× its 1× time.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import time
from pathlib import Path

from bench.browser import StreamlitServer, launch, page_timing, prepare
from bench.common import RESULTS, ensure_scale, machine, store_path
from bench.pages import registered_pages

OUT = RESULTS / "first_chart"
BUDGET = 1.5  # first chart at 100× at most this many times its 1× time
PAGE_TIMEOUT_MS = 300_000


def _loadavg() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def _project(scale: int) -> str:
    from bench.params import sample_project
    from pilotdash.store import open_store

    return sample_project(open_store(store_path(scale)))


def _paths(project: str) -> dict[str, str]:
    pages = {}
    for i, (_file, url) in enumerate(registered_pages()):
        path = "/" if i == 0 else f"/{url}"
        pages[url] = f"{path}?lang=en" + (f"&project={project}" if url == "project" else "")
    return pages


async def _measure(base: str, paths: dict[str, str], repeat: int) -> dict[str, dict]:
    from playwright.async_api import async_playwright

    out: dict[str, dict] = {}
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
            await prepare(context)
            page = await context.new_page()
            for url, path in paths.items():  # warm: the first visit builds caches and snapshots
                await page_timing(page, base + path, PAGE_TIMEOUT_MS)
            for url, path in paths.items():
                firsts, completes, errors = [], [], []
                for _ in range(repeat):
                    try:
                        timing = await page_timing(page, base + path, PAGE_TIMEOUT_MS)
                    except Exception as exc:  # noqa: BLE001 - counted and named in the results
                        errors.append(f"{type(exc).__name__}: {str(exc)[:160]}")
                        continue
                    completes.append(timing.complete_s)
                    if timing.first_chart_s is not None:
                        firsts.append(timing.first_chart_s)
                    if timing.exception:
                        errors.append("exception box")
                out[url] = {"first_chart_s": round(statistics.median(firsts), 3) if firsts else None,
                            "complete_s": round(statistics.median(completes), 3) if completes else None,
                            "runs": len(completes), "errors": errors}
                print(f"  {url:12} first chart {out[url]['first_chart_s']} s  "
                      f"complete {out[url]['complete_s']} s"
                      f"  {'errors: ' + '; '.join(errors) if errors else ''}", flush=True)
            await context.close()
        finally:
            await browser.close()
    return out


def run_scale(scale: int, repeat: int) -> dict:
    info = ensure_scale(scale)
    paths = _paths(_project(scale))
    entry = {"rows": info["rows"], "loadavg_before": _loadavg()}
    started = time.monotonic()
    with StreamlitServer(store_path(scale), RESULTS.parent / "data" / f"first_chart_{scale}.log") as server:
        entry["pages"] = asyncio.run(_measure(server.url, paths, repeat))
    entry["seconds"] = round(time.monotonic() - started)
    entry["loadavg_after"] = _loadavg()
    return entry


def render(result: dict) -> str:
    scales = result["scales"]
    one, big = scales.get("1", {}).get("pages", {}), scales.get("100", {}).get("pages", {})
    lines = [
        "# Time to first chart, per page, in the browser",
        "",
        f"Run {result['started']} at commit {result['commit']} on {result['machine']['cores']} cores "
        f"({result['machine']['cpu']}); median of {result['repeat']} fresh navigations per page after one "
        "warm-up visit, Debian Chromium headless at 1280×900. Times from navigation start, read in the "
        "browser (`bench/browser.py`, shared with `bench/load.py`).",
        "",
    ]
    for scale, entry in scales.items():
        lines.append(f"- {scale}×: load average {entry['loadavg_before']} before, "
                     f"{entry['loadavg_after']} after "
                     f"({entry['seconds']} s)")
    if result.get("note"):
        lines += ["", result["note"]]
    lines += ["",
              "| page | first chart 1× | first chart 100× | 100× / 1× | page complete 1× | page complete 100× |",
              "|---|---|---|---|---|---|"]

    def s(v):
        return "—" if v is None else f"{v:.2f} s"

    met = True
    for url in one or big:
        a, b = one.get(url, {}), big.get(url, {})
        ratio = (b["first_chart_s"] / a["first_chart_s"]
                 if a.get("first_chart_s") and b.get("first_chart_s") else None)
        if ratio is not None:
            met &= ratio <= BUDGET
        mark = "—" if ratio is None else f"{ratio:.2f} {'✓' if ratio <= BUDGET else '✗'}"
        lines.append(f"| {url} | {s(a.get('first_chart_s'))} | {s(b.get('first_chart_s'))} | {mark} | "
                     f"{s(a.get('complete_s'))} | {s(b.get('complete_s'))} |")
    lines += ["", f"Budget: first chart at 100× ≤ {BUDGET}× its 1× time on every page with a chart: "
              f"{'met' if met else 'NOT met'} (— : the page draws no chart).", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.first_chart", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,100")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--note", default="", help="a remark for the results (e.g. what else ran)")
    args = parser.parse_args(argv)
    import subprocess

    git = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    commit = git.stdout.strip()
    result = {"started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "commit": commit,
              "machine": machine(), "repeat": args.repeat, "note": args.note, "scales": {}}
    for scale in [int(x) for x in args.scales.split(",") if x.strip()]:
        print(f"scale {scale}×", flush=True)
        result["scales"][str(scale)] = run_scale(scale, args.repeat)
    RESULTS.mkdir(parents=True, exist_ok=True)
    Path(f"{OUT}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    Path(f"{OUT}.md").write_text(render(result), encoding="utf-8")
    print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
