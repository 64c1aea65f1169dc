"""The view state and its URL: the URL is the single source of the view. Each run parses
`st.query_params` into a `ViewState` (dropping what is invalid, with a visible notice), and a
change writes the new canonical parameters back, so the address bar is always a shareable link.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
from collections.abc import Sequence
from urllib.parse import quote_plus

import pandas as pd
import streamlit as st

from ..filters import ViewState, page_url, parse
from ..i18n import t
from ..errors import Problem
from .data import current_scope, forget_scope, options

RETRY_SECONDS = 2.0  # a page the store could not answer loads again after this long


_STATE = "_view_state"


_NOTICES = "_view_notices"


def _raw_params() -> dict[str, list[str]]:
    return {k: st.query_params.get_all(k) for k in st.query_params.keys()}


def load_state() -> ViewState:
    """Parse the URL into this run's view state; invalid parts become notices and are
    dropped from the address bar, so the link that remains is the view shown."""
    forget_scope()  # a new run: the person's scope is looked up again (an admin may have changed it)
    try:
        opts = options()
        scoped = not current_scope().is_national
    except Problem as exc:
        # Another process holds the store (a second server, a CLI build), or the hosted store's
        # database is down: say so, in both languages since the language itself is in the
        # unreadable part. What may work a moment later (`retry`) is retried by itself.
        if exc.retry:
            retry_store(exc)
        st.error(f"{exc.markdown('zh')}\n\n{exc.markdown('en')}")
        st.stop()
    state, notices = parse(_raw_params(), opts, scoped)
    st.session_state[_STATE] = state
    if notices:
        st.session_state[_NOTICES] = notices
        write_url(state)
    return state


def retry_store(exc: Problem) -> None:
    """The store cannot answer now but may a moment later (`exc.retry`: the hosted store's
    database is not answering, or a long write elsewhere): say so in both languages and have the
    browser load the same address again after RETRY_SECONDS, until the store is back. (A reload
    rather than st.rerun: a rerun asked for before st.navigation has run lands
    on the home page, and this may happen that early.) Never returns."""
    import streamlit.components.v1 as components

    st.warning(f"{exc.markdown('zh')}\n\n{exc.markdown('en')}", icon=":material/hourglass_top:")
    logging.getLogger(__name__).warning("store unavailable, retrying in %s s: %s", RETRY_SECONDS, exc.values or exc)
    delay = int(RETRY_SECONDS * 1000)
    components.html(f"<script>setTimeout(() => window.parent.location.reload(), {delay});</script>", height=0)
    st.stop()


# A deferred download runs after its page run, outside it (no session, no URL, no sign-in):
# what it draws is the view of the run that drew its button, handed over by `view_of_run`.
_RUN_VIEW: contextvars.ContextVar[ViewState | None] = contextvars.ContextVar("pilotdash_run_view", default=None)


@contextlib.contextmanager
def view_of_run(view: ViewState):
    """While a deferred download is made: `state()` is `view`, the view its button was drawn in."""
    token = _RUN_VIEW.set(view)
    try:
        yield
    finally:
        _RUN_VIEW.reset(token)


def state() -> ViewState:
    return _RUN_VIEW.get() or st.session_state.get(_STATE) or load_state()


def lang() -> str:
    return state().lang


def tr(key: str, **values: object) -> str:
    return t(key, lang(), **values)


def write_url(new: ViewState) -> None:
    st.session_state[_STATE] = new
    params = new.query_params()
    if dict(st.query_params.to_dict()) != params:
        st.query_params.from_dict(params)


def set_view(**changes: object) -> None:
    """Change part of the view (a filter, lang, as_of, a page parameter) and its URL."""
    write_url(state().replace(**changes))


def nav_params(new: ViewState | None = None, **extras: str) -> dict[str, str]:
    """URL parameters for a link to another page: the shared filters, plus `extras`."""
    base = (new or state())
    shared = ViewState(base.lang, base.as_of, base.filters,
                       {k: v for k, v in base.extras.items() if k == "present"})
    params = shared.query_params()
    params.update({k: v for k, v in extras.items() if v is not None})
    return params


def link(url_path: str, **extras: str) -> str:
    """A relative link to a page with the current filters, e.g. for a LinkColumn."""
    return page_url(url_path, nav_params(**extras))


def reset_filters() -> None:
    current = state()
    write_url(ViewState(current.lang, current.as_of, {}, {}))
    st.rerun()


def links(url_path: str, param: str, values: Sequence[str]) -> list[str]:
    """`link(url_path, param=value)` for each value, the shared filters worked out once."""
    base = nav_params()
    if param in base:
        return [link(url_path, **{param: v}) for v in values]
    prefix = page_url(url_path, {**base, param: ""})  # ends in "param=": each value goes after it
    plain = pd.Series(values, dtype="string")
    if len(plain) and plain.notna().all() and plain.str.fullmatch(r"[A-Za-z0-9_.~-]+").all():
        return (prefix + plain).tolist()  # nothing to quote: one vectorised concatenation
    return [prefix + quote_plus(str(v)) if v is not None else link(url_path) for v in values]


def presenting(current: ViewState | None = None) -> bool:
    """Presentation mode 演示模式 (`?present=1`): no sidebar, larger type, no download buttons."""
    return (current or state()).extra("present") == "1"
