"""Presentation mode as slides (issue 15 item 12) on a 1920×1080 projector: every slide is one
screen (no scrolling), carries one chart whose every word is at least 18 px, no demo banner and
no second title; the arrow keys and PageUp / PageDown step through the slides and on across the
pages, and the address bar names the slide shown."""

from __future__ import annotations

import pytest

from pilotdash.i18n import t
from tests.browser.conftest import make_dash

pytestmark = [pytest.mark.browser, pytest.mark.timeout(900)]

SCREEN = {"width": 1920, "height": 1080}

# The tallest thing that could scroll: the document, Streamlit's app view or its main area.
_HEIGHT_JS = """() => Math.max(document.documentElement.scrollHeight, document.body.scrollHeight,
  ...[...document.querySelectorAll('[data-testid="stMain"], [data-testid="stAppViewContainer"]')]
     .map(e => e.scrollHeight))"""

# Every word the shown chart draws (Vega's SVG: axis, legend and header words, words on marks),
# with its rendered size, and whether it is an axis label.
_CHART_WORDS_JS = """() => [...document.querySelectorAll('.vega-embed svg text')]
  .filter(e => e.textContent.trim() && e.getBoundingClientRect().width > 0)
  .map(e => ({text: e.textContent.trim(), size: parseFloat(getComputedStyle(e).fontSize),
              axis: !!e.closest('.role-axis-label')}))"""


def _slide(dash) -> tuple[str, str]:
    return dash.path(), dash.params().get("slide", "1")


def _press(dash, key: str) -> None:
    dash.act(lambda: dash.page.keyboard.press(key))


def _check_slide(dash, where: str) -> None:
    page = dash.page
    dash.assert_clean()
    height = page.evaluate(_HEIGHT_JS)
    assert height <= SCREEN["height"], f"{where}: {height} px tall, the slide scrolls"
    assert page.locator('[data-testid="stMain"] h1').count() == 0, f"{where}: a second title"
    assert t("common.demo_marker", "en") not in dash.main_text(), f"{where}: the demo banner"
    assert not page.locator('[data-testid="stSidebar"]').is_visible(), f"{where}: the sidebar"
    charts = page.locator('.vega-embed')
    assert charts.count() <= 1, f"{where}: {charts.count()} charts on one slide"
    if charts.count():
        dash.charts_drawn()
        words = page.evaluate(_CHART_WORDS_JS)
        assert words, f"{where}: the chart has no words"
        small = [w for w in words if w["size"] < 18]
        assert not small, f"{where}: words under 18 px: {small[:5]}"


def test_slides_fit_the_screen_and_the_keys_step_through_them(browser, server):
    dash = make_dash(browser, server, "slides", viewport=SCREEN)
    try:
        dash.open("/?present=1&lang=en&belt=east")
        seen = [_slide(dash)]
        _check_slide(dash, f"{seen[-1]}")
        dash.shot("slides-1920x1080-001", full_page=False)
        assert seen[-1] == ("/", "1")
        # Forward with the right arrow (PageDown every third step) until the last slide.
        for step in range(1, 60):
            key = "PageDown" if step % 3 == 0 else "ArrowRight"
            _press(dash, key)
            here = _slide(dash)
            if here == seen[-1]:
                break  # the last slide of the last page: nothing further
            assert dash.params().get("present") == "1" and dash.params().get("belt") == "east", here
            assert dash.params().get("lang") == "en"
            seen.append(here)
            _check_slide(dash, f"{here} after {key}")
            dash.shot(f"slides-1920x1080-{len(seen):03d}", full_page=False)
        pages = [path for path, _ in seen]
        assert len(set(pages)) >= 5, f"the keys went across the pages: {seen}"
        assert any(slide != "1" for _, slide in seen), f"a page with several charts is several slides: {seen}"
        assert pages.index("/phases") > 0 and pages.index("/regions") > pages.index("/phases")

        # Back with the left arrow and PageUp: the slides in reverse, the previous page's last
        # slide named by its number in the address bar.
        for key, expected in zip(["ArrowLeft", "PageUp", "ArrowLeft"], reversed(seen[:-1])):
            _press(dash, key)
            assert _slide(dash) == expected, f"{key}: {_slide(dash)} instead of {expected}"
        dash.assert_clean()
    finally:
        dash.context.close()
    assert not dash.console_errors, dash.console_errors


def test_previous_from_a_page_opens_the_last_slide_of_the_one_before(browser, server):
    """In Chinese, with the on-screen buttons as well as the keys."""
    dash = make_dash(browser, server, "slides-back", viewport=SCREEN)
    try:
        dash.open("/regions?present=1&lang=zh")
        assert "第 1 张" in dash.main_text()
        previous = dash.page.locator(".st-key-pd_slide_prev a").locator("visible=true")
        assert previous.inner_text().strip().endswith(t("page.phases", "zh"))
        _press(dash, "ArrowLeft")
        assert dash.path() == "/phases"
        last = dash.params().get("slide")
        assert last and last.isdigit() and int(last) >= 2, f"the last of Phases' slides: {dash.page.url}"
        assert t("slides.counter", "zh", n=last, total=last) in dash.main_text()
        _check_slide(dash, "phases, last")
        dash.shot("slides-1920x1080-phases-last-zh", full_page=False)
        dash.act(lambda: dash.page.locator(".st-key-pd_slide_prev button").locator("visible=true").click())
        assert dash.params().get("slide") == (str(int(last) - 1) if int(last) > 2 else None)
        dash.act(lambda: dash.page.locator(".st-key-pd_slide_next button").locator("visible=true").click())
        assert dash.params().get("slide") == last
        onward = dash.page.locator(".st-key-pd_slide_next a").locator("visible=true")  # on to Regions
        dash.act(lambda: onward.click())
        assert dash.path() == "/regions" and "slide" not in dash.params()
        assert dash.params() == {"present": "1"}  # Chinese is the default language, left out
        _check_slide(dash, "regions, first")
    finally:
        dash.context.close()
    assert not dash.console_errors, dash.console_errors


def test_a_slide_past_the_end_shows_the_last_with_a_notice_on_one_screen(browser, server):
    dash = make_dash(browser, server, "slides-missing", viewport=SCREEN)
    try:
        dash.open("/regions?present=1&lang=en&slide=9")
        assert t("slides.missing", "en", n=9, total=dash.params().get("slide")) in dash.main_text()
        assert int(dash.params()["slide"]) < 9
        _check_slide(dash, "regions, slide 9")
        dash.shot("slides-1920x1080-missing-en", full_page=False)
    finally:
        dash.context.close()
    assert not dash.console_errors, dash.console_errors


# The matching-ratio slide's marks and words, and the SPI × CPI points, as drawn (issue 22 item 4):
# bars of a readable thickness, the expected ratio's words inside the chart, points to see.
_MARKS_JS = """() => {
  const svg = document.querySelector('.vega-embed svg');
  const box = svg.getBoundingClientRect();
  const rects = [...svg.querySelectorAll('.mark-rect path, .mark-rect rect')].map(e => e.getBoundingClientRect());
  const points = [...svg.querySelectorAll('.mark-symbol path')].map(e => e.getBoundingClientRect());
  const words = [...svg.querySelectorAll('.mark-text text')].map(e => {
    const r = e.getBoundingClientRect();
    return {text: e.textContent, left: r.left - box.left, right: box.right - r.right, top: r.top - box.top};
  });
  return {bars: rects.map(r => Math.round(r.height)), points: points.map(r => Math.round(r.width)), words};
}"""


def test_the_matching_and_spi_cpi_slides_read_from_the_back_of_the_room(browser, server):
    dash = make_dash(browser, server, "slides-funds", viewport=SCREEN)
    seen = set()
    try:
        for slide in range(1, 8):
            dash.open(f"/funds?present=1&slide={slide}")
            text = dash.main_text()
            if t("funds.matching", "zh") in text.split("\n")[0] and "matching" not in seen:
                seen.add("matching")
                _check_slide(dash, "matching ratios")
                marks = dash.page.evaluate(_MARKS_JS)
                assert marks["bars"] and min(marks["bars"]) >= 40, f"bars too thin: {marks['bars']}"
                expected = [w for w in marks["words"] if w["text"].startswith(t("funds.expected_ratio", "zh"))]
                assert expected, marks["words"]
                assert all(w["left"] >= 0 and w["right"] >= 0 and w["top"] >= 0 for w in expected), expected
                dash.shot("slides-1920x1080-matching-zh", full_page=False)
            elif "SPI" in text.split("\n")[0] and "spi" not in seen:
                seen.add("spi")
                _check_slide(dash, "SPI × CPI")
                points = dash.page.evaluate(_MARKS_JS)["points"]
                assert points and min(points) >= 14, f"points too small for a projector: {sorted(points)[:5]}"
                dash.shot("slides-1920x1080-spi-cpi-zh", full_page=False)
            if dash.params().get("slide") != (None if slide == 1 else str(slide)):
                break  # past the last slide
        assert seen == {"matching", "spi"}, seen
    finally:
        dash.context.close()
    assert not dash.console_errors, dash.console_errors
