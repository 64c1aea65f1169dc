"""The Project page's choice of one pilot: the `project` URL parameter checked against the
person's scope, and the chooser of the pilots the filters match (searchable by id and name)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .data import current_scope, query
from .row_words import pilot_choice, pilot_choices
from .state import set_view, tr
from .text import plain

# A national programme has tens of thousands of pilots: the list sent to the browser holds at
# most CHOOSER_LIMIT of them, those matching a search when there are more.
CHOOSER_LIMIT = 500


def chosen_pilot(chosen: str | None, as_of) -> tuple[str | None, pd.DataFrame | None]:
    """The pilot `chosen` (the URL's) with its project_facts row, or (None, None) with a notice
    when it is not there. Outside a person's scope a pilot is treated as not there (whether it
    exists elsewhere is not said): only the notice, no row of it."""
    if not chosen:
        return None, None
    facts = query("project_facts", None, as_of=as_of, project=chosen)
    if facts.empty:
        key = "project.unknown" if current_scope().is_national else "scope.project_outside"
        st.warning(tr(key, id=plain(chosen)), icon=":material/search_off:")
        set_view(project=None, indicator=None)
        return None, None
    return chosen, facts


def pilot_chooser(listed: pd.DataFrame, chosen: str | None, facts: pd.DataFrame | None) -> None:
    """The chooser of the pilots `listed` (project_list), plus the one shown; choosing writes
    the URL's `project` (and forgets its chosen indicator)."""
    names = pilot_choices(listed)
    if len(names) > CHOOSER_LIMIT:
        search = st.text_input(tr("project.search"), key="w_project_search",
                               placeholder=tr("project.search_placeholder")).strip().casefold()
        matching = [p for p, n in names.items() if search in n.casefold()] if search else list(names)
        shown = min(len(matching), CHOOSER_LIMIT)
        st.caption(tr("project.chooser_limited", shown=shown, total=len(matching)))
        names = {p: names[p] for p in matching[:CHOOSER_LIMIT]}
    if chosen and chosen not in names:
        names = {chosen: pilot_choice(facts.iloc[0]), **names}
    st.session_state["w_project"] = chosen
    st.selectbox(tr("project.choose"), list(names), key="w_project", format_func=names.get,
                 placeholder=tr("project.choose_placeholder"),
                 on_change=lambda: set_view(project=st.session_state["w_project"], indicator=None))
