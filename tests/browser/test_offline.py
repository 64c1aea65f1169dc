"""Flow 7: on a machine without internet every page renders fully: every request that is not to
127.0.0.1 / localhost is aborted (the `dash` fixture does this for every test) and here we check
that none was even attempted, that the icon font and the favicon come from the server, and that
the pages are complete (charts drawn, no skeleton, no error). Every page gets the same block in
test_pages.py (a blocked request is a console error there); here three with the most to draw."""

import pytest

from tests.browser.pages import app_pages, page_path

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def test_every_page_renders_without_the_internet(dash):
    requested: list[str] = []
    dash.context.on("request", lambda request: requested.append(request.url))
    present = [u for u, _ in app_pages()]
    for url in [u for u in ("overview", "regions", "phases") if u in present] or present[:1]:
        dash.open(f"{page_path(url)}?lang=zh")
        dash.charts_drawn()
        dash.assert_clean()
    assert dash.blocked == [], f"needed the internet: {dash.blocked}"
    outside = [u for u in requested if not u.startswith((dash.server.url, "data:", "blob:"))]
    assert outside == [], outside

    page = dash.page
    # The Material icons in the sidebar and buttons are the server's font, loaded, not a fallback.
    assert page.evaluate("""async () => { await document.fonts.ready;
        return [...document.fonts].filter(f => f.family.includes('Material')).some(f => f.status === 'loaded'); }""")
    assert page.evaluate("() => [...document.fonts].every(f => f.status !== 'error')"), "a font failed to load"
    icon = page.evaluate("() => document.querySelector(\"link[rel~='icon']\")?.href || ''")
    assert icon.startswith((dash.server.url, "data:")), f"favicon from {icon!r}"
    dash.shot("offline-last-page")
