"""Overview on the fixture store (D = 2026-06-30 pinned in the URL; see tests/fixtures.py)."""

from tests import fixtures


def metrics(at):
    return {m.label: m.value for m in at.metric}


def test_numbers_equal_the_named_queries(app, fixture_store_path):
    at = app(lang="en", as_of="2026-06-30").run()
    assert not at.exception
    shown = metrics(at)
    totals = fixtures.run_named(fixture_store_path, "overview_totals", {"as_of": "2026-06-30"}).iloc[0]
    # A, B, C, D: B and C red, A amber, D green (tests/test_measures.py works these out); C is
    # withdrawn, so it is counted apart and not in the red count (domain.md, "Project health").
    assert shown["Pilots"] == str(int(totals.projects)) == "4"
    assert (shown["Red"], shown["Amber"], shown["Green"]) == ("1", "1", "1")
    assert (int(totals.running), int(totals.closed)) == (3, 1)
    assert shown["Overdue milestones"] == "2"
    assert shown["Fund utilisation"] == "55.0%"  # 220 spent of 400 allocated



def test_changes_since_the_previous_quarter_end(app):
    """Against 2026-03-31: one red pilot fewer (good: green arrow down), one amber and two overdue
    milestones more (bad: red arrow up); what did not change says so, grey and without an arrow."""
    from streamlit.proto.Metric_pb2 import Metric

    at = app(lang="en", as_of="2026-06-30").run()
    assert not at.exception
    shown = {m.label: m for m in at.metric}
    red, amber, overdue = shown["Red"], shown["Amber"], shown["Overdue milestones"]
    assert (red.delta, red.proto.direction, red.proto.color) == ("-1", Metric.DOWN, Metric.GREEN), red.delta
    assert (amber.delta, amber.proto.direction, amber.proto.color) == ("+1", Metric.UP, Metric.RED)
    assert (overdue.delta, overdue.proto.color) == ("+2", Metric.RED)
    assert shown["Targets met"].delta == "+11.1 pts"
    for unchanged in ("Pilots",):
        m = shown[unchanged]
        assert (m.delta, m.proto.direction, m.proto.color) == ("no change", Metric.NONE, Metric.GRAY), unchanged
    zh = {m.label: m.delta for m in app(as_of="2026-06-30").run().metric}
    assert zh["试点项目数"] == "持平"


def test_what_got_worse_since_the_previous_quarter_end(app):
    # tests/test_measures.py: as of 2026-03-31, B went green to red and A amber to red since
    # 2025-12-31; as of D, A got better and nobody worse.
    at = app(lang="en", as_of="2026-03-31").run()
    assert not at.exception
    assert "Worse since 2025-12-31" in [s.value for s in at.subheader]
    worse = next(t.value for t in at.dataframe if "health_before" in t.value)
    assert [link.split("project=")[1] for link in worse["link"]] == ["B", "A"]
    assert list(worse["health_before"]) == ["✔ Green", "▲ Amber"] and set(worse["health"]) == {"✖ Red"}
    assert any("got better since 2025-12-31" in c.value and c.value.endswith(": 0.") for c in at.caption)
    now = app(lang="en", as_of="2026-06-30").run()
    assert any("No running pilot in this view got worse since 2026-03-31" in s.value for s in now.success)
    assert any(c.value.endswith(": 1.") for c in now.caption if "got better" in c.value)
    zh = app(as_of="2026-03-31").run()
    assert "2025年12月31日以来健康度下降的项目" in [s.value for s in zh.subheader]

def test_filters_from_the_url_apply_and_stay_in_the_url(app):
    at = app(lang="en", as_of="2026-06-30", belt="west").run()
    assert not at.exception
    assert metrics(at)["Pilots"] == "1"
    assert at.query_params["belt"] == ["west"] or at.query_params["belt"] == "west"


def test_invalid_parameters_give_a_notice_not_an_error(app):
    at = app(lang="en", belt="north", as_of="yesterday", province="'; DROP TABLE projects; --", foo="1").run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "north" in warnings and "yesterday" in warnings and "foo" in warnings
    assert "DROP TABLE" in warnings  # echoed as text, shortened, never run
    assert metrics(at)["Pilots"] == "4"


def test_chinese_is_the_default_and_english_on_request(app):
    zh = app(as_of="2026-06-30").run()
    assert "总览" in zh.title[0].value and "试点项目数" in metrics(zh)
    en = app(as_of="2026-06-30", lang="en").run()
    assert en.title[0].value == "Overview"


def test_no_match_message_with_reset(app):
    at = app(lang="en", as_of="2026-06-30", belt="east", status="withdrawn").run()
    assert not at.exception
    assert any("No pilots match" in w.value for w in at.warning)
    assert not at.metric


def test_empty_store_renders(empty_app):
    at = empty_app(lang="en").run()
    assert not at.exception
    assert any("No pilots match" in w.value for w in at.warning)


def test_reset_button_clears_the_filters(app):
    at = app(lang="en", as_of="2026-06-30", belt="east").run()
    at.sidebar.button(key="btn_reset_sidebar").click().run()
    assert not at.exception
    assert "belt" not in at.query_params
    assert metrics(at)["Pilots"] == "4"


def test_health_counts_lead_with_running_pilots_never_closed_ones(app):
    # C (withdrawn, red by the rule) is neither in the Red count nor in the Red tab's list.
    at = app(lang="en", as_of="2026-06-30").run()
    assert not at.exception
    tabs = [t.label for t in at.tabs if t.label.startswith(("✖", "▲", "✔"))]
    assert tabs == ["✖ Red (1)", "▲ Amber (1)", "✔ Green (1)"]
    red = next(t for t in at.tabs if t.label.startswith("✖"))
    listed = red.dataframe[0].value
    assert [link.split("project=")[1] for link in listed["link"]] == ["B"]
    assert any("Health is judged for the 3 running pilots" in c.value and "1 completed or withdrawn" in c.value
               for c in at.caption)


def test_each_change_says_what_it_counts_and_the_numbers_add_up(app, fixture_store_path):
    at = app(lang="en", as_of="2026-06-30").run()
    assert not at.exception
    shown = {m.label: m for m in at.metric}
    # Health: the net change of each count is the running pilots that moved in minus those that moved out.
    changes = fixtures.run_named(fixture_store_path, "health_changes", {"as_of": "2026-06-30", "since": "2026-03-31"})
    for level in ("red", "amber", "green"):
        net = int((changes["health"] == level).sum() - (changes["health_before"] == level).sum())
        delta = shown[level.capitalize()].delta
        assert (0 if delta == "no change" else int(delta)) == net, level
        assert "net change of this count since 2026-03-31" in shown[level.capitalize()].help
    # Money counts per fiscal year: against the end of fiscal year 2025 (100 of the 400 万元 allocated
    # were in fiscal years up to 2025), not against the previous quarter, which has the same lines.
    assert shown["Allocated"].delta == "+3.0 m CNY"
    assert "against the end of fiscal year 2025" in shown["Allocated"].help
    assert any("money against the end of fiscal year 2025" in c.value for c in at.caption)
    zh = {m.label: m for m in app(as_of="2026-06-30").run().metric}
    assert "与 2025 年度末相比" in zh["计划资金"].help and "净变化" in zh["红灯项目"].help


def test_a_closed_pilots_unfinished_milestone_is_not_counted_overdue(app, fixture_store_path):
    from pilotdash.store import open_store

    store = open_store(fixture_store_path)
    try:  # C is withdrawn: its unfinished milestone is closed, not overdue (domain.md)
        with store.writing() as w:
            w.execute("INSERT INTO milestones VALUES ('c9', 'C', 'promotion', '总结验收', 'outcome', "
                      "DATE '2025-12-31', NULL)")
    finally:
        store.close()
    at = app(lang="en", as_of="2026-06-30").run()
    assert not at.exception
    assert metrics(at)["Overdue milestones"] == "2"


def test_the_headline_numbers_are_the_registrys(app, fixture_store_path, monkeypatch):
    """A measure shown on Overview is the registry's choice, not the page's: adding `disbursed`
    to HEADLINES["overview"] (no page file touched) shows it, with its money change since the
    previous fiscal year end, and the page shows exactly the registry's measures in its order."""
    from pilotdash import measures, ui
    from pilotdash.i18n import t

    rows = (*measures.HEADLINES["overview"], ("disbursed",))
    monkeypatch.setitem(measures.HEADLINES, "overview", rows)
    at = app(lang="en", as_of="2026-06-30").run()
    assert not at.exception
    # The headlines are the page's first metrics (issue 22 item 9: the warnings section follows).
    codes = ui.headline_codes("overview")
    assert codes[-1] == "disbursed" and len(codes) == 19  # 3 rows of 4, the grades, on-time delivery and issue resolution, disbursed
    assert [m.label for m in at.metric][:len(codes)] == [t(measures.MEASURES[c].label, "en") for c in codes]
    totals = fixtures.run_named(fixture_store_path, "overview_totals", {"as_of": "2026-06-30"}).iloc[0]
    assert totals.disbursed == 250  # tests/pages/test_funds.py: 250 of 400 disbursed
    assert metrics(at)["Disbursed"] == "2.5 m CNY"  # i18n.fmt_money's short form (issue 15 item 8)
