"""Counts per belt stacked by an enumeration's codes (pilots by phase or health, milestones by
state): one chart, drawn the same on Overview, Regions and Phase progress."""

from __future__ import annotations

import pandas as pd

from .. import charts
from ..domain import ENUMS
from ..i18n import label
from .report import chart
from .state import lang
from .text import words


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
