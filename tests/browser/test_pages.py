"""Flow 1: every page opens, its charts are drawn, no exception box, no console error.

The pages come from app.py's PAGES table, so a page is covered the moment it is added. Each is
opened in English (checks) and switched to Chinese with the sidebar control (screenshot: the
Chinese must render as Chinese, not boxes)."""

import pytest

from pilotdash.i18n import t
from tests.browser.pages import MIN_CHARTS, app_pages, page_path

pytestmark = [pytest.mark.browser, pytest.mark.timeout(120)]


@pytest.mark.parametrize(("url", "title_key"), app_pages(), ids=[u for u, _ in app_pages()])
def test_page_opens_and_draws(dash, url, title_key):
    dash.open(f"{page_path(url)}?lang=en")
    dash.assert_clean()
    assert dash.title() == t(title_key, "en"), "the page's own title, in English"
    drawn = dash.charts_drawn()
    assert drawn >= MIN_CHARTS.get(url, 0), f"{url}: {drawn} charts drawn"
    dash.shot(f"page-{url}-en")

    dash.set_language("zh")
    assert dash.params().get("lang") is None, "Chinese is the default: no lang= in the URL"
    assert dash.title() == t(title_key, "zh")
    dash.charts_drawn()
    dash.assert_clean()
    dash.shot(f"page-{url}-zh")


def test_sidebar_links_every_page(dash):
    dash.open("/?lang=en")
    links = dash.page.locator('[data-testid="stSidebar"] [data-testid="stPageLink-NavLink"]')
    shown = [text.strip() for text in links.all_inner_texts()]
    expected = [t(key, "en") for _url, key in app_pages()]
    missing = [title for title in expected if not any(title in s for s in shown)]
    # A page may be reached only through another (the project page, from a project link).
    assert set(missing) <= {t("page.project", "en")}, f"pages without a sidebar link: {missing}"


def test_the_home_page_answers_at_its_own_name_too(dash):
    """"/overview" (typed, or kept from an old link) is the home page with its filters, not
    Streamlit's "Page not found"."""
    dash.open("/overview?lang=en&belt=west")
    dash.assert_clean()
    assert dash.title() == t("page.overview", "en")
    assert dash.params().get("belt") == "west"
    dash.charts_drawn()
