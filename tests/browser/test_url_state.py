"""Flow 2: every view is a URL. Filters chosen in the sidebar go into the address; that address
opened in another browser (a colleague, no shared session) shows the same view with the same
numbers; the language switch shows Chinese and back; a broken link gives a notice, not an error."""

import pytest

from pilotdash.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def test_filters_go_into_the_url_and_the_url_reproduces_the_view(dash, new_dash):
    dash.open("/?lang=en")
    everything = dash.metrics()
    pilots = t("overview.projects", "en")

    dash.choose(t("filter.belt", "en"), "West")
    assert dash.params().get("belt") == "west"
    dash.choose(t("filter.pilot_type", "en"), "Basic")
    params = dash.params()
    assert (params.get("belt"), params.get("pilot_type"), params.get("lang")) == ("west", "basic", "en")
    filtered = dash.metrics()
    assert int(filtered[pilots].replace(",", "")) < int(everything[pilots].replace(",", "")), "the filter applies"
    caption = dash.page.locator('[data-testid="stMain"] [data-testid="stCaptionContainer"]').first.inner_text()
    assert "West" in caption and "Basic" in caption, caption
    dash.assert_clean()
    dash.shot("url-filtered")

    # The address, opened in a fresh browser context: same view, same numbers.
    colleague = new_dash("colleague")
    colleague.open(dash.page.url.removeprefix(dash.server.url))
    colleague.assert_clean()
    assert colleague.params() == params
    assert colleague.metrics() == filtered
    chips = colleague.sidebar_multiselect(t("filter.belt", "en")).inner_text()
    assert "West" in chips
    colleague.charts_drawn()
    colleague.shot()

    # Chinese: the same view in Chinese words (screenshot: must be Chinese, not boxes); and back.
    dash.set_language("zh")
    assert "lang" not in dash.params() and dash.params().get("belt") == "west"
    assert dash.title() == t("page.overview", "zh")
    zh = dash.metrics()
    assert zh[t("overview.projects", "zh")] == filtered[pilots], "the same numbers in either language"
    assert "西部" in dash.sidebar_multiselect(t("filter.belt", "zh")).inner_text()
    dash.charts_drawn()
    dash.shot("url-filtered-zh")
    dash.set_language("en")
    assert dash.params() == params
    assert dash.title() == t("page.overview", "en")
    dash.assert_clean()


def test_a_broken_link_gives_a_notice_and_a_clean_address(dash):
    dash.open("/?lang=en&belt=north&as_of=yesterday&foo=1")
    dash.assert_clean()
    notices = dash.page.locator('[data-testid="stMain"] [data-testid="stAlertContentWarning"]').all_inner_texts()
    text = " ".join(notices)
    assert "north" in text and "yesterday" in text and "foo" in text, notices
    assert dash.params() == {"lang": "en"}, "what remains in the address is the view shown"
    assert dash.metrics()[t("overview.projects", "en")]
