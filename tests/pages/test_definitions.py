"""Definitions: every measure in both languages, thresholds as the code holds them, the
catalogue from the store, and where the data came from."""

from pilotdash import definitions, i18n
from pilotdash.domain import THRESHOLDS


def test_thresholds_shown_equal_the_code(app):
    at = app("definitions", lang="en", as_of="2026-06-30").run()
    assert not at.exception
    thresholds = at.dataframe[0].value
    # Named in words, not by their code (issue 22 item 8), every one of the code's thresholds.
    assert dict(zip(thresholds["name"], thresholds["value"])) == \
        {i18n.t(f"definitions.th.{name}", "en"): value for name, value in THRESHOLDS.items()}
    assert "code" not in thresholds
    text = " ".join(m.value for m in at.markdown)
    # The sentences carry the same numbers: met 100%, near 90%, 85% fund target, SPI 0.9 / 0.8.
    assert "≥ 100%" in text and "≥ 90%" in text and "Target: 85%" in text and "Below 0.9" in text
    assert "1:1.5" in text and "15–25" in text and "8–14" in text


def test_every_measure_has_words_in_both_languages():
    for _, measures in definitions.MEASURES:
        for measure in measures:
            keys = [f"definitions.{measure}.name", definitions.rule_key(measure)]
            if measure in definitions.CHOICES:
                keys.append(f"definitions.{measure}.choice")
            for key in keys:
                assert key in i18n.table(), key
                for lang in i18n.LANGS:
                    i18n.t(key, lang, **definitions.threshold_words(lang))  # every placeholder filled


def test_catalogue_and_data_source_from_the_store(app):
    at = app("definitions", lang="en", as_of="2026-06-30").run()
    catalogue = at.dataframe[1].value
    assert list(catalogue["code"]) == ["P1", "I1", "I3", "E1"]
    e1 = catalogue.set_index("code").loc["E1"]
    assert (e1["direction"], e1["unit"], e1["national_target"]) == ("Lower is better", "trips", "0.3")
    shown = {m.label: m.value for m in at.metric}
    assert shown["Newest reading"] == "2026-09-30" and shown["As-of date of this view"] == "2026-06-30"
    rows = at.dataframe[2].value
    assert dict(zip(rows["table"], rows["rows"]))["Indicator readings"] == 12


def test_chinese(app):
    at = app("definitions", as_of="2026-06-30").run()
    assert at.title[0].value == "指标说明"
    text = " ".join(m.value for m in at.markdown)
    assert "达标：完成率≥100%" in text and "东部为1:1.5" in text


def test_empty_store_renders(empty_app):
    at = empty_app("definitions", lang="en").run()
    assert not at.exception


def test_each_entry_names_the_numbers_the_pages_show_under_it(app):
    # From the measure registry (pilotdash/measures.py): what a reader sees on Overview or Funds
    # is found under its definition.
    at = app("definitions", lang="en").run()
    assert not at.exception
    captions = [c.value for c in at.caption if c.value.startswith("Shown on the pages as:")]
    fund_rates = next(c for c in captions if "Fund utilisation" in c)
    assert all(name in fund_rates for name in ("Allocated", "Spent", "Fund arrival rate", "Fund execution rate"))
    assert any("Targets met" in c for c in captions) and any("Red" in c and "Green" in c for c in captions)
    zh = app("definitions").run()
    assert any(c.value.startswith("页面中显示为：") and "资金使用率" in c.value for c in zh.caption)
