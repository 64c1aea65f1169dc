"""How long a page takes in a real browser: the one timing the load benchmark (`bench.load`) and
the time-to-first-chart benchmark (`bench.first_chart`) share.

Both times are read in the browser, in milliseconds since the navigation started
(`performance.now()` of the new document), so neither includes Playwright's own round trips:

- **page complete**: Streamlit reports the script finished with nothing stale, loading or
  spinning (the browser tests' readiness check, `tests/browser/conftest._QUIET_JS`), taken at the
  moment that quiet began;
- **first chart**: the first Vega chart on the page is drawn with a size and marks in it (an
  init script watches the document from its first byte). None on a page without charts.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tests.browser.conftest import _QUIET_JS, CHROMIUM, CHROMIUM_FLAGS

ROOT = Path(__file__).resolve().parent.parent
QUIET_MS = 300

# Installed before any page script: notes when the first chart is drawn. A MutationObserver sees
# SVG marks arrive; the interval catches a canvas, which is painted without a DOM change.
FIRST_CHART_JS = """(() => {
  window.__pdFirstChart = null;
  const drawn = () => [...document.querySelectorAll('.vega-embed')].some(e => {
    const c = e.querySelector('canvas, svg.marks');
    if (!c) return false;
    const r = c.getBoundingClientRect();
    const marks = c.tagName.toLowerCase() === 'svg' ? c.querySelectorAll('path, rect, text').length : 1;
    return r.width > 0 && r.height > 0 && marks > 0;
  });
  let observer = null, timer = null;
  const check = () => {
    if (window.__pdFirstChart !== null || !drawn()) return;
    window.__pdFirstChart = performance.now();
    if (observer) observer.disconnect();
    clearInterval(timer);
  };
  observer = new MutationObserver(check);
  observer.observe(document, {childList: true, subtree: true});
  timer = setInterval(check, 25);
})();"""

_HAS_CHART_JS = "() => document.querySelectorAll('.vega-embed').length > 0"


@dataclass(frozen=True)
class PageTiming:
    complete_s: float  # navigation start → script finished, nothing stale or spinning
    first_chart_s: float | None  # navigation start → first chart drawn; None: the page has no chart
    exception: bool  # an exception box on the page
    exception_text: str = ""  # its first lines, for the error samples


async def prepare(context) -> None:
    """Once per browser context, before its first page: the first-chart watcher."""
    await context.add_init_script(FIRST_CHART_JS)


async def page_timing(page, url: str, timeout_ms: int = 120_000) -> PageTiming:
    """Open `url` in `page` (whose context had `prepare`) and time it in the browser."""
    await page.goto(url, timeout=timeout_ms)
    await page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout_ms)
    await page.evaluate("() => { window.__pdQuietSince = null; }")
    await page.wait_for_function(_QUIET_JS, arg=QUIET_MS, timeout=timeout_ms, polling=50)
    complete = await page.evaluate("() => window.__pdQuietSince")
    first = None
    if await page.evaluate(_HAS_CHART_JS):
        # Vega draws after the script has finished: wait for the chart, not only the script.
        await page.wait_for_function("() => window.__pdFirstChart !== null", timeout=timeout_ms, polling=50)
        first = await page.evaluate("() => window.__pdFirstChart")
    boxes = page.locator('[data-testid="stException"]')
    exception = await boxes.count() > 0
    text = (await boxes.first.inner_text())[:300] if exception else ""
    return PageTiming(round(complete / 1000, 3), None if first is None else round(first / 1000, 3), exception,
                      text)


async def launch(playwright):
    """Debian's headless Chromium, as the browser tests use it."""
    return await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)


class StreamlitServer:
    """`streamlit run app.py` over one store file on a free loopback port; stopped by its PID."""

    def __init__(self, store: Path, log: Path):
        self.store, self.log_path = store, log
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> StreamlitServer:
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(self.port),
             "--server.address", "127.0.0.1", "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
             "--server.runOnSave", "false"],
            cwd=ROOT, env={**os.environ, "PILOTDASH_STORE": str(self.store), "PYTHONUNBUFFERED": "1"},
            stdout=self._log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + 180
        while not self._healthy():
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.__exit__()
                raise RuntimeError(f"streamlit did not start (see {self.log_path})")
            time.sleep(0.5)
        return self

    def _healthy(self) -> bool:
        try:
            with urllib.request.urlopen(self.url + "/_stcore/health", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._log.close()
