"""The query layer's cache (pilotdash/ui/data.py `query`): one result per parameters and data
version, handed to each page as its own copy-on-write copy."""

import pandas as pd
import streamlit as st

from pilotdash import ui
from tests import fixtures


def test_a_page_changing_its_rows_never_changes_what_the_next_page_gets(fixture_store_path):
    st.cache_resource.clear()
    try:
        first = ui.query("project_list", as_of=fixtures.AS_OF)
        kept = first.copy(deep=True)
        first.loc[first.index[0], "health"] = "changed"
        first["name_en"] = first["name_en"].str.upper()
        first["extra"] = 1
        again = ui.query("project_list", as_of=fixtures.AS_OF)
        pd.testing.assert_frame_equal(again, kept)
        assert again is not first
    finally:
        st.cache_resource.clear()


def test_a_data_change_is_never_answered_from_the_cache(fixture_store_path):
    st.cache_resource.clear()
    try:
        before = ui.query("project_list", as_of=fixtures.AS_OF)
        with ui.store().writing() as cur:
            cur.execute("UPDATE projects SET name_en = 'Renamed' WHERE project_id = 'A'")
        after = ui.query("project_list", as_of=fixtures.AS_OF)
        assert "Renamed" not in set(before["name_en"])
        assert after.set_index("project_id").loc["A", "name_en"] == "Renamed"
    finally:
        st.cache_resource.clear()
