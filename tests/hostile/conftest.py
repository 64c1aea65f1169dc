"""The hostile catalogue runs pages too: the AppTest fixtures of tests/pages."""

from tests.pages.conftest import app, downloads, fixture_store_path  # noqa: F401  (fixtures)
