"""Files a presenter takes away: charts as PNG and SVG, tables as CSV and xlsx, and the whole
view as one self-contained HTML report.

Everything is rendered here, on the server and offline: charts by vl-convert (Vega in an
embedded engine, no browser, no network) with the bundled CJK font registered, so Chinese
labels render; the report embeds its charts as data URIs and fetches nothing when opened.
"""

from __future__ import annotations

import base64
import dataclasses
import html
import io
from collections.abc import Callable
from functools import cache
from pathlib import Path

import altair as alt
import pandas as pd

from .spreadsheet import XLSX_OPTIONS, neutral_frame
# Where the CJK font lives on the servers we run on (Debian's fonts-wqy-microhei), plus any
# fonts shipped beside the package.
FONT_DIRS = (Path("/usr/share/fonts/truetype/wqy"), Path("/usr/share/fonts/opentype/noto"),
             Path(__file__).resolve().parent / "fonts")

# A chart that fills its container in the browser is drawn this wide in a file.
EXPORT_WIDTH = 900
PNG_SCALE = 2

# Rows of one table carried into the report; the full table is its CSV.
REPORT_MAX_ROWS = 200


@cache
def _vlc():
    import vl_convert

    for folder in FONT_DIRS:
        if folder.is_dir():
            vl_convert.register_font_directory(str(folder))
    return vl_convert


def _fix_width(node: object, width: int) -> object:
    """Replace the browser-only `width: "container"` by a fixed width, at every level."""
    if isinstance(node, dict):
        return {k: (width if k == "width" and v == "container" else _fix_width(v, width))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_fix_width(v, width) for v in node]
    return node


_PARTS = ("layer", "hconcat", "vconcat", "concat")


def _inlined(chart):
    """A copy of `chart` whose data frames are already values (`alt.to_values`, what Altair's
    default data transformer makes of them). Altair's data transformer is global to the process,
    and Streamlit switches it to its own while it converts a chart on another session's thread:
    a frame converted meanwhile would go through Streamlit's (its rows into the other session's
    chart, none into the file). Values in the chart are never handed to a transformer."""
    chart = chart.copy(deep=False)
    if isinstance(getattr(chart, "data", alt.Undefined), pd.DataFrame):
        chart.data = alt.to_values(chart.data)
    for part in _PARTS:
        if (charts := getattr(chart, part, alt.Undefined)) is not alt.Undefined:
            setattr(chart, part, [_inlined(c) for c in charts])
    if isinstance(spec := getattr(chart, "spec", alt.Undefined), alt.TopLevelMixin | alt.SchemaBase):
        chart.spec = _inlined(spec)
    return chart


def chart_spec(chart: alt.TopLevelMixin, width: int = EXPORT_WIDTH) -> dict:
    # Not validated again: st.altair_chart has just validated the same chart on the page.
    return _fix_width(_inlined(chart).to_dict(validate=False), width)


def captioned(spec: dict, title: str, lines: list[str]) -> dict:
    """A chart's spec carrying what it is when pasted into a deck: its title over it, and under
    the title `lines` (the filters and as-of date, the source). A copy; `spec` is unchanged."""
    return {**spec, "title": {"text": title, "subtitle": [line for line in lines if line], "anchor": "start",
                              "fontSize": 16, "subtitleFontSize": 12, "subtitleColor": "#505050",
                              "offset": 12}}


def chart_svg(chart: alt.TopLevelMixin | dict, width: int = EXPORT_WIDTH) -> str:
    spec = chart if isinstance(chart, dict) else chart_spec(chart, width)
    return _vlc().vegalite_to_svg(spec)


def chart_png(chart: alt.TopLevelMixin | dict, width: int = EXPORT_WIDTH, scale: float = PNG_SCALE) -> bytes:
    """A PNG at `scale` times the chart's size (2: sharp on a projector or in a slide)."""
    spec = chart if isinstance(chart, dict) else chart_spec(chart, width)
    return _vlc().vegalite_to_png(spec, scale=scale)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a BOM, so Excel opens the Chinese text correctly; no text cell runs as a
    formula (`spreadsheet.neutral`)."""
    buffer = io.StringIO()
    # CRLF rows (Excel's own): a cell holding a lone carriage return is then quoted, not a row end.
    neutral_frame(frame).to_csv(buffer, index=False, lineterminator="\r\n")
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def xlsx_bytes(frame: pd.DataFrame, sheet: str = "data") -> bytes:
    buffer = io.BytesIO()
    # Excel sheet names: at most 31 characters, none of []:*?/\
    safe = "".join(c for c in sheet if c not in "[]:*?/\\")[:31] or "data"
    # Text is written as text: a name starting with "=" is not a formula (spreadsheet.XLSX_OPTIONS).
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}) as writer:
        frame.to_excel(writer, sheet_name=safe, index=False)
        writer.sheets[safe].freeze_panes(1, 0)
    return buffer.getvalue()


# The report -----------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class Item:
    """One thing the page drew: a chart or a table, with the title it had on the page."""

    title: str
    # A Vega-Lite spec (plain data, safe to render on another thread), or a function making it
    # (chart_spec takes the Altair lock, so it too may run on any thread).
    chart: dict | Callable[[], dict] | None = None
    frame: pd.DataFrame | Callable[[], pd.DataFrame] | None = None  # or a function making it
    metrics: tuple[tuple[str, str, str], ...] = ()  # headline numbers: (label, value, change)
    percent: frozenset[str] = frozenset()  # the table's columns of ratios, shown as 12.3%


@dataclasses.dataclass(frozen=True)
class ReportText:
    """The report's words in the reader's language: the facts under the title as (label, value)
    pairs (filters in words, as-of date, data source, when made), and two notes."""

    lang: str
    facts: tuple[tuple[str, str], ...]
    rows_cut: str  # with {shown} and {total}: "200 of 1,234 rows; the full table is its CSV"
    empty: str


_CSS = """
body{font-family:"WenQuanYi Micro Hei","Microsoft YaHei","PingFang SC","Noto Sans CJK SC",sans-serif;
margin:2rem auto;max-width:1000px;color:#222;line-height:1.5;padding:0 1rem}
h1{font-size:1.8rem;margin:0 0 .3rem}h2{font-size:1.25rem;margin:2rem 0 .5rem;border-bottom:1px solid #ddd}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem;margin:.5rem 0 1rem}
dt{color:#555}dd{margin:0}img{max-width:100%;height:auto}
table{border-collapse:collapse;font-size:.85rem;width:100%}
th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f2f2}td.n{text-align:right;font-variant-numeric:tabular-nums}.note{color:#666;font-size:.85rem}
.metrics{display:grid;grid-template-columns:repeat(auto-fill,minmax(12rem,1fr));gap:.5rem 1.5rem;margin:1rem 0}
.metric .l{color:#555;font-size:.85rem}.metric .v{font-size:1.6rem;font-variant-numeric:tabular-nums}
.metric .d{color:#555;font-size:.85rem}
"""


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return "—"
    if isinstance(value, float):
        return f"{value:,.4g}" if abs(value) < 1 else f"{value:,.2f}"
    return str(value)


def _percent_cell(value: object) -> str:
    if value is None or pd.isna(value):
        return "—"
    return f"{float(value) * 100:,.1f}%"


def _table_html(frame: pd.DataFrame, text: ReportText, percent: frozenset[str] = frozenset()) -> str:
    shown = frame.head(REPORT_MAX_ROWS)
    numeric = {c for c in shown.columns if pd.api.types.is_numeric_dtype(shown[c])}
    cell = {c: _percent_cell if c in percent and c in numeric else _cell for c in shown.columns}
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in shown.columns)
    body = "".join(
        "<tr>" + "".join(
            f'<td class="n">{html.escape(cell[c](v))}</td>' if c in numeric else f"<td>{html.escape(cell[c](v))}</td>"
            for c, v in zip(shown.columns, row)) + "</tr>"
        for row in shown.itertuples(index=False, name=None))
    out = f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    if len(frame) > len(shown):
        out += f'<p class="note">{html.escape(text.rows_cut.format(shown=len(shown), total=len(frame)))}</p>'
    return out


def report_html(title: str, items: list[Item], text: ReportText) -> str:
    """The whole view in one file: title, filters in words, as-of date, data source, then every
    headline number, chart (PNG data URIs, so the fonts are baked in) and table the page drew,
    in order.
    Every piece of text is escaped; nothing is fetched when the file is opened."""
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if text.lang == "zh" else "en"}"><head><meta charset="utf-8">',
        f"<title>{e(title)}</title><style>{_CSS}</style></head><body>",
        f"<h1>{e(title)}</h1>",
        "<dl>",
        *(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in text.facts),
        "</dl>",
    ]
    if not items:
        parts.append(f'<p class="note">{e(text.empty)}</p>')
    for item in items:
        if item.title:
            parts.append(f"<h2>{e(item.title)}</h2>")
        if item.metrics:
            parts.append('<div class="metrics">' + "".join(
                f'<div class="metric"><div class="l">{e(label)}</div><div class="v">{e(value)}</div>'
                + (f'<div class="d">{e(change)}</div>' if change else "") + "</div>"
                for label, value, change in item.metrics) + "</div>")
        if item.chart is not None:
            png = base64.b64encode(chart_png(item.chart() if callable(item.chart) else item.chart)).decode("ascii")
            parts.append(f'<img alt="{e(item.title)}" src="data:image/png;base64,{png}">')
        if item.frame is not None:
            parts.append(_table_html(item.frame() if callable(item.frame) else item.frame, text, item.percent))
    parts.append("</body></html>")
    return "\n".join(parts)
