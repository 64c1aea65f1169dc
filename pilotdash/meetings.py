"""Meetings: share a view as a link, present it as slides. What a link holds and the order of a
presentation's pages, without Streamlit (the toolbar, the share panel, presentation mode and the
report on screen are `pilotdash.ui.meetings`).

A shared link is the view's canonical URL with the as-of date pinned (the effective date), so
it shows the same numbers next month, unless the presenter chooses "always latest". A link
holds only URL parameters: never session state, secrets or who is signed in.
"""

from __future__ import annotations

import dataclasses
from .filters import ViewState, page_url

PRESENT_PARAM = "present"

# Pages that are not slides: uploading is not a meeting activity, nor is managing saved views.
NOT_SLIDES = ("data", "views", "admin")


@dataclasses.dataclass(frozen=True)
class PageInfo:
    file: str
    url: str
    title_key: str
    icon: str


def pages_from(pages: list[tuple[str, str, str, str]]) -> dict[str, PageInfo]:
    """app.py's PAGES entries (file, url path, title key, icon), by url path."""
    return {url: PageInfo(file, url, key, icon) for file, url, key, icon in pages}


def link_params(view: ViewState, effective_as_of, latest: bool) -> dict[str, str]:
    """The view's parameters for a link: as-of pinned to the effective date unless `latest`;
    never presentation mode (the receiver chooses how to look at it)."""
    pinned = view.replace(as_of=None if latest else effective_as_of, present=None, slide=None)
    return pinned.query_params()


def share_url(base: str, url: str, params: dict[str, str]) -> str:
    """base ("https://host/app") + page path + canonical parameters."""
    return page_url(url, params, base)


def slides(view: ViewState, pages: dict[str, PageInfo]) -> list[PageInfo]:
    """The pages a presentation steps through, in PAGES order; the project page only when
    the view has a project."""
    return [p for p in pages.values()
            if p.url not in NOT_SLIDES and (p.url != "project" or view.extra("project"))]
