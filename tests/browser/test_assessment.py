"""Assessment 考核评价 in a real browser on the demo store: the league table of the latest round, a
pilot's scorecard as its tree, and its assessment report downloaded as Word and read back."""

import io

import docx
import pytest

from pilotdash.i18n import t

pytestmark = [pytest.mark.browser, pytest.mark.timeout(240)]


def test_league_table_scorecard_and_the_word_report(dash):
    page = dash.open("/assessment?round=2026Q3&project=PJ-2022-0004")
    text = dash.main_text()
    for words in (t("assess.league", "zh"), t("assess.scorecard", "zh"), t("assess.self_vs", "zh"),
                  t("assess.grades", "zh")):
        assert words in text, words
    # The chosen pilot's standing and the veto that made it 差 (the tables are drawn on a canvas:
    # their cells are read back from the Word report below).
    assert "最终得分 68.20，等级 差（主管部门）" in text, text
    assert t("assess.veto_note", "zh", item="D12", share="60%") in text
    assert len(page.locator('[data-testid="stDataFrame"]').all()) >= 3  # league, scorecard, self vs
    assert len(page.locator(".vega-embed").all()) >= 2  # grades by belt and by province
    dash.shot("assessment")

    buttons = page.get_by_role("button", name=t("assess.download_docx", "zh"))
    with page.expect_download() as download:
        buttons.last.click()  # the pilot's report (the first is the round's)
    assert download.value.suggested_filename == "assessment_2026Q3_PJ-2022-0004.docx"
    doc = docx.Document(io.BytesIO(download.value.path().read_bytes()))
    body = "\n".join(p.text for p in doc.paragraphs)
    assert "考核评价报告：成都市应急管理数字化试点项目（2026年第三季度考核）" in body
    assert "等级：差" in body and "数据截至：2026年9月30日" in body and "数据范围：全国" in body
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[0][:2] == ["评价指标", "分值"] and any(r[0].strip().startswith("D12 重大风险防控") for r in rows)
    dash.assert_clean()
