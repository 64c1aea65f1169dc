"""A page's headline numbers as the registry lists them (`pilotdash.measures.HEADLINES`): the
page names its row of numbers, the registry says which measures stand in it, so a measure added
to a page's headlines needs no change to the page."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..measures import HEADLINES, MEASURES
from .layout import let_numbers_show
from .measures import headline


def headline_codes(page: str) -> list[str]:
    """Every measure `page` shows as a headline, row by row, left to right."""
    return [code for row in HEADLINES[page] for code in row]


def headlines(page: str, now: pd.Series, before: pd.Series | None = None, *,
              fiscal_before: pd.Series | None = None, helps: dict[str, str] | None = None,
              fiscal_help: str | None = None) -> None:
    """Page `page`'s headline numbers of the row `now` (a row of overview_totals), a row of
    columns per registry row. With `before`, each shows its change since then; a measure counted
    per fiscal year (money) against `fiscal_before` instead, when given, with `fiscal_help` as
    its help unless `helps` gives its own."""
    helps = helps or {}
    for row in HEADLINES[page]:
        for column, code in zip(st.columns(len(row)), row):
            fiscal = MEASURES[code].per_fiscal_year and fiscal_before is not None
            headline(column, code, now, fiscal_before if fiscal else before,
                     help=helps.get(code, fiscal_help if fiscal else None))
    let_numbers_show()  # a fresh browser's first view: the numbers alone for a moment (ui/layout.py)
