"""Cases and places tests run on the fixture store (tests/fixtures.py) with the places and the
promotion rows of tests/cases/rows.py added; the AppTest fixtures come from tests/pages."""

import pytest

from pilotdash.store import Store
from tests import fixtures
from tests.cases import rows
from tests.pages.conftest import _clear_streamlit_caches, _maker, config  # noqa: F401  (autouse: no sign-in until asked)


@pytest.fixture
def store(tmp_path):
    s = rows.add(fixtures.make_store(tmp_path / "fixture.duckdb"))
    yield s
    s.close()


@pytest.fixture
def store_path(tmp_path, monkeypatch):
    path = tmp_path / "fixture.duckdb"
    rows.add(fixtures.make_store(path)).close()
    monkeypatch.setenv("PILOTDASH_STORE", str(path))
    return path


@pytest.fixture
def app(store_path):
    _clear_streamlit_caches()
    yield _maker()
    _clear_streamlit_caches()


@pytest.fixture
def open_store(store_path):
    s = Store(store_path)
    yield s
    s.close()
