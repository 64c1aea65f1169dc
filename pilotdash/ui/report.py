"""Headline numbers, charts and downloads, each also recorded in the view's report."""

from __future__ import annotations

import dataclasses
import functools
import mimetypes
from collections.abc import Callable

import pandas as pd
import streamlit as st

from .. import audit, exports
from ..hosting import media
from . import layout
from ..i18n import fmt_money_delta
from . import slides
from .data import as_of, base_store, person, store
from .state import lang, presenting, state, tr, view_of_run


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Chinese text correctly."""
    return exports.csv_bytes(frame)


def audited(action: str, what: str, make: Callable[[], object]) -> Callable[[], object]:
    """`make` for a download button, recording one audit entry (who, the file, their scope, the
    view's filters) each time the browser fetches the file: a deferred download runs `make` then,
    outside the page run, so who and the store are taken now."""
    who, store, view = person(), base_store(), state()
    filters = view.query_params()

    def run() -> object:
        with view_of_run(view):  # links and words in the file are the drawn view's
            data = make()
        if who is not None:
            audit.record(store, who.email, action, what, who.scope, {"filters": filters})
        return data

    return run


def download(where, label: str, data: object, *, file_name: str, mime: str | None = None, **kwargs: object):
    """`where.download_button` (`st` or a column), its media type tagged with the browser's routing
    cookie (pilotdash/hosting/media.py): behind the proxy the file is then served to this browser
    only. Every download button goes through here."""
    kind = mime or mimetypes.guess_type(file_name)[0] or "application/octet-stream"
    cookie = st.context.cookies.get(media.ROUTE_COOKIE)
    cookie = cookie if isinstance(cookie, str) else None  # a test run's context has no real cookies
    return where.download_button(label, data, file_name=file_name, mime=media.tagged(kind, cookie), **kwargs)


def change_metric(column, label_text: str, value: str, now: object, before: object, kind: str,
                  *, worse_when_up: bool = False, help: str | None = None) -> None:
    """A headline number with its change since `before`: `kind` "count", "pct" (in percentage
    points) or "money". No delta when either side is "—"; a change that shows as zero is a grey
    "no change" without an arrow (a green ↑ on +0 reads as good news)."""
    if pd.isna(now) or pd.isna(before):
        metric(column, label_text, value, help=help)
        return
    if kind == "count":
        change = int(now) - int(before)
        text = f"{change:+,}"
    elif kind == "pct":
        change = round((float(now) - float(before)) * 100, 1)
        text = tr("common.pct_points", value=f"{change:+.1f}")
    else:
        change = float(now) - float(before)
        text = fmt_money_delta(now, before, lang())
    if change == 0 or text is None:
        metric(column, label_text, value, tr("common.no_change"), delta_color="off", delta_arrow="off", help=help)
    else:
        metric(column, label_text, value, text, delta_color="inverse" if worse_when_up else "normal", help=help)


def metric(column, label_text: str, value: str, delta: str | None = None, *, group: str = "",
           **metric_kwargs: object) -> None:
    """st.metric in `column`, its label, value and change also in the view's report: headline
    numbers drawn one after another (with the same `group`, a heading such as a belt) make one
    block there. While presenting, the slide takes it (ui/slides.py)."""
    if slides.number(column, label_text, value, delta, group=group, **metric_kwargs):
        return
    column.metric(label_text, value, delta, **metric_kwargs)
    items = st.session_state.setdefault(_REPORT, {})
    last = next(reversed(items), None)
    shown = (label_text, str(value), delta or "")
    if last is not None and last.startswith("metrics:") and items[last].title == group:
        items[last] = dataclasses.replace(items[last], metrics=items[last].metrics + (shown,))
    else:
        items[f"metrics:{len(items)}"] = exports.Item(group, metrics=(shown,))


_REPORT = "_report_items"


def begin_report() -> None:
    """Start this run's list of what the page draws (app.py, before the page runs)."""
    st.session_state[_REPORT] = {}


def report_items() -> list[exports.Item]:
    """The charts and tables the page drew in this run, in order, for the view's report."""
    return list(st.session_state.get(_REPORT, {}).values())


def _record(name: str, item: exports.Item) -> None:
    # Keyed by name: a fragment rerun replaces its own items instead of adding them again.
    st.session_state.setdefault(_REPORT, {})[name] = item


def chart(altair_chart, name: str, title: str | None = None, **altair_kwargs: object) -> object:
    """An Altair chart with PNG and SVG downloads under it (rendered on the server only when
    clicked), recorded for the view's report under `title` (or `name`, the file stem).
    `name` must be unique on its page; `altair_kwargs` go to st.altair_chart (key, on_select,
    selection_mode), whose result is returned. While presenting, the slide takes it (ui/slides.py)."""
    if presenting():
        return slides.chart(altair_chart, name, title, **altair_kwargs)
    shown = st.altair_chart(layout.for_screen(altair_chart), width="stretch", **altair_kwargs)
    # Made only when a download or the report asks: as long again as drawing the chart itself.
    spec = functools.cache(lambda: exports.chart_spec(altair_chart))
    _record(f"chart:{name}", exports.Item(title or name, chart=spec))
    stem = f"{name}_{as_of(state()).isoformat()}"
    # A downloaded chart says what it is (issue 22 item 5): title, filters and as-of date, source.
    colon = "：" if lang() == "zh" else ": "
    source = f"{tr('meetings.report_source')}{colon}{tr('app.title')}" + (
        f" · {tr('meetings.source_demo')}" if store().meta("is_demo") == "1" else "")
    lines = [state().describe(lang(), as_of(state())), source]
    exported = functools.cache(lambda: exports.captioned(spec(), title or name, lines))
    with st.container(horizontal=True, gap="small"):
        download(st, tr("common.download_png"), audited("export", f"{stem}.png", lambda: exports.chart_png(exported())),
                 file_name=f"{stem}.png",
                 mime="image/png", key=f"png_{name}", icon=":material/image:",
                 on_click="ignore", type="tertiary")
        download(st, tr("common.download_svg"), audited("export", f"{stem}.svg", lambda: exports.chart_svg(exported())),
                 file_name=f"{stem}.svg",
                 mime="image/svg+xml", key=f"svg_{name}", icon=":material/draw:",
                 on_click="ignore", type="tertiary")
    return shown


def table_downloads(frame: pd.DataFrame | Callable[[], pd.DataFrame], file_stem: str, key: str,
                    title: str | None = None, percent: frozenset[str] = frozenset()) -> None:
    """CSV (UTF-8 with BOM) and Excel downloads of `frame`, exactly as shown, and its place in
    the view's report. `frame` may be a function making it: then it is made only if a download
    or the report asks for it."""
    get = functools.cache(frame) if callable(frame) else (lambda: frame)
    _record(f"table:{key}", exports.Item(title or file_stem, frame=get, percent=percent))
    if presenting():
        return
    stem = f"{file_stem}_{as_of(state()).isoformat()}"
    with st.container(horizontal=True, gap="small"):
        download(st, tr("common.download_csv"), audited("download", f"{stem}.csv", lambda: csv_bytes(get())),
                 file_name=f"{stem}.csv",
                 mime="text/csv", key=f"dl_{key}", icon=":material/download:", on_click="ignore")
        download(st, tr("common.download_xlsx"),
                 audited("download", f"{stem}.xlsx", lambda: exports.xlsx_bytes(get(), file_stem)),
                 file_name=f"{stem}.xlsx", key=f"xlsx_{key}", icon=":material/table_view:",
                 mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                 on_click="ignore")
