"""Meetings on screen: share a view as a link, save it by name, present it on a projector, take
it away as a report. The Streamlit glue around `pilotdash.meetings` (links, the slides' order),
`saved_views` and `exports`; app.py calls it so every page has it without the page doing anything.

A shared link is the view's canonical URL with the as-of date pinned (the effective date), so
it shows the same numbers next month, unless the presenter chooses "always latest". A link
holds only URL parameters: never session state, secrets or who is signed in.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from .. import exports, saved_views, ui
from ..errors import Problem
from ..filters import ViewState
from ..i18n import fmt_date, fmt_datetime
from ..meetings import NOT_SLIDES, PRESENT_PARAM, PageInfo, link_params, pages_from, share_url, slides
from . import slides as ui_slides
from .frame import scope_counts

# This session's pages (app.py's PAGES as this person may see them): per session, since an
# admin's and a viewer's sessions list different pages.
_PAGES = "_meeting_pages"


def register_pages(pages: list[tuple[str, str, str, str]]) -> None:
    """app.py's PAGES (file, url path, title key, icon), so saved views can name and open them."""
    st.session_state[_PAGES] = pages_from(pages)


def _pages() -> dict[str, PageInfo]:
    return st.session_state.get(_PAGES, {})


def page_info(url: str) -> PageInfo | None:
    return _pages().get(url)


def base_url(selected: st.Page) -> str:
    """The app's address as the browser sees it, without the page path; "" when unknown
    (tests), which leaves a link relative to the server."""
    url = st.context.url or ""
    tail = selected.url_path
    if tail and url.rstrip("/").endswith("/" + tail):
        url = url.rstrip("/")[: -len(tail) - 1]
    return url.rstrip("/")


# The toolbar on every page --------------------------------------------------------------------


def toolbar_row():
    """The toolbar's row at the top right of the page, made before the page and filled after it
    (`toolbar`, `report_button`)."""
    return st.container(horizontal=True, horizontal_alignment="right", gap="small", key="pd_toolbar")


def toolbar(row, selected: st.Page, url: str) -> None:
    """Share 分享 (link, always-latest choice, save as a named view) and Present 演示, in the
    toolbar's `row` (`url`: the page's path in PAGES); `report_button` completes it."""
    view = ui.state()
    with row:
        with st.popover(ui.tr("meetings.share"), icon=":material/share:"):
            _share_panel(view, selected, url)
        if url not in NOT_SLIDES:
            # A button, not a link to the same page: Streamlit leaves the address bar unchanged
            # on a same-page link, and the address bar must stay the view's link.
            st.button(ui.tr("meetings.present"), key="present_on", icon=":material/slideshow:",
                      on_click=ui.set_view, kwargs={PRESENT_PARAM: "1"}, type="tertiary")


_SAVE_OUTCOME = "_save_view_outcome"
SHARE_LINK_KEY = "share_link"  # the share popover's link box


def _save_view(url: str, params: dict[str, str]) -> None:
    # A button callback: it runs before the script, and reports through session state.
    try:
        saved = saved_views.save(ui.store(), st.session_state.get("save_view_name", ""), url, params, ui.person())
    except Problem as err:  # a bad name, refused by the access policy (audited), or the store busy
        st.session_state[_SAVE_OUTCOME] = (False, err.markdown(ui.lang()))
    else:
        st.session_state[_SAVE_OUTCOME] = (True, ui.tr("meetings.saved", name=ui.plain(saved.name)))
        st.session_state["save_view_name"] = ""


def _share_panel(view: ViewState, selected: st.Page, url: str) -> None:
    effective = ui.as_of(view)
    latest = st.toggle(ui.tr("meetings.always_latest"), key="share_latest",
                       help=ui.tr("meetings.always_latest_help"))
    params = link_params(view, effective, latest)
    # The link in a text box, selectable and copyable on a phone, under the words that say what
    # it pins. Not st.code: its highlighter is a 1.5 MB script the browser fetched and parsed when
    # the popover first opened (issue 22 item 9); the box reuses the save-name box's code. Set
    # afresh every run, so an edit in the box never outlives the run and the link follows the view.
    # Streamlit serves the home page at the root only: its own url_path ("" for the home page).
    st.session_state[SHARE_LINK_KEY] = share_url(base_url(selected), selected.url_path, params)
    st.text_input(ui.tr("meetings.link_latest") if latest else ui.tr("meetings.link_pinned", date=ui.date_text(effective)),
                  key=SHARE_LINK_KEY)
    st.divider()
    st.text_input(ui.tr("meetings.save_name"), key="save_view_name", max_chars=saved_views.NAME_MAX,
                  placeholder=ui.tr("meetings.save_placeholder"))
    st.button(ui.tr("meetings.save"), key="save_view", icon=":material/bookmark_add:",
              on_click=_save_view, args=(url, params))
    if outcome := st.session_state.pop(_SAVE_OUTCOME, None):
        ok, message = outcome
        (st.success if ok else st.error)(message, icon=":material/bookmark_added:" if ok else ":material/error:")
    if views := page_info("views"):
        st.page_link(views.file, label=ui.tr("page.views"), icon=views.icon,
                     query_params=ui.nav_params())


# Presentation mode ----------------------------------------------------------------------------


def present_frame(url: str):
    """Presentation mode: the page `url` as slides (ui/slides.py), stepping on through the
    presentation's pages with the same filters. A context manager for the page's run."""
    view = ui.state()
    project = view.extra("project")

    def title(info: PageInfo) -> str:  # the project page names its pilot (the id its link holds)
        return ui.tr(info.title_key) + (f" {project}" if info.url == "project" and project else "")

    shown = [ui_slides.SlidePage(p.url, p.file, title(p)) for p in slides(view, _pages())]
    info = page_info(url)
    page = next((p for p in shown if p.url == url),
                ui_slides.SlidePage(url, info.file if info else "", title(info) if info else ""))
    keep = dict(ui.nav_params(), **({"project": project} if project else {}))
    return ui_slides.presenting_page(page, shown, keep)


# The report -------------------------------------------------------------------------------------


def _source_text(view: ViewState) -> str:
    frame = ui.query("data_freshness")
    facts = {item: value for item, value in zip(frame["item"], frame["value"])
             if isinstance(value, str) and value}  # an empty fact comes back as NaN
    lang = view.lang
    what = ui.tr("meetings.source_demo") if facts.get("is_demo") == "1" else ui.tr("meetings.source_store")
    parts = [what]
    if facts.get("newest_reading"):
        parts.append(ui.tr("meetings.source_newest", date=fmt_date(facts["newest_reading"], lang)))
    if facts.get("last_upload"):
        parts.append(ui.tr("meetings.source_upload", when=str(facts["last_upload"])[:16]))
    elif facts.get("built_at"):
        parts.append(ui.tr("meetings.source_built", when=str(facts["built_at"])[:16].replace("T", " ")))
    return " · ".join(parts)


def _scope_fact(view: ViewState) -> tuple[tuple[str, str], ...]:
    """A report made by someone with a narrower scope says whose pilots its figures are over."""
    scope = ui.current_scope()
    if scope.is_national:
        return ()
    pilots, seen, total = scope_counts(ui.as_of(view))  # the report's date's pilots, as its figures
    return ((ui.tr("scope.report_label"),
             ui.tr("scope.report_value", scope=scope.describe(view.lang), pilots=pilots, seen=seen, total=total)),)


def report_text(view: ViewState) -> exports.ReportText:
    effective = ui.as_of(view)
    return exports.ReportText(
        lang=view.lang,
        facts=(
            (ui.tr("meetings.report_filters"), view.describe(view.lang, effective)),
            (ui.tr("meetings.report_as_of"), fmt_date(effective, view.lang)
             + ("" if view.as_of else " · " + ui.tr("meetings.report_latest"))),
            (ui.tr("meetings.report_source"), _source_text(view)),
            *_scope_fact(view),
            (ui.tr("meetings.report_made"), fmt_datetime(dt.datetime.now(dt.timezone.utc), view.lang)),
        ),
        rows_cut=ui.tr("meetings.report_rows_cut"),
        empty=ui.tr("meetings.report_empty"),
    )


def report_title(url: str) -> str:
    info = page_info(url)
    return f"{ui.tr('app.title')} · {ui.tr(info.title_key) if info else url}"


def report_button(row, url: str) -> None:
    """"Download report" in the toolbar row, added after the page ran so that the report holds
    what this run drew; rendered only when clicked, from plain data. Not on the pages that
    are not views of the data (saved views, uploads)."""
    if url in NOT_SLIDES:
        return
    view = ui.state()
    items = ui.report_items()
    title = report_title(url)
    text = report_text(view)
    stem = f"report_{url}_{ui.as_of(view).isoformat()}"
    ui.download(row, ui.tr("meetings.report"),
                ui.audited("report", f"{stem}.html", lambda: exports.report_html(title, items, text)),
                file_name=f"{stem}.html", mime="text/html", key="dl_report",
                icon=":material/summarize:", on_click="ignore",
                help=ui.tr("meetings.report_help"))
