"""Files a presenter takes away: PNG and SVG charts (CJK text, offline), CSV and xlsx tables,
the one-file HTML report."""

import io
import re
import threading

import pandas as pd
import pytest
from PIL import Image
from python_calamine import CalamineWorkbook

from pilotdash import charts, exports

FRAME = pd.DataFrame({
    "belt_label": ["东部", "东部", "西部"],
    "phase_label": ["启动期", "深化期", "启动期"],
    "projects": [2, 1, 1],
})


def chart():
    return charts.stacked_bar(
        FRAME, "belt_label", "projects", "phase_label", colours=charts.PHASE_COLOURS,
        series_labels={"launch": "启动期", "deepening": "深化期"}, category_title="地带",
        value_title="试点项目数", series_title="阶段")


def svg_size(svg: str) -> tuple[float, float]:
    m = re.search(r'<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"', svg)
    return float(m[1]), float(m[2])


def test_container_width_becomes_the_export_width():
    spec = exports.chart_spec(chart())
    assert spec["width"] == exports.EXPORT_WIDTH
    assert "container" not in repr(spec)


def test_a_spec_made_while_streamlit_converts_another_sessions_chart_keeps_its_rows():
    """Streamlit switches Altair's global data transformer to its own while it converts a chart
    on another session's thread; a spec made meanwhile must not go through it."""
    import altair as alt

    caught: list[object] = []

    def streamlits_own(data, **_):  # stands in for Streamlit's to_arrow_dataset
        caught.append(data)
        return {"name": "taken"}

    alt.data_transformers.register("spy_streamlit", streamlits_own)
    made: list[dict] = []
    other = threading.Thread(target=lambda: made.append(exports.chart_spec(chart())))
    with alt.data_transformers.enable("spy_streamlit"):  # Streamlit mid-conversion
        other.start()
        other.join(10)
    assert not caught
    assert sorted(row["projects"] for rows in made[0]["datasets"].values() for row in rows) == [1, 1, 2]


def test_svg_carries_the_chinese_labels():
    svg = exports.chart_svg(chart())
    assert svg.lstrip().startswith("<svg")
    for word in ("东部", "西部", "试点项目数", "启动期"):
        assert word in svg
    assert "http://" not in svg.replace("http://www.w3.org", "")


def test_png_decodes_with_the_chart_size():
    svg = exports.chart_svg(chart())
    png = exports.chart_png(chart())
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    width, height = svg_size(svg)
    assert width >= exports.EXPORT_WIDTH  # the plot plus its axis
    assert image.size == (round(width * exports.PNG_SCALE), round(height * exports.PNG_SCALE))


def test_png_draws_cjk_glyphs_not_boxes():
    """Without a CJK font every Chinese character is drawn as the same empty box, so two
    different words would give the same image; with the font registered they differ."""
    import altair as alt

    def pixels(word):
        spec = alt.Chart(pd.DataFrame({"c": [word]})).mark_text(fontSize=40, font=charts.FONT) \
            .encode(text="c:N").properties(width=200, height=60).to_dict()
        return Image.open(io.BytesIO(exports.chart_png(spec, scale=1))).convert("L").tobytes()

    assert pixels("东部") != pixels("西部")


def test_csv_has_a_bom_and_the_rows():
    data = exports.csv_bytes(pd.DataFrame({"省份": ["北京", "四川"], "n": [1, 2]}))
    assert data.startswith(b"\xef\xbb\xbf")
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert list(back.columns) == ["省份", "n"] and back["省份"].tolist() == ["北京", "四川"]


def test_xlsx_opens_with_the_same_cells(tmp_path):
    frame = pd.DataFrame({"项目名称": ["北京数字经济试点", "成都智慧城市试点"], "完成率": [0.5, 1.25]})
    path = tmp_path / "t.xlsx"
    path.write_bytes(exports.xlsx_bytes(frame, "目标差距: [all]"))
    book = CalamineWorkbook.from_path(str(path))
    assert book.sheet_names == ["目标差距 all"]
    rows = book.get_sheet_by_index(0).to_python()
    assert rows == [["项目名称", "完成率"], ["北京数字经济试点", 0.5], ["成都智慧城市试点", 1.25]]


TEXT = exports.ReportText(
    lang="en",
    facts=(("Filters", "East · Digital economy · as of 2026-06-30"), ("As-of date", "2026-06-30"),
           ("Data source", "Demo dataset"), ("Made", "2026-07-01 09:00")),
    rows_cut="First {shown} of {total} rows", empty="Nothing here")


def test_report_is_one_self_contained_file_with_title_filters_and_source():
    table = pd.DataFrame({"Project": ["<script>alert(1)</script>"], "Rate": [0.5]})
    out = exports.report_html("Pilot dashboard · Overview",
                              [exports.Item("Pilots by belt", chart=exports.chart_spec(chart())),
                               exports.Item("Attention", frame=table)], TEXT)
    assert out.startswith("<!DOCTYPE html>")
    assert "<title>Pilot dashboard · Overview</title>" in out
    for words in ("East · Digital economy · as of 2026-06-30", "Data source", "Demo dataset",
                  "Pilots by belt", "Attention"):
        assert words in out
    assert "data:image/png;base64," in out
    assert "<script>" not in out and "&lt;script&gt;" in out  # every text escaped
    assert not re.search(r'(src|href)="(?!data:)', out)  # nothing fetched when opened


def test_report_cuts_long_tables_and_says_so():
    long = pd.DataFrame({"n": range(exports.REPORT_MAX_ROWS + 5)})
    out = exports.report_html("T", [exports.Item("Long", frame=long)], TEXT)
    assert out.count("<tr>") == exports.REPORT_MAX_ROWS + 1
    assert f"First {exports.REPORT_MAX_ROWS} of {exports.REPORT_MAX_ROWS + 5} rows" in out


def test_empty_report_says_so():
    assert "Nothing here" in exports.report_html("T", [], TEXT)


def test_report_writes_ratios_as_percentages_and_headline_numbers_as_cards():
    table = pd.DataFrame({"Belt": ["East", "West"], "Utilisation": [0.80234, None], "Pilots": [3, 4]})
    out = exports.report_html("T", [exports.Item("", metrics=(("Pilots", "7", "+1"), ("<b>", "1", ""))),
                                    exports.Item("Belts", frame=table, percent=frozenset({"Utilisation"}))], TEXT)
    assert '<div class="l">Pilots</div><div class="v">7</div><div class="d">+1</div>' in out
    assert '<div class="l">&lt;b&gt;</div><div class="v">1</div></div>' in out  # escaped; no empty change
    assert '<td class="n">80.2%</td>' in out and '<td class="n">—</td>' in out  # an empty ratio is "—"
    assert '<td class="n">3</td>' in out  # other numbers as they are
    assert out.count("<h2>") == 1  # the untitled block of numbers has no heading


def test_chart_dates_read_as_the_pages_dates_in_chinese():
    """Axis months and tooltip days as i18n.fmt_date writes them: 2026年9月, never 2026-09."""
    frame = pd.DataFrame({"period_end": pd.to_datetime(["2026-03-31", "2026-06-30", "2026-09-30"]),
                          "actual": [1.0, 2.0, 3.0], "status": ["met", "near", "behind"], "target": [2.5] * 3})
    words = {"status_labels": {"met": "达标", "near": "接近", "behind": "滞后"}, "date_title": "期末",
             "value_title": "值", "status_title": "状态", "target_label": "目标"}
    zh = exports.chart_svg(charts.reading_trend(frame, **words, lang="zh"))
    assert "2026年6月" in zh and not re.search(r">2026-\d\d<", zh)
    assert re.search(r">2026-06<", exports.chart_svg(charts.reading_trend(frame, **words)))
    assert charts.date_format("day", "zh") == "%Y年%-m月%-d日"


def test_an_exported_chart_says_what_it_is():
    """Issue 22 item 5: a chart pasted into a deck carries its title, the filters and as-of date,
    and the source, drawn in the image."""
    import altair as alt
    import pandas as pd

    spec = exports.chart_spec(alt.Chart(pd.DataFrame({"a": ["东部"], "b": [1]})).mark_bar().encode(x="b:Q", y="a:N"))
    titled = exports.captioned(spec, "各地带项目数", ["全部试点 · 截至2026年9月30日", "数据来源：试点项目监测看板", ""])
    assert "title" not in spec  # a copy
    assert titled["title"]["text"] == "各地带项目数"
    assert titled["title"]["subtitle"] == ["全部试点 · 截至2026年9月30日", "数据来源：试点项目监测看板"]
    svg = exports.chart_svg(titled)
    assert "各地带项目数" in svg and "截至2026年9月30日" in svg
