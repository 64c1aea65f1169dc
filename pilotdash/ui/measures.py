"""Measures as the registry (`pilotdash.measures`) says to show them: a value's text, a
headline number with its change, a table column of the right kind."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..i18n import fmt_money, fmt_pct
from ..measures import MEASURES
from .report import change_metric, metric
from .state import lang, tr
from .tables import money_column, pilot_columns, rate_column
from .text import count, health_badge


def measure_text(code: str, value: object) -> str:
    """`value` of measure `code` as a headline shows it: 1,234 / 12.3% / 1,234.56 万元."""
    kind = MEASURES[code].kind
    if kind == "pct":
        return fmt_pct(value, lang())
    if kind == "money":
        return fmt_money(value, lang())
    return count(value)


def measure_label(code: str) -> str:
    return tr(MEASURES[code].label)


def headline(column, code: str, now: pd.Series, before: pd.Series | None = None, *, help: str | None = None,
             group: str = "") -> None:
    """Measure `code` of the row `now` as a headline number in `column` (recorded in the view's
    report), with its change since the row `before` when given; `help` overrides its own."""
    measure = MEASURES[code]
    help = help if help is not None else (tr(measure.help) if measure.help else None)
    text = measure_text(code, now[code])
    if before is None:
        metric(column, tr(measure.label), text, help=help, group=group)
    else:
        change_metric(column, tr(measure.label), text, now[code], before[code], measure.kind,
                      worse_when_up=measure.worse_when_up, help=help)


def measure_column(code: str) -> st.column_config.Column:
    """The table column for measure `code`: counts as numbers (health counts with their shape),
    ratios as one-decimal percentage bars, money in 万元 with two decimals."""
    measure = MEASURES[code]
    if measure.kind == "money":
        return money_column(measure.label)
    if measure.kind == "pct":
        return rate_column(measure.label)
    return st.column_config.NumberColumn(health_badge(measure.health) if measure.health else tr(measure.label))


def measure_columns(*codes: str) -> dict[str, st.column_config.Column]:
    """`measure_column` of each code, keyed by the code (the query's column), for `ui.table`."""
    return {code: measure_column(code) for code in codes}


def columns(*names: str, **own: st.column_config.Column) -> dict[str, st.column_config.Column]:
    """A table's column_config from names: the pilot columns (`link`, `name`, `belt`, ...), then
    registered measures (`spent`, `utilisation`, ...), then the page's `own` columns, in order."""
    shared = pilot_columns()
    config = {name: shared[name] if name in shared else measure_column(name) for name in names}
    config.update(own)
    return config
