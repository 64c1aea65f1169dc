"""Saved views in a real browser, internet blocked: save the current view from Share, find it
on Saved views with its filters in words, open it, and get the same view back."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.timeout(180)]


def test_save_a_view_and_open_it_from_saved_views(dash):
    dash.open("/funds?lang=en&belt=east&domain=digital_economy")
    shown = dash.metrics()
    dash.act(lambda: dash.page.get_by_role("button", name="Share").first.click())
    name = "East digital funds (browser)"
    box = dash.page.get_by_label("Save as a named view")
    dash.act(lambda: (box.fill(name), box.press("Enter")))
    dash.act(lambda: dash.page.get_by_role("button", name="Save view").click())
    assert any(name in text for text in dash.page.locator('[data-testid="stAlert"]').all_inner_texts())
    dash.act(lambda: (box.fill(name), box.press("Enter")))
    dash.act(lambda: dash.page.get_by_role("button", name="Save view").click())
    assert any("already exists" in text for text in dash.page.locator('[data-testid="stAlert"]').all_inner_texts())
    dash.page.keyboard.press("Escape")

    dash.open("/views?lang=en")
    card = dash.page.locator('[data-testid="stHorizontalBlock"]').filter(has_text=name).last  # its row
    assert "Funds · East · Digital economy · as of" in card.inner_text()
    dash.shot()
    dash.act(lambda: card.get_by_role("link", name="Open").click())
    assert dash.path() == "/funds" and dash.title() == "Funds"
    params = dash.params()
    assert params["belt"] == "east" and params["domain"] == "digital_economy" and "as_of" in params
    assert dash.metrics() == shown
    dash.assert_clean()
