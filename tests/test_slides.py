"""How a page becomes slides (pilotdash/slides.py): one per chart, the key numbers every slide
shows, the `slide` URL parameter, and where previous / next go."""

import pytest

from pilotdash import slides
from pilotdash.filters import Notice, Options, ViewState, parse
from pilotdash.slides import Number, Shown, Step

ROW_A, ROW_B, ROW_C = object(), object(), object()


def test_one_slide_per_chart_and_one_for_a_page_without_charts():
    assert [slides.slide_count(n) for n in (0, 1, 5)] == [1, 1, 5]


@pytest.mark.parametrize(("value", "charts", "shown"), [
    (None, 3, Shown(1, 3)),  # no parameter: the first
    ("2", 3, Shown(2, 3)),
    ("last", 3, Shown(3, 3)),  # from "previous" on the next page's first slide
    ("last", 0, Shown(1, 1)),
    ("7", 3, Shown(3, 3, missing=7)),  # past the end: the last, with a notice
    ("2", 0, Shown(1, 1, missing=2)),
])
def test_the_url_value_names_a_slide_of_the_page(value, charts, shown):
    assert slides.resolve(value, charts) == shown


def test_the_first_slide_is_left_out_of_the_url():
    assert [slides.url_value(n) for n in (1, "1", 2, "3")] == [None, None, "2", "3"]


def test_the_slide_parameter_is_checked_when_the_link_is_parsed():
    view, notices = parse({"slide": "4", "present": "1"}, Options())
    assert (view, notices) == (ViewState(extras={"present": "1", "slide": "4"}), [])
    assert parse({"slide": "last"}, Options())[0].extra("slide") == "last"
    for bad in ("0", "-1", "x", "2.5", str(slides.MAX_SLIDES + 1)):
        view, notices = parse({"slide": bad}, Options())
        assert view.extra("slide") is None
        assert notices == [Notice("notice.bad_value", {"name": "slide", "value": bad})]


DECK = ["overview", "phases", "regions"]


@pytest.mark.parametrize(("page", "shown", "before", "after"), [
    ("overview", Shown(1, 2), None, Step("overview", "2")),  # the very first slide
    ("overview", Shown(2, 2), Step("overview", None), Step("phases", None)),  # on to the next page
    ("phases", Shown(1, 1), Step("overview", "last"), Step("regions", None)),  # back to the last
    ("regions", Shown(3, 5), Step("regions", "2"), Step("regions", "4")),
    ("regions", Shown(5, 5), Step("regions", "4"), None),  # the very last slide
    ("data", Shown(1, 1), None, None),  # a page that is not in the presentation goes nowhere
])
def test_previous_and_next_run_through_the_slides_and_on_across_the_pages(page, shown, before, after):
    assert slides.neighbours(DECK, page, shown) == (before, after)


def test_the_key_numbers_are_the_first_row_of_registered_measures():
    # Overview: the warning counts come first (own numbers), then three rows of measures.
    drawn = [Number("Red warnings", "3", group="Warnings", row=ROW_A),
             Number("Pilots", "78", row=ROW_B, measure=True), Number("Red", "6", row=ROW_B, measure=True),
             Number("Allocated", "9", row=ROW_C, measure=True)]
    assert [n.label for n in slides.key_numbers(drawn)] == ["Pilots", "Red"]


def test_a_page_without_measures_shows_its_own_first_row():
    drawn = [Number("Behind", "12", row=ROW_A), Number("Due", "532", row=ROW_A),
             Number("BAC", "1", row=ROW_B)]
    assert [n.label for n in slides.key_numbers(drawn)] == ["Behind", "Due"]


def test_grouped_numbers_give_each_group_its_first_row():
    # Regions: one card per belt, each its own row of three.
    drawn = [Number(m, "1", group=belt, row=row, measure=True)
             for belt, row in (("East", ROW_A), ("Central", ROW_B), ("West", ROW_C))
             for m in ("Pilots", "Utilisation", "Met")]
    chosen = slides.key_numbers(drawn)
    assert len(chosen) == 9
    assert [(group, [n.label for n in row]) for group, row in slides.by_group(chosen)] == [
        (belt, ["Pilots", "Utilisation", "Met"]) for belt in ("East", "Central", "West")]


def test_no_more_key_numbers_than_fit_one_row():
    drawn = [Number(str(i), "1", row=ROW_A) for i in range(14)]
    assert len(slides.key_numbers(drawn)) == slides.KEY_NUMBERS_MAX
    assert slides.key_numbers([]) == []
