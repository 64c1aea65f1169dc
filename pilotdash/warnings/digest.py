"""The digest 周报/月报: a period's new, escalated, overdue and resolved warnings, the pilots that
got worse, the headline numbers with their change, per belt; as a self-contained printable HTML
file and as an HTML e-mail. Chinese by default, English on request.

A digest covers the last complete calendar week (Monday to Sunday) or month on or before a day:
today in the programme's time zone, or the day `--as-of` names (a Sunday or a month's last day names
its own week or month). "New" means raised in the period (when it happened, in the programme's
time zone). The numbers are as of the period's last day; the change is against the day before it.
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass

import pandas as pd

from .. import named_queries
from ..domain import ENUMS
from ..i18n import fmt_date, fmt_pct, label, local_time, t, time_zone
from ..store import Store

PERIODS = ("week", "month")
KINDS = ("raised", "escalated", "overdue", "resolved")
SYMBOL = {"red": "✖", "orange": "▲", "yellow": "●"}
# The warning tables' columns: n = short, kept on one line; w = words, wrapping.
SHORT_COLUMNS = ("n", "n", "w", "n", "w", "n", "n", "w")


@dataclass
class Digest:
    period: str
    since: dt.date
    as_of: dt.date
    lang: str
    html: str
    counts: dict[str, int]
    worse: int

    @property
    def subject(self) -> str:
        return t(
            f"warn.digest.subject.{self.period}",
            self.lang,
            since=self.since.isoformat(),
            as_of=self.as_of.isoformat(),
        )


def period_bounds(period: str, on: dt.date) -> tuple[dt.date, dt.date]:
    """(first, last day) of the last complete calendar week (Monday–Sunday) or month ending on
    or before `on`."""
    if period == "week":
        end = on if on.weekday() == 6 else on - dt.timedelta(days=on.weekday() + 1)
        return end - dt.timedelta(days=6), end
    if period == "month":
        end = on if (on + dt.timedelta(days=1)).day == 1 else on.replace(day=1) - dt.timedelta(days=1)
        return end.replace(day=1), end
    raise ValueError(period)


def period_start(period: str, on: dt.date) -> dt.date:
    return period_bounds(period, on)[0]


def today() -> dt.date:
    """Today in the programme's time zone."""
    return local_time(dt.datetime.now(dt.timezone.utc)).date()


def utc_bounds(since: dt.date, end: dt.date) -> tuple[str, str]:
    """The period's days in the programme's time zone as UTC moments [from, to), ISO text."""
    zone = time_zone()

    def utc(day: dt.date) -> str:
        start = dt.datetime.combine(day, dt.time(), tzinfo=zone).astimezone(dt.timezone.utc)
        return start.replace(tzinfo=None).isoformat(sep=" ")

    return utc(since), utc(end + dt.timedelta(days=1))


def build(
    store: Store,
    period: str = "week",
    as_of: dt.date | None = None,
    lang: str = "zh",
    belt: list[str] | None = None,
    province: list[str] | None = None,
    project: list[str] | None = None,
) -> Digest:
    since, as_of = period_bounds(period, as_of or today())
    before = since - dt.timedelta(days=1)
    scope = {"belt": belt or None, "province": province or None}
    from_time, to_time = utc_bounds(since, as_of)
    rows = named_queries.run(
        store, "warnings_digest", {"as_of": as_of, "since": since, "from_time": from_time, "to_time": to_time,
                                   **scope, "project": project or None}
    )
    worse = named_queries.run(store, "health_changes", {"as_of": as_of, "since": before, **scope})
    worse = worse[worse["change"] == "worse"]
    if project:
        worse = worse[worse["project_id"].isin(project)]
    now = named_queries.run(store, "overview_totals", {"as_of": as_of, **scope}).iloc[0]
    then = named_queries.run(store, "overview_totals", {"as_of": before, **scope}).iloc[0]
    counts = {k: int((rows["kind"] == k).sum()) for k in KINDS}
    page = _html(period, since, as_of, lang, rows, worse, now, then)
    return Digest(period, since, as_of, lang, page, counts, len(worse))


def _esc(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def _name(row, lang: str) -> str:
    if lang == "en" and isinstance(row.get("name_en"), str) and row["name_en"]:
        return row["name_en"]
    return row["name_zh"]


def _change(now: object, then: object, kind: str, lang: str) -> str:
    if pd.isna(now) or pd.isna(then):
        return "—"
    if kind == "pct":
        change = round((float(now) - float(then)) * 100, 1)
        return t("common.pct_points", lang, value=f"{change:+.1f}") if change else t("common.no_change", lang)
    change = int(now) - int(then)
    return f"{change:+,}" if change else t("common.no_change", lang)


def _deviation_link(period: str, as_of: dt.date, lang: str) -> str:
    """The monthly digest points at the month's deviation report 偏差分析报告 on the Tasks page
    (issue 24), where it is downloaded as Word or printable HTML for the reader's scope."""
    if period != "month":
        return ""
    import urllib.parse

    from .notify import load_settings

    query = {"month": f"{as_of:%Y-%m}", "as_of": as_of.isoformat(), **({"lang": lang} if lang != "zh" else {})}
    url = f"{load_settings().base_url}/tasks?{urllib.parse.urlencode(query)}"
    colon = "：" if lang == "zh" else ": "
    return (f"<p class='meta'>{_esc(t('warn.digest.deviation', lang))}{colon}"
            f"<a href='{_esc(url)}'>{_esc(t('report.deviation_title', lang))}</a></p>")


def _html(period, since, as_of, lang, rows, worse, now, then) -> str:
    tr = lambda key, **v: t(key, lang, **v)  # noqa: E731 - the digest's language throughout
    title = tr(f"warn.digest.title.{period}")
    parts = [
        f"<h1>{_esc(title)}</h1>",
        f"<p class='meta'>{_esc(tr('warn.digest.period', since=fmt_date(since, lang), as_of=fmt_date(as_of, lang)))}</p>",
    ]
    # Headline numbers with their change since the day before the period.
    heads = [
        ("overview.projects", "projects", "count"),
        ("overview.red", "red", "count"),
        ("overview.amber", "amber", "count"),
        ("overview.green", "green", "count"),
        ("overview.utilisation", "utilisation", "pct"),
        ("overview.share_met", "share_met", "pct"),
        ("overview.overdue_milestones", "overdue_milestones", "count"),
    ]
    cells = []
    for key, field, kind in heads:
        value = (
            fmt_pct(now[field], lang)
            if kind == "pct"
            else (f"{int(now[field]):,}" if not pd.isna(now[field]) else "—")
        )
        cells.append(
            f"<td><div class='label'>{_esc(tr(key))}</div><div class='value'>{_esc(value)}</div>"
            f"<div class='delta'>{_esc(_change(now[field], then[field], kind, lang))}</div></td>"
        )
    parts.append(
        f"<h2>{_esc(tr('warn.digest.headline'))}</h2><table class='heads'><tr>{''.join(cells)}</tr></table>"
    )
    # Counts per kind and belt.
    header = "".join(f"<th>{_esc(tr(f'warn.digest.kind.{k}'))}</th>" for k in KINDS)
    body = []
    for belt in (*ENUMS["belt"], None):
        sel = rows if belt is None else rows[rows["belt"] == belt]
        name = tr("warn.digest.all_belts") if belt is None else label("belt", belt, lang)
        body.append(
            f"<tr{' class=total' if belt is None else ''}><th class='n'>{_esc(name)}</th>"
            + "".join(f"<td>{int((sel['kind'] == k).sum())}</td>" for k in KINDS)
            + "</tr>"
        )
    parts.append(
        f"<h2>{_esc(tr('warn.digest.by_belt'))}</h2><table><tr><th>{_esc(tr('filter.belt'))}</th>{header}</tr>"
        + "".join(body)
        + "</table>"
    )
    # Each kind's warnings.
    for kind in KINDS:
        sel = rows[rows["kind"] == kind]
        parts.append(f"<h2>{_esc(tr(f'warn.digest.kind.{kind}'))} ({len(sel)})</h2>")
        if sel.empty:
            parts.append(f"<p class='none'>{_esc(tr('warn.digest.none'))}</p>")
            continue
        # the short columns (number, level, belt, trigger, date) never wrap: printed, a narrow
        # column would otherwise break a Chinese word one character per line
        head = "".join(
            f"<th class='{SHORT_COLUMNS[i]}'>{_esc(tr(k))}</th>"
            for i, k in enumerate((
                "warn.col.warning",
                "warn.col.level",
                "warn.col.pilot",
                "filter.belt",
                "warn.col.condition",
                "warn.col.trigger",
                "warn.col.raised_on",
                "warn.col.owner",
            ))
        )
        lines = []
        for r in sel.to_dict("records"):
            trig = r["trigger_id"] or tr("warn.trigger.project")
            lines.append(
                "<tr>"
                + "".join(
                    f"<td class='{SHORT_COLUMNS[i]}'>{_esc(v)}</td>"
                    for i, v in enumerate((
                        f"#{int(r['warning_id'])}",
                        f"{SYMBOL.get(r['level'], '')} {label('warning_level', r['level'], lang)}",
                        f"{r['project_id']} {_name(r, lang)}",
                        label("belt", r["belt"], lang),
                        label("warning_condition", r["condition"], lang),
                        trig,
                        fmt_date(r["raised_on"], lang),
                        r["owner"] or "—",
                    ))
                )
                + "</tr>"
            )
        parts.append(f"<table><tr>{head}</tr>{''.join(lines)}</table>")
    # Pilots that got worse.
    parts.append(f"<h2>{_esc(tr('warn.digest.worse'))} ({len(worse)})</h2>")
    if worse.empty:
        parts.append(f"<p class='none'>{_esc(tr('warn.digest.none'))}</p>")
    else:
        lines = "".join(
            f"<tr><td>{_esc(r['project_id'])} {_esc(_name(r, lang))}</td><td class='n'>{_esc(label('belt', r['belt'], lang))}</td>"
            f"<td class='n'>{_esc(label('health', r['health_before'], lang))} → {_esc(label('health', r['health'], lang))}</td>"
            f"<td>{_esc(('；' if lang == 'zh' else '; ').join(t(f'reason.{x}', lang) for x in r['reasons']))}</td></tr>"
            for r in worse.to_dict("records")
        )
        parts.append(
            f"<table><tr><th>{_esc(tr('warn.col.pilot'))}</th><th>{_esc(tr('filter.belt'))}</th>"
            f"<th>{_esc(tr('warn.digest.health'))}</th><th>{_esc(tr('warn.digest.reasons'))}</th></tr>{lines}</table>"
        )
    style = (
        "body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;margin:2em;color:#222}"
        "table{border-collapse:collapse;margin:.5em 0 1.5em;width:100%}th,td{border:1px solid #bbb;"
        "padding:4px 8px;text-align:left;font-size:13px}th{background:#f2f2f2}.heads td{text-align:center}"
        "th.n,td.n{white-space:nowrap;word-break:keep-all}td.w{min-width:8em}@page{size:A4 landscape;margin:12mm}"
        ".label{font-size:12px;color:#555}.value{font-size:20px;font-weight:600}.delta{font-size:12px}"
        ".meta,.none{color:#555}tr.total{font-weight:600}@media print{body{margin:0}h2{page-break-after:avoid}}"
    )
    return (
        f"<!DOCTYPE html><html lang='{'zh-CN' if lang == 'zh' else 'en'}'><head><meta charset='utf-8'>"
        f"<title>{_esc(title)}</title><style>{style}</style></head><body>{''.join(parts)}"
        f"{_deviation_link(period, as_of, lang)}</body></html>"
    )


def email(made: Digest, sender: str, to: str):
    """The digest as an HTML e-mail (with a plain-text part that says what it is)."""
    from email.message import EmailMessage

    msg = EmailMessage()
    msg["Subject"] = made.subject
    msg["From"] = sender
    msg["To"] = to
    msg["Content-Language"] = "zh-CN" if made.lang == "zh" else "en"
    counts = ", ".join(f"{t(f'warn.digest.kind.{k}', made.lang)} {made.counts[k]}" for k in KINDS)
    msg.set_content(f"{made.subject}\n{counts}\n")
    msg.add_alternative(made.html, subtype="html")
    return msg
