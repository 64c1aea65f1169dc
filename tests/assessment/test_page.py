"""The Assessment page 考核评价 (AppTest) on the fixture store with one round scored: A graded by
its department (90, 优) over an inflated self-assessment (100), B by its self-assessment only
(70, 中), D not scored; and the Project page's grades over rounds."""

import io

import docx
import pytest

from pilotdash.assessment import scoring
from pilotdash.store import Store

ITEMS = [
    ("T", "K", None, "决策", "Decision", None, None, None, None),
    ("T", "K1", "K", "资金执行率", "Execution", 50, "measure", "execution_rate", "false"),
    ("T", "K2", "K", "立项依据", "Rationale", 50, "manual", None, "true"),
]
SCORES = [
    ("Q2", "A", "self", "K2", 50, "北京试点单位", "自评报告"),
    ("Q2", "A", "department", "K2", 40, "北京市发改委", "会议纪要"),
    ("Q2", "B", "self", "K2", 20, "成都试点单位", None),
]


@pytest.fixture
def scored(fixture_store_path):
    store = Store(fixture_store_path)
    try:
        with store.writing() as cur:
            cur.executemany("INSERT INTO eval_items VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", ITEMS)
            cur.execute("INSERT INTO eval_rounds VALUES ('Q2', '2026年第二季度考核', 'quarterly', '2026-04-01', "
                        "'2026-06-30', 'T')")
            cur.executemany("INSERT INTO eval_scores VALUES (?, ?, ?, ?, ?, ?, ?)", SCORES)
        scoring.recompute(store)
    finally:
        store.close()


def frames(at):
    return [d.value for d in at.dataframe]


def test_league_table_scorecard_and_self_against_independent(app, scored):
    at = app("assessment", lang="en").run()
    assert not at.exception
    league, *rest = frames(at)
    # A: execution 100 / 150 on 50 marks = 33.33, department 40: 73.33 (fair); self 83.33, 10 up.
    # B: execution 120 / 100 capped: 50, self 20 (veto: below 30): 70.00, graded poor by the veto.
    assert list(league["final_total"])[:2] == [73.33, 70.0]
    assert list(league["grade"])[:3] == ["Fair", "Poor", "—"]  # D: evaluated, not scored
    assert league["inflated"][0] == "inflated by 10.00" and league["veto"][1] == "Veto: K2"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pilots evaluated"] == "3" and metrics["With a final score"] == "2" and metrics["Poor"] == "1"
    card = rest[0]
    assert list(card["item"]) == ["K Decision", "\u3000K1 Execution", "\u3000K2 Rationale"]
    assert list(card["score"]) == [73.33, 33.33, 40.0]
    assert card["value"][1] == "66.7%" and card["state"][2] == "Scored · veto item"
    versus = rest[1]
    assert list(versus["self_total"]) == [83.33] and list(versus["inflated"]) == ["Inflated"]


def test_the_scorecard_of_another_evaluator_and_pilot_from_the_url(app, scored):
    at = app("assessment", lang="zh", round="Q2", project="B", evaluator="self").run()
    assert not at.exception
    card = frames(at)[1]
    assert list(card["score"]) == [70.0, 50.0, 20.0]
    assert any("一票否决项 K2" in w.value for w in at.warning)


def test_the_pilot_report_as_word(app, scored, downloads, fixture_store_path):
    at = app("assessment", lang="zh", round="Q2", project="A").run()
    data = downloads(at, "assess_docx_True")
    store = Store(fixture_store_path)
    try:  # the download is audited as a report, naming the file
        assert store.rows("SELECT what FROM audit_log WHERE action = 'report'") == [("assessment_Q2_A.docx",)]
    finally:
        store.close()
    doc = docx.Document(io.BytesIO(data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "考核评价报告：北京数字经济试点（2026年第二季度考核）" in text
    assert "最终得分：73.33" in text and "等级：中" in text and "得分来源：主管部门（北京市发改委）" in text
    assert "自评得分高于最终得分 10.00 分（自评虚高）" in text and "数据截至：2026年6月30日" in text
    rows = [[c.text for c in r.cells] for r in doc.tables[0].rows]
    assert rows[2][:2] == ["K1 资金执行率", "50.00"] and rows[3][-1] == "会议纪要"


def test_no_rounds(app):
    at = app("assessment", lang="en").run()
    assert not at.exception
    assert any("No assessment round" in i.value for i in at.info)


def test_project_page_shows_the_grades_over_rounds(app, scored):
    at = app("project", lang="en", project="A").run()
    assert not at.exception
    grades = [d.value for d in at.dataframe if "grade" in d.value.columns and "round" in d.value.columns]
    assert grades and list(grades[0]["grade"]) == ["Fair"]
