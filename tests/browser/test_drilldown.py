"""Flow 3: from a belt to a province to one pilot's page, by clicking as a person does:
the belt control on Regions, a tile of the province map, a project link in the table."""

from urllib.parse import parse_qs, urlsplit

import pytest

from pilotdash.filters import province_name
from pilotdash.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.timeout(150)]


def test_belt_to_province_to_project(dash):
    page = dash.open("/regions?lang=en")

    # Belt: the "Show one belt's provinces" control.
    control = page.get_by_role("radiogroup", name=t("regions.focus_belt", "en"))
    dash.act(lambda: control.get_by_role("radio", name="West", exact=True).click())
    assert dash.params().get("belt") == "west"
    dash.assert_clean()

    # Province: click Sichuan's tile on the map (a Vega point selection on the tile).
    dash.charts_drawn()
    tile = page.locator('.vega-embed g.mark-rect path[aria-label$=": Sichuan"]')
    assert tile.count() == 1, "Sichuan's tile on the map"
    tile.scroll_into_view_if_needed()
    # The tile itself, found by its accessible name, near its corner: its words sit in its middle.
    dash.act(lambda: tile.click(position={"x": 10, "y": 10}))
    assert dash.params().get("province") == "51", f"after the tile click: {page.url}"
    heading = t("regions.province_projects", "en", province=province_name("51", "en"))
    assert page.get_by_text(heading).count() == 1
    dash.assert_clean()
    dash.shot("drill-province")

    # Pilot: the first project link in that province's table (a canvas grid: click the cell).
    grid = page.locator('[data-testid="stElementContainer"]:below(:text("%s"))' % heading) \
        .locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    dash.wait_ready()
    # The grid's accessible table (beside its canvas) holds each cell's text: the first row's link.
    first_link = grid.locator('[data-testid="glide-cell-0-0"]').text_content()
    expected = parse_qs(urlsplit(first_link).query)
    assert expected["province"] == ["51"] and expected["project"][0], first_link
    gbox = grid.bounding_box()
    opened = None
    # The grid is a canvas: a click before it is live is lost. The link's words sit in the middle
    # of the first row, which is one line (35 px) or, when a long name wraps, 66 px tall.
    for middle in (17, 33, 17, 33):
        before = len(dash.context.pages)
        page.mouse.click(gbox["x"] + 40, gbox["y"] + 35 + middle)
        for _ in range(50):
            if len(dash.context.pages) > before:
                opened = dash.context.pages[-1]
                break
            if "/project" in page.url:
                opened = page
                break
            page.wait_for_timeout(200)
        if opened:
            break
    assert opened is not None, "the project link opened nothing"
    dash.page = opened
    dash.wait_ready()
    assert dash.path() == "/project"
    params = dash.params()
    assert params.get("project") == expected["project"][0], "the first row's pilot opened"
    assert params.get("province") == "51" and params.get("lang") == "en", "the link carries the filters"
    assert params["project"] in dash.main_text()
    dash.assert_clean()
    dash.shot("drill-project")
