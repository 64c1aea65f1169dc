"""AppTest fixtures: the app over the hand-checkable fixture store, or over an empty store."""

import pytest
from streamlit.testing.v1 import AppTest

from pilotdash.store import ROOT, Store
from tests import fixtures

APP = str(ROOT / "app.py")


@pytest.fixture
def fixture_store_path(tmp_path, monkeypatch):
    path = tmp_path / "fixture.duckdb"
    fixtures.make_store(path).close()
    monkeypatch.setenv("PILOTDASH_STORE", str(path))
    return path


@pytest.fixture
def empty_store_path(tmp_path, monkeypatch):
    path = tmp_path / "empty.duckdb"
    Store(path).close()
    monkeypatch.setenv("PILOTDASH_STORE", str(path))
    return path


def _clear_streamlit_caches():
    import streamlit as st

    st.cache_data.clear()
    st.cache_resource.clear()


def _maker():
    def make(page: str = "overview", **params: str) -> AppTest:
        at = AppTest.from_file(APP, default_timeout=60)
        if page != "overview":
            at.switch_page(f"pages/{page}.py")
        for key, value in params.items():
            at.query_params[key] = value
        return at

    return make


@pytest.fixture
def app(fixture_store_path):
    """A function making an AppTest of `page` (file stem in pages/) with these query parameters."""
    _clear_streamlit_caches()
    yield _maker()
    _clear_streamlit_caches()


@pytest.fixture
def empty_app(empty_store_path):
    _clear_streamlit_caches()
    yield _maker()
    _clear_streamlit_caches()
