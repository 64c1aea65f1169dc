"""Slides 演示幻灯片: how a page becomes slides in presentation mode (`?present=1`), with no
Streamlit in it (the glue is `pilotdash.ui.slides`).

A page becomes one slide per chart it draws, in the order it draws them (a page without a chart
is one slide). Every slide of a page shows the page's key numbers and its one chart, on one
1920×1080 screen. The slide is the URL's `slide` parameter (1 when absent; "last" only arrives
from "previous" on the first slide of the next page, and is rewritten to the number once the
page has run). Previous and next run through the slides of a page and on across the pages of
the presentation.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

MAX_SLIDES = 50  # more charts than this on one page is a report, not a presentation
LAST = "last"
SLIDE_VALUES: tuple[str, ...] = (LAST, *(str(n) for n in range(1, MAX_SLIDES + 1)))
KEY_NUMBERS_MAX = 9  # one row across a 1920 px screen


@dataclasses.dataclass(frozen=True)
class Number:
    """A headline number a page drew: its words, the row it was drawn in (any object, compared
    by identity: numbers drawn side by side share it), its group (a heading such as a belt),
    and whether it is one of the registered measures (`pilotdash.measures`)."""

    label: str
    value: str
    delta: str | None = None
    group: str = ""
    row: object = None
    measure: bool = False
    options: tuple[tuple[str, object], ...] = ()  # st.metric's other arguments (help, delta colour)


def key_numbers(numbers: Sequence[Number]) -> list[Number]:
    """The numbers a page's slides show: its registered measures when it draws any (the page's
    own counts otherwise), the first row of them in each group, at most KEY_NUMBERS_MAX.

    Overview's first row of measures (pilots, red, amber, green), not the warning counts drawn
    above them; on Regions, each belt's card (group) gives its row; on Phases, which draws no
    registered measure, its own first row of counts."""
    pool = [n for n in numbers if n.measure] or list(numbers)
    first_row: dict[str, object] = {}
    chosen: list[Number] = []
    for number in pool:
        row = first_row.setdefault(number.group, number.row)
        if row is number.row and len(chosen) < KEY_NUMBERS_MAX:
            chosen.append(number)
    return chosen


def by_group(numbers: Sequence[Number]) -> list[tuple[str, list[Number]]]:
    """The key numbers under their group headings, in order (one group "" when ungrouped)."""
    groups: dict[str, list[Number]] = {}
    for number in numbers:
        groups.setdefault(number.group, []).append(number)
    return list(groups.items())


def slide_count(charts: int) -> int:
    """One slide per chart; a page without a chart is one slide (its key numbers)."""
    return max(1, charts)


def wanted(value: str | None) -> int | None:
    """The slide number asked for by the URL value (None: the last slide)."""
    if value == LAST:
        return None
    return int(value) if value else 1


@dataclasses.dataclass(frozen=True)
class Shown:
    slide: int  # 1-based, within the page's slides
    total: int
    missing: int | None = None  # the slide asked for when the page has fewer (shown: the last)


def resolve(value: str | None, charts: int) -> Shown:
    """Which slide a page with `charts` charts shows for the URL value `value`."""
    total = slide_count(charts)
    asked = wanted(value)
    if asked is None:
        return Shown(total, total)
    if asked > total:
        return Shown(total, total, missing=asked)
    return Shown(asked, total)


def url_value(slide: int | str) -> str | None:
    """The URL's value for a slide: none for the first (the default is left out)."""
    return None if slide in (1, "1") else str(slide)


@dataclasses.dataclass(frozen=True)
class Step:
    """Where previous or next goes: a page of the presentation (url path) and its slide's URL
    value (None: its first, "last": its last)."""

    page: str
    slide: str | None

    def same_page(self, page: str) -> bool:
        return self.page == page


def neighbours(deck: Sequence[str], page: str, shown: Shown) -> tuple[Step | None, Step | None]:
    """(previous, next) from slide `shown` of `page` through the presentation's pages `deck`:
    within the page first, then the previous page's last slide or the next page's first."""
    here = deck.index(page) if page in deck else None
    if shown.slide > 1:
        before = Step(page, url_value(shown.slide - 1))
    elif here is not None and here > 0:
        before = Step(deck[here - 1], LAST)
    else:
        before = None
    if shown.slide < shown.total:
        after = Step(page, url_value(shown.slide + 1))
    elif here is not None and here + 1 < len(deck):
        after = Step(deck[here + 1], None)
    else:
        after = None
    return before, after
