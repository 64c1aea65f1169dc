import pytest
from streamlit.runtime.pages_manager import PagesManager

from pilotdash import named_queries
from tests import fixtures


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


@pytest.fixture(autouse=True, scope="session")
def _streamlit_navigation_mode():
    """Run AppTests the way the server runs after its first request: in st.navigation mode.
    AppTest re-detects the `pages/` folder on every run and would start each one in
    Streamlit's old multipage mode, where app.py (see ui.frame_started) must rerun itself and
    a clicked button's value is lost with that rerun."""
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init
    yield
    PagesManager.__init__ = original
