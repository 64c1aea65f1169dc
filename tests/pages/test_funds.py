"""Funds on the fixture store (D = 2026-06-30 pinned in the URL; numbers worked out in
tests/test_measures.py and tests/test_named_queries_regions_funds.py)."""

from tests import fixtures

D = "2026-06-30"


def metrics(at):
    return {m.label: m.value for m in at.metric}


def param(at, name):
    value = at.query_params.get(name)
    return value[0] if isinstance(value, list) else value


def frame_with(at, column):
    return [df.value for df in at.dataframe if column in df.value.columns][0]


def test_headline_numbers_equal_the_named_query(app, fixture_store_path):
    at = app("funds", lang="en", as_of=D).run()
    assert not at.exception
    total = fixtures.run_named(fixture_store_path, "fund_by_dimension", {"as_of": D, "dimension": "total"}).iloc[0]
    shown = metrics(at)
    assert total.utilisation == 0.55
    assert shown["Fund utilisation"] == "55.0%"  # 220 spent of 400 allocated
    assert shown["Fund arrival rate"] == "62.5%"  # 250 of 400
    assert shown["Fund execution rate"] == "88.0%"  # 220 of 250
    assert shown["Overspent budget lines"] == "1"  # B's software line
    assert shown["Unspent (disbursed − spent)"] == "300 k CNY"


def test_overspend_spi_cpi_and_per_pilot_tables(app):
    at = app("funds", lang="en", as_of=D).run()
    assert any("1 budget lines in 1 pilots" in e.value for e in at.error)
    overspent = frame_with(at, "excess")
    assert [link.split("project=")[1] for link in overspent["link"]] == ["B"]
    assert list(overspent["excess"]) == [20]
    ev = frame_with(at, "spi_text")
    by_id = {link.split("project=")[1]: row for link, row in zip(ev["link"], ev.to_dict("records"))}
    assert by_id["A"]["spi_text"] == "0.67 ✖" and by_id["A"]["cpi_text"] == "1.25 ✔"
    assert by_id["C"]["spi_text"] == "—"
    money = frame_with(at, "overspend_text")
    assert money.iloc[0]["overspend_text"] == "✖ Overspent" and money.iloc[0]["link"].endswith("project=B")
    # Matching: east 100 local / 100 central against 1:1.5.
    matching = frame_with(at, "verdict")
    beijing = matching[matching["group"] == "Beijing"].iloc[0]
    assert (beijing["ratio_text"], beijing["verdict"]) == ("1:1.00", "✖ Below")


def test_group_by_from_the_url_and_restored(app):
    at = app("funds", lang="en", as_of=D, by="belt").run()
    assert not at.exception
    grouped = frame_with(at, "group")
    assert list(grouped["group"]) == ["Central", "East", "West"]
    by_group = dict(zip(grouped["group"], grouped["utilisation"]))
    assert by_group["East"] == 0.5 and by_group["West"] == 0.6
    assert by_group["Central"] != by_group["Central"]  # no allocated money: empty, shown as "—"
    fresh = app("funds", **{k: param(at, k) for k in at.query_params}).run()
    assert list(frame_with(fresh, "group")["group"]) == ["Central", "East", "West"]


def test_fiscal_year_filter_applies_to_money(app):
    at = app("funds", lang="en", as_of=D, fiscal_year="2025").run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Allocated"] == "1.0 m CNY"  # A's 2025 hardware line: 100 ×10k
    assert shown["Fund utilisation"] == "80.0%"
    assert any("No budget line spent more" in s.value for s in at.success)


def test_invalid_parameters_give_a_notice(app):
    at = app("funds", lang="en", as_of=D, by="colour", fiscal_year="1999").run()
    assert not at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "colour" in warnings and "1999" in warnings
    assert metrics(at)["Fund utilisation"] == "55.0%"


def test_chinese_labels_and_money_words(app):
    at = app("funds", as_of=D).run()
    assert not at.exception
    assert at.title[0].value == "资金"
    assert metrics(at)["计划资金"] == "400.0万元"


def test_no_match_and_empty_store(app, empty_app):
    at = app("funds", lang="en", as_of=D, belt="east", status="withdrawn").run()
    assert not at.exception and any("No pilots match" in w.value for w in at.warning)
    empty = empty_app("funds", lang="en").run()
    assert not empty.exception and any("No pilots match" in w.value for w in empty.warning)


def test_pilots_without_budget_lines(app):
    # D (education) has no budget lines: a clear message, no empty chart.
    at = app("funds", lang="en", as_of=D, domain="education").run()
    assert not at.exception
    assert any("No budget lines" in i.value for i in at.info)
    assert not at.metric




def test_per_pilot_downloads_are_in_the_page_language(app, downloads):
    """A paged table's every-row download is made when clicked, after the run: its words must
    still be the page's (the names came out in Chinese on the English page)."""
    import io

    import pandas as pd

    at = app("funds", lang="en", as_of="2026-06-30").run()
    for key in ("dl_earned_value", "dl_fund_projects"):
        frame = pd.read_csv(io.BytesIO(downloads(at, key)), encoding="utf-8-sig")
        names = dict(zip(frame["Project"], frame["Name"]))
        assert names["B"] == "Chengdu smart city pilot" and names["A"] == "Beijing digital economy pilot", key
