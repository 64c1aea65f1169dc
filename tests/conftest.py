import pytest

from pilotdash import events, named_queries
from tests import fixtures


@pytest.fixture(autouse=True)
def _follow_ups_settled():
    """A page's change is followed in a background thread (pilotdash.events): the next test never
    starts while it still writes to this test's store."""
    yield
    events.settle()


@pytest.fixture
def store(tmp_path):
    s = fixtures.make_store(tmp_path / "fixture.duckdb")
    yield s
    s.close()


@pytest.fixture
def run(store):
    """Run a named query on the fixture store, as of the fixture's D unless told otherwise."""

    def _run(name, **params):
        params.setdefault("as_of", fixtures.AS_OF)
        return named_queries.run(store, name, params)

    return _run


@pytest.fixture(scope="session")
def pw():
    """One Playwright per test process, shared by every browser fixture: its sync API cannot be
    started a second time in a process while the first runs (the browser suite's and the proxy
    tests' browsers then share a worker under --dist loadfile)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        yield playwright
