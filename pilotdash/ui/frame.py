"""What every page opens with: its header (title, filters in words, demo marker, link notices),
and the way out when the filters match no pilot."""

from __future__ import annotations

import streamlit as st

from ..filters import Notice, ViewState
from . import slides
from .data import as_of, query, store
from .state import _NOTICES, presenting, reset_filters, state, tr


def header(title_key: str) -> ViewState:
    """Title, the filters in words, the demo-data marker and any notices about the link. On a
    slide only the notices: its one title line states the page and the filters (ui/slides.py)."""
    current = state()
    if presenting(current):
        slides.notices()
        return current
    st.title(tr(title_key))
    st.caption(current.describe(current.lang, as_of(current)))
    if store().meta("is_demo") == "1":
        st.info(tr("common.demo_marker"), icon=":material/science:")
    for notice in st.session_state.pop(_NOTICES, []):
        st.warning(notice.text(current.lang) if isinstance(notice, Notice) else str(notice),
                   icon=":material/link_off:")
    return current


def require_pilots(current: ViewState) -> bool:
    """False, with a clear message and a way out, when the filters match no pilot."""
    counts = query("projects_by_belt_phase", current)
    if counts["projects"].sum() > 0:
        return True
    st.warning(tr("common.no_match"), icon=":material/filter_alt_off:")
    if st.button(tr("sidebar.reset"), key="btn_reset_empty", type="primary"):
        reset_filters()
    return False
