"""Flow 6: meetings. The share link opens the same view in another browser; presentation mode
on a 1920×1080 projector (screenshot); chart, table and report exports download real files."""

from __future__ import annotations

import pytest

from pilotdash.i18n import t
from tests.browser.conftest import make_dash

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def share_link(dash) -> str:
    """Open the Share popover and read the link it offers."""
    page = dash.page
    dash.act(lambda: page.get_by_role("button", name=t("meetings.share", "en")).click())
    box = page.locator('[data-testid="stPopoverBody"] .st-key-share_link input').first
    box.wait_for()
    return box.input_value().strip()


@pytest.mark.parametrize("path", [
    "/regions?lang=en&belt=east",
    "/?lang=en&belt=east",
], ids=["regions", "overview"])
def test_share_link_opens_the_same_view(dash, new_dash, path):
    dash.open(path)
    shown = dash.metrics()
    link = share_link(dash)
    assert link.startswith(dash.server.url), f"an absolute link to this server: {link}"
    assert "as_of=" in link and "belt=east" in link, f"pinned as-of date and the filter: {link}"
    dash.shot()

    colleague = new_dash("opened")
    colleague.open(link.removeprefix(dash.server.url))
    colleague.assert_clean()
    assert colleague.title() == dash.title()
    assert colleague.metrics() == shown


def test_presentation_mode_on_a_projector(browser, server, request):
    """?present=1 at 1920×1080, in Chinese: no sidebar, no download buttons, one big chart; the
    next page's slide keeps the filters (test_slides.py steps through every slide)."""
    dash = make_dash(browser, server, "present", viewport={"width": 1920, "height": 1080})
    try:
        page = dash.open("/?present=1&belt=east&slide=last")
        dash.assert_clean()
        assert dash.charts_drawn() == 1
        assert not page.locator('[data-testid="stSidebar"]').is_visible(), "no sidebar on a projector"
        assert page.locator('[data-testid="stDownloadButton"]').count() == 0, "no downloads on a slide"
        assert "东部" in dash.main_text()
        dash.shot("present-1920x1080-overview-zh", full_page=False)

        link = page.locator('.st-key-pd_slide_next [data-testid="stPageLink-NavLink"]')
        link = link.locator("visible=true")
        assert link.inner_text().strip().endswith(t("page.phases", "zh"))
        dash.act(lambda: link.click())
        assert dash.path() == "/phases"
        assert dash.params().get("present") == "1" and dash.params().get("belt") == "east"
        assert "slide" not in dash.params(), "the next page opens on its first slide"
        dash.charts_drawn()
        dash.assert_clean()
        dash.shot("present-1920x1080-phases-zh", full_page=False)
    finally:
        dash.context.close()
    assert not dash.console_errors, dash.console_errors


def _download(dash, button) -> bytes:
    with dash.page.expect_download() as download:
        button.click()
    return download.value.path().read_bytes()


def test_exports_download_real_files(dash):
    page = dash.open("/regions?lang=en")
    dash.charts_drawn()

    png = _download(dash, page.locator("[data-testid=stDownloadButton]").get_by_role("button", name=t("common.download_png", "en"), exact=True).first)
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 2000, "a real PNG of the chart"
    svg = _download(dash, page.locator("[data-testid=stDownloadButton]").get_by_role("button", name=t("common.download_svg", "en"), exact=True).first)
    assert b"<svg" in svg[:500] and b"</svg>" in svg, "a real SVG of the chart"

    csv = _download(dash, page.locator("[data-testid=stDownloadButton]").get_by_role("button", name=t("common.download_csv", "en"), exact=True).first)
    text = csv.decode("utf-8")
    assert text.startswith("\ufeff") and len(text.splitlines()) >= 2, "CSV with a BOM for Excel, and rows"
    xlsx = _download(dash, page.locator("[data-testid=stDownloadButton]").get_by_role("button", name=t("common.download_xlsx", "en"), exact=True).first)
    assert xlsx.startswith(b"PK\x03\x04"), "an xlsx (zip) file"

    report = _download(dash, page.locator("[data-testid=stDownloadButton]").get_by_role("button", name=t("meetings.report", "en"), exact=True))
    html = report.decode("utf-8")
    assert "<html" in html[:500].lower() and t("page.regions", "en") in html
    assert "<svg" in html or "data:image/png" in html, "the charts are in the report"
    dash.assert_clean()
