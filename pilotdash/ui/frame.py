"""What every page opens with: its header (title, filters in words, demo marker, link notices),
and the way out when the filters match no pilot."""

from __future__ import annotations

import streamlit as st

from ..filters import Notice, ViewState
from ..i18n import t
from ..reference import provinces
from .data import as_of, current_scope, query, store
from .state import _NOTICES, presenting, reset_filters, state, tr


def header(title_key: str) -> ViewState:
    """Title, the filters in words, the demo-data marker and any notices about the link."""
    current = state()
    st.title(tr(title_key))
    if not presenting(current):  # the presentation's title line already states the filters
        st.caption(current.describe(current.lang, as_of(current)))
    scope_line(current.lang)
    if store().meta("is_demo") == "1":
        st.info(tr("common.demo_marker"), icon=":material/science:")
    for notice in st.session_state.pop(_NOTICES, []):
        st.warning(notice.text(current.lang) if isinstance(notice, Notice) else str(notice),
                   icon=":material/link_off:")
    return current


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
