"""Meetings (issue 5) through the app: the share link, saved views, presentation mode and the
downloads, on the fixture store (D = 2026-06-30; see tests/fixtures.py)."""

import io
from urllib.parse import parse_qsl, urlsplit

import pandas as pd
import pytest
from PIL import Image
from python_calamine import CalamineWorkbook

from pilotdash import named_queries, saved_views
from pilotdash.people import local_admin
from pilotdash.store import open_store
from tests import fixtures

D = "2026-06-30"


def metrics(at):
    return {m.label: m.value for m in at.metric}


def share_link(at) -> str:
    return at.text_input(key="share_link").value


def link_params(link: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(link).query))


# Share --------------------------------------------------------------------------------------


def test_share_link_pins_the_effective_as_of_date(app, fixture_store_path):
    store = open_store(fixture_store_path)
    default = named_queries.default_as_of(store).isoformat()
    store.close()
    at = app(lang="en", belt="east", domain="digital_economy").run()
    assert not at.exception
    link = share_link(at)
    assert urlsplit(link).path == "/"  # the home page is served at the root
    assert link_params(link) == {"lang": "en", "as_of": default, "belt": "east", "domain": "digital_economy"}

    at.toggle(key="share_latest").set_value(True).run()
    assert link_params(share_link(at)) == {"lang": "en", "belt": "east", "domain": "digital_economy"}


def test_a_shared_link_restores_the_view_in_a_fresh_session(app):
    at = app(lang="en", as_of=D, belt="east").run()
    shown = metrics(at)
    assert shown["Pilots"] == "2"  # A and D are in the east
    fresh = app(**link_params(share_link(at))).run()
    assert not fresh.exception
    assert not any(w.icon == ":material/link_off:" for w in fresh.warning)  # no notice about the link
    assert metrics(fresh) == shown


def test_the_link_never_carries_session_state_or_presentation_mode(app):
    at = app(lang="en", as_of=D, present="1").run()
    at = app(lang="en", as_of=D).run()
    at.session_state["secret_thing"] = "x"
    at.run()
    assert set(link_params(share_link(at))) == {"lang", "as_of"}


# Saved views ----------------------------------------------------------------------------------


def save(at, name):
    at.text_input(key="save_view_name").input(name)
    return at.button(key="save_view").click().run()


def test_save_open_rename_delete(app, fixture_store_path):
    at = app(lang="en", as_of=D, belt="east").run()
    at = save(at, "  East board  ")
    assert not at.exception
    assert any("East board" in s.value for s in at.success)

    at.switch_page("pages/views.py").run()
    assert not at.exception
    names = [h.proto.body for h in at.get("html")]
    assert any("East board" in body for body in names)
    assert any(c.value.startswith("Overview · East · as of 2026-06-30") for c in at.caption)
    store = open_store(fixture_store_path)
    (saved,) = saved_views.list_views(store)
    store.close()
    assert saved.page == "overview" and saved.params == {"lang": "en", "as_of": D, "belt": "east"}
    assert saved.saved_by == "local"
    opener = next(p for p in at.get("page_link") if p.proto.label == "Open")
    assert opener.proto.page == ""  # the home page (Overview) is the root URL
    assert dict(parse_qsl(opener.proto.query_string)) == saved.params

    # Opening it is following its link: a fresh session on those parameters.
    opened = app(**dict(parse_qsl(opener.proto.query_string))).run()
    assert metrics(opened)["Pilots"] == "2"

    at.text_input(key=f"rename_{saved.view_id}").input("East, Q2")
    at.button(key=f"do_rename_{saved.view_id}").click().run()
    assert not at.exception
    assert any("East, Q2" in h.proto.body for h in at.get("html"))

    at.button(key=f"do_delete_{saved.view_id}").click().run()
    assert not at.exception
    assert any("No saved views yet" in i.value for i in at.info)


def test_name_validation_messages(app, fixture_store_path):
    at = app(lang="en", as_of=D).run()
    at = save(at, "   ")
    assert [e.value for e in at.error] == ["Please enter a name."]
    at = save(at, "Board")
    at = save(at, "board")
    assert [e.value for e in at.error] == ["A saved view named “Board” already exists; choose another name."]
    zh = app(as_of=D).run()
    zh = save(zh, "board")
    assert [e.value for e in zh.error] == ["已存在名为“Board”的常用视图，请换一个名称。"]
    store = open_store(fixture_store_path)
    assert [v.name for v in saved_views.list_views(store)] == ["Board"]
    store.close()


def test_rename_to_a_taken_name_is_refused(app, fixture_store_path):
    store = open_store(fixture_store_path)
    a = saved_views.save(store, "A", "overview", {}, local_admin())
    saved_views.save(store, "B", "overview", {"belt": "west"}, local_admin())
    store.close()
    at = app("views", lang="en").run()
    at.text_input(key=f"rename_{a.view_id}").input("b")
    at.button(key=f"do_rename_{a.view_id}").click().run()
    assert [e.value for e in at.error] == ["A saved view named “B” already exists; choose another name."]


def test_views_page_on_an_empty_store(empty_app):
    at = empty_app("views", lang="en").run()
    assert not at.exception
    assert any("No saved views yet" in i.value for i in at.info)


# Presentation mode ----------------------------------------------------------------------------


def charts_drawn(at) -> int:
    return len(at.get("vega_lite_chart"))


def slide_links(at) -> list:
    """Links to another page's slide (the page itself, drawn off stage, may hold other links)."""
    return [link for link in at.get("page_link") if link.proto.page == "phases"]


def slide_param(at) -> str | None:
    value = dict(at.query_params).get("slide")
    return value[-1] if isinstance(value, list) else value


def test_presentation_mode_is_slides_that_keep_the_filters(app):
    at = app(lang="en", as_of=D, belt="east", present="1").run()
    assert not at.exception
    assert len(at.sidebar.children) == 0
    assert metrics(at)["Pilots"] == "2"  # the key numbers
    assert not at.title, "one title line, not a second title"
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "Overview · Pilots by belt and phase" in html and "East · as of 2026-06-30" in html
    assert "display: none" in html  # the chrome-hiding style
    assert "keydown" in html and "ArrowRight" in html  # the keys
    assert not at.get("download_button")  # slides carry no buttons
    assert charts_drawn(at) == 1, "one chart per slide"
    assert not slide_links(at), "Overview's first slide is followed by its second"

    at.button(key="pd_slide_next_button").click().run()  # the second of Overview's two charts
    assert not at.exception
    assert slide_param(at) == "2" and charts_drawn(at) == 1
    assert "Overview · Health by belt" in " ".join(h.proto.body for h in at.get("html"))
    (following,) = slide_links(at)  # then on to the next page, with the same filters
    assert following.proto.label == "Phase progress"
    assert dict(parse_qsl(following.proto.query_string)) == {"lang": "en", "as_of": D, "belt": "east",
                                                             "present": "1"}

    at.button(key="pd_slide_prev_button").click().run()
    assert slide_param(at) is None and charts_drawn(at) == 1  # slide 1 is the page's own address

    at.button(key="present_off").click().run()  # leave: the same view, with its sidebar
    assert not at.exception
    assert len(at.sidebar.children) > 0
    assert dict(at.query_params) in ({"lang": "en", "as_of": D, "belt": "east"},
                                     {"lang": ["en"], "as_of": [D], "belt": ["east"]})
    assert metrics(at)["Pilots"] == "2"


def test_the_last_slide_and_a_slide_past_the_end_are_named_by_their_number(app):
    at = app(lang="en", as_of=D, present="1", slide="last").run()  # "previous" from Phases
    assert not at.exception
    assert slide_param(at) == "2" and charts_drawn(at) == 1
    at = app(lang="zh", as_of=D, present="1", slide="9").run()
    assert not at.exception
    assert slide_param(at) == "2" and charts_drawn(at) == 1
    assert any("本页没有第 9 张" in w.value for w in at.warning)


def test_a_bad_slide_in_the_link_is_dropped_with_a_notice_on_the_slide(app):
    at = app(lang="en", as_of=D, present="1", slide="zero").run()
    assert not at.exception
    assert any("“zero”" in w.value and "slide" in w.value for w in at.warning)
    assert slide_param(at) is None and charts_drawn(at) == 1


def test_the_present_button_enters_presentation_mode_with_the_same_filters(app):
    at = app(lang="en", as_of=D, belt="east").run()
    assert len(at.sidebar.children) > 0
    at.button(key="present_on").click().run()
    assert not at.exception
    assert len(at.sidebar.children) == 0
    assert metrics(at)["Pilots"] == "2"


# Downloads ------------------------------------------------------------------------------------


def test_table_csv_and_xlsx_equal_the_named_query(app, fixture_store_path, downloads, tmp_path):
    at = app(lang="en", as_of=D).run()
    expected = fixtures.run_named(fixture_store_path, "attention_projects", {"as_of": D, "limit": 10})
    csv = downloads(at, "dl_attention")
    assert csv.startswith(b"\xef\xbb\xbf")
    frame = pd.read_csv(io.BytesIO(csv), encoding="utf-8-sig")
    assert frame["Project"].tolist() == expected["project_id"].tolist()
    path = tmp_path / "t.xlsx"
    path.write_bytes(downloads(at, "xlsx_attention"))
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    assert rows[0] == frame.columns.tolist()
    assert [r[0] for r in rows[1:]] == expected["project_id"].tolist()


def test_chart_png_and_svg(app, downloads):
    at = app(lang="en", as_of=D).run()
    png_keys = [b.proto.id.rsplit("-", 1)[-1] for b in at.get("download_button") if b.proto.id.split("-")[-1].startswith("png_")]
    if not png_keys:
        pytest.skip("no page draws through ui.chart yet")
    image = Image.open(io.BytesIO(downloads(at, png_keys[0])))
    assert image.format == "PNG" and image.size[0] > 900
    svg = downloads(at, "svg_" + png_keys[0][4:]).decode("utf-8")
    assert svg.lstrip().startswith("<svg") and "East" in svg


def test_report_names_the_view(app, downloads):
    at = app(lang="en", as_of=D, belt="east").run()
    html = downloads(at, "dl_report").decode("utf-8")
    assert "<title>Pilot programme dashboard · Overview</title>" in html
    assert "East · as of 2026-06-30" in html
    assert "Data source" in html
    assert "Pilots by belt and phase" in html and "Ten pilots that need attention" in html
    assert html.count("data:image/png;base64,") == 2  # both charts, embedded
    zh = app(as_of=D, belt="east").run()
    html = downloads(zh, "dl_report").decode("utf-8")
    assert "东部 · 截至2026年6月30日" in html and "数据来源" in html



def test_report_holds_the_headline_numbers_as_shown(app, downloads):
    """Every metric the page drew is in the report with its value and change, in page order;
    the Regions cards keep their belt as the heading of their numbers."""
    import html as html_lib

    at = app(lang="en", as_of=D, belt="east").run()
    report = downloads(at, "dl_report").decode("utf-8")
    cells = [f'<div class="l">{html_lib.escape(m.label)}</div><div class="v">{html_lib.escape(m.value)}</div>'
             for m in at.metric]
    assert len(cells) == 23 and all(c in report for c in cells)  # 5 warning counts (issue 13) + 18 headlines
    assert [report.index(c) for c in cells] == sorted(report.index(c) for c in cells)
    assert '<div class="d">no change</div>' in report
    regions = app("regions", lang="en", as_of=D).run()
    report = downloads(regions, "dl_report").decode("utf-8")
    for belt in ("East", "Central", "West"):
        assert f'<h2>{belt}</h2>\n<div class="metrics"><div class="metric"><div class="l">Pilots</div>' in report

def test_report_source_leaves_out_what_the_store_does_not_know(app, downloads):
    html = downloads(app(lang="en", as_of=D).run(), "dl_report").decode("utf-8")
    assert "nan" not in html.split("Data source", 1)[1].split("</dd>", 1)[0]


def test_a_paged_pilot_table_shows_one_page_and_downloads_every_row(app, downloads, monkeypatch):
    from pilotdash import ui

    # Health is judged for running pilots only (domain.md): of the fixture, B is red; C (withdrawn)
    # is counted apart. One row a page still shows the page and downloads every row of the tab.
    monkeypatch.setattr(ui.tables, "PAGE_SIZE", 1)
    at = app(lang="en", as_of=D).run()
    assert not at.exception
    # The red tab's table: of the tables listing health, the one of red pilots only.
    shown = next(t.value for t in at.dataframe if "health" in t.value and set(t.value["health"]) == {"✖ Red"})
    assert [link.split("project=")[1] for link in shown["link"]] == ["B"]
    frame = pd.read_csv(io.BytesIO(downloads(at, "dl_projects_red")), encoding="utf-8-sig")
    assert frame["Project"].tolist() == ["B"] and "✖ Red" in frame["Health"].tolist()


def test_a_project_slide_names_its_pilot_and_the_deck_carries_it(app):
    at = app("project", lang="en", as_of=D, project="A", present="1").run()
    assert not at.exception
    html = " ".join(h.proto.body for h in at.get("html"))
    assert "Project A · " in html
    assert charts_drawn(at) == 1
    at.button(key="pd_slide_next_button").click().run()  # the project's second chart
    assert slide_param(at) == "2" and charts_drawn(at) == 1
    onward = [link for link in at.get("page_link") if link.proto.page == "warnings"
              and "present=1" in link.proto.query_string and "project=A" in link.proto.query_string]
    assert onward, "the next slide is the Warnings page's, with the project still in the view"
