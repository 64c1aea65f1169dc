"""The Regions page's drill-down, belt → its provinces → a province's cities → a city's counties and
pilots (ui/place_tables.py draws the cities and counties), written to the view's
filters (so every step is a URL): the widgets' callbacks, each reading its widget by key."""

from __future__ import annotations

import streamlit as st

from .data import options
from .state import set_view, state


def focus_belt(key: str) -> None:
    """Drill from the belts into the one chosen in widget `key` (none: every belt)."""
    chosen = st.session_state[key]
    set_view(belt=(chosen,) if chosen else (), province=())


def focus_province(code: str | None) -> None:
    """Drill into one province's pilots (the province filter), keeping a belt filter that holds it;
    None goes back to every province."""
    if not code:
        set_view(province=(), city=())
        return
    belt = options().province_belt.get(code)
    belts = state().get("belt")
    set_view(province=(code,), belt=belts if (not belts or belt in belts) else (belt,),
             city=tuple(c for c in state().get("city") if c[:2] == code))


def focus_city(code: str | None) -> None:
    """Drill into one city's counties and pilots (the city filter, with its province); None goes
    back to the province's cities."""
    set_view(city=(code,) if code else (), **({"province": (code[:2],)} if code else {}))


def on_province_pick(key: str) -> None:
    focus_province(st.session_state[key])


def on_map_click(key: str) -> None:
    """A click on the map's province tile (its selection parameter `province`)."""
    picked = st.session_state[key].selection.get("province", [])
    if picked:
        focus_province(picked[0].get("province_code"))


def on_table_select(key: str, codes: list[str]) -> None:
    """A row chosen in the province table `key`, whose rows are the provinces `codes`."""
    rows = st.session_state[key].selection.rows
    if rows:
        focus_province(codes[rows[0]])
