"""Tasks tests use the page fixtures (AppTest over the fixture store) as well as the store ones."""

from tests.pages.conftest import app, downloads, fixture_store_path  # noqa: F401 - fixtures
