"""The Regions drill-down below a province in a real browser: a province's cities, one city chosen in
the table (a row click, as a person does), its counties; the view is a URL at every step."""

import pytest

from pilotdash.i18n import t
from pilotdash import places
from pilotdash.places import city_label

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]


def test_province_to_city_to_counties(dash, server):
    if not server.demo:
        pytest.skip("the demo data has the cities this follows")
    page = dash.open("/regions?lang=en&province=33")
    dash.assert_clean()
    heading = t("places.province_cities", "en", province="Zhejiang")
    assert page.get_by_text(heading).count() == 1
    grid = page.locator('[data-testid="stElementContainer"]:below(:text("%s"))' % heading) \
        .locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    dash.wait_ready()
    first_city = grid.locator('[data-testid="glide-cell-1-0"]').text_content()
    assert first_city and first_city != t("places.city_not_given", "en"), heading
    box = grid.bounding_box()
    for _attempt in range(3):  # the grid is a canvas: a click before it is live is lost
        dash.act(lambda: page.mouse.click(box["x"] + 18, box["y"] + 35 + 17))  # the first row's selector
        if dash.params().get("city"):
            break
        page.wait_for_timeout(500)
    city = dash.params().get("city")
    assert city and city.startswith("33") and city_label(city) == first_city, page.url
    assert dash.params().get("province") == "33"
    counties_heading = t("places.city_counties", "en", city=first_city)
    assert page.get_by_text(counties_heading).count() == 1
    counties = page.locator('[data-testid="stElementContainer"]:below(:text("%s"))' % counties_heading) \
        .locator('[data-testid="stDataFrame"]').first
    counties.scroll_into_view_if_needed()
    dash.wait_ready()
    first_county = counties.locator('[data-testid="glide-cell-0-0"]').text_content()
    assert first_county == t("places.county_not_given", "en") or any(
        c.name == first_county and c.city_code == city for c in places.counties().values()), first_county
    dash.assert_clean()
    dash.shot("drill-city-counties")
    # back to the province's cities
    dash.act(lambda: page.get_by_role("button", name=t("places.back_to_cities", "en")).click())
    assert "city" not in dash.params() and dash.params().get("province") == "33"
    dash.assert_clean()
