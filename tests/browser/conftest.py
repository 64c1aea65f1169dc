"""Real-browser fixtures: one `streamlit run app.py` and one headless Chromium for the session,
a fresh browser context (viewport 1600×1000, internet blocked, console watched) for each test.

Chromium is Debian's (/usr/bin/chromium), never Playwright's download: `python3 dev.py test`
installs it with a CJK font when missing; without it every browser test skips with a reason.

What every test gets for free, through the `dash` fixture:
- every request to a host other than 127.0.0.1 / localhost is aborted and recorded
  (`dash.blocked`): the dashboard must work on a machine without internet;
- a console error or an uncaught page error fails the test at teardown (no allowances yet:
  `BENIGN_CONSOLE` lists any, each with its reason);
- a Python traceback in the server's log during the test fails it too, so an exception on a
  tab nobody clicked is still caught;
- `dash.shot(name)` keeps a full-page screenshot in tests/artifacts/ (ignored by git).
"""

from __future__ import annotations

import atexit
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
VIEWPORT = {"width": 1600, "height": 1000}
SERVER_START_TIMEOUT = 90  # seconds; a cold start on a busy 2-core CI machine takes ~15 s
MAX_SHOT_HEIGHT = 12_000  # px: a screenshot is the whole page up to this height
RENDER_TIMEOUT = 60_000  # ms, for one page to finish running and drawing

# Console messages of type "error" that do not fail a test: (regex, why it is harmless).
# Keep this empty unless there is no way to fix the cause; every entry needs its reason.
# Matched against "<message> (<url of the source>)".
BENIGN_CONSOLE: list[tuple[str, str]] = [
    (r"^Failed to load resource: the server responded with a status of 404 \(Not Found\) "
     r"\(http://127\.0\.0\.1:\d+/[\w-]+/_stcore/(health|host-config)\)$",
     "Opening a page's own URL (/regions), Streamlit's frontend first probes /regions/_stcore/... in "
     "case the app is served under that base path, then falls back to /_stcore/...; the 404 of the "
     "first probe is how it finds out (streamlit 1.67, getPossibleBaseUris)."),
]

# Streamlit's own state on the root element (the same attributes its e2e tests wait on).
_QUIET_JS = """(quietMs) => {
  const app = document.querySelector('[data-testid="stApp"]');
  const busy = !app
    || app.dataset.testConnectionState !== 'CONNECTED'
    || app.dataset.testScriptState !== 'notRunning'
    || document.querySelector('[data-testid="stSkeleton"], [data-stale="true"], '
        + '[data-testid="stStatusWidgetRunningIcon"], [data-testid="stSpinner"]')
    || !document.querySelector('[data-testid="stMainBlockContainer"] [data-testid="stElementContainer"]');
  const now = performance.now();
  if (busy) { window.__pdQuietSince = null; return false; }
  if (window.__pdQuietSince == null) window.__pdQuietSince = now;
  return now - window.__pdQuietSince >= quietMs;
}"""

# Every Vega chart on the page, drawn: a canvas or svg with a size and (for svg) marks in it.
_CHARTS_JS = """() => [...document.querySelectorAll('.vega-embed')].map(e => {
  const c = e.querySelector('canvas, svg.marks');
  if (!c) return {drawn: false, w: 0, h: 0};
  const r = c.getBoundingClientRect();
  const marks = c.tagName.toLowerCase() === 'svg' ? c.querySelectorAll('path, rect, text').length : 1;
  return {drawn: r.width > 0 && r.height > 0 && marks > 0, w: Math.round(r.width), h: Math.round(r.height)};
})"""


_CHARTS_STABLE_JS = f"""() => {{
  const c = ({_CHARTS_JS})();
  const key = JSON.stringify(c);
  const now = performance.now();
  if (!c.every(x => x.drawn) || key !== window.__pdCharts) {{
    window.__pdCharts = key; window.__pdChartsSince = now; return false;
  }}
  return now - window.__pdChartsSince >= 600;
}}"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


@dataclass
class Server:
    url: str
    store_path: Path
    log_path: Path
    demo: bool

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_since(self, offset: int) -> str:
        with open(self.log_path, encoding="utf-8", errors="replace") as f:
            f.seek(offset)
            return f.read()


def build_store(path: Path) -> bool:
    """The demo data when it is there (realistic sizes), else the hand-checkable fixture store.
    Returns whether it is the demo data."""
    # What follows a build (the assessment's scores, the warnings) subscribes when
    # pilotdash.warnings is imported, as app.py and the CLI do at start-up; without it, a worker
    # whose first test is a browser test served a store with no final score at all.
    import pilotdash.warnings  # noqa: F401
    from pilotdash.store import DEMO_DIR, build

    if (DEMO_DIR / "projects.csv").exists():
        build(path)
        return True
    from tests import fixtures

    fixtures.make_store(path).close()
    return False


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Server:
    """`streamlit run app.py` on a free port over a store built for this session; stopped at the
    end whatever happens (finally, plus atexit for an interrupted run)."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing (python3 dev.py test installs Debian's chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright is not installed (requirements-dev.txt)")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    store_path = tmp_path_factory.mktemp("browser") / "browser.duckdb"
    demo = build_store(store_path)
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = ARTIFACTS / "streamlit.log"
    log = open(log_path, "w", encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py",
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         "--server.runOnSave", "false"],
        cwd=ROOT, env={**os.environ, "PILOTDASH_STORE": str(store_path), "PYTHONUNBUFFERED": "1"},
        stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True,
    )

    def stop() -> None:
        if proc.poll() is None:
            for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
                try:
                    os.killpg(proc.pid, sig)
                except ProcessLookupError:
                    break
                try:
                    proc.wait(wait)
                    break
                except subprocess.TimeoutExpired:
                    continue
        log.close()

    atexit.register(stop)
    try:
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while not _healthy(url):
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                tail = log_path.read_text(encoding="utf-8", errors="replace")[-3000:]
                pytest.fail(f"streamlit did not become healthy at {url} (exit code {proc.poll()}):\n{tail}")
            time.sleep(0.25)
        yield Server(url, store_path, log_path, demo)
    finally:
        stop()
        atexit.unregister(stop)


@pytest.fixture(scope="session")
def browser(server, pw):
    chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True)
    try:
        yield chromium
    finally:
        chromium.close()


@dataclass
class Dash:
    """One browser context on the dashboard, with what a test needs to drive and check it."""

    server: Server
    context: object
    name: str
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page: object = None

    # Driving -----------------------------------------------------------------------------

    def open(self, path_and_query: str = "/"):
        """Navigate to a path on the dashboard (e.g. "/regions?lang=en") and wait until drawn."""
        if self.page is None:
            self.page = self.context.new_page()
        self.page.goto(self.server.url + path_and_query)
        self.wait_ready()
        return self.page

    def wait_ready(self, quiet_ms: int = 600, timeout: int = RENDER_TIMEOUT) -> None:
        """Until the script has finished, nothing is stale, loading or spinning, for `quiet_ms`."""
        self.page.wait_for_selector('[data-testid="stAppViewContainer"]', timeout=timeout)
        self.page.evaluate("() => { window.__pdQuietSince = null; }")
        self.page.wait_for_function(_QUIET_JS, arg=quiet_ms, timeout=timeout, polling=100)

    def act(self, action) -> None:
        """Do something that reruns the script (click, select, type) and wait for the result."""
        self.page.evaluate("() => { window.__pdQuietSince = null; }")
        action()
        self.page.wait_for_timeout(150)  # the rerun request is on its way
        self.wait_ready()

    def sidebar_multiselect(self, label: str):
        return self.page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').filter(
            has=self.page.locator('[data-testid="stWidgetLabel"]', has_text=label))

    def choose(self, label: str, *options: str) -> None:
        """Pick options (by the words shown) in a sidebar multiselect, one rerun each."""
        box = self.sidebar_multiselect(label)
        for option in options:
            self.act(lambda: self._pick(box, option))

    def _pick(self, box, option: str) -> None:
        self.open_list(box)
        self.page.get_by_role("option", name=option, exact=True).click()
        self.page.keyboard.press("Escape")

    def open_list(self, box) -> None:
        """Open a selectbox's or multiselect's list of options. The box is scrolled into view
        first and the click waits two frames: a scroll's event is dispatched a frame after it,
        and a list opened before it arrives is closed by it at once (react-aria closes a popover
        when its trigger's scroll parent scrolls). A box below the fold (the Issues page's forms,
        the sidebar's Pilot type under the grouped navigation) lost the race now and then."""
        field = box.locator("input")
        field.scroll_into_view_if_needed()
        self.page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        field.click()

    def click_sidebar_link(self, title: str) -> None:
        link = self.page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]').filter(has_text=title)
        self.act(lambda: link.first.click())

    def set_language(self, code: str) -> None:
        text = {"zh": "中文", "en": "English"}[code]
        button = self.page.locator('[data-testid="stSidebar"] [data-testid="stButtonGroup"] button').filter(has_text=text)
        self.act(lambda: button.first.click())

    # Reading -----------------------------------------------------------------------------

    def params(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(urlsplit(self.page.url).query).items()}

    def path(self) -> str:
        return urlsplit(self.page.url).path

    def title(self) -> str:
        return self.page.locator('[data-testid="stMain"] h1').first.inner_text().strip()

    def metrics(self) -> dict[str, str]:
        """Each visible metric's label and value, as shown."""
        return self.page.evaluate("""() => Object.fromEntries(
          [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stMetric"]')].map(m => [
            m.querySelector('[data-testid="stMetricLabel"]').innerText.trim(),
            m.querySelector('[data-testid="stMetricValue"]').innerText.trim()]))""")

    def main_text(self) -> str:
        return self.page.locator('[data-testid="stMain"]').inner_text()

    def charts_drawn(self, timeout: int = 30_000) -> int:
        """Wait until every Vega chart on the page is drawn with a non-zero size and has kept
        that size for a moment (vega-embed may lay out twice); their number."""
        self.page.wait_for_function(_CHARTS_STABLE_JS, timeout=timeout, polling=200)
        return len(self.page.evaluate(_CHARTS_JS))

    # Checking ----------------------------------------------------------------------------

    def assert_no_exception(self) -> None:
        boxes = self.page.locator('[data-testid="stException"]')
        if boxes.count():
            log = self.server.log_path.read_text(encoding="utf-8", errors="replace")
            where = log.rfind("Traceback (most recent call last)")
            pytest.fail(f"exception box on {self.page.url}: {boxes.first.inner_text()[:500]}\n"
                        f"server log: {log[where:][:4000] if where >= 0 else '(no traceback)'}")

    def assert_clean(self) -> None:
        """No exception box, no dialog (Streamlit's "Page not found" is one), no console error
        so far, nothing fetched from outside."""
        self.assert_no_exception()
        dialogs = self.page.locator('[data-testid="stDialog"] [role="dialog"]')
        if dialogs.count():
            pytest.fail(f"unexpected dialog on {self.page.url}: {dialogs.first.inner_text()[:300]}")
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.blocked, f"requests to the internet: {self.blocked}"

    def shot(self, name: str | None = None, page=None, full_page: bool = True) -> Path:
        """A screenshot of the whole page in tests/artifacts/<name>.png. Streamlit scrolls
        inside its main area, not the document, so the viewport is made as tall as the content
        for the picture and put back afterwards."""
        page = page or self.page
        path = ARTIFACTS / f"{name or self.name}.png"
        size = page.viewport_size
        height = page.evaluate("""() => Math.max(window.innerHeight, ...[...document.querySelectorAll(
            '[data-testid="stMain"], [data-testid="stAppViewContainer"], [data-testid="stSidebarContent"]')]
            .map(e => e.scrollHeight))""")
        tall = min(int(height), MAX_SHOT_HEIGHT) if full_page else size["height"]
        if tall > size["height"]:
            page.set_viewport_size({"width": size["width"], "height": tall})
            page.wait_for_timeout(400)
            if page.locator(".vega-embed").count():
                page.wait_for_function(_CHARTS_STABLE_JS, timeout=10_000, polling=200)
        try:
            page.screenshot(path=str(path))
        finally:
            if tall > size["height"]:
                page.set_viewport_size(size)
        return path


def _benign(text: str) -> bool:
    return any(re.search(pattern, text) for pattern, _why in BENIGN_CONSOLE)


def make_dash(browser, server: Server, name: str, **context_options) -> Dash:
    options = {"viewport": VIEWPORT, "locale": "en-US", "timezone_id": "Asia/Shanghai",
               "accept_downloads": True, **context_options}
    context = browser.new_context(**options)
    context.set_default_timeout(RENDER_TIMEOUT)
    dash = Dash(server, context, name)

    def route(r) -> None:
        host = urlsplit(r.request.url).hostname or ""
        if host in LOOPBACK or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            dash.blocked.append(r.request.url)
            r.abort("internetdisconnected")

    def on_console(message) -> None:
        if message.type == "error":
            where = message.location.get("url", "") if isinstance(message.location, dict) else ""
            text = f"{message.text} ({where})"
            if not _benign(text):
                dash.console_errors.append(text)

    def on_page(page) -> None:
        page.on("console", on_console)
        page.on("pageerror", lambda error: dash.console_errors.append(f"page error: {error}"))

    context.route("**/*", route)
    context.on("page", on_page)
    return dash


def _test_name(request) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)


@pytest.fixture
def new_dash(browser, server, request):
    """Make another, independent browser context (e.g. "a colleague opens the link")."""
    made: list[Dash] = []

    def make(suffix: str, **options) -> Dash:
        dash = make_dash(browser, server, f"{_test_name(request)}-{suffix}", **options)
        made.append(dash)
        return dash

    yield make
    errors = close_dashes(made)
    if errors:
        pytest.fail("\n".join(errors), pytrace=False)


def close_dashes(made: list[Dash], blocked: bool = False) -> list[str]:
    """Close the contexts; their console errors (and blocked requests), each named by its dash."""
    errors = []
    for dash in made:
        dash.context.close()
        errors += [f"{dash.name}: {e}" for e in dash.console_errors + (dash.blocked if blocked else [])]
    return errors


@pytest.fixture
def dash(browser, server, request):
    """A fresh browser context for this test; fails the test at teardown on a console error, a
    page error or a traceback in the server log while it ran."""
    log_start = server.log_size()
    dash = make_dash(browser, server, _test_name(request))
    try:
        yield dash
    finally:
        dash.context.close()
    errors = list(dash.console_errors) + [f"{n} requests to the internet, e.g. {dash.blocked[0]}"
                                           for n in [len(dash.blocked)] if n]
    log = server.log_since(log_start)
    if "Traceback (most recent call last)" in log:
        errors.append("server traceback:\n" + log[log.index("Traceback (most recent call last)") - 200:][:4000])
    if errors:
        pytest.fail("\n".join(errors), pytrace=False)


@pytest.fixture(scope="module")
def a_project(server) -> str:
    """An active pilot with phases and milestones, for the Project page's address."""
    from pilotdash.store import Store

    store = Store(server.store_path, read_only=True)
    try:
        return store.rows("SELECT p.project_id FROM projects p JOIN milestones m USING (project_id) "
                          "WHERE p.status = 'active' ORDER BY 1 LIMIT 1")[0][0]
    finally:
        store.close()
