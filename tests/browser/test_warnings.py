"""Warnings 预警 in a real browser: acknowledge a warning, reload, the note is there; the
Overview's count of warnings awaiting a response goes down by one."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]
LABEL = "✖ Red warning · open"


def test_acknowledge_reload_and_the_overview_counts_change(dash):
    dash.open("/overview?lang=en")
    before = int(dash.metrics()[LABEL].replace(",", ""))
    assert before > 0

    dash.open("/warnings?lang=en&level=red")
    box = dash.page.locator('[data-testid="stSelectbox"]').filter(
        has=dash.page.locator('[data-testid="stWidgetLabel"]', has_text="Respond to a warning")
    )
    # The first warning listed (the list's first entry is "none chosen"); any other number could be
    # typed, since the chooser lists a bounded number of them.
    dash.open_list(box)
    dash.act(lambda: dash.page.get_by_role("option").nth(1).click())
    warning = dash.params()["warning"]
    assert warning.isdigit()
    note = "Cross-department meeting on Friday decides the new schedule"
    dash.act(lambda: dash.page.get_by_label("Response note").fill(note))
    dash.page.get_by_role("spinbutton", name="year, Plan date").click()
    dash.page.keyboard.type("20261031")  # year, month, day: each segment moves on to the next
    dash.act(lambda: dash.page.get_by_role("button", name="Acknowledge").click())
    assert "The response is recorded." in dash.main_text()

    dash.open(f"/warnings?lang=en&level=red&warning={warning}&wstate=all")
    assert note in dash.main_text()
    dash.shot()
    dash.open("/overview?lang=en")
    assert int(dash.metrics()[LABEL].replace(",", "")) == before - 1
    dash.assert_clean()
