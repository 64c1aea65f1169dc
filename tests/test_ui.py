"""The table helpers of pilotdash.ui that need no running page."""

import pandas as pd
import pytest
import streamlit as st

from pilotdash import ui


def test_number_columns_are_rounded_as_shown_not_cut(monkeypatch):
    monkeypatch.setattr(ui.tables, "tr", lambda key, **_: key)  # words need a running page; not tested here
    # Streamlit cuts a number to its column's step (363.957 showed as 363.95): the table gets it
    # rounded first, money to 0.01 (万元) and rates to 0.1%, and the caller's frame stays as it was.
    frame = pd.DataFrame({"spent": [363.957, 83.474, None], "rate": [0.12345, 0.5, 0.9996],
                          "name": ["a", "b", "c"], "count": [1, 2, 3]})
    config = {"spent": ui.money_column("overview.spent"), "rate": ui.percent_column("Rate"),
              "name": st.column_config.TextColumn("Name"), "count": st.column_config.NumberColumn("N")}
    shown = ui.rounded_as_shown(frame, config)
    assert list(shown["spent"][:2]) == [363.96, 83.47] and pd.isna(shown["spent"][2])
    assert list(shown["rate"]) == [0.123, 0.5, 1.0]
    assert list(shown["name"]) == ["a", "b", "c"] and list(shown["count"]) == [1, 2, 3]
    assert frame["spent"][0] == 363.957
    assert ui.rounded_as_shown(frame, {"name": config["name"]}) is frame  # nothing to round: no copy


def test_a_phone_table_shows_its_key_columns(monkeypatch):
    # On a 390 px screen a table of eight columns clipped all but two; a phone shows the key ones.
    pilots = ["link", "name", "belt", "province", "phase", "status", "health", "reasons"]
    monkeypatch.setattr(ui.layout, "phone", lambda: True)
    assert ui.layout.key_columns(pilots) == ["link", "health", "name"]
    assert ui.layout.key_columns(["group", "allocated", "spent", "utilisation"]) == ["group", "allocated", "spent"]
    assert ui.layout.key_columns(pilots, keep=("link", "phase", "gone")) == ["link", "phase"]  # the page's choice
    assert ui.layout.key_columns(["a", "b", "c"], {"a": None}) == ["b", "c"]  # a hidden column stays hidden
    # What answers the table's question before where a row belongs (issue 22 item 2).
    assert ui.layout.key_columns(["link", "name", "belt", "province", "allocated", "spent"]) == \
        ["link", "name", "allocated"]
    assert ui.layout.key_columns(["group", "belt_label", "ratio_text", "verdict"]) == ["group", "ratio_text", "verdict"]
    monkeypatch.setattr(ui.layout, "phone", lambda: False)
    assert ui.layout.key_columns(pilots) is None  # wider screens: every column


def test_names_get_the_width_they_need_and_wrap_past_the_cap(monkeypatch):
    from pilotdash.ui import tables

    # Issue 22 item 6: names and reasons were cut at "…" in every table.
    config = {"name": st.column_config.TextColumn("Name", width="large"),
              "status": st.column_config.TextColumn("Status", width="small"),
              "spent": st.column_config.NumberColumn("Spent")}
    short = pd.DataFrame({"name": ["短名称试点", "杭州试点"], "status": ["Active", "Suspended"], "spent": [1.0, 2.0]})
    monkeypatch.setattr(ui.layout, "phone", lambda: False)
    fitted, row_height = tables.whole_text(short, config)
    assert fitted["name"]["width"] == 5 * 14 + tables.CELL_PADDING and row_height is None  # one line: no wrap
    assert fitted["status"]["width"] == "small" and config["name"]["width"] == "large"  # the caller's is kept
    long = short.assign(name=["Beijing Chaoyang District Municipal Social Governance Modernisation Pilot", "x"])
    fitted, row_height = tables.whole_text(long, config)
    assert fitted["name"]["width"] == tables.WHOLE_TEXT_CAP["name"]
    assert row_height > 64  # Streamlit wraps a cell's words only in rows taller than 4rem
    assert fitted["status"]["width"] >= tables.text_px("Suspended") + tables.CELL_PADDING  # not "Suspende/d"
    monkeypatch.setattr(ui.layout, "phone", lambda: True)
    fitted, row_height = tables.whole_text(short.assign(name=["延边朝鲜族自治州数据要素市场化配置改革试点项目", "x"]), config)
    assert fitted["name"]["width"] == tables.PHONE_WHOLE_TEXT_CAP and row_height > 64
    assert tables.whole_text(short[["spent"]], config) == (config, None)  # no name, nothing to fit
    assert tables.whole_text(long, {**config, "name": None})[0]["name"] is None  # a hidden name stays hidden


def test_table_columns_by_name_from_one_registry(monkeypatch):
    from pilotdash import i18n
    from pilotdash.columns import COLUMNS, Column

    for module in (ui.tables, ui.column_registry, ui.measures):
        monkeypatch.setattr(module, "tr", lambda key, **_: i18n.t(key, "en"))
    config = ui.table_columns("link", "name", "fiscal_year", "excess", "spent", "share_near", "status",
                              status="indicator_status", share_met=Column("targets.share_met", "pct", mark="✔"),
                              group=st.column_config.TextColumn("Group"))
    # In the order named, then the overrides not named; pilot columns, registry, measures.
    assert list(config) == ["link", "name", "fiscal_year", "excess", "spent", "share_near", "status", "share_met",
                            "group"]
    assert config["name"]["label"] == "Name" and config["status"]["label"] == "Status"
    assert config["fiscal_year"]["type_config"]["format"] == "%d"
    assert config["excess"]["label"] == "Overspent by (10k CNY)" and config["excess"]["type_config"]["step"] == 0.01
    assert config["share_near"]["label"] == "▲ Near" and config["share_near"]["type_config"]["format"] == "percent"
    assert config["share_met"]["label"] == "✔ Met" and config["group"]["label"] == "Group"
    with pytest.raises(KeyError, match="colour"):
        ui.table_columns("colour")
    # Every header and help of the registry has its words.
    keys = {key for c in COLUMNS.values() for key in (c.label, c.help) if key}
    assert not [k for k in keys if k not in i18n.table()]
