"""Targets vs actuals on the fixture store (D = 2026-06-30 pinned in the URL; numbers from
tests/test_measures.py and tests/fixtures.py)."""

from tests import fixtures

D = "2026-06-30"


def metrics(at):
    """The headline metrics (the first of each label; the chosen indicator's come later)."""
    shown = {}
    for m in at.metric:
        shown.setdefault(m.label, m.value)
    return shown


def shortfalls(at):
    return at.dataframe[0].value


def test_renders_and_headline_equals_the_named_query(app, fixture_store_path):
    at = app("targets", lang="en", as_of=D).run()
    assert not at.exception
    summary = fixtures.run_named(fixture_store_path, "indicator_summary", {"as_of": D})
    total = summary[(summary.indicator_code == "all") & (summary.belt == "all")].iloc[0]
    shown = metrics(at)
    # 9 pairs with a current actual: met A/I1, A/I3, B/E1, C/I1; near B/P1; behind A/P1, A/E1, B/I3, C/P1.
    assert shown["With a current reading"] == str(int(total.with_data)) == "9"
    assert shown["✔ Met"] == "44.4%" and shown["▲ Near"] == "11.1%" and shown["✖ Behind"] == "44.4%"
    assert shown["· No data"] == "1"  # B/I1: its only reading is after D


def test_largest_shortfalls_first_with_gap_and_source(app):
    at = app("targets", lang="en", as_of=D).run()
    table = shortfalls(at)
    # Behind and near only, by achievement ascending: B/I3 20%, C/P1 62.5%, A/P1 82.5%, A/E1 83.3%, B/P1 98.7%.
    assert [link.split("project=")[1] for link in table["link"]] == ["B", "C", "A", "A", "B"]
    a_p1, a_e1, b_p1 = table.iloc[2], table.iloc[3], table.iloc[4]
    assert a_p1["gap"] == 14 and a_p1["status"] == "✖ Behind" and a_p1["achievement"] == 0.825
    # Lower is better: E1 gap actual − target = 0.05, achievement 0.25 / 0.3; the target is the east belt's.
    assert round(a_e1["gap"], 6) == 0.05 and a_e1["achievement"] == 0.833  # 83.3%, as the column shows it
    assert "↓" in a_e1["indicator"] and a_e1["source"] == "Belt · East"
    assert b_p1["status"] == "▲ Near" and b_p1["source"] == "Belt · West"


def test_met_without_rate_shows_dash(app):
    # B/E1: a lower-is-better actual of 0 is met with no rate; on the E1 page table it shows as met, rate empty.
    at = app("targets", lang="en", as_of=D, indicator="E1").run()
    assert not at.exception
    table = at.dataframe[-1].value
    b = table[table["link"].str.endswith("project=B")].iloc[0]
    assert b["status"] == "✔ Met" and b["achievement"] != b["achievement"]  # NaN: shown as "—"
    assert round(b["gap"], 6) == -0.3


def test_indicator_in_the_url_selects_the_trend_and_survives_a_fresh_run(app):
    at = app("targets", lang="en", as_of=D, indicator="E1").run()
    assert at.selectbox(key="w_target_indicator").value == "E1"
    assert metrics(at)["National target"] == "0.3 trips"  # the catalogue's; the east belt's is 0.25
    params = {k: at.query_params[k] for k in at.query_params}
    again = app("targets", **{k: (v[0] if isinstance(v, list) else v) for k, v in params.items()}).run()
    assert again.selectbox(key="w_target_indicator").value == "E1"
    at.selectbox(key="w_target_indicator").set_value("P1").run()
    assert "P1" in str(at.query_params["indicator"])


def test_unknown_indicator_gives_a_notice(app):
    at = app("targets", lang="en", as_of=D, indicator="ZZ9").run()
    assert not at.exception
    assert any("ZZ9" in w.value for w in at.warning)
    assert at.selectbox(key="w_target_indicator").value == "P1"


def test_filters_apply(app):
    at = app("targets", lang="en", as_of=D, belt="west").run()
    assert not at.exception
    # West: B only; B/E1 met, B/P1 near, B/I3 behind, B/I1 no data.
    shown = metrics(at)
    assert shown["With a current reading"] == "3" and shown["· No data"] == "1"
    assert [link.split("project=")[1] for link in shortfalls(at)["link"]] == ["B", "B"]


def test_language_switch(app):
    zh = app("targets", as_of=D).run()
    assert zh.title[0].value == "目标差距"
    assert "✔ 达标" in metrics(zh)
    en = app("targets", as_of=D, lang="en").run()
    assert en.title[0].value == "Targets vs actuals"


def test_no_match_and_empty_store(app, empty_app):
    at = app("targets", lang="en", as_of=D, belt="east", status="withdrawn").run()
    assert not at.exception and any("No pilots match" in w.value for w in at.warning)


def test_empty_store_renders(empty_app):
    at = empty_app("targets", lang="en").run()
    assert not at.exception


def test_every_rate_column_shows_one_decimal_like_the_metrics(app):
    """Streamlit's "percent" format trims decimals unless the column has a step (40%, 49.16%);
    every rate column of the page's tables gets one decimal, as fmt_pct and the metrics show."""
    import json

    at = app("targets", lang="en", as_of=D).run()
    assert not at.exception
    percent = [(name, cfg) for table in at.dataframe for name, cfg in json.loads(table.proto.columns).items()
               if cfg.get("type_config", {}).get("format") == "percent"]
    assert {name for name, _ in percent} >= {"achievement", "share_met", "share_near", "share_behind",
                                             "median_achievement"}
    assert all(cfg["type_config"].get("step") == 0.001 for _, cfg in percent), percent



def test_an_achievement_just_short_of_its_threshold_never_reads_as_reaching_it():
    from pilotdash import ui

    shown = ui.shown_achievement([0.99963, 0.89996, 0.83333, 1.2, None])
    assert list(shown[:4]) == [0.999, 0.899, 0.833, 1.2]  # "99.9% near", "89.9% behind", 83.3%
    assert shown[4] != shown[4]  # empty stays empty
