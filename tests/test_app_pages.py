"""app.py's page registry and the page files agree: a page file that is not registered, or a
registered page whose file is gone, fails here (the browser and page tests then run every page)."""

import ast

from pilotdash.i18n import t
from pilotdash.store import ROOT


def registered() -> list[tuple[str, str, str, str]]:
    tree = ast.parse((ROOT / "app.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", "") == "PAGES" for target in node.targets):
            return ast.literal_eval(node.value)
    raise AssertionError("no PAGES list in app.py")


def test_every_page_file_is_registered_and_every_registered_page_exists():
    files = [file for file, _url, _title, _icon in registered()]
    assert sorted(files) == sorted(f"pages/{p.name}" for p in (ROOT / "pages").glob("*.py"))
    assert len(set(files)) == len(files)


def test_every_page_has_a_url_and_a_title_in_both_languages():
    pages = registered()
    urls = [url for _file, url, _title, _icon in pages]
    assert len(set(urls)) == len(urls) and all(urls)
    for _file, _url, title, _icon in pages:
        assert t(title, "en") != title and t(title, "zh") != title


def test_the_expected_pages_are_there():
    # The pages the README and the browser flows rely on; removing one must be deliberate.
    assert {"overview", "phases", "regions", "funds", "targets", "project", "definitions", "views", "data"} <= \
        {url for _file, url, _title, _icon in registered()}


def test_streamlit_does_not_list_the_pages_folder_itself():
    # pages/ beside app.py would also be Streamlit's old automatic page list, which flashes on a
    # fresh server before st.navigation takes over; the public setting turns it off.
    import tomllib

    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showSidebarNavigation"] is False
