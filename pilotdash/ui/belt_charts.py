"""The belts side by side: counts per belt stacked by an enumeration's codes (pilots by phase or
health, milestones by state; one chart, drawn the same on Overview, Regions and Phase progress),
a rate per belt, and a card of headline numbers per belt."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from .. import charts
from ..domain import ENUMS
from ..i18n import fmt_money, label
from ..measures import MEASURES
from .measures import headline
from .report import chart
from .state import lang, tr
from .text import health_badge, words


def belt_bars(frame: pd.DataFrame, value: str, series: str, field: str, colours: dict[str, str], *, name: str,
              title: str, value_title: str, series_title: str, category_title: str | None = None) -> object:
    """A bar per belt (column `belt`, east to west) of `value`, stacked by the codes of enumeration
    `field` in column `series`, drawn through `ui.chart` as `name` (its report entry `title`)."""
    language = lang()
    shown = frame.assign(belt_label=words(frame["belt"], lambda b: label("belt", b, language)),
                         **{f"{series}_label": words(frame[series], lambda c: label(field, c, language))})
    return chart(charts.stacked_bar(
        shown, "belt_label", value, f"{series}_label", colours=colours,
        series_labels={c: label(field, c, language) for c in ENUMS[field]}, category_title=category_title,
        value_title=value_title, series_title=series_title,
        category_order=[label("belt", b, language) for b in ENUMS["belt"]]), name, title)


def belt_rate(frame: pd.DataFrame, code: str, *, colour: str | None = None, target: float | None = None,
              target_label: str | None = None, cap: float = 1.0) -> object:
    """A bar per belt (region_summary rows, east to west) of rate measure `code`, its name from the
    registry; a belt with no rate (an empty denominator) has no bar."""
    language = lang()
    shown = frame.dropna(subset=[code]).assign(
        belt_label=lambda f: words(f["belt"], lambda b: label("belt", b, language)))
    title = tr(MEASURES[code].label)
    return chart(charts.rate_bars(
        shown, "belt_label", code, target=target, category_title=None, rate_title=title,
        category_order=[label("belt", b, language) for b in ENUMS["belt"]], cap=cap, target_label=target_label,
        **({"colour": colour} if colour else {})).properties(height=170), f"{code}_by_belt", title)


def belt_cards(regions: pd.DataFrame) -> None:
    """A card per belt (region_summary rows): its pilots, utilisation and share of targets met as
    headline numbers, and its red, amber and green counts with their shapes."""
    language = lang()
    for card, (_, row) in zip(st.columns(len(regions)), regions.iterrows()):
        name = label("belt", row.belt, language)
        with card.container(border=True):
            st.markdown(f"**{name}**")
            top = st.columns(3)
            headline(top[0], "projects", row, group=name)
            headline(top[1], "utilisation", row, group=name,
                     help=tr("regions.utilisation_help", spent=fmt_money(row.spent, language),
                             allocated=fmt_money(row.allocated, language)))
            headline(top[2], "share_met", row, group=name)
            st.markdown(" · ".join(f"{health_badge(h)} **{getattr(row, h)}**" for h in ENUMS["health"]))
