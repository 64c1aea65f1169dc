"""What every page opens with: who may see it (`gate`: the sign-in page, or a notice for a person
the dashboard does not know), its header (title, who is signed in or the single-user line, filters
in words, demo marker, link notices), and the way out when the filters match no pilot."""

from __future__ import annotations

import contextlib
import runpy
import sys

import streamlit as st

from .. import config, events
from ..filters import Notice, ViewState
from ..i18n import fmt_date as t_date
from ..i18n import t
from ..reference import provinces
from . import sign_in, slides
from .data import as_of, current_scope, person, query, store
from .state import _NOTICES, presenting, reset_filters, state, tr
from .text import plain


_FRAMED = "_page_in_frame"  # session key: set while app.py runs the chosen page


class PageEnded(Exception):
    """A page has said all it can (`end_page`); app.py goes on to draw the frame around it."""


@contextlib.contextmanager
def frame():
    """app.py runs the chosen page inside this, which `in_frame` looks for. A page's `end_page`
    ends here, and the frame is drawn after it."""
    st.session_state[_FRAMED] = True
    try:
        yield
    except PageEnded:
        pass
    finally:
        st.session_state.pop(_FRAMED, None)


def end_page() -> None:
    """End the page here (a date before any pilot, a pilot not started on it, the wall's one
    screen). Not st.stop(): app.py draws the sidebar and the toolbar after the page, so its first
    numbers reach the browser first (issue 22 item 9), and after st.stop() nothing more can be drawn
    in the run: a stopped page lost its sidebar and with it the date filter. A page run on its
    own (its own AppTest) has no frame after it, and stops."""
    if st.session_state.get(_FRAMED):
        raise PageEnded
    st.stop()


def in_frame() -> None:
    """Make sure this page runs inside app.py (the sign-in gate, sidebar, toolbar, the report).

    Streamlit still has its old way of serving a `pages/` folder beside the main script: until a
    process first calls `st.navigation`, a run whose address names a file of that folder runs
    the file alone and app.py not at all (the first request of a fresh server; every AppTest
    run). That run is recognised by being outside app.py's `frame` while the main script's
    module has run nothing; it then runs the main script in its place, in the same run (so a
    click or a form sent with it still counts): app.py's `st.navigation` picks this same page
    by its address and turns the old way off for good. A page run as the main script itself
    (its own AppTest) has run its imports and is left alone."""
    if st.session_state.get(_FRAMED):
        return
    main = sys.modules.get("__main__")
    if main is None or getattr(main, "__file__", None) is None:
        return
    if any(not name.startswith("__") for name in vars(main)):
        return
    runpy.run_path(main.__file__, run_name="__main__")
    st.stop()


def header(title_key: str, following: bool = True) -> ViewState:
    """Title, the filters in words, who is signed in and in which scope, the demo-data marker and
    any notices about the link. On a slide no title and no demo marker: its one title line states
    the page and the filters (ui/slides.py); who, the scope and the notices stay. `following=False`:
    a page that says itself that a change is being followed (the Data page's notice, which looks
    again and goes when it is done; this one would stay, since that page is not run again)."""
    in_frame()
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
        if following and events.following():  # an upload's scores and warnings still being updated
            st.caption(tr("data.following"))
    for notice in st.session_state.pop(_NOTICES, []):
        st.warning(notice.markdown(current.lang) if isinstance(notice, Notice) else plain(notice),
                   icon=":material/link_off:")
    return current


def gate():
    """The signed-in, enabled person (or the single user); otherwise this run ends here, having
    drawn the sign-in page (signed out) or, for someone signed in whom `people` does not know or
    has disabled, a notice to ask their admin, and nothing else. Before the view state is read:
    a signed-out visitor's link is kept in the address bar for after the sign-in."""
    from ..i18n import DEFAULT_LANG, LANGS
    sign_in.forget()  # the top of a page run: the person is read afresh once, for the whole run
    who = person()
    if who is not None:
        return who
    asked = st.query_params.get("lang")
    lang = asked if asked in LANGS else DEFAULT_LANG
    if not config.auth_configured():  # cannot happen: single-user mode always has its user
        st.stop()
    email = sign_in.signed_in_email()
    st.title(t("app.title", lang))
    if email is None and sign_in.email_unverified():  # signing in again would only come back here
        st.warning(t("people.email_unverified", lang), icon=":material/person_off:")
        st.button(t("people.sign_out", lang), on_click=st.logout, key="people_sign_out",
                  icon=":material/logout:")
    elif email is None:
        st.subheader(t("people.sign_in_title", lang))
        st.write(t("people.sign_in_text", lang))
        st.button(t("people.sign_in", lang), on_click=st.login, type="primary", key="people_sign_in",
                  icon=":material/login:")
    else:
        st.warning(t("people.unknown", lang, email=plain(email)), icon=":material/person_off:")
        st.button(t("people.sign_out", lang), on_click=st.logout, key="people_sign_out",
                  icon=":material/logout:")
    st.stop()


def who_line(lang: str) -> None:
    """Single-user mode says so on every page; otherwise who is signed in, in which scope."""
    who = person()
    if who is None:
        return
    if who.single_user:
        st.caption(t("people.single_user_line", lang, user=plain(who.name)),
                   help=t("people.single_user_help", lang))
    else:
        st.caption(t("people.signed_in_line", lang, name=plain(who.name), email=plain(who.email),
                     scope=who.scope.describe(lang)))


def scope_counts(on=None) -> tuple[int, int, int]:
    """(visible pilots, visible provinces, provinces of the programme) for the person's scope;
    with a date `on`, the pilots existing on it (measures.sql pilots_on), as every count for it."""
    if on is None:
        pilots, seen = store().rows(
            "SELECT (SELECT count(*) FROM projects), (SELECT count(DISTINCT province_code) FROM projects)")[0]
    else:
        pilots, seen = store().rows("SELECT count(*), count(DISTINCT province_code) FROM pilots_on(?)", [on])[0]
    return int(pilots), int(seen), len(provinces())


def scope_line(lang: str) -> None:
    """For a person with a narrower scope than national: every total, belt and national figure on
    the page is over the visible pilots only, and the page says so ("3 of 31 provinces")."""
    scope = current_scope()
    if scope.is_national:
        return
    pilots, seen, total = scope_counts(as_of(state()))
    st.info(t("scope.figures_over", lang, scope=scope.describe(lang), pilots=pilots, seen=seen, total=total),
            icon=":material/visibility_lock:")


def require_pilots(current: ViewState) -> bool:
    """False, with a clear message and a way out, when the filters match no pilot."""
    counts = query("projects_by_belt_phase", current)
    if counts["projects"].sum() > 0:
        return True
    day = as_of(current)
    if scope_counts(day)[0] == 0 and scope_counts()[0] > 0:
        # the date is before every pilot's start: no filter can help, a later date can
        st.warning(tr("common.none_started", date=t_date(day, current.lang)), icon=":material/event_busy:")
        return False
    st.warning(tr("common.no_match"), icon=":material/filter_alt_off:")
    if st.button(tr("sidebar.reset"), key="btn_reset_empty", type="primary"):
        reset_filters()
    return False
