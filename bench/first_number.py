"""Time to the first headline number, the dashboard beside a bare Streamlit page (issue 22 item 9;
a bench part, not a timed test).

    .venv/bin/python -m bench.first_number [--scale 1] [--repeat 7] [--pages overview,funds]

Two servers side by side: `streamlit run app.py` over the scale's store, and `streamlit run
bench/bare_metrics.py` (four st.metric and nothing else). Debian's headless Chromium at 1440×900;
each page is opened once to warm its server, then `--repeat` times, alternating with the bare page
so both see the same load, each time in a fresh browser context (a fresh session, no cache). The
time is read in the browser: navigation start → the first headline number's value in the page's
main area (an init script watches the document from its first byte). The machine is shared, so
the result is the ratio of medians (dashboard page / bare page), with the load average before
and after; absolute times say little here. Goal: ≤ 1.3 at 1×.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import statistics
import subprocess
from pathlib import Path

from bench.browser import ROOT, StreamlitServer, launch
from bench.common import RESULTS, ensure_scale, machine, store_path

OUT = RESULTS / "first_number"
GOAL = 1.3
TIMEOUT_MS = 120_000

# Installed before any page script: when the first number is on the page.
FIRST_NUMBER_JS = """(() => {
  window.__pdFirstNumber = null;
  const check = () => {
    if (window.__pdFirstNumber !== null) return;
    const value = document.querySelector('[data-testid="stMain"] [data-testid="stMetricValue"]');
    if (value && value.textContent.trim()) {
      window.__pdFirstNumber = performance.now();
      observer.disconnect();
    }
  };
  const observer = new MutationObserver(check);
  observer.observe(document, {childList: true, subtree: true, characterData: true});
})();"""


class BareServer(StreamlitServer):
    """The bare page on its own server: the same command as the dashboard's, another script."""

    def __enter__(self):
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [os.sys.executable, "-m", "streamlit", "run", "bench/bare_metrics.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none", "--server.runOnSave", "false"],
            cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        import time

        deadline = time.monotonic() + 180
        while not self._healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"the bare page did not start (see {self.log_path})")
            time.sleep(0.5)
        return self


async def _first_number(browser, url: str) -> float:
    context = await browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    try:
        await context.add_init_script(FIRST_NUMBER_JS)
        page = await context.new_page()
        await page.goto(url, timeout=TIMEOUT_MS)
        await page.wait_for_function("() => window.__pdFirstNumber !== null", timeout=TIMEOUT_MS, polling=20)
        return round(await page.evaluate("() => window.__pdFirstNumber") / 1000, 3)
    finally:
        await context.close()


async def _measure(dash: str, bare: str, pages: list[str], repeat: int) -> dict:
    from playwright.async_api import async_playwright

    paths = {p: ("/" if p == "overview" else f"/{p}") + "?lang=zh" for p in pages}
    out: dict = {}
    async with async_playwright() as pw:
        browser = await launch(pw)
        try:
            await _first_number(browser, bare + "/")  # warm both servers and their caches
            for path in paths.values():
                await _first_number(browser, dash + path)
            for page, path in paths.items():
                mine, base = [], []
                for _ in range(repeat):  # alternating: both see the same load
                    mine.append(await _first_number(browser, dash + path))
                    base.append(await _first_number(browser, bare + "/"))
                m, b = statistics.median(mine), statistics.median(base)
                out[page] = {"first_number_s": m, "bare_s": b, "ratio": round(m / b, 2), "runs": mine, "bare_runs": base}
                print(f"  {page:10} first number {m:.2f} s  bare {b:.2f} s  ratio {m / b:.2f}", flush=True)
        finally:
            await browser.close()
    return out


def render(result: dict) -> str:
    lines = ["# Time to the first headline number, beside a bare Streamlit page", "",
             f"Run {result['started']} at commit {result['commit']} on {result['machine']['cores']} cores, "
             f"scale {result['scale']}×; median of {result['repeat']} fresh browser contexts per page, alternating "
             "with the bare page (four st.metric), Debian Chromium headless at 1440×900. Load average "
             f"{result['loadavg_before']} before, {result['loadavg_after']} after (shared machine: read the ratios).",
             "", "| page | first number | bare page | ratio | goal ≤ 1.3 |", "|---|---|---|---|---|"]
    for page, row in result["pages"].items():
        ok = "met" if row["ratio"] <= GOAL else "not met"
        lines.append(f"| {page} | {row['first_number_s']:.2f} s | {row['bare_s']:.2f} s | {row['ratio']:.2f} | {ok} |")
    if result.get("note"):
        lines += ["", result["note"]]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.first_number", description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pages", default="overview,funds")
    parser.add_argument("--note", default="")
    parser.add_argument("--out", default=str(OUT), help="results file stem (.json and .md)")
    args = parser.parse_args(argv)
    ensure_scale(args.scale)
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT).stdout.strip()
    result = {"started": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), "commit": commit,
              "machine": machine(), "scale": args.scale, "repeat": args.repeat, "note": args.note,
              "loadavg_before": [round(x, 2) for x in os.getloadavg()]}
    logs = RESULTS.parent / "data"
    logs.mkdir(parents=True, exist_ok=True)
    with StreamlitServer(store_path(args.scale), logs / "first_number_dash.log") as dash, \
            BareServer(store_path(args.scale), logs / "first_number_bare.log") as bare:
        result["pages"] = asyncio.run(_measure(dash.url, bare.url, args.pages.split(","), args.repeat))
    result["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    Path(f"{args.out}.json").write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    Path(f"{args.out}.md").write_text(render(result), encoding="utf-8")
    print(render(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
