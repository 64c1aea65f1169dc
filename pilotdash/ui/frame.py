"""What every page opens with: who may see it (`gate`: the sign-in page, or a notice for a person
the dashboard does not know), its header (title, who is signed in or the single-user line, filters
in words, demo marker, link notices), and the way out when the filters match no pilot."""

from __future__ import annotations

import streamlit as st

from ..filters import Notice, ViewState
from ..i18n import t
from ..reference import provinces
from . import slides
from .data import as_of, current_scope, person, query, store
from .state import _NOTICES, presenting, reset_filters, state, tr


def header(title_key: str) -> ViewState:
    """Title, the filters in words, who is signed in and in which scope, the demo-data marker and
    any notices about the link. On a slide no title and no demo marker: its one title line states
    the page and the filters (ui/slides.py); who, the scope and the notices stay."""
    if _outside_the_frame():
        return _reload_in_the_frame()
    current = state()
    if presenting(current):  # under the slide's one title line: the scope, the link's notices
        # Not who is signed in (a session notice the room need not read on every slide); a
        # narrower scope stays, since every figure on the slide is over its pilots only.
        if not current_scope().is_national:
            with slides.notes(boxes=1):
                scope_line(current.lang)
        slides.notices()
        return current
    st.title(tr(title_key))
    st.caption(current.describe(current.lang, as_of(current)))
    # Who, the scope and the demo marker: on a phone after the page's key numbers, not before
    # them (styles.SCREEN_CSS moves this box to the end of the page there).
    with st.container(key="pd_page_notes", gap="small"):
        who_line(current.lang)
        scope_line(current.lang)
        if store().meta("is_demo") == "1":
            st.info(tr("common.demo_marker"), icon=":material/science:")
    for notice in st.session_state.pop(_NOTICES, []):
        st.warning(notice.text(current.lang) if isinstance(notice, Notice) else str(notice),
                   icon=":material/link_off:")
    return current


def _outside_the_frame() -> bool:
    """Whether Streamlit ran this page's file on its own, without app.py. It does so on a fresh
    server process until some session has called st.navigation: until then it takes pages/ for
    its old automatic pages (streamlit 1.67, `PagesManager.uses_pages_directory`, which only
    st.navigation turns off), and the first visitor's link to /funds showed the page with no
    sidebar, no toolbar and no sign-in gate."""
    from streamlit.runtime.pages_manager import PagesManager

    # Only for a browser (its session has the HTTP headers; AppTest's has none): the page tests
    # (tests/pages, `switch_page`) run the page file on its own as they always have (widgets
    # driven there inside the frame did not answer; left for a follow-up, see issue 22's report).
    return bool(PagesManager.uses_pages_directory) and bool(st.context.headers.get("host"))


def _reload_in_the_frame() -> None:
    """Turn the old automatic pages off for this server process (what st.navigation does) and
    run again: the rerun keeps the page's hash, which is the hash of its url path both ways, so
    app.py's st.navigation opens the same page inside the frame. Draws nothing. Never returns."""
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    st.rerun()


def gate():
    """The signed-in, enabled person (or the single user); otherwise this run ends here, having
    drawn the sign-in page (signed out) or, for someone signed in whom `people` does not know or
    has disabled, a notice to ask their admin, and nothing else. Before the view state is read:
    a signed-out visitor's link is kept in the address bar for after the sign-in."""
    from ..access import auth_configured
    from ..i18n import DEFAULT_LANG, LANGS
    from ..people import signed_in_email

    who = person()
    if who is not None:
        return who
    asked = st.query_params.get("lang")
    lang = asked if asked in LANGS else DEFAULT_LANG
    if not auth_configured():  # cannot happen: single-user mode always has its user
        st.stop()
    email = signed_in_email()
    st.title(t("app.title", lang))
    if email is None:
        st.subheader(t("people.sign_in_title", lang))
        st.write(t("people.sign_in_text", lang))
        st.button(t("people.sign_in", lang), on_click=st.login, type="primary", key="people_sign_in",
                  icon=":material/login:")
    else:
        st.warning(t("people.unknown", lang, email=email), icon=":material/person_off:")
        st.button(t("people.sign_out", lang), on_click=st.logout, key="people_sign_out",
                  icon=":material/logout:")
    st.stop()


def who_line(lang: str) -> None:
    """Single-user mode says so on every page; otherwise who is signed in, in which scope."""
    who = person()
    if who is None:
        return
    if who.single_user:
        st.caption(t("people.single_user_line", lang, user=who.name), help=t("people.single_user_help", lang))
    else:
        st.caption(t("people.signed_in_line", lang, name=who.name, email=who.email,
                     scope=who.scope.describe(lang)))


def scope_counts() -> tuple[int, int, int]:
    """(visible pilots, visible provinces, provinces of the programme) for the person's scope."""
    pilots, seen = store().rows(
        "SELECT (SELECT count(*) FROM projects), (SELECT count(DISTINCT province_code) FROM projects)")[0]
    return int(pilots), int(seen), len(provinces())


def scope_line(lang: str) -> None:
    """For a person with a narrower scope than national: every total, belt and national figure on
    the page is over the visible pilots only, and the page says so ("3 of 31 provinces")."""
    scope = current_scope()
    if scope.is_national:
        return
    pilots, seen, total = scope_counts()
    st.info(t("scope.figures_over", lang, scope=scope.describe(lang), pilots=pilots, seen=seen, total=total),
            icon=":material/visibility_lock:")


def require_pilots(current: ViewState) -> bool:
    """False, with a clear message and a way out, when the filters match no pilot."""
    counts = query("projects_by_belt_phase", current)
    if counts["projects"].sum() > 0:
        return True
    st.warning(tr("common.no_match"), icon=":material/filter_alt_off:")
    if st.button(tr("sidebar.reset"), key="btn_reset_empty", type="primary"):
        reset_filters()
    return False
