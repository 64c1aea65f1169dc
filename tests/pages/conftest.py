"""AppTest fixtures: the app over the hand-checkable fixture store, or over an empty store."""

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from pilotdash.store import ROOT, Store
from tests import fixtures

APP = str(ROOT / "app.py")


@pytest.fixture(autouse=True)
def config(tmp_path, monkeypatch):
    """The dashboard's configuration file (pilotdash.config): none, single-user mode, until a
    test signs someone in (`sign_in_configured`)."""
    path = tmp_path / "secrets.toml"
    monkeypatch.setenv("PILOTDASH_CONFIG", str(path))
    return path


def sign_in_configured(auth: dict) -> None:
    """Sign-in on: an [auth] section in the configuration file (Streamlit's st.login reads the
    same section, which AppTest takes from `at.secrets`)."""
    import os

    fixtures.write_config(os.environ["PILOTDASH_CONFIG"], auth=auth)


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


@pytest.fixture
def downloads(monkeypatch):
    """What each download button would hand the browser, by the button's key. AppTest does not
    serve files, so the media manager is wrapped to keep the data (or the deferred callable)."""
    by_url: dict[str, bytes] = {}
    deferred: dict[str, object] = {}
    add, add_deferred = MediaFileManager.add, MediaFileManager.add_deferred

    def keep(self, data, *args, **kwargs):
        url = add(self, data, *args, **kwargs)
        by_url[url] = data
        return url

    def keep_deferred(self, func, *args, **kwargs):
        file_id = add_deferred(self, func, *args, **kwargs)
        deferred[file_id] = func
        return file_id

    monkeypatch.setattr(MediaFileManager, "add", keep)
    monkeypatch.setattr(MediaFileManager, "add_deferred", keep_deferred)

    def get(at, key: str) -> bytes:
        button = next(b for b in at.get("download_button") if b.proto.id.endswith("-" + key))
        if button.proto.deferred_file_id:
            data = deferred[button.proto.deferred_file_id]()
        else:
            data = by_url[button.proto.url]
        return data.encode("utf-8") if isinstance(data, str) else data

    return get
