"""Phase progress on the fixture store (D = 2026-06-30 pinned in the URL; see tests/fixtures.py
and tests/test_named_queries_phases_project.py for the numbers by hand)."""

from tests import fixtures


def metrics(at):
    return {m.label: m.value for m in at.metric}


def tables(at):
    return [d.value for d in at.dataframe]


def schedule_table(at):
    return next(t for t in tables(at) if "slip_days" in t.columns)


def overdue_table(at):
    return next(t for t in tables(at) if "overdue_days" in t.columns)


def test_numbers_equal_the_named_queries(app, fixture_store_path):
    at = app("phases", lang="en", as_of="2026-06-30").run()
    assert not at.exception
    total = fixtures.run_named(fixture_store_path, "schedule_summary", {"as_of": "2026-06-30"}).iloc[-1]
    schedule = fixtures.run_named(fixture_store_path, "schedule_by_project", {"as_of": "2026-06-30"})
    shown = metrics(at)
    # A and B behind (overdue milestones, SPI < 0.9) of the 3 running pilots (C is withdrawn);
    # 4 due = 1 on time + 1 late + 2 overdue (m6, due on D itself, is upcoming).
    assert shown["Pilots behind schedule"] == f"{int(total.behind)} / {int(total.running)}" == "2 / 3"
    assert shown["Milestones due"] == "4"
    assert (shown["Done on time"], shown["Done late"], shown["Overdue"]) == ("1", "1", "2")
    assert shown["Milestone completion"] == "50.0%"  # 2 done of 4 due

    # Overdue milestones worst first: B's m5 (91 days), then A's m3 (15 days).
    overdue = overdue_table(at)
    assert list(overdue["overdue_days"]) == [91, 15]
    assert overdue["link"].iloc[0].endswith("project=B")

    # The table: behind first, with the query's progress, completion and SPI.
    table = schedule_table(at)
    assert [link.rsplit("=", 1)[1] for link in table["link"]] == list(schedule["project_id"]) == ["B", "A", "D", "C"]
    assert list(table["behind"][:2]) == ["▲ Behind", "▲ Behind"]
    assert list(table["slip_days"][:2]) == [91, 15]
    a = table.iloc[1]
    assert round(a["spi"], 3) == 0.667 and round(a["completion"], 3) == 0.667
    assert a["phase_progress"] == round(364 / 548, 3)  # 66.4%, the one decimal the column shows
    assert "Milestone overdue" in a["schedule_reasons"]


def test_the_definition_of_behind_schedule_is_shown(app):
    at = app("phases", lang="en", as_of="2026-06-30").run()
    assert any("Behind schedule: on the as-of date" in c.value for c in at.caption)


def test_filters_from_the_url_apply(app):
    at = app("phases", lang="en", as_of="2026-06-30", belt="west").run()
    assert not at.exception
    assert metrics(at)["Pilots behind schedule"] == "1 / 1"
    assert list(overdue_table(at)["overdue_days"]) == [91]  # only B is in the west
    assert len(schedule_table(at)) == 1


def test_sort_is_read_from_and_written_to_the_url(app):
    at = app("phases", lang="en", as_of="2026-06-30", sort="id").run()
    assert not at.exception
    assert [link.rsplit("=", 1)[1] for link in schedule_table(at)["link"]] == ["A", "B", "C", "D"]
    assert at.query_params["sort"] in (["id"], "id")
    # The order chooser writes the URL, and that URL restores the same view in a fresh app.
    at.segmented_control(key="w_sort").set_value("end").run()
    params = {k: at.query_params[k] for k in at.query_params}
    assert params["sort"] in (["end"], "end")
    fresh = app("phases", **{k: (v[0] if isinstance(v, list) else v) for k, v in params.items()}).run()
    assert [link.rsplit("=", 1)[1] for link in schedule_table(fresh)["link"]] == ["C", "B", "A", "D"]


def test_invalid_sort_and_page_give_a_notice(app):
    at = app("phases", lang="en", as_of="2026-06-30", sort="sideways", page_no="7").run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "sideways" in warnings and "“7”" in warnings
    assert len(schedule_table(at)) == 4  # behind-first order, first page


def test_chinese_labels(app):
    zh = app("phases", as_of="2026-06-30").run()
    assert not zh.exception
    assert zh.title[0].value == "阶段进度"
    assert "进度滞后项目" in metrics(zh)
    assert "▲ 滞后" in list(schedule_table(zh)["behind"])


def test_no_match_message(app):
    at = app("phases", lang="en", as_of="2026-06-30", belt="east", status="withdrawn").run()
    assert not at.exception
    assert any("No pilots match" in w.value for w in at.warning)
    assert not at.metric


def test_empty_store_renders(empty_app):
    at = empty_app("phases", lang="en").run()
    assert not at.exception
    assert any("No pilots match" in w.value for w in at.warning)


def test_on_a_phone_tables_show_their_key_columns_and_say_so(app):
    at = app("phases", lang="en", as_of="2026-06-30")
    at.session_state["_screen"] = "phone"  # what the browser's width reporter (ui.layout) sets
    at.run()
    assert not at.exception
    overdue = next(d for d in at.dataframe if "overdue_days" in d.value.columns)
    assert list(overdue.proto.column_order) == ["link", "milestone", "overdue_days"]
    assert len(overdue.value.columns) == 9  # the data (and its downloads) keep every column
    assert "3 of 9 columns on a phone; the downloads hold them all." in [c.value for c in at.caption]
    wide = app("phases", lang="en", as_of="2026-06-30").run()
    assert all(not list(d.proto.column_order) for d in wide.dataframe)
