"""Hostile uploads against a real server: the workbook bombs that used to abort the whole
Streamlit process (calamine's dense grid) are refused with the sheet's size, and the server goes
on serving this session and a fresh one."""

from __future__ import annotations

import pytest

from pilotdash.i18n import t
from tests.browser.test_data import upload
from tests.hostile import bombs

pytestmark = [pytest.mark.browser, pytest.mark.timeout(300)]


@pytest.mark.parametrize("make, size", [(bombs.far_cell_bomb, "A1:XFD1048576"),
                                        (bombs.wide_span_bomb, "A1:GS100001"),
                                        (lambda: bombs.lying_zip_bomb(30), "damaged")])
def test_a_workbook_bomb_is_refused_and_the_server_still_serves(dash, new_dash, server, tmp_path, make, size):
    path = tmp_path / "readings.xlsx"
    path.write_bytes(make())
    upload(dash, path)
    refusal = dash.page.locator('[data-testid="stAlertContentError"]')
    assert refusal.count() == 1, dash.main_text()[-1500:]
    assert size in refusal.inner_text()
    dash.shot()  # tests/artifacts/<test>.png: the refusal as the submitter sees it
    # The same session and another one still get their pages.
    dash.open("/?lang=en")
    dash.assert_clean()
    assert t("overview.projects", "en") in dash.metrics()
    other = new_dash("after")
    other.open("/regions?lang=zh")
    other.assert_clean()
    assert other.main_text().strip()
