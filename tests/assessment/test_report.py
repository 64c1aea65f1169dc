"""The assessment report as Word and printable HTML: a round's report limited to a scope, and
every text escaped in HTML (fixture store: A and D in province 11, B in 51)."""

import io

import docx

from pilotdash.assessment import report
from pilotdash.scope import Scope, limited

ITEMS = [("M1", None, 50, "manual", None, "true"), ("M2", None, 50, "manual", None, "false")]
ROUND = ("Q2", "quarterly", "2026-04-01", "2026-06-30")


def test_a_round_report_holds_the_scope_it_was_made_for(store, assess):
    assess(items=ITEMS, rounds=[ROUND], scores=[
        ("Q2", "A", "department", "M1", 45), ("Q2", "A", "department", "M2", 40),
        ("Q2", "B", "self", "M1", 20), ("Q2", "B", "self", "M2", 50)])
    whole = report.round_report(store, "Q2", "en", "national")
    assert [row[1].split()[0] for row in whole.sections[0][2]] == ["A", "B", "D"]
    province = report.round_report(limited(store, Scope("provinces", ("11",))), "Q2", "zh", "省份 11")
    rows = province.sections[0][2]
    assert [row[1].split()[0] for row in rows] == ["A", "D"] and rows[0][4:6] == ["85.00", "良"]
    doc = docx.Document(io.BytesIO(report.to_docx(province)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "数据范围：省份 11" in text and "考核对象数：2" in text and "良：1" in text
    assert [c.text for c in doc.tables[0].rows[1].cells][:2] == ["1", "A 北京数字经济试点"]


def test_html_escapes_every_text():
    shown = report.Report("<b>报告</b>", [("范围", "<script>alert(1)</script>")],
                          [("评分表", ["指标"], [["A1 <img src=x>"]], [1])], ["注意 & <i>"], "zh")
    page = report.to_html(shown).decode("utf-8")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;img src=x&gt;" in page and "注意 &amp; &lt;i&gt;" in page and "<title>&lt;b&gt;报告&lt;/b&gt;</title>" in page
    assert report.file_stem("Q2", "PJ/../x") == "assessment_Q2_PJ____x"  # /../ is four characters
