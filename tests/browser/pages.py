"""The dashboard's pages as app.py lists them, read from its PAGES table (so a new page is tested
the moment it is added), and what each page should at least show."""

from __future__ import annotations

import re

from tests.browser.conftest import ROOT

_ENTRY = re.compile(r'\(\s*"pages/(?P<file>\w+)\.py"\s*,\s*"(?P<url>[\w-]+)"\s*,\s*"(?P<title>page\.\w+)"')


def app_pages() -> list[tuple[str, str]]:
    """(url path, title key) of every page in app.py's PAGES, in order."""
    text = (ROOT / "app.py").read_text(encoding="utf-8")
    block = text[text.index("PAGES = ["): text.index("]", text.index("PAGES = ["))]
    return [(m["url"], m["title"]) for m in _ENTRY.finditer(block)]


def page_path(url: str) -> str:
    """A page's address: the first page in PAGES is Streamlit's default page, served at "/"
    (app.py also answers at /overview, tested on its own)."""
    return "/" if url == app_pages()[0][0] else f"/{url}"


# The least number of Vega charts each page draws on the data the suite runs on (pages not
# listed: every chart they have must be drawn, however many).
MIN_CHARTS = {
    "overview": 2,
}
