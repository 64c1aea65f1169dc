"""Scope through the app (issue 12 item 2), as a hostile provincial office would try it: a viewer of
Beijing (province 11: pilots A and D) signed in through the provider opens another province's
pilot, sets ?province= and ?belt= to others, opens a national user's saved view and downloads
every table and the report. Never one row outside the scope; a clear notice where something
was asked for. (Fixture store, D = 2026-06-30; see tests/fixtures.py.)"""

from __future__ import annotations

import io
import re

import pandas as pd
import pytest

from pilotdash import people, saved_views
from pilotdash.scope import Scope
from pilotdash.store import Store
from tests.pages.conftest import sign_in_configured

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "id", "client_secret": "secret",
        "server_metadata_url": "https://login.example.cn/.well-known/openid-configuration"}
BEIJING = "bj@example.cn"
NATIONAL = "nat@example.cn"
D = "2026-06-30"
# What of pilots B (Chengdu, 51) and C (Taiyuan, 14) a page could show: ids aside (one letter),
# their names, cities and lead units.
OUTSIDE = ("成都", "Chengdu", "太原", "Taiyuan", "成都市大数据管理局", "太原市卫生健康委员会", "四川", "Sichuan",
           "山西", "Shanxi")
MINE = {"A", "D", "北京数字经济试点", "Beijing digital economy pilot", "北京教育试点", "Beijing education pilot"}
PAGES = ["overview", "phases", "regions", "funds", "targets", "project", "warnings", "definitions", "views"]


@pytest.fixture
def signed_in(app, fixture_store_path):
    store = Store(fixture_store_path)
    admin = people.local_admin()
    people.add(store, admin, BEIJING, "Beijing office", Scope("provinces", ("11",)), {"viewer"})
    people.add(store, admin, NATIONAL, "National office", Scope.national(), {"viewer"})
    from pilotdash.warnings import ledger

    from tests import fixtures

    ledger.recompute(store, fixtures.AS_OF, by="test")  # warnings of B and C too
    store.close()

    def make(page: str = "overview", email: str = BEIJING, **params: str):
        at = app(page, **params)
        sign_in_configured(AUTH)
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": email, "name": email}
        return at

    return make


def shown_text(at) -> str:
    parts = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader",
                 "metric", "selectbox", "multiselect", "text", "code"):
        for e in at.get(kind):
            for attr in ("value", "label", "body", "options"):
                v = getattr(e, attr, None) if attr != "body" else getattr(e.proto, "body", None)
                if v is not None:
                    parts.append(str(v))
    for e in at.get("html"):
        parts.append(e.proto.body)
    return " ".join(parts)


def frames(at) -> list[pd.DataFrame]:
    return [d.value for d in at.dataframe]


def assert_only_beijing(at) -> None:
    assert not at.exception, [e.value for e in at.exception]
    text = shown_text(at)
    for word in OUTSIDE:
        assert word not in text, word
    for frame in frames(at):
        for column in ("project_id", "id", "Pilot", "试点项目"):
            if column in frame.columns:
                assert set(frame[column].dropna().astype(str)) <= MINE, (column, frame[column])
        flat = frame.astype(str).to_string()
        for word in OUTSIDE:
            assert word not in flat, word


def notices(at) -> str:
    return " ".join(w.value for w in at.warning)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_only_the_provinces_pilots_and_says_so(signed_in, page):
    at = signed_in(page, lang="en", as_of=D).run()
    assert_only_beijing(at)
    assert any("Your scope: provinces 11" in i.value and "1 of 31 provinces" in i.value for i in at.info)


def test_the_national_office_sees_every_pilot_without_a_scope_line(signed_in):
    at = signed_in("project", email=NATIONAL, lang="en", as_of=D).run()
    assert not at.exception
    assert "Chengdu" in shown_text(at) + " ".join(f.astype(str).to_string() for f in frames(at))
    assert not any("Your scope" in i.value for i in at.info)


def test_zh_scope_line(signed_in):
    at = signed_in("overview", as_of=D).run()
    assert any("31个省份中的1个" in i.value for i in at.info)


@pytest.mark.parametrize("other", ["B", "C"])
def test_another_provinces_pilot_is_not_shown(signed_in, other):
    at = signed_in("project", lang="en", as_of=D, project=other).run()
    assert_only_beijing(at)
    assert f"Pilot {other} is not in your scope" in notices(at)
    zh = signed_in("project", as_of=D, project=other).run()
    assert f"试点项目 {other} 不在您的权限范围内" in notices(zh)


def test_own_pilot_opens(signed_in):
    at = signed_in("project", lang="en", as_of=D, project="A").run()
    assert_only_beijing(at)
    assert "Beijing digital economy pilot" in shown_text(at)
    assert "not in your scope" not in notices(at)


@pytest.mark.parametrize("params, said", [
    # The parameter in words (issue 22 item 8); the value as the link holds it (not a name a
    # person outside that scope is not shown).
    ({"province": "51"}, ["Province = 51 is not in your scope"]),
    ({"province": "51,11"}, ["Province = 51 is not in your scope"]),
    ({"belt": "west"}, ["Belt = west is not in your scope"]),
    ({"belt": "west,central", "province": "14"}, ["Belt = west", "Belt = central", "Province = 14"]),
])
@pytest.mark.parametrize("page", ["overview", "regions", "funds"])
def test_filters_outside_the_scope_show_only_their_part(signed_in, page, params, said):
    at = signed_in(page, lang="en", as_of=D, **params).run()
    assert_only_beijing(at)
    for words in said:
        assert words in notices(at)
    assert "51" not in at.query_params.get("province", "") and "west" not in at.query_params.get("belt", "")


def test_overview_counts_are_the_provinces(signed_in):
    at = signed_in("overview", lang="en", as_of=D, province="51,14,11").run()
    assert {m.label: m.value for m in at.metric}["Pilots"] == "2"


def test_a_national_users_saved_view_opens_as_their_part(signed_in, fixture_store_path):
    store = Store(fixture_store_path)
    saved = saved_views.save(store, "Chengdu board", "project", {"lang": "en", "as_of": D, "project": "B",
                                                                 "province": "51"}, people.find(store, NATIONAL))
    store.close()
    # A person sees their own views and those within their scope (issue 19): Beijing's viewer is
    # not shown Chengdu's board at all, nor who saved it.
    at = signed_in("views", lang="en").run()
    assert not at.exception
    assert not any("Chengdu board" in getattr(h, "body", "") for h in at.get("html"))
    assert not any(NATIONAL in c.value for c in at.caption)
    # the saved view's own parameters as a link (a share link) open as their part, and say so
    direct = signed_in("project", **saved.params).run()
    assert_only_beijing(direct)
    assert "Province = 51 is not in your scope" in notices(direct) and "Pilot B is not in your scope" in notices(direct)
    national = signed_in("views", email=NATIONAL, lang="en").run()
    assert any("Chengdu board" in getattr(h, "body", "") for h in national.get("html"))
    assert not any("outside your scope" in c.value for c in national.caption)
    # Only its saver (or an admin) may rename or delete it: the viewer in Beijing gets no buttons
    # (and saved_views refuses the write itself: tests/test_saved_views.py).
    keys = {b.key for b in at.button}
    assert not {f"do_rename_{saved.view_id}", f"do_delete_{saved.view_id}"} & keys
    assert {f"do_rename_{saved.view_id}", f"do_delete_{saved.view_id}"} <= {b.key for b in national.button}


DOWNLOAD = re.compile(r"^(dl|xlsx)_")


@pytest.mark.parametrize("page", ["overview", "phases", "regions", "funds", "targets", "project", "warnings"])
def test_every_download_and_the_report_hold_only_the_scope(signed_in, downloads, page):
    params = {"project": "B"} if page == "project" else {"province": "51"}
    at = signed_in(page, lang="en", as_of=D, **params).run()
    assert not at.exception
    keys = [b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button")]
    keys = [k for k in keys if DOWNLOAD.match(k)]
    assert "dl_report" in keys
    report = downloads(at, "dl_report").decode("utf-8")
    assert "figures over 2 visible pilots only (1 of 31 provinces)" in report
    for key in keys:
        data = downloads(at, key)
        text = _text_of(key, data)
        for word in OUTSIDE:
            assert word not in text, (key, word)
        if key.startswith("dl_") and key != "dl_report":
            frame = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str)
            for column in frame.columns:
                if column.lower() in ("project_id", "pilot", "id", "试点项目编号"):
                    assert set(frame[column].dropna()) <= MINE, (key, column)


def _text_of(key: str, data: bytes) -> str:
    if key.startswith("xlsx_"):
        from python_calamine import CalamineWorkbook

        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        return " ".join(str(cell) for name in book.sheet_names for row in book.get_sheet_by_name(name).to_python()
                        for cell in row)
    return data.decode("utf-8-sig", errors="replace")


def test_signed_out_sees_no_pilot(app):
    at = app("overview", lang="en")
    sign_in_configured(AUTH)
    at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False}
    at.run()
    assert not at.exception
    assert not at.dataframe and not at.metric


def test_a_share_link_carries_filters_not_rights(signed_in):
    """The national office's link, with every province, opened by Beijing: Beijing's part only."""
    national = signed_in("overview", email=NATIONAL, lang="en", as_of=D, province="11,51,14").run()
    assert {m.label: m.value for m in national.metric}["Pilots"] == "4"
    link = national.text_input(key="share_link").value
    from urllib.parse import parse_qsl, urlsplit

    opened = signed_in("overview", **dict(parse_qsl(urlsplit(link).query))).run()
    assert_only_beijing(opened)
    assert {m.label: m.value for m in opened.metric}["Pilots"] == "2"
