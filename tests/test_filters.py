"""The pure URL parser (pilotdash.filters.parse), case by case: what a link keeps, and the notice
for each thing it drops."""

import datetime as dt

import pytest

from pilotdash.filters import Options, ViewState, parse

OPTIONS = Options(province=("11", "31", "51"), province_belt={"11": "east", "31": "east", "51": "west"},
                  fiscal_year=("2024", "2025"))


def notices(raw):
    return [(n.key, dict(n.values)) for n in parse(raw, OPTIONS)[1]]


# (URL parameters, the view they give, the notices: (key, values))
CASES = [
    ({}, ViewState(), []),
    ({"lang": "en"}, ViewState(lang="en"), []),
    ({"lang": ["zh", "en"]}, ViewState(lang="en"), []),  # the last value wins
    ({"lang": "fr"}, ViewState(), [("notice.bad_value", {"name": "lang", "value": "fr"})]),
    ({"as_of": "2026-06-30"}, ViewState(as_of=dt.date(2026, 6, 30)), []),
    ({"as_of": "2026-02-30"}, ViewState(), [("notice.bad_date", {"value": "2026-02-30"})]),
    ({"belt": "east,west"}, ViewState(filters={"belt": ("east", "west")}), []),
    ({"belt": "east,east"}, ViewState(filters={"belt": ("east",)}), []),  # no value twice
    ({"belt": ["east", "west"]}, ViewState(filters={"belt": ("east", "west")}), []),  # repeated parameter
    ({"belt": " east , "}, ViewState(filters={"belt": ("east",)}), []),  # spaces and empty items
    ({"belt": "north"}, ViewState(), [("notice.bad_value", {"name": "belt", "value": "north"})]),
    # A province outside the chosen belt is dropped, and the notice says that (issue 22 item 8:
    # Beijing is a valid province, only not in the west belt).
    ({"belt": "west", "province": "11,51"}, ViewState(filters={"belt": ("west",), "province": ("51",)}),
     [("notice.province_outside_belt", {"value": "11", "belt": "west"})]),
    ({"province": "99"}, ViewState(), [("notice.bad_value", {"name": "province", "value": "99"})]),
    ({"fiscal_year": "2025"}, ViewState(filters={"fiscal_year": ("2025",)}), []),
    ({"fiscal_year": "1999"}, ViewState(), [("notice.bad_value", {"name": "fiscal_year", "value": "1999"})]),
    ({"status": "active"}, ViewState(filters={"status": ("active",)}), []),
    # Page parameters: closed sets are checked here, open ones need a code-like value.
    ({"by": "belt"}, ViewState(extras={"by": "belt"}), []),
    ({"by": "colour"}, ViewState(), [("notice.bad_value", {"name": "by", "value": "colour"})]),
    ({"sort": "end"}, ViewState(extras={"sort": "end"}), []),
    ({"sort": "sideways"}, ViewState(), [("notice.bad_value", {"name": "sort", "value": "sideways"})]),
    ({"measure": "share_red"}, ViewState(extras={"measure": "share_red"}), []),
    ({"measure": "colour"}, ViewState(), [("notice.bad_value", {"name": "measure", "value": "colour"})]),
    ({"present": "1"}, ViewState(extras={"present": "1"}), []),
    ({"present": "yes"}, ViewState(), [("notice.bad_value", {"name": "present", "value": "yes"})]),
    ({"project": "PJ-2021-0021"}, ViewState(extras={"project": "PJ-2021-0021"}), []),
    ({"project": "x'; DROP"}, ViewState(), [("notice.bad_value", {"name": "project", "value": "x'; DROP"})]),
    ({"colour": "red"}, ViewState(), [("notice.unknown_param", {"name": "colour"})]),
    ({"x" * 60: "1"}, ViewState(), [("notice.unknown_param", {"name": "x" * 40 + "…"})]),  # shortened
]


@pytest.mark.parametrize(("raw", "view", "expected"), CASES, ids=[repr(c[0])[:60] for c in CASES])
def test_parse(raw, view, expected):
    state, _ = parse(raw, OPTIONS)
    assert state == view
    assert notices(raw) == expected


@pytest.mark.parametrize(("raw", "view", "expected"), [c for c in CASES if not c[2]],
                         ids=[repr(c[0])[:60] for c in CASES if not c[2]])
def test_a_clean_link_survives_the_round_trip(raw, view, expected):
    """The canonical parameters of a parsed view parse back to the same view, without notices."""
    state, _ = parse(raw, OPTIONS)
    again, got = parse(state.query_params(), OPTIONS)
    assert again == state and got == []


def test_notices_name_parameters_in_words_never_by_their_url_name():
    from pilotdash.filters import Notice

    assert Notice("notice.bad_value", {"name": "province", "value": "99"}).text("zh") == \
        "已忽略链接中的“99”：不是有效的省份。"
    assert "indicator" not in Notice("notice.bad_value", {"name": "indicator", "value": "X"}).text("zh")
    assert Notice("notice.province_outside_belt", {"value": "11", "belt": "west"}).text("zh") == \
        "已忽略链接中的“北京”：该省份不在所选地带（西部）内。"
