"""Markdown and HTML in every user text field: URL values, a pilot's name, a saved view's name, a
submission's file name, a rejection's reason, the robots' messages, mails, the report and the
digest. Each shows its characters, never a link to another site or an image a browser fetches."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from pilotdash import exports, people, saved_views, submissions
from pilotdash.ingest.plan import prepare
from pilotdash.markdown import escape, robot_text
from pilotdash.store import Store, open_store
from pilotdash.warnings import digest, ledger, notify
from tests import fixtures
from tests.pages.test_data_review import READINGS, signed_in, staff  # noqa: F401  (fixtures)

LINK = "[Open details](http://evil.example/leak)"
IMAGE = "![x](http://evil.example/pixel.png)"
HTML = "<img src=http://evil.example/p.png>"
HOSTILE = f"{LINK} {IMAGE} {HTML} **bold** :red[red]"
# Live Markdown: an unescaped bracket or angle bracket, or an address left to be autolinked.
_LIVE = re.compile(r"(?<!\\)[\[<]|(?<!\\)!\\?\[|https?(?<!\\):(?!\\)//")


def live(text: str) -> bool:
    return bool(_LIVE.search(text))


def shown(at) -> list[str]:
    """Every Markdown-rendered text the run drew."""
    kinds = ("warning", "error", "info", "success", "caption", "markdown", "header", "title", "subheader")
    return [e.value for k in kinds for e in at.get(k)]


def test_escape_leaves_no_live_markdown_and_keeps_every_character():
    out = escape(HOSTILE + "\n\n# heading")
    assert not live(out) and "\n" not in out
    assert re.sub(r"\\(.)", r"\1", out) == HOSTILE + " # heading"


def test_a_url_value_is_echoed_as_text(app):
    at = app("overview", lang="en", province=HOSTILE).run()
    assert not at.exception
    echoed = [w for w in shown(at) if "evil" in w]
    assert echoed and not any(live(w) for w in echoed)


def test_a_project_in_the_url_is_echoed_as_text(app):
    at = app("project", lang="en", project=LINK).run()
    assert not at.exception
    echoed = [w for w in shown(at) if "evil" in w]
    assert echoed and not any(live(w) for w in echoed)


def test_a_pilots_name_is_text_on_the_project_page(app, fixture_store_path):
    store = Store(fixture_store_path)
    with store.writing() as cur:
        cur.execute("UPDATE projects SET name_en = ? WHERE project_id = 'A'", [HOSTILE])
    store.close()
    at = app("project", lang="en", project="A").run()
    assert not at.exception
    named = [w for w in shown(at) if "evil" in w]
    assert named and not any(live(w) for w in named)


def test_a_saved_views_name_is_text(app, fixture_store_path):
    store = Store(fixture_store_path)
    saved_views.save(store, HOSTILE[:60], "overview", {"lang": "en"}, people.local_admin())
    store.close()
    at = app("views", lang="en").run()
    assert not at.exception
    named = [w for w in shown(at) if "evil" in w]
    assert named and not any(live(w) for w in named)


def test_a_file_name_and_a_reason_are_text_on_the_data_page(app, fixture_store_path,
                                                            staff, signed_in):  # noqa: F811
    store = open_store(fixture_store_path)
    try:
        plan = prepare(store, f"{LINK}.csv", READINGS, scope=staff["sub"].scope)
        sub = submissions.submit(store, staff["sub"], plan).submission
        signed_in(staff["rev"])
        at = app("data", lang="en").run()
        assert not at.exception
        named = [w for w in shown(at) if "evil" in w]
        assert named and not any(live(w) for w in named)
        submissions.reject(store, staff["rev"], sub.submission_id, HOSTILE)
    finally:
        store.close()
    signed_in(staff["sub"])
    at = app("data", lang="en").run()
    reasons = [w for w in shown(at) if "evil" in w]
    assert reasons and not any(live(w) for w in reasons)


def notice(kind_lang="zh") -> dict:
    return {"lang": kind_lang, "name_zh": HOSTILE, "name_en": HOSTILE, "notice_level": "red",
            "condition": "spi_low", "event": "raised", "project_id": "[P](http://evil.example)",
            "warning_id": 7, "respond_by": None, "trigger_kind": "milestone", "trigger_id": IMAGE,
            "raised_on": dt.date(2026, 7, 1), "owner": HTML, "email": "a@example.cn"}


def test_robot_markdown_is_text():
    settings = notify.Settings(base_url="http://dash.test")
    for kind, field in (("wecom", "content"), ("dingtalk", "text")):
        _, payload = notify.webhook_payload(kind, notice(), settings)
        text = payload["markdown"][field]
        assert "evil.example" in text and "http://evil" not in text
        assert not re.search(r"[\[\]<>()!]", text.replace("http://dash.test", "").split("http")[0])
    assert robot_text(LINK) == "［Open details］（http：//evil.example/leak）"


def test_mail_html_is_escaped():
    mail = notify.email_message(notice("en"), notify.Settings(base_url="http://dash.test"))
    html = mail.get_body(("html",)).get_content()
    assert "<img" not in html and "&lt;img" in html


def test_the_report_and_the_digest_are_escaped(store):
    text = exports.ReportText("en", ((HOSTILE, HOSTILE),), "{shown} of {total}", "empty")
    items = [exports.Item(HOSTILE, frame=pd.DataFrame({HOSTILE: [HOSTILE]}))]
    out = exports.report_html(HOSTILE, items, text)
    assert "<img" not in out and out.count("&lt;img") >= 4
    with store.writing() as cur:
        cur.execute("UPDATE projects SET name_en = ?, name_zh = ?", [HTML, HTML])
    ledger.recompute(store, fixtures.AS_OF, now=dt.datetime(2026, 7, 1, 9, 0))
    made = digest.build(store, "week", fixtures.AS_OF, "en")
    assert "evil.example" in made.html and "<img" not in made.html
