"""The pilot-programme dashboard: `streamlit run app.py` (or `python3 dev.py run`).

This file is the frame around every page: it parses the view from the URL, draws the sidebar
(language, page links that carry the filters, filters) and runs the chosen page, with the
meeting tools above it (share link, saved views, presentation mode, report). In presentation
mode (`?present=1`) there is no sidebar: the page becomes slides (`&slide=N`), one chart each.
"""

import contextlib
from pathlib import Path

import streamlit as st

from pilotdash import policy, ui
from pilotdash.ui import meetings
from pilotdash.warnings import hooks  # noqa: F401  start-up: the warnings follow every data change
from pilotdash.errors import Problem

st.set_page_config(page_title="试点项目监测看板 · Pilot dashboard", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"), layout="wide")

who = ui.gate()  # the sign-in page, or a notice for an unknown person, ends the run here
current = ui.load_state()

# (file, url path, title key, icon); the first is the home page.
PAGES = [
    ("pages/overview.py", "overview", "page.overview", ":material/dashboard:"),
    ("pages/phases.py", "phases", "page.phases", ":material/view_timeline:"),
    ("pages/regions.py", "regions", "page.regions", ":material/map:"),
    ("pages/funds.py", "funds", "page.funds", ":material/payments:"),
    ("pages/targets.py", "targets", "page.targets", ":material/flag:"),
    ("pages/project.py", "project", "page.project", ":material/article:"),
    ("pages/warnings.py", "warnings", "page.warnings", ":material/notifications:"),
    ("pages/assessment.py", "assessment", "page.assessment", ":material/fact_check:"),
    ("pages/tasks.py", "tasks", "page.tasks", ":material/account_tree:"),
    ("pages/issues.py", "issues", "page.issues", ":material/checklist:"),
    ("pages/cases.py", "cases", "page.cases", ":material/diversity_3:"),
    ("pages/definitions.py", "definitions", "page.definitions", ":material/menu_book:"),
    ("pages/views.py", "views", "page.views", ":material/bookmarks:"),
    ("pages/data.py", "data", "page.data", ":material/upload_file:"),
    ("pages/admin.py", "admin", "page.admin", ":material/admin_panel_settings:"),
]
# The sidebar's sections, each a title key and its pages' url paths in order. A url not (yet) in
# PAGES is skipped; a page in PAGES that no section names is listed after them, so none is lost.
NAV_SECTIONS = {
    "nav.monitoring": ("overview", "phases", "regions", "funds", "targets", "project"),
    "nav.management": ("warnings", "tasks", "issues", "assessment", "cases"),
    "nav.data_settings": ("definitions", "views", "data", "admin"),
}
# A page that only a policy action opens (url path -> action); every other page is for everyone
# signed in. The page checks again itself, and the policy in every action.
PAGE_ACTIONS = {"admin": "people_manage"}


def may_open(url: str) -> bool:
    return url not in PAGE_ACTIONS or policy.allowed(who, PAGE_ACTIONS[url])


shown = [meta for meta in PAGES if may_open(meta[1])]
meetings.register_pages(shown)

# Streamlit serves the home page at "/" only; its own url_path is no address. So the home page is
# registered under an internal path, and its url path from PAGES ("/overview", which people type
# and old links hold) is a second, hidden entry for the same page rather than "Page not found".
# Every page is registered, those this person may not open hidden (st.Page's public
# `visibility`): their address then reaches the refusal below, never another page in its place.
HOME_INTERNAL = "home"
pages = [
    st.Page(path, title=ui.tr(title), icon=icon, url_path=HOME_INTERNAL if i == 0 else url, default=(i == 0),
            visibility="visible" if may_open(url) else "hidden")
    for i, (path, url, title, icon) in enumerate(PAGES)
]
home_alias = st.Page(PAGES[0][0], title=ui.tr(PAGES[0][2]), icon=PAGES[0][3], url_path=PAGES[0][1])
selected = st.navigation([*pages, home_alias], position="hidden")
# After st.navigation, never before: the width report below may ask for a rerun as soon as it is
# drawn, and the browser sends that rerun for the page it was last told about. Before the
# navigation message arrives that is the app's main script, which st.navigation answers with the
# home page: a phone opening /funds landed on the Overview, its address rewritten to "/".
ui.watch_screen()  # phone or wide: the browser's width, for the table and chart helpers (ui.layout)
url = PAGES[0][1] if selected is home_alias else next(meta[1] for page, meta in zip(pages, PAGES) if page is selected)
presenting = ui.presenting(current)


def draw_sidebar() -> None:
    """Language, the page links in their sections, the filters; sign-out."""
    by_url = {meta[1]: page for page, meta in zip(pages, PAGES) if meta in shown}
    named = [u for urls in NAV_SECTIONS.values() for u in urls]
    sections = [(ui.tr(key), [by_url[u] for u in urls if u in by_url]) for key, urls in NAV_SECTIONS.items()]
    sections.append(("", [page for u, page in by_url.items() if u not in named]))
    ui.sidebar([(title, [(page, page.icon) for page in section]) for title, section in sections if section])
    if not who.single_user:
        st.sidebar.button(ui.tr("people.sign_out"), on_click=st.logout, key="people_sign_out",
                          icon=":material/logout:")


if not may_open(url):
    # Its address typed, or kept from when they held the role: said in their language and audited
    # as refused by the policy; the page itself is not run.
    draw_sidebar()
    try:
        policy.require(ui.base_store(), who, PAGE_ACTIONS[url], what=f"page /{url}")
    except Problem:
        title = next(meta[2] for meta in PAGES if meta[1] == url)
        st.error(ui.tr("page.refused", page=ui.tr(title)), icon=":material/lock:")
        st.stop()

# The page first, then the frame around it: the sidebar (links, eight filters) and the toolbar
# take a tenth of a second to run and more to draw, and a browser showed the first number only
# after them (issue 22 item 9). The toolbar keeps its place at the top: its row is made before the
# page and filled after it. A page that ends early says so with `ui.end_page()` (not st.stop(),
# after which nothing more can be drawn), so it still gets its sidebar and date filter.
if presenting:  # the page runs as one slide (pilotdash/ui/slides.py)
    stage = meetings.present_frame(url)
else:
    tools = meetings.toolbar_row()
    stage = contextlib.nullcontext()
ui.begin_report()
try:
    with stage, ui.frame():
        try:
            selected.run()
        except Problem as exc:  # the hosted store's database went away during the page: retry
            if not exc.retry:
                raise
            ui.retry_store(exc)
finally:  # also after a page's error (shown by Streamlit), not after st.stop() or st.rerun()
    if not presenting:
        draw_sidebar()
        meetings.toolbar(tools, selected, url)
        meetings.report_button(tools, url)
