"""Project page on the fixture store (D = 2026-06-30; numbers by hand in tests/test_measures.py
and tests/test_named_queries_phases_project.py)."""

from tests import fixtures


def metrics(at):
    return {m.label: m.value for m in at.metric}


def table_with(at, column):
    return next(d.value for d in at.dataframe if column in d.value.columns)


def test_project_a_whole_record(app):
    at = app("project", lang="en", as_of="2026-06-30", project="A").run()
    assert not at.exception
    assert at.header[0].value == "A · Beijing digital economy pilot"
    text = " ".join(m.value for m in at.markdown)
    assert "▲ Amber" in text and "A milestone is overdue" in text and "Schedule performance (SPI) below 0.9" in text
    facts = [t.value for t in at.text]
    assert "北京市发展和改革委员会" in facts and "Deepening" in facts and "2024" in facts

    milestones = table_with(at, "overdue_days")
    assert list(milestones["milestone_id"]) == ["m1", "m2", "m3", "m4"]
    assert list(milestones["state"]) == ["✔ Done on time", "◐ Done late", "✖ Overdue", "○ Upcoming"]
    assert milestones["overdue_days"].iloc[2] == "15"

    indicators = table_with(at, "source")
    e1 = indicators[indicators["indicator_code"] == "E1"].iloc[0]
    assert (e1["target"], e1["source"], e1["status"]) == (0.25, "Belt", "✖ Behind")
    assert round(e1["gap"], 2) == 0.05  # lower is better: 0.3 - 0.25
    assert indicators[indicators["indicator_code"] == "I3"].iloc[0]["source"] == "This project"

    budget = table_with(at, "counted")
    assert list(budget["fiscal_year"]) == [2025, 2026, 2027]
    assert budget["counted"].iloc[2] == "Later year: in BAC only"

    shown = metrics(at)
    assert shown["Schedule performance (SPI)"] == "0.67"  # 125 / 187.5
    assert shown["Cost performance (CPI)"] == "1.25"  # 125 / 100
    assert any(c.value == "✖ Red (below 0.8)" for c in at.caption)

    risks = table_with(at, "score")
    assert list(risks["risk_id"]) == ["r2", "r1"] and list(risks["score"]) == [8, 15]


def test_overspend_is_flagged(app):
    at = app("project", lang="en", as_of="2026-06-30", project="B").run()
    assert not at.exception
    budget = table_with(at, "counted")
    assert list(budget["overspend"]) == ["⚠ Overspend", ""]
    milestones = table_with(at, "overdue_days")
    assert milestones["overdue_days"].iloc[0] == "91"


def test_unknown_project_gives_the_notice_and_the_chooser(app):
    at = app("project", lang="en", as_of="2026-06-30", project="ZZZ").run()
    assert not at.exception
    assert any("No pilot with id “ZZZ”" in w.value for w in at.warning)
    assert at.selectbox(key="w_project").value is None
    assert "project" not in at.query_params


def test_chooser_writes_the_url_and_the_url_restores_the_view(app):
    at = app("project", lang="en", as_of="2026-06-30").run()
    assert not at.exception
    assert not at.header
    at.selectbox(key="w_project").select("B").run()
    assert at.query_params["project"] in (["B"], "B")
    assert at.header[0].value == "B · Chengdu smart city pilot"
    fresh = app("project", lang="en", as_of="2026-06-30", project="B").run()
    assert fresh.header[0].value == at.header[0].value


def test_indicator_choice_in_the_url(app):
    at = app("project", lang="en", as_of="2026-06-30", project="A", indicator="P1").run()
    assert not at.exception
    assert at.selectbox(key="w_indicator").value == "P1"
    bad = app("project", lang="en", as_of="2026-06-30", project="A", indicator="Q9").run()
    assert not bad.exception
    assert any("Q9" in w.value for w in bad.warning)


def test_a_pilot_without_data_shows_dashes(app):
    at = app("project", lang="en", as_of="2026-06-30", project="D").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Schedule performance (SPI)"] == "—" and shown["Planned value (PV)"] == "—"


def test_chinese_labels(app):
    at = app("project", as_of="2026-06-30", project="C").run()
    assert not at.exception
    assert at.title[0].value == "项目详情"
    assert at.header[0].value == "C · 太原医疗健康试点"
    assert "退出" in [t.value for t in at.text]


def test_empty_store_renders(empty_app):
    at = empty_app("project", lang="en").run()
    assert not at.exception
    assert any("No pilots match" in w.value for w in at.warning)
    unknown = empty_app("project", lang="en", project="A").run()
    assert not unknown.exception
    assert any("No pilot with id" in w.value for w in unknown.warning)


def test_units_are_in_the_page_language(app):
    # The fixture stores E1's unit as 次 and I3's as 个: trips and count in English, as stored in zh.
    en = app("project", lang="en", as_of="2026-06-30", project="A").run()
    assert not en.exception
    units = dict(next(t.value for t in en.dataframe if "unit" in t.value)[["indicator_code", "unit"]].values)
    assert (units["E1"], units["I3"], units["P1"]) == ("trips", "count", "%")
    zh = app("project", as_of="2026-06-30", project="A").run()
    units = dict(next(t.value for t in zh.dataframe if "unit" in t.value)[["indicator_code", "unit"]].values)
    assert (units["E1"], units["I3"]) == ("次", "个")


def test_without_a_pilot_the_page_lists_the_pilots_in_view_to_open(app):
    # Running pilots first: red (B), amber (A), green (D); then the withdrawn C, never leading the
    # list (domain.md, "Project health"); each a link to its own record.
    at = app("project", lang="en", as_of="2026-06-30").run()
    assert not at.exception
    assert any("Choose a pilot above" in i.value for i in at.info)
    listed = at.dataframe[0].value
    assert [link.split("project=")[1] for link in listed["link"]] == ["B", "A", "D", "C"]
    assert list(listed["health"])[-1] == "· Closed (completed or withdrawn)"
    west = app("project", lang="en", as_of="2026-06-30", belt="west").run()
    assert [link.split("project=")[1] for link in west.dataframe[0].value["link"]] == ["B"]


def test_the_headline_numbers_are_the_registrys_each_once(app, fixture_store_path, monkeypatch):
    """Project's headline numbers are HEADLINES["project"] over its one pilot (overview_totals
    with $project): a measure added there (no page file touched) shows up, the numbers come
    first in the registry's order, and the pilot's spent stands once (earned value's AC is it)."""
    from pilotdash import measures, ui
    from pilotdash.i18n import fmt_money, t

    monkeypatch.setitem(measures.HEADLINES, "project", (*measures.HEADLINES["project"], ("disbursed",)))
    at = app("project", lang="en", as_of="2026-06-30", project="A").run()
    assert not at.exception
    codes = ui.headline_codes("project")
    labels = [m.label for m in at.metric]
    assert labels[:len(codes)] == [t(measures.MEASURES[c].label, "en") for c in codes]
    assert labels.count("Spent") == 1 and "Actual cost (AC)" not in labels
    ev = fixtures.run_named(fixture_store_path, "project_earned_value",
                            {"as_of": "2026-06-30", "project": "A"})
    assert metrics(at)["Spent"] == fmt_money(ev.iloc[0].ac, "en") == fmt_money(100, "en")  # CPI 125 / 100
