"""The Tasks page's download of the deviation report 偏差分析报告 (pilotdash.tasks.deviation): a month
(the `month` URL parameter, one of the twelve up to the as-of date's), as Word and as printable
HTML, for the view's filters and the person's scope; each download audited as a report."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from ..tasks import deviation
from .data import store
from .report import audited
from .report import download as download_button
from .state import lang, tr
from .widgets import bound


def months(as_of: dt.date, n: int = 12) -> list[str]:
    """The n months up to the as-of date's, newest first, as YYYY-MM."""
    year, month = as_of.year, as_of.month
    out = []
    for _ in range(n):
        out.append(f"{year:04d}-{month:02d}")
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return out


def download(view, as_of: dt.date) -> None:
    language = lang()
    choices = months(as_of)
    month = bound(st.selectbox, "month", choices, key="tasks_report_month", label_text=tr("report.month"),
                  default=choices[0])
    since, until = deviation.month_period(month)
    until = min(until, as_of)  # the report is as of a day the data has
    scope = {"belt": list(view.get("belt")) or None, "province": list(view.get("province")) or None}
    limited = store()

    def make() -> deviation.Deviation:
        return deviation.build(limited, since, until, language, **scope)

    stem = f"deviation_{month}_{language}"
    left, right = st.columns(2)
    download_button(left, tr("report.download_docx"), audited("report", f"{stem}.docx", lambda: make().docx),
                    file_name=f"{stem}.docx", icon=":material/description:", key="tasks_report_docx",
                    mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    download_button(right, tr("report.download_html"),
                    audited("report", f"{stem}.html", lambda: make().html.encode("utf-8")),
                    file_name=f"{stem}.html", mime="text/html", icon=":material/print:",
                    key="tasks_report_html")
