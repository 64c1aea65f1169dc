"""Phases on a timeline, as Phase progress (many pilots) and Project (one pilot) draw them:
planned against actual per row, with the as-of date's line."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from .. import charts
from ..domain import ENUMS
from ..i18n import label
from .report import chart
from .state import lang, tr
from .text import date_text


def phase_gantt(timeline: pd.DataFrame, row_order: Sequence[str], as_of, name: str, title: str) -> None:
    """phase_timeline rows (column `row` names each chart row) in `row_order`."""
    language = lang()
    chart(charts.phase_gantt(
        timeline, "row", phase_labels={p: label("phase", p, language) for p in ENUMS["phase"]},
        planned_label=tr("phases.planned"), actual_label=tr("phases.actual"), row_title=None,
        date_title=tr("phases.date"), phase_title=tr("filter.phase"), as_of=as_of,
        as_of_label=tr("phases.as_of_line", date=date_text(as_of)), row_order=list(row_order), lang=language),
        name, title)
