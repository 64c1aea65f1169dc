"""The Tasks 任务驾驶舱 and Issues 问题清单 pages (AppTest) on the fixture store with a small tree,
issues and a risk review added (D = 2026-06-30, the app single-user: a national admin)."""

import io

import pytest

from pilotdash.store import Store


@pytest.fixture
def work(fixture_store_path):
    store = Store(fixture_store_path)
    try:
        with store.writing() as w:
            w.executemany("INSERT INTO tasks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                ("g", "A", None, "总目标", "王芳", "2026-01-01", "2026-12-31", None, 1, None, "终期考核通过"),
                ("s", "A", "g", "平台建设", "李强", "2026-01-01", "2026-12-31", None, 1, None, "平台上线"),
                ("a1", "A", "s", "接口标准发布", "李强", "2026-01-01", "2026-05-15", None, 1, 60, "标准印发"),  # 46 d overdue
                ("a2", "A", "s", "部门数据对接", "赵敏", "2026-03-01", "2026-05-31", "2026-05-20", 1, 100, "十个部门"),
            ])
            w.executemany("INSERT INTO issues VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", [
                ("i1", "A", "a1", "inspection", "接口未开放", "2026-05-01", "李强", "2026-05-31", None, None, None),
                ("i2", "A", None, "meeting", "培训不足", "2026-04-01", "赵敏", "2026-07-31", "2026-06-01", None, None),
            ])
            w.execute("INSERT INTO risk_reviews VALUES ('r2', '2026-03-01', 4, 4, 'open', 'mitigate', '升级')")
    finally:
        store.close()
    return fixture_store_path


def test_tasks_page_lists_late_tasks_first_and_draws_a_tree(app, work):
    at = app("tasks", lang="en", project="A").run()
    assert not at.exception
    late = next(d.value for d in at.dataframe if "slip_days" in d.value.columns)
    assert list(late["task_id"])[:1] == ["a1"]  # overdue 46 days: first
    assert any("平台建设" in e.label for e in at.expander)  # the sub-project, expandable
    assert next(e.label for e in at.expander if "平台建设" in e.label).startswith("●")  # red: its child a1 is 30+


def test_tasks_page_in_chinese_and_the_wall_view(app, work):
    at = app("tasks", wall="1").run()
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "按时交付率" in labels and "逾期任务" in labels


def test_the_deviation_report_reads_back(app, work, downloads):
    from docx import Document

    at = app("tasks", as_of="2026-06-30", month="2026-06").run()
    assert not at.exception
    doc = Document(io.BytesIO(downloads(at, "tasks_report_docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "偏差分析报告" in text and "滞后或逾期任务" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert "a1 接口标准发布" in cells and "接口未开放" in cells  # the task and its cause (its issue)
    assert not any(c.startswith("r2 ") for c in cells)  # r2 rose (8 → 16) on 2026-03-01, not in June
    page = downloads(at, "tasks_report_html").decode("utf-8")
    assert "<h1>偏差分析报告" in page


def test_march_s_report_has_the_risk_that_rose(work):
    import datetime as dt

    from pilotdash.tasks import deviation

    store = Store(work)
    try:
        march = deviation.build(store, dt.date(2026, 3, 1), dt.date(2026, 3, 31), "en")
    finally:
        store.close()
    assert march.risks[["risk", "score_before", "score"]].values.tolist() == [["r2 系统集成延期", 8, 16]]
    assert "Deviation report" in march.html and "a1" not in set(march.tasks["task"].str[:2])  # a1 due in May


def test_issues_page_resolve_then_sign_off(app, work):
    at = app("issues", lang="en").run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Overdue"] == "1"
    at.selectbox(key="issue_resolve_id").set_value("i1")
    at.text_area(key="issue_resolve_note").input("接口已开放")
    next(b for b in at.button if b.label == "Mark resolved").click()
    at.run()
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Awaiting sign-off"] == "2"
    at.selectbox(key="issue_sign_off_id").set_value("i1")
    next(b for b in at.button if b.label == "Sign off").click()
    at.run()
    assert {m.label: m.value for m in at.metric}["Signed off"] == "1"
    store = Store(work)
    try:
        assert store.rows("SELECT resolved_on IS NOT NULL, verified_on IS NOT NULL FROM issues WHERE issue_id = 'i1'") \
            == [(True, True)]
    finally:
        store.close()
